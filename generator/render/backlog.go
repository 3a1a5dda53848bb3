package render

import (
	"bufio"
	"io"
	"slices"
	"strconv"

	"productdocs/generator/model"
)

// The backlog's working list. The backlog page's table is split into
// pages of ListPageSize rows (paginate.go), so that without script the
// whole backlog reads, a page at a time, and no page grows past a
// megabyte. Its filters and grouping must cover every item, though, so
// the page loads the whole list as data, backlog/items.js, and the
// views' script (views.js) draws the rows that match from it. Like the
// search index it is a script, which a page opened from the file system
// may load, and its strings are escaped as encoding/json escapes them
// (no "<", ">", "&", U+2028 or U+2029 unescaped), so no title can end
// the script.

// backlogDataPath is where the list is written.
const backlogDataPath = "backlog/items.js"

// BacklogData is the link from the page to the backlog's list.
func (p *Page) BacklogData() string { return p.Rel(backlogDataPath) }

// backlogItems writes window.PRODUCTDOCS_BACKLOG = {"refs": [...],
// "items": [...], "feedback": [...]}: refs are the epics, initiatives and releases that
// items name, as [id, title, url, kind], epics and initiatives in natural
// ID order and releases by date (the order of their groups); items are
// the epics and stories in backlog order, each
//
//	[id, kind, title, url, status, priority, rank, estimate, owner,
//	 tags, epic, initiative, releases, summary]
//
// where rank is 0 for none, estimate null for none, tags a list of
// strings, epic and initiative indexes of refs (-1 for none) and releases
// a list of them. An epic's epic is itself; an item's initiative is the
// first on its why-chain. Feedback entries are
//
//	[id, title, url, status, owner, tags, state, personas, source, date,
//	 release, by]
//
// with state and release as StateOf has them, personas a list of IDs and
// by the indexes in items of the work addressing it.
func (r *Renderer) backlogItems(w io.Writer) error {
	s := r.Site
	bw := bufio.NewWriterSize(w, 64<<10)
	refs := map[*model.Document]int{}
	var order []*model.Document
	epics := epicDocs(s)
	slices.SortFunc(epics, model.CompareDocs)
	// Site.Initiatives is in natural ID order, Site.Releases by date.
	for _, list := range [][]*model.Document{epics, s.Initiatives, s.Releases} {
		for _, d := range list {
			refs[d] = len(order)
			order = append(order, d)
		}
	}
	var pg Page
	var b []byte
	b = append(b, "window.PRODUCTDOCS_BACKLOG={\"refs\":["...)
	for i, d := range order {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendJSONString(b, d.ID)
		b = append(b, ',')
		b = appendJSONString(b, d.Title)
		b = append(b, ',')
		b = appendJSONString(b, d.URL)
		b = append(b, ',')
		b = appendJSONString(b, d.Kind.Name)
		b = append(b, ']')
	}
	b = append(b, "],\"items\":["...)
	ref := func(d *model.Document) int {
		if i, ok := refs[d]; ok && d != nil {
			return i
		}
		return -1
	}
	for i, d := range s.Backlog {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '[')
		for _, v := range []string{d.ID, d.Kind.Name, d.Title, d.URL, d.Status, d.Priority()} {
			b = appendJSONString(b, v)
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, d.Rank(), 10)
		b = append(b, ',')
		if est, ok := d.Fields["estimate"].(float64); ok {
			b = append(b, scalar(est)...)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, ',')
		b = appendJSONString(b, d.Owner)
		b = append(b, ",["...)
		for k, t := range d.Tags {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, t)
		}
		b = append(b, "],"...)
		b = strconv.AppendInt(b, int64(ref(EpicOf(d))), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(ref(pg.Serves(d))), 10)
		b = append(b, ",["...)
		for k, rel := range d.RefsTo("release") {
			if k > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(ref(rel)), 10)
		}
		b = append(b, "],"...)
		b = appendJSONString(b, d.Summary)
		b = append(b, ']')
		if len(b) > 32<<10 {
			bw.Write(b)
			b = b[:0]
		}
	}
	b = append(b, "],\n\"feedback\":["...)
	at := make(map[*model.Document]int, len(s.Backlog))
	for i, d := range s.Backlog {
		at[d] = i
	}
	for i, d := range s.Feedback {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		st := StateOf(d)
		b = append(b, '[')
		for _, v := range []string{d.ID, d.Title, d.URL, d.Status, d.Owner} {
			b = appendJSONString(b, v)
			b = append(b, ',')
		}
		b = appendStrings(b, d.Tags)
		b = append(b, ',')
		b = appendJSONString(b, st.State)
		b = append(b, ',')
		var personas []string
		for _, p := range d.RefsTo("personas") {
			personas = append(personas, p.ID)
		}
		b = appendStrings(b, personas)
		b = append(b, ',')
		b = appendJSONString(b, d.String("source"))
		b = append(b, ',')
		b = appendJSONString(b, d.String("date"))
		b = append(b, ',')
		rel := ""
		if st.Release != nil {
			rel = st.Release.ID
		}
		b = appendJSONString(b, rel)
		b = append(b, ",["...)
		n := 0
		for _, x := range st.By {
			if k, ok := at[x]; ok {
				if n > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(k), 10)
				n++
			}
		}
		b = append(b, "]]"...)
		if len(b) > 32<<10 {
			bw.Write(b)
			b = b[:0]
		}
	}
	b = append(b, "]};\n"...)
	bw.Write(b)
	return bw.Flush()
}

func appendStrings(b []byte, vs []string) []byte {
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, v)
	}
	return append(b, ']')
}

func epicDocs(s *SiteView) []*model.Document {
	out := make([]*model.Document, len(s.Epics))
	for i, e := range s.Epics {
		out[i] = e.Doc
	}
	return out
}

// EpicOf is the epic a backlog item belongs to: an epic's is itself, a
// story's the first epic it traces to; nil for none.
func EpicOf(d *model.Document) *model.Document {
	if d.Kind.Name == "epic" {
		return d
	}
	for _, up := range d.RefsTo("traces") {
		if up.Kind.Name == "epic" {
			return up
		}
	}
	return nil
}

// BacklogChoices are the values the backlog's filter controls offer
// beside those of backlog/items.js (its epics, initiatives and releases).
type BacklogChoices struct {
	Owners, Tags []string
}

// BacklogChoices lists the owners and tags of the backlog's items, for
// the controls' suggestions. It records them as read, by their values:
// an edit of an item elsewhere in the backlog leaves them as they were.
func (p *Page) BacklogChoices() BacklogChoices {
	p.readDep(Dep{Kind: depSite, Name: "BacklogChoices"})
	return p.Site.BacklogChoices()
}

// BacklogChoices lists the owners and tags of the backlog's items,
// computed once: every page of the backlog's list offers them, and
// sorting them again for each was 5% of a 10,000-document build's CPU.
func (s *SiteView) BacklogChoices() BacklogChoices {
	s.choicesOnce.Do(func() {
		c := &s.choices
		c.Owners = owners(s.Backlog)
		for _, d := range s.Backlog {
			c.Tags = append(c.Tags, d.Tags...)
		}
		slices.Sort(c.Tags)
		c.Tags = slices.Compact(c.Tags)
	})
	return s.choices
}
