//go:build !race

package jira

const raceEnabled = false
