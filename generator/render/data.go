package render

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"productdocs/generator/markdown"
	"productdocs/generator/model"
)

// The schema of model.json, documented in the README. Field order is the
// struct order, so the file is the same for the same site.
type jsonModel struct {
	Title     string    `json:"title"`
	Documents []jsonDoc `json:"documents"`
}

type jsonDoc struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"`
	Section   string         `json:"section"`
	File      string         `json:"file"`
	Title     string         `json:"title"`
	URL       string         `json:"url"`
	Status    string         `json:"status"`
	Summary   string         `json:"summary,omitempty"`
	Owner     string         `json:"owner,omitempty"`
	Tags      []string       `json:"tags,omitempty"`
	Updated   string         `json:"updated,omitempty"`
	Fields    map[string]any `json:"fields"`
	Extra     any            `json:"extra,omitempty"`
	Links     []jsonLink     `json:"links"`
	Backlinks []jsonLink     `json:"backlinks"`
	Criteria  *jsonCriteria  `json:"acceptance_criteria,omitempty"`
}

type jsonLink struct {
	Field string `json:"field"` // a reference field, or "body" for a link in the text
	ID    string `json:"id"`
}

type jsonCriteria struct {
	Checked int `json:"checked"`
	Total   int `json:"total"`
}

// jsonDocOf is a document as model.json has it.
func jsonDocOf(d *model.Document) jsonDoc {
	var jd jsonDoc
	var seen map[*model.Document]bool
	fillJSONDoc(&jd, d, &seen)
	return jd
}

// fillJSONDoc makes jd the document d as model.json has it, reusing jd's
// lists of links and *seen, which modelJSON keeps from one document to
// the next: made afresh, they were a tenth of a large build's garbage.
func fillJSONDoc(jd *jsonDoc, d *model.Document, seen *map[*model.Document]bool) {
	links, backlinks := jd.Links[:0], jd.Backlinks[:0]
	if links == nil {
		links, backlinks = []jsonLink{}, []jsonLink{}
	}
	*jd = jsonDoc{
		ID: d.ID, Kind: d.Kind.Name, Section: string(d.Section), File: d.File, Title: d.Title, URL: d.URL,
		Status: d.Status, Summary: d.Summary, Owner: d.Owner, Tags: d.Tags, Updated: d.Updated,
		Fields: d.Fields,
	}
	if d.Extra != nil {
		jd.Extra = d.Extra.Interface()
	}
	for _, ref := range d.Refs {
		id := ref.ID
		if ref.To != nil {
			id = ref.To.ID
		}
		links = append(links, jsonLink{ref.Field, id})
	}
	// Most bodies link to a few documents: looking back over those beats
	// a map, which only long bodies use.
	long := len(d.BodyLinks) > 16
	if long {
		if *seen == nil {
			*seen = make(map[*model.Document]bool, len(d.BodyLinks))
		}
		clear(*seen)
	}
	for i, l := range d.BodyLinks {
		if l.To == nil || l.To == d {
			continue
		}
		if long {
			if (*seen)[l.To] {
				continue
			}
			(*seen)[l.To] = true
		} else if slices.ContainsFunc(d.BodyLinks[:i], func(e model.BodyLink) bool { return e.To == l.To }) {
			continue
		}
		links = append(links, jsonLink{"body", l.To.ID})
	}
	for _, ref := range d.Backlinks {
		backlinks = append(backlinks, jsonLink{ref.Field, ref.From.ID})
	}
	for _, m := range d.Mentions {
		backlinks = append(backlinks, jsonLink{"body", m.ID})
	}
	jd.Links, jd.Backlinks = links, backlinks
	if c, t := Criteria(d); t > 0 {
		jd.Criteria = &jsonCriteria{c, t}
	}
}

