package content

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
)

var trickySplitInputs = []string{
	"",
	"---",
	"---\n",
	"---\n---",
	"---\r\n---\r\n",
	"\ufeff---\nid: A\n---\n",
	"\ufeff\ufeff---\nid: A\n---\n",
	"\n\n\t\n+++\nid = 'A'\n+++\nbody",
	";;;\n{\"id\": \"A\"}\n;;;",
	";;;\n{\"id\": \"A\",}\n;;;\n",
	"---\nid: A\nid: B\n---\n",
	"---\nx: &a [1]\ny: *a\nz: *b\n---\n",
	"---\n<<: {a: 1}\n---\n",
	"---\n? [a, b]\n: c\n---\n",
	"---\n!!binary aGVsbG8=\n---\n",
	"---\na: !!str 1\nb: !custom {x: 1}\n---\n",
	"---\n- a\n---\n",
	"---\na: 1\n...\nb: 2\n---\n",
	"---\n<<<<<<< HEAD\n---\n",
	"---\na: \"unterminated\n---\n",
	"---\na: |\n\tb\n---\n",
	"+++\n[[a]]\nb = 1\n[[a]]\nb = 2\n+++\n",
	"+++\na = 1979-05-27T07:32:00Z\nb = 07:32:00\nc = inf\nd = nan\n+++\n",
	"+++\n\"quoted key\" = 1\n'lit' = 2\na.b.c = 3\n+++\n",
	"+++\r\nx = \"\"\"\r\na\r\n\"\"\"\r\ny = 1\r\n+++\r\n",
	"---\na: 18446744073709551616\nb: -9223372036854775809\nc: .NaN\n---\n",
	"---\r\n# c\r\na: 1\r\n---\r\n",
	"---\na:\n  b:\n    c:\n      d: [[[[[[1]]]]]]\n---\n",
	"---\n" + strings.Repeat("- ", 60) + "x\n---\n",
}

func FuzzSplit(f *testing.F) {
	for _, s := range trickySplitInputs {
		f.Add([]byte(s))
	}
	for _, d := range testkit.FixtureDocuments(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// The fuzzer reports no hangs; a watchdog turns one into a crash
		// that it saves with its input.
		watchdog := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Split(%q) runs for more than 10s", src)) })
		defer watchdog.Stop()
		fm, _, body, bodyLine, prob := Split(src)
		// A lone CR ends a line too, for YAML as for editors.
		lf := bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		lines := bytes.Count(lf, []byte("\n")) + bytes.Count(lf, []byte("\r")) + 1
		inFile := func(what string, p Pos) {
			t.Helper()
			// The column may pass the end of its line: the YAML parser puts
			// the null of an empty "key:" a column after the colon's space.
			if p.Line < 1 || p.Line > lines || p.Column < 1 {
				t.Fatalf("%s at %d:%d, outside the file (%d lines)", what, p.Line, p.Column, lines)
			}
		}
		if prob != nil {
			inFile("problem "+prob.Message, prob.Pos)
			if fm != nil {
				t.Fatal("frontmatter returned with a problem")
			}
		}
		var walk func(v *Value)
		walk = func(v *Value) {
			inFile("value", v.Pos)
			for _, x := range v.List {
				walk(x)
			}
			for _, fld := range v.Map {
				inFile("key "+fld.Key, fld.KeyPos)
				walk(fld.Value)
			}
		}
		if fm != nil {
			if fm.Kind != Map {
				t.Fatalf("frontmatter is %s, want a mapping", fm.Kind)
			}
			walk(fm)
		}
		// The body is the end of the file (its line ends read as LineEnds
		// says) and starts at bodyLine, so that the positions of its links
		// are right.
		text := LineEnds(bytes.TrimPrefix(src, []byte("\ufeff")))
		if body != nil {
			if !bytes.HasSuffix(text, body) {
				t.Fatalf("body %q is not the end of the file", body)
			}
			if want := 1 + bytes.Count(text[:len(text)-len(body)], []byte("\n")); bodyLine != want {
				t.Fatalf("bodyLine = %d, want %d", bodyLine, want)
			}
		}
		if bodyLine < 1 || bodyLine > lines {
			t.Fatalf("bodyLine %d outside the file (%d lines)", bodyLine, lines)
		}
	})
}

