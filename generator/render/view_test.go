package render_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"productdocs/generator"
	"productdocs/generator/model"
	"productdocs/generator/render"
)

func ids(docs []*model.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

// TestRoadmapLeavesOutDropped: a dropped initiative keeps its page but is
// off the roadmap board and the timeline.
func TestRoadmapLeavesOutDropped(t *testing.T) {
	doc := func(id, horizon, status string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\nid: " + id + "\nkind: initiative\ntitle: " + id + "\ntraces: OBJ-1\nhorizon: " + horizon + "\nquarter: 2027-Q1\nstatus: " + status + "\n---\n")}
	}
	fsys := fstest.MapFS{
		"content/strategy/vision.md": {Data: []byte("---\nid: VIS-1\nkind: vision\ntitle: V\n---\n")},
		"content/strategy/obj-1.md":  {Data: []byte("---\nid: OBJ-1\nkind: objective\ntitle: O\ntraces: VIS-1\n---\n")},
		"content/strategy/ini-1.md":  doc("INI-1", "later", "proposed"),
		"content/strategy/ini-2.md":  doc("INI-2", "later", "dropped"),
		"content/strategy/ini-3.md":  doc("INI-3", "next", "dropped"),
		"content/strategy/ini-4.md":  doc("INI-4", "next", "planned"),
	}
	site, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	v := render.NewSite(site.Model, "", "", "", nil)
	if got := ids(v.Later); len(got) != 1 || got[0] != "INI-1" {
		t.Errorf("Later = %v, want [INI-1]", got)
	}
	if got := ids(v.Next); len(got) != 1 || got[0] != "INI-4" {
		t.Errorf("Next = %v, want [INI-4]", got)
	}
	if len(v.Quarters) != 1 || len(v.Quarters[0].Initiatives) != 2 {
		t.Errorf("Quarters = %+v, want one quarter with INI-1 and INI-4", v.Quarters)
	}
	if len(v.Initiatives) != 4 {
		t.Errorf("Initiatives lists %d, want all 4 (dropped ones keep their pages)", len(v.Initiatives))
	}
}

// TestSortBacklogMatchesBacklogOrder holds the keyed sort to the
// comparison function templates and tools use.
func TestSortBacklogMatchesBacklogOrder(t *testing.T) {
	fsys := fstest.MapFS{"content/strategy/vision.md": {Data: []byte("---\nid: VIS-1\nkind: vision\ntitle: V\n---\n")}}
	prios := []string{"", "must", "should", "could", "wont"}
	for i := range 60 {
		rank := ""
		if i%3 != 0 {
			rank = "rank: " + string(rune('1'+i%7)) + "\n"
		}
		prio := ""
		if p := prios[i%5]; p != "" {
			prio = "priority: " + p + "\n"
		}
		id := "ST-" + string(rune('A'+i%26)) + string(rune('a'+i/26))
		switch i % 4 {
		case 1: // IDs alike in their first 16 bytes, which the sort compares as numbers
			id = "STORY-0123456789" + id
		case 2:
			id = "STORY-0123456789"[:6+i%11]
		}
		fsys["content/backlog/"+id+".md"] = &fstest.MapFile{Data: []byte("---\nid: " + id + "\nkind: story\ntitle: x\ntraces: VIS-1\n" + rank + prio + "---\n")}
	}
	site, err := generator.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	v := render.NewSite(site.Model, "", "", "", nil)
	want := slices.Clone(v.Stories)
	slices.SortStableFunc(want, render.BacklogOrder)
	if got, w := ids(v.Stories), ids(want); !slices.Equal(got, w) {
		t.Errorf("stories in\n%v\nwant\n%v", got, w)
	}
	// The stories trace to the vision: the tree sorts its children alike.
	var kids []*model.Document
	for _, n := range v.Tree[0].Children {
		kids = append(kids, n.Doc)
	}
	if got, w := ids(kids), ids(want); !slices.Equal(got, w) {
		t.Errorf("the tree's stories in\n%v\nwant\n%v", got, w)
	}
}
