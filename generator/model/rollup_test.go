package model

import (
	"slices"
	"testing"
)

func TestRollupOf(t *testing.T) {
	s := site(t,
		"content/strategy/vis-1.md", "---\nkind: vision\ntitle: V\n---\n",
		"content/strategy/obj-1.md", "---\nkind: objective\ntitle: O\ntraces: VIS-1\n---\n",
		"content/strategy/ini-1.md", "---\nkind: initiative\ntitle: I\ntraces: OBJ-1\nhorizon: now\n---\n",
		"content/strategy/rel-1.md", "---\nkind: release\ntitle: R\ndate: 2027-01-01\n---\n",
		"content/backlog/epic-1.md", "---\nkind: epic\ntitle: E1\ntraces: INI-1\nestimate: 40\n---\n",
		"content/backlog/epic-2.md", "---\nkind: epic\ntitle: E2 without stories\ntraces: INI-1\nestimate: 8\nstatus: done\nrelease: REL-1\n---\n",
		"content/backlog/story-10.md", "---\nkind: story\ntitle: S10\ntraces: EPIC-1\nestimate: 3\nstatus: done\nrelease: REL-1\n---\n## Acceptance criteria\n- [x] a\n- [x] b\n",
		"content/backlog/story-2.md", "---\nkind: story\ntitle: S2\ntraces: EPIC-1\nestimate: 5\nrelease: REL-1\n---\n## Acceptance criteria\n- [x] a\n- [ ] b\n",
		"content/backlog/story-3.md", "---\nkind: story\ntitle: S3 dropped\ntraces: EPIC-1\nestimate: 13\nstatus: dropped\n---\n",
		"content/backlog/story-4.md", "---\nkind: story\ntitle: S4 on the initiative\ntraces: INI-1\nstatus: in-progress\n---\n",
	)
	tests := []struct {
		id                string
		items             []string
		done              int
		est, estDone      float64
		criteria, checked int
	}{
		{"EPIC-1", []string{"story-2", "story-10"}, 1, 8, 3, 4, 3},
		{"EPIC-2", nil, 0, 0, 0, 0, 0},
		{"INI-1", []string{"epic-2", "story-2", "story-4", "story-10"}, 2, 16, 11, 4, 3},
		{"OBJ-1", []string{"epic-2", "story-2", "story-4", "story-10"}, 2, 16, 11, 4, 3},
		{"VIS-1", []string{"epic-2", "story-2", "story-4", "story-10"}, 2, 16, 11, 4, 3},
		{"REL-1", []string{"epic-2", "story-2", "story-10"}, 2, 16, 11, 4, 3},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r := RollupOf(s.Lookup(tt.id))
			if got := ids(r.Items); !slices.Equal(got, tt.items) {
				t.Errorf("items %v, want %v", got, tt.items)
			}
			if r.Done != tt.done || r.Estimate != tt.est || r.EstimateDone != tt.estDone || r.Criteria != tt.criteria || r.Checked != tt.checked {
				t.Errorf("got done %d est %v/%v criteria %d/%d, want %d %v/%v %d/%d",
					r.Done, r.EstimateDone, r.Estimate, r.Checked, r.Criteria, tt.done, tt.estDone, tt.est, tt.checked, tt.criteria)
			}
		})
	}
	if p := RollupOf(s.Lookup("INI-1")).Percent(); p != 50 {
		t.Errorf("INI-1 percent %d, want 50", p)
	}
}
