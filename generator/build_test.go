package generator

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"productdocs/generator/diag"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/markdown"
	"productdocs/generator/output"
	"productdocs/templates"
)

const testBaseURL = "https://example.com/sub/path/"

// materialise writes the files of a txtar archive under dir.
func materialise(t *testing.T, dir string, a *txtar.Archive) {
	t.Helper()
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildFixture writes testdata/build/<name>.txtar into a fresh folder and
// returns it: the site root.
func buildFixture(t *testing.T, name string) string {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "build", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "site")
	materialise(t, root, a)
	return root
}

// addFiles writes the files of an inline txtar archive into a site.
func addFiles(t *testing.T, root, archive string) {
	t.Helper()
	materialise(t, root, txtar.Parse([]byte(archive)))
}

// buildSite loads the site at root and builds it into out.
func buildSite(t *testing.T, root, out, baseURL string) (*Site, BuildResult, error) {
	t.Helper()
	s, err := Load(t.Context(), os.DirFS(root))
	if err != nil {
		t.Fatalf("loading %s: %v", root, err)
	}
	res, err := Build(t.Context(), s, root, BuildOptions{Out: out, BaseURL: baseURL})
	return s, res, err
}

// mustBuild builds the site at root into out and fails the test when the
// build does.
func mustBuild(t *testing.T, root, out, baseURL string) *Site {
	t.Helper()
	s, res, err := buildSite(t, root, out, baseURL)
	if err != nil {
		t.Fatalf("building %s: %v\n%s", root, err, diagText(res.Diagnostics))
	}
	return s
}

func diagText(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteString("\n")
	}
	return b.String()
}

// readTree reads every file under dir, by slash path; a missing dir is an
// empty tree.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return fs.SkipAll
		}
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareTrees reports every file that is missing, extra or different.
func compareTrees(t *testing.T, want, got map[string][]byte) {
	t.Helper()
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: missing", name)
		case !bytes.Equal(g, want[name]):
			t.Errorf("%s: differs:\n%s", name, testkit.DiffLines(string(want[name]), string(g)))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: unexpected file", name)
		}
	}
}

// TestBuildGolden builds testdata/build/site.txtar, with and without a
// base URL, and compares every file of the output with the golden
// archives. The theme's own files are compared with the theme instead, so
// that restyling does not churn the goldens. Regenerate with
//
//	go test ./generator/ -run Golden -update
func TestBuildGolden(t *testing.T) {
	// Release pages count days from today: the golden's today is fixed.
	t.Setenv("SOURCE_DATE_EPOCH", "1796688000") // 2026-12-08
	for _, tc := range []struct{ golden, baseURL string }{
		{"site.golden.txtar", ""},
		{"site-base-url.golden.txtar", testBaseURL},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, buildFixture(t, "site"), out, tc.baseURL)
			got := readTree(t, out)

			themeFiles := map[string][]byte{"assets/chroma.css": markdown.HighlightCSS()}
			entries, err := fs.ReadDir(templates.FS, ".")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if !strings.HasSuffix(e.Name(), ".html") && !strings.HasSuffix(e.Name(), ".go") {
					b, _ := fs.ReadFile(templates.FS, e.Name())
					themeFiles["assets/"+e.Name()] = b
				}
			}
			gotAssets := map[string][]byte{}
			for name, b := range got {
				if strings.HasPrefix(name, "assets/") {
					gotAssets[name] = b
					delete(got, name)
				}
			}
			compareTrees(t, themeFiles, gotAssets)

			file := filepath.Join("testdata", "build", tc.golden)
			if *testkit.Update {
				what := "site.txtar"
				if tc.baseURL != "" {
					what += " with --base-url " + tc.baseURL
				}
				a := &txtar.Archive{Comment: []byte("The output of building " + what + ", without assets/ (compared with the theme).\n" +
					"Regenerate: go test ./generator/ -run Golden -update\n")}
				for _, name := range slices.Sorted(maps.Keys(got)) {
					if b := got[name]; len(b) > 0 && b[len(b)-1] != '\n' {
						t.Fatalf("%s does not end in a newline, which a txtar golden cannot keep", name)
					}
					a.Files = append(a.Files, txtar.File{Name: name, Data: got[name]})
				}
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			want := map[string][]byte{}
			for _, f := range a.Files {
				want[f.Name] = f.Data
			}
			compareTrees(t, want, got)
		})
	}
}

