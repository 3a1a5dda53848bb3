package render

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"

	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// SiteView is what every template sees of the whole site, computed once per
// model: the documents sorted into the lists the pages show.
type SiteView struct {
	Title   string
	BaseURL string
	EditURL string
	Model   *model.Model

	Home         *model.Document // content/index.md, if any
	StrategyPage *model.Document // content/strategy/index.md, if any
	BacklogPage  *model.Document // content/backlog/index.md, if any

	Vision      *model.Document
	Objectives  []*model.Document
	Initiatives []*model.Document
	Now         []*model.Document
	Next        []*model.Document
	Later       []*model.Document
	Quarters    []Quarter
	Releases    []*model.Document // by date
	Personas    []*model.Document
	Market      []*model.Document
	Competitors []*model.Document

	Backlog  []*model.Document // epics and stories, in rank order
	Epics    []*Epic
	Stories  []*model.Document
	Feedback []*model.Document

	Pages []*model.Document // plain pages, by path

	Health      Health
	Warnings    []diag.Diagnostic
	Diagnostics []diag.Diagnostic
	Tree        []*Node // the visions, with everything tracing below

	treeParts []treePart // the tree as the pages of the trace page show it
	navOnce   sync.Once
	nav       *navTree // the plain pages by folder, for Page.Nav
	viewOnce  sync.Once
	views     map[string][]ViewPage // the views' pages by template, for Jobs
	memo      fragCache             // pure partials' output

	// choices are the backlog's filter values, made once: every page of
	// the backlog shows them, and made for each page they were a quarter
	// of a build of 100,000 documents, growing with the square of its
	// size.
	// delta is how the model differs from the last view's (From), nil
	// when unknown: Renderer.Changed skips the documents it leaves as
	// they were.
	delta *model.Change

	choicesOnce sync.Once
	choices     BacklogChoices
	rollupMu    sync.Mutex
	rollups     map[*model.Document]*siteRollup

	// Public is set for the public site (`--audience public`), whose model
	// holds the public documents alone: pages say that what they count
	// is public work only.
	Public bool
	// History is what the pages show of time (history.go).
	History History
	vidx    viewIndex // see workviews.go
}

// Quarter is a column of the roadmap timeline.
type Quarter struct {
	Name        string // "2027-Q1", or "Unscheduled"
	Initiatives []*model.Document
}

// Epic is an epic with the progress of its stories.
type Epic struct {
	Doc     *model.Document
	Stories []*model.Document
	Done    int // stories done
	Open    int // stories still open
	Checked int // acceptance criteria checked, over all stories
	Total   int // acceptance criteria
}

// Percent is the share of the epic's stories that are done.
func (e *Epic) Percent() int {
	if n := e.Done + e.Open; n > 0 {
		return e.Done * 100 / n
	}
	return 0
}

// Health sums up the site for the home page.
type Health struct {
	Documents     int
	ByKind        []KindCount
	BacklogItems  int // epics and stories
	TracedItems   int // of those, the ones whose why-chain reaches an objective
	OpenObjective int
	CoveredOpen   int // open objectives with an initiative tracing to them
	OpenNow       int // open initiatives on the roadmap for now
	CoveredNow    int // of those, the ones an epic traces to
	ActiveEpics   int // planned or in-progress epics
	EpicsStoried  int // of those, the ones with stories
	Warnings      int
	Unaddressed   int // feedback that no work addresses
}

// KindCount is how many documents a kind has.
type KindCount struct {
	Kind  *model.Kind
	Count int
}

// TracedPercent is the share of backlog items that trace up to an
// objective.
func (h Health) TracedPercent() int { return percent(h.TracedItems, h.BacklogItems) }

// CoveredPercent is the share of open objectives with initiatives.
func (h Health) CoveredPercent() int { return percent(h.CoveredOpen, h.OpenObjective) }

// NowPercent is the share of open now-initiatives that epics deliver.
func (h Health) NowPercent() int { return percent(h.CoveredNow, h.OpenNow) }

// StoriedPercent is the share of planned or in-progress epics with stories.
func (h Health) StoriedPercent() int { return percent(h.EpicsStoried, h.ActiveEpics) }

func percent(a, b int) int {
	if b == 0 {
		return 100
	}
	return a * 100 / b
}

// Node is a document in the traceability tree.
type Node struct {
	Doc      *model.Document
	Children []*Node
}

