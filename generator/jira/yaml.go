package jira

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"productdocs/generator/content"
)

// entry is one top-level frontmatter key as the import writes it: the key
// and the lines of its block, the first of which starts with "key:".
type entry struct {
	key   string
	lines []string
	// sub, for extra, is the one key under it that is the import's: the
	// rest of extra is the team's.
	sub *entry
	// ifAbsent: an update adds the key where the file has none, and
	// leaves it alone where it has one, even empty.
	ifAbsent bool
}

func scalarEntry(key, value string) entry {
	return entry{key: key, lines: []string{key + ": " + yamlText(value)}}
}

func listEntry(key string, values []string) entry {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = yamlText(v)
	}
	return entry{key: key, lines: []string{key + ": [" + strings.Join(q, ", ") + "]"}}
}

// block returns e's lines indented by n spaces.
func (e entry) indented(n int) []string {
	out := make([]string, len(e.lines))
	for i, l := range e.lines {
		out[i] = strings.Repeat(" ", n) + l
	}
	return out
}

var plainRE = regexp.MustCompile(`^[\p{L}][\p{L}\p{N} _.'/()&-]*$`)

// yamlText writes a string so that YAML reads it back as that string: plain
// where that is safe, else double-quoted (Go's quoting is a subset of
// YAML's double-quoted style for valid UTF-8).
func yamlText(s string) string {
	if plainRE.MatchString(s) && !strings.HasSuffix(s, " ") && !strings.Contains(s, " -") {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~":
		default:
			return s
		}
	}
	return strconv.Quote(s)
}

