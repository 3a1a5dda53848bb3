package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"productdocs/generator"
)

// TestIdleConnectionsClosed opens a keep-alive connection, makes one
// request and leaves it idle: the server must close it after its idle
// timeout, or a client could hold hundreds open for ever.
func TestIdleConnectionsClosed(t *testing.T) {
	old := idleTimeout
	idleTimeout = 200 * time.Millisecond
	t.Cleanup(func() { idleTimeout = old })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	if srv.ReadHeaderTimeout <= 0 {
		t.Error("no ReadHeaderTimeout: a client sending its headers a byte at a time holds a connection")
	}
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = br.ReadByte()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("an idle keep-alive connection is still open after 5 s")
	}
}

// TestCopiesFromTheLastGoodBuild serves a copied file, then breaks the
// site and changes the file in every way: edited, deleted, replaced by a
// link to a secret. While the site has errors the last good build is
// served, copied files included, as they were when it was made.
func TestCopiesFromTheLastGoodBuild(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	outside := t.TempDir()
	writeFile(t, outside, "secret.txt", "SECRET")
	writeFile(t, dir, "content/guides/notes.txt", "version 1")
	p, _ := testPreview(t, dir)
	body := func() string {
		w := get(p.h, "GET", "/guides/notes.txt", "127.0.0.1:1313")
		return w.Body.String()
	}
	if got := body(); got != "version 1" {
		t.Fatalf("served %q", got)
	}
	writeFile(t, dir, "content/backlog/broken.md", "---\nkind: story\n---\n")
	rebuild := func(paths ...string) {
		t.Helper()
		if err := p.rebuild(context.Background(), Batch{Paths: paths}); err != nil {
			t.Fatal(err)
		}
	}
	rebuild("content/backlog/broken.md")
	if p.h.state.Load().problems == nil {
		t.Fatal("the broken site built")
	}
	note := filepath.Join(dir, "content", "guides", "notes.txt")
	for _, step := range []struct {
		name string
		do   func() error
	}{
		{"edited", func() error { return os.WriteFile(note, []byte("version 2"), 0o644) }},
		{"deleted", func() error { return os.Remove(note) }},
		{"a link to a secret", func() error { return os.Symlink(filepath.Join(outside, "secret.txt"), note) }},
	} {
		if err := step.do(); err != nil {
			t.Fatal(err)
		}
		rebuild("content/guides/notes.txt")
		if got := body(); got != "version 1" {
			t.Errorf("%s while the site has errors: served %q, want the last good build's %q", step.name, got, "version 1")
		}
	}
	// Fixed: the link is not followed, so the file is not served at all.
	os.Remove(filepath.Join(dir, "content", "backlog", "broken.md"))
	rebuild("content/backlog/broken.md")
	if got := body(); strings.Contains(got, "SECRET") {
		t.Errorf("served what the link points at: %q", got)
	}
}

// TestRebuildOutputClash adds a page at a path the site makes: the
// rebuild fails with output-clash, as build does, and the last good
// build stays served.
func TestRebuildOutputClash(t *testing.T) {
	t.Parallel()
	dir := starter(t)
	b := NewBuilder(generator.DirFS(dir), testLive, "")
	if res, err := b.Rebuild(context.Background(), Batch{All: true}); err != nil || res.Failed() {
		t.Fatalf("first build: %v", err)
	}
	writeFile(t, dir, "content/trace.md", "# My own trace\n")
	res, err := b.Rebuild(context.Background(), Batch{Paths: []string{"content/trace.md"}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range res.Diagnostics {
		found = found || (d.Code == "output-clash" && d.File == "content/trace.md")
	}
	if !res.Failed() || !found {
		t.Errorf("rebuild: failed %v, diagnostics %v; want an output-clash at content/trace.md", res.Failed(), res.Diagnostics)
	}
}
