// Package scaffold writes new content: a starter site for `productdocs
// init`, and a new document of a kind for `productdocs new`.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"productdocs/generator/model"
)

//go:embed starter
var starter embed.FS

// Starter is the starter site's files, rooted at the site root.
func Starter() fs.FS {
	sub, err := fs.Sub(starter, "starter")
	if err != nil {
		panic(err) // the embedded tree is fixed at compile time
	}
	return sub
}

// ErrNotEmpty is returned by Init for a folder that already has files.
var ErrNotEmpty = errors.New("folder is not empty")

// starterYear is the year the starter site's dates are written in; Init
// moves them to the year after today's, so that a new site's release and
// quarters lie ahead and its first check reports nothing late.
const starterYear = "2027"

// Init writes the starter site into dir, which must be empty or absent,
// with its dates in the year after today's.
func Init(dir string) error { return InitOn(dir, time.Now()) }

// InitOn is Init on the day today (the date the checks read: the CLI's
// comes from SOURCE_DATE_EPOCH or the clock).
func InitOn(dir string, today time.Time) error {
	year := []byte(strconv.Itoa(today.Year() + 1))
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s: %w; init writes only into an empty or new folder", dir, ErrNotEmpty)
	}
	return fs.WalkDir(Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(Starter(), p)
		if err != nil {
			return err
		}
		if path.Ext(p) == ".md" {
			data = bytes.ReplaceAll(data, []byte(starterYear+"-"), append(year, '-'))
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// NextID returns the next free conventional ID of a kind: one more than
// the highest PREFIX-n in the site.
func NextID(site *model.Model, k *model.Kind) string {
	re := regexp.MustCompile(`(?i)^` + regexp.QuoteMeta(k.Prefix) + `-(\d+)$`)
	n := 0
	for _, d := range site.Docs {
		if m := re.FindStringSubmatch(d.ID); m != nil {
			if v, err := strconv.Atoi(m[1]); err == nil && v > n {
				n = v
			}
		}
	}
	for {
		n++
		id := fmt.Sprintf("%s-%d", k.Prefix, n)
		if site.Lookup(id) == nil {
			return id
		}
	}
}

// Path is where `new` writes a document of kind k with that ID, from the
// site root.
func Path(k *model.Kind, id string) string {
	return path.Join("content", string(k.Section), k.Folder, strings.ToLower(id)+".md")
}

// Document returns the text of a new document: frontmatter with every
// required field, the optional ones as comments, and a body to start from.
// Required values the tool cannot know are left empty with a comment
// saying what to write, so `check` points at them until they are filled.
func Document(k *model.Kind, id, title, today string) string {
	if title == "" {
		title = "New " + k.Name
	}
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "id: %s\nkind: %s\ntitle: %s\n", id, k.Name, yamlString(title))
	b.WriteString("summary:            # one line, shown in lists\n")
	b.WriteString("status: proposed    # proposed, planned, in-progress, done or dropped\n")
	b.WriteString("owner:\n")
	fmt.Fprintf(&b, "updated: %s\n", today)
	if k.Traces != nil {
		fmt.Fprintf(&b, "traces:             # TODO required: the ID of the %s this serves\n", strings.Join(k.Traces, " or "))
	}
	for _, f := range k.Fields {
		switch {
		case f.Required && f.Type == model.TypeEnum:
			fmt.Fprintf(&b, "%s: %s   # %s\n", f.Name, f.Values[len(f.Values)-1], strings.Join(f.Values, ", "))
		case f.Required && f.Type == model.TypeDate:
			fmt.Fprintf(&b, "%s: %s   # TODO: YYYY-MM-DD\n", f.Name, today)
		case f.Required:
			fmt.Fprintf(&b, "%s:   # TODO required\n", f.Name)
		default:
			fmt.Fprintf(&b, "# %s: %s\n", f.Name, fieldHint(f))
		}
	}
	for _, r := range k.Refs {
		fmt.Fprintf(&b, "# %s: []   # IDs of %s documents\n", r.Name, strings.Join(r.Kinds, ", "))
	}
	b.WriteString("---\n\n")
	b.WriteString(body(k))
	return b.String()
}

func fieldHint(f model.FieldSpec) string {
	switch f.Type {
	case model.TypeEnum:
		return strings.Join(f.Values, " | ")
	case model.TypeDate:
		return "YYYY-MM-DD"
	case model.TypeQuarter:
		return "YYYY-Qn"
	case model.TypeRank:
		return "1   # backlog order, lower first"
	case model.TypeEstimate:
		return "3"
	case model.TypeKeyResults:
		return "[{metric: \"…\", target: 100, current: 0}]"
	}
	return "…"
}

func body(k *model.Kind) string {
	switch k.Name {
	case "story":
		return "As a …, I want … so that ….\n\n## Acceptance criteria\n\n- [ ] …\n"
	case "epic":
		return "What this epic delivers, and for whom.\n\n## Scope\n\n…\n"
	case "feedback":
		return "What the stakeholder said, in their words.\n"
	}
	return "…\n"
}

func yamlString(s string) string {
	return strconv.Quote(s)
}

// Write creates the file at root/rel with text, refusing to overwrite.
func Write(root, rel, text string) error {
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; new never overwrites", rel)
		}
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
