package diag

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// The sarif format writes SARIF 2.1.0 as GitHub code scanning reads it: one
// run, one rule per code of Codes, one result per diagnostic.
func init() {
	Register("sarif", func(w io.Writer, r *Report) error { return WriteSARIF(w, r, "") })
}

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name    string      `json:"name"`
	Version string      `json:"version,omitempty"`
	Rules   []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      sarifText    `json:"fullDescription"`
	Help                 sarifText    `json:"help"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
	Properties           sarifRuleTag `json:"properties"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleTag struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

// Columns are bytes, as everywhere in productdocs, while SARIF counts UTF-16
// units; the two agree on the ASCII that frontmatter keys and link syntax
// are made of, and converting would need every file's text here.
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// WriteSARIF writes r as SARIF 2.1.0. version is the tool's version for
// tool.driver.version, which a Report does not carry; "" leaves it out.
// The output has no time stamps, so the same report gives the same bytes.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:    "productdocs",
			Version: version,
			Rules:   make([]sarifRule, len(Codes)),
		}},
		Results: make([]sarifResult, 0, len(r.Diagnostics)),
	}
	for i, c := range Codes {
		run.Tool.Driver.Rules[i] = sarifRule{
			ID:               c.Name,
			Name:             ruleName(c.Name),
			ShortDescription: sarifText{Text: c.Summary},
			FullDescription:  sarifText{Text: c.Summary + ". " + c.Help},
			Help: sarifText{
				Text:     c.Help,
				Markdown: fmt.Sprintf("%s\n\nDefault severity: `%s`; a site can change it under `checks:` in `productdocs.yaml`.", c.Help, c.Default),
			},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(c.Default)},
			// GitHub shows these tags as filters of the code-scanning list.
			Properties: sarifRuleTag{Tags: []string{"documentation", "productdocs"}},
		}
	}
	seen := map[string]int{}
	for _, d := range r.Diagnostics {
		res := sarifResult{
			RuleID:    d.Code,
			RuleIndex: -1, // SARIF's "no rule in the table"
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: d.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: fileURI(d.File), URIBaseID: "%SRCROOT%"},
			}}},
		}
		if i, ok := codeIndex[d.Code]; ok {
			res.RuleIndex = i
		}
		if d.Line >= 1 {
			res.Locations[0].PhysicalLocation.Region = &sarifRegion{StartLine: d.Line, StartColumn: max(d.Column, 0)}
		}
		h := fingerprint(d)
		seen[h]++
		// The key is the one GitHub's upload action fills in itself when it
		// is absent, from the text of the line; set here, it keeps an alert
		// the same while edits move the line or change its text. The count
		// tells apart identical problems in one file, as GitHub's does.
		res.PartialFingerprints = map[string]string{"primaryLocationLineHash": fmt.Sprintf("%s:%d", h, seen[h])}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// fingerprint identifies a problem by what it is and where, leaving out the
// line and column, which change whenever text above it is edited.
func fingerprint(d Diagnostic) string {
	sum := sha256.Sum256([]byte(d.Code + "\x00" + d.File + "\x00" + d.Message))
	return hex.EncodeToString(sum[:8])
}

// fileURI makes a slash path a relative URI reference: "my notes.md"
// becomes "my%20notes.md", and a first segment with a colon gets "./" so it
// does not read as a scheme.
func fileURI(p string) string { return (&url.URL{Path: p}).String() }

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// ruleName turns a code into the CamelCase name SARIF suggests for a rule
// ("broken-link" → "BrokenLink").
func ruleName(code string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(code, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}
