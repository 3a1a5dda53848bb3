package content

import (
	"fmt"
	"strings"
	"testing"
)

// wantField is a frontmatter key as a test expects it: where the key and
// the value start ("line:column") and the value as Text shows it.
type wantField struct {
	key, keyAt, valueAt, text string
}

func at(p Pos) string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

func TestSplit(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		format   string
		body     string
		bodyLine int
		fields   []wantField
	}{
		{
			name:     "no frontmatter",
			src:      "# Title\n\nText.\n",
			body:     "# Title\n\nText.\n",
			bodyLine: 1,
		},
		{
			name:     "a thematic break later in the body is not frontmatter",
			src:      "Text.\n\n---\n\nMore.\n",
			body:     "Text.\n\n---\n\nMore.\n",
			bodyLine: 1,
		},
		{
			name:     "YAML",
			src:      "---\nid: STORY-1\nkind: story\ntags: [a, b]\n---\n\nBody.\n",
			format:   "yaml",
			body:     "\nBody.\n",
			bodyLine: 6,
			fields: []wantField{
				{"id", "2:1", "2:5", `"STORY-1"`},
				{"kind", "3:1", "3:7", `"story"`},
				{"tags", "4:1", "4:7", "a list"},
			},
		},
		{
			name:     "YAML after blank lines",
			src:      "\n\n---\ntitle: x\n---\nbody",
			format:   "yaml",
			body:     "body",
			bodyLine: 6,
			fields:   []wantField{{"title", "4:1", "4:8", `"x"`}},
		},
		{
			name:     "YAML with a byte order mark",
			src:      "\ufeff---\nid: VIS-1\nstatus: done\n---\nBody.\n",
			format:   "yaml",
			body:     "Body.\n",
			bodyLine: 5,
			fields: []wantField{
				{"id", "2:1", "2:5", `"VIS-1"`},
				{"status", "3:1", "3:9", `"done"`},
			},
		},
		{
			name:     "YAML with CRLF line ends",
			src:      "---\r\nid: VIS-1\r\nstatus: done\r\n---\r\nBody.\r\n",
			format:   "yaml",
			body:     "Body.\r\n",
			bodyLine: 5,
			fields: []wantField{
				{"id", "2:1", "2:5", `"VIS-1"`},
				{"status", "3:1", "3:9", `"done"`},
			},
		},
		{
			name:     "YAML with CR line ends (old Mac files)",
			src:      "---\rid: STORY-1\rkind: story\r---\r# Body\r\rText.\r",
			format:   "yaml",
			body:     "# Body\n\nText.\n",
			bodyLine: 5,
			fields: []wantField{
				{"id", "2:1", "2:5", `"STORY-1"`},
				{"kind", "3:1", "3:7", `"story"`},
			},
		},
		{
			name:     "TOML with CR line ends",
			src:      "+++\rkind = 'story'\rx = \"\"\"\ra\"\"\"\r+++\rBody.",
			format:   "toml",
			body:     "Body.",
			bodyLine: 6,
			fields: []wantField{
				{"kind", "2:1", "2:8", `"story"`},
				{"x", "3:1", "3:5", `"a"`},
			},
		},
		{
			name:     "JSON with line ends of every kind",
			src:      ";;;\r{\"kind\": \"story\",\r\n \"id\": \"S-1\"}\n;;;\rBody.\r\n",
			format:   "json",
			body:     "Body.\r\n",
			bodyLine: 5,
			fields: []wantField{
				{"kind", "2:2", "2:10", `"story"`},
				{"id", "3:2", "3:8", `"S-1"`},
			},
		},
		{
			name:     "YAML with a BOM and CRLF",
			src:      "\ufeff\r\n---\r\n  # a comment\r\nrank: 3\r\n---\r\n",
			format:   "yaml",
			body:     "",
			bodyLine: 6,
			fields:   []wantField{{"rank", "4:1", "4:7", "3"}},
		},
		{
			name:     "YAML comments with CRLF",
			src:      "---\r\nx: 1\r\n# a comment\r\n\r\n# another\r\nrank: 3\r\n---\r\n",
			format:   "yaml",
			bodyLine: 8,
			fields: []wantField{
				{"x", "2:1", "2:4", "1"},
				{"rank", "6:1", "6:7", "3"},
			},
		},
		{
			name:     "TOML comments with CRLF",
			src:      "+++\r\n# c\r\nx = 1\r\n# c\r\nrank = 3\r\n+++\r\n",
			format:   "toml",
			bodyLine: 7,
			fields: []wantField{
				{"x", "3:1", "3:5", "1"},
				{"rank", "5:1", "5:8", "3"},
			},
		},
		{
			name:     "YAML scalars keep their text",
			src:      "---\na: |\n  lit\n  eral\nb: 2020-01-01\nc: 1.5\nd: 0x1F\ne: ~\nf: yes\n---\n",
			format:   "yaml",
			bodyLine: 11,
			fields: []wantField{
				{"a", "2:1", "2:4", `"lit\neral\n"`},
				{"b", "5:1", "5:4", `"2020-01-01"`},
				{"c", "6:1", "6:4", "1.5"},
				{"d", "7:1", "7:4", "0x1F"},
				{"e", "8:1", "8:4", "null"},
				{"f", "9:1", "9:4", `"yes"`}, // YAML 1.2: yes is text
			},
		},
		{
			name:     "YAML null keys are named as written",
			src:      "---\nnull: y\n~: z\n---\n",
			format:   "yaml",
			bodyLine: 5,
			fields: []wantField{
				{"null", "2:1", "2:7", `"y"`},
				{"~", "3:1", "3:4", `"z"`},
			},
		},
		{
			name:     "YAML explicit and quoted keys",
			src:      "---\n\"a\": 1\n? b\n: 2\n---\n",
			format:   "yaml",
			bodyLine: 6,
			fields: []wantField{
				{"a", "2:1", "2:6", "1"},
				{"b", "3:3", "4:3", "2"},
			},
		},
		{
			name:     "YAML alias repeats its anchor",
			src:      "---\nx: &a [1, 2]\ny: *a\n---\n",
			format:   "yaml",
			bodyLine: 5,
			fields: []wantField{
				{"x", "2:1", "2:7", "a list"},
				{"y", "3:1", "2:7", "a list"},
			},
		},
		{
			name:     "empty YAML",
			src:      "---\n---\nbody\n",
			format:   "yaml",
			body:     "body\n",
			bodyLine: 3,
		},
		{
			name:     "a second --- block is body",
			src:      "---\na: 1\n---\nb: 2\n---\n",
			format:   "yaml",
			body:     "b: 2\n---\n",
			bodyLine: 4,
			fields:   []wantField{{"a", "2:1", "2:4", "1"}},
		},
		{
			name:     "TOML",
			src:      "+++\nid = \"VIS-1\"\n  kind='vision'\ntags = [\"a\", \"b\"]\nupdated = 2026-01-31\n+++\nBody.\n",
			format:   "toml",
			body:     "Body.\n",
			bodyLine: 7,
			fields: []wantField{
				{"id", "2:1", "2:6", `"VIS-1"`},
				{"kind", "3:3", "3:8", `"vision"`},
				{"tags", "4:1", "4:8", "a list"},
				{"updated", "5:1", "5:11", `"2026-01-31"`},
			},
		},
		{
			name:     "TOML table takes its header's position",
			src:      "+++\ntitle = 'x'\n[extra]\nk = 1\n+++\n",
			format:   "toml",
			bodyLine: 6,
			fields: []wantField{
				{"title", "2:1", "2:9", `"x"`},
				{"extra", "3:1", "3:1", "a mapping"},
			},
		},
		{
			name:     "TOML without a final newline",
			src:      "+++\na = 1\n+++",
			format:   "toml",
			bodyLine: 3,
			fields:   []wantField{{"a", "2:1", "2:5", "1"}},
		},
		{
			name:     "JSON",
			src:      ";;;\n{\n  \"id\": \"VIS-1\",\n  \"tags\": [\"a\"],\n  \"rank\": 2\n}\n;;;\n\nBody.\n",
			format:   "json",
			body:     "\nBody.\n",
			bodyLine: 8,
			fields: []wantField{
				{"id", "3:3", "3:9", `"VIS-1"`},
				{"tags", "4:3", "4:11", "a list"},
				{"rank", "5:3", "5:11", "2"},
			},
		},
		{
			name:     "JSON on one line",
			src:      ";;;\n{\"a\": [1, 2], \"b\": {\"c\": true}}\n;;;\n",
			format:   "json",
			bodyLine: 4,
			fields: []wantField{
				{"a", "2:2", "2:7", "a list"},
				{"b", "2:15", "2:20", "a mapping"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, format, body, bodyLine, prob := Split([]byte(tt.src))
			if prob != nil {
				t.Fatalf("Split: unexpected problem %v", prob)
			}
			if format != tt.format {
				t.Errorf("format = %q, want %q", format, tt.format)
			}
			if string(body) != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if bodyLine != tt.bodyLine {
				t.Errorf("bodyLine = %d, want %d", bodyLine, tt.bodyLine)
			}
			if tt.format == "" {
				if fm != nil {
					t.Errorf("frontmatter = %+v, want nil", fm)
				}
				return
			}
			if fm == nil || fm.Kind != Map {
				t.Fatalf("frontmatter = %+v, want a mapping", fm)
			}
			if len(fm.Map) != len(tt.fields) {
				t.Errorf("got %d fields, want %d", len(fm.Map), len(tt.fields))
			}
			for _, w := range tt.fields {
				f := fm.Get(w.key)
				if f == nil {
					t.Errorf("field %q missing", w.key)
					continue
				}
				if got := at(f.KeyPos); got != w.keyAt {
					t.Errorf("%s: key at %s, want %s", w.key, got, w.keyAt)
				}
				if got := at(f.Value.Pos); got != w.valueAt {
					t.Errorf("%s: value at %s, want %s", w.key, got, w.valueAt)
				}
				if got := f.Value.Text(); got != w.text {
					t.Errorf("%s: value %s, want %s", w.key, got, w.text)
				}
			}
		})
	}
}

func TestSplitProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		at   string // "line:column" of the problem, or "line:" when the column is the parser's business
		msg  string // a substring of its message
		body string // the body still returned, for its links
	}{
		{"unclosed YAML", "---\nid: VIS-1\nkind: vision\n\n# Vision\n", "1:1", `opened with "---" is never closed`, ""},
		{"unclosed after blank lines", "\n\n+++\nid = 'x'\n", "3:1", `opened with "+++" is never closed`, ""},
		{"only an opening line", "---", "1:1", "never closed", ""},
		{"unclosed JSON", ";;;\n{}\n", "1:1", `opened with ";;;" is never closed`, ""},
		{"duplicate key", "---\nid: A\ntitle: x\ntitle: y\n---\nBody [[A]]\n", "4:1", `duplicate key "title" (first at line 3)`, "Body [[A]]\n"},
		{"duplicate key with CRLF", "---\r\nid: A\r\nid: B\r\n---\r\n", "3:1", `duplicate key "id" (first at line 2)`, ""},
		{"duplicate key in JSON", ";;;\n{\n  \"id\": \"A\",\n  \"id\": \"B\"\n}\n;;;\n", "4:3", `duplicate key "id" (first at line 3)`, ""},
		{"duplicate key in a nested mapping", "---\nextra:\n  a: 1\n  a: 2\n---\n", "4:3", `duplicate key "a"`, ""},
		{"duplicate key in TOML", "+++\na = 1\na = 2\n+++\n", "3:7", "already been defined", ""},
		{"bad YAML syntax", "---\nid: VIS-1\ntitle: [unclosed\n---\n", "3:8", "']' not found", ""},
		{"bad YAML syntax after a BOM", "\ufeff---\nid: VIS-1\ntitle: [unclosed\n---\n", "3:8", "']' not found", ""},
		{"tab indentation", "---\n\ta: 1\n---\n", "2:2", "tab", ""},
		{"bad TOML syntax after a multi-line string with CRLF", "+++\r\nx = \"\"\"\r\na\r\n\"\"\"\r\nrank = 'a\r\n+++\r\n", "5:10", "cannot contain newlines", ""},
		{"bad TOML syntax", "+++\nid = \"VIS-1\"\nkind = vision\n+++\n", "3:8", "expected value", ""},
		{"bad JSON syntax", ";;;\n{\n  \"id\": \"A\",,\n}\n;;;\n", "3:13", "", ""},
		{"not a mapping", "---\n- a\n- b\n---\n", "2:1", "must be a mapping of fields, not list", ""},
		{"a scalar", "---\njust text\n---\n", "2:1", "not string", ""},
		{"JSON list", ";;;\n[1, 2]\n;;;\n", "2:1", "not list", ""},
		{"merge key", "---\n<<: {a: 1}\n---\n", "2:1", "merge keys (<<) are not supported", ""},
		{"unknown alias", "---\na: *nope\n---\n", "2:4", "", ""},
		{"conflict marker", "---\nid: A\n<<<<<<< HEAD\ntitle: x\n=======\ntitle: y\n>>>>>>> branch\n---\nBody\n", "3:1", "merge conflict marker", "Body\n"},
		{"two YAML documents", "---\na: 1\n...\nb: 2\n---\n", "2:1", "more than one YAML document", ""},
		{"deep nesting", "---\na: " + strings.Repeat("[", 150) + "\n---\n", "2:1", "nests deeper than 100 levels", ""},
		{
			"alias bomb",
			"---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n",
			"6:", "alias bomb", "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, _, body, _, prob := Split([]byte(tt.src))
			if prob == nil {
				t.Fatalf("Split: no problem; frontmatter %+v", fm)
			}
			if fm != nil {
				t.Errorf("frontmatter = %+v with a problem, want nil", fm)
			}
			if got := at(prob.Pos); got != tt.at && !(strings.HasSuffix(tt.at, ":") && strings.HasPrefix(got, tt.at)) {
				t.Errorf("problem at %s, want %s (%s)", got, tt.at, prob.Message)
			}
			if !strings.Contains(prob.Message, tt.msg) {
				t.Errorf("problem %q, want it to contain %q", prob.Message, tt.msg)
			}
			if tt.body != "" && string(body) != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
		})
	}
}

