package main

import "testing"

// TestTimelineScripts runs the whole-CLI cases of timeline alone (they
// are among TestScripts' too).
func TestTimelineScripts(t *testing.T) { runScripts(t, "testdata/script/timeline-*.txt") }
