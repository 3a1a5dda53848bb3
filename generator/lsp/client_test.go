package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// client is an LSP client over pipes, talking to a server running in the
// test's process, as an editor talks to `productdocs lsp`.
type client struct {
	t      testing.TB
	root   string
	toSrv  io.WriteCloser
	nextID int
	done   chan error

	mu       sync.Mutex
	notes    []json.RawMessage          // notifications and server requests, as received
	replies  map[string]json.RawMessage // by id
	arrived  chan struct{}
	readErr  error
	versions map[string]int
}

// startClient serves the site in dir and initialises the session.
func startClient(t testing.TB, dir string, opts Options) *client {
	t.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	opts.sync = true
	if opts.Root == "" {
		opts.Root = dir
	}
	c := &client{t: t, root: dir, toSrv: cw, done: make(chan error, 1), replies: map[string]json.RawMessage{},
		arrived: make(chan struct{}, 1), versions: map[string]int{}}
	go func() {
		err := Serve(context.Background(), sr, sw, opts)
		sw.Close()
		c.done <- err
	}()
	go c.read(cr)
	t.Cleanup(func() {
		cw.Close()
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			t.Error("the server did not end when its input closed")
		}
	})
	c.call("initialize", map[string]any{
		"processId": nil, "rootUri": pathURI(dir),
		"capabilities": map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}},
	})
	c.notify("initialized", map[string]any{})
	return c
}

func (c *client) read(r io.Reader) {
	br := bufio.NewReader(r)
	for {
		body, err := readMessage(br)
		c.mu.Lock()
		if err != nil {
			c.readErr = err
			c.mu.Unlock()
			c.signal()
			return
		}
		var m message
		if json.Unmarshal(body, &m) == nil && m.Method == "" {
			c.replies[string(m.ID)] = body
		} else {
			c.notes = append(c.notes, body)
		}
		c.mu.Unlock()
		c.signal()
	}
}

func (c *client) signal() {
	select {
	case c.arrived <- struct{}{}:
	default:
	}
}

func (c *client) send(v any) {
	c.t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(body)
}

func (c *client) sendRaw(body []byte) {
	c.t.Helper()
	if _, err := fmt.Fprintf(c.toSrv, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and returns the whole response message.
func (c *client) call(method string, params any) json.RawMessage {
	c.t.Helper()
	c.nextID++
	id := c.nextID
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	return c.wait(fmt.Sprint(id))
}

// wait waits for the response with an id (as JSON).
func (c *client) wait(id string) json.RawMessage {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		r, ok := c.replies[id]
		err := c.readErr
		c.mu.Unlock()
		if ok {
			return r
		}
		if err != nil {
			c.t.Fatalf("the server closed the stream before answering %s: %v", id, err)
		}
		select {
		case <-c.arrived:
		case <-deadline:
			c.t.Fatalf("no answer to request %s", id)
		}
	}
}

// result is call's result, decoded into v.
func (c *client) result(method string, params, v any) {
	c.t.Helper()
	raw := c.call(method, params)
	var m struct {
		Result json.RawMessage
		Error  *rpcError
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		c.t.Fatal(err)
	}
	if m.Error != nil {
		c.t.Fatalf("%s: %v", method, m.Error)
	}
	if v != nil {
		if err := json.Unmarshal(m.Result, v); err != nil {
			c.t.Fatalf("%s: %v in %s", method, err, m.Result)
		}
	}
}

// sync waits until the server has loaded the site with every edit sent.
func (c *client) sync() { c.t.Helper(); c.call("productdocs/sync", nil) }

// takeNotes returns the notifications received so far and forgets them.
func (c *client) takeNotes() []json.RawMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.notes
	c.notes = nil
	return n
}

// diagnostics returns the diagnostics last published for each file, by
// site path, from the notifications received so far.
func (c *client) diagnostics() map[string][]Diagnostic {
	out := map[string][]Diagnostic{}
	for _, n := range c.takeNotes() {
		var m struct {
			Method string
			Params PublishDiagnosticsParams
		}
		if json.Unmarshal(n, &m) != nil || m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		out[c.relOf(m.Params.URI)] = m.Params.Diagnostics
	}
	return out
}

func (c *client) uri(rel string) string {
	return pathURI(filepath.Join(c.root, filepath.FromSlash(rel)))
}

func (c *client) relOf(uri string) string {
	return strings.TrimPrefix(uri, pathURI(c.root)+"/")
}

func (c *client) open(rel string) {
	c.t.Helper()
	src, err := os.ReadFile(filepath.Join(c.root, rel))
	if err != nil {
		c.t.Fatal(err)
	}
	c.openText(rel, string(src))
}

func (c *client) openText(rel, text string) {
	c.t.Helper()
	c.versions[rel] = 1
	c.notify("textDocument/didOpen", map[string]any{"textDocument": TextDocumentItem{URI: c.uri(rel), LanguageID: "markdown", Version: 1, Text: text}})
}

func (c *client) change(rel string, r *Range, text string) {
	c.t.Helper()
	c.versions[rel]++
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   VersionedTextDocumentIdentifier{URI: c.uri(rel), Version: c.versions[rel]},
		"contentChanges": []TextDocumentContentChangeEvent{{Range: r, Text: text}},
	})
}

func (c *client) pos(rel string, line, char int) TextDocumentPositionParams {
	return TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: c.uri(rel)}, Position: Position{line, char}}
}

// writeSite writes a txtar archive's files, but those whose names start
// with "-" (the test's own sections), into a new folder.
func writeSite(t testing.TB, a *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range a.Files {
		if strings.HasPrefix(f.Name, "-") || f.Name == "script" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
