package jira

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxRowBytes bounds one row of the export. Jira caps a text field at
// 32,767 characters, so a real row, even with a few hundred columns of
// comments, stays far below it; a row above it is a file that is not a
// Jira export (or a field run away through an unclosed quote), and
// reading it whole would hold the file in memory.
const MaxRowBytes = 16 << 20

// InputError is a problem in the export itself: where it is, and what.
// Line and Column are the file's (1-based, the column in bytes), Row the
// CSV record (the header is row 1), Field the column's name when known.
type InputError struct {
	File         string
	Line, Column int
	Row          int
	Field        string
	Message      string
}

func (e *InputError) Error() string {
	where := ""
	switch {
	case e.Row > 0 && e.Field != "":
		where = fmt.Sprintf("row %d, column %q: ", e.Row, e.Field)
	case e.Row > 0:
		where = fmt.Sprintf("row %d: ", e.Row)
	}
	return fmt.Sprintf("%s:%d:%d: %s%s", e.File, e.Line, e.Column, where, e.Message)
}

// Reader reads the rows of a Jira CSV export one at a time. Jira names a
// column once per value for multi-valued fields (Labels, Fix Version/s,
// Sprint, Component/s appear as many times as the issue with the most
// values needs), so a row is read by column name into every value.
type Reader struct {
	file   string
	cr     *csv.Reader
	lim    *limitReader
	header []string
	cols   map[string][]int // column name, as folded by key, to its indexes
	row    int
	rec    []string
}

// limitReader lets the CSV reader pull at most n bytes more: it is topped
// up after every row, so a single row cannot grow without bound.
type limitReader struct {
	r io.Reader
	n int64
}

var errRowTooLong = errors.New("row too long")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errRowTooLong
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// key folds a column name for lookup: Jira's own capitalisation has moved
// between versions ("Issue Type", "Issue type").
func key(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// NewReader reads the header of an export and checks that it is one of
// Jira's: required names the columns without which it is not.
func NewReader(r io.Reader, file string, required []string) (*Reader, error) {
	// The slack covers what the CSV reader's buffer reads ahead.
	lim := &limitReader{r: r, n: MaxRowBytes + 64<<10}
	cr := csv.NewReader(lim)
	cr.FieldsPerRecord = -1 // checked here, to name the row and column
	cr.ReuseRecord = true
	rd := &Reader{file: file, cr: cr, lim: lim, cols: map[string][]int{}}
	rec, err := rd.next()
	if err == io.EOF {
		return nil, &InputError{File: file, Line: 1, Column: 1, Message: "the file is empty; want Jira's CSV export (all fields) with its header row"}
	}
	var ie *InputError
	if errors.As(err, &ie) {
		ie.Message = "not a Jira CSV export: " + ie.Message
		return nil, ie
	}
	if err != nil {
		return nil, err
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	rd.header = append([]string(nil), rec...)
	for i, name := range rd.header {
		k := key(name)
		rd.cols[k] = append(rd.cols[k], i)
	}
	var missing []string
	for _, name := range required {
		if _, ok := rd.cols[key(name)]; !ok {
			missing = append(missing, fmt.Sprintf("%q", name))
		}
	}
	if len(rd.header) == 1 && strings.Count(rd.header[0], ";") >= len(required)-1 {
		return nil, &InputError{File: file, Line: 1, Column: 1, Row: 1, Message: "not a Jira CSV export: the columns are separated by semicolons, as a spreadsheet saves CSV in some languages; use the file Jira exported, which separates them by commas"}
	}
	if len(missing) == len(required) {
		return nil, &InputError{File: file, Line: 1, Column: 1, Row: 1, Message: fmt.Sprintf("not a Jira CSV export: the header has none of the columns %s (it starts %s); export with Jira's \"Export → CSV (all fields)\"", strings.Join(missing, ", "), headStart(rd.header))}
	}
	if len(missing) > 0 {
		return nil, &InputError{File: file, Line: 1, Column: 1, Row: 1, Message: fmt.Sprintf("the header has no %s column, which the import needs", strings.Join(missing, " or "))}
	}
	return rd, nil
}

func headStart(h []string) string {
	var q []string
	for i, s := range h {
		if i == 4 {
			q = append(q, "…")
			break
		}
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		q = append(q, fmt.Sprintf("%q", s))
	}
	return strings.Join(q, ", ")
}

// next reads one record and checks its text.
func (r *Reader) next() ([]string, error) {
	r.lim.n = MaxRowBytes + 64<<10
	start := r.cr.InputOffset()
	rec, err := r.cr.Read()
	r.row++
	if err == nil && r.cr.InputOffset()-start > MaxRowBytes {
		err = errRowTooLong
	}
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if errors.Is(pe.Err, errRowTooLong) {
				return nil, &InputError{File: r.file, Line: pe.StartLine, Column: 1, Row: r.row, Message: fmt.Sprintf("the row is longer than %d MiB; is this a Jira CSV export, and are its quotes closed?", MaxRowBytes>>20)}
			}
			msg := pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				msg += " (not valid CSV)"
			}
			return nil, &InputError{File: r.file, Line: pe.Line, Column: pe.Column, Row: r.row, Message: msg}
		}
		if errors.Is(err, errRowTooLong) {
			line, _ := r.cr.FieldPos(0)
			return nil, &InputError{File: r.file, Line: line, Column: 1, Row: r.row, Message: fmt.Sprintf("the row is longer than %d MiB; is this a Jira CSV export, and are its quotes closed?", MaxRowBytes>>20)}
		}
		return nil, fmt.Errorf("reading %s: %w", r.file, err)
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			line, col := r.cr.FieldPos(i)
			off := invalidAt(f)
			// FieldPos points at the field's start; step to the bad byte
			// when it is on the field's first line.
			if nl := strings.IndexByte(f[:off], '\n'); nl < 0 {
				col += off
			}
			return nil, &InputError{File: r.file, Line: line, Column: col, Row: r.row, Field: r.name(i), Message: "the text is not UTF-8; export again from Jira, or convert the file to UTF-8"}
		}
	}
	if r.header != nil && len(rec) > len(r.header) {
		line, col := r.cr.FieldPos(len(r.header))
		return nil, &InputError{File: r.file, Line: line, Column: col, Row: r.row, Message: fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(r.header))}
	}
	return rec, nil
}

