// Package templates is productdocs' built-in theme, embedded in the
// binary. A site's own templates/ folder overrides these files by name;
// the manual (content/guides/templates.md) documents each template's data
// and functions.
package templates

import "embed"

// FS holds the theme's files at its root.
//
//go:embed *.html *.css *.js
var FS embed.FS
