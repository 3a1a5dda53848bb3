package content

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"github.com/goccy/go-yaml"
	yast "github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Problem is a frontmatter problem at a position in the file.
type Problem struct {
	Pos     Pos
	Message string
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%d:%d: %s", p.Pos.Line, p.Pos.Column, p.Message)
}

// maxNodes bounds the values one frontmatter may expand to, counting each
// use of a YAML alias as a copy of its anchor, so that an alias bomb is an
// error instead of an exhausted machine. Real frontmatter has tens.
const maxNodes = 100_000

// maxSize bounds the bytes of one frontmatter. The YAML parser's time
// grows with the square of a mapping's keys (a megabyte takes seconds and
// gigabytes of garbage); real frontmatter is a few hundred bytes.
const maxSize = 256 << 10

// Split separates a document into its frontmatter and its body. It returns
// the frontmatter's mapping (nil without frontmatter), the body, and the
// 1-based line on which the body starts. A problem means the frontmatter
// could not be read; the body is still returned so that its links can be
// checked. Line ends are read as LineEnds says, the body's too: the body
// may be a copy of the end of src, not src itself.
func Split(src []byte) (fm *Value, format string, body []byte, bodyLine int, prob *Problem) {
	src = LineEnds(bytes.TrimPrefix(src, []byte("\ufeff")))
	openLine, delim := opening(src)
	if delim == "" {
		return nil, "", src, 1, nil
	}
	data, rest, closed := block(src, delim)
	if !closed {
		// Taking an unclosed block for body text would turn every field
		// into body text without a word.
		return nil, "", nil, 1, &Problem{Pos{openLine, 1}, fmt.Sprintf("frontmatter opened with %q is never closed", delim)}
	}
	bodyStart := len(src) - len(rest)
	bodyLine = 1 + bytes.Count(src[:bodyStart], []byte("\n"))
	dataLine := openLine + 1
	if l := conflictMarker(data); l >= 0 {
		return nil, "", rest, bodyLine, &Problem{Pos{dataLine + l, 1}, "merge conflict marker in frontmatter: resolve the conflict first"}
	}
	if len(data) > maxSize {
		return nil, "", rest, bodyLine, &Problem{Pos{openLine, 1}, fmt.Sprintf("frontmatter of %d KB is more than the %d KB productdocs reads; long text belongs in the body", len(data)>>10, maxSize>>10)}
	}
	switch delim {
	case "---":
		format = "yaml"
		fm, prob = ParseYAML(data, dataLine)
	case ";;;":
		// JSON is YAML's flow style, so the YAML parser reads it with the
		// same positions and duplicate-key rules.
		format = "json"
		fm, prob = ParseYAML(data, dataLine)
	case "+++":
		format = "toml"
		fm, prob = parseTOML(data, dataLine)
	}
	return fm, format, rest, bodyLine, prob
}

// opening finds the first non-blank line, as adrg does, and reports whether
// it opens a frontmatter block.
func opening(src []byte) (line int, delim string) {
	line = 1
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		l := src
		if i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		t := string(bytes.TrimSpace(l))
		switch t {
		case "":
			line++
			continue
		case "---", "+++", ";;;":
			return line, t
		}
		return line, ""
	}
	return line, ""
}

// block finds the frontmatter block that the first non-blank line of src
// opens with delim: data is what lies between that line and the next line
// that is delim too, rest what follows. The usual block, "---" lines with
// nothing around them, is found by plainBlock; any other by
// github.com/adrg/frontmatter, which hands the block to an unmarshal
// function: we keep the bytes and decode them ourselves, with positions.
func block(src []byte, delim string) (data, rest []byte, closed bool) {
	if data, rest, ok := plainBlock(src, delim); ok {
		return data, rest, true
	}
	return adrgBlock(src, delim)
}

// plainBlock finds a block whose delimiter lines are exactly delim, the
// first on the file's first line, as adrgBlock would, without copying the
// file line by line: it is most of reading a document's frontmatter. It
// reports false for any other block, and for a line that adrg, trimming
// spaces, would take for the end.
func plainBlock(src []byte, delim string) (data, rest []byte, ok bool) {
	if len(src) <= len(delim) || string(src[:len(delim)]) != delim || src[len(delim)] != '\n' {
		return nil, nil, false
	}
	start := len(delim) + 1
	for i := start; i < len(src); {
		end := bytes.IndexByte(src[i:], '\n')
		next := i + end + 1
		if end < 0 {
			end, next = len(src)-i, len(src)
		}
		l := src[i : i+end]
		if string(l) == delim {
			return src[start:i], src[next:], true
		}
		if bytes.Contains(l, []byte(delim)) && string(bytes.TrimSpace(l)) == delim {
			return nil, nil, false
		}
		i = next
	}
	return nil, nil, false
}

