package scaffold_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"productdocs/generator"
	"productdocs/generator/model"
	"productdocs/generator/scaffold"
)

func load(t *testing.T, fsys fs.FS) *generator.Site {
	t.Helper()
	s, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStarterIsClean(t *testing.T) {
	s := load(t, scaffold.Starter())
	for _, d := range s.Diagnostics {
		t.Errorf("unexpected: %s", d)
	}
	kinds := map[string]bool{}
	for _, d := range s.Model.Docs {
		kinds[d.Kind.Name] = true
	}
	for _, k := range model.Kinds {
		if !kinds[k.Name] {
			t.Errorf("the starter site has no %s", k.Name)
		}
	}
}

func TestInit(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		wantErr error
	}{
		{"new folder", func(*testing.T, string) {}, nil},
		{"empty folder", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"folder with a file", func(t *testing.T, dir string) {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, scaffold.ErrNotEmpty},
		{"folder with a hidden file", func(t *testing.T, dir string) {
			if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, scaffold.ErrNotEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			tt.prepare(t, dir)
			err := scaffold.Init(dir)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Init = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if _, serr := os.Stat(filepath.Join(dir, "content")); serr == nil {
					t.Error("a refused init wrote content/")
				}
				return
			}
			s := load(t, os.DirFS(dir))
			starter := load(t, scaffold.Starter())
			if len(s.Model.Docs) != len(starter.Model.Docs) || len(s.Diagnostics) != 0 {
				t.Errorf("the written site has %d documents and %d diagnostics; the starter %d and none", len(s.Model.Docs), len(s.Diagnostics), len(starter.Model.Docs))
			}
		})
	}
}

func TestNextID(t *testing.T) {
	site := func(files ...string) *model.Model {
		fsys := fstest.MapFS{}
		for _, f := range files {
			id, kind, _ := strings.Cut(f, " ")
			fsys["content/backlog/"+id+".md"] = &fstest.MapFile{Data: []byte("---\nid: " + id + "\nkind: " + kind + "\ntitle: x\n---\n")}
		}
		return load(t, fsys).Model
	}
	story := model.LookupKind("story")
	tests := []struct {
		name string
		site *model.Model
		want string
	}{
		{"empty site", site(), "STORY-1"},
		{"after the highest", site("STORY-1 story", "STORY-7 story", "STORY-3 story"), "STORY-8"},
		{"any case", site("story-12 story"), "STORY-13"},
		{"other prefixes do not count", site("EPIC-40 epic", "STORY-X story", "MYSTORY-9 story"), "STORY-1"},
		{"a page holding the next ID", site("STORY-2 story", "STORY-3 page"), "STORY-4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scaffold.NextID(tt.site, story); got != tt.want {
				t.Errorf("NextID = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	tests := []struct{ kind, id, want string }{
		{"vision", "VIS-1", "content/strategy/vis-1.md"},
		{"objective", "OBJ-2", "content/strategy/objectives/obj-2.md"},
		{"story", "STORY-12", "content/backlog/stories/story-12.md"},
		{"feedback", "FB-3", "content/backlog/feedback/fb-3.md"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			if got := scaffold.Path(model.LookupKind(tt.kind), tt.id); got != tt.want {
				t.Errorf("Path = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestDocument writes a new document of every kind into the starter site:
// check must point at what is left to fill in (traces), and nothing else.
func TestDocument(t *testing.T) {
	for _, k := range model.Kinds {
		if k == model.PageKind {
			continue
		}
		t.Run(k.Name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if err := fs.WalkDir(scaffold.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := fs.ReadFile(scaffold.Starter(), p)
				fsys[p] = &fstest.MapFile{Data: data}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			starter := load(t, fsys).Model
			id := scaffold.NextID(starter, k)
			rel := scaffold.Path(k, id)
			text := scaffold.Document(k, id, `A title: with "quotes" and # hash`, "2026-03-04")
			fsys[rel] = &fstest.MapFile{Data: []byte(text)}
			s := load(t, fsys)
			d := s.Model.Lookup(id)
			if d == nil || d.Kind != k || d.Title != `A title: with "quotes" and # hash` || d.Updated != "2026-03-04" {
				t.Fatalf("the new document reads as %+v:\n%s", d, text)
			}
			var got []string
			for _, dg := range s.Diagnostics {
				if dg.File != rel {
					t.Errorf("a diagnostic elsewhere: %s", dg)
				}
				got = append(got, dg.Code)
			}
			want := ""
			if k.Traces != nil {
				want = "untraced"
			}
			if k.Name == "feedback" {
				want = "missing-field" // source, left empty to fill in
			}
			if k.Name == "objective" {
				want = "uncovered untraced" // a new objective has no initiatives yet
			}
			if strings.Join(got, " ") != want {
				t.Errorf("diagnostics %v, want %q:\n%s", s.Diagnostics, want, text)
			}
			for _, dg := range s.Diagnostics {
				field := map[string]string{"untraced": "traces", "missing-field": "source"}[dg.Code]
				if field == "" {
					continue
				}
				// It points at the placeholder to fill in.
				line := 1 + strings.Count(text[:regexp.MustCompile(`(?m)^` + field + `:`).FindStringIndex(text)[0]], "\n")
				if dg.Line != line {
					t.Errorf("%s at line %d, want the %s: line %d", dg.Code, dg.Line, field, line)
				}
			}
		})
	}
}

func TestWriteNeverOverwrites(t *testing.T) {
	root := t.TempDir()
	rel := "content/backlog/stories/story-1.md"
	if err := scaffold.Write(root, rel, "first"); err != nil {
		t.Fatal(err)
	}
	err := scaffold.Write(root, rel, "second")
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second Write = %v, want a refusal", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel))); string(got) != "first" {
		t.Errorf("the file holds %q, want the first text", got)
	}
}

// TestInitOnMovesDates: a starter site written on any day has its release
// and quarters ahead of that day, so its first check reports nothing late.
func TestInitOnMovesDates(t *testing.T) {
	for _, day := range []string{"2026-12-08", "2031-12-31", "2040-01-01"} {
		t.Run(day, func(t *testing.T) {
			today, _ := time.Parse(time.DateOnly, day)
			dir := t.TempDir()
			if err := scaffold.InitOn(dir, today); err != nil {
				t.Fatal(err)
			}
			rel, err := os.ReadFile(filepath.Join(dir, "content", "strategy", "releases", "rel-1.md"))
			if err != nil {
				t.Fatal(err)
			}
			m := regexp.MustCompile(`(?m)^date: (\S+)`).FindSubmatch(rel)
			if m == nil {
				t.Fatalf("the starter's release has no date:\n%s", rel)
			}
			date, err := time.Parse(time.DateOnly, string(m[1]))
			if err != nil || !date.After(today) {
				t.Errorf("the release is dated %s, not after %s", m[1], day)
			}
		})
	}
}
