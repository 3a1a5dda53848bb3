package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"productdocs/generator/diag"
)

func TestParse(t *testing.T) {
	src := `# Settings of the site
title: Acme Checkout
base_url: https://docs.example.internal/checkout
edit_url: https://git.example.internal/acme/docs/edit/main/
unsafe_html: true
checks:
  uncovered: error
  unknown-field: off
  status-mismatch: warning
`
	s, ds := Parse([]byte(src))
	if len(ds) != 0 {
		t.Fatalf("Parse: unexpected diagnostics %v", ds)
	}
	want := Settings{
		Title:      "Acme Checkout",
		BaseURL:    "https://docs.example.internal/checkout/", // a slash is added
		EditURL:    "https://git.example.internal/acme/docs/edit/main/",
		UnsafeHTML: true,
		Checks:     diag.Levels{"uncovered": diag.Error, "unknown-field": diag.Off, "status-mismatch": diag.Warning},
	}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Errorf("Parse =\n %+v\nwant\n %+v", s, want)
	}
}

func TestParseEmptyIsDefaults(t *testing.T) {
	for _, src := range []string{"", "\n", "# only a comment\n"} {
		s, ds := Parse([]byte(src))
		if len(ds) != 0 || s.Title != "" || s.Checks != nil {
			t.Errorf("Parse(%q) = %+v, %v; want the zero settings", src, s, ds)
		}
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		at   string // "line:column"
		msg  string
	}{
		{"unknown setting", "title: x\ncolour: red\n", "2:1", `unknown setting "colour" (want one of title, base_url, edit_url, unsafe_html, checks`},
		{"title not text", "title: [a, b]\n", "1:8", "title must be text, not list"},
		{"base_url not absolute", "base_url: docs/\n", "1:11", `base_url "docs/" must be an absolute http or https URL`},
		{"edit_url with another scheme", "edit_url: ftp://git.example/\n", "1:11", "must be an absolute http or https URL"},
		{"unsafe_html not a boolean", "unsafe_html: \"yes\"\n", "1:14", `unsafe_html must be true or false, not "yes"`},
		{"checks not a mapping", "checks: [uncovered]\n", "1:9", "checks must be a mapping"},
		{"unknown check code", "checks:\n  uncoverd: error\n", "2:3", `unknown check code "uncoverd"`},
		{"unknown severity", "checks:\n  cycle: loud\n", "2:10", `the severity of cycle must be error, warning or off, not "loud"`},
		{"severity not text", "checks:\n  cycle: [error]\n", "2:10", "not a list"},
		{"bad YAML", "title: [x\n", "1:8", "']' not found"},
		{"duplicate key", "title: a\ntitle: b\n", "2:1", `duplicate key "title" (first at line 1)`},
		{"not a mapping", "- title\n", "1:1", "must be a mapping"},
		{"byte order mark", "\ufefftitle: x\nbogus: 1\n", "2:1", `unknown setting "bogus"`},
		{"stale not a mapping", "stale: 30\n", "1:8", "stale must be a mapping of now, next, later, in-progress, open"},
		{"unknown stale key", "stale:\n  soon: 3\n", "2:3", `unknown stale key "soon"`},
		{"stale days zero", "stale:\n  now: 0\n", "2:8", "stale now must be a whole number of days from 1 to 100000, not 0"},
		{"stale days text", "stale:\n  open: a month\n", "2:9", `not "a month"`},
		{"stale days fraction", "stale:\n  later: 1.5\n", "2:10", "not 1.5"},
		{"internal_fields not a list", "internal_fields: owner\n", "1:18", "internal_fields must be a list"},
		{"internal_fields unknown", "internal_fields: [owner, colour]\n", "1:26", `internal_fields names "colour", which is not a field`},
		{"internal_fields title", "internal_fields: [title]\n", "1:19", "which every page shows"},
		{"CRLF and comments keep lines", "# c\r\ntitle: x\r\n# c\r\ncolour: red\r\n", "4:1", `unknown setting "colour"`},
		// import: (jira's mapping)
		{"import not a mapping", "import: jira\n", "1:9", "import must be a mapping"},
		{"unknown tool", "import:\n  trello: {}\n", "2:3", `unknown setting "import.trello"`},
		{"unknown jira key", "import:\n  jira:\n    type: {}\n", "3:5", `unknown setting "import.jira.type" (want one of types, priorities, statuses)`},
		{"types not a mapping", "import:\n  jira:\n    types: [a]\n", "3:12", "import.jira.types must be a mapping"},
		{"unknown kind", "import:\n  jira:\n    types:\n      Bug: defect\n", "4:12", `import.jira.types: "Bug" maps to "defect", which is not one of objective, initiative, epic, story, skip`},
		{"a kind it cannot fill", "import:\n  jira:\n    types:\n      Bug: release\n", "4:12", "not one of"},
		{"bad priority", "import:\n  jira:\n    priorities:\n      High: urgent\n", "4:13", `"High" maps to "urgent"`},
		{"bad status", "import:\n  jira:\n    statuses:\n      Blocked: stuck\n", "4:16", `"Blocked" maps to "stuck"`},
		{"status not text", "import:\n  jira:\n    statuses:\n      Blocked: [done]\n", "4:16", "maps to a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Parse([]byte(tt.src))
			if len(ds) != 1 {
				t.Fatalf("got %d diagnostics %v, want 1", len(ds), ds)
			}
			d := ds[0]
			if got := fmt.Sprintf("%d:%d", d.Line, d.Column); got != tt.at {
				t.Errorf("at %s, want %s", got, tt.at)
			}
			if d.File != File || d.Code != diag.CodeSettings {
				t.Errorf("diagnostic %v: want file %s and code %s", d, File, diag.CodeSettings)
			}
			if !strings.Contains(d.Message, tt.msg) {
				t.Errorf("message %q, want it to contain %q", d.Message, tt.msg)
			}
		})
	}
}

