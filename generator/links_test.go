package generator

import (
	"encoding/json"
	"html"
	"maps"
	"path/filepath"
	"productdocs/generator/render"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// builtDefaultSite builds the repository's own content (the site root is
// the module's root) into a fresh folder and returns its files.
func builtDefaultSite(t *testing.T, baseURL string) map[string][]byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	mustBuild(t, "..", out, baseURL)
	return readTree(t, out)
}

var idRE = regexp.MustCompile(`\sid\s*=\s*"([^"]*)"`)

// htmlIDs returns the set of id attributes of an HTML document.
func htmlIDs(doc []byte) map[string]bool {
	ids := map[string]bool{}
	for _, m := range idRE.FindAllSubmatch(doc, -1) {
		ids[html.UnescapeString(string(m[1]))] = true
	}
	return ids
}

// TestDefaultSiteLinksResolve builds the repository's own docs and checks
// every relative href, src and action of every page: the file it names
// exists (a folder meaning its index.html), and so does the #fragment, as
// an id of the target page. The URLs of the search index and of
// model.json must name pages too.
func TestDefaultSiteLinksResolve(t *testing.T) {
	for _, baseURL := range []string{"", testBaseURL} {
		t.Run("base URL "+baseURL, func(t *testing.T) {
			tree := builtDefaultSite(t, baseURL)
			ids := map[string]map[string]bool{}
			idsOf := func(name string) map[string]bool {
				if ids[name] == nil {
					ids[name] = htmlIDs(tree[name])
				}
				return ids[name]
			}
			var checked, fragments int
			for _, name := range slices.Sorted(maps.Keys(tree)) {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				for _, l := range htmlLinks(tree[name]) {
					if isExternal(l.url) {
						continue
					}
					if name == "404.html" && baseURL != "" {
						// Links from the base URL; TestBuildRelativeLinks
						// checks them.
						continue
					}
					checked++
					from, ref := name, l.url
					if name == "404.html" && strings.HasPrefix(ref, "/") {
						// From the host's root, at any depth.
						from, ref = "index.html", "./"+strings.TrimPrefix(ref, "/")
					}
					target, frag, err := resolveRef(from, ref)
					if err != nil {
						t.Errorf("%s: %s: %v", name, l.attr, err)
						continue
					}
					if _, ok := tree[target]; !ok {
						t.Errorf("%s: %s=%q: no file %s", name, l.attr, l.url, target)
						continue
					}
					if frag == "" {
						continue
					}
					fragments++
					if !strings.HasSuffix(target, ".html") {
						t.Errorf("%s: %s=%q: a fragment of a file that is not a page", name, l.attr, l.url)
					} else if !idsOf(target)[frag] {
						t.Errorf("%s: %s=%q: %s has no id %q", name, l.attr, l.url, target, frag)
					}
				}
			}
			if checked < 1000 || fragments < 50 {
				t.Fatalf("only %d links and %d fragments checked; is the scanner broken?", checked, fragments)
			}

			// search/index.js links from search/ with "../" + u.
			key := regexp.MustCompile(`name="productdocs-search-key" content="([0-9a-f]+)"`).FindStringSubmatch(string(tree["search/index.html"]))
			if key == nil {
				t.Fatal("the search page holds no key")
			}
			opened, err := render.OpenSearchIndex(key[1], tree["search/index.js"])
			if err != nil {
				t.Fatal(err)
			}
			js := strings.TrimSuffix(strings.TrimPrefix(string(opened), "window.PRODUCTDOCS_SEARCH="), ";\n")
			var entries []struct{ I, U string }
			if err := json.Unmarshal([]byte(js), &entries); err != nil {
				t.Fatalf("search/index.js: %v", err)
			}
			var m struct{ Documents []struct{ ID, URL string } }
			if err := json.Unmarshal(tree["model.json"], &m); err != nil {
				t.Fatalf("model.json: %v", err)
			}
			if len(entries) == 0 || len(entries) != len(m.Documents) {
				t.Errorf("search/index.js has %d entries, model.json %d documents", len(entries), len(m.Documents))
			}
			for _, e := range entries {
				if target, _, err := resolveRef("search/index.html", "../"+e.U); err != nil || tree[target] == nil {
					t.Errorf("search/index.js: %s links to %q, which is no page", e.I, e.U)
				}
			}
			for _, d := range m.Documents {
				if target, _, err := resolveRef("index.html", d.URL); err != nil || tree[target] == nil {
					t.Errorf("model.json: %s has url %q, which is no page", d.ID, d.URL)
				}
			}
		})
	}
}

