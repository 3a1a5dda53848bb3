package cli

import (
	"context"
	"fmt"
	"os"

	"productdocs/generator/diag"
	"productdocs/generator/serve"
)

// runServe previews the site: it builds it into memory, serves it, and
// rebuilds and reloads the browser on every change, until ctx is done
// (Ctrl-C), which is a success.
func runServe(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "productdocs serve: unexpected argument %q\n", args[0])
		return ExitTool
	}
	fi, err := os.Stat(o.source)
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs serve: %s\n", diag.Printable(err.Error()))
		return ExitTool
	}
	if !fi.IsDir() {
		fmt.Fprintf(e.stderr, "productdocs serve: %s is not a folder\n", o.source)
		return ExitTool
	}
	lo, err := loadOptions(ctx, e, "serve", o)
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs serve: %v\n", err)
		return ExitTool
	}
	defer useCache(e, "serve", o)()
	err = serve.Run(ctx, serve.Options{
		Root: o.source, Addr: o.addr, BaseURL: o.baseURL, Poll: o.poll, Load: lo,
		Stdout: e.stdout, Stderr: e.stderr,
	})
	if err != nil {
		// A port in use (serve.ListenError) or a site that cannot be read.
		fmt.Fprintf(e.stderr, "productdocs serve: %s\n", diag.Printable(err.Error()))
		return ExitTool
	}
	return ExitOK
}
