package generator

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator/diag"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/sitegen"
)

// The site fixtures live in testdata/sites/<name>.txtar: the archive's
// files are the site's, named from the site root ("productdocs.yaml",
// "content/…"), and its comment says what the site is for. Beside each are
// its golden files (<name>.text.golden, <name>.json.golden: the diagnostics
// in those formats); regenerate them with
//
//	go test ./generator/ -run Fixtures -update

// loadTxtar is the site fixtures' loader, shared by every package's tests.
var loadTxtar = testkit.LoadTxtar

// siteFixtures returns the paths of testdata/sites/*.txtar.
func siteFixtures(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "sites", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no site fixtures (%v)", err)
	}
	return paths
}

// fixtureName is a fixture's name without folder and extension:
// "testdata/sites/clean.txtar" → "clean".
func fixtureName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".txtar")
}

// mustLoad loads a site and fails the test if it cannot be read.
func mustLoad(t testing.TB, fsys fs.FS) *Site {
	t.Helper()
	s, err := LoadWith(context.Background(), fsys, LoadOptions{Today: fixtureToday})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// fixtureToday is the fixtures' "today", for the time-based checks: the
// fixtures' dates are either well before it (to fire late and stale in
// every-code.txtar) or after it.
var fixtureToday = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func TestSiteFixtures(t *testing.T) {
	for _, path := range siteFixtures(t) {
		name := fixtureName(path)
		t.Run(name, func(t *testing.T) {
			s := mustLoad(t, loadTxtar(t, path))
			for _, format := range []string{"text", "json"} {
				var b bytes.Buffer
				if err := diag.Write(&b, format, s.Report()); err != nil {
					t.Fatal(err)
				}
				testkit.Golden(t, filepath.Join("testdata", "sites", name+"."+format+".golden"), b.Bytes())
			}
		})
	}
}

func TestCleanFixtureIsClean(t *testing.T) {
	s := mustLoad(t, loadTxtar(t, filepath.Join("testdata", "sites", "clean.txtar")))
	for _, d := range s.Diagnostics {
		t.Errorf("unexpected: %s", d)
	}
	kinds := map[string]bool{}
	for _, d := range s.Model.Docs {
		kinds[d.Kind.Name] = true
	}
	for _, k := range []string{"vision", "objective", "initiative", "release", "persona", "market", "competitor", "epic", "story", "feedback", "page"} {
		if !kinds[k] {
			t.Errorf("clean.txtar has no %s", k)
		}
	}
}

func TestEveryCodeFixtureFiresEveryCode(t *testing.T) {
	s := mustLoad(t, loadTxtar(t, filepath.Join("testdata", "sites", "every-code.txtar")))
	fired := map[string]bool{}
	for _, d := range s.Diagnostics {
		fired[d.Code] = true
	}
	for _, c := range diag.Codes {
		switch c.Name {
		case diag.CodeTemplate, diag.CodeOutputClash:
			continue // found with the templates, after Load (TestOutputClash)
		case diag.CodeRefusedFile:
			continue // a FIFO or a file over 128 MB, which no txtar holds (TestGuardedReads)
		}
		if !fired[c.Name] {
			t.Errorf("every-code.txtar does not fire %s", c.Name)
		}
	}
}

// TestLoadFromDisk loads every fixture from a folder as the CLI does and
// from memory, and wants the same diagnostics.
func TestLoadFromDisk(t *testing.T) {
	for _, path := range siteFixtures(t) {
		t.Run(fixtureName(path), func(t *testing.T) {
			fsys := loadTxtar(t, path)
			dir := t.TempDir()
			if err := sitegen.WriteFS(dir, fsys); err != nil {
				t.Fatal(err)
			}
			mem, disk := mustLoad(t, fsys), mustLoad(t, os.DirFS(dir))
			if !slices.Equal(mem.Diagnostics, disk.Diagnostics) {
				t.Errorf("from disk:\n%v\nin memory:\n%v", disk.Diagnostics, mem.Diagnostics)
			}
			if len(mem.Model.Docs) != len(disk.Model.Docs) {
				t.Errorf("%d documents from disk, %d in memory", len(disk.Model.Docs), len(mem.Model.Docs))
			}
		})
	}
}

func TestLoadEmptySite(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"nothing":          {},
		"only settings":    {"productdocs.yaml": {Data: []byte("title: x\n")}},
		"an empty content": {"content": {Mode: fs.ModeDir | 0o755}},
	} {
		t.Run(name, func(t *testing.T) {
			s := mustLoad(t, fsys)
			if len(s.Diagnostics) != 0 || len(s.Model.Docs) != 0 {
				t.Errorf("Load = %d documents, diagnostics %v; want an empty site", len(s.Model.Docs), s.Diagnostics)
			}
		})
	}
}

// errFS fails to open one file or folder, as an unreadable one on disk
// does. It has only Open, so that fs.ReadFile and fs.ReadDir go through it.
type errFS struct {
	fsys fs.FS
	bad  string
}

