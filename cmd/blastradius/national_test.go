package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/internal/synth"
)

// smallNational writes a generated model of a few ICBs and returns its
// file and largest supplier.
func smallNational(t *testing.T) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1, ICBs: 4})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "national.yaml")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file, st.LargestSupplier
}

// TestRenderFocusFoldsToAPage: a focus drawing folds above 40 nodes unless
// --max-nodes says otherwise; without --focus the cap stays 120.
func TestRenderFocusFoldsToAPage(t *testing.T) {
	if testing.Short() {
		t.Skip("it generates a 4-ICB model: run without -short (.ci/run does)")
	}
	file, sup := smallNational(t)
	out := filepath.Join(t.TempDir(), "focus.dot")
	nodes := func(args ...string) int {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"render", file, "--compromise", sup, "-o", out}, args...), nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("render %v: exit %d: %s", args, code, stderr.String())
		}
		dot, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Count(string(dot), " [id=")
	}
	if n := nodes("--focus"); n > 40 || n < 10 {
		t.Errorf("the focus drawing holds %d nodes, want 10 to 40", n)
	}
	if n := nodes("--focus", "--max-nodes", "80"); n <= 40 || n > 80 {
		t.Errorf("with --max-nodes 80 the focus drawing holds %d nodes", n)
	}
	if n := nodes(); n <= 40 || n > 125 {
		t.Errorf("the whole drawing holds %d nodes, want the cap of 120", n)
	}
}

// TestReachGroupsBeyondASize: on a model of a few ICBs, the largest
// supplier's radius is counted by effect, ICB and kind in a page of text;
// --all lists every node, as JSON always does.
func TestReachGroupsBeyondASize(t *testing.T) {
	if testing.Short() {
		t.Skip("it generates a 4-ICB model: run without -short (.ci/run does)")
	}
	file, sup := smallNational(t)
	var im struct {
		Affected []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(runOK(t, "reach", file, "--compromise", sup, "--format", "json")), &im); err != nil {
		t.Fatal(err)
	}
	if len(im.Affected) <= reachListMax {
		t.Fatalf("%d nodes affected: the case is not exercised", len(im.Affected))
	}
	grouped := runOK(t, "reach", file, "--compromise", sup)
	if !strings.Contains(grouped, "counted by effect, ICB and kind (--all lists each with its path)") {
		t.Errorf("no word that the text is grouped:\n%s", grouped)
	}
	if lines := strings.Count(grouped, "\n"); lines > 80 {
		t.Errorf("the grouped text is %d lines", lines)
	}
	if strings.Contains(grouped, "path: ") || !strings.Contains(grouped, " area: ") || !strings.Contains(grouped, "GP practices") {
		t.Errorf("the grouped text is not by ICB and kind:\n%s", grouped)
	}
	all := runOK(t, "reach", file, "--compromise", sup, "--all")
	for _, a := range im.Affected {
		if !strings.Contains(all, "  "+a.ID+" ") {
			t.Errorf("--all does not list %s", a.ID)
			break
		}
	}
	if strings.Contains(all, "counted by effect") {
		t.Error("--all still groups")
	}
}
