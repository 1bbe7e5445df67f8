package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckTimelineRules runs check and diff on the model of the
// timeline's rules in every format, each against a golden under
// testdata/timeline-rules, and checks the exit code and that each finding
// is on the line that causes it with the other lines as related locations.
func TestCheckTimelineRules(t *testing.T) {
	wd := chdirRoot(t)
	const (
		m      = "testdata/timeline-rules/model.yaml"
		before = "testdata/timeline-rules/before.yaml"
		waived = "testdata/timeline-rules/waived.yaml"
	)
	type tc struct {
		name string
		args []string
		exit int
	}
	var cases []tc
	for _, fm := range []string{"text", "json", "sarif", "junit", "codequality", "markdown"} {
		cases = append(cases,
			tc{"check." + fm, []string{"check", m, "--format", fm}, exitProblem},
			tc{"diff." + fm, []string{"diff", before, m, "--format", fm}, exitProblem},
		)
	}
	cases = append(cases,
		// Every finding waived but one, whose exception has expired.
		tc{"check-waived.text", []string{"check", m, "--scenarios", waived}, exitProblem},
		// Before the expiry every finding is waived, and none is unused.
		tc{"check-waived-in-date.text", []string{"check", m, "--scenarios", waived, "--today", "2026-10-01"}, exitOK},
		// The old version of the model keeps its laboratory within the
		// trust's tolerance, but not the clinic within the scenario's limit.
		tc{"check-before.text", []string{"check", before}, exitProblem},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{c.args[0], "--today", "2026-11-23", "--root", "."}, c.args[1:]...)
			var stdout, stderr bytes.Buffer
			code := run(args, nil, &stdout, &stderr)
			if code != c.exit {
				t.Errorf("exit %d, want %d\n%s", code, c.exit, stderr.String())
			}
			got := fmt.Sprintf("args: %s\nexit: %d\n-- stdout --\n%s-- stderr --\n%s", quoteArgs(c.args), code, &stdout, &stderr)
			matchGolden(t, filepath.Join(wd, "testdata/timeline-rules", c.name+".golden"), got)
		})
	}
}

// TestTimelineRulesInSARIF checks that each finding of the timeline's
// rules is on its line, with the other lines as related locations.
func TestTimelineRulesInSARIF(t *testing.T) {
	chdirRoot(t)
	out, code := runCheckFormat(t, "testdata/timeline-rules/model.yaml", "--format", "sarif", "--root", ".")
	if code != exitProblem {
		t.Fatalf("exit %d", code)
	}
	type loc struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string }
			Region           struct{ StartLine int }
		}
		Message *struct{ Text string }
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID           string
				Suppressions     []any
				Locations        []loc
				RelatedLocations []loc
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	lines := func(ls []loc) string {
		var s []string
		for _, l := range ls {
			s = append(s, fmt.Sprint(l.PhysicalLocation.Region.StartLine))
		}
		return strings.Join(s, ",")
	}
	var got []string
	for _, r := range log.Runs[0].Results {
		got = append(got, fmt.Sprintf("%s at %s, related %s, suppressed %v", r.RuleID, lines(r.Locations), lines(r.RelatedLocations), len(r.Suppressions) > 0))
	}
	want := []string{
		// the trust's dependency on the laboratory; its recovery, the trust's tolerance
		"recovery_within_tolerance at 34, related 27,13, suppressed false",
		// the clinic's on the records system, waived
		"recovery_within_tolerance at 37, related 31,17, suppressed true",
		// the scenario's limits; the nodes they are about
		"expect_max_outage_days at 44, related 10, suppressed false",
		"expect_max_outage_days at 44, related 14, suppressed false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
