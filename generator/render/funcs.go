package render

import (
	"html/template"
	"strings"

	"productdocs/generator/model"
)

// funcs are the functions templates may call, documented in the README.
var funcs = template.FuncMap{
	"percent": percent,
	"ratio":   ratio,
	"criteria": func(d *model.Document) CriteriaCount {
		c, t := Criteria(d)
		return CriteriaCount{c, t}
	},
	"statusLabel": statusLabel,
	"capitalize":  capitalize,
	"lower":       strings.ToLower,
	"upper":       strings.ToUpper,
	"join":        strings.Join,
	"display":     display,
	"kinds":       func() []*model.Kind { return model.Kinds },
	"neighbourhood": func(p *Page) template.HTML {
		return neighbourhoodSVG(p)
	},
	"traceSVG": func(p *Page) template.HTML {
		return traceSVG(p)
	},
	"add":  func(a, b int) int { return a + b },
	"node": func(p *Page, n *Node) NodeRef { p.read(n.Doc); return NodeRef{p, n} },
	"ref":  func(p *Page, d *model.Document) DocRef { p.read(d); return DocRef{p, d} },
	"list": func(p *Page, docs []*model.Document) DocList {
		p.read(docs...)
		return DocList{p, docs}
	},
	// the working views' (workviews.go)
	"hasStatus": HasStatus,
	"rollsUp":   RollsUp,
	"values":    func(vs ...string) string { return joinValues(vs) },
	"ids": func(docs []*model.Document) string {
		vs := make([]string, len(docs))
		for i, d := range docs {
			vs[i] = d.ID
		}
		return joinValues(vs)
	},
	"tagValues": func(d *model.Document) string { return joinValues(d.Tags) },
	"number":    func(f float64) string { return scalar(f) },
	"docsMore": func(p *Page, docs []*model.Document, more int) DocsMore {
		return DocsMore{p, docs, more}
	},
}

// ratio turns a share in [0, 1] into a whole percentage.
func ratio(f float64) int { return int(f*100 + 0.5) }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// CriteriaCount is the acceptance-criteria progress of a story.
type CriteriaCount struct {
	Checked, Total int
}

// Percent is the share checked.
func (c CriteriaCount) Percent() int { return percent(c.Checked, c.Total) }

func statusLabel(s string) string {
	switch s {
	case "in-progress":
		return "In progress"
	case "":
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// DocRef is a document seen from a page, for the "doclink" and "card"
// partials.
type DocRef struct {
	Page *Page
	Doc  *model.Document
}

// DocList is documents seen from a page, for the "cards" partial.
type DocList struct {
	Page *Page
	Docs []*model.Document
}

// NodeRef is a node of the trace tree seen from a page.
type NodeRef struct {
	Page *Page
	Node *Node
}
