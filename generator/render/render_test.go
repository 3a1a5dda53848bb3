package render_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/render"
	"productdocs/templates"
)

func TestRel(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"", "", "./"},
		{"", "backlog/story-1/", "backlog/story-1/"},
		{"backlog/story-1/", "", "../../"},
		{"backlog/story-1/", "strategy/vis-1/", "../../strategy/vis-1/"},
		{"backlog/story-1/", "backlog/story-1/", "../../backlog/story-1/"},
		{"search/", "search/index.js", "../search/index.js"},
		{"guides/deep/page/", "assets/style.css", "../../../assets/style.css"},
		{"guides/writing/", "guides/diagrams/über flow.svg", "../../guides/diagrams/%C3%BCber%20flow.svg"},
		{"", "a?b#c/d%e.png", "a%3Fb%23c/d%25e.png"},
		// A first segment with a colon would read as a scheme: a page
		// named "javascript:…" must not become a live javascript: link.
		{"", "javascript:alert(1)/", "./javascript:alert%281%29/"},
		{"", "a/b:c/", "a/b:c/"},
		{"guides/", "javascript:x/", "../javascript:x/"},
	} {
		if got := render.Rel(tc.from, tc.to); got != tc.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestOutputPath(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"", "index.html"},
		{"backlog/", "backlog/index.html"},
		{"backlog/story-1/", "backlog/story-1/index.html"},
		{"model.json", "model.json"},
		{"404.html", "404.html"},
	} {
		if got := render.OutputPath(tc.url); got != tc.want {
			t.Errorf("OutputPath(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}

// TestLoadTemplates checks how a site's templates/ folder combines with
// the built-in theme, and the diagnostics of broken templates.
func TestLoadTemplates(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, tc := range []struct {
		name string
		user fstest.MapFS
		want []string // diagnostics as "file:line: message part"
	}{
		{"no templates folder", nil, nil},
		{"an empty templates folder", fstest.MapFS{}, nil},
		{"overrides and additions", fstest.MapFS{
			"story.html":    file(`{{define "main"}}{{template "extra" .}}{{end}}`),
			"extra.html":    file(`{{define "extra"}}{{.Doc.ID}}{{end}}`),
			"extra.css":     file(`.x{}`),
			".hidden.html":  file(`{{`),
			"templates.go":  file(`package templates`),
			"sub/page.html": file(`{{`),
		}, nil},
		{"syntax error in a page template", fstest.MapFS{
			"home.html": file("{{define \"main\"}}\n\n{{if}}\n{{end}}{{end}}"),
		}, []string{"templates/home.html:3: missing value for if"}},
		{"syntax error in a partial", fstest.MapFS{
			"extra.html": file("{{define \"extra\"}}\n{{end}}{{end}}"),
		}, []string{"templates/extra.html:2: unexpected {{end}}"}},
		{"a function that does not exist", fstest.MapFS{
			"epic.html": file("{{define \"main\"}}{{nosuch .}}{{end}}"),
		}, []string{`templates/epic.html:1: function "nosuch" not defined`}},
		{"two broken page templates", fstest.MapFS{
			"epic.html":  file("{{define \"main\"}}{{if}}{{end}}"),
			"story.html": file("{{define \"main\"}}\n{{else}}{{end}}"),
		}, []string{"templates/epic.html:1: missing value for if", "templates/story.html:2: unexpected {{else}}"}},
		{"a layout.html without the layout", fstest.MapFS{
			"layout.html": file(`{{define "page"}}{{end}}`),
		}, []string{`templates/layout.html:1: no template defines "layout"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var user fs.FS
			if tc.user != nil {
				user = tc.user
			}
			tmpl, ds := render.LoadTemplates(templates.FS, user)
			var got []string
			for _, d := range ds {
				if d.Severity != diag.Error || d.Code != diag.CodeTemplate {
					t.Errorf("%s: want a template error", d)
				}
				got = append(got, d.File+":"+strconv.Itoa(d.Line)+": "+d.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("diagnostics:\n got %q\nwant %q", got, tc.want)
			}
			for i := range got {
				file, msg, _ := strings.Cut(tc.want[i], ": ")
				if !strings.HasPrefix(got[i], file+": ") || !strings.Contains(got[i], msg) {
					t.Errorf("diagnostic %d: got %q, want %q", i, got[i], tc.want[i])
				}
			}
			if (tmpl == nil) != (len(tc.want) > 0) {
				t.Errorf("templates %v with %d diagnostics", tmpl, len(ds))
			}
		})
	}
}

// site loads a site held in memory, which must have no errors.
func site(t *testing.T, files map[string]string) *generator.Site {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, s := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(s)}
	}
	s, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range s.Diagnostics {
		if d.Severity == diag.Error {
			t.Fatalf("the test site has an error: %s", d)
		}
	}
	return s
}

var small = map[string]string{
	"content/index.md":                 "# Home\n",
	"content/strategy/vision.md":       "---\nid: VIS-1\nkind: vision\ntitle: V\n---\n",
	"content/strategy/obj-1.md":        "---\nid: OBJ-1\nkind: objective\ntitle: O\ntraces: VIS-1\n---\n",
	"content/strategy/ini-1.md":        "---\nid: INI-1\nkind: initiative\ntitle: I\ntraces: OBJ-1\nhorizon: later\n---\n",
	"content/backlog/epic-1.md":        "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\n---\n",
	"content/backlog/story-1.md":       "---\nid: Story-1\nkind: story\ntitle: S\ntraces: EPIC-1\n---\n![img](pics/a.png)\n",
	"content/backlog/pics/a.png":       "PNG",
	"content/guides/how/index.md":      "# How\n",
	"content/backlog/_draft.md":        "ignored",
	"content/strategy/.notes/x.md":     "ignored",
	"content/guides/how/diagram 1.svg": "<svg/>",
}

// TestJobs checks the list of output files: sorted, each once, the
// sitemap only with a base URL, documents under their lower-case IDs, and
// each document with the most specific template the theme has.
func TestJobs(t *testing.T) {
	s := site(t, small)
	tmpl, ds := render.LoadTemplates(templates.FS, fstest.MapFS{
		"story.html":             &fstest.MapFile{Data: []byte(`{{define "main"}}story{{end}}`)},
		"strategy-document.html": &fstest.MapFile{Data: []byte(`{{define "main"}}strategy{{end}}`)},
	})
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, baseURL := range []string{"", "https://example.com/"} {
		view := render.NewSite(s.Model, "T", baseURL, "", nil)
		jobs := render.New(view, tmpl, render.Options{}).Jobs()
		got := map[string]string{}
		var paths []string
		for _, j := range jobs {
			got[j.Path] = j.Kind
			paths = append(paths, j.Path)
		}
		if !slices.IsSorted(paths) || len(slices.Compact(slices.Clone(paths))) != len(paths) {
			t.Errorf("paths not sorted and unique: %q", paths)
		}
		want := map[string]string{
			"index.html":                   "home.html",
			"404.html":                     "404.html",
			"strategy/index.html":          "strategy.html",
			"backlog/index.html":           "backlog.html",
			"trace/index.html":             "trace.html",
			"search/index.html":            "search.html",
			"changes/index.html":           "changes.html",
			"search/index.js":              "data",
			"model.json":                   "data",
			"strategy/vis-1/index.html":    "strategy-document.html",
			"strategy/ini-1/index.html":    "strategy-document.html",
			"backlog/epic-1/index.html":    "document.html",
			"backlog/story-1/index.html":   "story.html",
			"guides/how/index.html":        "page.html",
			"backlog/pics/a.png":           "content",
			"guides/how/diagram 1.svg":     "content",
			"assets/style.css":             "asset",
			"assets/site.js":               "asset",
			"assets/search.js":             "asset",
			"assets/chroma.css":            "asset",
			"tags/index.html":              "tags.html",
			"assets/views.js":              "asset",
			"strategy/roadmap/index.html":  "roadmap.html",
			"strategy/releases/index.html": "releases.html",
			"backlog/items.js":             "data",
			"trace/matrix.csv":             "data",
			"trace/warnings.js":            "data",
		}
		if baseURL != "" {
			want["sitemap.xml"] = "data"
		}
		for p, k := range want {
			if got[p] != k {
				t.Errorf("base URL %q: %s: kind %q, want %q", baseURL, p, got[p], k)
			}
		}
		for p := range got {
			if _, ok := want[p]; !ok && !strings.HasPrefix(p, "strategy/obj-1") && !(strings.HasPrefix(p, "tags/") && got[p] == "tag.html") {
				t.Errorf("base URL %q: unexpected %s", baseURL, p)
			}
		}
	}
}

// renderJob renders the job of an output path.
func renderJob(t *testing.T, r *render.Renderer, path string) (string, error) {
	t.Helper()
	for _, j := range r.Jobs() {
		if j.Path == path {
			var b bytes.Buffer
			err := r.Render(j, &b)
			return b.String(), err
		}
	}
	t.Fatalf("no job writes %s", path)
	return "", nil
}

func renderer(t *testing.T, files map[string]string, baseURL string, user fstest.MapFS) *render.Renderer {
	t.Helper()
	s := site(t, files)
	var u fs.FS
	if user != nil {
		u = user
	}
	tmpl, ds := render.LoadTemplates(templates.FS, u)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	return render.New(render.NewSite(s.Model, "T", baseURL, "", s.Diagnostics), tmpl, render.Options{})
}

// Test404 checks the page a server shows at any depth: with a base URL
// its links start from it, without one from the host's root; none is
// relative, and no navigation entry claims to be the current page.
func Test404(t *testing.T) {
	for _, tc := range []struct{ baseURL, root string }{
		{"", "/"},
		{"https://example.com/docs/", "https://example.com/docs/"},
	} {
		r := renderer(t, small, tc.baseURL, nil)
		page, err := renderJob(t, r, "404.html")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`href="` + tc.root + `assets/style.css"`, `href="` + tc.root + `search/"`} {
			if !strings.Contains(page, want) {
				t.Errorf("base URL %q: 404.html has no %s", tc.baseURL, want)
			}
		}
		for _, m := range regexp.MustCompile(`(?:href|src|action)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
			if !strings.HasPrefix(m[1], tc.root) && !strings.HasPrefix(m[1], "#") {
				t.Errorf("base URL %q: 404.html links to %q, which is wrong at another depth", tc.baseURL, m[1])
			}
		}
		if strings.Contains(page, `aria-current`) {
			t.Errorf("base URL %q: 404.html marks a navigation entry as the current page", tc.baseURL)
		}
		if strings.Contains(page, `rel="canonical"`) {
			t.Errorf("base URL %q: 404.html has a canonical URL", tc.baseURL)
		}
	}
}

// TestRenderTemplateError checks that a template failing on one page is
// a *TemplateError naming the template and line, and that the other pages
// still render.
func TestRenderTemplateError(t *testing.T) {
	r := renderer(t, small, "", fstest.MapFS{
		"story.html": &fstest.MapFile{Data: []byte("{{define \"main\"}}\n{{index .Doc.Tags 3}}{{end}}")},
	})
	_, err := renderJob(t, r, "backlog/story-1/index.html")
	var te *render.TemplateError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a *render.TemplateError", err)
	}
	if d := te.Diag; d.File != "templates/story.html" || d.Line != 2 || d.Severity != diag.Error || d.Code != diag.CodeTemplate {
		t.Errorf("got %s, want templates/story.html:2: error: … [template]", d)
	}
	if _, err := renderJob(t, r, "backlog/epic-1/index.html"); err != nil {
		t.Errorf("epic page: %v", err)
	}
}

// TestSearchIndexText checks that a document's text in the search index
// is cut to a bound without splitting a character.
func TestSearchIndexText(t *testing.T) {
	files := maps.Clone(small)
	files["content/guides/long.md"] = "# Long\n\n" + strings.Repeat("é", 2000) + "\n"
	r := renderer(t, files, "", nil)
	js, err := renderJob(t, r, "search/index.js")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := render.OpenSearchIndex(r.Site.SearchKey(), []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	js = string(plain)
	m := regexp.MustCompile(`"x":"Long (é+)"`).FindStringSubmatch(js)
	if m == nil {
		t.Fatalf("no text of é in the index: %.300s", js)
	}
	if n := len(m[1]); n > 600 || n < 590 {
		t.Errorf("the text is %d bytes, want at most 600 and close to it", n)
	}
}

// TestRefListLimit holds a page to RefListLimit back-links a group, with
// the count of the rest.
func TestRefListLimit(t *testing.T) {
	files := map[string]string{"content/strategy/vision.md": "---\nid: VIS-1\nkind: vision\ntitle: V\n---\n"}
	for i := range render.RefListLimit + 3 {
		files[fmt.Sprintf("content/guides/g%d.md", i)] = "See [[VIS-1]].\n"
	}
	r := renderer(t, files, "", nil)
	page, err := renderJob(t, r, "strategy/vis-1/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(page, `<li><span class="kind`); n != render.RefListLimit {
		t.Errorf("the vision lists %d documents that mention it, want %d", n, render.RefListLimit)
	}
	if !strings.Contains(page, `<p class="more">and 3 more</p>`) {
		t.Error("the vision's page does not count the 3 documents it leaves out")
	}
}
