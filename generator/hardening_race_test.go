//go:build race

package generator_test

// raceDetector is true when the race detector slows every memory access
// by ten times and more. Tests of megabyte inputs measure time rather
// than look for races, so under it they are left out.
const raceDetector = true
