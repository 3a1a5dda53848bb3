package render

import (
	"bytes"
	"cmp"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"productdocs/generator/diag"
	"productdocs/generator/sitegen"
	"productdocs/templates"
)

// TestPagination splits the long lists of a large site into pages: every
// item on exactly one page, in order, and every link of every page
// leading to a page of the site.
func TestPagination(t *testing.T) {
	m := loadModel(t, sitegen.Generate(sitegen.Options{Docs: 3000, Seed: 5}))
	// Warnings of every document, some of a file that is none, for the
	// trace page's pages of them.
	var warns []diag.Diagnostic
	for i, d := range m.Docs[:3*ListPageSize/2] {
		file := d.File
		if i%7 == 0 {
			file = "productdocs.yaml"
		}
		warns = append(warns, diag.Diagnostic{File: file, Line: i + 1, Column: 1, Severity: diag.Warning, Code: diag.CodeStale, Message: "stale"})
	}
	site := NewSite(m, "", "", "", warns)
	tmpl, ds := LoadTemplates(templates.FS, nil)
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	r := New(site, tmpl, Options{})
	jobs := r.Jobs()
	urls := map[string]bool{}
	for _, j := range jobs {
		urls[j.Path] = true
	}
	for _, want := range []string{"backlog/ranked/2/index.html", "backlog/ranked/3/index.html", "trace/2/index.html"} {
		if !urls[want] {
			t.Errorf("no page %s", want)
		}
	}
	if len(site.Backlog) <= 2*ListPageSize || len(site.treeParts) < 2 {
		t.Fatalf("the site is too small to test: %d backlog items, %d tree parts", len(site.Backlog), len(site.treeParts))
	}

	// The pages of a list, in its order: by path, page 10 would come
	// before page 2.
	slices.SortStableFunc(jobs, func(a, b Job) int {
		pa, pb := &Page{Site: site, URL: a.URL, Template: a.Kind}, &Page{Site: site, URL: b.URL, Template: b.Kind}
		la, na := pa.listPage()
		lb, nb := pb.listPage()
		return cmp.Or(strings.Compare(la, lb), cmp.Compare(na, nb))
	})
	var ranked []string
	var warnings []diag.Diagnostic
	nodes := 0
	href := regexp.MustCompile(`href="([^"#]*)`)
	for _, j := range jobs {
		if j.Kind != "backlog.html" && j.Kind != "trace.html" {
			continue
		}
		var b bytes.Buffer
		if err := r.Render(j, &b); err != nil {
			t.Fatal(err)
		}
		for _, m := range href.FindAllStringSubmatch(b.String(), -1) {
			m[1], _, _ = strings.Cut(m[1], "?") // a view of the page at the path
			target := path.Join(path.Dir(j.Path), m[1])
			if strings.HasSuffix(m[1], "/") || m[1] == "" {
				target = path.Join(target, "index.html")
			}
			if !urls[target] {
				t.Errorf("%s links to %q, which the site lacks", j.Path, m[1])
			}
		}
		p := &Page{Site: site, URL: j.URL, Template: j.Kind}
		if j.Kind == "backlog.html" && p.Shows("ranked") {
			for _, d := range p.Ranked() {
				ranked = append(ranked, d.ID)
			}
		}
		if j.Kind == "trace.html" && p.Shows("tree") {
			for _, n := range p.TreePart() {
				nodes += treeSize(n)
			}
		}
		if j.Kind == "trace.html" && p.Shows("warnings") {
			warnings = append(warnings, p.WarningList()...)
		}
	}
	if len(ranked) != len(site.Backlog) {
		t.Fatalf("the pages show %d ranked items, want %d", len(ranked), len(site.Backlog))
	}
	for i, d := range site.Backlog {
		if ranked[i] != d.ID {
			t.Fatalf("ranked item %d is %s on the pages, want %s", i, ranked[i], d.ID)
		}
	}
	if !slices.Equal(warnings, site.Warnings) {
		t.Errorf("the pages show %d warnings, want the site's %d in order", len(warnings), len(site.Warnings))
	}
	if pageCount(len(site.Warnings)) < 2 || !urls["trace/warnings/2/index.html"] {
		t.Errorf("%d warnings, and no page trace/warnings/2/", len(site.Warnings))
	}
	want := 0
	for _, n := range site.Tree {
		want += treeSize(n)
	}
	// Each page repeats the vision above its objectives.
	if nodes != want+len(site.treeParts)-1 {
		t.Errorf("the trace pages show %d nodes, want %d and the vision again on %d pages", nodes, want, len(site.treeParts)-1)
	}
}

// TestSortJobs holds sortJobs to what Jobs promises: sorted by path, one
// job a path, the first listed kept.
func TestSortJobs(t *testing.T) {
	tests := []struct {
		name string
		in   []Job
		want []Job
	}{
		{"empty", nil, []Job{}},
		{"sorted", []Job{{Path: "a"}, {Path: "b"}}, []Job{{Path: "a"}, {Path: "b"}}},
		{"reversed", []Job{{Path: "b/index.html"}, {Path: "a/index.html"}, {Path: "404.html"}},
			[]Job{{Path: "404.html"}, {Path: "a/index.html"}, {Path: "b/index.html"}}},
		{"a path twice keeps the first", []Job{{Path: "x", Kind: "page.html"}, {Path: "a"}, {Path: "x", Kind: "content"}, {Path: "x", Kind: "asset"}},
			[]Job{{Path: "a"}, {Path: "x", Kind: "page.html"}}},
	}
	// Past a dozen, the sort is not stable: the first of a path must be
	// kept by its place, not by luck.
	var many, firsts []Job
	for i := range 60 {
		j := Job{Path: fmt.Sprintf("p%d", (i*7)%5), Kind: strconv.Itoa(i)}
		many = append(many, j)
		if i < 5 {
			firsts = append(firsts, j)
		}
	}
	slices.SortFunc(firsts, func(a, b Job) int { return strings.Compare(a.Path, b.Path) })
	tests = append(tests, struct {
		name string
		in   []Job
		want []Job
	}{"many of each path", many, firsts})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sortJobs(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("sortJobs = %v, want %v", got, tt.want)
			}
		})
	}
}
