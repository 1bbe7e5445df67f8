package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// Pos is a position in a model file, as go/token's Position is: the file,
// and a line and column that count from 1. A zero line means the position
// within the file is not known (it concerns the whole file).
type Pos struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// IsValid reports whether the position names a line.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as file:line:column, or file when the line
// is not known. A known line with no column is given column 1, as a
// compiler's messages always carry one.
func (p Pos) String() string {
	file := textsafe.Line(p.File) // a file name cannot start a line of its own
	if !p.IsValid() {
		return file
	}
	s := strconv.Itoa(p.Line) + ":" + strconv.Itoa(max(p.Column, 1))
	if p.File == "" {
		return s
	}
	return file + ":" + s
}

// Severity says whether a finding of the loader stops the model from being used.
type Severity int

const (
	// SevError makes the model invalid.
	SevError Severity = iota
	// SevWarning is reported but the model is still used.
	SevWarning
)

// Error is one problem in a model file, at a position, with a hint that says
// what to do about it.
type Error struct {
	File     string // the file; it wins over Pos.File, which may be empty
	Pos      Pos
	Severity Severity
	Msg      string // what is wrong, lower case, ids quoted
	Hint     string // what to do; may be empty
	// Limit names the limit of Limits the input went past ("MaxBytes"),
	// or is empty: it tells "too big" from "wrong". The hint of such an
	// error ends "raise the limit", so that a command line can add how.
	Limit string
}

// At returns where the problem is: its position, in its file.
func (e *Error) At() Pos {
	p := e.Pos
	p.File = e.File
	return p
}

// Error formats the problem as file:line:column: message (hint).
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.At().String())
	b.WriteString(": ")
	if e.Severity == SevWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// ErrorList is every problem found in one or more files, in file order.
// It is the error type that Parse and Load return.
type ErrorList []*Error

// Error reports the first error and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Sort orders the list by file, line and column, keeping the order in which
// problems were found for problems at the same place.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Column < b.Pos.Column
	})
}

// Errors returns the entries of severity error.
func (l ErrorList) Errors() ErrorList { return l.filter(SevError) }

// Warnings returns the entries of severity warning.
func (l ErrorList) Warnings() ErrorList { return l.filter(SevWarning) }

func (l ErrorList) filter(s Severity) ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Severity == s {
			out = append(out, e)
		}
	}
	return out
}

// Err returns the list as an error if it holds at least one entry of severity
// error, and nil otherwise.
func (l ErrorList) Err() error {
	if errs := l.Errors(); len(errs) > 0 {
		return errs
	}
	return nil
}

// suggest returns the candidate closest to s, if one is close enough to be a
// likely typo, for "did you mean" hints. Ties go to the smaller candidate.
func suggest(s string, candidates []string) string {
	best, bestD := "", -1
	limit := max(1, len(s)/3)
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if c == s {
			continue
		}
		d := levenshtein(ls, strings.ToLower(c), limit)
		if d < 0 {
			continue
		}
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// levenshtein returns the edit distance of a and b, counting a swap of two
// neighbouring letters as one edit (optimal string alignment), or -1 if it
// is over limit.
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return -1
	}
	pp := make([]int, len(rb)+1) // the row before prev
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return -1
		}
		pp, prev, cur = prev, cur, pp
	}
	if prev[len(rb)] > limit {
		return -1
	}
	return prev[len(rb)]
}

// didYouMean formats a hint for a likely typo, or returns fallback.
func didYouMean(s string, candidates []string, fallback string) string {
	if c := suggest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return fallback
}

// Suggest returns the candidate closest to s if one is close enough to be a
// likely typo of it, or "".
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }
