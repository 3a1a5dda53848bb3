// Package output writes a build's files into a folder all at once: the
// files go to a fresh folder beside the output, which then takes the
// output's place, so a failed or killed build leaves the previous output
// as it was and a good one leaves no stale file behind.
//
// productdocs only replaces a folder it wrote before (it holds Marker) or
// an empty one, so a mistyped -o never deletes someone's work.
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// Marker is the file that marks a folder as productdocs' output.
const Marker = ".productdocs-output"

const markerText = "This folder is written by productdocs build and replaced whole on every build.\n"

// ErrRefused is returned when the output folder must not be replaced.
var ErrRefused = errors.New("refusing to replace the output folder")

// Check refuses output folders that a build must not replace: the site
// root, a folder inside the site's content or templates, one holding
// content/ or templates/, or a non-empty folder that no build wrote.
func Check(siteRoot, out string) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	absRoot, err := filepath.Abs(siteRoot)
	if err != nil {
		return err
	}
	refuse := func(why string) error { return fmt.Errorf("%w %s: %s", ErrRefused, out, why) }
	// As written and where the folders really are: through a symbolic
	// link, an output folder could otherwise land inside content/ unseen.
	for _, p := range [][2]string{{absOut, absRoot}, {resolve(absOut), resolve(absRoot)}} {
		absOut, absRoot := p[0], p[1]
		if absOut == absRoot {
			return refuse("it is the site root")
		}
		if within(absOut, absRoot) {
			return refuse("it contains the site")
		}
		for _, d := range []string{"content", "templates"} {
			if within(filepath.Join(absRoot, d), absOut) {
				return refuse("it is inside the site's " + d + "/ folder")
			}
		}
	}
	for _, d := range []string{"content", "templates"} {
		if _, err := os.Stat(filepath.Join(absOut, d)); err == nil {
			return refuse("it holds a " + d + "/ folder, so it looks like a site, not an output")
		}
	}
	fi, err := os.Lstat(absOut)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return refuse("it is not a folder")
	}
	entries, err := os.ReadDir(absOut)
	if err != nil {
		return err
	}
	// What a build killed inside a mount point left (its staging folder,
	// marked) does not make the folder someone else's.
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool {
		_, err := os.Stat(filepath.Join(absOut, e.Name(), Marker))
		return strings.HasPrefix(e.Name(), inPlacePrefix) && err == nil
	})
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(absOut, Marker)); err != nil {
		return refuse("it is not empty and was not written by productdocs build (no " + Marker + " file)")
	}
	return nil
}

// resolve returns the absolute path p with the symbolic links of its
// longest existing part resolved.
func resolve(p string) string {
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// within reports whether p is dir or inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Staging is a build's folder in the making.
type Staging struct {
	Dir string // where the files go
	out string
	// inPlace is set where the output folder cannot be swapped (a mount
	// point): Dir is inside it, and Commit swaps its entries.
	inPlace bool
}

// mountPoint reports whether the folder out is a mount point, which no
// rename can replace (EBUSY). A variable, so that tests can have a
// folder taken for one where they cannot mount.
var mountPoint = isMountPoint

// Stage creates the folder a build writes into, beside out, and clears
// what earlier builds that were killed left behind. Where out is a mount
// point (a container's volume, a tmpfs, a CI cache), the folder is made
// inside out instead, and Commit swaps out's entries rather than out.
func Stage(out string) (*Staging, error) {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	prefix := "." + filepath.Base(out) + ".productdocs-"
	inPlace := false
	if fi, err := os.Lstat(out); err == nil && fi.IsDir() && mountPoint(out) {
		parent, prefix, inPlace = out, inPlacePrefix, true
	} else if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	if old, _ := filepath.Glob(filepath.Join(parent, prefix+"*")); len(old) > 0 {
		for _, o := range old {
			if _, err := os.Stat(filepath.Join(o, Marker)); err == nil {
				removeOurs(o)
			} else if fi, err := os.Lstat(o); err == nil && fi.IsDir() {
				os.Remove(o) // killed before its marker: empty, or not ours
			}
		}
	}
	dir, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return nil, err
	}
	// The marker goes in first, so that a folder left by a killed build is
	// known to be ours and cleared by the next.
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Staging{Dir: dir, out: out, inPlace: inPlace}, nil
}

