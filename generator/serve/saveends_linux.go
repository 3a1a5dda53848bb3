//go:build linux

package serve

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// saveEnds tells where an editor's save ends, which fsnotify keeps to
// itself: the close of a file written in place (IN_CLOSE_WRITE), or a
// file renamed into place (IN_MOVED_TO). It watches the notifier's
// folders on an inotify instance of its own, and says too which files
// were created (IN_CREATE), since the close of a new file may be that of
// an editor's temporary file, renamed over the original next. It only
// hints: fsnotify still reports every change, and without the hints (on
// other systems, or out of watches) the watcher waits its quiet period.
type saveEnds struct {
	f   *os.File
	mu  sync.Mutex
	wds map[int]string // watch descriptor → folder
	dir map[string]int
}

const saveEndsMask = unix.IN_CREATE | unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO | unix.IN_EXCL_UNLINK | unix.IN_ONLYDIR

func newSaveEnds() *saveEnds {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil
	}
	// A non-blocking descriptor goes to Go's poller, so that Close ends
	// a read under way.
	return &saveEnds{f: os.NewFile(uintptr(fd), "inotify"), wds: map[int]string{}, dir: map[string]int{}}
}

func (s *saveEnds) add(dir string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if wd, err := unix.InotifyAddWatch(int(s.f.Fd()), dir, saveEndsMask); err == nil {
		s.wds[wd], s.dir[dir] = dir, wd
	}
}

func (s *saveEnds) remove(dir string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if wd, ok := s.dir[dir]; ok {
		_, _ = unix.InotifyRmWatch(int(s.f.Fd()), uint32(wd))
		delete(s.dir, dir)
		delete(s.wds, wd)
	}
}

func (s *saveEnds) close() {
	if s != nil {
		s.f.Close()
	}
}

// run reads events until the instance is closed, and calls send with
// each file's OS path and what happened to it.
func (s *saveEnds) run(send func(name string, how saveEvent)) {
	if s == nil {
		return
	}
	var buf [64 << 10]byte
	for {
		n, err := s.f.Read(buf[:])
		if err != nil {
			if errors.Is(err, os.ErrClosed) {
				return
			}
			if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
				continue
			}
			return
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
			off += unix.SizeofInotifyEvent + int(ev.Len)
			for len(name) > 0 && name[len(name)-1] == 0 {
				name = name[:len(name)-1]
			}
			s.mu.Lock()
			dir, ok := s.wds[int(ev.Wd)]
			if ev.Mask&unix.IN_IGNORED != 0 {
				delete(s.wds, int(ev.Wd))
				if s.dir[dir] == int(ev.Wd) {
					delete(s.dir, dir)
				}
			}
			s.mu.Unlock()
			if !ok || len(name) == 0 || ev.Mask&unix.IN_ISDIR != 0 {
				continue
			}
			var how saveEvent
			switch {
			case ev.Mask&unix.IN_CREATE != 0:
				how = saveCreated
			case ev.Mask&unix.IN_CLOSE_WRITE != 0:
				how = saveClosed
			case ev.Mask&unix.IN_MOVED_TO != 0:
				how = saveMoved
			default:
				continue
			}
			send(filepath.Join(dir, string(name)), how)
		}
	}
}
