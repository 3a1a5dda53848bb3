package generator

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"productdocs/generator/internal/testkit"
	"productdocs/generator/model"
	"productdocs/generator/render"
	"productdocs/generator/sitegen"
)

// shownIDs is the IDs of the page's displayed elements with a data-id,
// sorted, each once.
const shownIDs = `[...new Set([...document.querySelectorAll("[data-id]")].filter(e => e.getClientRects().length > 0).map(e => e.dataset.id))].sort()`

// TestBrowserViews builds the repository's own docs and drives the
// backlog, the roadmap and the feedback list in Chromium, from the file
// system: filters given in the URL, then through the controls, checked by
// the data-id of the rows shown against the model.
func TestBrowserViews(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1796688000") // 2026-12-08, in 2026-Q4
	out := filepath.Join(t.TempDir(), "public")
	site := mustBuild(t, "..", out, "")

	b := testkit.NewTab(t, 90*time.Second, 1400, 1000)
	fileURL := func(p, query string) string {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, p)), RawQuery: query}
		return u.String()
	}
	docs := site.Model.Docs
	want := func(keep func(d *model.Document) bool) []string {
		var ids []string
		for _, d := range docs {
			if keep(d) {
				ids = append(ids, d.ID)
			}
		}
		slices.Sort(ids)
		return ids
	}
	item := func(d *model.Document) bool { return d.Kind.Name == "epic" || d.Kind.Name == "story" }
	names := func(d *model.Document, field string) []string {
		var out []string
		for _, x := range d.RefsTo(field) {
			out = append(out, x.ID)
		}
		return out
	}
	shown := func() []string {
		t.Helper()
		ids, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](shownIDs))
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	expect := func(what string, w []string) {
		t.Helper()
		if len(w) == 0 {
			t.Fatalf("%s: the test wants some rows; the site has none to show", what)
		}
		var got []string
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if got = shown(); slices.Equal(got, w) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("%s: shown %v\nwant %v", what, got, w)
	}
	open := func(p, query, ready string) {
		t.Helper()
		b.CheckPage()
		b.Open(fileURL(p, query))
		b.Until(p+"?"+query, ready)
	}
	backlogReady := `!!window.PRODUCTDOCS_BACKLOG && !document.querySelector("form.filters").hidden && document.querySelector(".filter-count").textContent !== ""`

	// The release with open work: which one it is moves as the project's
	// own docs do (REL-3 shipped), so the test finds it in the model.
	openIn := func(rel string) []string {
		return want(func(d *model.Document) bool {
			return item(d) && slices.Contains(names(d, "release"), rel) && d.Status != "done" && d.Status != "dropped"
		})
	}
	rel := ""
	for _, d := range site.Model.OfKind("release") {
		if len(openIn(d.ID)) > 0 && (rel == "" || model.CompareIDs(d.ID, rel) < 0) {
			rel = d.ID
		}
	}
	{ // backlog from the URL
		open("backlog/index.html", "release="+strings.ToLower(rel)+"&hide=done,dropped&group=epic", backlogReady)
		expect(rel+"'s open items", openIn(rel))
		groups := b.Eval(`[...document.querySelectorAll("tr.group-row .id")].map(e => e.textContent).join(",")`)
		if groups == "" {
			t.Errorf("grouped by epic, the list has no group rows")
		}
		if b.Eval(`document.getElementById("f-release").value`) != strings.ToLower(rel) || b.Eval(`document.getElementById("f-group").value`) != "epic" {
			t.Errorf("the controls do not show the URL's filter")
		}
		open("backlog/index.html", "status=PLANNED,In-Progress&kind=story", backlogReady)
		expect("planned or in-progress stories", want(func(d *model.Document) bool {
			return d.Kind.Name == "story" && (d.Status == "planned" || d.Status == "in-progress")
		}))
		open("backlog/index.html", "", backlogReady)
		expect("everything", want(func(d *model.Document) bool { return item(d) || d.Kind.Name == "feedback" }))
	}

	{ // backlog through the controls
		open("backlog/index.html", "", backlogReady)
		if err := chromedp.Do(b.Ctx, chromedp.SendKeys(chromedp.CSS("#f-status"), "in-progress")); err != nil {
			t.Fatal(err)
		}
		expect("in progress", want(func(d *model.Document) bool {
			return (item(d) || d.Kind.Name == "feedback") && d.Status == "in-progress"
		}))
		// Keyboard: tick "hide done" with the space bar, then group by owner.
		if err := chromedp.Do(b.Ctx,
			chromedp.Focus(chromedp.CSS(`input[name=hide][value=done]`)),
			chromedp.KeyEvent(" "),
			chromedp.SetValue(chromedp.CSS("#f-group"), "owner"),
			chromedp.Evaluate[chromedp.Void](`void document.getElementById("f-group").dispatchEvent(new Event("change", {bubbles: true}))`),
		); err != nil {
			t.Fatal(err)
		}
		b.Until("the URL to hold the filter", `location.search.includes("status=in-progress") && location.search.includes("hide=done") && location.search.includes("group=owner")`)
		if n := b.Eval(`document.querySelectorAll("tr.group-row").length`); n == float64(0) {
			t.Errorf("grouped by owner, the list has no group rows")
		}
	}

	{ // feedback
		open("backlog/index.html", "state=none", backlogReady)
		expect("feedback nothing addresses", want(func(d *model.Document) bool {
			return d.Kind.Name == "feedback" && render.StateOf(d).State == "none"
		}))
		open("backlog/index.html", "state=shipped,in-progress", backlogReady)
		expect("feedback being answered", want(func(d *model.Document) bool {
			s := render.StateOf(d).State
			return d.Kind.Name == "feedback" && (s == "shipped" || s == "in-progress")
		}))
	}

	{ // roadmap
		ready := `!document.querySelector("form.filters").hidden && document.querySelector(".filter-count").textContent !== ""`
		open("strategy/roadmap/index.html", "status=in-progress&quarter=now", ready)
		expect("in progress this quarter", want(func(d *model.Document) bool {
			return d.Kind.Name == "initiative" && d.Status == "in-progress" && d.String("quarter") == "2026-Q4"
		}))
		// The objectives whose lane shows nothing are named.
		var empty []string
		for _, o := range docs {
			if o.Kind.Name != "objective" {
				continue
			}
			busy := false
			for _, i := range o.From("traces") {
				busy = busy || i.Status == "in-progress" && i.String("quarter") == "2026-Q4"
			}
			if !busy {
				empty = append(empty, o.ID)
			}
		}
		slices.SortFunc(empty, model.CompareIDs)
		summary := fmt.Sprint(b.Eval(`document.getElementById("lane-summary").textContent`))
		if len(empty) == 0 || !strings.Contains(summary, strings.Join(empty, ", ")) {
			t.Errorf("lane summary %q, want it to name %v", summary, empty)
		}
		open("strategy/roadmap/index.html", "", ready)
		if err := chromedp.Do(b.Ctx, chromedp.SendKeys(chromedp.CSS("#f-objective"), "obj-1")); err != nil {
			t.Fatal(err)
		}
		expect("OBJ-1's initiatives", want(func(d *model.Document) bool {
			return d.Kind.Name == "initiative" && slices.Contains(names(d, "traces"), "OBJ-1")
		}))
		b.Until("the URL to hold the filter", `location.search === "?objective=obj-1"`)
	}

	b.CheckPage()
	for _, p := range b.Problems() {
		t.Error(p)
	}
}

