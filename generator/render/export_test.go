package render

import (
	"html/template"
	"reflect"
	"strings"
)

// Interpreted is t with every page left to html/template, for the tests
// that hold the compiled theme to it.
func Interpreted(t *Templates) *Templates {
	c := *t
	c.compiled = nil
	return &c
}

// CompiledPages are the page templates t runs compiled.
func CompiledPages(t *Templates) []string {
	var out []string
	for n := range t.compiled {
		out = append(out, n)
	}
	return out
}

// EscapeContexts are the places the theme prints values into, each with
// the template text around the value.
var EscapeContexts = []string{"text", "attr", "rcdata", "href", "fragment", "query"}

var escapeProbes = map[string][2]string{
	"text":     {"<p>", "</p>"},
	"attr":     {`<p title="`, `">`},
	"rcdata":   {"<title>", "</title>"},
	"href":     {`<a href="`, `">`},
	"fragment": {`<a href="#`, `">`},
	"query":    {`<a href="?q=`, `">`},
}

// escapeChains are the escapers html/template puts in each context.
var escapeChains = map[string][]string{
	"text":     {"escHTML"},
	"attr":     {"escAttr"},
	"rcdata":   {"escRCDATA"},
	"href":     {"escURLFilter", "escURLNorm", "escAttr"},
	"fragment": {"escURL", "escAttr"},
	"query":    {"escURL", "escAttr"},
}

// EscapeByLibrary is what html/template prints for v in a context.
func EscapeByLibrary(ctx string, v any) (string, error) {
	p := escapeProbes[ctx]
	t, err := template.New("").Parse(p[0] + "{{.}}" + p[1])
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return "", err
	}
	out := b.String()
	return out[len(p[0]) : len(out)-len(p[1])], nil
}

// EscapeCompiled is what the compiled pages print for v in a context,
// choosing the escapers' versions as compile.go does by the value's type.
func EscapeCompiled(ctx string, v any) string {
	plain := map[string]func(string) string{"escHTML": escHTML, "escAttr": escAttr, "escRCDATA": escRCDATA,
		"escURLFilter": escURLFilter, "escURLNorm": escURLNorm, "escURL": escURL}
	anyOf := map[string]func(any) string{"escHTML": escHTMLAny, "escAttr": escAttrAny, "escRCDATA": escRCDATAAny,
		"escURLFilter": escURLFilterAny, "escURLNorm": escURLNormAny, "escURL": escURLAny}
	chain := escapeChains[ctx]
	var s string
	rv := reflect.ValueOf(v)
	switch x := v.(type) {
	case string:
		s = plain[chain[0]](x)
	case template.HTML:
		if chain[0] == "escHTML" {
			s = string(x)
		} else {
			s = anyOf[chain[0]](x)
		}
	default:
		if t := rv.Type(); t.Kind() == reflect.String && !contentTypes[t] && !t.Implements(stringerIface) {
			s = plain[chain[0]](rv.String())
		} else {
			s = anyOf[chain[0]](v)
		}
	}
	for _, e := range chain[1:] {
		s = plain[e](s)
	}
	return s
}
