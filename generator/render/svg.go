package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"

	"productdocs/generator/model"
)

// The drawings are made at build time, in Go, as inline SVG: no script and
// no library, so they print, work offline and satisfy the page's CSP.

const (
	boxW, boxH = 168, 44
	gapX, gapY = 24, 48
	maxRow     = 8 // documents drawn in a row before "+N more"
)

type svgBox struct {
	x, y int
	d    *model.Document
	more int // a "+N more" box instead of a document
}

// neighbourhoodSVG is writeNeighbourhood for the templates.
func neighbourhoodSVG(p *Page) template.HTML {
	var b bytes.Buffer
	writeNeighbourhood(&b, p)
	return template.HTML(b.String())
}

// writeNeighbourhood draws a document with what it traces to above it
// and what traces to it below, and reports whether it drew anything. Most
// document pages have one, a few KB each: written where the page is, it
// makes no garbage.
func writeNeighbourhood(b *bytes.Buffer, p *Page) bool {
	d := p.Doc
	if d == nil {
		return false
	}
	up := d.RefsTo("traces")
	down := d.From("traces")
	if len(up) == 0 && len(down) == 0 {
		return false
	}
	rows := [][]*model.Document{up, {d}, down}
	width := 0
	for _, r := range rows {
		width = max(width, rowWidth(min(len(r), maxRow+1)))
	}
	var boxes [3][]svgBox
	y := 8
	for i, r := range rows {
		if len(r) == 0 {
			continue
		}
		n := min(len(r), maxRow)
		count := n
		if len(r) > maxRow {
			count++
		}
		x := (width - rowWidth(count)) / 2
		for _, doc := range r[:n] {
			boxes[i] = append(boxes[i], svgBox{x: x, y: y, d: doc})
			x += boxW + gapX
		}
		if len(r) > maxRow {
			boxes[i] = append(boxes[i], svgBox{x: x, y: y, more: len(r) - maxRow})
		}
		y += boxH + gapY
	}
	height := y - gapY + 8
	fmt.Fprintf(b, `<svg class="graph" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s and the documents it traces to and from">`,
		width, height, width, height, template.HTMLEscapeString(d.ID))
	centre := boxes[1][0]
	for _, bx := range boxes[0] {
		edge(b, bx.x+boxW/2, bx.y+boxH, centre.x+boxW/2, centre.y)
	}
	for _, bx := range boxes[2] {
		edge(b, centre.x+boxW/2, centre.y+boxH, bx.x+boxW/2, bx.y)
	}
	for i, row := range boxes {
		for _, bx := range row {
			box(b, p, bx, i == 1)
		}
	}
	b.WriteString("</svg>")
	return true
}

func rowWidth(n int) int {
	if n == 0 {
		return 0
	}
	return n*boxW + (n-1)*gapX + 16
}

func edge(b *bytes.Buffer, x1, y1, x2, y2 int) {
	my := (y1 + y2) / 2
	b.WriteString(`<path class="edge" d="M`)
	ints(b, " ", x1, y1)
	b.WriteString(" C")
	ints(b, " ", x1, my, x2, my, x2, y2)
	b.WriteString(`"/>`)
}

// ints writes numbers with sep between them, as fmt's %d would: every
// document page draws a few boxes and edges, so fmt's reflection shows.
func ints(b *bytes.Buffer, sep string, ns ...int) {
	var buf [20]byte
	for i, n := range ns {
		if i > 0 {
			b.WriteString(sep)
		}
		b.Write(strconv.AppendInt(buf[:0], int64(n), 10))
	}
}

