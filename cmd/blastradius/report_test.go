package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/explore"
	"github.com/blastradius/blastradius/model"
)

// reportSections reads the briefs a written report carries.
type reportSections struct {
	Paper     string `json:"paper"`
	One       bool   `json:"one"`
	Scenarios []struct {
		Title string         `json:"title"`
		Brief *explore.Brief `json:"brief"`
	} `json:"scenarios"`
}

var reportDataRE = regexp.MustCompile(`(?s)<script type="application/json" id="report-data">(.*?)</script>`)

func readReport(t *testing.T, page string) (reportSections, string) {
	t.Helper()
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	m := reportDataRE.FindSubmatch(src)
	if m == nil {
		t.Fatalf("%s holds no report data", page)
	}
	var r reportSections
	if err := json.Unmarshal(m[1], &r); err != nil {
		t.Fatal(err)
	}
	return r, string(src)
}

// briefText writes a brief's lists, each under its heading.
func briefText(title string, b *explore.Brief) string {
	var w strings.Builder
	fmt.Fprintf(&w, "## %s\nseeds: %s\n", title, strings.Join(b.Seeds, ", "))
	if len(b.Assume) > 0 {
		fmt.Fprintf(&w, "assuming: %s\n", strings.Join(b.Assume, "; "))
	}
	for _, l := range []struct {
		what string
		l    explore.List
	}{{"spared", b.Spared}, {"newly affected", b.Added}, {"on every path", b.Dominators}, {"changes", b.Changes}, {"cut", b.Cut}, {"unaffected neighbours", b.Neighbours}} {
		fmt.Fprintf(&w, "%s: %s\n", l.what, l.l.Head)
		for _, it := range l.l.Items {
			fmt.Fprintf(&w, "  - %s\n", it)
		}
	}
	if b.CutWords != "" {
		fmt.Fprintf(&w, "cut: %s\n", b.CutWords)
	}
	return w.String()
}

// headCount is the count a heading gives for its list: 3 in "3 of 24
// dependencies", 24 in "24 dependencies".
var headCount = regexp.MustCompile(`^([0-9,]+) (?:of ([0-9,]+) )?[a-z]+$`)

// TestReportBriefs checks every brief of every example's report against
// its golden: names, not ids, and each list's heading counting the items
// that follow it.
func TestReportBriefs(t *testing.T) {
	wd := chdirRoot(t)
	files, _ := filepath.Glob("examples/*.yaml")
	// Its lists run longer than a brief shows.
	files = append(files, "cmd/blastradius/testdata/report-briefs/many.yaml")
	for _, path := range files {
		m, err := model.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := readReport(t, writeReport(t, path))
		if r.Paper != "a4" || r.One {
			t.Errorf("%s: paper %q, one %v; want a4 and every scenario", path, r.Paper, r.One)
		}
		var got strings.Builder
		for _, sc := range r.Scenarios {
			b := sc.Brief
			for what, l := range map[string]explore.List{"spared": b.Spared, "added": b.Added, "dominators": b.Dominators, "changes": b.Changes, "cut": b.Cut, "neighbours": b.Neighbours} {
				c := headCount.FindStringSubmatch(l.Head)
				if c == nil {
					t.Errorf("%s, %s: %s heading %q", path, sc.Title, what, l.Head)
					continue
				}
				shown, total := c[1], c[2]
				if total == "" {
					total = shown
				}
				if shown != fmt.Sprint(len(l.Items)) || total != fmt.Sprint(l.Total) || len(l.Items) > l.Total {
					t.Errorf("%s, %s: %s heading %q over %d of %d items", path, sc.Title, what, l.Head, len(l.Items), l.Total)
				}
			}
			// Every name a person reads is the node's name, where it has one.
			for _, l := range [][]string{b.Seeds, b.Spared.Items, b.Added.Items, b.Neighbours.Items} {
				for _, name := range l {
					if n := m.Node(name); n != nil && n.Name != "" {
						t.Errorf("%s, %s: %q listed by its id, not its name %q", path, sc.Title, name, n.Name)
					}
				}
			}
			got.WriteString(briefText(sc.Title, b))
		}
		golden := filepath.Join(wd, "testdata", "report-briefs", strings.TrimSuffix(filepath.Base(path), ".yaml")+".txt")
		if *update {
			if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./cmd/blastradius -run TestReportBriefs -update)", err)
		}
		if got.String() != string(want) {
			t.Errorf("%s: the briefs differ from %s:\n%s", path, golden, diff(string(want), got.String()))
		}
	}
}

// TestReportFlags: one scenario briefed alone, the paper, and the
// mistakes.
func TestReportFlags(t *testing.T) {
	chdirRoot(t)
	const path = "examples/synnovis-2024.yaml"
	out := filepath.Join(t.TempDir(), "brief.html")
	var stderr bytes.Buffer
	if code := run([]string{"report", path, "--scenario", "MFA on the laboratory system", "--paper", "letter", "-o", out}, nil, &bytes.Buffer{}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	r, src := readReport(t, out)
	if len(r.Scenarios) != 1 || r.Scenarios[0].Title != "MFA on the laboratory system" || !r.One || r.Paper != "letter" {
		t.Errorf("one scenario on letter: %+v", r)
	}
	if !strings.Contains(src, "@page { size: letter;") {
		t.Errorf("the report does not print on letter")
	}
	if _, src := readReport(t, writeReport(t, path)); !strings.Contains(src, "@page { size: A4;") {
		t.Errorf("the report does not print on A4 by default")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--scenario", "Qilin ransomware June 2024"}, `no scenario "Qilin ransomware June 2024" (did you mean "Qilin ransomware, June 2024"?)`},
		{[]string{"--scenario", "nope"}, `scenarios: "Qilin ransomware, June 2024", "MFA on the laboratory system", "Data published, 20 June 2024"`},
		{[]string{"--paper", "a5"}, `--paper "a5": use a4 or letter`},
	} {
		stderr.Reset()
		code := run(append([]string{"report", path, "-o", filepath.Join(t.TempDir(), "x.html")}, tc.args...), nil, &bytes.Buffer{}, &stderr)
		if code != exitError || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 saying %s", tc.args, code, stderr.String(), tc.want)
		}
	}
}
