// Package testkit holds what the tests of several packages share: the site
// fixtures' documents as fuzz seeds, txtar sites, golden files and their
// -update flag, one Chromium and one productdocs binary per test process
// (see Main), and a buffer that goroutines may write at once. Only tests
// import it.
package testkit

import (
	"bytes"
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