// priorityOrder is where a priority sorts; an unknown one (which check
// reports) sorts as "must", as it always has.
func priorityOrder(p string) int {
	switch p {
	case "should":
		return 1
	case "could":
		return 2
	case "wont":
		return 3
	case "":
		return 4
	}
	return 0
}

// BacklogOrder sorts backlog items: ranked before unranked, by rank, then
// by priority, then by ID.
func BacklogOrder(a, b *model.Document) int {
	ra, rb := a.Rank(), b.Rank()
	if (ra == 0) != (rb == 0) {
		if ra == 0 {
			return 1
		}
		return -1
	}
	return cmp.Or(
		cmp.Compare(ra, rb),
		cmp.Compare(priorityOrder(a.Priority()), priorityOrder(b.Priority())),
		model.CompareIDs(a.ID, b.ID),
	)
}

func byID(a, b *model.Document) int { return model.CompareIDs(a.ID, b.ID) }

// sortKey is what the sorts of the backlog and the tree compare, read
// from each document once: a sort of a large backlog that reads its keys
// through the documents misses the cache at each comparison. IDs compare
// in their natural order (model.CompareIDs), which reads their text; the
// key holds no pointer, which a sort would move behind the collector's
// write barrier.
type sortKey struct {
	rank    int64 // unranked as the largest
	prio    int16
	backlog bool
	i       int32 // the document's place in the list sorted
}

func keyOf(d *model.Document, i int) sortKey {
	r := d.Rank()
	if r == 0 {
		r = math.MaxInt64
	}
	return sortKey{rank: r, prio: int16(priorityOrder(d.Priority())), backlog: d.Kind.IsBacklog(), i: int32(i)}
}

// keyed sorts docs in BacklogOrder, or, for the tree, backlog items in
// BacklogOrder and any other pair by ID, with the keys read once.
func keyed(docs []*model.Document, tree bool) {
	ks := make([]sortKey, len(docs))
	for i, d := range docs {
		ks[i] = keyOf(d, i)
	}
	ids := func(a, b sortKey) int { return model.CompareIDs(docs[a.i].ID, docs[b.i].ID) }
	backlog := func(a, b sortKey) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		if a.prio != b.prio {
			return int(a.prio) - int(b.prio)
		}
		return ids(a, b)
	}
	if tree {
		slices.SortFunc(ks, func(a, b sortKey) int {
			if a.backlog && b.backlog {
				return backlog(a, b)
			}
			return ids(a, b)
		})
	} else {
		slices.SortFunc(ks, backlog)
	}
	sorted := make([]*model.Document, len(docs))
	for i, k := range ks {
		sorted[i] = docs[k.i]
	}
	copy(docs, sorted)
}

// sortBacklog sorts in BacklogOrder with the keys computed once: the
// backlog of a large site is sorted on every preview rebuild.
func sortBacklog(docs []*model.Document) { keyed(docs, false) }

// NewSite sorts a model into the lists the pages show.
func NewSite(m *model.Model, title, baseURL, editURL string, ds []diag.Diagnostic) *SiteView {
	return NextSite(nil, m, nil, title, baseURL, editURL, ds)
}

