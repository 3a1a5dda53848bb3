package jira

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"productdocs/generator/config"
	"productdocs/generator/model"
	"productdocs/generator/scaffold"
)

// Options are an import's settings; the zero value is the defaults.
type Options struct {
	Settings config.JiraImport // import.jira in productdocs.yaml
	Types    map[string]string // --type TYPE=KIND, over the settings
	// Update lets the import edit documents that exist: the fields that
	// come from Jira, and nothing else.
	Update bool
}

// File is one document the import writes.
type File struct {
	Path string // slash path from the site root
	ID   string
	Kind string
	Text string
	New  bool // false: an update of an existing document
	Same bool // an update that changes nothing
}

// Plan is what an import would write, and what it could not map.
type Plan struct {
	Issues int // rows read
	Files  []File
	// What could not be mapped, each a sorted list of lines.
	Skipped, Statuses, Priorities, Parents, Undated, Notes []string
}

// ConflictError lists the documents an import would overwrite without
// --update, or could not update.
type ConflictError struct{ Problems []string }

func (e *ConflictError) Error() string {
	return "nothing written:\n  " + strings.Join(e.Problems, "\n  ")
}

// doc is one document being planned.
type doc struct {
	id      string
	kind    string
	entries []entry
	body    string
	// onCreate are entries written only when the document is new: the
	// team owns them after that (an initiative's horizon, a release's
	// date that the export did not have).
	onCreate []entry
}

// MakePlan maps an export onto a site: it reads the export, maps every
// issue, and finds where each document goes and whether it may be
// written. root is the site's folder on disk and site its model, loaded
// as check loads it. It writes nothing.
func MakePlan(root string, site *model.Model, file string, r io.Reader, o Options) (*Plan, error) {
	issues, err := ReadIssues(r, file)
	if err != nil {
		return nil, err
	}
	m := newMapper(o.Settings, o.Types)
	p := &Plan{Issues: len(issues)}
	byID := map[string]*Issue{}
	byKey := map[string]*Issue{}
	for _, is := range issues {
		if is.IssueID != "" {
			byID[is.IssueID] = is
		}
		byKey[strings.ToLower(is.Key)] = is
	}
	skipped := map[string][]string{}
	unknownStatus := map[string][]string{}
	unknownPriority := map[string][]string{}
	var docs []*doc
	type release struct {
		name, due string
	}
	releases := map[string]*release{}
	for _, is := range issues {
		kind := m.kind(is.Type)
		if kind == "skip" {
			continue // the team said so; the summary need not
		}
		if kind == "" {
			skipped[is.Type] = append(skipped[is.Type], is.Key)
			continue
		}
		status, ok := m.status(is)
		if !ok {
			unknownStatus[is.Status] = append(unknownStatus[is.Status], is.Key)
		}
		d := &doc{id: is.Key, kind: kind}
		d.entries = append(d.entries, scalarEntry("id", is.Key), scalarEntry("kind", kind), scalarEntry("title", is.Summary), scalarEntry("status", status))
		k := model.LookupKind(kind)
		if k.Field("priority") != nil {
			pr, ok := m.priority(is.Priority)
			if !ok {
				unknownPriority[is.Priority] = append(unknownPriority[is.Priority], is.Key)
			}
			if pr != "" {
				d.entries = append(d.entries, scalarEntry("priority", pr))
			}
			if is.Estimate != "" {
				d.entries = append(d.entries, entry{key: "estimate", lines: []string{"estimate: " + is.Estimate}})
			}
		}
		if is.Assignee != "" {
			d.entries = append(d.entries, scalarEntry("owner", is.Assignee))
		}
		if len(is.Labels) > 0 {
			d.entries = append(d.entries, listEntry("tags", is.Labels))
		}
		if is.Updated != "" {
			d.entries = append(d.entries, entry{key: "updated", lines: []string{"updated: " + is.Updated}})
		}
		if parent := resolveParent(is, byID, byKey, p); parent != "" && k.Traces != nil {
			d.entries = append(d.entries, scalarEntry("traces", parent))
		}
		if k.Ref("release") != nil && len(is.Versions) > 0 {
			var ids []string
			for _, v := range is.Versions {
				id, _ := ReleaseID(v)
				ids = append(ids, id)
				rel := releases[id]
				if rel == nil {
					rel = &release{name: v}
					releases[id] = rel
				}
				rel.due = max(rel.due, is.Due)
			}
			if len(ids) == 1 {
				d.entries = append(d.entries, scalarEntry("release", ids[0]))
			} else {
				d.entries = append(d.entries, listEntry("release", ids))
			}
		}
		if kind == "initiative" {
			// Jira has no horizon: work under way is now, the rest next.
			h := "next"
			if status == "in-progress" || status == "done" {
				h = "now"
			}
			d.onCreate = append(d.onCreate, entry{key: "horizon", lines: []string{"horizon: " + h + "   # Jira has no horizon: now, next or later"}})
		}
		d.entries = append(d.entries, jiraExtra(is))
		d.body = body(is, status == "done")
		docs = append(docs, d)
	}
	for id, rel := range releases {
		d := &doc{id: id, kind: "release"}
		d.entries = append(d.entries, scalarEntry("id", id), scalarEntry("kind", "release"), scalarEntry("title", rel.name))
		if rel.due != "" {
			d.entries = append(d.entries, entry{key: "date", lines: []string{"date: " + rel.due}})
		} else {
			d.onCreate = append(d.onCreate, entry{key: "date", lines: []string{"date:   # required: YYYY-MM-DD; the export has no due date for this version"}})
			p.Undated = append(p.Undated, fmt.Sprintf("%s (%q): no issue in it has a due date; write its date by hand", id, rel.name))
		}
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b *doc) int { return model.CompareIDs(a.id, b.id) })
	p.Skipped = grouped(skipped, "issue type", func(t string) string {
		return fmt.Sprintf("map the type with --type %q or import.jira.types in productdocs.yaml", t+"=story")
	})
	p.Statuses = grouped(unknownStatus, "status", func(string) string {
		return "written as proposed; map it in import.jira.statuses"
	})
	p.Priorities = grouped(unknownPriority, "priority", func(string) string {
		return "no priority written; map it in import.jira.priorities"
	})
	slices.Sort(p.Undated)
	slices.SortFunc(p.Parents, model.CompareIDs)
	if err := p.place(root, site, docs, o.Update); err != nil {
		return nil, err
	}
	return p, nil
}

