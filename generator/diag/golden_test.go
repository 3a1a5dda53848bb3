package diag

import (
	"bytes"
	"path/filepath"
	"testing"

	"productdocs/generator/internal/testkit"
)

// fixtureDocuments are a small site's documents: several in each section,
// some clean, one with warnings only.
var fixtureDocuments = []Document{
	{File: "content/backlog/epics/epic-1.md", ID: "EPIC-1", Section: "backlog"},
	{File: "content/backlog/feedback/fb-1.md", ID: "FB-1", Section: "backlog"},
	{File: "content/backlog/stories/story-1.md", ID: "STORY-1", Section: "backlog"},
	{File: "content/backlog/stories/story-2.md", ID: "STORY-2", Section: "backlog"},
	{File: "content/backlog/stories/story-3.md", ID: "STORY-3", Section: "backlog"},
	{File: "content/backlog/stories/story-4.md", ID: "STORY-1", Section: "backlog"},
	{File: "content/guides/clean.md", ID: "guides/clean", Section: ""},
	{File: "content/guides/writing.md", ID: "guides/writing", Section: ""},
	{File: "content/index.md", ID: "index", Section: ""},
	{File: "content/strategy/initiatives/ini-1.md", ID: "INI-1", Section: "strategy"},
	{File: "content/strategy/initiatives/ini-2.md", ID: "INI-2", Section: "strategy"},
	{File: "content/strategy/objectives/obj-1.md", ID: "OBJ-1", Section: "strategy"},
	{File: "content/strategy/story-9.md", ID: "STORY-9", Section: "strategy"},
	{File: "content/strategy/vision.md", ID: "VIS-1", Section: "strategy"},
}

// fixtureDiagnostics has at least one diagnostic of every code, keyed by
// code so that a code added to Codes without one here fails the test.
// Messages carry the characters formats must escape: '%', ':', ',', '|',
// '<', a quote and a line break.
var fixtureDiagnostics = map[string][]Diagnostic{
	CodeFrontmatter: {{File: "content/backlog/stories/story-3.md", Line: 4, Column: 10,
		Message: "[4:10] mapping value is not allowed in this context\n>  4 | title: Pay: by card, 100% | fast\n                ^"}},
	CodeConflict: {{File: "content/guides/writing.md", Line: 12, Column: 1,
		Message: "unresolved merge conflict (lines 12 to 16): keep one side and remove the markers"}},
	CodeInvalidField: {{File: "content/strategy/objectives/obj-1.md", Line: 6, Column: 9,
		Message: `status "active" is not one of proposed, planned, in-progress, done, dropped`}},
	CodeMissingField: {{File: "content/strategy/initiatives/ini-1.md", Line: 1, Column: 1,
		Message: "an initiative needs a horizon: now, next or later"}},
	CodeUnknownKind: {{File: "content/guides/writing.md", Line: 2, Column: 7,
		Message: `kind "guide" is not one of the kinds`}},
	CodeDuplicateID: {{File: "content/backlog/stories/story-4.md", Line: 2, Column: 5,
		Message: `ID "STORY-1" is taken by content/backlog/stories/story-1.md`}},
	CodeMisplaced: {{File: "content/strategy/story-9.md", Line: 3, Column: 7,
		Message: "a story belongs under content/backlog/"}},
	CodeBrokenLink: {{File: "content/backlog/stories/story-1.md", Line: 7, Column: 9,
		Message: `traces to "EPIC-9", which no document has; did you mean "EPIC-1"?`}},
	CodeWrongKind: {{File: "content/backlog/epics/epic-1.md", Line: 6, Column: 9,
		Message: `traces to "OBJ-1", an objective; an epic traces to an initiative`}},
	CodeUntraced: {{File: "content/backlog/stories/story-4.md", Line: 1, Column: 1,
		Message: "a story needs traces: the epic or initiative it delivers"}},
	CodeCycle: {{File: "content/strategy/initiatives/ini-1.md", Line: 8, Column: 13,
		Message: "depends_on forms a cycle: INI-1 → INI-2 → INI-1"}},
	CodeSectionBoundary: {{File: "content/strategy/vision.md", Line: 9, Column: 12,
		Message: `links into the backlog ("STORY-1"); strategy must read on its own`}},
	CodeBrokenBodyLink: {{File: "content/backlog/stories/story-1.md", Line: 14, Column: 5,
		Message: `links to "#acceptance-critera", but there is no such heading; did you mean "#acceptance-criteria"?`}},
	CodeUnknownField: {{File: "content/backlog/stories/story-2.md", Line: 9, Column: 1,
		Message: `"prio" is not a field of a story; did you mean "priority"?`}},
	CodeUncovered: {{File: "content/strategy/objectives/obj-1.md", Line: 1, Column: 1,
		Message: "objective OBJ-1 is open, and no initiative traces to it"}},
	CodeDroppedTarget: {{File: "content/backlog/epics/epic-1.md", Line: 6, Column: 9,
		Message: `traces to "INI-2", which is dropped`}},
	CodeStatusMismatch: {{File: "content/backlog/stories/story-1.md", Line: 4, Column: 9,
		Message: "status is done, but 1 of 3 acceptance criteria is unchecked"}},
	CodeLate: {{File: "content/strategy/initiatives/ini-1.md", Line: 7, Column: 10,
		Message: "initiative INI-1 is in-progress, but its quarter, 2027-Q1, ended on 2027-03-31"}},
	CodeStale: {{File: "content/backlog/stories/story-2.md", Line: 6, Column: 9,
		Message: "story STORY-2 is in-progress, and its last change (git, 2027-01-02: \"Pay: by card, 100%\") is 45 days old; in-progress items are stale after 30"}},
	CodeDuplicateRank: {{File: "content/backlog/stories/story-2.md", Line: 8, Column: 7,
		Message: "rank 3 is taken by STORY-1 too"}},
	CodeAudience: {{File: "content/strategy/initiatives/ini-1.md", Line: 11, Column: 3,
		Message: `links to OBJ-2, which is internal: the public site shows the link's text "<goals>" instead`}},
	CodeSettings: {{File: "productdocs.yaml", Line: 4, Column: 3,
		Message: `checks: "uncoverd" is not a code; did you mean "uncovered"?`}},
	CodeTemplate: {{File: "templates/page.html", Line: 12, Column: 5,
		Message: `template: page.html:12: function "titel" not defined <use "title">`}},
	CodeRefusedFile: {{File: "content/media/demo.mp4", Line: 1, Column: 1,
		Message: "the file is not copied: it is larger than 128 MB, the most such a file may be"}},
	CodeOutputClash: {{File: "content/trace.md", Line: 1, Column: 1,
		Message: "trace/index.html is written twice: by this document's page and by the traceability page (trace.html)"}},
}

