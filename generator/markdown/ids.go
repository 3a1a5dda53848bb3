package markdown

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Slug turns heading text into an anchor: letters (of any script) and
// digits lower-cased, spaces, '-' and '_' as '-', everything else dropped.
// goldmark's own generator drops every non-ASCII letter ("Überblick" →
// "berblick"), which would make anchors of non-English docs useless. An
// empty result becomes "heading".
func Slug(text string) string {
	b := make([]byte, 0, len(text))
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b = utf8.AppendRune(b, unicode.ToLower(r))
		case r == ' ' || r == '\t' || r == '-' || r == '_':
			b = append(b, '-')
		}
	}
	if len(b) == 0 {
		return "heading"
	}
	return string(b)
}

// ids hands out unique anchors within one document, as GitHub does: the
// second "Notes" heading is "notes-1".
type ids map[string]bool

func (s ids) unique(base string) string {
	if !s[base] {
		s[base] = true
		return base
	}
	for i := 1; ; i++ {
		id := base + "-" + strconv.Itoa(i)
		if !s[id] {
			s[id] = true
			return id
		}
	}
}
