package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// SARIF writes SARIF 2.1.0 for code scanning. Every rule carries its
// descriptions, its help (what to do, in text and Markdown) and a link
// into docs/ci.md; every result is at the line that caused it, with the
// lines that produce it as related locations; URIs are relative to the
// result's Root. GitHub's ingestion rules (SARIF Multitool's "Gh" rules)
// accept it.
type SARIF struct{}

// maxRelated caps the related locations of one result: a finding on a
// scenario that reaches a whole region explains itself in its first steps.
const maxRelated = 100

// RuleHelpURI is the link to a rule's section of docs/ci.md.
func RuleHelpURI(rule string) string {
	return Home + "/blob/main/docs/ci.md#" + rule
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version"`
	SemanticVersion string      `json:"semanticVersion"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	Help                 sarifHelp    `json:"help"`
	HelpURI              string       `json:"helpUri"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
	Region *sarifRegion `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

func (SARIF) Format(w io.Writer, r *Result) error {
	version := r.Version
	if version == "" {
		version = "0.0.0"
	}
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "blastradius", Version: version, SemanticVersion: version, InformationURI: Home}},
		Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	index := map[string]int{}
	for i, ri := range graph.CheckRules {
		rule := sarifRule{ID: ri.ID, Name: ri.Name, ShortDescription: sarifMessage{ri.Description}, FullDescription: sarifMessage{ri.Full},
			Help:    sarifHelp{Text: RuleHelp(ri.ID), Markdown: fmt.Sprintf("**%s**\n\n%s\n\n**What to do:** %s\n\nSee [%s](%s).", ri.Description, ri.Full, RuleHelp(ri.ID), ri.ID, RuleHelpURI(ri.ID))},
			HelpURI: RuleHelpURI(ri.ID)}
		rule.DefaultConfiguration.Level = string(ri.Severity)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
		index[ri.ID] = i
	}
	for _, f := range r.Findings() {
		i, ok := index[f.Rule]
		if !ok {
			continue // not a rule of check (diff's growth limit): the exit code says it
		}
		res := sarifResult{RuleID: f.Rule, RuleIndex: i, Level: string(f.Severity), Message: sarifMessage{sentence(f.Message)},
			PartialFingerprints: map[string]string{"blastradius/v1": fingerprint(f)}}
		res.Locations = []sarifLocation{{PhysicalLocation: r.physical(f.Pos)}}
		for j, c := range f.Causes {
			if j == maxRelated {
				break
			}
			id := j + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: r.physical(c.Pos), Message: &sarifMessage{sentence(c.Message)}})
		}
		if f.Waiver != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: fmt.Sprintf("%s (until %s)", f.Waiver.Reason, f.Waiver.Until)}}
		}
		run.Results = append(run.Results, res)
	}
	return writeJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func (r *Result) physical(pos model.Pos) sarifPhysicalLocation {
	var p sarifPhysicalLocation
	p.ArtifactLocation.URI = r.URI(pos.File)
	if pos.IsValid() {
		p.Region = &sarifRegion{StartLine: pos.Line, StartColumn: pos.Column}
	}
	return p
}

// sentence ends a message with a full stop, as SARIF's style asks.
func sentence(s string) string {
	if s == "" || strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

// fingerprint identifies a finding across edits that move it: the rule,
// the node and the scenario, not the line.
func fingerprint(f graph.Finding) string {
	id := []string{f.Rule, f.Scenario, f.ID, f.Related}
	if f.Rule == graph.RuleModel {
		id = append(id, f.Message)
	}
	return strings.Join(id, "/")
}
