package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"sync"
)

// What the compiled pages (compile.go, theme_gen.go) call besides the
// templates' own functions: html/template's escapers for the values the
// theme prints, and text/template's rules for truth. Each escaper does
// what html/template's function of that name does, and FuzzEscapers holds
// them to html/template itself, over strings, safe-HTML and URL values,
// and other types.

// compiledTheme is the built-in theme compiled, set by theme_gen.go.
var compiledTheme *themeCode

type themeCode struct {
	hash  string // of the template sources it was made from (themeHash)
	bind  func() bool
	pages map[string]func(*bytes.Buffer, *Page) error

	once  sync.Once
	bound bool
}

// usable reports whether the compiled pages may stand for templates of
// the given hash: made from them, with every function they call still of
// the type it had.
func (c *themeCode) usable(hash string) bool {
	if c == nil || c.hash != hash {
		return false
	}
	c.once.Do(func() { c.bound = c.bind() })
	return c.bound
}

var (
	errWrongType = errors.New("a value of the wrong type")
	errIndex     = errors.New("index out of range")
)

// truthOf is text/template's isTrue for a value of any type.
func truthOf(v any) bool {
	if v == nil {
		return false
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return r.Len() > 0
	case reflect.Bool:
		return r.Bool()
	case reflect.Complex64, reflect.Complex128:
		return r.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !r.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.Int() != 0
	case reflect.Float32, reflect.Float64:
		return r.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return r.Uint() != 0
	}
	return true
}

// htmlTable is html/template's htmlReplacementTable; htmlNormTable is
// the same without '&' (htmlNormReplacementTable), for safe HTML whose
// entities are kept.
var htmlTable = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

var htmlNormTable = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// replaceHTML is html/template's htmlReplacer with badRunes set, the
// only way the theme's escapers call it. Every byte it replaces is
// ASCII, so it can look at bytes: a byte of a multi-byte rune is never
// below 0x80.
func replaceHTML(s string, table *[len(htmlTable)]string) string {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; int(c) < len(table) && table[c] != "" {
			break
		}
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	written := 0
	for ; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(table) || table[c] == "" {
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(table[c])
		written = i + 1
	}
	b.WriteString(s[written:])
	return b.String()
}

// The escapers for a plain string.
func escHTML(s string) string   { return replaceHTML(s, &htmlTable) }
func escAttr(s string) string   { return replaceHTML(s, &htmlTable) }
func escRCDATA(s string) string { return replaceHTML(s, &htmlTable) }

func escURLFilter(s string) string {
	if !safeURL(s) {
		return "#ZgotmplZ"
	}
	return s
}

func escURL(s string) string     { return processURL(s, false) }
func escURLNorm(s string) string { return processURL(s, true) }

// safeURL is html/template's isSafeURL.
func safeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// processURL is html/template's urlProcessor for a plain string: it
// escapes (norm false) or normalises a URL or a part of one.
func processURL(s string, norm bool) string {
	const hex = "0123456789abcdef"
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hex[c>>4], hex[c&15])
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// The escapers for a value of another type: html/template's stringify
// first, then what each does with the kind of content found.

func escHTMLAny(v any) string {
	s, ct := stringify(v)
	if ct == contentHTML {
		return s
	}
	return escHTML(s)
}

func escRCDATAAny(v any) string {
	s, ct := stringify(v)
	if ct == contentHTML {
		return replaceHTML(s, &htmlNormTable)
	}
	return escRCDATA(s)
}

func escAttrAny(v any) string {
	s, ct := stringify(v)
	if ct == contentHTML {
		// Safe HTML in an attribute loses its tags, which takes
		// html/template's own HTML parser: asked of it directly.
		var b strings.Builder
		if err := attrProbe.Execute(&b, template.HTML(s)); err != nil {
			return ""
		}
		out := b.String()
		return out[len(attrProbePrefix) : len(out)-len(attrProbeSuffix)]
	}
	return escAttr(s)
}

const attrProbePrefix, attrProbeSuffix = `<a title="`, `">`

var attrProbe = template.Must(template.New("").Parse(attrProbePrefix + "{{.}}" + attrProbeSuffix))

func escURLFilterAny(v any) string {
	s, ct := stringify(v)
	if ct == contentURL {
		return s
	}
	return escURLFilter(s)
}

func escURLAny(v any) string {
	s, ct := stringify(v)
	return processURL(s, ct == contentURL)
}

func escURLNormAny(v any) string {
	s, _ := stringify(v)
	return processURL(s, true)
}

type contentKind int

const (
	contentPlain contentKind = iota
	contentHTML
	contentURL
	contentOther // CSS, an attribute, JS, a srcset: escaped as plain text here
)

// stringify is html/template's: the text of a value and the kind of
// content its type declares.
func stringify(v any) (string, contentKind) {
	switch s := indirectValue(v).(type) {
	case string:
		return s, contentPlain
	case template.HTML:
		return string(s), contentHTML
	case template.URL:
		return string(s), contentURL
	case template.CSS:
		return string(s), contentOther
	case template.HTMLAttr:
		return string(s), contentOther
	case template.JS:
		return string(s), contentOther
	case template.JSStr:
		return string(s), contentOther
	case template.Srcset:
		return string(s), contentOther
	}
	if v == nil {
		return "", contentPlain
	}
	return fmt.Sprint(indirectToStringer(v)), contentPlain
}

// indirectValue follows pointers to the value they point at.
func indirectValue(a any) any {
	if a == nil {
		return nil
	}
	if t := reflect.TypeOf(a); t.Kind() != reflect.Pointer {
		return a
	}
	r := reflect.ValueOf(a)
	for r.Kind() == reflect.Pointer && !r.IsNil() {
		r = r.Elem()
	}
	return r.Interface()
}

var (
	stringerType = reflect.TypeFor[fmt.Stringer]()
)

// indirectToStringer follows pointers until a fmt.Stringer or an error.
func indirectToStringer(a any) any {
	r := reflect.ValueOf(a)
	for !r.Type().Implements(stringerType) && !r.Type().Implements(errorType) && r.Kind() == reflect.Pointer && !r.IsNil() {
		r = r.Elem()
	}
	return r.Interface()
}
