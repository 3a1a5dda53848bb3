// Command compare builds the same generated Markdown with productdocs and
// with Hugo, side by side, and sets both beside the floor (reading,
// frontmatter and plain goldmark, see bench.Floor):
//
//	go run ./generator/bench/cmd/compare -n 10000 -runs 5 -dir /dev/shm/compare
//	go run ./generator/bench/cmd/compare -scale -runs 7 -dir /dev/shm/compare
//	go run ./generator/bench/cmd/compare -mix code -n 10000 -runs 5 -dir /dev/shm/compare
//
// For each size it generates a site with sitegen, writes the same Markdown
// as a Hugo site with a minimal theme (title and content), builds
// productdocs with `go build`, finds or installs Hugo (bench.Hugo), then
// runs `productdocs build`, `productdocs check`, `hugo` and the floor as
// child processes, one after the other in a rotating order, runs times
// each after one warm-up run, clearing every output folder (outside the
// measure) and flushing the disk before each run. Each round runs every
// size, so that sizes are measured side by side. It prints Markdown
// tables of the medians (wall time, CPU time, peak memory) and the ratios
// the issue sets as targets; with several sizes, how each grows, judged
// by the median of the rounds' ratios.
//
// Each cold build starts from an empty cache of highlighted code
// (--cache-dir); "productdocs build, cached" is a second build of the
// unchanged site with the cache a first build filled, as CI keeps it.
// -mix picks the sitegen mix: classic, the default, as earlier figures
// were measured, or code, with code blocks in most documents.
//
// With served (on by default), it starts productdocs serve and saves
// -edits changes to a story's body, then to its title, and polls the
// story's page until the new bytes are served: what a user waits for.
//
// With serve (on by default), it then starts productdocs serve on the
// site, and hugo server on its twin, and edits the same story under each
// -edits times, keeping the rebuild time each server reports (both count
// from the change they noticed to the rebuilt site, without their
// watchers' quiet periods).
//
// -dir picks the working folder (a RAM disk such as /dev/shm takes the
// disk out of the figures; a folder on disk puts it in); it is removed
// afterwards unless -keep.
//
// Wall time is what a user waits; on a machine that others share it
// swings with their load, so the tables give CPU time (user + system) as
// well, and the spread of wall times. Peak memory is the kernel's maximum
// resident set of each child; as it counts from the memory of the process
// that started the child, this one makes the sites in child processes too
// and stays small (some 10 MB, the floor's figure).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"productdocs/generator/bench"
	"productdocs/generator/sitegen"
)

// The targets of the issue, at 10,000 documents and 100,000.
const (
	targetHugoWall    = 0.2
	targetFloorWall   = 2.0
	targetHugoRSS     = 0.25
	targetCheck       = 500 * time.Millisecond
	targetScale       = 10.0
	targetLargeRSS    = 2 << 30
	targetRebuild     = 50 * time.Millisecond
	targetHugoRebuild = 0.1
	targetCachedHugo  = 0.1
	targetServedBody  = 40 * time.Millisecond
	targetServedTitle = 60 * time.Millisecond
)

type tool struct {
	name string
	run  func(s *size) (bench.Sample, error)
}

// size is one generated site and where its outputs go.
type size struct {
	docs                int
	site, hugoSite, out string
	coldCache           string // removed before each cold build
	warmCache           string // filled once, then kept
	served              []served
	results             map[string][]bench.Sample
	rebuilds            []rebuilds
}

// served are the times from a save to the new page, one an edit.
type served struct {
	edit string // "body" or "title"
	took []time.Duration
}

// rebuilds are the rebuild times a server reported, one an edit.
type rebuilds struct {
	server string
	took   []time.Duration
}

type config struct {
	sizes        []int
	runs, warmup int
	edits        int
	seed         int64
	mix          sitegen.Mix
	dir          string
	keep         bool
	with         map[string]bool
	productdocs  string
	hugo, self   string
}

