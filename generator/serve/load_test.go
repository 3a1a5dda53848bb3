package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// openFDs counts this process's open file descriptors, or returns -1
// where /proc is absent.
func openFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// TestLoadWhileRebuilding serves a preview to many readers and event
// streams while it rebuilds, and checks that every request succeeds and
// that nothing is left running or open afterwards.
func TestLoadWhileRebuilding(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	const (
		readers     = 200
		getsEach    = 10
		streams     = 50
		rebuilds    = 100
		story       = "content/backlog/stories/story-1.md"
		storyMarker = "so that I pay faster."
	)
	pages := []string{
		"/", "/backlog/story-1/", "/backlog/story-2/", "/guides/writing/",
		"/assets/style.css", "/model.json", "/search/index.js", "/_productdocs/live.js",
	}
	dir := starter(t)
	p, _ := testPreview(t, dir)
	original := readFile(t, dir, story)
	if !strings.Contains(original, storyMarker) {
		t.Fatalf("%s has no %q", story, storyMarker)
	}

	runtime.GC()
	baseG, baseFD := runtime.NumGoroutine(), openFDs()

	srv := httptest.NewServer(p.h) // 127.0.0.1 only
	var closeOnce sync.Once
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	shutdown := func() {
		closeOnce.Do(func() {
			p.h.hub.close()
			tr.CloseIdleConnections()
			srv.Close()
		})
	}
	t.Cleanup(shutdown)
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var (
		wg       sync.WaitGroup
		errMu    sync.Mutex
		errs     []string
		requests atomic.Int64
		events   atomic.Int64
	)
	fail := func(format string, args ...any) {
		errMu.Lock()
		defer errMu.Unlock()
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}

	// The event streams connect first, so that they see the rebuilds.
	ready := make(chan struct{}, streams)
	for i := range streams {
		wg.Go(func() {
			sctx, scancel := context.WithTimeout(ctx, 15*time.Second)
			defer scancel()
			req, _ := http.NewRequestWithContext(sctx, "GET", srv.URL+eventsURL, nil)
			res, err := tr.RoundTrip(req)
			if err != nil {
				fail("stream %d: %v", i, err)
				ready <- struct{}{}
				return
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				fail("stream %d: status %d", i, res.StatusCode)
				ready <- struct{}{}
				return
			}
			r := bufio.NewReader(res.Body)
			got, signalled := 0, false
			// hello and two more events; a stream the hub closed for
			// falling behind ends early, which browsers reconnect from.
			for got < 3 {
				line, err := r.ReadString('\n')
				if err != nil {
					break
				}
				if strings.HasPrefix(line, "event: ") {
					got++
					events.Add(1)
					if !signalled {
						if line != "event: hello\n" {
							fail("stream %d: first event %q", i, line)
						}
						signalled = true
						ready <- struct{}{}
					}
				}
			}
			if !signalled {
				fail("stream %d: no hello", i)
				ready <- struct{}{}
			}
		})
	}
	for range streams {
		select {
		case <-ready:
		case <-ctx.Done():
			t.Fatal("the event streams did not connect")
		}
	}

	start := time.Now()
	for i := range readers {
		wg.Go(func() {
			for j := range getsEach {
				if ctx.Err() != nil {
					return
				}
				page := pages[(i+j)%len(pages)]
				req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+page, nil)
				res, err := client.Do(req)
				if err != nil {
					fail("GET %s: %v", page, err)
					continue
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				requests.Add(1)
				if err != nil {
					fail("GET %s: reading the body: %v", page, err)
				}
				if res.StatusCode < 200 || res.StatusCode > 299 {
					fail("GET %s: status %d", page, res.StatusCode)
				}
			}
		})
	}

	// The rebuilds, one at a time as the preview makes them, while the
	// requests run.
	var last string
	for i := range rebuilds {
		if ctx.Err() != nil {
			t.Fatal("the rebuilds took too long")
		}
		last = fmt.Sprintf("so that I pay faster, take %d.", i)
		writeFile(t, dir, story, strings.Replace(original, storyMarker, last, 1))
		if err := p.rebuild(ctx, Batch{Paths: []string{story}}); err != nil {
			t.Fatalf("rebuild %d: %v", i, err)
		}
	}
	wg.Wait()
	took := time.Since(start)
	for _, e := range errs {
		t.Error(e)
	}
	if n := requests.Load(); n != readers*getsEach {
		t.Errorf("%d requests answered, want %d", n, readers*getsEach)
	}
	// The last rebuild is served.
	res, err := client.Get(srv.URL + "/backlog/story-1/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), last) {
		t.Errorf("the story's page does not show the last rebuild's %q", last)
	}
	peakG, peakFD := runtime.NumGoroutine(), openFDs()

	shutdown()
	client.CloseIdleConnections()
	var g, fd int
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		g, fd = runtime.NumGoroutine(), openFDs()
		if (g <= baseG+5 && fd <= baseFD+5) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d requests, %d events, %d rebuilds in %s; goroutines %d before, %d at the end of the load, %d after; fds %d, %d, %d",
		requests.Load(), events.Load(), rebuilds, took.Round(time.Millisecond), baseG, peakG, g, baseFD, peakFD, fd)
	if g > baseG+5 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after closing everything, %d before:\n%s", g, baseG, buf[:runtime.Stack(buf, true)])
	}
	if baseFD >= 0 && fd > baseFD+5 {
		t.Errorf("%d open files after closing everything, %d before", fd, baseFD)
	}
}
