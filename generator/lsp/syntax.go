package lsp

import (
	"regexp"
	"strings"
)

// What the cursor is on, read from the buffer's text as it is now, which
// while someone types is seldom a document the parsers accept: a line
// that reads "traces: [EPIC-" is a reference field being filled in. So
// this file reads lines, as an editor's syntax highlighting does; the
// model, loaded from the last good moment, says what the words mean.

// frontmatter is where a buffer's frontmatter lies: the 0-based lines of
// its opening and closing delimiters (close is the line count when it is
// never closed), or open -1 without frontmatter.
type frontmatter struct {
	open, close int
	delim       string
}

// findFrontmatter finds the block as content.Split does: the first
// non-blank line opens it with ---, +++ or ;;;, and the next line that is
// the same delimiter closes it.
func findFrontmatter(t *text) frontmatter {
	for i := 0; i < t.lineCount(); i++ {
		l := strings.TrimSpace(t.line(i))
		if i == 0 {
			l = strings.TrimPrefix(l, "\ufeff")
		}
		if l == "" {
			continue
		}
		if l != "---" && l != "+++" && l != ";;;" {
			break
		}
		for j := i + 1; j < t.lineCount(); j++ {
			if strings.TrimSpace(t.line(j)) == l {
				return frontmatter{open: i, close: j, delim: l}
			}
		}
		return frontmatter{open: i, close: t.lineCount(), delim: l}
	}
	return frontmatter{open: -1, close: -1}
}

// in reports whether a line lies inside the block, between the delimiters.
func (f frontmatter) in(line int) bool { return f.open >= 0 && line > f.open && line < f.close }

// bodyStart is the first line of the body.
func (f frontmatter) bodyStart() int {
	if f.open < 0 {
		return 0
	}
	return f.close + 1
}

// keyRE matches a frontmatter line that starts a field: YAML "key:", TOML
// "key =", JSON "\"key\":". The key may be empty or partly typed.
var keyRE = regexp.MustCompile(`^(\s*)("?)([A-Za-z0-9_.-]*)("?)\s*([:=])`)

// fieldAt is a field of the frontmatter at the cursor.
type fieldAt struct {
	key   string
	onKey bool // the cursor is on the key, or on a line still without one
	// The key's extent, or the word typed so far where there is no key
	// yet, as byte offsets in the text.
	keyFrom, keyTo int
	// The value item under the cursor ("EPIC-1" of "[EPIC-1, EPIC-2]"),
	// without quotes, as offsets in the text.
	valFrom, valTo int
	val            string
	nested         bool // inside a mapping of the field (key_results, extra)
}

// fieldAtCursor reads the frontmatter line at a byte offset.
func fieldAtCursor(t *text, fm frontmatter, off int) (fieldAt, bool) {
	line := t.lineOf(off)
	if !fm.in(line) {
		return fieldAt{}, false
	}
	ls := t.lines[line]
	lt := t.line(line)
	col := min(off-ls, len(lt))
	if m := keyRE.FindStringSubmatchIndex(lt); m != nil {
		indent := m[3] - m[2]
		key := lt[m[6]:m[7]]
		sep := m[10]
		if indent > 0 && fm.delim != ";;;" {
			// "  metric: x" inside a key result: a key of the field above.
			f, ok := fieldAbove(t, fm, line)
			f.nested = true
			f.onKey = col <= sep
			return f, ok
		}
		if col <= sep {
			return fieldAt{key: key, onKey: true, keyFrom: ls + m[6], keyTo: ls + m[7]}, true
		}
		f := fieldAt{key: key, keyFrom: ls + m[6], keyTo: ls + m[7]}
		f.valFrom, f.valTo = item(lt, sep+1, col)
		f.val = lt[f.valFrom:f.valTo]
		f.valFrom += ls
		f.valTo += ls
		return f, true
	}
	trimmed := strings.TrimLeft(lt, " \t")
	if len(trimmed) == len(lt) && !strings.HasPrefix(trimmed, "-") && !strings.HasPrefix(trimmed, "[") {
		// A word at the start of a line, no colon yet: a field's name being typed.
		end := len(lt)
		return fieldAt{onKey: true, keyFrom: ls, keyTo: ls + end, key: lt}, true
	}
	// A list item ("  - EPIC-1") or the next line of a flow list: a value
	// of the field above.
	f, ok := fieldAbove(t, fm, line)
	if !ok {
		return f, false
	}
	from := len(lt) - len(trimmed)
	if strings.HasPrefix(trimmed, "- ") || trimmed == "-" {
		from += min(2, len(trimmed))
	}
	f.valFrom, f.valTo = item(lt, from, col)
	f.val = lt[f.valFrom:f.valTo]
	f.valFrom += ls
	f.valTo += ls
	return f, true
}

