// Command gentheme writes theme_gen.go, the built-in theme's pages
// compiled to Go (see generator/render/compile.go). `go generate
// ./generator/render` runs it.
package main

import (
	"fmt"
	"os"

	"productdocs/generator/render"
	"productdocs/templates"
)

func main() {
	src, err := render.GenerateTheme(templates.FS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentheme:", err)
		os.Exit(1)
	}
	if err := os.WriteFile("theme_gen.go", src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gentheme:", err)
		os.Exit(1)
	}
}