func main() {
	// The child processes of the tool itself. Making the sites in a child
	// keeps this process small, which matters: a child's peak memory, as
	// the kernel reports it, starts from that of the process it was
	// forked from.
	switch {
	case len(os.Args) == 3 && os.Args[1] == "-floor":
		// The floor, measured as the others are.
		res, err := bench.Floor(os.Args[2])
		if err != nil {
			fail(err)
		}
		fmt.Printf("floor: %d documents, %d bytes of HTML\n", res.Docs, res.HTML)
		return
	case len(os.Args) == 6 && os.Args[1] == "-generate":
		n, err1 := strconv.Atoi(os.Args[2])
		seed, err2 := strconv.ParseInt(os.Args[3], 10, 64)
		mix, err3 := sitegen.ParseMix(os.Args[4])
		if err := errors.Join(err1, err2, err3); err != nil {
			fail(err)
		}
		if err := sitegen.Write(os.Args[5], sitegen.Options{Docs: n, Seed: seed, Mix: mix}); err != nil {
			fail(err)
		}
		return
	case len(os.Args) == 4 && os.Args[1] == "-hugo-site":
		if err := bench.WriteHugoSite(os.Args[3], os.Args[2]); err != nil {
			fail(err)
		}
		return
	}
	var c config
	n := flag.String("n", "10000", "the sizes: documents per site, comma-separated")
	scale := flag.Bool("scale", false, "measure growth: -n 1000,10000,100000, without Hugo unless -with names it")
	flag.IntVar(&c.runs, "runs", 5, "measured runs of each tool, per size")
	flag.IntVar(&c.warmup, "warmup", 1, "unmeasured runs of each tool first, per size")
	flag.IntVar(&c.edits, "edits", 15, "edits of one document per server, for serve")
	flag.Int64Var(&c.seed, "seed", 1, "the sitegen seed")
	mix := flag.String("mix", "classic", "the sitegen mix: classic (the figures before the code mix) or code (code blocks in most documents)")
	flag.StringVar(&c.dir, "dir", "", "the working `DIR` (default: a new temporary folder)")
	flag.BoolVar(&c.keep, "keep", false, "keep the working folder")
	with := flag.String("with", "", "the tools to run, of build,cached,check,hugo,floor,serve,served (default: all; with -scale: build,check,floor); "+
		"cached is a second build with the highlight cache of the first; serve measures the rebuild time productdocs serve and, with hugo, hugo server report; "+
		"served the time from a save to the new page served by productdocs serve")
	flag.StringVar(&c.hugo, "hugo", "", "the hugo `binary` to use (default: found, or installed into the user's cache)")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if *scale {
		*n = "1000,10000,100000"
		if *with == "" {
			*with = "build,check,floor"
		}
	}
	if *with == "" {
		*with = "build,cached,check,hugo,floor,serve,served"
	}
	var err error
	if c.mix, err = sitegen.ParseMix(*mix); err != nil {
		fail(fmt.Errorf("-mix: %v", err))
	}
	c.with = map[string]bool{}
	for _, w := range strings.Split(*with, ",") {
		switch w {
		case "build", "cached", "check", "hugo", "floor", "serve", "served":
			c.with[w] = true
		default:
			fail(fmt.Errorf("-with: unknown tool %q", w))
		}
	}
	for _, s := range strings.Split(*n, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < sitegen.MinDocs {
			fail(fmt.Errorf("-n: %q is not a size of at least %d", s, sitegen.MinDocs))
		}
		c.sizes = append(c.sizes, v)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, &c); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "compare: "+format+"\n", args...)
}

