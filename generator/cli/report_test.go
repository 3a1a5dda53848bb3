package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"productdocs/generator/diag"
)

// A site with one error and one warning in the backlog, and a clean
// strategy section.
var failingSite = map[string]string{
	"content/strategy/vision.md": "---\nid: VIS-1\nkind: vision\ntitle: The vision\n---\nWhy we exist.\n",
	"content/backlog/story-1.md": "---\nid: STORY-1\nkind: story\ntitle: Pay by card\ntraces: EPIC-9\ncolour: blue\n---\nAs a customer…\n",
}

// A site without problems.
var cleanSite = map[string]string{
	"content/strategy/vision.md": failingSite["content/strategy/vision.md"],
}

// A site whose only problem is a warning.
var warningSite = map[string]string{
	"content/guides/g.md": "---\ntitle: A guide\ncolour: blue\n---\nText.\n",
}

const (
	failingText = "content/backlog/story-1.md:5:9: error: traces to \"EPIC-9\", which no document has [broken-link]\n" +
		"content/backlog/story-1.md:6:1: warning: \"colour\" is not a field of a story; put the team's own fields under extra: [unknown-field]\n" +
		"2 documents, 1 error, 1 warning\n"
	failingAnnotations = "::error file=content/backlog/story-1.md,line=5,col=9,title=broken-link::traces to \"EPIC-9\", which no document has\n" +
		"::warning file=content/backlog/story-1.md,line=6,col=1,title=unknown-field::\"colour\" is not a field of a story; put the team's own fields under extra:\n"
)

func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

// newSite writes files into a new folder and returns it.
func newSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	writeSite(t, dir, files)
	return dir
}

// runCLI runs the command line with the given environment, as a CI runner
// would set it; nothing is read from the real environment.
func runCLI(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &env{stdout: &out, stderr: &errOut, getenv: func(k string) string { return environ[k] }})
	return code, out.String(), errOut.String()
}

// The format changes what is written, never the exit code.
func TestReportExitCodes(t *testing.T) {
	sites := map[string]string{
		"failing": newSite(t, failingSite),
		"warning": newSite(t, warningSite),
		"clean":   newSite(t, cleanSite),
	}
	tests := []struct {
		site   string
		strict bool
		want   int
	}{
		{"failing", false, ExitContent},
		{"warning", false, ExitOK},
		{"warning", true, ExitContent},
		{"clean", true, ExitOK},
	}
	for _, tt := range tests {
		for _, format := range append([]string{""}, diag.Formats()...) {
			for _, actions := range []string{"", "true"} {
				args := []string{"check", "-s", sites[tt.site]}
				if format != "" {
					args = append(args, "--format", format)
				}
				if tt.strict {
					args = append(args, "--strict")
				}
				code, _, stderr := runCLI(t, map[string]string{"GITHUB_ACTIONS": actions}, args...)
				if code != tt.want {
					t.Errorf("%s site, --format %q, --strict %v, GITHUB_ACTIONS=%q: exit %d, want %d; stderr: %s",
						tt.site, format, tt.strict, actions, code, tt.want, stderr)
				}
			}
		}
	}
}

func TestReportFormatToStdout(t *testing.T) {
	site := newSite(t, failingSite)
	tests := []struct {
		format, want string
	}{
		{"", failingText},
		{"text", failingText},
		{"github", failingAnnotations + "2 documents, 1 error, 1 warning\n"},
	}
	for _, tt := range tests {
		t.Run(cmp.Or(tt.format, "default"), func(t *testing.T) {
			args := []string{"check", "-s", site}
			if tt.format != "" {
				args = append(args, "--format", tt.format)
			}
			_, stdout, _ := runCLI(t, nil, args...)
			if stdout != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.want)
			}
		})
	}
}

// In GitHub Actions the log gets the text and the annotations, the
// annotations first so that the summary line stays last.
func TestReportGitHubActionsDefault(t *testing.T) {
	site := newSite(t, failingSite)
	code, stdout, stderr := runCLI(t, map[string]string{"GITHUB_ACTIONS": "true"}, "check", "-s", site)
	if code != ExitContent || stderr != "" {
		t.Errorf("exit %d, stderr %q; want %d and nothing", code, stderr, ExitContent)
	}
	if want := failingAnnotations + failingText; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}

	// Elsewhere, or with a format asked for, nothing is added.
	if _, stdout, _ := runCLI(t, map[string]string{"GITHUB_ACTIONS": "false"}, "check", "-s", site); stdout != failingText {
		t.Errorf("outside GitHub Actions, stdout:\n%s\nwant the text only", stdout)
	}
	_, stdout, _ = runCLI(t, map[string]string{"GITHUB_ACTIONS": "true"}, "check", "-s", site, "--format", "json")
	if strings.Contains(stdout, "::") || !json.Valid([]byte(stdout)) {
		t.Errorf("--format json in GitHub Actions wrote more than JSON:\n%s", stdout)
	}
}

