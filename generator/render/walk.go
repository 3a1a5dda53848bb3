package render

import "text/template/parse"

// treeWalk walks a template's parse tree as text/template executes it,
// for the two readers of templates' trees: readsOf (what a page reads,
// deps.go) and pureTree (whether a partial reads only its document and
// its place, memo.go). The walk, one case a kind of node, is here; what a
// reader makes of a node, and what it knows of the context a node stands
// in (C: whether a value is only tested or counted, or whether dot is the
// DocRef a partial was called with), its hooks say.
type treeWalk[C any] struct {
	// stop, when set, ends the walk once the reader knows its answer.
	stop func() bool
	// stmt is the context of a list's nodes, of the pipeline of an action,
	// a range, a with or a call, of else branches and of the value a chain
	// starts from.
	stmt func(C) C
	// test is the context of an if's pipeline.
	test func(C, *parse.PipeNode) C
	// body is the context of the list of a range or a with, where dot is
	// another value.
	body func(C) C
	// arg is the context of a command's arguments after the first; fn is
	// the function the command calls, "" when it calls none.
	arg func(c C, fn string) C
	// pipe, when set, sees a pipeline before its commands.
	pipe func(*parse.PipeNode, C)
	// call sees {{template}}, after its pipeline, and follows the callee
	// as the reader must.
	call func(*parse.TemplateNode, C)
	// field sees .A.B, variable $x.A.B (ids[0] is the variable), chain
	// (x).A.B after x, and ident a function.
	field    func(ids []string, c C)
	variable func(ids []string, c C)
	chain    func(*parse.ChainNode, C)
	ident    func(name string, c C)
	// other, when set, sees a node of no kind the walk knows.
	other func(parse.Node)
}

func (w *treeWalk[C]) walk(n parse.Node, c C) {
	if n == nil || (w.stop != nil && w.stop()) {
		return
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, k := range n.Nodes {
			w.walk(k, w.stmt(c))
		}
	case *parse.ActionNode:
		w.walk(n.Pipe, w.stmt(c))
	case *parse.IfNode:
		w.walk(n.Pipe, w.test(c, n.Pipe))
		w.walk(n.List, w.stmt(c))
		w.walk(n.ElseList, w.stmt(c))
	case *parse.RangeNode:
		w.branch(&n.BranchNode, c)
	case *parse.WithNode:
		w.branch(&n.BranchNode, c)
	case *parse.TemplateNode:
		w.walk(n.Pipe, w.stmt(c))
		w.call(n, c)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		if w.pipe != nil {
			w.pipe(n, c)
		}
		for _, k := range n.Cmds {
			w.walk(k, c)
		}
	case *parse.CommandNode:
		fn := ""
		if len(n.Args) > 0 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok {
				fn = id.Ident
			}
		}
		for i, a := range n.Args {
			if i == 0 {
				w.walk(a, c)
				continue
			}
			w.walk(a, w.arg(c, fn))
		}
	case *parse.IdentifierNode:
		w.ident(n.Ident, c)
	case *parse.FieldNode:
		w.field(n.Ident, c)
	case *parse.VariableNode:
		w.variable(n.Ident, c)
	case *parse.ChainNode:
		w.walk(n.Node, w.stmt(c))
		w.chain(n, c)
	case *parse.DotNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode,
		*parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	default:
		if w.other != nil {
			w.other(n)
		}
	}
}

// branch walks a range or a with: dot is another value in its list.
func (w *treeWalk[C]) branch(n *parse.BranchNode, c C) {
	w.walk(n.Pipe, w.stmt(c))
	w.walk(n.List, w.body(c))
	w.walk(n.ElseList, w.stmt(c))
}
