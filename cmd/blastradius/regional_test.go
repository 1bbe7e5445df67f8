package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegionalProvidersFromODS models an attack like the one on Ortivus's
// ambulance records system in July 2023 as an ICB would: the organisations
// imported from ODS downloads (twelve ICBs, two ambulance trusts, two
// receiving trusts), the ambulance trusts edited by hand to name the ICBs
// they serve, the model kept in several files. Each person is counted
// once, the estimate is named, and the monthly update keeps the edits.
func TestRegionalProvidersFromODS(t *testing.T) {
	chdirRoot(t)
	root := t.TempDir()
	icbs := filepath.Join(root, "icbs")
	imp := []string{"import", "ods", "--epraccur", "testdata/ods/ambulance/epraccur.csv", "--etr", "testdata/ods/ambulance/etr.csv",
		"--icbs", "testdata/ods/ambulance/icbs.csv", "--list-sizes", "testdata/ods/ambulance/gp-reg-pat-prac-all.csv"}
	runOK(t, append(imp, "-o", icbs)...)
	edit := func(file, old, new string) {
		p := filepath.Join(icbs, file)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(src), old) {
			t.Fatalf("%s has no %q:\n%s", file, old, src)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// South Western gives its people ICB by ICB; South Central one figure.
	edit("qjk.yaml", "ods: RYF, icb: qjk}", "ods: RYF, icb: {qt6: 580000, qjk: 1200000, qsl: 580000, quy: 1000000, qox: 950000, qvv: 800000, qr1: 650000}}")
	edit("qu9.yaml", "ods: RYE, icb: qu9}", "ods: RYE, icb: [qu9, qrl, qnq, qxu, qnx], patients: 7000000}")
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("region.yaml", `version: 1
name: Ambulance records system, two regions
include: [icbs/*.yaml, ambulance.yaml]
scenarios:
  - name: Records system ransomware
    compromise: [mobimed]
    expect:
      reaches: [ryf, rye, ref, rhm]
`)
	write("ambulance.yaml", `organisations:
  - {id: ortivus, name: Ambulance records supplier, kind: supplier, controls: [mfa]}
services:
  - {id: mobimed, name: Ambulance electronic patient record, kind: epr, operator: ortivus}
dependencies:
  - {from: ryf, to: mobimed, type: service}
  - {from: rye, to: mobimed, type: service}
  - {from: ref, to: ryf, type: service, critical: false}
  - {from: rhm, to: rye, type: service, critical: false}
`)
	model := filepath.Join(root, "region.yaml")
	check := func(when string) {
		t.Helper()
		files, _ := filepath.Glob(filepath.Join(root, "*.yaml"))
		if out := runOK(t, append([]string{"validate", "--strict"}, files...)...); strings.Contains(out, "invalid") {
			t.Errorf("%s: validate: %s", when, out)
		}
		out := runOK(t, "reach", model, "--scenario", "Records system ransomware")
		for _, want := range []string{
			// 5,760,000 + 7,000,000: the receiving trusts' catchments lie
			// inside, and the ICBs' populations are not exceeded.
			"at least 12,760,000 people (2 organisations give no figure)",
			"South Central Ambulance Service NHS Foundation Trust serves several ICBs with one figure: its figure is split among them by their populations, an estimate.",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: reach says\n%s\nwant %q", when, out, want)
			}
		}
		if strings.Contains(out, "South Western Ambulance Service NHS Foundation Trust serves several") {
			t.Errorf("%s: people given ICB by ICB are not an estimate:\n%s", when, out)
		}
	}
	check("as written")
	// The monthly update rewrites the ICB files and keeps the edits.
	out := runOK(t, append(imp, "--update", icbs)...)
	if !strings.Contains(out, "Checked names across the model "+model) {
		t.Errorf("update: %s", out)
	}
	check("after the update")
}
