// Package sitegen makes synthetic productdocs sites for benchmarks and load
// tests: a given number of documents of every kind, in the proportions of a
// real product (1 vision; objectives about 1%, initiatives 4%, epics 15%,
// stories 65%, feedback 10%; a few releases, personas, market studies,
// competitors and pages), with bodies of 1–3 KB (paragraphs, lists, a
// table, a code fence, acceptance criteria, [[ID]] links upward and
// relative links with anchors) and traces that make the site check
// without a single error or warning. The Code mix gives most bodies code
// blocks in several languages as well (see Mix).
//
// The same Options give the same bytes, on every machine.
package sitegen

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"
)

// MinDocs is the smallest site Generate makes: every kind at least once,
// and a story for every epic.
const MinDocs = 20

// Options say what site to make.
type Options struct {
	Docs int   // the number of documents (.md files); raised to MinDocs
	Seed int64 // the same seed gives the same site
	Mix  Mix   // what the bodies are made of; the zero value is Classic
}

// Generate returns the site in memory, rooted at the site root
// ("productdocs.yaml", "content/…").
func Generate(o Options) fstest.MapFS {
	g := newGen(o)
	g.plan()
	g.write()
	return g.files
}

// Write writes the site into dir, which must be empty or absent, so that a
// site is never mixed with what a folder held before.
func Write(dir string, o Options) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty; sitegen writes only into an empty or new folder", dir)
	}
	return WriteFS(dir, Generate(o))
}

// WriteFS copies every file of fsys into dir, creating folders as needed.
// It is how tests put an in-memory site on disk.
func WriteFS(dir string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// doc is one planned document.
type doc struct {
	id, kind, title string
	file            string // from the site root
	status          string
	traces          []string
	fields          []string // further frontmatter lines, as written
	num             int      // 1-based number within its kind
}

type gen struct {
	o     Options
	r     *rand.Rand
	files fstest.MapFS
	docs  []*doc
	byID  map[string]*doc
	// IDs by kind, in order.
	objectives, initiatives, releases, personas, market, competitors, epics, stories, feedback []string
}

func newGen(o Options) *gen {
	o.Docs = max(o.Docs, MinDocs)
	return &gen{
		o:     o,
		r:     rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed_d0c5)),
		files: fstest.MapFS{},
		byID:  map[string]*doc{},
	}
}

func pct(n, p int) int { return max(1, n*p/100) }

