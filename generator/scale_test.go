package generator

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"productdocs/generator/bench"
	"productdocs/generator/diag"
	"productdocs/generator/sitegen"
)

// The scale benchmarks run each stage on generated sites of 1,000, 10,000
// and 100,000 documents:
//
//	go test -run='^$' -bench=. -benchtime=3x ./generator/
//	go test -run='^$' -bench='Build/docs=10000$' -benchtime=3x -cpuprofile=cpu.out ./generator/
//
// The 100,000-document site takes minutes to make and build, so it runs
// only when -bench names it (docs=100000) or PRODUCTDOCS_BENCH_LARGE=1.
// Sites are written under $PRODUCTDOCS_BENCH_DIR when set (a RAM disk
// takes the disk out of the figures), else in a temporary folder.
// go run ./generator/bench/cmd/compare sets productdocs beside Hugo.

var benchSizes = []int{1000, 10000, 100000}

// largeSize is the size that runs only on request.
const largeSize = 100000

// benchSize runs fn as the sub-benchmark docs=n, skipping the large size
// unless it was asked for.
func benchSize(b *testing.B, n int, fn func(b *testing.B)) {
	b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
		if n >= largeSize && !largeWanted() {
			b.Skip("set PRODUCTDOCS_BENCH_LARGE=1, or name docs=100000 in -bench, to run the 100,000-document site")
		}
		fn(b)
	})
}

func largeWanted() bool {
	if os.Getenv("PRODUCTDOCS_BENCH_LARGE") == "1" {
		return true
	}
	f := flag.Lookup("test.bench")
	return f != nil && strings.Contains(f.Value.String(), fmt.Sprint(largeSize))
}

// benchSite writes a generated site of n documents to a folder that lives
// as long as the benchmark, and returns the folder.
func benchSite(b *testing.B, n int) string {
	b.Helper()
	parent := os.Getenv("PRODUCTDOCS_BENCH_DIR")
	if parent == "" {
		parent = b.TempDir()
	}
	dir, err := os.MkdirTemp(parent, fmt.Sprintf("site-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	if err := sitegen.Write(dir, sitegen.Options{Docs: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

func reportDocs(b *testing.B, n, runs int) {
	b.ReportMetric(float64(n*runs)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkLoad measures Load on a site held in memory: parsing every
// document, resolving the model and running the checks, without the disk.
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		benchSize(b, n, func(b *testing.B) {
			fsys := sitegen.Generate(sitegen.Options{Docs: n, Seed: 1})
			b.ReportAllocs()
			runs := 0
			for b.Loop() {
				s, err := Load(context.Background(), fsys)
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Diagnostics) != 0 {
					b.Fatalf("the generated site has %d diagnostics, the first %s", len(s.Diagnostics), s.Diagnostics[0])
				}
				runs++
			}
			reportDocs(b, n, runs)
		})
	}
}

// BenchmarkCheck measures what `productdocs check` does: Load from the
// disk, parse the templates, then the report in the text format.
func BenchmarkCheck(b *testing.B) {
	for _, n := range benchSizes {
		benchSize(b, n, func(b *testing.B) {
			fsys := DirFS(benchSite(b, n))
			b.ReportAllocs()
			runs := 0
			for b.Loop() {
				s, err := Load(context.Background(), fsys)
				if err != nil {
					b.Fatal(err)
				}
				r := s.Report()
				r.Diagnostics = Check(s)
				if err := diag.Write(io.Discard, "text", r); err != nil {
					b.Fatal(err)
				}
				if e, _ := diag.Count(r.Diagnostics); e > 0 {
					b.Fatal("the generated site has errors")
				}
				runs++
			}
			reportDocs(b, n, runs)
		})
	}
}

// BenchmarkBuild measures what `productdocs build` does: Load from the
// disk, render every page and write the output into a new folder.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		benchSize(b, n, func(b *testing.B) {
			root := benchSite(b, n)
			out := filepath.Join(root+"-out", "public")
			b.Cleanup(func() { os.RemoveAll(filepath.Dir(out)) })
			b.ReportAllocs()
			runs := 0
			for b.Loop() {
				b.StopTimer()
				// A first build, not a rebuild that also deletes the last
				// output.
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				s, err := Load(context.Background(), DirFS(root))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Build(context.Background(), s, root, BuildOptions{Out: out}); err != nil {
					b.Fatal(err)
				}
				runs++
			}
			reportDocs(b, n, runs)
		})
	}
}

