package jira

import (
	"errors"
	"os"
	"strings"
	"testing"

	"productdocs/generator/content"
)

func TestUpdateDocument(t *testing.T) {
	extra := jiraExtra(&Issue{Type: "Story", Status: "In Review"})
	tests := []struct {
		name    string
		old     string
		entries []entry
		want    string
		note    string
	}{
		{
			name:    "a value replaced in place, the rest kept",
			old:     "---\nid: A-1\n# the team's comment\nstatus: proposed\nrank: 2\n---\n\nThe team's text.\n",
			entries: []entry{scalarEntry("status", "done")},
			want:    "---\nid: A-1\n# the team's comment\nstatus: done\nrank: 2\n---\n\nThe team's text.\n",
		},
		{
			name:    "a comment after a value kept",
			old:     "---\nstatus: proposed   # ask Ana\n---\n",
			entries: []entry{scalarEntry("status", "done")},
			want:    "---\nstatus: done   # ask Ana\n---\n",
		},
		{
			name:    "a block value replaced whole",
			old:     "---\ntags:\n  - a\n  - b\nowner: x\n---\n",
			entries: []entry{listEntry("tags", []string{"c"})},
			want:    "---\ntags: [c]\nowner: x\n---\n",
		},
		{
			name:    "a missing key added at the end",
			old:     "---\nid: A-1\n---\nBody\n",
			entries: []entry{scalarEntry("owner", "Ana Lima")},
			want:    "---\nid: A-1\nowner: Ana Lima\n---\nBody\n",
		},
		{
			name:    "a key written only when absent",
			old:     "---\nhorizon: later\n---\n",
			entries: []entry{{key: "horizon", lines: []string{"horizon: next"}, ifAbsent: true}, {key: "quarter", lines: []string{"quarter: 2027-Q1"}, ifAbsent: true}},
			want:    "---\nhorizon: later\nquarter: 2027-Q1\n---\n",
		},
		{
			name:    "extra's jira key replaced, the team's keys kept",
			old:     "---\nextra:\n  team: 1\n  jira:\n    type: Bug\n  more: 2\n---\n",
			entries: []entry{extra},
			want:    "---\nextra:\n  team: 1\n  jira:\n    type: Story\n    status: In Review\n  more: 2\n---\n",
		},
		{
			name:    "extra without jira gets it",
			old:     "---\nextra:\n    team: 1\nowner: x\n---\n",
			entries: []entry{extra},
			want:    "---\nextra:\n    team: 1\n    jira:\n      type: Story\n      status: In Review\nowner: x\n---\n",
		},
		{
			name:    "extra in flow style is left alone, and said so",
			old:     "---\nextra: {team: 1}\n---\n",
			entries: []entry{extra},
			want:    "---\nextra: {team: 1}\n---\n",
			note:    "extra is not written as a block mapping",
		},
		{
			name:    "CRLF and a byte order mark kept",
			old:     "\ufeff---\r\nstatus: proposed\r\n---\r\nBody\r\n",
			entries: []entry{scalarEntry("status", "done"), scalarEntry("owner", "x")},
			want:    "\ufeff---\r\nstatus: done\r\nowner: x\r\n---\r\nBody\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, notes, err := updateDocument("a.md", []byte(tt.old), tt.entries)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("updateDocument =\n%q\nwant\n%q", got, tt.want)
			}
			if tt.note != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.note)) {
				t.Errorf("notes %q, want one containing %q", notes, tt.note)
			}
		})
	}
}

func TestUpdateDocumentRefuses(t *testing.T) {
	for name, old := range map[string]string{
		"TOML":                 "+++\nid = \"A-1\"\n+++\n",
		"no frontmatter":       "Just text.\n",
		"broken frontmatter":   "---\nid: [\n---\n",
		"unclosed frontmatter": "---\nid: A-1\n",
	} {
		if _, _, err := updateDocument("a.md", []byte(old), []entry{scalarEntry("status", "done")}); err == nil {
			t.Errorf("%s: updateDocument accepted %q", name, old)
		}
	}
}

