package lsp

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWatcherWithoutClientSupport: a client that cannot watch files for
// the server (no dynamic registration) still sees changes made outside
// the editor, through serve's watcher.
func TestWatcherWithoutClientSupport(t *testing.T) {
	dir := smallSite(t)
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	c := &client{t: t, root: dir, toSrv: cw, done: make(chan error, 1), replies: map[string]json.RawMessage{},
		arrived: make(chan struct{}, 1), versions: map[string]int{}}
	go func() {
		c.done <- Serve(context.Background(), sr, sw, Options{Root: dir, Debounce: time.Millisecond})
		sw.Close()
	}()
	go c.read(cr)
	defer func() {
		cw.Close()
		<-c.done
	}()
	c.call("initialize", map[string]any{"rootUri": pathURI(dir), "capabilities": map[string]any{}})
	c.notify("initialized", map[string]any{})
	c.sync()
	for _, n := range c.takeNotes() {
		if strings.Contains(string(n), "client/registerCapability") {
			t.Fatalf("asked a client without dynamic registration to watch: %s", n)
		}
	}
	story := filepath.Join(dir, "content", "backlog", "stories", "story-9.md")
	if err := os.WriteFile(story, []byte("---\nid: STORY-9\nkind: story\ntitle: Nine\ntraces: EPIC-99\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if ds := c.diagnostics()["content/backlog/stories/story-9.md"]; len(ds) > 0 {
			if ds[0].Code != "broken-link" {
				t.Errorf("diagnostic %+v, want a broken-link", ds[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("a file written outside the editor was not checked")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
