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

// TestReachGroupsBeyondASize: on a model of a few ICBs, the largest
// supplier's radius is counted by effect, ICB and kind in a page of text;
// --all lists every node, as JSON always does.
func TestReachGroupsBeyondASize(t *testing.T) {
	var buf bytes.Buffer
	st, err := synth.Generate(&buf, synth.Options{Scale: 1, Seed: 1, ICBs: 4})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "national.yaml")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var im struct {
		Affected []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(runOK(t, "reach", file, "--compromise", st.LargestSupplier, "--format", "json")), &im); err != nil {
		t.Fatal(err)
	}
	if len(im.Affected) <= reachListMax {
		t.Fatalf("%d nodes affected: the case is not exercised", len(im.Affected))
	}
	grouped := runOK(t, "reach", file, "--compromise", st.LargestSupplier)
	if !strings.Contains(grouped, "counted by effect, ICB and kind (--all lists each with its path)") {
		t.Errorf("no word that the text is grouped:\n%s", grouped)
	}
	if lines := strings.Count(grouped, "\n"); lines > 80 {
		t.Errorf("the grouped text is %d lines", lines)
	}
	if strings.Contains(grouped, "path: ") || !strings.Contains(grouped, " area: ") || !strings.Contains(grouped, "GP practices") {
		t.Errorf("the grouped text is not by ICB and kind:\n%s", grouped)
	}
	all := runOK(t, "reach", file, "--compromise", st.LargestSupplier, "--all")
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
