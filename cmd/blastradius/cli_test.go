package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/blastradius/blastradius/model"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// script is one whole-CLI case: arguments, standard input, and the exit
// code, standard output and standard error expected. The file format is a
// header of "key: value" lines, then sections that start "-- name --".
type script struct {
	args     []string
	exit     int
	sections map[string]string
	order    []string
	header   []string
}

func readScript(t *testing.T, path string) *script {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &script{sections: map[string]string{}}
	lines := strings.SplitAfter(string(data), "\n")
	cur := ""
	for _, line := range lines {
		if m := sectionRE.FindStringSubmatch(strings.TrimRight(line, "\n")); m != nil {
			cur = m[1]
			s.order = append(s.order, cur)
			s.sections[cur] = ""
			continue
		}
		if cur != "" {
			s.sections[cur] += line
			continue
		}
		key, val, ok := strings.Cut(strings.TrimRight(line, "\n"), ": ")
		switch {
		case !ok:
		case key == "args":
			s.args = splitArgs(val)
		case key == "exit":
			s.exit, _ = strconv.Atoi(val)
		}
		if strings.TrimSpace(line) != "" && key != "exit" {
			s.header = append(s.header, strings.TrimRight(line, "\n"))
		}
	}
	return s
}

var sectionRE = regexp.MustCompile(`^-- (\S+) --$`)

// splitArgs splits on spaces, keeping "double quoted" words whole.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				out = append(out, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		out = append(out, cur.String())
	}
	return out
}

func (s *script) write(path string, stdout, stderr string, exit int) error {
	var b strings.Builder
	for _, h := range s.header {
		b.WriteString(h + "\n")
	}
	fmt.Fprintf(&b, "exit: %d\n", exit)
	if in, ok := s.sections["stdin"]; ok {
		b.WriteString("-- stdin --\n" + in)
	}
	b.WriteString("-- stdout --\n" + stdout)
	b.WriteString("-- stderr --\n" + stderr)
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// chdirRoot runs the test from the repository root, so that paths in the
// output read as a user types them.
func chdirRoot(t *testing.T) string {
	t.Helper()
	wd, _ := os.Getwd()
	t.Chdir("../..")
	return wd
}

func TestScripts(t *testing.T) { runScripts(t, "testdata/script/*.txt") }

// runScripts runs the whole-CLI cases whose files match the pattern.
func runScripts(t *testing.T, pattern string) {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	if len(files) == 0 {
		t.Fatal("no scripts")
	}
	wd := chdirRoot(t)
	for _, f := range files {
		path := filepath.Join(wd, f)
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			s := readScript(t, path)
			var stdout, stderr bytes.Buffer
			code := run(s.args, strings.NewReader(s.sections["stdin"]), &stdout, &stderr)
			if *update {
				if err := s.write(path, stdout.String(), stderr.String(), code); err != nil {
					t.Fatal(err)
				}
				return
			}
			if code != s.exit {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, s.exit, stderr.String())
			}
			if got, want := stdout.String(), s.sections["stdout"]; got != want {
				t.Errorf("stdout differs:\n%s", diff(want, got))
			}
			if got, want := stderr.String(), s.sections["stderr"]; got != want {
				t.Errorf("stderr differs:\n%s", diff(want, got))
			}
		})
	}
}

// matchGolden checks got against the golden file at path, or with -update
// writes it there. It reports whether the test should go on: not after
// an update, nor without a golden file.
func matchGolden(t *testing.T, path, got string) bool {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return false
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (run go test ./cmd/blastradius -update)", err)
		return false
	}
	if got != string(want) {
		t.Errorf("%s differs:\n%s", path, diff(string(want), got))
	}
	return true
}

// diff shows the first differing line of two texts, with context.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\n want: %q\n  got: %q\n(run go test ./cmd/blastradius -update to accept)", i+1, wl, gl)
		}
	}
	return "(same lines)"
}

var positionedLine = regexp.MustCompile(`^testdata/invalid/[a-z0-9-]+\.yaml(:\d+:\d+)?: .+ \(.+\)$`)

