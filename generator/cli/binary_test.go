package cli_test

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// binary builds the real command into a folder of its own, for the tests
// that run it as a shell script or an editor does; under -short, or
// without a go command, the test is skipped.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	bin := filepath.Join(t.TempDir(), "productdocs")
	if out, err := exec.Command(gocmd, "build", "-o", bin, "productdocs").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
