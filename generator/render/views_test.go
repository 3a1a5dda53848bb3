package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator"
	"productdocs/generator/model"
	"productdocs/generator/render"
	"productdocs/templates"
)

// viewSite is a small site with every relation the views read: two
// objectives, initiatives over three quarters (one empty between them),
// releases, epics with stories, feedback and personas.
var viewSite = map[string]string{
	"content/strategy/vision.md":  "id: VIS-1\nkind: vision\ntitle: V",
	"content/strategy/obj-1.md":   "id: OBJ-1\nkind: objective\ntitle: O1\ntraces: VIS-1",
	"content/strategy/obj-2.md":   "id: OBJ-2\nkind: objective\ntitle: O2\ntraces: VIS-1",
	"content/strategy/ini-2.md":   "id: INI-2\nkind: initiative\ntitle: I2\ntraces: OBJ-1\nhorizon: now\nquarter: 2026-Q4\nstatus: in-progress\nowner: Ana",
	"content/strategy/ini-10.md":  "id: INI-10\nkind: initiative\ntitle: I10\ntraces: [OBJ-1, OBJ-2]\nhorizon: next\nquarter: 2027-Q2\nowner: Sam",
	"content/strategy/ini-3.md":   "id: INI-3\nkind: initiative\ntitle: I3\ntraces: OBJ-2\nhorizon: now\nquarter: 2026-Q4\nstatus: done",
	"content/strategy/ini-4.md":   "id: INI-4\nkind: initiative\ntitle: I4\ntraces: OBJ-2\nhorizon: later\nstatus: dropped",
	"content/strategy/ini-5.md":   "id: INI-5\nkind: initiative\ntitle: I5\ntraces: OBJ-2\nhorizon: later",
	"content/strategy/rel-1.md":   "id: REL-1\nkind: release\ntitle: R1\ndate: 2026-12-20",
	"content/strategy/rel-2.md":   "id: REL-2\nkind: release\ntitle: R2\ndate: 2026-12-01",
	"content/strategy/per-1.md":   "id: PER-1\nkind: persona\ntitle: P1",
	"content/backlog/epic-1.md":   "id: EPIC-1\nkind: epic\ntitle: E1\ntraces: INI-2\nrank: 1\nowner: Ana\nestimate: 8",
	"content/backlog/epic-2.md":   "id: EPIC-2\nkind: epic\ntitle: E2\ntraces: INI-2\nrank: 2\nrelease: REL-1\nestimate: 5\nstatus: done\nsummary: Second",
	"content/backlog/story-2.md":  "id: STORY-2\nkind: story\ntitle: S2\ntraces: EPIC-1\nrank: 3\nrelease: REL-1\nestimate: 3\nstatus: done\nsummary: Two\npersonas: PER-1\n---\n## Acceptance criteria\n\n- [x] a\n- [x] b\n",
	"content/backlog/story-10.md": "id: STORY-10\nkind: story\ntitle: \"=HYPERLINK(\\\"x\\\")\"\ntraces: EPIC-1\nrank: 4\nrelease: REL-1\nestimate: 2\nstatus: in-progress\nowner: Sam\naddresses: FB-2\n---\n## Acceptance criteria\n\n- [ ] c\n",
	"content/backlog/story-11.md": "id: STORY-11\nkind: story\ntitle: S11\ntraces: EPIC-1\naddresses: FB-3\nstatus: dropped",
	"content/backlog/story-12.md": "id: STORY-12\nkind: story\ntitle: S12\ntraces: INI-2\naddresses: FB-4",
	"content/backlog/fb-1.md":     "id: FB-1\nkind: feedback\ntitle: F1\nsource: call\npersonas: PER-1",
	"content/backlog/fb-2.md":     "id: FB-2\nkind: feedback\ntitle: F2\nsource: call",
	"content/backlog/fb-3.md":     "id: FB-3\nkind: feedback\ntitle: F3\nsource: call",
	"content/backlog/fb-4.md":     "id: FB-4\nkind: feedback\ntitle: F4\nsource: call",
	"content/backlog/fb-5.md":     "id: FB-5\nkind: feedback\ntitle: F5\nsource: call",
	"content/backlog/story-20.md": "id: STORY-20\nkind: story\ntitle: S20\ntraces: EPIC-2\naddresses: FB-5\nstatus: done\nrelease: REL-2",
}

