// Package templates is productdocs' built-in theme, compiled into the
// binary. A site's own templates/ folder overrides these files by name;
// the README documents each template's data and functions.
package templates

import "embed"

// FS holds the theme's files at its root.
//
//go:embed *.html *.css *.js
var FS embed.FS
