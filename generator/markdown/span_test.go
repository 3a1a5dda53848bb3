package markdown

import "testing"

func TestLinkSpan(t *testing.T) {
	tests := []struct {
		name, src   string
		link, label string // the span's text, and the label
		ok          bool
	}{
		{"wiki", "See [[EPIC-1]] now.", "[[EPIC-1]]", "", true},
		{"wiki with label", "See [[EPIC-1| the work ]] now.", "[[EPIC-1| the work ]]", "the work", true},
		{"wiki with anchor and label", "[[EPIC-1#scope|scope]]", "[[EPIC-1#scope|scope]]", "scope", true},
		{"markdown", "Read [the *plan*](../backlog/epic-1.md) first.", "[the *plan*](../backlog/epic-1.md)", "the *plan*", true},
		{"nested brackets and parentheses", "x [a [b] c](a(1).md#h \"t (x)\") y", "[a [b] c](a(1).md#h \"t (x)\")", "a [b] c", true},
		{"escaped bracket", `[a\]b](x.md)`, `[a\]b](x.md)`, `a\]b`, true},
		{"angle destination", "[a](<my file.md>)", "[a](<my file.md>)", "a", true},
		{"image", "![alt](pic.md)", "![alt](pic.md)", "alt", true},
		{"in a list item", "- [ab](a.md)\n- [y](b.md)\n", "[ab](a.md)", "ab", true},
		{"reference link", "[a][r]\n\n[r]: x.md\n", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			if len(d.Links) == 0 {
				t.Fatalf("no link parsed from %q", tt.src)
			}
			start, end, label, ok := LinkSpan(d.Source, d.Links[0])
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if got := tt.src[start:end]; got != tt.link {
				t.Errorf("span %q, want %q", got, tt.link)
			}
			if string(label) != tt.label {
				t.Errorf("label %q, want %q", label, tt.label)
			}
		})
	}
}

func FuzzLinkSpan(f *testing.F) {
	for _, s := range []string{"[[A|b]]", "[a](b.md)", "[a [b]](c(d).md \"t\")", "![x](<y z.md>)", "[a][b]\n\n[b]: c.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d := Parse([]byte(src))
		for _, l := range d.Links {
			start, end, label, ok := LinkSpan(d.Source, l)
			if !ok {
				continue
			}
			if start < 0 || end > len(d.Source) || start >= end {
				t.Fatalf("span [%d, %d) outside the source of %d bytes", start, end, len(d.Source))
			}
			if len(label) > end-start {
				t.Fatalf("label %q longer than the span", label)
			}
		}
	})
}
