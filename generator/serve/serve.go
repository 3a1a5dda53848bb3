// Package serve is productdocs' preview server: it builds a site into
// memory, serves it over HTTP, watches the site's files, rebuilds what a
// change touched, and tells the browser, which reloads.
//
// # From a save to the browser
//
// An edit travels this way, each step in one place. What changed is
// described once, by a model.Change, which each step reads and none works
// out again:
//
//  1. fsnotify reports events under content/, templates/ and
//     productdocs.yaml; the Watcher (watch.go) drops editors' temporary
//     files, watches new folders, and batches what changed into one
//     Batch, a model.Change that names the changed paths, or has All set
//     when events may have been lost.
//  2. Builder.Rebuild (rebuild.go) takes the Change. Its paths say
//     whether the templates or the settings changed (then every file is
//     rendered again, step 6) and which of the site's own files to copy
//     again.
//  3. generator.LoadIncremental reads again only the named files, reuses
//     every other parsed source, and makes the model from the last one
//     (model.Next). model.Diff adds to the Change the documents edited and
//     those one link away (Edited, Touched): the Site's Change.
//  4. The checks run again on the touched documents alone
//     (check.Docs), the rest keep their diagnostics: the Site, with its
//     diagnostics. A site with errors (content, templates) stops here:
//     the Result has the diagnostics and no Output, and the last good
//     build stays served.
//  5. generator.NewRenderer, the same set-up as productdocs build, makes
//     the view of the site and the renderer, with the base URL and the
//     live script. The view (render.NextSite) reads the Change: its lists
//     start from the last view's order, which the edited documents cannot
//     have moved far. Renderer.Jobs lists every output file.
//  6. Each file of the last good build was rendered with a record of what
//     it read (render.Dep: documents and their fields, bodies, the site's
//     lists and figures). A file is rendered again when it is new, is
//     another template's or document's than before, or any of its inputs
//     has another signature on the new site (render.Renderer.Changed);
//     when the templates or the settings changed, everything is.
//     Rendering records anew.
//  7. The pages of the changed documents are rendered first and served
//     at once, beside the last good build's other files: the page being
//     edited is the one its writer waits for, and on a large site the
//     listings and data files that show the same change take many times
//     as long. Only when every other file rendered is the whole Output
//     published: a template that fails, or any other failure, publishes
//     nothing, and the last good build is served again.
//  8. The preview stores the Output for the HTTP handler, which serves
//     every request from it, and sends the URLs whose bytes changed on
//     the event stream; the live-reload script reloads a page whose URL
//     is among them (see Live reload).
//
// The parts, each usable alone:
//
//   - Builder keeps the last good build and brings it up to date for a
//     Change (steps 2 to 7). Its output is the output of a full build,
//     byte for byte.
//   - Watcher watches content/, templates/ and productdocs.yaml with the
//     system's file events (or by polling), makes sense of how editors
//     save, and batches what changed (step 1).
//   - The HTTP handler serves the last good build from memory (never the
//     site's public/ folder), GET and HEAD only, to browsers on this
//     machine, and streams Server-Sent Events to the live-reload script,
//     which every served page loads from /_productdocs/live.js.
//
// # Live reload
//
// After each good rebuild the event stream sends the URLs whose bytes
// changed; a page reloads only when its own URL is among them (keeping its
// scroll position), and swaps its stylesheets in place when only
// stylesheets changed. After a rebuild with errors it sends them, with the
// lines of source around each, and every open page shows them over the
// last good page until a rebuild succeeds. A page reconnects after the
// server restarts and reloads once if the build it shows is gone.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
)

// Options are the settings of a preview.
type Options struct {
	Root    string // the site root, a folder of the OS
	Addr    string // HOST:PORT to listen on; default 127.0.0.1:1313
	BaseURL string // overrides the site's base_url when set
	Poll    bool   // poll for changes instead of using file events
	// Stdout receives the server's news (one line per rebuild), Stderr
	// the diagnostics and trouble.
	Stdout, Stderr io.Writer
	// Load is what the site is loaded with besides its files: the date
	// of the time-based checks, the git history, the audience.
	Load generator.LoadOptions
	// Listening, when set, is called with the server's URL once it
	// accepts connections and the first build is served.
	Listening func(url string)
}

