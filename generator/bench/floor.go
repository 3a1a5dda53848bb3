package bench

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/adrg/frontmatter"
	"github.com/yuin/goldmark"
)

// FloorResult is what a floor run read and wrote.
type FloorResult struct {
	Docs int   // .md files read
	HTML int64 // bytes of HTML made, so that the work cannot be skipped
}

// Floor does the least work any generator must do for the site rooted at
// root: it reads every .md file under content/, splits off the frontmatter
// with github.com/adrg/frontmatter (decoding it, as a generator must), and
// converts the body to HTML with goldmark's defaults, on every core. It
// writes nothing, resolves no link and runs no template, so no real build
// can be faster: a build's time over the floor's is what its pages,
// checks and output cost.
func Floor(root string) (FloorResult, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return FloorResult{}, err
	}
	md := goldmark.New()
	var (
		next, html atomic.Int64
		wg         sync.WaitGroup
		mu         sync.Mutex
		errs       []error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				if err := floorFile(md, files[i], &out); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					return
				}
				html.Add(int64(out.Len()))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return FloorResult{}, err
	}
	return FloorResult{Docs: len(files), HTML: html.Load()}, nil
}

func floorFile(md goldmark.Markdown, name string, out *bytes.Buffer) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var fm map[string]any
	body, err := frontmatter.Parse(bytes.NewReader(src), &fm)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	out.Reset()
	return md.Convert(body, out)
}