// TestBuildDeterministic builds the same sites twice into two folders:
// the trees must be the same byte for byte, however the pages were
// scheduled on the cores.
func TestBuildDeterministic(t *testing.T) {
	for _, tc := range []struct{ name, root, baseURL string }{
		{"fixture", buildFixture(t, "site"), ""},
		{"fixture with base URL", buildFixture(t, "site"), testBaseURL},
		{"default site", filepath.Join(".."), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			mustBuild(t, tc.root, a, tc.baseURL)
			mustBuild(t, tc.root, b, tc.baseURL)
			compareTrees(t, readTree(t, a), readTree(t, b))
		})
	}
}

// tagRE finds start tags, and attrRE the link attributes inside one,
// quoted or not; schemeRE an absolute URL's scheme; cssAbsURLRE a
// stylesheet's url() from the server's root.
var (
	tagRE       = regexp.MustCompile(`<[a-zA-Z][^>]*>`)
	schemeRE    = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	cssAbsURLRE = regexp.MustCompile(`url\(\s*['"]?/`)
	attrRE      = regexp.MustCompile(`\s(href|src|action|srcset|poster|formaction|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// htmlLink is one URL-valued attribute of an HTML file.
type htmlLink struct {
	tag  string // the whole start tag
	attr string
	url  string // entity-decoded
}

// htmlLinks returns every URL-valued attribute of an HTML document.
func htmlLinks(doc []byte) []htmlLink {
	var out []htmlLink
	for _, tag := range tagRE.FindAll(doc, -1) {
		for _, m := range attrRE.FindAllSubmatch(tag, -1) {
			v := string(m[2]) + string(m[3]) + string(m[4])
			out = append(out, htmlLink{tag: string(tag), attr: string(m[1]), url: html.UnescapeString(v)})
		}
	}
	return out
}

// TestBuildRelativeLinks checks that no page links by an absolute path or
// by the base URL, so the output works under any sub-path and from the
// file system. Only the canonical link may name the base URL, and 404.html,
// which a server shows at any depth, so that relative links would break.
func TestBuildRelativeLinks(t *testing.T) {
	for _, tc := range []struct{ name, root, baseURL string }{
		{"fixture", buildFixture(t, "site"), ""},
		{"fixture with base URL", buildFixture(t, "site"), testBaseURL},
		{"default site", "..", ""},
		{"default site with base URL", "..", testBaseURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, tc.root, out, tc.baseURL)
			checked := 0
			for name, b := range readTree(t, out) {
				switch {
				case strings.HasSuffix(name, ".html"):
				case strings.HasSuffix(name, ".css"):
					if m := cssAbsURLRE.Find(b); m != nil {
						t.Errorf("%s: absolute url(): %s", name, m)
					}
					continue
				default:
					continue
				}
				for _, l := range htmlLinks(b) {
					checked++
					canonical := strings.Contains(l.tag, `rel="canonical"`)
					if canonical && tc.baseURL == "" {
						t.Errorf("%s: a canonical link without a base URL: %s", name, l.tag)
					}
					if canonical || name == "404.html" {
						// 404.html is served at any depth: its links start
						// at the base URL, or at the host's root.
						root := cmp.Or(tc.baseURL, "/")
						if !strings.HasPrefix(l.url, root) && !strings.HasPrefix(l.url, "#") && !isExternal(l.url) {
							t.Errorf("%s: %s=%q is neither under the base URL nor external", name, l.attr, l.url)
						}
						continue
					}
					if strings.HasPrefix(l.url, "/") {
						t.Errorf("%s: %s=%q is an absolute path", name, l.attr, l.url)
					}
					if strings.Contains(l.url, "example.com/sub") {
						t.Errorf("%s: %s=%q names the base URL", name, l.attr, l.url)
					}
				}
			}
			if checked < 100 {
				t.Fatalf("only %d links checked; is the link scanner broken?", checked)
			}
		})
	}
}

// isExternal reports whether a link has a scheme (https:, mailto:, data:).
func isExternal(u string) bool { return schemeRE.MatchString(u) }

// stagingLeft lists the folders a build left beside out.
func stagingLeft(t *testing.T, out string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".productdocs-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBuildAllOrNothing breaks a site after a good build in ways found at
// different stages (the checks, the templates' parsing, a page's
// rendering, a cancelled build) and checks that the failed build leaves
// the previous output as it was, and nothing beside it.
func TestBuildAllOrNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files string // txtar added to the site after the good build
		ctx   func(context.Context) context.Context
		err   error  // the error Build returns
		code  string // a diagnostic expected when err is ErrFailed
	}{
		{name: "content error", files: "-- content/backlog/stories/story-13.md --\n---\nid: STORY-13\nkind: story\ntitle: x\ntraces: EPIC-404\n---\n",
			err: ErrFailed, code: diag.CodeBrokenLink},
		{name: "template syntax error", files: "-- templates/story.html --\n{{define \"main\"}}{{if}}{{end}}\n",
			err: ErrFailed, code: diag.CodeTemplate},
		{name: "template fails while rendering", files: "-- templates/story.html --\n{{define \"main\"}}{{index .Doc.Tags 5}}{{end}}\n",
			err: ErrFailed, code: diag.CodeTemplate},
		{name: "cancelled", ctx: func(ctx context.Context) context.Context {
			ctx, cancel := context.WithCancel(ctx)
			cancel()
			return ctx
		}, err: context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := buildFixture(t, "site")
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, root, out, "")
			before := readTree(t, out)
			addFiles(t, root, tc.files)

			s, err := Load(t.Context(), os.DirFS(root))
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			if tc.ctx != nil {
				ctx = tc.ctx(ctx)
			}
			res, err := Build(ctx, s, root, BuildOptions{Out: out})
			if !errors.Is(err, tc.err) {
				t.Fatalf("Build: got error %v, want %v", err, tc.err)
			}
			if tc.code != "" && !slices.ContainsFunc(res.Diagnostics, func(d diag.Diagnostic) bool { return d.Code == tc.code && d.Severity == diag.Error }) {
				t.Errorf("no %s error among the diagnostics:\n%s", tc.code, diagText(res.Diagnostics))
			}
			compareTrees(t, before, readTree(t, out))
			if left := stagingLeft(t, out); len(left) > 0 {
				t.Errorf("the failed build left %v", left)
			}
		})
	}
}

// folderSnapshot is every file and folder under dir, with the files' bytes.
func folderSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if e.IsDir() {
			m[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		m[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBuildRefusesForeignFolder checks that a build never replaces a
// folder it did not write: the error wraps output.ErrRefused and nothing
// under the test's folder changes.
func TestBuildRefusesForeignFolder(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  func(t *testing.T, root string) string // sets up and returns the output folder
	}{
		{"non-empty folder without the marker", func(t *testing.T, root string) string {
			out := filepath.Join(filepath.Dir(root), "notes")
			addFiles(t, out, "-- todo.txt --\nbuy milk\n")
			return out
		}},
		{"the site root", func(t *testing.T, root string) string { return root }},
		{"the site root, relative and unclean", func(t *testing.T, root string) string {
			return filepath.Join(root, "content", "..")
		}},
		{"the folder holding the site", func(t *testing.T, root string) string { return filepath.Dir(root) }},
		{"a folder holding content/", func(t *testing.T, root string) string {
			out := filepath.Join(filepath.Dir(root), "other-site")
			addFiles(t, out, "-- content/index.md --\n# Another site\n")
			return out
		}},
		{"an empty folder holding content/", func(t *testing.T, root string) string {
			out := filepath.Join(filepath.Dir(root), "other-site")
			if err := os.MkdirAll(filepath.Join(out, "content"), 0o755); err != nil {
				t.Fatal(err)
			}
			return out
		}},
		{"a folder inside content/", func(t *testing.T, root string) string {
			return filepath.Join(root, "content", "public")
		}},
		{"an existing folder inside content/", func(t *testing.T, root string) string {
			return filepath.Join(root, "content", "guides")
		}},
		{"a folder inside templates/", func(t *testing.T, root string) string {
			addFiles(t, root, "-- templates/extra.html --\n{{define \"extra\"}}{{end}}\n")
			return filepath.Join(root, "templates", "out")
		}},
		{"a file", func(t *testing.T, root string) string {
			out := filepath.Join(filepath.Dir(root), "public")
			addFiles(t, filepath.Dir(root), "-- public --\nnot a folder\n")
			return out
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := buildFixture(t, "site")
			out := tc.out(t, root)
			before := folderSnapshot(t, filepath.Dir(root))
			_, _, err := buildSite(t, root, out, "")
			if !errors.Is(err, output.ErrRefused) {
				t.Fatalf("Build into %s: got %v, want an error wrapping output.ErrRefused", out, err)
			}
			after := folderSnapshot(t, filepath.Dir(root))
			for _, k := range slices.Sorted(maps.Keys(after)) {
				if v, ok := before[k]; !ok {
					t.Errorf("%s: created", k)
				} else if v != after[k] {
					t.Errorf("%s: changed", k)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(before)) {
				if _, ok := after[k]; !ok {
					t.Errorf("%s: removed", k)
				}
			}
		})
	}
}

// TestBuildReplaces checks the folders a build may replace: a missing
// one (and its parents), an empty one, and one an earlier build wrote.
func TestBuildReplaces(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, out string)
	}{
		{"missing, with missing parents", func(*testing.T, string) {}},
		{"empty", func(t *testing.T, out string) {
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"written by a build", func(t *testing.T, out string) {
			addFiles(t, out, "-- "+output.Marker+" --\n-- old/index.html --\nold\n")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "deep", "er", "public")
			tc.setup(t, out)
			mustBuild(t, buildFixture(t, "site"), out, "")
			got := readTree(t, out)
			for _, want := range []string{output.Marker, "index.html", "backlog/story-12/index.html"} {
				if _, ok := got[want]; !ok {
					t.Errorf("%s: missing", want)
				}
			}
			if _, ok := got["old/index.html"]; ok {
				t.Error("old/index.html of the previous output is still there")
			}
		})
	}
}

// TestBuildRemovesStaleFiles builds, deletes a document and an image, and
// builds again: their files are gone, and so is a file someone put into
// the output by hand.
func TestBuildRemovesStaleFiles(t *testing.T) {
	root := buildFixture(t, "site")
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, root, out, "")
	first := readTree(t, out)
	for _, f := range []string{"backlog/story-13/index.html", "guides/diagrams/über flow.svg"} {
		if _, ok := first[f]; !ok {
			t.Fatalf("the first build has no %s", f)
		}
	}
	addFiles(t, out, "-- by-hand.txt --\nstray\n")
	for _, f := range []string{"content/backlog/stories/story-13.md", "content/guides/diagrams/über flow.svg"} {
		if err := os.Remove(filepath.Join(root, filepath.FromSlash(f))); err != nil {
			t.Fatal(err)
		}
	}
	// The guide's image link is broken now: the guide loses it.
	addFiles(t, root, "-- content/guides/writing.md --\n# Writing guide\n\n## Links and anchors\n")
	mustBuild(t, root, out, "")
	second := readTree(t, out)
	for _, f := range []string{"backlog/story-13/index.html", "guides/diagrams/über flow.svg", "by-hand.txt"} {
		if _, ok := second[f]; ok {
			t.Errorf("%s is still in the output", f)
		}
	}
	for f := range second {
		if _, ok := first[f]; !ok {
			t.Errorf("%s appeared", f)
		}
	}
	if bytes.Contains(second["backlog/index.html"], []byte("STORY-13")) {
		t.Error("backlog/index.html still lists STORY-13")
	}
	if left := stagingLeft(t, out); len(left) > 0 {
		t.Errorf("the build left %v", left)
	}
}

// TestBuildCopiesAssets checks that files under content/ other than
// documents are copied as they are, and that the pages' links to them
// resolve, names with spaces and non-ASCII letters included.
func TestBuildCopiesAssets(t *testing.T) {
	root := buildFixture(t, "site")
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, root, out, "")
	tree := readTree(t, out)
	for _, tc := range []struct{ page, asset string }{
		{"backlog/story-12/index.html", "backlog/img/flow.svg"},
		{"guides/writing/index.html", "guides/diagrams/über flow.svg"},
	} {
		t.Run(tc.asset, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(root, "content", filepath.FromSlash(tc.asset)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(tree[tc.asset], src) {
				t.Errorf("%s is not a copy of its source (%d bytes, want %d)", tc.asset, len(tree[tc.asset]), len(src))
			}
			var found bool
			for _, l := range htmlLinks(tree[tc.page]) {
				if l.attr != "src" {
					continue
				}
				target, _, err := resolveRef(tc.page, l.url)
				if err != nil {
					t.Errorf("%s: %v", tc.page, err)
					continue
				}
				if target == tc.asset {
					found = true
				}
			}
			if !found {
				t.Errorf("%s has no src that resolves to %s", tc.page, tc.asset)
			}
		})
	}
}

// TestBuildSitemap checks that --base-url writes a sitemap of every page
// (and canonical links), with a slash added to a base URL without one,
// and that there is neither without a base URL.
func TestBuildSitemap(t *testing.T) {
	root := buildFixture(t, "site")
	for _, tc := range []struct{ baseURL, want string }{
		{"", ""},
		{testBaseURL, testBaseURL},
		{strings.TrimSuffix(testBaseURL, "/"), testBaseURL},
	} {
		t.Run("base URL "+tc.baseURL, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, root, out, tc.baseURL)
			tree := readTree(t, out)
			sm, ok := tree["sitemap.xml"]
			if tc.want == "" {
				if ok {
					t.Error("sitemap.xml written without a base URL")
				}
				return
			}
			if !ok {
				t.Fatal("no sitemap.xml")
			}
			var set struct {
				XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
				URLs    []struct {
					Loc string `xml:"loc"`
				} `xml:"url"`
			}
			if err := xml.Unmarshal(sm, &set); err != nil {
				t.Fatalf("sitemap.xml: %v", err)
			}
			var got, want []string
			for _, u := range set.URLs {
				got = append(got, u.Loc)
			}
			canonicalRE := regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)
			for name, b := range tree {
				if !strings.HasSuffix(name, "index.html") {
					continue
				}
				u := tc.want + strings.TrimSuffix(name, "index.html")
				want = append(want, u)
				if m := canonicalRE.FindSubmatch(b); m == nil || html.UnescapeString(string(m[1])) != u {
					t.Errorf("%s: canonical link %q, want %q", name, m, u)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("sitemap locs:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestBuild404 checks that 404.html exists, with or without a base URL.
func TestBuild404(t *testing.T) {
	root := buildFixture(t, "site")
	for _, baseURL := range []string{"", testBaseURL} {
		out := filepath.Join(t.TempDir(), "public")
		mustBuild(t, root, out, baseURL)
		b, err := os.ReadFile(filepath.Join(out, "404.html"))
		if err != nil {
			t.Fatalf("base URL %q: %v", baseURL, err)
		}
		if !bytes.Contains(b, []byte("<title>Page not found")) {
			t.Errorf("base URL %q: 404.html does not say the page is not found", baseURL)
		}
		if baseURL != "" && !bytes.Contains(b, []byte(`href="`+baseURL+`assets/style.css"`)) {
			t.Errorf("404.html with a base URL does not load its style from the base URL")
		}
	}
}

// TestBuildModelJSON checks model.json's schema (SPEC §4) and a few of its
// values.
func TestBuildModelJSON(t *testing.T) {
	root := buildFixture(t, "site")
	out := filepath.Join(t.TempDir(), "public")
	s := mustBuild(t, root, out, "")
	b, err := os.ReadFile(filepath.Join(out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Documents []map[string]json.RawMessage `json:"documents"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("model.json: %v", err)
	}
	if len(m.Documents) != len(s.Model.Docs) {
		t.Errorf("model.json has %d documents, the site %d", len(m.Documents), len(s.Model.Docs))
	}
	type jlink struct{ Field, ID string }
	byID := map[string]map[string]json.RawMessage{}
	for _, d := range m.Documents {
		for _, k := range []string{"id", "kind", "section", "file", "title", "url", "fields", "links", "backlinks"} {
			if _, ok := d[k]; !ok {
				t.Errorf("document %s has no %q", d["id"], k)
			}
		}
		var id string
		json.Unmarshal(d["id"], &id)
		byID[id] = d
	}
	str := func(id, key string) string {
		var v string
		if err := json.Unmarshal(byID[id][key], &v); err != nil {
			t.Errorf("%s.%s: %v", id, key, err)
		}
		return v
	}
	refs := func(id, key string) []jlink {
		var v []jlink
		if err := json.Unmarshal(byID[id][key], &v); err != nil {
			t.Errorf("%s.%s: %v", id, key, err)
		}
		return v
	}
	for _, tc := range []struct{ id, key, want string }{
		{"STORY-12", "url", "backlog/story-12/"},
		{"STORY-12", "kind", "story"},
		{"STORY-12", "section", "backlog"},
		{"STORY-12", "file", "content/backlog/stories/story-12.md"},
		{"STORY-12", "title", "Enter the address and card on one page"},
		{"VIS-1", "url", "strategy/vis-1/"},
		{"VIS-1", "section", "strategy"},
		{"index", "url", ""},
		{"guides/writing", "url", "guides/writing/"},
	} {
		if got := str(tc.id, tc.key); got != tc.want {
			t.Errorf("%s.%s = %q, want %q", tc.id, tc.key, got, tc.want)
		}
	}
	if l := refs("STORY-12", "links"); !slices.Contains(l, jlink{"traces", "EPIC-1"}) || !slices.Contains(l, jlink{"addresses", "FB-1"}) {
		t.Errorf("STORY-12.links = %v, want traces EPIC-1 and addresses FB-1 among them", l)
	}
	if l := refs("EPIC-1", "backlinks"); !slices.Contains(l, jlink{"traces", "STORY-12"}) || !slices.Contains(l, jlink{"traces", "STORY-13"}) {
		t.Errorf("EPIC-1.backlinks = %v, want traces from STORY-12 and STORY-13", l)
	}
	var fields map[string]any
	json.Unmarshal(byID["STORY-12"]["fields"], &fields)
	if fields["priority"] != "must" || fields["rank"] != 2.0 {
		t.Errorf("STORY-12.fields = %v, want priority must and rank 2", fields)
	}
}

