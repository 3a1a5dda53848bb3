//go:build race

package jira

// raceEnabled: the race detector slows the converter tenfold, which
// timing tests must not take for a quadratic pass.
const raceEnabled = true