// adrgBlock is block with github.com/adrg/frontmatter.
func adrgBlock(src []byte, delim string) (data, rest []byte, closed bool) {
	capture := func(b []byte, _ any) error {
		data, closed = b, true
		return nil
	}
	rest, err := frontmatter.Parse(bytes.NewReader(src), nil, frontmatter.NewFormat(delim, delim, capture))
	if err != nil || !closed {
		// adrg takes an unclosed block for no frontmatter at all.
		return nil, nil, false
	}
	return data, rest, true
}

// conflictMarker returns the 0-based line of a git conflict marker, or -1.
func conflictMarker(data []byte) int {
	for i := 0; len(data) > 0; i++ {
		l := data
		if end := bytes.IndexByte(data, '\n'); end >= 0 {
			l, data = data[:end], data[end+1:]
		} else {
			data = nil
		}
		if bytes.HasPrefix(l, []byte("<<<<<<< ")) || bytes.HasPrefix(l, []byte(">>>>>>> ")) || bytes.Equal(bytes.TrimSpace(l), []byte("=======")) {
			return i
		}
	}
	return -1
}

// ParseYAML reads a YAML mapping whose first line is line firstLine of its
// file, with the positions of every key and value.
func ParseYAML(data []byte, firstLine int) (*Value, *Problem) {
	data = lf(data)
	if v, ok := parseSimpleYAML(data, firstLine); ok {
		return v, nil
	}
	return parseYAML(data, firstLine)
}

// parseYAML is ParseYAML with the general parser, for any YAML.
func parseYAML(data []byte, firstLine int) (*Value, *Problem) {
	if len(bytes.TrimSpace(data)) == 0 {
		return &Value{Kind: Map, Pos: Pos{firstLine, 1}}, nil
	}
	if depth := nesting(data); depth > maxDepth {
		return nil, &Problem{Pos{firstLine, 1}, fmt.Sprintf("frontmatter nests deeper than %d levels", maxDepth)}
	}
	file, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey()) // duplicates are found below, with file positions
	if err != nil {
		return nil, yamlProblem(err, firstLine)
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return &Value{Kind: Map, Pos: Pos{firstLine, 1}}, nil
	}
	if len(file.Docs) > 1 {
		return nil, &Problem{Pos{firstLine, 1}, "frontmatter holds more than one YAML document"}
	}
	c := converter{line: firstLine - 1, anchors: map[string]anchored{}}
	v, err := c.value(file.Docs[0].Body)
	if err != nil {
		var p *Problem
		if errors.As(err, &p) {
			return nil, p
		}
		return nil, &Problem{Pos{firstLine, 1}, err.Error()}
	}
	if v.Kind != Map {
		return nil, &Problem{v.Pos, fmt.Sprintf("frontmatter must be a mapping of fields, not %s", v.Kind.String())}
	}
	return v, nil
}

// lf turns CRLF line ends into LF. The parsers count lines differently
// with CRLF (goccy/go-yaml counts a comment's CRLF twice, BurntSushi/toml
// a multi-line string's), which would put every later position a line low.
func lf(data []byte) []byte {
	if !bytes.Contains(data, []byte("\r\n")) {
		return data
	}
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// maxDepth bounds nesting before the recursive YAML parser sees the input.
const maxDepth = 100

// nesting estimates the deepest nesting of flow brackets or indentation,
// cheaply, so that pathological input is refused up front. Brackets count
// where a flow collection may start or goes on, not in quoted scalars,
// comments or the middle of plain text ("title: '[[x]]'" nests nothing).
func nesting(data []byte) int {
	depth, deepest := 0, 0
	prev := byte('\n') // the last byte that is not a space or tab
	for i := 0; i < len(data); i++ {
		c := data[i]
		starts := prev == '\n' || prev == ':' || prev == '-' || prev == '?' || prev == '[' || prev == '{' ||
			(depth > 0 && prev == ',') // a value may start here
		switch {
		case (c == '"' || c == '\'') && starts:
			for i++; i < len(data) && data[i] != c; i++ {
				if c == '"' && data[i] == '\\' {
					i++
				}
			}
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			for i < len(data) && data[i] != '\n' {
				i++
			}
			c = '\n'
		case c == '[' || c == '{':
			if depth == 0 && !starts {
				c = 'x' // text: "x[y"
				break
			}
			depth++
			deepest = max(deepest, depth)
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimLeft(l, " ")) == 0 {
			continue // a blank line nests nothing, however long
		}
		ind := len(l) - len(bytes.TrimLeft(l, " -"))
		deepest = max(deepest, ind/2)
	}
	return deepest
}

func yamlProblem(err error, firstLine int) *Problem {
	var ye yaml.Error
	if errors.As(err, &ye) {
		pos := Pos{firstLine, 1}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			pos = Pos{firstLine - 1 + tk.Position.Line, tk.Position.Column}
		}
		return &Problem{pos, ye.GetMessage()}
	}
	return &Problem{Pos{firstLine, 1}, err.Error()}
}

