package jira

import (
	"regexp"
	"strings"

	"productdocs/generator/config"
)

// The default mappings. Jira's names are matched ignoring case; the
// settings (import.jira in productdocs.yaml) and the --type flag go
// before them.

// defaultTypes: Jira's standard issue types. A sub-task's parent is a
// story, which no kind may trace to, so sub-tasks are left out unless the
// team maps them.
var defaultTypes = map[string]string{
	"initiative":  "initiative",
	"epic":        "epic",
	"story":       "story",
	"task":        "story",
	"bug":         "story",
	"improvement": "story",
}

// defaultPriorities: Jira Cloud's five priorities and Jira Server's older
// five. Medium is Jira's default for a new issue, so it says little: it
// maps to should, not must, or every untouched issue would be a must.
// Lowest is what teams use for "not now", which is MoSCoW's won't.
var defaultPriorities = map[string]string{
	"highest": "must", "high": "must", "blocker": "must", "critical": "must",
	"medium": "should", "major": "should",
	"low": "could", "minor": "could",
	"lowest": "wont", "trivial": "wont",
	"none": "none",
}

// categories are Jira's three status categories.
var categories = map[string]string{
	"to do":       "proposed",
	"in progress": "in-progress",
	"done":        "done",
}

// defaultStatuses: the status names of Jira's standard workflows, for an
// export without a Status Category column.
var defaultStatuses = map[string]string{
	"to do": "proposed", "open": "proposed", "backlog": "proposed", "new": "proposed",
	"reopened": "proposed", "selected for development": "proposed",
	"in progress": "in-progress", "in review": "in-progress", "in development": "in-progress",
	"in testing": "in-progress", "code review": "in-progress", "review": "in-progress",
	"done": "done", "closed": "done", "resolved": "done", "released": "done", "complete": "done", "completed": "done",
}

// wontDo matches the statuses and resolutions that mean the work will not
// be done: Jira files them under Done, productdocs says dropped.
var wontDo = regexp.MustCompile(`(?i)^(won'?t (do|fix)|wont ?(do|fix)|duplicate|cannot reproduce|declined|rejected|cancell?ed|canceled|incomplete|obsolete|abandoned|not a bug|out of scope)$`)

// mapper maps Jira's names with the settings over the defaults.
type mapper struct {
	types, priorities, statuses map[string]string
}

func newMapper(s config.JiraImport, flagTypes map[string]string) *mapper {
	m := &mapper{types: merge(defaultTypes, s.Types, flagTypes), priorities: merge(defaultPriorities, s.Priorities), statuses: s.Statuses}
	return m
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	return out
}

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// kind returns the kind an issue type maps to, "skip", or "" when the
// type is unknown.
func (m *mapper) kind(issueType string) string { return m.types[fold(issueType)] }

// status maps an issue's status: the settings by status name first, then
// a won't-do resolution or status, then the status category, then the
// standard workflows' names. ok is false when nothing knew it.
func (m *mapper) status(is *Issue) (status string, ok bool) {
	if s, ok := m.statuses[fold(is.Status)]; ok {
		return s, true
	}
	if wontDo.MatchString(strings.TrimSpace(is.Resolution)) || wontDo.MatchString(strings.TrimSpace(is.Status)) {
		return "dropped", true
	}
	if s, ok := categories[fold(is.Category)]; ok {
		return s, true
	}
	if s, ok := defaultStatuses[fold(is.Status)]; ok {
		return s, true
	}
	return "proposed", is.Status == ""
}

// priority maps a priority; "" writes none. ok is false when the priority
// is unknown.
func (m *mapper) priority(p string) (string, bool) {
	if p == "" {
		return "", true
	}
	v, ok := m.priorities[fold(p)]
	if v == "none" {
		v = ""
	}
	return v, ok
}