// NextSite is NewSite for m, a model that model.Next made from prev's (the
// preview's view of the site a change ago), or from any model before it.
// The result is NewSite's; what differs is the work. Sorting a list in
// nearly its final order is linear, so each list starts in prev's order;
// the tree and the epics of a large site, which take thousands of sorts of
// a few documents, are prev's with the new documents where the change
// cannot have moved them. With a nil prev, or a model not made from
// prev's, it is NewSite. ch is the change the load found, which is used
// when it is relative to prev's model; else the change is worked out here
// (a preview's last good build may be some loads back).
func NextSite(prev *SiteView, m *model.Model, ch *model.Change, title, baseURL, editURL string, ds []diag.Diagnostic) *SiteView {
	delta := ch
	if prev == nil {
		delta = nil
	} else if ch == nil || ch.From != prev.Model {
		delta = model.Diff(prev.Model, m)
	}
	if delta == nil {
		prev = nil
	}
	s := &SiteView{Title: title, BaseURL: baseURL, EditURL: editURL, Model: m, Diagnostics: ds, delta: delta}
	if s.Title == "" {
		s.Title = "Product docs"
	}
	for _, d := range ds {
		if d.Severity == diag.Warning {
			s.Warnings = append(s.Warnings, d)
		}
	}
	counts := map[string]int{}
	for _, d := range m.Docs {
		counts[d.Kind.Name]++
	}
	// The backlog holds most of a large site: made at its size, not grown.
	if n := counts["epic"] + counts["story"]; n > 0 {
		s.Backlog = make([]*model.Document, 0, n)
	}
	if n := counts["story"]; n > 0 {
		s.Stories = make([]*model.Document, 0, n)
	}
	for _, d := range m.Docs {
		switch d.Kind.Name {
		case "vision":
			if s.Vision == nil {
				s.Vision = d
			}
		case "objective":
			s.Objectives = append(s.Objectives, d)
		case "initiative":
			s.Initiatives = append(s.Initiatives, d)
			if d.Status == "dropped" {
				break // off the roadmap, though its page stays
			}
			switch d.String("horizon") {
			case "now":
				s.Now = append(s.Now, d)
			case "next":
				s.Next = append(s.Next, d)
			default:
				s.Later = append(s.Later, d)
			}
		case "release":
			s.Releases = append(s.Releases, d)
		case "persona":
			s.Personas = append(s.Personas, d)
		case "market":
			s.Market = append(s.Market, d)
		case "competitor":
			s.Competitors = append(s.Competitors, d)
		case "epic":
			s.Backlog = append(s.Backlog, d)
		case "story":
			s.Backlog = append(s.Backlog, d)
			s.Stories = append(s.Stories, d)
		case "feedback":
			s.Feedback = append(s.Feedback, d)
		case "page":
			switch d.URL {
			case "":
				s.Home = d
			case "strategy/":
				s.StrategyPage = d
			case "backlog/":
				s.BacklogPage = d
			default:
				s.Pages = append(s.Pages, d)
			}
		}
	}
	// Each list starts in prev's order; one that has prev's documents, of
	// which no edited one changed a key the list is sorted by, is sorted.
	var o *orders
	if prev != nil {
		o = newOrders(m, prev.Model)
	}
	pv := prev // the lists to seed from
	if pv == nil {
		pv = &SiteView{}
	}
	treeKept := prev != nil && sameTree(prev.Model, delta)
	var wg sync.WaitGroup
	if !treeKept {
		wg.Go(func() { s.Tree = tree(m) })
	}
	sameRank := func(a, b *model.Document) bool { return a.Rank() == b.Rank() && a.Priority() == b.Priority() }
	for _, l := range []struct {
		cur, prev []*model.Document
		keys      func(a, b *model.Document) bool // nil: by ID or path, which a delta keeps
		sort      func([]*model.Document)
	}{
		{s.Objectives, pv.Objectives, nil, sortByID},
		{s.Initiatives, pv.Initiatives, nil, sortByID},
		{s.Now, pv.Now, nil, sortByID},
		{s.Next, pv.Next, nil, sortByID},
		{s.Later, pv.Later, nil, sortByID},
		{s.Personas, pv.Personas, nil, sortByID},
		{s.Market, pv.Market, nil, sortByID},
		{s.Competitors, pv.Competitors, nil, sortByID},
		{s.Feedback, pv.Feedback, nil, sortByID},
		{s.Releases, pv.Releases,
			func(a, b *model.Document) bool { return a.String("date") == b.String("date") }, sortReleases},
		{s.Backlog, pv.Backlog, sameRank, sortBacklog},
		{s.Stories, pv.Stories, sameRank, sortBacklog},
		{s.Pages, pv.Pages, nil, sortByPath},
	} {
		if o != nil && o.seed(l.cur, l.prev) && keysKept(prev.Model, delta, l.keys) {
			continue
		}
		if len(l.cur) < 4096 {
			l.sort(l.cur)
			continue
		}
		// The backlog and the stories are sorted side by side, and beside
		// the tree: each reads the documents and writes a list of its own.
		wg.Go(func() { l.sort(l.cur) })
	}
	wg.Wait()

	quarters := map[string][]*model.Document{}
	for _, d := range s.Initiatives {
		if d.Status == "dropped" {
			continue
		}
		q := d.String("quarter")
		if q == "" {
			q = "Unscheduled"
		}
		quarters[q] = append(quarters[q], d)
	}
	names := make([]string, 0, len(quarters))
	for q := range quarters {
		names = append(names, q)
	}
	slices.SortFunc(names, func(a, b string) int {
		// "Unscheduled" sorts after every quarter.
		ua, ub := strings.HasPrefix(a, "U"), strings.HasPrefix(b, "U")
		if ua != ub {
			if ua {
				return 1
			}
			return -1
		}
		return cmp.Compare(a, b)
	})
	for _, q := range names {
		s.Quarters = append(s.Quarters, Quarter{q, quarters[q]})
	}

	// Which backlog items trace to an objective is counted beside the
	// epics, which take as long on a large site.
	var traced int
	if !treeKept {
		wg.Go(func() {
			for _, d := range s.Backlog {
				if tracesToObjective(d) {
					traced++
				}
			}
		})
	}
	s.Epics = epics(m, s.Backlog, prev, delta)
	wg.Wait()

	h := &s.Health
	h.Documents = len(m.Docs)
	h.Warnings = len(s.Warnings)
	for _, k := range model.Kinds {
		if counts[k.Name] > 0 {
			h.ByKind = append(h.ByKind, KindCount{k, counts[k.Name]})
		}
	}
	h.BacklogItems = len(s.Backlog)
	h.Unaddressed = unaddressed(s.Feedback)
	if treeKept {
		// Whether an item traces up to an objective depends on the traces
		// links and the kinds alone.
		h.TracedItems = prev.Health.TracedItems
	} else {
		h.TracedItems = traced
	}
	for _, d := range s.Now {
		if d.Open() {
			h.OpenNow++
			if hasTracer(d, "epic") {
				h.CoveredNow++
			}
		}
	}
	for _, e := range s.Epics {
		if e.Doc.Status == "planned" || e.Doc.Status == "in-progress" {
			h.ActiveEpics++
			if len(e.Stories) > 0 {
				h.EpicsStoried++
			}
		}
	}
	for _, o := range s.Objectives {
		if o.Open() {
			h.OpenObjective++
			if len(o.From("traces")) > 0 {
				h.CoveredOpen++
			}
		}
	}
	if treeKept {
		s.Tree = translateTree(prev.Tree, prev.Model, m)
	}
	s.treeParts = splitTree(s.Tree)
	return s
}

