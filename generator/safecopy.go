package generator

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"productdocs/generator/internal/sysfs"
)

// A site's own HTML, SVG and XML files are copied to the output, where
// they are served from the site's origin. Opened there, a script in one
// would run with the site's pages and data, round the escaping of raw HTML
// that unsafe_html: false keeps in Markdown. Unless the settings say
// unsafe_html: true, such a file is therefore made unable to run script:
//
//   - HTML (.html, .htm, .shtml) gets a Content-Security-Policy meta tag
//     as its first element, which forbids every script, plugin, <base> and
//     form submission in it; the page shows as before, without script.
//   - XML that a browser renders (.svg, .svgz, .xhtml, .xht, .xml, .xsl,
//     .xslt) cannot hold such a tag, so one that can run script (a script
//     element, an on… attribute, a javascript: URL, a foreignObject, an
//     XSLT stylesheet instruction) is not copied, with a diagnostic; other
//     files are copied as they are. One that cannot be read as XML is not
//     copied either: what it does cannot be known.

// copyCSP is the policy put into a copied HTML file.
const copyCSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"

// htmlExts and xmlExts are the kinds of copied files that a browser runs
// script in, by how they are made safe.
var (
	htmlExts = map[string]bool{".html": true, ".htm": true, ".shtml": true}
	xmlExts  = map[string]bool{".svg": true, ".svgz": true, ".xhtml": true, ".xht": true, ".xml": true, ".xsl": true, ".xslt": true}
)

// activeCopy reports whether the copied file name is one that PrepareCopy
// may change or refuse, and so must be read whole rather than streamed.
func activeCopy(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return htmlExts[ext] || xmlExts[ext]
}

// PrepareCopy returns the bytes to write for the site's file name, which
// holds data: data itself, an HTML file with the policy put in, or an
// error that is sysfs.ErrRefused (see Refused) and says why the file is
// not copied. unsafeHTML is the site's unsafe_html setting.
func PrepareCopy(name string, data []byte, unsafeHTML bool) ([]byte, error) {
	if unsafeHTML || !activeCopy(name) {
		return data, nil
	}
	ext := strings.ToLower(path.Ext(name))
	if htmlExts[ext] {
		return withPolicy(data)
	}
	src := data
	if ext == ".svgz" {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, refusedCopy("it cannot be read as gzip-compressed SVG (" + err.Error() + ")")
		}
		// The same bound as for a copied file: a small file must not
		// unpack into gigabytes.
		src, err = sysfs.ReadAllInto(zr, nil, AssetLimit)
		if err != nil {
			return nil, refusedCopy("it cannot be read as gzip-compressed SVG (" + err.Error() + ")")
		}
	}
	if why := activeXML(src); why != "" {
		return nil, refusedCopy(why + "; a browser would run it on the site's origin (unsafe_html: true copies such files as they are)")
	}
	return data, nil
}

func refusedCopy(why string) error { return sysfs.Refuse(why) }

// withPolicy puts the policy into an HTML file where a browser reads it
// before anything that could run: after a byte order mark, blanks and a
// doctype (before the doctype, it would put the page into quirks mode).
// A file in UTF-16, where an ASCII tag would not be read as one, is
// refused.
func withPolicy(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.IndexByte(data, 0) >= 0 {
		return nil, refusedCopy("it is not ASCII-compatible text (UTF-16?), so no policy against script can be put into it")
	}
	at := 0
	if bytes.HasPrefix(data, []byte("\ufeff")) {
		at = 3
	}
	for at < len(data) && strings.IndexByte(" \t\r\n\f", data[at]) >= 0 {
		at++
	}
	if len(data)-at >= 9 && strings.EqualFold(string(data[at:at+9]), "<!doctype") {
		// The tokenizer ends a doctype at its first ">", quoted or not.
		if end := bytes.IndexByte(data[at:], '>'); end >= 0 {
			at += end + 1
		}
	}
	tag := `<meta http-equiv="Content-Security-Policy" content="` + copyCSP + `">`
	out := make([]byte, 0, len(data)+len(tag)+1)
	out = append(out, data[:at]...)
	out = append(out, tag...)
	return append(out, data[at:]...), nil
}

// activeXML says what in an XML document can run script, or "" if
// nothing can. Namespaces are ignored: a <script> runs in SVG as in
// XHTML.
func activeXML(src []byte) string {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = true
	d.Entity = map[string]string{} // only XML's own entities: a DTD's could hide a name
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return ""
		}
		if err != nil {
			return fmt.Sprintf("it cannot be read as XML (%v), so what it runs cannot be known", err)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if strings.EqualFold(t.Target, "xml-stylesheet") {
				return "it names a stylesheet (<?xml-stylesheet?>), which can be XSLT that writes script"
			}
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return "it declares entities, which can hide what it holds"
			}
		case xml.StartElement:
			switch strings.ToLower(t.Name.Local) {
			case "script", "foreignobject", "iframe", "embed", "object", "handler", "listener":
				return fmt.Sprintf("it has a <%s> element", t.Name.Local)
			}
			for _, a := range t.Attr {
				n := strings.ToLower(a.Name.Local)
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1 // browsers skip blanks and controls in a URL's scheme
					}
					return r
				}, a.Value))
				switch {
				case strings.HasPrefix(n, "on"):
					return fmt.Sprintf("it has an event handler (%s= on <%s>)", a.Name.Local, t.Name.Local)
				case strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") || strings.Contains(v, "data:text/html") || strings.Contains(v, "data:application/xhtml") || strings.Contains(v, "data:image/svg"):
					return fmt.Sprintf("it has a URL that runs script (%s= on <%s>)", a.Name.Local, t.Name.Local)
				}
			}
		}
	}
}
