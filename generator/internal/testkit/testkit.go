// Package testkit holds what the tests of several packages share: the site
// fixtures' documents as fuzz seeds, Debian's Chromium set up for a test,
// and a buffer that goroutines may write at once. Only tests import it.
package testkit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"
)

// FixtureDocuments returns the .md files of the site fixtures under
// generator/testdata/sites, to seed fuzzers with realistic documents.
func FixtureDocuments(t testing.TB) [][]byte {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	archives, err := filepath.Glob(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "sites", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no site fixtures found to seed from")
	}
	var docs [][]byte
	for _, name := range archives {
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".md") {
				docs = append(docs, f.Data)
			}
		}
	}
	return docs
}

// ChromiumPath is where Debian installs Chromium; .ci/run installs it.
const ChromiumPath = "/usr/bin/chromium"

// Chromium returns an allocator context for a headless Chromium with a
// fresh profile, or skips the test, saying why, where there is none or
// under -short. The flags keep it from reaching for the network, which a
// test machine may not have.
func Chromium(t testing.TB, ctx context.Context, width, height int) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Skip("chromium not installed at " + ChromiumPath + " (apt-get install chromium): " + err.Error())
	}
	if testing.Short() {
		t.Skip("a browser test; skipped with -short")
	}
	actx, cancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	t.Cleanup(cancel)
	return actx
}

// SyncBuffer is a bytes.Buffer that goroutines may write while a test
// reads it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// LoadTxtar reads a txtar archive of a site into a file system rooted at
// the site root: the archive's files are named from it ("productdocs.yaml",
// "content/…").
func LoadTxtar(t testing.TB, path string) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		if _, dup := fsys[f.Name]; dup {
			t.Fatalf("%s: %s appears twice", path, f.Name)
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// WriteFiles writes files (slash paths relative to dir) into dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TreeHashes maps every file, folder and link under dir to a hash of what
// it holds, so that two calls tell whether anything changed.
func TreeHashes(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			m[rel] = "-> " + target
			return err
		case e.IsDir():
			m[rel+"/"] = "dir"
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			m[rel] = hex.EncodeToString(sum[:])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
