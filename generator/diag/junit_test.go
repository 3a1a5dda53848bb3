package diag

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func readJUnit(t *testing.T, r *Report, strict bool) JUnitSuites {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r, strict); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %.60q", b.String())
	}
	var out JUnitSuites
	if err := xml.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("reading the output back: %v", err)
	}
	return out
}

func TestJUnit(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		name   string
		strict bool
		// suite → tests, failures
		want     map[string][2]int
		failures int
	}{
		// The settings suite holds the files that are no document: the
		// settings, a template, a copied file and one that clashes.
		{"warnings pass", false, map[string][2]int{"strategy": {5, 4}, "backlog": {6, 4}, "pages": {3, 1}, "settings": {4, 4}}, 13},
		// story-2.md has a warning only; it fails under --strict.
		{"strict", true, map[string][2]int{"strategy": {5, 4}, "backlog": {6, 5}, "pages": {3, 1}, "settings": {4, 4}}, 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := readJUnit(t, r, tt.strict)
			var names []string
			for _, s := range out.Suites {
				names = append(names, s.Name)
				if got := [2]int{s.Tests, s.Failures}; got != tt.want[s.Name] || len(s.Cases) != s.Tests {
					t.Errorf("suite %s: %d cases, tests=%d failures=%d; want tests, failures = %v", s.Name, len(s.Cases), s.Tests, s.Failures, tt.want[s.Name])
				}
			}
			if got := strings.Join(names, ","); got != "strategy,backlog,pages,settings" {
				t.Errorf("suites %s, want strategy,backlog,pages,settings", got)
			}
			if out.Tests != len(r.Documents)+4 || out.Failures != tt.failures {
				t.Errorf("testsuites: tests=%d failures=%d, want %d, %d", out.Tests, out.Failures, len(r.Documents)+4, tt.failures)
			}
		})
	}
}

func TestJUnitCases(t *testing.T) {
	cases := map[string]JUnitCase{}
	for _, s := range readJUnit(t, fixture(t), false).Suites {
		for _, c := range s.Cases {
			cases[c.Name] = c
		}
	}

	story1 := cases["content/backlog/stories/story-1.md"]
	if story1.Classname != "backlog" || story1.File != story1.Name || story1.Failure == nil {
		t.Fatalf("story-1.md: %+v; want a failing case in backlog", story1)
	}
	f := story1.Failure
	if f.Type != CodeBrokenLink || !strings.HasPrefix(f.Message, "7:9: traces to \"EPIC-9\"") || !strings.HasSuffix(f.Message, "(and 1 more)") {
		t.Errorf("failure type %q, message %q; want the first error, and how many more", f.Type, f.Message)
	}
	// Every diagnostic of the file, the warning too, one per line in order.
	var want strings.Builder
	for _, d := range ForFile(fixture(t).Diagnostics, story1.Name) {
		want.WriteString(d.String() + "\n")
	}
	if f.Text != want.String() {
		t.Errorf("failure text:\n%s\nwant:\n%s", f.Text, want.String())
	}

	story2 := cases["content/backlog/stories/story-2.md"]
	if story2.Failure != nil || !strings.Contains(story2.SystemOut, "warning: \"prio\" is not a field") {
		t.Errorf("story-2.md, warnings only: %+v; want a passing case with the warning in system-out", story2)
	}
	clean := cases["content/guides/clean.md"]
	if clean.Classname != "pages" || clean.Failure != nil || clean.SystemOut != "" {
		t.Errorf("clean.md: %+v; want a passing case in pages, without output", clean)
	}
	settings := cases["productdocs.yaml"]
	if settings.Classname != "settings" || settings.Failure == nil || settings.Failure.Type != CodeSettings {
		t.Errorf("productdocs.yaml: %+v; want a failing case in settings", settings)
	}

	// A multi-line message survives the trip through XML.
	frontmatter := cases["content/backlog/stories/story-3.md"].Failure
	if frontmatter == nil || !strings.Contains(frontmatter.Text, "100% | fast\n") {
		t.Errorf("story-3.md's failure lost its message's lines: %+v", frontmatter)
	}
}

func TestJUnitEmpty(t *testing.T) {
	out := readJUnit(t, &Report{}, false)
	if out.Tests != 0 || len(out.Suites) != 0 {
		t.Errorf("an empty report gives %+v, want no suites", out)
	}
}
