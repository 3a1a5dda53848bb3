package output

import (
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestStageMountPoint builds into a real mount point, where the system
// allows mounting (as root, outside most CI sandboxes): a tmpfs over the
// output folder. A rename of the folder would fail with EBUSY.
func TestStageMountPoint(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	mkfiles(t, parent, "public/")
	if err := syscall.Mount("tmpfs", out, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root and a sandbox that allows it): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(out, 0) })
	if !isMountPoint(out) {
		t.Fatalf("%s is not seen as a mount point", out)
	}
	for i := range 2 {
		lock, err := Acquire(t.Context(), out, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := Stage(out)
		if err != nil {
			t.Fatal(err)
		}
		mkfiles(t, st.Dir, "index.html", strings.Repeat("x", i+1)+".html")
		if err := st.Commit(); err != nil {
			t.Fatalf("build %d: Commit: %v", i, err)
		}
		lock.Release()
	}
	want := []string{"./", Marker, "index.html", "xx.html"}
	if got := listing(t, out); !slices.Equal(got, want) {
		t.Errorf("after two builds: %q, want %q", got, want)
	}
	if !isMountPoint(out) {
		t.Errorf("%s is no longer the mount point", out)
	}
}
