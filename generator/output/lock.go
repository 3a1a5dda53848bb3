package output

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// Lock is a build's hold on an output folder: two builds into one folder
// at once would clear each other's staging folders and swap in turn.
type Lock struct{ f *os.File }

// lockTarget is the folder whose lock stands for the output folder out:
// the folder that holds it, which a build never replaces (out itself is
// swapped, and a lock on it would be on the folder swapped out), or out
// where it is a mount point, which a build never swaps. No file is made
// for it. Builds into two output folders side by side take turns too.
func lockTarget(out string) string {
	out = filepath.Clean(out)
	if fi, err := os.Lstat(out); err == nil && fi.IsDir() && mountPoint(out) {
		return out
	}
	return filepath.Dir(out)
}

// Acquire takes the lock of the output folder out, waiting while another
// build holds it: wait, when set, is called once if it must. It returns
// ctx's error when ctx ends first. The lock is the system's (flock on the
// folder), so a build that is killed lets go of it.
func Acquire(ctx context.Context, out string, wait func()) (*Lock, error) {
	p := lockTarget(out)
	if err := os.MkdirAll(p, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	waited := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			return &Lock{f}, nil
		}
		if !waited && wait != nil {
			wait()
		}
		waited = true
		// Polled rather than blocked on: a blocking flock would not
		// notice Ctrl-C.
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Release lets go of the lock.
func (l *Lock) Release() {
	if l != nil && l.f != nil {
		unlock(l.f)
		l.f.Close()
	}
}