// BenchmarkFloor measures the least work any generator must do for the
// same site: reading every document, splitting off its frontmatter and
// converting its body with plain goldmark, on every core (see bench.Floor).
// BenchmarkBuild over BenchmarkFloor is what productdocs' own work costs.
func BenchmarkFloor(b *testing.B) {
	for _, n := range benchSizes {
		benchSize(b, n, func(b *testing.B) {
			root := benchSite(b, n)
			b.ReportAllocs()
			runs := 0
			for b.Loop() {
				res, err := bench.Floor(root)
				if err != nil {
					b.Fatal(err)
				}
				if res.Docs != n {
					b.Fatalf("read %d documents, want %d", res.Docs, n)
				}
				runs++
			}
			reportDocs(b, n, runs)
		})
	}
}

// BenchmarkScaling builds generated sites of 1,000 and 10,000 documents
// (and 100,000 with PRODUCTDOCS_BENCH_LARGE=1) and tests that a build's
// time and peak heap grow no faster than the number of documents: each
// size's time per document, and heap per document, against the size ten
// times smaller. It reports the ratios (time-x, heap-x: ×10 is linear)
// and fails past ×13, which no noise of a shared machine explains but
// work that grows with the square of a list does.
//
//	go test -run '^$' -bench Scaling -benchtime 1x ./generator/
func BenchmarkScaling(b *testing.B) {
	sizes := []int{1000, 10000}
	if largeWanted() {
		sizes = append(sizes, largeSize)
	}
	type figure struct {
		time time.Duration
		heap uint64
	}
	var figs []figure
	for _, n := range sizes {
		root := benchSite(b, n)
		out := filepath.Join(root+"-out", "public")
		b.Cleanup(func() { os.RemoveAll(filepath.Dir(out)) })
		best := figure{}
		for range 3 { // the fastest of three: the others had company
			if err := os.RemoveAll(out); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			stop := peakHeap()
			start := time.Now()
			s, err := Load(context.Background(), DirFS(root))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Build(context.Background(), s, root, BuildOptions{Out: out}); err != nil {
				b.Fatal(err)
			}
			took, heap := time.Since(start), stop()
			if best.time == 0 || took < best.time {
				best.time = took
			}
			best.heap = max(best.heap, heap)
		}
		b.Logf("%d documents: build %s, peak heap %d MB", n, best.time.Round(time.Millisecond), best.heap>>20)
		figs = append(figs, best)
	}
	for i := 1; i < len(figs); i++ {
		f := float64(sizes[i]) / float64(sizes[i-1])
		tx := float64(figs[i].time) / float64(figs[i-1].time)
		hx := float64(figs[i].heap) / float64(figs[i-1].heap)
		b.ReportMetric(tx, fmt.Sprintf("time-x-%dk", sizes[i]/1000))
		b.ReportMetric(hx, fmt.Sprintf("heap-x-%dk", sizes[i]/1000))
		if tx > 1.3*f || hx > 1.3*f {
			b.Errorf("%d → %d documents (×%.0f): time ×%.1f, peak heap ×%.1f; more than linear", sizes[i-1], sizes[i], f, tx, hx)
		}
	}
}

// peakHeap samples the heap in use until the function it returns is
// called, which returns the most it saw.
func peakHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak.Store(max(peak.Load(), sample[0].Value.Uint64()))
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak.Load()
	}
}