// loadViews builds the view of a site of frontmatter (and, after a line
// "---", a body) as of today.
func loadViews(t *testing.T, files map[string]string, today string) *render.SiteView {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fm, body, _ := strings.Cut(src, "\n---\n")
		fsys[name] = &fstest.MapFile{Data: []byte("---\n" + fm + "\n---\n" + body)}
	}
	site, err := generator.Load(t.Context(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	v := render.NewSite(site.Model, "", "", "", site.Diagnostics)
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		t.Fatal(err)
	}
	v.History.Today = day
	return v
}

func doc(t *testing.T, v *render.SiteView, id string) *model.Document {
	t.Helper()
	d := v.Model.Lookup(id)
	if d == nil {
		t.Fatalf("no %s", id)
	}
	return d
}

func TestStateOf(t *testing.T) {
	v := loadViews(t, viewSite, "2026-12-08")
	for _, tc := range []struct {
		id, state, release string
		by                 []string
	}{
		{"FB-1", "none", "", nil},                         // no work addresses it
		{"FB-2", "in-progress", "", []string{"STORY-10"}}, // its story is in progress
		{"FB-3", "none", "", nil},                         // only dropped work addresses it
		{"FB-4", "planned", "", []string{"STORY-12"}},     // proposed work
		{"FB-5", "shipped", "REL-2", []string{"STORY-20"}},
	} {
		t.Run(tc.id, func(t *testing.T) {
			s := render.StateOf(doc(t, v, tc.id))
			rel := ""
			if s.Release != nil {
				rel = s.Release.ID
			}
			if s.State != tc.state || rel != tc.release || !slices.Equal(ids(s.By), tc.by) {
				t.Errorf("StateOf = %s, release %q, by %v; want %s, %q, %v", s.State, rel, ids(s.By), tc.state, tc.release, tc.by)
			}
		})
	}
	if got := v.Health.Unaddressed; got != 2 {
		t.Errorf("Health.Unaddressed = %d, want 2 (FB-1, FB-3)", got)
	}
}

func TestRoadmap(t *testing.T) {
	for _, tc := range []struct {
		name, today string
		todayQ      string // the column marked, or ""
		note        bool
	}{
		{"today in a column", "2026-12-08", "2026-Q4", false},
		{"today in an empty column", "2027-02-01", "2027-Q1", false},
		{"today after the last", "2030-01-01", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := loadViews(t, viewSite, tc.today)
			rm := (&render.Page{Site: v}).Roadmap()
			var names []string
			marked := ""
			for _, q := range rm.Quarters {
				names = append(names, q.Name)
				if q.Today {
					marked = q.Name
				}
			}
			// REL-2 and REL-1 are in 2026-Q4; 2027-Q1 is named by nothing.
			if want := []string{"2026-Q4", "2027-Q1", "2027-Q2"}; !slices.Equal(names, want) {
				t.Errorf("quarters %v, want %v", names, want)
			}
			if marked != tc.todayQ || (rm.TodayNote != "") != tc.note {
				t.Errorf("today marked in %q, note %q; want %q, note %v", marked, rm.TodayNote, tc.todayQ, tc.note)
			}
			if got := ids(rm.Quarters[0].Milestones); !slices.Equal(got, []string{"REL-2", "REL-1"}) {
				t.Errorf("2026-Q4 milestones %v, want by date", got)
			}
			for _, c := range []struct {
				name      string
				got, want []string
			}{
				{"now", ids(rm.Now), []string{"INI-2"}},
				{"next", ids(rm.Next), []string{"INI-10"}},
				{"later", ids(rm.Later), []string{"INI-5"}},
				{"done", ids(rm.Done), []string{"INI-3"}},
				{"dropped", ids(rm.Dropped), []string{"INI-4"}},
				{"unplaced", ids(rm.Unplaced), []string{"INI-5"}},
				{"OBJ-1 in 2026-Q4", ids(rm.Lanes[0].Cells[0]), []string{"INI-2"}},
				{"OBJ-1 in 2027-Q2", ids(rm.Lanes[0].Cells[2]), []string{"INI-10"}},
				{"OBJ-2 in 2026-Q4", ids(rm.Lanes[1].Cells[0]), []string{"INI-3"}},
				{"OBJ-2 in 2027-Q2", ids(rm.Lanes[1].Cells[2]), []string{"INI-10"}}, // two objectives, two lanes
			} {
				if !slices.Equal(c.got, c.want) {
					t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
				}
			}
			if len(rm.Lanes) != 2 {
				t.Errorf("%d lanes, want one per objective", len(rm.Lanes))
			}
		})
	}
}

