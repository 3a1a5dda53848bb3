package generator

import (
	"bytes"
	"compress/gzip"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

// TestPrepareCopy makes a site's own HTML unable to run script, refuses
// SVG and XML that could, and leaves every other file, and everything
// under unsafe_html: true, as it is.
func TestPrepareCopy(t *testing.T) {
	const meta = `<meta http-equiv="Content-Security-Policy" content="` + copyCSP + `">`
	const svgNS = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">`
	tests := []struct {
		name, file, in string
		want           string // "" for refused
	}{
		{"html with a doctype", "a.html", "<!DOCTYPE html>\n<html><script>alert(1)</script>", "<!DOCTYPE html>" + meta + "\n<html><script>alert(1)</script>"},
		{"html with an odd doctype", "a.htm", `<!doctype html PUBLIC "x>y"><p onclick=x>`, `<!doctype html PUBLIC "x>` + meta + `y"><p onclick=x>`},
		{"html without one", "a.html", "<p>hi</p>", meta + "<p>hi</p>"},
		{"html after a byte order mark and blanks", "A.HTML", "\ufeff \n<!DOCTYPE html><p>", "\ufeff \n<!DOCTYPE html>" + meta + "<p>"},
		{"server-side includes", "a.shtml", "<p>", meta + "<p>"},
		{"html in UTF-16", "a.html", "\xff\xfe<\x00p\x00", ""},
		{"a clean svg", "a.svg", svgNS + `<circle r="1"/></svg>`, svgNS + `<circle r="1"/></svg>`},
		{"svg with a script", "a.svg", svgNS + `<script>alert(1)</script></svg>`, ""},
		{"svg with an event handler", "a.svg", svgNS + `<circle onload="alert(1)"/></svg>`, ""},
		{"svg with a javascript link", "a.svg", svgNS + `<a xlink:href=" jav&#x09;ascript:alert(1)"><text>x</text></a></svg>`, ""},
		{"svg animating a link into script", "a.svg", svgNS + `<a><set attributeName="href" to="javascript:alert(1)"/></a></svg>`, ""},
		{"svg with foreign html", "a.svg", svgNS + `<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>`, ""},
		{"svg with entities", "a.svg", `<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>` + svgNS + `&x;</svg>`, ""},
		{"svg that is not xml", "a.svg", `<svg><script>alert(1)</svg>`, ""},
		{"compressed svg with a script", "a.svgz", gz(svgNS + `<script>alert(1)</script></svg>`), ""},
		{"compressed clean svg", "a.svgz", gz(svgNS + `</svg>`), gz(svgNS + `</svg>`)},
		{"xml with xhtml script", "feed.xml", `<x><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></x>`, ""},
		{"xml with an xslt", "feed.xml", `<?xml-stylesheet type="text/xsl" href="a.xsl"?><x/>`, ""},
		{"plain xml", "feed.xml", `<?xml version="1.0"?><rss><item>a &amp; b</item></rss>`, `<?xml version="1.0"?><rss><item>a &amp; b</item></rss>`},
		{"not html", "a.js", "alert(1)", "alert(1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PrepareCopy(tt.file, []byte(tt.in), false)
			if tt.want == "" {
				if !Refused(err) {
					t.Errorf("PrepareCopy = %q, %v; want a refusal", got, err)
				}
			} else if err != nil || string(got) != tt.want {
				t.Errorf("PrepareCopy = %q, %v; want %q", got, err, tt.want)
			}
			if got, err := PrepareCopy(tt.file, []byte(tt.in), true); err != nil || string(got) != tt.in {
				t.Errorf("with unsafe_html: %q, %v; want the file as it is", got, err)
			}
		})
	}
	if _, err := PrepareCopy("bomb.svgz", []byte(gz(strings.Repeat(" ", 1<<20))), false); err != nil {
		t.Errorf("a compressed file within the bound: %v", err)
	}
}

// TestScriptedSVGIsReported loads a site with an SVG that runs script:
// check reports it where it is (refused-file) and the build leaves it
// out, unless the site says unsafe_html: true.
func TestScriptedSVGIsReported(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		fsys := fstest.MapFS{
			"content/index.md":   {Data: []byte("# Home\n")},
			"content/img/x.svg":  {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
			"content/img/ok.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		}
		if unsafe {
			fsys["productdocs.yaml"] = &fstest.MapFile{Data: []byte("unsafe_html: true\n")}
		}
		s, err := Load(t.Context(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range s.Diagnostics {
			got = append(got, d.File+" "+d.Code)
		}
		want := []string{"content/img/x.svg refused-file"}
		if unsafe {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("unsafe_html %v: diagnostics %q, want %q", unsafe, got, want)
		}
		if copied := slices.Contains(s.Model.Assets, "content/img/x.svg"); copied != unsafe {
			t.Errorf("unsafe_html %v: x.svg copied: %v", unsafe, copied)
		}
	}
}