// TestBrowserTraceWarnings drives the trace page's warnings on a generated
// site with more of them than a page lists: the filter, given in the URL
// on the second page of the list, covers every warning, and without a
// filter the first page draws 100 and offers the rest.
func TestBrowserTraceWarnings(t *testing.T) {
	root := t.TempDir()
	if err := sitegen.Write(root, sitegen.Options{Docs: 1000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// With a date, as the command line has one: the generated site's
	// warnings are mostly stale items.
	site, err := LoadWith(t.Context(), DirFS(root), LoadOptions{Today: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(t.Context(), site, root, BuildOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	if len(site.View(nil).Warnings) <= render.ListPageSize {
		t.Fatalf("%d warnings: the test wants more than a page", len(site.View(nil).Warnings))
	}
	// The owner with the most warnings, and how many.
	count := map[string]int{}
	for _, w := range site.View(nil).Warnings {
		if d := site.Model.ByPath(strings.TrimPrefix(w.File, "content/")); d != nil && d.Owner != "" {
			count[d.Owner]++
		}
	}
	owner := ""
	for o, n := range count {
		if owner == "" || n > count[owner] || n == count[owner] && o < owner {
			owner = o
		}
	}

	b := testkit.NewTab(t, 60*time.Second, 1400, 1000)
	open := func(p, query string) {
		t.Helper()
		b.CheckPage()
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, p)), RawQuery: query}
		b.Open(u.String())
		b.Until(p+"?"+query, `!!window.PRODUCTDOCS_WARNINGS && document.querySelector(".filter-count").textContent !== ""`)
	}
	total := len(site.View(nil).Warnings)
	rows := `document.querySelectorAll("table.warnings tbody tr").length`

	open("trace/warnings/2/index.html", "owner="+url.QueryEscape(strings.ToLower(owner)))
	n := count[owner]
	if got, want := b.Eval(`document.querySelector(".filter-count").textContent`), fmt.Sprintf("Showing %d of %d warnings.", n, total); got != want {
		t.Errorf("the count reads %q, want %q", got, want)
	}
	if got := b.Eval(rows); got != float64(min(n, render.ListPageSize)) {
		t.Errorf("%v rows drawn, want %d", got, min(n, render.ListPageSize))
	}
	if other := b.Eval(`[...document.querySelectorAll("table.warnings tbody tr")].filter(r => r.dataset.owner !== ` + fmt.Sprintf("%q", owner) + `).length`); other != float64(0) {
		t.Errorf("%v rows of other owners", other)
	}

	open("trace/index.html", "")
	if got := b.Eval(rows); got != float64(render.ListPageSize) {
		t.Errorf("%v rows drawn, want %d", got, render.ListPageSize)
	}
	b.Until("the button for more rows", `!document.querySelector("button.more-rows").hidden`)
	if err := chromedp.Do(b.Ctx, chromedp.Click(chromedp.CSS("button.more-rows"), chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	b.Until("200 rows", rows+` === 200`)
	b.CheckPage()
	for _, p := range b.Problems() {
		t.Error(p)
	}
}
