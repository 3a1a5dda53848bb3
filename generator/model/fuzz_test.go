package model

import (
	"encoding/json"
	"testing"

	"productdocs/generator/internal/testkit"
)

// FuzzFieldsWritable: whatever a document's frontmatter holds, what the
// model keeps of it can be written as JSON (model.json writes the fields,
// the key results and extra with encoding/json); what cannot be is an
// invalid field, reported, and left out.
func FuzzFieldsWritable(f *testing.F) {
	for _, s := range []string{
		"---\nextra: {score: .nan}\n---\n",
		"---\nextra: {a: [1, {b: -.inf}]}\n---\n",
		"---\nid: OBJ-1\nkind: objective\ntitle: T\nkey_results:\n  - {metric: m, target: .inf, current: .NaN}\n---\n",
		"---\nid: S-1\nkind: story\ntitle: T\nestimate: .inf\n---\n",
		"+++\nestimate = inf\n[extra]\nscore = nan\n+++\n",
		";;;\n{\"extra\": {\"n\": .inf}, \"kind\": \"epic\", \"estimate\": -.inf}\n;;;\n",
		"---\nkind: epic\ntitle: T\nrank: 18446744073709551616\nestimate: 1e308\n---\n",
	} {
		f.Add("content/backlog/x.md", []byte(s))
	}
	for _, d := range testkit.FixtureDocuments(f) {
		f.Add("content/backlog/x.md", d)
		f.Add("content/strategy/x.md", d)
	}
	f.Fuzz(func(t *testing.T, file string, text []byte) {
		if file != "content/backlog/x.md" {
			file = "content/strategy/x.md"
		}
		s := site(t, file, string(text))
		for _, d := range s.Docs {
			if _, err := json.Marshal(d.Fields); err != nil {
				t.Fatalf("fields %v: %v", d.Fields, err)
			}
			if d.Extra != nil {
				if _, err := json.Marshal(d.Extra.Interface()); err != nil {
					t.Fatalf("extra: %v", err)
				}
			}
		}
	})
}
