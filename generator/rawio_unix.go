//go:build unix

package generator

import (
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// rawDir is a folder that files are read from or written to by names
// under it, with the system calls that takes and no more. os.Open makes
// four more of each file: it sets the file non-blocking, tries to add it
// to the network poller (which refuses regular files) and sets it back;
// a build opens every document and writes every page. The folder is
// opened once, and each file opened from it: the kernel then walks the
// few steps from the folder rather than the whole path from the root,
// a third of opening a file under a deep folder.
type rawDir struct {
	path string // for messages, and where the folder could not be opened
	fd   int    // -1 when not open
}

// openRawDir opens the folder at path; where it cannot, the rawDir works
// by whole paths.
func openRawDir(path string) rawDir {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		switch err {
		case unix.EINTR:
			continue
		case nil:
			return rawDir{path: path, fd: fd}
		}
		return rawDir{path: path, fd: -1}
	}
}

func (d rawDir) close() {
	if d.fd >= 0 {
		unix.Close(d.fd)
	}
}

// full is name (an OS path under the folder) from the root, for messages.
func (d rawDir) full(name string) string { return d.path + string(os.PathSeparator) + name }

func (d rawDir) open(name string, flags int, perm uint32) (int, error) {
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

// read appends the contents of the file name to buf. A symbolic link is
// not followed: the site's files were listed as regular files, and one
// replaced since is not read through.
func (d rawDir) read(name string, buf []byte) ([]byte, error) {
	fd, err := d.open(name, unix.O_RDONLY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: d.full(name), Err: err}
	}
	defer unix.Close(fd)
	buf, err = readAllInto(fdReader(fd), buf)
	if err != nil {
		return buf, &fs.PathError{Op: "read", Path: d.full(name), Err: err}
	}
	return buf, nil
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

// write writes data to a new file name, as os.WriteFile with 0o644 does.
func (d rawDir) write(name string, data []byte) error {
	fd, err := d.open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644)
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

// mkdir makes the folder name, as os.Mkdir with 0o755 does.
func (d rawDir) mkdir(name string) error {
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
