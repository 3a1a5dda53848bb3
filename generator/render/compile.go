package render

//go:generate go run ./internal/gentheme

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/format"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	texttemplate "text/template"
	"text/template/parse"
)

// The built-in theme's pages are also compiled to Go (theme_gen.go), made
// from the templates by GenerateTheme through `go generate`: the templates
// stay the one description of every page, and the generated code is
// rebuilt from them, never edited. A page whose template set is the
// built-in one runs the compiled function; any other (a site's own
// templates, or a theme edited without regenerating, which
// TestThemeGenerated reports) runs html/template as before.
//
// Why: text/template evaluates every action by reflection (method lookup
// by name, reflect.Value.Call, an allocation per value), which cost 60% of
// a 10,000-document build. The compiled pages run the same calls in the
// same order, statically typed. At 10,000 documents (sitegen -n 10000)
// this takes a build from 3.46 s to 1.52 s of wall time and its CPU from
// 6.3 s to 2.5 s, with the same bytes (/usr/bin/time on an idle 2-core
// machine, alternating runs, medians of 3; html/template alone is what a
// binary built without theme_gen.go does).
//
// What the compiled code must match, and how it is held to it:
//   - html/template's escaping: the compiler works on the escaped parse
//     trees, so the escapers are the ones html/template chose; their Go
//     implementations (escape.go) are held to html/template's by
//     FuzzEscapers.
//   - text/template's evaluation: the same methods and functions are
//     called in the same order, with its truth, comparison and range
//     rules; TestCompiledMatches renders whole sites both ways and
//     compares every byte and every recorded dependency.
//   - errors: a compiled page that fails or panics is rendered again by
//     html/template, whose error (with its template position) is the one
//     reported.
//
// The compiler handles what the theme uses. A page template it cannot
// compile (a construct it does not know, a value whose type is known only
// when the page runs) stays with html/template, and GenerateTheme lists
// it at the top of the generated file.

// themeHash is the identity of a theme's template sources: the compiled
// pages are used only for the sources they were generated from.
func themeHash(builtin fs.FS) (string, error) {
	entries, err := fs.ReadDir(builtin, ".")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		b, err := fs.ReadFile(builtin, e.Name())
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// GenerateTheme returns the Go source of the compiled pages of the theme
// in builtin (see theme_gen.go).
func GenerateTheme(builtin fs.FS) ([]byte, error) {
	hash, err := themeHash(builtin)
	if err != nil {
		return nil, err
	}
	t, ds := LoadTemplates(builtin, nil)
	if len(ds) > 0 {
		return nil, fmt.Errorf("the theme does not load: %v", ds[0])
	}
	g := &gen{fnNames: map[string]string{}, funcVars: map[string]reflect.Type{}, imports: map[string]string{}, helpers: map[string]bool{}}
	var names []string
	for n := range t.pages {
		names = append(names, n)
	}
	slices.Sort(names)
	pages := map[string]string{}
	var skipped []string
	for _, n := range names {
		set := t.pages[n]
		// Executing escapes a template and what it calls; the nil page
		// then stops it at its first field. The memoised partials are
		// executed on their own, as the interpreter does (memo.go).
		_ = set.ExecuteTemplate(io.Discard, "layout", nil)
		for m := range memoNames {
			if set.Lookup(m) != nil {
				_ = set.ExecuteTemplate(io.Discard, m, nil)
			}
		}
		mark := len(g.fns)
		g.data = viewDataType(n)
		fn, err := g.page(set)
		if err != nil {
			g.fns = g.fns[:mark]
			for k, v := range g.fnNames {
				if !slices.ContainsFunc(g.fns, func(f genFn) bool { return f.name == v }) {
					delete(g.fnNames, k)
				}
			}
			skipped = append(skipped, fmt.Sprintf("%s: %v", n, err))
			continue
		}
		pages[n] = fn
	}
	return g.file(hash, pages, skipped)
}

// pageBlocks are the templates each page template defines for the
// layout to call: the layout is compiled once, and called with the
// page's own as arguments.
var pageBlocks = []string{"main", "head"}

// page compiles a page template's set, and returns the Go expression of
// the function that renders the page.
func (g *gen) page(set *template.Template) (string, error) {
	page := reflect.TypeFor[*Page]()
	layout, err := g.template(set, "layout", page)
	if err != nil {
		return "", err
	}
	args := []string{"w", "p"}
	for _, b := range pageBlocks {
		fn, err := g.template(set, b, page)
		if err != nil {
			return "", err
		}
		args = append(args, fn)
	}
	return fmt.Sprintf("func(w *bytes.Buffer, p *Page) error { return %s(%s) }", layout, strings.Join(args, ", ")), nil
}

// gen compiles the templates of a theme.
type gen struct {
	fns      []genFn
	fnNames  map[string]string       // by closure key and dot type
	funcVars map[string]reflect.Type // the template functions used, by name
	imports  map[string]string       // package path → name
	// helpers are the runtime helpers the code uses that not every
	// theme needs (helperSource), written into the file.
	helpers map[string]bool
	// data is the type of .Data on the page template being compiled
	// (a view's, viewDataType), nil where .Data is unset.
	data reflect.Type
}

type genFn struct {
	name, code string
}

// closureKey identifies what a template does: its tree and those of every
// template it calls, so that the same partial in two page sets is
// compiled once, and "main" (different in each) is not shared.
//
// It also reports whether the templates read .Data anywhere, whose type
// is then part of what the compiled function is.
func closureKey(set *template.Template, name string) (string, bool) {
	seen := map[string]bool{}
	readsData := false
	var order []string
	var visit func(string)
	visit = func(n string) {
		if seen[n] || name == "layout" && slices.Contains(pageBlocks, n) {
			return
		}
		seen[n] = true
		order = append(order, n)
		tree := escapedTree(set, n)
		if tree == nil {
			return
		}
		walkNodes(tree.Root, func(x parse.Node) {
			switch x := x.(type) {
			case *parse.FieldNode:
				readsData = readsData || slices.Contains(x.Ident, "Data")
			case *parse.VariableNode:
				readsData = readsData || slices.Contains(x.Ident, "Data")
			case *parse.ChainNode:
				readsData = readsData || slices.Contains(x.Field, "Data")
			case *parse.TemplateNode:
				visit(x.Name)
			case *parse.CommandNode:
				if len(x.Args) > 1 {
					if id, ok := x.Args[0].(*parse.IdentifierNode); ok && id.Ident == "_memo" {
						if s, ok := x.Args[1].(*parse.StringNode); ok {
							visit(s.Text)
						}
					}
				}
			}
		})
	}
	visit(name)
	slices.Sort(order)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", name)
	for _, n := range order {
		fmt.Fprintf(h, "%s\x00", n)
		if tree := escapedTree(set, n); tree != nil {
			io.WriteString(h, tree.Root.String())
		}
		io.WriteString(h, "\x00")
	}
	return hex.EncodeToString(h.Sum(nil))[:12], readsData
}

// escapedTree is the parse tree of a template of set, escaped. A partial
// called where HTML is not text (<li {{template "attrs" .}}>) is escaped
// as a copy named for that context ("attrs$htmltemplate_stateTag"),
// which html/template keeps in its text/template alone: that one is read
// there, the generator being the one place that needs it.
func escapedTree(set *template.Template, name string) *parse.Tree {
	if t := set.Lookup(name); t != nil {
		return t.Tree
	}
	text := (*texttemplate.Template)(reflect.ValueOf(set).Elem().FieldByName("text").UnsafePointer())
	if t := text.Lookup(name); t != nil {
		return t.Tree
	}
	return nil
}

// walkNodes calls f on every node of a tree, pipelines included.
func walkNodes(n parse.Node, f func(parse.Node)) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	f(n)
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			walkNodes(c, f)
		}
	case *parse.ActionNode:
		walkNodes(n.Pipe, f)
	case *parse.IfNode:
		walkNodes(n.Pipe, f)
		walkNodes(n.List, f)
		walkNodes(n.ElseList, f)
	case *parse.RangeNode:
		walkNodes(n.Pipe, f)
		walkNodes(n.List, f)
		walkNodes(n.ElseList, f)
	case *parse.WithNode:
		walkNodes(n.Pipe, f)
		walkNodes(n.List, f)
		walkNodes(n.ElseList, f)
	case *parse.TemplateNode:
		walkNodes(n.Pipe, f)
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			walkNodes(c, f)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkNodes(a, f)
		}
	case *parse.ChainNode:
		walkNodes(n.Node, f)
	}
}

