package graph

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// LineEdit agrees with what a reader of the diff sees: lines written are
// changed, a deletion is next to the line before it (or the first line).
func TestLineEdit(t *testing.T) {
	for _, c := range []struct {
		base, src string
		changed   []int
		deleted   []Deletion
	}{
		{"a\nb\nc\n", "a\nb\nc\n", nil, nil},
		{"a\nb\nc\n", "a\nx\nb\nc\n", []int{2}, nil},
		{"a\nb\nc\n", "a\nc\n", nil, []Deletion{{2, 2, 1}}},
		{"a\nb\nc\n", "b\nc\n", nil, []Deletion{{1, 1, 1}}},
		{"a\nb\nc\n", "a\nb\n", nil, []Deletion{{3, 3, 2}}},
		{"a\nb\nc\n", "a\nB\nc\n", []int{2}, []Deletion{{2, 2, 2}}},
		{"a\r\nb\r\n", "a\nb\nc\n", []int{3}, nil},
		{"", "a\nb\n", []int{1, 2}, nil},
		{"a\nb\nc\nd\ne\n", "x\nb\nc\nd\ny\n", []int{1, 5}, []Deletion{{1, 1, 1}, {5, 5, 5}}},
	} {
		e := LineEdit([]byte(c.base), []byte(c.src))
		got := slices.Sorted(maps.Keys(e.Changed))
		if !slices.Equal(got, c.changed) || !slices.Equal(e.Deleted, c.deleted) {
			t.Errorf("LineEdit(%q, %q) = %v, %v; want %v, %v", c.base, c.src, got, e.Deleted, c.changed, c.deleted)
		}
	}
	// Past the budget of edits, what lies between the common start and end
	// is changed as a whole; within it, only what differs.
	var a, b []string
	for i := range 3000 {
		a = append(a, fmt.Sprint("a", i))
		b = append(b, fmt.Sprint("b", i))
	}
	e := LineEdit([]byte("top\n"+strings.Join(a, "\n")+"\nend\n"), []byte("top\n"+strings.Join(b, "\n")+"\nend\n"))
	if len(e.Changed) != 3000 || e.Changed[1] || !e.Changed[2] || e.Changed[3002] {
		t.Errorf("a rewrite of 3,000 lines: %d changed", len(e.Changed))
	}
}
