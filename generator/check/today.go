package check

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Today is the date the time-based checks (late, stale) compare with: the
// day of SOURCE_DATE_EPOCH when it is set, in UTC, else the day of now.
//
// It is read once, where the program starts, and handed to the checks as
// an input (Plan.Today), so that a build or a test gives the same output
// for the same files and the same date: the reproducible-builds
// convention (https://reproducible-builds.org/specs/source-date-epoch/).
// A SOURCE_DATE_EPOCH that is set but is not a whole number of seconds is
// an error, as that specification asks, rather than a silent fall-back to
// the clock.
func Today(getenv func(string) string, now func() time.Time) (time.Time, error) {
	if s := strings.TrimSpace(getenv("SOURCE_DATE_EPOCH")); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil || sec < 0 {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a whole number of seconds since 1970-01-01", s)
		}
		return Day(time.Unix(sec, 0)), nil
	}
	return Day(now()), nil
}

// Day is t's calendar day in UTC, at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
