package cli

import (
	"fmt"
	"io"
	"os"

	"productdocs/generator"
	"productdocs/generator/diag"
)

// report writes the site's diagnostics to w in the chosen format, and to
// --output when set.
func report(e *env, o *options, site *generator.Site, w io.Writer) int {
	format := o.format
	if format == "" {
		format = "text"
	}
	r := site.Report()
	if o.output != "" {
		f, err := os.Create(o.output)
		if err == nil {
			err = diag.Write(f, format, r)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "productdocs: writing %s: %v\n", o.output, err)
			return ExitTool
		}
		format = "text"
	}
	if err := diag.Write(w, format, r); err != nil {
		fmt.Fprintf(e.stderr, "productdocs: %v\n", err)
		return ExitTool
	}
	return ExitOK
}
