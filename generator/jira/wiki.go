package jira

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown converts Jira wiki markup (the text of a Description or any
// rich-text field in a CSV export) into CommonMark with GitHub's
// extensions, as productdocs reads it:
//
//	h1. … h6.          # … ######
//	*bold* _italic_    **bold** _italic_
//	-strike-           ~~strike~~
//	+inserted+ ^sup^ ~sub~ the text alone (Markdown has no underline)
//	??citation??       _citation_
//	{{mono}}           `mono`
//	[text|url] [url]   [text](url) <url>
//	[~user]            @user
//	!image.png!        the file's name in italics: attachments are not in the export
//	{code:lang} {noformat}  fenced code blocks
//	{quote} bq.        block quotes
//	* # - lists        nested bullet and numbered lists
//	||head|| |cell|    tables
//	----               a thematic break
//	{color:…} {panel…} the macro dropped, its text kept
//
// Text that Markdown would read as markup (a lone *, an underscore in a
// name, a [[ that productdocs would read as a link) is escaped, so the
// Markdown says what the wiki text said. A single line break inside a
// paragraph becomes a soft break, as paragraphs read in Markdown.
func Markdown(src string) string {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n"), "\n")
	var c converter
	c.blocks(lines)
	return c.String()
}

type converter struct {
	out  []string // blocks, joined by blank lines
	para []string
}

func (c *converter) String() string {
	c.flush()
	if len(c.out) == 0 {
		return ""
	}
	return strings.Join(c.out, "\n\n") + "\n"
}

func (c *converter) flush() {
	if len(c.para) > 0 {
		c.out = append(c.out, strings.Join(c.para, "\n"))
		c.para = nil
	}
}

func (c *converter) block(s string) {
	c.flush()
	c.out = append(c.out, s)
}

var (
	headingRE = regexp.MustCompile(`^h([1-6])\.\s*(.*)$`)
	listRE    = regexp.MustCompile(`^([*#-]+)\s+(.*)$`)
	codeRE    = regexp.MustCompile(`^\{(code|noformat)(?::([^}]*))?\}(.*)$`)
	quoteRE   = regexp.MustCompile(`^\{quote\}(.*)$`)
	panelRE   = regexp.MustCompile(`^\{panel(?::[^}]*)?\}\s*$`)
	ruleRE    = regexp.MustCompile(`^-{4,}\s*$`)
)

func (c *converter) blocks(lines []string) {
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			c.flush()
		case codeRE.MatchString(line):
			m := codeRE.FindStringSubmatch(line)
			i = c.code(lines, i, m[1], m[2], m[3])
		case quoteRE.MatchString(line):
			i = c.quote(lines, i, quoteRE.FindStringSubmatch(line)[1])
		case panelRE.MatchString(line) || line == "{panel}":
			c.flush() // a panel's frame goes; its text stays
		case ruleRE.MatchString(line):
			c.block("---")
		case headingRE.MatchString(line):
			m := headingRE.FindStringSubmatch(line)
			c.block(strings.Repeat("#", int(m[1][0]-'0')) + " " + inline(m[2]))
		case strings.HasPrefix(line, "bq. "):
			c.block("> " + inline(strings.TrimSpace(line[4:])))
		case strings.HasPrefix(line, "|"):
			j := i
			for j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|") {
				j++
			}
			c.block(table(lines[i:j]))
			i = j - 1
		case listRE.MatchString(line) && !isStrikeLine(line):
			j := i
			for j < len(lines) {
				l := strings.TrimSpace(lines[j])
				if !listRE.MatchString(l) || isStrikeLine(l) {
					break
				}
				j++
			}
			c.block(list(lines[i:j]))
			i = j - 1
		default:
			c.para = append(c.para, lineStart(inline(line)))
		}
	}
}

// isStrikeLine tells "-struck through-" at a line's start from a "- item".
func isStrikeLine(line string) bool {
	return strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "- ") && !strings.HasPrefix(line, "-- ")
}

