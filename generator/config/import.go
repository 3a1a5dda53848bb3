package config

import (
	"slices"
	"strings"

	"productdocs/generator/content"
	"productdocs/generator/model"
)

// Import are the settings of `productdocs import`, under the key import:
//
//	import:
//	  jira:
//	    types:        # issue type → kind, or skip
//	      Sub-task: story
//	      Spike: skip
//	    priorities:   # priority → must, should, could, wont, or none
//	      P1: must
//	    statuses:     # status name → proposed, planned, in-progress, done, dropped
//	      Selected for Development: planned
//
// Jira's names are matched ignoring case; what is not set keeps the
// import's default mapping (see the manual's "Import and export").
type Import struct {
	Jira JiraImport
}

// JiraImport maps Jira's names onto productdocs'. The keys are folded to
// lower case; nil maps mean the defaults.
type JiraImport struct {
	Types      map[string]string
	Priorities map[string]string
	Statuses   map[string]string
}

// ImportKinds are the kinds an issue type may become: the ones whose
// required fields an issue can fill. "skip" leaves the type out.
var ImportKinds = []string{"objective", "initiative", "epic", "story", "skip"}

// ImportPriorities are the values a Jira priority may become; "none"
// writes no priority.
var ImportPriorities = []string{"must", "should", "could", "wont", "none"}

func parseImport(f *content.Field, report func(content.Pos, string, ...any)) Import {
	var s Import
	if f.Value.Kind != content.Map {
		report(f.Value.Pos, "import must be a mapping with the key jira")
		return s
	}
	for _, t := range f.Value.Map {
		if t.Key != "jira" {
			report(t.KeyPos, "unknown setting %q (want import.jira)", "import."+t.Key)
			continue
		}
		if t.Value.Kind != content.Map {
			report(t.Value.Pos, "import.jira must be a mapping with the keys types, priorities, statuses")
			continue
		}
		for _, m := range t.Value.Map {
			var allowed []string
			var into *map[string]string
			switch m.Key {
			case "types":
				allowed, into = ImportKinds, &s.Jira.Types
			case "priorities":
				allowed, into = ImportPriorities, &s.Jira.Priorities
			case "statuses":
				allowed, into = model.Statuses, &s.Jira.Statuses
			default:
				report(m.KeyPos, "unknown setting %q (want one of types, priorities, statuses)", "import.jira."+m.Key)
				continue
			}
			name := "import.jira." + m.Key
			if m.Value.Kind != content.Map {
				report(m.Value.Pos, "%s must be a mapping of Jira's names to %s", name, strings.Join(allowed, ", "))
				continue
			}
			*into = map[string]string{}
			for _, e := range m.Value.Map {
				v := e.Value.Str
				if e.Value.Kind != content.String || !slices.Contains(allowed, v) {
					report(e.Value.Pos, "%s: %q maps to %s, which is not one of %s", name, e.Key, e.Value.Text(), strings.Join(allowed, ", "))
					continue
				}
				(*into)[strings.ToLower(strings.TrimSpace(e.Key))] = v
			}
		}
	}
	return s
}
