package ods_test

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/internal/ods"
	"github.com/blastradius/blastradius/model"
)

func open(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("../../testdata/ods/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func fixtures(t *testing.T) ods.Input {
	t.Helper()
	var in ods.Input
	var err error
	if in.Practices, err = ods.ReadPractices("epraccur.csv", open(t, "epraccur.csv")); err != nil {
		t.Fatal(err)
	}
	if in.Trusts, err = ods.ReadTrusts("etr.csv", open(t, "etr.csv")); err != nil {
		t.Fatal(err)
	}
	if in.ICBs, err = ods.ReadICBs("icbs.csv", open(t, "icbs.csv")); err != nil {
		t.Fatal(err)
	}
	if in.SubICBs, err = ods.ReadSubICBs("eccg.csv", open(t, "eccg.csv")); err != nil {
		t.Fatal(err)
	}
	if in.ListSizes, err = ods.ReadListSizes("gp-reg-pat-prac-all.csv", open(t, "gp-reg-pat-prac-all.csv")); err != nil {
		t.Fatal(err)
	}
	return in
}

// TestPracticeColumns pins the epraccur layout: each field read from the
// column ODS documents.
func TestPracticeColumns(t *testing.T) {
	in := fixtures(t)
	if len(in.Practices) != 8 {
		t.Fatalf("read %d practices, want 8", len(in.Practices))
	}
	got := in.Practices[2]
	want := ods.Org{Code: "G99003", Name: "OLD MILL PRACTICE", ICB: "QKK", Commissioner: "72Q", Status: ods.Closed,
		Opened: "1980-01-01", ClosedOn: "2024-03-31", Setting: "4", File: "epraccur.csv", Line: 3, NameCol: 8}
	if got != want {
		t.Errorf("row 3:\n got %+v\nwant %+v", got, want)
	}
	if p := in.Practices[5]; p.ICB != "" || p.Commissioner != "36L" || !p.Open() {
		t.Errorf("row 6: %+v, want no ICB, commissioner 36L, open", p)
	}
	if in.Practices[4].Setting != "3" {
		t.Errorf("row 5: setting %q, want 3", in.Practices[4].Setting)
	}
	if tr := in.Trusts[4]; tr.ClosedOn != "2020-03-31" || tr.Open() {
		t.Errorf("closed trust read as %+v", tr)
	}
	if in.ListSizes["G99002"] != 12040 || len(in.ListSizes) != 4 {
		t.Errorf("list sizes %v", in.ListSizes)
	}
	if sub := in.SubICBs[1]; sub.Code != "36L" || sub.ICB != "QWE" {
		t.Errorf("sub-ICB %+v", sub)
	}
}

// TestBuild checks the files written from the fixtures: one per ICB, each a
// model the loader accepts without a warning, holding what ODS says.
func TestBuild(t *testing.T) {
	files, skipped, err := ods.Build(fixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ods.Skipped{Closed: 2, Dormant: 1, Proposed: 1, NotGP: 1}); skipped != want {
		t.Errorf("skipped %+v, want %+v", skipped, want)
	}
	if len(files) != 2 || files[0].Name != "qkk.yaml" || files[1].Name != "qwe.yaml" {
		t.Fatalf("files %v", names(files))
	}
	wantOrgs := [][]string{{"qkk", "rj1", "rjz", "rv5", "g99001", "g99002"}, {"qwe", "r98", "h99006", "h99007"}}
	for i, f := range files {
		if !slices.Equal(f.Orgs, wantOrgs[i]) {
			t.Errorf("%s: organisations %v, want %v", f.Name, f.Orgs, wantOrgs[i])
		}
		m, err := model.Parse(f.Name, f.Data)
		if err != nil {
			t.Fatalf("%s does not load: %v\n%s", f.Name, err, f.Data)
		}
		if len(m.Warnings) > 0 {
			t.Errorf("%s: warnings %v", f.Name, m.Warnings)
		}
		if formatted, _ := model.Format(f.Name, f.Data); !bytes.Equal(formatted, f.Data) {
			t.Errorf("%s is not in the fmt layout", f.Name)
		}
		if !strings.HasPrefix(string(f.Data), "# yaml-language-server: $schema=") {
			t.Errorf("%s has no schema modeline", f.Name)
		}
	}
	m, _ := model.Parse("qkk.yaml", files[0].Data)
	g := m.Node("g99001")
	if g == nil || g.Kind != "gp-practice" || g.ODS != "G99001" || g.ICB != "qkk" || g.Patients != 8123 || g.Name != "The Riverside Surgery" {
		t.Errorf("g99001 = %+v", g)
	}
	if n := m.Node("rj1"); n == nil || n.Name != "Guy's and St Thomas' NHS Foundation Trust" || n.Kind != "trust" {
		t.Errorf("rj1 = %+v", n)
	}
	w, _ := model.Parse("qwe.yaml", files[1].Data)
	if n := w.Node("h99006"); n == nil || n.ICB != "qwe" {
		t.Errorf("a practice with no ICB column is placed through its commissioner: %+v", n)
	}
	if n := w.Node("r98"); n == nil || n.Kind != "community" {
		t.Errorf("r98 = %+v, want kind community from its name", n)
	}
}

func names(files []ods.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name)
	}
	return out
}

