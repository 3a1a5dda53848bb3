package cli_test

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"productdocs/generator/cli"
	"productdocs/generator/internal/testkit"
	"productdocs/generator/output"
)

// runCLI runs productdocs with args and returns its exit code and output.
func runTool(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = cli.Run(t.Context(), args, &o, &e)
	return code, o.String(), e.String()
}

// TestCLIRefusesOutputFolders runs `productdocs build -o` at folders it
// must not replace, and wants exit 2, a message saying why, and every
// byte around the site as it was. The site has an error too: the output
// folder is a usage error, found before any work, so it is what the run
// reports, whatever the content holds.
func TestCLIRefusesOutputFolders(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  func(t *testing.T, top, root string) string // sets up and returns -o
		why  string
	}{
		{"the site root", func(t *testing.T, top, root string) string { return root }, "it is the site root"},
		{"the folder above the site", func(t *testing.T, top, root string) string { return top }, "it contains the site"},
		{"a folder holding content/", func(t *testing.T, top, root string) string {
			testkit.WriteFiles(t, top, map[string]string{"other/content/index.md": "# Other\n", "other/" + output.Marker: ""})
			return filepath.Join(top, "other")
		}, "holds a content/ folder"},
		{"a folder holding templates/", func(t *testing.T, top, root string) string {
			testkit.WriteFiles(t, top, map[string]string{"other/templates/page.html": "x"})
			return filepath.Join(top, "other")
		}, "holds a templates/ folder"},
		{"a folder inside content/", func(t *testing.T, top, root string) string {
			return filepath.Join(root, "content", "guides")
		}, "inside the site's content/ folder"},
		{"a new folder inside content/", func(t *testing.T, top, root string) string {
			return filepath.Join(root, "content", "public")
		}, "inside the site's content/ folder"},
		{"a new folder inside content/, through a symbolic link", func(t *testing.T, top, root string) string {
			if err := os.Symlink(filepath.Join(root, "content"), filepath.Join(top, "alias")); err != nil {
				t.Skipf("symbolic links: %v", err)
			}
			return filepath.Join(top, "alias", "public")
		}, "inside the site's content/ folder"},
		{"not an earlier build's output", func(t *testing.T, top, root string) string {
			testkit.WriteFiles(t, top, map[string]string{"notes/todo.txt": "buy milk\n", "notes/deep/more.txt": "x"})
			return filepath.Join(top, "notes")
		}, "was not written by productdocs build"},
		{"a file", func(t *testing.T, top, root string) string {
			testkit.WriteFiles(t, top, map[string]string{"public": "not a folder\n"})
			return filepath.Join(top, "public")
		}, "it is not a folder"},
		{"-o . in the site root", func(t *testing.T, top, root string) string { t.Chdir(root); return "." }, "it is the site root"},
		{"-o content in the site root", func(t *testing.T, top, root string) string { t.Chdir(root); return "content" }, "inside the site's content/ folder"},
		{"-o templates in the site root", func(t *testing.T, top, root string) string {
			testkit.WriteFiles(t, root, map[string]string{"templates/extra.css": "body{}"})
			t.Chdir(root)
			return "templates"
		}, "inside the site's templates/ folder"},
		{"-o .. in the site root", func(t *testing.T, top, root string) string { t.Chdir(root); return ".." }, "it contains the site"},
		{"a symbolic link to an earlier output", func(t *testing.T, top, root string) string {
			testkit.WriteFiles(t, top, map[string]string{"real/" + output.Marker: "", "real/index.html": "old"})
			if err := os.Symlink(filepath.Join(top, "real"), filepath.Join(top, "public")); err != nil {
				t.Skipf("symbolic links: %v", err)
			}
			return filepath.Join(top, "public")
		}, "it is not a folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top := t.TempDir()
			root := filepath.Join(top, "site")
			testkit.WriteFiles(t, root, map[string]string{
				"content/index.md":        "# Home\n",
				"content/guides/guide.md": "# Guide\n",
				"content/backlog/bad.md":  "---\nkind: story\n---\nNo title, no traces.\n",
			})
			out := tc.out(t, top, root)
			before := testkit.TreeHashes(t, top)
			code, _, stderr := runTool(t, "build", "-s", root, "-o", out)
			if strings.Contains(stderr, "bad.md") {
				t.Errorf("the content was checked before the output folder was refused:\n%s", stderr)
			}
			if code != cli.ExitTool {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, cli.ExitTool, stderr)
			}
			if !strings.Contains(stderr, "refusing to replace") || !strings.Contains(stderr, tc.why) {
				t.Errorf("stderr %q, want it to refuse because %s", stderr, tc.why)
			}
			after := testkit.TreeHashes(t, top)
			for _, k := range slices.Sorted(maps.Keys(after)) {
				if before[k] != after[k] {
					t.Errorf("%s changed", k)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(before)) {
				if _, ok := after[k]; !ok {
					t.Errorf("%s removed", k)
				}
			}
		})
	}
}

// TestCLIUnreadable makes a document and a folder of the site unreadable
// and wants exit 2 with a message naming them. The superuser reads
// everything, so the test cannot run as root.
func TestCLIUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads files whatever their permissions (TestFilesThatFail covers the same errors through an fs.FS)")
	}
	for _, tc := range []struct {
		name   string
		locked string // made unreadable
		want   string
	}{
		{"an unreadable document", "content/guides/locked.md", "reading content/guides/locked.md: "},
		{"an unreadable folder", "content/secret", "reading content/secret: permission denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			testkit.WriteFiles(t, root, map[string]string{
				"content/index.md":         "# Home\n",
				"content/guides/locked.md": "# Locked\n",
				"content/secret/inside.md": "# Inside\n",
			})
			p := filepath.Join(root, filepath.FromSlash(tc.locked))
			if err := os.Chmod(p, 0); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(p, 0o755) })
			for _, cmd := range []string{"check", "build"} {
				args := []string{cmd, "-s", root}
				if cmd == "build" {
					args = append(args, "-o", filepath.Join(t.TempDir(), "public"))
				}
				code, _, stderr := runTool(t, args...)
				if code != cli.ExitTool || !strings.Contains(stderr, tc.want) {
					t.Errorf("%s: exit %d, stderr %q; want exit %d naming %s", cmd, code, stderr, cli.ExitTool, tc.locked)
				}
			}
		})
	}
}
