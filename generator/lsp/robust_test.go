package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

func smallSite(t testing.TB) string {
	t.Helper()
	a, err := txtar.ParseFile("testdata/site.txtar.in")
	if err != nil {
		t.Fatal(err)
	}
	return writeSite(t, a)
}

// errorOf returns the error of a response, or nil.
func errorOf(t testing.TB, raw json.RawMessage) *rpcError {
	t.Helper()
	var m struct {
		ID    json.RawMessage
		Error *rpcError
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m.Error
}

// TestBadMessages sends what a broken client might; each gets an error
// response (or, for a notification, nothing), and the session goes on.
func TestBadMessages(t *testing.T) {
	c := startClient(t, smallSite(t), Options{Debounce: time.Millisecond})
	tests := []struct {
		name string
		body string
		code int
	}{
		{"not JSON", `{"jsonrpc": "2.0", "id": 1, "method":`, codeParseError},
		{"not an object", `[1, 2, 3]`, codeParseError},
		{"wrong version", `{"jsonrpc": "1.0", "id": 1, "method": "shutdown"}`, codeInvalidRequest},
		{"id an object", `{"jsonrpc": "2.0", "id": {"a": 1}, "method": "textDocument/hover"}`, codeInvalidRequest},
		{"params a string", `{"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": "x"}`, codeInvalidRequest},
		{"params of the wrong shape", `{"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {"position": "here"}}`, codeInvalidParams},
		{"no method, no id", `{"jsonrpc": "2.0"}`, codeInvalidRequest},
		{"unknown method", `{"jsonrpc": "2.0", "id": 1, "method": "textDocument/teleport", "params": {}}`, codeMethodNotFound},
		{"a notification sent as a request", `{"jsonrpc": "2.0", "id": 1, "method": "textDocument/didOpen", "params": {}}`, codeInvalidRequest},
		{"initialize twice", `{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}`, codeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(c.replies)
			c.sendRaw([]byte(tt.body))
			deadline := time.Now().Add(10 * time.Second)
			for {
				c.mu.Lock()
				n := len(c.replies)
				var last json.RawMessage
				for _, r := range c.replies {
					if errorOf(t, r) != nil && errorOf(t, r).Code == tt.code {
						last = r
					}
				}
				c.mu.Unlock()
				if n > before && last != nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no error %d in the answers", tt.code)
				}
				time.Sleep(5 * time.Millisecond)
			}
			c.mu.Lock()
			clear(c.replies)
			c.mu.Unlock()
			// The session goes on.
			var syms []SymbolInformation
			c.result("workspace/symbol", WorkspaceSymbolParams{Query: "EPIC-1"}, &syms)
			if len(syms) != 1 {
				t.Errorf("after %s, workspace/symbol found %d documents, want 1", tt.name, len(syms))
			}
		})
	}
	// Notifications that are unknown, or malformed, are not answered.
	c.notify("textDocument/unknown", map[string]any{})
	c.notify("textDocument/didChange", "not params")
	c.notify("$/cancelRequest", map[string]any{"id": 99})
	c.sync()
}

// TestPositions asks every feature at positions a client should not send
// but may: past the end of a line or of the file, negative, and in the
// middle of a UTF-16 surrogate pair.
func TestPositions(t *testing.T) {
	c := startClient(t, smallSite(t), Options{Debounce: time.Millisecond})
	file := "content/backlog/stories/story-2.md"
	c.open(file)
	// Line 9 is "Needs [[STORY-1|the card form]] 💳 and [[EPIC-1]].": the
	// emoji is UTF-16 columns 32 and 33.
	positions := []Position{{9, 33}, {9, 32}, {9, 34}, {9, 500}, {500, 0}, {3, 21}, {-1, -1}, {0, 1 << 30}}
	methods := []string{"textDocument/completion", "textDocument/hover", "textDocument/definition", "textDocument/references", "textDocument/prepareRename"}
	for _, p := range positions {
		for _, m := range methods {
			raw := c.call(m, c.pos(file, p.Line, p.Character))
			if e := errorOf(t, raw); e != nil && e.Code != codeRequestFailed {
				t.Errorf("%s at %v: %v", m, p, e)
			}
		}
		raw := c.call("textDocument/rename", RenameParams{TextDocumentPositionParams: c.pos(file, p.Line, p.Character), NewName: "X-1"})
		if e := errorOf(t, raw); e != nil && e.Code != codeRequestFailed {
			t.Errorf("rename at %v: %v", p, e)
		}
	}
	// An edit inside the surrogate pair replaces the whole character, and
	// one past the end appends.
	c.change(file, &Range{Position{9, 33}, Position{9, 33}}, "!")
	c.change(file, &Range{Position{500, 3}, Position{600, 0}}, "\nEnd.")
	c.sync()
	var h *Hover
	c.result("textDocument/hover", c.pos(file, 9, 44), &h)
	if h == nil || !strings.Contains(h.Contents.Value, "EPIC-1") {
		t.Errorf("after the edits, hover on [[EPIC-1]] = %+v", h)
	}
}

