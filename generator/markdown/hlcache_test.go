package markdown

import (
	"bytes"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"productdocs/generator/sitegen"
)

// withCache runs a test with empty caches: memory, and on disk in a new
// folder (nil when dir is ""), and a chroma version, which test binaries
// do not record.
func withCache(t *testing.T, dir string) *HighlightCache {
	t.Helper()
	saved := chromaVersion
	chromaVersion = "v0.0.0-test h1:test"
	memo.reset()
	var c *HighlightCache
	if dir != "" {
		var err error
		if c, err = OpenHighlightCache(dir); err != nil {
			t.Fatal(err)
		}
	}
	prev := UseHighlightCache(c)
	t.Cleanup(func() {
		UseHighlightCache(prev)
		chromaVersion = saved
		memo.reset()
	})
	return c
}

// direct is what highlight wrote before there were caches: chroma, straight
// to the page.
func direct(t *testing.T, lang, code string) string {
	t.Helper()
	lexer := lexers.Get(lang)
	if lexer == nil {
		var b bytes.Buffer
		if err := highlight(bufWriter{&b}, lang, []byte(code)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(`<pre class="chroma"><code class="language-` + lang + `">`)
	if err := formatter.Format(&b, noStyle, it); err != nil {
		t.Fatal(err)
	}
	b.WriteString("</code></pre>\n")
	return b.String()
}

func hl(t *testing.T, lang, code string) string {
	t.Helper()
	var b bytes.Buffer
	if err := highlight(bufWriter{&b}, lang, []byte(code)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var samples = []struct{ lang, code string }{
	{"go", "package main\n\nfunc main() { println(\"<hi>\") }\n"},
	{"golang", "package main\n\nfunc main() { println(\"<hi>\") }\n"},
	{"yaml", "a: 1\nb: [x, y] # note\n"},
	{"json", `{"a": [1, 2.5, true, null]}`},
	{"sh", "echo $HOME && ls -la | grep x\n"},
	{"python", "def f(x):\n    return x * 2\n"},
	{"sql", "SELECT a FROM b WHERE c > 1;\n"},
	{"ts", "const a: number = 1;\n"},
	{"nosuchlanguage", "<raw>\n"},
}

func TestHighlightMemo(t *testing.T) {
	withCache(t, "")
	for _, s := range samples {
		want := direct(t, s.lang, s.code)
		before := chromaRuns.Load()
		if got := hl(t, s.lang, s.code); got != want {
			t.Errorf("%s, first time:\n%s\nwant\n%s", s.lang, got, want)
		}
		if got := hl(t, s.lang, s.code); got != want {
			t.Errorf("%s, from memory:\n%s\nwant\n%s", s.lang, got, want)
		}
		// go and golang are one lexer: the second is found in memory.
		if runs := chromaRuns.Load() - before; runs > 1 || (s.lang == "golang" && runs != 0) {
			t.Errorf("%s: chroma ran %d times", s.lang, runs)
		}
	}
}

func TestHighlightMemoBounded(t *testing.T) {
	withCache(t, "")
	defer func(b int) { memo.budget = b }(memo.budget)
	memo.budget = 4 << 10
	for i := range 200 {
		hl(t, "go", fmt.Sprintf("var x%d = %d\n", i, i))
	}
	memo.mu.Lock()
	n := 0
	for _, v := range memo.young {
		n += len(v)
	}
	for _, v := range memo.old {
		n += len(v)
	}
	memo.mu.Unlock()
	if n > memo.budget {
		t.Errorf("%d bytes in memory, budget %d", n, memo.budget)
	}
}

func TestHighlightDisk(t *testing.T) {
	dir := t.TempDir()
	c := withCache(t, dir)
	for _, s := range samples {
		hl(t, s.lang, s.code)
	}
	if _, _, writes, failures := c.Stats(); writes != 7 || failures != 0 {
		t.Errorf("%d entries written, %d failures; want 7 (one a lexer with code), 0", writes, failures)
	}
	// A new process: nothing in memory, the same folder.
	memo.reset()
	c2, err := OpenHighlightCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	UseHighlightCache(c2)
	before := chromaRuns.Load()
	for _, s := range samples {
		if got, want := hl(t, s.lang, s.code), direct(t, s.lang, s.code); got != want {
			t.Errorf("%s from disk:\n%s\nwant\n%s", s.lang, got, want)
		}
	}
	if runs := chromaRuns.Load() - before; runs != 0 {
		t.Errorf("chroma ran %d times with every block on disk", runs)
	}
	if hits, _, _, _ := c2.Stats(); hits != 7 {
		t.Errorf("%d hits, want 7", hits)
	}
}

// entryFile is the file of the entry of code highlighted as Go.
func entryFile(c *HighlightCache, code string) string {
	_, name := c.path(keyOf(lexers.Get("go").Config().Name, []byte(code)))
	return name
}

func TestHighlightDiskBadEntries(t *testing.T) {
	const a, b = "var a = 1\n", "var b = 2\n"
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, c *HighlightCache)
	}{
		{"truncated", func(t *testing.T, c *HighlightCache) {
			data, _ := os.ReadFile(entryFile(c, a))
			os.WriteFile(entryFile(c, a), data[:len(data)-3], 0o644)
		}},
		{"empty", func(t *testing.T, c *HighlightCache) { os.WriteFile(entryFile(c, a), nil, 0o644) }},
		{"flipped byte", func(t *testing.T, c *HighlightCache) {
			data, _ := os.ReadFile(entryFile(c, a))
			data[len(data)-2] ^= 1
			os.WriteFile(entryFile(c, a), data, 0o644)
		}},
		{"foreign (another key's entry)", func(t *testing.T, c *HighlightCache) {
			data, _ := os.ReadFile(entryFile(c, b))
			os.WriteFile(entryFile(c, a), data, 0o644)
		}},
		{"symbolic link to a good entry", func(t *testing.T, c *HighlightCache) {
			os.Remove(entryFile(c, a))
			if err := os.Symlink(entryFile(c, b), entryFile(c, a)); err != nil {
				t.Skip(err)
			}
		}},
		{"a folder", func(t *testing.T, c *HighlightCache) {
			os.Remove(entryFile(c, a))
			os.Mkdir(entryFile(c, a), 0o755)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := withCache(t, t.TempDir())
			hl(t, "go", a)
			hl(t, "go", b)
			tc.spoil(t, c)
			memo.reset()
			before := chromaRuns.Load()
			if got, want := hl(t, "go", a), direct(t, "go", a); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			if chromaRuns.Load()-before != 1 {
				t.Error("the spoilt entry was used")
			}
			// Written again as a good entry, in place of a file or a link
			// (a folder cannot be renamed over: that one stays a miss).
			if _, ok := c.get(keyOf(lexers.Get("go").Config().Name, []byte(a))); !ok && tc.name != "a folder" {
				t.Error("the spoilt entry was not written again")
			}
		})
	}
}

// TestHighlightDiskNoLinks: a shard folder that is a symbolic link is
// neither read nor written through.
func TestHighlightDiskNoLinks(t *testing.T) {
	dir := t.TempDir()
	c := withCache(t, dir)
	code := "var linked = 1\n"
	shard, _ := c.path(keyOf(lexers.Get("go").Config().Name, []byte(code)))
	elsewhere := t.TempDir()
	if err := os.Symlink(elsewhere, shard); err != nil {
		t.Skip(err)
	}
	if got, want := hl(t, "go", code), direct(t, "go", code); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("wrote %d files through a link", len(entries))
	}
	if _, _, _, failures := c.Stats(); failures != 1 {
		t.Errorf("%d failures, want 1", failures)
	}
}

// TestHighlightDiskUnusable: a cache that cannot be written costs nothing
// but the saving.
func TestHighlightDiskUnusable(t *testing.T) {
	dir := t.TempDir()
	c := withCache(t, dir)
	// Every shard a file: no entry can be written.
	for i := range 256 {
		os.WriteFile(filepath.Join(dir, cacheSub, fmt.Sprintf("%02x", i)), nil, 0o644)
	}
	for _, s := range samples {
		if got, want := hl(t, s.lang, s.code), direct(t, s.lang, s.code); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", s.lang, got, want)
		}
	}
	if _, _, writes, failures := c.Stats(); writes != 0 || failures != 7 {
		t.Errorf("%d writes, %d failures; want 0, 7", writes, failures)
	}
	if _, err := OpenHighlightCache(filepath.Join(dir, cacheSub, "00")); err == nil {
		t.Error("OpenHighlightCache on a file succeeded")
	}
}

