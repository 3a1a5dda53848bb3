package lsp

import (
	"slices"
	"strings"

	"productdocs/generator/model"
)

// documentSymbols are the headings of a buffer, nested by level.
func (s *server) documentSymbols(p *DocumentSymbolParams) []DocumentSymbol {
	out := []DocumentSymbol{}
	rel, ok := s.rel(p.TextDocument.URI)
	t := s.textOf(rel)
	if !ok || t == nil {
		return out
	}
	fm := findFrontmatter(t)
	hs := headings(t, fm)
	var anchors []string
	if d := s.doc(rel); d != nil && d.Body != nil && len(d.Body.Headings) == len(hs) {
		for _, h := range d.Body.Headings {
			anchors = append(anchors, "#"+h.ID)
		}
	}
	// A heading's range runs to the next heading of its level or above.
	type open struct {
		sym   *DocumentSymbol
		level int
	}
	var roots []*DocumentSymbol
	var stack []open
	end := func(line int) Position {
		if line <= 0 {
			return Position{}
		}
		return Position{Line: line - 1, Character: utf16Col(t.line(line-1), len(t.line(line-1)))}
	}
	for i, h := range hs {
		for len(stack) > 0 && stack[len(stack)-1].level >= h.level {
			stack[len(stack)-1].sym.Range.End = end(h.line)
			stack = stack[:len(stack)-1]
		}
		ls := t.lines[h.line]
		sym := &DocumentSymbol{Name: h.text, Kind: skString, Range: Range{Start: Position{Line: h.line}},
			SelectionRange: t.rangeOf(ls+h.from, ls+h.to)}
		if sym.Name == "" {
			sym.Name = "(empty heading)"
		}
		if anchors != nil {
			sym.Detail = anchors[i]
		}
		if len(stack) == 0 {
			roots = append(roots, sym)
		} else {
			parent := stack[len(stack)-1].sym
			parent.Children = append(parent.Children, DocumentSymbol{})
			// The child lives in the parent's slice; keep a pointer to it.
			parent.Children[len(parent.Children)-1] = *sym
			sym = &parent.Children[len(parent.Children)-1]
		}
		stack = append(stack, open{sym, h.level})
	}
	for _, o := range stack {
		o.sym.Range.End = end(t.lineCount())
	}
	for _, r := range roots {
		out = append(out, *r)
	}
	return out
}

// workspaceSymbols are the documents whose ID or title holds the query,
// in ID order.
func (s *server) workspaceSymbols(p *WorkspaceSymbolParams) []SymbolInformation {
	out := []SymbolInformation{}
	if s.site == nil {
		return out
	}
	q := strings.ToLower(p.Query)
	var docs []*model.Document
	for _, d := range s.site.Model.Docs {
		if strings.Contains(strings.ToLower(d.ID), q) || strings.Contains(strings.ToLower(d.Title), q) {
			docs = append(docs, d)
		}
	}
	slices.SortFunc(docs, model.CompareDocs)
	if len(docs) > maxItems {
		docs = docs[:maxItems]
	}
	for _, d := range docs {
		line := 0
		if d.Has("id") {
			line = d.IDPos().Line - 1
		}
		out = append(out, SymbolInformation{
			Name:          d.ID + " " + d.Title,
			Kind:          symbolKind(d),
			Location:      Location{URI: s.uri(d.File), Range: Range{Start: Position{Line: line}, End: Position{Line: line}}},
			ContainerName: d.Kind.Name,
		})
	}
	return out
}

func symbolKind(d *model.Document) int {
	if d.Kind == model.PageKind {
		return skFile
	}
	return skObject
}