func run(ctx context.Context, c *config) error {
	if c.dir == "" {
		d, err := os.MkdirTemp("", "productdocs-compare-")
		if err != nil {
			return err
		}
		c.dir = d
	} else {
		// Our own folder inside the one given, so that removing it at the
		// end removes nothing of anyone else's.
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return err
		}
		d, err := os.MkdirTemp(c.dir, "productdocs-compare-")
		if err != nil {
			return err
		}
		c.dir = d
	}
	if !c.keep {
		defer os.RemoveAll(c.dir)
	}
	var err error
	if c.self, err = os.Executable(); err != nil {
		return err
	}
	c.productdocs = filepath.Join(c.dir, "bin", "productdocs")
	logf("building productdocs into %s", c.productdocs)
	if out, err := exec.Command("go", "build", "-o", c.productdocs, "productdocs").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	if c.with["hugo"] {
		if c.hugo, err = bench.Hugo(c.hugo, func(s string) { logf("%s", s) }); err != nil {
			return err
		}
	}
	tools := []tool{
		{"productdocs build", func(s *size) (bench.Sample, error) {
			// A cold build: an empty cache of highlighted code.
			if err := bench.RemoveAll(s.coldCache); err != nil {
				return bench.Sample{}, err
			}
			return bench.Run(c.dir, c.productdocs, "build", "-s", s.site, "-o", s.out, "--cache-dir", s.coldCache)
		}},
		{"productdocs build, cached", func(s *size) (bench.Sample, error) {
			// A second build of the unchanged site: the cache a build
			// filled (in prepare), as CI keeps it between runs.
			return bench.Run(c.dir, c.productdocs, "build", "-s", s.site, "-o", s.out, "--cache-dir", s.warmCache)
		}},
		{"productdocs check", func(s *size) (bench.Sample, error) {
			return bench.Run(c.dir, c.productdocs, "check", "-s", s.site)
		}},
		{"hugo", func(s *size) (bench.Sample, error) {
			return bench.Run(c.dir, c.hugo, "--quiet", "--source", s.hugoSite, "--destination", s.out)
		}},
		{"floor", func(s *size) (bench.Sample, error) {
			return bench.Run(c.dir, c.self, "-floor", s.site)
		}},
	}
	var on []tool
	for _, t := range tools {
		name := strings.TrimPrefix(t.name, "productdocs ")
		if name == "build, cached" {
			name = "cached"
		}
		if c.with[name] {
			on = append(on, t)
		}
	}
	fmt.Println(machine(c))
	var sizes []*size
	for _, n := range c.sizes {
		s, err := prepare(c, n)
		if err != nil {
			return err
		}
		sizes = append(sizes, s)
	}
	if !c.keep {
		// A 100,000-document site and its Hugo twin take a few GB.
		defer func() {
			for _, s := range sizes {
				os.RemoveAll(s.site)
				os.RemoveAll(s.hugoSite)
			}
		}()
	}
	// Each round runs every tool once on every size. The machine is
	// shared, and its load changes over minutes: measured one size after
	// the other, a busy spell would fall on one size alone and skew the
	// growth between sizes, which this way compares runs made side by
	// side.
	for i := -c.warmup; i < c.runs; i++ {
		for _, s := range sizes {
			for k := range on {
				// A rotating order, so that no tool always runs after the
				// same one (whose writes the disk may still be flushing).
				t := on[(k+max(i, 0))%len(on)]
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := bench.RemoveAll(s.out); err != nil {
					return err
				}
				bench.Sync()
				smp, err := t.run(s)
				if err != nil {
					return err
				}
				if i >= 0 {
					s.results[t.name] = append(s.results[t.name], smp)
				}
			}
		}
		if i >= 0 {
			logf("run %d of %d done", i+1, c.runs)
		}
	}
	for _, s := range sizes {
		if c.with["build"] {
			if err := bench.RemoveAll(s.out); err != nil {
				return err
			}
			if _, err := toolNamed(tools, "productdocs build").run(s); err != nil {
				return err
			}
			files, bytes := du(s.out)
			fmt.Printf("\nproductdocs writes %d files, %.1f MB, for %d documents.\n", files, float64(bytes)/1e6, s.docs)
		}
		if c.with["hugo"] {
			if err := bench.RemoveAll(s.out); err != nil {
				return err
			}
			if _, err := toolNamed(tools, "hugo").run(s); err != nil {
				return err
			}
			files, bytes := du(s.out)
			fmt.Printf("Hugo writes %d files, %.1f MB, for %d documents.\n", files, float64(bytes)/1e6, s.docs)
		}
		bench.RemoveAll(s.out)
		if c.with["serve"] {
			if err := measureServe(ctx, c, s); err != nil {
				return err
			}
		}
		if c.with["served"] {
			if err := measureServed(ctx, c, s); err != nil {
				return err
			}
		}
		printSize(c, s, on)
	}
	if len(sizes) > 1 {
		printScale(sizes)
	}
	fmt.Printf("\nload average at the end: %s\n", loadavg())
	return nil
}

func toolNamed(tools []tool, name string) tool {
	for _, t := range tools {
		if t.name == name {
			return t
		}
	}
	panic("no tool " + name)
}

