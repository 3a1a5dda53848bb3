package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"productdocs/generator/content"
)

// hugoConfig is the Hugo site's settings: the pages and nothing else, so
// that Hugo does no more than productdocs asks of it (no taxonomies, feeds
// or sitemap), and code is highlighted with classes as productdocs does.
const hugoConfig = `baseURL: https://example.invalid/
languageCode: en
title: %s
disableKinds: [taxonomy, term, rss, sitemap, robotstxt, 404]
markup:
  highlight:
    noClasses: false
`

// The layouts print each page's title and content, as the issue asks: a
// minimal theme, so that Hugo's figure is the least a Hugo site costs.
var hugoLayouts = map[string]string{
	"layouts/_default/baseof.html": `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
{{ block "main" . }}{{ end }}
</body>
</html>
`,
	"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
`,
	"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
`,
}

var wikiRE = regexp.MustCompile(`\[\[([^\[\]|#\n]+)(?:#([^\[\]|\n]*))?(?:\|([^\[\]\n]*))?\]\]`)

// hugoDoc is what the conversion needs of one document.
type hugoDoc struct {
	file  string // from the site root: content/backlog/a.md
	title string
	url   string // Hugo's URL for it: /backlog/a/
	fm    *content.Value
	body  []byte
}

// WriteHugoSite writes the productdocs site rooted at src as a Hugo site
// in dir (which must be empty or absent), with the same Markdown: the
// frontmatter becomes Hugo's YAML (title, summary, and the productdocs
// fields under params), [[ID]] links become Markdown links to the Hugo
// page of that ID (or plain text when no document has it), index.md files
// become _index.md (a section's own text, as in productdocs), and every
// other file is copied as it is.
func WriteHugoSite(dir, src string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	title := "Product docs"
	if b, err := os.ReadFile(filepath.Join(src, "productdocs.yaml")); err == nil {
		if v, prob := content.ParseYAML(b, 1); prob == nil {
			if f := v.Get("title"); f != nil && f.Value.Kind == content.String {
				title = f.Value.Str
			}
		}
	}
	var docs []*hugoDoc
	var assets []string
	byID := map[string]*hugoDoc{}
	err := filepath.WalkDir(filepath.Join(src, content.Dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !strings.HasSuffix(rel, ".md") {
			assets = append(assets, rel)
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fm, _, body, _, prob := content.Split(b)
		if prob != nil {
			return fmt.Errorf("%s: %v", rel, prob)
		}
		hd := &hugoDoc{file: rel, fm: fm, body: body, url: hugoURL(rel)}
		hd.title = str(fm, "title")
		if hd.title == "" {
			hd.title = firstHeading(body)
		}
		if hd.title == "" {
			hd.title = strings.TrimSuffix(path.Base(rel), ".md")
		}
		id := str(fm, "id")
		if id == "" {
			id = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md"), "/index")
		}
		docs = append(docs, hd)
		byID[strings.ToLower(id)] = hd
		return nil
	})
	if err != nil {
		return err
	}
	files := map[string][]byte{"hugo.yaml": fmt.Appendf(nil, hugoConfig, quote(title))}
	for name, text := range hugoLayouts {
		files[name] = []byte(text)
	}
	for _, d := range docs {
		name := d.file
		if path.Base(name) == "index.md" {
			name = path.Join(path.Dir(name), "_index.md")
		}
		files[name] = hugoPage(d, byID)
	}
	for _, a := range assets {
		b, err := os.ReadFile(filepath.Join(src, filepath.FromSlash(a)))
		if err != nil {
			return err
		}
		files[a] = b
	}
	for name, b := range files {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// hugoURL is the URL Hugo gives a content file: its path without .md, in
// lower case, with _index and index naming their folder.
func hugoURL(rel string) string {
	p := strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md")
	if p == "index" {
		return "/"
	}
	p = strings.TrimSuffix(p, "/index")
	return "/" + strings.ToLower(p) + "/"
}

func hugoPage(d *hugoDoc, byID map[string]*hugoDoc) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	fmt.Fprintf(&b, "title: %s\n", quote(d.title))
	if s := str(d.fm, "summary"); s != "" {
		fmt.Fprintf(&b, "summary: %s\n", quote(s))
	}
	var params []string
	for _, k := range []string{"id", "kind", "status", "owner"} {
		if s := str(d.fm, k); s != "" {
			params = append(params, fmt.Sprintf("  %s: %s\n", k, quote(s)))
		}
	}
	if len(params) > 0 {
		b.WriteString("params:\n")
		b.WriteString(strings.Join(params, ""))
	}
	b.WriteString("---\n")
	b.Write(wikiRE.ReplaceAllFunc(d.body, func(m []byte) []byte {
		g := wikiRE.FindSubmatch(m)
		id, anchor, label := strings.TrimSpace(string(g[1])), string(g[2]), strings.TrimSpace(string(g[3]))
		to := byID[strings.ToLower(id)]
		if label == "" {
			label = id
			if to != nil {
				label = to.title
			}
		}
		if to == nil {
			return []byte(label)
		}
		url := to.url
		if anchor != "" {
			url += "#" + anchor
		}
		return fmt.Appendf(nil, "[%s](%s)", label, url)
	}))
	return b.Bytes()
}

func str(fm *content.Value, key string) string {
	if f := fm.Get(key); f != nil && f.Value.Kind == content.String {
		return f.Value.Str
	}
	return ""
}

func firstHeading(body []byte) string {
	for _, l := range strings.Split(string(body), "\n") {
		if t, ok := strings.CutPrefix(l, "# "); ok {
			return strings.TrimSpace(t)
		}
	}
	return ""
}

// quote writes s as a YAML string: JSON's double-quoted strings are YAML's.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
