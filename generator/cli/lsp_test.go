package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"productdocs/generator/internal/testkit"
)

// TestLSP runs `productdocs lsp`, the real binary, as an editor does:
// messages on its standard input, answers on its standard output, and
// the exit code LSP asks for.
func TestLSP(t *testing.T) {
	bin := testkit.Binary(t)
	site := fixtureDir(t, "every-code")
	frame := func(bodies ...string) string {
		var b strings.Builder
		for _, s := range bodies {
			fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(s), s)
		}
		return b.String()
	}
	uri := "file://" + filepath.ToSlash(site)
	session := frame(
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"`+uri+`","capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
		`{"jsonrpc":"2.0","id":2,"method":"workspace/symbol","params":{"query":"STORY-1"}}`,
		`{"jsonrpc":"2.0","id":3,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	)
	tests := []struct {
		name   string
		args   []string
		input  string
		code   int
		stdout []string // in the answers, in order
		stderr string
	}{
		{"a session over the workspace folder", []string{"lsp"}, session, 0,
			[]string{`"id":1`, `"name":"productdocs"`, `"textDocument/publishDiagnostics"`, `"id":2`, `"name":"STORY-1 Open under a done epic"`, `"id":3`}, ""},
		{"a session over -s", []string{"lsp", "-s", site}, session, 0, []string{`"id":1`, `"id":3`}, ""},
		{"exit without shutdown", []string{"lsp", "-s", site}, frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`, `{"jsonrpc":"2.0","method":"exit"}`), 1, []string{`"id":1`}, ""},
		{"the editor goes away", []string{"lsp", "-s", site}, frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`), 1, []string{`"id":1`}, ""},
		{"a broken stream", []string{"lsp", "-s", site}, "Content-Length: x\r\n\r\n", 2, nil, "malformed message header"},
		{"a missing folder", []string{"lsp", "-s", filepath.Join(site, "missing")}, "", 2, nil, "is not a folder"},
		{"an argument", []string{"lsp", "extra"}, "", 2, nil, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, tt.args...)
			cmd.Dir = site
			cmd.Stdin = strings.NewReader(tt.input)
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatal("productdocs lsp did not end")
			}
			code := 0
			if exit, ok := err.(*exec.ExitError); ok {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			stdout, stderr := out.String(), errOut.String()
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			rest := stdout
			for _, want := range tt.stdout {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("the answers lack %s (in order):\n%s", want, stdout)
				}
				rest = rest[i+len(want):]
			}
			if !strings.Contains(stderr, tt.stderr) || (tt.stderr == "" && stderr != "") {
				t.Errorf("stderr = %q, want %q", stderr, tt.stderr)
			}
			// Every answer is a whole message.
			br := bufio.NewReader(strings.NewReader(stdout))
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					break
				}
				if n, ok := strings.CutPrefix(strings.TrimSpace(line), "Content-Length: "); ok {
					size, _ := strconv.Atoi(n)
					br.ReadString('\n')
					if _, err := io.ReadFull(br, make([]byte, size)); err != nil {
						t.Fatalf("a message cut short: %v", err)
					}
				}
			}
		})
	}
}
