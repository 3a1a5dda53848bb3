package model

import (
	"slices"
	"testing"
)

func TestCompareIDs(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"STORY-2", "STORY-10", -1},
		{"STORY-10", "STORY-2", 1},
		{"INI-12", "INI-118", -1},
		{"STORY-1", "STORY-1", 0},
		{"story-1", "STORY-1", 1}, // equal ignoring case: bytes decide
		{"STORY-01", "STORY-1", -1},
		{"EPIC-9", "STORY-1", -1},
		{"A", "A-1", -1},
		{"v1.10", "v1.9", 1},
		{"guides/writing", "guides/ci", 1},
		{"X99999999999999999999999", "X100000000000000000000000", -1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"_vs_"+tt.b, func(t *testing.T) {
			if got := CompareIDs(tt.a, tt.b); got != tt.want {
				t.Errorf("CompareIDs(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := CompareIDs(tt.b, tt.a); got != -tt.want {
				t.Errorf("CompareIDs(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
	ids := []string{"STORY-14", "STORY-3", "STORY-1", "INI-118", "INI-12", "STORY-10"}
	slices.SortFunc(ids, CompareIDs)
	want := []string{"INI-12", "INI-118", "STORY-1", "STORY-3", "STORY-10", "STORY-14"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted %v, want %v", ids, want)
	}
}

func FuzzCompareIDs(f *testing.F) {
	for _, s := range []string{"STORY-2", "STORY-10", "a01", "A1", "x", ""} {
		f.Add(s, "STORY-1", "a1")
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, ba := CompareIDs(a, b), CompareIDs(b, a)
		if ab != -ba {
			t.Fatalf("not antisymmetric: %q %q: %d %d", a, b, ab, ba)
		}
		if (ab == 0) != (a == b) {
			t.Fatalf("CompareIDs(%q, %q) = 0 for different IDs, or not 0 for the same", a, b)
		}
		if ab <= 0 && CompareIDs(b, c) <= 0 && CompareIDs(a, c) > 0 {
			t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}
