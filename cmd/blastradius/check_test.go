package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func runCheckFormat(t *testing.T, args ...string) ([]byte, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"check", "--today", "2026-11-23"}, args...), nil, &stdout, &stderr)
	if code == exitError {
		t.Fatalf("check %v: exit 2: %s", args, stderr.String())
	}
	return stdout.Bytes(), code
}

// TestSARIFValidates checks every SARIF log against the official SARIF
// 2.1.0 schema, and that results land on the lines that caused them.
func TestSARIFValidates(t *testing.T) {
	schemaFile := "testdata/schema/sarif-schema-2.1.0.json"
	chdirRoot(t)
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("cmd/blastradius/" + schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	cases := [][]string{
		{"examples/synnovis-2024.yaml"},
		{"testdata/widened/synnovis-2024.yaml"},
		{"examples/synnovis-2024.yaml", "--scenarios", "examples/policies/standards.yaml"},
		{"examples/wirral-2024.yaml"},
	}
	for _, args := range cases {
		out, _ := runCheckFormat(t, append(args, "--format", "sarif")...)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%v: SARIF does not validate: %v", args, err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID    string
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           *struct{ StartLine int }
						}
					}
				}
			}
		}
		json.Unmarshal(out, &log)
		for _, r := range log.Runs[0].Results {
			loc := r.Locations[0].PhysicalLocation
			src, err := os.ReadFile(loc.ArtifactLocation.URI)
			if err != nil {
				t.Fatalf("result points at %s: %v", loc.ArtifactLocation.URI, err)
			}
			lines := strings.Split(string(src), "\n")
			if loc.Region == nil || loc.Region.StartLine > len(lines) {
				t.Fatalf("result without a line: %+v", r)
			}
			line := lines[loc.Region.StartLine-1]
			if r.RuleID == "expect_spares" && !strings.Contains(line, "spares") {
				t.Errorf("expect_spares result on line %d: %q", loc.Region.StartLine, line)
			}
			if r.RuleID == "critical_needs_alternative" && !strings.Contains(line, "type: service") {
				t.Errorf("critical_needs_alternative result on line %d: %q", loc.Region.StartLine, line)
			}
		}
	}
	// The schema is not a rubber stamp: a log without its version fails.
	doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"runs": []}`))
	if sch.Validate(doc) == nil {
		t.Error("the schema accepts a log without a version")
	}
}

func TestJUnitParses(t *testing.T) {
	chdirRoot(t)
	// The example's Qilin scenario has one more expectation than the
	// widened copy: max_outage_days.
	for model, want := range map[string]int{"examples/synnovis-2024.yaml": 14, "testdata/widened/synnovis-2024.yaml": 8} {
		out, code := runCheckFormat(t, model, "--format", "junit")
		var suites struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Suites   []struct {
				Cases []struct {
					Failure *struct{} `xml:"failure"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(out, &suites); err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		cases, failures := 0, 0
		for _, s := range suites.Suites {
			for _, c := range s.Cases {
				cases++
				if c.Failure != nil {
					failures++
				}
			}
		}
		if cases != suites.Tests || failures != suites.Failures || cases != want {
			t.Errorf("%s: %d cases, %d failures; header says %d and %d", model, cases, failures, suites.Tests, suites.Failures)
		}
		if (failures > 0) != (code == exitProblem) {
			t.Errorf("%s: %d failures but exit %d", model, failures, code)
		}
	}
}

// TestCIDocOutput runs every "$ blastradius ..." transcript of docs/ci.md
// and checks that the output shown is what the command prints today.
func TestCIDocOutput(t *testing.T) {
	chdirRoot(t)
	data, err := os.ReadFile("docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, block := range strings.Split(string(data), "```")[1:] {
		cmd, shown, ok := strings.Cut(strings.TrimPrefix(block, "\n"), "\n")
		if !ok || !strings.HasPrefix(cmd, "$ blastradius ") {
			continue
		}
		blocks++
		var stdout, stderr bytes.Buffer
		run(splitArgs(strings.TrimPrefix(cmd, "$ blastradius ")), nil, &stdout, &stderr)
		if stdout.String() != shown {
			t.Errorf("docs/ci.md shows for %q:\n%s", cmd, diff(shown, stdout.String()))
		}
	}
	if blocks == 0 {
		t.Error("found no transcript in docs/ci.md")
	}
}