func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// template compiles the named template of set for a dot of type dot, and
// returns its Go function's name.
func (g *gen) template(set *template.Template, name string, dot reflect.Type) (string, error) {
	ck, readsData := closureKey(set, name)
	key := ck + " " + dot.String()
	if readsData {
		key += " " + fmt.Sprint(g.data)
	}
	if fn, ok := g.fnNames[key]; ok {
		return fn, nil
	}
	tree := escapedTree(set, name)
	if tree == nil {
		return "", fmt.Errorf("no template %q", name)
	}
	base := name
	if i := strings.IndexByte(base, '$'); i >= 0 {
		base = base[:i] + "_ctx"
	}
	fn := fmt.Sprintf("tpl_%s_%s", sanitize(base), ck[:8])
	for i := 2; slices.ContainsFunc(g.fns, func(f genFn) bool { return f.name == fn }); i++ {
		fn = fmt.Sprintf("tpl_%s_%s_%d", sanitize(base), ck[:8], i)
	}
	g.fnNames[key] = fn
	idx := len(g.fns)
	g.fns = append(g.fns, genFn{name: fn}) // reserved, for recursion
	c := &fnc{g: g, set: set, name: name}
	c.scopes = []map[string]val{{"$": {"dot", dot}}}
	if err := c.list(tree.Root, val{"dot", dot}); err != nil {
		delete(g.fnNames, key)
		return "", fmt.Errorf("template %q: %w", name, err)
	}
	var b strings.Builder
	params := ""
	if name == "layout" {
		for _, p := range pageBlocks {
			params += ", " + p + " func(*bytes.Buffer, *Page) error"
		}
	}
	fmt.Fprintf(&b, "// %s is the template %q.\nfunc %s(w *bytes.Buffer, dot %s%s) error {\n_ = dot\n", fn, name, fn, g.typ(dot), params)
	b.WriteString(c.b.String())
	b.WriteString("return nil\n}\n")
	g.fns[idx].code = b.String()
	return fn, nil
}

