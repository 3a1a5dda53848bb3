package diag

import (
	"fmt"
	"strings"
	"testing"
)

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		data, property string
	}{
		{"plain", "traces to EPIC-9", "traces to EPIC-9", "traces to EPIC-9"},
		{"percent", "50% done", "50%25 done", "50%25 done"},
		{"an escape is not decoded", "%0A", "%250A", "%250A"},
		{"colon", "did you mean: EPIC-8", "did you mean: EPIC-8", "did you mean%3A EPIC-8"},
		{"comma", "now, next or later", "now, next or later", "now%2C next or later"},
		{"line feed", "a\nb", "a%0Ab", "a%0Ab"},
		{"carriage return", "a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"all at once", "100%: a,\r\n", "100%25: a,%0D%0A", "100%25%3A a%2C%0D%0A"},
		{"double colon cannot end the command", "::error::", "::error::", "%3A%3Aerror%3A%3A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeData(tt.in); got != tt.data {
				t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := escapeProperty(tt.in); got != tt.property {
				t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.property)
			}
		})
	}
}

func TestGitHubAnnotation(t *testing.T) {
	r := &Report{Diagnostics: []Diagnostic{
		{File: "content/a,b:c.md", Line: 7, Column: 9, Severity: Error, Code: CodeBrokenLink, Message: "x: 1, 2\n100%"},
		{File: "content/d.md", Line: 1, Column: 1, Severity: Warning, Code: CodeUnknownField, Message: "w"},
	}, Documents: []Document{{File: "content/d.md"}}}
	var b strings.Builder
	if err := Write(&b, "github", r); err != nil {
		t.Fatal(err)
	}
	want := "::error file=content/a%2Cb%3Ac.md,line=7,col=9,title=broken-link::x: 1, 2%0A100%25\n" +
		"::warning file=content/d.md,line=1,col=1,title=unknown-field::w\n" +
		"1 document, 1 error, 1 warning\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	// WriteAnnotations is the same commands without the summary line.
	var a strings.Builder
	if err := WriteAnnotations(&a, r.Diagnostics); err != nil {
		t.Fatal(err)
	}
	if got, wantA := a.String(), strings.TrimSuffix(want, "1 document, 1 error, 1 warning\n"); got != wantA {
		t.Errorf("WriteAnnotations: got\n%s\nwant\n%s", got, wantA)
	}
}

func TestStepSummaryClean(t *testing.T) {
	var b strings.Builder
	if err := WriteStepSummary(&b, &Report{Documents: []Document{{File: "content/a.md"}}}); err != nil {
		t.Fatal(err)
	}
	want := "### productdocs\n\n1 document, 0 errors, 0 warnings\n\nNo problems found.\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestStepSummaryCell writes the site's text into a cell of the job
// summary: it must stay in its cell and show as it is, never as a link,
// an image or HTML.
func TestStepSummaryCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "` plain `"},
		{"a | b", "` a \\| b `"},
		{`a \| b`, "` a \\\\\\| b `"},
		{`a \\| b`, "` a \\\\\\| b `"},
		{"one\ntwo\r\nthree", "` one\\ntwo\\r\\nthree `"},
		{"<details>", "` <details> `"},
		{"[click](https://evil.example)", "` [click](https://evil.example) `"},
		{"![x](https://evil.example/p.png)", "` ![x](https://evil.example/p.png) `"},
		{"a`b``c", "``` a`b``c ```"},
		{"`", "`` ` ``"},
	}
	for _, tt := range tests {
		if got := markdownCell(tt.in); got != tt.want {
			t.Errorf("markdownCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextFormatOneLine gives diagnostics whose file name and message
// hold line breaks and terminal escapes: in the text format each stays
// one line, so none can start a GitHub workflow command.
func TestTextFormatOneLine(t *testing.T) {
	r := &Report{Diagnostics: []Diagnostic{
		{File: "content/a\n::error file=x.md::pwned.md", Line: 1, Column: 1, Severity: Error, Code: CodeFrontmatter, Message: "bad\r\n::warning::also\x1b[31m\u2028"},
	}}
	var b strings.Builder
	if err := Write(&b, "text", r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want the diagnostic and the summary:\n%s", len(lines), b.String())
	}
	want := `content/a\n::error file=x.md::pwned.md:1:1: error: bad\r\n::warning::also\x1b[31m\u2028 [frontmatter]`
	if lines[0] != want {
		t.Errorf("got  %s\nwant %s", lines[0], want)
	}
	if got := Printable("caf\xe9 \t ok"); got != `caf\xe9 `+"\t"+` ok` {
		t.Errorf("Printable of a byte that is not UTF-8: %q", got)
	}
	// A source excerpt keeps its lines; a line of it that a runner would
	// read as a command does not.
	d := Diagnostic{File: "content/a.md", Line: 2, Column: 1, Severity: Error, Code: CodeFrontmatter,
		Message: "bad value\n>  2 | ::error::x\n  \t::warning::y\n   ^"}
	if got, want := d.String(), "content/a.md:2:1: error: bad value\n>  2 | ::error::x\\n  \t::warning::y\n   ^ [frontmatter]"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// A report too big for GitHub's limit still gives a summary GitHub keeps,
// and says what it left out.
func TestStepSummaryLimit(t *testing.T) {
	const n = 20000
	r := &Report{}
	for i := range n {
		r.Diagnostics = append(r.Diagnostics, Diagnostic{
			File: fmt.Sprintf("content/backlog/stories/story-%05d.md", i), Line: 7, Column: 9, Severity: Error,
			Code: CodeBrokenLink, Message: `traces to "EPIC-9", which no document has; did you mean "EPIC-8"?`,
		})
	}
	var b strings.Builder
	if err := WriteStepSummary(&b, r); err != nil {
		t.Fatal(err)
	}
	if b.Len() > stepSummaryLimit {
		t.Errorf("summary is %d bytes, over GitHub's limit of %d", b.Len(), stepSummaryLimit)
	}
	rows := strings.Count(b.String(), "| error | broken-link |")
	note := fmt.Sprintf("\n%d more diagnostics do not fit in a job summary; the job log lists every one.\n", n-rows)
	if rows == 0 || rows == n || !strings.HasSuffix(b.String(), note) {
		t.Errorf("%d of %d rows, and the summary ends %q; want some rows and the note %q", rows, n, b.String()[b.Len()-120:], note)
	}
	if !strings.Contains(b.String(), fmt.Sprintf("| broken-link | error | %d |", n)) {
		t.Error("the counts table does not count every diagnostic")
	}
}
