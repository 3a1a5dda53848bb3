package lsp

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// text is a file's contents with the offsets of its lines, for turning
// LSP positions (0-based lines, UTF-16 code units) into byte offsets and
// back. Diagnostics count 1-based lines and byte columns; a client counts
// UTF-16 units, so a line with "é" or an emoji before the problem moves
// the column by one or two.
type text struct {
	s     string
	lines []int // byte offset of each line's start
}

func newText(s string) *text {
	t := &text{s: s, lines: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// line returns the text of a 0-based line without its line ending, or ""
// past the end.
func (t *text) line(n int) string {
	if n < 0 || n >= len(t.lines) {
		return ""
	}
	end := len(t.s)
	if n+1 < len(t.lines) {
		end = t.lines[n+1] - 1
	}
	return strings.TrimSuffix(t.s[t.lines[n]:end], "\r")
}

// lineCount is the number of lines; a final newline starts an empty one.
func (t *text) lineCount() int { return len(t.lines) }

// offset returns the byte offset of an LSP position. A line past the end
// is the end of the text; a character past the end of its line is the
// line's end; a character inside a surrogate pair (the middle of an emoji)
// is the start of that character.
func (t *text) offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(t.lines) {
		return len(t.s)
	}
	start := t.lines[p.Line]
	return start + byteCol(t.line(p.Line), p.Character)
}

// byteCol is the byte index in line of a UTF-16 column, clamped as offset
// says.
func byteCol(line string, units int) int {
	n := 0
	for i, r := range line {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > units {
			return i
		}
		n += w
	}
	return len(line)
}

// utf16Col is the UTF-16 column of a byte index in line; an index past the
// end counts to the end, and one inside a character counts to its start.
func utf16Col(line string, b int) int {
	if b > len(line) {
		b = len(line)
	}
	n := 0
	for i := 0; i < b; {
		r, size := utf8.DecodeRuneInString(line[i:])
		if i+size > b {
			break // b is inside this character
		}
		if r == utf8.RuneError {
			n++
		} else {
			n += utf16.RuneLen(r)
		}
		i += size
	}
	return n
}

// position returns the LSP position of a byte offset.
func (t *text) position(off int) Position {
	off = max(0, min(off, len(t.s)))
	l := t.lineOf(off)
	return Position{Line: l, Character: utf16Col(t.line(l), off-t.lines[l])}
}

// lineOf is the 0-based line holding a byte offset.
func (t *text) lineOf(off int) int {
	lo, hi := 0, len(t.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if t.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// at returns the byte offset of a diagnostic's 1-based line and byte
// column, clamped to the text.
func (t *text) at(line, col int) int {
	l := max(0, line-1)
	if l >= len(t.lines) {
		return len(t.s)
	}
	return t.lines[l] + min(max(0, col-1), len(t.line(l)))
}

// rangeOf is the LSP range of the bytes [from, to).
func (t *text) rangeOf(from, to int) Range {
	return Range{Start: t.position(from), End: t.position(to)}
}

// apply applies one change from the client: the whole text when r is nil.
func (t *text) apply(r *Range, s string) *text {
	if r == nil {
		return newText(s)
	}
	from, to := t.offset(r.Start), t.offset(r.End)
	if to < from {
		from, to = to, from
	}
	return newText(t.s[:from] + s + t.s[to:])
}
