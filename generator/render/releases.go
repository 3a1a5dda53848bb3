package render

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"productdocs/generator/model"
)

// ReleaseView is a release as its page and the releases page show it.
type ReleaseView struct {
	Doc      *model.Document
	Date     string
	Days     int  // from today to the date: left when positive, past when negative
	Dated    bool // the date reads as a date
	Progress Progress
}

// Release is the view of release d as of the site's today.
func (p *Page) Release(d *model.Document) ReleaseView {
	v := ReleaseView{Doc: d, Date: d.String("date"), Progress: p.Rollup(d)}
	for _, x := range d.From("release") {
		p.read(x.RefsTo("traces")...) // the notes group the scope by epic
	}
	if t, err := time.Parse(time.DateOnly, v.Date); err == nil {
		v.Dated = true
		v.Days = int(t.Sub(p.Site.today()).Hours() / 24)
	}
	return v
}

// Late reports whether the release's date has passed with work still
// open.
func (v ReleaseView) Late() bool {
	return v.Dated && v.Days < 0 && len(v.Progress.Open()) > 0 && v.Doc.Status != "done" && v.Doc.Status != "dropped"
}

// When says where the release is in time: "in 12 days", "today",
// "3 days late", "5 days ago".
func (v ReleaseView) When() string {
	switch {
	case !v.Dated:
		return "no date"
	case v.Days == 0:
		return "today"
	case v.Days > 0:
		return "in " + days(v.Days)
	case v.Late():
		return days(-v.Days) + " late"
	}
	return days(-v.Days) + " ago"
}

func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// EpicGroup is the items of a release under one epic.
type EpicGroup struct {
	Epic  *model.Document // nil: items of no epic
	Items []*model.Document
}

// Scope is every item whose release field names d, grouped by epic: epics
// in natural ID order, items in backlog order, and the items of no epic
// last.
func (p *Page) Scope(d *model.Document) []EpicGroup {
	var items []*model.Document
	p.read(d)
	for _, x := range d.From("release") {
		if !slices.Contains(items, x) {
			items = append(items, x)
			p.read(x)
			p.read(x.RefsTo("traces")...) // its epic, which groups it
		}
	}
	return byEpic(items)
}

func byEpic(items []*model.Document) []EpicGroup {
	items = slices.Clone(items)
	slices.SortStableFunc(items, BacklogOrder)
	idx := map[*model.Document]int{}
	var out []EpicGroup
	for _, x := range items {
		e := EpicOf(x)
		i, ok := idx[e]
		if !ok {
			i = len(out)
			idx[e] = i
			out = append(out, EpicGroup{Epic: e})
		}
		out[i].Items = append(out[i].Items, x)
	}
	slices.SortStableFunc(out, func(a, b EpicGroup) int {
		switch {
		case a.Epic == nil && b.Epic == nil:
			return 0
		case a.Epic == nil:
			return 1
		case b.Epic == nil:
			return -1
		}
		return model.CompareDocs(a.Epic, b.Epic)
	})
	return out
}

// ReleaseNotes are the done items of release d's scope, grouped by epic,
// with their summaries, as Markdown to paste into an announcement.
func (p *Page) ReleaseNotes(d *model.Document) string {
	var done []*model.Document
	for _, g := range p.Scope(d) {
		for _, x := range g.Items {
			if x.Status == "done" {
				done = append(done, x)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s", d.Title)
	if date := d.String("date"); date != "" {
		fmt.Fprintf(&b, " (%s)", date)
	}
	b.WriteString("\n")
	if len(done) == 0 {
		b.WriteString("\nNothing is done yet.\n")
		return b.String()
	}
	for _, g := range byEpic(done) {
		if g.Epic != nil {
			fmt.Fprintf(&b, "\n## %s\n\n", g.Epic.Title)
		} else {
			b.WriteString("\n## Other changes\n\n")
		}
		for _, x := range g.Items {
			if x == g.Epic && len(g.Items) > 1 {
				continue // the heading says it
			}
			fmt.Fprintf(&b, "- %s (%s)", x.Title, x.ID)
			if x.Summary != "" {
				fmt.Fprintf(&b, ": %s", x.Summary)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