// tracesToObjective reports whether an objective is on d's why-chain.
func tracesToObjective(d *model.Document) bool {
	for up := range d.Ups() {
		if up.Kind.Name == "objective" {
			return true
		}
	}
	return false
}

// orders puts lists of a model's documents into the order of the same
// lists of an earlier model.
type orders struct {
	m, prev *model.Model
	pos     []int32 // by document index: 1 + its place in the list being seeded
}

func newOrders(m, prev *model.Model) *orders {
	return &orders{m: m, prev: prev, pos: make([]int32, len(m.Docs))}
}

// seed reorders cur, a list of the documents of o.m in any order, as the
// same documents were in prev, a list of the earlier model: those that
// are in both in prev's order, then the others as they were. A sort then
// has little to do. It reports whether cur has prev's documents, all and
// only.
func (o *orders) seed(cur, prev []*model.Document) bool {
	if len(cur) == 0 {
		return len(prev) == 0
	}
	for i, d := range cur {
		o.pos[o.m.IndexOf(d)] = int32(i + 1)
	}
	out := make([]*model.Document, 0, len(cur))
	for _, p := range prev {
		if i := o.prev.IndexOf(p); o.pos[i] > 0 {
			out = append(out, o.m.Docs[i])
			o.pos[i] = -o.pos[i] // placed
		}
	}
	same := len(out) == len(cur) && len(prev) == len(cur)
	for _, d := range cur {
		i := o.m.IndexOf(d)
		if o.pos[i] > 0 {
			out = append(out, d)
		}
		o.pos[i] = 0
	}
	copy(cur, out)
	return same
}

// keysKept reports whether every edited document of delta has the same
// keys as in prev, by same; a nil same compares nothing.
func keysKept(prev *model.Model, delta *model.Change, same func(a, b *model.Document) bool) bool {
	for _, d := range delta.Edited {
		if same != nil && !same(prev.Docs[d.Index()], d) {
			return false
		}
	}
	return true
}

func sortByID(l []*model.Document) { slices.SortFunc(l, byID) }

func sortByPath(l []*model.Document) {
	slices.SortFunc(l, func(a, b *model.Document) int { return cmp.Compare(a.Path, b.Path) })
}

