package render

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

// TestSearchIndexSealed renders the search index of a site and reads it as
// another origin would: none of its IDs, titles or text is there; with
// the key the search page holds, every entry opens to what the index
// held before it was sealed.
func TestSearchIndexSealed(t *testing.T) {
	s := NewSite(loadModel(t, fstest.MapFS{
		"content/backlog/secret-plan.md": {Data: []byte("---\nid: STORY-42\nkind: page\ntitle: Acquire Initech\nsummary: Confidential\n---\nThe board meets on Friday.\n")},
		"content/guides/Grüße & more.md": {Data: []byte("# Grüße\n\nÜber <alles>.\n")},
	}), "Acme", "", "", nil)
	r := &Renderer{Site: s}
	var b bytes.Buffer
	if err := r.searchIndex(&b); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"STORY-42", "Acquire", "Initech", "Confidential", "board", "Grüße", "secret-plan"} {
		if strings.Contains(b.String(), secret) {
			t.Errorf("the index shows %q to anyone who loads it:\n%s", secret, b.String())
		}
	}
	js := strings.TrimSuffix(strings.TrimPrefix(b.String(), "window.PRODUCTDOCS_SEARCH="), ";\n")
	var sealed []string
	if err := json.Unmarshal([]byte(js), &sealed); err != nil {
		t.Fatalf("the index is not an array of strings: %v\n%s", err, b.String())
	}
	key := s.searchKey()
	if s.SearchKey() != strings.ToLower(s.SearchKey()) || len(s.SearchKey()) != 64 {
		t.Errorf("SearchKey() = %q", s.SearchKey())
	}
	var got []searchEntry
	for _, e := range sealed {
		if !strings.HasPrefix(e, "~") {
			t.Fatalf("entry %q does not start with ~", e)
		}
		raw, err := base64.StdEncoding.DecodeString(e[1:])
		if err != nil {
			t.Fatal(err)
		}
		var se searchEntry
		if err := json.Unmarshal(openEntry(key, raw), &se); err != nil {
			t.Fatalf("an entry does not open: %v", err)
		}
		got = append(got, se)
	}
	limit := searchText(len(s.Model.Docs))
	for i, d := range s.Model.Docs {
		if want := searchEntryOf(d, limit); got[i] != want {
			t.Errorf("entry %d opens to %+v, want %+v", i, got[i], want)
		}
	}
	// The same site seals the same; another site's key is another.
	var again bytes.Buffer
	r.searchIndex(&again)
	if !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Error("the index is not the same byte for byte")
	}
	other := NewSite(loadModel(t, fstest.MapFS{"content/backlog/secret-plan.md": {Data: []byte("---\nid: STORY-43\nkind: page\n---\n")}}), "Acme", "", "", nil)
	if other.SearchKey() == s.SearchKey() {
		t.Error("two sites with other documents have one key")
	}
}

// plainIndex is a search index with its entries opened, as search.js
// reads it.
func plainIndex(t *testing.T, s *SiteView, js string) string {
	t.Helper()
	b, err := OpenSearchIndex(s.SearchKey(), []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
