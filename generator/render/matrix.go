package render

import (
	"encoding/csv"
	"io"
	"strings"

	"productdocs/generator/model"
)

// matrixHeader is the traceability matrix's first row: the item, then its
// chain up to the vision, a column a level.
var matrixHeader = []string{"id", "kind", "title", "status", "release", "epic", "initiative", "objective", "vision", "url"}

// matrixCSV writes trace/matrix.csv: a header row, then one row per epic
// and story in backlog order, with the chain of its traces links up to
// the vision (each level in its column, by the kind met there), its status
// and its releases. It is RFC 4180 (CRLF line ends, quotes where needed);
// a cell that a spreadsheet would read as a formula is prefixed with "'".
func (r *Renderer) matrixCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(matrixHeader); err != nil {
		return err
	}
	row := make([]string, len(matrixHeader))
	for _, d := range r.Site.Backlog {
		clear(row)
		row[0], row[1], row[2], row[3] = d.ID, d.Kind.Name, d.Title, d.Status
		var rels []string
		for _, rel := range d.RefsTo("release") {
			rels = append(rels, rel.ID)
		}
		row[4] = strings.Join(rels, " ")
		for up := range d.Ups() {
			if i := matrixColumn(up.Kind); i > 0 && row[i] == "" {
				row[i] = up.ID
			}
		}
		row[9] = d.URL
		for i, c := range row {
			row[i] = csvSafe(c)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// matrixColumn is the column of a kind on the chain, or 0.
func matrixColumn(k *model.Kind) int {
	switch k.Name {
	case "epic":
		return 5
	case "initiative":
		return 6
	case "objective":
		return 7
	case "vision":
		return 8
	}
	return 0
}

// csvSafe guards a cell against formula injection (OWASP's advice): a
// cell starting with =, +, -, @, a tab or a carriage return is read as a
// formula by spreadsheets, so it is prefixed with a quote.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