// typ spells a type in the generated file, importing its package.
func (g *gen) typ(t reflect.Type) string {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name()
		}
		if t.PkgPath() == reflect.TypeFor[Page]().PkgPath() {
			return t.Name()
		}
		pkg := t.PkgPath()
		nm := pkg[strings.LastIndexByte(pkg, '/')+1:]
		if pkg == "html/template" {
			nm = "template"
		}
		g.imports[pkg] = nm
		return nm + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + g.typ(t.Elem())
	case reflect.Slice:
		return "[]" + g.typ(t.Elem())
	case reflect.Array:
		return fmt.Sprintf("[%d]%s", t.Len(), g.typ(t.Elem()))
	case reflect.Map:
		return "map[" + g.typ(t.Key()) + "]" + g.typ(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any"
		}
	case reflect.Func:
		var in, out []string
		for i := range t.NumIn() {
			s := g.typ(t.In(i))
			if t.IsVariadic() && i == t.NumIn()-1 {
				s = "..." + g.typ(t.In(i).Elem())
			}
			in = append(in, s)
		}
		for i := range t.NumOut() {
			out = append(out, g.typ(t.Out(i)))
		}
		s := "func(" + strings.Join(in, ", ") + ")"
		switch len(out) {
		case 0:
		case 1:
			s += " " + out[0]
		default:
			s += " (" + strings.Join(out, ", ") + ")"
		}
		return s
	}
	return t.String()
}

