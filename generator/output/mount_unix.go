//go:build unix && !linux

package output

import (
	"os"
	"path/filepath"
	"syscall"
)

// isMountPoint reports whether the folder dir is on another device than
// its parent.
func isMountPoint(dir string) bool {
	a, err := os.Lstat(dir)
	if err != nil {
		return false
	}
	b, err := os.Stat(filepath.Dir(dir))
	if err != nil {
		return false
	}
	sa, ok1 := a.Sys().(*syscall.Stat_t)
	sb, ok2 := b.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && sa.Dev != sb.Dev
}
