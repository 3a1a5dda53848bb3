package diag

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
)

// Report is what a format writes: the sorted diagnostics of a run, and the
// documents they were found in (formats such as JUnit list every document,
// including those without problems).
type Report struct {
	Diagnostics []Diagnostic
	Documents   []Document
}

// Document is one checked document, as formats name it.
type Document struct {
	File    string // slash path relative to the site root
	ID      string
	Section string // "strategy", "backlog" or "" for pages elsewhere
}

// Summary counts documents, errors and warnings.
type Summary struct {
	Documents int `json:"documents"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
}

// Summary returns the report's counts.
func (r *Report) Summary() Summary {
	e, w := Count(r.Diagnostics)
	return Summary{Documents: len(r.Documents), Errors: e, Warnings: w}
}

// A Formatter writes a report in one format.
type Formatter func(w io.Writer, r *Report) error

var formatters = map[string]Formatter{
	"text": writeText,
	"json": writeJSON,
}

// Register adds a format. It is meant to be called from init functions of
// this package's format files; a second registration of a name panics.
func Register(name string, f Formatter) {
	if _, dup := formatters[name]; dup {
		panic("diag: format registered twice: " + name)
	}
	formatters[name] = f
}

// Formats lists the names of the registered formats, sorted.
func Formats() []string {
	names := make([]string, 0, len(formatters))
	for n := range formatters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Write writes r to w in the named format.
func Write(w io.Writer, format string, r *Report) error {
	f, ok := formatters[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	return f(w, r)
}

// HasFormat reports whether a format of that name exists.
func HasFormat(name string) bool {
	_, ok := formatters[name]
	return ok
}

func writeText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, d := range r.Diagnostics {
		bw.WriteString(d.String())
		bw.WriteByte('\n')
	}
	bw.WriteString(r.Summary().String())
	bw.WriteByte('\n')
	return bw.Flush()
}

// String renders the summary line of the text format:
// "142 documents, 2 errors, 5 warnings".
func (s Summary) String() string {
	return fmt.Sprintf("%s, %s, %s", plural(s.Documents, "document"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

type jsonDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
}

func writeJSON(w io.Writer, r *Report) error {
	out := struct {
		Diagnostics []jsonDiagnostic `json:"diagnostics"`
		Summary     Summary          `json:"summary"`
	}{Diagnostics: make([]jsonDiagnostic, 0, len(r.Diagnostics)), Summary: r.Summary()}
	for _, d := range r.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{d.File, d.Line, d.Column, d.Severity.String(), d.Code, d.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ForFile returns the diagnostics of one file, in order. ds must be sorted.
func ForFile(ds []Diagnostic, file string) []Diagnostic {
	i, _ := slices.BinarySearchFunc(ds, file, func(d Diagnostic, f string) int {
		if d.File < f {
			return -1
		}
		if d.File > f {
			return 1
		}
		return 0
	})
	j := i
	for j < len(ds) && ds[j].File == file {
		j++
	}
	return ds[i:j]
}
