package render

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"productdocs/generator/model"
)

// Roadmap is what /strategy/roadmap/ shows: the initiatives on a Now /
// Next / Later board, and on a timeline of quarters with a lane for each
// objective.
type Roadmap struct {
	Now, Next, Later []*model.Document // open initiatives, by horizon
	Done, Dropped    []*model.Document

	// Quarters are the timeline's columns: every quarter from the earliest
	// to the latest that an initiative's quarter or a release's date
	// names, empty ones included.
	Quarters   []TimelineQuarter
	Lanes      []Lane
	Unplaced   []*model.Document // open or done initiatives without a quarter
	Today      string            // YYYY-MM-DD
	TodayNote  string            // where today is, when not in a column
	Objectives []*model.Document // the filter's choices
	Owners     []string
	Tags       []string
}

// TimelineQuarter is a column of the timeline.
type TimelineQuarter struct {
	Name       string            // "2027-Q1"
	Today      bool              // today falls in it
	Milestones []*model.Document // releases dated in it, by date
}

// Lane is an objective's row of the timeline: its initiatives by quarter.
type Lane struct {
	Objective *model.Document // nil for initiatives that serve none
	Cells     [][]*model.Document
}

// maxQuarters bounds the timeline: quarters from 1999 to 2999 would be
// four thousand columns. A longer span shows only the quarters named.
const maxQuarters = 80

// quarterNum reads "YYYY-Qn" as a number of quarters, or false.
func quarterNum(q string) (int, bool) {
	if len(q) != 7 || q[4] != '-' || q[5] != 'Q' || q[6] < '1' || q[6] > '4' {
		return 0, false
	}
	y, err := strconv.Atoi(q[:4])
	if err != nil || y < 0 {
		return 0, false
	}
	return y*4 + int(q[6]-'1'), true
}

func quarterName(n int) string { return fmt.Sprintf("%04d-Q%d", n/4, n%4+1) }

// quarterOfDate is the quarter of a YYYY-MM-DD date, or false.
func quarterOfDate(date string) (int, bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, false
	}
	return t.Year()*4 + (int(t.Month())-1)/3, true
}

// Roadmap is the roadmap of the site, as the roadmap's page has it in
// .Data. It records the roadmap as read, by its value: the initiatives,
// releases and objectives it shows (as the page of a view does).
func (p *Page) Roadmap() *Roadmap {
	p.readDep(Dep{Kind: depSite, Name: "Roadmap"})
	return p.Site.Roadmap()
}

// Roadmap lays out the roadmap of the site.
func (s *SiteView) Roadmap() *Roadmap {
	today := s.today()
	rm := &Roadmap{Today: today.Format(time.DateOnly)}
	var placed []*model.Document      // on the timeline
	for _, d := range s.Initiatives { // natural ID order
		switch {
		case d.Status == "dropped":
			rm.Dropped = append(rm.Dropped, d)
			continue
		case d.Status == "done":
			rm.Done = append(rm.Done, d)
		case d.String("horizon") == "now":
			rm.Now = append(rm.Now, d)
		case d.String("horizon") == "next":
			rm.Next = append(rm.Next, d)
		default:
			rm.Later = append(rm.Later, d)
		}
		placed = append(placed, d)
	}
	// The columns.
	named := map[int]bool{}
	at := map[*model.Document]int{}
	for _, d := range placed {
		if q, ok := quarterNum(d.String("quarter")); ok {
			named[q] = true
			at[d] = q
		} else {
			rm.Unplaced = append(rm.Unplaced, d)
		}
	}
	relAt := map[*model.Document]int{}
	for _, r := range s.Releases {
		if q, ok := quarterOfDate(r.String("date")); ok {
			named[q] = true
			relAt[r] = q
		}
	}
	var cols []int
	if len(named) > 0 {
		lo, hi := -1, -1
		for q := range named {
			if lo < 0 || q < lo {
				lo = q
			}
			hi = max(hi, q)
		}
		if hi-lo < maxQuarters {
			for q := lo; q <= hi; q++ {
				cols = append(cols, q)
			}
		} else {
			for q := range named {
				cols = append(cols, q)
			}
			slices.Sort(cols)
		}
	}
	col := map[int]int{}
	nowQ := today.Year()*4 + (int(today.Month())-1)/3
	for i, q := range cols {
		col[q] = i
		rm.Quarters = append(rm.Quarters, TimelineQuarter{Name: quarterName(q), Today: q == nowQ})
	}
	switch {
	case len(cols) == 0:
	case nowQ < cols[0]:
		rm.TodayNote = "Today, " + rm.Today + ", is before the first quarter."
	case nowQ > cols[len(cols)-1]:
		rm.TodayNote = "Today, " + rm.Today + ", is after the last quarter."
	}
	for _, r := range s.Releases { // by date
		if q, ok := relAt[r]; ok {
			c := col[q]
			rm.Quarters[c].Milestones = append(rm.Quarters[c].Milestones, r)
		}
	}
	// The lanes: one per objective, in natural ID order, then one for
	// initiatives that serve none. An initiative serving two objectives
	// is in both lanes.
	lanes := map[*model.Document]*Lane{}
	lane := func(o *model.Document) *Lane {
		if l, ok := lanes[o]; ok {
			return l
		}
		l := &Lane{Objective: o, Cells: make([][]*model.Document, len(cols))}
		lanes[o] = l
		return l
	}
	for _, o := range s.Objectives {
		lane(o)
	}
	for _, d := range placed {
		q, ok := at[d]
		if !ok {
			continue
		}
		var objs []*model.Document
		for _, up := range d.RefsTo("traces") {
			if up.Kind.Name == "objective" && !slices.Contains(objs, up) {
				objs = append(objs, up)
			}
		}
		if len(objs) == 0 {
			objs = append(objs, nil)
		}
		for _, o := range objs {
			l := lane(o)
			l.Cells[col[q]] = append(l.Cells[col[q]], d)
		}
	}
	for _, o := range s.Objectives {
		rm.Lanes = append(rm.Lanes, *lanes[o])
	}
	if l, ok := lanes[nil]; ok {
		rm.Lanes = append(rm.Lanes, *l)
	}
	rm.Objectives = s.Objectives
	rm.Owners = owners(s.Initiatives)
	for _, d := range s.Initiatives {
		rm.Tags = append(rm.Tags, d.Tags...)
	}
	slices.Sort(rm.Tags)
	rm.Tags = slices.Compact(rm.Tags)
	return rm
}