// TestHighlightDiskConcurrent: processes sharing a folder (here, caches
// opened apart, each with its own writers) leave only good entries.
func TestHighlightDiskConcurrent(t *testing.T) {
	dir := t.TempDir()
	withCache(t, dir)
	var wg sync.WaitGroup
	for p := range 4 {
		c, err := OpenHighlightCache(dir)
		if err != nil {
			t.Fatal(err)
		}
		for w := range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := range 100 {
					k := keyOf("Go", fmt.Appendf(nil, "block %d", i%40))
					body := bytes.Repeat(fmt.Appendf(nil, "<span>%d</span>", i%40), 50+i%40)
					if got, ok := c.get(k); ok && !bytes.Equal(got, body) {
						t.Errorf("process %d, writer %d: a wrong entry for block %d", p, w, i%40)
					}
					c.put(k, body)
				}
			})
		}
	}
	wg.Wait()
	c, _ := OpenHighlightCache(dir)
	for i := range 40 {
		if _, ok := c.get(keyOf("Go", fmt.Appendf(nil, "block %d", i))); !ok {
			t.Errorf("block %d: no good entry", i)
		}
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
			t.Errorf("a temporary file is left: %s", p)
		}
		return nil
	})
}

func TestHighlightDiskTrim(t *testing.T) {
	dir := t.TempDir()
	c := withCache(t, dir)
	c.MaxBytes = 20 << 10
	old := time.Now().Add(-48 * time.Hour)
	var keys []hlKey
	for i := range 100 {
		k := keyOf("Go", fmt.Appendf(nil, "block %d", i))
		keys = append(keys, k)
		c.put(k, bytes.Repeat([]byte("x"), 1000))
		_, name := c.path(k)
		os.Chtimes(name, old.Add(time.Duration(i)*time.Minute), old.Add(time.Duration(i)*time.Minute))
	}
	// A stale temporary file, and something that is no entry.
	shard, _ := c.path(keys[0])
	os.WriteFile(filepath.Join(shard, ".tmp-dead"), []byte("x"), 0o644)
	os.Chtimes(filepath.Join(shard, ".tmp-dead"), old, old)
	os.WriteFile(filepath.Join(shard, "notes.txt"), []byte("mine"), 0o644)
	// The first block is used now: it is kept.
	c.get(keys[0])
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	var total int64
	filepath.WalkDir(filepath.Join(dir, cacheSub), func(p string, d fs.DirEntry, err error) error {
		if fi, err := d.Info(); err == nil && fi.Mode().IsRegular() && len(d.Name()) == 62 {
			total += fi.Size()
		}
		return nil
	})
	if total > c.MaxBytes {
		t.Errorf("%d bytes of entries after trimming to %d", total, c.MaxBytes)
	}
	if _, ok := c.get(keys[0]); !ok {
		t.Error("the entry used last was removed")
	}
	if _, ok := c.get(keys[1]); ok {
		t.Error("the entry used least recently was kept")
	}
	if _, err := os.Stat(filepath.Join(shard, ".tmp-dead")); err == nil {
		t.Error("a stale temporary file was kept")
	}
	if _, err := os.Stat(filepath.Join(shard, "notes.txt")); err != nil {
		t.Error("a file that is no entry was removed")
	}
}