// TestBuildTemplateOverrides checks that a site's template named after a
// kind or a section replaces the built-in one for those documents only,
// the most specific winning, and that other files in templates/ become
// assets.
func TestBuildTemplateOverrides(t *testing.T) {
	const (
		story   = "-- templates/story.html --\n{{define \"main\"}}<p class=\"by-story-template\">{{.Doc.ID}}</p>{{end}}\n"
		backlog = "-- templates/backlog-document.html --\n{{define \"main\"}}<p class=\"by-backlog-template\">{{.Doc.ID}}</p>{{end}}\n"
		css     = "-- templates/extra.css --\n.x { color: red }\n-- templates/style.css --\nbody { margin: 0 }\n"
	)
	for _, tc := range []struct {
		name  string
		files string
		want  map[string]string // page → the marker it must show; every other page shows none
	}{
		{"story.html", story, map[string]string{
			"backlog/story-12/index.html": "by-story-template",
			"backlog/story-13/index.html": "by-story-template",
		}},
		{"backlog-document.html", backlog, map[string]string{
			"backlog/story-12/index.html": "by-backlog-template",
			"backlog/story-13/index.html": "by-backlog-template",
			"backlog/epic-1/index.html":   "by-backlog-template",
			"backlog/fb-1/index.html":     "by-backlog-template",
		}},
		{"both: the kind wins", story + backlog, map[string]string{
			"backlog/story-12/index.html": "by-story-template",
			"backlog/story-13/index.html": "by-story-template",
			"backlog/epic-1/index.html":   "by-backlog-template",
			"backlog/fb-1/index.html":     "by-backlog-template",
		}},
		{"assets", css, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := buildFixture(t, "site")
			addFiles(t, root, tc.files)
			out := filepath.Join(t.TempDir(), "public")
			mustBuild(t, root, out, "")
			tree := readTree(t, out)
			for name, b := range tree {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				for _, marker := range []string{"by-story-template", "by-backlog-template"} {
					if got, want := bytes.Contains(b, []byte(marker)), tc.want[name] == marker; got != want {
						t.Errorf("%s: shows %s: %v, want %v", name, marker, got, want)
					}
				}
				if !bytes.Contains(b, []byte(`<nav class="sections"`)) {
					t.Errorf("%s: not rendered through the layout", name)
				}
			}
			if tc.files == css {
				if got := string(tree["assets/extra.css"]); got != ".x { color: red }\n" {
					t.Errorf("assets/extra.css = %q", got)
				}
				if got := string(tree["assets/style.css"]); got != "body { margin: 0 }\n" {
					t.Errorf("assets/style.css = %q, want the site's", got)
				}
			}
		})
	}
}