// fieldAbove finds the unindented field that a line continues.
func fieldAbove(t *text, fm frontmatter, line int) (fieldAt, bool) {
	for l := line - 1; l > fm.open; l-- {
		lt := t.line(l)
		m := keyRE.FindStringSubmatchIndex(lt)
		if m == nil || m[3] > m[2] {
			continue
		}
		ls := t.lines[l]
		return fieldAt{key: lt[m[6]:m[7]], keyFrom: ls + m[6], keyTo: ls + m[7]}, true
	}
	return fieldAt{}, false
}

// item returns the extent, in line, of the value item around col in the
// value that starts at from: the text between the separators of a flow
// list ("[", ",", "]") around col, without spaces and quotes.
func item(line string, from, col int) (int, int) {
	col = max(from, min(col, len(line)))
	start := from
	for i := col - 1; i >= from; i-- {
		if c := line[i]; c == '[' || c == ',' || c == '{' {
			start = i + 1
			break
		}
	}
	end := len(line)
	for i := col; i < len(line); i++ {
		if c := line[i]; c == ']' || c == ',' || c == '}' || (c == '#' && i > 0 && line[i-1] == ' ') {
			end = i
			break
		}
	}
	for start < end && (line[start] == ' ' || line[start] == '\t') {
		start++
	}
	for end > start && (line[end-1] == ' ' || line[end-1] == '\t' || line[end-1] == '\r') {
		end--
	}
	if start < end && (line[start] == '"' || line[start] == '\'') {
		start++
	}
	if end > start && (line[end-1] == '"' || line[end-1] == '\'') {
		end--
	}
	return start, end
}

// fieldValue returns the value written for a field in the frontmatter
// ("story" for kind), or "".
func fieldValue(t *text, fm frontmatter, key string) string {
	for l := fm.open + 1; l < fm.close && l < t.lineCount(); l++ {
		lt := t.line(l)
		m := keyRE.FindStringSubmatchIndex(lt)
		if m == nil || m[3] > m[2] || lt[m[6]:m[7]] != key {
			continue
		}
		v := strings.TrimSpace(lt[m[11]:])
		if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		return strings.Trim(v, `"',`)
	}
	return ""
}

// keys lists the fields the frontmatter has.
func keys(t *text, fm frontmatter) map[string]bool {
	out := map[string]bool{}
	for l := fm.open + 1; l < fm.close && l < t.lineCount(); l++ {
		lt := t.line(l)
		if m := keyRE.FindStringSubmatchIndex(lt); m != nil && m[3] == m[2] {
			out[lt[m[6]:m[7]]] = true
		}
	}
	return out
}

// link is a link of the body under the cursor, as far as it is written.
type link struct {
	wiki bool
	// target is what is written between "[[" and "|", "#" or "]]", or
	// between "](" and "#" or ")": offsets in the text.
	from, to int
	target   string
	// anchor is set when the cursor is after '#': what follows it.
	hasAnchor            bool
	anchorFrom, anchorTo int
	// closed is whether the link's end ("]]", ")") is written.
	closed bool
}

