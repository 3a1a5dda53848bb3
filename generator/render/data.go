package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
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

func (r *Renderer) modelJSON(w *bytes.Buffer) error {
	m := jsonModel{Title: r.Site.Title, Documents: make([]jsonDoc, 0, len(r.Site.Model.Docs))}
	for _, d := range r.Site.Model.Docs {
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
		m.Documents = append(m.Documents, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(m)
}

// searchTextLimit bounds the body text each document contributes to the
// search index, so that the index of a very large site stays a download a
// browser takes in stride.
const searchTextLimit = 600

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
func (r *Renderer) searchIndex(w *bytes.Buffer) error {
	entries := make([]searchEntry, 0, len(r.Site.Model.Docs))
	for _, d := range r.Site.Model.Docs {
		e := searchEntry{ID: d.ID, Title: d.Title, Kind: d.Kind.Name, URL: d.URL, Summary: d.Summary}
		if d.Body != nil {
			e.Text = truncate(plainText(d.Body), searchTextLimit)
		}
		entries = append(entries, e)
	}
	b, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	w.WriteString("window.PRODUCTDOCS_SEARCH=")
	w.Write(b)
	w.WriteString(";\n")
	return nil
}

func plainText(d *markdown.Doc) string { return d.PlainText() }

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

func (r *Renderer) sitemap(w *bytes.Buffer) error {
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
	w.WriteString(xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(set); err != nil {
		return err
	}
	w.WriteString("\n")
	return nil
}