// TestBuildTemplateErrors checks the diagnostics of broken templates: a
// syntax error names the file and line; an error while rendering names
// the template and line too.
func TestBuildTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   string
		file    string
		line    int
		message string // a part of the message
	}{
		{"syntax error in a page template",
			"-- templates/story.html --\n{{define \"main\"}}\n<p>\n{{if}}\n</p>\n{{end}}{{end}}\n",
			"templates/story.html", 3, "missing value for if"},
		{"syntax error in an added partial",
			"-- templates/widgets.html --\n{{define \"widget\"}}\n{{.Doc.ID}\n{{end}}\n",
			"templates/widgets.html", 2, "bad character"},
		{"unclosed action",
			"-- templates/page.html --\n{{define \"main\"}}\n\n{{range .Site.Pages}}\n",
			"templates/page.html", 4, "unexpected EOF"},
		{"index out of range while rendering",
			"-- templates/story.html --\n{{define \"main\"}}\n<p>{{.Doc.ID}}</p>\n<p>{{index .Doc.Tags 5}}</p>\n{{end}}\n",
			"templates/story.html", 3, "index out of range"},
		{"nil document while rendering",
			"-- templates/page.html --\n{{define \"main\"}}{{(.Site.Model.Lookup \"NOPE\").Title}}{{end}}\n",
			"templates/page.html", 1, "nil pointer"},
		{"unknown field while rendering",
			"-- templates/epic.html --\n{{define \"main\"}}\n{{.Doc.Nope}}\n{{end}}\n",
			"templates/epic.html", 2, "Nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := buildFixture(t, "site")
			addFiles(t, root, tc.files)
			_, res, err := buildSite(t, root, filepath.Join(t.TempDir(), "public"), "")
			if !errors.Is(err, ErrFailed) {
				t.Fatalf("Build: got %v, want ErrFailed", err)
			}
			var got []diag.Diagnostic
			for _, d := range res.Diagnostics {
				if d.Code == diag.CodeTemplate {
					got = append(got, d)
				}
			}
			if len(got) != 1 {
				t.Fatalf("got %d template diagnostics, want 1:\n%s", len(got), diagText(res.Diagnostics))
			}
			d := got[0]
			if d.File != tc.file || d.Line != tc.line || d.Severity != diag.Error || !strings.Contains(d.Message, tc.message) {
				t.Errorf("got %s\nwant %s:%d: error: …%s… [template]", d, tc.file, tc.line, tc.message)
			}
		})
	}
}

