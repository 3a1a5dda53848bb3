// Command productdocs turns a product team's Markdown docs into a
// cross-linked, checked website. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"productdocs/generator/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