func TestReportStepSummary(t *testing.T) {
	site := newSite(t, failingSite)
	summary := filepath.Join(t.TempDir(), "step_summary.md")
	const before = "## Earlier step\n\n"
	if err := os.WriteFile(summary, []byte(before), 0o666); err != nil {
		t.Fatal(err)
	}
	environ := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	var want strings.Builder
	want.WriteString(before)
	for _, args := range [][]string{
		{"check", "-s", site},
		{"check", "-s", site, "--format", "github"},
		{"check", "-s", site, "--format", "sarif", "--output", filepath.Join(t.TempDir(), "out.sarif")},
	} {
		if code, _, stderr := runCLI(t, environ, args...); code != ExitContent {
			t.Fatalf("%v: exit %d, stderr %s", args, code, stderr)
		}
		// Each run appends its own summary; what was there stays.
		want.WriteString("### productdocs\n\n2 documents, 1 error, 1 warning\n")
		got, err := os.ReadFile(summary)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(got), want.String()) || strings.Count(string(got), "### productdocs") != strings.Count(want.String(), "### productdocs") {
			t.Fatalf("%v: step summary is\n%s\nwant it to start with\n%s", args, got, want.String())
		}
		for _, row := range []string{
			"| ` content/backlog/story-1.md:5 ` | error | broken-link | ` traces to \"EPIC-9\", which no document has ` |",
			"| ` content/backlog/story-1.md:6 ` | warning | unknown-field |",
		} {
			if !strings.Contains(string(got), row) {
				t.Errorf("%v: step summary has no row %q", args, row)
			}
		}
		want.Reset()
		want.Write(got)
	}

	// No annotations, no summary: --format json is for the team's scripts.
	if code, _, _ := runCLI(t, environ, "check", "-s", site, "--format", "json"); code != ExitContent {
		t.Fatal(code)
	}
	if got, _ := os.ReadFile(summary); string(got) != want.String() {
		t.Errorf("--format json appended to the step summary")
	}
}

