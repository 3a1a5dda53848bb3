package cli

import (
	"flag"
	"fmt"

	"productdocs/generator/markdown"
)

func cacheFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.cache, "cache-dir", "", "keep highlighted code between runs in `DIR` (default: productdocs in the user's cache folder)")
}

// useCache puts the cache of highlighted code in use for a build or a
// preview, and returns what ends its use. A cache that cannot be opened
// costs only its saving: the run goes on without one, saying so where
// the user named the folder.
func useCache(e *env, cmd string, o *options) func() {
	dir := o.cache
	if dir == "" {
		d, err := markdown.DefaultCacheDir()
		if err != nil {
			return func() {}
		}
		dir = d
	}
	c, err := markdown.OpenHighlightCache(dir)
	if err != nil {
		if o.cache != "" {
			fmt.Fprintf(e.stderr, "productdocs %s: not keeping highlighted code in %s: %v\n", cmd, dir, err)
		}
		return func() {}
	}
	prev := markdown.UseHighlightCache(c)
	return func() {
		markdown.UseHighlightCache(prev)
		c.Close()
	}
}
