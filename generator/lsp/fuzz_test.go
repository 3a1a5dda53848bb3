package lsp

import (
	"context"
	"io"
	"testing"

	"productdocs/generator/internal/testkit"
)

// FuzzFeatures opens any text as a document of a site and asks every
// feature about any position of it: the line-reading of syntax.go meets
// text that no parser accepted, and must not index out of it. The
// handlers are called directly, without the recover of dispatch.
func FuzzFeatures(f *testing.F) {
	for _, d := range testkit.FixtureDocuments(f) {
		f.Add(string(d), 4, 9)
	}
	f.Add("---\ntraces: [EPIC-1, \n---\n[[EP", 1, 17)
	f.Add("---\n\"traces\": x\n---\n[a](../#", 3, 8)
	f.Add("+++\nhorizon = \"n\n+++\n# x\n===\n", 1, 12)
	dir := smallSite(f)
	s := newServer(io.Discard, Options{Root: dir})
	s.ctx = context.Background()
	if _, err := s.initialize(nil); err != nil {
		f.Fatal(err)
	}
	uri := pathURI(dir) + "/content/backlog/stories/fuzz.md"
	f.Fuzz(func(t *testing.T, src string, line, char int) {
		s.didOpen(&DidOpenTextDocumentParams{TextDocument: TextDocumentItem{URI: uri, Text: src}})
		s.load()
		p := TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: uri}, Position: Position{line, char}}
		s.completion(&CompletionParams{p})
		s.hover(&p)
		s.definition(&p)
		s.references(&ReferenceParams{TextDocumentPositionParams: p})
		s.prepareRename(&p)
		s.rename(&RenameParams{TextDocumentPositionParams: p, NewName: "NEW-1"})
		s.codeActions(&CodeActionParams{TextDocument: p.TextDocument, Range: Range{Position{0, 0}, Position{line, char}}})
		s.documentSymbols(&DocumentSymbolParams{TextDocument: p.TextDocument})
		s.didClose(&DidCloseTextDocumentParams{TextDocument: p.TextDocument})
	})
}
