package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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