// file is the generated source.
func (g *gen) file(hash string, pages map[string]string, skipped []string) ([]byte, error) {
	var body strings.Builder
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	slices.Sort(names)
	body.WriteString("func init() {\n\tcompiledTheme = &themeCode{\n\t\thash: " + strconv.Quote(hash) + ",\n\t\tbind: bindThemeFuncs,\n\t\tpages: map[string]func(*bytes.Buffer, *Page) error{\n")
	for _, n := range names {
		fmt.Fprintf(&body, "\t\t\t%q: %s,\n", n, pages[n])
	}
	body.WriteString("\t\t},\n\t}\n}\n\n")
	var fnames []string
	for n := range g.funcVars {
		fnames = append(fnames, n)
	}
	slices.Sort(fnames)
	body.WriteString("// The template functions the pages call, bound from funcs when first used.\nvar (\n")
	for _, n := range fnames {
		fmt.Fprintf(&body, "\tfn_%s %s\n", sanitize(n), g.typ(g.funcVars[n]))
	}
	body.WriteString(")\n\n// bindThemeFuncs binds them, or reports that a function changed since the code was generated.\nfunc bindThemeFuncs() bool {\n\tok := true\n")
	for _, n := range fnames {
		fmt.Fprintf(&body, "\tfn_%s, ok = funcs[%q].(%s)\n\tif !ok {\n\t\treturn false\n\t}\n", sanitize(n), n, g.typ(g.funcVars[n]))
	}
	body.WriteString("\treturn ok\n}\n\n")
	for _, f := range g.fns {
		body.WriteString(f.code)
		body.WriteString("\n")
	}
	for _, h := range slices.Sorted(maps.Keys(g.helpers)) {
		body.WriteString(helperSource[h].code)
		for _, p := range helperSource[h].imports {
			g.imports[p] = p
		}
	}

	var b strings.Builder
	b.WriteString("// Code generated by go generate (GenerateTheme, from templates/*.html); DO NOT EDIT.\n\n")
	if len(skipped) > 0 {
		b.WriteString("// Left to html/template:\n")
		for _, s := range skipped {
			b.WriteString("//   - " + s + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("package render\n\nimport (\n\t\"bytes\"\n")
	var paths []string
	for p := range g.imports {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	b.WriteString(")\n\n")
	b.WriteString(body.String())
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		return []byte(b.String()), fmt.Errorf("formatting the generated code: %w", err)
	}
	return src, nil
}

// helperSource are the helpers of the generated code that only some
// themes need: text/template's order for ranging over a map, and its
// error for a missing key (the page is then rendered by html/template,
// which says which).
var helperSource = map[string]struct {
	code    string
	imports []string
}{
	"errMissingKey": {code: "var errMissingKey = errors.New(\"map has no entry for the key\")\n", imports: []string{"errors"}},
	"sortedKeys": {code: `// sortedKeys are a map's keys in the order text/template ranges over them.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
`, imports: []string{"slices"}},
}

// val is a value in the generated code: a Go expression without side
// effects (a variable or a constant) and its static type.
type val struct {
	expr string
	typ  reflect.Type
}

// fnc compiles one template's body.
type fnc struct {
	g      *gen
	set    *template.Template
	name   string
	b      strings.Builder
	tmp    int
	scopes []map[string]val // template variables, innermost last
	loops  int
}

var (
	errorType  = reflect.TypeFor[error]()
	anyType    = reflect.TypeFor[any]()
	stringType = reflect.TypeFor[string]()
	intType    = reflect.TypeFor[int]()
	boolType   = reflect.TypeFor[bool]()
	htmlType   = reflect.TypeFor[template.HTML]()
)

func (c *fnc) printf(format string, args ...any) { fmt.Fprintf(&c.b, format, args...) }

func (c *fnc) newVar() string {
	c.tmp++
	return fmt.Sprintf("v%d", c.tmp)
}

// bind assigns an expression to a new variable.
func (c *fnc) bind(expr string, t reflect.Type) val {
	v := c.newVar()
	c.printf("%s := %s\n_ = %s\n", v, expr, v)
	return val{v, t}
}

func (c *fnc) lookupVar(name string) (val, bool) {
	for i := len(c.scopes) - 1; i >= 0; i-- {
		if v, ok := c.scopes[i][name]; ok {
			return v, true
		}
	}
	return val{}, false
}

func (c *fnc) push() { c.scopes = append(c.scopes, map[string]val{}) }
func (c *fnc) pop()  { c.scopes = c.scopes[:len(c.scopes)-1] }

func (c *fnc) list(l *parse.ListNode, dot val) error {
	if l == nil {
		return nil
	}
	for _, n := range l.Nodes {
		if err := c.node(n, dot); err != nil {
			return err
		}
	}
	return nil
}

func (c *fnc) node(n parse.Node, dot val) error {
	switch n := n.(type) {
	case *parse.TextNode:
		if len(n.Text) > 0 {
			c.printf("w.WriteString(%s)\n", strconv.Quote(string(n.Text)))
		}
	case *parse.CommentNode:
	case *parse.ActionNode:
		v, err := c.pipe(n.Pipe, dot)
		if err != nil {
			return err
		}
		if len(n.Pipe.Decl) > 0 {
			return nil
		}
		if v.typ != stringType {
			return fmt.Errorf("line %d: an action prints a %s, not an escaped string", n.Line, v.typ)
		}
		c.printf("w.WriteString(%s)\n", v.expr)
	case *parse.IfNode:
		return c.branch(&n.BranchNode, dot, false)
	case *parse.WithNode:
		return c.branch(&n.BranchNode, dot, true)
	case *parse.RangeNode:
		return c.rangeNode(n, dot)
	case *parse.TemplateNode:
		arg := val{"nil", nil}
		if n.Pipe != nil {
			v, err := c.pipe(n.Pipe, dot)
			if err != nil {
				return err
			}
			arg = v
		}
		if arg.typ == nil {
			return fmt.Errorf("line %d: {{template %q}} without a value", n.Line, n.Name)
		}
		var fn string
		if c.name == "layout" && slices.Contains(pageBlocks, n.Name) {
			if arg.typ != reflect.TypeFor[*Page]() {
				return fmt.Errorf("line %d: {{template %q}} called with a %s, not the page", n.Line, n.Name, arg.typ)
			}
			fn = n.Name // a parameter of the layout's function
		} else {
			var err error
			if fn, err = c.g.template(c.set, n.Name, arg.typ); err != nil {
				return err
			}
		}
		c.printf("if err := %s(w, %s); err != nil {\nreturn err\n}\n", fn, arg.expr)
	case *parse.BreakNode:
		c.printf("break\n")
	case *parse.ContinueNode:
		c.printf("continue\n")
	default:
		return fmt.Errorf("unsupported node %T", n)
	}
	return nil
}

// branch compiles an if, or a with (which sets dot to the value).
func (c *fnc) branch(n *parse.BranchNode, dot val, with bool) error {
	c.printf("{\n")
	c.push()
	v, err := c.pipe(n.Pipe, dot)
	if err != nil {
		return err
	}
	cond, err := c.truth(v)
	if err != nil {
		return err
	}
	inner := dot
	if with {
		inner = v
	}
	c.printf("if %s {\n", cond)
	if err := c.block(n.List, inner); err != nil {
		return err
	}
	if n.ElseList != nil {
		c.printf("} else {\n")
		if err := c.block(n.ElseList, dot); err != nil {
			return err
		}
	}
	c.printf("}\n")
	c.pop()
	c.printf("}\n")
	return nil
}

func (c *fnc) block(l *parse.ListNode, dot val) error {
	c.push()
	defer c.pop()
	return c.list(l, dot)
}

func (c *fnc) rangeNode(n *parse.RangeNode, dot val) error {
	c.printf("{\n")
	c.push()
	defer func() { c.pop(); c.printf("}\n") }()
	decl := n.Pipe.Decl
	n.Pipe.Decl = nil // the range declares them itself
	v, err := c.pipe(n.Pipe, dot)
	n.Pipe.Decl = decl
	if err != nil {
		return err
	}
	t := v.typ
	var keyT, elemT reflect.Type
	var loop string
	k, e := c.newVar(), c.newVar()
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		keyT, elemT = intType, t.Elem()
		loop = fmt.Sprintf("for %s, %s := range %s {\n", k, e, v.expr)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return fmt.Errorf("line %d: range over a map keyed by %s", n.Line, t.Key())
		}
		keyT, elemT = t.Key(), t.Elem()
		c.g.helpers["sortedKeys"] = true
		loop = fmt.Sprintf("for _, %s := range sortedKeys(%s) {\n%s := %s[%s]\n", k, v.expr, e, v.expr, k)
	case reflect.Int:
		keyT, elemT = t, t
		loop = fmt.Sprintf("for %s := range %s {\n%s := %s\n", k, v.expr, e, k)
	default:
		return fmt.Errorf("line %d: range over %s", n.Line, t)
	}
	if t.Kind() == reflect.Int {
		c.printf("if %s > 0 {\n", v.expr)
	} else {
		c.printf("if len(%s) > 0 {\n", v.expr)
	}
	c.printf("%s", loop)
	c.printf("_, _ = %s, %s\n", k, e)
	c.push()
	switch len(decl) {
	case 1:
		c.scopes[len(c.scopes)-1][decl[0].Ident[0]] = val{e, elemT}
	case 2:
		c.scopes[len(c.scopes)-1][decl[0].Ident[0]] = val{k, keyT}
		c.scopes[len(c.scopes)-1][decl[1].Ident[0]] = val{e, elemT}
	}
	c.loops++
	err = c.list(n.List, val{e, elemT})
	c.loops--
	c.pop()
	if err != nil {
		return err
	}
	c.printf("}\n")
	if n.ElseList != nil {
		c.printf("} else {\n")
		if err := c.block(n.ElseList, dot); err != nil {
			return err
		}
	}
	c.printf("}\n")
	return nil
}

// pipe compiles a pipeline, declaring or assigning its variables.
func (c *fnc) pipe(p *parse.PipeNode, dot val) (val, error) {
	if p == nil {
		return val{"nil", nil}, nil
	}
	var last *val
	for _, cmd := range p.Cmds {
		v, err := c.command(cmd, dot, last)
		if err != nil {
			return val{}, err
		}
		last = &v
	}
	for _, d := range p.Decl {
		name := d.Ident[0]
		if p.IsAssign {
			old, ok := c.lookupVar(name)
			if !ok {
				return val{}, fmt.Errorf("line %d: undefined variable %s", p.Line, name)
			}
			if old.typ != last.typ {
				return val{}, fmt.Errorf("line %d: %s is assigned a %s, declared %s", p.Line, name, last.typ, old.typ)
			}
			c.printf("%s = %s\n", old.expr, last.expr)
			continue
		}
		v := c.bind(last.expr, last.typ)
		c.scopes[len(c.scopes)-1][name] = v
	}
	return *last, nil
}

// command compiles one command of a pipeline; final is the value of the
// command before it, passed as the last argument.
func (c *fnc) command(cmd *parse.CommandNode, dot val, final *val) (val, error) {
	first := cmd.Args[0]
	args := cmd.Args[1:]
	switch n := first.(type) {
	case *parse.FieldNode:
		return c.chain(dot, n.Ident, args, final, dot)
	case *parse.ChainNode:
		v, err := c.operand(n.Node, dot)
		if err != nil {
			return val{}, err
		}
		return c.chain(v, n.Field, args, final, dot)
	case *parse.VariableNode:
		v, ok := c.lookupVar(n.Ident[0])
		if !ok {
			return val{}, fmt.Errorf("undefined variable %s", n.Ident[0])
		}
		if len(n.Ident) == 1 {
			if len(args) > 0 || final != nil {
				return val{}, fmt.Errorf("variable %s given arguments", n.Ident[0])
			}
			return v, nil
		}
		return c.chain(v, n.Ident[1:], args, final, dot)
	case *parse.IdentifierNode:
		return c.call(n.Ident, args, dot, final)
	}
	if len(args) > 0 || final != nil {
		return val{}, fmt.Errorf("%s given arguments", first)
	}
	return c.operand(first, dot)
}

// operand compiles a node used as a value.
func (c *fnc) operand(n parse.Node, dot val) (val, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot, nil
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			return val{}, fmt.Errorf("line %d: a variable declared in parentheses", n.Line)
		}
		return c.pipe(n, dot)
	case *parse.FieldNode:
		return c.chain(dot, n.Ident, nil, nil, dot)
	case *parse.VariableNode:
		v, ok := c.lookupVar(n.Ident[0])
		if !ok {
			return val{}, fmt.Errorf("undefined variable %s", n.Ident[0])
		}
		if len(n.Ident) == 1 {
			return v, nil
		}
		return c.chain(v, n.Ident[1:], nil, nil, dot)
	case *parse.ChainNode:
		v, err := c.operand(n.Node, dot)
		if err != nil {
			return val{}, err
		}
		return c.chain(v, n.Field, nil, nil, dot)
	case *parse.StringNode:
		return val{strconv.Quote(n.Text), stringType}, nil
	case *parse.BoolNode:
		return val{strconv.FormatBool(n.True), boolType}, nil
	case *parse.NumberNode:
		if n.IsInt {
			return val{strconv.FormatInt(n.Int64, 10), intType}, nil
		}
		return val{}, fmt.Errorf("non-integer constant %s", n.Text)
	case *parse.IdentifierNode:
		return c.call(n.Ident, nil, dot, nil)
	}
	return val{}, fmt.Errorf("unsupported operand %s (%T)", n, n)
}

