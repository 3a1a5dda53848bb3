package markdown

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
)

// chroma gives every regular expression of a lexer a 250 ms limit, and
// treats a match that runs out of time as no match: it goes on with the
// next rule and highlights the code otherwise. On a loaded machine (a CI
// runner, the race detector) the same block then came out differently
// from one build to the next, and from the preview's rebuild to a full
// build, though the output must be the same bytes for the same input
// (and the highlight cache would keep a wrong answer). untime lifts the
// limit on a lexer's compiled rules before it is first used, as
// regexp2's own default does; a pathological pattern is bounded by the
// size of a code block instead. chroma keeps the compiled rules
// unexported, hence reflection; if a release changes their shape, untime
// leaves the lexer as it is and TestUntimed fails.
var (
	untimedMu sync.Mutex
	untimedOK = map[*chroma.RegexLexer]bool{}
)

// untime lifts the match time limit of l's rules, once per lexer.
func untime(l chroma.Lexer) {
	rl, ok := l.(*chroma.RegexLexer)
	if !ok {
		return
	}
	untimedMu.Lock()
	defer untimedMu.Unlock()
	if untimedOK[rl] {
		return
	}
	untimedOK[rl] = true
	if _, err := rl.Tokenise(nil, ""); err != nil { // compiles the rules
		return
	}
	for _, r := range compiledRules(rl) {
		if r.Regexp != nil {
			r.Regexp.MatchTimeout = regexp2.DefaultMatchTimeout
		}
	}
}

// compiledRules are rl's compiled rules, of every state, or nil where
// chroma's lexer no longer has them where untime looks.
func compiledRules(rl *chroma.RegexLexer) []*chroma.CompiledRule {
	v := reflect.ValueOf(rl).Elem().FieldByName("rules")
	if !v.IsValid() || v.Kind() != reflect.Map {
		return nil
	}
	v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	var out []*chroma.CompiledRule
	for it := v.MapRange(); it.Next(); {
		rules, ok := it.Value().Interface().([]*chroma.CompiledRule)
		if !ok {
			return nil
		}
		out = append(out, rules...)
	}
	return out
}