// code reads a {code} or {noformat} block from line i (whose text after
// the macro is first) to its closing macro, and returns the last line it
// used. An unclosed block runs to the end, as Jira renders it.
func (c *converter) code(lines []string, i int, macro, params, first string) int {
	lang := ""
	if macro == "code" {
		for _, p := range strings.Split(params, "|") {
			p = strings.TrimSpace(p)
			if k, v, ok := strings.Cut(p, "="); ok {
				if strings.EqualFold(k, "language") || strings.EqualFold(k, "lang") {
					lang = v
				}
				continue
			}
			if lang == "" {
				lang = p
			}
		}
	}
	closing := "{" + macro + "}"
	var body []string
	j := i
	rest := first
	for {
		if k := strings.Index(rest, closing); k >= 0 {
			if s := rest[:k]; strings.TrimSpace(s) != "" || j > i {
				body = append(body, s)
			}
			break
		}
		if j > i || strings.TrimSpace(rest) != "" {
			body = append(body, rest)
		}
		j++
		if j >= len(lines) {
			break
		}
		rest = lines[j]
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	text := strings.Join(body, "\n")
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	lang = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("+-_#.", r) {
			return r
		}
		return -1
	}, lang)
	if text != "" {
		text += "\n"
	}
	c.block(fence + lang + "\n" + text + fence)
	return j
}

// quote reads a {quote} block and converts what it holds.
func (c *converter) quote(lines []string, i int, first string) int {
	var inner []string
	j := i
	rest := first
	for {
		if k := strings.Index(rest, "{quote}"); k >= 0 {
			inner = append(inner, rest[:k])
			break
		}
		inner = append(inner, rest)
		j++
		if j >= len(lines) {
			break
		}
		rest = lines[j]
	}
	var sub converter
	sub.blocks(inner)
	text := strings.TrimRight(sub.String(), "\n")
	if text == "" {
		return j
	}
	ls := strings.Split(text, "\n")
	for k, l := range ls {
		if l == "" {
			ls[k] = ">"
		} else {
			ls[k] = "> " + l
		}
	}
	c.block(strings.Join(ls, "\n"))
	return j
}

// list converts consecutive list lines; the markers' run gives the depth
// and each level's type ("*#" is a numbered item inside a bullet).
func list(lines []string) string {
	var out []string
	for _, l := range lines {
		m := listRE.FindStringSubmatch(strings.TrimSpace(l))
		markers := m[1]
		// Deeper than Markdown readers nest (productdocs reads a few
		// levels) is kept at the deepest level.
		markers = markers[max(0, len(markers)-maxDepth):]
		indent := ""
		for _, p := range markers[:len(markers)-1] {
			if p == '#' {
				indent += "   "
			} else {
				indent += "  "
			}
		}
		bullet := "-"
		if markers[len(markers)-1] == '#' {
			bullet = "1."
		}
		out = append(out, indent+bullet+" "+inline(m[2]))
	}
	return strings.Join(out, "\n")
}

