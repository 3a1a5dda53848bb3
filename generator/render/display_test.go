package render_test

import (
	"strings"
	"testing"
)

// TestExtraNested: a document's page shows nested extra values as nested
// lists, in the frontmatter's order, not as Go's map[…] syntax.
func TestExtraNested(t *testing.T) {
	pages := renderSite(t, map[string]string{
		"content/strategy/vision.md": `---
id: VIS-1
kind: vision
title: V
extra:
  plain: "a + b"
  deep: {z: [1, 2.5, {k: <v>}, []], a: true}
  empty: []
  none:
---
`,
	})
	page := pages["strategy/vis-1/index.html"]
	for _, tt := range []struct{ name, want string }{
		{"scalar", "<dt>plain</dt><dd>a &#43; b</dd>"},
		{"nested", `<dt>deep</dt><dd><dl class="value"><dt>z</dt><dd><ul class="value"><li>1</li><li>2.5</li><li><dl class="value"><dt>k</dt><dd>&lt;v&gt;</dd></dl></li><li>—</li></ul></dd><dt>a</dt><dd>true</dd></dl></dd>`},
		{"empty list", "<dt>empty</dt><dd>—</dd>"},
		{"null", "<dt>none</dt><dd>—</dd>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(page, tt.want) {
				i := strings.Index(page, `<dl class="facts">`)
				t.Errorf("the page does not show %s; its facts:\n%s", tt.want, page[max(i, 0):min(len(page), max(i, 0)+800)])
			}
		})
	}
	if strings.Contains(page, "map[") {
		t.Error("the page shows Go's map syntax")
	}
}
