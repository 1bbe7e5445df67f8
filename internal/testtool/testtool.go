// Package testtool finds the outside programs that some tests run: a
// browser, and the checkers of the CI outputs.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the program named by the environment variable env, or else
// the first of names found (on the PATH, or as a path). Under CI (CI=true)
// a missing program fails the test, for .ci/run installs them all;
// elsewhere the test is skipped, saying how to get it.
func Need(t testing.TB, env, how string, names ...string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
		t.Fatalf("%s=%s: no such program", env, p)
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := names[0] + " is not installed (" + how + "; or set " + env + ")"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
