package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDiffGitRevision reads OLD from a git revision, as pipelines do.
func TestDiffGitRevision(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test:", err)
	}
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	dir := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	copyFile := func(from, to string) {
		b, err := os.ReadFile(filepath.Join(root, from))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, to), b, 0o644)
	}
	git("init", "-q", "-b", "main")
	copyFile("examples/synnovis-2024.yaml", "sel.yaml")
	git("add", "sel.yaml")
	git("commit", "-q", "-m", "model")
	copyFile("testdata/widened/synnovis-2024.yaml", "sel.yaml")
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run([]string{"diff", "main:sel.yaml", "sel.yaml", "--today", "2026-11-23"}, nil, &stdout, &stderr)
	if code != exitProblem {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "+ lgt → synnovis-lims (service)  (sel.yaml:174)") || !strings.Contains(stdout.String(), "sel.yaml:174:5: error") || !strings.Contains(stdout.String(), "(the expectation is at sel.yaml:206:16)") {
		t.Errorf("output:\n%s", stdout.String())
	}
	stderr.Reset()
	if code := run([]string{"diff", "nope:sel.yaml", "sel.yaml"}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), "git cannot show it") {
		t.Errorf("bad revision: exit %d, %s", code, stderr.String())
	}
}

var pipelineCmd = regexp.MustCompile(`(?m)^\s*(?:-\s+|run:\s+)?(blastradius .*)$`)

// TestPipelines runs the blastradius commands of the example pipelines in
// docs/ci on the examples: an unchanged model passes every step, a widened
// one fails check and diff.
func TestPipelines(t *testing.T) {
	chdirRoot(t)
	out := t.TempDir()
	for _, file := range []string{"docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cmds := pipelineCmd.FindAllStringSubmatch(string(src), -1)
		if len(cmds) < 3 {
			t.Fatalf("%s: %d blastradius commands", file, len(cmds))
		}
		for _, widened := range []bool{false, true} {
			model := "examples/synnovis-2024.yaml"
			if widened {
				model = "testdata/widened/synnovis-2024.yaml"
			}
			for _, c := range cmds {
				line := c[1]
				// The base branch's version is the example as it is.
				line = regexp.MustCompile(`"origin/[^:"]+:\$MODEL"`).ReplaceAllString(line, "examples/synnovis-2024.yaml")
				line = strings.ReplaceAll(line, `"$MODEL"`, model)
				line = regexp.MustCompile(`-o (\S+)`).ReplaceAllString(line, "-o "+out+"/$1")
				args := append(splitArgs(strings.TrimPrefix(line, "blastradius ")), "--today", "2026-11-23")
				if args[0] == "validate" {
					args = args[:len(args)-2]
				}
				var stdout, stderr bytes.Buffer
				code := run(args, nil, &stdout, &stderr)
				want := exitOK
				if widened && (args[0] == "check" || args[0] == "diff") {
					want = exitProblem
				}
				if code != want {
					t.Errorf("%s (widened %v): %s: exit %d, want %d\n%s", file, widened, line, code, want, stderr.String())
				}
			}
		}
	}
}
