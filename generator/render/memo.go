package render

import (
	"bytes"
	"hash/maphash"
	"html/template"
	"strings"
	"sync"
	"text/template/parse"

	"productdocs/generator/model"
)

// A page of a large site shows tens of other documents, each through a
// partial ("doclink", "card") whose output depends on nothing but the
// document and where the page is: how deep (for relative links) and in
// which section (for the crossing mark). Such a partial is executed once
// for each document and place, and its output reused by every page of
// that place: the template stays the only description of the fragment,
// and html/template's per-action work is paid once a fragment rather
// than once a use. At 10,000 documents (sitegen -n 10000) this takes a
// build's user CPU from 12.9 s to 11.3 s, 12% (/usr/bin/time, three runs
// each; see the manual's templates guide).
//
// A partial is memoised only when its parse tree shows it reads nothing
// else: .Doc, and of .Page only Link, Crossing, Rel and Asset, and calls
// only functions that read no page, and partials that are as pure. A
// site's own "doclink" that reads more is executed at every use, as any
// other template.

// memoNames are the partials considered for memoisation, with what
// they are called with: a DocRef, or a value that is the whole input
// (a status).
var memoNames = map[string]bool{"doclink": true, "card": true, "status": false}

// memoPageMethods are the Page methods whose results depend on the page's
// place alone (memoKey).
var memoPageMethods = map[string]bool{"Link": true, "Crossing": true, "Rel": true, "Asset": true}

// pureFuncs read no page and record nothing.
var pureFuncs = map[string]bool{
	"percent": true, "ratio": true, "statusLabel": true, "capitalize": true, "lower": true, "upper": true,
	"join": true, "display": true, "add": true, "and": true, "or": true, "not": true, "len": true,
	"index": true, "slice": true, "print": true, "printf": true, "println": true, "eq": true, "ne": true,
	"lt": true, "le": true, "gt": true, "ge": true, "html": true, "js": true, "urlquery": true,
}

// memoKey is a fragment's identity: the document or the string it was
// called with, and the partial and what of the page the pure partials
// read, packed in place (placeOf), so that a lookup hashes 16 bytes or
// one short string.
type memoKey struct {
	doc   *model.Document
	text  string // a partial called with a string
	place uint64
}

// placeOf packs a partial and a page's place: how deep it is (for
// relative links), whether it is the home page (Rel gives "./" there) or
// the 404 page, and its section. It is false for a section of no kind.
func placeOf(name string, p *Page) (uint64, bool) {
	var n uint64
	switch name {
	case "doclink":
		n = 1
	case "card":
		n = 2
	case "status":
		n = 3
	default:
		return 0, false
	}
	if p == nil {
		return n, true
	}
	var sec uint64
	switch p.Section {
	case model.Pages:
	case model.Strategy:
		sec = 1
	case model.Backlog:
		sec = 2
	default:
		return 0, false
	}
	depth := uint64(strings.Count(p.URL, "/"))
	if depth >= 1<<32 {
		return 0, false
	}
	var flags uint64
	if p.URL == "" {
		flags |= 1
	}
	if p.is404 {
		flags |= 2
	}
	return n | sec<<8 | flags<<16 | depth<<32, true
}

// memoise rewrites the calls {{template "doclink" X}} of a page template's
// set into {{_memo "doclink" X}} for the partials of memoNames found pure.
func memoise(t *template.Template) {
	lookup := treeLookup{t}
	pure := map[string]bool{}
	for n, ref := range memoNames {
		if tree := lookup.Lookup(n); tree != nil && pureTree(lookup, tree.Root, ref, map[string]bool{}) {
			pure[n] = true
		}
	}
	if len(pure) == 0 {
		return
	}
	// Fragments of a status or a document alone are the same on every
	// site; those of a DocRef are kept with the site they show.
	var global fragCache
	t.Funcs(template.FuncMap{"_memo": func(name string, v any) (template.HTML, error) {
		return memoFragment(&global, name, v, func(b *bytes.Buffer) error { return t.ExecuteTemplate(b, name, v) })
	}})
	for _, tt := range t.Templates() {
		if tt.Tree != nil && tt.Tree.Root != nil {
			rewriteCalls(tt.Tree.Root, pure)
		}
	}
}

// memoFragment is the output of the partial name called with v, which
// exec writes: from the cache of the page's site for a DocRef, of global
// for a string, or made anew for any other value.
func memoFragment(global *fragCache, name string, v any, exec func(*bytes.Buffer) error) (template.HTML, error) {
	var k memoKey
	cache := global
	ok := false
	switch v := v.(type) {
	case DocRef:
		k.doc = v.Doc
		k.place, ok = placeOf(name, v.Page)
		cache = &v.Page.Site.memo
	case string:
		k.text = v
		k.place, ok = placeOf(name, nil)
	}
	if !ok {
		var b bytes.Buffer
		err := exec(&b)
		return template.HTML(b.String()), err
	}
	if h, ok := cache.load(k); ok {
		return h, nil
	}
	var b bytes.Buffer
	if err := exec(&b); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	cache.store(k, h)
	return h, nil
}

