// Package check runs the traceability checks of SPEC §5 over a model. The
// checks are pure functions of the model: they read it and return
// diagnostics, with no severity yet (diag.Levels sets it from the site's
// settings).
//
// The checks that belong to reading a single document (frontmatter,
// invalid-field, missing-field, unknown-kind, unknown-field, duplicate-id)
// are found by the model as it reads; this package finds the rest, which
// need the whole site.
package check

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// Run returns the diagnostics of every check over s, the model's own
// included, unsorted.
func Run(s *model.Model) []diag.Diagnostic {
	return append(slices.Concat(s.Diagnostics, perDoc(s, s.Docs)), Cycles(s)...)
}

// Docs returns the diagnostics of some documents of s, unsorted: the
// model's own and those of the checks of one document at a time, which
// read the document and its neighbours (the documents it names, and those
// that name it or link to it). Cycles, which may run through any number
// of documents, are left to Cycles. Together with Cycles, over every
// document, it is Run: the preview checks again only the documents an
// edit touched (model.Change.Touched).
func Docs(s *model.Model, docs []*model.Document) []diag.Diagnostic {
	files := make(map[string]bool, len(docs))
	for _, d := range docs {
		files[d.File] = true
	}
	var ds []diag.Diagnostic
	for _, d := range s.Diagnostics {
		if files[d.File] {
			ds = append(ds, d)
		}
	}
	return append(ds, perDoc(s, docs)...)
}

// Cycles returns the diagnostics of the traces and depends_on links that
// form cycles.
func Cycles(s *model.Model) []diag.Diagnostic {
	c := &checker{site: s}
	c.cycles("traces")
	c.cycles("depends_on")
	return c.diags
}

// perDoc runs the checks of one document over each of docs.
func perDoc(s *model.Model, docs []*model.Document) []diag.Diagnostic {
	// The checks of one document read the model and nothing else, so the
	// documents are shared out among the cores; the order of the result
	// does not matter, as diagnostics are sorted before they are shown.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(docs)/512))
	parts := make([][]diag.Diagnostic, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := &checker{site: s}
			for i := w; i < len(docs); i += workers {
				d := docs[i]
				c.misplaced(d)
				c.references(d)
				c.untraced(d)
				c.bodyLinks(d)
				c.uncovered(d)
				c.statusMismatch(d)
			}
			parts[w] = c.diags
		})
	}
	wg.Wait()
	return slices.Concat(parts...)
}

type checker struct {
	site  *model.Model
	diags []diag.Diagnostic
}

