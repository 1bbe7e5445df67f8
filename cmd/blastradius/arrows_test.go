package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/blastradius/blastradius/model"
)

// arrowRE finds "a → b" and "a [effect] → b" in text output.
var arrowRE = regexp.MustCompile(`([a-z0-9][a-z0-9-]*)(?: \[[a-z]+\])? → ([a-z0-9][a-z0-9-]*)`)

// TestArrowsPointTheWayEffectsSpread checks the one convention of every
// text output: in "a → b", b depends on a (or a runs b, or they share a
// network link), never the reverse. It reads every golden and the README.
func TestArrowsPointTheWayEffectsSpread(t *testing.T) {
	chdirRoot(t)
	files, _ := filepath.Glob("cmd/blastradius/testdata/script/*.txt")
	scripts := map[string]*script{}
	for _, f := range files {
		scripts[f] = readScript(t, f)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, block := range strings.Split(string(readme), "```")[1:] {
		cmd, shown, ok := strings.Cut(strings.TrimPrefix(block, "\n"), "\n")
		if ok && strings.HasPrefix(cmd, "$ blastradius ") {
			scripts[fmt.Sprintf("README.md transcript %d", i)] = &script{args: splitArgs(strings.TrimPrefix(cmd, "$ blastradius ")), sections: map[string]string{"stdout": shown}}
		}
	}
	models := map[string]*model.Model{}
	pairs := 0
	for f, s := range scripts {
		var path string
		for _, a := range s.args {
			if strings.HasSuffix(a, ".yaml") {
				path = a
				break
			}
		}
		out := s.sections["stdout"] + s.sections["stderr"]
		if path == "" || !strings.Contains(out, "→") || strings.HasPrefix(strings.TrimSpace(out), "{") || strings.HasPrefix(strings.TrimSpace(out), "<") {
			continue // no model, no arrow, or a machine format (whose messages are checked as text elsewhere)
		}
		if strings.Contains(strings.Join(s.args, " "), "--base") || s.args[0] == "diff" {
			path = s.args[len(s.args)-1]
			for _, a := range s.args[1:] {
				if strings.HasSuffix(a, ".yaml") && !strings.Contains(a, ":") {
					path = a // NEW, the last model named, holds the paths shown
				}
			}
		}
		m, ok := models[path]
		if !ok {
			var err error
			if m, err = model.Load(path); err != nil {
				continue // an invalid model prints no paths
			}
			models[path] = m
		}
		for _, line := range strings.Split(out, "\n") {
			for _, p := range arrowRE.FindAllStringSubmatch(line, -1) {
				if m.Node(p[1]) == nil || m.Node(p[2]) == nil {
					continue
				}
				pairs++
				if !spreads(m, p[1], p[2]) {
					t.Errorf("%s: %q: %s → %s, but %s does not depend on %s", f, line, p[1], p[2], p[2], p[1])
				}
			}
		}
	}
	if pairs < 60 {
		t.Errorf("found %d arrows between nodes in the goldens, want the paths of reach, paths and check", pairs)
	}
}

// spreads reports whether an effect can pass from a to b in one step.
func spreads(m *model.Model, a, b string) bool {
	if n := m.Node(b); n != nil && n.Class == model.ClassService {
		for _, s := range m.Services {
			if s.ID == b && s.Operator == a {
				return true
			}
		}
	}
	for _, d := range m.Dependencies {
		if d.From == b && d.To == a || d.Type == model.Network && d.From == a && d.To == b {
			return true
		}
	}
	return false
}