// newDocument writes a document from its entries and its body.
func newDocument(entries []entry, body string) string {
	var b strings.Builder
	b.WriteString("---\n")
	for _, e := range entries {
		for _, l := range e.lines {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString("---\n")
	if body != "" {
		b.WriteString("\n" + body)
	}
	return b.String()
}

// edit is a change to a file's lines: lines [start, end) become repl.
type edit struct {
	start, end int
	repl       []string
}

// updateDocument rewrites the keys of entries in an existing document's
// YAML frontmatter and leaves every other byte as it was: the body, the
// team's keys, their order and their comments. A key the import writes
// replaces that key's block (its line and the lines indented under it) in
// place, keeping a comment at the end of a one-line value; a key the file
// lacks is added at the end of the frontmatter. Under extra, only the jira
// key is the import's. notes says what could not be done.
func updateDocument(file string, old []byte, entries []entry) (string, []string, error) {
	fm, format, _, _, prob := content.Split(old)
	if prob != nil {
		return "", nil, fmt.Errorf("%s:%d:%d: cannot update: %s", file, prob.Pos.Line, prob.Pos.Column, prob.Message)
	}
	if fm == nil || format != "yaml" || fm.Kind != content.Map {
		return "", nil, fmt.Errorf("%s: cannot update: --update edits YAML frontmatter (between --- lines) only", file)
	}
	text := strings.TrimPrefix(string(old), "\ufeff")
	bom := len(text) != len(old)
	nl := "\n"
	if strings.Contains(text, "\r\n") {
		nl = "\r\n"
	}
	lines := strings.SplitAfter(text, "\n")
	closing := -1
	opened := false
	for i, l := range lines {
		if strings.TrimSpace(l) == "---" {
			if opened {
				closing = i
				break
			}
			opened = true
		}
	}
	if closing < 0 {
		return "", nil, fmt.Errorf("%s: cannot update: no closing --- line", file)
	}
	// spans: where each top-level key's block is.
	type span struct{ start, end int }
	fields := slices.Clone(fm.Map)
	slices.SortFunc(fields, func(a, b *content.Field) int { return a.KeyPos.Line - b.KeyPos.Line })
	spanOf := func(list []*content.Field, i, limit int) span {
		s := list[i].KeyPos.Line - 1
		e := limit
		if i+1 < len(list) {
			e = list[i+1].KeyPos.Line - 1
		}
		for e > s+1 {
			t := strings.TrimSpace(lines[e-1])
			if t == "" || strings.HasPrefix(t, "#") {
				e--
				continue
			}
			break
		}
		return span{s, e}
	}
	var edits []edit
	var notes, add []string
	for _, en := range entries {
		i := slices.IndexFunc(fields, func(f *content.Field) bool { return f.Key == en.key })
		if i < 0 {
			for _, l := range en.lines {
				add = append(add, l+nl)
			}
			continue
		}
		if en.ifAbsent {
			continue
		}
		sp := spanOf(fields, i, closing)
		f := fields[i]
		if en.sub == nil {
			repl := slices.Clone(en.lines)
			if len(repl) == 1 && sp.end == sp.start+1 {
				repl[0] += trailingComment(lines[sp.start])
			}
			edits = append(edits, edit{sp.start, sp.end, withNL(repl, nl)})
			continue
		}
		// extra: edit the jira key inside it.
		v := f.Value
		switch {
		case v.Kind == content.Null:
			edits = append(edits, edit{sp.start, sp.end, withNL(en.lines, nl)})
		case v.Kind != content.Map || v.Pos.Line == f.KeyPos.Line:
			notes = append(notes, fmt.Sprintf("%s: %s is not written as a block mapping; its %s part was left as it was", file, en.key, en.sub.key))
		default:
			subs := slices.Clone(v.Map)
			slices.SortFunc(subs, func(a, b *content.Field) int { return a.KeyPos.Line - b.KeyPos.Line })
			indent := subs[0].KeyPos.Column - 1
			j := slices.IndexFunc(subs, func(f *content.Field) bool { return f.Key == en.sub.key })
			if j < 0 {
				edits = append(edits, edit{sp.end, sp.end, withNL(en.sub.indented(indent), nl)})
				continue
			}
			ssp := spanOf(subs, j, sp.end)
			edits = append(edits, edit{ssp.start, ssp.end, withNL(en.sub.indented(subs[j].KeyPos.Column-1), nl)})
		}
	}
	if len(add) > 0 {
		edits = append(edits, edit{closing, closing, add})
	}
	// From the bottom up, so that earlier positions hold; at one line, a
	// replacement before an insertion there.
	slices.SortFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return b.start - a.start
		}
		return b.end - a.end
	})
	for _, e := range edits {
		lines = slices.Replace(lines, e.start, e.end, e.repl...)
	}
	out := strings.Join(lines, "")
	if bom {
		out = "\ufeff" + out
	}
	// The edit is of lines, not of the YAML tree: read the result back,
	// and refuse it unless every key written reads as one.
	nfm, _, _, _, prob := content.Split([]byte(out))
	if prob != nil {
		return "", nil, fmt.Errorf("%s: updating the frontmatter would break it (%s); update it by hand", file, prob.Message)
	}
	for _, en := range entries {
		f := nfm.Get(en.key)
		ok := f != nil
		if ok && en.sub != nil && f.Value.Kind == content.Map && f.Value.Pos.Line != f.KeyPos.Line {
			ok = f.Value.Get(en.sub.key) != nil
		}
		if !ok {
			return "", nil, fmt.Errorf("%s: the frontmatter is written in a way the update cannot edit line by line (%s would not read back); update it by hand", file, en.key)
		}
	}
	return out, notes, nil
}

func withNL(lines []string, nl string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l + nl
	}
	return out
}

// trailingComment returns the " # comment" at the end of a one-line
// "key: value" line, or "". A line with quotes is left alone: telling a #
// inside a quoted string from a comment is the YAML parser's job, and a
// comment lost is better than a value broken.
func trailingComment(line string) string {
	line = strings.TrimRight(line, "\r\n")
	_, v, _ := strings.Cut(line, ":")
	if strings.ContainsAny(v, `"'`) {
		return ""
	}
	if strings.HasPrefix(strings.TrimSpace(v), "#") {
		return " " + strings.TrimSpace(v)
	}
	if i := strings.Index(v, " #"); i >= 0 {
		for i > 0 && (v[i-1] == ' ' || v[i-1] == '\t') {
			i--
		}
		return v[i:]
	}
	return ""
}
