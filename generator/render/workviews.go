package render

import (
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"productdocs/generator/check"
	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// The working views of the site: the roadmap (roadmap.go), the releases
// (releases.go), the backlog's filterable list (backlog.go), and what
// document pages show of their own health and progress (this file).

// viewJobs are the data files of the views: the backlog's list and the
// trace page's warnings for their filters, and the traceability matrix.
// (The views' pages are rows of the views table, views.go.)
func (r *Renderer) viewJobs() []Job {
	return []Job{
		{Path: backlogDataPath, Kind: "data", Name: "backlog-items"},
		{Path: warningsDataPath, Kind: "data", Name: "warnings"},
		{Path: "trace/matrix.csv", Kind: "data", Name: "matrix.csv"},
	}
}

// today is the date the views count days from: the one the site was
// loaded with (check.Today: SOURCE_DATE_EPOCH, else the clock), so that the
// same input on the same date gives the same pages.
func (s *SiteView) today() time.Time {
	if !s.History.Today.IsZero() {
		return s.History.Today
	}
	t, err := check.Today(os.Getenv, time.Now)
	if err != nil {
		return check.Day(time.Now())
	}
	return t
}

// TodayDate is the date the page counts days from, YYYY-MM-DD.
func (p *Page) TodayDate() string { return p.Site.today().Format(time.DateOnly) }

// viewIndex is what the views look up by document, made once a site
// when a page first asks.
type viewIndex struct {
	once   sync.Once
	diags  map[string][]diag.Diagnostic // a file's own, in order
	checks bool                         // the site has the checks reference
}

func (s *SiteView) index() *viewIndex {
	x := &s.vidx
	x.once.Do(func() {
		x.diags = map[string][]diag.Diagnostic{}
		for _, d := range s.Diagnostics {
			x.diags[d.File] = append(x.diags[d.File], d)
		}
		x.checks = s.Model.ByPath(checksPath) != nil
	})
	return x
}

// checksPath is the manual's page that explains every check, with a
// heading whose ID is each code.
const checksPath = "guides/checks.md"

// OwnDiagnostics are the diagnostics of the page's document's file,
// warnings included, in file order.
func (p *Page) OwnDiagnostics() []diag.Diagnostic {
	if p.Doc == nil {
		return nil
	}
	p.readDep(Dep{Kind: depSite, Name: "Diagnostics"})
	return p.Site.index().diags[p.Doc.File]
}

// CheckLink is the link from the page to the explanation of a check's
// code in the manual, or "" when the site has no such page.
func (p *Page) CheckLink(code string) string {
	p.readDep(Dep{Kind: depIDs, Name: "Pages"}) // whether the checks page is one
	if !p.Site.index().checks {
		return ""
	}
	return p.Rel("guides/checks/") + "#" + code
}

// HasStatus reports whether a kind's status means something: work and
// strategy move through statuses, a persona, a market study, a
// competitor or a page does not.
func HasStatus(k *model.Kind) bool {
	if k == nil {
		return false
	}
	switch k.Name {
	case "persona", "market", "competitor", "page":
		return false
	}
	return true
}

// OtherParents are the documents the page's document traces to beyond
// the first, whose chain the why-chain follows.
func (p *Page) OtherParents() []*model.Document {
	if p.Doc == nil {
		return nil
	}
	ups := p.Doc.RefsTo("traces")
	p.read(p.Doc)
	p.read(ups...)
	if len(ups) < 2 {
		return nil
	}
	return ups[1:]
}

// Progress is a roll-up as a page shows it: model.RollupOf, with the
// lists each of its figures counts.
type Progress struct {
	model.Rollup
	Limit int // the most documents a list shows
}

// RollsUp reports whether a kind's pages show the progress of the work
// below them.
func RollsUp(k *model.Kind) bool {
	if k == nil {
		return false
	}
	switch k.Name {
	case "epic", "initiative", "objective", "release":
		return true
	}
	return false
}

// Rollup is the progress of the work below d (a release's: its scope).
func (p *Page) Rollup(d *model.Document) Progress {
	// Everything below d (or in a release's scope) counts, or may: a
	// dropped item that is picked up again, a story added to an epic.
	p.read(d)
	ro := p.Site.rollupOf(d)
	p.read(ro.below...)
	p.read(d.From("release")...)
	return Progress{Rollup: ro.Rollup, Limit: RefListLimit}
}

// siteRollup is a document's roll-up and what is below it.
type siteRollup struct {
	model.Rollup
	below []*model.Document
}

// rollupOf is d's roll-up, computed once a site: a document's page shows
// its own, the roadmap each initiative's twice, and the one of a vision
// or an objective sorts thousands of documents (8% of a 10,000-document
// build's CPU when made at each use).
func (s *SiteView) rollupOf(d *model.Document) *siteRollup {
	s.rollupMu.Lock()
	r, ok := s.rollups[d]
	s.rollupMu.Unlock()
	if ok {
		return r
	}
	r = &siteRollup{below: d.Below()}
	r.Rollup = model.RollupBelow(d, r.below)
	s.rollupMu.Lock()
	if s.rollups == nil {
		s.rollups = map[*model.Document]*siteRollup{}
	}
	s.rollups[d] = r
	s.rollupMu.Unlock()
	return r
}

// DoneItems are the counted items that are done.
func (g Progress) DoneItems() []*model.Document {
	var out []*model.Document
	for _, d := range g.Items {
		if d.Status == "done" {
			out = append(out, d)
		}
	}
	return out
}

// Estimated are the counted items with an estimate.
func (g Progress) Estimated() []*model.Document {
	var out []*model.Document
	for _, d := range g.Items {
		if _, ok := d.Fields["estimate"].(float64); ok {
			out = append(out, d)
		}
	}
	return out
}

// WithCriteria are the counted items with acceptance criteria.
func (g Progress) WithCriteria() []*model.Document {
	var out []*model.Document
	for _, d := range g.Items {
		if d.Body != nil && len(d.Body.Criteria) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// EstimatePercent is the share of the estimate done.
func (g Progress) EstimatePercent() int {
	if g.Estimate == 0 {
		return 0
	}
	return int(g.EstimateDone * 100 / g.Estimate)
}

// CriteriaPercent is the share of acceptance criteria checked.
func (g Progress) CriteriaPercent() int {
	if g.Criteria == 0 {
		return 0
	}
	return g.Checked * 100 / g.Criteria
}

// Head is at most Limit of docs, for a list; More counts the rest.
func (g Progress) Head(docs []*model.Document) []*model.Document {
	if len(docs) > g.Limit {
		return docs[:g.Limit]
	}
	return docs
}

// More is how many of docs Head leaves out.
func (g Progress) More(docs []*model.Document) int { return max(0, len(docs)-g.Limit) }

// FeedbackState is how far the work that addresses a piece of feedback
// has come.
type FeedbackState struct {
	State   string            // "none", "planned", "in-progress" or "shipped"
	By      []*model.Document // the work addressing it, dropped work left out
	Release *model.Document   // for shipped work, the release it went out in, if any
}

// Label is the state in words.
func (f FeedbackState) Label() string {
	switch f.State {
	case "none":
		return "Nothing yet"
	case "planned":
		return "Planned"
	case "in-progress":
		return "In progress"
	}
	return "Shipped"
}

// StateOf is how far the work that addresses feedback d has come: shipped
// when any of it is done, else in progress when any is, else planned when
// there is any (proposed or planned); nothing yet when no work that is not
// dropped addresses it. Shipped work names its release: its own release
// field, else its epic's.
func StateOf(d *model.Document) FeedbackState {
	var f FeedbackState
	for _, x := range d.From("addresses") {
		if x.Status != "dropped" && !slices.Contains(f.By, x) {
			f.By = append(f.By, x)
		}
	}
	slices.SortFunc(f.By, model.CompareDocs)
	f.State = "none"
	rank := map[string]int{"none": 0, "planned": 1, "in-progress": 2, "shipped": 3}
	for _, x := range f.By {
		s := "planned"
		switch x.Status {
		case "done":
			s = "shipped"
		case "in-progress":
			s = "in-progress"
		}
		if rank[s] > rank[f.State] {
			f.State = s
		}
		if s == "shipped" && f.Release == nil {
			f.Release = releaseOf(x)
		}
	}
	return f
}

// releaseOf is the release an item goes out in: its own release field,
// else its epic's.
func releaseOf(d *model.Document) *model.Document {
	if r := d.Get("release"); r != nil {
		return r
	}
	for _, up := range d.RefsTo("traces") {
		if up.Kind.Name == "epic" {
			if r := up.Get("release"); r != nil {
				return r
			}
		}
	}
	return nil
}

// FeedbackState is StateOf for the templates.
func (p *Page) FeedbackState(d *model.Document) FeedbackState {
	p.read(d)
	for _, x := range d.From("addresses") {
		p.read(x)
		p.read(x.RefsTo("release")...)
		p.read(x.RefsTo("traces")...) // an epic's release, where the item has none
	}
	return StateOf(d)
}

// Unaddressed counts the feedback that no work addresses.
func unaddressed(feedback []*model.Document) int {
	n := 0
	for _, d := range feedback {
		if StateOf(d).State == "none" {
			n++
		}
	}
	return n
}

// PersonaWork is what names a persona in its personas field, split into
// the feedback from it and the work that serves it.
type PersonaWork struct {
	Feedback []*model.Document
	Work     []*model.Document
}

// ForPersona is the feedback from a persona and the work serving it, in
// natural ID order.
func (p *Page) ForPersona(d *model.Document) PersonaWork {
	p.read(d)
	p.read(d.From("personas")...)
	var w PersonaWork
	for _, x := range d.From("personas") {
		if x.Kind.Name == "feedback" {
			w.Feedback = append(w.Feedback, x)
		} else {
			w.Work = append(w.Work, x)
		}
	}
	slices.SortFunc(w.Feedback, model.CompareDocs)
	slices.SortFunc(w.Work, model.CompareDocs)
	return w
}

// ObjectiveOf is the objective an initiative serves, the first it traces
// to, or nil.
func ObjectiveOf(d *model.Document) *model.Document {
	for _, up := range d.RefsTo("traces") {
		if up.Kind.Name == "objective" {
			return up
		}
	}
	return nil
}

// ObjectiveOf is the objective an initiative serves (see ObjectiveOf),
// recorded as read with the initiative.
func (p *Page) ObjectiveOf(d *model.Document) *model.Document {
	o := ObjectiveOf(d)
	p.read(d, o)
	return o
}

// TracesTo are the documents d traces to, recorded as read with d.
func (p *Page) TracesTo(d *model.Document) []*model.Document {
	ups := d.RefsTo("traces")
	p.read(d)
	p.read(ups...)
	return ups
}

// CodeCount is a check's code and how many warnings of it the site has.
type CodeCount struct {
	Code  string
	Count int
}

// WarningCodes are the codes of the site's warnings with their counts, by
// code.
func (p *Page) WarningCodes() []CodeCount {
	p.readDep(Dep{Kind: depSite, Name: "Warnings"})
	m := map[string]int{}
	for _, w := range p.Site.Warnings {
		m[w.Code]++
	}
	out := make([]CodeCount, 0, len(m))
	for c, n := range m {
		out = append(out, CodeCount{c, n})
	}
	slices.SortFunc(out, func(a, b CodeCount) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Owners are the owners of docs, each once, sorted.
func owners(docs []*model.Document) []string {
	var out []string
	for _, d := range docs {
		if d.Owner != "" {
			out = append(out, d.Owner)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// WarningOwners are the owners of the documents with warnings.
func (p *Page) WarningOwners() []string {
	p.readDep(Dep{Kind: depSite, Name: "Warnings"})
	var docs []*model.Document
	for _, w := range p.Site.Warnings {
		if d := p.DocByFile(w.File); d != nil {
			docs = append(docs, d)
		}
	}
	return owners(docs)
}

// SectionOf is the section a file's document belongs to, for the trace
// page's filter: "strategy", "backlog", "pages", or "site" for a file
// that is no document's (productdocs.yaml, a template).
func (p *Page) SectionOf(file string) string {
	d := p.DocByFile(file)
	switch {
	case d == nil:
		return "site"
	case d.Kind != model.PageKind:
		return string(d.Kind.Section)
	case d.Section != "":
		return string(d.Section)
	}
	return "pages"
}

// joinValues joins the values of a filterable attribute, which the
// views' script splits at "|".
func joinValues(vs []string) string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, strings.ReplaceAll(v, "|", " "))
	}
	return strings.Join(out, "|")
}

// DocsMore is a list of documents seen from a page, with how many more it
// leaves out.
type DocsMore struct {
	Page *Page
	Docs []*model.Document
	More int
}
