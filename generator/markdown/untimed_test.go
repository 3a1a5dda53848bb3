package markdown

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
)

// TestUntimed: every lexer a fence finds has no time limit on its rules
// once lexerFor has handed it out, so that a loaded machine highlights as
// an idle one does.
func TestUntimed(t *testing.T) {
	for _, lang := range []string{"go", "yaml", "yml", "json", "sh", "ts", "python", "sql"} {
		t.Run(lang, func(t *testing.T) {
			rl, ok := lexerFor(lang).(*chroma.RegexLexer)
			if !ok {
				t.Skipf("%s is not a regular-expression lexer", lang)
			}
			rules := compiledRules(rl)
			if len(rules) == 0 {
				t.Fatal("no compiled rules found: chroma's lexer changed shape, and untime does nothing")
			}
			for _, r := range rules {
				if r.Regexp != nil && r.Regexp.MatchTimeout != regexp2.DefaultMatchTimeout {
					t.Fatalf("a rule %q keeps a time limit of %v", r.Pattern, r.Regexp.MatchTimeout)
				}
			}
		})
	}
}