// plan decides every document: its ID, kind, file, status and links.
func (g *gen) plan() {
	n := g.o.Docs
	guides := max(1, n/1000)
	counts := struct{ obj, ini, rel, per, mkt, cmp, epic, fb int }{
		obj: pct(n, 1), ini: pct(n, 4), rel: max(1, n/200), per: max(1, n/400),
		mkt: max(1, n/400), cmp: max(1, n/400), epic: pct(n, 15), fb: pct(n, 10),
	}
	pages := 3 + guides // the home page, the two section pages, the guides
	stories := n - pages - 1 - counts.obj - counts.ini - counts.rel - counts.per - counts.mkt - counts.cmp - counts.epic - counts.fb

	g.add(&doc{id: "VIS-1", kind: "vision", file: "content/strategy/vision.md", status: "in-progress", num: 1})
	for i := 1; i <= counts.per; i++ {
		g.personas = append(g.personas, g.add(g.strategy("persona", "PER", "personas", i, "proposed")).id)
	}
	for i := 1; i <= counts.mkt; i++ {
		d := g.strategy("market", "MKT", "market", i, "done")
		d.fields = append(d.fields, "source: "+g.title(2)+" survey "+fmt.Sprint(2020+i%7))
		g.market = append(g.market, g.add(d).id)
	}
	for i := 1; i <= counts.cmp; i++ {
		d := g.strategy("competitor", "CMP", "competitors", i, "proposed")
		d.fields = append(d.fields, fmt.Sprintf("url: https://competitor-%d.example.com/", i))
		g.competitors = append(g.competitors, g.add(d).id)
	}
	for i := 1; i <= counts.rel; i++ {
		d := g.strategy("release", "REL", "releases", i, "planned")
		d.fields = append(d.fields, fmt.Sprintf("date: %04d-%02d-%02d", 2027+i/12, 1+i%12, 1+i%28))
		g.releases = append(g.releases, g.add(d).id)
	}
	for i := 1; i <= counts.obj; i++ {
		d := g.strategy("objective", "OBJ", "objectives", i, pick(g.r, "in-progress", "planned"))
		d.traces = []string{"VIS-1"}
		d.fields = append(d.fields,
			"evidence: ["+g.pickID(g.market)+", "+g.pickID(g.competitors)+", "+g.pickID(g.personas)+"]",
			"key_results:",
			fmt.Sprintf("  - {metric: %s, target: %d, current: %d}", g.title(2), 50+g.r.IntN(50), g.r.IntN(50)),
			fmt.Sprintf("  - {metric: %s, target: %q}", g.title(3), "best in class"))
		g.objectives = append(g.objectives, g.add(d).id)
	}
	for i := 1; i <= counts.ini; i++ {
		d := g.strategy("initiative", "INI", "initiatives", i, pick(g.r, "in-progress", "planned", "proposed"))
		// Every objective gets an initiative: there are four times as many.
		d.traces = []string{g.objectives[(i-1)%len(g.objectives)]}
		d.fields = append(d.fields,
			"horizon: "+[]string{"now", "next", "later"}[i%3],
			fmt.Sprintf("quarter: %d-Q%d", 2027+i/40, 1+i%4),
			"evidence: "+g.pickID(g.market))
		if i > 1 && i%5 == 0 {
			d.fields = append(d.fields, "depends_on: "+g.initiatives[g.r.IntN(i-1)])
		}
		g.initiatives = append(g.initiatives, g.add(d).id)
	}
	for i := 1; i <= counts.fb; i++ {
		d := g.backlog("feedback", "FB", "feedback", i, "proposed")
		d.fields = append(d.fields,
			"source: "+pick(g.r, "Support ticket", "Sales call", "App review", "User interview")+fmt.Sprintf(" %d", 1000+i),
			fmt.Sprintf("date: 2026-%02d-%02d", 1+i%12, 1+i%28),
			"personas: ["+g.pickID(g.personas)+"]")
		g.feedback = append(g.feedback, g.add(d).id)
	}
	epicDone := map[string]bool{}
	for i := 1; i <= counts.epic; i++ {
		status := pick(g.r, "in-progress", "planned", "proposed")
		if i%7 == 0 {
			status = "done"
		}
		d := g.backlog("epic", "EPIC", "epics", i, status)
		epicDone[d.id] = status == "done"
		// Every initiative gets an epic: there are almost four times as many.
		d.traces = []string{g.initiatives[(i-1)%len(g.initiatives)]}
		d.fields = append(d.fields,
			"release: "+g.pickID(g.releases),
			"personas: ["+g.pickID(g.personas)+"]",
			"priority: "+pick(g.r, "must", "should", "could", "wont"),
			fmt.Sprintf("rank: %d", i),
			fmt.Sprintf("estimate: %d", []int{3, 5, 8, 13, 21, 34}[g.r.IntN(6)]))
		if i > 1 && i%9 == 0 {
			d.fields = append(d.fields, "depends_on: "+g.epics[g.r.IntN(i-1)])
		}
		g.epics = append(g.epics, g.add(d).id)
	}
	for i := 1; i <= stories; i++ {
		// The first stories give every epic one; later ones spread at
		// random, and one in twenty traces straight to an initiative.
		epic := g.epics[(i-1)%len(g.epics)]
		if i > len(g.epics) {
			epic = g.pickID(g.epics)
		}
		status := pick(g.r, "in-progress", "planned", "proposed", "done", "done")
		if epicDone[epic] {
			status = "done" // open work under a done epic is a status-mismatch
		} else if i%50 == 0 {
			status = "dropped"
		}
		d := g.backlog("story", "STORY", "stories/"+areas[g.byID[epic].num%len(areas)], i, status)
		d.traces = []string{epic}
		if i > len(g.epics) && i%20 == 0 && !epicDone[epic] {
			d.traces = []string{g.byID[epic].traces[0]}
		}
		d.fields = append(d.fields,
			"release: "+g.pickID(g.releases),
			"personas: ["+g.pickID(g.personas)+"]",
			"addresses: "+g.pickID(g.feedback),
			"priority: "+pick(g.r, "must", "should", "could"),
			// Ranks are one order over the backlog: the stories' follow
			// the epics' (duplicate-rank).
			fmt.Sprintf("rank: %d", counts.epic+i),
			fmt.Sprintf("estimate: %d", []int{1, 2, 3, 5, 8}[g.r.IntN(5)]))
		if prev := len(g.stories); prev > 0 && i%4 == 0 {
			d.fields = append(d.fields, "depends_on: "+g.stories[g.r.IntN(prev)])
		}
		g.stories = append(g.stories, g.add(d).id)
	}
	g.add(&doc{id: "index", kind: "page", file: "content/index.md", title: "Product docs"})
	g.add(&doc{id: "strategy", kind: "page", file: "content/strategy/index.md", title: "Strategy"})
	g.add(&doc{id: "backlog", kind: "page", file: "content/backlog/index.md", title: "Backlog"})
	for i := 1; i <= guides; i++ {
		g.add(&doc{id: fmt.Sprintf("guides/guide-%d", i), kind: "page", file: fmt.Sprintf("content/guides/guide-%d.md", i), title: g.title(3), num: i})
	}
}