// chain compiles .A.B.C on a value: each step a method call or a field
// (or a map's key), as text/template's evalField finds it; args and final
// go to the last step.
func (c *fnc) chain(recv val, idents []string, args []parse.Node, final *val, dot val) (val, error) {
	v := recv
	for i, id := range idents {
		var a []parse.Node
		var f *val
		if i == len(idents)-1 {
			a, f = args, final
		}
		next, err := c.field(v, id, a, f, dot)
		if err != nil {
			return val{}, err
		}
		v = next
	}
	return v, nil
}

func (c *fnc) field(recv val, name string, args []parse.Node, final *val, dot val) (val, error) {
	t := recv.typ
	if t == nil || t.Kind() == reflect.Interface {
		return val{}, fmt.Errorf(".%s of a value whose type is known only when the page runs (%v)", name, t)
	}
	if m, ok := t.MethodByName(name); ok {
		return c.callFunc(recv.expr+"."+name, m.Type, 1, args, final, &dot)
	}
	if t == reflect.TypeFor[*Page]() && name == "Data" && c.g.data != nil && len(args) == 0 && final == nil {
		// A view's data, of the type its row in the views table gives.
		v := c.newVar()
		c.printf("%s, ok := %s.Data.(%s)\nif !ok {\nreturn errWrongType\n}\n", v, recv.expr, c.g.typ(c.g.data))
		return val{v, c.g.data}, nil
	}
	if t.Kind() == reflect.Struct {
		if pm, ok := reflect.PointerTo(t).MethodByName(name); ok && pm.Name == name {
			return val{}, fmt.Errorf("method %s of *%s called on a %s", name, t, t)
		}
	}
	hasArgs := len(args) > 0 || final != nil
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	switch st.Kind() {
	case reflect.Struct:
		sf, ok := st.FieldByName(name)
		if !ok || !sf.IsExported() {
			return val{}, fmt.Errorf("%s has no field or method %s", t, name)
		}
		if hasArgs {
			return val{}, fmt.Errorf("%s has arguments but is a field", name)
		}
		return c.bind(recv.expr+"."+name, sf.Type), nil
	case reflect.Map:
		if t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && !hasArgs {
			v := c.newVar()
			c.g.helpers["errMissingKey"] = true
			c.printf("%s, ok := %s[%s]\nif !ok {\nreturn errMissingKey\n}\n", v, recv.expr, strconv.Quote(name))
			return val{v, t.Elem()}, nil
		}
	}
	return val{}, fmt.Errorf("can't compile .%s of %s", name, t)
}

