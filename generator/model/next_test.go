package model

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"productdocs/generator/diag"
	"productdocs/generator/internal/testkit"
)

// dump writes out everything of a model that its users can see, with
// documents named by index, so that two models can be compared.
func dump(s *Model) string {
	var b strings.Builder
	at := func(d *Document) string {
		if d == nil {
			return "-"
		}
		if s.Docs[d.index] != d {
			return fmt.Sprintf("FOREIGN(%s)", d.File) // a document of another model
		}
		return fmt.Sprint(d.index)
	}
	for i, d := range s.Docs {
		fmt.Fprintf(&b, "%d %s id=%s kind=%s sec=%s url=%s path=%s title=%q summary=%q status=%s owner=%q tags=%v updated=%s rank=%d prio=%s\n",
			i, d.File, d.ID, d.Kind.Name, d.Section, d.URL, d.Path, d.Title, d.Summary, d.Status, d.Owner, d.Tags, d.Updated, d.Rank(), d.Priority())
		fmt.Fprintf(&b, "  fields=%v krs=%v bodyline=%d body=%p idpos=%v\n", d.Fields, d.KeyResults, d.BodyLine, d.Body, d.IDPos())
		if d.Extra != nil {
			fmt.Fprintf(&b, "  extra=%v\n", d.Extra.Interface())
		}
		fmt.Fprintf(&b, "  up=%s\n", at(d.up))
		if d.up != d.Get("traces") {
			b.WriteString("  BAD UP\n")
		}
		for j, r := range d.Refs {
			fmt.Fprintf(&b, "  ref %d %s %s %v from=%s to=%s\n", j, r.Field, r.ID, r.Pos, at(r.From), at(r.To))
			if r.From != d {
				b.WriteString("  BAD REF\n")
			}
		}
		for _, r := range d.Backlinks {
			fmt.Fprintf(&b, "  backlink %s from=%s #%d to=%s\n", r.Field, at(r.From), slices.Index(r.From.Refs, r), at(r.To))
			if r.To != d || !slices.Contains(s.Docs[r.From.index].Refs, r) {
				b.WriteString("  BAD BACKLINK\n")
			}
		}
		for _, l := range d.BodyLinks {
			fmt.Fprintf(&b, "  link %+v index=%d to=%s asset=%s ok=%v why=%q\n", l.Link, l.Index, at(l.To), l.Asset, l.OK, l.Why)
		}
		for _, m := range d.Mentions {
			fmt.Fprintf(&b, "  mention %s\n", at(m))
		}
	}
	ds := slices.Clone(s.Diagnostics)
	slices.SortFunc(ds, func(a, b diag.Diagnostic) int { return strings.Compare(a.String(), b.String()) })
	for _, d := range ds {
		fmt.Fprintf(&b, "diag %s\n", d)
	}
	fmt.Fprintf(&b, "assets %v\n", s.Assets)
	return b.String()
}

