package diag

// The check codes of SPEC §5, plus "conflict" for git merge conflicts left
// in a body, "settings" for problems in productdocs.yaml itself and
// "template" for the site's templates.
const (
	CodeFrontmatter     = "frontmatter"
	CodeConflict        = "conflict"
	CodeInvalidField    = "invalid-field"
	CodeMissingField    = "missing-field"
	CodeUnknownKind     = "unknown-kind"
	CodeDuplicateID     = "duplicate-id"
	CodeMisplaced       = "misplaced"
	CodeBrokenLink      = "broken-link"
	CodeWrongKind       = "wrong-kind"
	CodeUntraced        = "untraced"
	CodeCycle           = "cycle"
	CodeSectionBoundary = "section-boundary"
	CodeBrokenBodyLink  = "broken-body-link"
	CodeUnknownField    = "unknown-field"
	CodeUncovered       = "uncovered"
	CodeDroppedTarget   = "dropped-target"
	CodeStatusMismatch  = "status-mismatch"
	CodeLate            = "late"
	CodeStale           = "stale"
	CodeDuplicateRank   = "duplicate-rank"
	CodeAudience        = "audience"
	CodeSettings        = "settings"
	CodeTemplate        = "template"
	// Beyond SPEC §5: a copied file the tool refuses to read, and two
	// files that the build would write to one output path.
	CodeRefusedFile = "refused-file"
	CodeOutputClash = "output-clash"
)

// Code describes one check: its default severity and the texts that formats
// such as SARIF show as a rule.
type Code struct {
	Name    string
	Default Severity
	Summary string // one line
	Help    string // what to do about it
}

// Codes lists every code in the order of SPEC §5.
var Codes = []Code{
	{CodeFrontmatter, Error, "Frontmatter cannot be read",
		"The block between the opening and closing delimiter (--- for YAML, +++ for TOML, ;;; for JSON) must be a well-formed mapping with each key once, of at most 256 KB. Fix the syntax at the position given. The same code reports a file that is not UTF-8 text, and a body nesting lists or block quotes more than 100 levels deep."},
	{CodeConflict, Error, "A git merge conflict is left in the body",
		"Resolve the conflict: keep the text you want between the <<<<<<<, ======= and >>>>>>> lines, and remove the three markers."},
	{CodeInvalidField, Error, "A field has the wrong type or value",
		"Give the field a value of the type the kind expects: a known status, a YYYY-MM-DD date, an ID of letters, digits, '.', '_' and '-', a rank of 1 or more."},
	{CodeMissingField, Error, "A required field is absent",
		"Add the field: every kind but page needs a title; an initiative needs a horizon, a release a date, feedback a source."},
	{CodeUnknownKind, Error, "The kind is not one of the kinds",
		"Use one of vision, objective, initiative, release, persona, market, competitor, epic, story, feedback or page."},
	{CodeDuplicateID, Error, "A second document has an ID already taken",
		"IDs are unique across the site, ignoring case. Give one of the two documents another ID."},
	{CodeMisplaced, Error, "A document of one section lives outside it",
		"Move strategy kinds under content/strategy/ and backlog kinds under content/backlog/."},
	{CodeBrokenLink, Error, "A reference field names an ID that no document has",
		"Correct the ID, or write the document it names."},
	{CodeWrongKind, Error, "A reference field names a document of a kind the field does not allow",
		"Point the field at a document of an allowed kind: a story traces to an epic or an initiative, an epic to an initiative, an initiative to an objective, an objective to the vision."},
	{CodeUntraced, Error, "A document that must trace upward has no traces",
		"Add traces: with the ID of the strategy this work serves, so it answers \"why are we building this?\"."},
	{CodeCycle, Error, "traces or depends_on links form a cycle",
		"Remove one of the links named so that the chain ends."},
	{CodeSectionBoundary, Error, "A strategy document links into the backlog",
		"Links run upward only: strategy must read on its own. Remove the link; the backlog item's page shows the relation from its side."},
	{CodeBrokenBodyLink, Error, "A link in the body points at an unknown ID, a missing file or a missing anchor",
		"Correct the link target; anchors are the heading text in lower case with spaces as '-'."},
	{CodeUnknownField, Warning, "A field is not known for the kind",
		"Correct the field name, or move the team's own data under extra:."},
	{CodeUncovered, Warning, "Strategy that no work covers",
		"An open objective needs an initiative, an open now-initiative an epic, and a planned or in-progress epic a story; or change its status."},
	{CodeDroppedTarget, Warning, "An open document traces to a dropped one",
		"Trace the open work to strategy that is still wanted, or drop it too."},
	{CodeStatusMismatch, Warning, "Statuses that contradict each other",
		"A done document should not have open work tracing to it, and a done story should have every acceptance criterion checked."},
	{CodeLate, Warning, "A release whose date has passed, or an initiative whose quarter has ended, still has open work",
		"Finish or move the open items named (a new release:, a later quarter:), or set the release's date. \"Today\" is SOURCE_DATE_EPOCH's day when it is set, else the clock's; a release dated today is not late yet."},
	{CodeStale, Warning, "An open item has not changed for longer than its horizon or status allows",
		"Review the item and commit a change, or set updated: to the day you reviewed it. The limits (days) are set under stale: in productdocs.yaml: now 30, next 90, later 180 for initiatives; in-progress 30 and open 90 for epics and stories. The last change is updated: where given, else the last commit that touched the file."},
	{CodeDuplicateRank, Warning, "Two backlog items share a rank",
		"Give each backlog item its own rank, so the backlog's order is the one you mean."},
	{CodeAudience, Warning, "A public document links or traces to an internal one",
		"The public site shows a link's text instead of an internal document, leaves an internal reference out and ends a why-chain at the last public document. Make the document named public too (audience: public), or remove the link."},
	{CodeSettings, Error, "productdocs.yaml has an unknown setting or a bad value",
		"Correct the setting named; see the manual's Settings page."},
	{CodeTemplate, Error, "A template of the site cannot be parsed or fails to render",
		"Fix the template at the line named; the manual's Templates page lists the data each template receives."},
	{CodeRefusedFile, Error, "A file to copy to the output is not copied",
		"productdocs copies regular files of at most 128 MB, follows no symbolic link, and copies no SVG or XML file that can run script unless unsafe_html is true. Put the file itself in place of a link, keep a larger file outside the site and link to it, or remove the script."},
	{CodeOutputClash, Error, "Two files would be written to one output path",
		"A file under content/ takes a path that a document's page or a page the site makes (trace/, search/, model.json, assets/…) takes too. Rename or move the file under content/ so that it has a path of its own."},
}

var codeIndex = func() map[string]int {
	m := make(map[string]int, len(Codes))
	for i, c := range Codes {
		m[c.Name] = i
	}
	return m
}()

// LookupCode returns the code named name.
func LookupCode(name string) (Code, bool) {
	i, ok := codeIndex[name]
	if !ok {
		return Code{}, false
	}
	return Codes[i], true
}

// DefaultSeverity is the severity of a code when the site does not set one.
func DefaultSeverity(code string) Severity {
	if c, ok := LookupCode(code); ok {
		return c.Default
	}
	return Error
}
