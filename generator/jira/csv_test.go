package jira

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// header is a small Jira header with the required columns and a
// repeated one.
const header = "Summary,Issue key,Issue id,Issue Type,Status,Labels,Labels,Updated,Custom field (Story Points)\r\n"

func TestReadIssues(t *testing.T) {
	src := "\ufeff" + header +
		"Pay by card,ACME-1,101,Story,To Do,payments,mobile,08/Dec/26 10:15 AM,5\r\n" +
		"\"Quotes \"\"inside\"\", and a comma\",ACME-2,102,Bug,Done,,,2026-12-01T09:00:00.000+0100,\r\n" +
		"Fewer cells,ACME-3,103,Task,To Do\r\n"
	issues, err := ReadIssues(strings.NewReader(src), "export.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%q", [][]any{
		{issues[0].Summary, issues[0].Labels, issues[0].Updated, issues[0].Estimate, issues[0].Line},
		{issues[1].Summary, issues[1].Labels, issues[1].Updated},
		{issues[2].Key, issues[2].Labels},
	})
	want := fmt.Sprintf("%q", [][]any{
		{"Pay by card", []string{"payments", "mobile"}, "2026-12-08", "5", 2},
		{`Quotes "inside", and a comma`, []string(nil), "2026-12-01"},
		{"ACME-3", []string(nil)},
	})
	if got != want {
		t.Errorf("ReadIssues =\n %s\nwant\n %s", got, want)
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"08/Dec/26 10:15 AM":           "2026-12-08",
		"8/Dec/26 9:05 PM":             "2026-12-08",
		"08/dec/2026 21:05":            "2026-12-08",
		"08/Dec/26":                    "2026-12-08",
		"2026-12-08T23:30:00.000-0800": "2026-12-08", // the day as written, not in UTC
		"2026-12-08T10:15:00Z":         "2026-12-08",
		"2026-12-08 10:15":             "2026-12-08",
		"2026-12-08":                   "2026-12-08",
	} {
		if got, ok := ParseDate(in); !ok || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "yesterday", "31/Feb/26", "08.12.2026", "08/Dez/26"} {
		if got, ok := ParseDate(in); ok {
			t.Errorf("ParseDate(%q) = %q; want it refused", in, got)
		}
	}
}

