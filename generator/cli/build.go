package cli

import (
	"context"
	"fmt"
)

func runBuild(ctx context.Context, e *env, o *options, args []string) int {
	fmt.Fprintln(e.stderr, "productdocs build: not yet implemented")
	return ExitTool
}

func runServe(ctx context.Context, e *env, o *options, args []string) int {
	fmt.Fprintln(e.stderr, "productdocs serve: not yet implemented")
	return ExitTool
}
