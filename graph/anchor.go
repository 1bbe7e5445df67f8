package graph

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/blastradius/blastradius/model"
)

// Edit is what a change did to one file of the checked model, line by
// line, as a code review tool shows it.
type Edit struct {
	// Base is the file's name in the base version; empty if the change
	// adds the file, whose every line is then Changed.
	Base string
	// Changed holds the lines of this version the change added or modified.
	Changed map[int]bool
	// Deleted lists the runs of lines the change deleted, or rewrote.
	Deleted []Deletion
}

// Deletion is a run of lines that a change deleted.
type Deletion struct {
	From, To int // the deleted lines, in the base version
	// Near is the line of this version nearest to where they were: the
	// first line written in their place; if none, the line before them, or
	// the first line if they were at the top.
	Near int
}

// LineEdit compares two versions of a file line by line: the lines of src
// that are not in base, and the runs of base that src drops.
func LineEdit(base, src []byte) Edit {
	a, b := lines(base), lines(src)
	e := Edit{Changed: map[int]bool{}}
	// A common start and end are the usual case; the rest is compared by
	// the shortest edit script (Myers), or, past a budget of edits, marked
	// changed as a whole.
	pre := 0
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	ops, ok := editScript(a[pre:len(a)-suf], b[pre:len(b)-suf], 1000)
	if !ok {
		ops = nil
		for range len(a) - pre - suf {
			ops = append(ops, opDelete)
		}
		for range len(b) - pre - suf {
			ops = append(ops, opInsert)
		}
	}
	i, j := pre, pre // 0-based lines of a and b
	for k := 0; k < len(ops); {
		if ops[k] == opKeep {
			i, j, k = i+1, j+1, k+1
			continue
		}
		del, ins := 0, 0
		for ; k < len(ops) && ops[k] != opKeep; k++ {
			if ops[k] == opDelete {
				del++
			} else {
				ins++
			}
		}
		for n := range ins {
			e.Changed[j+n+1] = true
		}
		if del > 0 {
			near := max(j, 1)
			if ins > 0 {
				near = j + 1
			}
			e.Deleted = append(e.Deleted, Deletion{From: i + 1, To: i + del, Near: near})
		}
		i, j = i+del, j+ins
	}
	return e
}

// lines splits src into lines, without their ends.
func lines(src []byte) [][]byte {
	if len(src) == 0 {
		return nil
	}
	out := bytes.Split(bytes.TrimSuffix(src, []byte("\n")), []byte("\n"))
	for i, l := range out {
		out[i] = bytes.TrimSuffix(l, []byte("\r"))
	}
	return out
}

type editOp uint8

const (
	opKeep editOp = iota
	opDelete
	opInsert
)

// editScript returns the shortest edit script from a to b, by Myers' O(ND)
// algorithm; ok is false if it needs more than budget edits.
func editScript(a, b [][]byte, budget int) (ops []editOp, ok bool) {
	n, m := len(a), len(b)
	limit := min(n+m, budget)
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, slices.Clone(v))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, off, n, m, d), true
			}
		}
	}
	return nil, false
}

