// Command sitegen writes a synthetic productdocs site for benchmarks and
// load tests:
//
//	go run ./generator/sitegen/cmd/sitegen -n 10000 [-mix code] -o DIR
//
// DIR must be empty or absent. The same -n and -seed give the same site.
package main

import (
	"flag"
	"fmt"
	"os"

	"productdocs/generator/sitegen"
)

func main() {
	n := flag.Int("n", 1000, "the number of documents")
	seed := flag.Int64("seed", 1, "the random seed")
	mix := flag.String("mix", "classic", "what bodies are made of: classic (prose, lists, tables, a small YAML block in a third) or code (most documents with code blocks in seven languages)")
	out := flag.String("o", "", "the `DIR` to write the site into (required; empty or absent)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	m, err := sitegen.ParseMix(*mix)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sitegen: -mix:", err)
		os.Exit(2)
	}
	if err := sitegen.Write(*out, sitegen.Options{Docs: *n, Seed: *seed, Mix: m}); err != nil {
		fmt.Fprintln(os.Stderr, "sitegen:", err)
		os.Exit(1)
	}
}