// fixture returns a report as a run over the fixture site gives it: every
// diagnostic at its code's default severity, sorted.
func fixture(t *testing.T) *Report {
	t.Helper()
	var ds []Diagnostic
	for _, c := range Codes {
		if len(fixtureDiagnostics[c.Name]) == 0 {
			t.Fatalf("no fixture diagnostic for code %q: add one to fixtureDiagnostics", c.Name)
		}
		for _, d := range fixtureDiagnostics[c.Name] {
			d.Code = c.Name
			ds = append(ds, d)
		}
	}
	return &Report{Diagnostics: Sort(Levels{}.Apply(ds)), Documents: fixtureDocuments}
}

// golden compares got with testdata/name, or rewrites the file under
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got)
}

func TestGolden(t *testing.T) {
	r := fixture(t)
	tests := []struct {
		golden string
		write  func(*bytes.Buffer) error
	}{
		{"report.text", func(b *bytes.Buffer) error { return Write(b, "text", r) }},
		{"report.json", func(b *bytes.Buffer) error { return Write(b, "json", r) }},
		{"report.github", func(b *bytes.Buffer) error { return Write(b, "github", r) }},
		{"report.sarif", func(b *bytes.Buffer) error { return WriteSARIF(b, r, "1.2.3") }},
		{"report.junit.xml", func(b *bytes.Buffer) error { return Write(b, "junit", r) }},
		{"report-strict.junit.xml", func(b *bytes.Buffer) error { return WriteJUnit(b, r, true) }},
		{"step-summary.md", func(b *bytes.Buffer) error { return WriteStepSummary(b, r) }},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.Bytes())

			// Same input, same bytes: nothing in a format may depend on
			// map order or the clock.
			var again bytes.Buffer
			if err := tt.write(&again); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Error("a second run wrote different output")
			}
		})
	}
}

func TestFormatsRegistered(t *testing.T) {
	for _, name := range []string{"text", "json", "github", "sarif", "junit"} {
		if !HasFormat(name) {
			t.Errorf("format %q is not registered", name)
		}
	}
}
