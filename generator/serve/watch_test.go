package serve

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watching starts a watcher on a starter site and returns the site's
// folder and the watcher; it stops when the test ends. The options are
// the defaults but where o says otherwise, so that the tests of saves and
// bursts hold the quiet periods users get.
func watching(t *testing.T, o WatchOptions) (string, *Watcher, *logs) {
	t.Helper()
	dir := starter(t)
	l := &logs{}
	o.Log = l.add
	ctx, cancel := context.WithCancel(context.Background())
	w, err := Watch(ctx, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-w.Done():
		case <-time.After(5 * time.Second):
			t.Error("the watcher did not stop")
		}
	})
	return dir, w, l
}

type logs struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logs) add(m string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, m)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.msgs, "\n")
}

// next waits for the next batch.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b := <-w.Batches():
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch of changes in 5 s")
	}
	return Batch{}
}

// settle waits for a batch, then takes every batch that follows within
// 300 ms, and returns their paths, sorted and without repeats: on a busy
// machine one save may come in two batches, and that is fine.
func settle(t *testing.T, w *Watcher) []string {
	t.Helper()
	b := next(t, w)
	paths := b.Paths
	for {
		select {
		case b := <-w.Batches():
			paths = append(paths, b.Paths...)
			continue
		case <-time.After(300 * time.Millisecond):
		}
		break
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

// quiet fails if a batch arrives within d.
func quiet(t *testing.T, w *Watcher, d time.Duration) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Errorf("unexpected batch %+v", b)
	case <-time.After(d):
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const watchedStory = "content/backlog/stories/story-1.md"

func TestWatchEditorSaves(t *testing.T) {
	longWatch(t)
	tests := []struct {
		name string
		save func(t *testing.T, file string)
	}{
		{"plain write", func(t *testing.T, file string) {
			must(t, os.WriteFile(file, []byte("# changed\n"), 0o644))
		}},
		{"atomic rename over the original (JetBrains safe write, VS Code)", func(t *testing.T, file string) {
			must(t, os.WriteFile(file+"___jb_tmp___", []byte("# changed\n"), 0o644))
			must(t, os.Rename(file, file+"___jb_old___"))
			must(t, os.Rename(file+"___jb_tmp___", file))
			must(t, os.Remove(file+"___jb_old___"))
		}},
		{"vim: 4913 probe, swap file, backup rename", func(t *testing.T, file string) {
			dir := filepath.Dir(file)
			swap := filepath.Join(dir, "."+filepath.Base(file)+".swp")
			must(t, os.WriteFile(swap, []byte("swap"), 0o600))
			probe := filepath.Join(dir, "4913")
			must(t, os.WriteFile(probe, nil, 0o644))
			must(t, os.Remove(probe))
			must(t, os.Rename(file, file+"~"))
			must(t, os.WriteFile(file, []byte("# changed\n"), 0o644))
			must(t, os.Remove(file+"~"))
			must(t, os.Remove(swap))
		}},
		{"emacs: lock file and autosave", func(t *testing.T, file string) {
			dir := filepath.Dir(file)
			lock := filepath.Join(dir, ".#"+filepath.Base(file))
			must(t, os.Symlink("user@host.1234", lock))
			auto := filepath.Join(dir, "#"+filepath.Base(file)+"#")
			must(t, os.WriteFile(auto, []byte("autosave"), 0o644))
			must(t, os.WriteFile(file, []byte("# changed\n"), 0o644))
			must(t, os.Remove(auto))
			must(t, os.Remove(lock))
		}},
		{"chmod and then a write", func(t *testing.T, file string) {
			must(t, os.Chmod(file, 0o600))
			must(t, os.WriteFile(file, []byte("# changed\n"), 0o600))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, w, _ := watching(t, WatchOptions{})
			tt.save(t, filepath.Join(dir, filepath.FromSlash(watchedStory)))
			if got, want := settle(t, w), []string{watchedStory}; !slices.Equal(got, want) {
				t.Errorf("changes %v, want %v", got, want)
			}
		})
	}
}

func TestWatchSedInPlace(t *testing.T) {
	sed, err := exec.LookPath("sed")
	if err != nil {
		t.Skip("sed not installed")
	}
	dir, w, _ := watching(t, WatchOptions{})
	file := filepath.Join(dir, filepath.FromSlash(watchedStory))
	if out, err := exec.Command(sed, "-i", "s/title: .*/title: Changed by sed/", file).CombinedOutput(); err != nil {
		t.Fatalf("sed -i: %v\n%s", err, out)
	}
	b := next(t, w)
	if !slices.Contains(b.Paths, watchedStory) {
		t.Fatalf("batch %+v does not name %s", b, watchedStory)
	}
	// sed's temporary file may be in the batch too: it is gone by now,
	// which a rebuild reads as "nothing there".
	for _, p := range b.Paths {
		if p != watchedStory {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
				t.Errorf("batch names %s, which is no editor's temporary file", p)
			}
		}
	}
}

func TestWatchNewFolders(t *testing.T) {
	longWatch(t)
	dir, w, _ := watching(t, WatchOptions{})
	// A file made right after its folders, before the watcher can have
	// added them, is found by scanning the new folder.
	deep := filepath.Join(dir, "content", "backlog", "stories", "wallet", "apple")
	must(t, os.MkdirAll(deep, 0o755))
	must(t, os.WriteFile(filepath.Join(deep, "story-9.md"), []byte("# nine\n"), 0o644))
	if got := settle(t, w); !slices.Contains(got, "content/backlog/stories/wallet/apple/story-9.md") {
		t.Fatalf("changes %v miss the new file", got)
	}
	// Now the new folder is watched.
	must(t, os.WriteFile(filepath.Join(deep, "story-10.md"), []byte("# ten\n"), 0o644))
	if got := settle(t, w); !slices.Equal(got, []string{"content/backlog/stories/wallet/apple/story-10.md"}) {
		t.Fatalf("changes %v, want the file in the new folder", got)
	}
	// An ignored folder is not watched, and what happens in it is no change.
	must(t, os.MkdirAll(filepath.Join(dir, "content", "_drafts", "x"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "content", "_drafts", "x", "a.md"), []byte("# a\n"), 0o644))
	quiet(t, w, 200*time.Millisecond)
	// A folder that goes away is one change.
	must(t, os.RemoveAll(filepath.Join(dir, "content", "backlog", "stories", "wallet")))
	if got := settle(t, w); !slices.Contains(got, "content/backlog/stories/wallet") {
		t.Fatalf("changes %v do not name the removed folder", got)
	}
	// A folder renamed in from elsewhere brings its files.
	outside := filepath.Join(t.TempDir(), "moved")
	must(t, os.MkdirAll(filepath.Join(outside, "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(outside, "sub", "m.md"), []byte("# m\n"), 0o644))
	must(t, os.Rename(outside, filepath.Join(dir, "content", "moved")))
	if got := settle(t, w); !slices.Contains(got, "content/moved") || !slices.Contains(got, "content/moved/sub/m.md") {
		t.Fatalf("changes %v do not name the folder moved in and its file", got)
	}
	must(t, os.WriteFile(filepath.Join(dir, "content", "moved", "sub", "n.md"), []byte("# n\n"), 0o644))
	if got := settle(t, w); !slices.Equal(got, []string{"content/moved/sub/n.md"}) {
		t.Fatalf("changes %v, want the file in the folder moved in", got)
	}
}

func TestWatchDeleteAndSettings(t *testing.T) {
	longWatch(t)
	dir, w, _ := watching(t, WatchOptions{})
	must(t, os.Remove(filepath.Join(dir, filepath.FromSlash(watchedStory))))
	if got := settle(t, w); !slices.Equal(got, []string{watchedStory}) {
		t.Errorf("delete: changes %v", got)
	}
	must(t, os.WriteFile(filepath.Join(dir, "productdocs.yaml"), []byte("title: Other\n"), 0o644))
	if got := settle(t, w); !slices.Equal(got, []string{"productdocs.yaml"}) {
		t.Errorf("settings: changes %v", got)
	}
	must(t, os.MkdirAll(filepath.Join(dir, "templates"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "templates", "style.css"), []byte("body{}"), 0o644))
	if got := settle(t, w); !slices.Contains(got, "templates") {
		t.Errorf("new templates folder: changes %v", got)
	}
	must(t, os.WriteFile(filepath.Join(dir, "templates", "style.css"), []byte("body{color:red}"), 0o644))
	if got := settle(t, w); !slices.Equal(got, []string{"templates/style.css"}) {
		t.Errorf("template: changes %v", got)
	}
	// Files beside the site's folders are not the site.
	must(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("hi"), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "public"), 0o755))
	quiet(t, w, 200*time.Millisecond)
}

func TestWatchBurstIsFewBatches(t *testing.T) {
	dir, w, _ := watching(t, WatchOptions{})
	folder := filepath.Join(dir, "content", "backlog", "stories")
	const n = 1000
	for i := range n {
		must(t, os.WriteFile(filepath.Join(folder, fmt.Sprintf("burst-%d.md", i)), []byte("# burst\n"), 0o644))
	}
	seen := map[string]bool{}
	batches := 0
	for len(seen) < n {
		b := next(t, w)
		batches++
		for _, p := range b.Paths {
			seen[p] = true
		}
	}
	// The last file's write may trail its creation by more than the quiet
	// period on a busy machine, and come in a batch of its own: count it.
	for {
		select {
		case b := <-w.Batches():
			batches++
			for _, p := range b.Paths {
				if !seen[p] {
					t.Errorf("a batch after the burst names %s, which was not written", p)
				}
			}
			continue
		case <-time.After(300 * time.Millisecond):
		}
		break
	}
	t.Logf("%d files written, %d batches", n, batches)
	if batches > 5 {
		t.Errorf("%d files written in a burst made %d batches, want at most 5", n, batches)
	}
}

func TestWatchPoll(t *testing.T) {
	longWatch(t)
	dir, w, _ := watching(t, WatchOptions{Poll: true, PollInterval: 50 * time.Millisecond})
	file := filepath.Join(dir, filepath.FromSlash(watchedStory))
	must(t, os.WriteFile(file, []byte("# changed, and longer than before\n"), 0o644))
	if got := settle(t, w); !slices.Equal(got, []string{watchedStory}) {
		t.Errorf("edit: changes %v", got)
	}
	must(t, os.WriteFile(filepath.Join(filepath.Dir(file), "new.md"), []byte("# new\n"), 0o644))
	if got := settle(t, w); !slices.Equal(got, []string{"content/backlog/stories/new.md"}) {
		t.Errorf("new file: changes %v", got)
	}
	must(t, os.WriteFile(filepath.Join(filepath.Dir(file), ".new.md.swp"), []byte("swap"), 0o644))
	quiet(t, w, 200*time.Millisecond)
}

func TestWatchOutOfWatchesPolls(t *testing.T) {
	calls := 0
	var mu sync.Mutex
	add := func(fw *fsnotify.Watcher, dir string) error {
		mu.Lock()
		defer mu.Unlock()
		if calls++; calls > 3 {
			return fmt.Errorf("%q: %w", dir, syscall.ENOSPC)
		}
		return fw.Add(dir)
	}
	dir, w, logs := watching(t, WatchOptions{PollInterval: 50 * time.Millisecond, add: add})
	if !strings.Contains(logs.String(), "max_user_watches") {
		t.Errorf("no word of the watch limit; logs:\n%s", logs)
	}
	file := filepath.Join(dir, filepath.FromSlash(watchedStory))
	must(t, os.WriteFile(file, []byte("# changed, and longer than before\n"), 0o644))
	if b := next(t, w); !slices.Contains(b.Paths, watchedStory) {
		t.Errorf("batch %+v", b)
	}
}

func TestWatchOverflowReadsEverything(t *testing.T) {
	dir, w, logs := watching(t, WatchOptions{})
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer fw.Close()
	n := &notifier{w: w, fw: fw, dirs: map[string]bool{}}
	errs := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go n.loop(ctx, nil, errs)
	errs <- fsnotify.ErrEventOverflow
	if b := next(t, w); !b.All {
		t.Errorf("batch %+v after an overflow, want All", b)
	}
	if !strings.Contains(logs.String(), "reading the whole site again") {
		t.Errorf("no word of the overflow; logs:\n%s", logs)
	}
	_ = dir
}

// TestWatchSaveIsPrompt: a save is sent once it is whole, after the short
// quiet period, not the long one a burst waits for; a burst waits for the
// long one and is one batch. Burst is set far apart from Quiet so that a
// busy machine cannot blur the two.
func TestWatchSaveIsPrompt(t *testing.T) {
	longWatch(t)
	const burst = 3 * time.Second
	saves := []struct {
		name string
		save func(t *testing.T, file string)
	}{
		{"truncate and write", func(t *testing.T, file string) {
			f, err := os.OpenFile(file, os.O_WRONLY|os.O_TRUNC, 0)
			must(t, err)
			_, err = f.WriteString("---\ntitle: Saved\n---\n")
			must(t, err)
			_, err = f.WriteString("# Saved\n\nIn two writes.\n")
			must(t, err)
			must(t, f.Close())
		}},
		{"write a temporary file, rename it over (vim, backupcopy=no)", func(t *testing.T, file string) {
			dir := filepath.Dir(file)
			must(t, os.WriteFile(filepath.Join(dir, "4913"), nil, 0o644))
			must(t, os.Remove(filepath.Join(dir, "4913")))
			must(t, os.Rename(file, file+"~"))
			must(t, os.WriteFile(file, []byte("# Saved\n"), 0o644))
			must(t, os.Remove(file+"~"))
		}},
		{"write beside, rename over (VS Code, JetBrains)", func(t *testing.T, file string) {
			must(t, os.WriteFile(file+".tmp", []byte("# Saved\n"), 0o644))
			must(t, os.Rename(file+".tmp", file))
		}},
	}
	for _, sv := range saves {
		t.Run(sv.name, func(t *testing.T) {
			dir, w, _ := watching(t, WatchOptions{Burst: burst, MaxDelay: 2 * burst})
			start := time.Now()
			sv.save(t, filepath.Join(dir, filepath.FromSlash(watchedStory)))
			b := next(t, w)
			if took := time.Since(start); took >= burst {
				t.Errorf("the save's batch came after %s: it waited as a burst does", took)
			}
			if !slices.Equal(b.Paths, []string{watchedStory}) {
				t.Errorf("batch %v, want the saved file alone", b.Paths)
			}
		})
	}
	t.Run("burst", func(t *testing.T) {
		dir, w, _ := watching(t, WatchOptions{Burst: burst, MaxDelay: 2 * burst})
		folder := filepath.Join(dir, "content", "backlog", "stories")
		start := time.Now()
		for i := range 20 {
			must(t, os.WriteFile(filepath.Join(folder, fmt.Sprintf("burst-%d.md", i)), []byte("# burst\n"), 0o644))
		}
		b := next(t, w)
		if took := time.Since(start); took < burst {
			t.Errorf("a burst's batch came after %s, before the burst's quiet period", took)
		}
		if len(b.Paths) != 20 {
			t.Errorf("the burst's batch names %d files, want 20", len(b.Paths))
		}
	})
}

// TestWatchGitCheckout: switching branches rewrites many files at once,
// and is a few rebuilds, not hundreds.
func TestWatchGitCheckout(t *testing.T) {
	longWatch(t)
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	dir, w, _ := watching(t, WatchOptions{})
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	folder := filepath.Join(dir, "content", "backlog", "stories", "many")
	must(t, os.MkdirAll(folder, 0o755))
	const n = 1000
	for i := range n {
		must(t, os.WriteFile(filepath.Join(folder, fmt.Sprintf("s-%d.md", i)), []byte("# one\n"), 0o644))
	}
	run("init", "-q", "-b", "one")
	run("add", ".")
	run("commit", "-q", "-m", "one")
	run("checkout", "-q", "-b", "two")
	for i := range n {
		must(t, os.WriteFile(filepath.Join(folder, fmt.Sprintf("s-%d.md", i)), []byte("# two\n"), 0o644))
	}
	run("commit", "-q", "-a", "-m", "two")
	// Drain what the writes above made.
	for {
		select {
		case <-w.Batches():
			continue
		case <-time.After(500 * time.Millisecond):
		}
		break
	}
	run("checkout", "-q", "one")
	got := map[string]bool{}
	batches := 0
	for len(got) < n {
		b := next(t, w)
		batches++
		for _, p := range b.Paths {
			got[p] = true
		}
	}
	t.Logf("git checkout of %d files: %d batches", n, batches)
	if batches > 3 {
		t.Errorf("git checkout of %d files made %d batches, want at most 3", n, batches)
	}
}

// longWatch skips, under -short, a test that waits on the watcher's real
// time for a second or more: the quick run leaves the watcher's timing to
// the full one, which CI runs.
func longWatch(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("waits on the watcher's timing for a second or more; runs without -short")
	}
}