// callFunc compiles a call of a function or method of type ft, whose
// first skip parameters are bound (a method's receiver).
func (c *fnc) callFunc(callee string, ft reflect.Type, skip int, args []parse.Node, final *val, dot *val) (val, error) {
	nin := ft.NumIn() - skip
	nargs := len(args)
	if final != nil {
		nargs++
	}
	if ft.IsVariadic() {
		if nargs < nin-1 {
			return val{}, fmt.Errorf("%s wants at least %d arguments, has %d", callee, nin-1, nargs)
		}
	} else if nargs != nin {
		return val{}, fmt.Errorf("%s wants %d arguments, has %d", callee, nin, nargs)
	}
	paramType := func(i int) reflect.Type {
		if ft.IsVariadic() && i >= nin-1 {
			return ft.In(ft.NumIn() - 1).Elem()
		}
		return ft.In(i + skip)
	}
	var exprs []string
	for i, a := range args {
		e, err := c.arg(a, paramType(i), dot)
		if err != nil {
			return val{}, err
		}
		exprs = append(exprs, e)
	}
	if final != nil {
		e, err := c.convert(*final, paramType(nargs-1))
		if err != nil {
			return val{}, err
		}
		exprs = append(exprs, e)
	}
	call := callee + "(" + strings.Join(exprs, ", ") + ")"
	switch {
	case ft.NumOut() == 1:
		return c.bind(call, ft.Out(0)), nil
	case ft.NumOut() == 2 && ft.Out(1) == errorType:
		v := c.newVar()
		c.printf("%s, err := %s\nif err != nil {\nreturn err\n}\n", v, call)
		return val{v, ft.Out(0)}, nil
	}
	return val{}, fmt.Errorf("%s returns %d values", callee, ft.NumOut())
}

// arg compiles an argument for a parameter of type pt: a constant is
// typed by the parameter, as text/template's evalArg does.
func (c *fnc) arg(n parse.Node, pt reflect.Type, dot *val) (string, error) {
	switch n := n.(type) {
	case *parse.StringNode:
		if pt.Kind() == reflect.String || pt == anyType {
			if pt.Kind() == reflect.String && pt != stringType {
				return c.g.typ(pt) + "(" + strconv.Quote(n.Text) + ")", nil
			}
			return strconv.Quote(n.Text), nil
		}
	case *parse.NumberNode:
		switch {
		case n.IsInt && (pt.Kind() >= reflect.Int && pt.Kind() <= reflect.Int64 || pt == anyType):
			return strconv.FormatInt(n.Int64, 10), nil
		case n.IsFloat && (pt.Kind() == reflect.Float64 || pt.Kind() == reflect.Float32):
			return n.Text, nil
		}
	case *parse.BoolNode:
		if pt.Kind() == reflect.Bool || pt == anyType {
			return strconv.FormatBool(n.True), nil
		}
	case *parse.NilNode:
		switch pt.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map, reflect.Func, reflect.Chan:
			return "nil", nil
		}
	default:
		v, err := c.operand(n, *dot)
		if err != nil {
			return "", err
		}
		return c.convert(v, pt)
	}
	return "", fmt.Errorf("constant %s for a %s", n, pt)
}

// convert passes a value to a parameter of type pt.
func (c *fnc) convert(v val, pt reflect.Type) (string, error) {
	if v.typ == nil {
		return "", fmt.Errorf("nil for a %s", pt)
	}
	if v.typ.AssignableTo(pt) {
		return v.expr, nil
	}
	if v.typ.Kind() == reflect.Interface {
		x := c.newVar()
		c.printf("%s, ok := %s.(%s)\nif !ok {\nreturn errWrongType\n}\n", x, v.expr, c.g.typ(pt))
		return x, nil
	}
	return "", fmt.Errorf("a %s for a %s", v.typ, pt)
}

