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

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", d.File, d.Line, d.Column, d.Severity, d.Message, d.Code)
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
