package jira

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"productdocs/generator/model"
)

// Issue is one row of the export: the part of it the import maps.
type Issue struct {
	Row, Line int // the CSV record (the header is 1) and its first line

	Key, IssueID, Type, Summary  string
	Status, Category, Resolution string
	Priority, Assignee           string
	Labels, Versions             []string
	Sprints, Components          []string
	Updated, Due                 string // YYYY-MM-DD, or ""
	Estimate                     string // a number as written, or ""

	// The parent: ParentID is Jira's numeric issue id (Cloud's Parent and
	// Parent id columns), ParentKey an issue key (Epic Link, Parent Link,
	// or a Parent column that holds a key).
	ParentID, ParentKey string

	Description, Criteria string // wiki markup
}

// Required are the columns without which a file is not an export the
// import can read.
var Required = []string{"Issue key", "Issue id", "Issue Type", "Summary", "Status"}

// Columns that Jira names differently across versions and field setups;
// the first present with a value wins.
var (
	estimateCols = []string{"Custom field (Story Points)", "Custom field (Story point estimate)", "Story Points", "Story point estimate"}
	criteriaCols = []string{"Custom field (Acceptance Criteria)", "Acceptance Criteria"}
	parentCols   = []string{"Parent id", "Parent"}
	epicCols     = []string{"Epic Link", "Custom field (Epic Link)", "Parent Link", "Custom field (Parent Link)"}
	versionCols  = []string{"Fix Version/s", "Fix versions"}
	compCols     = []string{"Component/s", "Components"}
	sprintCols   = []string{"Sprint", "Custom field (Sprint)"}
	dueCols      = []string{"Due Date", "Due date"}
	categoryCols = []string{"Status Category"}
)

// ReadIssues reads every row of an export. It reads the file as a stream
// and keeps only the mapped fields of each row, so memory follows what is
// imported, not the size of the export. Any problem in the file is an
// *InputError, and no issue is returned with it.
func ReadIssues(r io.Reader, file string) ([]*Issue, error) {
	rd, err := NewReader(r, file, Required)
	if err != nil {
		return nil, err
	}
	var issues []*Issue
	keys := map[string]int{}        // folded key → row
	versions := map[string]string{} // release ID, folded → version name
	for {
		err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		is, err := readIssue(rd)
		if err != nil {
			return nil, err
		}
		if first, dup := keys[strings.ToLower(is.Key)]; dup {
			return nil, rd.Errorf("Issue key", "duplicate issue key %s (first at row %d)", is.Key, first)
		}
		keys[strings.ToLower(is.Key)] = is.Row
		for _, v := range is.Versions {
			id, ok := ReleaseID(v)
			if !ok {
				return nil, rd.Errorf(versionCols[0], "the version %q makes no release ID; rename it in Jira, or export without it", v)
			}
			f := strings.ToLower(id)
			if other, seen := versions[f]; seen && other != v {
				return nil, rd.Errorf(versionCols[0], "the versions %q and %q both make the release ID %s; rename one in Jira", other, v, id)
			}
			versions[f] = v
		}
		issues = append(issues, is)
	}
	return issues, nil
}

func first(rd *Reader, cols []string) (string, string) {
	for _, c := range cols {
		if v := rd.Get(c); v != "" {
			return v, c
		}
	}
	return "", cols[0]
}

func firstText(rd *Reader, cols []string) string {
	for _, c := range cols {
		if v := rd.Text(c); v != "" {
			return v
		}
	}
	return ""
}

