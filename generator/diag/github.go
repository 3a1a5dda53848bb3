package diag

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// The github format writes GitHub Actions workflow commands, which the
// runner turns into annotations on the pull request:
//
//	::error file=content/backlog/login.md,line=7,col=9,title=broken-link::traces to "EPIC-9", …
//
// then the summary line of the text format.
func init() { Register("github", writeGitHub) }

func writeGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	writeAnnotations(bw, r.Diagnostics)
	bw.WriteString(r.Summary().String())
	bw.WriteByte('\n')
	return bw.Flush()
}

// WriteAnnotations writes one workflow command per diagnostic and nothing
// else, for a log that also carries the text format (which has the summary
// line already).
func WriteAnnotations(w io.Writer, ds []Diagnostic) error {
	bw := bufio.NewWriter(w)
	writeAnnotations(bw, ds)
	return bw.Flush()
}

func writeAnnotations(bw *bufio.Writer, ds []Diagnostic) {
	for _, d := range ds {
		level := "error"
		if d.Severity != Error {
			level = "warning"
		}
		fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			level, escapeProperty(d.File), d.Line, d.Column, escapeProperty(d.Code), escapeData(d.Message))
	}
}

// The escapes of the runner's command parser (actions/toolkit's
// escapeData and escapeProperty): "%" first, so that an escape is never
// escaped again; in properties ":" and "," too, because they end a
// property.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

// stepSummaryLimit is what GitHub accepts in one step's summary (1 MiB);
// a larger file is dropped whole, so the table stops short of it.
const stepSummaryLimit = 1 << 20

// WriteStepSummary writes r as Markdown for the job summary page
// (the file named by GITHUB_STEP_SUMMARY): the counts by code, then a table
// of every diagnostic. It exists because GitHub shows at most ten
// annotations of each level per step; the summary shows the rest. Only a
// report too large for GitHub's limit is cut short, with a note that says
// how many rows are missing.
func WriteStepSummary(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### productdocs\n\n%s\n", r.Summary())
	if len(r.Diagnostics) == 0 {
		b.WriteString("\nNo problems found.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}

	type key struct {
		code string
		sev  Severity
	}
	counts := map[key]int{}
	for _, d := range r.Diagnostics {
		counts[key{d.Code, d.Severity}]++
	}
	keys := slices.SortedFunc(maps.Keys(counts), func(a, b key) int {
		return cmp.Or(compareCodes(a.code, b.code), cmp.Compare(b.sev, a.sev))
	})
	b.WriteString("\n| code | severity | count |\n| --- | --- | ---: |\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| %s | %s | %d |\n", k.code, k.sev, counts[k])
	}

	b.WriteString("\n| location | severity | code | message |\n| --- | --- | --- | --- |\n")
	for i, d := range r.Diagnostics {
		row := fmt.Sprintf("| %s | %s | %s | %s |\n", markdownCell(fmt.Sprintf("%s:%d", d.File, d.Line)), d.Severity, d.Code, markdownCell(d.Message))
		// Room is kept for the note, whose length hardly varies.
		if b.Len()+len(row) > stepSummaryLimit-200 {
			fmt.Fprintf(&b, "\n%d more diagnostics do not fit in a job summary; the job log lists every one.\n", len(r.Diagnostics)-i)
			break
		}
		b.WriteString(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// compareCodes orders codes as SPEC §5 lists them, unknown ones last.
func compareCodes(a, b string) int {
	ia, oka := codeIndex[a]
	ib, okb := codeIndex[b]
	if !oka {
		ia = len(Codes)
	}
	if !okb {
		ib = len(Codes)
	}
	return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
}

// markdownCell writes a value (a file name, a message: the site's text,
// which may be hostile) as one table cell that GitHub shows as it is: a
// code span, inside which no link, image, autolink or HTML is read, so a
// file named "[x](https://evil.example)" or "<img src=…>" shows as those
// characters. A "|" would still end the cell (GFM splits a row before it
// reads code spans), so it is escaped as "\|", with one more backslash
// where a run of them before it would otherwise take the escape; line
// breaks and other control characters are escaped (Printable).
func markdownCell(s string) string {
	s = Printable(s)
	var b strings.Builder
	run := 0 // backslashes just written
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '|' {
			if run%2 == 1 {
				b.WriteByte('\\')
			}
			b.WriteString(`\|`)
			run = 0
			continue
		}
		if c == '\\' {
			run++
		} else {
			run = 0
		}
		b.WriteByte(c)
	}
	s = b.String()
	// The fence is one backtick longer than the longest run inside, and
	// the spaces inside it are taken off by the reader.
	longest, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			cur++
			longest = max(longest, cur)
		} else {
			cur = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	return fence + " " + s + " " + fence
}
