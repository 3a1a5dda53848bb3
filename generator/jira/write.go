package jira

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"productdocs/generator/model"
)

// Write writes the plan's files into the site at root, all or nothing:
// every file is first written in full to a temporary file beside its
// target (named with a leading '.', which a site ignores), and only when
// all are written are they renamed into place. A failure before the
// renames removes the temporary files and the folders made for them, and
// leaves the site as it was.
func (p *Plan) Write(root string) (err error) {
	type pending struct{ tmp, target string }
	var done []pending
	var made []string
	defer func() {
		if err == nil {
			return
		}
		for _, f := range done {
			os.Remove(f.tmp)
		}
		for _, d := range slices.Backward(made) {
			os.Remove(d) // only if still empty
		}
	}()
	for _, f := range p.Files {
		if f.Same {
			continue
		}
		target := filepath.Join(root, filepath.FromSlash(f.Path))
		dir := filepath.Dir(target)
		newDirs, err := mkdirAll(dir)
		made = append(made, newDirs...)
		if err != nil {
			return err
		}
		tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.tmp")
		if err != nil {
			return err
		}
		done = append(done, pending{tmp.Name(), target})
		_, werr := tmp.WriteString(f.Text)
		if werr == nil {
			werr = tmp.Chmod(0o644) // as os.WriteFile would make it
		}
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return fmt.Errorf("writing %s: %w", f.Path, werr)
		}
	}
	for i, f := range done {
		if err := os.Rename(f.tmp, f.target); err != nil {
			for _, rest := range done[i:] {
				os.Remove(rest.tmp)
			}
			return fmt.Errorf("%w (%d of %d files were written)", err, i, len(done))
		}
	}
	return nil
}

// mkdirAll makes dir and its missing parents, and returns the ones it
// made, outermost first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(missing)
	var made []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return made, err
		}
		made = append(made, d)
	}
	return made, nil
}

// Summary writes what the import wrote, by kind, and everything it could
// not map, so that the team knows what to fix in Jira or in the settings.
func (p *Plan) Summary(w io.Writer, file string) {
	created, updated := map[string]int{}, map[string]int{}
	same := 0
	for _, f := range p.Files {
		switch {
		case f.New:
			created[f.Kind]++
		case f.Same:
			same++
		default:
			updated[f.Kind]++
		}
	}
	fmt.Fprintf(w, "Read %s of %s.\n", plural(p.Issues, "issue"), file)
	byKind := func(verb string, n map[string]int) {
		total := 0
		for _, c := range n {
			total += c
		}
		if total == 0 {
			return
		}
		fmt.Fprintf(w, "%s %s:\n", verb, plural(total, "document"))
		for _, k := range model.Kinds {
			if c := n[k.Name]; c > 0 {
				fmt.Fprintf(w, "  %-11s %d\n", k.Name, c)
			}
		}
	}
	byKind("Wrote", created)
	byKind("Updated", updated)
	if same > 0 {
		fmt.Fprintf(w, "Unchanged: %s.\n", plural(same, "document"))
	}
	if len(created)+len(updated) == 0 && same == 0 {
		fmt.Fprintln(w, "Wrote nothing.")
	}
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		fmt.Fprintf(w, "%s:\n", title)
		for _, l := range lines {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	section("Not imported", p.Skipped)
	section("Statuses not mapped", p.Statuses)
	section("Priorities not mapped", p.Priorities)
	section("Parents not in the export", p.Parents)
	section("Releases without a date", p.Undated)
	section("Notes", p.Notes)
	if len(p.Parents)+len(p.Undated) > 0 {
		fmt.Fprintln(w, "Run productdocs check to see what to connect.")
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, strings.TrimSuffix(word, "s"))
}
