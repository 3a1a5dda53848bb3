package testkit

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

// Update is the -update flag of every package with golden files: their
// tests write what they got over the goldens instead of comparing. One
// definition, so that the packages cannot differ in its name or meaning.
var Update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// Golden compares got with the golden file at path or, under -update,
// writes got there.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test with -update to accept the change):\n%s", path, DiffLines(string(want), string(got)))
	}
}

// DiffLines shows the first line where got differs from want.
func DiffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, wl, gl)
		}
	}
	return "(same lines, different bytes)"
}