func (c *checker) report(d *model.Document, p model.Pos, code, format string, args ...any) {
	c.diags = append(c.diags, diag.Diagnostic{File: d.File, Line: p.Line, Column: p.Column, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) misplaced(d *model.Document) {
	k := d.Kind
	if k == model.PageKind || k.Section == d.Section {
		return
	}
	c.report(d, d.FieldPos("kind"), diag.CodeMisplaced, "%s is a %s kind, so it belongs under content/%s/, not %s",
		model.Article(k.Name), k.Section, k.Section, d.File)
}

func (c *checker) references(d *model.Document) {
	for _, r := range d.Refs {
		spec := d.Kind.Ref(r.Field)
		if r.To == nil {
			c.report(d, r.Pos, diag.CodeBrokenLink, "%s %q, which no document has%s",
				verb(r.Field), r.ID, c.site.SuggestID(r.ID, spec.Kinds))
			continue
		}
		if !slices.Contains(spec.Kinds, r.To.Kind.Name) {
			c.report(d, r.Pos, diag.CodeWrongKind, "%s %s, which is %s; %s of %s may only name %s",
				verb(r.Field), r.To.ID, model.Article(r.To.Kind.Name), r.Field, model.Article(d.Kind.Name), orList(spec.Kinds))
			continue
		}
		if r.Field == "traces" && r.To.Status == "dropped" && d.Open() {
			c.report(d, r.Pos, diag.CodeDroppedTarget, "this %s is %s but traces to %s, which is dropped",
				d.Kind.Name, d.Status, r.To.ID)
		}
	}
}

// verb phrases a reference field for messages: `traces to "EPIC-9"`.
func verb(field string) string {
	switch field {
	case "traces":
		return "traces to"
	case "depends_on":
		return "depends on"
	case "evidence":
		return "cites as evidence"
	case "addresses":
		return "addresses"
	case "release":
		return "is planned for release"
	case "personas":
		return "names the persona"
	}
	return field + " names"
}

func orList(kinds []string) string {
	if len(kinds) == 1 {
		return kinds[0] + "s"
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = k + "s"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func (c *checker) untraced(d *model.Document) {
	k := d.Kind
	if k.Traces == nil || d.Has("traces") {
		return
	}
	alts := make([]string, len(k.Traces))
	for i, t := range k.Traces {
		alts[i] = model.Article(t)
	}
	c.report(d, d.KeyPos("traces"), diag.CodeUntraced, "%s %s traces to nothing; add traces: with the ID of %s it serves",
		k.Name, d.ID, strings.Join(alts, " or "))
}

func (c *checker) bodyLinks(d *model.Document) {
	for _, l := range d.BodyLinks {
		p := l.Pos(d.BodyLine)
		if !l.OK {
			c.report(d, p, diag.CodeBrokenBodyLink, "%s", l.Why)
			continue
		}
		if d.Section != model.Strategy {
			continue
		}
		switch {
		case l.To != nil && (l.To.Section == model.Backlog || l.To.Kind.IsBacklog()):
			c.report(d, p, diag.CodeSectionBoundary, "strategy links into the backlog (%s); links run upward only, so %s shows this relation on its own page",
				l.To.ID, l.To.ID)
		case strings.HasPrefix(l.Asset, "backlog/"):
			c.report(d, p, diag.CodeSectionBoundary, "strategy links into the backlog (content/%s); strategy must read on its own, so keep the file beside the strategy", l.Asset)
		}
	}
}

func (c *checker) uncovered(d *model.Document) {
	if !d.Open() {
		return
	}
	switch d.Kind.Name {
	case "objective":
		if len(d.From("traces")) == 0 {
			c.report(d, d.FieldPos("status"), diag.CodeUncovered, "objective %s is %s, but no initiative traces to it", d.ID, d.Status)
		}
	case "initiative":
		if d.String("horizon") == "now" && !hasTracer(d, "epic") {
			c.report(d, d.FieldPos("horizon"), diag.CodeUncovered, "initiative %s is on the roadmap for now, but no epic traces to it", d.ID)
		}
	case "epic":
		if (d.Status == "planned" || d.Status == "in-progress") && !hasTracer(d, "story") {
			c.report(d, d.FieldPos("status"), diag.CodeUncovered, "epic %s is %s, but has no stories", d.ID, d.Status)
		}
	}
}

func hasTracer(d *model.Document, kind string) bool {
	for _, t := range d.From("traces") {
		if t.Kind.Name == kind {
			return true
		}
	}
	return false
}

func (c *checker) statusMismatch(d *model.Document) {
	if d.Status != "done" {
		return
	}
	var open []string
	for _, t := range d.From("traces") {
		if t.Open() {
			open = append(open, t.ID)
		}
	}
	if len(open) > 0 {
		c.report(d, d.FieldPos("status"), diag.CodeStatusMismatch, "%s is done, but open work still traces to it: %s",
			d.ID, strings.Join(open, ", "))
	}
	if d.Kind.Name == "story" && d.Body != nil {
		var lines []string
		for _, cr := range d.Body.Criteria {
			if !cr.Checked {
				lines = append(lines, fmt.Sprint(d.BodyLine+cr.Line-1))
			}
		}
		if len(lines) > 0 {
			c.report(d, d.FieldPos("status"), diag.CodeStatusMismatch, "story %s is done, but %d of %d acceptance criteria are unchecked (line %s)",
				d.ID, len(lines), len(d.Body.Criteria), strings.Join(lines, ", "))
		}
	}
}

// cycles reports each cycle of a link field once, at the reference that
// closes it from the member whose file sorts first, naming the members in
// the order the links run.
func (c *checker) cycles(field string) {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int8, len(c.site.Docs)) // by Document.Index
	var path []*model.Document
	var visit func(d *model.Document)
	m := c.site
	// A document is found by address (IndexOf) where it need not be read:
	// one whose state settles it is not visited.
	visit = func(d *model.Document) {
		state[m.IndexOf(d)] = onPath
		path = append(path, d)
		for _, r := range d.Refs {
			if r.Field != field || r.To == nil {
				continue
			}
			switch state[m.IndexOf(r.To)] {
			case unseen:
				visit(r.To)
			case onPath:
				i := slices.Index(path, r.To)
				c.reportCycle(field, path[i:])
			}
		}
		path = path[:len(path)-1]
		state[m.IndexOf(d)] = done
	}
	for i, d := range m.Docs {
		if state[i] == unseen {
			visit(d)
		}
	}
}

func (c *checker) reportCycle(field string, members []*model.Document) {
	// Start the cycle at the member whose file sorts first, so the report
	// does not depend on where the search entered it.
	first := 0
	for i, m := range members {
		if m.File < members[first].File {
			first = i
		}
	}
	members = append(slices.Clone(members[first:]), members[:first]...)
	head := members[0]
	next := members[(1)%len(members)]
	pos := model.Pos{Line: 1, Column: 1}
	for _, r := range head.Refs {
		if r.Field == field && r.To == next {
			pos = r.Pos
			break
		}
	}
	ids := make([]string, 0, len(members)+1)
	for _, m := range members {
		ids = append(ids, m.ID)
	}
	ids = append(ids, head.ID)
	c.report(head, pos, diag.CodeCycle, "%s links form a cycle: %s", field, strings.Join(ids, " → "))
}
