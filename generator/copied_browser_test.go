package generator

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
)

// TestCopiedHTMLRunsNoScript builds a site with an HTML file of its own
// that tries to run script every common way, and opens the copy in
// Chromium from the site's origin: none of it may run. Before, the copy
// was the file as it is, and its script ran with the site's pages.
func TestCopiedHTMLRunsNoScript(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{
		"content/index.md": "# Home\n",
		"content/report/export.html": `<!DOCTYPE html><html><head><title>Report</title>
<script>document.title = "ran: script"</script></head>
<body><h1>Quarterly report</h1>
<img src="missing.png" onerror="document.title = 'ran: handler'">
<iframe srcdoc="<script>parent.document.title = 'ran: srcdoc'</script>"></iframe>
<svg><script>document.title = "ran: svg"</script></svg>
</body></html>`,
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, root, out, "")
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	b := testkit.NewTab(t, 30*time.Second, 800, 600)
	b.Open(srv.URL + "/report/export.html")
	b.Until("the report", `!!document.querySelector("h1")`)
	time.Sleep(300 * time.Millisecond) // the image's error and the frame
	if title := b.Eval(`document.title`); title != "Report" {
		t.Errorf("the copied page ran script: its title is %q", title)
	}
	if n := b.Eval(`window.__csp.length`); n == float64(0) {
		t.Error("no script was blocked: was the policy put into the copy?")
	}
}
