package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestJSONOfAnEmptyModel runs every command that writes JSON on a model
// with nothing in it, and on one with one organisation and nothing to
// check: each output must match its schema (no null where a list is due).
func TestJSONOfAnEmptyModel(t *testing.T) {
	schemas := outputSchemasFromRoot(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.yaml")
	one := filepath.Join(dir, "one.yaml")
	os.WriteFile(empty, []byte("version: 1\n"), 0o644)
	os.WriteFile(one, []byte("version: 1\norganisations:\n  - {id: a, name: A, kind: trust}\n"), 0o644)
	for _, f := range []string{empty, one} {
		for _, args := range [][]string{
			{"validate", f},
			{"check", f, "--today", "2026-11-23"},
			{"check", f, "--base", f, "--today", "2026-11-23"},
			{"diff", f, f, "--today", "2026-11-23"},
			{"rank", f},
			{"rank", f, "--risk", "--samples", "50"},
			{"chokepoints", f},
			{"recommend", f, "--budget", "1", "--samples", "50"},
		} {
			var stdout, stderr bytes.Buffer
			code := run(append(args, "--format", "json"), nil, &stdout, &stderr)
			if code != exitOK {
				t.Errorf("%v: exit %d: %s", args, code, stderr.String())
				continue
			}
			validateJSON(t, schemas[schemaFor(args, code)], strings.Join(args, " "), stdout.Bytes())
			if bytes.Contains(stdout.Bytes(), []byte(": null")) {
				t.Errorf("%v writes null:\n%s", args, stdout.String())
			}
		}
	}
}

// outputSchemasFromRoot compiles the output schemas from the top of the
// repository, whatever the current directory.
func outputSchemasFromRoot(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	s := compileOutputSchemas(t)
	t.Chdir(wd)
	return s
}
