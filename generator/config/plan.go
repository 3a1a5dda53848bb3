package config

import (
	"slices"
	"strings"

	"productdocs/generator/content"
	"productdocs/generator/model"
)

// Stale holds how many days an open item may go without a change before
// the stale check reports it, by the item's horizon (initiatives: now,
// next, later) or status (epics and stories: in-progress, and open for
// the other open statuses). A key left out keeps its default.
//
//	stale: {now: 30, next: 90, later: 180, in-progress: 30, open: 90}
type Stale map[string]int

// StaleKeys are the keys of Stale, in the order the manual lists them.
var StaleKeys = []string{"now", "next", "later", "in-progress", "open"}

// DefaultStale are the days of SPEC §5.
var DefaultStale = Stale{"now": 30, "next": 90, "later": 180, "in-progress": 30, "open": 90}

// Days is the limit of a key, the site's or the default.
func (s Stale) Days(key string) int {
	if n, ok := s[key]; ok {
		return n
	}
	return DefaultStale[key]
}

// ExactDates stands, in internal_fields, for the exact dates of a
// document that has a quarter: its updated: date and its last change in
// git. The public site then shows the quarter alone.
const ExactDates = model.ExactDates

// DefaultInternalFields are the fields internal by nature, which the
// public site leaves out unless internal_fields says otherwise.
var DefaultInternalFields = []string{"owner", "rank", "estimate", "priority", "extra", ExactDates}

// InternalOf returns the fields the public site leaves out: the site's
// list when it sets one, else the defaults.
func (s Settings) InternalOf() []string {
	if s.InternalFields != nil {
		return s.InternalFields
	}
	return DefaultInternalFields
}

// mustShow are the fields a public page cannot do without.
var mustShow = []string{"id", "kind", "title", "audience"}

// hideable lists the names internal_fields may hold: every field of every
// kind, but those a page cannot do without, and ExactDates.
func hideable() []string {
	names := []string{ExactDates}
	for _, k := range model.Kinds {
		for _, n := range k.FieldNames() {
			if !slices.Contains(names, n) && !slices.Contains(mustShow, n) {
				names = append(names, n)
			}
		}
	}
	slices.Sort(names)
	return names
}

func (p *parser) stale(f *content.Field) {
	if f.Value.Kind != content.Map {
		p.report(f.Value.Pos, "stale must be a mapping of %s to a number of days", strings.Join(StaleKeys, ", "))
		return
	}
	p.s.Stale = Stale{}
	for _, e := range f.Value.Map {
		if !slices.Contains(StaleKeys, e.Key) {
			p.report(e.KeyPos, "unknown stale key %q (want one of %s)", e.Key, strings.Join(StaleKeys, ", "))
			continue
		}
		if e.Value.Kind != content.Int || e.Value.Int < 1 || e.Value.Int > 100000 {
			p.report(e.Value.Pos, "stale %s must be a whole number of days from 1 to 100000, not %s", e.Key, e.Value.Text())
			continue
		}
		p.s.Stale[e.Key] = int(e.Value.Int)
	}
}

func (p *parser) internalFields(f *content.Field) {
	if f.Value.Kind != content.List {
		p.report(f.Value.Pos, "internal_fields must be a list of field names, such as [owner, rank]")
		return
	}
	names := hideable()
	p.s.InternalFields = []string{}
	for _, x := range f.Value.List {
		if x.Kind != content.String || !slices.Contains(names, x.Str) {
			msg := "internal_fields names %s, which is not a field the public site can leave out (want one of %s)"
			if slices.Contains(mustShow, x.Str) {
				msg = "internal_fields names %s, which every page shows (want one of %s)"
			}
			p.report(x.Pos, msg, x.Text(), strings.Join(names, ", "))
			continue
		}
		if !slices.Contains(p.s.InternalFields, x.Str) {
			p.s.InternalFields = append(p.s.InternalFields, x.Str)
		}
	}
}