func grouped(m map[string][]string, what string, advice func(string) string) []string {
	var out []string
	for name, keys := range m {
		slices.SortFunc(keys, model.CompareIDs)
		out = append(out, fmt.Sprintf("%s %q (%d: %s): %s", what, name, len(keys), strings.Join(keys, ", "), advice(name)))
	}
	slices.Sort(out)
	return out
}

// resolveParent returns the key an issue traces to, and notes a parent
// that is not in the export.
func resolveParent(is *Issue, byID, byKey map[string]*Issue, p *Plan) string {
	switch {
	case is.ParentID != "":
		if parent := byID[is.ParentID]; parent != nil {
			return parent.Key
		}
		p.Parents = append(p.Parents, fmt.Sprintf("%s: its parent, issue id %s, is not in the export; no traces written", is.Key, is.ParentID))
	case is.ParentKey != "":
		if parent := byKey[strings.ToLower(is.ParentKey)]; parent != nil {
			return parent.Key
		}
		if !model.ValidID(is.ParentKey) {
			p.Parents = append(p.Parents, fmt.Sprintf("%s: its parent %q is not an issue key; no traces written", is.Key, is.ParentKey))
			return ""
		}
		p.Parents = append(p.Parents, fmt.Sprintf("%s: its parent %s is not in the export; traces written, for check to report until %s exists", is.Key, is.ParentKey, is.ParentKey))
		return is.ParentKey
	}
	return ""
}

// jiraExtra is extra.jira: what Jira says that productdocs has no field
// for, kept so that nothing read is lost.
func jiraExtra(is *Issue) entry {
	sub := entry{key: "jira", lines: []string{"jira:"}}
	add := func(e entry) {
		for _, l := range e.lines {
			sub.lines = append(sub.lines, "  "+l)
		}
	}
	add(scalarEntry("type", is.Type))
	if is.Status != "" {
		add(scalarEntry("status", is.Status))
	}
	if is.Resolution != "" {
		add(scalarEntry("resolution", is.Resolution))
	}
	if len(is.Components) > 0 {
		add(listEntry("components", is.Components))
	}
	if len(is.Sprints) > 0 {
		add(listEntry("sprints", is.Sprints))
	}
	e := entry{key: "extra", lines: []string{"extra:"}, sub: &sub}
	e.lines = append(e.lines, sub.indented(2)...)
	return e
}

var criteriaHeadRE = regexp.MustCompile(`(?i)^\s*(?:h[1-6]\.\s*)?[*_]?acceptance criteria:?[*_]?:?\s*$`)
var wikiHeadRE = regexp.MustCompile(`^\s*h[1-6]\.`)
var wikiItemRE = regexp.MustCompile(`^\s*[*#-]+\s+(.*)$`)

