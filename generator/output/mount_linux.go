package output

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// isMountPoint reports whether the folder dir is the root of a mount:
// statx says so where the kernel has STATX_ATTR_MOUNT_ROOT (5.8); else a
// folder on another device than its parent's is one (which misses a bind
// mount of the same file system, whose swap then fails with a message).
func isMountPoint(dir string) bool {
	var st unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, dir, unix.AT_SYMLINK_NOFOLLOW, unix.STATX_BASIC_STATS, &st); err == nil &&
		st.Attributes_mask&unix.STATX_ATTR_MOUNT_ROOT != 0 {
		return st.Attributes&unix.STATX_ATTR_MOUNT_ROOT != 0
	}
	var a, b unix.Stat_t
	if unix.Lstat(dir, &a) != nil || unix.Stat(filepath.Dir(dir), &b) != nil {
		return false
	}
	return a.Dev != b.Dev
}
