package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hostileChain writes a model of n organisations, each with access into
// the one before (and the first into the last, on a cycle), and tail.
func hostileChain(t *testing.T, n int, cycle bool, tail string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("version: 1\nname: chain\norganisations:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: o%d, name: O %d, kind: trust}\n", i, i)
	}
	b.WriteString("dependencies:\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  - {from: o%d, to: o%d, type: access}\n", i, i-1)
	}
	if cycle {
		fmt.Fprintf(&b, "  - {from: o0, to: o%d, type: access}\n", n-1)
	}
	b.WriteString(tail)
	path := filepath.Join(t.TempDir(), "chain.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// reach on a cycle writes each node's path as its last steps: the output
// grows with the nodes, where it grew as their square (5,000 nodes once
// wrote 220 MB).
func TestHostileReachOnACycleIsLinear(t *testing.T) {
	const n = 2000
	path := hostileChain(t, n, true, "")
	for _, format := range []string{"text", "json"} {
		var stdout, stderr bytes.Buffer
		// --all: the full list, where the grouped summary of a large
		// radius would name no path.
		if code := run([]string{"reach", path, "--compromise", "o0", "--all", "--format", format}, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, stderr.String())
		}
		if limit := n * 1000; stdout.Len() > limit {
			t.Errorf("%s: %d bytes for %d nodes, more than %d", format, stdout.Len(), n, limit)
		}
		if format == "text" && !strings.Contains(stdout.String(), "…1,983 more steps → o1983 → ") {
			t.Errorf("text: no count of the steps left out of o1999's path")
		}
		if format == "json" && !strings.Contains(stdout.String(), `"path_omitted": 1983`) {
			t.Errorf("json: no path_omitted of o1999's path")
		}
	}
}

// check on a chain where every node breaks the policy explains each
// finding once and caps its causes: SARIF grows with the chain, where it
// grew as its cube (N = 100 took 36 s and wrote 8.5 MB).
func TestHostileCheckOnAChainIsBounded(t *testing.T) {
	const n = 300
	path := hostileChain(t, n, false, "policies: {max_organisations: 1}\n")
	out := filepath.Join(t.TempDir(), "x.sarif")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"check", path, "--format", "sarif", "-o", out}, nil, &stdout, &stderr); code != exitProblem {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if limit := int64(n * 30_000); info.Size() > limit {
		t.Errorf("%d bytes of SARIF for %d findings, more than %d", info.Size(), n-1, limit)
	}
}

// A file whose name holds a newline and a workflow command, matched by an
// include, is refused at the include's line: nothing printed starts a
// line with "::".
func TestHostileIncludedFileName(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "m.yaml"), []byte("version: 1\ninclude: [\"sub/*.yaml\"]\norganisations: [{id: a, kind: trust}]\n"), 0o644)
	name := "a\n::error file=evil.yaml,line=1::INJECTED.yaml"
	if err := os.WriteFile(filepath.Join(dir, "sub", name), []byte("organisations: [{id: b, kind: trust, bogus: 1}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "markdown", "sarif", "json"} {
		var stdout, stderr bytes.Buffer
		code := run([]string{"check", filepath.Join(dir, "m.yaml"), "--format", format}, nil, &stdout, &stderr)
		if code == exitOK {
			t.Errorf("%s: exit 0", format)
		}
		for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s: a line starts a workflow command: %q", format, line)
			}
		}
		if !strings.Contains(stdout.String()+stderr.String(), "m.yaml:2:") {
			t.Errorf("%s: the include line is not named:\n%s%s", format, stdout.String(), stderr.String())
		}
	}
}

// The issue's own sizes: a chain of 1,000 under check and a cycle of
// 100,000 under reach finish in seconds, their output linear. They take
// tens of seconds on two cores, so .ci/run runs them (BLASTRADIUS_HOSTILE=1)
// and go test -short leaves them out.
func TestHostileFullSize(t *testing.T) {
	if os.Getenv("BLASTRADIUS_HOSTILE") == "" {
		t.Skip("the full-size hostile models run with BLASTRADIUS_HOSTILE=1, as .ci/run sets it")
	}
	ceiling := func(what string, start time.Time) {
		if d := time.Since(start); d > 90*time.Second {
			t.Errorf("%s took %v", what, d)
		}
	}
	chain := hostileChain(t, 1000, false, "policies: {max_organisations: 1}\n")
	var stdout, stderr bytes.Buffer
	start := time.Now()
	if code := run([]string{"check", chain, "--format", "sarif"}, nil, &stdout, &stderr); code != exitProblem {
		t.Fatalf("check: exit %d: %s", code, stderr.String())
	}
	ceiling("check on a chain of 1,000", start)
	if stdout.Len() > 1000*30_000 {
		t.Errorf("check: %d bytes of SARIF", stdout.Len())
	}
	cycle := hostileChain(t, 100_000, true, "")
	stdout.Reset()
	start = time.Now()
	if code := run([]string{"reach", cycle, "--compromise", "o0", "--format", "json"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("reach: exit %d: %s", code, stderr.String())
	}
	ceiling("reach on a cycle of 100,000", start)
	if stdout.Len() > 100_000*1_000 {
		t.Errorf("reach: %d bytes of JSON", stdout.Len())
	}
}
