package main

import (
	"bytes"
	"encoding/json"
	"github.com/blastradius/blastradius/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// gitIn returns a function that runs git in dir, as a committer with no
// configuration of their own, failing the test if git fails.
func gitIn(t *testing.T, dir string) func(args ...string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test:", err)
	}
	return func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

// TestDiffGitRevision reads OLD from a git revision, as pipelines do.
func TestDiffGitRevision(t *testing.T) {
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	dir := t.TempDir()
	git := gitIn(t, dir)
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
	if !strings.Contains(stdout.String(), "+ lgt depends on synnovis-lims (service)  (sel.yaml:174)") || !strings.Contains(stdout.String(), "sel.yaml:174:5: error") || !strings.Contains(stdout.String(), "(the expectation is at sel.yaml:206:16)") {
		t.Errorf("output:\n%s", stdout.String())
	}
	stderr.Reset()
	if code := run([]string{"diff", "nope:sel.yaml", "sel.yaml"}, nil, &stdout, &stderr); code != exitError || !strings.Contains(stderr.String(), "git cannot show it") {
		t.Errorf("bad revision: exit %d, %s", code, stderr.String())
	}

	// check --base REV:PATH, as the pipelines run it, from a subdirectory:
	// the findings land on the changed line, and URIs are relative to the
	// top of the work tree.
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	t.Chdir(filepath.Join(dir, "sub"))
	stdout.Reset()
	stderr.Reset()
	code = run([]string{"check", "../sel.yaml", "--base", "main:sel.yaml", "--format", "sarif", "--today", "2026-11-23"}, nil, &stdout, &stderr)
	if code != exitProblem {
		t.Fatalf("check --base: exit %d, want 1\n%s", code, stderr.String())
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) != 2 {
		t.Fatalf("check --base: %v\n%s", err, stdout.String())
	}
	for _, r := range log.Runs[0].Results {
		if p := r.Locations[0].PhysicalLocation; p.ArtifactLocation.URI != "sel.yaml" || p.Region.StartLine != 174 {
			t.Errorf("check --base from a subdirectory: a finding at %s:%d, want sel.yaml:174", p.ArtifactLocation.URI, p.Region.StartLine)
		}
	}
}

var pipelineCmd = regexp.MustCompile(`(?m)^\s*(?:-\s+|run:\s+)?(blastradius .*)$`)

// TestPipelines runs the blastradius commands of the example pipelines in
// docs/ci on the examples: an unchanged model passes every step, a widened
// one fails check and diff, an invalid one exits 2; whatever happens,
// every report the step names is written, for the pipeline to keep.
func TestPipelines(t *testing.T) {
	chdirRoot(t)
	for _, file := range []string{"docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cmds := pipelineCmd.FindAllStringSubmatch(string(src), -1)
		if len(cmds) < 3 {
			t.Fatalf("%s: %d blastradius commands", file, len(cmds))
		}
		for _, c := range []struct {
			model string
			want  int // of check and diff
		}{
			{"examples/synnovis-2024.yaml", exitOK},
			{"testdata/widened/synnovis-2024.yaml", exitProblem},
			{"testdata/invalid/unknown-id.yaml", exitError},
		} {
			out := t.TempDir()
			for _, cmd := range cmds {
				line := cmd[1]
				line, _, _ = strings.Cut(line, " || ") // the pipeline goes on whatever the step found
				// The base branch's version is the example as it is.
				line = regexp.MustCompile(`"origin/[^:"]+:\$MODEL"`).ReplaceAllString(line, "examples/synnovis-2024.yaml")
				line = strings.ReplaceAll(line, `"$BASE"`, "examples/synnovis-2024.yaml")
				line = strings.ReplaceAll(line, `"$MODEL"`, c.model)
				written := ""
				if m := regexp.MustCompile(`-o (\S+)`).FindStringSubmatch(line); m != nil {
					written = filepath.Join(out, m[1])
					line = strings.Replace(line, m[0], "-o "+written, 1)
				}
				args := append(splitArgs(strings.TrimPrefix(line, "blastradius ")), "--today", "2026-11-23")
				var stdout, stderr bytes.Buffer
				code := run(args, nil, &stdout, &stderr)
				if code != c.want {
					t.Errorf("%s on %s: %s: exit %d, want %d\n%s", file, c.model, line, code, c.want, stderr.String())
				}
				if written == "" {
					continue
				}
				data, err := os.ReadFile(written)
				if err != nil || len(data) == 0 {
					t.Errorf("%s on %s: %s wrote no report: %v", file, c.model, line, err)
				}
				if c.want == exitProblem && strings.HasSuffix(written, ".sarif") && !strings.Contains(string(data), `"startLine": 174`) {
					t.Errorf("%s on %s: no finding on the changed line 174:\n%s", file, c.model, data)
				}
			}
		}
	}
}

// TestWorkflowLint runs actionlint on the GitHub Actions workflow.
func TestWorkflowLint(t *testing.T) {
	chdirRoot(t)
	tool := testtool.Need(t, "ACTIONLINT", "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12; .ci/run installs it", "actionlint")
	cmd := exec.Command(tool, "-no-color", "docs/ci/github-actions.yml")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
	// actionlint is not a rubber stamp.
	bad := filepath.Join(t.TempDir(), "bad.yml")
	os.WriteFile(bad, []byte("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n"), 0o644)
	if exec.Command(tool, "-no-color", bad).Run() == nil {
		t.Error("actionlint accepts a workflow with an unknown context")
	}
}

// TestWorkflowHardened checks what actionlint does not: every third-party
// action of the workflow and of action.yml is pinned by commit, with its
// release in a comment; the comment the workflow updates is the bot's,
// not any comment that starts with the marker; and the GitLab job builds
// from a checkout of the source rather than a module path at "latest".
func TestWorkflowHardened(t *testing.T) {
	chdirRoot(t)
	uses := regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinned := regexp.MustCompile(`@[0-9a-f]{40}$`)
	for _, file := range []string{"docs/ci/github-actions.yml", "action.yml"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		all := uses.FindAllStringSubmatch(string(src), -1)
		if len(all) == 0 {
			t.Fatalf("%s: no uses:", file)
		}
		for _, u := range all {
			if strings.HasPrefix(u[1], "blastradius/blastradius@") {
				continue // the project's own action, at the ref the user names
			}
			if !pinned.MatchString(u[1]) || !regexp.MustCompile(`^\s*# v[0-9]+\.[0-9]+\.[0-9]+$`).MatchString(u[2]) {
				t.Errorf("%s: %s%s is not pinned by commit with its release in a comment", file, u[1], u[2])
			}
		}
	}
	src, _ := os.ReadFile("docs/ci/github-actions.yml")
	if !bytes.Contains(src, []byte(`select(.user.login == "github-actions[bot]"`)) {
		t.Error("docs/ci/github-actions.yml: the comment to update is not filtered on the bot's user, so anyone's comment with the marker is edited")
	}
	gl, _ := os.ReadFile("docs/ci/gitlab-ci.yml")
	if regexp.MustCompile(`go install \S*github\.com/\S+@`).Match(gl) || !bytes.Contains(gl, []byte("go install -trimpath ./cmd/...")) {
		t.Error("docs/ci/gitlab-ci.yml: does not build blastradius from a checkout of the source")
	}
}

// TestGitLabSchema validates the GitLab pipeline against GitLab's own
// schema of .gitlab-ci.yml.
func TestGitLabSchema(t *testing.T) {
	chdirRoot(t)
	sch, err := jsonschema.NewCompiler().Compile("cmd/blastradius/testdata/schema/gitlab-ci.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(src []byte) error {
		var v any
		if err := yaml.Unmarshal(src, &v); err != nil {
			return err
		}
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			return err
		}
		return sch.Validate(doc)
	}
	src, err := os.ReadFile("docs/ci/gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := validate(src); err != nil {
		t.Errorf("docs/ci/gitlab-ci.yml: %v", err)
	}
	for _, want := range []string{"when: always", "junit: blastradius.xml", "codequality: gl-code-quality-report.json", "exit $status"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("docs/ci/gitlab-ci.yml lacks %q", want)
		}
	}
	// The schema is not a rubber stamp.
	if validate([]byte("job:\n  script: [x]\n  artifacts:\n    when: sometimes\n")) == nil {
		t.Error("the schema accepts artifacts: when: sometimes")
	}
}

