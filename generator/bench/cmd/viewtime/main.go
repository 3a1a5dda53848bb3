// Command viewtime measures the working views of a built site in headless
// Chromium: each page's size, and how long after navigation starts its
// filters are in place (the views' script marks "views-applied" when it
// has drawn the view), then how long one change of grouping or filter
// takes to redraw. It opens the pages from the file system, as a user
// with the output folder would.
//
//	go run ./generator/sitegen/cmd/sitegen -n 10000 -o /tmp/s10k
//	SOURCE_DATE_EPOCH=1796688000 go run . build -s /tmp/s10k -o /tmp/o10k
//	go run ./generator/bench/cmd/viewtime -site /tmp/o10k -runs 5
//
// It reports the median of the runs. It is a measurement, not a test:
// the times depend on the machine.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/chromedp/chromedp"
)

type view struct {
	page, query string
	change      string // JavaScript that changes the view through its controls
}

var views = []view{
	{"backlog/index.html", "", `(function(){var s=document.getElementById("f-group");s.value="epic";s.dispatchEvent(new Event("change",{bubbles:true}))})()`},
	{"backlog/index.html", "status=in-progress&hide=done,dropped&group=epic", `(function(){var s=document.getElementById("f-group");s.value="owner";s.dispatchEvent(new Event("change",{bubbles:true}))})()`},
	{"strategy/roadmap/index.html", "", `(function(){var s=document.getElementById("f-status");s.value="in-progress";s.dispatchEvent(new Event("change",{bubbles:true}))})()`},
	{"strategy/roadmap/index.html", "status=in-progress&quarter=now", `(function(){var s=document.getElementById("f-status");s.value="";s.dispatchEvent(new Event("change",{bubbles:true}))})()`},
}

func main() {
	site := flag.String("site", "", "the built site's `DIR`")
	runs := flag.Int("runs", 5, "runs of each view; the median is reported")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the browser")
	flag.Parse()
	if *site == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*site, *runs, *chromium); err != nil {
		fmt.Fprintln(os.Stderr, "viewtime:", err)
		os.Exit(1)
	}
}

func run(site string, runs int, chromium string) error {
	abs, err := filepath.Abs(site)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	actx, cancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium), chromedp.Flag("headless", true),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.WindowSize(1400, 1000))
	defer cancel()
	fmt.Printf("%-28s %-48s %7s %8s %8s %8s\n", "page", "query", "HTML", "parsed", "ready", "change")
	for _, v := range views {
		fi, err := os.Stat(filepath.Join(abs, v.page))
		if err != nil {
			return err
		}
		var parsed, ready, change []time.Duration
		for range runs {
			p, r, c, err := measure(actx, abs, v)
			if err != nil {
				return fmt.Errorf("%s?%s: %w", v.page, v.query, err)
			}
			parsed, ready, change = append(parsed, p), append(ready, r), append(change, c)
		}
		fmt.Printf("%-28s %-48s %6.0fK %8v %8v %8v\n", v.page, v.query, float64(fi.Size())/1024, median(parsed), median(ready), median(change))
	}
	if fi, err := os.Stat(filepath.Join(abs, "backlog/items.js")); err == nil {
		fmt.Printf("backlog/items.js: %.0fK\n", float64(fi.Size())/1024)
	}
	return nil
}

// measure opens a view in a fresh tab and returns when the page was
// parsed (the browser's domInteractive, before any deferred script) and
// when its filter was in place, both from the start of navigation, and
// how long a change took.
func measure(actx context.Context, root string, v view) (parsed, ready, change time.Duration, err error) {
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(root, v.page)), RawQuery: v.query}
	if err := chromedp.Do(ctx, chromedp.Navigate(u.String())); err != nil {
		return 0, 0, 0, err
	}
	const mark = `performance.getEntriesByName("views-applied")`
	var readyMs float64
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(`+mark+`[0] || {startTime: -1}).startTime`))
		if err != nil {
			return 0, 0, 0, err
		}
		if n >= 0 {
			readyMs = n
			break
		}
		if time.Now().After(deadline) {
			return 0, 0, 0, fmt.Errorf("the view never marked views-applied")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The change: from just before the control changes to the mark after
	// the redraw, both read in the page.
	parsedMs, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].domInteractive`))
	if err != nil {
		return 0, 0, 0, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__t0 = performance.now(), window.__n = `+mark+`.length, `+v.change+`, true`)); err != nil {
		return 0, 0, 0, err
	}
	var took float64
	for {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(function(){var m = `+mark+`; return m.length > window.__n ? m[m.length-1].startTime - window.__t0 : -1})()`))
		if err != nil {
			return 0, 0, 0, err
		}
		if n >= 0 {
			took = n
			break
		}
		if time.Now().After(deadline) {
			return 0, 0, 0, fmt.Errorf("the change never redrew")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return ms(parsedMs), ms(readyMs), ms(took), nil
}

func ms(f float64) time.Duration {
	return time.Duration(f * float64(time.Millisecond)).Round(time.Millisecond)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