func prepare(c *config, n int) (*size, error) {
	s := &size{
		docs:     n,
		site:     filepath.Join(c.dir, fmt.Sprintf("site-%d", n)),
		hugoSite: filepath.Join(c.dir, fmt.Sprintf("hugo-%d", n)),
		out:      filepath.Join(c.dir, fmt.Sprintf("out-%d", n)),
		results:  map[string][]bench.Sample{},
	}
	s.coldCache, s.warmCache = s.out+"-cold-cache", s.out+"-warm-cache"
	start := time.Now()
	if _, err := bench.Run(c.dir, c.self, "-generate", strconv.Itoa(n), strconv.FormatInt(c.seed, 10), c.mix.String(), s.site); err != nil {
		return nil, err
	}
	if c.with["hugo"] {
		if _, err := bench.Run(c.dir, c.self, "-hugo-site", s.site, s.hugoSite); err != nil {
			return nil, err
		}
	}
	logf("%d documents: sites written in %s", n, time.Since(start).Round(time.Millisecond))
	if c.with["cached"] || c.with["served"] {
		if _, err := bench.Run(c.dir, c.productdocs, "build", "-s", s.site, "-o", s.out, "--cache-dir", s.warmCache); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func machine(c *config) string {
	var b strings.Builder
	model := "unknown CPU"
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(info), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	fmt.Fprintf(&b, "%s, %d cores (GOMAXPROCS %d), %s/%s, %s", model, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if c.hugo != "" {
		v, _ := bench.HugoVersionOf(c.hugo)
		fmt.Fprintf(&b, ", %s", v)
	}
	fmt.Fprintf(&b, ", the %s mix", c.mix)
	fmt.Fprintf(&b, "\nworking folder %s; %d measured runs per tool after %d warm-up; load average at the start: %s", c.dir, c.runs, c.warmup, loadavg())
	return b.String()
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func du(dir string) (files int, bytes int64) {
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				files++
				bytes += fi.Size()
			}
		}
		return nil
	})
	return files, bytes
}

func printSize(c *config, s *size, on []tool) {
	fmt.Printf("\n%s documents, medians of %d runs:\n\n", thousands(s.docs), c.runs)
	fmt.Println("| | wall | spread (wall) | CPU (user+sys) | peak memory |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	for _, t := range on {
		m := bench.Median(s.results[t.name])
		lo, hi := bench.Spread(s.results[t.name])
		fmt.Printf("| %s | %s | %s–%s | %s | %s |\n", t.name, secs(m.Wall), secs(lo), secs(hi), secs(m.CPU), mb(m.RSS))
	}
	for _, r := range s.rebuilds {
		smp := make([]bench.Sample, len(r.took))
		for i, d := range r.took {
			smp[i] = bench.Sample{Wall: d}
		}
		lo, hi := bench.Spread(smp)
		fmt.Printf("| %s, one-file rebuild (%d edits) | %s | %s–%s | | |\n", r.server, len(r.took), msecs(bench.Median(smp).Wall), msecs(lo), msecs(hi))
	}
	for _, sv := range s.served {
		smp := make([]bench.Sample, len(sv.took))
		for i, d := range sv.took {
			smp[i] = bench.Sample{Wall: d}
		}
		lo, hi := bench.Spread(smp)
		fmt.Printf("| productdocs serve, save → page served, %s edit (%d edits) | %s | %s–%s | | |\n", sv.edit, len(sv.took), msecs(bench.Median(smp).Wall), msecs(lo), msecs(hi))
	}
	build, okB := med(s, "productdocs build")
	cached, okW := med(s, "productdocs build, cached")
	hugo, okH := med(s, "hugo")
	floor, okF := med(s, "floor")
	check, okC := med(s, "productdocs check")
	fmt.Println()
	fmt.Println("| ratio | measured | target | |")
	fmt.Println("| --- | ---: | ---: | --- |")
	row := func(name string, v, target float64) {
		if s.docs != 10000 { // the targets are set at 10,000 documents
			fmt.Printf("| %s | %.2f | | |\n", name, v)
			return
		}
		mark := "met"
		if v > target {
			mark = "missed"
		}
		fmt.Printf("| %s | %.2f | ≤ %.2f | %s |\n", name, v, target, mark)
	}
	if okB && okH {
		row("build wall / Hugo wall", ratio(build.Wall, hugo.Wall), targetHugoWall)
		fmt.Printf("| build CPU / Hugo CPU | %.2f | | |\n", ratio(build.CPU, hugo.CPU))
		row("build peak memory / Hugo's", float64(build.RSS)/float64(hugo.RSS), targetHugoRSS)
	}
	if okW && okH {
		row("second build, with the cache / Hugo wall", ratio(cached.Wall, hugo.Wall), targetCachedHugo)
	}
	if okB && okF {
		row("build wall / floor wall", ratio(build.Wall, floor.Wall), targetFloorWall)
		fmt.Printf("| build CPU / floor CPU | %.2f | | |\n", ratio(build.CPU, floor.CPU))
	}
	if okC {
		row("check wall (s)", check.Wall.Seconds(), targetCheck.Seconds())
	}
	for _, sv := range s.served {
		smp := make([]bench.Sample, len(sv.took))
		for i, d := range sv.took {
			smp[i] = bench.Sample{Wall: d}
		}
		target := targetServedBody
		if sv.edit == "title" {
			target = targetServedTitle
		}
		row("save → page served, "+sv.edit+" edit (ms)", float64(bench.Median(smp).Wall)/float64(time.Millisecond), float64(target)/float64(time.Millisecond))
	}
	if pd, hugo := rebuildMedian(s, "productdocs serve"), rebuildMedian(s, "hugo server"); pd > 0 {
		row("serve one-file rebuild (ms)", float64(pd)/float64(time.Millisecond), float64(targetRebuild)/float64(time.Millisecond))
		if hugo > 0 {
			row("serve rebuild / hugo server's", ratio(pd, hugo), targetHugoRebuild)
		}
	}
}

