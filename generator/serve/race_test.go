//go:build race

package serve

// raceDetector is true when the race detector slows every memory access
// by ten times and more. The tests that hold large sites or long edit
// sequences to a full build run lighter under it: the small sites take
// the same code paths, which is what it looks for races in.
const raceDetector = true
