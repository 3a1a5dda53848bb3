// Package bench measures productdocs beside Hugo and beside the floor (the
// least work any generator must do, see Floor) on the same generated
// Markdown: it writes a productdocs site as a Hugo site (WriteHugoSite),
// runs each tool as a child process and takes its wall time, CPU time and
// peak memory from the operating system (Run), and reduces repeated runs
// to medians (Median). The command that puts it together is
// generator/bench/cmd/compare.
package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Sample is one run of a child process.
type Sample struct {
	Wall time.Duration
	CPU  time.Duration // user + system
	RSS  int64         // peak resident set, in bytes
}

// Run runs a command to its end and measures it. Its output is kept for
// the error when it fails, and dropped otherwise.
func Run(dir string, name string, args ...string) (Sample, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return Sample{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(out.String(), 2000))
	}
	st := cmd.ProcessState
	s := Sample{Wall: wall, CPU: st.UserTime() + st.SystemTime()}
	s.RSS = peakRSS(st)
	return s, nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// Median is the median of each measure of samples, taken separately.
func Median(samples []Sample) Sample {
	of := func(get func(Sample) int64) int64 {
		v := make([]int64, len(samples))
		for i, s := range samples {
			v[i] = get(s)
		}
		return MedianOf(v)
	}
	return Sample{
		Wall: time.Duration(of(func(s Sample) int64 { return int64(s.Wall) })),
		CPU:  time.Duration(of(func(s Sample) int64 { return int64(s.CPU) })),
		RSS:  of(func(s Sample) int64 { return s.RSS }),
	}
}

// MedianOf is the median of v (the mean of the middle two for an even
// count), or zero for none; v is left as it was.
func MedianOf[T ~int64 | ~float64](v []T) T {
	if len(v) == 0 {
		return 0
	}
	v = slices.Sorted(slices.Values(v))
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// Spread is the smallest and largest wall time of samples.
func Spread(samples []Sample) (lo, hi time.Duration) {
	for i, s := range samples {
		if i == 0 || s.Wall < lo {
			lo = s.Wall
		}
		if s.Wall > hi {
			hi = s.Wall
		}
	}
	return lo, hi
}

// Sync flushes the file system's dirty pages, so that one run's writes are
// not paid for by the next.
func Sync() { syncFS() }

// RemoveAll removes a folder before a run, outside the measure.
func RemoveAll(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("clearing %s: %w", dir, err)
	}
	return nil
}
