package render

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"productdocs/generator/check"
	"productdocs/generator/gitlog"
	"productdocs/generator/model"
)

// History is what the pages show of time: the documents' last changes
// and /changes/. The facade sets it on a Site; its zero value shows
// updated: dates alone and an empty /changes/.
type History struct {
	Log   *gitlog.History // nil: none
	Today time.Time       // the date of the time-based checks; zero: unknown
	// Public is set on the public site: commit summaries, which are the
	// team's words about any document, are left out, and so are the
	// exact dates of documents with a quarter when OmitExact is set.
	Public    bool
	OmitExact bool
}

// Change is a document's last change as a page shows it.
type Change struct {
	Date    string // YYYY-MM-DD
	Summary string // the commit's first line; "" for updated: and on the public site
	Git     bool
	Ago     string // "2 weeks ago", against Today; "" without one
}

// LastChange is a document's last change: updated: where given, else its
// last commit (check.LastChange, which the stale check reads too).
func (s *SiteView) LastChange(d *model.Document) *Change {
	h := s.History
	if h.Public && h.OmitExact && d.String("quarter") != "" {
		return nil
	}
	c, ok := check.LastChange(d, func(file string) (check.Change, bool) {
		c, ok := h.Log.Last(file)
		return check.Change{Date: c.Date, Summary: c.Summary}, ok
	})
	if !ok {
		return nil
	}
	out := &Change{Date: c.Date, Summary: c.Summary, Git: c.Git, Ago: ago(c.Date, h.Today)}
	if h.Public {
		out.Summary = ""
	}
	return out
}

// ago says how long before today a date is, roughly, as people say it.
func ago(date string, today time.Time) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil || today.IsZero() {
		return ""
	}
	days := int(today.Sub(t).Hours() / 24)
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit + " ago"
		}
		return strconv.Itoa(n) + " " + unit + "s ago"
	}
	switch {
	case days < 0:
		return ""
	case days == 0:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 14:
		return plural(days, "day")
	case days < 60:
		return plural(days/7, "week")
	case days < 730:
		return plural(days/30, "month")
	}
	return plural(days/365, "year")
}

// LastChange is Site.LastChange, for templates. It reads d's own data
// alone: the history is read once when the site is loaded and stays as it
// was while the preview runs.
func (p *Page) LastChange(d *model.Document) *Change {
	p.read(d)
	return p.Site.LastChange(d)
}

// ChangeSet is what changed since one date: one section of /changes/.
type ChangeSet struct {
	Since   string          // YYYY-MM-DD
	Release *model.Document // the release whose date it is, if any
	Default bool            // the latest release whose date has passed
	Items   []ChangedDoc    // newest first
}

// ChangedDoc is a document changed since a ChangeSet's date.
type ChangedDoc struct {
	Doc     *model.Document
	What    string // added, changed, done or dropped
	Date    string // its last change; "" where the public site hides it
	Commits []gitlog.Commit

	newest string // its last change, to sort by
}

// ChangeSets is the data of /changes/: what changed since each release's
// date. The latest release whose date has passed (by Today) comes first,
// as the default; then the other releases whose dates have passed, newest
// first. Without such a release, one set holds every change.
func (s *SiteView) ChangeSets() []ChangeSet {
	log := s.History.Log
	if log == nil || log.Files() == 0 {
		return nil
	}
	today := ""
	if !s.History.Today.IsZero() {
		today = s.History.Today.Format(time.DateOnly)
	}
	var out []ChangeSet
	for i := len(s.Releases) - 1; i >= 0; i-- { // Releases are by date
		r := s.Releases[i]
		date := r.String("date")
		if date == "" || today != "" && date >= today {
			continue // not passed: nothing has changed since
		}
		out = append(out, ChangeSet{Since: date, Release: r, Default: len(out) == 0, Items: s.changedSince(date)})
	}
	if len(out) == 0 {
		out = append(out, ChangeSet{Items: s.changedSince("")})
	}
	return out
}

// HistoryNote says why the site has no history, or "".
func (s *SiteView) HistoryNote() string {
	switch {
	case s.History.Log == nil:
		return "This site was built without its git history, so there are no changes to show."
	case s.History.Log.Note != "":
		n := s.History.Log.Note
		return strings.ToUpper(n[:1]) + n[1:] + "."
	case s.History.Log.Files() == 0:
		return "The site's git history has no commits yet."
	}
	return ""
}

// changedSince lists the documents with commits after date, newest first.
func (s *SiteView) changedSince(date string) []ChangedDoc {
	var out []ChangedDoc
	for _, d := range s.Model.Docs {
		all := s.History.Log.Of(d.File)
		var since []gitlog.Commit
		for _, c := range all {
			if c.Date > date {
				since = append(since, c)
			}
		}
		if len(since) == 0 {
			continue
		}
		what := "changed"
		switch {
		case len(since) == len(all):
			what = "added"
		case d.Status == "done" || d.Status == "dropped":
			what = d.Status
		}
		if s.History.Public {
			for i := range since {
				since[i].Summary = ""
			}
		}
		cd := ChangedDoc{Doc: d, What: what, Date: since[0].Date, Commits: since, newest: since[0].Date}
		if s.History.Public && s.History.OmitExact && d.String("quarter") != "" {
			// The public site shows the quarter of such a document, not
			// the days its plan changed.
			cd.Date, cd.Commits = "", nil
		}
		out = append(out, cd)
	}
	slices.SortStableFunc(out, func(a, b ChangedDoc) int {
		if a.newest != b.newest {
			if a.newest > b.newest {
				return -1
			}
			return 1
		}
		return model.CompareDocs(a.Doc, b.Doc)
	})
	return out
}
