package config

import (
	"reflect"
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