var (
	bodyClassRE = regexp.MustCompile(`<body class="section-([a-z]+)"`)
	sideNavRE   = regexp.MustCompile(`(?s)<nav class="side"[^>]*>(.*?)</nav>`)
	whyNavRE    = regexp.MustCompile(`(?s)<nav class="why"[^>]*>(.*?)</nav>`)
	docLinkRE   = regexp.MustCompile(`<a class="doc ([^"]*)" href="([^"]*)"`)
)

// TestDefaultSiteSectionsApart checks, on the repository's own docs, that
// a page of one section never lists the other section's documents in its
// navigation, and that a backlog page marks its links up into the strategy
// section as crossing, and no other link.
func TestDefaultSiteSectionsApart(t *testing.T) {
	tree := builtDefaultSite(t, "")
	other := map[string]string{"strategy": "backlog/", "backlog": "strategy/"}
	pages := map[string]int{}
	var crossings, whyChains int
	for _, name := range slices.Sorted(maps.Keys(tree)) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		doc := tree[name]
		m := bodyClassRE.FindSubmatch(doc)
		if m == nil {
			t.Errorf("%s: no section class on <body>", name)
			continue
		}
		section := string(m[1])
		pages[section]++
		if strings.HasPrefix(name, "strategy/") || strings.HasPrefix(name, "backlog/") {
			if want := name[:strings.Index(name, "/")]; section != want {
				t.Errorf("%s: section %q, want %q", name, section, want)
			}
		}
		if avoid, ok := other[section]; ok {
			nav := sideNavRE.FindSubmatch(doc)
			if nav == nil {
				t.Errorf("%s: no side navigation", name)
				continue
			}
			for _, l := range htmlLinks(nav[1]) {
				target, _, err := resolveRef(name, l.url)
				if err == nil && strings.HasPrefix(target, avoid) && target != avoid+"index.html" {
					t.Errorf("%s: the %s navigation links to %s", name, section, target)
				}
			}
		}
		for _, l := range docLinkRE.FindAllSubmatch(doc, -1) {
			target, _, err := resolveRef(name, html.UnescapeString(string(l[2])))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			crossing := slices.Contains(strings.Fields(string(l[1])), "crossing")
			want := section == "backlog" && strings.HasPrefix(target, "strategy/")
			if crossing != want {
				t.Errorf("%s: the link to %s has the crossing class: %v, want %v", name, target, crossing, want)
			}
			if crossing {
				crossings++
			}
		}
		if section == "backlog" && strings.HasPrefix(name, "backlog/story-") {
			why := whyNavRE.FindSubmatch(doc)
			if why == nil {
				t.Errorf("%s: no why-chain", name)
				continue
			}
			whyChains++
			up := docLinkRE.FindAllSubmatch(why[1], -1)
			if len(up) == 0 || !strings.Contains(string(up[0][1]), "kind-vision crossing") {
				t.Errorf("%s: the why-chain does not start with a crossing link to the vision: %s", name, why[1])
			}
		}
	}
	if pages["strategy"] < 10 || pages["backlog"] < 10 || crossings == 0 || whyChains < 10 {
		t.Fatalf("too little checked: %v pages by section, %d crossing links, %d why-chains", pages, crossings, whyChains)
	}
}
