package sitegen_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"productdocs/generator"
	"productdocs/generator/sitegen"
)

func TestGenerateLoadsClean(t *testing.T) {
	for _, n := range []int{sitegen.MinDocs, 137, 500} {
		t.Run(fmt.Sprintf("docs=%d", n), func(t *testing.T) {
			s, err := generator.Load(context.Background(), sitegen.Generate(sitegen.Options{Docs: n, Seed: 7}))
			if err != nil {
				t.Fatal(err)
			}
			if got := len(s.Model.Docs); got != n {
				t.Errorf("%d documents, want %d", got, n)
			}
			for i, d := range s.Diagnostics {
				if i == 20 {
					t.Fatalf("…and %d more", len(s.Diagnostics)-i)
				}
				t.Errorf("unexpected: %s", d)
			}
		})
	}
}

func TestGenerateShape(t *testing.T) {
	const n = 1000
	fsys := sitegen.Generate(sitegen.Options{Docs: n, Seed: 1})
	s, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, d := range s.Model.Docs {
		count[d.Kind.Name]++
	}
	tests := []struct {
		kind     string
		min, max int
	}{
		{"vision", 1, 1},
		{"objective", 8, 12},
		{"initiative", 35, 45},
		{"release", 1, 20},
		{"persona", 1, 10},
		{"market", 1, 10},
		{"competitor", 1, 10},
		{"epic", 140, 160},
		{"story", 600, 700},
		{"feedback", 90, 110},
		{"page", 3, 10},
	}
	for _, tt := range tests {
		if c := count[tt.kind]; c < tt.min || c > tt.max {
			t.Errorf("%d %s documents, want %d to %d", c, tt.kind, tt.min, tt.max)
		}
	}
	var small, large int
	for name, f := range fsys {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		switch body := len(f.Data); {
		case body < 1024:
			small++
		case body > 4096:
			large++
		}
	}
	if small > 0 || large > 0 {
		t.Errorf("%d documents under 1 KB and %d over 4 KB with their frontmatter; want bodies of 1–3 KB", small, large)
	}
	story := s.Model.OfKind("story")[0]
	for _, want := range []string{"## Acceptance criteria", "- [", "[[EPIC-", "](../../epics/epic-", "#context)"} {
		if !strings.Contains(string(story.Body.Source), want) {
			t.Errorf("a story's body lacks %q:\n%s", want, story.Body.Source)
		}
	}
	var refs, links int
	for _, d := range s.Model.Docs {
		refs += len(d.Refs)
		links += len(d.BodyLinks)
	}
	if refs < 3*n || links < 4*n {
		t.Errorf("%d references and %d body links in %d documents: too few to be realistic", refs, links, n)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := sitegen.Generate(sitegen.Options{Docs: 300, Seed: 42})
	b := sitegen.Generate(sitegen.Options{Docs: 300, Seed: 42})
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, f := range a {
		if g, ok := b[name]; !ok || !bytes.Equal(f.Data, g.Data) {
			t.Errorf("%s differs between two runs with one seed", name)
		}
	}
	c := sitegen.Generate(sitegen.Options{Docs: 300, Seed: 43})
	same := 0
	for name, f := range a {
		if g, ok := c[name]; ok && bytes.Equal(f.Data, g.Data) {
			same++
		}
	}
	if same > len(a)/2 {
		t.Errorf("%d of %d files are the same with another seed", same, len(a))
	}
}

func TestWrite(t *testing.T) {
	o := sitegen.Options{Docs: 60, Seed: 3}
	dir := filepath.Join(t.TempDir(), "site")
	if err := sitegen.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	for name, f := range sitegen.Generate(o) {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s on disk differs from the site in memory (%v)", name, err)
		}
	}
	s, err := generator.Load(context.Background(), os.DirFS(dir))
	if err != nil || len(s.Diagnostics) != 0 || len(s.Model.Docs) != o.Docs {
		t.Errorf("the site on disk: %v, %d documents, diagnostics %v", err, len(s.Model.Docs), s.Diagnostics)
	}
	if err := sitegen.Write(dir, o); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Write into a folder with files = %v, want a refusal", err)
	}
}
