// Package lsp is productdocs' language server: the Language Server
// Protocol 3.17 over a pair of streams (stdin and stdout), for one site.
//
// The server keeps the text of the buffers the editor has open, lays it
// over the files on disk (an overlay fs.FS), and loads the site from that
// with the generator's own loader, incrementally after the first time, a
// short while after the last edit. The diagnostics it publishes are the
// ones `productdocs check` prints for the same text, for every file of the
// site, open or not; everything else (completion, hover, definition,
// references, rename, quick fixes, symbols) reads the same model and the
// kinds table.
//
// Positions in the protocol are 0-based lines and UTF-16 code units; the
// site's diagnostics count 1-based lines and byte columns. text.go turns
// one into the other.
//
// The server handles one message at a time, in the order they come, on
// one goroutine; a load of the site runs there too, when the debounce
// timer fires. That order is what keeps a reply consistent with the edits
// that came before it, and it needs no locks.
package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/model"
	"productdocs/generator/serve"
)

// DefaultDebounce is how long after the last edit the site is checked
// again: long enough that typing a word checks once, short enough to feel
// immediate.
const DefaultDebounce = 150 * time.Millisecond

// Options configure a server. The zero value serves the workspace folder
// the client names, with the default debounce.
type Options struct {
	// Root is the site's root folder; "" takes the client's workspace
	// folder (or root URI), else the current folder.
	Root string
	// Debounce overrides DefaultDebounce when positive; a client may set
	// it too (initializationOptions.debounceMs).
	Debounce time.Duration
	// Version is reported to the client as the server's version.
	Version string
	// Log, when set, receives a line for each failure the client cannot be
	// told of (the stream broke).
	Log io.Writer

	// sync lets the package's tests ask for the debounced load to happen
	// now (productdocs/sync), so that what they read back does not depend
	// on timing.
	sync bool
}

// ErrNoShutdown is returned when the client went away, or sent exit,
// without asking the server to shut down first: LSP wants exit code 1
// then.
var ErrNoShutdown = errors.New("the client ended the session without a shutdown request")

// Serve answers the client speaking on in and out until it sends exit or
// goes away. It returns nil after an orderly shutdown, ErrNoShutdown
// when the session ended without one, and another error when the stream
// broke.
func Serve(ctx context.Context, in io.Reader, out io.Writer, o Options) error {
	s := newServer(out, o)
	return s.run(ctx, in)
}

type server struct {
	conn *conn
	opts Options

	root    string // the site root on disk, absolute
	rootURI string
	base    fs.FS

	initialized bool
	ready       bool // the client said initialized: diagnostics may be sent
	shutdown    bool
	dynWatch    bool // the client registers file watchers when asked

	bufs map[string]*buffer // open buffers by slash path from the root

	site      *generator.Site
	sorted    []*model.Document // site's documents in ID order (byID)
	sortedOf  *generator.Site
	tmplDiags []diag.Diagnostic            // the templates' problems, found when they change
	changed   map[string]bool              // paths changed since the last load
	full      bool                         // the next load reads everything
	published map[string][]diag.Diagnostic // file → the diagnostics last sent
	resend    map[string]bool              // files whose diagnostics are sent at the next load, changed or not

	debounce time.Duration
	timer    *time.Timer
	timerC   <-chan time.Time
	ctx      context.Context
	// watchC brings the changes serve's watcher finds, for a client that
	// cannot watch files for the server.
	watchC <-chan serve.Batch
}

// buffer is an open document.
type buffer struct {
	uri     string // as the client spells it
	version int
	t       *text
}

func newServer(out io.Writer, o Options) *server {
	s := &server{
		conn:      &conn{w: out},
		opts:      o,
		bufs:      map[string]*buffer{},
		changed:   map[string]bool{},
		published: map[string][]diag.Diagnostic{},
		resend:    map[string]bool{},
		debounce:  DefaultDebounce,
	}
	if o.Debounce > 0 {
		s.debounce = o.Debounce
	}
	return s
}

type incoming struct {
	body []byte
	err  error
}

