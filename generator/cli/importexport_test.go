package cli_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"productdocs/generator/internal/testkit"
)

// jiraExport is the jira package's fixture: 30 issues of Jira Cloud's
// "CSV (all fields)".
var jiraExport = filepath.Join("..", "jira", "testdata", "acme-export.csv")

// snapshot reads every file under dir, to tell whether a command wrote.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		b.WriteString(p + "\n" + string(data) + "\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestImportExport runs import and export as a user would, one step after
// another, on a starter site: what each prints, its exit code, and what
// it writes or leaves alone.
func TestImportExport(t *testing.T) {
	noCI(t)
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := run(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Summary,Issue key,Issue id,Issue Type,Status\nA,ACME-1,1,Story,To Do\nB,ACME-2,2,Story,To Do,extra\n"), 0o644)
	github := filepath.Join(t.TempDir(), "issues.csv")
	os.WriteFile(github, []byte("Title,State,Assignee\nFix login,open,ana\n"), 0o644)
	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string // a substring; "" wants stdout empty
		stderr string // a substring; "" wants stderr empty
		writes bool
	}{
		{"a file that is not CSV from Jira", []string{"import", "jira", github, "-s", dir}, 1, "", github + `:1:1: row 1: not a Jira CSV export: the header has none of the columns "Issue key"`, false},
		{"a row with too many cells", []string{"import", "jira", bad, "-s", dir}, 1, "", bad + ":3:24: row 3: the row has 6 cells, the header 5\nproductdocs import: nothing written", false},
		{"a missing file", []string{"import", "jira", filepath.Join(dir, "nope.csv"), "-s", dir}, 2, "", "no such file or directory", false},
		{"another tracker", []string{"import", "trello", jiraExport, "-s", dir}, 2, "", "want jira FILE.csv", false},
		{"no file", []string{"import", "jira", "-s", dir}, 2, "", "want jira FILE.csv", false},
		{"a bad --type", []string{"import", "jira", jiraExport, "--type", "Spike", "-s", dir}, 2, "", "want TYPE=KIND", false},
		{"a --type to a kind it cannot fill", []string{"import", "jira", jiraExport, "--type", "Spike=release", "-s", dir}, 2, "", "the kind must be one of objective, initiative, epic, story, skip", false},
		{"the import", []string{"import", "jira", jiraExport, "--type", "Spike=story", "-s", dir}, 0, "Read 30 issues of " + jiraExport + ".\nWrote 32 documents:\n  initiative  3\n  release     3\n  epic        5\n  story       21\n", "", true},
		{"again, without --update", []string{"import", "jira", jiraExport, "--type", "Spike=story", "-s", dir}, 2, "", "productdocs import: nothing written:\n  ACME-1 exists (content/strategy/initiatives/acme-1.md); run again with --update", false},
		{"again, with --update", []string{"import", "jira", jiraExport, "--type", "Spike=story", "--update", "-s", dir}, 0, "Unchanged: 32 documents.\n", "", false},
		{"check reports the missing parents", []string{"check", "-s", dir}, 1, `content/backlog/stories/acme-19.md:9:9: error: traces to "ACME-40", which no document has`, "", false},
		{"export", []string{"export", "csv", "-s", dir, "--kind", "story", "--fields", "id,chain_epic,title"}, 0, "id,chain_epic,title\r\nACME-9,ACME-4,Pay by card on the checkout page\r\nACME-10,ACME-4,3-D Secure", "note: the site has 7 errors", false},
		{"export an unknown column", []string{"export", "csv", "-s", dir, "--fields", "id,colour"}, 2, "", `unknown field "colour"`, false},
		{"export an unknown kind", []string{"export", "csv", "-s", dir, "--kind", "bug"}, 2, "", `unknown kind "bug"`, false},
		{"export another format", []string{"export", "json", "-s", dir}, 2, "", "want csv", false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := snapshot(t, dir)
			code, stdout, stderr := run(t, s.args...)
			if code != s.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, s.code, stdout, stderr)
			}
			for _, out := range []struct{ name, got, want string }{{"stdout", stdout, s.stdout}, {"stderr", stderr, s.stderr}} {
				if (out.want == "" && out.got != "") || !strings.Contains(out.got, out.want) {
					t.Errorf("%s = %q, want %q", out.name, out.got, out.want)
				}
			}
			if wrote := snapshot(t, dir) != before; wrote != s.writes {
				t.Errorf("wrote %v, want %v", wrote, s.writes)
			}
		})
	}
}

func TestImportBadSettings(t *testing.T) {
	noCI(t)
	dir := siteDir(t, nil)
	os.WriteFile(filepath.Join(dir, "productdocs.yaml"), []byte("import:\n  jira:\n    type:\n      Spike: story\n"), 0o644)
	before := snapshot(t, dir)
	code, stdout, stderr := run(t, "import", "jira", jiraExport, "-s", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, `productdocs.yaml:3:5: error: unknown setting "import.jira.type"`) || !strings.Contains(stderr, "nothing written") {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant 1 and the setting named with its line", code, stdout, stderr)
	}
	if snapshot(t, dir) != before {
		t.Error("bad settings, and the import wrote")
	}
}

func TestExportToFile(t *testing.T) {
	noCI(t)
	dir := fixtureDir(t, "clean")
	out := filepath.Join(t.TempDir(), "docs.csv")
	code, stdout, stderr := run(t, "export", "csv", "-s", dir, "-o", out, "--bom")
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\ufeffid,kind,section,title,")) || bytes.Count(data, []byte("\r\n")) != 22 {
		t.Errorf("docs.csv has no BOM, or not a header and 21 rows:\n%s", data)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("docs.csv has mode %v, want 0644", fi.Mode().Perm())
	}
}

func TestImportExportHelp(t *testing.T) {
	for _, tt := range []struct{ cmd, want string }{
		{"import", "Usage: productdocs import [flags] jira FILE.csv"},
		{"import", "--type TYPE=KIND"},
		{"import", "--update"},
		{"export", "Usage: productdocs export [flags] csv"},
		{"export", "-o, --out FILE"},
		{"export", "--bom"},
	} {
		code, stdout, _ := run(t, tt.cmd, "--help")
		if code != 0 || !strings.Contains(stdout, tt.want) {
			t.Errorf("%s --help = %d\n%s\nwant %q", tt.cmd, code, stdout, tt.want)
		}
	}
	if _, stdout, _ := run(t, "help"); !strings.Contains(stdout, "  import   write one document per issue") || !strings.Contains(stdout, "  export   write every document as a CSV row") {
		t.Errorf("help does not list import and export:\n%s", stdout)
	}
}

// TestImportExportBinary runs the built command as a shell script would.
func TestImportExportBinary(t *testing.T) {
	bin := testkit.Binary(t)
	noCI(t)
	dir := siteDir(t, nil)
	abs, _ := filepath.Abs(jiraExport)
	cmd := exec.Command(bin, "import", "jira", abs, "--type", "Spike=story")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Wrote 32 documents") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	cmd = exec.Command(bin, "export", "csv", "--fields", "id,status", "--kind", "initiative")
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	if want := "id,status\r\nACME-1,in-progress\r\nACME-2,proposed\r\nACME-3,proposed\r\n"; stdout.String() != want {
		t.Errorf("export = %q, want %q", stdout.String(), want)
	}
}
