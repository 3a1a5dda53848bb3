package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// faultSite is a starter site with a real watcher and a preview over it;
// the test passes the watcher's batches to the preview.
func faultSite(t *testing.T) (string, *Watcher, *preview) {
	t.Helper()
	dir, w, _ := watching(t, WatchOptions{})
	p, out := testPreview(t, dir)
	t.Cleanup(func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("the preview said:\n%s", out.String())
		}
	})
	return dir, w, p
}

// apply rebuilds p for paths, as Run does for a batch: an error (the site
// could not be read) leaves the last good build served.
func apply(t *testing.T, p *preview, paths []string) error {
	t.Helper()
	return p.rebuild(context.Background(), Batch{Paths: paths})
}

// serving checks that the preview answers GET / with 200 and returns the
// body of target.
func serving(t *testing.T, p *preview, target string) string {
	t.Helper()
	if w := get(p.h, "GET", "/", "127.0.0.1:1313"); w.Code != 200 {
		t.Fatalf("GET /: status %d", w.Code)
	}
	w := get(p.h, "GET", target, "127.0.0.1:1313")
	return fmt.Sprintf("%d %s", w.Code, w.Body.String())
}

func TestFaultContentFolderRecreated(t *testing.T) {
	longWatch(t)
	dir, w, p := faultSite(t)
	contentDir := filepath.Join(dir, "content")
	fresh := filepath.Join(starter(t), "content")
	story := filepath.Join(fresh, "backlog", "stories", "story-1.md")
	b, err := os.ReadFile(story)
	must(t, err)
	must(t, os.WriteFile(story, []byte(strings.Replace(string(b), "so that I pay faster.", "so that I pay in one go.", 1)), 0o644))

	must(t, os.RemoveAll(contentDir))
	got := settle(t, w)
	if !slices.Contains(got, "content") {
		t.Errorf("removing content/: changes %v do not name it", got)
	}
	if err := apply(t, p, got); err != nil {
		t.Logf("rebuild without content/: %v", err)
	}
	t.Logf("without content/, the story's page: %.3s", serving(t, p, "/backlog/story-1/"))

	must(t, os.Rename(fresh, contentDir))
	got = settle(t, w)
	if !slices.Contains(got, "content") || !slices.Contains(got, watchedStory) {
		t.Errorf("recreating content/: changes %v do not name it and its files", got)
	}
	if err := apply(t, p, got); err != nil {
		t.Fatalf("rebuild with content/ back: %v", err)
	}
	if body := serving(t, p, "/backlog/story-1/"); !strings.HasPrefix(body, "200 ") || !strings.Contains(body, "so that I pay in one go.") {
		t.Errorf("the new content is not served: %.200s", body)
	}
	// The new folder is watched.
	edit(t, dir, watchedStory, "so that I pay in one go.", "so that I pay at once.")
	got = settle(t, w)
	if !slices.Equal(got, []string{watchedStory}) {
		t.Errorf("an edit in the recreated folder: changes %v", got)
	}
	must(t, apply(t, p, got))
	if body := serving(t, p, "/backlog/story-1/"); !strings.Contains(body, "so that I pay at once.") {
		t.Errorf("the edit is not served: %.200s", body)
	}
}

