package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseImport(t *testing.T) {
	src := "import:\n  jira:\n    types:\n      Sub-task: story\n      Spike: skip\n    priorities:\n      P1: must\n      P4: none\n    statuses:\n      Selected for Development: planned\n"
	s, ds := Parse([]byte(src))
	if len(ds) != 0 {
		t.Fatalf("Parse: unexpected diagnostics %v", ds)
	}
	want := JiraImport{
		Types:      map[string]string{"sub-task": "story", "spike": "skip"},
		Priorities: map[string]string{"p1": "must", "p4": "none"},
		Statuses:   map[string]string{"selected for development": "planned"},
	}
	if !reflect.DeepEqual(s.Import.Jira, want) {
		t.Errorf("Import.Jira = %+v, want %+v", s.Import.Jira, want)
	}
}

func TestParseImportProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		at   string
		msg  string
	}{
		{"import not a mapping", "import: jira\n", "1:9", "import must be a mapping"},
		{"unknown tool", "import:\n  trello: {}\n", "2:3", `unknown setting "import.trello"`},
		{"unknown jira key", "import:\n  jira:\n    type: {}\n", "3:5", `unknown setting "import.jira.type" (want one of types, priorities, statuses)`},
		{"types not a mapping", "import:\n  jira:\n    types: [a]\n", "3:12", "import.jira.types must be a mapping"},
		{"unknown kind", "import:\n  jira:\n    types:\n      Bug: defect\n", "4:12", `import.jira.types: "Bug" maps to "defect", which is not one of objective, initiative, epic, story, skip`},
		{"a kind it cannot fill", "import:\n  jira:\n    types:\n      Bug: release\n", "4:12", "not one of"},
		{"bad priority", "import:\n  jira:\n    priorities:\n      High: urgent\n", "4:13", `"High" maps to "urgent"`},
		{"bad status", "import:\n  jira:\n    statuses:\n      Blocked: stuck\n", "4:16", `"Blocked" maps to "stuck"`},
		{"status not text", "import:\n  jira:\n    statuses:\n      Blocked: [done]\n", "4:16", "maps to a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Parse([]byte(tt.src))
			if len(ds) != 1 {
				t.Fatalf("got %d diagnostics %v, want 1", len(ds), ds)
			}
			d := ds[0]
			if got := fmt.Sprintf("%d:%d", d.Line, d.Column); got != tt.at {
				t.Errorf("at %s, want %s", got, tt.at)
			}
			if d.File != File || !strings.Contains(d.Message, tt.msg) {
				t.Errorf("%v: want file %s and a message containing %q", d, File, tt.msg)
			}
		})
	}
}
