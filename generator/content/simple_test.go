package content

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"productdocs/generator/internal/testkit"
)

// dump shows a value tree with every position, for comparing two.
func dump(v *Value) string {
	var b strings.Builder
	var walk func(v *Value, indent string)
	walk = func(v *Value, indent string) {
		fmt.Fprintf(&b, "%s%s@%d:%d %q %d\n", indent, v.Kind, v.Pos.Line, v.Pos.Column, v.Str, v.Int)
		for _, x := range v.List {
			walk(x, indent+"  - ")
		}
		for _, f := range v.Map {
			fmt.Fprintf(&b, "%s  %s@%d:%d\n", indent, f.Key, f.KeyPos.Line, f.KeyPos.Column)
			walk(f.Value, indent+"    ")
		}
	}
	if v != nil {
		walk(v, "")
	}
	return b.String()
}

var simpleYAML = []struct {
	src    string
	simple bool // whether the fast path takes it
}{
	{"id: STORY-1\nkind: story\n", true},
	{"id: STORY-1\nkind: story\ntitle: Pay by card, twice (or more)\nowner: Tomás O'Neil\nrank: 12\nupdated: 2026-02-03\nquarter: 2027-Q1\n", true},
	{"# a comment\n\nid: A\n\ntags: [a, b,c , 2026-01-01, 7]\npersonas: []\n", true},
	{"title: \"Quoted: with # and [x]\"\nsummary: 'single'\n", true},
	{"url: https://example.com/x?y=1&z=2\nsource: Survey 2026; see a@b.c\n", true},
	{"summary: Pay **fast** now!\nowner: Team = A + B\n", true},
	{"a: 1\nb: 0\nc: 123456789012345678\n", true},
	{"title: x   \nkind: story  \n", false}, // the parser puts trailing spaces in the position
	{"ünïcode: x\nkind: y\n", false},
	{"id: A\n", true},
	{"id: A\nid: B\n", false},          // duplicate
	{"id: A\nextra:\n  k: v\n", false}, // nesting
	{"id: A\ntraces:\n", false},        // null
	{"id: A\ntraces: # TODO\n", false}, // comment after a key
	{"id: A\ntitle: x # y\n", false},   // comment after a value
	{"id: A\nstatus: true\n", false},   // keyword
	{"id: A\nstatus: Null\n", false},   // keyword
	{"id: A\nrank: 007\n", false},      // octal?
	{"id: A\nrank: 1.5\n", false},      // float
	{"id: A\nrank: -1\n", false},       // sign
	{"id: A\nrank: 1e3\n", false},      // exponent
	{"id: A\nrank: 1234567890123456789\n", false},
	{"id: A\ntime: 12:30\n", false},
	{"id: A\nx: &a b\n", false},
	{"id: A\nx: *a\n", false},
	{"id: A\nx: !tag b\n", false},
	{"id: A\nx: |\n  b\n", false},
	{"id: A\nx: {a: b}\n", false},
	{"id: A\nx: [a, [b]]\n", false},
	{"id: A\nx: [a,]\n", false},
	{"id: A\nx: [a: b]\n", false},
	{"id: A\nx: \"a\\\"b\"\n", false},
	{"id: A\nx: 'it''s'\n", false},
	{"id: A\nx: \"unterminated\n", false},
	{"id: A\n- x\n", false},
	{"id: A\n  indented: x\n", false},
	{"id: A\n\tx: y\n", false},
	{"id:A\nb: c\n", false},
	{"id: A\n<<: {b: c}\n", false},
	{"id: A\ntitle: -x\n", false},
	{"id: A\ntitle: a:b\n", false},
	{"id: A\ntitle: a: b\n", false},
	{"id: A\nx: \"\xff\"\n", false},
}

func TestSimpleYAML(t *testing.T) {
	for _, tt := range simpleYAML {
		t.Run(tt.src, func(t *testing.T) {
			got, ok := parseSimpleYAML([]byte(tt.src), 2)
			if ok != tt.simple {
				t.Fatalf("fast path took it: %v, want %v", ok, tt.simple)
			}
			if !ok {
				return
			}
			want, prob := parseYAML([]byte(tt.src), 2)
			if prob != nil {
				t.Fatalf("the general parser: %v", prob)
			}
			if !reflect.DeepEqual(got.Clone(), want) { // Clone: without the slabs
				t.Errorf("fast path:\n%s\ngeneral parser:\n%s", dump(got), dump(want))
			}
		})
	}
}

// FuzzSimpleYAML holds the fast path to the general parser: where it
// takes an input, it must read it as the parser does.
func FuzzSimpleYAML(f *testing.F) {
	for _, tt := range simpleYAML {
		f.Add([]byte(tt.src))
	}
	for _, d := range testkit.FixtureDocuments(f) {
		if _, rest, ok := strings.Cut(string(d), "---\n"); ok {
			if fm, _, ok := strings.Cut(rest, "\n---"); ok {
				f.Add([]byte(fm + "\n"))
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = lf(data)
		got, ok := parseSimpleYAML(data, 3)
		if !ok {
			return
		}
		want, prob := parseYAML(data, 3)
		if prob != nil {
			t.Fatalf("the fast path read what the parser refuses (%v):\n%s", prob, dump(got))
		}
		if !reflect.DeepEqual(got.Clone(), want) { // Clone: without the slabs
			t.Fatalf("fast path:\n%s\ngeneral parser:\n%s", dump(got), dump(want))
		}
	})
}
