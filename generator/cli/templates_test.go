package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFindsTemplateErrors: check must fail where build would, so a CI
// job that only checks does not pass a site whose templates are broken.
func TestCheckFindsTemplateErrors(t *testing.T) {
	tests := []struct {
		name, template, want string
	}{
		{"syntax", "{{define \"main\"}}\n{{if}}\n{{end}}", "templates/page.html:2:"},
		{"unknown function", "{{define \"main\"}}{{nope .}}{{end}}", "templates/page.html:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := starterSite(t)
			if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "templates", "page.html"), []byte(tt.template), 0o644); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"check", "-s", dir}, &env{stdout: &stdout, stderr: &stderr})
			if code != ExitContent {
				t.Errorf("check exit code %d, want %d\n%s", code, ExitContent, stdout.String())
			}
			if !strings.Contains(stdout.String(), tt.want) || !strings.Contains(stdout.String(), "[template]") {
				t.Errorf("check output lacks a template error at %s:\n%s", tt.want, stdout.String())
			}
		})
	}
}
