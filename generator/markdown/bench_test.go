package markdown

import (
	"strings"
	"testing"

	"productdocs/generator/sitegen"
)

// BenchmarkParse parses the bodies of a generated site's documents, one by
// one: the Markdown half of Load's work per document.
func BenchmarkParse(b *testing.B) {
	var bodies [][]byte
	for name, f := range sitegen.Generate(sitegen.Options{Docs: 1000, Seed: 1}) {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		body := f.Data
		if _, rest, ok := strings.Cut(string(body), "\n---\n"); ok {
			body = []byte(rest) // past the frontmatter
		}
		bodies = append(bodies, body)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			Parse(body)
		}
	}
	b.ReportMetric(float64(len(bodies)*b.N)/b.Elapsed().Seconds(), "docs/s")
}
