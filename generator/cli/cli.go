// Package cli is productdocs' command line: it parses the subcommand and
// its flags, calls the generator, and turns the outcome into an exit code:
// 0 success, 1 the content has errors (or warnings under --strict), 2 the
// tool could not run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"productdocs/generator"
	"productdocs/generator/diag"
	"productdocs/generator/model"
	"productdocs/generator/scaffold"
)

// Version is the release; a build may set it with -ldflags "-X".
var Version = "0.5.0"

// Exit codes.
const (
	ExitOK      = 0
	ExitContent = 1
	ExitTool    = 2
)

type command struct {
	name  string
	args  string // positional arguments, for usage
	short string
	flags func(fs *flag.FlagSet, o *options)
	run   func(ctx context.Context, e *env, o *options, args []string) int
}

type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// options are every command's flags; each command registers the ones it
// takes.
type options struct {
	source  string
	out     string
	addr    string
	format  string
	output  string
	baseURL string
	strict  bool
	poll    bool
	io      ioOptions // import and export
	// audience is "internal" or "public" (build, serve).
	audience string
	cache    string
}

func sourceFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.source, "s", ".", "")
	fs.StringVar(&o.source, "source", ".", "the site root `DIR`")
}

func reportFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.format, "format", "", "the diagnostics `FORMAT`: "+strings.Join(diag.Formats(), ", ")+" (default text)")
	fs.StringVar(&o.output, "output", "", "also write the diagnostics in --format to `FILE`, while text goes to the terminal")
	fs.BoolVar(&o.strict, "strict", false, "fail on warnings too")
}

var commands = []*command{
	{name: "build", short: "check the site, then write it to the output folder",
		flags: func(fs *flag.FlagSet, o *options) {
			sourceFlag(fs, o)
			fs.StringVar(&o.out, "o", "", "")
			fs.StringVar(&o.out, "out", "", "the output `DIR` (default: public in the site root)")
			fs.StringVar(&o.baseURL, "base-url", "", "the `URL` the site is published at (for the sitemap)")
			audienceFlag(fs, o)
			cacheFlag(fs, o)
			reportFlags(fs, o)
		},
		run: runBuild},
	{name: "serve", short: "build, serve on 127.0.0.1:1313 and rebuild on every change",
		flags: func(fs *flag.FlagSet, o *options) {
			sourceFlag(fs, o)
			fs.StringVar(&o.addr, "addr", "127.0.0.1:1313", "the `HOST:PORT` to listen on")
			fs.StringVar(&o.baseURL, "base-url", "", "the `URL` the site is published at")
			fs.BoolVar(&o.poll, "poll", false, "poll for changes instead of using file system events")
			audienceFlag(fs, o)
			cacheFlag(fs, o)
		},
		run: runServe},
	{name: "check", short: "run every check and write nothing; for CI",
		flags: func(fs *flag.FlagSet, o *options) {
			sourceFlag(fs, o)
			reportFlags(fs, o)
		},
		run: runCheck},
	{name: "init", args: "[DIR]", short: "write a starter site into an empty or new folder",
		flags: func(*flag.FlagSet, *options) {},
		run:   runInit},
	{name: "new", args: "KIND [TITLE]", short: "write a new document of a kind with the next free ID, and print its path",
		flags: sourceFlag,
		run:   runNew},
	importCommand,
	exportCommand,
	{name: "lsp", short: "speak the Language Server Protocol on stdin and stdout, for editors",
		flags: lspFlags,
		run:   runLSP},
	{name: "version", short: "print the version",
		flags: func(*flag.FlagSet, *options) {},
		run: func(_ context.Context, e *env, _ *options, _ []string) int {
			fmt.Fprintln(e.stdout, "productdocs", version())
			return ExitOK
		}},
}

func version() string {
	v := Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

func usage(w io.Writer) {
	fmt.Fprint(w, "productdocs turns product docs in Markdown into a cross-linked, checked website.\n\nUsage:\n  productdocs <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nRun 'productdocs <command> --help' for a command's flags.\n")
}

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, args, &env{stdout: stdout, stderr: stderr, getenv: os.Getenv})
}

