package markdown

import (
	"bytes"
	"testing"

	"productdocs/generator/sitegen"
)

// benchBodies are the bodies of a generated site's documents, and their
// size in bytes.
func benchBodies(b *testing.B) ([][]byte, int) {
	b.Helper()
	var bodies [][]byte
	n := 0
	for _, body := range generatedBodies(sitegen.Options{Docs: 1000, Seed: 1}) {
		bodies = append(bodies, body)
		n += len(body)
	}
	return bodies, n
}

// BenchmarkParse parses the bodies of a generated site's documents, one by
// one: the Markdown half of Load's work per document. goldmark= parses
// them with goldmark alone, as Parse does a body the fast path leaves.
func BenchmarkParse(b *testing.B) {
	for _, c := range []struct {
		name  string
		parse func([]byte) *Doc
	}{{"fast", Parse}, {"goldmark", parseGoldmark}} {
		b.Run(c.name, func(b *testing.B) {
			bodies, n := benchBodies(b)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, body := range bodies {
					c.parse(body)
				}
			}
			b.ReportMetric(float64(len(bodies)*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// BenchmarkRender renders the bodies of a generated site as a build does,
// parsed and released first (goldmark=: by goldmark).
func BenchmarkRender(b *testing.B) {
	for _, c := range []struct {
		name  string
		parse func([]byte) *Doc
	}{{"fast", Parse}, {"goldmark", parseGoldmark}} {
		b.Run(c.name, func(b *testing.B) {
			bodies, n := benchBodies(b)
			docs := make([]*Doc, len(bodies))
			for i, body := range bodies {
				docs[i] = c.parse(body)
				docs[i].Release()
			}
			resolve := func(i int, l Link) (string, string) { return "../to/", "Title" }
			b.SetBytes(int64(n))
			b.ReportAllocs()
			var out bytes.Buffer
			for b.Loop() {
				for _, d := range docs {
					out.Reset()
					if err := d.Render(&out, Options{}, resolve); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(bodies)*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
