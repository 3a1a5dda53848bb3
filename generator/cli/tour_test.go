package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMETour runs the README's short tour as a newcomer would: init,
// new, the story as the README shows it, then check, whose output must be
// the README's word for word.
func TestREADMETour(t *testing.T) {
	noCI(t)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	story := regexp.MustCompile("(?s)```markdown\n(---\nid: (STORY-\\d+)\n.*?)```").FindSubmatch(readme)
	want := regexp.MustCompile("(?s)```\n(content/[^\n]*\n[^\n]* documents, [^\n]*\n)```").FindSubmatch(readme)
	if story == nil || want == nil {
		t.Fatal("the README's tour has no story, or no check output after it")
	}
	dir := filepath.Join(t.TempDir(), "docs")
	if code, _, stderr := run(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := run(t, "new", "story", "Pay by saved card", "-s", dir)
	if code != 0 {
		t.Fatalf("new: exit %d: %s", code, stderr)
	}
	file := strings.TrimSpace(stdout)
	if !strings.HasSuffix(file, strings.ToLower(string(story[2]))+".md") {
		t.Fatalf("new wrote %s; the README's story is %s", file, story[2])
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(file)), story[1], 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = run(t, "check", "-s", dir)
	if code != 1 || stdout != string(want[1]) {
		t.Errorf("check: exit %d, output\n%s\nthe README shows exit 1 and\n%s", code, stdout, want[1])
	}
}