func (f errFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.fsys.Open(name)
}

func TestLoadToolErrors(t *testing.T) {
	site := fstest.MapFS{
		"productdocs.yaml":           {Data: []byte("title: x\n")},
		"content/strategy/vision.md": {Data: []byte("---\nkind: vision\ntitle: V\n---\n")},
	}
	tests := []struct {
		name string
		bad  string
		want string
	}{
		{"unreadable settings", "productdocs.yaml", "reading productdocs.yaml"},
		{"unreadable document", "content/strategy/vision.md", "reading content/strategy/vision.md"},
		{"unreadable folder", "content/strategy", "reading content/strategy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), errFS{site, tt.bad})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, fs.ErrPermission) {
				t.Errorf("Load = %v, want an error %q wrapping permission denied", err, tt.want)
			}
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fsys := loadTxtar(t, filepath.Join("testdata", "sites", "clean.txtar"))
	if _, err := Load(ctx, fsys); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context = %v, want context.Canceled", err)
	}
}

// fuzzSite is the rest of the site the fuzzed document lives in, so that
// its references and links have something to find.
var fuzzSite = fstest.MapFS{
	"content/strategy/vision.md":            {Data: []byte("---\nid: VIS-1\nkind: vision\ntitle: V\n---\n# Vision\n")},
	"content/strategy/initiatives/ini-1.md": {Data: []byte("---\nid: INI-1\nkind: initiative\ntitle: I\nhorizon: later\ntraces: OBJ-1\n---\n")},
	"content/strategy/objectives/obj-1.md":  {Data: []byte("---\nid: OBJ-1\nkind: objective\ntitle: O\nstatus: done\ntraces: VIS-1\n---\n")},
	"content/backlog/epics/epic-1.md":       {Data: []byte("---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\n---\n## Scope\n")},
	"content/guides/img/flow.svg":           {Data: []byte("<svg/>")},
}

const fuzzFile = "content/backlog/stories/fuzz.md"

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"",
		"---\nid: STORY-1\nkind: story\ntitle: S\ntraces: EPIC-1\n---\n\n[[EPIC-1]] [s](../epics/epic-1.md#scope)\n",
		"\ufeff---\r\nid: STORY-1\r\nkind: story\r\ntraces: [EPIC-1, EPIC-1]\r\ndepends_on: STORY-1\r\n---\r\n[[VIS-1#vision|v]]\r\n",
		"+++\nid = 'epic-1'\nkind = 'epic'\ntraces = 'fuzz'\n+++\n",
		";;;\n{\"kind\": \"objective\", \"traces\": \"EPIC-1\", \"key_results\": [{\"metric\": 1}, 2, {\"target\": {}}]}\n;;;\n",
		"---\nkind: story\nstatus: done\n---\n## Acceptance criteria\n- [ ] a\n",
		"---\nid: ../x\nkind: page\n---\n[a](../../guides/img/flow.svg) [b](../../../x.md) [c](#nope)\n",
		"---\nextra: 1\ntags: {a: 1}\nrank: 1.5\nestimate: .nan\nupdated: 2026-02-30\n---\n",
		"---\nx: &a [*a]\n---\n",
		"---\n",
	} {
		f.Add([]byte(s))
	}
	for _, path := range siteFixtures(f) {
		for name, file := range loadTxtar(f, path) {
			if strings.HasSuffix(name, ".md") {
				f.Add(file.Data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := maps.Clone(fuzzSite)
		fsys[fuzzFile] = &fstest.MapFile{Data: src}
		s, err := Load(context.Background(), fsys)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		// A lone CR ends a line too, for YAML as for editors.
		lf := bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		lines := 1 + bytes.Count(lf, []byte("\n")) + bytes.Count(lf, []byte("\r"))
		for i, d := range s.Diagnostics {
			if i > 0 && diag.Compare(s.Diagnostics[i-1], d) >= 0 {
				t.Fatalf("not sorted: %s before %s", s.Diagnostics[i-1], d)
			}
			if _, ok := diag.LookupCode(d.Code); !ok || d.Severity == diag.Off || d.Message == "" {
				t.Fatalf("diagnostic %s: unknown code, no severity or no message", d)
			}
			if d.Line < 1 || d.Column < 1 {
				t.Fatalf("diagnostic %s: position below 1:1", d)
			}
			if d.File == fuzzFile && d.Line > lines {
				t.Fatalf("diagnostic %s: after the file's last line (%d)", d, lines)
			}
			if d.File != fuzzFile && fsys[d.File] == nil {
				t.Fatalf("diagnostic %s: on a file the site does not have", d)
			}
		}
		if _, err := fs.ReadFile(fsys, fuzzFile); err == nil && s.Model.ByPath("backlog/stories/fuzz.md") == nil {
			t.Fatal("the fuzzed document is not in the model")
		}
	})
}
