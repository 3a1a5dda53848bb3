//go:build !race

package generator_test

// raceDetector: see hardening_race_test.go.
const raceDetector = false