func TestReportOutputFile(t *testing.T) {
	site := newSite(t, failingSite)
	dir := t.TempDir()
	tests := []struct {
		format string
		check  func(t *testing.T, data []byte)
	}{
		{"", func(t *testing.T, data []byte) {
			if string(data) != failingText {
				t.Errorf("file:\n%s\nwant the text format", data)
			}
		}},
		{"json", func(t *testing.T, data []byte) {
			var out struct{ Summary diag.Summary }
			if err := json.Unmarshal(data, &out); err != nil || out.Summary != (diag.Summary{Documents: 2, Errors: 1, Warnings: 1}) {
				t.Errorf("file is not the JSON report (%v):\n%s", err, data)
			}
		}},
		{"sarif", func(t *testing.T, data []byte) {
			var out struct {
				Version string
				Runs    []struct {
					Tool struct {
						Driver struct{ Name, Version string }
					}
					Results []struct{ RuleID string }
				}
			}
			if err := json.Unmarshal(data, &out); err != nil || out.Version != "2.1.0" || len(out.Runs) != 1 ||
				out.Runs[0].Tool.Driver.Version != version() || len(out.Runs[0].Results) != 2 {
				t.Errorf("file is not SARIF with the tool's version and two results (%v):\n%s", err, data)
			}
		}},
		{"junit", func(t *testing.T, data []byte) {
			var out diag.JUnitSuites
			if err := xml.Unmarshal(data, &out); err != nil || out.Tests != 2 || out.Failures != 1 {
				t.Errorf("file is not JUnit with 2 tests, 1 failing (%v):\n%s", err, data)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(cmp.Or(tt.format, "default"), func(t *testing.T) {
			file := filepath.Join(dir, "report-"+cmp.Or(tt.format, "default"))
			// A file left by an earlier run is replaced, not appended to.
			if err := os.WriteFile(file, []byte(strings.Repeat("stale ", 1000)), 0o666); err != nil {
				t.Fatal(err)
			}
			args := []string{"check", "-s", site, "--output", file}
			if tt.format != "" {
				args = append(args, "--format", tt.format)
			}
			code, stdout, stderr := runCLI(t, nil, args...)
			if code != ExitContent || stderr != "" {
				t.Errorf("exit %d, stderr %q; want %d and nothing", code, stderr, ExitContent)
			}
			if stdout != failingText {
				t.Errorf("stdout:\n%s\nwant the text format", stdout)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, data)
		})
	}

	// In GitHub Actions the terminal gets the annotations too, the file
	// only its format.
	file := filepath.Join(dir, "actions.sarif")
	_, stdout, _ := runCLI(t, map[string]string{"GITHUB_ACTIONS": "true"}, "check", "-s", site, "--format", "sarif", "--output", file)
	if want := failingAnnotations + failingText; stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if data, err := os.ReadFile(file); err != nil || !json.Valid(data) {
		t.Errorf("%s: %v, or not JSON", file, err)
	}
}

func TestReportOutputUnwritable(t *testing.T) {
	site := newSite(t, failingSite)
	file := filepath.Join(t.TempDir(), "missing", "out.xml")
	code, stdout, stderr := runCLI(t, nil, "check", "-s", site, "--format", "junit", "--output", file)
	if code != ExitTool || !strings.Contains(stderr, "out.xml") {
		t.Errorf("exit %d, stderr %q; want %d and the file named", code, stderr, ExitTool)
	}
	if stdout != failingText {
		t.Errorf("stdout:\n%s\nwant the diagnostics even so", stdout)
	}
}

// A site in a folder of the repository (-s docs) is reported to CI tools
// with paths from the repository's root, so that annotations land on the
// files; the text keeps the paths from the site root, as SPEC §5 says.
func TestReportPathsFromCheckout(t *testing.T) {
	repo := t.TempDir()
	site := filepath.Join(repo, "docs")
	writeSite(t, site, failingSite)
	environ := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": repo}
	sarif := filepath.Join(t.TempDir(), "out.sarif")

	_, stdout, _ := runCLI(t, environ, "check", "-s", site, "--format", "sarif", "--output", sarif)
	want := strings.ReplaceAll(failingAnnotations, "file=content/", "file=docs/content/") + failingText
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"uri": "docs/content/backlog/story-1.md"`) {
		t.Errorf("SARIF does not name docs/content/backlog/story-1.md:\n%s", data)
	}

	// GitLab names its checkout differently.
	junit := filepath.Join(t.TempDir(), "out.xml")
	runCLI(t, map[string]string{"CI_PROJECT_DIR": repo}, "check", "-s", site, "--format", "junit", "--output", junit)
	if data, _ := os.ReadFile(junit); !strings.Contains(string(data), `name="docs/content/backlog/story-1.md"`) {
		t.Errorf("JUnit does not name docs/content/backlog/story-1.md:\n%s", data)
	}
}

// TestReportHostileFileNames checks a site whose file names carry a line
// break and a workflow command, a Markdown link and HTML, in GitHub
// Actions: no line of the log but productdocs' own annotations is a
// workflow command, and the job summary shows the names as text.
func TestReportHostileFileNames(t *testing.T) {
	names := []string{
		"content/backlog/a\n::error file=README.md,line=1::pwned.md",
		"content/backlog/[click](https:__evil.example).md",
		"content/backlog/<img src=x onerror=alert(1)>.md",
	}
	files := map[string]string{}
	for _, n := range names {
		files[n] = "---\nkind: story\n---\n" // a bad ID, no title, no traces: three errors
	}
	site := newSite(t, files)
	summary := filepath.Join(t.TempDir(), "step_summary.md")
	environ := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	for _, args := range [][]string{
		{"check", "-s", site},
		{"check", "-s", site, "--format", "github"},
	} {
		if err := os.WriteFile(summary, nil, 0o666); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := runCLI(t, environ, args...)
		if code != ExitContent {
			t.Fatalf("%v: exit %d, stderr %s", args, code, stderr)
		}
		commands := 0
		for _, line := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, " \t"), "::") {
				commands++
				if !strings.HasPrefix(line, "::error file=content/backlog/") {
					t.Errorf("%v: a workflow command that is not an annotation of ours: %q", args, line)
				}
			}
		}
		if commands != 3*len(names) {
			t.Errorf("%v: %d workflow commands, want %d (one per diagnostic):\n%s", args, commands, 3*len(names), stdout)
		}
		got, err := os.ReadFile(summary)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range strings.Split(string(got), "\n") {
			if !strings.HasPrefix(row, "| `") {
				continue
			}
			if strings.Contains(row, "](") && !strings.Contains(row, "` content/backlog/[click](https:__evil.example).md:") {
				t.Errorf("%v: a link outside a code span: %q", args, row)
			}
		}
		for _, want := range []string{
			"` content/backlog/a\\n::error file=README.md,line=1::pwned.md:1 `",
			"` content/backlog/<img src=x onerror=alert(1)>.md:1 `",
		} {
			if !strings.Contains(string(got), want) {
				t.Errorf("%v: the summary does not show %q as code:\n%s", args, want, got)
			}
		}
	}
}