func TestValueInterface(t *testing.T) {
	fm, _, _, _, prob := Split([]byte("---\ns: text\ni: 3\nf: 2.5\nb: true\nn: null\nl: [1, a]\nm: {k: v}\n---\n"))
	if prob != nil {
		t.Fatal(prob)
	}
	got := fmt.Sprintf("%#v", fm.Interface())
	want := `map[string]interface {}{"b":true, "f":2.5, "i":3, "l":[]interface {}{1, "a"}, "m":map[string]interface {}{"k":"v"}, "n":interface {}(nil), "s":"text"}`
	if got != want {
		t.Errorf("Interface() =\n %s\nwant\n %s", got, want)
	}
	var nilValue *Value
	if nilValue.Interface() != nil || nilValue.Get("x") != nil {
		t.Error("a nil Value must read as nothing")
	}
}

// TestParseYAMLLineEnds: productdocs.yaml, read by ParseYAML without
// Split's LineEnds, takes every line end too, positions included: the
// YAML parser counts a lone CR as a line end itself.
func TestParseYAMLLineEnds(t *testing.T) {
	for _, end := range []string{"\n", "\r\n", "\r"} {
		v, prob := ParseYAML([]byte(strings.ReplaceAll("title: A\n# c\nchecks:\n  late: off\n", "\n", end)), 1)
		if prob != nil {
			t.Fatalf("%q: %v", end, prob)
		}
		f := v.Get("checks")
		if f == nil || at(f.KeyPos) != "3:1" || f.Value.Get("late") == nil || at(f.Value.Get("late").KeyPos) != "4:3" {
			t.Errorf("%q: checks %+v, want it at 3:1 and late at 4:3", end, f)
		}
	}
}
