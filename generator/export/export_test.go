package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator"
	"productdocs/generator/export"
	"productdocs/generator/model"
)

// site is a small site with one chain from a story to the vision, a story
// that skips the epic, and titles a spreadsheet would run as formulas.
var site = fstest.MapFS{
	"content/strategy/vision.md": {Data: []byte("---\nid: VIS-1\nkind: vision\ntitle: The vision\n---\n")},
	"content/strategy/obj.md":    {Data: []byte("---\nid: OBJ-1\nkind: objective\ntitle: \"=HYPERLINK(\\\"http://evil\\\")\"\ntraces: VIS-1\nkey_results:\n  - {metric: conversion, target: 3, current: 2}\n---\n")},
	"content/strategy/ini.md":    {Data: []byte("---\nid: INI-1\nkind: initiative\ntitle: \"@SUM(1+1)\"\ntraces: OBJ-1\nhorizon: now\n---\n")},
	"content/strategy/rel.md":    {Data: []byte("---\nid: REL-1\nkind: release\ntitle: R1\ndate: 2027-01-15\n---\n")},
	"content/backlog/epic.md":    {Data: []byte("---\nid: EPIC-1\nkind: epic\ntitle: \"-2+3\"\ntraces: INI-1\n---\n")},
	"content/backlog/s2.md":      {Data: []byte("---\nid: STORY-2\nkind: story\ntitle: \"+tab\"\nstatus: done\ntraces: EPIC-1\nestimate: 3\nrelease: REL-1\ntags: [a, b]\n---\n## Acceptance criteria\n\n- [x] one\n- [ ] two\n")},
	"content/backlog/s10.md":     {Data: []byte("---\nid: STORY-10\nkind: story\ntitle: \"\\tTabbed, \\\"quoted\\\"\\nand two lines\"\ntraces: INI-1\nestimate: 2\nrelease: REL-1\n---\n")},
	"content/guides/writing.md":  {Data: []byte("---\ntitle: Writing\n---\nText.\n")},
}

func rows(t *testing.T, o export.Options) [][]string {
	t.Helper()
	s, err := generator.Load(context.Background(), site)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := export.Write(&b, s.Model, o); err != nil {
		t.Fatal(err)
	}
	if o.BOM != strings.HasPrefix(b.String(), "\ufeff") {
		t.Errorf("BOM %v, output starts %q", o.BOM, b.String()[:3])
	}
	if !strings.HasSuffix(b.String(), "\r\n") {
		t.Errorf("rows do not end with CRLF, as RFC 4180 has them")
	}
	r, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, b.String())
	}
	return r
}

func TestExport(t *testing.T) {
	r := rows(t, export.Options{})
	col := map[string]int{}
	for i, name := range r[0] {
		col[name] = i
	}
	var ids []string
	for _, row := range r[1:] {
		ids = append(ids, row[0])
	}
	// Natural ID order: STORY-2 before STORY-10; pages by their path.
	if got, want := strings.Join(ids, " "), "EPIC-1 guides/writing INI-1 OBJ-1 REL-1 STORY-2 STORY-10 VIS-1"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
	get := func(id, field string) string {
		for _, row := range r[1:] {
			if row[0] == id {
				return row[col[field]]
			}
		}
		t.Fatalf("no row %s", id)
		return ""
	}
	tests := []struct{ id, field, want string }{
		// The chain, one column per level, from WhyChain.
		{"STORY-2", "chain_vision", "VIS-1"},
		{"STORY-2", "chain_objective", "OBJ-1"},
		{"STORY-2", "chain_initiative", "INI-1"},
		{"STORY-2", "chain_epic", "EPIC-1"},
		{"STORY-10", "chain_epic", ""},
		{"STORY-10", "chain_initiative", "INI-1"},
		{"VIS-1", "chain_vision", ""},
		// Fields.
		{"STORY-2", "tags", "a, b"},
		{"STORY-2", "estimate", "3"},
		{"STORY-2", "release", "REL-1"},
		{"STORY-2", "traces", "EPIC-1"},
		{"INI-1", "horizon", "now"},
		{"REL-1", "date", "2027-01-15"},
		{"OBJ-1", "key_results", "conversion: 2/3"},
		{"guides/writing", "kind", "page"},
		// Progress, from RollupOf, and a story's own criteria.
		{"INI-1", "progress_done", "1"},
		{"INI-1", "progress_items", "2"},
		{"INI-1", "progress_percent", "50"},
		{"INI-1", "progress_estimate", "5"},
		{"INI-1", "progress_estimate_done", "3"},
		{"REL-1", "progress_items", "2"},
		{"STORY-2", "progress_items", ""},
		{"STORY-2", "criteria", "2"},
		{"STORY-2", "criteria_checked", "1"},
		// Formula injection guarded; quoting kept for the rest.
		{"OBJ-1", "title", `'=HYPERLINK("http://evil")`},
		{"INI-1", "title", "'@SUM(1+1)"},
		{"EPIC-1", "title", "'-2+3"},
		{"STORY-2", "title", "'+tab"},
		{"STORY-10", "title", "'\tTabbed, \"quoted\"\nand two lines"},
	}
	for _, tt := range tests {
		if got := get(tt.id, tt.field); got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.id, tt.field, got, tt.want)
		}
	}
}

func TestExportOptions(t *testing.T) {
	r := rows(t, export.Options{Kinds: []string{"story", "epic"}, Fields: []string{"title", "id", "chain_epic"}, BOM: true})
	want := [][]string{
		{"title", "id", "chain_epic"},
		{"'-2+3", "EPIC-1", ""},
		{"'+tab", "STORY-2", "EPIC-1"},
		{"'\tTabbed, \"quoted\"\nand two lines", "STORY-10", ""},
	}
	if len(r) != len(want) {
		t.Fatalf("rows %q, want %q", r, want)
	}
	for i := range want {
		if strings.Join(r[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, r[i], want[i])
		}
	}
}

func TestValidate(t *testing.T) {
	for _, o := range []export.Options{{Kinds: []string{"bug"}}, {Fields: []string{"id", "colour"}}} {
		if err := export.Validate(o); err == nil {
			t.Errorf("Validate(%+v) accepted it", o)
		}
	}
	if err := export.Validate(export.Options{Kinds: []string{"page"}, Fields: export.Columns()}); err != nil {
		t.Error(err)
	}
}

func TestGuard(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@A1": "'@A1", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "x=1": "x=1", "2027-01-15": "2027-01-15", "'": "'", " =1": " =1",
	} {
		if got := export.Guard(in); got != want {
			t.Errorf("Guard(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestColumnsFollowTheKindsTable: every kind's own and reference fields
// have a column, so a new field is exported without an edit here.
func TestColumnsFollowTheKindsTable(t *testing.T) {
	cols := strings.Join(export.Columns(), ",") + ","
	for _, k := range model.Kinds {
		for _, name := range k.FieldNames() {
			if name == "extra" || name == "id" || name == "kind" {
				continue
			}
			if !strings.Contains(","+cols, ","+name+",") {
				t.Errorf("no column for %s's field %s", k.Name, name)
			}
		}
	}
	if got := strings.Join(export.Levels(), ","); got != "vision,objective,initiative,epic" {
		t.Errorf("Levels = %s", got)
	}
}
