package check_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator"
	"productdocs/generator/check"
	"productdocs/generator/diag"
	"productdocs/generator/gitlog"
)

const (
	rel1  = "content/strategy/releases/rel-1.md"
	ini1  = "content/strategy/initiatives/ini-1.md"
	epic1 = "content/backlog/epics/epic-1.md"
)

// loadPlan is load with a date and, where given, the last commits of
// some files.
func loadPlan(t *testing.T, files map[string]string, today string, git map[string]check.Change) *generator.Site {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range base {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	var o generator.LoadOptions
	if today != "" {
		day, err := time.Parse(time.DateOnly, today)
		if err != nil {
			t.Fatal(err)
		}
		o.Today = day
	}
	if git != nil {
		files := map[string][]gitlog.Commit{}
		for f, c := range git {
			files[f] = []gitlog.Commit{{Hash: "0123456789abcdef0123456789abcdef01234567", Date: c.Date, Summary: c.Summary}}
		}
		o.History = gitlog.New(files)
	}
	s, err := generator.LoadWith(context.Background(), fsys, o)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// Files of the base site changed for the cases below: REL-1 is dated
// 2027-03-01 and names EPIC-1 (planned); INI-1 is proposed, for 2027-Q1.
var (
	relLater = "---\nid: REL-1\nkind: release\ntitle: Spring\ndate: 2027-12-01\n---\n"
	iniLater = "---\nid: INI-1\nkind: initiative\ntitle: One-page checkout\ntraces: OBJ-1\nhorizon: now\nquarter: 2027-Q4\nevidence: MKT-1\n---\n\n## Scope\n\nOne page.\n"
	epicAt   = func(extra string) string {
		return "---\nid: EPIC-1\nkind: epic\ntitle: Address and card\nstatus: planned\ntraces: INI-1\nrelease: REL-1\npersonas: [PER-1]\nrank: 1\n" + extra + "---\n\n## Scope\n\nAddress and card.\n"
	}
)

var planTests = []struct {
	code, name string
	today      string
	files      map[string]string
	git        map[string]check.Change
	want       []string
}{
	{"late", "a release whose date has passed with open work", "2027-03-02", nil, nil,
		[]string{rel1 + ":5:7 late release REL-1's date, 2027-03-01, has passed, but 1 item planned for it is still open: EPIC-1"}},
	{"late", "reported once, naming every open item in ID order", "2027-03-02", map[string]string{
		"content/backlog/stories/story-10.md": "---\nid: STORY-10\nkind: story\ntitle: B\ntraces: EPIC-1\nrelease: REL-1\n---\n",
		"content/backlog/stories/story-9.md":  "---\nid: STORY-9\nkind: story\ntitle: A\ntraces: EPIC-1\nrelease: REL-1\nstatus: done\n---\n",
	}, nil, []string{rel1 + ":5:7 late 2 items planned for it are still open: EPIC-1, STORY-10"}},
	{"late", "near miss: a release dated today has not passed", "2027-03-01", nil, nil, nil},
	{"late", "near miss: no date, no late", "", nil, nil, nil},
	{"late", "an open initiative whose quarter has ended", "2027-04-01", map[string]string{rel1: relLater}, nil,
		[]string{ini1 + ":7:10 late initiative INI-1 is proposed, but its quarter, 2027-Q1, ended on 2027-03-31"}},
	{"late", "near miss: the last day of the quarter", "2027-03-31", map[string]string{rel1: relLater}, nil, nil},

	{"stale", "an open epic unchanged for longer than 90 days", "2027-04-02", map[string]string{rel1: relLater, ini1: iniLater, epic1: epicAt("updated: 2027-01-01\n")}, nil,
		[]string{epic1 + ":10:10 stale epic EPIC-1 is planned, but its last change (updated: 2027-01-01) is 91 days old; proposed or planned epics and stories are stale after 90"}},
	{"stale", "near miss: exactly 90 days", "2027-04-01", map[string]string{rel1: relLater, ini1: iniLater, epic1: epicAt("updated: 2027-01-01\n")}, nil, nil},
	{"stale", "the last commit, where updated: is not given", "2027-04-02", map[string]string{rel1: relLater, ini1: iniLater},
		map[string]check.Change{epic1: {Date: "2027-01-01", Summary: "Plan the card epic"}},
		[]string{epic1 + `:5:9 stale its last change (the commit of 2027-01-01, "Plan the card epic") is 91 days old`}},
	{"stale", "near miss: updated: wins over an older commit", "2027-04-02", map[string]string{rel1: relLater, ini1: iniLater, epic1: epicAt("updated: 2027-03-01\n")},
		map[string]check.Change{epic1: {Date: "2026-01-01", Summary: "Old"}}, nil},
	{"stale", "a limit set in productdocs.yaml, for an initiative by horizon", "2027-01-12", map[string]string{
		"productdocs.yaml": "title: Checkout\nstale:\n  now: 10\n",
	}, map[string]check.Change{ini1: {Date: "2027-01-01", Summary: "Scope"}},
		[]string{ini1 + ":1:1 stale initiative INI-1 is proposed, but its last change (the commit of 2027-01-01, \"Scope\") is 11 days old; now initiatives are stale after 10"}},
	{"stale", "near miss: no known date is not stale", "2030-01-01", map[string]string{rel1: strings.Replace(relLater, "2027-12-01", "2031-01-01", 1), ini1: strings.Replace(iniLater, "2027-Q4", "2030-Q4", 1)}, nil, nil},
	{"stale", "near miss: a done story is never stale", "2027-12-01", map[string]string{
		rel1: strings.Replace(relLater, "2027-12-01", "2028-01-01", 1), ini1: iniLater,
		"content/backlog/stories/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: INI-1\nstatus: done\nupdated: 2020-01-01\n---\n",
	}, nil, nil},

	{"duplicate-rank", "two backlog items share a rank", "", map[string]string{
		"content/backlog/stories/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nrank: 1\n---\n",
	}, nil, []string{"content/backlog/stories/story-2.md:6:7 duplicate-rank rank 1 is taken by EPIC-1 too (content/backlog/epics/epic-1.md)"}},
	{"duplicate-rank", "near miss: ranks of their own", "", map[string]string{
		"content/backlog/stories/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nrank: 2\n---\n",
	}, nil, nil},

	{"audience", "a public document traces and links to internal ones", "", map[string]string{
		ini1: "---\nid: INI-1\nkind: initiative\ntitle: One-page checkout\ntraces: OBJ-1\nhorizon: now\naudience: public\n---\n\nSee [[MKT-1]] and [[PER-1|our buyer]].\n\n## Scope\n",
	}, nil, []string{
		ini1 + ":5:9 audience traces to OBJ-1, which is internal: the public site ends the why-chain at INI-1",
		ini1 + ":10:5 audience links to MKT-1, which is internal: the public site shows nothing in its place",
		ini1 + `:10:19 audience links to PER-1, which is internal: the public site shows the link's text "our buyer" instead`,
	}},
	{"audience", "near miss: public all the way up", "", map[string]string{
		ini1:                                   "---\nid: INI-1\nkind: initiative\ntitle: One-page checkout\ntraces: OBJ-1\nhorizon: now\naudience: public\n---\n\n## Scope\n",
		"content/strategy/objectives/obj-1.md": strings.Replace(base["content/strategy/objectives/obj-1.md"], "traces: VIS-1\n", "traces: VIS-1\naudience: public\n", 1),
		"content/strategy/vision.md":           strings.Replace(base["content/strategy/vision.md"], "kind: vision\n", "kind: vision\naudience: public\n", 1),
	}, nil, []string{
		// OBJ-1's evidence is internal: that is the objective's to say.
		"content/strategy/objectives/obj-1.md:8:12 audience cites as evidence MKT-1, which is internal: the public site leaves this reference out",
		"content/strategy/objectives/obj-1.md:8:19 audience cites as evidence CMP-1",
		"content/strategy/objectives/obj-1.md:8:26 audience cites as evidence PER-1",
	}},
	{"audience", "an unknown audience is an invalid field", "", map[string]string{
		ini1: strings.Replace(iniLater, "horizon: now\n", "horizon: now\naudience: customers\n", 1),
	}, nil, []string{ini1 + `:7:11 invalid-field audience "customers" is not one of internal, public`}},
}

func TestPlanChecks(t *testing.T) {
	covered := map[string]bool{}
	for _, tt := range planTests {
		t.Run(tt.code+"/"+tt.name, func(t *testing.T) {
			s := loadPlan(t, tt.files, tt.today, tt.git)
			expect(t, s, tt.want)
			for _, w := range tt.want {
				if strings.Contains(w, " "+tt.code+" ") {
					covered[tt.code] = true
				}
			}
		})
	}
	for _, c := range check.PlanCodes {
		if !covered[c] {
			t.Errorf("no case fires %s", c)
		}
	}
}

func TestPlanChecksSettable(t *testing.T) {
	s := loadPlan(t, map[string]string{
		"productdocs.yaml":                   "title: Checkout\nchecks:\n  late: error\n  duplicate-rank: off\n",
		"content/backlog/stories/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: B\ntraces: EPIC-1\nrank: 1\n---\n",
	}, "2027-03-02", nil)
	if len(s.Diagnostics) != 1 || s.Diagnostics[0].Code != diag.CodeLate || s.Diagnostics[0].Severity != diag.Error {
		t.Errorf("diagnostics %v, want late alone, as an error", s.Diagnostics)
	}
}
