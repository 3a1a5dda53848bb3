package jira_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/export"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/jira"
	"productdocs/generator/sitegen"
)

const exportFile = "testdata/acme-export.csv"

// fixture writes testdata/acme.txtar's site into a fresh folder.
func fixture(t *testing.T) string {
	t.Helper()
	a, err := txtar.ParseFile("testdata/acme.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := sitegen.WriteFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	return dir
}

func load(t *testing.T, dir string) *generator.Site {
	t.Helper()
	site, err := generator.Load(context.Background(), generator.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// importInto imports the fixture export into the site at dir, and
// returns the summary.
func importInto(t *testing.T, dir string, o jira.Options) (string, error) {
	t.Helper()
	site := load(t, dir)
	f, err := os.Open(exportFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	o.Settings = site.Settings.Import.Jira
	plan, err := jira.MakePlan(dir, site.Model, "acme-export.csv", f, o)
	if err != nil {
		return "", err
	}
	if err := plan.Write(dir); err != nil {
		return "", err
	}
	var b bytes.Buffer
	plan.Summary(&b, "acme-export.csv")
	return b.String(), nil
}

// files returns every file under dir, by slash path.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGolden imports the fixture export (30 issues: initiatives, epics,
// stories, tasks, bugs, a sub-task and a spike; repeated columns, wiki
// markup, missing parents, a done and a won't-do) into a site, checks the
// site, exports it, and compares all of it with testdata/acme.golden.txtar.
//
//	go test ./generator/jira/ -run Golden -update
func TestGolden(t *testing.T) {
	dir := fixture(t)
	before := files(t, dir)
	summary, err := importInto(t, dir, jira.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := &txtar.Archive{Comment: []byte("What importing testdata/acme-export.csv into testdata/acme.txtar writes.\nRegenerate: go test ./generator/jira/ -run Golden -update\n")}
	got.Files = append(got.Files, txtar.File{Name: "summary", Data: []byte(summary)})
	site := load(t, dir)
	var check bytes.Buffer
	if err := diag.Write(&check, "text", site.Report()); err != nil {
		t.Fatal(err)
	}
	got.Files = append(got.Files, txtar.File{Name: "check", Data: check.Bytes()})
	var out bytes.Buffer
	if err := export.Write(&out, site.Model, export.Options{}); err != nil {
		t.Fatal(err)
	}
	got.Files = append(got.Files, txtar.File{Name: "export.csv", Data: []byte(strings.ReplaceAll(out.String(), "\r\n", "\n"))})
	after := files(t, dir)
	var written []string
	for name := range after {
		if _, ok := before[name]; !ok {
			written = append(written, name)
		}
	}
	slices.Sort(written)
	for _, name := range written {
		got.Files = append(got.Files, txtar.File{Name: name, Data: []byte(after[name])})
	}
	golden := "testdata/acme.golden.txtar"
	if *testkit.Update {
		if err := os.WriteFile(golden, txtar.Format(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := txtar.ParseFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	wantFiles := map[string]string{}
	for _, f := range want.Files {
		wantFiles[f.Name] = string(f.Data)
	}
	for _, f := range got.Files {
		w, ok := wantFiles[f.Name]
		switch {
		case !ok:
			t.Errorf("%s: written, not in the golden file", f.Name)
		case w != string(f.Data):
			t.Errorf("%s:\n%s\nwant\n%s", f.Name, f.Data, w)
		}
		delete(wantFiles, f.Name)
	}
	for name := range wantFiles {
		t.Errorf("%s: in the golden file, not written", name)
	}
	if t.Failed() {
		t.Log("Regenerate: go test ./generator/jira/ -run Golden -update")
	}
}

// TestRoundTrip imports the export, exports the site, and compares each
// issue's fields in the export with the row it came from.
func TestRoundTrip(t *testing.T) {
	dir := fixture(t)
	if _, err := importInto(t, dir, jira.Options{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := export.Write(&out, load(t, dir).Model, export.Options{}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[col["id"]]] = r
	}
	f, err := os.Open(exportFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	issues, err := jira.ReadIssues(f, exportFile)
	if err != nil {
		t.Fatal(err)
	}
	keyOf := map[string]string{}
	for _, is := range issues {
		keyOf[is.IssueID] = is.Key
	}
	compared := 0
	for _, is := range issues {
		r := byID[is.Key]
		if is.Type == "Sub-task" {
			if r != nil {
				t.Errorf("%s: a sub-task, not mapped, was exported", is.Key)
			}
			continue
		}
		if r == nil {
			t.Errorf("%s: not in the export", is.Key)
			continue
		}
		compared++
		var releases []string
		for _, v := range is.Versions {
			id, _ := jira.ReleaseID(v)
			releases = append(releases, id)
		}
		parent := is.ParentKey
		if is.ParentID != "" {
			parent = keyOf[is.ParentID]
		}
		if r[col["kind"]] == "initiative" {
			releases = nil // initiatives have no release field
		}
		want := map[string]string{
			"title":    is.Summary,
			"owner":    is.Assignee,
			"tags":     strings.Join(is.Labels, ", "),
			"updated":  is.Updated,
			"estimate": is.Estimate,
			"traces":   parent,
			"release":  strings.Join(releases, ", "),
		}
		for field, w := range want {
			if got := r[col[field]]; got != w {
				t.Errorf("%s: %s is %q in the export, %q in Jira", is.Key, field, got, w)
			}
		}
		wontDo := is.Resolution == "Won't Do" || is.Resolution == "Duplicate"
		if wontDo != (r[col["status"]] == "dropped") {
			t.Errorf("%s: status %q for resolution %q", is.Key, r[col["status"]], is.Resolution)
		}
	}
	if compared != 29 {
		t.Errorf("compared %d issues, want the 29 mapped", compared)
	}
}

// TestImportRefusesToOverwrite: a second import without --update writes
// nothing and names every document in the way.
func TestImportRefusesToOverwrite(t *testing.T) {
	dir := fixture(t)
	if _, err := importInto(t, dir, jira.Options{}); err != nil {
		t.Fatal(err)
	}
	before := files(t, dir)
	_, err := importInto(t, dir, jira.Options{})
	var ce *jira.ConflictError
	if !errors.As(err, &ce) || len(ce.Problems) != 32 {
		t.Fatalf("second import: %v; want a conflict for each of the 32 documents", err)
	}
	if !strings.Contains(ce.Problems[0], "ACME-1 exists (content/strategy/initiatives/acme-1.md); run again with --update") {
		t.Errorf("conflict %q does not say which file and what to do", ce.Problems[0])
	}
	if after := files(t, dir); !equal(before, after) {
		t.Errorf("a refused import changed the site")
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestUpdate: --update refreshes what came from Jira and keeps the body,
// the team's fields, their order and their comments.
func TestUpdate(t *testing.T) {
	dir := fixture(t)
	if _, err := importInto(t, dir, jira.Options{}); err != nil {
		t.Fatal(err)
	}
	story := filepath.Join(dir, "content/backlog/stories/acme-10.md")
	data, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "status: in-progress\n", "status: proposed   # Jira is behind\nrank: 4\n", 1)
	edited = strings.Replace(edited, "extra:\n", "personas: [PER-1]\nextra:\n  figma: https://figma.example/x\n", 1)
	edited = strings.Replace(edited, "owner: Chen Wu\n", "", 1)
	edited += "\nThe team's notes.\n"
	if err := os.WriteFile(story, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	release := filepath.Join(dir, "content/strategy/releases/rel-2.5.md")
	rel, _ := os.ReadFile(release)
	if err := os.WriteFile(release, []byte(strings.Replace(string(rel), "date:   #", "date: 2027-03-01   #", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	summary, err := importInto(t, dir, jira.Options{Update: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "Updated 1 document:\n  story       1\nUnchanged: 31 documents.\n") {
		t.Errorf("summary:\n%s\nwant one story updated, the rest unchanged", summary)
	}
	got, _ := os.ReadFile(story)
	want := strings.Replace(edited, "status: proposed   # Jira is behind\n", "status: in-progress   # Jira is behind\n", 1)
	// The owner the team deleted is Jira's: it comes back, at the end.
	want = strings.Replace(want, "\n---\n", "\nowner: Chen Wu\n---\n", 1)
	if string(got) != want {
		t.Errorf("updated story:\n%s\nwant\n%s", got, want)
	}
	if got, _ := os.ReadFile(release); !strings.Contains(string(got), "date: 2027-03-01") {
		t.Errorf("the team's release date was not kept:\n%s", got)
	}
}

// TestAllOrNothing: a write that fails part way leaves the site as it was,
// with no temporary file or new folder behind.
func TestAllOrNothing(t *testing.T) {
	dir := fixture(t)
	// A file where the releases' folder must go: the releases are written
	// last, after every issue's document.
	blocker := filepath.Join(dir, "content/strategy/releases")
	if err := os.WriteFile(blocker, []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := files(t, dir)
	if _, err := importInto(t, dir, jira.Options{}); err == nil {
		t.Fatal("the import wrote through a file in the way")
	}
	if after := files(t, dir); !equal(before, after) {
		var extra []string
		for name := range after {
			if _, ok := before[name]; !ok {
				extra = append(extra, name)
			}
		}
		t.Errorf("a failed import left files behind: %v", extra)
	}
	for _, d := range []string{"content/backlog"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("a failed import left the folder %s", d)
		}
	}
}

// TestTypeMapping: --type over the settings over the defaults; skip
// leaves a type out without listing it.
func TestTypeMapping(t *testing.T) {
	dir := fixture(t)
	summary, err := importInto(t, dir, jira.Options{Types: map[string]string{"sub-task": "skip", "bug": "skip", "spike": "epic"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(summary, "Not imported") || !strings.Contains(summary, "  epic        6\n  story       16\n") {
		t.Errorf("summary:\n%s\nwant the bugs and the sub-task left out unlisted, the spike an epic", summary)
	}
	if _, err := os.Stat(filepath.Join(dir, "content/backlog/epics/acme-30.md")); err != nil {
		t.Error(err)
	}
}

func TestReleaseIDTakenByAnIssue(t *testing.T) {
	dir := t.TempDir()
	src := "Summary,Issue key,Issue id,Issue Type,Status,Fix Version/s\nA,REL-1,1,Story,To Do,\nB,ACME-2,2,Story,To Do,1\n"
	site := load(t, dir)
	_, err := jira.MakePlan(dir, site.Model, "x.csv", strings.NewReader(src), jira.Options{})
	var ce *jira.ConflictError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "REL-1 and REL-1 (a release) would have the same ID") {
		t.Errorf("MakePlan: %v; want the clash named", err)
	}
}

// TestUpdateNotes: what an update cannot do is said in the summary, and
// the rest of the update goes ahead.
func TestUpdateNotes(t *testing.T) {
	dir := fixture(t)
	if _, err := importInto(t, dir, jira.Options{}); err != nil {
		t.Fatal(err)
	}
	story := filepath.Join(dir, "content/backlog/stories/acme-11.md")
	data, _ := os.ReadFile(story)
	text := string(data)
	i := strings.Index(text, "extra:\n")
	j := strings.Index(text[i:], "---\n")
	text = text[:i] + "extra: {team: 1}\n" + text[i+j:]
	text = strings.Replace(text, "status: proposed", "status: done", 1)
	if err := os.WriteFile(story, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	summary, err := importInto(t, dir, jira.Options{Update: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "Notes:\n  content/backlog/stories/acme-11.md: extra is not written as a block mapping; its jira part was left as it was\n") {
		t.Errorf("summary:\n%s\nwant a note on acme-11's extra", summary)
	}
	got, _ := os.ReadFile(story)
	if !strings.Contains(string(got), "status: proposed\n") || !strings.Contains(string(got), "extra: {team: 1}\n") {
		t.Errorf("acme-11 after the update:\n%s", got)
	}
}