func TestLexerFor(t *testing.T) {
	for _, lang := range []string{"go", "golang", "yml", "yaml", "ts", "typescript", "sh", "bash", "shell", "py", "sql", "json", "GO", "nosuchlanguage", "c++"} {
		for range 2 { // the second answer is the remembered one
			got, want := lexerFor(lang), lexers.Get(lang)
			if got != want {
				t.Errorf("lexerFor(%q) = %v, lexers.Get gives %v", lang, got, want)
			}
		}
	}
}

// codeBlocks are the fenced blocks of the code mix of a generated site,
// by language as written.
func codeBlocks(t testing.TB) map[string][]string {
	t.Helper()
	blocks := map[string][]string{}
	for _, body := range generatedBodies(sitegen.Options{Docs: 1000, Seed: 1, Mix: sitegen.Code}) {
		for _, m := range fenceRE.FindAllSubmatch(body, -1) {
			blocks[string(m[1])] = append(blocks[string(m[1])], string(m[2]))
		}
	}
	return blocks
}

var fenceRE = regexp.MustCompile("(?ms)^```([a-z]+)\n(.*?)^```\n")

// BenchmarkChroma measures chroma alone on the code mix's blocks, per
// language: lexer=get looks the lexer up by name every time, as
// highlighting did before lexerFor; the others take it once.
// coalesce=false leaves out chroma.Coalesce (whose output differs: it
// is only to see what it costs).
func BenchmarkChroma(b *testing.B) {
	blocks := codeBlocks(b)
	for _, lang := range slices.Sorted(maps.Keys(blocks)) {
		code := blocks[lang]
		n := 0
		for _, c := range code {
			n += len(c)
		}
		for _, mode := range []string{"lexer=get", "lexer=once", "coalesce=false"} {
			b.Run(lang+"/"+mode, func(b *testing.B) {
				b.SetBytes(int64(n))
				b.ReportAllocs()
				lexer := lexers.Get(lang)
				var out bytes.Buffer
				for b.Loop() {
					for _, c := range code {
						if mode == "lexer=get" {
							lexer = lexers.Get(lang)
						}
						l := lexer
						if mode != "coalesce=false" {
							l = chroma.Coalesce(lexer)
						}
						it, err := l.Tokenise(nil, c)
						if err != nil {
							b.Fatal(err)
						}
						out.Reset()
						if err := formatter.Format(&out, noStyle, it); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(code)), "µs/block")
			})
		}
	}
}

