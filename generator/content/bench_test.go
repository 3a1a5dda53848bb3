package content

import (
	"strings"
	"testing"

	"productdocs/generator/sitegen"
)

// documents returns the .md files of a generated site of n documents.
func documents(n int) [][]byte {
	var docs [][]byte
	for name, f := range sitegen.Generate(sitegen.Options{Docs: n, Seed: 1}) {
		if strings.HasSuffix(name, ".md") {
			docs = append(docs, f.Data)
		}
	}
	return docs
}

// BenchmarkSplit reads the frontmatter of a generated site's documents,
// one by one: the frontmatter half of Load's work per document.
func BenchmarkSplit(b *testing.B) {
	docs := documents(1000)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			if _, _, _, _, prob := Split(d); prob != nil {
				b.Fatal(prob)
			}
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}
