package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// asMountPoint has every folder taken for a mount point for the test's
// length, as where the output folder is a container's volume.
func asMountPoint(t *testing.T) {
	t.Helper()
	mountPoint = func(string) bool { return true }
	t.Cleanup(func() { mountPoint = isMountPoint })
}

// TestStageInPlace builds twice into an output folder that cannot be
// swapped, and aborts a third: the staging folder is inside the output,
// a commit leaves exactly the new build's files, and nothing of ours
// stays behind.
func TestStageInPlace(t *testing.T) {
	asMountPoint(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mkfiles(t, parent, "public/") // an empty volume
	for i, files := range [][]string{
		{"index.html", "old/index.html"},
		{"index.html", "new/index.html", "z.css"},
	} {
		st, err := Stage(out)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(st.Dir) != out {
			t.Errorf("build %d: staging folder %s is not inside %s", i, st.Dir, out)
		}
		mkfiles(t, st.Dir, files...)
		if err := st.Commit(); err != nil {
			t.Fatalf("build %d: Commit: %v", i, err)
		}
	}
	want := []string{"./", Marker, "index.html", "new/", "new/index.html", "z.css"}
	if got := listing(t, out); !slices.Equal(got, want) {
		t.Errorf("after two builds: %q, want %q", got, want)
	}
	st, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	mkfiles(t, st.Dir, "broken.html")
	st.Abort()
	if got := listing(t, out); !slices.Equal(got, want) {
		t.Errorf("after an aborted build: %q, want %q", got, want)
	}
	if err := Check(filepath.Join(parent, "site"), out); err != nil {
		t.Errorf("Check of the output: %v", err)
	}
}

// TestStageInPlaceRenameFails makes one rename of the swap fail, at each
// step in turn: the previous output must come back whole, and nothing of
// the failed build stay.
func TestStageInPlaceRenameFails(t *testing.T) {
	asMountPoint(t)
	for fail := 1; fail <= 5; fail++ {
		parent := t.TempDir()
		out := filepath.Join(parent, "public")
		mkfiles(t, parent, "public/"+Marker, "public/index.html", "public/a/index.html", "public/b.css")
		before := listing(t, out)
		st, err := Stage(out)
		if err != nil {
			t.Fatal(err)
		}
		mkfiles(t, st.Dir, "index.html", "c/index.html")
		var n atomic.Int32
		rename = func(a, b string) error {
			if n.Add(1) == int32(fail) {
				return &os.LinkError{Op: "rename", Old: a, New: b, Err: syscall.EXDEV}
			}
			return os.Rename(a, b)
		}
		err = st.Commit()
		rename = os.Rename
		if !errors.Is(err, syscall.EXDEV) {
			t.Errorf("rename %d failing: Commit = %v, want the failure", fail, err)
		}
		if got := listing(t, out); !slices.Equal(got, before) {
			t.Errorf("rename %d failing: the output holds %q, want %q as before", fail, got, before)
		}
		b, _ := os.ReadFile(filepath.Join(out, "index.html"))
		if string(b) != "public/index.html" {
			t.Errorf("rename %d failing: index.html holds %q", fail, b)
		}
	}
}

// TestAcquire takes an output folder's lock twice: the second waits,
// says so once, and gets it when the first lets go; a second that is
// cancelled while waiting returns at once.
func TestAcquire(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first, err := Acquire(t.Context(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	var waits atomic.Int32
	got := make(chan error, 1)
	go func() {
		l, err := Acquire(t.Context(), out, func() { waits.Add(1) })
		l.Release()
		got <- err
	}()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-got:
		t.Fatalf("the second took the lock while the first held it (%v)", err)
	default:
	}
	first.Release()
	select {
	case err := <-got:
		if err != nil || waits.Load() != 1 {
			t.Errorf("second: %v after %d calls of wait, want the lock after one", err, waits.Load())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second never got the lock")
	}

	held, err := Acquire(t.Context(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := Acquire(ctx, out, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a cancelled wait: %v", err)
	}
}