func box(b *bytes.Buffer, p *Page, bx svgBox, current bool) {
	if bx.more > 0 {
		fmt.Fprintf(b, `<g class="node more"><rect x="%d" y="%d" width="%d" height="%d" rx="6"/><text x="%d" y="%d">+%d more</text></g>`,
			bx.x, bx.y, boxW, boxH, bx.x+boxW/2, bx.y+boxH/2+5, bx.more)
		return
	}
	d := bx.d
	p.read(d)
	cls := "node kind-" + d.Kind.Name + " status-" + d.Status
	if current {
		cls += " current"
	}
	b.WriteString(`<a href="`)
	b.WriteString(template.HTMLEscapeString(p.Link(d)))
	b.WriteString(`"><g class="`)
	b.WriteString(cls)
	b.WriteString(`"><title>`)
	b.WriteString(template.HTMLEscapeString(d.ID + ": " + d.Title))
	b.WriteString(`</title><rect x="`)
	ints(b, `" y="`, bx.x, bx.y)
	b.WriteString(`" width="`)
	ints(b, `" height="`, boxW, boxH)
	b.WriteString(`" rx="6"/><text class="id" x="`)
	ints(b, `" y="`, bx.x+10, bx.y+18)
	b.WriteString(`">`)
	b.WriteString(template.HTMLEscapeString(shorten(d.ID, 22)))
	b.WriteString(`</text><text x="`)
	ints(b, `" y="`, bx.x+10, bx.y+35)
	b.WriteString(`">`)
	b.WriteString(template.HTMLEscapeString(shorten(d.Title, 22)))
	b.WriteString(`</text></g></a>`)
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// traceSVG draws the strategy tree, vision → objectives → initiatives, and
// the epics when there are few enough to read, left to right.
func traceSVG(p *Page) template.HTML {
	levels := 3
	p.readDep(Dep{Kind: depLen, Name: "Epics"})
	p.readDep(Dep{Kind: depIDs, Name: "Tree"})
	if len(p.Site.Epics) <= 60 {
		levels = 4
	}
	type placed struct {
		n     *Node
		x, y  int
		depth int
	}
	var boxes []placed
	var edges [][4]int
	leafY := 8
	// A document with two parents is drawn once, with an edge from each.
	drawn := map[*model.Document][2]int{}
	var place func(n *Node, depth int) (int, int) // returns the box's x and y
	place = func(n *Node, depth int) (int, int) {
		if at, ok := drawn[n.Doc]; ok {
			return at[0], at[1]
		}
		x := 8 + depth*(boxW+gapX*2)
		var kids []*Node
		if depth+1 < levels {
			for _, c := range n.Children {
				if c.Doc.Kind.Name != "story" {
					kids = append(kids, c)
				}
			}
		}
		var y int
		var fresh []int // the ys of the children drawn here
		var ends [][2]int
		for _, c := range kids {
			_, seen := drawn[c.Doc]
			cx, cy := place(c, depth+1)
			ends = append(ends, [2]int{cx, cy})
			if !seen {
				fresh = append(fresh, cy)
			}
		}
		if len(fresh) == 0 {
			y = leafY
			leafY += boxH + 12
		} else {
			y = (fresh[0] + fresh[len(fresh)-1]) / 2
		}
		for _, e := range ends {
			edges = append(edges, [4]int{x + boxW, y + boxH/2, e[0], e[1] + boxH/2})
		}
		drawn[n.Doc] = [2]int{x, y}
		boxes = append(boxes, placed{n, x, y, depth})
		return x, y
	}
	for _, root := range p.Site.Tree {
		place(root, 0)
	}
	if len(boxes) == 0 {
		return ""
	}
	width := 16 + levels*(boxW+gapX*2)
	height := leafY
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg class="graph tree" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="The strategy tree">`, width, height, width, height)
	for _, e := range edges {
		mx := (e[0] + e[2]) / 2
		fmt.Fprintf(&b, `<path class="edge" d="M%d %d C%d %d %d %d %d %d"/>`, e[0], e[1], mx, e[1], mx, e[3], e[2], e[3])
	}
	for _, bx := range boxes {
		box(&b, p, svgBox{x: bx.x, y: bx.y, d: bx.n.Doc}, false)
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
