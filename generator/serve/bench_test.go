package serve

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"productdocs/generator"
	"productdocs/generator/sitegen"
)

// benchSite writes a generated site of n documents and returns its folder
// and one story in it.
func benchSite(b *testing.B, n int) (dir, story string) {
	b.Helper()
	dir = filepath.Join(b.TempDir(), "site")
	if err := sitegen.Write(dir, sitegen.Options{Docs: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	site, err := generator.Load(context.Background(), os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	if e, w := len(site.Diagnostics), 0; e > w {
		b.Logf("the generated site has %d diagnostics, first %v", e, site.Diagnostics[0])
	}
	for _, d := range site.Model.Docs {
		if d.Kind.Name == "story" {
			return dir, d.File
		}
	}
	b.Fatal("no story in the generated site")
	return "", ""
}

// BenchmarkRebuildOneFile measures the time from a saved file to the
// rebuilt output (the watcher's quiet period aside) on sites of 1,000 and
// 10,000 documents (and 100,000 with PRODUCTDOCS_BENCH_LARGE=1 or when
// -bench names docs=100000): an edit of a story's text, and of its title,
// which its neighbours and the listings show. median-ms is the whole
// rebuild; page-median-ms is when the edited document's page was rebuilt
// and served, before the listings; cpu-median-ms is the processor time of
// the whole rebuild, on all cores, garbage collection included.
//
//	go test ./generator/serve -run '^$' -bench RebuildOneFile -benchtime 20x
func BenchmarkRebuildOneFile(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			if n >= 100000 && os.Getenv("PRODUCTDOCS_BENCH_LARGE") != "1" && !strings.Contains(benchFlag(), "100000") {
				b.Skip("set PRODUCTDOCS_BENCH_LARGE=1, or name docs=100000 in -bench, to edit the 100,000-document site")
			}
			benchRebuild(b, n)
		})
	}
}

// benchFlag is the -bench pattern.
func benchFlag() string {
	if f := flag.Lookup("test.bench"); f != nil {
		return f.Value.String()
	}
	return ""
}

func benchRebuild(b *testing.B, n int) {
	for _, tt := range []struct {
		name string
		edit func(src string, i int) string
	}{
		{"body", func(src string, i int) string { return src + fmt.Sprintf("\nEdit %d.\n", i) }},
		{"title", func(src string, i int) string {
			return strings.Replace(src, "\ntitle: ", fmt.Sprintf("\ntitle: Edit %d of ", i), 1)
		}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			dir, story := benchSite(b, n)
			bl := NewBuilder(os.DirFS(dir), liveURL, "")
			if _, err := bl.Rebuild(context.Background(), Batch{All: true}); err != nil {
				b.Fatal(err)
			}
			file := filepath.Join(dir, filepath.FromSlash(story))
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			var took, cpu []time.Duration
			var start time.Time
			rendered := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if err := os.WriteFile(file, []byte(tt.edit(string(orig), i)), 0o644); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start = time.Now()
				c := cpuTime()
				res, err := bl.Rebuild(context.Background(), Batch{Paths: []string{story}})
				took = append(took, time.Since(start))
				cpu = append(cpu, cpuTime()-c)
				if err != nil || res.Failed() {
					b.Fatalf("rebuild: %v %v", err, res.Diagnostics)
				}
				rendered = len(res.Rendered)
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
			slices.Sort(cpu)
			b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "cpu-median-ms")
			b.ReportMetric(float64(rendered), "files-rendered")
		})
	}
}

// BenchmarkRebuildMemory makes 1,000 edits to a site of 2,000 documents
// and reports the live heap after the 100th and the 1,000th: a preview
// that runs all day must not grow with every save.
//
//	go test ./generator/serve -run '^$' -bench RebuildMemory -benchtime 1x
func BenchmarkRebuildMemory(b *testing.B) {
	dir, story := benchSite(b, 2000)
	file := filepath.Join(dir, filepath.FromSlash(story))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	heap := func() float64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc) / (1 << 20)
	}
	for range b.N {
		bl := NewBuilder(os.DirFS(dir), liveURL, "")
		if _, err := bl.Rebuild(context.Background(), Batch{All: true}); err != nil {
			b.Fatal(err)
		}
		var at100 float64
		for i := 1; i <= 1000; i++ {
			// Every tenth edit changes the title, so listings are
			// rendered again too.
			src := string(orig) + fmt.Sprintf("\nEdit %d.\n", i)
			if i%10 == 0 {
				src = strings.Replace(src, "\ntitle: ", fmt.Sprintf("\ntitle: Edit %d of ", i), 1)
			}
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				b.Fatal(err)
			}
			if _, err := bl.Rebuild(context.Background(), Batch{Paths: []string{story}}); err != nil {
				b.Fatal(err)
			}
			if i == 100 {
				at100 = heap()
			}
		}
		at1000 := heap()
		b.ReportMetric(at100, "heap-MB@100")
		b.ReportMetric(at1000, "heap-MB@1000")
		runtime.KeepAlive(bl)
	}
}
