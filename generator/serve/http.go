package serve

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
)

// The preview's own files live under this prefix, which no site URL can
// take: names starting with "_" are ignored under content/.
const (
	prefix    = "/_productdocs/"
	liveURL   = prefix + "live.js"
	liveCSS   = prefix + "live.css"
	eventsURL = prefix + "events"
)

var (
	//go:embed live.js
	liveScript []byte
	//go:embed live.css
	liveStyle []byte
)

// state is what the handler serves: the last good build, and the errors
// of the last rebuild when it failed. It is replaced whole, never edited.
type state struct {
	out      *Output
	problems *Problems // nil when the last rebuild was good
	// When out was made in two parts, early is the build that served the
	// documents' pages first, and late the URLs that changed after it: a
	// page of the early build is up to date unless it is one of those.
	early string
	late  []string
}

// Problems is what the browser's overlay shows: the errors of a rebuild,
// with the lines of source around each.
type Problems struct {
	Build  string    `json:"build"`
	Errors []Problem `json:"errors"`
	More   int       `json:"more,omitempty"` // errors left out
}

// Problem is one diagnostic for the overlay.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Source   []Line `json:"source,omitempty"`
}

// Line is a line of a file, numbered from 1.
type Line struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// overlayLimit is how many errors the overlay lists: enough to see a
// pattern, few enough for a page to show.
const overlayLimit = 20

// problems makes the overlay's payload from a failed rebuild's
// diagnostics, reading the lines around each error from fsys.
func problems(fsys fs.FS, build string, ds []diag.Diagnostic) *Problems {
	p := &Problems{Build: build, Errors: []Problem{}}
	files := map[string][]string{}
	for _, d := range ds {
		if d.Severity != diag.Error {
			continue
		}
		if len(p.Errors) == overlayLimit {
			p.More++
			continue
		}
		lines, ok := files[d.File]
		if !ok {
			// Through the guard: the file in error may be a FIFO or a
			// link, which is what its diagnostic says.
			if b, err := generator.ReadFile(fsys, d.File, 4<<20); err == nil {
				lines = strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
			}
			files[d.File] = lines
		}
		pr := Problem{File: d.File, Line: d.Line, Column: d.Column, Severity: d.Severity.String(), Code: d.Code, Message: d.Message}
		for n := max(1, d.Line-2); n <= min(len(lines), d.Line+2); n++ {
			text := lines[n-1]
			if len(text) > 240 {
				text = text[:240] + "…"
			}
			pr.Source = append(pr.Source, Line{n, text})
		}
		p.Errors = append(p.Errors, pr)
	}
	return p
}

// The preview server's limits. A browser keeps a few connections open
// between requests; a client that opens hundreds and leaves them idle
// (or sends its headers a byte at a time) must not hold them forever.
// There is no write timeout: the live reload's event stream is one long
// response.
var (
	idleTimeout       = 2 * time.Minute
	readHeaderTimeout = 10 * time.Second
)

// newServer is the preview's HTTP server for h.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10, // a GET of a page; the default is 1 MB
	}
}

