package cli

import (
	"os"
	"testing"

	"productdocs/generator/internal/testkit"
)

// TestMain fixes "today" for every test of the command line, the binary's
// included: the fixtures' dates are before or after 2026-12-01, and the
// late and stale checks must not depend on the day the tests run.
func TestMain(m *testing.M) {
	os.Setenv("SOURCE_DATE_EPOCH", "1796083200") // 2026-12-01
	os.Exit(testkit.Main(m))
}
