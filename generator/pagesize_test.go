package generator

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"productdocs/generator/sitegen"
)

// maxPageBytes is the most HTML one page may have: a megabyte. Past it a
// page is slow to open and to search in, the more so on a phone, and the
// long lists (the backlog's, the trace page's tree and warnings) split
// into pages to stay under it.
const maxPageBytes = 1_000_000

// TestPageSizeLargeSite builds a generated site of 10,000 documents and
// checks every HTML page of it against maxPageBytes.
func TestPageSizeLargeSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site of 10,000 documents")
	}
	root := t.TempDir()
	if err := sitegen.Write(root, sitegen.Options{Docs: 10000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// With a date, as the command line has one: the time-based checks add
	// some 3,700 warnings, which the trace page lists.
	s, err := LoadWith(context.Background(), DirFS(root), LoadOptions{Today: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(context.Background(), s, root, BuildOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	pages, largest, largestPath := 0, int64(0), ""
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		pages++
		if fi.Size() > largest {
			largest, largestPath = fi.Size(), p
		}
		if fi.Size() > maxPageBytes {
			rel, _ := filepath.Rel(out, p)
			t.Errorf("%s is %d bytes of HTML, more than %d", filepath.ToSlash(rel), fi.Size(), maxPageBytes)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Diagnostics) < 1000 {
		t.Errorf("%d diagnostics: the site lacks the warnings the trace page lists", len(s.Diagnostics))
	}
	if pages < 10000 {
		t.Fatalf("the build wrote %d pages, want at least 10,000", pages)
	}
	rel, _ := filepath.Rel(out, largestPath)
	t.Logf("%d pages; the largest, %s, is %d bytes", pages, filepath.ToSlash(rel), largest)
}
