// Package config reads productdocs.yaml, a site's optional settings:
//
//	title: Acme Checkout          # the product's name, in every page's header
//	base_url: https://docs.example.internal/checkout/
//	edit_url: https://git.example.internal/acme/docs/edit/main/
//	unsafe_html: false            # keep raw HTML of Markdown bodies
//	checks:                       # per-code severity: error, warning or off
//	  uncovered: error
//	  unknown-field: off
//	stale:                        # days an open item may go unchanged
//	  now: 30                     # initiatives, by horizon
//	  next: 90
//	  later: 180
//	  in-progress: 30             # epics and stories, by status
//	  open: 90                    # (proposed or planned)
//	internal_fields: [owner, rank, estimate, priority, extra, exact-dates]
//	                              # left out of the public site
//
// Every setting is optional and the zero Settings means the defaults. An
// unknown setting or a bad value is a diagnostic at its line and column.
package config

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"productdocs/generator/content"
	"productdocs/generator/diag"
)

// File is the name of the settings file in the site root.
const File = "productdocs.yaml"

// Settings are a site's settings.
type Settings struct {
	Title      string
	BaseURL    string
	EditURL    string
	UnsafeHTML bool
	Checks     diag.Levels
	Import     Import // see import.go
	// Stale are the stale check's limits (plan.go); nil means the defaults.
	Stale Stale
	// InternalFields are the fields the public site leaves out; nil
	// means DefaultInternalFields (see InternalOf).
	InternalFields []string
}

var known = []string{"title", "base_url", "edit_url", "unsafe_html", "checks", "import", "stale", "internal_fields"}

// parser is what the settings of plan.go are read with.
type parser struct {
	s      *Settings
	report func(p content.Pos, format string, args ...any)
}

// Parse reads settings from the bytes of productdocs.yaml. Problems are
// diagnostics on File; the settings that could be read are returned.
func Parse(src []byte) (Settings, []diag.Diagnostic) {
	var s Settings
	var ds []diag.Diagnostic
	report := func(p content.Pos, format string, args ...any) {
		ds = append(ds, diag.Diagnostic{File: File, Line: p.Line, Column: p.Column, Code: diag.CodeSettings, Message: fmt.Sprintf(format, args...)})
	}
	// Editors on Windows save a byte order mark, which would otherwise be
	// read as part of the first key.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	fm, prob := content.ParseYAML(src, 1)
	if prob != nil {
		report(prob.Pos, "%s", prob.Message)
		return s, ds
	}
	str := func(f *content.Field) (string, bool) {
		if f.Value.Kind != content.String {
			report(f.Value.Pos, "%s must be text, not %s", f.Key, f.Value.Kind)
			return "", false
		}
		return f.Value.Str, true
	}
	for _, f := range fm.Map {
		switch f.Key {
		case "title":
			s.Title, _ = str(f)
		case "base_url", "edit_url":
			v, ok := str(f)
			if !ok {
				continue
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				report(f.Value.Pos, "%s %q must be an absolute http or https URL", f.Key, v)
				continue
			}
			if !strings.HasSuffix(v, "/") {
				v += "/"
			}
			if f.Key == "base_url" {
				s.BaseURL = v
			} else {
				s.EditURL = v
			}
		case "unsafe_html":
			if f.Value.Kind != content.Bool {
				report(f.Value.Pos, "unsafe_html must be true or false, not %s", f.Value.Text())
				continue
			}
			s.UnsafeHTML = f.Value.Bool
		case "checks":
			if f.Value.Kind != content.Map {
				report(f.Value.Pos, "checks must be a mapping of check codes to error, warning or off")
				continue
			}
			s.Checks = diag.Levels{}
			for _, c := range f.Value.Map {
				if _, ok := diag.LookupCode(c.Key); !ok {
					report(c.KeyPos, "unknown check code %q (want one of %s)", c.Key, codeNames())
					continue
				}
				sev, ok := diag.ParseSeverity(c.Value.Str)
				if !ok || c.Value.Kind != content.String {
					report(c.Value.Pos, "the severity of %s must be error, warning or off, not %s", c.Key, c.Value.Text())
					continue
				}
				s.Checks[c.Key] = sev
			}
		case "import":
			s.Import = parseImport(f, report)
		case "stale":
			(&parser{&s, report}).stale(f)
		case "internal_fields":
			(&parser{&s, report}).internalFields(f)
		default:
			report(f.KeyPos, "unknown setting %q (want one of %s)", f.Key, strings.Join(known, ", "))
		}
	}
	return s, ds
}

func codeNames() string {
	names := make([]string, 0, len(diag.Codes))
	for _, c := range diag.Codes {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
