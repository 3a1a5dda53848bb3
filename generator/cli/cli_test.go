package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator/cli"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/sitegen"
)

// noCI clears the variables by which the CLI recognises a CI system, so
// that a test sees the output a user at a terminal sees.
func noCI(t *testing.T) {
	t.Helper()
	for _, v := range []string{"GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"} {
		t.Setenv(v, "")
	}
}

// run runs the command line as main does, and returns the exit code and
// what was written to stdout and stderr.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// fixtureDir writes the site fixture testdata/sites/<name>.txtar into a
// fresh folder and returns it.
func fixtureDir(t *testing.T, name string) string {
	t.Helper()
	return siteDir(t, testkit.LoadTxtar(t, filepath.Join("..", "testdata", "sites", name+".txtar")))
}

// siteDir writes a site into a fresh folder and returns it.
func siteDir(t *testing.T, fsys fstest.MapFS) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := sitegen.WriteFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	return dir
}

// warningOnly is a site whose one problem is a warning.
var warningOnly = fstest.MapFS{
	"content/guides/g.md": {Data: []byte("---\ntitle: A guide\ncolour: blue\n---\nText.\n")},
}

func TestExitCodes(t *testing.T) {
	noCI(t)
	clean := fixtureDir(t, "clean")
	broken := fixtureDir(t, "every-code")
	warning := siteDir(t, warningOnly)
	file := filepath.Join(clean, "productdocs.yaml")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a substring; "" wants stdout empty
		stderr string // a substring; "" wants stderr empty
	}{
		{"clean site", []string{"check", "-s", clean}, 0, "21 documents, 0 errors, 0 warnings\n", ""},
		{"long flag", []string{"check", "--source", clean}, 0, "0 errors, 0 warnings", ""},
		{"flag after the command's arguments", []string{"check", "--strict", "-s", clean}, 0, "0 errors", ""},
		{"errors", []string{"check", "-s", broken}, 1, "18 documents, 14 errors, 11 warnings\n", ""},
		{"a warning passes", []string{"check", "-s", warning}, 0, "1 document, 0 errors, 1 warning\n", ""},
		{"a warning fails under --strict", []string{"check", "--strict", "-s", warning}, 1, "[unknown-field]", ""},
		{"unknown flag", []string{"check", "--bogus", "-s", clean}, 2, "", "flag provided but not defined: -bogus"},
		{"unknown command", []string{"chekc"}, 2, "", `unknown command "chekc"`},
		{"no command", nil, 2, "", "Usage:"},
		{"unknown format", []string{"check", "--format", "yaml", "-s", clean}, 2, "", `unknown format "yaml"`},
		{"unexpected argument", []string{"check", "-s", clean, "extra"}, 2, "", `unexpected argument "extra"`},
		{"missing source folder", []string{"check", "-s", filepath.Join(clean, "nope")}, 2, "", "no such file or directory"},
		{"source is a file", []string{"check", "-s", file}, 2, "", "is not a folder"},
		{"flag without its value", []string{"check", "-s"}, 2, "", "flag needs an argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			for _, out := range []struct{ name, got, want string }{{"stdout", stdout, tt.stdout}, {"stderr", stderr, tt.stderr}} {
				if out.want == "" && out.got != "" {
					t.Errorf("%s = %q, want it empty", out.name, out.got)
				}
				if !strings.Contains(out.got, out.want) {
					t.Errorf("%s = %q, want it to contain %q", out.name, out.got, out.want)
				}
			}
		})
	}
}

func TestUnreadableFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every folder")
	}
	noCI(t)
	dir := fixtureDir(t, "clean")
	locked := filepath.Join(dir, "content", "backlog")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	code, stdout, stderr := run(t, "check", "-s", dir)
	if code != 2 || stdout != "" || !strings.Contains(stderr, "reading content/backlog: permission denied") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and the folder named on stderr", code, stdout, stderr)
	}
}

