package render

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"testing/fstest"

	"productdocs/generator/model"
	"productdocs/generator/sitegen"
)

// TestDataStreamed holds model.json and the search index, written a
// document at a time, to what encoding/json writes for them whole.
func TestDataStreamed(t *testing.T) {
	sites := map[string]*SiteView{
		"tricky":  NewSite(loadModel(t, trickySite), "Tricky <&> \"site\"", "", "", nil),
		"sitegen": NewSite(loadModel(t, sitegen.Generate(sitegen.Options{Docs: 300, Seed: 4})), "", "", "", nil),
		"empty":   NewSite(loadModel(t, fstest.MapFS{}), "", "", "", nil),
	}
	for name, s := range sites {
		r := &Renderer{Site: s}

		m := jsonModel{Title: s.Title, Documents: make([]jsonDoc, 0, len(s.Model.Docs))}
		var entries []searchEntry
		for _, d := range s.Model.Docs {
			m.Documents = append(m.Documents, jsonDocOf(d))
			e := searchEntry{ID: d.ID, Title: d.Title, Kind: d.Kind.Name, URL: escapePath(d.URL), Summary: d.Summary}
			if d.Body != nil {
				e.Text = truncate(d.Body.PlainText(), searchText(len(s.Model.Docs)))
			}
			entries = append(entries, e)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		if err := enc.Encode(m); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := r.modelJSON(&got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: model.json differs at byte %d:\n%s\nwant:\n%s", name, diffAt(got.Bytes(), want.Bytes()), around(got.Bytes(), want.Bytes()), around(want.Bytes(), got.Bytes()))
		}

		if entries == nil {
			entries = []searchEntry{}
		}
		b, err := json.Marshal(entries)
		if err != nil {
			t.Fatal(err)
		}
		want.Reset()
		want.WriteString("window.PRODUCTDOCS_SEARCH=")
		want.Write(b)
		want.WriteString(";\n")
		got.Reset()
		if err := r.searchIndex(&got); err != nil {
			t.Fatal(err)
		}
		if got := plainIndex(t, s, got.String()); got != want.String() {
			t.Errorf("%s: the search index differs at byte %d:\n%s\nwant:\n%s", name, diffAt([]byte(got), want.Bytes()), around([]byte(got), want.Bytes()), around(want.Bytes(), []byte(got)))
		}
	}
}

// TestAppendJSONString holds appendJSONString to encoding/json on every
// ASCII byte, and on the strings it escapes by hand or leaves alone.
func TestAppendJSONString(t *testing.T) {
	cases := []string{"", "plain", "Grüße", "a\u2028b", "a\u2029", "\xff", "ok\xc3", "<script>", "a&b", `q"uote`, `back\slash`, "tab\there", "\x7f", "\ufeff", "日本"}
	for c := range 128 {
		cases = append(cases, string(rune(c)), "é"+string(rune(c)))
	}
	for _, s := range cases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestAppendJSONFields holds the fields written by hand to encoding/json,
// and checks that it leaves to encoding/json the values it does not know.
func TestAppendJSONFields(t *testing.T) {
	for _, tc := range []struct {
		fields map[string]any
		byHand bool
	}{
		{nil, false},
		{map[string]any{}, true},
		{map[string]any{"horizon": "now"}, true},
		{map[string]any{"rank": int64(3), "priority": "must", "b<&>": "x\u2028y\"z", "a": "Grüße", "quarter": "2027-Q1", "aa": int64(-1), "c": "", "d": "\xff", "e": "tab\t"}, true},
		{map[string]any{"estimate": 2.5, "priority": "must"}, false},
		{map[string]any{"key_results": []model.KeyResult{{Metric: "NPS", Target: 40.0}}}, false},
		{map[string]any{"flag": true}, false},
	} {
		got, ok := appendJSONFields([]byte("x"), tc.fields)
		if ok != tc.byHand {
			t.Errorf("%v: written by hand %v, want %v", tc.fields, ok, tc.byHand)
		}
		if !ok {
			if string(got) != "x" {
				t.Errorf("%v: left %q behind", tc.fields, got)
			}
			continue
		}
		want, err := json.Marshal(tc.fields)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "x"+string(want) {
			t.Errorf("%v:\n%s\nwant\n%s", tc.fields, got[1:], want)
		}
	}
}

// TestJSONBodyLinks checks that model.json gives each document a body
// links to once, in the order of first links, and not the document
// itself, both for short bodies (looked back over) and long ones (a map).
func TestJSONBodyLinks(t *testing.T) {
	self := &model.Document{ID: "SELF", Kind: model.LookupKind("story")}
	a, b, c := &model.Document{ID: "A"}, &model.Document{ID: "B"}, &model.Document{ID: "C"}
	links := func(to ...*model.Document) []model.BodyLink {
		var ls []model.BodyLink
		for _, d := range to {
			ls = append(ls, model.BodyLink{To: d})
		}
		return ls
	}
	long := links(a, nil, self)
	for range 20 {
		long = append(long, links(b, a, self, nil)...)
	}
	long = append(long, links(c, b)...)
	for _, tc := range []struct {
		name  string
		links []model.BodyLink
		want  []string
	}{
		{"none", nil, nil},
		{"short", links(a, b, a, self, nil, c, b), []string{"A", "B", "C"}},
		{"long", long, []string{"A", "B", "C"}},
	} {
		self.BodyLinks = tc.links
		var got []string
		for _, l := range jsonDocOf(self).Links {
			if l.Field != "body" {
				t.Errorf("%s: a link of field %q", tc.name, l.Field)
			}
			got = append(got, l.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: body links %v, want %v", tc.name, got, tc.want)
		}
	}
	// modelJSON keeps the lists and the map from one document to the next:
	// a second long body links to what the first did, all the same.
	var jd jsonDoc
	var seen map[*model.Document]bool
	other := &model.Document{ID: "OTHER", Kind: self.Kind, BodyLinks: slices.Clone(long)}
	self.BodyLinks = long
	fillJSONDoc(&jd, self, &seen)
	fillJSONDoc(&jd, other, &seen)
	var got []string
	for _, l := range jd.Links {
		got = append(got, l.ID)
	}
	if want := []string{"A", "SELF", "B", "C"}; !slices.Equal(got, want) {
		t.Errorf("the second of two long bodies: body links %v, want %v", got, want)
	}
}
