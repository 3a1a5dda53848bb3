package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"productdocs/generator/lsp"
)

func lspFlags(fs *flag.FlagSet, o *options) {
	// No default: without -s the site is the workspace folder the editor
	// names when it starts the server.
	fs.StringVar(&o.source, "s", "", "")
	fs.StringVar(&o.source, "source", "", "the site root `DIR` (default: the editor's workspace folder)")
}

func runLSP(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "productdocs lsp: unexpected argument %q\n", args[0])
		return ExitTool
	}
	if o.source != "" {
		if fi, err := os.Stat(o.source); err != nil || !fi.IsDir() {
			fmt.Fprintf(e.stderr, "productdocs lsp: %s is not a folder\n", o.source)
			return ExitTool
		}
	}
	err := lsp.Serve(ctx, os.Stdin, e.stdout, lsp.Options{Root: o.source, Version: version(), Log: e.stderr})
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, lsp.ErrNoShutdown):
		// LSP's exit code for an exit without shutdown.
		return 1
	}
	fmt.Fprintf(e.stderr, "productdocs lsp: %v\n", err)
	return ExitTool
}
