package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"productdocs/generator/config"
	"productdocs/generator/diag"
	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

// Plan is what the checks that keep a plan honest (late, stale,
// duplicate-rank, audience) read beside the model. Its zero value runs
// duplicate-rank and audience only: without a date there is no "late"
// or "stale", and a caller without one (a test of something else, a tool
// that wants no clock) gets the same output every day.
type Plan struct {
	// Today is the date to compare with, at midnight UTC (see Today);
	// zero leaves late and stale out.
	Today time.Time
	// Stale are the stale check's limits; nil means the defaults.
	Stale config.Stale
	// Git returns the last commit that changed a file (a slash path from
	// the site root), if history knows it. Nil: no history.
	Git func(file string) (Change, bool)
}

// Change is the last change of a document.
type Change struct {
	Date    string // YYYY-MM-DD
	Summary string // the commit's first line; "" for updated:
	Git     bool   // from history rather than updated:
}

// LastChange is a document's last change: its updated: date where it has
// one (an explicit date wins), else its last commit in git, else none.
// The pages and the stale check both read it, so they never disagree.
func LastChange(d *model.Document, git func(string) (Change, bool)) (Change, bool) {
	if d.Updated != "" {
		return Change{Date: d.Updated}, true
	}
	if git != nil {
		if c, ok := git(d.File); ok {
			c.Git = true
			return c, true
		}
	}
	return Change{}, false
}

// PlanCodes are the codes of RunPlan, which reads the whole site and the
// Plan: the preview finds them again in full on every change.
var PlanCodes = []string{diag.CodeLate, diag.CodeStale, diag.CodeDuplicateRank, diag.CodeAudience}

// RunPlan returns the diagnostics of late, stale, duplicate-rank and
// audience over s, unsorted.
func RunPlan(s *model.Model, p Plan) []diag.Diagnostic {
	c := &checker{site: s}
	ranks := map[int64]*model.Document{}
	// Backlog items by file: the first holder of a rank is the one whose
	// file sorts first, and the later ones are reported.
	for _, d := range s.Docs {
		if !p.Today.IsZero() {
			c.late(d, p.Today)
			c.stale(d, p)
		}
		c.audience(d)
		if d.Kind.IsBacklog() && d.Rank() > 0 {
			if first, ok := ranks[d.Rank()]; ok {
				c.report(d, d.FieldPos("rank"), diag.CodeDuplicateRank, "rank %d is taken by %s too (%s); give each backlog item its own rank",
					d.Rank(), first.ID, first.File)
			} else {
				ranks[d.Rank()] = d
			}
		}
	}
	return c.diags
}

func (c *checker) late(d *model.Document, today time.Time) {
	switch d.Kind.Name {
	case "release":
		date, err := time.Parse(time.DateOnly, d.String("date"))
		if err != nil || !date.Before(today) {
			return // a release dated today has not passed
		}
		var open []*model.Document
		for _, r := range d.Backlinks {
			if r.Field == "release" && r.From.Open() && !slices.Contains(open, r.From) {
				open = append(open, r.From)
			}
		}
		if len(open) == 0 {
			return
		}
		slices.SortFunc(open, model.CompareDocs)
		ids := make([]string, len(open))
		for i, o := range open {
			ids[i] = o.ID
		}
		c.report(d, d.FieldPos("date"), diag.CodeLate, "release %s's date, %s, has passed, but %s planned for it %s still open: %s",
			d.ID, d.String("date"), count(len(open), "item"), isAre(len(open)), strings.Join(ids, ", "))
	case "initiative":
		q := d.String("quarter")
		end, ok := quarterEnd(q)
		if !ok || !d.Open() || !end.Before(today) {
			return
		}
		c.report(d, d.FieldPos("quarter"), diag.CodeLate, "initiative %s is %s, but its quarter, %s, ended on %s",
			d.ID, d.Status, q, end.Format(time.DateOnly))
	}
}

// quarterEnd is the last day of a quarter "YYYY-Qn".
func quarterEnd(q string) (time.Time, bool) {
	var y, n int
	if _, err := fmt.Sscanf(q, "%4d-Q%1d", &y, &n); err != nil || n < 1 || n > 4 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(3*n+1), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1), true
}

// staleKey is the limit a document is held to, or "" when it is not
// checked: open initiatives by horizon, open epics and stories by status.
func staleKey(d *model.Document) string {
	if !d.Open() {
		return ""
	}
	switch d.Kind.Name {
	case "initiative":
		return d.String("horizon")
	case "epic", "story":
		if d.Status == "in-progress" {
			return "in-progress"
		}
		return "open"
	}
	return ""
}

func (c *checker) stale(d *model.Document, p Plan) {
	key := staleKey(d)
	if key == "" {
		return
	}
	ch, ok := LastChange(d, p.Git)
	if !ok {
		return // no known date: not stale
	}
	date, err := time.Parse(time.DateOnly, ch.Date)
	if err != nil {
		return
	}
	days := int(p.Today.Sub(date).Hours() / 24)
	limit := p.Stale.Days(key)
	if days <= limit {
		return
	}
	what, pos := "updated: "+ch.Date, d.FieldPos("updated")
	if ch.Git {
		what, pos = fmt.Sprintf("the commit of %s, %q", ch.Date, ch.Summary), d.FieldPos("status")
	}
	held := "now initiatives"
	switch key {
	case "next", "later":
		held = key + " initiatives"
	case "in-progress":
		held = "in-progress epics and stories"
	case "open":
		held = "proposed or planned epics and stories"
	}
	c.report(d, pos, diag.CodeStale, "%s %s is %s, but its last change (%s) is %d days old; %s are stale after %d (stale: in productdocs.yaml)",
		d.Kind.Name, d.ID, d.Status, what, days, held, limit)
}

func (c *checker) audience(d *model.Document) {
	if !d.Public {
		return
	}
	for _, r := range d.Refs {
		if r.To == nil || r.To.Public {
			continue
		}
		instead := "leaves this reference out"
		if r.Field == "traces" && r.To == d.Get("traces") {
			instead = "ends the why-chain at " + d.ID
		}
		c.report(d, r.Pos, diag.CodeAudience, "%s %s, which is internal: the public site %s", verb(r.Field), r.To.ID, instead)
	}
	for _, l := range d.BodyLinks {
		if l.To == nil || l.To.Public || l.To == d {
			continue
		}
		instead := "shows nothing in its place"
		if t := LinkText(d, l); t != "" {
			instead = fmt.Sprintf("shows the link's text %q instead", t)
		}
		c.report(d, l.Pos(d.BodyLine), diag.CodeAudience, "links to %s, which is internal: the public site %s", l.To.ID, instead)
	}
}

// LinkText is the text a body link shows of its own, without the
// target's title: a wiki link's label, a Markdown link's text.
func LinkText(d *model.Document, l model.BodyLink) string {
	if d.Body == nil || l.Link == nil {
		return ""
	}
	_, _, label, ok := markdown.LinkSpan(d.Body.Source, *l.Link)
	if !ok {
		return ""
	}
	return string(label)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
