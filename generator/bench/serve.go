package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A Server is a preview server measured the way its user meets it: edit a
// file, wait for the server to say it has rebuilt, read how long it says
// the rebuild took. Both servers report the time from the change they
// noticed to the rebuilt output, without their watchers' quiet periods,
// so the figures compare.
type Server struct {
	Name string
	Dir  string   // the working folder
	Args []string // the command
	// Ready matches the line the server prints once it serves the first
	// build; Rebuilt the line it prints for a rebuild, with the time in
	// its first group (e.g. "12 ms", "1.2 s").
	Ready, Rebuilt *regexp.Regexp
}

// The servers' reports.
var (
	ProductdocsReady   = regexp.MustCompile(`^Serving at `)
	ProductdocsRebuilt = regexp.MustCompile(`^Rebuilt .*? in ([0-9.]+ m?s)`)
	HugoReady          = regexp.MustCompile(`Web Server is available at`)
	HugoRebuilt        = regexp.MustCompile(`^Total in ([0-9.]+ m?s)`)
)

// Rebuilds starts the server, waits for its first build, then makes
// edits changes to file, one at a time (edit(i) writes the i-th), and
// returns the rebuild time the server reports for each. The server is
// stopped before it returns.
func (s Server) Rebuilds(ctx context.Context, edits int, edit func(i int) error) ([]time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	await, stop, err := s.start(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	var took []time.Duration
	for i := range edits {
		// A pause, so that no batch takes in two edits.
		time.Sleep(300 * time.Millisecond)
		if err := edit(i); err != nil {
			return nil, err
		}
		v, err := await(s.Rebuilt, time.Minute)
		if err != nil {
			return nil, err
		}
		d, err := parseReported(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", s.Name, err)
		}
		took = append(took, d)
	}
	return took, nil
}

// start starts the server and waits for its first build. await waits for
// the next line that matches re and returns its first group; stop stops
// the server as a user does, with Ctrl-C.
func (s Server) start(ctx context.Context) (await func(re *regexp.Regexp, timeout time.Duration) (string, error), stop func(), err error) {
	ctx, cancel := context.WithCancel(ctx)
	cmd := exec.CommandContext(ctx, s.Args[0], s.Args[1:]...)
	cmd.Dir = s.Dir
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, nil, err
	}
	stop = func() {
		cancel()
		cmd.Wait()
	}

	lines := make(chan string, 64)
	var tail []string // the last lines, for errors
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, out)
	}()
	await = func(re *regexp.Regexp, timeout time.Duration) (string, error) {
		t := time.NewTimer(timeout)
		defer t.Stop()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					return "", fmt.Errorf("%s stopped:\n%s", s.Name, strings.Join(tail, "\n"))
				}
				tail = append(tail, l)
				if len(tail) > 20 {
					tail = tail[1:]
				}
				if m := re.FindStringSubmatch(l); m != nil {
					if len(m) > 1 {
						return m[1], nil
					}
					return l, nil
				}
			case <-t.C:
				return "", fmt.Errorf("%s: no line matching %q within %s:\n%s", s.Name, re, timeout, strings.Join(tail, "\n"))
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
	}
	if _, err := await(s.Ready, 10*time.Minute); err != nil {
		stop()
		return nil, nil, err
	}
	return await, stop, nil
}

// SaveToServed starts the server, then edits times saves a change to a
// file (edit(i) writes the i-th and returns bytes that only the page
// after it holds) and polls page over HTTP until the server sends those
// bytes: what a user waits for, from the save to the new page, whatever
// the server says of its own rebuilds. When s.Rebuilt is set, each save
// waits, untimed, for the line of the last one's rebuild: a server may
// serve the edited page before it has rendered everything else, and a
// save made while it renders the rest waits for that, which is the
// measure of two saves, not one. The server is stopped before it
// returns.
func (s Server) SaveToServed(ctx context.Context, page string, edits int, edit func(i int) ([]byte, error)) ([]time.Duration, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	await, stop, err := s.start(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	client := &http.Client{Timeout: 10 * time.Second}
	get := func() ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	if _, err := get(); err != nil {
		return nil, err
	}
	var took []time.Duration
	for i := range edits {
		// A pause, so that the last edit's rebuild is over.
		time.Sleep(300 * time.Millisecond)
		start := time.Now()
		want, err := edit(i)
		if err != nil {
			return nil, err
		}
		for {
			body, err := get()
			if err != nil {
				return nil, err
			}
			if bytes.Contains(body, want) {
				break
			}
			if time.Since(start) > time.Minute {
				return nil, fmt.Errorf("%s: %s did not show %q within a minute of the save", s.Name, page, want)
			}
			// Polling harder would take the CPU the rebuild needs.
			time.Sleep(time.Millisecond)
		}
		took = append(took, time.Since(start))
		if s.Rebuilt != nil {
			if _, err := await(s.Rebuilt, time.Minute); err != nil {
				return nil, err
			}
		}
	}
	return took, nil
}

// parseReported reads "12 ms", "1.2 s" or "850 µs".
func parseReported(v string) (time.Duration, error) {
	num, unit, ok := strings.Cut(v, " ")
	if !ok {
		return 0, fmt.Errorf("no unit in %q", v)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, err
	}
	switch unit {
	case "s":
		return time.Duration(f * float64(time.Second)), nil
	case "ms":
		return time.Duration(f * float64(time.Millisecond)), nil
	}
	return 0, fmt.Errorf("unknown unit in %q", v)
}

// AppendLine returns an edit that appends a numbered sentence to the
// body of the Markdown files: each edit changes the text, so that every
// server has something to rebuild.
func AppendLine(files ...string) func(i int) error {
	return func(i int) error {
		var errs []error
		for _, f := range files {
			fh, err := os.OpenFile(f, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			_, err = fmt.Fprintf(fh, "\nAn edit, number %d.\n", i+1)
			errs = append(errs, err, fh.Close())
		}
		return errors.Join(errs...)
	}
}

// EditBody returns an edit that saves file as an editor does (truncate
// and write) with a numbered sentence added to its body, and the
// sentence.
func EditBody(file string) func(i int) ([]byte, error) {
	return func(i int) ([]byte, error) {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		mark := fmt.Appendf(nil, "A body edit, number %d.", i+1)
		b = append(append(append(b, "\n"...), mark...), "\n"...)
		return mark, os.WriteFile(file, b, 0o644)
	}
}

var titleLine = regexp.MustCompile(`(?m)^title: .*$`)

// EditTitle returns an edit that saves file with a new, numbered title in
// its frontmatter, and the title.
func EditTitle(file string) func(i int) ([]byte, error) {
	return func(i int) ([]byte, error) {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		mark := fmt.Appendf(nil, "Retitled %d", i+1)
		if !titleLine.Match(b) {
			return nil, fmt.Errorf("%s has no title line", file)
		}
		b = titleLine.ReplaceAll(b, append([]byte("title: "), mark...))
		return mark, os.WriteFile(file, b, 0o644)
	}
}
