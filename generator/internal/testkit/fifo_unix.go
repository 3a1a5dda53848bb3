//go:build unix

package testkit

import (
	"path/filepath"
	"syscall"
	"testing"
)

// FIFOs makes a named pipe at each name (a slash path under root), which
// a reader that opens it without care waits on for ever. Where the system
// cannot make them the test is skipped, saying so.
func FIFOs(t testing.TB, root string, names ...string) {
	t.Helper()
	for _, name := range names {
		if err := syscall.Mkfifo(filepath.Join(root, filepath.FromSlash(name)), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
}