// ListenError is returned by Run when it cannot listen on the address.
type ListenError struct {
	Addr string
	Err  error
}

func (e *ListenError) Error() string {
	msg := fmt.Sprintf("cannot listen on %s: %v", e.Addr, e.Err)
	if errors.Is(e.Err, errAddrInUse) {
		msg = fmt.Sprintf("cannot listen on %s: the port is in use (is another preview running?); choose another with --addr", e.Addr)
	}
	return msg
}

func (e *ListenError) Unwrap() error { return e.Err }

// Run builds the site, serves it and rebuilds it on every change until
// ctx is done; then it closes the event streams and the watcher and
// returns nil. An error means the preview could not run: the address is
// taken (a *ListenError), or the site cannot be read.
func Run(ctx context.Context, o Options) error {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:1313"
	}
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return &ListenError{o.Addr, err}
	}
	defer ln.Close()
	hosts := newHostCheck(o.Addr)
	if hosts.public {
		fmt.Fprintf(o.Stderr, "Warning: listening on %s, so other machines on the network can read the preview; use --addr 127.0.0.1:PORT to keep it on this machine\n", o.Addr)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Read through the generator's guarded reader, as build reads: no
	// symbolic link is followed, and only regular files are read.
	if fi, err := os.Stat(root); err != nil {
		return err
	} else if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", o.Root)
	}
	fsys := generator.DirFS(root)
	// Watch before the first build, so that a save during it is seen.
	w, err := Watch(ctx, root, WatchOptions{Poll: o.Poll, Log: func(m string) { fmt.Fprintln(o.Stderr, m) }})
	if err != nil {
		return fmt.Errorf("watching %s: %w", o.Root, err)
	}
	defer func() {
		cancel()
		<-w.Done() // the system's watches are closed before Run returns
	}()
	builder := NewBuilder(fsys, liveURL, o.BaseURL)
	builder.Load = o.Load
	p := newPreview(o, builder, &handler{fsys: fsys, hub: newHub(), hosts: hosts, ping: 20 * time.Second})
	if err := p.rebuild(ctx, Batch{All: true}); err != nil {
		return err
	}

	srv := newServer(p.h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + displayAddr(ln.Addr(), o.Addr) + "/"
	fmt.Fprintf(o.Stdout, "Serving at %s (Ctrl-C to stop)\n", url)
	if o.Listening != nil {
		o.Listening(url)
	}

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err := <-served:
			runErr = err
			break loop
		case b, ok := <-w.Batches():
			if !ok {
				break loop
			}
			if err := p.rebuild(ctx, b); err != nil {
				if ctx.Err() != nil {
					break loop
				}
				// The site could not be read (a folder without
				// permission, say): say so and wait for the next change.
				fmt.Fprintf(o.Stderr, "productdocs serve: %s\n", diag.Printable(err.Error()))
			}
		}
	}
	cancel()
	p.h.hub.close() // the streams end, so Shutdown need not wait for them
	sctx, scancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer scancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	return runErr
}

