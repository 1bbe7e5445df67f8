package render

import (
	"fmt"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// fold maps each selected node to the node or group that stands for it,
// folding similar nodes until no more than max remain. Similar means, in
// turn: the same class, kind, ICB and effect; then the same class, kind and
// ICB (the group keeps the worst effect); then the same class and kind, and
// affected or not. A group formed earlier joins a later one only if every
// node in it fits the later group's description, so that a label never
// claims what its members are not. Seeds never fold; ICBs fold only in the
// last pass, for they anchor the clusters.
func fold(g *graph.Graph, selected []*model.Node, effect map[string]graph.Effect, seed map[string]bool, max int) (map[string]string, []Fold) {
	rep := make(map[string]string, len(selected))
	members := map[string][]*model.Node{} // what each drawn unit stands for
	var units []string                    // drawn units, in a stable order
	for _, n := range selected {
		rep[n.ID] = n.ID
		members[n.ID] = []*model.Node{n}
		units = append(units, n.ID)
	}
	count := len(selected)
	if count <= max {
		return rep, nil
	}
	icbName := map[string]string{}
	for _, n := range g.Nodes() {
		if n.Kind == "icb" {
			icbName[n.ID] = n.Name
		}
	}
	key := func(pass int, n *model.Node) string {
		switch pass {
		case 0:
			return fmt.Sprintf("%s|%s|%s|%s", n.Class, n.Kind, n.ICB, effect[n.ID])
		case 1:
			if n.ICB == "" {
				return fmt.Sprintf("%s|%s||%v", n.Class, n.Kind, effect[n.ID] == graph.Unaffected)
			}
			return fmt.Sprintf("%s|%s|%s", n.Class, n.Kind, n.ICB)
		}
		// Across ICBs, never mix affected and unaffected nodes.
		return fmt.Sprintf("%s|%s|%v", n.Class, n.Kind, effect[n.ID] == graph.Unaffected)
	}
	folds := map[string]*Fold{}
	var order []string
	for pass := 0; pass < 3 && count > max; pass++ {
		groups := map[string][]string{} // key → units
		for _, u := range units {
			ms := members[u]
			if len(ms) == 1 && (seed[ms[0].ID] || (pass < 2 && ms[0].Kind == "icb" && ms[0].Class == model.ClassOrganisation)) {
				continue
			}
			k := key(pass, ms[0])
			fits := true
			for _, m := range ms[1:] {
				fits = fits && key(pass, m) == k
			}
			if fits {
				groups[k] = append(groups[k], u)
			}
		}
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		// Largest groups first; ties by key, so the result is stable.
		sort.Slice(keys, func(i, j int) bool {
			if len(groups[keys[i]]) != len(groups[keys[j]]) {
				return len(groups[keys[i]]) > len(groups[keys[j]])
			}
			return keys[i] < keys[j]
		})
		for _, k := range keys {
			us := groups[k]
			if count <= max {
				break
			}
			var all []*model.Node
			for _, u := range us {
				all = append(all, members[u]...)
			}
			if len(us) < 2 || len(all) < 3 {
				continue
			}
			id := fmt.Sprintf("fold-%d", len(order)+1)
			worst := graph.Unaffected
			sameICB := true
			for _, m := range all {
				worst = min(worst, effect[m.ID])
				sameICB = sameICB && m.ICB == all[0].ICB
			}
			label := fmt.Sprintf("%d %s", len(all), pluralKind(all[0], len(all)))
			if sameICB && all[0].ICB != "" {
				name := icbName[all[0].ICB]
				if name == "" {
					name = all[0].ICB
				}
				label += "\n" + strings.TrimSuffix(name, " Integrated Care Board") + " area"
			}
			label += "\nworst: " + worst.String()
			gone := map[string]bool{}
			for _, u := range us {
				gone[u] = true
				delete(folds, u)
				delete(members, u)
			}
			for _, m := range all {
				rep[m.ID] = id
			}
			members[id] = all
			folds[id] = &Fold{ID: id, Label: label, Count: len(all), Effect: worst}
			order = append(order, id)
			kept := units[:0]
			for _, u := range units {
				if !gone[u] {
					kept = append(kept, u)
				}
			}
			units = append(kept, id)
			count -= len(us) - 1
		}
	}
	var out []Fold
	for _, id := range order {
		if f := folds[id]; f != nil {
			out = append(out, *f)
		}
	}
	return rep, out
}

func pluralKind(n *model.Node, count int) string {
	if k, ok := model.KindOf(n.Class, n.Kind); ok {
		return k.Plural
	}
	return n.Kind + "s"
}
