package serve

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"productdocs/generator/config"
	"productdocs/generator/content"
	"productdocs/generator/model"
)

// Batch is the changes of a quiet period, for one rebuild: a
// model.Change with its Paths and All set, which the load completes.
type Batch = model.Change

// WatchOptions are how a Watcher watches.
type WatchOptions struct {
	// Quiet is how long no event may arrive before a batch of a few files
	// is sent. An editor's save is a few events within a millisecond or
	// two (a write, or a temporary file renamed over the original), so a
	// short wait sees it whole and the rebuild starts as soon as the save
	// is done. Zero means 10 ms.
	Quiet time.Duration
	// Burst is the quiet period once a batch names more than burstPaths
	// files: a git checkout, a search and replace, a folder copied in.
	// Such a stream can pause longer between two files than a save does,
	// and one rebuild of all of it is what the user wants. Zero means
	// 60 ms.
	Burst time.Duration
	// Settle is how long a batch of a few files waits once the system
	// says a save ended (a file written in place was closed, or a file
	// was renamed into place; Linux only, see saveEnds): enough for the
	// save's other events, already on their way, to join it. Zero means
	// 1 ms.
	Settle time.Duration
	// MaxDelay bounds how long a stream of events holds a batch back. Zero
	// means 1 s.
	MaxDelay time.Duration
	// Poll, when set, walks the site every PollInterval and compares
	// sizes and times instead of asking the system for events: for
	// network and container file systems whose events do not arrive.
	Poll         bool
	PollInterval time.Duration // zero means 500 ms
	// Log, when set, receives what the user should know: a fall back to
	// polling, an overflow.
	Log func(msg string)

	// add replaces the watcher's Add, for tests to run out of watches.
	add func(w *fsnotify.Watcher, dir string) error
}

// Watcher watches a site's content/, templates/ and productdocs.yaml and
// sends their changes in batches.
type Watcher struct {
	root    string
	o       WatchOptions
	raw     chan change
	batches chan Batch
	done    chan struct{}
	wg      sync.WaitGroup
}

type change struct {
	path string // slash path from the root
	all  bool
	how  saveEvent
}

// saveEvent is what saveEnds says of a file, beside fsnotify's events.
type saveEvent uint8

const (
	saveCreated saveEvent = iota + 1 // a new file
	saveClosed                       // a file written was closed
	saveMoved                        // a file was renamed into place
)

// Watch starts watching the site whose root is the OS folder root, until
// ctx is done; then the Batches channel is closed.
func Watch(ctx context.Context, root string, o WatchOptions) (*Watcher, error) {
	if o.Quiet == 0 {
		o.Quiet = 10 * time.Millisecond
	}
	if o.Burst == 0 {
		o.Burst = 60 * time.Millisecond
	}
	if o.Settle == 0 {
		o.Settle = time.Millisecond
	}
	if o.MaxDelay == 0 {
		o.MaxDelay = time.Second
	}
	if o.PollInterval == 0 {
		o.PollInterval = 500 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = func(string) {}
	}
	if o.add == nil {
		o.add = func(w *fsnotify.Watcher, dir string) error { return w.Add(dir) }
	}
	w := &Watcher{root: root, o: o, raw: make(chan change, 256), batches: make(chan Batch), done: make(chan struct{})}
	var fw *fsnotify.Watcher
	if !o.Poll {
		var err error
		if fw, err = fsnotify.NewWatcher(); err != nil {
			o.Log("cannot watch for file system events (" + err.Error() + "); polling for changes every " + o.PollInterval.String() + " instead")
			fw = nil
		}
	}
	// The first walk is made before Watch returns, so that a change made
	// as soon as it does is one.
	poll := func() func(context.Context) {
		last := w.scan()
		return func(ctx context.Context) { w.poll(ctx, last) }
	}
	var watch func(context.Context)
	if fw == nil {
		watch = poll()
	} else {
		n := &notifier{w: w, fw: fw, dirs: map[string]bool{}, ends: newSaveEnds()}
		watch = n.run
		if err := n.start(); err != nil {
			fw.Close()
			n.ends.close()
			if !n.tooMany(err) {
				return nil, err
			}
			watch = poll()
		}
	}
	w.wg.Go(func() { w.batch(ctx) })
	w.wg.Go(func() { watch(ctx) })
	go func() {
		w.wg.Wait()
		close(w.done)
	}()
	return w, nil
}

// Batches sends each batch of changes; it is closed when watching stops.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Done is closed once watching has stopped and the system's watches are
// closed.
func (w *Watcher) Done() <-chan struct{} { return w.done }

