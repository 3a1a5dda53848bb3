package gitlog

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo is a temporary git repository whose commits have the dates the
// test gives them.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git("", "init", "-q", "-b", "main")
	return r
}

func (r *repo) git(date string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = r.dir
	// The test's own dates, and nothing of the machine's git settings.
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (r *repo) write(name, text string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit commits everything at the date (RFC 3339, UTC).
func (r *repo) commit(date, msg string) {
	r.t.Helper()
	r.git(date, "add", "-A")
	r.git(date, "commit", "-q", "-m", msg)
}

func read(t *testing.T, dir string) *History {
	t.Helper()
	h, err := Read(context.Background(), dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return h
}

// dates is a file's commits as "date summary" lines, newest first.
func dates(h *History, file string) string {
	var lines []string
	for _, c := range h.Of(file) {
		lines = append(lines, c.Date+" "+c.Summary)
	}
	return strings.Join(lines, "\n")
}

func TestHistory(t *testing.T) {
	r := newRepo(t)
	r.write("README.md", "outside the site\n")
	r.write("site/content/strategy/vision.md", "v1\n")
	r.write("site/content/backlog/a.md", "a1\n")
	r.commit("2027-01-01T10:00:00Z", "Start the site")
	r.write("site/content/backlog/a.md", "a2\n")
	r.commit("2027-01-05T23:30:00-05:00", "Edit A late in New York") // 2027-01-06 in UTC
	r.git("2027-02-01T10:00:00Z", "mv", "site/content/backlog/a.md", "site/content/backlog/renamed.md")
	r.commit("2027-02-01T10:00:00Z", "Rename A")
	r.write("site/content/backlog/a.md", "a new file with the old name\n")
	r.write("README.md", "changed outside the site\n")
	r.commit("2027-03-01T10:00:00Z", "A new A")

	h := read(t, filepath.Join(r.dir, "site"))
	if h.Note != "" {
		t.Fatalf("Note = %q, want none", h.Note)
	}
	tests := []struct{ file, want string }{
		{"content/strategy/vision.md", "2027-01-01 Start the site"},
		{"content/backlog/renamed.md", "2027-02-01 Rename A\n2027-01-06 Edit A late in New York\n2027-01-01 Start the site"},
		{"content/backlog/a.md", "2027-03-01 A new A"},
		{"README.md", ""},    // outside the site
		{"../README.md", ""}, // nor by another name
	}
	for _, tt := range tests {
		if got := dates(h, tt.file); got != tt.want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.file, got, tt.want)
		}
	}
	if c, ok := h.Last("content/backlog/renamed.md"); !ok || c.Summary != "Rename A" || len(c.Hash) < 40 {
		t.Errorf("Last = %+v, %v", c, ok)
	}
}

func TestHistoryOfTheRepositoryRoot(t *testing.T) {
	r := newRepo(t)
	r.write("content/index.md", "home\n")
	r.commit("2027-01-01T10:00:00Z", "Home")
	r.write("content/index.md", "home, better\n")
	r.commit("2027-01-02T10:00:00Z", "Better home")
	h := read(t, r.dir)
	if got := dates(h, "content/index.md"); got != "2027-01-02 Better home\n2027-01-01 Home" {
		t.Errorf("got %q", got)
	}
}

func TestShallowCloneHasNoDates(t *testing.T) {
	r := newRepo(t)
	r.write("content/a.md", "a\n")
	r.commit("2027-01-01T10:00:00Z", "Old")
	r.write("content/b.md", "b\n")
	r.commit("2027-02-01T10:00:00Z", "New")
	clone := filepath.Join(t.TempDir(), "clone")
	r.git("", "clone", "-q", "--depth", "1", "file://"+r.dir, clone)

	h := read(t, clone)
	if !h.Surprising || !strings.Contains(h.Note, "shallow") || !strings.Contains(h.Note, "fetch-depth: 0") {
		t.Errorf("Note = %q, want it to say the clone is shallow and how to fetch it all", h.Note)
	}
	// The clone's one commit shows a.md as added on 2027-02-01: wrong.
	if _, ok := h.Last("content/a.md"); ok || h.Files() != 0 {
		t.Errorf("a shallow clone gave dates: %v", h.Of("content/a.md"))
	}
}

func TestOutsideGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir)) // not the machine's repository around it
	h := read(t, dir)
	if !strings.Contains(h.Note, "not in a git work tree") || h.Files() != 0 {
		t.Errorf("History = %+v, want a note and no files", h)
	}
}

func TestRepositoryWithoutCommits(t *testing.T) {
	r := newRepo(t)
	r.write("content/a.md", "a\n")
	h := read(t, r.dir)
	if h.Note != "" || h.Files() != 0 {
		t.Errorf("History = %+v, want none and no note", h)
	}
}

func TestParse(t *testing.T) {
	out := "\x1ec2\x1f1798801200\x1fRename\x00\nR100\x00old.md\x00new.md\x00M\x00x.md\x00" +
		"\x1ec1\x1f1798714800\x1fMerge\x00\n" + // a merge: no changes
		"\x1ec0\x1f1798628400\x1fStart: a|b\x00\nA\x00old.md\x00A\x00x.md\x00"
	h, err := parse([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if got := dates(h, "new.md"); got != "2027-01-01 Rename\n2026-12-30 Start: a|b" {
		t.Errorf("new.md: %q", got)
	}
	if got := dates(h, "old.md"); got != "" {
		t.Errorf("old.md, renamed away, has history: %q", got)
	}
	for _, bad := range []string{"\x1ec1\x00\n", "\x1ec1\x1fx\x1fs\x00\n", "\x1ec1\x1f1\x1fs\x00\nR100\x00a\x00", "\x1ec1\x1f1\x1fs\x00\nM\x00"} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse(%q): no error", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("\x1ec2\x1f1798801200\x1fRename\x00\nR100\x00old.md\x00new.md\x00M\x00x.md\x00")
	f.Add("\x1ec0\x1f0\x1fs\x00\nA\x00a\x00C50\x00a\x00b\x00D\x00a\x00")
	f.Fuzz(func(t *testing.T, out string) {
		h, err := parse([]byte(out))
		if err != nil {
			return
		}
		for file, cs := range h.files {
			if file == "" || len(cs) == 0 {
				t.Fatalf("file %q with %d commits", file, len(cs))
			}
		}
	})
}

// A user's git settings that change log's output (colour, signatures,
// rename detection off) do not change what Read finds.
func TestHistoryIgnoresUserSettings(t *testing.T) {
	r := newRepo(t)
	r.write("content/a.md", "a\n")
	r.commit("2027-01-01T10:00:00Z", "Add A")
	r.git("2027-01-02T10:00:00Z", "mv", "content/a.md", "content/b.md")
	r.commit("2027-01-02T10:00:00Z", "Rename A")
	for i, kv := range [][2]string{{"color.ui", "always"}, {"color.diff", "always"}, {"log.showSignature", "true"}, {"diff.renames", "false"}} {
		t.Setenv(fmt.Sprintf("GIT_CONFIG_KEY_%d", i), kv[0])
		t.Setenv(fmt.Sprintf("GIT_CONFIG_VALUE_%d", i), kv[1])
	}
	t.Setenv("GIT_CONFIG_COUNT", "4")
	h := read(t, r.dir)
	if got := dates(h, "content/b.md"); got != "2027-01-02 Rename A\n2027-01-01 Add A" {
		t.Errorf("content/b.md: %q", got)
	}
}
