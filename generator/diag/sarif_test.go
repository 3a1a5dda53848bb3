package diag

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaFile is the published SARIF 2.1.0 schema, kept beside the
// repository rather than fetched, so that the test runs offline.
var sarifSchemaFile = filepath.Join("..", "..", "..", "shared", "schemas", "sarif-2.1.0.json")

func TestSARIFSchema(t *testing.T) {
	if _, err := os.Stat(sarifSchemaFile); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("the SARIF 2.1.0 schema is not at %s (../shared/schemas/ beside the repository); not validating", sarifSchemaFile)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := c.Compile(sarifSchemaFile)
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	tests := []struct {
		name string
		r    *Report
	}{
		{"every code", fixture(t)},
		{"no diagnostics", &Report{Documents: fixtureDocuments}},
		{"a diagnostic without a position", &Report{Diagnostics: []Diagnostic{{File: "content/a.md", Severity: Error, Code: CodeFrontmatter, Message: "m"}}}},
		{"file names that are not URIs as they are", &Report{Diagnostics: []Diagnostic{
			{File: "content/guides/my notes #1?.md", Line: 1, Column: 1, Severity: Error, Code: CodeFrontmatter, Message: "m"},
			{File: "content/a:b/é.md", Line: 1, Column: 1, Severity: Error, Code: CodeFrontmatter, Message: "m"},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSARIF(&b, tt.r, "1.2.3"); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("output does not validate against SARIF 2.1.0: %v", err)
			}
		})
	}
}

// sarifOutput is the part of a SARIF log the tests look at.
type sarifOutput struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, r *Report) sarifOutput {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, "sarif", r); err != nil {
		t.Fatal(err)
	}
	var out sarifOutput
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(out.Runs))
	}
	return out
}

func TestSARIFRulesAndResults(t *testing.T) {
	r := fixture(t)
	run := readSARIF(t, r).Runs[0]
	rules := run.Tool.Driver.Rules
	if len(rules) != len(Codes) {
		t.Fatalf("%d rules, want one per code (%d)", len(rules), len(Codes))
	}
	for i, c := range Codes {
		if rules[i].ID != c.Name || rules[i].DefaultConfiguration.Level != c.Default.String() {
			t.Errorf("rule %d is %s (%s), want %s (%s)", i, rules[i].ID, rules[i].DefaultConfiguration.Level, c.Name, c.Default)
		}
	}
	if len(run.Results) != len(r.Diagnostics) {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Diagnostics))
	}
	for i, res := range run.Results {
		d := r.Diagnostics[i]
		loc := res.Locations[0].PhysicalLocation
		if res.RuleID != d.Code || rules[res.RuleIndex].ID != d.Code || res.Level != d.Severity.String() ||
			loc.ArtifactLocation.URI != d.File || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
			loc.Region.StartLine != d.Line || loc.Region.StartColumn != d.Column {
			t.Errorf("result %d does not describe %v: %+v", i, d, res)
		}
	}
}

func TestSARIFFingerprints(t *testing.T) {
	d := Diagnostic{File: "content/backlog/story-1.md", Line: 7, Column: 9, Severity: Error, Code: CodeBrokenLink, Message: `traces to "EPIC-9"`}
	fingerprints := func(ds ...Diagnostic) []string {
		t.Helper()
		var fps []string
		for _, res := range readSARIF(t, &Report{Diagnostics: ds}).Runs[0].Results {
			fps = append(fps, res.PartialFingerprints["primaryLocationLineHash"])
		}
		return fps
	}
	base := fingerprints(d)[0]
	if base == "" {
		t.Fatal("no primaryLocationLineHash")
	}

	moved := d
	moved.Line, moved.Column = 30, 1
	if got := fingerprints(moved)[0]; got != base {
		t.Errorf("the fingerprint changed when the problem moved: %s, then %s", base, got)
	}
	for name, change := range map[string]func(*Diagnostic){
		"file":    func(d *Diagnostic) { d.File = "content/backlog/story-2.md" },
		"code":    func(d *Diagnostic) { d.Code = CodeWrongKind },
		"message": func(d *Diagnostic) { d.Message = `traces to "EPIC-8"` },
	} {
		other := d
		change(&other)
		if got := fingerprints(other)[0]; got == base {
			t.Errorf("another %s gives the same fingerprint %s", name, got)
		}
	}

	// The same problem twice in a file (two links to one missing ID) is two
	// alerts, told apart by their order.
	twice := d
	twice.Line = 20
	fps := fingerprints(d, twice)
	h0, n0, _ := strings.Cut(fps[0], ":")
	h1, n1, _ := strings.Cut(fps[1], ":")
	if fps[0] != base || h0 != h1 || n0 != "1" || n1 != "2" {
		t.Errorf("fingerprints of the same problem twice: %q; want %s, then the same hash with :2", fps, base)
	}
}

func TestSARIFFileURI(t *testing.T) {
	tests := []struct{ file, uri string }{
		{"content/backlog/story-1.md", "content/backlog/story-1.md"},
		{"content/guides/my notes #1?.md", "content/guides/my%20notes%20%231%3F.md"},
		{"content/guides/café.md", "content/guides/caf%C3%A9.md"},
		{"a:b/c.md", "./a:b/c.md"},
	}
	for _, tt := range tests {
		if got := fileURI(tt.file); got != tt.uri {
			t.Errorf("fileURI(%q) = %q, want %q", tt.file, got, tt.uri)
		}
	}
}
