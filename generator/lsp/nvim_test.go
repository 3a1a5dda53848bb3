package lsp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"productdocs/generator/internal/testkit"
)

// TestNeovim runs Neovim headless with its built-in LSP client against
// the productdocs binary (testdata/nvim.lua says what it does), as a
// user's editor would.
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("Neovim is not installed (apt-get install neovim): the end-to-end test with a real editor is skipped")
	}
	bin := testkit.Binary(t)
	site := smallSite(t)
	script, err := filepath.Abs("testdata/nvim.lua")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.txt")
	cmd := exec.Command(nvim, "--headless", "--clean", "-n", "-c", "luafile "+script)
	cmd.Env = append(os.Environ(), "PD_BIN="+bin, "PD_SITE="+site, "PD_OUT="+out, "XDG_STATE_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir())
	cmd.Dir = site
	output, runErr := cmd.CombinedOutput()
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("Neovim wrote no report (%v): %v\n%s", runErr, err, output)
	}
	if runErr != nil {
		t.Fatalf("Neovim failed: %v\n%s\n%s", runErr, got, output)
	}
	want := `initialized: productdocs
diagnostic 4:8-14: traces to "EPIC-9", which no document has; did you mean "EPIC-1"?
quick fix: Change to "EPIC-1"
line 5: traces: EPIC-1
diagnostics: none
line 5: traces: EPIC-100
epic-1.md: id: EPIC-100
diagnostics after the rename: none
rename to EPIC-2: EPIC-2 is taken by content/backlog/epics/epic-2.md (IDs are unique, ignoring case)
`
	if string(got) != want {
		t.Errorf("Neovim's session:\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(string(output), "Error") {
		t.Logf("Neovim said:\n%s", output)
	}
}