// inPlacePrefix names the folders a build makes inside an output folder
// that is a mount point: the staged build, and the previous output's
// entries on their way out. Hidden, and never a page's name: the site's
// names starting with "." are ignored.
const inPlacePrefix = ".productdocs-"

// Abort removes the staging folder; the output stays as it was.
func (s *Staging) Abort() { removeOurs(s.Dir) }

// removeOurs removes a folder that holds Marker, the marker last, so that
// a build killed part-way through leaves it marked for the next to clear.
func removeOurs(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		if e.Name() != Marker {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return os.RemoveAll(dir)
}

// Commit puts the staged folder in the output's place, then removes the
// previous output.
func (s *Staging) Commit() error {
	if s.inPlace {
		return s.swapEntries()
	}
	_, err := os.Lstat(s.out)
	if errors.Is(err, fs.ErrNotExist) {
		return os.Rename(s.Dir, s.out)
	}
	if err := exchange(s.Dir, s.out); err == nil {
		// s.Dir now holds the previous output.
		return removeOurs(s.Dir)
	}
	// Without an atomic exchange, move the old output aside first; a crash
	// between the two renames leaves it beside, marked, for the next build.
	aside := s.Dir + "-old"
	if err := os.Rename(s.out, aside); err != nil {
		s.Abort()
		if errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.EXDEV) {
			return fmt.Errorf("%w (a mount point that was not recognised as one; build into a folder inside it)", err)
		}
		return err
	}
	if err := os.Rename(s.Dir, s.out); err != nil {
		os.Rename(aside, s.out)
		s.Abort()
		return err
	}
	return removeOurs(aside)
}

// swapEntries commits a build staged inside the output folder: the
// previous output's entries move into a folder of their own, the new
// ones out of the staging folder into their places, each by one rename
// on the same file system, and the previous entries are then removed.
// Between the first rename and the last, a reader of the folder sees
// some entries of each build: the swap is not atomic, but it is short
// (a rename per entry of the output's top level, not per file), and a
// build that fails before it leaves the previous output as it was.
func (s *Staging) swapEntries() error {
	old, err := os.MkdirTemp(s.out, inPlacePrefix)
	if err != nil {
		s.Abort()
		return err
	}
	if err := os.WriteFile(filepath.Join(old, Marker), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(old)
		s.Abort()
		return err
	}
	ours := func(name string) bool {
		return name == Marker || strings.HasPrefix(name, inPlacePrefix)
	}
	entries, err := os.ReadDir(s.out)
	if err != nil {
		s.Abort()
		removeOurs(old)
		return err
	}
	var moved []string
	undo := func() {
		for _, n := range moved {
			os.Rename(filepath.Join(old, n), filepath.Join(s.out, n))
		}
	}
	for _, e := range entries {
		if ours(e.Name()) {
			continue
		}
		if err := rename(filepath.Join(s.out, e.Name()), filepath.Join(old, e.Name())); err != nil {
			undo()
			s.Abort()
			removeOurs(old)
			return err
		}
		moved = append(moved, e.Name())
	}
	staged, err := os.ReadDir(s.Dir)
	if err != nil {
		undo()
		s.Abort()
		removeOurs(old)
		return err
	}
	for _, e := range staged {
		if e.Name() == Marker {
			continue
		}
		if err := rename(filepath.Join(s.Dir, e.Name()), filepath.Join(s.out, e.Name())); err != nil {
			// The new entries that moved go back where they came from,
			// and the old ones return: the previous output, as it was.
			for _, n := range staged {
				if n.Name() != Marker {
					os.Rename(filepath.Join(s.out, n.Name()), filepath.Join(s.Dir, n.Name()))
				}
			}
			undo()
			s.Abort()
			removeOurs(old)
			return err
		}
	}
	// An output that was empty gets its marker, which marks it ours.
	if _, err := os.Stat(filepath.Join(s.out, Marker)); err != nil {
		if err := os.WriteFile(filepath.Join(s.out, Marker), []byte(markerText), 0o644); err != nil {
			return err
		}
	}
	if err := removeOurs(old); err != nil {
		return err
	}
	return removeOurs(s.Dir)
}

// rename is os.Rename, a variable so that tests can make one fail.
var rename = os.Rename
