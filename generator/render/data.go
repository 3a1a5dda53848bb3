package render

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"io"
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
	jd := jsonDoc{
		ID: d.ID, Kind: d.Kind.Name, Section: string(d.Section), File: d.File, Title: d.Title, URL: d.URL,
		Status: d.Status, Summary: d.Summary, Owner: d.Owner, Tags: d.Tags, Updated: d.Updated,
		Fields: d.Fields, Links: []jsonLink{}, Backlinks: []jsonLink{},
	}
	if d.Extra != nil {
		jd.Extra = d.Extra.Interface()
	}
	for _, ref := range d.Refs {
		id := ref.ID
		if ref.To != nil {
			id = ref.To.ID
		}
		jd.Links = append(jd.Links, jsonLink{ref.Field, id})
	}
	seen := map[*model.Document]bool{}
	for _, l := range d.BodyLinks {
		if l.To != nil && l.To != d && !seen[l.To] {
			seen[l.To] = true
			jd.Links = append(jd.Links, jsonLink{"body", l.To.ID})
		}
	}
	for _, ref := range d.Backlinks {
		jd.Backlinks = append(jd.Backlinks, jsonLink{ref.Field, ref.From.ID})
	}
	for _, m := range d.Mentions {
		jd.Backlinks = append(jd.Backlinks, jsonLink{"body", m.ID})
	}
	if c, t := Criteria(d); t > 0 {
		jd.Criteria = &jsonCriteria{c, t}
	}
	return jd
}

// modelJSON writes jsonModel as encoding/json's Encoder, indenting by one
// space, writes it, but a document at a time: the whole file, some 1.5 KB
// a document, would take hundreds of MB of memory for a large site, and
// as much again while indented.
func (r *Renderer) modelJSON(w io.Writer) error {
	title, err := json.Marshal(r.Site.Title)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n \"title\": ")
	bw.Write(title)
	bw.WriteString(",\n \"documents\": ")
	if len(r.Site.Model.Docs) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n  ")
		for i, d := range r.Site.Model.Docs {
			if i > 0 {
				bw.WriteString(",\n  ")
			}
			// Nested two deep: each line after the first starts with two
			// spaces more than the document's own indentation.
			b, err := json.MarshalIndent(jsonDocOf(d), "  ", " ")
			if err != nil {
				return err
			}
			bw.Write(b)
		}
		bw.WriteString("\n ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
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
	URL     string `json:"u"`
	Summary string `json:"s,omitempty"`
	Text    string `json:"x,omitempty"`
}

// searchIndex writes a script, not JSON, because a page opened from the
// file system may not fetch a file beside it, but may load a script.
//
// The entries are marshalled one by one, as json.Marshal of them all
// would write them, so that a large site's index need not be in memory
// twice.
func (r *Renderer) searchIndex(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("window.PRODUCTDOCS_SEARCH=[")
	limit := searchText(len(r.Site.Model.Docs))
	for i, d := range r.Site.Model.Docs {
		e := searchEntry{ID: d.ID, Title: d.Title, Kind: d.Kind.Name, URL: d.URL, Summary: d.Summary}
		if d.Body != nil {
			e.Text = truncate(d.Body.TextPrefix(), limit)
		}
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(b)
	}
	bw.WriteString("];\n")
	return bw.Flush()
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
