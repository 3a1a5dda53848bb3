package markdown

import "bytes"

// LinkSpan finds link l in src, the body it was parsed from: the bytes
// the whole link takes, [start, end), and its label, the text it shows
// of its own (a wiki link's after '|', a Markdown link's between the
// brackets; nil for [[ID]], which shows the target's title). It reads
// inline links only: ok is false for a reference link ([text][ref]) or
// where src does not hold l at its offset.
//
// The public site uses it to write a link to an internal document as its
// label alone, in the source, before the body is parsed for that site:
// then neither the page, nor the search index's text, nor a heading has
// anything of the target.
func LinkSpan(src []byte, l Link) (start, end int, label []byte, ok bool) {
	at := l.Offset
	if at < 0 || at >= len(src) {
		return 0, 0, nil, false
	}
	if l.Kind == Wiki {
		if !bytes.HasPrefix(src[at:], []byte("[[")) {
			return 0, 0, nil, false
		}
		stop := bytes.Index(src[at+2:], []byte("]]"))
		if stop < 0 {
			return 0, 0, nil, false
		}
		inner := src[at+2 : at+2+stop]
		if _, lab, found := bytes.Cut(inner, []byte("|")); found {
			label = bytes.TrimSpace(lab)
		}
		return at, at + 2 + stop + 2, label, true
	}
	if src[at] == '!' {
		at++
	}
	if at >= len(src) || src[at] != '[' {
		return 0, 0, nil, false
	}
	// The label's closing bracket, brackets nesting, escapes skipped.
	depth, i := 0, at
	for ; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
			continue
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if i+1 >= len(src) || src[i+1] != '(' {
		return 0, 0, nil, false
	}
	label = src[at+1 : i]
	// The destination and title up to the closing parenthesis, which
	// nests; a title in quotes or a destination in <> may hold any.
	depth = 0
	for j := i + 1; j < len(src); j++ {
		switch c := src[j]; c {
		case '\\':
			j++
		case '"', '\'', '<':
			closer := c
			if c == '<' {
				closer = '>'
			}
			k := bytes.IndexByte(src[j+1:], closer)
			if k < 0 {
				return 0, 0, nil, false
			}
			j += k + 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return l.Offset, j + 1, label, true
			}
		case '\n':
			if j+1 < len(src) && src[j+1] == '\n' {
				return 0, 0, nil, false // a link does not cross a blank line
			}
		}
	}
	return 0, 0, nil, false
}