// fragCache holds fragments by memoKey: maps under read-write locks
// rather than a sync.Map, whose interface keys would be allocated at each
// of the hundreds of thousands of lookups of a large build, and in shards
// by document, so that the workers rendering pages seldom wait on one
// lock. At 10,000 documents the sync.Map's lookups took 4.6% of a build's
// CPU, one lock's 4.3%, and the shards' under 1% (pprof of BenchmarkBuild).
type fragCache struct {
	shards [fragShards]fragShard
}

const fragShards = 64

type fragShard struct {
	mu sync.RWMutex
	m  map[memoKey]template.HTML
	_  [64]byte // a shard's lock alone on its cache line
}

var fragSeed = maphash.MakeSeed()

func (c *fragCache) shard(k *memoKey) *fragShard {
	h := maphash.Comparable(fragSeed, k.doc)
	if k.doc == nil {
		h = maphash.String(fragSeed, k.text)
	}
	return &c.shards[h%fragShards]
}

func (c *fragCache) load(k memoKey) (template.HTML, bool) {
	s := c.shard(&k)
	s.mu.RLock()
	h, ok := s.m[k]
	s.mu.RUnlock()
	return h, ok
}

func (c *fragCache) store(k memoKey, h template.HTML) {
	s := c.shard(&k)
	s.mu.Lock()
	if s.m == nil {
		s.m = map[memoKey]template.HTML{}
	}
	s.m[k] = h
	s.mu.Unlock()
}

// rewriteCalls replaces the calls of pure partials in a tree.
func rewriteCalls(n parse.Node, pure map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for i, c := range n.Nodes {
			if tn, ok := c.(*parse.TemplateNode); ok && pure[tn.Name] && tn.Pipe != nil {
				cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: tn.Pos,
					Args: []parse.Node{
						(&parse.IdentifierNode{NodeType: parse.NodeIdentifier, Ident: "_memo"}).SetPos(tn.Pos),
						&parse.StringNode{NodeType: parse.NodeString, Pos: tn.Pos, Quoted: `"` + tn.Name + `"`, Text: tn.Name},
						tn.Pipe,
					}}
				pipe := &parse.PipeNode{NodeType: parse.NodePipe, Pos: tn.Pos, Line: tn.Line, Cmds: []*parse.CommandNode{cmd}}
				n.Nodes[i] = &parse.ActionNode{NodeType: parse.NodeAction, Pos: tn.Pos, Line: tn.Line, Pipe: pipe}
				continue
			}
			rewriteCalls(c, pure)
		}
	case *parse.IfNode:
		rewriteCalls(n.List, pure)
		rewriteCalls(n.ElseList, pure)
	case *parse.RangeNode:
		rewriteCalls(n.List, pure)
		rewriteCalls(n.ElseList, pure)
	case *parse.WithNode:
		rewriteCalls(n.List, pure)
		rewriteCalls(n.ElseList, pure)
	}
}

// pureTree reports whether a partial's tree reads only what memoKey
// names. atRef is whether dot is the DocRef the partial was called with.
func pureTree(lookup treeLookup, n parse.Node, atRef bool, seen map[string]bool) bool {
	ok := true
	chain := func(ids []string, fromRef bool) {
		if len(ids) == 0 {
			return
		}
		for _, id := range ids {
			if id == "Site" || id == "Data" {
				ok = false
			}
		}
		if !fromRef {
			if ids[0] == "Page" {
				ok = false
			}
			return
		}
		switch ids[0] {
		case "Doc":
		case "Page":
			if len(ids) != 2 || !memoPageMethods[ids[1]] {
				ok = false
			}
		default:
			ok = false
		}
	}
	same := func(atRef bool) bool { return atRef }
	w := &treeWalk[bool]{
		stop: func() bool { return !ok },
		stmt: same,
		test: func(atRef bool, _ *parse.PipeNode) bool { return atRef },
		body: func(bool) bool { return false },
		arg:  func(atRef bool, _ string) bool { return atRef },
		pipe: func(n *parse.PipeNode, _ bool) {
			if len(n.Decl) > 0 {
				ok = false // variables would hide what dot is
			}
		},
		call: func(n *parse.TemplateNode, atRef bool) {
			// The callee's dot is the argument: the same DocRef only
			// when passed on as it is.
			passed := n.Pipe != nil && len(n.Pipe.Cmds) == 1 && len(n.Pipe.Cmds[0].Args) == 1
			if passed {
				_, dot := n.Pipe.Cmds[0].Args[0].(*parse.DotNode)
				passed = dot && atRef
			}
			key := n.Name
			if passed {
				key += " ref"
			}
			if !seen[key] {
				seen[key] = true
				tree := lookup.Lookup(n.Name)
				if tree == nil || !pureTree(lookup, tree.Root, passed, seen) {
					ok = false
				}
			}
		},
		ident: func(name string, _ bool) {
			if !pureFuncs[name] {
				ok = false
			}
		},
		field: chain,
		variable: func(ids []string, atRef bool) {
			chain(ids[1:], atRef && ids[0] == "$")
			if ids[0] != "$" {
				ok = false
			}
		},
		chain: func(*parse.ChainNode, bool) { ok = false },
		other: func(parse.Node) { ok = false },
	}
	w.walk(n, atRef)
	return ok
}