func (s *server) run(ctx context.Context, in io.Reader) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.ctx = ctx
	msgs := make(chan incoming)
	go func() {
		r := bufio.NewReaderSize(in, 64<<10)
		for {
			body, err := readMessage(r)
			select {
			case msgs <- incoming{body, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		if s.timer != nil {
			s.timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.timerC:
			s.timerC = nil
			s.load()
		case b, ok := <-s.watchC:
			if !ok {
				s.watchC = nil
				continue
			}
			if b.All {
				s.full = true
			}
			for _, p := range b.Paths {
				s.touch(p)
			}
		case m := <-msgs:
			if m.err != nil {
				if errors.Is(m.err, io.EOF) && s.shutdown {
					return nil
				}
				if errors.Is(m.err, io.EOF) || errors.Is(m.err, io.ErrUnexpectedEOF) {
					return ErrNoShutdown
				}
				return fmt.Errorf("reading from the client: %w", m.err)
			}
			done, err := s.handle(m.body)
			if err != nil || done {
				return err
			}
			if s.conn.err != nil {
				return s.conn.err
			}
		}
	}
}

// handle answers one message. It reports whether the session is over
// (exit), with the error Serve returns.
func (s *server) handle(body []byte) (done bool, err error) {
	m, rerr := decodeMessage(body)
	if rerr != nil {
		var id json.RawMessage
		if m != nil {
			id = m.ID
		}
		// A notification that cannot be read has no one to answer, but a
		// message whose id is unknown gets the error with a null id, as
		// JSON-RPC says.
		if m == nil || len(m.ID) > 0 || m.Method == "" {
			s.conn.reply(id, nil, rerr)
		}
		return false, nil
	}
	if m.Method == "" {
		return false, nil // a response to one of our requests: nothing waits for it
	}
	if m.Method == "exit" {
		if s.shutdown {
			return true, nil
		}
		return true, ErrNoShutdown
	}
	result, rerr := s.dispatch(m)
	if m.isRequest() {
		s.conn.reply(m.ID, result, rerr)
	} else if rerr != nil && rerr.Code != codeMethodNotFound {
		s.logf("%s: %s", m.Method, rerr.Message)
	}
	return false, nil
}

// dispatch runs a method's handler, turning a panic into an internal
// error: one bad request must not end the session.
func (s *server) dispatch(m *message) (result any, rerr *rpcError) {
	defer func() {
		if p := recover(); p != nil {
			result = nil
			rerr = errorf(codeInternalError, "productdocs failed on %s: %v", m.Method, p)
			s.logf("panic in %s: %v\n%s", m.Method, p, debug.Stack())
		}
	}()
	switch {
	case m.Method == "initialize":
		if s.initialized {
			return nil, errorf(codeInvalidRequest, "initialize was sent twice")
		}
		return s.initialize(m.Params)
	case !s.initialized:
		if !m.isRequest() {
			return nil, nil
		}
		return nil, errorf(codeServerNotInitialized, "the server has not been initialized")
	case m.Method == "shutdown":
		s.shutdown = true
		return nil, nil
	case s.shutdown:
		return nil, errorf(codeInvalidRequest, "the server is shutting down")
	}
	if m.Method == "productdocs/sync" && s.opts.sync {
		s.flush()
		return nil, nil
	}
	if h, ok := notifications[m.Method]; ok {
		if m.isRequest() {
			return nil, errorf(codeInvalidRequest, "%s is a notification, not a request", m.Method)
		}
		return nil, h(s, m.Params)
	}
	if h, ok := requests[m.Method]; ok {
		if !m.isRequest() {
			return nil, nil
		}
		return h(s, m.Params)
	}
	if strings.HasPrefix(m.Method, "$/") && !m.isRequest() {
		return nil, nil // optional notifications ($/cancelRequest, $/setTrace) may be ignored
	}
	return nil, errorf(codeMethodNotFound, "productdocs does not handle %s", m.Method)
}

type requestHandler func(s *server, params json.RawMessage) (any, *rpcError)
type notificationHandler func(s *server, params json.RawMessage) *rpcError

var requests map[string]requestHandler
var notifications map[string]notificationHandler

func init() {
	requests = map[string]requestHandler{
		"textDocument/completion":     handle(func(s *server, p *CompletionParams) (any, *rpcError) { return s.completion(p), nil }),
		"textDocument/hover":          handle(func(s *server, p *TextDocumentPositionParams) (any, *rpcError) { return s.hover(p), nil }),
		"textDocument/definition":     handle(func(s *server, p *TextDocumentPositionParams) (any, *rpcError) { return s.definition(p), nil }),
		"textDocument/references":     handle(func(s *server, p *ReferenceParams) (any, *rpcError) { return s.references(p), nil }),
		"textDocument/prepareRename":  handle((*server).prepareRename),
		"textDocument/rename":         handle((*server).rename),
		"textDocument/codeAction":     handle(func(s *server, p *CodeActionParams) (any, *rpcError) { return s.codeActions(p), nil }),
		"textDocument/documentSymbol": handle(func(s *server, p *DocumentSymbolParams) (any, *rpcError) { return s.documentSymbols(p), nil }),
		"workspace/symbol":            handle(func(s *server, p *WorkspaceSymbolParams) (any, *rpcError) { return s.workspaceSymbols(p), nil }),
	}
	notifications = map[string]notificationHandler{
		"initialized":                      notify(func(s *server, _ *struct{}) { s.afterInitialized() }),
		"textDocument/didOpen":             notify((*server).didOpen),
		"textDocument/didChange":           notify((*server).didChange),
		"textDocument/didClose":            notify((*server).didClose),
		"textDocument/didSave":             notify(func(*server, *DidSaveTextDocumentParams) {}),
		"workspace/didChangeWatchedFiles":  notify((*server).didChangeWatchedFiles),
		"workspace/didChangeConfiguration": notify(func(*server, *json.RawMessage) {}),
	}
}

// handle makes a handler of a function of the decoded params.
func handle[P any](f func(*server, *P) (any, *rpcError)) requestHandler {
	return func(s *server, raw json.RawMessage) (any, *rpcError) {
		p := new(P)
		if err := unmarshalParams(raw, p); err != nil {
			return nil, err
		}
		return f(s, p)
	}
}

func notify[P any](f func(*server, *P)) notificationHandler {
	return func(s *server, raw json.RawMessage) *rpcError {
		p := new(P)
		if err := unmarshalParams(raw, p); err != nil {
			return err
		}
		f(s, p)
		return nil
	}
}

func unmarshalParams(raw json.RawMessage, p any) *rpcError {
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return errorf(codeInvalidParams, "invalid params: %v", err)
	}
	return nil
}

func (s *server) logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.opts.Log != nil {
		fmt.Fprintln(s.opts.Log, "productdocs lsp:", msg)
	}
	s.conn.notify("window/logMessage", map[string]any{"type": 1, "message": msg})
}

