package pipelines

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"productdocs/generator/cli"
	"productdocs/generator/scaffold"
)

type githubWorkflow struct {
	// "pull_request:" with nothing under it is a key with a null value.
	On map[string]*struct {
		Branches []string `yaml:"branches"`
	} `yaml:"on"`
	Jobs map[string]struct {
		If          string            `yaml:"if"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []githubStep      `yaml:"steps"`
	} `yaml:"jobs"`
}

type githubStep struct {
	Name            string            `yaml:"name"`
	Uses            string            `yaml:"uses"`
	Run             string            `yaml:"run"`
	If              string            `yaml:"if"`
	With            map[string]string `yaml:"with"`
	ContinueOnError any               `yaml:"continue-on-error"`
}

type gitlabJob struct {
	Stage     string   `yaml:"stage"`
	Script    []string `yaml:"script"`
	Artifacts struct {
		When    string   `yaml:"when"`
		Paths   []string `yaml:"paths"`
		Reports struct {
			JUnit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
	Rules []struct {
		If string `yaml:"if"`
	} `yaml:"rules"`
}

// flagValue returns the value of --name in a command line, "" when absent.
func flagValue(command, name string) string {
	args := strings.Fields(command)
	if i := slices.Index(args, "--"+name); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// commands returns the lines that run productdocs sub.
func commands(lines []string, sub string) []string {
	var out []string
	for _, l := range lines {
		for line := range strings.Lines(l) {
			if strings.HasPrefix(strings.TrimSpace(line), "productdocs "+sub) {
				out = append(out, strings.TrimSpace(line))
			}
		}
	}
	return out
}

func TestGitHubWorkflow(t *testing.T) {
	var wf githubWorkflow
	if err := yaml.Unmarshal([]byte(GitHubWorkflow), &wf); err != nil {
		t.Fatal(err)
	}
	_, onPR := wf.On["pull_request"]
	if push := wf.On["push"]; !onPR || push == nil || !slices.Equal(push.Branches, []string{"main"}) {
		t.Errorf("triggers %v; want pull_request, and push to main", slices.Sorted(maps.Keys(wf.On)))
	}

	check, ok := wf.Jobs["check"]
	if !ok {
		t.Fatalf("no check job; jobs: %v", wf.Jobs)
	}
	if !strings.Contains(check.If, "pull_request") || check.Permissions["security-events"] != "write" {
		t.Errorf("check job: if %q, permissions %v; want it on pull requests, allowed to write security events", check.If, check.Permissions)
	}
	var runs []string
	for _, s := range check.Steps {
		runs = append(runs, s.Run)
		if s.ContinueOnError != nil {
			t.Errorf("step %q has continue-on-error: a failing check must fail the job", s.Name)
		}
	}
	checks := commands(runs, "check")
	if len(checks) != 1 {
		t.Fatalf("check job runs productdocs check %d times, want once: %q", len(checks), checks)
	}
	sarif := flagValue(checks[0], "output")
	if flagValue(checks[0], "format") != "sarif" || sarif == "" {
		t.Errorf("%q: want --format sarif --output FILE", checks[0])
	}
	i := slices.IndexFunc(check.Steps, func(s githubStep) bool {
		return strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@")
	})
	if i < 0 {
		t.Fatal("no upload-sarif step in the check job")
	}
	if up := check.Steps[i]; up.If != "always()" || up.With["sarif_file"] != sarif {
		t.Errorf("upload-sarif: if %q, sarif_file %q; want always(), and %q, the file check writes", up.If, up.With["sarif_file"], sarif)
	}
	if j := slices.IndexFunc(check.Steps, func(s githubStep) bool { return strings.HasPrefix(s.Run, "productdocs check") }); j > i {
		t.Error("the SARIF is uploaded before the check writes it")
	}

	build, ok := wf.Jobs["build"]
	if !ok {
		t.Fatal("no build job")
	}
	runs = runs[:0]
	for _, s := range build.Steps {
		runs = append(runs, s.Run)
	}
	if !strings.Contains(build.If, "push") || len(commands(runs, "build")) != 1 {
		t.Errorf("build job: if %q, runs %q; want productdocs build on push", build.If, runs)
	}
	i = slices.IndexFunc(build.Steps, func(s githubStep) bool { return strings.HasPrefix(s.Uses, "actions/upload-artifact@") })
	if i < 0 || strings.TrimSuffix(build.Steps[i].With["path"], "/") != "public" {
		t.Errorf("build job does not upload public/ as an artifact")
	}

	runCheck(t, checks[0])
}

func TestGitLabCI(t *testing.T) {
	var ci struct {
		Default struct {
			BeforeScript []string `yaml:"before_script"`
		} `yaml:"default"`
		Productdocs *gitlabJob `yaml:"productdocs"`
		Pages       *gitlabJob `yaml:"pages"`
	}
	if err := yaml.Unmarshal([]byte(GitLabCI), &ci); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(ci.Default.BeforeScript, func(s string) bool { return strings.HasPrefix(s, "go install ") }) {
		t.Errorf("default before_script %q does not install productdocs", ci.Default.BeforeScript)
	}
	job := ci.Productdocs
	if job == nil {
		t.Fatal("no productdocs job")
	}
	checks := commands(job.Script, "check")
	if len(checks) != 1 {
		t.Fatalf("productdocs job runs productdocs check %d times, want once: %q", len(checks), checks)
	}
	junit := flagValue(checks[0], "output")
	if flagValue(checks[0], "format") != "junit" || junit == "" {
		t.Errorf("%q: want --format junit --output FILE", checks[0])
	}
	if job.Artifacts.Reports.JUnit != junit || job.Artifacts.When != "always" {
		t.Errorf("artifacts: junit %q, when %q; want %q, the file check writes, and always, to keep it when the check fails",
			job.Artifacts.Reports.JUnit, job.Artifacts.When, junit)
	}

	pages := ci.Pages
	if pages == nil {
		t.Fatal("no pages job")
	}
	if len(commands(pages.Script, "build")) != 1 || !slices.Equal(pages.Artifacts.Paths, []string{"public"}) {
		t.Errorf("pages job: script %q, artifacts %v; want productdocs build, publishing public", pages.Script, pages.Artifacts.Paths)
	}
	if len(pages.Rules) != 1 || !strings.Contains(pages.Rules[0].If, "CI_DEFAULT_BRANCH") {
		t.Errorf("pages job rules %+v; want it on the default branch only", pages.Rules)
	}

	runCheck(t, checks[0])
}

// runCheck runs a pipeline's check command line on the starter site, to
// show that productdocs takes its flags and writes the file it names.
func runCheck(t *testing.T, command string) {
	t.Helper()
	dir := t.TempDir()
	if err := scaffold.Init(dir); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	// The command runs as it would on a CI runner, minus the runner's
	// files: this test must not write to a real job summary.
	t.Setenv("GITHUB_ACTIONS", "")
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	args := strings.Fields(command)[1:]
	var stdout, stderr bytes.Buffer
	if code := cli.Run(context.Background(), args, &stdout, &stderr); code != cli.ExitOK {
		t.Fatalf("%s: exit %d on the starter site\n%s%s", command, code, stdout.String(), stderr.String())
	}
	out := filepath.Join(dir, flagValue(command, "output"))
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Errorf("%s wrote no %s: %v", command, out, err)
	}
}

// TestManualShowsPipelines keeps the CI guide's copies of the pipelines
// equal to the files the other tests check.
func TestManualShowsPipelines(t *testing.T) {
	readme, err := os.ReadFile("../../content/guides/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"github-workflow.yml": GitHubWorkflow, "gitlab-ci.yml": GitLabCI} {
		if !strings.Contains(string(readme), "```yaml\n"+text+"```") {
			t.Errorf("content/guides/ci.md does not show %s as it is; copy it there", name)
		}
	}
}
