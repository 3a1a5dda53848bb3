//go:build unix

package sysfs

import (
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// Dir is a folder that files are read from or written to by names under
// it, with the system calls that takes and no more. os.Open makes four
// more of each file: it sets the file non-blocking, tries to add it to
// the network poller (which refuses regular files) and sets it back; a
// build opens every document and writes every page. The folder is opened
// once, and each file opened from it: the kernel then walks the few
// steps from the folder rather than the whole path from the root, a
// third of opening a file under a deep folder.
type Dir struct {
	Path string // for messages, and where the folder could not be opened
	fd   int    // -1 when not open
}

// OpenDir opens the folder at path; where it cannot, the Dir works by
// whole paths (and its guarded reads fail as the folder's open did).
func OpenDir(path string) Dir {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		switch err {
		case unix.EINTR:
			continue
		case nil:
			return Dir{Path: path, fd: fd}
		}
		return Dir{Path: path, fd: -1}
	}
}

// Opened reports whether the folder itself is open.
func (d Dir) Opened() bool { return d.fd >= 0 }

// Close closes the folder.
func (d Dir) Close() {
	if d.fd >= 0 {
		unix.Close(d.fd)
	}
}

// Unopened is d working by whole paths, as where the folder could not be
// opened: for tests of that path.
func (d Dir) Unopened() Dir { d.Close(); d.fd = -1; return d }

// full is name (an OS path under the folder) from the root, for messages.
func (d Dir) full(name string) string { return d.Path + string(os.PathSeparator) + name }

func (d Dir) open(name string, flags int, perm uint32) (int, error) {
	for {
		var fd int
		var err error
		if d.fd >= 0 {
			fd, err = unix.Openat(d.fd, name, flags|unix.O_CLOEXEC, perm)
		} else {
			fd, err = unix.Open(d.full(name), flags|unix.O_CLOEXEC, perm)
		}
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// openGuarded opens the file name for reading as the package doc says:
// no symbolic link anywhere below the folder, no blocking, a regular
// file of at most limit bytes (limit < 0: no bound). It returns the
// descriptor and the file's size.
func (d Dir) openGuarded(name string, limit int64) (int, int64, error) {
	dirfd := d.fd
	if dirfd < 0 {
		// Resolving the whole path would refuse a link above the site
		// root too, which is the user's to have: open the folder first.
		fd, err := unix.Open(d.Path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1, 0, &fs.PathError{Op: "open", Path: d.Path, Err: err}
		}
		defer unix.Close(fd)
		dirfd = fd
	}
	fd, err := openBeneath(dirfd, name)
	if err != nil {
		if err == unix.ELOOP || err == unix.EMLINK { // EMLINK: the BSDs' O_NOFOLLOW
			err = ErrSymlink
		}
		return -1, 0, &fs.PathError{Op: "open", Path: d.full(name), Err: err}
	}
	var st unix.Stat_t
	for {
		err = unix.Fstat(fd, &st)
		if err != unix.EINTR {
			break
		}
	}
	switch {
	case err != nil:
	case st.Mode&unix.S_IFMT != unix.S_IFREG:
		err = ErrNotRegular
	case limit >= 0 && st.Size > limit:
		err = &TooLargeError{Size: st.Size, Limit: limit}
	}
	if err != nil {
		unix.Close(fd)
		return -1, 0, &fs.PathError{Op: "open", Path: d.full(name), Err: err}
	}
	return fd, st.Size, nil
}

// guardedFlags open a file for reading without blocking (a FIFO would
// wait for a writer, deaf to signals) and without following a final
// symbolic link. O_NONBLOCK is without effect on the regular files that
// are then read.
const guardedFlags = unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_CLOEXEC

// openComponents opens name under dirfd one folder at a time, refusing a
// symbolic link at every step: openat2's RESOLVE_NO_SYMLINKS where the
// system has no openat2.
func openComponents(dirfd int, name string) (int, error) {
	cur := dirfd
	defer func() {
		if cur != dirfd {
			unix.Close(cur)
		}
	}()
	for {
		i := 0
		for i < len(name) && name[i] != os.PathSeparator {
			i++
		}
		if i == len(name) {
			return retry(func() (int, error) { return unix.Openat(cur, name, guardedFlags, 0) })
		}
		part := name[:i]
		name = name[i+1:]
		next, err := retry(func() (int, error) {
			return unix.Openat(cur, part, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		})
		if err != nil {
			if err == unix.ENOTDIR {
				// O_DIRECTORY|O_NOFOLLOW on a link says ENOTDIR on some
				// systems: tell a link apart.
				var st unix.Stat_t
				if unix.Fstatat(cur, part, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
					err = unix.ELOOP
				}
			}
			return -1, err
		}
		if cur != dirfd {
			unix.Close(cur)
		}
		cur = next
	}
}

func retry(open func() (int, error)) (int, error) {
	for {
		fd, err := open()
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// ReadInto appends the contents of the file name to buf, opened as the
// package doc says, with at most limit bytes (limit < 0: no bound).
func (d Dir) ReadInto(name string, buf []byte, limit int64) ([]byte, error) {
	fd, _, err := d.openGuarded(name, limit)
	if err != nil {
		return buf, err
	}
	defer unix.Close(fd)
	buf, err = ReadAllInto(fdReader(fd), buf, limit)
	if err != nil {
		return buf, &fs.PathError{Op: "read", Path: d.full(name), Err: err}
	}
	return buf, nil
}

// Open opens the file name for reading as the package doc says, with at
// most limit bytes, and returns its size. The caller reads at most limit
// bytes of it: a file can grow after it was opened.
func (d Dir) Open(name string, limit int64) (*os.File, int64, error) {
	fd, size, err := d.openGuarded(name, limit)
	if err != nil {
		return nil, 0, err
	}
	return os.NewFile(uintptr(fd), d.full(name)), size, nil
}

// fdReader reads an open file descriptor: an io.Reader without os.File.
type fdReader int

func (fd fdReader) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), p)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Write writes data to a new file name, as os.WriteFile with 0o644 does,
// without following a symbolic link in its place.
func (d Dir) Write(name string, data []byte) error {
	fd, err := d.open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_NOFOLLOW, 0o644)
	if err != nil {
		return &fs.PathError{Op: "open", Path: d.full(name), Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: d.full(name), Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: d.full(name), Err: err}
	}
	return nil
}

// Mkdir makes the folder name, as os.Mkdir with 0o755 does.
func (d Dir) Mkdir(name string) error {
	if d.fd < 0 {
		return os.Mkdir(d.full(name), 0o755)
	}
	for {
		err := unix.Mkdirat(d.fd, name, 0o755)
		switch err {
		case unix.EINTR:
			continue
		case nil:
			return nil
		}
		return &fs.PathError{Op: "mkdir", Path: d.full(name), Err: err}
	}
}
