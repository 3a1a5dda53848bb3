package content

import (
	"bytes"
	"strconv"
	"sync"
	"unicode"
	"unicode/utf8"
)

// parseSimpleYAML reads the YAML that nearly every document's frontmatter
// is — one "key: value" per line, from the first column, values plain or
// quoted scalars or flow lists of plain scalars, full-line comments —
// without the general parser, which costs some thirty times as much time
// and memory and makes reading frontmatter the larger half of a check.
//
// It reports false for anything else (nesting, anchors, comments after a
// value, numbers other than plain integers, keywords such as true or null,
// a duplicate key, …), and the caller then uses the general parser. Where
// it reports true, the result is exactly what the general parser gives,
// positions included; FuzzSimpleYAML holds the two to that.
func parseSimpleYAML(data []byte, firstLine int) (*Value, bool) {
	var m *Value
	if bytes.IndexByte(data, '\r') >= 0 {
		return nil, false // a lone CR ends a line for the parser
	}
	r := newSimpleReader(data)
	read := false
	defer func() {
		if !read {
			release(r) // left to the general parser
		}
	}()
	for i, line := 0, 0; i < len(data); line++ {
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += i
		}
		l := data[i:end]
		i = end + 1
		if len(bytes.TrimLeft(l, " ")) == 0 {
			continue
		}
		if l[0] == '#' {
			if !plainText(l) {
				return nil, false
			}
			continue
		}
		colon := simpleKey(l)
		if colon < 0 {
			return nil, false
		}
		key := r.str(l[:colon])
		if m.Get(key) != nil {
			return nil, false // the general parser words the error
		}
		rest := l[colon+1:]
		if len(rest) == 0 || rest[0] != ' ' {
			return nil, false // "key:" without a value: its null's position is the parser's business
		}
		lineNo := firstLine + line
		start := colon + 1 + len(rest) - len(bytes.TrimLeft(rest, " "))
		v, ok := r.value(l[start:], Pos{lineNo, start + 1})
		if !ok {
			return nil, false
		}
		if m == nil {
			// The parser places a mapping at its first key's colon.
			m = r.newValue(Value{Kind: Map, Pos: Pos{lineNo, colon + 1}, Map: make([]*Field, 0, r.lines), slabs: r})
		}
		m.Map = append(m.Map, r.newField(Field{Key: key, KeyPos: Pos{lineNo, 1}, Value: v}))
	}
	if m == nil {
		return nil, false
	}
	read = true
	return m, true
}

// simpleReader allocates what parseSimpleYAML reads in a few pieces for
// the whole frontmatter rather than in two or three for every key: the
// strings are slices of one copy of the text, the values and fields
// slices of arrays sized for the most the text can hold.
type simpleReader struct {
	data   []byte
	text   string // data, as a string
	lines  int
	vals   []Value
	fields []Field
}

// readerPool keeps simpleReaders, and their slabs, for the next document:
// a document's fields are read from its frontmatter, which is then let go
// (Release), as soon as it is parsed.
var readerPool = sync.Pool{New: func() any { return new(simpleReader) }}

func newSimpleReader(data []byte) *simpleReader {
	lines := bytes.Count(data, []byte("\n")) + 1
	// A value is a key's or a list item's: at most one a line, and one
	// for each comma.
	values := lines + bytes.Count(data, []byte(",")) + 1
	r := readerPool.Get().(*simpleReader)
	r.data, r.text, r.lines = data, string(data), lines
	if cap(r.vals) < values {
		r.vals = make([]Value, 0, values)
	}
	if cap(r.fields) < lines {
		r.fields = make([]Field, 0, lines)
	}
	return r
}

// str returns s, a slice of r.data, as a string, without copying it.
func (r *simpleReader) str(s []byte) string {
	i := cap(r.data) - cap(s)
	return r.text[i : i+len(s)]
}

func (r *simpleReader) newValue(v Value) *Value { return slabNew(&r.vals, v) }

func (r *simpleReader) newField(f Field) *Field { return slabNew(&r.fields, f) }

// slabNew puts v in the slab and returns where it is. The slabs are made
// to hold all a document can need; past that, v goes on the heap alone
// (new, not &v, which would put every v on the heap).
func slabNew[T any](slab *[]T, v T) *T {
	if len(*slab) == cap(*slab) {
		p := new(T)
		*p = v
		return p
	}
	*slab = append(*slab, v)
	return &(*slab)[len(*slab)-1]
}

// simpleKey returns the index of the colon that ends a plain key at the
// start of l, or -1.
func simpleKey(l []byte) int {
	for i, c := range l {
		switch {
		case c == ':' && i > 0:
			if reserved(l[:i]) {
				return -1
			}
			return i
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && (c == '-' || '0' <= c && c <= '9'):
		default:
			return -1
		}
	}
	return -1
}

