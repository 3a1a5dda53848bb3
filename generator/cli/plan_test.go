package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// gitIn runs git in dir with fixed dates and none of the machine's
// settings.
func gitIn(t *testing.T, dir, date string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// The stale check reads the last commit of each document: the clean
// site, committed on 2026-01-01 and checked on 2026-12-01 (TestMain), has
// open work unchanged for 334 days. A shallow clone of it has no dates,
// says so once, and reports nothing stale.
func TestCheckReadsGitHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	site := fixtureDir(t, "clean")
	gitIn(t, site, "", "init", "-q", "-b", "main")
	gitIn(t, site, "", "add", "-A")
	gitIn(t, site, "2026-01-01T12:00:00Z", "commit", "-q", "-m", "Plan the year")

	code, stdout, stderr := run(t, "check", "-s", site)
	if code != 0 || stderr != "" {
		t.Fatalf("check: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, `its last change (the commit of 2026-01-01, "Plan the year") is 334 days old`) {
		t.Errorf("no stale item from git:\n%s", stdout)
	}
	if code, _, _ := run(t, "check", "--strict", "-s", site); code != 1 {
		t.Errorf("check --strict: exit %d, want 1 for the stale warnings", code)
	}

	clone := filepath.Join(t.TempDir(), "clone")
	gitIn(t, site, "", "clone", "-q", "--depth", "1", "file://"+site, clone)
	code, stdout, stderr = run(t, "check", "-s", clone)
	if code != 0 || strings.Contains(stdout, "[stale]") {
		t.Errorf("check of a shallow clone: exit %d, stdout:\n%s", code, stdout)
	}
	if strings.Count(stderr, "note: the site is in a shallow git clone") != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "fetch-depth: 0") {
		t.Errorf("stderr %q, want one note of the shallow clone", stderr)
	}
}

func TestBuildAudience(t *testing.T) {
	a, err := txtar.ParseFile(filepath.Join("..", "testdata", "build", "audiences.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	site := siteDir(t, fsys)
	out := filepath.Join(t.TempDir(), "public")

	if code, _, stderr := run(t, "build", "-s", site, "-o", out, "--audience", "customers"); code != 2 || !strings.Contains(stderr, `unknown audience "customers" (want internal or public)`) {
		t.Errorf("--audience customers: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := run(t, "build", "-s", site, "-o", out, "--audience", "public")
	if code != 0 || !strings.Contains(stdout, "Built ") {
		t.Fatalf("build --audience public: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// The warnings are about the site as written, all of it.
	if !strings.Contains(stderr, "[audience]") {
		t.Errorf("no audience warnings: %q", stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "strategy", "ini-1", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(page), "Price experiment") || !strings.Contains(string(page), "the pricing work") {
		t.Errorf("the public INI-1 page:\n%s", page)
	}
	if _, err := os.Stat(filepath.Join(out, "strategy", "ini-hid", "index.html")); err == nil {
		t.Errorf("an internal page was written")
	}
	if code, _, _ := run(t, "build", "-s", site, "-o", out, "--audience", "internal"); code != 0 {
		t.Errorf("build --audience internal: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(out, "strategy", "ini-hid", "index.html")); err != nil {
		t.Errorf("the internal build lacks an internal page: %v", err)
	}
}
