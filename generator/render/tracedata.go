package render

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// The trace page's warnings as data, for its filter: the page lists them
// a page at a time (paginate.go), and the filter must cover every one, as
// the backlog's does (backlog.go, whose escaping this file shares).

// warningsDataPath is where the warnings are written.
const warningsDataPath = "trace/warnings.js"

// warningsData writes window.PRODUCTDOCS_WARNINGS = {"checks": ...,
// "rows": [...]}: checks is the URL of the manual's page that explains
// each code ("" for none), and each row a warning, in the order of
// Site.Warnings:
//
//	[file, line, column, code, message, section, owner, id, title, url, kind]
//
// where section is as SectionOf has it, and owner, id, title, url and kind
// are those of the file's document ("" for a file that is no document's).
func (r *Renderer) warningsData(w io.Writer) error {
	s := r.Site
	bw := bufio.NewWriterSize(w, 64<<10)
	var p Page
	p.Site = s
	checks := ""
	if s.index().checks {
		checks = "guides/checks/"
	}
	var b []byte
	b = append(b, "window.PRODUCTDOCS_WARNINGS={\"checks\":"...)
	b = appendJSONString(b, checks)
	b = append(b, ",\"rows\":["...)
	for i, d := range s.Warnings {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, '[')
		b = appendJSONString(b, d.File)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d.Line), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(d.Column), 10)
		owner, id, title, url, kind := "", "", "", "", ""
		if doc := s.Model.ByPath(strings.TrimPrefix(d.File, "content/")); doc != nil {
			owner, id, title, url, kind = doc.Owner, doc.ID, doc.Title, doc.URL, doc.Kind.Name
		}
		for _, v := range []string{d.Code, d.Message, p.SectionOf(d.File), owner, id, title, url, kind} {
			b = append(b, ',')
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
		if len(b) > 32<<10 {
			bw.Write(b)
			b = b[:0]
		}
	}
	b = append(b, "]};\n"...)
	bw.Write(b)
	return bw.Flush()
}
