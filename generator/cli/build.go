package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/output"
)

func runBuild(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "productdocs build: unexpected argument %q\n", args[0])
		return ExitTool
	}
	if o.out == "" {
		o.out = filepath.Join(o.source, "public") // SPEC §2: the output lives in the site root
	}
	// An output folder that must not be replaced is a usage error, found
	// before any work: the content's problems would hide it.
	if err := output.Check(o.source, o.out); err != nil {
		fmt.Fprintf(e.stderr, "productdocs build: %s\n", diag.Printable(err.Error()))
		return ExitTool
	}
	start := time.Now()
	restore := loadGC()
	site, code := load(ctx, e, "build", o)
	// Rendering makes garbage, which the collector must take in time:
	// the peak memory of a build is what it is judged by too.
	restore()
	if site == nil {
		return code
	}
	defer useCache(e, "build", o)()
	opts := generator.BuildOptions{Out: o.out, BaseURL: o.baseURL, Waiting: func() {
		fmt.Fprintf(e.stderr, "productdocs build: another build is writing %s; waiting for it to finish\n", o.out)
	}}
	if isTerminal(e.stdout) {
		opts.Progress = progressLine(e, time.Now())
	}
	res, err := generator.Build(ctx, site, o.source, o.strict, opts)
	if opts.Progress != nil {
		fmt.Fprint(e.stdout, "\r\033[K")
	}
	switch {
	case errors.Is(err, generator.ErrFailed):
		report(e, o, site, e.stderr)
		fmt.Fprintf(e.stderr, "productdocs build: not built; %s is unchanged\n", o.out)
		return ExitContent
	case errors.Is(err, output.ErrRefused):
		fmt.Fprintf(e.stderr, "productdocs build: %s\n", diag.Printable(err.Error()))
		return ExitTool
	case err != nil:
		fmt.Fprintf(e.stderr, "productdocs build: %s\n", diag.Printable(err.Error()))
		return ExitTool
	}
	if len(site.Diagnostics) > 0 || o.output != "" {
		if code := report(e, o, site, e.stderr); code != ExitOK {
			return code
		}
	}
	_, warnings := countDiags(site)
	fmt.Fprintf(e.stdout, "Built %s pages in %s%s\n", thousands(res.Pages), seconds(time.Since(start)), warningNote(warnings))
	return ExitOK
}

func countDiags(site *generator.Site) (errs, warnings int) {
	r := site.Report().Summary()
	return r.Errors, r.Warnings
}

func warningNote(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " (1 warning)"
	}
	return fmt.Sprintf(" (%d warnings)", n)
}

func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// thousands writes n with a comma between thousands: 10,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine redraws one line with the build's progress, at most ten
// times a second.
func progressLine(e *env, start time.Time) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if now := time.Now(); now.Sub(last) > 100*time.Millisecond || done == total {
			last = now
			fmt.Fprintf(e.stdout, "\r\033[KWriting %d/%d files (%s)", done, total, seconds(now.Sub(start)))
		}
	}
}