func rebuildMedian(s *size, server string) time.Duration {
	for _, r := range s.rebuilds {
		if r.server == server {
			smp := make([]bench.Sample, len(r.took))
			for i, d := range r.took {
				smp[i] = bench.Sample{Wall: d}
			}
			return bench.Median(smp).Wall
		}
	}
	return 0
}

func msecs(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// measureServe edits one story c.edits times under productdocs serve,
// and its twin under hugo server, and keeps the rebuild times each
// server reports.
func measureServe(ctx context.Context, c *config, s *size) error {
	story, err := firstStory(s.site)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(s.site, story)
	if err != nil {
		return err
	}
	logf("%d documents: editing %s under the servers", s.docs, filepath.ToSlash(rel))
	port, err := freePort()
	if err != nil {
		return err
	}
	servers := []struct {
		srv  bench.Server
		file string
	}{{bench.Server{Name: "productdocs serve", Dir: c.dir, Args: []string{c.productdocs, "serve", "-s", s.site, "--addr", "127.0.0.1:" + port},
		Ready: bench.ProductdocsReady, Rebuilt: bench.ProductdocsRebuilt}, story}}
	if c.with["hugo"] {
		servers = append(servers, struct {
			srv  bench.Server
			file string
		}{bench.Server{Name: "hugo server", Dir: c.dir, Args: []string{c.hugo, "server", "--source", s.hugoSite, "--bind", "127.0.0.1", "--port", port},
			Ready: bench.HugoReady, Rebuilt: bench.HugoRebuilt}, filepath.Join(s.hugoSite, rel)})
	}
	for _, sv := range servers {
		took, err := sv.srv.Rebuilds(ctx, c.edits, bench.AppendLine(sv.file))
		if err != nil {
			return err
		}
		s.rebuilds = append(s.rebuilds, rebuilds{sv.srv.Name, took})
	}
	return nil
}

// measureServed saves c.edits changes to one story's body, then as many
// to its title, under productdocs serve, and keeps how long each took
// from the save to the new page being served (bench.SaveToServed).
func measureServed(ctx context.Context, c *config, s *size) error {
	story, err := firstStory(s.site)
	if err != nil {
		return err
	}
	// Edits of their own, on a copy of the story, so that the site of
	// the other measures is left as generated.
	orig, err := os.ReadFile(story)
	if err != nil {
		return err
	}
	defer os.WriteFile(story, orig, 0o644)
	port, err := freePort()
	if err != nil {
		return err
	}
	page := "http://127.0.0.1:" + port + "/backlog/" + strings.ToLower(strings.TrimSuffix(filepath.Base(story), ".md")) + "/"
	srv := bench.Server{Name: "productdocs serve", Dir: c.dir, Args: []string{c.productdocs, "serve", "-s", s.site, "--addr", "127.0.0.1:" + port, "--cache-dir", s.warmCache},
		Ready: bench.ProductdocsReady, Rebuilt: bench.ProductdocsRebuilt}
	for _, e := range []struct {
		name string
		edit func(string) func(int) ([]byte, error)
	}{{"body", bench.EditBody}, {"title", bench.EditTitle}} {
		logf("%d documents: %d %s edits of %s, from the save to the page served", s.docs, c.edits, e.name, page)
		took, err := srv.SaveToServed(ctx, page, c.edits, e.edit(story))
		if err != nil {
			return err
		}
		s.served = append(s.served, served{e.name, took})
	}
	return nil
}

// firstStory is the first story of a generated site, by file name.
func firstStory(site string) (string, error) {
	var first string
	err := filepath.WalkDir(filepath.Join(site, "content", "backlog", "stories"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if first == "" && !d.IsDir() && strings.HasSuffix(p, ".md") {
			first = p
			return fs.SkipAll
		}
		return nil
	})
	if err == nil && first == "" {
		err = errors.New("the generated site has no story")
	}
	return first, err
}

// freePort is a TCP port that no one listens on, for the servers.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

func med(s *size, name string) (bench.Sample, bool) {
	r, ok := s.results[name]
	return bench.Median(r), ok && len(r) > 0
}

func printScale(sizes []*size) {
	fmt.Println("\nGrowth, medians:")
	fmt.Println()
	fmt.Println("| documents | build wall | build CPU | build peak memory | docs/s (wall) | check wall | floor wall | Hugo wall |")
	fmt.Println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range sizes {
		b, _ := med(s, "productdocs build")
		ch, _ := med(s, "productdocs check")
		f, _ := med(s, "floor")
		h, _ := med(s, "hugo")
		rate := 0.0
		if b.Wall > 0 {
			rate = float64(s.docs) / b.Wall.Seconds()
		}
		fmt.Printf("| %s | %s | %s | %s | %.0f | %s | %s | %s |\n", thousands(s.docs), secs(b.Wall), secs(b.CPU), mb(b.RSS), rate, secs(ch.Wall), secs(f.Wall), secs(h.Wall))
	}
	fmt.Println()
	for i := 1; i < len(sizes); i++ {
		a, z := sizes[i-1], sizes[i]
		ba, _ := med(a, "productdocs build")
		bz, _ := med(z, "productdocs build")
		if ba.Wall == 0 || bz.Wall == 0 {
			continue
		}
		// The rounds pair a run of each size made within a minute of each
		// other, under the same load: the median of the pairs' ratios is
		// the growth with the machine's drift between rounds taken out,
		// which the ratio of the two medians (of runs minutes apart) keeps.
		ra, rz := a.results["productdocs build"], z.results["productdocs build"]
		var walls, cpus []float64
		var rounds []string
		for k := range min(len(ra), len(rz)) {
			walls = append(walls, ratio(rz[k].Wall, ra[k].Wall))
			cpus = append(cpus, ratio(rz[k].CPU, ra[k].CPU))
			rounds = append(rounds, fmt.Sprintf("×%.2f", walls[k]))
		}
		paired := bench.MedianOf(walls)
		f := float64(z.docs) / float64(a.docs)
		fmt.Printf("%s → %s documents (×%.0f): build wall ×%.2f, CPU ×%.2f, peak memory ×%.2f; by round: wall ×%.2f, CPU ×%.2f (median of %s)",
			thousands(a.docs), thousands(z.docs), f, ratio(bz.Wall, ba.Wall), ratio(bz.CPU, ba.CPU), float64(bz.RSS)/float64(ba.RSS),
			paired, bench.MedianOf(cpus), strings.Join(rounds, ", "))
		if a.docs == 10000 && z.docs == 100000 {
			verdict := "met"
			if paired > targetScale || bz.RSS > targetLargeRSS {
				verdict = "missed"
			}
			fmt.Printf(" (targets: wall by round ×%.0f, %s at 100,000: %s)", targetScale, mb(targetLargeRSS), verdict)
		}
		fmt.Println()
	}
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func secs(d time.Duration) string {
	if d == 0 { // not measured
		return "—"
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func mb(b int64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
