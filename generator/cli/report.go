package cli

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"productdocs/generator"
	"productdocs/generator/diag"
)

// report writes the site's diagnostics and returns ExitOK, or ExitTool when
// they could not be written; whether the content fails the run is the
// caller's to decide. check passes stdout as w, build stderr.
//
// Where they go:
//   - without --output, --format (text by default) goes to w;
//   - with --output FILE, --format goes to FILE and text to w, so the log
//     stays readable while a CI system reads the file;
//   - in GitHub Actions (GITHUB_ACTIONS=true), wherever text goes to w the
//     annotations go there too, and with them, as with --format github, a
//     Markdown summary is appended to the file GITHUB_STEP_SUMMARY names,
//     because GitHub shows only ten annotations of each level per step.
func report(e *env, o *options, site *generator.Site, ds []diag.Diagnostic, w io.Writer) int {
	getenv := e.getenv
	if getenv == nil {
		getenv = func(string) string { return "" } // a test's env without one: no CI
	}
	r := site.Report()
	r.Diagnostics = ds
	ci := fromCheckout(r, o.source, getenv)

	format, annotate := o.format, o.format == "github"
	if format == "" || o.output != "" {
		format, annotate = "text", getenv("GITHUB_ACTIONS") == "true"
	}
	// Annotations first, so that the log still ends on the summary line.
	if annotate && format != "github" {
		if err := diag.WriteAnnotations(w, ci.Diagnostics); err != nil {
			return failed(e, err)
		}
	}
	if err := write(w, format, r, ci, o); err != nil {
		return failed(e, err)
	}
	if o.output != "" {
		if err := writeFile(o.output, os.O_TRUNC, func(f io.Writer) error {
			return write(f, cmp.Or(o.format, "text"), r, ci, o)
		}); err != nil {
			return failed(e, err)
		}
	}
	if p := getenv("GITHUB_STEP_SUMMARY"); annotate && p != "" {
		// Append, as GitHub asks: an earlier command of the step may have
		// written its own summary there.
		if err := writeFile(p, os.O_APPEND, func(f io.Writer) error {
			return diag.WriteStepSummary(f, ci)
		}); err != nil {
			return failed(e, err)
		}
	}
	return ExitOK
}

// write writes one format. The formats that a CI system reads take the
// paths from the checkout (ci), the others those from the site root, as
// SPEC §5 says; sarif and junit also take what a Report does not carry.
func write(w io.Writer, format string, r, ci *diag.Report, o *options) error {
	switch format {
	case "github":
		return diag.Write(w, format, ci)
	case "sarif":
		return diag.WriteSARIF(w, ci, version())
	case "junit":
		return diag.WriteJUnit(w, ci, o.strict)
	}
	return diag.Write(w, format, r)
}

func writeFile(name string, mode int, fn func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|mode, 0o666)
	if err != nil {
		return err
	}
	err = fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

func failed(e *env, err error) int {
	fmt.Fprintf(e.stderr, "productdocs: %v\n", err)
	return ExitTool
}

// fromCheckout returns r with its paths relative to the root of the
// checkout rather than the site root, for the formats a CI system matches
// against the repository's files: with the site in docs/ (-s docs), an
// annotation on content/x.md must say docs/content/x.md to land on it. The
// root is the one the CI system names, or else the working directory;
// a site outside it keeps its own paths, having none better.
func fromCheckout(r *diag.Report, source string, getenv func(string) string) *diag.Report {
	root := getenv("GITHUB_WORKSPACE")
	if root == "" {
		root = getenv("CI_PROJECT_DIR") // GitLab
	}
	if root == "" {
		root, _ = os.Getwd()
	}
	abs, err := filepath.Abs(source)
	if err != nil || root == "" {
		return r
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return r
	}
	prefix := filepath.ToSlash(rel)
	out := &diag.Report{
		Diagnostics: make([]diag.Diagnostic, len(r.Diagnostics)),
		Documents:   make([]diag.Document, len(r.Documents)),
	}
	// One prefix for every path keeps the sorted order.
	for i, d := range r.Diagnostics {
		d.File = path.Join(prefix, d.File)
		out.Diagnostics[i] = d
	}
	for i, d := range r.Documents {
		d.File = path.Join(prefix, d.File)
		out.Documents[i] = d
	}
	return out
}