// areas are the folders stories are filed in, by their epic.
var areas = []string{"checkout", "search", "accounts", "payments", "delivery", "returns", "catalogue", "notifications"}

func (g *gen) add(d *doc) *doc {
	if d.title == "" {
		d.title = g.title(3 + g.r.IntN(4))
	}
	g.docs = append(g.docs, d)
	g.byID[d.id] = d
	return d
}

func (g *gen) strategy(kind, prefix, folder string, i int, status string) *doc {
	return &doc{id: fmt.Sprintf("%s-%d", prefix, i), kind: kind, status: status, num: i,
		file: fmt.Sprintf("content/strategy/%s/%s-%d.md", folder, strings.ToLower(prefix), i)}
}

func (g *gen) backlog(kind, prefix, folder string, i int, status string) *doc {
	return &doc{id: fmt.Sprintf("%s-%d", prefix, i), kind: kind, status: status, num: i,
		file: fmt.Sprintf("content/backlog/%s/%s-%d.md", folder, strings.ToLower(prefix), i)}
}

func (g *gen) pickID(ids []string) string { return ids[g.r.IntN(len(ids))] }

func pick(r *rand.Rand, choices ...string) string { return choices[r.IntN(len(choices))] }

// write renders every planned document, then the settings and an asset.
func (g *gen) write() {
	g.put("productdocs.yaml", "title: Synthetic product\nchecks:\n  uncovered: warning\n")
	g.put("content/guides/img/flow.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>`+"\n")
	for _, d := range g.docs {
		var b strings.Builder
		if d.kind != "page" || d.num > 0 {
			g.frontmatter(&b, d)
		}
		g.body(&b, d)
		g.put(d.file, b.String())
	}
}

func (g *gen) put(name, text string) {
	g.files[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
}

func (g *gen) frontmatter(b *strings.Builder, d *doc) {
	b.WriteString("---\n")
	if d.kind != "page" {
		fmt.Fprintf(b, "id: %s\nkind: %s\n", d.id, d.kind)
	}
	fmt.Fprintf(b, "title: %s\n", d.title)
	fmt.Fprintf(b, "summary: %s.\n", g.sentence(6, 12))
	if d.kind == "page" {
		b.WriteString("tags: [guide]\n---\n\n")
		return
	}
	fmt.Fprintf(b, "status: %s\nowner: %s\n", d.status, pick(g.r, "Dana", "Sam", "Ana", "Tomás", "Team Checkout", "Team Growth"))
	if len(d.traces) > 0 {
		fmt.Fprintf(b, "traces: %s\n", strings.Join(d.traces, ", "))
	}
	for _, f := range d.fields {
		b.WriteString(f)
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "tags: [%s, %s]\n", pick(g.r, words...), pick(g.r, words...))
	fmt.Fprintf(b, "updated: 2026-%02d-%02d\n", 1+g.r.IntN(12), 1+g.r.IntN(28))
	b.WriteString("---\n\n")
}

// body writes 1–3 KB of Markdown. Links go upward only (a strategy
// document never links into the backlog), to documents and headings that
// exist: every document but a page has a "Context" heading.
func (g *gen) body(b *strings.Builder, d *doc) {
	start := b.Len()
	target := 1024 + g.r.IntN(2048)
	fmt.Fprintf(b, "# %s\n\n", d.title)
	b.WriteString(g.paragraph())
	if up := g.parent(d); up != nil {
		fmt.Fprintf(b, " This serves [[%s]]; see [its context](%s#context).", up.id, rel(d.file, up.file))
	}
	b.WriteString("\n\n")
	if d.kind == "page" {
		g.pageLinks(b, d)
	} else {
		b.WriteString("## Context\n\n")
		b.WriteString(g.paragraph())
		fmt.Fprintf(b, " Evidence: [[%s]], [[%s|%s]] and [the vision](%s#context).\n\n",
			g.pickID(g.market), g.pickID(g.personas), pick(g.r, "the persona", "who it is for"), rel(d.file, g.byID["VIS-1"].file))
	}
	for range 3 + g.r.IntN(3) {
		fmt.Fprintf(b, "- %s\n", g.sentence(4, 10))
	}
	b.WriteString("\n")
	if g.r.IntN(2) == 0 {
		b.WriteString("| Metric | Today | Goal |\n| --- | ---: | ---: |\n")
		for range 3 {
			fmt.Fprintf(b, "| %s | %d | %d |\n", g.title(2), g.r.IntN(100), 50+g.r.IntN(50))
		}
		b.WriteString("\n")
	}
	if g.o.Mix == Code {
		g.codeBody(b)
	} else if g.r.IntN(3) == 0 {
		fmt.Fprintf(b, "```yaml\n%s:\n  enabled: true\n  limit: %d\n```\n\n", pick(g.r, words...), g.r.IntN(1000))
	}
	if d.kind == "story" {
		b.WriteString("## Acceptance criteria\n\n")
		for range 2 + g.r.IntN(4) {
			box := " "
			if d.status == "done" || g.r.IntN(2) == 0 {
				box = "x"
			}
			fmt.Fprintf(b, "- [%s] %s\n", box, g.sentence(5, 12))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Notes\n\n")
	for b.Len()-start < target {
		b.WriteString(g.paragraph())
		b.WriteString("\n\n")
	}
}

// parent is the document a body links up to: what it traces to, or for
// kinds without traces the vision.
func (g *gen) parent(d *doc) *doc {
	switch {
	case len(d.traces) > 0:
		return g.byID[d.traces[0]]
	case d.kind == "page" || d.id == "VIS-1":
		return nil
	}
	return g.byID["VIS-1"]
}

// pageLinks links a page to its section's documents: the home page and the
// guides anywhere, the strategy page only within strategy.
func (g *gen) pageLinks(b *strings.Builder, d *doc) {
	targets := []string{"VIS-1", g.pickID(g.objectives), g.pickID(g.initiatives)}
	if d.id != "strategy" {
		targets = append(targets, g.pickID(g.epics), g.pickID(g.stories))
	}
	for _, id := range targets {
		t := g.byID[id]
		fmt.Fprintf(b, "- [[%s|%s]], or by file: [%s](%s#context)\n", id, t.title, id, rel(d.file, t.file))
	}
	if strings.HasPrefix(d.id, "guides/") {
		b.WriteString("\n![The flow](img/flow.svg)\n")
	}
	b.WriteString("\n")
}

// rel is the relative link from one file to another.
func rel(from, to string) string {
	fromDir := strings.Split(path.Dir(from), "/")
	toParts := strings.Split(to, "/")
	i := 0
	for i < len(fromDir) && i < len(toParts)-1 && fromDir[i] == toParts[i] {
		i++
	}
	return strings.Repeat("../", len(fromDir)-i) + strings.Join(toParts[i:], "/")
}

var words = strings.Fields(`account address analytics basket buyer card cart catalogue checkout
	conversion customer delivery discount email error feedback form fraud guest invoice latency
	login loyalty merchant mobile onboarding order page partner payment performance price
	profile promotion receipt refund release report retention return review risk search
	session shipping signup speed stock subscription support tax team tracking trust user
	voucher wallet warehouse`)

var verbs = strings.Fields(`adds checks cuts explains keeps lets measures moves needs offers
	reduces remembers saves shows simplifies speeds supports tracks validates`)

func (g *gen) title(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[g.r.IntN(len(words))]
	}
	parts[0] = strings.ToUpper(parts[0][:1]) + parts[0][1:]
	return strings.Join(parts, " ")
}

func (g *gen) sentence(minWords, maxWords int) string {
	n := minWords + g.r.IntN(maxWords-minWords+1)
	parts := make([]string, n)
	for i := range parts {
		if i == 2 {
			parts[i] = verbs[g.r.IntN(len(verbs))]
			continue
		}
		parts[i] = words[g.r.IntN(len(words))]
	}
	parts[0] = strings.ToUpper(parts[0][:1]) + parts[0][1:]
	if g.r.IntN(4) == 0 {
		parts[n-1] = "**" + parts[n-1] + "**"
	}
	return strings.Join(parts, " ")
}

func (g *gen) paragraph() string {
	n := 3 + g.r.IntN(4)
	s := make([]string, n)
	for i := range s {
		s[i] = g.sentence(8, 18) + "."
	}
	return strings.Join(s, " ")
}
