package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/text"
	"productdocs/generator/sitegen"
)

func expBodies() ([][]byte, int) {
	var bodies [][]byte
	n := 0
	for name, f := range sitegen.Generate(sitegen.Options{Docs: 1000, Seed: 1}) {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		body := f.Data
		if _, rest, ok := strings.Cut(string(body), "\n---\n"); ok {
			body = []byte(rest)
		}
		bodies = append(bodies, body)
		n += len(body)
	}
	return bodies, n
}

func BenchmarkExpDefaultConvert(b *testing.B) {
	bodies, n := expBodies()
	md := goldmark.New()
	var out bytes.Buffer
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, body := range bodies {
			out.Reset()
			md.Convert(body, &out)
		}
	}
}
func BenchmarkExpDefaultParse(b *testing.B) {
	bodies, n := expBodies()
	md := goldmark.New()
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, body := range bodies {
			md.Parser().Parse(text.NewReader(body))
		}
	}
}
func BenchmarkExpOurParse(b *testing.B) {
	bodies, n := expBodies()
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, body := range bodies {
			safeEngine.Parser().Parse(text.NewReader(body))
		}
	}
}
func BenchmarkExpOurConvert(b *testing.B) {
	bodies, n := expBodies()
	b.SetBytes(int64(n))
	var out bytes.Buffer
	for b.Loop() {
		for _, body := range bodies {
			out.Reset()
			safeEngine.Convert(body, &out)
		}
	}
}

func BenchmarkExpChroma(b *testing.B) {
	src := []byte("```yaml\ncheckout:\n  enabled: true\n  limit: 374\n```\n")
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		safeEngine.Convert(src, &out)
	}
}
func BenchmarkExpNoChroma(b *testing.B) {
	src := []byte("```\ncheckout:\n  enabled: true\n  limit: 374\n```\n")
	var out bytes.Buffer
	for b.Loop() {
		out.Reset()
		safeEngine.Convert(src, &out)
	}
}

func BenchmarkExpFastParse(b *testing.B) {
	bodies, n := expBodies()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			Parse(body)
		}
	}
}
func BenchmarkExpFastRender(b *testing.B) {
	bodies, n := expBodies()
	var docs []*Doc
	for _, body := range bodies {
		docs = append(docs, Parse(body))
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	var out bytes.Buffer
	for b.Loop() {
		for _, d := range docs {
			out.Reset()
			d.Render(&out, Options{}, AsWritten)
		}
	}
}
