package diag

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The junit format writes JUnit XML as GitLab and Jenkins read it: a test
// suite per section (strategy, backlog, pages), a test case per document
// named by its file, failing with the document's diagnostics when it has an
// error. Warnings alone leave the case passing and go to its system-out;
// under --strict they fail it too, as they fail the run (WriteJUnit).
//
// Diagnostics on files that are not documents (productdocs.yaml, the
// site's templates) get a test case per file in a suite of their own,
// "settings", after the sections.
func init() {
	Register("junit", func(w io.Writer, r *Report) error { return WriteJUnit(w, r, false) })
}

// JUnitSuites is the root element of the junit format. Its types are
// exported so that tests, here and elsewhere, can read the format back.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one section's test suite.
type JUnitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []JUnitCase `xml:"testcase"`
}

// JUnitCase is one document, or one file that is not a document.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"` // GitLab links the case to it
	Failure   *JUnitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// JUnitFailure holds a failing case's diagnostics, one per line, in the
// text format.
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes r as JUnit XML. strict makes warnings fail a test case,
// as --strict makes them fail the run; Report does not carry the flag.
func WriteJUnit(w io.Writer, r *Report, strict bool) error {
	out := JUnitSuites{Name: "productdocs"}
	suites := map[string]*JUnitSuite{}
	var order []string
	add := func(suite, file string) {
		s := suites[suite]
		if s == nil {
			s = &JUnitSuite{Name: suite}
			suites[suite] = s
			order = append(order, suite)
		}
		c := junitCase(file, suite, ForFile(r.Diagnostics, file), strict)
		if c.Failure != nil {
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
	}

	// Suites come in the order of the site's sections, the PM's first.
	sections := []string{"strategy", "backlog", ""}
	rank := func(d Document) int {
		if i := slices.Index(sections, d.Section); i >= 0 {
			return i
		}
		return len(sections)
	}
	byRank := func(a, b Document) int { return cmp.Compare(rank(a), rank(b)) }
	docs := map[string]bool{}
	for _, d := range slices.SortedStableFunc(slices.Values(r.Documents), byRank) {
		add(cmp.Or(d.Section, "pages"), d.File)
		docs[d.File] = true
	}
	var prev string
	for _, d := range r.Diagnostics {
		if docs[d.File] || d.File == prev {
			continue
		}
		prev = d.File // diagnostics are sorted, so a file's come together
		add("settings", d.File)
	}

	for _, name := range order {
		s := suites[name]
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Suites = append(out.Suites, *s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCase(file, suite string, ds []Diagnostic, strict bool) JUnitCase {
	c := JUnitCase{Name: file, Classname: suite, File: file}
	var failing []Diagnostic
	for _, d := range ds {
		if d.Severity == Error || strict {
			failing = append(failing, d)
		}
	}
	var text strings.Builder
	for _, d := range ds {
		text.WriteString(d.String())
		text.WriteByte('\n')
	}
	if len(failing) == 0 {
		c.SystemOut = text.String()
		return c
	}
	// The message is what a report lists in one line, so it is the first
	// line of the first failing diagnostic; the text has every diagnostic
	// of the file, warnings included, for the whole picture.
	first := failing[0]
	line, _, _ := strings.Cut(first.Message, "\n")
	msg := fmt.Sprintf("%d:%d: %s [%s]", first.Line, first.Column, line, first.Code)
	if len(failing) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(failing)-1)
	}
	c.Failure = &JUnitFailure{Message: msg, Type: first.Code, Text: text.String()}
	return c
}