// TestBadInput: every way an export can be wrong is an InputError at the
// row and column it concerns, never a panic or a bare error.
func TestBadInput(t *testing.T) {
	long := strings.Repeat("x", MaxRowBytes+1)
	tests := []struct {
		name string
		src  string
		want string // the whole error's text, or a part of it
	}{
		{"empty file", "", "export.csv:1:1: the file is empty"},
		{"not CSV", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "export.csv:1:1: row 1: not a Jira CSV export: the text is not UTF-8"},
		{"JSON", `{"issues": [{"key": "ACME-1"}]}` + "\n", `export.csv:1:2: row 1: not a Jira CSV export: bare " in non-quoted-field (not valid CSV)`},
		{"a header of another tool's CSV with a column", "Title,Issue key\nFix login,GH-1\n", `the header has no "Issue id" or "Issue Type" or "Summary" or "Status" column`},
		{"another tool's CSV", "Title,State,Assignee,Labels,Milestone\nFix login,open,ana,bug,v1\n", `export.csv:1:1: row 1: not a Jira CSV export: the header has none of the columns`},
		{"semicolons", "Summary;Issue key;Issue id;Issue Type;Status\nA;ACME-1;1;Story;To Do\n", "separated by semicolons"},
		{"a missing column", "Summary,Issue key,Issue id,Status\nA,ACME-1,1,To Do\n", `export.csv:1:1: row 1: the header has no "Issue Type" column`},
		{"bare quote", header + "Pay \"by\" card,ACME-1,1,Story,To Do,,,,\r\n", `export.csv:2:5: row 2: bare " in non-quoted-field (not valid CSV)`},
		{"unclosed quote", header + "\"Pay by card,ACME-1,1,Story,To Do,,,,\r\n", "export.csv:2:39: row 2: extraneous or missing \" in quoted-field (not valid CSV)"},
		{"not UTF-8", header + "Caf\xe9,ACME-1,1,Story,To Do,,,,\r\n", `export.csv:2:4: row 2, column "Summary": the text is not UTF-8`},
		{"too many cells", header + "A,ACME-1,1,Story,To Do,,,,,extra\r\n", "export.csv:2:28: row 2: the row has 10 cells, the header 9"},
		{"duplicate key", header + "A,ACME-1,1,Story,To Do,,,,\r\nB,ACME-2,2,Story,To Do,,,,\r\nC,acme-1,3,Story,To Do,,,,\r\n", `export.csv:4:3: row 4, column "Issue key": duplicate issue key acme-1 (first at row 2)`},
		{"empty key", header + "A,,1,Story,To Do,,,,\r\n", `row 2, column "Issue key": the issue key is empty`},
		{"key that is no ID", header + "A,ACME 1,1,Story,To Do,,,,\r\n", `the issue key "ACME 1" is not an ID`},
		{"no type", header + "A,ACME-1,1,,To Do,,,,\r\n", `column "Issue Type": ACME-1 has no issue type`},
		{"no summary", header + ",ACME-1,1,Story,To Do,,,,\r\n", `column "Summary": ACME-1 has no summary`},
		{"bad date", header + "A,ACME-1,1,Story,To Do,,,yesterday,\r\n", `export.csv:2:26: row 2, column "Updated": "yesterday" is not a date`},
		{"bad story points", header + "A,ACME-1,1,Story,To Do,,,,lots\r\n", `export.csv:2:27: row 2, column "Custom field (Story Points)": story points "lots" are not a number`},
		{"negative story points", header + "A,ACME-1,1,Story,To Do,,,,-3\r\n", `story points "-3" are not a number ≥ 0`},
		{"a row too long", header + "\"" + long + "\",ACME-1,1,Story,To Do,,,,\r\n", "row 2: the row is longer than 16 MiB"},
		{"a version with no ID", "Summary,Issue key,Issue id,Issue Type,Status,Fix Version/s\nA,ACME-1,1,Story,To Do,***\n", `column "Fix Version/s": the version "***" makes no release ID`},
		{"versions that collide", "Summary,Issue key,Issue id,Issue Type,Status,Fix Version/s,Fix Version/s\nA,ACME-1,1,Story,To Do,v 1,v-1\n", `the versions "v 1" and "v-1" both make the release ID REL-v-1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			issues, err := ReadIssues(strings.NewReader(tt.src), "export.csv")
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ReadIssues = %d issues, %v; want an InputError", len(issues), err)
			}
			if issues != nil {
				t.Errorf("issues returned with an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n %s\nwant it to contain\n %s", err, tt.want)
			}
		})
	}
}

// bigExport streams an export of about size bytes: rows with a wide
// column the import does not read, as Jira's comment columns are.
type bigExport struct {
	size, n int
	buf     bytes.Buffer
	row     int
}

func (b *bigExport) Read(p []byte) (int, error) {
	for b.buf.Len() < len(p) && b.n < b.size {
		if b.row == 0 {
			b.buf.WriteString("Summary,Issue key,Issue id,Issue Type,Status,Comment,Description\r\n")
		}
		b.row++
		before := b.buf.Len()
		fmt.Fprintf(&b.buf, "Story %d,BIG-%d,%d,Story,To Do,\"%s\",Short.\r\n", b.row, b.row, b.row, strings.Repeat("c", 20_000))
		b.n += b.buf.Len() - before
	}
	if b.buf.Len() == 0 {
		return 0, io.EOF
	}
	return b.buf.Read(p)
}

// TestLargeExport reads a 100 MB export as a stream: what stays in memory
// is the mapped fields, not the file.
func TestLargeExport(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100 MB; skipped with -short")
	}
	src := &bigExport{size: 100 << 20}
	issues, err := ReadIssues(src, "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if len(issues) < 5000 || src.n < 100<<20 {
		t.Fatalf("read %d issues of %d bytes; want the whole export", len(issues), src.n)
	}
	// The issues' mapped fields are a few hundred bytes each.
	if m.HeapInuse > 40<<20 {
		t.Errorf("%d MB in use after reading %d MB; the export is held in memory", m.HeapInuse>>20, src.n>>20)
	}
	runtime.KeepAlive(issues) // what is measured is what they hold
}