func TestFaultFileBecomesFolder(t *testing.T) {
	longWatch(t)
	dir, w, p := faultSite(t)
	file := filepath.Join(dir, filepath.FromSlash(watchedStory))
	old, err := os.ReadFile(file)
	must(t, err)
	before := serving(t, p, "/backlog/story-1/")

	must(t, os.Remove(file))
	must(t, os.MkdirAll(file, 0o755))
	inner := watchedStory + "/inner.md"
	writeFile(t, dir, inner, strings.Replace(string(old), "so that I pay faster.", "so that I pay from a folder.", 1))
	got := settle(t, w)
	if !slices.Contains(got, watchedStory) {
		t.Errorf("file to folder: changes %v do not name it", got)
	}
	if !slices.Contains(got, inner) {
		t.Errorf("file to folder: changes %v do not name the file inside", got)
	}
	if err := apply(t, p, got); err != nil {
		t.Logf("rebuild: %v", err)
	}
	after := serving(t, p, "/backlog/story-1/")
	t.Logf("with a folder in the file's place, the story's page is the new one: %t, the last good one: %t",
		strings.Contains(after, "so that I pay from a folder."), after == before)
	if after != before && !strings.Contains(after, "so that I pay from a folder.") {
		t.Errorf("the story's page is neither the last good one nor the new one: %.200s", after)
	}

	// The new folder is watched, and a fix there is served: one folder
	// deeper, the story's relative link needs another "../".
	writeFile(t, dir, inner, strings.NewReplacer("so that I pay faster.", "so that I pay from a folder.",
		"](../epics/", "](../../epics/").Replace(string(old)))
	got = settle(t, w)
	if !slices.Equal(got, []string{inner}) {
		t.Errorf("an edit in the new folder: changes %v", got)
	}
	must(t, apply(t, p, got))
	if body := serving(t, p, "/backlog/story-1/"); !strings.Contains(body, "so that I pay from a folder.") {
		t.Errorf("the document in the new folder is not served: %.200s", body)
	}

	inner2 := watchedStory + "/inner-2.md"
	writeFile(t, dir, inner2, "# two\n")
	if got := settle(t, w); !slices.Contains(got, inner2) {
		t.Errorf("a file in the new folder: changes %v", got)
	}
	must(t, os.Remove(filepath.Join(dir, filepath.FromSlash(inner2))))
	if got := settle(t, w); !slices.Contains(got, inner2) {
		t.Errorf("a file removed from the new folder: changes %v", got)
	}

	// And back to a file.
	must(t, os.RemoveAll(file))
	must(t, os.WriteFile(file, []byte(strings.Replace(string(old), "so that I pay faster.", "so that I pay as a file again.", 1)), 0o644))
	got = settle(t, w)
	if !slices.Contains(got, watchedStory) {
		t.Errorf("folder to file: changes %v", got)
	}
	must(t, apply(t, p, got))
	if body := serving(t, p, "/backlog/story-1/"); !strings.Contains(body, "so that I pay as a file again.") {
		t.Errorf("the file is not served again: %.200s", body)
	}
}

func TestFaultBurstOfTenThousandWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("a burst of 10,000 files")
	}
	dir, w, _ := watching(t, WatchOptions{})
	folder := filepath.Join(dir, "content", "backlog", "stories")
	const n = 10000
	want := make(map[string]bool, n)
	for i := range n {
		name := fmt.Sprintf("burst-%d.md", i)
		must(t, os.WriteFile(filepath.Join(folder, name), []byte("# burst\n"), 0o644))
		want["content/backlog/stories/"+name] = true
	}
	seen := map[string]bool{}
	batches, all := 0, false
	deadline := time.Now().Add(20 * time.Second)
	for len(seen) < n && !all && time.Now().Before(deadline) {
		b := next(t, w)
		batches++
		all = all || b.All
		for _, p := range b.Paths {
			if want[p] {
				seen[p] = true
			}
		}
	}
	for {
		select {
		case b := <-w.Batches():
			batches++
			all = all || b.All
			for _, p := range b.Paths {
				if !want[p] {
					t.Errorf("a batch after the burst names %s, which was not written", p)
				}
				seen[p] = true
			}
			continue
		case <-time.After(300 * time.Millisecond):
		}
		break
	}
	t.Logf("%d files written, %d batches, %d paths seen, read everything: %t", n, batches, len(seen), all)
	// When the system's queue overflows the batch says to read
	// everything, which loses nothing either.
	if len(seen) < n && !all {
		t.Errorf("%d of %d files written were seen, and no batch says to read everything", len(seen), n)
	}
	if batches > 10 {
		t.Errorf("%d files written in a burst made %d batches, want at most 10", n, batches)
	}
}

func TestFaultPermissionFlips(t *testing.T) {
	dir, w, p := faultSite(t)
	file := filepath.Join(dir, filepath.FromSlash(watchedStory))
	before := serving(t, p, "/backlog/story-1/")

	must(t, os.Chmod(file, 0o000))
	t.Cleanup(func() { _ = os.Chmod(file, 0o644) })
	if _, err := os.ReadFile(file); err == nil {
		t.Log("the file is still readable (running as root): the unreadable part is skipped")
	} else {
		// Chmod alone is no change to the watcher; a save while unreadable is.
		if err := apply(t, p, []string{watchedStory}); err != nil {
			t.Logf("rebuild of an unreadable file: %v", err)
		}
		if after := serving(t, p, "/backlog/story-1/"); after != before {
			t.Errorf("an unreadable file changed the served page: %.200s", after)
		}
	}
	serving(t, p, "/")

	must(t, os.Chmod(file, 0o644))
	edit(t, dir, watchedStory, "so that I pay faster.", "so that I pay after a chmod.")
	got := settle(t, w)
	if !slices.Contains(got, watchedStory) {
		t.Errorf("an edit after the chmod: changes %v", got)
	}
	// The batch, as Run passes it on.
	if err := p.rebuild(context.Background(), Batch{Paths: got}); err != nil {
		t.Fatal(err)
	}
	if body := serving(t, p, "/backlog/story-1/"); !strings.Contains(body, "so that I pay after a chmod.") {
		t.Errorf("the edit is not served: %.200s", body)
	}
}
