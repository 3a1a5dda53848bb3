package sysfs

import (
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// noOpenat2 is set once openat2 is known to be missing (Linux before 5.6)
// or forbidden (some container sandboxes' seccomp filters).
var noOpenat2 atomic.Bool

// openBeneath opens name under dirfd for reading, following no symbolic
// link on the way: one openat2 call where the kernel has it.
func openBeneath(dirfd int, name string) (int, error) {
	if !noOpenat2.Load() {
		how := &unix.OpenHow{
			Flags:   uint64(guardedFlags),
			Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS | unix.RESOLVE_BENEATH,
		}
		for tries := 0; ; tries++ {
			fd, err := unix.Openat2(dirfd, name, how)
			switch {
			case err == unix.EINTR, err == unix.EAGAIN && tries < 16: // EAGAIN: a rename raced the lookup
				continue
			case err == unix.ENOSYS || err == unix.EPERM:
				noOpenat2.Store(true)
			default:
				return fd, err
			}
			break
		}
	}
	return openComponents(dirfd, name)
}
