package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func checkCmd() *command {
	return &command{
		name:    "check",
		summary: "check a model's scenario expectations and policies, for CI",
		usage: `Usage: blastradius check MODEL [--scenarios FILE] [--format text|json|sarif|junit] [--fail-on error|warning]

Runs every scenario expectation (reaches, spares, max_organisations) and
every policy (max_organisations, require_controls,
critical_needs_alternative) of the model, and reports each finding with its
rule, its severity, a message and the line of the model it comes from. An
exception in force waives a finding; an expired exception is itself a
finding, and an exception that waives nothing is a warning.

Flags:
  --scenarios FILE    take scenarios and policies from FILE instead of MODEL
  --format F          text (default), json, sarif (SARIF 2.1.0, for code
                      scanning) or junit (JUnit XML, one test case per
                      expectation and policy)
  --fail-on S         exit 1 on findings of severity S or worse: error
                      (default) or warning
  --today YYYY-MM-DD  the date exceptions are checked against (default: today)
  -o FILE             write the report to FILE, atomically

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 the model or
the scenarios file is invalid, or a flag is wrong.

Examples:
  blastradius check examples/synnovis-2024.yaml
  blastradius check models/sel.yaml --format sarif -o blastradius.sarif
  blastradius check models/sel.yaml --scenarios ci/scenarios.yaml --format junit -o report.xml
`,
		run: runCheck,
	}
}

func runCheck(e *env, args []string) int {
	f := newFlags(checkCmd(), true, true)
	scenarios := f.String("scenarios", "", "")
	format := f.word("format", "text", "text", "json", "sarif", "junit")
	failOn := f.word("fail-on", "error", "error", "warning")
	today := f.String("today", "", "")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if *today == "" {
		*today = time.Now().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, *today); err != nil {
		return f.usageError(e, "--today %q: write a date as YYYY-MM-DD", *today)
	}
	m, ok := load(e, path, f.limits)
	if !ok {
		return exitError
	}
	if *scenarios != "" {
		name, src, err := readSource(e, *scenarios, f.limits)
		if err == nil {
			m, err = model.ParseScenarios(m, name, src, f.limits)
		}
		if err != nil {
			reportLoadError(e, *scenarios, err)
			return exitError
		}
	}
	rep, err := graph.Check(m, *today)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return exitError
	}
	var out bytes.Buffer
	switch *format {
	case "json":
		writeJSON(&out, checkJSON{rep, rep.Count(graph.SeverityError), rep.Count(graph.SeverityWarning) - rep.Count(graph.SeverityError)})
	case "sarif":
		writeJSON(&out, toSARIF(rep))
	case "junit":
		writeJUnit(&out, rep)
	default:
		writeCheckText(&out, rep)
	}
	return emit(e, f.out, out.Bytes(), checkExit(rep, graph.Severity(*failOn)))
}

type checkJSON struct {
	*graph.Report
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// checkExit is the exit code of a check: 1 if any unwaived finding is at or
// above the severity that fails.
func checkExit(r *graph.Report, failOn graph.Severity) int {
	if r.Count(failOn) > 0 {
		return exitProblem
	}
	return exitOK
}

func writeCheckText(w io.Writer, r *graph.Report) {
	waived := 0
	for _, f := range r.Findings {
		if f.Waiver != nil {
			waived++
			fmt.Fprintf(w, "%s:%d:%d: waived %s: %s [%s] (exception until %s: %s)\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule, f.Waiver.Until, f.Waiver.Reason)
			continue
		}
		fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
	}
	failed := 0
	for _, c := range r.Checks {
		if !c.Passed() {
			failed++
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
	}
	errs, warns := r.Count(graph.SeverityError), r.Count(graph.SeverityWarning)-r.Count(graph.SeverityError)
	fmt.Fprintf(w, "%s: %s, %d failed; %s, %s", r.File, plural(len(r.Checks), "check"), failed, plural(errs, "error"), plural(warns, "warning"))
	if waived > 0 {
		fmt.Fprintf(w, ", %d waived", waived)
	}
	fmt.Fprintln(w, ".")
}

// SARIF 2.1.0, the parts of it a report needs.
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
	Name    string      `json:"name"`
	Version string      `json:"version"`
	Rules   []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region *sarifRegion `json:"region,omitempty"`
	} `json:"physicalLocation"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

func toSARIF(r *graph.Report) sarifLog {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "blastradius", Version: version}}, Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	index := map[string]int{}
	for i, ri := range graph.CheckRules {
		rule := sarifRule{ID: ri.ID, Name: ri.Name, ShortDescription: sarifMessage{ri.Description}}
		rule.DefaultConfiguration.Level = string(ri.Severity)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
		index[ri.ID] = i
	}
	for _, f := range r.Findings {
		res := sarifResult{RuleID: f.Rule, RuleIndex: index[f.Rule], Level: string(f.Severity), Message: sarifMessage{f.Message},
			PartialFingerprints: map[string]string{"blastradius/v1": fingerprint(f)}}
		var loc sarifLocation
		loc.PhysicalLocation.ArtifactLocation.URI = fileURI(f.File)
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line, StartColumn: f.Column}
		}
		res.Locations = []sarifLocation{loc}
		if f.Waiver != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: fmt.Sprintf("%s (until %s)", f.Waiver.Reason, f.Waiver.Until)}}
		}
		run.Results = append(run.Results, res)
	}
	return sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
}

// fingerprint identifies a finding across edits that move it: the rule,
// the node and the scenario, not the line.
func fingerprint(f graph.Finding) string {
	return strings.Join([]string{f.Rule, f.Scenario, f.ID, f.Related}, "/")
}

// fileURI turns a path into a relative URI reference.
func fileURI(path string) string {
	if path == "<stdin>" {
		return "stdin"
	}
	return (&url.URL{Path: filepath.ToSlash(path)}).String()
}

// JUnit XML, as CI systems read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, r *graph.Report) {
	top := junitSuites{Name: "blastradius check " + r.File}
	var order []string
	suites := map[string]*junitSuite{}
	for _, c := range r.Checks {
		s, ok := suites[c.Group]
		if !ok {
			s = &junitSuite{Name: c.Group}
			suites[c.Group] = s
			order = append(order, c.Group)
		}
		tc := junitCase{Classname: "blastradius." + strings.ReplaceAll(c.Group, " ", "_"), Name: c.Name}
		var fails, notes []string
		failRule := ""
		for _, f := range c.Findings {
			line := fmt.Sprintf("%s:%d:%d: %s [%s]", f.File, f.Line, f.Column, f.Message, f.Rule)
			if f.Waiver != nil || f.Severity != graph.SeverityError {
				if f.Waiver != nil {
					line += fmt.Sprintf(" (waived until %s: %s)", f.Waiver.Until, f.Waiver.Reason)
				}
				notes = append(notes, line)
				continue
			}
			if failRule == "" {
				failRule = f.Rule
			}
			fails = append(fails, line)
		}
		if len(fails) > 0 {
			tc.Failure = &junitFailure{Message: plural(len(fails), "finding"), Type: failRule, Text: strings.Join(fails, "\n")}
			s.Failures++
			top.Failures++
		}
		tc.SystemOut = strings.Join(notes, "\n")
		s.Cases = append(s.Cases, tc)
		s.Tests++
		top.Tests++
	}
	for _, name := range order {
		top.Suites = append(top.Suites, *suites[name])
	}
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	enc.Encode(top)
	io.WriteString(w, "\n")
}