// modelJSON writes jsonModel as encoding/json's Encoder would, without
// indenting (a third of the file was the indentation: 14.7 MB at 10,000
// documents indented, 9.8 MB not, for the same content), but a document
// at a time (the whole file, some 1 KB a document, would take hundreds of
// MB of memory for a large site) and without reflection for all but the
// values of fields and extra, which a document has few of.
// TestDataStreamed holds it to encoding/json.
func (r *Renderer) modelJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var b []byte
	b = append(b, `{"title":`...)
	b = appendJSONString(b, r.Site.Title)
	b = append(b, `,"documents":`...)
	if len(r.Site.Model.Docs) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, '[')
		var jd jsonDoc
		var seen map[*model.Document]bool
		for i, d := range r.Site.Model.Docs {
			if i > 0 {
				b = append(b, ',')
			}
			fillJSONDoc(&jd, d, &seen)
			var err error
			if b, err = appendJSONDoc(b, &jd); err != nil {
				return err
			}
			if len(b) > 32<<10 {
				bw.Write(b)
				b = b[:0]
			}
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	bw.Write(b)
	return bw.Flush()
}

// appendJSONDoc appends a document of model.json as json.Marshal writes
// it.
func appendJSONDoc(b []byte, d *jsonDoc) ([]byte, error) {
	str := func(name, v string, omitEmpty bool) {
		if omitEmpty && v == "" {
			return
		}
		b = appendJSONString(b, name)
		b = append(b, ':')
		b = appendJSONString(b, v)
		b = append(b, ',')
	}
	b = append(b, '{')
	str("id", d.ID, false)
	str("kind", d.Kind, false)
	str("section", d.Section, false)
	str("file", d.File, false)
	str("title", d.Title, false)
	str("url", d.URL, false)
	str("status", d.Status, false)
	str("summary", d.Summary, true)
	str("owner", d.Owner, true)
	if len(d.Tags) > 0 {
		b = append(b, `"tags":[`...)
		for i, t := range d.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, t)
		}
		b = append(b, "],"...)
	}
	str("updated", d.Updated, true)
	// Fields and extra hold whatever a document's frontmatter gives them:
	// encoding/json writes those, but for fields of text and numbers.
	marshal := func(key string, x any) error {
		v, err := json.Marshal(x)
		b = append(append(append(b, '"'), key...), `":`...)
		b = append(append(b, v...), ',')
		return err
	}
	if fb, ok := appendJSONFields(append(b, `"fields":`...), d.Fields); ok {
		b = append(fb, ',')
	} else if err := marshal("fields", d.Fields); err != nil {
		return b, err
	}
	if d.Extra != nil {
		if err := marshal("extra", d.Extra); err != nil {
			return b, err
		}
	}
	links := func(name string, ls []jsonLink) {
		b = appendJSONString(b, name)
		b = append(b, ":["...)
		for i, l := range ls {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"field":`...)
			b = appendJSONString(b, l.Field)
			b = append(b, `,"id":`...)
			b = appendJSONString(b, l.ID)
			b = append(b, '}')
		}
		b = append(b, "],"...)
	}
	links("links", d.Links)
	links("backlinks", d.Backlinks)
	if c := d.Criteria; c != nil {
		b = append(b, `"acceptance_criteria":{"checked":`...)
		b = strconv.AppendInt(b, int64(c.Checked), 10)
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(c.Total), 10)
		b = append(b, "},"...)
	}
	b = b[:len(b)-1] // the last field's comma
	b = append(b, '}')
	return b, nil
}

// appendJSONFields appends fields as json.Marshal writes them, and
// reports true, when every value is text or a whole
// number, as nearly every document's are; otherwise it reports false,
// for encoding/json to write them. A few keys are sorted by insertion,
// without the slice encoding/json makes for each map.
func appendJSONFields(b []byte, fields map[string]any) ([]byte, bool) {
	if fields == nil {
		return b, false
	}
	if len(fields) == 0 {
		return append(b, "{}"...), true
	}
	var buf [8]string
	keys := buf[:0]
	for k, v := range fields {
		switch v.(type) {
		case string, int64:
		default:
			return b, false
		}
		i := len(keys)
		keys = append(keys, k)
		for ; i > 0 && keys[i-1] > k; i-- {
			keys[i] = keys[i-1]
		}
		keys[i] = k
	}
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		switch v := fields[k].(type) {
		case string:
			b = appendJSONString(b, v)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		}
	}
	return append(b, '}'), true
}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// (HTML characters escaped): by hand where s needs no escape, as nearly
// every ID, title and URL does, and by encoding/json where it does.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			if c >= utf8.RuneSelf && utf8.ValidString(s) && !strings.ContainsAny(s, "\u2028\u2029") && !needsJSONEscape(s) {
				break
			}
			v, _ := json.Marshal(s)
			return append(b, v...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// needsJSONEscape reports whether s has an ASCII byte that encoding/json
// escapes.
func needsJSONEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return true
		}
	}
	return false
}

// searchTextLimit bounds the body text each document contributes to the
// search index, so that the index of a very large site stays a download a
// browser takes in stride.
const searchTextLimit = markdown.TextPrefixLen

// searchTextBudget bounds the body text of the whole index: past 13,000
// documents, each contributes less than searchTextLimit, so that the
// index of 100,000 documents is some 25 MB rather than 80.
const searchTextBudget = 8_000_000

// searchText is how much body text each of n documents contributes.
func searchText(n int) int {
	if n == 0 {
		return searchTextLimit
	}
	return min(searchTextLimit, searchTextBudget/n)
}

type searchEntry struct {
	ID      string `json:"i"`
	Title   string `json:"t"`
	Kind    string `json:"k"`
	URL     string `json:"u"` // escaped, as a link's href from the site root
	Summary string `json:"s,omitempty"`
	Text    string `json:"x,omitempty"`
}

// searchIndex writes a script, not JSON, because a page opened from the
// file system may not fetch a file beside it, but may load a script; its
// entries are sealed, so that a page of another origin that loads it
// learns nothing (searchkey.go).
//
// The entries are marshalled one by one, as json.Marshal of them all
// would write them, so that a large site's index need not be in memory
// twice.
func (r *Renderer) searchIndex(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("window.PRODUCTDOCS_SEARCH=[")
	limit := searchText(len(r.Site.Model.Docs))
	key := r.Site.searchKey()
	var b, plain []byte
	for i, d := range r.Site.Model.Docs {
		e := searchEntryOf(d, limit)
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		plain = appendSearchEntry(plain[:0], e)
		b = sealEntry(b, key, plain) // see searchkey.go
		bw.Write(b)
	}
	bw.WriteString("];\n")
	return bw.Flush()
}

// appendSearchEntry appends an entry as json.Marshal writes it.
func appendSearchEntry(b []byte, e searchEntry) []byte {
	b = append(b, `{"i":`...)
	b = appendJSONString(b, e.ID)
	b = append(b, `,"t":`...)
	b = appendJSONString(b, e.Title)
	b = append(b, `,"k":`...)
	b = appendJSONString(b, e.Kind)
	b = append(b, `,"u":`...)
	b = appendJSONString(b, e.URL)
	if e.Summary != "" {
		b = append(b, `,"s":`...)
		b = appendJSONString(b, e.Summary)
	}
	if e.Text != "" {
		b = append(b, `,"x":`...)
		b = appendJSONString(b, e.Text)
	}
	return append(b, '}')
}

// searchEntryOf is d's entry of the search index, where each document has
// limit bytes of its text at most.
func searchEntryOf(d *model.Document, limit int) searchEntry {
	e := searchEntry{ID: d.ID, Title: d.Title, Kind: d.Kind.Name, URL: escapePath(d.URL), Summary: d.Summary}
	if d.Body != nil {
		e.Text = truncate(d.Body.TextPrefix(), limit)
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func (r *Renderer) sitemap(w io.Writer) error {
	type loc struct {
		Loc string `xml:"loc"`
	}
	set := struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []loc    `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, j := range r.Jobs() {
		if j.Kind == "asset" || j.Kind == "content" || j.Kind == "data" || j.Kind == "404.html" {
			continue
		}
		set.URLs = append(set.URLs, loc{r.Site.BaseURL + escapePath(j.URL)})
	}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(set); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