// displayAddr is the address to print: the one asked for, with the port
// the system chose when it was 0.
func displayAddr(a net.Addr, asked string) string {
	host, _, _ := net.SplitHostPort(asked)
	_, port, _ := net.SplitHostPort(a.String())
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// preview ties the builder to the handler and the terminal.
type preview struct {
	o       Options
	b       *Builder
	h       *handler
	printed []diag.Diagnostic // the warnings printed last, not to repeat them

	early      map[string]bool // the URLs the early part of a rebuild announced
	earlyBuild string
	earlyTook  time.Duration
}

func newPreview(o Options, b *Builder, h *handler) *preview {
	p := &preview{o: o, b: b, h: h}
	h.state.Store(&state{})
	b.Early = p.pagesFirst
	return p
}

// pagesFirst serves and announces the pages of the changed documents
// while the rest of a rebuild renders.
func (p *preview) pagesFirst(res *Result) {
	p.h.state.Store(&state{out: res.Output})
	p.h.hub.send(event("change", changeMsg{res.Output.Build, nonNil(res.Changed)}))
	p.early = map[string]bool{}
	for _, u := range res.Changed {
		p.early[u] = true
	}
	p.earlyBuild, p.earlyTook = res.Output.Build, res.Took
}

type changeMsg struct {
	Build string   `json:"build"`
	URLs  []string `json:"urls"`
}

// rebuild runs one rebuild, publishes it to the handler and the event
// streams, and reports it on the terminal.
func (p *preview) rebuild(ctx context.Context, batch Batch) error {
	first := p.b.Current() == nil && p.h.state.Load().problems == nil
	p.early, p.earlyBuild, p.earlyTook = nil, "", 0
	res, err := p.b.Rebuild(ctx, batch)
	if err != nil {
		return err
	}
	if res.Unchanged {
		return nil // served and said already
	}
	if res.Failed() {
		build := ""
		if c := p.b.Current(); c != nil {
			build = c.Build
		}
		pr := problems(res.Site.FS, build, res.Diagnostics)
		p.h.state.Store(&state{out: p.b.Current(), problems: pr})
		p.h.hub.send(event("problems", pr))
		rep := res.Site.Report()
		rep.Diagnostics = res.Diagnostics
		p.report(rep, true)
		errs, _ := diag.Count(res.Diagnostics)
		if build == "" {
			fmt.Fprintf(p.o.Stdout, "Not built: %s%s; the browser shows them until they are fixed\n", plural(errs, "error"), p.cause(batch))
		} else {
			fmt.Fprintf(p.o.Stdout, "Not rebuilt: %s%s; the last good build is still served\n", plural(errs, "error"), p.cause(batch))
		}
		return nil
	}
	// What the early part announced is not announced again: a page
	// would reload twice.
	urls := slices.DeleteFunc(slices.Clone(res.Changed), func(u string) bool { return p.early[u] })
	st := &state{out: res.Output}
	if p.early != nil {
		st.early, st.late = p.earlyBuild, urls
	}
	p.h.state.Store(st)
	p.h.hub.send(event("change", changeMsg{res.Output.Build, nonNil(urls)}))
	rep := res.Site.Report()
	rep.Diagnostics = res.Diagnostics
	p.report(rep, false)
	switch {
	case first:
		fmt.Fprintf(p.o.Stdout, "Built %s in %s\n", plural(res.Pages(), "page"), ms(res.Took))
	case p.early != nil:
		fmt.Fprintf(p.o.Stdout, "Rebuilt %s in %s, the documents' pages in %s%s\n", plural(res.Pages(), "page"), ms(res.Took), ms(p.earlyTook), p.cause(batch))
	default:
		fmt.Fprintf(p.o.Stdout, "Rebuilt %s in %s%s\n", plural(res.Pages(), "page"), ms(res.Took), p.cause(batch))
	}
	return nil
}

// report prints the diagnostics in the text format: always after a
// failed rebuild, and otherwise when the warnings differ from the ones
// printed last, so that a long list is not repeated on every save.
func (p *preview) report(r *diag.Report, failed bool) {
	if !failed && slices.Equal(r.Diagnostics, p.printed) {
		return
	}
	p.printed = r.Diagnostics
	if failed {
		p.printed = nil
	}
	if len(r.Diagnostics) == 0 && !failed {
		return
	}
	_ = diag.Write(p.o.Stderr, "text", r)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func ms(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// cause names what a rebuild was for: " (content/backlog/story-1.md)",
// " (content/a.md and 2 more)". Files that are there come first: an
// editor's temporary file, gone by now, is the least interesting name.
func (p *preview) cause(b Batch) string {
	paths := slices.Clone(b.Paths)
	if p.o.Root != "" {
		there := func(rel string) bool {
			_, err := os.Lstat(filepath.Join(p.o.Root, filepath.FromSlash(rel)))
			return err == nil
		}
		slices.SortStableFunc(paths, func(a, b string) int {
			ta, tb := there(a), there(b)
			switch {
			case ta && !tb:
				return -1
			case tb && !ta:
				return 1
			}
			return 0
		})
	}
	switch len(paths) {
	case 0:
		return ""
	case 1:
		return " (" + paths[0] + ")"
	}
	return fmt.Sprintf(" (%s and %d more)", paths[0], len(paths)-1)
}

var errAddrInUse = syscall.EADDRINUSE