func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return ExitTool
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(e.stdout)
		return ExitOK
	case "-v", "--version":
		args[0] = "version"
	}
	var cmd *command
	for _, c := range commands {
		if c.name == args[0] {
			cmd = c
		}
	}
	if cmd == nil {
		fmt.Fprintf(e.stderr, "productdocs: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return ExitTool
	}
	fs := flag.NewFlagSet("productdocs "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := &options{}
	cmd.flags(fs, o)
	pos, err := parse(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(e.stdout, cmd, fs)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs %s: %v\n", cmd.name, err)
		commandUsage(e.stderr, cmd, fs)
		return ExitTool
	}
	if o.baseURL != "" {
		if u, err := url.Parse(o.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fmt.Fprintf(e.stderr, "productdocs %s: --base-url %q must be an absolute http or https URL\n", cmd.name, o.baseURL)
			return ExitTool
		}
	}
	if o.audience != "" && o.audience != "internal" && o.audience != generator.AudiencePublic {
		fmt.Fprintf(e.stderr, "productdocs %s: unknown audience %q (want internal or public)\n", cmd.name, o.audience)
		return ExitTool
	}
	if o.format != "" && !diag.HasFormat(o.format) {
		fmt.Fprintf(e.stderr, "productdocs %s: unknown format %q (want one of %s)\n", cmd.name, o.format, strings.Join(diag.Formats(), ", "))
		return ExitTool
	}
	return cmd.run(ctx, e, o, pos)
}

// parse parses flags anywhere among the positional arguments, as users
// type them ("new story 'Pay by card' -s site").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// shortOf names the one-letter form of a long flag. Both forms are
// registered; help shows them on one line.
var shortOf = map[string]string{"source": "s", "out": "o"}

func commandUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: productdocs %s\n\n%s.\n", strings.TrimSpace(c.name+" [flags] "+c.args), strings.ToUpper(c.short[:1])+c.short[1:])
	var b strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) == 1 {
			return // the short form is shown beside the long one
		}
		name, u := flag.UnquoteUsage(f)
		short := ""
		if s, ok := shortOf[f.Name]; ok && fs.Lookup(s) != nil {
			short = "-" + s + ", "
		}
		fmt.Fprintf(&b, "  %s--%s", short, f.Name)
		if name != "" {
			b.WriteString(" " + name)
		}
		fmt.Fprintf(&b, "\n      %s", u)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(&b, " (default %q)", f.DefValue)
		}
		b.WriteString("\n")
	})
	if b.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", b.String())
	}
}

// load reads and checks the site at o.source; a failure is reported and
// turned into ExitTool.
func load(ctx context.Context, e *env, name string, o *options) (*generator.Site, int) {
	fi, err := os.Stat(o.source)
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs %s: %s\n", name, diag.Printable(err.Error()))
		return nil, ExitTool
	}
	if !fi.IsDir() {
		fmt.Fprintf(e.stderr, "productdocs %s: %s is not a folder\n", name, o.source)
		return nil, ExitTool
	}
	lo, err := loadOptions(ctx, e, name, o)
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs %s: %v\n", name, err)
		return nil, ExitTool
	}
	lo.Once = name == "build"
	site, err := generator.LoadWith(ctx, generator.DirFS(o.source), lo)
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs %s: %s\n", name, diag.Printable(err.Error()))
		return nil, ExitTool
	}
	return site, ExitOK
}

func runCheck(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "productdocs check: unexpected argument %q\n", args[0])
		return ExitTool
	}
	// Checking ends with the load: the collector need not start again.
	defer loadGC()()
	site, code := load(ctx, e, "check", o)
	if site == nil {
		return code
	}
	ds := generator.Check(site)
	if code := report(e, o, site, ds, e.stdout); code != ExitOK {
		return code
	}
	if errs, warnings := diag.Count(ds); errs > 0 || (o.strict && warnings > 0) {
		return ExitContent
	}
	return ExitOK
}

func runInit(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) > 1 {
		fmt.Fprintf(e.stderr, "productdocs init: at most one folder, not %d arguments\n", len(args))
		return ExitTool
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	lo, err := loadOptions(ctx, e, "new", o) // today's date alone
	if err != nil {
		fmt.Fprintf(e.stderr, "productdocs init: %v\n", err)
		return ExitTool
	}
	if err := scaffold.InitOn(dir, lo.Today); err != nil {
		fmt.Fprintf(e.stderr, "productdocs init: %v\n", err)
		return ExitTool
	}
	fmt.Fprintf(e.stdout, "Wrote a starter site to %s. Next: productdocs serve -s %s\n", dir, dir)
	return ExitOK
}

func runNew(ctx context.Context, e *env, o *options, args []string) int {
	if len(args) < 1 || len(args) > 2 {
		fmt.Fprintln(e.stderr, "productdocs new: want KIND [TITLE]")
		return ExitTool
	}
	k := model.LookupKind(args[0])
	if k == nil || k == model.PageKind {
		var names []string
		for _, k := range model.Kinds {
			if k != model.PageKind {
				names = append(names, k.Name)
			}
		}
		fmt.Fprintf(e.stderr, "productdocs new: unknown kind %q (want one of %s)\n", args[0], strings.Join(names, ", "))
		return ExitTool
	}
	title := ""
	if len(args) == 2 {
		title = args[1]
	}
	site, code := load(ctx, e, "new", o)
	if site == nil {
		return code
	}
	id := scaffold.NextID(site.Model, k)
	rel := scaffold.Path(k, id)
	if err := scaffold.Write(o.source, rel, scaffold.Document(k, id, title, time.Now().Format(time.DateOnly))); err != nil {
		fmt.Fprintf(e.stderr, "productdocs new: %v\n", err)
		return ExitTool
	}
	fmt.Fprintln(e.stdout, rel)
	return ExitOK
}