// truth is text/template's isTrue of a value, as a Go condition.
func (c *fnc) truth(v val) (string, error) {
	t := v.typ
	switch t.Kind() {
	case reflect.Bool:
		return v.expr, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return v.expr + " != 0", nil
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return "len(" + v.expr + ") > 0", nil
	case reflect.Pointer, reflect.Func, reflect.Chan:
		return v.expr + " != nil", nil
	case reflect.Struct:
		return "true", nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "truthOf(" + v.expr + ")", nil
		}
		return v.expr + " != nil", nil
	}
	return "", fmt.Errorf("the truth of a %s", t)
}

// basic is text/template's basicKind, for comparisons.
func basic(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "int64"
	case reflect.Float32, reflect.Float64:
		return "float64"
	case reflect.String:
		return "string"
	}
	return ""
}

// escapers are html/template's escaping functions found in escaped trees,
// by the Go function of escape.go that does each for a string.
var escapers = map[string]string{
	"_html_template_htmlescaper":   "escHTML",
	"_html_template_attrescaper":   "escAttr",
	"_html_template_rcdataescaper": "escRCDATA",
	"_html_template_urlescaper":    "escURL",
	"_html_template_urlnormalizer": "escURLNorm",
	"_html_template_urlfilter":     "escURLFilter",
}

