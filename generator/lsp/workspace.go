package lsp

import (
	"maps"
	"slices"
	"strings"
	"time"

	"productdocs/generator"
	"productdocs/generator/config"
	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// watchers are the files whose changes outside the editor matter: the
// content, the templates and the settings.
var watchers = []FileSystemWatcher{
	{GlobPattern: "**/content/**"},
	{GlobPattern: "**/templates/**"},
	{GlobPattern: "**/" + config.File},
}

func (s *server) didOpen(p *DidOpenTextDocumentParams) {
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok {
		return
	}
	s.bufs[rel] = &buffer{uri: p.TextDocument.URI, version: p.TextDocument.Version, t: newText(p.TextDocument.Text)}
	s.touch(rel)
	// The file's diagnostics are sent again with the buffer's version,
	// even when the load finds them unchanged.
	s.resend[rel] = true
}

func (s *server) didChange(p *DidChangeTextDocumentParams) {
	rel, ok := s.rel(p.TextDocument.URI)
	b := s.bufs[rel]
	if !ok || b == nil {
		return
	}
	for _, c := range p.ContentChanges {
		b.t = b.t.apply(c.Range, c.Text)
	}
	b.version = p.TextDocument.Version
	s.touch(rel)
}

func (s *server) didClose(p *DidCloseTextDocumentParams) {
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil {
		return
	}
	// The file on disk is the site's again, which may differ from the
	// buffer that was closed unsaved.
	delete(s.bufs, rel)
	s.touch(rel)
	s.resend[rel] = true
}

func (s *server) didChangeWatchedFiles(p *DidChangeWatchedFilesParams) {
	for _, c := range p.Changes {
		rel, ok := s.rel(c.URI)
		if !ok {
			continue
		}
		if s.bufs[rel] != nil && c.Type != 3 {
			continue // the buffer is what the site reads, not the disk
		}
		s.touch(rel)
	}
}

// touch notes a changed path and starts the debounce over.
func (s *server) touch(rel string) {
	s.changed[rel] = true
	if s.timer == nil {
		s.timer = time.NewTimer(s.debounce)
	} else {
		s.timer.Reset(s.debounce)
	}
	s.timerC = s.timer.C
}

// flush loads the site now if edits wait for the debounce: what reads
// positions out of the model (references, rename, quick fixes) must read
// the text the client has.
func (s *server) flush() {
	if len(s.changed) > 0 || s.full {
		if s.timer != nil {
			s.timer.Stop()
		}
		s.timerC = nil
		s.load()
	}
}

// snapshot is the site as the editor sees it now.
func (s *server) snapshot() *overlay {
	o := &overlay{base: s.base, buffers: make(map[string]string, len(s.bufs))}
	for rel, b := range s.bufs {
		o.buffers[rel] = b.t.s
	}
	return o
}

// load checks the site again, reading the files changed since the last
// load, and publishes the diagnostics that changed.
func (s *server) load() {
	if s.base == nil {
		return
	}
	changed := slices.Sorted(maps.Keys(s.changed))
	clear(s.changed)
	fsys := s.snapshot()
	prev := s.site
	if s.full {
		prev = nil
	}
	site, err := generator.LoadIncremental(s.ctx, fsys, prev, model.Change{Paths: changed})
	if err != nil {
		// The folder could not be read (a permission changed, it went
		// away): say so, keep the last model, and read it all next time.
		s.logf("reading the site: %v", err)
		s.full = true
		return
	}
	tmpl := s.full || s.site == nil
	for _, c := range changed {
		if c == "templates" || strings.HasPrefix(c, "templates/") {
			tmpl = true
		}
	}
	if tmpl {
		_, s.tmplDiags = site.Templates()
	}
	s.site, s.full = site, false
	if s.ready {
		s.publish(changed)
	}
}

// diagnostics are the site's, as check reports them.
func (s *server) diagnostics() []diag.Diagnostic {
	if len(s.tmplDiags) == 0 {
		return s.site.Diagnostics
	}
	return diag.Sort(slices.Concat(s.site.Diagnostics, s.tmplDiags))
}

// publish sends the diagnostics of every file whose diagnostics changed
// since they were last sent, and of the files in resend: those opened or
// closed, and the open files among changed, whose ranges may have moved
// with their text. A file without any is sent an empty list once, to
// clear what the client shows.
func (s *server) publish(changed []string) {
	if s.site == nil {
		return
	}
	byFile := map[string][]diag.Diagnostic{}
	ds := s.diagnostics()
	for i := 0; i < len(ds); {
		j := i + 1
		for j < len(ds) && ds[j].File == ds[i].File {
			j++
		}
		byFile[ds[i].File] = ds[i:j]
		i = j
	}
	files := map[string]bool{}
	for f := range byFile {
		files[f] = true
	}
	for f := range s.published {
		files[f] = true
	}
	for _, f := range changed {
		if s.bufs[f] != nil {
			s.resend[f] = true
		}
	}
	for f := range s.resend {
		files[f] = true
	}
	for _, f := range slices.Sorted(maps.Keys(files)) {
		group := byFile[f]
		old, sent := s.published[f]
		if sent && slices.Equal(old, group) && !s.resend[f] {
			continue
		}
		if len(group) == 0 {
			delete(s.published, f)
			if !sent && s.bufs[f] == nil && !s.resend[f] {
				continue
			}
		} else {
			s.published[f] = slices.Clone(group)
		}
		p := PublishDiagnosticsParams{URI: s.uri(f), Diagnostics: s.convert(f, group)}
		if b := s.bufs[f]; b != nil {
			v := b.version
			p.Version = &v
		}
		s.conn.notify("textDocument/publishDiagnostics", p)
	}
	clear(s.resend)
}

// convert turns a file's diagnostics into the protocol's, each with the
// range of the key, value or link it points at.
func (s *server) convert(file string, ds []diag.Diagnostic) []Diagnostic {
	out := make([]Diagnostic, 0, len(ds))
	t := s.textOf(file)
	if t == nil {
		t = newText("")
	}
	for _, d := range ds {
		out = append(out, toProtocol(t, d))
	}
	return out
}

func toProtocol(t *text, d diag.Diagnostic) Diagnostic {
	sev := 1
	if d.Severity == diag.Warning {
		sev = 2
	}
	from := t.at(d.Line, d.Column)
	line := t.lineOf(from)
	lt := t.line(line)
	start := from - t.lines[line]
	end := tokenEnd(lt, start)
	if d.Line == 1 && d.Column == 1 && end == start {
		end = len(lt) // a problem of the whole file: its first line
	}
	return Diagnostic{
		Range:    Range{Start: Position{line, utf16Col(lt, start)}, End: Position{line, utf16Col(lt, end)}},
		Severity: sev,
		Code:     d.Code,
		Source:   "productdocs",
		Message:  d.Message,
	}
}

// tokenEnd returns the end, as a byte index in line, of what starts at
// start: a [[wiki link]], a [markdown](link), a quoted value, a key up to
// its colon, or a plain value up to what ends it in a flow list or a
// comment.
func tokenEnd(line string, start int) int {
	if start >= len(line) {
		return len(line)
	}
	rest := line[start:]
	switch {
	case strings.HasPrefix(rest, "[["):
		if j := strings.Index(rest, "]]"); j >= 0 {
			return start + j + 2
		}
	case rest[0] == '[' || strings.HasPrefix(rest, "!["):
		if j := strings.Index(rest, "]("); j >= 0 {
			if k := strings.IndexByte(rest[j:], ')'); k >= 0 {
				return start + j + k + 1
			}
		}
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			return start + j + 1
		}
	case rest[0] == '"' || rest[0] == '\'':
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\\' && rest[0] == '"' {
				i++
				continue
			}
			if rest[i] == rest[0] {
				return start + i + 1
			}
		}
		return len(line)
	}
	end := start
scan:
	for end < len(line) {
		switch c := line[end]; {
		case c == ',' || c == ']' || c == '}':
			break scan
		case c == ':' && (end+1 == len(line) || line[end+1] == ' '):
			break scan
		case c == '#' && end > start && line[end-1] == ' ':
			break scan
		case c == ' ' && end+1 < len(line) && line[end+1] == '=':
			break scan
		}
		end++
	}
	for end > start && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	return end
}
