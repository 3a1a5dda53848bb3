package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedianOf(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{9.9, 10.8, 9.6}, 9.9},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		in := append([]float64(nil), tc.in...)
		if got := MedianOf(tc.in); got != tc.want {
			t.Errorf("MedianOf(%v) = %v, want %v", tc.in, got, tc.want)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("MedianOf reordered its argument: %v, was %v", tc.in, in)
			}
		}
	}
}

func TestMedian(t *testing.T) {
	s := []Sample{{Wall: 3 * time.Second, CPU: 2, RSS: 10}, {Wall: time.Second, CPU: 3, RSS: 20}, {Wall: 2 * time.Second, CPU: 1, RSS: 30}}
	// Each measure on its own: no one sample is the median of all three.
	if got, want := Median(s), (Sample{Wall: 2 * time.Second, CPU: 2, RSS: 20}); got != want {
		t.Errorf("Median = %+v, want %+v", got, want)
	}
	if got := Median(nil); got != (Sample{}) {
		t.Errorf("Median(nil) = %+v, want zero", got)
	}
}

func TestEdits(t *testing.T) {
	file := filepath.Join(t.TempDir(), "story.md")
	orig := "---\nid: STORY-1\ntitle: Old\n---\n\n# Old\n\nText.\n"
	if err := os.WriteFile(file, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		mark, err := EditBody(file)(i)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(file)
		if want := fmt.Sprintf("A body edit, number %d.", i+1); string(mark) != want || !strings.HasSuffix(string(b), "\n"+want+"\n") {
			t.Errorf("body edit %d: mark %q, file %q", i, mark, b)
		}
		mark, err = EditTitle(file)(i)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = os.ReadFile(file)
		if want := fmt.Sprintf("Retitled %d", i+1); string(mark) != want || !strings.Contains(string(b), "\ntitle: "+want+"\n") || strings.Count(string(b), "title:") != 1 {
			t.Errorf("title edit %d: mark %q, file %q", i, mark, b)
		}
	}
	if err := os.WriteFile(file, []byte("# No frontmatter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := EditTitle(file)(0); err == nil {
		t.Error("a title edit of a file without a title line succeeded")
	}
}
