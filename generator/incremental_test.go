package generator

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator/diag"
	"productdocs/generator/model"
	"productdocs/generator/scaffold"
)

// TestLoadIncrementalIsLoad changes a site in every way a preview sees and
// checks after each change that LoadIncremental, told what changed, gives
// what Load gives, and read again only what changed.
func TestLoadIncrementalIsLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Init(dir); err != nil {
		t.Fatal(err)
	}
	path := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	write := func(rel, text string) {
		if err := os.MkdirAll(filepath.Dir(path(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path(rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const story = "content/backlog/stories/story-1.md"
	steps := []struct {
		name    string
		change  func()
		changed []string
		reread  int // how many documents are read again
	}{
		{"edit", func() { write(story, "---\nid: STORY-1\nkind: story\ntitle: Edited\ntraces: EPIC-1\n---\n\nText.\n") }, []string{story}, 1},
		{"nothing", func() {}, nil, 0},
		{"a folder named, a document in it edited", func() { write("content/backlog/epics/epic-2.md", "---\nid: EPIC-2\nkind: epic\ntitle: Edited\n---\n") },
			[]string{"content/backlog/epics"}, 2},
		{"a document whose name starts with another's", func() { write("content/backlog/epics/epic-2.md.md", "# Odd\n") }, []string{"content/backlog/epics/epic-2.md.md"}, 1},
		{"the other edited", func() { write("content/backlog/epics/epic-2.md", "---\nid: EPIC-2\nkind: epic\ntitle: Again\n---\n") },
			[]string{"content/backlog/epics/epic-2.md"}, 1},
		{"new document", func() { write("content/guides/new.md", "# New\n") }, []string{"content/guides/new.md"}, 1},
		{"new folder, named alone", func() {
			write("content/guides/deep/a.md", "# A\n")
			write("content/guides/deep/b.md", "# B [[STORY-1]]\n")
			write("content/guides/deep/pic.png", "png")
		}, []string{"content/guides/deep"}, 2},
		{"an editor's temporary file", func() { write("content/guides/.new.md.swp", "swap") }, []string{"content/guides/.new.md.swp"}, 0},
		{"an ignored folder", func() { write("content/_drafts/x.md", "# X\n") }, []string{"content/_drafts/x.md", "content/_drafts"}, 0},
		{"deleted document", func() {
			if err := os.Remove(path("content/guides/new.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/guides/new.md"}, 0},
		{"deleted folder", func() {
			if err := os.RemoveAll(path("content/guides/deep")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/guides/deep"}, 0},
		{"a symbolic link", func() {
			if err := os.Symlink("story-1.md", path("content/backlog/stories/link.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"content/backlog/stories/link.md"}, 0},
		{"settings", func() { write("productdocs.yaml", "title: Other\nchecks:\n  uncovered: off\n") }, []string{"productdocs.yaml"}, 0},
		{"broken frontmatter", func() { write(story, "---\ntitle: [x\n---\n") }, []string{story}, 1},
	}
	fsys := os.DirFS(dir)
	prev, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change()
			got, err := LoadIncremental(context.Background(), fsys, prev, model.Change{Paths: st.changed})
			if err != nil {
				t.Fatal(err)
			}
			want, err := Load(context.Background(), fsys)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Listing.Documents, want.Listing.Documents) || !slices.Equal(got.Listing.Assets, want.Listing.Assets) ||
				len(got.Listing.Skipped) != len(want.Listing.Skipped) {
				t.Errorf("listing %+v, want %+v", got.Listing, want.Listing)
			}
			if !slices.Equal(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics\n  %v\nwant\n  %v", got.Diagnostics, want.Diagnostics)
			}
			if got.Settings.Title != want.Settings.Title {
				t.Errorf("settings %+v, want %+v", got.Settings, want.Settings)
			}
			if len(got.Model.Docs) != len(want.Model.Docs) {
				t.Fatalf("%d documents, want %d", len(got.Model.Docs), len(want.Model.Docs))
			}
			for i, d := range got.Model.Docs {
				w := want.Model.Docs[i]
				if d.File != w.File || d.ID != w.ID || d.Title != w.Title || string(d.Body.Source) != string(w.Body.Source) {
					t.Errorf("document %d: %s %s %q, want %s %s %q", i, d.File, d.ID, d.Title, w.File, w.ID, w.Title)
				}
			}
			reused := 0
			for _, s := range got.sources {
				for _, p := range prev.sources {
					if s == p {
						reused++
					}
				}
			}
			if reread := len(got.sources) - reused; reread != st.reread {
				t.Errorf("read %d documents again, want %d", reread, st.reread)
			}
			prev = got
		})
	}
}

func TestLoadIncrementalWithoutPrev(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Init(dir); err != nil {
		t.Fatal(err)
	}
	s, err := LoadIncremental(context.Background(), os.DirFS(dir), nil, model.Change{Paths: []string{"content/index.md"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Model.Docs) == 0 || len(s.sources) != len(s.Model.Docs) {
		t.Errorf("%d documents from %d sources", len(s.Model.Docs), len(s.sources))
	}
}

// TestLoadIncrementalChecks makes edits whose diagnostics land on other
// documents than the edited one, near and far, and checks after each that
// LoadIncremental, which checks again only the documents an edit touched,
// reports what Load reports.
func TestLoadIncrementalChecks(t *testing.T) {
	fsys := fstest.MapFS{}
	write := func(rel, text string) { fsys[rel] = &fstest.MapFile{Data: []byte(text)} }
	story := func(id, status, more string) string {
		return "---\nid: " + id + "\nkind: story\ntitle: " + id + "\nstatus: " + status + "\ntraces: EPIC-1\n" + more + "---\n\nSee [[EPIC-1#scope]].\n"
	}
	write("content/strategy/vision.md", "---\nid: VIS-1\nkind: vision\ntitle: V\n---\n")
	write("content/strategy/obj-1.md", "---\nid: OBJ-1\nkind: objective\ntitle: O\ntraces: VIS-1\n---\n")
	write("content/strategy/ini-1.md", "---\nid: INI-1\nkind: initiative\ntitle: I\ntraces: OBJ-1\nhorizon: now\n---\n")
	write("content/strategy/per-1.md", "---\nid: PER-1\nkind: persona\ntitle: P\n---\n")
	write("content/backlog/epic-1.md", "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\nstatus: planned\n---\n\n## Scope\n")
	for _, id := range []string{"a", "b", "c", "d"} {
		write("content/backlog/"+id+".md", story("S-"+id, "planned", ""))
	}
	const epic = "content/backlog/epic-1.md"
	steps := []struct {
		name  string
		file  string
		text  string
		codes []string // codes that must be reported after the step
	}{
		{"a chain of dependencies", "content/backlog/a.md", story("S-a", "planned", "depends_on: S-b\n"), nil},
		{"longer", "content/backlog/b.md", story("S-b", "planned", "depends_on: S-c\n"), nil},
		{"longer still", "content/backlog/d.md", story("S-d", "planned", "depends_on: S-a\n"), nil},
		// The cycle is reported at a.md, two links from c.md.
		{"closed far from where it is reported", "content/backlog/c.md", story("S-c", "planned", "depends_on: S-d\n"), []string{"cycle"}},
		{"opened again", "content/backlog/c.md", story("S-c", "planned", ""), nil},
		{"the epic is dropped", epic, "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\nstatus: dropped\n---\n\n## Scope\n", []string{"dropped-target"}},
		{"the epic is done", epic, "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\nstatus: done\n---\n\n## Scope\n", []string{"status-mismatch"}},
		{"its heading goes", epic, "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\nstatus: planned\n---\n\n## In scope\n", []string{"broken-body-link"}},
		{"and comes back", epic, "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: INI-1\nstatus: planned\n---\n\n## Scope\n", nil},
		{"a story names a persona where an epic goes", "content/backlog/a.md", "---\nid: S-a\nkind: story\ntitle: S-a\ntraces: PER-1\n---\n", []string{"wrong-kind"}},
		{"and an ID no one has", "content/backlog/a.md", "---\nid: S-a\nkind: story\ntitle: S-a\ntraces: EPIC-1\naddresses: FB-1\n---\n", []string{"broken-link"}},
		{"the initiative loses its epic", epic, "---\nid: EPIC-1\nkind: epic\ntitle: E\ntraces: OBJ-1\nstatus: planned\n---\n\n## Scope\n", []string{"uncovered", "wrong-kind"}},
		{"settings turn a check off", "productdocs.yaml", "checks:\n  wrong-kind: off\n", []string{"uncovered"}},
	}
	prev, err := Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			write(st.file, st.text)
			got, err := LoadIncremental(context.Background(), fsys, prev, model.Change{Paths: []string{st.file}})
			if err != nil {
				t.Fatal(err)
			}
			want, err := Load(context.Background(), fsys)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics\n  %v\nwant\n  %v", got.Diagnostics, want.Diagnostics)
			}
			for _, code := range st.codes {
				if !slices.ContainsFunc(got.Diagnostics, func(d diag.Diagnostic) bool { return d.Code == code }) {
					t.Errorf("no %s in %v", code, got.Diagnostics)
				}
			}
			prev = got
		})
	}
}

// The plan checks read the whole site: an edit of one file can make
// another late or give it a duplicate rank. An incremental load finds
// them as a full one does, and remakes the public site's model.
func TestLoadIncrementalPlanChecks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := scaffold.Init(dir); err != nil {
		t.Fatal(err)
	}
	edit := func(rel, old, new string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := LoadOptions{Today: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), Audience: AudiencePublic}
	fsys := os.DirFS(dir)
	prev, err := LoadWith(context.Background(), fsys, o)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, file, old, new string
		code                 string // a code the step must make appear, at another file
	}{
		{"the first of two ranks taken by an edit of the first", "content/backlog/epics/epic-1.md", "rank: 1", "rank: 4", diag.CodeDuplicateRank},
		{"a release moved into the past", "content/strategy/releases/rel-1.md", "date: 2027-03-31", "date: 2027-02-01", diag.CodeLate},
		{"a story made public", "content/backlog/stories/story-1.md", "kind: story\n", "kind: story\naudience: public\n", diag.CodeAudience},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			edit(st.file, st.old, st.new)
			got, err := LoadIncremental(context.Background(), fsys, prev, model.Change{Paths: []string{st.file}})
			if err != nil {
				t.Fatal(err)
			}
			want, err := LoadWith(context.Background(), fsys, o)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics\n  %v\nwant\n  %v", got.Diagnostics, want.Diagnostics)
			}
			if !slices.ContainsFunc(got.Diagnostics, func(d diag.Diagnostic) bool { return d.Code == st.code }) {
				t.Errorf("no %s diagnostic: %v", st.code, got.Diagnostics)
			}
			if got.Public == nil || len(got.Public.Docs) != len(want.Public.Docs) {
				t.Errorf("the public model was not made again")
			}
			prev = got
		})
	}
}

// TestLoadIncrementalChange checks the Change a load hands on: the paths
// it was told of and, where the documents are the same ones, the edited
// document and its neighbours, relative to the model it was made from.
func TestLoadIncrementalChange(t *testing.T) {
	const ini = "content/strategy/initiatives/ini-1.md"
	fsys := loadTxtar(t, filepath.Join("testdata", "sites", "clean.txtar"))
	prev := mustLoad(t, fsys)
	if prev.Change != nil {
		t.Errorf("a site loaded whole has a Change: %+v", prev.Change)
	}
	fsys[ini] = &fstest.MapFile{Data: append(slices.Clone(fsys[ini].Data), "\nOne more line.\n"...)}
	s, err := LoadIncremental(context.Background(), fsys, prev, model.Change{Paths: []string{ini}})
	if err != nil {
		t.Fatal(err)
	}
	ch := s.Change
	if ch == nil || !slices.Equal(ch.Paths, []string{ini}) || ch.From != prev.Model {
		t.Fatalf("Change %+v, want the path and the model it was made from", ch)
	}
	if len(ch.Edited) != 1 || ch.Edited[0].File != ini {
		t.Errorf("edited %v, want %s alone", files(ch.Edited), ini)
	}
	touched := files(ch.Touched)
	if !slices.Contains(touched, ini) || len(touched) < 2 {
		t.Errorf("touched %v, want %s and the documents it links to", touched, ini)
	}

	// A new document changes which documents there are: the paths alone.
	const added = "content/guides/new.md"
	fsys[added] = &fstest.MapFile{Data: []byte("# New\n")}
	s2, err := LoadIncremental(context.Background(), fsys, s, model.Change{Paths: []string{added}})
	if err != nil {
		t.Fatal(err)
	}
	if ch := s2.Change; ch == nil || !slices.Equal(ch.Paths, []string{added}) || ch.From != nil || ch.Edited != nil {
		t.Errorf("Change %+v, want the path alone", ch)
	}
}

func files(docs []*model.Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.File)
	}
	return out
}
