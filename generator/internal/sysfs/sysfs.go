// Package sysfs is how productdocs touches the files of a site and of
// its output: the raw system calls behind the generator's reads and
// writes, kept here, away from the facade that calls them.
//
// Every file of a site is read through one guarded open (Dir.Open,
// Dir.ReadInto): it follows no symbolic link anywhere below the folder
// it is opened from, opens without blocking (a FIFO does not hang the
// read, nor Ctrl-C), and takes regular files only, of at most a size the
// caller names. What it refuses is an error that wraps ErrRefused and
// says why, for the caller to turn into a diagnostic naming the file.
package sysfs

import (
	"errors"
	"fmt"
	"io"
)

// ErrRefused is wrapped by every error that refuses a file for what it
// is, rather than failing to read it.
var ErrRefused = errors.New("refused")

var (
	// ErrSymlink refuses a symbolic link: a link may lead out of the
	// site (to /etc/passwd, /proc/self/environ or /dev/zero), and what a
	// site is, is what is really below its root.
	ErrSymlink error = refusal("it is a symbolic link, or lies in a folder that is one; symbolic links are not followed")
	// ErrNotRegular refuses a FIFO, a socket or a device.
	ErrNotRegular error = refusal("it is not a regular file")
)

// Refuse is an error that refuses a file for the reason why: it is
// ErrRefused.
func Refuse(why string) error { return refusal(why) }

// refusal is an error that says why a file is refused; it is ErrRefused.
type refusal string

func (r refusal) Error() string      { return string(r) }
func (refusal) Is(target error) bool { return target == ErrRefused }

// TooLargeError refuses a file larger than the bound its caller set.
type TooLargeError struct {
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("it is larger than %s, the most such a file may be", Size(e.Limit))
}

// Is makes errors.Is(err, ErrRefused) hold.
func (e *TooLargeError) Is(target error) bool { return target == ErrRefused }

// Size writes a size in bytes for people: "16 MB", "512 KB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadAllInto appends what r reads, to its end, to buf, refusing more
// than limit bytes (limit < 0: no bound): a file can grow after its size
// was looked at.
func ReadAllInto(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	start := len(buf)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if limit >= 0 && int64(len(buf)-start) > limit {
			return buf[:start], &TooLargeError{Size: int64(len(buf) - start), Limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