// handler serves the site from memory, and the live reload.
type handler struct {
	fsys  fs.FS
	state atomic.Pointer[state]
	hub   *hub
	hosts hostCheck
	// ping is how often an idle event stream says it is alive, so that a
	// connection that died unnoticed is closed.
	ping time.Duration
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.hosts.ok(r.Host) {
		http.Error(w, "403 forbidden: this preview answers to localhost, not to "+strconv.Quote(r.Host), http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case liveURL:
		st := h.state.Load()
		build := ""
		if st.out != nil {
			build = st.out.Build
		}
		// The build the page came with: the script reloads the page
		// when the server has another (after a restart, say).
		b, _ := json.Marshal(build)
		h.write(w, r, http.StatusOK, ".js", bytes.Replace(liveScript, []byte(`"{{build}}"`), b, 1))
		return
	case liveCSS:
		h.write(w, r, http.StatusOK, ".css", liveStyle)
		return
	case eventsURL:
		h.events(w, r)
		return
	}
	p, ok := sitePath(r.URL.Path)
	if !ok {
		h.notFound(w, r)
		return
	}
	st := h.state.Load()
	if st.out == nil {
		h.write(w, r, http.StatusServiceUnavailable, ".html", waitingPage)
		return
	}
	file := p
	if file == "" || strings.HasSuffix(file, "/") {
		file += "index.html"
	}
	if b, ok := st.out.Files[file]; ok {
		// The live script reads which build the page is from here.
		w.Header().Set("Server-Timing", `productdocs;desc="`+st.out.Build+`"`)
		h.write(w, r, http.StatusOK, path.Ext(file), b)
		return
	}
	if b, ok := st.out.copies[file]; ok {
		// As the build read it (snapshot), not as the file is now.
		h.write(w, r, http.StatusOK, path.Ext(file), b)
		return
	}
	if _, ok := st.out.Files[file+"/index.html"]; ok {
		// A folder's page asked for without its slash: its relative links
		// need the slash.
		u := *r.URL
		u.Path += "/"
		http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
		return
	}
	h.notFound(w, r)
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	if st := h.state.Load(); st.out != nil {
		if b, ok := st.out.Files["404.html"]; ok {
			w.Header().Set("Server-Timing", `productdocs;desc="`+st.out.Build+`"`)
			h.write(w, r, http.StatusNotFound, ".html", b)
			return
		}
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func (h *handler) write(w http.ResponseWriter, r *http.Request, code int, ext string, b []byte) {
	w.Header().Set("Content-Type", contentType(ext, b))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

// types are the content types of the files a site has most, fixed here
// so they do not depend on the system's MIME tables.
var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".xml":  "application/xml",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".ico":  "image/x-icon",
	".pdf":  "application/pdf",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/plain; charset=utf-8",
	".csv":  "text/csv; charset=utf-8",
	".woff": "font/woff", ".woff2": "font/woff2",
	".mp4": "video/mp4", ".webm": "video/webm",
}

func contentType(ext string, b []byte) string {
	ext = strings.ToLower(ext)
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(b)
}

// sitePath returns the output path a request path asks for, without the
// leading slash, or false for a path that tries to leave the site: "..",
// ".", empty names, backslashes, NUL. The request path is already decoded,
// so %2e%2e arrives as "..".
func sitePath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	p = p[1:]
	names := strings.Split(p, "/")
	for i, n := range names {
		if n == "." || n == ".." || (n == "" && i < len(names)-1) {
			return "", false
		}
	}
	return p, true
}

// hostCheck accepts the Host headers of requests from this machine's
// browsers, so that a web page whose name was pointed at 127.0.0.1 (DNS
// rebinding) cannot read the preview.
type hostCheck struct {
	bound  string // the host the server was told to listen on
	public bool   // it listens beyond this machine
	names  []string
}

func newHostCheck(addr string) hostCheck {
	host, _, _ := net.SplitHostPort(addr)
	c := hostCheck{bound: strings.ToLower(host)}
	ip := net.ParseIP(host)
	c.public = host == "" || (ip != nil && !ip.IsLoopback()) || (ip == nil && host != "localhost")
	if c.public {
		if name, err := os.Hostname(); err == nil {
			c.names = append(c.names, strings.ToLower(name))
		}
	}
	return c
}

func (c hostCheck) ok(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	switch {
	case host == "":
		return false
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	case host == c.bound:
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		// An address typed as an address is no rebinding, which needs a
		// name; on loopback only loopback addresses reach the server.
		return ip.IsLoopback() || c.public
	}
	for _, n := range c.names {
		if host == n || strings.HasPrefix(n, host+".") {
			return true
		}
	}
	return false
}

// waitingPage is served while no build has succeeded yet: the live script
// shows why, and reloads the page once the site builds.
var waitingPage = []byte(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Waiting for a good build · productdocs</title>
<script src="` + liveURL + `" defer></script></head>
<body><h1>The site has errors</h1><p>productdocs serve is waiting for them to be fixed; this page reloads by itself.</p></body>
</html>
`)

// events streams Server-Sent Events: "hello" with the current build and
// problems on connecting, then "change" after each good rebuild and
// "problems" after each failed one.
func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	ch, ok := h.hub.join()
	if !ok {
		http.Error(w, "503 shutting down", http.StatusServiceUnavailable)
		return
	}
	defer h.hub.leave(ch)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	st := h.state.Load()
	hello := helloMsg{Problems: st.problems, Early: st.early, Late: st.late}
	if st.out != nil {
		hello.Build = st.out.Build
	}
	// Reconnect quickly after a restart of the server.
	bw.WriteString("retry: 500\n")
	writeEvent(bw, "hello", hello)
	if bw.Flush() != nil || rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(h.ping)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg, ok := <-ch:
			if !ok {
				return // the server is shutting down
			}
			bw.Write(msg)
		case <-tick.C:
			bw.WriteString(": ping\n\n")
		}
		if bw.Flush() != nil || rc.Flush() != nil {
			return
		}
	}
}

type helloMsg struct {
	Build    string    `json:"build"`
	Problems *Problems `json:"problems"`
	Early    string    `json:"early,omitempty"`
	Late     []string  `json:"late,omitempty"`
}

func writeEvent(w *bufio.Writer, name string, v any) {
	b, _ := json.Marshal(v)
	w.WriteString("event: " + name + "\ndata: ")
	w.Write(b)
	w.WriteString("\n\n")
}

func event(name string, v any) []byte {
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	writeEvent(bw, name, v)
	bw.Flush()
	return b.Bytes()
}

// hub sends events to every open stream.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]bool
	closed  bool
}

func newHub() *hub { return &hub{clients: map[chan []byte]bool{}} }

func (h *hub) join() (chan []byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	ch := make(chan []byte, 16)
	h.clients[ch] = true
	return ch, true
}

func (h *hub) leave(ch chan []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.clients[ch] {
		delete(h.clients, ch)
		close(ch)
	}
}

// send queues msg for every stream. A stream too far behind to take it is
// closed: its browser reconnects, and the hello it gets then tells it
// whether to reload.
func (h *hub) send(msg []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- msg:
		default:
			delete(h.clients, ch)
			close(ch)
		}
	}
}

// close ends every stream and refuses new ones.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for ch := range h.clients {
		delete(h.clients, ch)
		close(ch)
	}
}
