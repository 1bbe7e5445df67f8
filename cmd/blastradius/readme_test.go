package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestReadmeOutput runs every "$ blastradius ..." block of the README and
// checks that the output shown is what the command prints today.
func TestReadmeOutput(t *testing.T) {
	chdirRoot(t)
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, block := range strings.Split(string(data), "```")[1:] {
		cmd, shown, _ := strings.Cut(block, "\n")
		if cmd != "" { // a block with a language tag is not a transcript
			continue
		}
		cmd, shown, ok := strings.Cut(shown, "\n")
		if !ok || !strings.HasPrefix(cmd, "$ blastradius ") {
			continue
		}
		blocks++
		var stdout, stderr bytes.Buffer
		args := splitArgs(strings.TrimPrefix(cmd, "$ blastradius "))
		run(args, nil, &stdout, &stderr)
		if stdout.String() != shown {
			t.Errorf("README shows for %q:\n%s", cmd, diff(shown, stdout.String()))
		}
	}
	if blocks < 2 {
		t.Errorf("found %d transcripts in the README, want the walkthrough's", blocks)
	}
}