// BenchmarkHighlightCache measures one block of the code mix highlighted
// by chroma, taken from memory, and read from a cache folder (one file an
// entry, opened, read and its digest checked): what a second build pays
// a block instead of chroma's price.
func BenchmarkHighlightCache(b *testing.B) {
	type block struct {
		lexer chroma.Lexer
		code  string
	}
	var blocks []block
	all := codeBlocks(b)
	for _, lang := range slices.Sorted(maps.Keys(all)) {
		for _, c := range all[lang][:min(len(all[lang]), 30)] {
			blocks = append(blocks, block{lexers.Get(lang), c})
		}
	}
	keys := make([]hlKey, len(blocks))
	html := make([][]byte, len(blocks))
	for i, bl := range blocks {
		keys[i] = keyOf(bl.lexer.Config().Name, []byte(bl.code))
		it, _ := chroma.Coalesce(bl.lexer).Tokenise(nil, bl.code)
		var out bytes.Buffer
		formatter.Format(&out, noStyle, it)
		html[i] = out.Bytes()
	}
	perBlock := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e3/float64(b.N*len(blocks)), "µs/block")
	}
	b.Run("chroma", func(b *testing.B) {
		var out bytes.Buffer
		for b.Loop() {
			for _, bl := range blocks {
				it, _ := chroma.Coalesce(bl.lexer).Tokenise(nil, bl.code)
				out.Reset()
				formatter.Format(&out, noStyle, it)
			}
		}
		perBlock(b)
	})
	m := &memory{budget: 1 << 30}
	for i := range keys {
		m.put(keys[i], html[i])
	}
	b.Run("memory", func(b *testing.B) {
		for b.Loop() {
			for _, k := range keys {
				m.get(k)
			}
		}
		perBlock(b)
	})
	defer func(v string) { chromaVersion = v }(chromaVersion)
	chromaVersion = "v0.0.0-bench"
	c, err := OpenHighlightCache(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for i := range keys {
		c.put(keys[i], html[i])
	}
	b.Run("disk", func(b *testing.B) {
		for b.Loop() {
			for _, k := range keys {
				if _, ok := c.get(k); !ok {
					b.Fatal("an entry is missing")
				}
			}
		}
		perBlock(b)
	})
}