// TestInvalidCorpus runs validate on every broken or hostile file under
// testdata/invalid: exit 1, nothing on standard output, every problem on
// standard error with its position and a hint, as the golden file says.
func TestInvalidCorpus(t *testing.T) {
	chdirRoot(t)
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	if len(files) < 15 {
		t.Fatalf("found %d files", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"validate", f}, nil, &stdout, &stderr)
			if code != exitProblem {
				t.Errorf("exit %d, want 1", code)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout: %q", stdout.String())
			}
			for _, line := range strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n") {
				if !positionedLine.MatchString(line) {
					t.Errorf("not positioned with a hint: %q", line)
				}
				if strings.Contains(line, "goroutine") || strings.Contains(line, "panic") {
					t.Errorf("stack trace: %q", line)
				}
			}
			if !matchGolden(t, strings.TrimSuffix(f, ".yaml")+".golden", stderr.String()) {
				return
			}
			// Any other command refuses the model with exit 2.
			stderr.Reset()
			if code := run([]string{"reach", f, "--compromise", "x"}, nil, &stdout, &stderr); code != exitError {
				t.Errorf("reach: exit %d, want 2", code)
			}
		})
	}
}

func TestOutputFile(t *testing.T) {
	chdirRoot(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "impact.json")
	var stdout, stderr bytes.Buffer
	args := []string{"reach", "examples/synnovis-2024.yaml", "--compromise", "synnovis", "--format", "json"}
	if code := run(append(args, "-o", out), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("-o also wrote to stdout")
	}
	written, _ := os.ReadFile(out)
	var direct bytes.Buffer
	run(args, nil, &direct, &stderr)
	if !bytes.Equal(written, direct.Bytes()) || len(written) == 0 {
		t.Errorf("file and stdout differ")
	}
	// An unwritable place: exit 2, a message, and no file left behind.
	stderr.Reset()
	bad := filepath.Join(dir, "no-such-dir", "x.json")
	if code := run(append(args, "-o", bad), nil, &stdout, &stderr); code != exitError {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "no-such-dir/x.json") {
		t.Errorf("stderr: %q", stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	// An invalid model leaves an existing output file as it was.
	stderr.Reset()
	if code := run([]string{"reach", "testdata/invalid/unknown-id.yaml", "--compromise", "gstt", "-o", out}, nil, &stdout, &stderr); code != exitError {
		t.Errorf("exit %d, want 2", code)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, written) {
		t.Errorf("a failed run changed the output file")
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestClosedOutput(t *testing.T) {
	chdirRoot(t)
	var stderr bytes.Buffer
	args := []string{"reach", "examples/synnovis-2024.yaml", "--compromise", "synnovis"}
	if code := run(args, nil, failWriter{os.ErrClosed}, &stderr); code != exitError || !strings.Contains(stderr.String(), "writing standard output") {
		t.Errorf("closed stdout: exit %d, stderr %q", code, stderr.String())
	}
	// A reader that went away ("| head") ends the run quietly, with the
	// exit code the run would have had.
	stderr.Reset()
	if code := run(args, nil, failWriter{syscall.EPIPE}, &stderr); code != exitOK || stderr.Len() != 0 {
		t.Errorf("broken pipe: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	check := []string{"check", "testdata/widened/synnovis-2024.yaml", "--today", "2026-11-23"}
	if code := run(check, nil, failWriter{syscall.EPIPE}, &stderr); code != exitProblem {
		t.Errorf("broken pipe on a failing check: exit %d, want 1", code)
	}
}

// TestLimitFlags: every limit of model.Limits has a flag that sets it, and
// the hint of an error past the limit names that flag.
func TestLimitFlags(t *testing.T) {
	lt := reflect.TypeOf(model.Limits{})
	if len(limitFlags) != lt.NumField() {
		t.Errorf("%d limit flags for %d limits", len(limitFlags), lt.NumField())
	}
	for i := range lt.NumField() {
		field := lt.Field(i).Name
		name, ok := limitFlags[field]
		if !ok {
			t.Errorf("model.Limits.%s has no flag in limitFlags", field)
			continue
		}
		f := newFlags(validateCmd(), true, false)
		if err := f.Parse([]string{"--" + name, "7"}); err != nil {
			t.Errorf("--%s: %v", name, err)
			continue
		}
		if got := reflect.ValueOf(f.limits).Field(i).Int(); got != 7 {
			t.Errorf("--%s 7 sets %s to %d", name, field, got)
		}
		e := &model.Error{Msg: "too big", Hint: "split it, or raise the limit", Limit: field}
		if got, want := flagHint(e), "split it, or raise the limit with --"+name; got != want {
			t.Errorf("hint %q, want %q", got, want)
		}
	}
}