// TestAction checks the composite action: it builds both programs from
// its own checkout, and every run step names its shell.
func TestAction(t *testing.T) {
	chdirRoot(t)
	src, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Name, Description string
		Runs              struct {
			Using string
			Steps []map[string]any
		}
	}
	if err := yaml.Unmarshal(src, &a); err != nil {
		t.Fatal(err)
	}
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Errorf("action.yml: name %q, description %q, runs.using %q", a.Name, a.Description, a.Runs.Using)
	}
	builds := false
	for _, s := range a.Runs.Steps {
		if run, ok := s["run"].(string); ok {
			if s["shell"] == nil {
				t.Errorf("action.yml: a run step without a shell: %q", run)
			}
			builds = builds || strings.Contains(run, "go install -trimpath ./cmd/...")
		}
	}
	if !builds {
		t.Error("action.yml does not build ./cmd/... from its checkout")
	}
}

// TestDockerRunsAsTheCheckoutsOwner checks that every docker run of the
// docs that mounts the checkout and writes a report with -o runs as the
// checkout's owner: the image's own user cannot write there.
func TestDockerRunsAsTheCheckoutsOwner(t *testing.T) {
	chdirRoot(t)
	src, err := os.ReadFile("docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	runs := regexp.MustCompile(`(?m)^\s*docker run .*$`).FindAllString(string(src), -1)
	if len(runs) == 0 {
		t.Fatal("docs/ci.md has no docker run")
	}
	for _, r := range runs {
		if strings.Contains(r, " -o ") && !strings.Contains(r, `--user "$(id -u):$(id -g)"`) {
			t.Errorf("docs/ci.md: %s writes into the checkout as the image's user", strings.TrimSpace(r))
		}
	}
}