// send passes a change to the batcher, unless watching is over.
func (w *Watcher) send(ctx context.Context, c change) {
	select {
	case w.raw <- c:
	case <-ctx.Done():
	}
}

// burstPaths is the most files a batch names and still waits only Quiet:
// a save names one, or two when the editor renames a file of the site.
const burstPaths = 4

// batch gathers changes until none has come for the quiet period (Quiet,
// or Burst once the batch names more than burstPaths files), or the first
// has waited MaxDelay; then it holds the batch until the rebuilder takes
// it, adding what comes meanwhile. A batch of a few files whose saves
// have all ended, as far as the system says (saveEnds), waits only
// Settle: the file closed after writing in place, or renamed into place.
// The close of a file created in the batch ends nothing, since it may be
// an editor's temporary file about to be renamed over the original.
func (w *Watcher) batch(ctx context.Context) {
	defer close(w.batches)
	pending := map[string]bool{}
	created := map[string]bool{}
	ended := false // every file of the batch has had its save end
	all := false
	var first time.Time
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	ready := false
	for {
		var out chan<- Batch
		var b Batch
		if ready {
			out = w.batches
			b = Batch{Paths: slices.Sorted(maps.Keys(pending)), All: all}
		}
		select {
		case <-ctx.Done():
			return
		case c := <-w.raw:
			fresh := c.all || !pending[c.path]
			if c.all {
				all = true
			} else {
				pending[c.path] = true
			}
			if c.how == saveCreated {
				created[c.path] = true
			}
			end := c.how == saveMoved || (c.how == saveClosed && !created[c.path])
			if fresh {
				ended = false
			}
			if end {
				ended = true
			}
			now := time.Now()
			if first.IsZero() {
				first = now
			}
			wait := w.o.Quiet
			switch {
			case all || len(pending) > burstPaths:
				wait = w.o.Burst
			case end:
				wait = w.o.Settle
			case ended:
				// Another event of a file whose save has ended: the
				// batch is due, or ready, as it was.
				continue
			}
			ready = false
			quiet.Reset(min(wait, max(0, first.Add(w.o.MaxDelay).Sub(now))))
		case <-quiet.C:
			ready = len(pending) > 0 || all
		case out <- b:
			clear(pending)
			clear(created)
			all, ready, ended, first = false, false, false, time.Time{}
		}
	}
}

// relevant returns the slash path from the root of an OS path, and
// whether a change there matters to the site: the settings, templates/
// and its files, content/ and everything under it that a build reads.
func (w *Watcher) relevant(name string) (string, bool) {
	rel, err := filepath.Rel(w.root, name)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	top, rest, _ := strings.Cut(rel, "/")
	switch top {
	case config.File:
		return rel, rest == ""
	case "templates":
		// Templates are the files of templates/ itself; an editor's
		// temporary file there is no template, though _name.html is.
		if rest == "" {
			return rel, true
		}
		return rel, !strings.Contains(rest, "/") && !strings.HasPrefix(rest, ".") && (rest[0] == '_' || !content.Ignored(rest))
	case content.Dir:
		for _, name := range strings.Split(rest, "/") {
			if rest != "" && content.Ignored(name) {
				return rel, false
			}
		}
		return rel, true
	}
	return rel, false
}

// notifier watches with the system's file events (inotify on Linux),
// which do not watch folders below the ones asked for: it adds every
// folder under content/ as it appears.
type notifier struct {
	w    *Watcher
	fw   *fsnotify.Watcher
	dirs map[string]bool // OS paths of the watched folders
	ends *saveEnds       // nil where the system does not say
}

func (n *notifier) start() error {
	if err := n.add(n.w.root); err != nil {
		return err
	}
	if err := n.add(filepath.Join(n.w.root, "templates")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	_, err := n.addTree(filepath.Join(n.w.root, content.Dir), nil)
	return err
}

func (n *notifier) add(dir string) error {
	if err := n.w.o.add(n.fw, dir); err != nil {
		return err
	}
	n.dirs[dir] = true
	n.ends.add(dir)
	return nil
}

// addTree watches dir and every folder below it that a build reads. It
// calls found for every file and folder under dir, since some may have
// been made before their folder was watched.
func (n *notifier) addTree(dir string, found func(string)) (bool, error) {
	added := false
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone already; its removal is an event of its own
			}
			return err
		}
		if _, ok := n.w.relevant(p); !ok {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if p != dir && found != nil {
			found(p)
		}
		if d.IsDir() {
			if err := n.add(p); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return filepath.SkipDir
				}
				return err
			}
			added = true
		}
		return nil
	})
	return added, err
}

