// Package diag defines the problems productdocs reports about a site: a
// Diagnostic has a position (file, line, column), a severity, a code and a
// message. Diagnostics are collected from every stage, sorted, filtered by the
// site's severity settings and written in one of several formats.
//
// A problem in the user's content is always a Diagnostic, never a Go error:
// an error means the tool itself could not work.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Severity is how much a diagnostic matters. The zero value is Off.
type Severity int

const (
	Off Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "off"
}

// ParseSeverity reads a severity as written in productdocs.yaml.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning":
		return Warning, true
	case "off":
		return Off, true
	}
	return Off, false
}

// Diagnostic is one problem at one place. File is a slash path relative to
// the site root; Line and Column are 1-based, and Column counts bytes. A
// diagnostic that concerns a whole file has Line 1 and Column 1.
type Diagnostic struct {
	File     string
	Line     int
	Column   int
	Severity Severity
	Code     string
	Message  string
}

// String is the diagnostic's line of the text format. The file name and
// the message come from the site and may hold anything: their control
// characters are escaped (Printable), so that a file named
// "x\n::error::…" cannot start a line of its own (a GitHub Actions
// workflow command) or send a terminal escape sequences. A message keeps
// the line breaks of its source excerpt (a frontmatter error shows the
// lines around it, each starting with ">" or a space), but for one that
// would start a line with "::".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", Printable(d.File), d.Line, d.Column, d.Severity, printableLines(d.Message), d.Code)
}

// printableLines is Printable for text of several lines: each line is
// escaped, and a line break kept unless the line after it would be read
// as a workflow command (which may follow blanks).
func printableLines(s string) string {
	if !strings.Contains(s, "\n") {
		return Printable(s)
	}
	lines := strings.Split(s, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			if strings.HasPrefix(strings.TrimLeft(l, " \t"), "::") {
				b.WriteString(`\n`)
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(Printable(l))
	}
	return b.String()
}

// Printable returns s with its control characters (C0, DEL and C1, and
// the Unicode line and paragraph separators) written as Go escapes
// ("\n", "\x1b", "\u2028"), and bytes that are not UTF-8 as "\xff"; tabs
// stay. Other text is kept as it is.
func Printable(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if unprintable(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
				continue
			}
		}
		if !unprintable(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r) // '\n', '\x1b', '\u2028'
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

func unprintable(r rune) bool {
	return (r < 0x20 && r != '\t') || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029
}

// Compare orders diagnostics by file, line, column, code, then message, so
// that output is the same however the work was scheduled.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts diagnostics in place with Compare and drops exact duplicates.
func Sort(ds []Diagnostic) []Diagnostic {
	slices.SortFunc(ds, Compare)
	return slices.Compact(ds)
}

// Count returns the number of errors and warnings in ds.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

// Levels maps codes to the severity a site wants for them. A code that is
// absent keeps its default.
type Levels map[string]Severity

// Apply sets each diagnostic's severity from its code's default and the
// overrides in l, and drops the diagnostics turned off. Diagnostics are
// created with Off severity and take their level here, so there is one place
// that decides levels.
func (l Levels) Apply(ds []Diagnostic) []Diagnostic {
	out := ds[:0]
	for _, d := range ds {
		sev, ok := l[d.Code]
		if !ok {
			sev = DefaultSeverity(d.Code)
		}
		if sev == Off {
			continue
		}
		d.Severity = sev
		out = append(out, d)
	}
	return out
}
