package main

import (
	"fmt"

	"productdocs/generator/config"
)

func main() {
	for _, src := range []string{"\ufefftitle: x\nbogus: 1\n", "title:\n", "title", "checks:\n  cycle:\n"} {
		s, ds := config.Parse([]byte(src))
		fmt.Printf("%q %+v %v\n", src, s, ds)
	}
}