func all(rd *Reader, cols []string) []string {
	for _, c := range cols {
		if rd.Has(c) {
			return dedupe(rd.All(c))
		}
	}
	return nil
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

var numericRE = regexp.MustCompile(`^\d+$`)

func readIssue(rd *Reader) (*Issue, error) {
	line, _ := rd.Pos("Issue key")
	is := &Issue{
		Row: rd.Row(), Line: line,
		Key:         rd.Get("Issue key"),
		IssueID:     rd.Get("Issue id"),
		Type:        rd.Get("Issue Type"),
		Summary:     rd.Get("Summary"),
		Status:      rd.Get("Status"),
		Resolution:  rd.Get("Resolution"),
		Priority:    rd.Get("Priority"),
		Assignee:    rd.Get("Assignee"),
		Labels:      dedupe(rd.All("Labels")),
		Versions:    all(rd, versionCols),
		Sprints:     all(rd, sprintCols),
		Components:  all(rd, compCols),
		Description: rd.Text("Description"),
		Criteria:    firstText(rd, criteriaCols),
	}
	is.Category, _ = first(rd, categoryCols)
	switch {
	case is.Key == "":
		return nil, rd.Errorf("Issue key", "the issue key is empty")
	case !model.ValidID(is.Key):
		return nil, rd.Errorf("Issue key", "the issue key %q is not an ID productdocs can use (letters, digits, '.', '_' and '-')", is.Key)
	case is.Type == "":
		return nil, rd.Errorf("Issue Type", "%s has no issue type", is.Key)
	case is.Summary == "":
		return nil, rd.Errorf("Summary", "%s has no summary, which becomes its title", is.Key)
	}
	if v := rd.Get("Updated"); v != "" {
		d, ok := ParseDate(v)
		if !ok {
			return nil, rd.Errorf("Updated", "%q is not a date in a format Jira writes (like 08/Dec/26 10:15 AM or 2026-12-08)", v)
		}
		is.Updated = d
	}
	if v, col := first(rd, dueCols); v != "" {
		d, ok := ParseDate(v)
		if !ok {
			return nil, rd.Errorf(col, "%q is not a date in a format Jira writes (like 08/Dec/26 or 2026-12-08)", v)
		}
		is.Due = d
	}
	if v, col := first(rd, estimateCols); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, rd.Errorf(col, "story points %q are not a number ≥ 0", v)
		}
		is.Estimate = strconv.FormatFloat(f, 'f', -1, 64)
	}
	if v, _ := first(rd, parentCols); v != "" {
		if numericRE.MatchString(v) {
			is.ParentID = v
		} else {
			is.ParentKey = v
		}
	}
	if is.ParentID == "" && is.ParentKey == "" {
		is.ParentKey, _ = first(rd, epicCols)
		// Advanced Roadmaps writes "KEY Summary" in Parent Link.
		if k, _, ok := strings.Cut(is.ParentKey, " "); ok {
			is.ParentKey = k
		}
	}
	return is, nil
}

// dateLayouts are the forms in which Jira writes dates in a CSV export:
// its default "dd/MMM/yy h:mm a", the four-digit year variant, and ISO
// forms from the API-backed exporters.
var dateLayouts = []string{
	"2/Jan/06 3:04 PM",
	"2/Jan/06 15:04",
	"2/Jan/2006 3:04 PM",
	"2/Jan/2006 15:04",
	"2/Jan/06",
	"2/Jan/2006",
	"2006-01-02T15:04:05.000-0700",
	"2006-01-02T15:04:05-0700",
	time.RFC3339,
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseDate reads a date as Jira writes it and returns it as YYYY-MM-DD,
// the day as written (a time's zone is not applied).
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

var slugRE = regexp.MustCompile(`[^A-Za-z0-9._]+`)

// ReleaseID is the ID of the release document for a Jira version: REL-
// and the version's name with every run of other characters than letters,
// digits, '.' and '_' made one '-' ("Checkout 2.4 (beta)" →
// REL-Checkout-2.4-beta). The name, not a number, so that the next import
// finds the same release.
func ReleaseID(version string) (string, bool) {
	s := strings.Trim(slugRE.ReplaceAllString(version, "-"), "-.")
	id := "REL-" + s
	return id, s != "" && model.ValidID(id)
}

// String names an issue for messages.
func (is *Issue) String() string { return fmt.Sprintf("%s (row %d)", is.Key, is.Row) }