// call compiles a function call: a builtin, an escaper, a memoised
// partial, or one of funcs.
func (c *fnc) call(name string, args []parse.Node, dot val, final *val) (val, error) {
	// Every argument but the constants, evaluated in order.
	all := func() ([]val, error) {
		var vs []val
		for _, a := range args {
			v, err := c.operand(a, dot)
			if err != nil {
				return nil, err
			}
			vs = append(vs, v)
		}
		if final != nil {
			vs = append(vs, *final)
		}
		return vs, nil
	}
	if esc, ok := escapers[name]; ok {
		vs, err := all()
		if err != nil {
			return val{}, err
		}
		if len(vs) != 1 {
			return val{}, fmt.Errorf("%s with %d arguments", name, len(vs))
		}
		v := vs[0]
		switch {
		case v.typ == stringType:
			return c.bind(esc+"("+v.expr+")", stringType), nil
		case v.typ == intType:
			return c.bind("strconv.Itoa("+v.expr+")", stringType), c.imp("strconv")
		case v.typ == htmlType && esc == "escHTML":
			return c.bind("string("+v.expr+")", stringType), nil
		}
		// A value that is printed as it is written in Go: a named string
		// or integer without methods of its own for fmt. A Stringer is
		// printed by its String method, as fmt does.
		if s, ok := c.plainText(v); ok {
			return c.bind(esc+"("+s+")", stringType), nil
		}
		return c.bind(esc+"Any("+v.expr+")", stringType), nil
	}
	switch name {
	case "_memo":
		if len(args) != 2 || final != nil {
			return val{}, fmt.Errorf("_memo with %d arguments", len(args))
		}
		partial, ok := args[0].(*parse.StringNode)
		if !ok {
			return val{}, fmt.Errorf("_memo of %s", args[0])
		}
		v, err := c.operand(args[1], dot)
		if err != nil {
			return val{}, err
		}
		fn, err := c.g.template(c.set, partial.Text, v.typ)
		if err != nil {
			return val{}, err
		}
		// The interpreter keeps a memoised partial's output (memo.go);
		// compiled, writing it again costs about what looking it up did
		// (user CPU of a 10,000-document build within 2%), without the
		// cache's memory.
		c.printf("if err := %s(w, %s); err != nil {\nreturn err\n}\n", fn, v.expr)
		return val{`template.HTML("")`, htmlType}, nil
	case "and", "or":
		if final != nil || len(args) == 0 {
			return val{}, fmt.Errorf("%s in a pipeline", name)
		}
		r := c.newVar()
		// The result's type is the arguments' when they agree.
		first, err := c.operand(args[0], dot)
		if err != nil {
			return val{}, err
		}
		c.printf("var %s %s\n_ = %s\n", r, "any", r)
		rv := val{r, anyType}
		types := []reflect.Type{first.typ}
		c.printf("%s = %s\n", r, first.expr)
		opens := 0
		prev := first
		for _, a := range args[1:] {
			cond, err := c.truth(prev)
			if err != nil {
				return val{}, err
			}
			if name == "or" {
				cond = "!(" + cond + ")"
			}
			c.printf("if %s {\n", cond)
			opens++
			v, err := c.operand(a, dot)
			if err != nil {
				return val{}, err
			}
			types = append(types, v.typ)
			c.printf("%s = %s\n", r, v.expr)
			prev = v
		}
		c.printf("%s", strings.Repeat("}\n", opens))
		same := true
		for _, t := range types {
			if t != types[0] {
				same = false
			}
		}
		if same && types[0] == boolType {
			return c.bind(r+".(bool)", boolType), nil
		}
		return rv, nil
	case "not":
		vs, err := all()
		if err != nil {
			return val{}, err
		}
		if len(vs) != 1 {
			return val{}, fmt.Errorf("not with %d arguments", len(vs))
		}
		cond, err := c.truth(vs[0])
		if err != nil {
			return val{}, err
		}
		return c.bind("!("+cond+")", boolType), nil
	case "len":
		vs, err := all()
		if err != nil {
			return val{}, err
		}
		if len(vs) != 1 {
			return val{}, fmt.Errorf("len with %d arguments", len(vs))
		}
		switch vs[0].typ.Kind() {
		case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
			return c.bind("len("+vs[0].expr+")", intType), nil
		}
		return val{}, fmt.Errorf("len of %s", vs[0].typ)
	case "eq", "ne", "lt", "le", "gt", "ge":
		var vs []val
		for _, a := range args {
			if s, ok := a.(*parse.StringNode); ok {
				vs = append(vs, val{strconv.Quote(s.Text), stringType})
				continue
			}
			v, err := c.operand(a, dot)
			if err != nil {
				return val{}, err
			}
			vs = append(vs, v)
		}
		if final != nil {
			vs = append(vs, *final)
		}
		if len(vs) < 2 || name != "eq" && len(vs) != 2 {
			return val{}, fmt.Errorf("%s with %d arguments", name, len(vs))
		}
		k := basic(vs[0].typ)
		var terms []string
		for _, v := range vs[1:] {
			k2 := basic(v.typ)
			switch {
			case k != "" && k == k2:
				op := map[string]string{"eq": "==", "ne": "==", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[name]
				if k == "bool" && op != "==" {
					return val{}, fmt.Errorf("%s of booleans", name)
				}
				terms = append(terms, fmt.Sprintf("%s(%s) %s %s(%s)", k, vs[0].expr, op, k, v.expr))
			case k == "" && v.typ == vs[0].typ && v.typ.Kind() == reflect.Pointer && (name == "eq" || name == "ne"):
				terms = append(terms, vs[0].expr+" == "+v.expr)
			default:
				return val{}, fmt.Errorf("%s of %s and %s", name, vs[0].typ, v.typ)
			}
		}
		cond := strings.Join(terms, " || ")
		if name == "ne" {
			cond = "!(" + cond + ")"
		}
		return c.bind(cond, boolType), nil
	case "print", "printf", "println":
		vs, err := all()
		if err != nil {
			return val{}, err
		}
		var es []string
		for _, v := range vs {
			es = append(es, v.expr)
		}
		fn := map[string]string{"print": "fmt.Sprint", "printf": "fmt.Sprintf", "println": "fmt.Sprintln"}[name]
		if name == "printf" && (len(vs) == 0 || vs[0].typ != stringType) {
			return val{}, fmt.Errorf("printf without a format")
		}
		return c.bind(fn+"("+strings.Join(es, ", ")+")", stringType), c.imp("fmt")
	case "index":
		vs, err := all()
		if err != nil {
			return val{}, err
		}
		if len(vs) != 2 {
			return val{}, fmt.Errorf("index with %d arguments", len(vs))
		}
		item, key := vs[0], vs[1]
		r := c.newVar()
		switch {
		case (item.typ.Kind() == reflect.Slice || item.typ.Kind() == reflect.Array) && key.typ == intType:
			c.printf("if %s < 0 || %s >= len(%s) {\nreturn errIndex\n}\n%s := %s[%s]\n", key.expr, key.expr, item.expr, r, item.expr, key.expr)
			return val{r, item.typ.Elem()}, nil
		case item.typ.Kind() == reflect.Map && key.typ.AssignableTo(item.typ.Key()):
			c.printf("%s := %s[%s]\n", r, item.expr, key.expr)
			return val{r, item.typ.Elem()}, nil
		}
		return val{}, fmt.Errorf("index of %s by %s", item.typ, key.typ)
	}
	f, ok := funcs[name]
	if !ok {
		return val{}, fmt.Errorf("function %q", name)
	}
	ft := reflect.TypeOf(f)
	c.g.funcVars[name] = ft
	return c.callFunc("fn_"+sanitize(name), ft, 0, args, final, &dot)
}

var (
	formatterType = reflect.TypeFor[fmt.Formatter]()
	stringerIface = reflect.TypeFor[fmt.Stringer]()
	contentTypes  = map[reflect.Type]bool{
		reflect.TypeFor[template.HTML]():     true,
		reflect.TypeFor[template.URL]():      true,
		reflect.TypeFor[template.CSS]():      true,
		reflect.TypeFor[template.HTMLAttr](): true,
		reflect.TypeFor[template.JS]():       true,
		reflect.TypeFor[template.JSStr]():    true,
		reflect.TypeFor[template.Srcset]():   true,
	}
)

// plainText is the Go expression of the text html/template's stringify
// makes of a value whose type says it statically: what fmt.Sprint prints
// for a string or an integer type, through its String method where it
// has one.
func (c *fnc) plainText(v val) (string, bool) {
	t := v.typ
	if contentTypes[t] || t.Implements(formatterType) || t.Implements(errorType) {
		return "", false
	}
	k := t.Kind()
	if k != reflect.String && (k < reflect.Int || k > reflect.Int64) {
		return "", false
	}
	if t.Implements(stringerIface) {
		return v.expr + ".String()", true
	}
	if k == reflect.String {
		return "string(" + v.expr + ")", true
	}
	_ = c.imp("strconv")
	return "strconv.FormatInt(int64(" + v.expr + "), 10)", true
}

// imp notes an import the generated file needs.
func (c *fnc) imp(path string) error {
	c.g.imports[path] = path
	return nil
}
