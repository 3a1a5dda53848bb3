// Package export writes a site's documents as CSV for spreadsheets: one
// row per document, in the natural ID order, with its fields, its chain of
// traces up to the vision (one column per level), and the progress of the
// work below it.
//
// The CSV is RFC 4180 (encoding/csv, CRLF line ends, quotes where
// needed), UTF-8, optionally with a byte order mark, which spreadsheet
// programs need to read it as UTF-8. A cell that starts with =, +, -, @, a
// tab or a carriage return gets a leading ': a spreadsheet would read such
// a cell as a formula whatever its quoting, which is how a document's
// title could run a command on a stakeholder's machine (OWASP, "CSV
// Injection").
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"productdocs/generator/model"
)

// Options select what an export writes; the zero value is every document
// and every column.
type Options struct {
	Kinds  []string // only documents of these kinds
	Fields []string // only these columns, in this order
	BOM    bool     // start with a UTF-8 byte order mark
}

// column is one column: its name and how a document's cell is made.
type column struct {
	name string
	cell func(d *model.Document, r *row) string
}

// row holds what several cells of one document share.
type row struct {
	chain  map[string]*model.Document
	rollup *model.Rollup
}

func (r *row) roll(d *model.Document) model.Rollup {
	if r.rollup == nil {
		x := model.RollupOf(d)
		r.rollup = &x
	}
	return *r.rollup
}

// columns are every column, in order, derived from the kinds table so
// that a new kind or field is a new column without an edit here.
var columns = func() []column {
	cols := []column{
		{"id", func(d *model.Document, _ *row) string { return d.ID }},
		{"kind", func(d *model.Document, _ *row) string { return kindName(d) }},
		{"section", func(d *model.Document, _ *row) string { return string(d.Section) }},
		{"title", func(d *model.Document, _ *row) string { return d.Title }},
		{"summary", func(d *model.Document, _ *row) string { return d.Summary }},
		{"status", func(d *model.Document, _ *row) string { return d.Status }},
		{"owner", func(d *model.Document, _ *row) string { return d.Owner }},
		{"tags", func(d *model.Document, _ *row) string { return strings.Join(d.Tags, ", ") }},
		{"updated", func(d *model.Document, _ *row) string { return d.Updated }},
		{"audience", func(d *model.Document, _ *row) string { return audience(d) }},
	}
	seen := map[string]bool{}
	for _, k := range model.Kinds {
		if k.Traces != nil && !seen["traces"] {
			seen["traces"] = true
			cols = append(cols, refColumn("traces"))
		}
	}
	for _, k := range model.Kinds {
		for _, r := range k.Refs {
			if !seen[r.Name] {
				seen[r.Name] = true
				cols = append(cols, refColumn(r.Name))
			}
		}
	}
	for _, k := range model.Kinds {
		for _, f := range k.Fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				cols = append(cols, fieldColumn(f.Name))
			}
		}
	}
	for _, level := range Levels() {
		cols = append(cols, column{"chain_" + level, func(d *model.Document, r *row) string {
			if r.chain == nil {
				r.chain = map[string]*model.Document{}
				for _, up := range d.WhyChain() {
					if up.Kind != nil && r.chain[up.Kind.Name] == nil {
						r.chain[up.Kind.Name] = up
					}
				}
			}
			if up := r.chain[level]; up != nil {
				return up.ID
			}
			return ""
		}})
	}
	// Progress is left empty where nothing is counted, so that a sheet
	// can tell "no work below" from "none of it done".
	progress := func(name string, f func(model.Rollup) string) column {
		return column{name, func(d *model.Document, r *row) string {
			x := r.roll(d)
			if x.Total() == 0 {
				return ""
			}
			return f(x)
		}}
	}
	cols = append(cols,
		progress("progress_done", func(x model.Rollup) string { return strconv.Itoa(x.Done) }),
		progress("progress_items", func(x model.Rollup) string { return strconv.Itoa(x.Total()) }),
		progress("progress_percent", func(x model.Rollup) string { return strconv.Itoa(x.Percent()) }),
		progress("progress_estimate_done", func(x model.Rollup) string { return number(x.EstimateDone) }),
		progress("progress_estimate", func(x model.Rollup) string { return number(x.Estimate) }),
		column{"criteria_checked", func(d *model.Document, _ *row) string {
			n, c := criteria(d)
			if n == 0 {
				return ""
			}
			return strconv.Itoa(c)
		}},
		column{"criteria", func(d *model.Document, _ *row) string {
			if n, _ := criteria(d); n > 0 {
				return strconv.Itoa(n)
			}
			return ""
		}},
		column{"file", func(d *model.Document, _ *row) string { return d.File }},
	)
	return cols
}()