// TestNextIsNew edits a site step by step and checks after each step that
// Next, from the model before, makes what New makes, leaves the model
// before as it was, and says in its Change which documents may differ.
func TestNextIsNew(t *testing.T) {
	files := map[string]string{
		"content/strategy/vision.md":        "---\nid: VIS-1\nkind: vision\ntitle: Vision\n---\n\n## Why\n\nSee [[OBJ-1]] and [the market](market/mkt-1.md).\n",
		"content/strategy/obj-1.md":         "---\nid: OBJ-1\nkind: objective\ntitle: Objective\ntraces: VIS-1\nevidence: [MKT-1, PER-1]\n---\n\n# Objective\n\n## Goal\n\nUp to [[VIS-1]].\n",
		"content/strategy/ini-1.md":         "---\nid: INI-1\nkind: initiative\ntitle: Initiative\ntraces: OBJ-1\nhorizon: now\n---\n\nFor [[OBJ-1#goal]].\n",
		"content/strategy/ini-2.md":         "---\nid: INI-2\nkind: initiative\ntitle: Second\ntraces: OBJ-1\nhorizon: next\ndepends_on: INI-1\n---\n",
		"content/strategy/market/mkt-1.md":  "---\nid: MKT-1\nkind: market\ntitle: Market\n---\n\n![chart](chart.png) and [a file](missing.pdf).\n",
		"content/strategy/per-1.md":         "---\nid: PER-1\nkind: persona\ntitle: Persona\n---\n",
		"content/strategy/market/chart.png": "",
		"content/backlog/epic-1.md":         "---\nid: EPIC-1\nkind: epic\ntitle: Epic\ntraces: INI-1\nstatus: planned\n---\n\n## Scope\n\n[[STORY-1]] [[STORY-1|again]] [[NOPE-1]]\n",
		"content/backlog/story-1.md":        "---\nid: STORY-1\nkind: story\ntitle: Story one\ntraces: EPIC-1\npersonas: [PER-1]\nrank: 2\n---\n\nSee [[EPIC-1#scope]] and [[STORY-2]].\n\n## Acceptance criteria\n\n- [ ] one\n- [x] two\n",
		"content/backlog/story-2.md":        "---\nid: STORY-2\nkind: story\ntitle: Story two\ntraces: EPIC-1\ndepends_on: STORY-1\nrank: 1\n---\n\nSee [the first](story-1.md#acceptance-criteria).\n",
		"content/guides/writing.md":         "# Writing\n\nLinks to [[STORY-1]] and [the vision](../strategy/vision.md#why).\n",
	}
	steps := []struct {
		name   string
		files  map[string]string // "" removes
		reused bool              // the shape stays, so the result is made from prev's
	}{
		{"body only", map[string]string{"content/backlog/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: Story two\ntraces: EPIC-1\ndepends_on: STORY-1\nrank: 1\n---\n\nSee [the first](story-1.md#acceptance-criteria), edited.\n"}, true},
		{"title only", map[string]string{"content/strategy/per-1.md": "---\nid: PER-1\nkind: persona\ntitle: Persona renamed\n---\n"}, true},
		{"reference added and removed", map[string]string{"content/backlog/story-1.md": "---\nid: STORY-1\nkind: story\ntitle: Story one\ntraces: EPIC-1\naddresses: FB-9\ndepends_on: STORY-2\nrank: 2\n---\n\nSee [[EPIC-1#scope]] and [[STORY-2]].\n\n## Acceptance criteria\n\n- [ ] one\n- [x] two\n"}, true},
		{"a heading others link to goes", map[string]string{"content/backlog/epic-1.md": "---\nid: EPIC-1\nkind: epic\ntitle: Epic\ntraces: INI-1\nstatus: planned\n---\n\n## What is in scope\n\n[[STORY-1]] [[NOPE-1]]\n"}, true},
		{"and comes back", map[string]string{"content/backlog/epic-1.md": "---\nid: EPIC-1\nkind: epic\ntitle: Epic\ntraces: INI-1\nstatus: planned\n---\n\n## Scope\n\n[[STORY-1]] [[STORY-2]]\n"}, true},
		{"two files at once", map[string]string{
			"content/strategy/obj-1.md": "---\nid: OBJ-1\nkind: objective\ntitle: Objective\ntraces: VIS-1\nevidence: [PER-1]\nstatus: done\n---\n\n# Objective\n\nNo goal now.\n",
			"content/strategy/ini-2.md": "---\nid: INI-2\nkind: initiative\ntitle: Second\ntraces: [OBJ-1, OBJ-1]\nhorizon: next\n---\n\n[[INI-1]] [[ini-1]] [[MKT-1]]\n",
		}, true},
		// Unreadable frontmatter has no kind: the document is a page.
		{"frontmatter broken", map[string]string{"content/strategy/ini-1.md": "---\nid: INI-1\nkind: initiative\ntitle: [Initiative\n---\n"}, false},
		{"frontmatter fixed", map[string]string{"content/strategy/ini-1.md": "---\nid: INI-1\nkind: initiative\ntitle: Initiative\ntraces: OBJ-1\nhorizon: now\n---\n\nFor [[OBJ-1#goal]].\n"}, false},
		{"a field out of place", map[string]string{"content/strategy/ini-1.md": "---\nid: INI-1\nkind: initiative\ntitle: Initiative\ntraces: OBJ-1\nhorizon: now\ncolour: red\n---\n\nFor [[OBJ-1#goal]].\n"}, true},
		{"an ID changes", map[string]string{"content/strategy/per-1.md": "---\nid: PER-2\nkind: persona\ntitle: Persona\n---\n"}, false},
		{"edit after a new shape", map[string]string{"content/backlog/story-2.md": "---\nid: STORY-2\nkind: story\ntitle: Two\ntraces: EPIC-1\npersonas: PER-2\n---\n"}, true},
		{"a document comes", map[string]string{"content/backlog/story-3.md": "---\nid: STORY-3\nkind: story\ntitle: Three\ntraces: EPIC-1\n---\n\n[[STORY-2]]\n"}, false},
		{"a duplicate ID", map[string]string{"content/backlog/story-4.md": "---\nid: story-3\nkind: story\ntitle: Four\ntraces: EPIC-1\n---\n"}, false},
		{"edit beside a duplicate", map[string]string{"content/backlog/story-4.md": "---\nkind: story\nid: story-3\ntitle: Four\ntraces: EPIC-1\n---\n"}, false},
		{"the duplicate goes", map[string]string{"content/backlog/story-4.md": ""}, false},
		{"an asset goes", map[string]string{"content/strategy/market/chart.png": ""}, false},
		{"a kind changes", map[string]string{"content/guides/writing.md": "---\nkind: persona\n---\n# Writing\n"}, false},
		{"a page's title from its heading", map[string]string{"content/guides/writing.md": "# Writing well\n\n[[STORY-1]]\n"}, false},
		{"and again", map[string]string{"content/guides/writing.md": "# Writing better\n\n[[STORY-2]] [[STORY-2]]\n"}, true},
	}
	sources := map[string]*Source{}
	var assets []string
	load := func() ([]*Source, []string) {
		assets = assets[:0]
		var srcs []*Source
		for _, f := range slices.Sorted(maps.Keys(files)) {
			if !strings.HasSuffix(f, ".md") {
				assets = append(assets, f)
				continue
			}
			if sources[f] == nil {
				sources[f] = source(f, files[f])
			}
			srcs = append(srcs, sources[f])
		}
		return srcs, slices.Clone(assets)
	}
	prev := New(load())
	relinks := 0
	var history []*Model
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			for f, text := range st.files {
				delete(sources, f)
				if text == "" {
					delete(files, f)
				} else {
					files[f] = text
				}
			}
			srcs, as := load()
			before := dump(prev)
			got := Next(prev, srcs, as)
			want := New(srcs, as)
			if d := dump(prev); d != before {
				t.Errorf("Next changed the model before:\n%s", testkit.DiffLines(before, d))
			}
			if g, w := dump(got), dump(want); g != w {
				t.Errorf("Next differs from New:\n%s", testkit.DiffLines(w, g))
			}
			if reused := got.shape == prev.shape; reused != st.reused {
				t.Errorf("made from prev's = %v, want %v", reused, st.reused)
			}
			// Back-links and mentions are taken over from prev's when, and
			// only when, every reference and body link leads where it did.
			same := st.reused && slices.EqualFunc(prev.Docs, want.Docs, func(a, b *Document) bool {
				return sameRefs(a.Refs, b.Refs) && sameTargets(a.BodyLinks, b.BodyLinks)
			})
			relinked := len(got.links.backRefs) > 0 && &got.links.backRefs[0] == &prev.links.backRefs[0]
			if relinked != same {
				t.Errorf("back-links taken over from prev's = %v, want %v", relinked, same)
			}
			if relinked {
				relinks++
			}
			delta := Diff(prev, got)
			if (delta != nil) != st.reused {
				t.Fatalf("Diff = %v", delta)
			}
			if Related(prev, got) != st.reused || Related(got, want) {
				t.Errorf("Related(prev, next) = %v, want %v; Related(next, a new model) = %v, want false", Related(prev, got), st.reused, Related(got, want))
			}
			if delta != nil {
				// Every document whose dump differs from prev's is touched.
				old, cur := strings.Split(dumpDocs(prev), "\x00"), strings.Split(dumpDocs(got), "\x00")
				for i := range cur {
					if old[i] != cur[i] && !slices.Contains(delta.Touched, got.Docs[i]) {
						t.Errorf("%s changed but is not in the delta:\n%s", got.Docs[i].File, testkit.DiffLines(old[i], cur[i]))
					}
				}
				for _, f := range slices.Collect(maps.Keys(st.files)) {
					if d := got.ByPath(strings.TrimPrefix(f, "content/")); d != nil && !slices.Contains(delta.Edited, d) {
						t.Errorf("%s is not edited", f)
					}
				}
			}
			// Diff from any earlier related model, through models between,
			// names the documents whose sources differ.
			for _, h := range history {
				if !Related(h, got) {
					continue
				}
				var want []*Document
				for i, d := range got.Docs {
					if d.src != h.Docs[i].src {
						want = append(want, d)
					}
				}
				if dl := Diff(h, got); !slices.Equal(dl.Edited, want) {
					t.Errorf("Diff from a model %d steps back: edited %d documents, want %d", len(history)-slices.Index(history, h), len(dl.Edited), len(want))
				}
			}
			history = append(history, prev)
			prev = got
		})
	}
	if relinks < 2 {
		t.Errorf("back-links were taken over in %d steps, want some", relinks)
	}
}

