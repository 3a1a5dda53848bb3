package jira

import (
	"strconv"
	"strings"
	"testing"
)

// adversarial are inputs made to defeat the converter's scans: markers
// that never close, brackets that never end, lists nested too deep. Each
// is built at a size n; 128 KB is four times Jira's longest field, and a
// quadratic pass took seconds on the first of them.
var adversarial = map[string]func(n int) string{
	"unclosed stars":     func(n int) string { return strings.Repeat("*a ", n/3) },
	"nested markers":     func(n int) string { return strings.Repeat("*_", n/4) + strings.Repeat("_*", n/4) },
	"open brackets":      func(n int) string { return strings.Repeat("[", n) + "]" },
	"open monospace":     func(n int) string { return strings.Repeat("{{", n/2) },
	"bangs":              func(n int) string { return strings.Repeat("!a", n/2) },
	"citations":          func(n int) string { return strings.Repeat("??", n/2) },
	"a deep list":        func(n int) string { return strings.Repeat("*", n) + " x" },
	"a table of bars":    func(n int) string { return strings.Repeat("|", n) },
	"code macros":        func(n int) string { return strings.Repeat("{code}\n", n/7) },
	"quote macros":       func(n int) string { return strings.Repeat("{quote}\n", n/8) },
	"link starts":        func(n int) string { return strings.Repeat("[a|", n/3) + "]" },
	"bullets":            func(n int) string { return strings.Repeat("* ", n/2) },
	"lines of a list":    func(n int) string { return strings.Repeat("** a\n", n/5) },
	"colour macros":      func(n int) string { return strings.Repeat("{color:red}", n/11) },
	"escapes":            func(n int) string { return strings.Repeat("\\", n) },
	"headings and rules": func(n int) string { return strings.Repeat("h1. a\n----\n", n/11) },
}

// TestMarkdownAdversarial converts each adversarial input at 128 KB: a
// quadratic pass shows as the test binary's timeout, not as a timed
// assertion (BenchmarkMarkdownAdversarial shows the growth: each input at
// 32 KB and at 128 KB should cost about four times as much, not sixteen).
func TestMarkdownAdversarial(t *testing.T) {
	for name, build := range adversarial {
		if out := Markdown(build(128 << 10)); strings.Contains(out, "\x00") {
			t.Errorf("%s: a NUL in the output", name)
		}
	}
}

func BenchmarkMarkdownAdversarial(b *testing.B) {
	for name, build := range adversarial {
		for _, n := range []int{32 << 10, 128 << 10} {
			s := build(n)
			b.Run(name+"/"+strconv.Itoa(n>>10)+"KB", func(b *testing.B) {
				b.SetBytes(int64(len(s)))
				for b.Loop() {
					Markdown(s)
				}
			})
		}
	}
}
