package render_test

// Safe HTML: what a document says never becomes markup or script in the
// pages, unless the site asks for raw HTML with unsafe_html.

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/render"
)

// renderSite loads a site held in memory and renders every output file
// except the content files, which a build copies as they are. Content
// diagnostics do not stop it: the preview renders what it can.
func renderSite(t *testing.T, files map[string]string) map[string]string {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, s := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(s)}
	}
	s, err := generator.Load(t.Context(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	r, ds := s.Renderer("")
	if r == nil {
		t.Fatalf("templates: %v", ds)
	}
	out := map[string]string{}
	defer func() {
		// The search index as the search page opens it.
		if js, ok := out["search/index.js"]; ok {
			b, err := render.OpenSearchIndex(r.Site.SearchKey(), []byte(js))
			if err != nil {
				t.Fatal(err)
			}
			out["search/index.js"] = string(b)
		}
	}()
	for _, j := range r.Jobs() {
		if j.Kind == "content" {
			continue
		}
		var b bytes.Buffer
		if err := r.Render(j, &b); err != nil {
			t.Fatalf("rendering %s: %v", j.Path, err)
		}
		out[j.Path] = b.String()
	}
	return out
}

// hostile is a site whose every field tries to get markup into a page.
var hostile = map[string]string{
	"productdocs.yaml": "title: \"<script>alert('site')</script>\"\n",
	"content/index.md": "# <img src=x onerror=alert('home')>\n\nWelcome.\n",
	"content/strategy/vision.md": `---
id: VIS-1
kind: vision
title: "<script>alert('title')</script>"
summary: '"><img src=x onerror=alert(''summary'')>'
owner: "<iframe src=javascript:alert('owner')>"
tags: ["<b onmouseover=alert('tag')>t</b>", "\" onfocus=\"alert('tag2')"]
status: in-progress
extra:
  note: "<script>alert('extra')</script>"
  nested: {deep: "<svg onload=alert('nested')>"}
---

Text.
`,
	"content/strategy/obj.md": `---
id: OBJ-1
kind: objective
title: "Objective </title><script>alert('obj')</script>"
traces: VIS-1
key_results:
  - metric: "<script>alert('metric')</script>"
    target: "<b>lots</b>"
    current: 1
---
`,
	"content/strategy/ini.md": `---
id: INI-1
kind: initiative
title: "'; alert('js'); '"
traces: OBJ-1
horizon: next
quarter: 2027-Q1
---
`,
	"content/strategy/competitors/cmp.md": `---
id: CMP-1
kind: competitor
title: "Competitor <style>*{display:none}</style>"
url: "javascript:alert('url')"
---
`,
	"content/backlog/feedback/fb.md": `---
id: FB-1
kind: feedback
title: Feedback
source: "<a href=javascript:alert('source')>x</a>"
---
`,
	"content/backlog/epic.md": `---
id: EPIC-1
kind: epic
title: "<marquee>epic</marquee>"
traces: INI-1
estimate: 3
---
`,
	"content/backlog/story.md": `---
id: STORY-1
kind: story
title: "{{.Site.Title}} <script>alert('story')</script>"
traces: EPIC-1
---

## Acceptance criteria <img src=x onerror=alert('heading')>

- [ ] <script>alert('criterion')</script>
`,
}

// injected are the hostile site's payloads as they would read had they
// got into a page unescaped.
var injected = []string{
	"<script>alert(", "<img src=x", "<iframe src=", "<b onmouseover", "<svg onload", "<marquee>",
	"<style>", `" onfocus="`, "<a href=javascript:", "</title><script>", "<b>lots</b>",
}

// TestFieldsEscaped renders every page of the hostile site and wants no
// injected markup in any of them, nor in the JSON and script files.
func TestFieldsEscaped(t *testing.T) {
	pages := renderSite(t, hostile)
	for name, page := range pages {
		if strings.HasSuffix(name, ".csv") {
			continue // text/csv, never read as markup: TestMatrixCSV checks its quoting
		}
		for _, raw := range injected {
			if i := strings.Index(strings.ToLower(page), raw); i >= 0 {
				t.Errorf("%s: raw markup %q", name, page[max(0, i-40):min(len(page), i+len(raw)+40)])
			}
		}
	}
	// The values are there, escaped: the test would pass on empty pages.
	for page, want := range map[string]string{
		"strategy/vis-1/index.html":  "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;",
		"strategy/obj-1/index.html":  "&lt;script&gt;alert(&#39;metric&#39;)&lt;/script&gt;",
		"backlog/story-1/index.html": "{{.Site.Title}} &lt;script&gt;",
		"strategy/index.html":        "&#34;&gt;&lt;img src=x onerror=alert(&#39;summary&#39;)&gt;",
		"strategy/cmp-1/index.html":  "Competitor &lt;style&gt;",
		"backlog/index.html":         "&lt;a href=javascript:alert(&#39;source&#39;)&gt;",
		"model.json":                 `\u003cscript\u003ealert('title')\u003c/script\u003e`,
		"search/index.js":            `\u003cscript\u003ealert('title')\u003c/script\u003e`,
	} {
		if !strings.Contains(pages[page], want) {
			t.Errorf("%s does not show %s", page, want)
		}
	}
}

// TestRawHTML checks that raw HTML in Markdown is left out by default and
// kept with unsafe_html: true.
func TestRawHTML(t *testing.T) {
	body := "# Raw\n\n<script>alert('block')</script>\n\n<div onclick=\"alert('div')\">hi</div>\n\nInline <img src=\"x\" onerror=\"alert('inline')\"> and <span style=\"color:red\">red</span>.\n"
	for _, tc := range []struct {
		settings string
		kept     bool
	}{
		{"", false},
		{"unsafe_html: false\n", false},
		{"unsafe_html: true\n", true},
	} {
		t.Run(strings.TrimSpace("settings "+tc.settings), func(t *testing.T) {
			page := renderSite(t, map[string]string{
				"productdocs.yaml":      "title: Raw\n" + tc.settings,
				"content/guides/raw.md": body,
			})["guides/raw/index.html"]
			for _, raw := range []string{"<script>alert('block')</script>", `<div onclick="alert('div')">`, `<img src="x" onerror="alert('inline')">`, `<span style="color:red">`} {
				if got := strings.Contains(page, raw); got != tc.kept {
					t.Errorf("%s in the page: %v, want %v", raw, got, tc.kept)
				}
			}
			if !tc.kept && !strings.Contains(page, "<!-- raw HTML omitted -->") {
				t.Error("the page does not say raw HTML was left out")
			}
		})
	}
}

// TestDangerousURLs writes links and images whose targets would run
// script, and wants every one neutralised; safe targets stay.
func TestDangerousURLs(t *testing.T) {
	for _, tc := range []struct {
		name, md string
		safe     string // a part of the page when the target is kept; "" wants it gone
	}{
		{"javascript", "[x](javascript:alert(1))", ""},
		{"mixed case", "[x](JaVaScRiPt:alert(1))", ""},
		{"vbscript", "[x](vbscript:msgbox(1))", ""},
		{"VBScript", "[x](VBScript:msgbox(1))", ""},
		{"data HTML", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", ""},
		{"data HTML, mixed case", "[x](DATA:text/html,<script>alert(1)</script>)", ""},
		{"data SVG image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", ""},
		{"file", "[x](file:///etc/passwd)", ""},
		{"entity-encoded javascript", "[x](&#106;avascript:alert(1))", ""},
		{"hex entity, mixed case", "[x](&#x4A;avaScript:alert(1))", ""},
		{"autolink", "<javascript:alert(1)>", ""},
		{"image", "![x](javascript:alert(1))", ""},
		{"reference", "[x][r]\n\n[r]: javascript:alert(1)", ""},
		{"reference, title", "[x][r]\n\n[r]: JAVASCRIPT:alert(1) \"t\"", ""},
		{"data PNG image", "![x](data:image/png;base64,iVBORw0KGgo=)", `src="data:image/png;base64,iVBORw0KGgo="`},
		{"https", "[x](https://example.com/?a=1&b=2)", `href="https://example.com/?a=1&amp;b=2"`},
		{"mailto", "[x](mailto:po@example.com)", `href="mailto:po@example.com"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := renderSite(t, map[string]string{"content/guides/links.md": "# Links\n\n" + tc.md + "\n"})["guides/links/index.html"]
			main := page[strings.Index(page, "<main"):]
			if tc.safe != "" {
				if !strings.Contains(main, tc.safe) {
					t.Errorf("the page lost a safe target %s:\n%s", tc.safe, main)
				}
				return
			}
			if m := regexp.MustCompile(`(?i)(href|src)="[^"]*(script|data|file):`).FindString(main); m != "" {
				t.Errorf("dangerous target kept: %s", m)
			}
		})
	}
}

// TestSchemeLikePageNames links to pages and files whose names start like
// a URL scheme ("javascript:…"). Their relative links must stay relative
// (RFC 3986 §4.2 wants "./" before a first segment with a colon) in the
// body, in wiki links and in the theme.
func TestSchemeLikePageNames(t *testing.T) {
	pages := renderSite(t, map[string]string{
		"content/index.md":                 "# Home\n\n[[javascript:alert(1)-x]] [page](javascript:alert(1)-x.md) [y](./mailto:y.md) ![i](./http:z.png)\n",
		"content/javascript:alert(1)-x.md": "# Page\n",
		"content/mailto:y.md":              "# Y\n",
		"content/http:z.png":               "png",
	})
	home := pages["index.html"]
	main := home[strings.Index(home, "<main"):]
	for _, want := range []string{
		`<a class="wikilink" href="./javascript:alert%281%29-x/">`,
		`href="./mailto:y/"`,
		`src="./http:z.png"`,
	} {
		if !strings.Contains(main, want) {
			t.Errorf("the home page has no %s:\n%s", want, main)
		}
	}
	if m := regexp.MustCompile(`(href|src)="(javascript|mailto|http):`).FindString(home); m != "" {
		t.Errorf("a relative link reads as a scheme: %s", m)
	}
}

// TestRenderRecoversPanics renders a job whose template does not exist,
// which panics inside html/template, and wants a template error instead.
func TestRenderRecoversPanics(t *testing.T) {
	s, err := generator.Load(t.Context(), fstest.MapFS{"content/index.md": {Data: []byte("# Home\n")}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := s.Renderer("")
	var b bytes.Buffer
	err = r.Render(render.Job{Path: "x/index.html", URL: "x/", Kind: "missing.html"}, &b)
	var te *render.TemplateError
	if !errors.As(err, &te) {
		t.Fatalf("Render: got %v, want a *render.TemplateError", err)
	}
	if te.Diag.Code != diag.CodeTemplate || te.Diag.File != "templates/missing.html" || !strings.Contains(te.Diag.Message, "panicked") {
		t.Errorf("diagnostic %v", te.Diag)
	}
}