// FuzzPlainBlock holds plainBlock to adrg/frontmatter: where it finds a
// block, adrg finds the same.
func FuzzPlainBlock(f *testing.F) {
	for _, s := range trickySplitInputs {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"---\na: 1\n---\nbody\n", "---\na: 1\n---", "---\n---\n", "---\na: 1\n --- \nb\n---\n",
		"---\na: 1\n---\u00a0\n---\n", "---\n\n---\n\n", "+++\na = 1\n+++\n", ";;;\n{}\n;;;\n",
		"---\na: 1\n----\n---\n", "---\na: ---\n---\n", "--- \na: 1\n---\n", "---\na\r\n---\r\n",
	} {
		f.Add([]byte(s))
	}
	for _, d := range testkit.FixtureDocuments(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, delim := range []string{"---", "+++", ";;;"} {
			data, rest, ok := plainBlock(src, delim)
			if !ok {
				continue
			}
			adata, arest, aok := adrgBlock(src, delim)
			if !aok || !bytes.Equal(data, adata) || !bytes.Equal(rest, arest) {
				t.Fatalf("%q: plainBlock gives %q, %q; adrg %v %q, %q", src, data, rest, aok, adata, arest)
			}
		}
	})
}

// FuzzLineEnds: a document reads the same whatever its line ends, LF,
// CRLF or a CR alone (old Mac files): the same frontmatter, with the same
// positions, or the same problem at the same place, and the same body
// from the same line. It would have found that a file with CR line ends
// lost its frontmatter, and so its kind, without a word.
func FuzzLineEnds(f *testing.F) {
	for _, s := range trickySplitInputs {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		"---\nid: STORY-1\nkind: story\ntitle: T\n---\n# Body\n\nText [[X]].\n",
		"+++\nkind = 'story'\nx = \"\"\"\na\nb\"\"\"\n+++\nbody\n",
		";;;\n{\"kind\": \"story\",\n \"title\": \"T\"}\n;;;\n",
		"---\na: |\n  lit\n  eral\n# c\nb: 'x\n  y'\n---\n",
		"---\nid: A\nid: B\n---\n",
		"\n\n---\nx: [1,\n  2]\n---\n\nbody\n",
		"---\nkind: story\n",
	} {
		f.Add([]byte(s))
	}
	for _, d := range testkit.FixtureDocuments(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		lf := bytes.ReplaceAll(src, []byte("\r"), nil)
		want := readAs(lf)
		for _, end := range []string{"\r\n", "\r"} {
			other := bytes.ReplaceAll(lf, []byte("\n"), []byte(end))
			if got := readAs(other); got != want {
				t.Fatalf("%q reads\n%s\nbut with %q line ends\n%s", lf, want, end, got)
			}
		}
	})
}

// readAs is what Split reads of src, for FuzzLineEnds to compare: the
// frontmatter's keys and values with their positions, or the problem,
// and the body, its line ends made LF, with its first line.
func readAs(src []byte) string {
	fm, format, body, bodyLine, prob := Split(src)
	var b strings.Builder
	fmt.Fprintf(&b, "format %q, body at line %d: %q\n", format, bodyLine,
		bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n")))
	if prob != nil {
		fmt.Fprintf(&b, "problem at %d:%d\n", prob.Pos.Line, prob.Pos.Column)
	}
	var walk func(indent string, v *Value)
	walk = func(indent string, v *Value) {
		fmt.Fprintf(&b, "%s%s at %d:%d: %q\n", indent, v.Kind, v.Pos.Line, v.Pos.Column, v.Text())
		for _, x := range v.List {
			walk(indent+"  ", x)
		}
		for _, f := range v.Map {
			fmt.Fprintf(&b, "%s%q at %d:%d\n", indent, f.Key, f.KeyPos.Line, f.KeyPos.Column)
			walk(indent+"  ", f.Value)
		}
	}
	if fm != nil {
		walk("", fm)
	}
	return b.String()
}