// tooMany reports whether err means the system's watches ran out, and if
// so says so and what happens instead.
func (n *notifier) tooMany(err error) bool {
	if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EMFILE) {
		return false
	}
	n.w.o.Log("too many folders to watch for changes (see the fs.inotify.max_user_watches setting): " +
		"polling for changes every " + n.w.o.PollInterval.String() + " instead")
	return true
}

func (n *notifier) run(ctx context.Context) {
	defer n.fw.Close()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer n.ends.close()
	wg.Go(func() {
		n.ends.run(func(name string, how saveEvent) {
			if rel, ok := n.w.relevant(name); ok {
				n.w.send(ctx, change{path: rel, how: how})
			}
		})
	})
	n.loop(ctx, n.fw.Events, n.fw.Errors)
}

// loop handles events and errors until ctx is done.
func (n *notifier) loop(ctx context.Context, events <-chan fsnotify.Event, errs <-chan error) {
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-errs:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				n.w.o.Log("too many file changes at once for the system to report them all: reading the whole site again")
				n.w.send(ctx, change{all: true})
				continue
			}
			n.w.o.Log("watching for changes: " + err.Error())
		case ev, ok := <-events:
			if !ok {
				return
			}
			if !n.event(ctx, ev) {
				// Out of watches: poll instead, and read everything once,
				// since the folder that could not be watched has news.
				n.fw.Close()
				last := n.w.scan()
				n.w.send(ctx, change{all: true})
				n.w.poll(ctx, last)
				return
			}
		}
	}
}

// event handles one file event. It returns false when the watches ran
// out.
func (n *notifier) event(ctx context.Context, ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod || ev.Name == n.w.root {
		return true // chmod alone changes nothing a build reads
	}
	rel, ok := n.w.relevant(ev.Name)
	if !ok {
		return true
	}
	if ev.Op.Has(fsnotify.Remove) || ev.Op.Has(fsnotify.Rename) {
		// A folder that went away: stop watching it and what was below.
		for d := range n.dirs {
			if d == ev.Name || strings.HasPrefix(d, ev.Name+string(filepath.Separator)) {
				_ = n.fw.Remove(d) // the system may have dropped it already
				n.ends.remove(d)
				delete(n.dirs, d)
			}
		}
	}
	n.w.send(ctx, change{path: rel})
	if ev.Op.Has(fsnotify.Create) && (rel == content.Dir || rel == "templates" || strings.HasPrefix(rel, content.Dir+"/")) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			var err error
			if rel == "templates" {
				err = n.add(ev.Name)
			} else {
				_, err = n.addTree(ev.Name, func(p string) {
					if r, ok := n.w.relevant(p); ok {
						n.w.send(ctx, change{path: r})
					}
				})
			}
			if err != nil && n.tooMany(err) {
				return false
			}
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				n.w.o.Log("watching " + rel + ": " + err.Error())
			}
		}
	}
	return true
}

// stamp is what polling compares: a file changed when its size or time
// did. Folders are left out: a file that comes or goes is news of its
// own, and an editor's temporary file changes its folder's time.
type stamp struct {
	size int64
	mod  time.Time
}

// poll walks the site every PollInterval and reports what differs from
// the walk before.
func (w *Watcher) poll(ctx context.Context, last map[string]stamp) {
	t := time.NewTicker(w.o.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := w.scan()
		for p, s := range now {
			if old, ok := last[p]; !ok || old != s {
				w.send(ctx, change{path: p})
			}
		}
		for p := range last {
			if _, ok := now[p]; !ok {
				w.send(ctx, change{path: p})
			}
		}
		last = now
	}
}

// scan lists what a build reads, by slash path from the root.
func (w *Watcher) scan() map[string]stamp {
	m := map[string]stamp{}
	note := func(p string, fi fs.FileInfo) {
		if rel, ok := w.relevant(p); ok && !fi.IsDir() {
			m[rel] = stamp{fi.Size(), fi.ModTime()}
		}
	}
	if fi, err := os.Stat(filepath.Join(w.root, config.File)); err == nil {
		note(filepath.Join(w.root, config.File), fi)
	}
	if entries, err := os.ReadDir(filepath.Join(w.root, "templates")); err == nil {
		for _, e := range entries {
			if fi, err := e.Info(); err == nil {
				note(filepath.Join(w.root, "templates", e.Name()), fi)
			}
		}
	}
	_ = filepath.WalkDir(filepath.Join(w.root, content.Dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if _, ok := w.relevant(p); !ok {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if fi, err := d.Info(); err == nil {
			note(p, fi)
		}
		return nil
	})
	return m
}