type anchored struct {
	v    *Value
	size int
}

type converter struct {
	line    int // lines before the frontmatter's first line
	nodes   int
	anchors map[string]anchored
}

func (c *converter) pos(n yast.Node) Pos {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{c.line + 1, 1}
	}
	return Pos{c.line + tk.Position.Line, tk.Position.Column}
}

func (c *converter) value(n yast.Node) (*Value, error) {
	c.nodes++
	if c.nodes > maxNodes {
		return nil, &Problem{c.pos(n), fmt.Sprintf("frontmatter expands to more than %d values (an alias bomb?)", maxNodes)}
	}
	p := c.pos(n)
	switch n := n.(type) {
	case *yast.NullNode:
		return &Value{Kind: Null, Pos: p, Str: "null"}, nil
	case *yast.StringNode:
		return &Value{Kind: String, Pos: p, Str: n.Value}, nil
	case *yast.LiteralNode:
		return &Value{Kind: String, Pos: p, Str: n.Value.Value}, nil
	case *yast.IntegerNode:
		v := &Value{Kind: Int, Pos: p, Str: n.Token.Value}
		switch x := n.Value.(type) {
		case int64:
			v.Int = x
		case uint64:
			if x > math.MaxInt64 {
				v.Kind, v.Float = Float, float64(x)
			} else {
				v.Int = int64(x)
			}
		}
		return v, nil
	case *yast.FloatNode:
		return &Value{Kind: Float, Pos: p, Str: n.Token.Value, Float: n.Value}, nil
	case *yast.InfinityNode:
		return &Value{Kind: Float, Pos: p, Str: n.Token.Value, Float: n.Value}, nil
	case *yast.NanNode:
		return &Value{Kind: Float, Pos: p, Str: n.Token.Value, Float: math.NaN()}, nil
	case *yast.BoolNode:
		return &Value{Kind: Bool, Pos: p, Str: n.Token.Value, Bool: n.Value}, nil
	case *yast.TagNode:
		return c.value(n.Value)
	case *yast.AnchorNode:
		before := c.nodes
		v, err := c.value(n.Value)
		if err != nil {
			return nil, err
		}
		c.anchors[n.Name.String()] = anchored{v, c.nodes - before}
		return v, nil
	case *yast.AliasNode:
		a, ok := c.anchors[n.Value.String()]
		if !ok {
			return nil, &Problem{p, fmt.Sprintf("alias *%s names no anchor", n.Value.String())}
		}
		c.nodes += a.size
		if c.nodes > maxNodes {
			return nil, &Problem{p, fmt.Sprintf("frontmatter expands to more than %d values (an alias bomb?)", maxNodes)}
		}
		return a.v, nil
	case *yast.SequenceNode:
		v := &Value{Kind: List, Pos: p, List: make([]*Value, 0, len(n.Values))}
		for _, x := range n.Values {
			xv, err := c.value(x)
			if err != nil {
				return nil, err
			}
			v.List = append(v.List, xv)
		}
		return v, nil
	case *yast.MappingNode:
		v := &Value{Kind: Map, Pos: p, Map: make([]*Field, 0, len(n.Values))}
		for _, mv := range n.Values {
			if err := c.field(v, mv); err != nil {
				return nil, err
			}
		}
		return v, nil
	case *yast.MappingValueNode:
		v := &Value{Kind: Map, Pos: p}
		if err := c.field(v, n); err != nil {
			return nil, err
		}
		return v, nil
	}
	return nil, &Problem{p, fmt.Sprintf("unsupported YAML (%s)", n.Type())}
}

