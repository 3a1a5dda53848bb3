package model

import (
	"fmt"
	"strings"
	"testing"
)

func TestPublic(t *testing.T) {
	full := site(t,
		"content/strategy/vision.md", "---\nid: VIS-1\nkind: vision\ntitle: Secret vision\n---\n",
		"content/strategy/objectives/obj-1.md", "---\nid: OBJ-1\nkind: objective\ntitle: Grow\ntraces: VIS-1\naudience: public\nowner: Ann\nextra: {cost: 9}\n---\n",
		"content/strategy/initiatives/ini-1.md", "---\nid: INI-1\nkind: initiative\ntitle: Checkout\ntraces: OBJ-1\nhorizon: now\nquarter: 2027-Q1\nupdated: 2027-01-05\naudience: public\n---\n\n"+
			"See [[EPIC-1]], [[EPIC-1|the card work]], [the *epic*](../../backlog/epic-1.md#scope) and [[OBJ-1]].\n\n![buyer](img/buyer.png)\n",
		"content/backlog/epic-1.md", "---\nid: EPIC-1\nkind: epic\ntitle: Hidden card epic\ntraces: INI-1\nrank: 1\n---\n\n## Scope\n",
		"content/backlog/story-1.md", "---\nid: STORY-1\nkind: story\ntitle: Under a hidden epic\ntraces: EPIC-1\nrank: 2\npriority: must\nestimate: 3\naudience: public\n---\n",
		"content/backlog/story-2.md", "---\nid: STORY-2\nkind: story\ntitle: Straight to the initiative\ntraces: INI-1\nstatus: done\nrelease: REL-1\naudience: public\nupdated: 2027-01-02\n---\n",
		"content/strategy/rel-1.md", "---\nid: REL-1\nkind: release\ntitle: Hidden release\ndate: 2027-03-01\n---\n",
	)
	full.Assets = nil
	p := Public(full, []string{"owner", "rank", "estimate", "priority", "extra", ExactDates})

	if got := strings.Join(ids(p.Docs), " "); got != "STORY-1 STORY-2 INI-1 OBJ-1" {
		t.Errorf("documents %s, want the public ones by file", got)
	}
	if len(p.Diagnostics) != 0 {
		t.Errorf("diagnostics %v, want none", p.Diagnostics)
	}
	ini, obj, s1, s2 := p.Lookup("INI-1"), p.Lookup("OBJ-1"), p.Lookup("STORY-1"), p.Lookup("STORY-2")
	if ini == full.Lookup("INI-1") {
		t.Fatal("Public returned the internal model's document")
	}
	tests := []struct {
		name      string
		got, want any
	}{
		{"why-chain ends at the last public document", ids(ini.WhyChain()), []string{"OBJ-1"}},
		{"an internal parent ends the chain at once", len(s1.WhyChain()), 0},
		{"an internal trace is left out", len(s1.Refs), 0},
		{"an internal release is left out", len(s2.RefsTo("release")), 0},
		{"back-links are the public ones", ids(ini.From("traces")), []string{"STORY-2"}},
		{"roll-ups count public items alone", ids(RollupOf(ini).Items), []string{"STORY-2"}},
		{"owner left out", obj.Owner, ""},
		{"extra left out", obj.Extra == nil, true},
		{"rank left out", s1.Rank(), int64(0)},
		{"priority left out", s1.Priority() + s1.String("priority"), ""},
		{"estimate left out", s1.Fields["estimate"], nil},
		{"exact dates left out where a quarter is known", ini.Updated, ""},
		{"the quarter stays", ini.String("quarter"), "2027-Q1"},
		{"updated stays without a quarter", s2.Updated, "2027-01-02"},
		{"Has follows what is left", s1.Has("rank"), false},
		{"the internal model keeps its fields", full.Lookup("STORY-1").Rank(), int64(2)},
	}
	for _, tt := range tests {
		if fmt.Sprintf("%#v", tt.got) != fmt.Sprintf("%#v", tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}

	body := string(ini.Body.Source)
	for _, leak := range []string{"EPIC-1", "epic-1", "Hidden", "backlog"} {
		if strings.Contains(body, leak) || strings.Contains(ini.Body.PlainText(), leak) {
			t.Errorf("the public body has %q:\n%s", leak, body)
		}
	}
	if want := "See , the card work, the *epic* and [[OBJ-1]]."; !strings.Contains(body, want) {
		t.Errorf("public body:\n%s\nwant it to have %q", body, want)
	}
	for _, l := range ini.BodyLinks {
		if l.To != nil && l.To != obj && l.To != ini {
			t.Errorf("a public link leads to %s", l.To.ID)
		}
	}
	if len(full.Lookup("INI-1").BodyLinks) != 5 || !strings.Contains(string(full.Lookup("INI-1").Body.Source), "EPIC-1") {
		t.Errorf("the internal model's body changed")
	}
}

func TestPublicAssets(t *testing.T) {
	full := New([]*Source{
		source("content/strategy/ini-1.md", "---\nid: INI-1\nkind: initiative\ntitle: A\nhorizon: now\naudience: public\n---\n\n![a](img/a.png)\n"),
		source("content/backlog/epic-1.md", "---\nid: EPIC-1\nkind: epic\ntitle: B\n---\n\n![b](img/b.png)\n"),
	}, []string{"content/backlog/img/b.png", "content/strategy/img/a.png", "content/strategy/img/unused.png"})
	p := Public(full, nil)
	if got := strings.Join(p.Assets, " "); got != "content/strategy/img/a.png" {
		t.Errorf("assets %q, want the public document's alone", got)
	}
}
