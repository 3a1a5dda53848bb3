package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"productdocs/generator/config"
	"productdocs/generator/diag"
	"productdocs/generator/export"
	"productdocs/generator/jira"
)

// ioOptions are the flags of import and export.
type ioOptions struct {
	update bool
	types  typeFlag
	kinds  listFlag
	fields listFlag
	bom    bool
}

// typeFlag collects --type TYPE=KIND, which may be given many times.
type typeFlag map[string]string

func (t *typeFlag) String() string {
	var s []string
	for k, v := range *t {
		s = append(s, k+"="+v)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func (t *typeFlag) Set(v string) error {
	name, kind, ok := strings.Cut(v, "=")
	name, kind = strings.TrimSpace(name), strings.TrimSpace(kind)
	if !ok || name == "" {
		return fmt.Errorf("want TYPE=KIND, like Sub-task=story, not %q", v)
	}
	allowed := false
	for _, k := range config.ImportKinds {
		allowed = allowed || k == kind
	}
	if !allowed {
		return fmt.Errorf("%q: the kind must be one of %s", v, strings.Join(config.ImportKinds, ", "))
	}
	if *t == nil {
		*t = typeFlag{}
	}
	(*t)[strings.ToLower(name)] = kind
	return nil
}

// listFlag collects comma-separated values, from one flag given any
// number of times.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

var importCommand = &command{name: "import", args: "jira FILE.csv",
	short: "write one document per issue of a Jira CSV export (all fields) into the site",
	flags: func(fs *flag.FlagSet, o *options) {
		sourceFlag(fs, o)
		fs.BoolVar(&o.io.update, "update", false, "refresh the fields that came from Jira in documents that exist, keeping their text and the team's fields")
		fs.Var(&o.io.types, "type", "map an issue type to a kind, or skip it: `TYPE=KIND` (may be repeated; over import.jira.types)")
	},
	run: runImport}

var exportCommand = &command{name: "export", args: "csv",
	short: "write every document as a CSV row: fields, chain up to the vision, progress",
	flags: func(fs *flag.FlagSet, o *options) {
		sourceFlag(fs, o)
		fs.Var(&o.io.kinds, "kind", "only documents of these `KINDS` (comma-separated)")
		fs.Var(&o.io.fields, "fields", "only these `COLUMNS`, in this order (comma-separated; default all)")
		fs.StringVar(&o.out, "o", "", "")
		fs.StringVar(&o.out, "out", "", "write to `FILE` instead of the standard output")
		fs.BoolVar(&o.io.bom, "bom", false, "start with a UTF-8 byte order mark, for spreadsheet programs that need one")
	},
	run: runExport}

// Exit codes of import: a file that is not a usable Jira export, or
// settings that are wrong, are the user's input with errors (1); a file
// or folder that cannot be read, a document it must not overwrite, or a
// failed write are the tool not able to run (2).
func runImport(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) != 2 || args[0] != "jira" {
		fmt.Fprintln(e.stderr, "productdocs import: want jira FILE.csv (Jira's \"Export → CSV (all fields)\")")
		return ExitTool
	}
	file := args[1]
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs import: %v\n", err)
		return ExitTool
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		fmt.Fprintf(e.stderr, "productdocs import: %s is a folder, not a CSV file\n", file)
		return ExitTool
	}
	site, code := load(ctx, e, "import", o)
	if site == nil {
		return code
	}
	var bad []diag.Diagnostic
	for _, d := range site.Diagnostics {
		if d.Code == diag.CodeSettings {
			bad = append(bad, d)
		}
	}
	if len(bad) > 0 {
		for _, d := range bad {
			fmt.Fprintln(e.stderr, d)
		}
		fmt.Fprintf(e.stderr, "productdocs import: fix %s first; nothing written\n", config.File)
		return ExitContent
	}
	plan, err := jira.MakePlan(o.source, site.Model, file, f, jira.Options{Settings: site.Settings.Import.Jira, Types: o.io.types, Update: o.io.update})
	var ie *jira.InputError
	var ce *jira.ConflictError
	switch {
	case errors.As(err, &ie):
		fmt.Fprintf(e.stderr, "%v\nproductdocs import: nothing written\n", ie)
		return ExitContent
	case errors.As(err, &ce):
		fmt.Fprintf(e.stderr, "productdocs import: %v\n", ce)
		return ExitTool
	case err != nil:
		fmt.Fprintf(e.stderr, "productdocs import: %v; nothing written\n", err)
		return ExitTool
	}
	if err := plan.Write(o.source); err != nil {
		fmt.Fprintf(e.stderr, "productdocs import: %v\n", err)
		return ExitTool
	}
	plan.Summary(e.stdout, file)
	return ExitOK
}

func runExport(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) != 1 || args[0] != "csv" {
		fmt.Fprintln(e.stderr, "productdocs export: want csv")
		return ExitTool
	}
	opts := export.Options{Kinds: o.io.kinds, Fields: o.io.fields, BOM: o.io.bom}
	if err := export.Validate(opts); err != nil {
		fmt.Fprintf(e.stderr, "productdocs export: %v\n", err)
		return ExitTool
	}
	site, code := load(ctx, e, "export", o)
	if site == nil {
		return code
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, site.Model, opts); err != nil {
		fmt.Fprintf(e.stderr, "productdocs export: %v\n", err)
		return ExitTool
	}
	if errs, _ := diag.Count(site.Diagnostics); errs > 0 {
		fmt.Fprintf(e.stderr, "productdocs export: note: the site has %d errors; productdocs check lists them\n", errs)
	}
	if o.out == "" {
		if _, err := e.stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(e.stderr, "productdocs export: %v\n", err)
			return ExitTool
		}
		return ExitOK
	}
	if err := writeAtomic(o.out, buf.Bytes()); err != nil {
		fmt.Fprintf(e.stderr, "productdocs export: %v\n", err)
		return ExitTool
	}
	return ExitOK
}

// writeAtomic writes a file whole or not at all: to a temporary file
// beside it, then renamed over it.
func writeAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644) // as os.WriteFile would make it
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}