func backtrack(trace [][]int, off, x, y, d int) []editOp {
	var rev []editOp
	for ; d > 0; d-- {
		v := trace[d]
		k := x - y
		var pk int
		if k == -d || k != d && v[off+k-1] < v[off+k+1] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := v[off+pk]
		py := px - pk
		for x > px && y > py {
			rev = append(rev, opKeep)
			x, y = x-1, y-1
		}
		if x == px {
			rev = append(rev, opInsert)
		} else {
			rev = append(rev, opDelete)
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		rev = append(rev, opKeep)
		x, y = x-1, y-1
	}
	slices.Reverse(rev)
	return rev
}

// Place puts every new finding of the report (one that Check of base does
// not find) on a line the change added or modified, as edits record it for
// each file of the checked model, so that a code review tool shows it on
// the pull request: its own line if the change touched it; else the first
// of its causes on a touched line (a changed policy, expectation,
// dependency or controls line), its own line becoming a related one; else
// the line nearest to the lines the change deleted or rewrote that held a
// dependency of the node it concerns (or any dependency, or anything). A finding with no touched line to go to stays where it is.
// Run it after Anchor; base is the model as it was.
func (r *Report) Place(base *model.Model, edits map[string]Edit) error {
	old, err := Check(base, r.Today)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range old.Findings {
		seen[findingKey(f)] = true
	}
	touched := func(p model.Pos) bool {
		e, ok := edits[p.File]
		return ok && e.Changed[p.Line]
	}
	// Every deletion, in file order, with the dependencies of base it took.
	type deletion struct {
		model.Pos
		deps []*model.Dependency
	}
	var deletions []deletion
	files := make([]string, 0, len(edits))
	for name := range edits {
		files = append(files, name)
	}
	slices.Sort(files)
	for _, name := range files {
		e := edits[name]
		for _, d := range e.Deleted {
			del := deletion{Pos: model.Pos{File: name, Line: d.Near, Column: 1}}
			for _, dep := range base.Dependencies {
				file := dep.Pos.File
				if file == "" {
					file = base.File
				}
				if file == e.Base && dep.Pos.Line >= d.From && dep.Pos.Line <= d.To {
					del.deps = append(del.deps, dep)
				}
			}
			deletions = append(deletions, del)
		}
	}
	// relocate puts the finding on to, dropping its cause drop (if not
	// negative: the finding is on it now) and keeping the line it was on,
	// and what it breaks, as its first causes.
	relocate := func(f *Finding, to model.Pos, drop int) {
		causes := slices.Clone(f.Causes)
		if drop >= 0 {
			causes = slices.Delete(causes, drop, drop+1)
		}
		node := "the line the finding is on without the change"
		if f.ID != "" {
			node = fmt.Sprintf("%q, the node the finding concerns", f.ID)
		}
		// A policy's findings are on the node they concern, the policy first
		// among their causes.
		policyFirst := !f.moved && f.Breaks() == "policy" && len(f.Causes) > 0 && plainCause(f.Causes[0]) && f.Causes[0].Pos != f.Pos
		switch {
		case policyFirst && drop == 0: // onto the policy itself
			f.Causes = append([]Cause{{Pos: f.Pos, Message: node}}, causes...)
		case policyFirst || f.moved: // the policy or expectation stays first
			f.Causes = slices.Insert(causes, min(1, len(causes)), Cause{Pos: f.Pos, Message: node})
			f.moved = true
		default:
			f.Causes = append([]Cause{{Pos: f.Pos, Message: "the " + f.Breaks() + " this change breaks"}}, causes...)
			f.moved = true
		}
		f.Pos = to
	}
	place := func(f *Finding) {
		if seen[findingKey(*f)] || touched(f.Pos) {
			return
		}
		for i, c := range f.Causes {
			if touched(c.Pos) {
				relocate(f, c.Pos, i)
				return
			}
		}
		pick := -1
		for i, d := range deletions {
			if f.ID != "" && slices.ContainsFunc(d.deps, func(dep *model.Dependency) bool { return dep.From == f.ID || dep.To == f.ID }) {
				pick = i
				break
			}
		}
		if pick < 0 {
			pick = slices.IndexFunc(deletions, func(d deletion) bool { return len(d.deps) > 0 })
		}
		if pick < 0 && len(deletions) > 0 {
			pick = 0
		}
		if pick >= 0 {
			relocate(f, deletions[pick].Pos, -1)
		}
	}
	for ci := range r.Checks {
		for fi := range r.Checks[ci].Findings {
			place(&r.Checks[ci].Findings[fi])
		}
	}
	r.collect()
	return nil
}

// plainCause reports whether a cause is a line of its own, such as a
// policy, rather than a dependency, an operator or a node's controls.
func plainCause(c Cause) bool { return c.dep == nil && c.service == "" && c.node == "" }