func sortReleases(l []*model.Document) {
	slices.SortFunc(l, func(a, b *model.Document) int {
		return cmp.Or(cmp.Compare(a.String("date"), b.String("date")), byID(a, b))
	})
}

// epics makes the epics of the backlog with their stories and progress,
// reusing prev's for the epics that neither the change nor any of their
// stories touched.
func epics(m *model.Model, backlog []*model.Document, prev *SiteView, delta *model.Change) []*Epic {
	var old map[int]*Epic // by document index
	var touched []bool
	if prev != nil {
		old = make(map[int]*Epic, len(prev.Epics))
		for _, e := range prev.Epics {
			old[prev.Model.IndexOf(e.Doc)] = e
		}
		touched = make([]bool, len(prev.Model.Docs))
		for _, d := range delta.Touched {
			touched[m.IndexOf(d)] = true
		}
	}
	var out []*Epic
	for _, d := range backlog {
		if d.Kind.Name != "epic" {
			continue
		}
		// An epic's stories trace to it, so an edited story touches it.
		if i := m.IndexOf(d); old[i] != nil && !touched[i] {
			e := old[i]
			ne := *e
			ne.Doc = d
			ne.Stories = make([]*model.Document, len(e.Stories))
			for k, st := range e.Stories {
				ne.Stories[k] = m.Docs[prev.Model.IndexOf(st)]
			}
			out = append(out, &ne)
			continue
		}
		e := &Epic{Doc: d}
		for _, st := range d.From("traces") {
			if st.Kind.Name != "story" {
				continue
			}
			e.Stories = append(e.Stories, st)
			switch {
			case st.Status == "done":
				e.Done++
			case st.Open():
				e.Open++
			}
			c, t := Criteria(st)
			e.Checked += c
			e.Total += t
		}
		sortBacklog(e.Stories)
		out = append(out, e)
	}
	return out
}

// sameTree reports whether the traceability tree of a model with the
// delta from prev has the shape of prev's: whether no edited document
// changed what the tree is made of (the traces links, and the keys its
// children are sorted by).
func sameTree(prev *model.Model, delta *model.Change) bool {
	for _, d := range delta.Edited {
		o := prev.Docs[d.Index()]
		if d.Rank() != o.Rank() || d.Priority() != o.Priority() {
			return false
		}
		var a, b []*model.Document
		for _, r := range o.Refs {
			if r.Field == "traces" && r.To != nil {
				a = append(a, r.To)
			}
		}
		for _, r := range d.Refs {
			if r.Field == "traces" && r.To != nil {
				b = append(b, r.To)
			}
		}
		if !slices.EqualFunc(a, b, func(x, y *model.Document) bool { return x.Index() == y.Index() }) {
			return false
		}
	}
	return true
}

// translateTree copies a tree with the documents of m at the same places.
func translateTree(nodes []*Node, prev, m *model.Model) []*Node {
	if nodes == nil {
		return nil
	}
	out := make([]*Node, len(nodes))
	for i, n := range nodes {
		out[i] = &Node{Doc: m.Docs[prev.IndexOf(n.Doc)], Children: translateTree(n.Children, prev, m)}
	}
	return out
}

// Criteria counts a document's checked and total acceptance criteria.
func Criteria(d *model.Document) (checked, total int) {
	if d.Body == nil {
		return 0, 0
	}
	for _, c := range d.Body.Criteria {
		if c.Checked {
			checked++
		}
	}
	return checked, len(d.Body.Criteria)
}

// tree builds vision → objective → initiative → epic → story from the
// traces links; documents reached twice appear under each parent.
func tree(m *model.Model) []*Node {
	var build func(d *model.Document, depth int) *Node
	build = func(d *model.Document, depth int) *Node {
		n := &Node{Doc: d}
		if depth > 8 { // traces cycles are reported by check; never loop here
			return n
		}
		kids := d.From("traces")
		keyed(kids, true)
		for _, k := range kids {
			n.Children = append(n.Children, build(k, depth+1))
		}
		return n
	}
	var roots []*Node
	for _, d := range m.Docs {
		if d.Kind.Name == "vision" {
			roots = append(roots, build(d, 0))
		}
	}
	return roots
}

func hasTracer(d *model.Document, kind string) bool {
	for _, t := range d.From("traces") {
		if t.Kind.Name == kind {
			return true
		}
	}
	return false
}
