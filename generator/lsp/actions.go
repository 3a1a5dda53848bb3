package lsp

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"productdocs/generator/diag"
	"productdocs/generator/model"
)

// didYouMeanRE finds the suggestion that the model's messages end with
// (model.didYouMean): `; did you mean "EPIC-8"?`.
var didYouMeanRE = regexp.MustCompile(`did you mean ("(?:[^"\\]|\\.)*")\?`)

// firstQuoted is the first quoted text of a message: the name that is
// wrong, in the messages that suggest another.
var firstQuoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

func (s *server) codeActions(p *CodeActionParams) []CodeAction {
	s.flush()
	out := []CodeAction{}
	rel, ok := s.rel(p.TextDocument.URI)
	if !ok || s.bufs[rel] == nil || s.site == nil {
		return out
	}
	t := s.bufs[rel].t
	from, to := t.offset(p.Range.Start), t.offset(p.Range.End)
	for _, d := range s.diagnostics() {
		if d.File != rel {
			continue
		}
		pd := toProtocol(t, d)
		df, dt := t.offset(pd.Range.Start), t.offset(pd.Range.End)
		if dt < from || df > to {
			continue
		}
		switch d.Code {
		case diag.CodeMissingField:
			out = append(out, s.addField(t, rel, d, pd)...)
		default:
			if a, ok := s.replaceSuggestion(t, rel, d, pd, df, dt); ok {
				out = append(out, a)
			}
		}
	}
	return out
}

// replaceSuggestion is the quick fix of a message with a did-you-mean
// (broken-link, unknown-field, broken-body-link, and the invalid-field of
// an unknown status or value): the name written, replaced by the one
// suggested.
func (s *server) replaceSuggestion(t *text, rel string, d diag.Diagnostic, pd Diagnostic, df, dt int) (CodeAction, bool) {
	m := didYouMeanRE.FindStringSubmatch(d.Message)
	if m == nil {
		return CodeAction{}, false
	}
	want, err := strconv.Unquote(m[1])
	if err != nil {
		return CodeAction{}, false
	}
	tok := t.s[df:dt]
	var from, to int
	if strings.HasPrefix(want, "#") {
		// An anchor: what follows the '#' of the link, up to its end.
		i := strings.LastIndexByte(tok, '#')
		if i < 0 {
			return CodeAction{}, false
		}
		j := i + 1
		for j < len(tok) && !strings.ContainsRune(")]|", rune(tok[j])) {
			j++
		}
		from, to, want = df+i+1, df+j, want[1:]
	} else {
		q := firstQuoted.FindString(d.Message)
		old, err := strconv.Unquote(q)
		if q == "" || err != nil {
			return CodeAction{}, false
		}
		i := strings.Index(tok, old)
		if i < 0 {
			return CodeAction{}, false
		}
		from, to = df+i, df+i+len(old)
	}
	return CodeAction{
		Title:       fmt.Sprintf("Change to %q", want),
		Kind:        "quickfix",
		Diagnostics: []Diagnostic{pd},
		IsPreferred: true,
		Edit:        &WorkspaceEdit{Changes: map[string][]TextEdit{s.uri(rel): {{Range: t.rangeOf(from, to), NewText: want}}}},
	}, true
}

// addField offers to add a required field that is missing: one action
// for each value of a field that takes one of a list, the value of
// today's date for a date, the first heading for a title.
func (s *server) addField(t *text, rel string, d diag.Diagnostic, pd Diagnostic) []CodeAction {
	doc := s.doc(rel)
	if doc == nil {
		return nil
	}
	k := doc.Kind
	var out []CodeAction
	act := func(field, value string) {
		e := insertField(t, field, value)
		out = append(out, CodeAction{
			Title:       fmt.Sprintf("Add %s: %s", field, value),
			Kind:        "quickfix",
			Diagnostics: []Diagnostic{pd},
			IsPreferred: len(out) == 0,
			Edit:        &WorkspaceEdit{Changes: map[string][]TextEdit{s.uri(rel): {e}}},
		})
	}
	if k != model.PageKind && !doc.Has("title") && strings.Contains(d.Message, "needs a title") {
		title := doc.Title
		if hs := headings(t, findFrontmatter(t)); len(hs) > 0 && hs[0].text != "" {
			title = hs[0].text
		}
		act("title", yamlString(title))
	}
	for _, f := range k.Fields {
		if !f.Required || doc.Has(f.Name) || !strings.Contains(d.Message, "needs "+f.Name) {
			continue
		}
		switch f.Type {
		case model.TypeEnum:
			for _, v := range f.Values {
				act(f.Name, v)
			}
		case model.TypeDate:
			act(f.Name, today().Format(time.DateOnly))
		default:
			act(f.Name, `""`)
		}
	}
	return out
}

// yamlString quotes text that YAML would not read back as itself.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#'\"[]{},&*!|>%@`") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}

// today is the date the time-based checks use: SOURCE_DATE_EPOCH's when it
// is set.
func today() time.Time {
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now()
}
