package generator_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"productdocs/generator"
	"productdocs/generator/markdown"
	"productdocs/generator/render"
	"productdocs/templates"
)

// fuzzRest is the site around the fuzzed document: one of each kind it
// may name, so that its links and references resolve.
var fuzzRest = map[string]string{
	"productdocs.yaml":            "title: Fuzz\nbase_url: https://docs.example.com/\n",
	"content/index.md":            "# Home\n\nSee [[X]] and [x](backlog/x.md).\n",
	"content/strategy/vision.md":  "---\nid: VIS-1\nkind: vision\ntitle: Vision\n---\n",
	"content/strategy/obj.md":     "---\nid: OBJ-1\nkind: objective\ntitle: Objective\ntraces: VIS-1\n---\n",
	"content/strategy/ini.md":     "---\nid: INI-1\nkind: initiative\ntitle: Initiative\ntraces: OBJ-1\nhorizon: now\n---\n",
	"content/strategy/rel.md":     "---\nid: REL-1\nkind: release\ntitle: Release\ndate: 2027-01-01\n---\n",
	"content/strategy/per.md":     "---\nid: PER-1\nkind: persona\ntitle: Persona\n---\n",
	"content/backlog/epic.md":     "---\nid: EPIC-1\nkind: epic\ntitle: Epic\ntraces: INI-1\nstatus: planned\n---\n",
	"content/backlog/fb.md":       "---\nid: FB-1\nkind: feedback\ntitle: Feedback\nsource: a call\n---\n",
	"content/guides/guide.md":     "# Guide\n\n## Anchor\n",
	"content/backlog/picture.png": "png",
}

// themeScript is a script element of the built-in theme; any other
// "<script" in a page came from the content.
var themeScript = regexp.MustCompile(`<script src="(https://docs\.example\.com/|\.\./|\./)*(assets/site\.js|assets/search\.js|assets/views\.js|backlog/items\.js|trace/warnings\.js|index\.js)" defer( blocking="render")?></script>`)

var fuzzTitles = []string{
	"<script>alert(1)</script>",
	"</title><script>alert(1)</script>",
	"<SCRIPT SRC=//x.example/x.js></SCRIPT>",
	"\"><script>alert(1)</script>",
	"'><ScRiPt>alert(1)</ScRiPt>",
	"{{.Site.Title}}",
	"\u2028\u2029</script>",
}

// FuzzRender loads a site whose content/backlog/x.md is the fuzzer's bytes
// and renders every page of it in memory. Nothing may panic or fail (the
// built-in theme renders any model, errors included), and no page may
// hold a script element the theme did not write.
func FuzzRender(f *testing.F) {
	for _, t := range fuzzTitles {
		f.Add([]byte("---\nkind: story\ntitle: " + fmt.Sprintf("%q", t) + "\ntraces: EPIC-1\nsummary: " + fmt.Sprintf("%q", t) + "\ntags: [" + fmt.Sprintf("%q", t) + "]\n---\n\n# " + t + "\n\n" + t + " [[EPIC-1|" + t + "]]\n"))
		f.Add([]byte("+++\ntitle = " + fmt.Sprintf("%q", t) + "\n+++\n"))
	}
	f.Add([]byte("---\nid: STORY-1\nkind: story\ntitle: S\ntraces: [EPIC-1, INI-1, X]\nrelease: REL-1\npersonas: PER-1\naddresses: FB-1\ndepends_on: STORY-1\nrank: 1\nestimate: 2.5\npriority: must\n---\n\n## Acceptance criteria\n\n- [x] a\n- [ ] b\n\n[[VIS-1]] [g](../guides/guide.md#anchor) ![p](picture.png) [bad](missing.md) [[NOPE]]\n"))
	f.Add([]byte("<<<<<<< HEAD\n---\nid: A\n---\n=======\n>>>>>>> b\n"))
	f.Add([]byte("\xff\xfe"))
	archives, err := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range archives {
		a, err := txtar.ParseFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ".md") {
				f.Add(file.Data)
			}
		}
	}
	// As Site.Renderer does for a site without templates/, but parsed once:
	// parsing and escaping the theme would be most of every run's time.
	tmpl, ds := render.LoadTemplates(templates.FS, nil)
	if len(ds) > 0 {
		f.Fatalf("the built-in theme does not load: %v", ds)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		// The fuzzer reports no hangs; a watchdog turns one into a crash
		// that it saves with its input.
		watchdog := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("rendering %q takes more than 20 s", src)) })
		defer watchdog.Stop()
		fsys := fstest.MapFS{"content/backlog/x.md": {Data: src}}
		for name, data := range fuzzRest {
			fsys[name] = &fstest.MapFile{Data: []byte(data)}
		}
		s, err := generator.Load(t.Context(), fsys)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		view := render.NewSite(s.Model, s.Settings.Title, s.Settings.BaseURL, s.Settings.EditURL, s.Diagnostics)
		r := render.New(view, tmpl, render.Options{Markdown: markdown.Options{UnsafeHTML: s.Settings.UnsafeHTML}})
		var b bytes.Buffer
		for _, j := range r.Jobs() {
			if j.Kind == "content" {
				continue
			}
			b.Reset()
			if err := r.Render(j, &b); err != nil {
				t.Fatalf("rendering %s: %v", j.Path, err)
			}
			if !strings.HasSuffix(j.Path, ".html") {
				continue
			}
			rest := themeScript.ReplaceAll(b.Bytes(), nil)
			if i := bytes.Index(bytes.ToLower(rest), []byte("<script")); i >= 0 {
				t.Fatalf("%s holds a script element the theme did not write: %q", j.Path, rest[i:min(len(rest), i+80)])
			}
		}
	})
}
