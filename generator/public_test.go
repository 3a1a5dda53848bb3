package generator

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"productdocs/generator/gitlog"
)

// buildPublic builds testdata/build/audiences.txtar for the public, with
// a git history whose commit summaries name internal work, and returns
// the site and the output folder.
func buildPublic(t *testing.T) (*Site, string) {
	t.Helper()
	root := buildFixture(t, "audiences")
	h := gitlog.New(map[string][]gitlog.Commit{
		"content/strategy/initiatives/ini-1.md": {{Hash: "c2", Date: "2026-11-20", Summary: "INI-1: split out EPIC-VAULT (Hidden card vault)"}},
		"content/backlog/stories/story-2.md":    {{Hash: "c3", Date: "2026-11-25", Summary: "Done; STORY-HID is next"}, {Hash: "c1", Date: "2026-10-01", Summary: "Add"}},
	})
	s, err := LoadWith(t.Context(), os.DirFS(root), LoadOptions{
		Today: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), History: h, Audience: AudiencePublic,
	})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(t.Context(), s, root, BuildOptions{Out: out, BaseURL: "https://acme.example/roadmap/"}); err != nil {
		t.Fatalf("build: %v\n%v", err, s.Diagnostics)
	}
	return s, out
}

// TestPublicSiteLeaksNothing builds the public site and searches every
// byte of every file of it for everything of every internal document: its
// ID (in any case, as URLs lower it), title, summary, file name and the
// text of its body; and for the internal-by-nature fields of the public
// ones.
func TestPublicSiteLeaksNothing(t *testing.T) {
	s, out := buildPublic(t)
	var secrets []string
	internal := 0
	for _, d := range s.Model.Docs {
		if d.Public {
			continue
		}
		internal++
		secrets = append(secrets, d.Title)
		if base := path.Base(d.File); base != "index.md" { // "index" is every folder's page
			secrets = append(secrets, base, strings.TrimSuffix(base, ".md"))
		}
		if !strings.Contains(d.ID, "/") && d.ID != "index" { // a derived page ID is its path, searched as the file
			secrets = append(secrets, d.ID)
		}
		if d.Summary != "" {
			secrets = append(secrets, d.Summary)
		}
		// The body's text, sentence by sentence, as a page or the search
		// index would have it.
		for _, sentence := range strings.Split(d.Body.PlainText(), ".") {
			if sentence = strings.TrimSpace(sentence); len(sentence) > 8 {
				secrets = append(secrets, sentence)
			}
		}
	}
	if internal < 8 {
		t.Fatalf("%d internal documents: the fixture lost its secrets", internal)
	}
	secrets = append(secrets,
		"Olga Owner", "NINE-MILLION", // owner and extra of a public document
		"2026-11-11",           // an exact date where the quarter is known
		"secret-diagram",       // a file only an internal document links to
		"split out", "is next", // commit summaries
		"Moneybags", "Nightjar", "bonus pool",
	)

	files := 0
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lower := bytes.ToLower(b)
		rel, _ := filepath.Rel(out, p)
		for _, s := range secrets {
			if bytes.Contains(lower, bytes.ToLower([]byte(s))) || strings.Contains(strings.ToLower(rel), strings.ToLower(s)) {
				i := bytes.Index(lower, bytes.ToLower([]byte(s)))
				t.Errorf("%s has %q: …%s…", rel, s, b[max(0, i-80):min(len(b), max(0, i)+len(s)+80)])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("the public site has %d files", files)
	}

	// What the public may read is there.
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ini := read("strategy/ini-1/index.html")
	for _, want := range []string{"One-page checkout", "the pricing work", "the payment part", "2027-Q1", "img/public-shot.svg"} {
		if !strings.Contains(ini, want) {
			t.Errorf("the public INI-1 page has no %q", want)
		}
	}
	if strings.Contains(ini, "<a href=\"\"") {
		t.Errorf("the public INI-1 page has a link to nowhere")
	}
	if _, err := os.Stat(filepath.Join(out, "strategy", "img", "public-shot.svg")); err != nil {
		t.Errorf("the public document's image was not copied: %v", err)
	}
	var m struct {
		Documents []struct{ ID string } `json:"documents"`
	}
	if err := json.Unmarshal([]byte(read("model.json")), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Documents) != len(s.Model.Docs)-internal {
		t.Errorf("model.json has %d documents, want the %d public ones", len(m.Documents), len(s.Model.Docs)-internal)
	}
	if guide := read("guides/roadmap/index.html"); !strings.Contains(guide, "the card work") || !strings.Contains(guide, "the vault") {
		t.Errorf("the public guide lost the text of its links to internal documents")
	}
	if home := read("index.html"); !strings.Contains(home, "Public work only") {
		t.Errorf("the public home page does not say its figures count public work only")
	}
	story := read("backlog/story-2/index.html")
	if !strings.Contains(story, "2026-11-25") {
		t.Errorf("the public story page has no date of its last change")
	}
	if strings.Contains(read("sitemap.xml"), "story-pub/") == false {
		t.Errorf("the sitemap lacks a public page")
	}
}

// TestInternalSiteShowsEverything is the leak test's control: the same
// site built for the team has what the public one must not.
func TestInternalSiteShowsEverything(t *testing.T) {
	root := buildFixture(t, "audiences")
	s := mustLoad(t, os.DirFS(root))
	out := filepath.Join(t.TempDir(), "public")
	if _, err := Build(t.Context(), s, root, BuildOptions{Out: out}); err != nil {
		t.Fatalf("build: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, "strategy", "ini-1", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Price experiment", "Olga Owner", "NINE-MILLION", "ini-hid", "2026-11-11"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the internal INI-1 page has no %q", want)
		}
	}
}
