package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckStrainRules runs check and diff on the model of the
// second-order rules in every format, each against a golden under
// testdata/strain-rules, and checks the exit code.
func TestCheckStrainRules(t *testing.T) {
	wd := chdirRoot(t)
	const (
		m      = "testdata/strain-rules/model.yaml"
		before = "testdata/strain-rules/before.yaml"
		waived = "testdata/strain-rules/waived.yaml"
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
		// The policy's finding waived, the stock's exception expired.
		tc{"check-waived.text", []string{"check", m, "--scenarios", waived}, exitProblem},
		// Before the expiry both findings are waived.
		tc{"check-waived-in-date.text", []string{"check", m, "--scenarios", waived, "--today", "2026-10-01"}, exitOK},
		// Before the change the neighbour helps from its headroom alone and
		// strains nobody: the stock and the policy pass, strains does not.
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
			matchGolden(t, filepath.Join(wd, "testdata/strain-rules", c.name+".golden"), got)
		})
	}
}

// TestStrainRulesInSARIF checks that each finding of the second-order
// rules is on the line that causes it, with the helpers, stocks and nodes
// it is about as related locations, and that the expectations that hold
// give no finding.
func TestStrainRulesInSARIF(t *testing.T) {
	chdirRoot(t)
	out, code := runCheckFormat(t, "testdata/strain-rules/model.yaml", "--format", "sarif", "--root", ".")
	if code != exitProblem {
		t.Fatalf("exit %d", code)
	}
	type loc struct {
		PhysicalLocation struct {
			Region struct{ StartLine, StartColumn int }
		}
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID           string
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
			s = append(s, fmt.Sprintf("%d:%d", l.PhysicalLocation.Region.StartLine, l.PhysicalLocation.Region.StartColumn))
		}
		return strings.Join(s, ",")
	}
	var got []string
	for _, r := range log.Runs[0].Results {
		got = append(got, fmt.Sprintf("%s at %s, related %s", r.RuleID, lines(r.Locations), lines(r.RelatedLocations)))
	}
	want := []string{
		// far-lab in strains; its definition. clinic, which is strained, gives none.
		"expect_strains at 36:25, related 19:5",
		// lab2 in spares, strained by its own aid; lab2's definition.
		// far-trust, spared, gives none.
		"expect_spares at 37:27, related 18:5",
		// blood's limit of 12 days; its stock. The second scenario's 9 holds.
		"expect_stock_alert_after at 38:34, related 23:12",
		// the policy, once for each scenario that strains two organisations:
		// the scenario's name, the helper and the stock. The exfiltration
		// strains nobody.
		"max_strained at 53:17, related 33:11,18:5,20:5",
		"max_strained at 53:17, related 40:11,18:5,20:5",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