func invalidAt(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

func (r *Reader) name(i int) string {
	if i < len(r.header) {
		return r.header[i]
	}
	return ""
}

// Next advances to the next row; it returns io.EOF after the last. A row
// with fewer cells than the header is read as if the missing ones were
// empty: spreadsheets drop trailing empty cells when they save a file.
func (r *Reader) Next() error {
	rec, err := r.next()
	if err != nil {
		return err
	}
	r.rec = rec
	return nil
}

// Row is the current row's number (the header is row 1).
func (r *Reader) Row() int { return r.row }

// Has reports whether the export has a column of that name.
func (r *Reader) Has(name string) bool { return len(r.cols[key(name)]) > 0 }

// Get returns the first non-empty value of the named column in the
// current row, trimmed, or "". Values are copied out of the row: the CSV
// reader makes one string of a whole row, and a title kept as a slice of
// it would keep the row, wide comment columns and all.
func (r *Reader) Get(name string) string {
	for _, i := range r.cols[key(name)] {
		if i < len(r.rec) {
			if v := strings.TrimSpace(r.rec[i]); v != "" {
				return strings.Clone(v)
			}
		}
	}
	return ""
}

// Text returns the named column's value untrimmed (for bodies, whose
// leading spaces may matter), the first non-empty one.
func (r *Reader) Text(name string) string {
	for _, i := range r.cols[key(name)] {
		if i < len(r.rec) && strings.TrimSpace(r.rec[i]) != "" {
			return strings.Clone(strings.ReplaceAll(r.rec[i], "\r\n", "\n"))
		}
	}
	return ""
}

// All returns every non-empty value of a repeated column, trimmed, in
// column order.
func (r *Reader) All(name string) []string {
	var out []string
	for _, i := range r.cols[key(name)] {
		if i < len(r.rec) {
			if v := strings.TrimSpace(r.rec[i]); v != "" {
				out = append(out, strings.Clone(v))
			}
		}
	}
	return out
}

// Pos returns the position of the named column's first non-empty value in
// the current row (of its first cell when all are empty), for errors.
func (r *Reader) Pos(name string) (line, col int) {
	idx := r.cols[key(name)]
	if len(idx) == 0 {
		return r.cr.FieldPos(0)
	}
	pick := idx[0]
	for _, i := range idx {
		if i < len(r.rec) && strings.TrimSpace(r.rec[i]) != "" {
			pick = i
			break
		}
	}
	if pick >= len(r.rec) {
		pick = 0
	}
	return r.cr.FieldPos(pick)
}

// Errorf makes an InputError at the named column of the current row.
func (r *Reader) Errorf(column, format string, args ...any) *InputError {
	line, col := r.Pos(column)
	name := column
	if idx := r.cols[key(column)]; len(idx) > 0 {
		name = r.header[idx[0]]
	}
	return &InputError{File: r.file, Line: line, Column: col, Row: r.row, Field: name, Message: fmt.Sprintf(format, args...)}
}
