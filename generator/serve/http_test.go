package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
)

// testPreview builds the site at dir into a preview without a watcher or
// a listener: the test feeds it batches.
func testPreview(t *testing.T, dir string) (*preview, *testkit.SyncBuffer) {
	t.Helper()
	out := &testkit.SyncBuffer{}
	fsys := os.DirFS(dir)
	p := newPreview(Options{Stdout: out, Stderr: out}, NewBuilder(fsys, liveURL, ""),
		&handler{fsys: fsys, hub: newHub(), hosts: newHostCheck("127.0.0.1:1313"), ping: 50 * time.Millisecond})
	if err := p.rebuild(context.Background(), Batch{All: true}); err != nil {
		t.Fatal(err)
	}
	return p, out
}

// serveTest serves p's handler on a test server. The event streams end
// before the server closes, as in Run, or closing would wait for them.
func serveTest(t *testing.T, p *preview) *httptest.Server {
	srv := httptest.NewServer(p.h)
	t.Cleanup(func() {
		p.h.hub.close()
		srv.Close()
	})
	return srv
}

func get(h http.Handler, method, target, host string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://127.0.0.1:1313/", nil)
	r.URL.Path = target // as the server decodes it, %2e%2e and all
	r.URL.RawPath = ""
	r.Host = host
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestServePages(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	writeFile(t, dir, "content/guides/flow.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`)
	p, _ := testPreview(t, dir)
	tests := []struct {
		name, method, path string
		code               int
		ctype              string
		body               string // a part of the body
	}{
		{"home", "GET", "/", 200, "text/html; charset=utf-8", `<script src="/_productdocs/live.js" defer></script>`},
		{"a story", "GET", "/backlog/story-1/", 200, "text/html; charset=utf-8", "Enter the address and card on one page"},
		{"a story's file", "GET", "/backlog/story-1/index.html", 200, "text/html; charset=utf-8", "Enter the address"},
		{"a page", "GET", "/guides/writing/", 200, "text/html; charset=utf-8", "Writing guide"},
		{"the stylesheet", "GET", "/assets/style.css", 200, "text/css; charset=utf-8", ""},
		{"a script", "GET", "/search/index.js", 200, "text/javascript; charset=utf-8", "PRODUCTDOCS_SEARCH"},
		{"the model", "GET", "/model.json", 200, "application/json", `"documents"`},
		{"a copied file", "GET", "/guides/flow.svg", 200, "image/svg+xml", "<svg"},
		{"the live script", "GET", "/_productdocs/live.js", 200, "text/javascript; charset=utf-8", "EventSource"},
		{"the overlay's styles", "GET", "/_productdocs/live.css", 200, "text/css; charset=utf-8", ".pd-overlay"},
		{"HEAD", "HEAD", "/backlog/story-1/", 200, "text/html; charset=utf-8", ""},
		{"not found", "GET", "/backlog/story-99/", 404, "text/html; charset=utf-8", "Page not found"},
		{"a source file", "GET", "/backlog/stories/story-1.md", 404, "text/html; charset=utf-8", "Page not found"},
		{"POST", "POST", "/", 405, "text/plain; charset=utf-8", "method not allowed"},
		{"PUT", "PUT", "/backlog/story-1/", 405, "text/plain; charset=utf-8", ""},
		{"OPTIONS", "OPTIONS", "/", 405, "text/plain; charset=utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(p.h, tt.method, tt.path, "127.0.0.1:1313")
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d", w.Code, tt.code)
			}
			if ct := w.Header().Get("Content-Type"); ct != tt.ctype {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			if !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("body does not have %q:\n%.300s", tt.body, w.Body.String())
			}
			if tt.method == "HEAD" {
				if w.Body.Len() != 0 || w.Header().Get("Content-Length") == "" {
					t.Errorf("HEAD: body of %d bytes, Content-Length %q", w.Body.Len(), w.Header().Get("Content-Length"))
				}
			}
			if tt.code == 405 && w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", w.Header().Get("Allow"))
			}
		})
	}
	t.Run("a folder without its slash", func(t *testing.T) {
		w := get(p.h, "GET", "/backlog/story-1", "127.0.0.1:1313")
		if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/backlog/story-1/" {
			t.Errorf("status %d, Location %q", w.Code, w.Header().Get("Location"))
		}
	})
}