// TestCheckMatchesGoldens runs check on every site fixture and wants the
// text that generator's golden files hold.
func TestCheckMatchesGoldens(t *testing.T) {
	noCI(t)
	archives, err := filepath.Glob(filepath.Join("..", "testdata", "sites", "*.txtar"))
	if err != nil || len(archives) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, a := range archives {
		name := strings.TrimSuffix(filepath.Base(a), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir := fixtureDir(t, name)
			for _, format := range []string{"text", "json"} {
				want, err := os.ReadFile(filepath.Join("..", "testdata", "sites", name+"."+format+".golden"))
				if err != nil {
					t.Fatal(err)
				}
				_, stdout, stderr := run(t, "check", "-s", dir, "--format", format)
				if stdout != string(want) || stderr != "" {
					t.Errorf("check --format %s:\n%s\nstderr: %s\nwant:\n%s", format, stdout, stderr, want)
				}
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	noCI(t)
	code, stdout, _ := run(t, "check", "--format", "json", "-s", fixtureDir(t, "every-code"))
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	var got struct {
		Diagnostics []struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Message  string `json:"message"`
		} `json:"diagnostics"`
		Summary struct {
			Documents, Errors, Warnings int
		} `json:"summary"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not the JSON format: %v\n%s", err, stdout)
	}
	if got.Summary.Documents != 18 || got.Summary.Errors != 14 || got.Summary.Warnings != 11 {
		t.Errorf("summary = %+v", got.Summary)
	}
	codes := map[string]bool{}
	for _, d := range got.Diagnostics {
		if d.File == "" || d.Line < 1 || d.Column < 1 || d.Message == "" || (d.Severity != "error" && d.Severity != "warning") {
			t.Errorf("incomplete diagnostic %+v", d)
		}
		codes[d.Code] = true
	}
	if len(codes) != 22 {
		t.Errorf("%d codes in the JSON, want all 22: %v", len(codes), codes)
	}
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"build", "serve", "check", "init", "new", "version"} {
		for _, flag := range []string{"--help", "-h"} {
			t.Run(cmd+" "+flag, func(t *testing.T) {
				code, stdout, stderr := run(t, cmd, flag)
				if code != 0 || !strings.HasPrefix(stdout, "Usage: productdocs "+cmd) || stderr != "" {
					t.Errorf("exit %d\nstdout: %s\nstderr: %s\nwant 0 and the usage of %s on stdout", code, stdout, stderr, cmd)
				}
			})
		}
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, _ := run(t, args...)
			if code != 0 || !strings.Contains(stdout, "Commands:") || !strings.Contains(stdout, "check") {
				t.Errorf("exit %d, stdout %q; want 0 and the list of commands", code, stdout)
			}
		})
	}
	for _, tc := range []struct {
		cmd       string
		want, not []string
	}{
		{"check", []string{"-s, --source DIR", "  --format FORMAT", "  --strict", "  --output FILE"}, []string{"-o,"}},
		// -o is --out; --output, which also starts with o, has no short form.
		{"build", []string{"-s, --source DIR", "-o, --out DIR", "  --output FILE", "  --base-url URL"}, []string{"-o, --output"}},
	} {
		t.Run(tc.cmd+" lists its flags", func(t *testing.T) {
			_, stdout, _ := run(t, tc.cmd, "--help")
			for _, flag := range tc.want {
				if !strings.Contains(stdout, flag) {
					t.Errorf("%s --help lacks %q:\n%s", tc.cmd, flag, stdout)
				}
			}
			for _, flag := range tc.not {
				if strings.Contains(stdout, flag) {
					t.Errorf("%s --help shows %q:\n%s", tc.cmd, flag, stdout)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, args...)
			if code != 0 || !regexp.MustCompile(`^productdocs \d+\.\d+\.\d+`).MatchString(stdout) || stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want a version", code, stdout, stderr)
			}
		})
	}
}

func TestInitThenCheck(t *testing.T) {
	noCI(t)
	dir := filepath.Join(t.TempDir(), "docs", "new-site")
	code, stdout, stderr := run(t, "init", dir)
	if code != 0 || !strings.Contains(stdout, "Wrote a starter site to "+dir) || stderr != "" {
		t.Fatalf("init: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, stderr = run(t, "check", "-s", dir)
	if code != 0 || !strings.HasSuffix(stdout, " documents, 0 errors, 0 warnings\n") || stderr != "" {
		t.Errorf("check of the starter site: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, _, _ = run(t, "check", "--strict", "-s", dir)
	if code != 0 {
		t.Errorf("check --strict of the starter site: exit %d, want 0", code)
	}

	t.Run("into a non-empty folder", func(t *testing.T) {
		code, stdout, stderr := run(t, "init", dir)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "not empty") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 2 and a refusal", code, stdout, stderr)
		}
	})
	t.Run("into an empty folder", func(t *testing.T) {
		empty := t.TempDir()
		if code, _, stderr := run(t, "init", empty); code != 0 {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("two folders", func(t *testing.T) {
		if code, _, _ := run(t, "init", t.TempDir(), t.TempDir()); code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
	})
}

func TestNew(t *testing.T) {
	noCI(t)
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, stderr := run(t, "init", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}

	code, first, stderr := run(t, "new", "story", "Pay by card", "-s", dir)
	if code != 0 || stderr != "" {
		t.Fatalf("new: exit %d, stderr %q", code, stderr)
	}
	first = strings.TrimSpace(first)
	if !regexp.MustCompile(`^content/backlog/stories/story-\d+\.md$`).MatchString(first) {
		t.Fatalf("new printed %q, want the new file's path", first)
	}
	text, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(first)))
	if err != nil {
		t.Fatalf("the printed path does not exist: %v", err)
	}
	if !strings.Contains(string(text), `title: "Pay by card"`) || !strings.Contains(string(text), "kind: story") {
		t.Errorf("the new story lacks its title or kind:\n%s", text)
	}

	code, second, _ := run(t, "new", "-s", dir, "story")
	second = strings.TrimSpace(second)
	if n1, n2 := number(t, first), number(t, second); code != 0 || n2 != n1+1 {
		t.Errorf("the second new story is %q (exit %d), want story-%d", second, code, n1+1)
	}

	// Until their traces are filled in, check points at them.
	code, stdout, _ := run(t, "check", "-s", dir)
	if code != 1 || !strings.Contains(stdout, first+":") || !strings.Contains(stdout, "[untraced]") {
		t.Errorf("check with an unfilled story: exit %d\n%s", code, stdout)
	}
	fill := func(rel string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		text, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		filled := regexp.MustCompile(`(?m)^traces:.*$`).ReplaceAll(text, []byte("traces: EPIC-1"))
		if bytes.Equal(filled, text) {
			t.Fatalf("%s has no traces: placeholder:\n%s", rel, text)
		}
		if err := os.WriteFile(p, filled, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fill(first)
	_, stdout, _ = run(t, "check", "-s", dir)
	if strings.Contains(stdout, first+":") {
		t.Errorf("check still reports the filled story:\n%s", stdout)
	}
	fill(second)
	code, stdout, _ = run(t, "check", "-s", dir)
	if code != 0 || !strings.HasSuffix(stdout, "0 errors, 0 warnings\n") {
		t.Errorf("check with both stories filled: exit %d\n%s", code, stdout)
	}

	t.Run("every kind", func(t *testing.T) {
		for _, kind := range []string{"vision", "objective", "initiative", "release", "persona", "market", "competitor", "epic", "story", "feedback"} {
			code, stdout, stderr := run(t, "new", kind, "-s", dir)
			if code != 0 || !strings.HasPrefix(stdout, "content/") || stderr != "" {
				t.Errorf("new %s: exit %d, stdout %q, stderr %q", kind, code, stdout, stderr)
			}
		}
	})
	t.Run("refused", func(t *testing.T) {
		for _, args := range [][]string{
			{"new", "-s", dir},
			{"new", "stroy", "-s", dir},
			{"new", "page", "-s", dir},
			{"new", "story", "a", "b", "-s", dir},
			{"new", "story", "-s", filepath.Join(dir, "nope")},
		} {
			code, stdout, stderr := run(t, args...)
			if code != 2 || stdout != "" || stderr == "" {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and a message", args, code, stdout, stderr)
			}
		}
	})
}

// number returns the number of a conventional ID in a path:
// "content/backlog/stories/story-4.md" → 4.
func number(t *testing.T, p string) int {
	t.Helper()
	m := regexp.MustCompile(`-(\d+)\.md$`).FindStringSubmatch(p)
	if m == nil {
		t.Fatalf("%q has no numbered ID", p)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBinary builds the real command and runs it as a user or a CI script
// does: through the shell's exit status and output streams.
func TestBinary(t *testing.T) {
	bin := testkit.Binary(t)
	noCI(t)
	clean, broken := fixtureDir(t, "clean"), fixtureDir(t, "every-code")
	tests := []struct {
		name   string
		dir    string // the working directory; "" for the test's
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"check a clean site", "", []string{"check", "-s", clean}, 0, "21 documents, 0 errors, 0 warnings\n", ""},
		{"check the working directory", clean, []string{"check"}, 0, "21 documents, 0 errors, 0 warnings\n", ""},
		{"check a broken site", "", []string{"check", "-s", broken}, 1, "14 errors, 11 warnings\n", ""},
		{"json", "", []string{"check", "-s", broken, "--format", "json"}, 1, `"summary": {`, ""},
		{"missing folder", "", []string{"check", "-s", filepath.Join(clean, "missing")}, 2, "", "productdocs check: "},
		{"unknown command", "", []string{"publish"}, 2, "", `unknown command "publish"`},
		{"version", "", []string{"version"}, 0, "productdocs ", ""},
		{"help", "", []string{"check", "--help"}, 0, "Usage: productdocs check", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Dir = tt.dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if exit, ok := err.(*exec.ExitError); ok {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) || (tt.stdout == "" && stdout.Len() > 0) {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) || (tt.stderr == "" && stderr.Len() > 0) {
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.stderr)
			}
		})
	}
}
