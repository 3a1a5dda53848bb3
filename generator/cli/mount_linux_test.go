package cli_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"productdocs/generator/cli"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/output"
)

// TestCLIBuildIntoMountPoint builds into an output folder that is a mount
// point, as a container's volume or a CI cache folder is, where the
// system allows mounting: twice, and once with errors, which must leave
// the output as it was.
func TestCLIBuildIntoMountPoint(t *testing.T) {
	root := t.TempDir()
	testkit.WriteFiles(t, root, map[string]string{"content/index.md": "# Home\n", "content/guides/a.md": "# A\n"})
	out := filepath.Join(t.TempDir(), "public")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", out, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root and a sandbox that allows it): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(out, 0) })
	for i := range 2 {
		if code, _, stderr := runTool(t, "build", "-s", root, "-o", out); code != cli.ExitOK {
			t.Fatalf("build %d: exit %d:\n%s", i, code, stderr)
		}
	}
	if err := os.Remove(filepath.Join(root, "content", "guides", "a.md")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runTool(t, "build", "-s", root, "-o", out); code != cli.ExitOK {
		t.Fatalf("third build: exit %d:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "guides", "a", "index.html")); err == nil {
		t.Error("a stale page stayed behind")
	}
	before := testkit.TreeHashes(t, out)
	testkit.WriteFiles(t, root, map[string]string{"content/backlog/bad.md": "---\nkind: story\n---\n"})
	if code, _, _ := runTool(t, "build", "-s", root, "-o", out); code != cli.ExitContent {
		t.Fatalf("a build with errors: exit %d, want %d", code, cli.ExitContent)
	}
	after := testkit.TreeHashes(t, out)
	if len(before) != len(after) {
		t.Errorf("a failed build changed the output: %d entries before, %d after", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("a failed build changed %s", k)
		}
	}
	if _, err := os.Stat(filepath.Join(out, output.Marker)); err != nil {
		t.Errorf("the output has no marker: %v", err)
	}
}