// dumpDocs is dump of each document, separated by NUL bytes, with
// pointers to bodies left out.
func dumpDocs(s *Model) string {
	var parts []string
	for _, line := range strings.Split(dump(s), "\n") {
		if strings.HasPrefix(line, "diag ") || strings.HasPrefix(line, "assets ") {
			break
		}
		if len(line) > 0 && line[0] >= '0' && line[0] <= '9' {
			parts = append(parts, "")
		}
		if len(parts) > 0 {
			if i := strings.Index(line, " body=0x"); i >= 0 {
				line = line[:i]
			}
			parts[len(parts)-1] += line + "\n"
		}
	}
	return strings.Join(parts, "\x00")
}

// TestNewShape holds the maps filled side by side to those filled one by
// one: every path entered, every ID and URL once, and a duplicate, even
// far down a long list, reported at the later file with the earlier
// holder kept.
func TestNewShape(t *testing.T) {
	docs := func(n int) []*Document {
		ds := make([]*Document, n)
		for i := range ds {
			id := fmt.Sprintf("STORY-%d", i)
			ds[i] = &Document{ID: id, File: "content/" + id + ".md", Path: id + ".md", URL: "backlog/" + strings.ToLower(id) + "/"}
		}
		return ds
	}
	for _, tc := range []struct {
		name  string
		docs  []*Document
		dupOf int // index of the earlier holder, or -1
	}{
		{"few", docs(3), -1},
		{"many", docs(5000), -1},
		{"an ID taken again far down, in another case", append(docs(5000), &Document{ID: "story-17", File: "content/late.md", Path: "late.md", URL: "backlog/late/"}), 17},
		{"a URL taken again far down", append(docs(5000), &Document{ID: "LATE-1", File: "content/late.md", Path: "late.md", URL: "backlog/story-4000/"}), 4000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sh := newShape(tc.docs, nil)
			n := len(tc.docs)
			if len(sh.byPath) != n {
				t.Errorf("%d paths entered, want %d", len(sh.byPath), n)
			}
			for i, d := range tc.docs {
				if sh.byPath[d.Path] != i {
					t.Errorf("%s entered as %d, want %d", d.Path, sh.byPath[d.Path], i)
				}
			}
			wantIDs := n
			if tc.dupOf >= 0 {
				wantIDs--
				if len(sh.dups) != 1 || sh.dups[0].File != "content/late.md" || !strings.Contains(sh.dups[0].Message, tc.docs[tc.dupOf].File) {
					t.Errorf("duplicates %v, want one at content/late.md naming %s", sh.dups, tc.docs[tc.dupOf].File)
				}
				if _, ok := sh.exact[tc.docs[n-1].ID]; ok {
					t.Errorf("the later holder %s was entered by its ID", tc.docs[n-1].File)
				}
			} else if len(sh.dups) > 0 {
				t.Errorf("duplicates %v, want none", sh.dups)
			}
			if len(sh.byID) != wantIDs || len(sh.exact) != wantIDs {
				t.Errorf("%d IDs and %d exact IDs entered, want %d", len(sh.byID), len(sh.exact), wantIDs)
			}
			for i, d := range tc.docs[:wantIDs] {
				if sh.byID[strings.ToLower(d.ID)] != i || sh.exact[d.ID] != i {
					t.Errorf("%s entered as %d and %d, want %d", d.ID, sh.byID[strings.ToLower(d.ID)], sh.exact[d.ID], i)
				}
			}
		})
	}
}

