package sitegen_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

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

// siteHash is a digest of every file of a site, names and bytes.
func siteHash(fsys fstest.MapFS) string {
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(fsys)) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(fsys[name].Data))
		h.Write(fsys[name].Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestClassicUnchanged pins the classic mix byte for byte: benchmark
// figures measured on it stay comparable. (The pin moved once, when every
// backlog item got a rank of its own for the duplicate-rank check.)
func TestClassicUnchanged(t *testing.T) {
	for _, tc := range []struct {
		docs int
		want string
	}{
		{20, "0e3365b33832783d14de1aef03d64a5fa68eb801c52980a7c5476d820a8cce49"},
		{300, "067af4840dbda0c4e809ef8822d168b448aa4406d2fdefe65f200f44b3a57fa7"},
		{2000, "866f7a0d42c3397b54dcde92319b18f48afa165d6f3d791e168d8cefdeb12b17"},
	} {
		if got := siteHash(sitegen.Generate(sitegen.Options{Docs: tc.docs, Seed: 42})); got != tc.want {
			t.Errorf("classic mix, %d documents: digest %s, want %s", tc.docs, got, tc.want)
		}
		if got := siteHash(sitegen.Generate(sitegen.Options{Docs: tc.docs, Seed: 42, Mix: sitegen.Classic})); got != tc.want {
			t.Errorf("Mix: Classic, %d documents: digest %s, want %s", tc.docs, got, tc.want)
		}
	}
}

func TestCodeMixIsDeterministic(t *testing.T) {
	o := sitegen.Options{Docs: 400, Seed: 9, Mix: sitegen.Code}
	a, b := siteHash(sitegen.Generate(o)), siteHash(sitegen.Generate(o))
	if a != b {
		t.Errorf("two runs with one seed differ: %s, %s", a, b)
	}
	o.Seed = 10
	if c := siteHash(sitegen.Generate(o)); c == a {
		t.Error("another seed made the same site")
	}
	if c := siteHash(sitegen.Generate(sitegen.Options{Docs: 400, Seed: 9})); c == a {
		t.Error("the code mix is the classic mix")
	}
}

var fenceRE = regexp.MustCompile("(?ms)^```([a-z]+)\n(.*?)^```\n")

// TestCodeMix checks what the code mix is for: code in most documents, in
// every language, blocks that do not repeat, and a site that checks clean.
func TestCodeMix(t *testing.T) {
	const n = 1000
	fsys := sitegen.Generate(sitegen.Options{Docs: n, Seed: 1, Mix: sitegen.Code})
	s, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range s.Diagnostics {
		if i == 20 {
			t.Fatalf("…and %d more", len(s.Diagnostics)-i)
		}
		t.Errorf("unexpected: %s", d)
	}
	langs := map[string]int{}
	blocks := map[string]bool{}
	withCode, total := 0, 0
	for name, f := range fsys {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		m := fenceRE.FindAllStringSubmatch(string(f.Data), -1)
		if len(m) > 0 {
			withCode++
		}
		for _, c := range m {
			langs[c[1]]++
			blocks[c[1]+"\x00"+c[2]] = true
			total++
		}
	}
	if withCode < n*3/4 {
		t.Errorf("%d of %d documents have code; want most", withCode, n)
	}
	for _, l := range []string{"go", "yaml", "json", "sh", "bash", "typescript", "python", "sql"} {
		if langs[l] < 20 {
			t.Errorf("%d blocks in %s; want every language well represented (%v)", langs[l], l, langs)
		}
	}
	if len(blocks) < total*99/100 {
		t.Errorf("%d distinct blocks of %d: code repeats", len(blocks), total)
	}
}

func TestParseMix(t *testing.T) {
	for _, m := range []sitegen.Mix{sitegen.Classic, sitegen.Code} {
		if got, err := sitegen.ParseMix(m.String()); err != nil || got != m {
			t.Errorf("ParseMix(%q) = %v, %v", m, got, err)
		}
	}
	if _, err := sitegen.ParseMix("prose"); err == nil {
		t.Error("ParseMix(\"prose\") succeeded")
	}
}
