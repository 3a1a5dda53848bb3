package serve

import (
	"context"
	"os"
	"strings"
	"testing"

	"productdocs/generator"
)

// The preview of the public site (serve --audience public) renders the
// public model after every change, and what it serves is a fresh public
// build's, byte for byte: a document made public appears, one made
// internal goes, with everything that showed it.
func TestPublicPreview(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	edit(t, dir, "content/strategy/vision.md", "kind: vision\n", "kind: vision\naudience: public\n")
	public := generator.LoadOptions{Audience: generator.AudiencePublic}
	fresh := func() *Output {
		t.Helper()
		b := NewBuilder(os.DirFS(dir), testLive, "")
		b.Load = public
		res, err := b.Rebuild(context.Background(), Batch{All: true})
		if err != nil || res.Failed() {
			t.Fatalf("full build: %v %v", err, res.Diagnostics)
		}
		return res.Output
	}
	b := NewBuilder(os.DirFS(dir), testLive, "")
	b.Load = public
	if _, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Current().Files["strategy/obj-1/index.html"]; ok {
		t.Fatal("an internal objective is served")
	}

	for _, step := range []struct {
		name, file, old, new string
		has                  string // a file that must be served after
		gone                 string // a file that must not
	}{
		{"an objective made public", "content/strategy/objectives/obj-1.md", "kind: objective\n", "kind: objective\naudience: public\n", "strategy/obj-1/index.html", ""},
		{"its title edited", "content/strategy/objectives/obj-1.md", "title: ", "title: Public ", "strategy/obj-1/index.html", ""},
		{"made internal again", "content/strategy/objectives/obj-1.md", "audience: public\n", "", "", "strategy/obj-1/index.html"},
	} {
		t.Run(step.name, func(t *testing.T) {
			edit(t, dir, step.file, step.old, step.new)
			res, err := b.Rebuild(context.Background(), Batch{Paths: []string{step.file}})
			if err != nil || res.Failed() {
				t.Fatalf("rebuild: %v %v", err, res.Diagnostics)
			}
			sameOutput(t, res.Output, fresh())
			if _, ok := res.Output.Files[step.has]; step.has != "" && !ok {
				t.Errorf("%s is not served", step.has)
			}
			if _, ok := res.Output.Files[step.gone]; step.gone != "" && ok {
				t.Errorf("%s is still served", step.gone)
			}
			for p, f := range res.Output.Files {
				if strings.Contains(string(f), "EPIC-1") {
					t.Errorf("%s shows the internal EPIC-1", p)
				}
			}
		})
	}
}
