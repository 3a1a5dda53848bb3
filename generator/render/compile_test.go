package render_test

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator"
	"productdocs/generator/gitlog"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/render"
	"productdocs/generator/sitegen"
	"productdocs/templates"
)

// TestThemeGenerated checks that theme_gen.go is what the templates make
// now: a template edited without `go generate ./generator/render` would
// leave its pages to html/template, correct but slow.
func TestThemeGenerated(t *testing.T) {
	want, err := render.GenerateTheme(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("theme_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("theme_gen.go is not what the templates make: run go generate ./generator/render")
	}
	tmpl, ds := render.LoadTemplates(templates.FS, nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	pages := render.CompiledPages(tmpl)
	for _, n := range []string{"document.html", "home.html", "backlog.html", "strategy.html", "layout.html"} {
		if n != "layout.html" && !slices.Contains(pages, n) {
			t.Errorf("%s is not compiled; compiled: %v", n, pages)
		}
	}
}

// TestCompiledMatches renders whole sites twice, with the compiled theme
// and with html/template, and compares every file and every dependency
// each page recorded: the compiled code must call what the templates
// call, in the same order, and print the same bytes.
func TestCompiledMatches(t *testing.T) {
	sites := map[string]fs.FS{
		"the project's own":  os.DirFS(filepath.Join("..", "..")),
		"generated, classic": sitegen.Generate(sitegen.Options{Docs: 400, Seed: 3}),
		"generated, code":    sitegen.Generate(sitegen.Options{Docs: 200, Seed: 4, Mix: sitegen.Code}),
	}
	archives, err := filepath.Glob(filepath.Join("..", "testdata", "sites", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range archives {
		sites[filepath.Base(a)] = testkit.LoadTxtar(t, a)
	}
	sites["adversarial"] = adversarialSite()
	if testing.Short() {
		delete(sites, "generated, classic")
	}
	// The project's own docs with their history, so that pages show
	// their last changes, and with a fixed today.
	var history *gitlog.History
	if h, err := gitlog.Read(context.Background(), filepath.Join("..", "..")); err == nil {
		history = h
	}
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for name, fsys := range sites {
		t.Run(name, func(t *testing.T) {
			tmpl, ds := render.LoadTemplates(templates.FS, nil)
			if len(ds) > 0 {
				t.Fatal(ds)
			}
			for _, audience := range []string{"", generator.AudiencePublic} {
				lo := generator.LoadOptions{Audience: audience, Today: today}
				if name == "the project's own" {
					lo.History = history
				}
				s, err := generator.LoadWith(context.Background(), fsys, lo)
				if err != nil {
					t.Fatal(err)
				}
				o := generator.RenderOptions{Record: true}
				compiled := generator.NewRenderer(s, tmpl, o, nil)
				interpreted := generator.NewRenderer(s, render.Interpreted(tmpl), o, nil)
				n := 0
				for _, j := range compiled.Jobs() {
					if j.Kind == "content" || j.Kind == "asset" || j.Kind == "data" {
						continue
					}
					var a, b bytes.Buffer
					da, errA := compiled.RenderDeps(j, &a)
					db, errB := interpreted.RenderDeps(j, &b)
					if (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
						t.Fatalf("%s: compiled error %v, html/template's %v", j.Path, errA, errB)
					}
					if !bytes.Equal(a.Bytes(), b.Bytes()) {
						i := 0
						for i < a.Len() && i < b.Len() && a.Bytes()[i] == b.Bytes()[i] {
							i++
						}
						t.Fatalf("%s (%s) differs at byte %d:\ncompiled:      %q\nhtml/template: %q", j.Path, j.Kind, i,
							window(a.Bytes(), i), window(b.Bytes(), i))
					}
					if fmt.Sprint(sortedDeps(da)) != fmt.Sprint(sortedDeps(db)) {
						t.Fatalf("%s: the compiled page recorded\n%v\nhtml/template's\n%v", j.Path, sortedDeps(da), sortedDeps(db))
					}
					n++
				}
				if n == 0 {
					t.Fatal("no page rendered")
				}
			}
		})
	}
}

func window(b []byte, i int) string {
	lo, hi := max(i-60, 0), min(i+60, len(b))
	return string(b[lo:hi])
}

func sortedDeps(ds []render.Dep) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprint(d))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// adversarialSite has what escaping must get right in every context:
// quotes, ampersands, angle brackets, plus signs, NUL, script URLs,
// invalid UTF-8 and non-Latin scripts, in titles, owners, tags, summaries
// and fields.
func adversarialSite() fs.FS {
	nasty := []string{
		`"><script>alert(1)</script>`, `a&b+c'd`, "nul\x00byte", "bad\xffutf8", "日本語 タイトル",
		"javascript:alert(1)", "50% off & more", "tab\there", "ünïcödé «quotes»",
	}
	files := fstest.MapFS{
		"productdocs.yaml":           {Data: []byte("title: \"A <b>site</b> & co\"\n")},
		"content/index.md":           {Data: []byte("# Home & <more>\n")},
		"content/strategy/vision.md": {Data: []byte("---\nid: VIS-1\nkind: vision\ntitle: \"V <1> & 'x'\"\n---\nBody with [a link](javascript:alert(1)).\n")},
	}
	for i, s := range nasty {
		q := strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`)
		q = strings.ReplaceAll(q, "\x00", `\0`)
		q = strings.ReplaceAll(q, "\xff", `\xff`)
		q = strings.ReplaceAll(q, "\t", `\t`)
		files[fmt.Sprintf("content/strategy/obj-%d.md", i+1)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\nid: OBJ-%d\nkind: objective\ntitle: \"%s\"\nowner: \"%s\"\ntraces: VIS-1\ntags: [\"%s\", plain]\nsummary: \"%s\"\n---\n%s\n", i+1, q, q, q, q, s)}
		files[fmt.Sprintf("content/backlog/epic-%d.md", i+1)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\nid: EPIC-%d\nkind: epic\ntitle: \"%s\"\ntraces: OBJ-%d\nstatus: in-progress\n---\n", i+1, q, i+1)}
		files[fmt.Sprintf("content/guides/p-%d.md", i+1)] = &fstest.MapFile{Data: fmt.Appendf(nil, "# %s\n\nText.\n", s)}
	}
	return files
}

// FuzzEscapers holds the escapers of the compiled pages (escape.go) to
// html/template's, for a value as a string, as safe HTML and as a URL, in
// each context the theme prints into.
func FuzzEscapers(f *testing.F) {
	for _, s := range []string{"", "a", "<b>x</b>", `"'&+<>`, "\x00", "\xff\xfe", "javascript:x", "HTTP://x/y?a=b&c=d#e",
		"%zz%41", "mailto:a@b", "/a b/ü", "a:b/c", "\ufdd0\uffff", "<a title=\"1>2\">t</a>", "&amp;&lt;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []any{s, template.HTML(s), template.URL(s), template.CSS(s), kindName(s), &s} {
			for _, ctx := range render.EscapeContexts {
				want, err := render.EscapeByLibrary(ctx, v)
				if err != nil {
					t.Fatal(err)
				}
				if got := render.EscapeCompiled(ctx, v); got != want {
					t.Fatalf("%s of %#v (%T): compiled %q, html/template %q", ctx, v, v, got, want)
				}
			}
		}
	})
}

type kindName string
