// Package gitlog reads a site's history from git: for every file, the
// commits that changed it, newest first, following renames. The pages
// show a document's last change from it, the stale check reads it, and
// /changes/ lists what changed since a release.
//
// It runs the git command rather than linking a library: libgit2 needs
// cgo, and go-git walks a rename-following log file by file (log
// --follow for each), which on a site of thousands of documents is
// thousands of walks of the whole history. One `git log --name-status -M`
// over the site's folder is a single walk, parsed once: O(history), not
// O(files × history), and git's own rename detection.
//
// A site outside a git work tree, without git, or in a shallow clone
// (the default checkout of most CI systems, whose oldest commit shows
// every file as added that day) has no history here: Read says why in
// History.Note, once, and callers fall back to the documents' updated:
// dates. A wrong date is worse than none.
package gitlog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Commit is one commit that changed a file.
type Commit struct {
	Hash    string
	Date    string // YYYY-MM-DD, the committer's date in UTC
	Summary string // the first line of the message
}

// History is the commits of a site's files, read once.
type History struct {
	// Note says why there is no history ("" when there is): a site
	// outside git, a shallow clone. Say it once.
	Note string
	// Surprising is set with a Note that the user will not expect: a
	// shallow clone, where git is there but its dates are not. A site
	// kept outside git is the user's choice, and the commands say
	// nothing of it on every run (the changes page does).
	Surprising bool
	files      map[string][]Commit // by slash path from the site root, newest first
}

// New is a History of known commits, by file (newest first): for tests,
// and tools that know the history otherwise.
func New(files map[string][]Commit) *History { return &History{files: files} }

// Of returns the commits that changed a file (a slash path from the site
// root, "content/backlog/a.md"), newest first, under its earlier names
// too. Nil for a file git does not know.
func (h *History) Of(file string) []Commit {
	if h == nil {
		return nil
	}
	return h.files[file]
}

// Last returns the last commit that changed a file.
func (h *History) Last(file string) (Commit, bool) {
	cs := h.Of(file)
	if len(cs) == 0 {
		return Commit{}, false
	}
	return cs[0], true
}

// Files is how many files have history.
func (h *History) Files() int {
	if h == nil {
		return 0
	}
	return len(h.files)
}

// Read reads the history of the documents under dir, a folder of the OS
// (the site root): of its content/ folder, as nothing else there has a
// page (a site at the root of a repository of code would otherwise walk
// the code's history too). It returns a History without commits and with a Note where
// there is no history to read; an error only where git ran and failed.
func Read(ctx context.Context, dir string) (*History, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return &History{Note: "git is not installed, so dates come from updated: alone"}, nil
	}
	out, err := git(ctx, dir, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return &History{Note: "the site is not in a git work tree, so dates come from updated: alone"}, nil
	}
	if f := strings.Fields(string(out)); len(f) == 2 && f[1] == "true" {
		return &History{Surprising: true, Note: "the site is in a shallow git clone, so dates come from updated: alone; fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in CI) for dates from git"}, nil
	}
	// No commit yet: nothing to read, and git log would fail.
	if _, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "HEAD"); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return &History{files: map[string][]Commit{}}, nil
	}
	out, err = git(ctx, dir, "-c", "core.quotePath=false", "log", "-z", "--name-status", "-M", "--relative",
		"--no-show-signature", "--no-ext-diff", "--no-color", "--format=%x1e%H%x1f%ct%x1f%s", "--", "content")
	if err != nil {
		return nil, err
	}
	return parse(out)
}

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", args[len(args)-1], err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// parse reads `git log -z --name-status --format=%x1e%H%x1f%ct%x1f%s`:
// each commit is \x1e, its hash, time and subject separated by \x1f, a
// NUL and a newline, then its changes as NUL-separated fields: a status,
// then one path, or two for a rename or a copy (R100, C75). Commits come
// newest first.
//
// Renames are followed backwards: current maps a path as an older commit
// names it to the file it is now, "" where that path held a file that is
// gone by now (renamed away, or added again since).
func parse(out []byte) (*History, error) {
	h := &History{files: map[string][]Commit{}}
	current := map[string]string{}
	now := func(p string) string {
		if c, ok := current[p]; ok {
			return c
		}
		return p
	}
	add := func(file string, c Commit) {
		if file == "" {
			return
		}
		cs := h.files[file]
		if len(cs) > 0 && cs[len(cs)-1].Hash == c.Hash {
			return // a copy and a change of the same file in one commit
		}
		h.files[file] = append(cs, c)
	}
	for rec := range bytes.SplitSeq(out, []byte{0x1e}) {
		if len(rec) == 0 {
			continue
		}
		head, rest, _ := bytes.Cut(rec, []byte{0})
		parts := strings.SplitN(string(head), "\x1f", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("reading git log: a commit without hash, time and subject: %.80q", head)
		}
		sec, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("reading git log: commit %s has time %q", parts[0], parts[1])
		}
		c := Commit{Hash: parts[0], Date: time.Unix(sec, 0).UTC().Format(time.DateOnly), Summary: parts[2]}
		fields := strings.Split(strings.TrimSuffix(strings.TrimLeft(string(rest), "\n"), "\x00"), "\x00")
		for i := 0; i < len(fields); i++ {
			st := fields[i]
			if st == "" {
				continue
			}
			switch st[0] {
			case 'R', 'C':
				if i+2 >= len(fields) {
					return nil, errors.New("reading git log: a rename without its two paths")
				}
				from, to := fields[i+1], fields[i+2]
				i += 2
				file := now(to)
				add(file, c)
				current[to] = "" // older commits naming it mean another file
				if st[0] == 'R' {
					current[from] = file
				}
			default:
				if i+1 >= len(fields) {
					return nil, fmt.Errorf("reading git log: status %q without a path", st)
				}
				p := fields[i+1]
				i++
				add(now(p), c)
				if st[0] == 'A' {
					current[p] = "" // before it was added, the name was another file's
				}
			}
		}
	}
	return h, nil
}
