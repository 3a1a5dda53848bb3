package render

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator/gitlog"
)

func TestChangeSets(t *testing.T) {
	doc := func(front string) *fstest.MapFile { return &fstest.MapFile{Data: []byte("---\n" + front + "---\n")} }
	m := loadModel(t, fstest.MapFS{
		"content/strategy/rel-1.md": doc("id: REL-1\nkind: release\ntitle: Winter\ndate: 2027-01-01\n"),
		"content/strategy/rel-2.md": doc("id: REL-2\nkind: release\ntitle: Spring\ndate: 2027-03-01\n"),
		"content/strategy/rel-3.md": doc("id: REL-3\nkind: release\ntitle: Summer\ndate: 2027-06-01\n"),
		"content/backlog/s-1.md":    doc("id: S-1\nkind: story\ntitle: Old, edited\n"),
		"content/backlog/s-2.md":    doc("id: S-2\nkind: story\ntitle: Done lately\nstatus: done\n"),
		"content/backlog/s-3.md":    doc("id: S-3\nkind: story\ntitle: New\n"),
		"content/backlog/s-4.md":    doc("id: S-4\nkind: story\ntitle: Dropped\nstatus: dropped\n"),
		"content/backlog/s-5.md":    doc("id: S-5\nkind: story\ntitle: Untouched\n"),
	})
	c := func(date, summary string) gitlog.Commit {
		return gitlog.Commit{Hash: date, Date: date, Summary: summary}
	}
	log := gitlog.New(map[string][]gitlog.Commit{
		"content/backlog/s-1.md": {c("2027-03-10", "Edit S-1"), c("2026-12-01", "Add S-1")},
		"content/backlog/s-2.md": {c("2027-03-20", "Finish S-2"), c("2027-02-01", "Start S-2"), c("2026-12-01", "Add S-2")},
		"content/backlog/s-3.md": {c("2027-03-05", "Add S-3")},
		"content/backlog/s-4.md": {c("2027-02-15", "Drop S-4"), c("2026-11-01", "Add S-4")},
		"content/backlog/s-5.md": {c("2026-10-01", "Add S-5")},
	})
	s := NewSite(m, "T", "", "", nil)
	s.History = History{Log: log, Today: time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)}

	var got []string
	for _, cs := range s.ChangeSets() {
		line := fmt.Sprintf("since %s (%s, default %v):", cs.Since, cs.Release.ID, cs.Default)
		for _, it := range cs.Items {
			var sums []string
			for _, cm := range it.Commits {
				sums = append(sums, cm.Summary)
			}
			line += fmt.Sprintf(" %s %s %s [%s];", it.Date, it.What, it.Doc.ID, strings.Join(sums, ", "))
		}
		got = append(got, line)
	}
	want := []string{
		"since 2027-03-01 (REL-2, default true): 2027-03-20 done S-2 [Finish S-2]; 2027-03-10 changed S-1 [Edit S-1]; 2027-03-05 added S-3 [Add S-3];",
		"since 2027-01-01 (REL-1, default false): 2027-03-20 done S-2 [Finish S-2, Start S-2]; 2027-03-10 changed S-1 [Edit S-1]; 2027-03-05 added S-3 [Add S-3]; 2027-02-15 dropped S-4 [Drop S-4];",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ChangeSets:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The public site shows no commit summaries, and no exact dates of a
	// document with a quarter when they are left out.
	s.History.Public = true
	for _, cs := range s.ChangeSets() {
		for _, it := range cs.Items {
			for _, cm := range it.Commits {
				if cm.Summary != "" {
					t.Errorf("public: summary %q of %s", cm.Summary, it.Doc.ID)
				}
			}
		}
	}
	if ch := s.LastChange(m.Lookup("S-1")); ch == nil || ch.Date != "2027-03-10" || ch.Summary != "" || ch.Ago != "3 weeks ago" {
		t.Errorf("public LastChange(S-1) = %+v", ch)
	}
	s.History.Public = false
	if ch := s.LastChange(m.Lookup("S-1")); ch == nil || ch.Summary != "Edit S-1" || !ch.Git {
		t.Errorf("LastChange(S-1) = %+v", ch)
	}
}

func TestAgo(t *testing.T) {
	today := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	for date, want := range map[string]string{
		"2027-04-01": "today", "2027-03-31": "yesterday", "2027-03-29": "3 days ago",
		"2027-03-18": "2 weeks ago", "2027-01-01": "3 months ago", "2025-03-01": "2 years ago",
		"2027-04-02": "", "bad": "",
	} {
		if got := ago(date, today); got != want {
			t.Errorf("ago(%s) = %q, want %q", date, got, want)
		}
	}
	if got := ago("2027-03-01", time.Time{}); got != "" {
		t.Errorf("ago without a today = %q", got)
	}
}