// Levels are the kinds a chain can pass through, top down: every kind
// that some kind's traces may name (vision, objective, initiative, epic).
func Levels() []string {
	var out []string
	for _, k := range model.Kinds {
		for _, other := range model.Kinds {
			if slices.Contains(other.Traces, k.Name) {
				out = append(out, k.Name)
				break
			}
		}
	}
	return out
}

// Columns names every column, in the order Write writes them.
func Columns() []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.name
	}
	return names
}

func kindName(d *model.Document) string {
	if d.Kind == nil {
		return ""
	}
	return d.Kind.Name
}

func refColumn(name string) column {
	return column{name, func(d *model.Document, _ *row) string {
		var ids []string
		for _, r := range d.Refs {
			if r.Field == name {
				ids = append(ids, r.ID)
			}
		}
		return strings.Join(ids, ", ")
	}}
}

func fieldColumn(name string) column {
	return column{name, func(d *model.Document, _ *row) string {
		if name == "key_results" {
			var krs []string
			for _, k := range d.KeyResults {
				krs = append(krs, fmt.Sprintf("%s: %s/%s", k.Metric, value(k.Current), value(k.Target)))
			}
			return strings.Join(krs, "; ")
		}
		return value(d.Fields[name])
	}}
}

func value(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return number(v)
	}
	return fmt.Sprint(v)
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// criteria counts a document's own acceptance criteria and the checked
// ones.
func criteria(d *model.Document) (n, checked int) {
	if d.Body == nil {
		return 0, 0
	}
	for _, c := range d.Body.Criteria {
		n++
		if c.Checked {
			checked++
		}
	}
	return n, checked
}

// Validate checks the options against the kinds table and the columns.
func Validate(o Options) error {
	for _, k := range o.Kinds {
		if model.LookupKind(k) == nil {
			var names []string
			for _, k := range model.Kinds {
				names = append(names, k.Name)
			}
			return fmt.Errorf("unknown kind %q (want one of %s)", k, strings.Join(names, ", "))
		}
	}
	for _, f := range o.Fields {
		if !slices.Contains(Columns(), f) {
			return fmt.Errorf("unknown field %q (want one of %s)", f, strings.Join(Columns(), ", "))
		}
	}
	return nil
}

// Write writes the site's documents as CSV.
func Write(w io.Writer, site *model.Model, o Options) error {
	if err := Validate(o); err != nil {
		return err
	}
	cols := columns
	if len(o.Fields) > 0 {
		cols = nil
		for _, f := range o.Fields {
			cols = append(cols, columns[slices.Index(Columns(), f)])
		}
	}
	if o.BOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	docs := slices.Clone(site.Docs)
	slices.SortStableFunc(docs, model.CompareDocs)
	for _, d := range docs {
		if len(o.Kinds) > 0 && !slices.Contains(o.Kinds, kindName(d)) {
			continue
		}
		var r row
		for i, c := range cols {
			rec[i] = Guard(c.cell(d, &r))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Guard defuses a cell that a spreadsheet would read as a formula: one
// that starts with =, +, -, @, a tab or a carriage return gets a leading
// ', which spreadsheets show as text and do not display.
func Guard(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// audience is a document's audience, as the field names it.
func audience(d *model.Document) string {
	if d.Public {
		return model.Audiences[1]
	}
	return model.Audiences[0]
}
