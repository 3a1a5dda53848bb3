package markdown

import (
	"bytes"
	"testing"

	"productdocs/generator/internal/testkit"
)

var trickyBodies = []string{
	"",
	"[[",
	"[[]]",
	"[[X]]",
	"[[X|]]",
	"[[|X]]",
	"[[X#]]",
	"[[#]]",
	"[[X]]]]",
	"[[[X]]]",
	"[[a|b|c]]",
	"[[a\nb]]",
	"\\[[X]]",
	"`[[X]]`",
	"<[[X]]>",
	"[[X]](y.md)",
	"[x]([[Y]])",
	"[[X]]: y.md\n\n[[X]]",
	"[x](y.md#)",
	"[x](#)",
	"[x](%zz.md)",
	"[x](<a b.md>)",
	"[x](y.md \"title\")",
	"[x]: \n[x]",
	"![[X]]",
	"- [ ] [[X]]\n- [x] [y](z.md)\n",
	"## Acceptance criteria\n\n- [ ] a\n  - [x] b\n",
	"| [[A]] | [b](b.md) |\n|---|---|\n| [[C|d]] |\n",
	"> [[A]]\n>> [b](b.md)\n",
	"Grüße → [[X-1]] [ü](ü.md#ä)\r\n",
	"\r\n\r\n[[X]]\r",
	"[^1]\n\n[^1]: [[X]]\n",
	"# [[X]] {#id}\n",
	"<a href=\"x.md\">[[X]]</a>\n",
	"*[[X]]*_[[Y]]_~~[[Z]]~~\n",
	"\t[[X]]\n",
	"1. [[X]]\n\n   [y](y.md)\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range trickyBodies {
		f.Add([]byte(s))
	}
	for _, d := range testkit.FixtureDocuments(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d := Parse(src)
		lines := bytes.Split(src, []byte("\n"))
		for _, l := range d.Links {
			if l.Offset < 0 || l.Offset > len(src) {
				t.Fatalf("link %+v: offset outside the body (%d bytes)", l, len(src))
			}
			if l.Line < 1 || l.Line > len(lines) || l.Column < 1 || l.Column > len(lines[l.Line-1])+1 {
				t.Fatalf("link %q at %d:%d, outside the body (%d lines)", l.Target, l.Line, l.Column, len(lines))
			}
			if l.Kind == Wiki && l.Target == "" {
				t.Fatalf("wiki link without a target at %d:%d", l.Line, l.Column)
			}
		}
		for _, c := range d.Criteria {
			if c.Line < 1 || c.Line > len(lines) {
				t.Fatalf("criterion at line %d, outside the body (%d lines)", c.Line, len(lines))
			}
		}
		var b bytes.Buffer
		if err := d.Render(&b, Options{}, func(int, Link) (string, string) { return "x/", "T" }); err != nil {
			t.Fatalf("Render: %v", err)
		}
		_ = d.PlainText()
	})
}