func TestParsePlanSettings(t *testing.T) {
	s, ds := Parse([]byte("stale:\n  now: 14\n  open: 60\ninternal_fields: [owner, rank, owner]\n"))
	if len(ds) != 0 {
		t.Fatalf("Parse: unexpected diagnostics %v", ds)
	}
	for key, want := range map[string]int{"now": 14, "next": 90, "later": 180, "in-progress": 30, "open": 60} {
		if got := s.Stale.Days(key); got != want {
			t.Errorf("Stale.Days(%s) = %d, want %d", key, got, want)
		}
	}
	if got := fmt.Sprint(s.InternalOf()); got != "[owner rank]" {
		t.Errorf("InternalOf = %s, want [owner rank]", got)
	}
	if got := fmt.Sprint(Settings{}.InternalOf()); got != fmt.Sprint(DefaultInternalFields) {
		t.Errorf("the zero settings' InternalOf = %s, want the defaults", got)
	}
	s, _ = Parse([]byte("internal_fields: []\n"))
	if s.InternalOf() == nil || len(s.InternalOf()) != 0 {
		t.Errorf("internal_fields: [] = %v, want an empty list (show every field)", s.InternalOf())
	}
}

func TestParseKeepsGoodSettingsBesideBadOnes(t *testing.T) {
	s, ds := Parse([]byte("title: Kept\nbogus: 1\nchecks:\n  cycle: loud\n  uncovered: error\n"))
	if len(ds) != 2 {
		t.Errorf("got %d diagnostics %v, want 2", len(ds), ds)
	}
	if s.Title != "Kept" || s.Checks["uncovered"] != diag.Error {
		t.Errorf("Parse = %+v, want the good settings kept", s)
	}
	if _, set := s.Checks["cycle"]; set {
		t.Errorf("a bad severity must leave the code at its default")
	}
}

func FuzzSettings(f *testing.F) {
	for _, s := range []string{
		"",
		"title: Acme\nbase_url: https://x.example/\nchecks:\n  uncovered: error\n  unknown-field: off\n",
		"checks:\n  cycle: ~\n",
		"checks: {a: b, cycle: [x]}\n",
		"stale: {now: 3, soon: x, open: -1}\ninternal_fields: [owner, 3, title, exact-dates]\n",
		"base_url: \"http://[::1\"\n",
		"base_url: https://\n",
		"unsafe_html: yes\n",
		"title: &a x\nedit_url: *a\n",
		"? checks\n: {uncovered: error}\n",
		"checks:\n  uncovered: error\n  uncovered: off\n",
		"\ufefftitle: x\r\n",
		"title:\n",
		"title",
		"- a",
		"{",
	} {
		f.Add([]byte(s))
	}
	// The settings of the site fixtures.
	archives, err := filepath.Glob(filepath.Join("..", "testdata", "sites", "*.txtar"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range archives {
		a, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if file.Name == File {
				f.Add(file.Data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, ds := Parse(src)
		// A lone CR ends a line too, for YAML as for editors.
		lines := strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r") + 1
		for _, d := range ds {
			if d.File != File || d.Code != diag.CodeSettings || d.Message == "" {
				t.Fatalf("diagnostic %v: want a settings message on %s", d, File)
			}
			if d.Line < 1 || d.Line > lines || d.Column < 1 {
				t.Fatalf("diagnostic %v outside the file (%d lines)", d, lines)
			}
		}
		for code, sev := range s.Checks {
			if _, ok := diag.LookupCode(code); !ok || (sev != diag.Off && sev != diag.Warning && sev != diag.Error) {
				t.Fatalf("Checks[%q] = %v: not a known code and severity", code, sev)
			}
		}
		if s.BaseURL != "" && !strings.HasSuffix(s.BaseURL, "/") {
			t.Fatalf("BaseURL %q does not end in a slash", s.BaseURL)
		}
	})
}