// linkAtCursor finds the [[wiki link]] or the destination of a
// [markdown](link) that the cursor is inside of, on its line.
func linkAtCursor(t *text, off int) (link, bool) {
	line := t.lineOf(off)
	ls := t.lines[line]
	lt := t.line(line)
	col := min(off-ls, len(lt))
	before := lt[:col]
	w := strings.LastIndex(before, "[[")
	if w >= 0 && !strings.Contains(before[w+2:], "]]") {
		l := link{wiki: true}
		rest := lt[w+2:]
		end := len(rest)
		if j := strings.Index(rest, "]]"); j >= 0 {
			end, l.closed = j, true
		}
		inner := rest[:end]
		if j := strings.IndexAny(inner, "[\n"); j >= 0 {
			inner = inner[:j]
		}
		tgt := inner
		if j := strings.IndexAny(tgt, "|"); j >= 0 {
			if col > w+2+j {
				return link{}, false // on the label
			}
			tgt = tgt[:j]
		}
		if j := strings.IndexByte(tgt, '#'); j >= 0 {
			l.hasAnchor = col > w+2+j
			l.anchorFrom = ls + w + 2 + j + 1
			l.anchorTo = ls + w + 2 + len(tgt)
			tgt = tgt[:j]
		}
		lead := len(tgt) - len(strings.TrimLeft(tgt, " "))
		l.from = ls + w + 2 + lead
		l.target = strings.TrimSpace(tgt)
		l.to = l.from + len(l.target)
		return l, true
	}
	m := strings.LastIndex(before, "](")
	if m < 0 || strings.ContainsAny(before[m+2:], ") ") {
		return link{}, false
	}
	l := link{}
	rest := lt[m+2:]
	end := len(rest)
	if j := strings.IndexAny(rest, ") "); j >= 0 {
		end, l.closed = j, rest[j] == ')'
	}
	dest := rest[:end]
	if j := strings.IndexByte(dest, '#'); j >= 0 {
		l.hasAnchor = col > m+2+j
		l.anchorFrom = ls + m + 2 + j + 1
		l.anchorTo = ls + m + 2 + len(dest)
		dest = dest[:j]
	}
	l.from = ls + m + 2
	l.target = dest
	l.to = l.from + len(dest)
	return l, true
}

// heading is a heading of a buffer's body.
type heading struct {
	level int
	text  string
	line  int // 0-based
	from  int // byte offsets of the heading's text in its line
	to    int
}

// headings reads the ATX ("## Notes") and setext headings of a buffer's
// body, outside fenced code, in order: the document symbols, and where
// the model's anchors are written.
func headings(t *text, fm frontmatter) []heading {
	var out []heading
	fence := ""
	prevText := -1 // the line of a paragraph that a setext underline makes a heading
	for l := fm.bodyStart(); l < t.lineCount(); l++ {
		lt := t.line(l)
		trimmed := strings.TrimLeft(lt, " ")
		indent := len(lt) - len(trimmed)
		if fence != "" {
			if indent < 4 && strings.HasPrefix(trimmed, fence) && strings.TrimLeft(trimmed, fence[:1]) == strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) {
				fence = ""
			}
			continue
		}
		if indent < 4 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			n := len(trimmed) - len(strings.TrimLeft(trimmed, trimmed[:1]))
			fence = strings.Repeat(trimmed[:1], n)
			prevText = -1
			continue
		}
		if indent < 4 && strings.HasPrefix(trimmed, "#") {
			n := len(trimmed) - len(strings.TrimLeft(trimmed, "#"))
			rest := trimmed[n:]
			if n <= 6 && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				txt := strings.TrimSpace(rest)
				if c := strings.TrimRight(txt, "#"); c != txt && (c == "" || strings.HasSuffix(c, " ")) {
					txt = strings.TrimSpace(c)
				}
				from := indent + n + (len(rest) - len(strings.TrimLeft(rest, " \t")))
				out = append(out, heading{level: n, text: txt, line: l, from: from, to: from + len(txt)})
				prevText = -1
				continue
			}
		}
		if indent < 4 && prevText >= 0 && trimmed != "" && (strings.Trim(trimmed, "=") == "" || strings.Trim(strings.TrimSpace(trimmed), "-") == "") {
			level := 1
			if trimmed[0] == '-' {
				level = 2
			}
			pt := t.line(prevText)
			txt := strings.TrimSpace(pt)
			from := len(pt) - len(strings.TrimLeft(pt, " "))
			out = append(out, heading{level: level, text: txt, line: prevText, from: from, to: from + len(txt)})
			prevText = -1
			continue
		}
		if strings.TrimSpace(lt) == "" || indent >= 4 && prevText < 0 {
			prevText = -1
		} else if prevText < 0 {
			prevText = l
		}
	}
	return out
}

// idChar reports whether c may be part of an ID; '/' is in derived IDs of
// pages.
func idChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '/'
}

// wordAt is the extent of the ID-like word around a byte offset.
func wordAt(t *text, off int) (int, int) {
	line := t.lineOf(off)
	ls := t.lines[line]
	lt := t.line(line)
	col := min(off-ls, len(lt))
	from, to := col, col
	for from > 0 && idChar(lt[from-1]) {
		from--
	}
	for to < len(lt) && idChar(lt[to]) {
		to++
	}
	for from < to && (lt[to-1] == '.' || lt[to-1] == '-') { // "see STORY-1." ends the sentence
		to--
	}
	return ls + from, ls + to
}