func TestServePathsThatLeaveTheSite(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	p, _ := testPreview(t, dir)
	for _, path := range []string{
		"/../productdocs.yaml",
		"/backlog/../../productdocs.yaml",
		"/./index.html",
		"/assets/..",
		"//etc/passwd",
		"/assets//style.css",
		"/assets\\style.css",
		"/..\\productdocs.yaml",
		"/index.html\x00.css",
		"/content/index.md",
		"/productdocs.yaml",
	} {
		t.Run(path, func(t *testing.T) {
			w := get(p.h, "GET", path, "127.0.0.1:1313")
			if w.Code != http.StatusNotFound {
				t.Errorf("status %d, want 404", w.Code)
			}
			if strings.Contains(w.Body.String(), "title: My Product") {
				t.Error("served the settings file")
			}
		})
	}
	// And through a real server, which decodes %2e%2e itself.
	srv := serveTest(t, p)
	for _, raw := range []string{"/%2e%2e/productdocs.yaml", "/backlog/%2E%2E/%2e%2e/productdocs.yaml", "/%2e/index.html", "/a%5c..%5cproductdocs.yaml", "/a%00"} {
		res, err := rawGet(srv.Listener.Addr().String(), raw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(res, "HTTP/1.1 404") && !strings.HasPrefix(res, "HTTP/1.1 400") {
			t.Errorf("%s: %.40q, want 404", raw, res)
		}
		if strings.Contains(res, "title: My Product") {
			t.Errorf("%s: served the settings file", raw)
		}
	}
}

// rawGet sends a request line as written, without a client's cleaning.
func rawGet(addr, target string) (string, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_, _ = io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	b, err := io.ReadAll(c)
	return string(b), err
}

func TestServeHostHeader(t *testing.T) {
	dir := starter(t)
	p, _ := testPreview(t, dir)
	for _, tt := range []struct {
		host string
		code int
	}{
		{"127.0.0.1:1313", 200},
		{"localhost:1313", 200},
		{"LOCALHOST", 200},
		{"[::1]:1313", 200},
		{"docs.localhost:1313", 200},
		{"evil.example:1313", 403},
		{"evil.example", 403},
		{"127.0.0.1.evil.example", 403},
		{"192.168.1.20:1313", 403},
		{"", 403},
	} {
		if w := get(p.h, "GET", "/", tt.host); w.Code != tt.code {
			t.Errorf("Host %q: status %d, want %d", tt.host, w.Code, tt.code)
		}
	}
	// Listening on every address, the machine's addresses and name are
	// fine, and other names still are not.
	public := newHostCheck("0.0.0.0:1313")
	if !public.public {
		t.Error("0.0.0.0 is not public")
	}
	for host, want := range map[string]bool{"192.168.1.20:1313": true, "localhost": true, "evil.example": false} {
		if got := public.ok(host); got != want {
			t.Errorf("on 0.0.0.0, Host %q: %v, want %v", host, got, want)
		}
	}
	if newHostCheck("127.0.0.1:1313").public || newHostCheck("localhost:1313").public || newHostCheck("[::1]:80").public {
		t.Error("a loopback address is taken for public")
	}
}

// stream reads Server-Sent Events.
type stream struct {
	t    *testing.T
	body io.ReadCloser
	r    *bufio.Reader
	evs  chan sse
}

type sse struct {
	name string
	data string
}

func openStream(t *testing.T, url string) *stream {
	t.Helper()
	res, err := http.Get(url + "/_productdocs/events")
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	s := &stream{t: t, body: res.Body, r: bufio.NewReader(res.Body), evs: make(chan sse, 16)}
	go func() {
		defer close(s.evs)
		var ev sse
		for {
			line, err := s.r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "":
				if ev.name != "" {
					s.evs <- ev
				}
				ev = sse{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	t.Cleanup(func() { res.Body.Close() })
	return s
}

func (s *stream) next(name string, v any) {
	s.t.Helper()
	select {
	case ev, ok := <-s.evs:
		if !ok {
			s.t.Fatalf("the stream ended before a %q event", name)
		}
		if ev.name != name {
			s.t.Fatalf("event %q (%s), want %q", ev.name, ev.data, name)
		}
		if err := json.Unmarshal([]byte(ev.data), v); err != nil {
			s.t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		s.t.Fatalf("no %q event in 5 s", name)
	}
}

type changeEvent struct {
	Build string   `json:"build"`
	URLs  []string `json:"urls"`
}

type helloEvent struct {
	Build    string    `json:"build"`
	Problems *Problems `json:"problems"`
}

func TestServeEvents(t *testing.T) {
	dir := starter(t)
	p, out := testPreview(t, dir)
	srv := serveTest(t, p)
	s := openStream(t, srv.URL)

	var hello helloEvent
	s.next("hello", &hello)
	if hello.Build == "" || hello.Build != p.b.Current().Build || hello.Problems != nil {
		t.Fatalf("hello %+v", hello)
	}

	const story = "content/backlog/stories/story-1.md"
	edit(t, dir, story, "so that I pay faster.", "so that I pay at once.")
	if err := p.rebuild(context.Background(), Batch{Paths: []string{story}}); err != nil {
		t.Fatal(err)
	}
	// Two events: the edited document's page as soon as it is rendered,
	// then the rest, each URL named once.
	var ch, late changeEvent
	s.next("change", &ch)
	if want := "/backlog/story-1/"; strings.Join(ch.URLs, " ") != want || ch.Build == hello.Build {
		t.Errorf("first change %+v, want URLs %v and a new build", ch, want)
	}
	s.next("change", &late)
	if want := "/search/index.js"; strings.Join(late.URLs, " ") != want || late.Build == ch.Build || late.Build != p.b.Current().Build {
		t.Errorf("second change %+v, want URLs %v and the current build", late, want)
	}
	if st := p.h.state.Load(); st.early != ch.Build || strings.Join(st.late, " ") != "/search/index.js" {
		t.Errorf("state names early build %q and late URLs %v", st.early, st.late)
	}
	if !strings.Contains(out.String(), "Rebuilt 1 page in ") || !strings.Contains(out.String(), "the documents' pages in ") ||
		!strings.Contains(out.String(), "(content/backlog/stories/story-1.md)") {
		t.Errorf("terminal:\n%s", out)
	}

	// An error: every page hears of it, with the source around it.
	edit(t, dir, story, "title: Enter the address and card on one page", "title: Enter: the address")
	if err := p.rebuild(context.Background(), Batch{Paths: []string{story}}); err != nil {
		t.Fatal(err)
	}
	var pr Problems
	s.next("problems", &pr)
	if len(pr.Errors) == 0 {
		t.Fatalf("problems %+v", pr)
	}
	e := pr.Errors[0]
	if e.File != story || e.Line != 4 || e.Column != 8 || e.Code != "frontmatter" || len(e.Source) == 0 {
		t.Errorf("error %+v, want the frontmatter error at %s:4", e, story)
	}
	found := false
	for _, l := range e.Source {
		if l.N == 4 && strings.Contains(l.Text, "Enter: the address") {
			found = true
		}
	}
	if !found {
		t.Errorf("source lines %+v do not show line 4", e.Source)
	}
	if !strings.Contains(out.String(), "content/backlog/stories/story-1.md:4:") || !strings.Contains(out.String(), "Not rebuilt: 1 error") {
		t.Errorf("terminal:\n%s", out)
	}
	// The last good page is still served.
	if w := get(p.h, "GET", "/backlog/story-1/", "127.0.0.1:1313"); w.Code != 200 || !strings.Contains(w.Body.String(), "I pay at once") {
		t.Errorf("the last good page is gone: %d", w.Code)
	}
	// A page opened now hears of the errors on connecting.
	s2 := openStream(t, srv.URL)
	s2.next("hello", &hello)
	if hello.Problems == nil || len(hello.Problems.Errors) == 0 {
		t.Errorf("hello while broken: %+v", hello)
	}

	// Fixed: a change event clears the overlay. (Same title as before
	// the error: only the page's own file is rendered again.)
	edit(t, dir, story, "title: Enter: the address", "title: Enter the address and card on one page")
	if err := p.rebuild(context.Background(), Batch{Paths: []string{story}}); err != nil {
		t.Fatal(err)
	}
	s.next("change", &ch)
	s2.next("change", &ch)
	if len(ch.URLs) != 0 {
		t.Errorf("change %+v after a fix that restores the last good build", ch)
	}

	// Shutting down ends the streams.
	p.h.hub.close()
	select {
	case _, ok := <-s.evs:
		if ok {
			t.Error("an event after the close")
		}
	case <-time.After(5 * time.Second):
		t.Error("the stream did not end")
	}
}

func TestServeBeforeAGoodBuild(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	edit(t, dir, "content/backlog/stories/story-1.md", "kind: story", "kind: [story")
	p, _ := testPreview(t, dir)
	w := get(p.h, "GET", "/backlog/story-1/", "127.0.0.1:1313")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), liveURL) {
		t.Errorf("status %d, body:\n%s", w.Code, w.Body)
	}
	if w := get(p.h, "GET", "/_productdocs/live.js", "127.0.0.1:1313"); !strings.Contains(w.Body.String(), `return "";`) {
		t.Errorf("the live script of no build names one:\n%.200s", w.Body)
	}
}

func TestRun(t *testing.T) {
	dir := starter(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &testkit.SyncBuffer{}
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Root: dir, Addr: "127.0.0.1:0", Stdout: out, Stderr: out, Listening: func(u string) { urls <- u }})
	}()
	var url string
	select {
	case url = <-urls:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not start")
	}
	res, err := http.Get(url + "backlog/story-1/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Enter the address") {
		t.Fatalf("status %d", res.StatusCode)
	}
	s := openStream(t, strings.TrimSuffix(url, "/"))
	var hello helloEvent
	s.next("hello", &hello)

	// A save on disk, seen by the real watcher.
	edit(t, dir, "content/backlog/stories/story-1.md", "title: Enter the address and card on one page", "title: One page for address and card")
	var ch changeEvent
	s.next("change", &ch)
	if !strings.Contains(strings.Join(ch.URLs, " "), "/backlog/story-1/") {
		t.Errorf("change %+v", ch)
	}

	// The listings follow the page; then the terminal has its line.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(out.String(), "Rebuilt ") && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}

	// The same address again: taken.
	err = Run(ctx, Options{Root: dir, Addr: strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")})
	var le *ListenError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "in use") {
		t.Errorf("second server on the same port: %v", err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
	for _, want := range []string{"Built ", "Serving at http://127.0.0.1:", "Rebuilt "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("terminal has no %q:\n%s", want, out)
		}
	}
}