// TestBadRows checks that every bad row is reported at its line and column,
// with a hint.
func TestBadRows(t *testing.T) {
	_, err := ods.ReadPractices("bad-epraccur.csv", open(t, "bad-epraccur.csv"))
	var list model.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("got %v, want an error list", err)
	}
	want := []string{
		`bad-epraccur.csv:1:1: malformed ODS code "OrgCode" (ODS codes are upper-case letters and digits, such as G85001 or RJ1; ODS files have no header row)`,
		`bad-epraccur.csv:2:`,
		`bad-epraccur.csv:3:`,
		`bad-epraccur.csv:4:1: row has 4 columns, want 27`,
		`bad-epraccur.csv:5:`,
	}
	if len(list) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(list), len(want), list)
	}
	for i, e := range list {
		if !strings.HasPrefix(e.Error(), want[i]) || e.Hint == "" {
			t.Errorf("error %d: %s\nwant prefix %s, and a hint", i, e, want[i])
		}
	}
	if !strings.Contains(list[1].Error(), `open date "1974-04-01" is not a date`) || list[1].Pos.Column != 70 {
		t.Errorf("bad date: %s", list[1])
	}
	if !strings.Contains(list[2].Error(), `unknown status "X"`) {
		t.Errorf("bad status: %s", list[2])
	}
}

func TestTitle(t *testing.T) {
	for in, want := range map[string]string{
		"GUY'S AND ST THOMAS' NHS FOUNDATION TRUST": "Guy's and St Thomas' NHS Foundation Trust",
		"THE RIVERSIDE SURGERY":                     "The Riverside Surgery",
		"DR SMITH & PARTNERS":                       "Dr Smith & Partners",
		"Already Mixed":                             "Already Mixed",
	} {
		if got := ods.Title(in); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
}

const handWritten = `# South East London: our model.
version: 1
name: NHS South East London Integrated Care Board

organisations:
  - {id: qkk, name: NHS South East London Integrated Care Board, kind: icb, ods: QKK}
  # RJ1 was renamed by hand; ODS's name comes back.
  - {id: rj1, name: GSTT, kind: trust, ods: RJ1, icb: qkk, controls: [segmentation]}
  - {id: rv5, name: SLaM, kind: mental-health, ods: RV5, icb: qkk}
  - {id: g99003, name: Old Mill Practice, kind: gp-practice, ods: G99003, icb: qkk}
  - {id: r99, name: Example Closed NHS Trust, kind: trust, ods: R99, icb: qkk}
  - {id: lab-co, name: A supplier written by hand, kind: supplier}

services:
  - {id: lims, kind: pathology, operator: lab-co}

dependencies:
  # Hand-written: kept.
  - {from: rj1, to: lims, type: service}
  - {from: r99, to: lims, type: data}
`

// TestUpdate checks that --update keeps what was written by hand, adds the
// new organisations, removes the closed ones and reports both.
func TestUpdate(t *testing.T) {
	in := fixtures(t)
	files, _, err := ods.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	out, ch, err := ods.Update("qkk.yaml", []byte(handWritten), files[0], in.Closed(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ch.Opened, []string{"rjz", "g99001", "g99002"}) || !slices.Equal(ch.Closed, []string{"g99003"}) || !slices.Equal(ch.Kept, []string{"r99"}) {
		t.Errorf("changes %+v", ch)
	}
	m, err := model.Parse("qkk.yaml", out)
	if err != nil {
		t.Fatalf("the updated file does not load: %v\n%s", err, out)
	}
	text := string(out)
	for _, keep := range []string{"# South East London: our model.", "# RJ1 was renamed by hand", "# Hand-written: kept.", "controls: [segmentation]", "{from: rj1, to: lims, type: service}", "kind: mental-health"} {
		if !strings.Contains(text, keep) {
			t.Errorf("the update lost %q:\n%s", keep, text)
		}
	}
	if n := m.Node("rj1"); n == nil || n.Name != "Guy's and St Thomas' NHS Foundation Trust" {
		t.Errorf("rj1 = %+v, want its ODS name", n)
	}
	if m.Node("g99003") != nil || m.Node("g99001") == nil || m.Node("lab-co") == nil || m.Node("r99") == nil {
		t.Errorf("wrong organisations after the update:\n%s", text)
	}
	// A second update changes nothing.
	again, ch2, err := ods.Update("qkk.yaml", out, files[0], in.Closed(), nil)
	if err != nil || !bytes.Equal(again, out) || len(ch2.Opened)+len(ch2.Closed) != 0 {
		t.Errorf("a second update changed the file (%v, %+v)", err, ch2)
	}
}

// FuzzReadPractices checks that no input makes the reader panic, and that
// every error has a line.
func FuzzReadPractices(f *testing.F) {
	for _, name := range []string{"epraccur.csv", "bad-epraccur.csv", "etr.csv"} {
		if src, err := os.ReadFile("../../testdata/ods/" + name); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("\"unterminated,\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, read := range []func(string, *bytes.Reader) ([]ods.Org, error){
			func(n string, r *bytes.Reader) ([]ods.Org, error) { return ods.ReadPractices(n, r) },
			func(n string, r *bytes.Reader) ([]ods.Org, error) { return ods.ReadTrusts(n, r) },
		} {
			orgs, err := read("f.csv", bytes.NewReader(src))
			var list model.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					if e.Pos.Line == 0 {
						t.Errorf("error without a line: %s", e)
					}
				}
				continue
			}
			if err != nil {
				t.Fatalf("unexpected error type: %v", err)
			}
			if _, _, err := ods.Build(ods.Input{Practices: orgs}); err != nil {
				t.Fatalf("rows that read cannot be written: %v", err)
			}
		}
		ods.ReadListSizes("f.csv", bytes.NewReader(src))
	})
}
