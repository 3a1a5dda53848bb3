//go:build unix

package generator

import (
	"io"
	"io/fs"

	"golang.org/x/sys/unix"
)

// readRaw appends the contents of the file at path to buf, with the three
// system calls that takes. os.Open makes four more of each file: it sets
// the file non-blocking, tries to add it to the network poller (which
// refuses regular files) and sets it back; a build opens every document
// and writes every page.
//
// A symbolic link is not followed: the site's files were listed as
// regular files, and one replaced since is not read through.
func readRaw(path string, buf []byte) ([]byte, error) {
	fd, err := openRaw(path, unix.O_RDONLY|unix.O_NOFOLLOW, 0)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer unix.Close(fd)
	buf, err = readAllInto(fdReader(fd), buf)
	if err != nil {
		return buf, &fs.PathError{Op: "read", Path: path, Err: err}
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

// writeRaw writes data to a new file at path, as os.WriteFile with 0o644
// does, without os.File's calls around the write (see readRaw).
func writeRaw(path string, data []byte) error {
	fd, err := openRaw(path, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC, 0o644)
	if err != nil {
		return &fs.PathError{Op: "open", Path: path, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: path, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: path, Err: err}
	}
	return nil
}

func openRaw(path string, flags int, perm uint32) (int, error) {
	for {
		fd, err := unix.Open(path, flags|unix.O_CLOEXEC, perm)
		if err != unix.EINTR {
			return fd, err
		}
	}
}
