package jira

import (
	"strings"
	"testing"
	"time"
)

// TestMarkdownTimeIsLinear: inputs made to defeat the converter's scans
// (markers that never close, brackets that never end, lists nested too
// deep) convert in time that grows with their length, not its square.
// 128 KB is four times Jira's longest field; a quadratic pass took
// seconds on the first of them.
func TestMarkdownTimeIsLinear(t *testing.T) {
	if raceEnabled {
		t.Skip("a timing test; the race detector's slowdown is not the converter's")
	}
	const n = 128 << 10
	for name, s := range map[string]string{
		"unclosed stars":     strings.Repeat("*a ", n/3),
		"nested markers":     strings.Repeat("*_", n/4) + strings.Repeat("_*", n/4),
		"open brackets":      strings.Repeat("[", n) + "]",
		"open monospace":     strings.Repeat("{{", n/2),
		"bangs":              strings.Repeat("!a", n/2),
		"citations":          strings.Repeat("??", n/2),
		"a deep list":        strings.Repeat("*", n) + " x",
		"a table of bars":    strings.Repeat("|", n),
		"code macros":        strings.Repeat("{code}\n", n/7),
		"quote macros":       strings.Repeat("{quote}\n", n/8),
		"link starts":        strings.Repeat("[a|", n/3) + "]",
		"bullets":            strings.Repeat("* ", n/2),
		"lines of a list":    strings.Repeat("** a\n", n/5),
		"colour macros":      strings.Repeat("{color:red}", n/11),
		"escapes":            strings.Repeat("\\", n),
		"headings and rules": strings.Repeat("h1. a\n----\n", n/11),
	} {
		start := time.Now()
		Markdown(s)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v for %d KB", name, d, len(s)>>10)
		}
	}
}