// table converts ||header|| and |cell| rows into a GitHub table. Markdown
// wants a header row: a table whose first row is not one gets an empty
// header.
func table(lines []string) string {
	var rows [][]string
	header := strings.HasPrefix(strings.TrimSpace(lines[0]), "||")
	width := 0
	for _, l := range lines {
		cells := splitCells(strings.TrimSpace(l))
		width = max(width, len(cells))
		rows = append(rows, cells)
	}
	if width == 0 {
		return ""
	}
	if !header {
		rows = append([][]string{make([]string, width)}, rows...)
	}
	var b strings.Builder
	for r, cells := range rows {
		b.WriteString("|")
		for k := range width {
			cell := ""
			if k < len(cells) {
				cell = cells[k]
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
		if r == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// splitCells splits a table row at its | and || separators, but not at a
// | inside [text|url] or {macro|…}.
func splitCells(row string) []string {
	var cells []string
	depth := 0
	start := -1
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '|':
			if depth > 0 {
				continue
			}
			if start >= 0 {
				cells = append(cells, strings.ReplaceAll(inline(strings.TrimSpace(row[start:i])), "|", `\|`))
			}
			for i+1 < len(row) && row[i+1] == '|' {
				i++
			}
			start = i + 1
		}
	}
	if start >= 0 && start < len(row) && strings.TrimSpace(row[start:]) != "" {
		cells = append(cells, strings.ReplaceAll(inline(strings.TrimSpace(row[start:])), "|", `\|`))
	}
	return cells
}

// effects are the wiki's paired inline markers and what each becomes.
var effects = map[byte][2]string{
	'*': {"**", "**"},
	'_': {"_", "_"},
	'-': {"~~", "~~"},
	'+': {"", ""},
	'^': {"", ""},
	'~': {"", ""},
}

var macroRE = regexp.MustCompile(`^\{(color(?::[^}]*)?|anchor(?::[^}]*)?)\}`)

// span bounds how far inline markup may reach on a line: a marker whose
// closing one is further is text. Real markup spans words, not pages, and
// without a bound a line of 32,000 unclosed markers (Jira's longest
// field) would take time by the square of its length.
const span = 1024

// maxDepth bounds markup nested in markup, for the same reason.
const maxDepth = 8

// inline converts one line's inline markup.
func inline(s string) string { return inlineAt(s, 0) }

func window(s string, from int) string { return s[from:min(len(s), from+span)] }

func inlineAt(s string, depth int) string {
	var b strings.Builder
	var next closers
	for i := 0; i < len(s); {
		ch := s[i]
		switch {
		case ch == '\\' && i+1 < len(s):
			if s[i+1] == '\\' { // \\ is a forced line break
				b.WriteString("\\\n")
				i += 2
				continue
			}
			r, n := utf8.DecodeRuneInString(s[i+1:])
			b.WriteString(escape(string(r)))
			i += 1 + n
			continue
		case strings.HasPrefix(s[i:], "{{"):
			if end := strings.Index(window(s, i+2), "}}"); end >= 0 {
				b.WriteString(codeSpan(s[i+2 : i+2+end]))
				i += 4 + end
				continue
			}
		case ch == '{':
			if m := macroRE.FindString(window(s, i)); m != "" {
				i += len(m)
				continue
			}
		case strings.HasPrefix(s[i:], "??") && depth < maxDepth:
			if end := strings.Index(window(s, i+2), "??"); end > 0 {
				b.WriteString("_" + inlineAt(s[i+2:i+2+end], depth+1) + "_")
				i += 4 + end
				continue
			}
		case ch == '[' && depth < maxDepth:
			// A link holds no [; the first bracket after this one says
			// whether it is one.
			if end := strings.IndexAny(window(s, i+1), "[]"); end >= 0 && s[i+1+end] == ']' {
				if out, ok := link(s[i+1:i+1+end], depth+1); ok {
					b.WriteString(out)
					i += end + 2
					continue
				}
			}
		case ch == '!':
			if end := strings.IndexByte(window(s, i+1), '!'); end > 0 {
				if out, ok := image(s[i+1 : i+1+end]); ok {
					b.WriteString(out)
					i += end + 2
					continue
				}
			}
		}
		if e, ok := effects[ch]; ok && depth < maxDepth && opens(s, i) {
			if end := next.find(s, i); end > 0 {
				inner := inlineAt(s[i+1:end], depth+1)
				b.WriteString(e[0] + inner + e[1])
				i = end + 1
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteString(escape(string(r)))
		i += n
	}
	return b.String()
}

// opens reports whether the marker at i can open an effect: at the start
// or after a character that is not a letter or digit, and before one that
// is not a space.
func opens(s string, i int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return i+1 < len(s) && s[i+1] != ' ' && s[i+1] != s[i]
}

// closers finds the marker that closes the one at i on the same line:
// after a character that is not a space, before one that is not a letter
// or digit. Whether a marker can close depends on it alone, so each
// marker's next closer is found once, from the end of the line back,
// which keeps a line of unclosed markers linear.
type closers struct {
	next map[byte][]int32 // for each position, the next closer at or after it, or -1
}

func (c *closers) find(s string, i int) int {
	ch := s[i]
	if c.next == nil {
		c.next = map[byte][]int32{}
	}
	nx, ok := c.next[ch]
	if !ok {
		nx = make([]int32, len(s)+1)
		nx[len(s)] = -1
		for j := len(s) - 1; j >= 0; j-- {
			nx[j] = nx[j+1]
			if s[j] != ch || j == 0 || s[j-1] == ' ' {
				continue
			}
			if j+1 < len(s) {
				r, _ := utf8.DecodeRuneInString(s[j+1:])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					continue
				}
			}
			nx[j] = int32(j)
		}
		c.next[ch] = nx
	}
	if i+2 > len(s) {
		return -1
	}
	j := int(nx[i+2])
	if j < 0 || j-i > span {
		return -1
	}
	return j
}

// link converts what is between [ and ]; ok is false for text that only
// looks like a link.
func link(in string, depth int) (string, bool) {
	if in == "" {
		return "", false
	}
	if strings.HasPrefix(in, "~") { // a user mention
		name := strings.TrimPrefix(strings.TrimPrefix(in[1:], "accountid:"), "~")
		return "@" + escape(name), true
	}
	if strings.HasPrefix(in, "^") { // an attachment
		return "_" + escape(in[1:]) + "_", true
	}
	text, target, hasText := strings.Cut(in, "|")
	if !hasText {
		target = in
	}
	target, _, _ = strings.Cut(target, "|") // a tooltip
	target = strings.TrimSpace(target)
	if !isURL(target) {
		if hasText {
			return inlineAt(text, depth), true // a link into Jira's own pages: keep its text
		}
		return "", false
	}
	target = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29").Replace(target)
	if !hasText || strings.TrimSpace(text) == "" {
		return "<" + target + ">", true
	}
	return "[" + inlineAt(strings.TrimSpace(text), depth) + "](" + target + ")", true
}

func isURL(s string) bool {
	for _, p := range []string{"http://", "https://", "mailto:", "ftp://"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return !strings.ContainsAny(s, "<>\n")
		}
	}
	return false
}

func image(in string) (string, bool) {
	if in == "" || strings.ContainsAny(in, " \t") && !strings.Contains(in, "|") {
		return "", false
	}
	name, _, _ := strings.Cut(in, "|")
	if isURL(name) {
		return "![](" + strings.ReplaceAll(name, " ", "%20") + ")", true
	}
	if !strings.Contains(name, ".") {
		return "", false
	}
	return "_" + escape(name) + "_", true
}

func codeSpan(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// escape writes literal text so that Markdown reads it as text.
func escape(s string) string {
	if len(s) == 1 && strings.ContainsRune("\\`*_{}[]<>()#+-.!|~&", rune(s[0])) {
		switch s[0] {
		case '(', ')', '.', '{', '}', '+', '-', '#', '!':
			// Markdown reads these as markup only at a line's start or
			// next to a bracket; escaping every one would make the file
			// hard to read, and the line starts are handled by the
			// block converter.
			return s
		}
		return "\\" + s
	}
	return s
}

var blockStartRE = regexp.MustCompile(`^(?:[-+=]|#{1,6}(?:\s|$)|\d{1,9}[.)](?:\s|$))`)

// lineStart escapes what would open a block at a paragraph line's start
// in Markdown but is text in the wiki: "1. " or "+ " or a "#".
func lineStart(s string) string {
	if m := blockStartRE.FindString(s); m != "" {
		if s[0] >= '0' && s[0] <= '9' {
			n := len(strings.TrimRight(m, " \t"))
			return s[:n-1] + "\\" + s[n-1:]
		}
		return "\\" + s
	}
	return s
}