func TestReleaseView(t *testing.T) {
	for _, tc := range []struct {
		id, today, when string
		late            bool
	}{
		{"REL-1", "2026-12-08", "in 12 days", false},
		{"REL-1", "2026-12-19", "in 1 day", false},
		{"REL-1", "2026-12-20", "today", false},
		{"REL-1", "2026-12-23", "3 days late", true}, // STORY-10 still open
		{"REL-2", "2026-12-08", "7 days ago", false}, // everything done
	} {
		t.Run(tc.id+" on "+tc.today, func(t *testing.T) {
			v := loadViews(t, viewSite, tc.today)
			r := (&render.Page{Site: v}).Release(doc(t, v, tc.id))
			if r.When() != tc.when || r.Late() != tc.late {
				t.Errorf("When() = %q, Late() = %v; want %q, %v", r.When(), r.Late(), tc.when, tc.late)
			}
		})
	}
}

func TestScopeAndNotes(t *testing.T) {
	v := loadViews(t, viewSite, "2026-12-08")
	p := &render.Page{Site: v}
	rel := doc(t, v, "REL-1")
	var got []string
	for _, g := range p.Scope(rel) {
		got = append(got, g.Epic.ID+":"+strings.Join(ids(g.Items), ","))
	}
	if want := []string{"EPIC-1:STORY-2,STORY-10", "EPIC-2:EPIC-2"}; !slices.Equal(got, want) {
		t.Errorf("scope %v, want %v", got, want)
	}
	r := p.Release(rel)
	// EPIC-2 names REL-1 but has a story, which counts instead of it
	// (model.RollupOf), and that story names REL-2.
	if r.Progress.Done != 1 || r.Progress.Total() != 2 || r.Progress.Percent() != 50 {
		t.Errorf("progress %d of %d (%d%%), want 1 of 2 (50%%)", r.Progress.Done, r.Progress.Total(), r.Progress.Percent())
	}
	want := "# R1 (2026-12-20)\n\n## E1\n\n- S2 (STORY-2): Two\n\n## E2\n\n- E2 (EPIC-2): Second\n"
	if notes := p.ReleaseNotes(rel); notes != want {
		t.Errorf("release notes:\n%s\nwant:\n%s", notes, want)
	}
}

func TestRollupOnPages(t *testing.T) {
	v := loadViews(t, viewSite, "2026-12-08")
	p := &render.Page{Site: v}
	for _, tc := range []struct {
		id                      string
		done, total             int
		estDone, est            float64
		checked, criteria, estP int
	}{
		// EPIC-1 counts its stories, not itself; STORY-11 is dropped.
		{"EPIC-1", 1, 2, 3, 5, 2, 3, 60},
		// INI-2: EPIC-1's stories, EPIC-2's story (EPIC-2 has one), STORY-12.
		{"INI-2", 2, 4, 3, 5, 2, 3, 60},
		{"OBJ-1", 2, 4, 3, 5, 2, 3, 60},
	} {
		t.Run(tc.id, func(t *testing.T) {
			g := p.Rollup(doc(t, v, tc.id))
			if g.Done != tc.done || g.Total() != tc.total || g.EstimateDone != tc.estDone || g.Estimate != tc.est ||
				g.Checked != tc.checked || g.Criteria != tc.criteria || g.EstimatePercent() != tc.estP {
				t.Errorf("rollup %d/%d items, %v/%v estimate (%d%%), %d/%d criteria; want %d/%d, %v/%v (%d%%), %d/%d",
					g.Done, g.Total(), g.EstimateDone, g.Estimate, g.EstimatePercent(), g.Checked, g.Criteria,
					tc.done, tc.total, tc.estDone, tc.est, tc.estP, tc.checked, tc.criteria)
			}
			if len(g.DoneItems()) != g.Done || len(g.WithCriteria()) == 0 {
				t.Errorf("the lists behind the figures: %v done, %v with criteria", ids(g.DoneItems()), ids(g.WithCriteria()))
			}
		})
	}
}