// body converts the description, and makes the acceptance criteria (a
// field of their own, or a section of the description) a task list under
// "## Acceptance criteria". Jira has no check state for a criterion: an
// issue that is done has them checked, as Jira accepted it done, unless a
// criterion says otherwise with Jira's (x) icon; (/) checks one.
func body(is *Issue, done bool) string {
	lines := strings.Split(strings.ReplaceAll(is.Description, "\r\n", "\n"), "\n")
	var rest, crit []string
	for i := 0; i < len(lines); i++ {
		if !criteriaHeadRE.MatchString(lines[i]) {
			rest = append(rest, lines[i])
			continue
		}
		j := i + 1
		for j < len(lines) && !wikiHeadRE.MatchString(lines[j]) {
			j++
		}
		crit = append(crit, lines[i+1:j]...)
		i = j - 1
	}
	if is.Criteria != "" {
		crit = append(strings.Split(strings.ReplaceAll(is.Criteria, "\r\n", "\n"), "\n"), crit...)
	}
	out := strings.TrimSpace(Markdown(strings.Join(rest, "\n")))
	if section := criteria(crit, done); section != "" {
		if out != "" {
			out += "\n\n"
		}
		out += section
	}
	if out == "" {
		return ""
	}
	return out + "\n"
}

func criteria(lines []string, done bool) string {
	var intro, items []string
	hasItems := slices.ContainsFunc(lines, wikiItemRE.MatchString)
	for _, l := range lines {
		text := strings.TrimSpace(l)
		if text == "" {
			continue
		}
		if m := wikiItemRE.FindStringSubmatch(l); m != nil {
			text = m[1]
		} else if hasItems {
			intro = append(intro, l)
			continue
		}
		checked := done
		switch {
		case strings.HasPrefix(text, "(/)"):
			checked, text = true, strings.TrimSpace(text[3:])
		case strings.HasPrefix(text, "(x)"):
			checked, text = false, strings.TrimSpace(text[3:])
		}
		box := "- [ ] "
		if checked {
			box = "- [x] "
		}
		items = append(items, box+inline(text))
	}
	if len(items) == 0 {
		return ""
	}
	s := "## Acceptance criteria\n\n"
	if in := strings.TrimSpace(Markdown(strings.Join(intro, "\n"))); in != "" {
		s += in + "\n\n"
	}
	return s + strings.Join(items, "\n")
}

// place decides where each document goes: a new file where `productdocs
// new` would put it, or, with update, the existing document's own file.
func (p *Plan) place(root string, site *model.Model, docs []*doc, update bool) error {
	var problems []string
	paths := map[string]string{}
	ids := map[string]string{}
	for _, d := range docs {
		k := model.LookupKind(d.kind)
		if other, taken := ids[strings.ToLower(d.id)]; taken {
			// An issue keyed like a release the import makes.
			problems = append(problems, fmt.Sprintf("%s and %s (a %s) would have the same ID", other, d.id, d.kind))
			continue
		}
		ids[strings.ToLower(d.id)] = d.id
		if old := site.Lookup(d.id); old != nil {
			if !update {
				problems = append(problems, fmt.Sprintf("%s exists (%s); run again with --update to refresh what came from Jira", d.id, old.File))
				continue
			}
			src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(old.File)))
			if err != nil {
				return fmt.Errorf("reading %s: %w", old.File, err)
			}
			entries := slices.Clone(d.entries)
			for _, e := range d.onCreate {
				// A required key the team has not written yet is still
				// the import's to suggest.
				e.ifAbsent = true
				entries = append(entries, e)
			}
			text, notes, err := updateDocument(old.File, src, entries)
			if err != nil {
				problems = append(problems, err.Error())
				continue
			}
			p.Notes = append(p.Notes, notes...)
			if old.Kind != nil && old.Kind.Name != d.kind {
				p.Notes = append(p.Notes, fmt.Sprintf("%s: the kind changed from %s to %s; the file stays where it is", old.File, old.Kind.Name, d.kind))
			}
			p.Files = append(p.Files, File{Path: old.File, ID: d.id, Kind: d.kind, Text: text, Same: text == string(src)})
			continue
		}
		rel := scaffold.Path(k, d.id)
		if other, taken := paths[strings.ToLower(rel)]; taken {
			problems = append(problems, fmt.Sprintf("%s and %s would both be written to %s", other, d.id, rel))
			continue
		}
		paths[strings.ToLower(rel)] = d.id
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel))); err == nil {
			problems = append(problems, fmt.Sprintf("%s exists and is not the document %s; move it, or give it the id %s", rel, d.id, d.id))
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		entries := slices.Clone(d.entries)
		// The ones written only at creation go before extra, which the
		// import always writes last.
		entries = slices.Insert(entries, len(entries)-1, d.onCreate...)
		if d.kind == "release" {
			entries = append(d.entries, d.onCreate...)
		}
		p.Files = append(p.Files, File{Path: rel, ID: d.id, Kind: d.kind, Text: newDocument(entries, d.body), New: true})
	}
	if len(problems) > 0 {
		return &ConflictError{Problems: problems}
	}
	slices.Sort(p.Notes)
	return nil
}
