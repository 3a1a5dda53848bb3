package markdown

import (
	"bytes"
	"sort"

	"github.com/yuin/goldmark/ast"
)

// MaxNesting bounds how deep a body may nest block quotes and lists.
// goldmark's time grows with the cube of the depth of a list nested by
// indentation (1,000 levels, a 1 MB file, take seconds; 4,000 take
// minutes), and with the square of the depth of one line of markers; no
// document needs more than a handful of levels.
const MaxNesting = 100

// tooDeep returns the 1-based line of the first line of src that may nest
// blocks deeper than MaxNesting, or 0. It is a cheap upper bound, read
// before goldmark sees the body: each container marker ('>', a bullet, an
// ordered list's number) before a line's text counts as a level, and so
// does every four columns of other indentation (a nested list indents at
// least two, so real depth is at most twice what this allows). Lines of
// fenced code that start at the margin do not count.
func tooDeep(src []byte) int {
	fence := []byte(nil) // the open fence's characters, or nil
	for line := 1; len(src) > 0; line++ {
		l := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if f, rest := fenceOf(l); f != nil {
			switch {
			case fence == nil:
				fence = f
				continue
			case f[0] == fence[0] && len(f) >= len(fence) && len(bytes.TrimSpace(rest)) == 0:
				fence = nil
				continue
			}
		}
		if fence != nil {
			continue
		}
		if nesting(l) > MaxNesting {
			return line
		}
	}
	return 0
}

// fenceOf returns the backticks or tildes of a code fence on l at the
// margin (up to three spaces in), and what follows them; or nil.
func fenceOf(l []byte) (fence, rest []byte) {
	t := bytes.TrimLeft(l, " ")
	if len(l)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil, nil
	}
	n := 1
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return nil, nil
	}
	return t[:n], t[n:]
}

// nesting is the depth of one line as tooDeep estimates it.
func nesting(l []byte) int {
	markers, cols := 0, 0
	afterMarker := false // the one space after a marker is part of it
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == ' ' || c == '\t':
			switch {
			case afterMarker:
			case c == '\t':
				cols += 4
			default:
				cols++
			}
			afterMarker = false
			continue
		case c == '>':
		case c == '-' || c == '*' || c == '+':
			if i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' {
				return markers + cols/4
			}
		case '0' <= c && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && '0' <= l[j] && l[j] <= '9' {
				j++
			}
			if j == len(l) || (l[j] != '.' && l[j] != ')') || (j+1 < len(l) && l[j+1] != ' ' && l[j+1] != '\t') {
				return markers + cols/4
			}
			i = j
		default:
			return markers + cols/4
		}
		markers++
		afterMarker = true
	}
	if markers == 0 {
		return 0 // a blank line
	}
	return markers + cols/4
}

// Conflict is a git merge conflict left in a body: the 1-based lines of
// its <<<<<<< and >>>>>>> markers, either 0 when it is missing.
type Conflict struct {
	Start, End int
}

// conflicts finds the merge conflicts of a body: lines starting with
// git's markers, outside code blocks (where a page about git may show
// them). A ======= line alone is a heading's underline, not a conflict.
func conflicts(src []byte, root ast.Node) []Conflict {
	if !bytes.Contains(src, []byte("<<<<<<<")) && !bytes.Contains(src, []byte(">>>>>>>")) {
		return nil
	}
	starts := lineStarts(src)
	code := map[int]bool{} // 0-based lines inside code blocks
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				code[sort.SearchInts(starts, lines.At(i).Start+1)-1] = true
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var out []Conflict
	open := -1 // index in out of the conflict still open, or -1
	for i, start := range starts {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		l := bytes.TrimRight(src[start:end], "\r\n")
		if code[i] {
			continue
		}
		switch {
		case isMarker(l, '<'):
			out = append(out, Conflict{Start: i + 1})
			open = len(out) - 1
		case isMarker(l, '>'):
			if open >= 0 {
				out[open].End = i + 1
				open = -1
			} else {
				out = append(out, Conflict{End: i + 1})
			}
		}
	}
	return out
}

// isMarker reports whether l is a conflict marker of seven c, alone or
// followed by a space and a name, as git writes them.
func isMarker(l []byte, c byte) bool {
	if len(l) < 7 || (len(l) > 7 && l[7] != ' ') {
		return false
	}
	for _, b := range l[:7] {
		if b != c {
			return false
		}
	}
	return true
}