// renderViewJob renders the job at path of a site.
func renderViewJob(t *testing.T, v *render.SiteView, path string) []byte {
	t.Helper()
	tmpl, ds := render.LoadTemplates(templates.FS, nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	r := render.New(v, tmpl, render.Options{})
	for _, j := range r.Jobs() {
		if j.Path == path {
			var b bytes.Buffer
			if err := r.Render(j, &b); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
	}
	t.Fatalf("no job writes %s", path)
	return nil
}

func TestMatrixCSV(t *testing.T) {
	v := loadViews(t, viewSite, "2026-12-08")
	b := renderViewJob(t, v, "trace/matrix.csv")
	if !bytes.Contains(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\n")) {
		t.Errorf("rows must end in CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "id,kind,title,status,release,epic,initiative,objective,vision,url" {
		t.Errorf("header %s", got)
	}
	byID := map[string][]string{}
	for _, r := range rows[1:] {
		byID[r[0]] = r
	}
	if len(rows)-1 != len(v.Backlog) {
		t.Errorf("%d rows, want one per epic and story (%d)", len(rows)-1, len(v.Backlog))
	}
	for _, tc := range []struct {
		id   string
		want string
	}{
		{"STORY-2", "STORY-2,story,S2,done,REL-1,EPIC-1,INI-2,OBJ-1,VIS-1,backlog/story-2/"},
		{"STORY-10", `STORY-10,story,'=HYPERLINK("x"),in-progress,REL-1,EPIC-1,INI-2,OBJ-1,VIS-1,backlog/story-10/`},
		{"EPIC-1", "EPIC-1,epic,E1,proposed,,,INI-2,OBJ-1,VIS-1,backlog/epic-1/"},
		{"STORY-12", "STORY-12,story,S12,proposed,,,INI-2,OBJ-1,VIS-1,backlog/story-12/"},
	} {
		if got := strings.Join(byID[tc.id], ","); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.id, got, tc.want)
		}
	}
}

func TestBacklogItems(t *testing.T) {
	v := loadViews(t, viewSite, "2026-12-08")
	b := renderViewJob(t, v, "backlog/items.js")
	const pre = "window.PRODUCTDOCS_BACKLOG="
	if !bytes.HasPrefix(b, []byte(pre)) || !bytes.HasSuffix(b, []byte(";\n")) {
		t.Fatalf("not a script setting %s: %.60q", pre, b)
	}
	var data struct {
		Refs  [][4]string `json:"refs"`
		Items [][]any     `json:"items"`
	}
	if err := json.Unmarshal(bytes.TrimSuffix(b[len(pre):], []byte(";\n")), &data); err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, r := range data.Refs {
		refs = append(refs, r[0])
	}
	// Epics and initiatives in natural order, releases by date.
	if want := []string{"EPIC-1", "EPIC-2", "INI-2", "INI-3", "INI-4", "INI-5", "INI-10", "REL-2", "REL-1"}; !slices.Equal(refs, want) {
		t.Errorf("refs %v, want %v", refs, want)
	}
	if len(data.Items) != len(v.Backlog) {
		t.Fatalf("%d items, want the whole backlog, %d", len(data.Items), len(v.Backlog))
	}
	ref := func(x any) string {
		if i := int(x.(float64)); i >= 0 {
			return refs[i]
		}
		return ""
	}
	for _, it := range data.Items {
		if it[0] != "STORY-10" {
			continue
		}
		rels := it[12].([]any)
		got := []any{it[1], it[4], it[6], it[7], it[8], ref(it[10]), ref(it[11]), len(rels), ref(rels[0])}
		want := []any{"story", "in-progress", 4.0, 2.0, "Sam", "EPIC-1", "INI-2", 1, "REL-1"}
		if !slices.Equal(got, want) {
			t.Errorf("STORY-10 = %v, want %v", got, want)
		}
		return
	}
	t.Error("no STORY-10 in the list")
}

func TestNaturalOrder(t *testing.T) {
	files := map[string]string{"content/strategy/vision.md": "id: VIS-1\nkind: vision\ntitle: V"}
	for _, id := range []string{"OBJ-118", "OBJ-12", "OBJ-2"} {
		files["content/strategy/"+id+".md"] = "id: " + id + "\nkind: objective\ntitle: T\ntraces: VIS-1"
	}
	for _, id := range []string{"FB-14", "FB-3", "FB-1"} {
		files["content/backlog/"+id+".md"] = "id: " + id + "\nkind: feedback\ntitle: T\nsource: s"
	}
	for _, id := range []string{"STORY-14", "STORY-3", "STORY-1"} {
		files["content/backlog/"+id+".md"] = "id: " + id + "\nkind: story\ntitle: T\ntraces: VIS-1"
	}
	v := loadViews(t, files, "2026-12-08")
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"objectives", ids(v.Objectives), []string{"OBJ-2", "OBJ-12", "OBJ-118"}},
		{"feedback", ids(v.Feedback), []string{"FB-1", "FB-3", "FB-14"}},
		{"unranked backlog", ids(v.Backlog), []string{"STORY-1", "STORY-3", "STORY-14"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	var tree []string
	for _, n := range v.Tree[0].Children {
		tree = append(tree, n.Doc.ID)
	}
	if want := []string{"OBJ-2", "OBJ-12", "OBJ-118", "STORY-1", "STORY-3", "STORY-14"}; !slices.Equal(tree, want) {
		t.Errorf("tree: %v, want %v", tree, want)
	}
}

func TestHasStatus(t *testing.T) {
	for _, k := range model.Kinds {
		want := !slices.Contains([]string{"persona", "market", "competitor", "page"}, k.Name)
		if got := render.HasStatus(k); got != want {
			t.Errorf("HasStatus(%s) = %v, want %v", k.Name, got, want)
		}
	}
}

// TestDocumentPageViews renders document pages and looks for what the
// views add to them.
func TestDocumentPageViews(t *testing.T) {
	files := map[string]string{}
	for k, s := range viewSite {
		files[k] = s
	}
	files["content/backlog/story-30.md"] = "id: STORY-30\nkind: story\ntitle: S30\ntraces: [EPIC-1, EPIC-2]\nprority: must"
	files["content/guides/checks.md"] = "title: Checks\n---\n## unknown-field {#unknown-field}\n"
	v := loadViews(t, files, "2026-12-08")
	for _, tc := range []struct {
		path      string
		want, not []string
	}{
		{"backlog/story-30/index.html",
			[]string{`class="diagnostics"`, `href="../../guides/checks/#unknown-field"`, "Also traces to", "EPIC-2"}, nil},
		{"strategy/rel-1/index.html",
			[]string{"in 12 days", "1 of 2 items done", "Release notes", "- S2 (STORY-2): Two", "Still open", "STORY-10"},
			[]string{`class="diagnostics"`}},
		// STORY-30 adds an item without estimate or criteria.
		{"backlog/epic-1/index.html", []string{"1 of 3 items done", "3 of 5 estimate done", "2 of 3 acceptance criteria checked"}, nil},
		{"strategy/per-1/index.html", []string{"Feedback from this persona", "FB-1", "Work serving this persona", "STORY-2"},
			[]string{`</span> <span class="status `}}, // no status badge of its own
		{"strategy/roadmap/index.html", []string{`data-id="INI-2"`, "2027-Q1", "today"}, nil},
		{"strategy/releases/index.html", []string{`data-id="REL-2"`, "7 days ago", "in 12 days"}, nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			page := string(renderViewJob(t, v, tc.path))
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("no %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(page, w) {
					t.Errorf("has %q", w)
				}
			}
		})
	}
	// The releases page lists them in date order.
	page := string(renderViewJob(t, v, "strategy/releases/index.html"))
	if i, j := strings.Index(page, `data-id="REL-2"`), strings.Index(page, `data-id="REL-1"`); i < 0 || j < i {
		t.Errorf("REL-2 (2026-12-01) must come before REL-1 (2026-12-20)")
	}
}
