package model

import "strings"

// Section is the part of the site a kind belongs to.
type Section string

const (
	Strategy Section = "strategy" // the Product Manager's
	Backlog  Section = "backlog"  // the Product Owner's
	Pages    Section = ""         // plain pages, anywhere
)

// Owner names the role that owns a section.
func (s Section) Owner() string {
	switch s {
	case Strategy:
		return "Product Manager"
	case Backlog:
		return "Product Owner"
	}
	return ""
}

// FieldType is the type of a kind's own field.
type FieldType int

const (
	TypeString     FieldType = iota
	TypeDate                 // YYYY-MM-DD
	TypeQuarter              // YYYY-Qn
	TypeEnum                 // one of Spec.Values
	TypeRank                 // whole number ≥ 1
	TypeEstimate             // number ≥ 0
	TypeKeyResults           // list of {metric, target, current}
)

// FieldSpec describes a kind's own field.
type FieldSpec struct {
	Name     string
	Type     FieldType
	Required bool
	Values   []string // for TypeEnum
}

// RefSpec describes a reference field: which kinds it may name.
type RefSpec struct {
	Name  string
	Kinds []string
}

// Kind is one row of the kinds table of SPEC §3. Everything that depends
// on a kind (validation, link checks, `new`, templates, the docs) reads
// this table, so a new kind is one row.
type Kind struct {
	Name    string
	Section Section
	Prefix  string // the conventional ID prefix, for `productdocs new`
	Plural  string // for headings: "Objectives"
	Folder  string // where `new` writes it, under its section
	// Traces lists the kinds `traces` may name; nil means the kind has no
	// traces field. When non-nil, traces is required.
	Traces []string
	Refs   []RefSpec
	Fields []FieldSpec
}

var (
	horizon  = FieldSpec{Name: "horizon", Type: TypeEnum, Required: true, Values: []string{"now", "next", "later"}}
	priority = FieldSpec{Name: "priority", Type: TypeEnum, Values: []string{"must", "should", "could", "wont"}}
	rank     = FieldSpec{Name: "rank", Type: TypeRank}
	estimate = FieldSpec{Name: "estimate", Type: TypeEstimate}
	evidence = RefSpec{"evidence", []string{"market", "competitor", "persona"}}
	personas = RefSpec{"personas", []string{"persona"}}
	release  = RefSpec{"release", []string{"release"}}
)

// Kinds is the kinds table, in the order the site lists them.
var Kinds = []*Kind{
	{Name: "vision", Section: Strategy, Prefix: "VIS", Plural: "Vision", Folder: ""},
	{Name: "objective", Section: Strategy, Prefix: "OBJ", Plural: "Objectives", Folder: "objectives",
		Traces: []string{"vision"}, Refs: []RefSpec{evidence},
		Fields: []FieldSpec{{Name: "key_results", Type: TypeKeyResults}}},
	{Name: "initiative", Section: Strategy, Prefix: "INI", Plural: "Initiatives", Folder: "initiatives",
		Traces: []string{"objective"}, Refs: []RefSpec{evidence, {"depends_on", []string{"initiative"}}},
		Fields: []FieldSpec{horizon, {Name: "quarter", Type: TypeQuarter}}},
	{Name: "release", Section: Strategy, Prefix: "REL", Plural: "Releases", Folder: "releases",
		Fields: []FieldSpec{{Name: "date", Type: TypeDate, Required: true}}},
	{Name: "persona", Section: Strategy, Prefix: "PER", Plural: "Personas", Folder: "personas"},
	{Name: "market", Section: Strategy, Prefix: "MKT", Plural: "Market", Folder: "market",
		Fields: []FieldSpec{{Name: "source", Type: TypeString}}},
	{Name: "competitor", Section: Strategy, Prefix: "CMP", Plural: "Competitors", Folder: "competitors",
		Fields: []FieldSpec{{Name: "url", Type: TypeString}}},
	{Name: "epic", Section: Backlog, Prefix: "EPIC", Plural: "Epics", Folder: "epics",
		Traces: []string{"initiative"}, Refs: []RefSpec{release, personas, {"depends_on", []string{"epic"}}},
		Fields: []FieldSpec{priority, rank, estimate}},
	{Name: "story", Section: Backlog, Prefix: "STORY", Plural: "Stories", Folder: "stories",
		Traces: []string{"epic", "initiative"}, Refs: []RefSpec{release, personas, {"addresses", []string{"feedback"}}, {"depends_on", []string{"story"}}},
		Fields: []FieldSpec{priority, rank, estimate}},
	{Name: "feedback", Section: Backlog, Prefix: "FB", Plural: "Feedback", Folder: "feedback",
		Refs:   []RefSpec{personas},
		Fields: []FieldSpec{{Name: "source", Type: TypeString, Required: true}, {Name: "date", Type: TypeDate}}},
	{Name: "page", Section: Pages, Plural: "Pages"},
}

var kindIndex = func() map[string]*Kind {
	m := map[string]*Kind{}
	for _, k := range Kinds {
		m[k.Name] = k
	}
	return m
}()

// LookupKind returns the kind of that name, or nil.
func LookupKind(name string) *Kind { return kindIndex[name] }

// PageKind is the kind of documents without one.
var PageKind = kindIndex["page"]

// Statuses are the values of status, in the order of their lifecycle.
var Statuses = []string{"proposed", "planned", "in-progress", "done", "dropped"}

// Open reports whether a status is still to be done.
func Open(status string) bool {
	return status == "proposed" || status == "planned" || status == "in-progress"
}

// CommonFields are the fields every document may have.
var CommonFields = []string{"id", "kind", "title", "summary", "status", "owner", "tags", "updated", "extra", "audience"}

// Audiences are the values of audience: which site a document belongs to.
// The first is the default.
var Audiences = []string{"internal", "public"}

// Field returns the spec of a kind's own field, or nil.
func (k *Kind) Field(name string) *FieldSpec {
	for i := range k.Fields {
		if k.Fields[i].Name == name {
			return &k.Fields[i]
		}
	}
	return nil
}

// Ref returns the spec of a kind's reference field (traces included), or
// nil.
func (k *Kind) Ref(name string) *RefSpec {
	if name == "traces" && k.Traces != nil {
		return &RefSpec{"traces", k.Traces}
	}
	for i := range k.Refs {
		if k.Refs[i].Name == name {
			return &k.Refs[i]
		}
	}
	return nil
}

// FieldNames lists every field a document of this kind may have, for
// did-you-mean suggestions.
func (k *Kind) FieldNames() []string {
	names := append([]string(nil), CommonFields...)
	if k.Traces != nil {
		names = append(names, "traces")
	}
	for _, r := range k.Refs {
		names = append(names, r.Name)
	}
	for _, f := range k.Fields {
		names = append(names, f.Name)
	}
	return names
}

// IsStrategy and IsBacklog say which section a kind belongs to.
func (k *Kind) IsStrategy() bool { return k.Section == Strategy }
func (k *Kind) IsBacklog() bool  { return k.Section == Backlog }

// Article puts "a" or "an" before a word: "an epic", "a story".
func Article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