// value reads the value that ends a line.
func (r *simpleReader) value(s []byte, p Pos) (*Value, bool) {
	// Trailing spaces move the parser's position of a plain value to its
	// end; leave them to the parser.
	if len(s) == 0 || s[len(s)-1] == ' ' || !plainText(s) {
		return nil, false
	}
	switch s[0] {
	case '"', '\'':
		q := s[0]
		if len(s) < 2 || s[len(s)-1] != q {
			return nil, false
		}
		inner := s[1 : len(s)-1]
		if bytes.IndexByte(inner, q) >= 0 || bytes.IndexByte(inner, '\\') >= 0 {
			return nil, false
		}
		return r.newValue(Value{Kind: String, Pos: p, Str: r.str(inner)}), true
	case '[':
		return r.list(s, p)
	}
	return r.scalar(s, p, false)
}

// list reads a flow list of plain scalars: "[a, b]", "[]".
func (r *simpleReader) list(s []byte, p Pos) (*Value, bool) {
	if s[len(s)-1] != ']' {
		return nil, false
	}
	v := r.newValue(Value{Kind: List, Pos: p, List: []*Value{}})
	inner := s[1 : len(s)-1]
	if len(bytes.TrimLeft(inner, " ")) == 0 {
		if len(inner) > 0 {
			return nil, false
		}
		return v, true
	}
	col := p.Column + 1
	for len(inner) > 0 {
		item := inner
		next := bytes.IndexByte(inner, ',')
		if next >= 0 {
			item, inner = inner[:next], inner[next+1:]
			if len(inner) == 0 {
				return nil, false // a trailing comma
			}
		} else {
			inner = nil
		}
		lead := len(item) - len(bytes.TrimLeft(item, " "))
		x, ok := r.scalar(bytes.TrimRight(item[lead:], " "), Pos{p.Line, col + lead}, true)
		if !ok {
			return nil, false
		}
		v.List = append(v.List, x)
		col += len(item) + 1
	}
	return v, true
}

// scalar reads a plain scalar that is text, a date, a quarter or a plain
// integer, and refuses everything that the parser might read as something
// else.
func (r *simpleReader) scalar(s []byte, p Pos, inFlow bool) (*Value, bool) {
	if len(s) == 0 || reserved(s) {
		return nil, false
	}
	c := s[0]
	switch {
	case '0' <= c && c <= '9':
		if isInt(s) {
			n, err := strconv.ParseInt(string(s), 10, 64)
			if err != nil {
				return nil, false
			}
			return r.newValue(Value{Kind: Int, Pos: p, Str: r.str(s), Int: n}), true
		}
		if !isDate(s) && !isQuarter(s) {
			return nil, false
		}
		return r.newValue(Value{Kind: String, Pos: p, Str: r.str(s)}), true
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf:
	default:
		return nil, false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c >= utf8.RuneSelf:
		case c == ' ' || c == '.' || c == '-' || c == '_' || c == '/' || c == '(' || c == ')' ||
			c == '\'' || c == '+' || c == ';' || c == '!' || c == '?' || c == '&' || c == '*' ||
			c == '%' || c == '@' || c == '=' || c == '"':
		case c == ',' && !inFlow:
		case c == ':' && i+1 < len(s) && s[i+1] == '/' && !inFlow: // a URL's scheme
		default:
			return nil, false
		}
	}
	return r.newValue(Value{Kind: String, Pos: p, Str: r.str(s)}), true
}

// plainText reports text of printable characters and plain spaces only,
// so that no control character, line or paragraph separator, byte order
// mark or other space, which YAML folds, trims or refuses, reaches the fast
// path.
func plainText(s []byte) bool {
	for len(s) > 0 {
		c := s[0]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f {
				return false
			}
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r) || r == '\ufeff' {
			return false
		}
		s = s[size:]
	}
	return true
}

// reserved reports words that YAML reads as null, booleans or other
// non-text, in any case.
func reserved(s []byte) bool {
	if len(s) > 5 {
		return false
	}
	var low [5]byte
	for i, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	switch string(low[:len(s)]) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return true
	}
	return false
}

// isInt reports a decimal integer without sign or leading zero that fits
// an int64 with room to spare.
func isInt(s []byte) bool {
	if len(s) > 18 || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isDate(s []byte) bool {
	return len(s) == 10 && digits(s[0:4]) && s[4] == '-' && digits(s[5:7]) && s[7] == '-' && digits(s[8:10])
}

func isQuarter(s []byte) bool {
	return len(s) == 7 && digits(s[0:4]) && s[4] == '-' && s[5] == 'Q' && '1' <= s[6] && s[6] <= '4'
}

func digits(s []byte) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