func (s *server) initialize(raw json.RawMessage) (any, *rpcError) {
	var p InitializeParams
	if err := unmarshalParams(raw, &p); err != nil {
		return nil, err
	}
	root := s.opts.Root
	if root == "" {
		switch {
		case len(p.WorkspaceFolders) > 0:
			root = uriPath(p.WorkspaceFolders[0].URI)
		case p.RootURI != nil && *p.RootURI != "":
			root = uriPath(*p.RootURI)
		case p.RootPath != nil && *p.RootPath != "":
			root = *p.RootPath
		default:
			root = "."
		}
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, errorf(codeRequestFailed, "the site root %q: %v", root, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, errorf(codeRequestFailed, "the site root %s is not a folder", abs)
	}
	s.root, s.rootURI = abs, pathURI(abs)
	s.base = generator.DirFS(abs)
	s.dynWatch = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	if ms := p.InitializationOptions.DebounceMS; ms > 0 && s.opts.Debounce == 0 {
		s.debounce = time.Duration(ms) * time.Millisecond
	}
	s.initialized = true
	s.full = true
	s.load()
	caps := ServerCapabilities{
		PositionEncoding:        "utf-16",
		TextDocumentSync:        TextDocumentSync{OpenClose: true, Change: 2, Save: true},
		CompletionProvider:      CompletionOptions{TriggerCharacters: []string{"[", "(", "#", "/", ":", " ", ","}},
		HoverProvider:           true,
		DefinitionProvider:      true,
		ReferencesProvider:      true,
		RenameProvider:          RenameOptions{PrepareProvider: true},
		CodeActionProvider:      CodeActionOptions{CodeActionKinds: []string{"quickfix"}},
		DocumentSymbolProvider:  true,
		WorkspaceSymbolProvider: true,
	}
	return InitializeResult{Capabilities: caps, ServerInfo: ServerInfo{Name: "productdocs", Version: s.opts.Version}}, nil
}

// afterInitialized asks the client to watch the site's files, where it
// can, and sends the diagnostics of the whole site.
func (s *server) afterInitialized() {
	if s.ready {
		return
	}
	s.ready = true
	if !s.dynWatch {
		// The client cannot watch files for us: watch them as serve does.
		w, err := serve.Watch(s.ctx, s.root, serve.WatchOptions{Log: func(msg string) { s.logf("%s", msg) }})
		if err != nil {
			s.logf("cannot watch the site's files: %v; changes made outside the editor are seen when a file is opened", err)
		} else {
			s.watchC = w.Batches()
		}
	}
	if s.dynWatch {
		s.conn.write(request{JSONRPC: "2.0", ID: "productdocs-watch", Method: "client/registerCapability",
			Params: RegistrationParams{Registrations: []Registration{{
				ID: "productdocs-watch", Method: "workspace/didChangeWatchedFiles",
				RegisterOptions: DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
			}}}})
	}
	s.publish(nil)
}

// uriPath is the file path a file: URI names, or "" for another scheme.
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	p := u.Path
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' { // file:///C:/site on Windows
		p = p[1:]
	}
	return filepath.FromSlash(p)
}

// pathURI is the file: URI of an absolute path.
func pathURI(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// rel is the slash path from the site root of a URI, and whether the URI
// names a file inside the site.
func (s *server) rel(uri string) (string, bool) {
	p := uriPath(uri)
	if p == "" {
		return "", false
	}
	r, err := filepath.Rel(s.root, p)
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	if r == "." || r == ".." || strings.HasPrefix(r, "../") || !fs.ValidPath(r) {
		return "", false
	}
	return r, true
}

// uri is the URI of a file of the site: the client's own spelling when it
// has the file open.
func (s *server) uri(rel string) string {
	if b := s.bufs[rel]; b != nil {
		return b.uri
	}
	return s.rootURI + "/" + (&url.URL{Path: rel}).EscapedPath()
}

// textOf returns a file's text as the editor sees it: the buffer when it
// is open, else the file on disk; nil when there is neither.
func (s *server) textOf(rel string) *text {
	if b := s.bufs[rel]; b != nil {
		return b.t
	}
	src, err := fs.ReadFile(s.base, rel)
	if err != nil {
		return nil
	}
	return newText(string(src))
}
