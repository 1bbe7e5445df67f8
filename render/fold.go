package render

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// fold maps each selected node to the node or group that stands for it,
// folding similar nodes until no more than max remain. Similar means, in
// turn: the same class, kind, ICB and effect; then the same class, kind and
// ICB; then the same class and kind, and affected or not. A group counts
// its members by effect, is filled in the colour of the effect most of them
// share, and sits in an ICB's box only if every member belongs to that ICB. A group formed earlier joins a later one only if every
// node in it fits the later group's description, so that a label never
// claims what its members are not. Seeds never fold; ICBs fold only in the
// last pass, for they anchor the clusters.
func fold(g *graph.Graph, selected []*model.Node, effect map[string]graph.Effect, seed map[string]bool, max int) (map[string]string, []Fold) {
	f := &folder{effect: effect, seed: seed, rep: make(map[string]string, len(selected)), members: map[string][]*model.Node{}, folds: map[string]*Fold{}}
	for _, n := range selected {
		f.rep[n.ID] = n.ID
		f.members[n.ID] = []*model.Node{n}
		f.units = append(f.units, n.ID)
	}
	f.count = len(selected)
	if f.count <= max {
		return f.rep, nil
	}
	f.icbName = map[string]string{}
	for _, n := range g.Nodes() {
		if n.Kind == "icb" {
			f.icbName[n.ID] = n.Name
		}
	}
	for pass := 0; pass < 3 && f.count > max; pass++ {
		groups, keys := f.groups(pass)
		for _, k := range keys {
			if f.count <= max {
				break
			}
			f.join(groups[k])
		}
	}
	var out []Fold
	for _, id := range f.order {
		if fo := f.folds[id]; fo != nil {
			out = append(out, *fo)
		}
	}
	return f.rep, out
}

// folder is the state of folding.
type folder struct {
	effect  map[string]graph.Effect
	seed    map[string]bool
	icbName map[string]string
	rep     map[string]string        // the unit that stands for each node
	members map[string][]*model.Node // what each drawn unit stands for
	units   []string                 // drawn units, in a stable order
	count   int                      // len(units)
	folds   map[string]*Fold
	order   []string // groups formed, in order
}

// key says which nodes are similar in a pass.
func (f *folder) key(pass int, n *model.Node) string {
	switch pass {
	case 0:
		return fmt.Sprintf("%s|%s|%s|%s", n.Class, n.Kind, n.HomeICB(), f.effect[n.ID])
	case 1:
		if n.HomeICB() == "" {
			return fmt.Sprintf("%s|%s||%v", n.Class, n.Kind, f.effect[n.ID] == graph.Unaffected)
		}
		return fmt.Sprintf("%s|%s|%s", n.Class, n.Kind, n.HomeICB())
	}
	// Across ICBs, never mix affected and unaffected nodes.
	return fmt.Sprintf("%s|%s|%v", n.Class, n.Kind, f.effect[n.ID] == graph.Unaffected)
}

// groups gathers the units that could fold together in a pass, by key, and
// lists the keys largest group first, ties by key, so the result is stable.
func (f *folder) groups(pass int) (map[string][]string, []string) {
	groups := map[string][]string{} // key → units
	for _, u := range f.units {
		ms := f.members[u]
		if len(ms) == 1 && (f.seed[ms[0].ID] || (pass < 2 && ms[0].Kind == "icb" && ms[0].Class == model.ClassOrganisation)) {
			continue
		}
		k := f.key(pass, ms[0])
		fits := true
		for _, m := range ms[1:] {
			fits = fits && f.key(pass, m) == k
		}
		if fits {
			groups[k] = append(groups[k], u)
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(groups[keys[i]]) != len(groups[keys[j]]) {
			return len(groups[keys[i]]) > len(groups[keys[j]])
		}
		return keys[i] < keys[j]
	})
	return groups, keys
}

// join folds the units into one group, if they stand for three nodes or
// more.
func (f *folder) join(us []string) {
	var all []*model.Node
	for _, u := range us {
		all = append(all, f.members[u]...)
	}
	if len(us) < 2 || len(all) < 3 {
		return
	}
	id := fmt.Sprintf("fold-%d", len(f.order)+1)
	counts := map[graph.Effect]int{}
	for _, m := range all {
		counts[f.effect[m.ID]]++
	}
	fo := &Fold{ID: id, Count: len(all)}
	for _, e := range append(slices.Clone(graph.Effects), graph.Unaffected) {
		if counts[e] > 0 {
			fo.Counts = append(fo.Counts, EffectCount{e, counts[e]})
		}
	}
	fo.Effect, fo.Fill, fo.ICB = fo.Counts[0].Effect, fo.Counts[0].Effect, all[0].HomeICB()
	for _, c := range fo.Counts {
		if c.Count > counts[fo.Fill] {
			fo.Fill = c.Effect
		}
	}
	for _, m := range all {
		if m.HomeICB() != fo.ICB {
			fo.ICB = ""
		}
	}
	fo.Label = f.label(all, fo)
	gone := map[string]bool{}
	for _, u := range us {
		gone[u] = true
		delete(f.folds, u)
		delete(f.members, u)
	}
	for _, m := range all {
		f.rep[m.ID] = id
	}
	f.members[id] = all
	f.folds[id] = fo
	f.order = append(f.order, id)
	kept := f.units[:0]
	for _, u := range f.units {
		if !gone[u] {
			kept = append(kept, u)
		}
	}
	f.units = append(kept, id)
	f.count -= len(us) - 1
}

// label says what a group holds: how many of which kind, the ICB's area if
// they share one, and how many of them each effect reaches, worst first
// ("1 compromised, 5 disrupted, 17 degraded"), two to a line.
func (f *folder) label(all []*model.Node, fo *Fold) string {
	label := fmt.Sprintf("%d %s", len(all), pluralKind(all[0], len(all)))
	if fo.ICB != "" {
		name := f.icbName[fo.ICB]
		if name == "" {
			name = fo.ICB
		}
		label += "\n" + strings.TrimSuffix(name, " Integrated Care Board") + " area"
	}
	words := fo.EffectWords()
	for i := 0; i < len(words); i += 2 {
		label += "\n" + strings.Join(words[i:min(i+2, len(words))], ", ")
		if i+2 < len(words) {
			label += ","
		}
	}
	return label
}

// EffectWords says how many of the group each effect reaches, worst first:
// "1 compromised", "5 disrupted"; a group all of one effect says "all
// compromised", or "unaffected".
func (fo Fold) EffectWords() []string {
	if len(fo.Counts) == 1 {
		if fo.Counts[0].Effect == graph.Unaffected {
			return []string{"unaffected"}
		}
		return []string{"all " + fo.Counts[0].Effect.String()}
	}
	var words []string
	for _, c := range fo.Counts {
		words = append(words, fmt.Sprintf("%d %s", c.Count, c.Effect))
	}
	return words
}

// Summary is the group in one line: "30 GP practices: 1 compromised, 5
// disrupted, 17 degraded, 7 exposed".
func (fo Fold) Summary() string {
	head, _, _ := strings.Cut(fo.Label, "\n")
	if fo.ICB != "" {
		if lines := strings.Split(fo.Label, "\n"); len(lines) > 1 {
			head += ", " + lines[1]
		}
	}
	return head + ": " + strings.Join(fo.EffectWords(), ", ")
}

func pluralKind(n *model.Node, count int) string {
	if k, ok := model.KindOf(n.Class, n.Kind); ok {
		return k.Plural
	}
	return n.Kind + "s"
}
