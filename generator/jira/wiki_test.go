package jira

import (
	"strings"
	"testing"
	"unicode/utf8"

	"productdocs/generator/markdown"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"headings", "h1. One\nh3. Three", "# One\n\n### Three\n"},
		{"bold and italic", "*bold* and _italic_ words", "**bold** and _italic_ words\n"},
		{"strike, inserted, citation", "-gone- +added+ ??Someone??", "~~gone~~ added _Someone_\n"},
		{"markers inside words stay text", "snake_case_name and 2*3*4", "snake\\_case\\_name and 2\\*3\\*4\n"},
		{"monospace keeps its text", "{{a_b *c*}}", "`a_b *c*`\n"},
		{"link with text", "[the study|https://example.com/a b]", "[the study](https://example.com/a%20b)\n"},
		{"bare link", "[https://example.com]", "<https://example.com>\n"},
		{"link into Jira keeps its text", "[ACME-1|ACME-1] and [#anchor]", "ACME-1 and \\[#anchor\\]\n"},
		{"mention", "[~accountid:5b10a2844c20165700ede21g]", "@5b10a2844c20165700ede21g\n"},
		{"attachment", "!screen.png|thumbnail!", "_screen.png_\n"},
		{"external image", "!https://example.com/a.png!", "![](https://example.com/a.png)\n"},
		{"code with a language", "{code:java}\nint x = *1*;\n{code}", "```java\nint x = *1*;\n```\n"},
		{"code with parameters", "{code:title=A.go|language=go}\nx := 1\n{code}", "```go\nx := 1\n```\n"},
		{"code on one line", "{code}x = 1{code}", "```\nx = 1\n```\n"},
		{"code holding a fence", "{noformat}\n```\n{noformat}", "````\n```\n````\n"},
		{"unclosed code runs to the end", "{code}\na\nb", "```\na\nb\n```\n"},
		{"noformat", "{noformat}\n*raw*\n{noformat}", "```\n*raw*\n```\n"},
		{"quote", "{quote}\nhello *you*\n\nsecond\n{quote}", "> hello **you**\n>\n> second\n"},
		{"bq", "bq. quoted", "> quoted\n"},
		{"bullets nested", "* a\n** b\n* c", "- a\n  - b\n- c\n"},
		{"numbers nested in bullets", "* a\n*# one\n*# two", "- a\n  1. one\n  1. two\n"},
		{"dash list", "- a\n- b", "- a\n- b\n"},
		{"table with a header", "||a||b||\n|1|[x|https://x.example]|", "| a | b |\n| --- | --- |\n| 1 | [x](https://x.example) |\n"},
		{"table without a header", "|1|2|", "|  |  |\n| --- | --- |\n| 1 | 2 |\n"},
		{"rule", "a\n----\nb", "a\n\n---\n\nb\n"},
		{"text that would be Markdown", "1. not a list\n+ not one either\n# is a list in the wiki", "1\\. not a list\n\\+ not one either\n\n1. is a list in the wiki\n"},
		{"wiki links and HTML stay text", "[[ID]] <b>", "\\[\\[ID\\]\\] \\<b\\>\n"},
		{"colour macro dropped", "{color:red}alarm{color}", "alarm\n"},
		{"panel frame dropped", "{panel:title=Note}\ntext\n{panel}", "text\n"},
		{"escapes", "\\*not bold\\*", "\\*not bold\\*\n"},
		{"CRLF", "a\r\nb\r\n\r\nc", "a\nb\n\nc\n"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Markdown(tt.in); got != tt.want {
				t.Errorf("Markdown(%q) =\n%q\nwant\n%q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCriteria(t *testing.T) {
	tests := []struct {
		name string
		is   Issue
		done bool
		want string
	}{
		{"a field", Issue{Criteria: "* one\n* (/) two"}, false, "## Acceptance criteria\n\n- [ ] one\n- [x] two\n"},
		{"lines without markers", Issue{Criteria: "Given a cart\nThen it pays"}, false, "## Acceptance criteria\n\n- [ ] Given a cart\n- [ ] Then it pays\n"},
		{"done checks them", Issue{Criteria: "# one\n# (x) two"}, true, "## Acceptance criteria\n\n- [x] one\n- [ ] two\n"},
		{"a section, moved to the end", Issue{Description: "Intro.\nh2. Acceptance Criteria\nThese hold:\n* one\nh2. Notes\nMore."}, false,
			"Intro.\n\n## Notes\n\nMore.\n\n## Acceptance criteria\n\nThese hold:\n\n- [ ] one\n"},
		{"a bold label", Issue{Description: "*Acceptance criteria:*\n* one"}, false, "## Acceptance criteria\n\n- [ ] one\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := body(&tt.is, tt.done); got != tt.want {
				t.Errorf("body =\n%q\nwant\n%q", got, tt.want)
			}
			// What the site reads from it: as many criteria as written.
			if n := len(markdown.Parse([]byte(tt.want)).Criteria); n == 0 {
				t.Errorf("productdocs reads no criteria from %q", tt.want)
			}
		})
	}
}

func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"h2. A\n*b* _c_ -d- +e+ {{f}} [g|https://h] !i.png!",
		"{code:go}\nx\n{code}\n{noformat}\ny\n{noformat}\n{quote}\nz\n{quote}",
		"* a\n** b\n*# c\n# d\n||e||f||\n|g|h|",
		"[[ID]] <b> 1. x\n+ y\n----\n\\\\ \\*",
		"*_-+unclosed", "{code", "{quote}{quote}", "||", "[|]", "!!", "{{}}", "??",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Markdown(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("Markdown(%q) = %q, not UTF-8", s, out)
		}
		if Markdown(s) != out {
			t.Fatalf("Markdown(%q) is not deterministic", s)
		}
		markdown.Parse([]byte(out)) // the site reads it without trouble
		if strings.Count(out, "```")%2 != 0 && !strings.Contains(s, "`") {
			t.Fatalf("Markdown(%q) = %q leaves a fence open", s, out)
		}
	})
}