// TestPack checks that pack keeps the text of the fields it moves, puts
// each edited document's fields one after the other, leaves the
// documents copied from an earlier model alone, and leaves the status,
// the text of the model's list of statuses, where it is.
func TestPack(t *testing.T) {
	docs := []Document{
		{ID: "STORY-1", URL: "backlog/story-1/", Title: "One", Status: Statuses[0]},
		{ID: "STORY-2", URL: "backlog/story-2/", Title: "Two, kept", Status: ""},
		{ID: "", URL: "", Title: "A page without an ID", Status: ""},
		{ID: "EPIC-1", URL: "backlog/epic-1/", Title: "Epic", Status: Statuses[1]},
	}
	edited := []bool{true, false, true, true}
	want := slices.Clone(docs)
	kept := unsafe.StringData(docs[1].Title)
	pack(docs, edited)
	// Each field's text starts where the one before, of this document or
	// of the edited document before, ends.
	var last uintptr
	for i, d := range docs {
		w := want[i]
		if d.ID != w.ID || d.URL != w.URL || d.Title != w.Title || d.Status != w.Status {
			t.Errorf("document %d = %q %q %q %q, want %q %q %q %q", i, d.ID, d.URL, d.Title, d.Status, w.ID, w.URL, w.Title, w.Status)
		}
		if !edited[i] {
			if unsafe.StringData(d.Title) != kept {
				t.Errorf("document %d was copied from an earlier model, and pack moved it", i)
			}
			continue
		}
		if d.Status != "" && unsafe.StringData(d.Status) != unsafe.StringData(w.Status) {
			t.Errorf("document %d: pack moved the status", i)
		}
		for j, f := range []string{d.ID, d.URL, d.Title} {
			if f == "" {
				continue
			}
			at := uintptr(unsafe.Pointer(unsafe.StringData(f)))
			if last != 0 && at != last {
				t.Errorf("document %d, field %d: not where the field before ends", i, j)
			}
			last = at + uintptr(len(f))
		}
	}
}

// TestIndexOf holds IndexOf to Index for every document of a model, and
// for documents it does not hold: another model's, and one outside any
// model.
func TestIndexOf(t *testing.T) {
	var srcs []*Source
	for i := range 5 {
		srcs = append(srcs, source(fmt.Sprintf("content/backlog/s%d.md", i), fmt.Sprintf("---\nid: S-%d\nkind: story\ntitle: S\n---\n", i)))
	}
	m, other := New(srcs, nil), New(srcs[:3], nil)
	for i, d := range m.Docs {
		if got := m.IndexOf(d); got != i {
			t.Errorf("IndexOf(Docs[%d]) = %d", i, got)
		}
	}
	// Another model's documents, which lie outside m's block: their own
	// index, read.
	for i, d := range other.Docs {
		if got := m.IndexOf(d); got != i {
			t.Errorf("IndexOf(another model's Docs[%d]) = %d", i, got)
		}
	}
	if got := m.IndexOf(&Document{index: 7}); got != 7 {
		t.Errorf("IndexOf(a document of no model) = %d, want 7", got)
	}
}
