package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"productdocs/generator"
	"productdocs/generator/check"
	"productdocs/generator/gitlog"
)

// audienceFlag is --audience, of build and serve.
func audienceFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.audience, "audience", "internal", "the `AUDIENCE` to build for: internal (every document) or public (the audience: public documents alone, without internal fields)")
}

// loadOptions works out, once, what a load reads besides the site's
// files: today's date, from SOURCE_DATE_EPOCH or the clock, and the
// site's git history. Of a shallow clone, whose dates would be wrong, it
// says so, once.
func loadOptions(ctx context.Context, e *env, name string, o *options) (generator.LoadOptions, error) {
	getenv := e.getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	today, err := check.Today(getenv, time.Now)
	if err != nil {
		return generator.LoadOptions{}, err
	}
	if name == "new" {
		return generator.LoadOptions{Today: today}, nil // it reads IDs alone
	}
	h, err := gitlog.Read(ctx, o.source)
	if err != nil {
		return generator.LoadOptions{}, err
	}
	if h.Surprising {
		fmt.Fprintf(e.stderr, "productdocs %s: note: %s\n", name, h.Note)
	}
	return generator.LoadOptions{Today: today, History: h, Audience: o.audience}, nil
}