// TestBuildProgress checks that Progress is called once per file, one
// call at a time (the command line redraws a line from it), counting up
// to the total.
func TestBuildProgress(t *testing.T) {
	root := buildFixture(t, "site")
	s, err := Load(t.Context(), os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	var calls [][2]int // unguarded: the race detector tells if calls overlap
	res, err := Build(t.Context(), s, root, BuildOptions{
		Out:      filepath.Join(t.TempDir(), "public"),
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != res.Files {
		t.Fatalf("%d progress calls for %d files", len(calls), res.Files)
	}
	for i, c := range calls {
		if c != [2]int{i + 1, res.Files} {
			t.Errorf("call %d: Progress(%d, %d), want (%d, %d)", i, c[0], c[1], i+1, res.Files)
		}
	}
	if res.Pages == 0 || res.Pages >= res.Files {
		t.Errorf("BuildResult %+v: want some pages, and fewer than the files", res)
	}
}

// resolveRef turns a relative link found in the output file from (a slash
// path) into the output file it names and its decoded fragment. A link to
// a folder names its index.html.
func resolveRef(from, ref string) (target, fragment string, err error) {
	p, frag, _ := strings.Cut(ref, "#")
	p, _, _ = strings.Cut(p, "?")
	if fragment, err = url.PathUnescape(frag); err != nil {
		return "", "", fmt.Errorf("%q: bad fragment: %v", ref, err)
	}
	if p == "" {
		return from, fragment, nil
	}
	dp, err := url.PathUnescape(p)
	if err != nil {
		return "", "", fmt.Errorf("%q: bad path: %v", ref, err)
	}
	target = path.Join(path.Dir(from), dp)
	if target == ".." || strings.HasPrefix(target, "../") || strings.HasPrefix(dp, "/") {
		return "", "", fmt.Errorf("%q leaves the site", ref)
	}
	if strings.HasSuffix(dp, "/") || target == "." {
		target = path.Join(target, "index.html")
	}
	return target, fragment, nil
}