func TestText(t *testing.T) {
	const line = "a💳é\tb" // a, 💳 (4 bytes, 2 units), é (2 bytes, 1 unit), tab, b
	tests := []struct {
		units, bytes int
	}{
		{0, 0}, {1, 1}, {2, 1}, {3, 5}, {4, 7}, {5, 8}, {6, 9}, {99, 9},
	}
	for _, tt := range tests {
		if got := byteCol(line, tt.units); got != tt.bytes {
			t.Errorf("byteCol(%d) = %d, want %d", tt.units, got, tt.bytes)
		}
	}
	for b, want := range []int{0, 1, 1, 1, 1, 3, 3, 4, 5, 6} {
		if got := utf16Col(line, b); got != want {
			t.Errorf("utf16Col(%d) = %d, want %d", b, got, want)
		}
	}
	tx := newText("---\r\nid: A\r\n---\n")
	if got := tx.line(1); got != "id: A" {
		t.Errorf("line 1 = %q: the CR of a CRLF ending belongs to no line", got)
	}
	if got := tx.position(len(tx.s)); got != (Position{3, 0}) {
		t.Errorf("the end is at %v, want 3:0", got)
	}
}

// TestLifecycle: shutdown then exit ends cleanly; exit alone, or a client
// that goes away mid-message, ends with ErrNoShutdown; a broken header
// ends the session with an error; nothing hangs.
func TestLifecycle(t *testing.T) {
	frame := func(bodies ...string) string {
		var b strings.Builder
		for _, s := range bodies {
			b.WriteString("Content-Length: ")
			b.WriteString(itoa(len(s)))
			b.WriteString("\r\n\r\n")
			b.WriteString(s)
		}
		return b.String()
	}
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":null}}`
	dir := smallSite(t)
	tests := []struct {
		name  string
		input string
		want  error
	}{
		{"shutdown and exit", frame(init, `{"jsonrpc":"2.0","method":"initialized","params":{}}`, `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`, `{"jsonrpc":"2.0","method":"exit"}`), nil},
		{"exit without shutdown", frame(init, `{"jsonrpc":"2.0","method":"exit"}`), ErrNoShutdown},
		{"the client goes away", frame(init), ErrNoShutdown},
		{"the client goes away in a message", frame(init) + "Content-Length: 100\r\n\r\n{\"jsonrpc\"", ErrNoShutdown},
		{"the client goes away in a header", frame(init) + "Content-Len", ErrNoShutdown},
		{"no Content-Length", "Content-Type: x\r\n\r\n{}", errFraming},
		{"a length that is not a number", "Content-Length: lots\r\n\r\n{}", errFraming},
		{"a length too large to read", "Content-Length: 99999999999\r\n\r\n{}", errFraming},
		{"a header line without end", strings.Repeat("x", 5000), errFraming},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			done := make(chan error, 1)
			go func() { done <- Serve(context.Background(), strings.NewReader(tt.input), &out, Options{Root: dir}) }()
			select {
			case err := <-done:
				if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
					t.Errorf("Serve = %v, want %v", err, tt.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Serve did not return")
			}
		})
	}
	t.Run("requests before initialize", func(t *testing.T) {
		var out bytes.Buffer
		in := frame(`{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}`)
		Serve(context.Background(), strings.NewReader(in), &out, Options{Root: dir})
		body, err := readMessage(bufio.NewReader(&out))
		if err != nil {
			t.Fatal(err)
		}
		if e := errorOf(t, body); e == nil || e.Code != codeServerNotInitialized {
			t.Errorf("answer %s, want error %d", body, codeServerNotInitialized)
		}
	})
	t.Run("the client stops reading", func(t *testing.T) {
		pr, pw := io.Pipe()
		pr.Close() // every write fails
		done := make(chan error, 1)
		go func() {
			done <- Serve(context.Background(), strings.NewReader(frame(init)+frame(init)), pw, Options{Root: dir})
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Error("Serve returned nil after its writes failed")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Serve did not return")
		}
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzReadMessage feeds any bytes to the reader and decoder of messages:
// they return a message or an error, never panic, and never read more
// than the stream holds.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte("Content-Length: 2\r\n\r\n{}"))
	f.Add([]byte("Content-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}    "))
	f.Add([]byte("content-length:5\n\n[1,2]"))
	f.Add([]byte("Content-Length: -1\r\n\r\n"))
	f.Add([]byte("Content-Length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nnul"))
	f.Add([]byte(`Content-Length: 30` + "\r\n\r\n" + `{"jsonrpc":"2.0","id":"a\u00e9"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bufio.NewReader(bytes.NewReader(data))
		for range 100 {
			body, err := readMessage(r)
			if err != nil {
				return
			}
			if len(body) > len(data) {
				t.Fatalf("a body of %d bytes from %d bytes of input", len(body), len(data))
			}
			m, rerr := decodeMessage(body)
			if rerr == nil && m == nil {
				t.Fatal("no message and no error")
			}
			if rerr != nil && m != nil && len(m.ID) > 0 && !validID(m.ID) {
				t.Fatalf("an invalid id %s kept for the answer", m.ID)
			}
		}
	})
}

// FuzzText edits a text at any positions, as a client's changes do: the
// offsets stay inside the text, and a position read back from an offset
// turns into the same offset.
func FuzzText(f *testing.F) {
	f.Add("a💳b\nc", 0, 2, 1, 0, "x")
	f.Add("---\nid: A\n---\n", 1, 4, 5, 9, "é")
	f.Fuzz(func(t *testing.T, s string, l1, c1, l2, c2 int, ins string) {
		tx := newText(s)
		for _, p := range []Position{{l1, c1}, {l2, c2}} {
			off := tx.offset(p)
			if off < 0 || off > len(s) {
				t.Fatalf("offset(%v) = %d outside a text of %d bytes", p, off, len(s))
			}
			back := tx.position(off)
			if got := tx.offset(back); got != off {
				t.Fatalf("offset %d → %v → %d", off, back, got)
			}
		}
		tx.apply(&Range{Position{l1, c1}, Position{l2, c2}}, ins)
	})
}
