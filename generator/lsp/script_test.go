package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"productdocs/generator/internal/testkit"
)

// TestScripts runs each testdata/*.txtar: files laid over the site of
// testdata/site.txtar.in, and a "script" of what
// an editor does, one step a line; the server's answers are compared
// with NAME.golden. Regenerate with
//
//	go test ./generator/lsp/ -run Scripts -update
//
// Steps (positions are LSP's: 0-based line and UTF-16 character):
//
//	open FILE                     didOpen with the file's text on disk
//	openbuf FILE SECTION          didOpen with the text of the archive's section "-SECTION"
//	change FILE L:C-L:C TEXT      didChange of a range; TEXT is Go-quoted
//	replace FILE TEXT             didChange of the whole text; TEXT is Go-quoted
//	close FILE                    didClose
//	write FILE SECTION            writes the archive's section "-SECTION" to disk
//	remove FILE                   deletes a file on disk
//	watched FILE TYPE             didChangeWatchedFiles (1 created, 2 changed, 3 deleted)
//	diagnostics                   waits for the load, prints what was published since the last step
//	completion FILE L:C
//	hover FILE L:C
//	definition FILE L:C
//	references FILE L:C
//	prepareRename FILE L:C
//	rename FILE L:C NAME
//	codeAction FILE L:C-L:C
//	symbols FILE
//	workspaceSymbols QUERY
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts in testdata: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Setenv("SOURCE_DATE_EPOCH", "1790000000")
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := runScript(t, a)
			testkit.Golden(t, strings.TrimSuffix(file, ".txtar")+".golden", got)
		})
	}
}

// runScript runs a script over the site of testdata/site.txtar.in with
// the script archive's own files laid over it.
func runScript(t *testing.T, a *txtar.Archive) []byte {
	base, err := txtar.ParseFile("testdata/site.txtar.in")
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	for _, f := range a.Files {
		own[f.Name] = true
	}
	merged := &txtar.Archive{Files: slices.DeleteFunc(base.Files, func(f txtar.File) bool { return own[f.Name] })}
	merged.Files = append(merged.Files, a.Files...)
	a = merged
	dir := writeSite(t, a)
	var script string
	sections := map[string][]byte{}
	for _, f := range a.Files {
		switch {
		case f.Name == "script":
			script = string(f.Data)
		case strings.HasPrefix(f.Name, "-"):
			sections[f.Name[1:]] = f.Data
		}
	}
	c := startClient(t, dir, Options{Debounce: 1 << 40}) // only sync loads: no timing in the answers
	c.sync()
	var out bytes.Buffer
	show := func(v any) {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte(pathURI(dir)), []byte("file:///SITE"))
		out.Write(b)
		out.WriteString("\n")
	}
	call := func(method string, params any) {
		raw := c.call(method, params)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if e, ok := m["error"]; ok {
			show(map[string]any{"error": e})
			return
		}
		show(m["result"])
	}
	fmt.Fprintf(&out, "> initial diagnostics\n")
	showDiagnostics(&out, c, show)
	for n, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fmt.Fprintf(&out, "\n> %s\n", line)
		f := strings.Fields(line)
		arg := func(i int) string {
			if i >= len(f) {
				t.Fatalf("script line %d: %q needs more arguments", n+1, line)
			}
			return f[i]
		}
		quoted := func() string {
			i := strings.IndexByte(line, '"')
			s, err := strconv.Unquote(line[max(0, i):])
			if i < 0 || err != nil {
				t.Fatalf("script line %d: want a Go-quoted text: %v", n+1, err)
			}
			return s
		}
		switch f[0] {
		case "open":
			c.open(arg(1))
		case "openbuf":
			data, ok := sections[arg(2)]
			if !ok {
				t.Fatalf("script line %d: no section -%s", n+1, arg(2))
			}
			c.openText(arg(1), string(data))
		case "change":
			r := parseRange(t, arg(2))
			c.change(arg(1), &r, quoted())
		case "replace":
			c.change(arg(1), nil, quoted())
		case "close":
			c.notify("textDocument/didClose", map[string]any{"textDocument": TextDocumentIdentifier{URI: c.uri(arg(1))}})
		case "write":
			data, ok := sections[arg(2)]
			if !ok {
				t.Fatalf("script line %d: no section -%s", n+1, arg(2))
			}
			p := filepath.Join(dir, filepath.FromSlash(arg(1)))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		case "remove":
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(arg(1)))); err != nil {
				t.Fatal(err)
			}
		case "watched":
			typ, _ := strconv.Atoi(arg(2))
			c.notify("workspace/didChangeWatchedFiles", DidChangeWatchedFilesParams{Changes: []FileEvent{{URI: c.uri(arg(1)), Type: typ}}})
		case "diagnostics":
			showDiagnostics(&out, c, show)
		case "completion", "hover", "definition", "prepareRename":
			p := parsePos(t, arg(2))
			call("textDocument/"+f[0], c.pos(arg(1), p.Line, p.Character))
		case "references":
			p := parsePos(t, arg(2))
			call("textDocument/references", ReferenceParams{TextDocumentPositionParams: c.pos(arg(1), p.Line, p.Character),
				Context: struct {
					IncludeDeclaration bool `json:"includeDeclaration"`
				}{true}})
		case "rename":
			p := parsePos(t, arg(2))
			call("textDocument/rename", RenameParams{TextDocumentPositionParams: c.pos(arg(1), p.Line, p.Character), NewName: arg(3)})
		case "codeAction":
			call("textDocument/codeAction", map[string]any{"textDocument": TextDocumentIdentifier{URI: c.uri(arg(1))},
				"range": parseRange(t, arg(2)), "context": map[string]any{"diagnostics": []any{}}})
		case "symbols":
			call("textDocument/documentSymbol", DocumentSymbolParams{TextDocument: TextDocumentIdentifier{URI: c.uri(arg(1))}})
		case "workspaceSymbols":
			call("workspace/symbol", WorkspaceSymbolParams{Query: strings.TrimSpace(strings.TrimPrefix(line, "workspaceSymbols"))})
		default:
			t.Fatalf("script line %d: unknown step %q", n+1, f[0])
		}
	}
	return out.Bytes()
}

// showDiagnostics syncs and prints the diagnostics published since the
// last time, by file.
func showDiagnostics(out *bytes.Buffer, c *client, show func(any)) {
	c.sync()
	ds := c.diagnostics()
	files := make([]string, 0, len(ds))
	for f := range ds {
		files = append(files, f)
	}
	slices.Sort(files)
	for _, f := range files {
		fmt.Fprintf(out, "%s:\n", f)
		if len(ds[f]) == 0 {
			out.WriteString("  (none)\n")
		}
		for _, d := range ds[f] {
			fmt.Fprintf(out, "  %d:%d-%d:%d %s [%s] %s\n", d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character,
				[]string{"", "error", "warning"}[d.Severity], d.Code, d.Message)
		}
	}
}

func parsePos(t *testing.T, s string) Position {
	t.Helper()
	l, c, ok := strings.Cut(s, ":")
	li, err1 := strconv.Atoi(l)
	ci, err2 := strconv.Atoi(c)
	if !ok || err1 != nil || err2 != nil {
		t.Fatalf("position %q: want LINE:CHAR", s)
	}
	return Position{li, ci}
}

func parseRange(t *testing.T, s string) Range {
	t.Helper()
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		t.Fatalf("range %q: want L:C-L:C", s)
	}
	return Range{parsePos(t, a), parsePos(t, b)}
}
