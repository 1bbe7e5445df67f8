package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(args, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("blastradius %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("blastradius %s wrote to stderr: %s", strings.Join(args, " "), stderr.String())
	}
	return stdout.String()
}

// TestInitRunsAsWritten writes a starter, then validates it with no
// warning, runs its scenario, checks it, and checks it is formatted and
// passes the schema.
func TestInitRunsAsWritten(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	icb := filepath.Join(dir, "icb.yaml")
	runOK(t, "init", "--icb", "Example ICB", "-o", icb)
	src, err := os.ReadFile(icb)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(src), "# yaml-language-server: $schema="+model.SchemaBase) {
		t.Errorf("no schema modeline:\n%s", src)
	}
	if out := runOK(t, "validate", "--strict", icb); !strings.Contains(out, "ok (6 organisations, 5 services, 8 dependencies, 2 scenarios)") {
		t.Errorf("validate: %s", out)
	}
	m, err := model.Load(icb)
	if err != nil {
		t.Fatal(err)
	}
	relations := map[model.Relation]bool{}
	for _, d := range m.Dependencies {
		relations[d.Type] = true
	}
	for _, r := range model.Relations {
		if !relations[r] {
			t.Errorf("the starter has no example of the %s relation", r)
		}
	}
	if m.Policies == nil || len(m.Policies.RequireControls) == 0 || len(m.Policies.CriticalNeedsAlternative) == 0 || m.Policies.MaxOrganisations == nil {
		t.Errorf("the starter lacks the core-standards policies: %+v", m.Policies)
	}
	for _, s := range m.Scenarios {
		if s.Expect == nil {
			t.Errorf("scenario %q expects nothing", s.Name)
		}
	}
	if out := runOK(t, "reach", icb, "--scenario", "Supplier remote access compromised"); !strings.Contains(out, "acute-trust") {
		t.Errorf("reach: %s", out)
	}
	if out := runOK(t, "check", icb); !strings.Contains(out, "0 failed; 0 errors, 0 warnings") {
		t.Errorf("check: %s", out)
	}
	runOK(t, "fmt", "--check", icb)
	schemas := compileSchemas(t)
	v, err := yamlToJSON(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := schemas["model"].Validate(v); err != nil {
		t.Errorf("the schema refuses the starter: %v", err)
	}
	// It does not overwrite without --force.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"init", "--icb", "Example ICB", "-o", icb}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), "exists") {
		t.Errorf("init over an existing file: exit %d, %s", code, stderr.String())
	}
}

// TestInitFromImport starts from the fixtures' import.
func TestInitFromImport(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	runOK(t, "import", "ods", "--epraccur", "testdata/ods/epraccur.csv", "--etr", "testdata/ods/etr.csv", "--icbs", "testdata/ods/icbs.csv", "-o", dir)
	icb := filepath.Join(dir, "starter.yaml")
	runOK(t, "init", "--icb", "QKK", "--from", dir, "-o", icb)
	runOK(t, "validate", "--strict", icb)
	runOK(t, "check", icb)
	m, err := model.Load(icb)
	if err != nil {
		t.Fatal(err)
	}
	if n := m.Node("g99001"); n == nil || n.ICB != "qkk" {
		t.Errorf("the imported practices are missing: %+v", n)
	}
	// The starter includes the import rather than copying it, so the
	// monthly update reaches it, and an update that would remove a practice
	// the starter names keeps it, and says so.
	src, _ := os.ReadFile(icb)
	if !strings.Contains(string(src), "include: [qkk.yaml]") || strings.Contains(string(src), "id: g99001") {
		t.Errorf("the starter copies the import instead of including it:\n%s", src)
	}
	epr, _ := os.ReadFile("testdata/ods/epraccur.csv")
	next := filepath.Join(t.TempDir(), "epraccur.csv")
	closed := strings.Replace(string(epr), "G99001,THE RIVERSIDE SURGERY,Y56,QKK,1 HIGH STREET,,LONDON,,,SE1 1AA,19740401,,A,", "G99001,THE RIVERSIDE SURGERY,Y56,QKK,1 HIGH STREET,,LONDON,,,SE1 1AA,19740401,20261130,C,", 1)
	if err := os.WriteFile(next, []byte(closed), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runOK(t, "import", "ods", "--epraccur", next, "--etr", "testdata/ods/etr.csv", "--icbs", "testdata/ods/icbs.csv", "--update", dir)
	if !strings.Contains(out, "Checked names across the model "+icb) || !strings.Contains(out, "closed but still named in the model, kept: [g99001]") {
		t.Errorf("update of an included import: %s", out)
	}
	runOK(t, "validate", "--strict", icb)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"init", "--icb", "QXX", "--from", dir}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), `no model for the ICB "QXX"`) {
		t.Errorf("unknown ICB: exit %d, %s", code, stderr.String())
	}
}