func (c *converter) field(m *Value, mv *yast.MappingValueNode) error {
	if _, merge := mv.Key.(*yast.MergeKeyNode); merge {
		return &Problem{c.pos(mv.Key), "merge keys (<<) are not supported in frontmatter"}
	}
	keyNode := yast.Node(mv.Key)
	if k, ok := mv.Key.(*yast.MappingKeyNode); ok {
		keyNode = k.Value
	}
	var key string
	switch k := keyNode.(type) {
	case *yast.StringNode:
		key = k.Value
	case *yast.NullNode:
		key = "null" // fmt.Sprint of its value would say "<nil>"
		if tk := k.GetToken(); tk != nil {
			key = tk.Value // "null", "~" or "Null", as written
		}
	case yast.ScalarNode:
		key = fmt.Sprint(k.GetValue())
	default:
		return &Problem{c.pos(keyNode), "a key must be a plain name"}
	}
	kp := c.pos(keyNode)
	if prev := m.Get(key); prev != nil {
		return &Problem{kp, fmt.Sprintf("duplicate key %q (first at line %d)", key, prev.KeyPos.Line)}
	}
	val, err := c.value(mv.Value)
	if err != nil {
		return err
	}
	m.Map = append(m.Map, &Field{Key: key, KeyPos: kp, Value: val})
	return nil
}

func parseTOML(data []byte, firstLine int) (*Value, *Problem) {
	data = lf(data)
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Problem{Pos{firstLine - 1 + pe.Position.Line, max(pe.Position.Col, 1)}, pe.Message}
		}
		return nil, &Problem{Pos{firstLine, 1}, err.Error()}
	}
	lines := strings.Split(string(data), "\n")
	top := &Value{Kind: Map, Pos: Pos{firstLine, 1}}
	// TOML has no positions after decoding: find each top-level key's line
	// in the text, which is exact for the common `key = value` form.
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) == 0 || seen[k[0]] {
			continue
		}
		seen[k[0]] = true
		kp, vp := tomlKeyPos(lines, k[0], firstLine)
		top.Map = append(top.Map, &Field{Key: k[0], KeyPos: kp, Value: fromGo(raw[k[0]], vp)})
	}
	return top, nil
}

func tomlKeyPos(lines []string, key string, firstLine int) (keyPos, valPos Pos) {
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		indent := len(l) - len(t)
		for _, form := range []string{key, strconv.Quote(key), "'" + key + "'"} {
			rest, ok := strings.CutPrefix(t, form)
			if !ok {
				continue
			}
			r := strings.TrimLeft(rest, " \t")
			if strings.HasPrefix(r, "=") {
				after := strings.TrimLeft(r[1:], " \t")
				col := len(l) - len(after) + 1
				return Pos{firstLine + i, indent + 1}, Pos{firstLine + i, col}
			}
		}
		if strings.HasPrefix(t, "["+key+"]") || strings.HasPrefix(t, "[["+key+"]]") {
			return Pos{firstLine + i, indent + 1}, Pos{firstLine + i, indent + 1}
		}
	}
	return Pos{firstLine, 1}, Pos{firstLine, 1}
}

// fromGo converts a decoded TOML value; nested values take the position of
// the key they belong to.
func fromGo(x any, p Pos) *Value {
	switch x := x.(type) {
	case string:
		return &Value{Kind: String, Pos: p, Str: x}
	case int64:
		return &Value{Kind: Int, Pos: p, Str: strconv.FormatInt(x, 10), Int: x}
	case float64:
		return &Value{Kind: Float, Pos: p, Str: strconv.FormatFloat(x, 'g', -1, 64), Float: x}
	case bool:
		return &Value{Kind: Bool, Pos: p, Str: strconv.FormatBool(x), Bool: x}
	case time.Time:
		s := x.Format(time.RFC3339)
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			s = x.Format(time.DateOnly)
		}
		return &Value{Kind: String, Pos: p, Str: s}
	case []any:
		v := &Value{Kind: List, Pos: p}
		for _, e := range x {
			v.List = append(v.List, fromGo(e, p))
		}
		return v
	case []map[string]any:
		v := &Value{Kind: List, Pos: p}
		for _, e := range x {
			v.List = append(v.List, fromGo(e, p))
		}
		return v
	case map[string]any:
		v := &Value{Kind: Map, Pos: p}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortStrings(keys)
		for _, k := range keys {
			v.Map = append(v.Map, &Field{Key: k, KeyPos: p, Value: fromGo(x[k], p)})
		}
		return v
	}
	return &Value{Kind: Null, Pos: p, Str: "null"}
}