func TestYAMLText(t *testing.T) {
	for _, s := range []string{"Pay by card", "2.4", "yes", "null", "a: b", "#x", "- x", "[x]", "It's", "Ana Lima", "x ", "3-D Secure", "a\"b", "é", "tab\there", "@x", "*x", "{x}"} {
		src := "---\nv: " + yamlText(s) + "\n---\n"
		out, _, err := updateDocument("a.md", []byte(src), nil)
		if err != nil || out != src {
			t.Errorf("yamlText(%q) = %s: %v", s, yamlText(s), err)
			continue
		}
		if got := readBack(t, src); got != s {
			t.Errorf("yamlText(%q) = %s, read back as %q", s, yamlText(s), got)
		}
	}
}

func FuzzReader(f *testing.F) {
	seed, err := os.ReadFile("testdata/acme-export.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(header + "A,ACME-1,1,Story,To Do,a,b,08/Dec/26 10:15 AM,3\r\n"))
	f.Add([]byte("Summary,Issue key\n\"unclosed"))
	f.Add([]byte("\ufeffIssue key,Issue id,Issue Type,Summary,Status\nK-1,1,Epic,S,Done\nK-1,2,Epic,S,Done\n"))
	f.Add([]byte{0xff, 0xfe, 'a'})
	f.Fuzz(func(t *testing.T, data []byte) {
		issues, err := ReadIssues(strings.NewReader(string(data)), "f.csv")
		var ie *InputError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("ReadIssues: %v is not an InputError", err)
		}
		if err != nil {
			if issues != nil || ie.Line < 1 || ie.Column < 0 {
				t.Fatalf("ReadIssues: %v with %d issues, or no position", err, len(issues))
			}
			return
		}
		for _, is := range issues {
			if is.Key == "" || is.Summary == "" || is.Type == "" {
				t.Fatalf("an issue without key, summary or type: %+v", is)
			}
			body(is, false)
		}
	})
}

// readBack reads the value of v from a document's frontmatter, as the
// site will.
func readBack(t *testing.T, src string) string {
	t.Helper()
	fm, _, _, _, prob := content.Split([]byte(src))
	if prob != nil {
		t.Fatalf("%q: %s", src, prob.Message)
	}
	f := fm.Get("v")
	if f == nil || f.Value.Kind != content.String {
		t.Fatalf("%q: v is not read as text", src)
	}
	return f.Value.Str
}

// FuzzUpdate: whatever a document holds, an update either refuses it or
// leaves frontmatter that reads, with the import's values in it and the
// body as it was.
func FuzzUpdate(f *testing.F) {
	for _, s := range []string{
		"---\nid: A-1\nstatus: proposed # c\nextra:\n  team: 1\n  jira:\n    type: Bug\n---\nBody\n",
		"---\nextra: {a: 1}\n---\n",
		"---\r\nstatus: x\r\n---\r\n",
		"\ufeff---\nstatus:\n  - a\n# c\n\n---\n",
		"---\nextra:\n---\n",
		"+++\nid = 1\n+++\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, old string) {
		entries := []entry{scalarEntry("status", "done"), listEntry("tags", []string{"a b", "c"}), jiraExtra(&Issue{Type: "Story"})}
		out, _, err := updateDocument("a.md", []byte(old), entries)
		if err != nil {
			return
		}
		fm, _, body, _, prob := content.Split([]byte(out))
		if prob != nil {
			t.Fatalf("updateDocument(%q) = %q, which does not read: %s", old, out, prob.Message)
		}
		if f := fm.Get("status"); f == nil || f.Value.Str != "done" {
			t.Fatalf("updateDocument(%q) = %q: status not done", old, out)
		}
		_, _, oldBody, _, _ := content.Split([]byte(old))
		if string(body) != string(oldBody) {
			t.Fatalf("updateDocument(%q) = %q: the body changed", old, out)
		}
	})
}
