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
// ICB (the group keeps the worst effect); then the same class and kind.
// Seeds never fold, nor does a group of fewer than three.
func fold(g *graph.Graph, selected []*model.Node, effect map[string]graph.Effect, seed map[string]bool, max int) (map[string]string, []Fold) {
	rep := make(map[string]string, len(selected))
	members := map[string][]string{} // what each representative stands for
	for _, n := range selected {
		rep[n.ID] = n.ID
		members[n.ID] = []string{n.ID}
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
	type group struct {
		key     string
		members []*model.Node
	}
	var folds []Fold
	for pass := 0; pass < 3 && count > max; pass++ {
		groups := map[string]*group{}
		for _, n := range selected {
			if seed[n.ID] || (n.Kind == "icb" && n.Class == model.ClassOrganisation) {
				continue
			}
			if rep[n.ID] != n.ID && pass == 0 {
				continue
			}
			var k string
			switch pass {
			case 0:
				k = fmt.Sprintf("%s|%s|%s|%s", n.Class, n.Kind, n.ICB, effect[n.ID])
			case 1:
				k = fmt.Sprintf("%s|%s|%s", n.Class, n.Kind, n.ICB)
			default:
				k = fmt.Sprintf("%s|%s", n.Class, n.Kind)
			}
			gr := groups[k]
			if gr == nil {
				gr = &group{key: k}
				groups[k] = gr
			}
			gr.members = append(gr.members, n)
		}
		list := make([]*group, 0, len(groups))
		for _, gr := range groups {
			list = append(list, gr)
		}
		// Largest groups first; ties by key, so the result is stable.
		sort.Slice(list, func(i, j int) bool {
			if len(list[i].members) != len(list[j].members) {
				return len(list[i].members) > len(list[j].members)
			}
			return list[i].key < list[j].key
		})
		for _, gr := range list {
			if count <= max {
				break
			}
			// How many drawn nodes this group stands for now.
			reps := map[string]bool{}
			for _, n := range gr.members {
				reps[rep[n.ID]] = true
			}
			if len(reps) < 3 {
				continue
			}
			id := fmt.Sprintf("fold-%d", len(folds)+1)
			worst := graph.Unaffected
			for _, n := range gr.members {
				worst = min(worst, effect[n.ID])
			}
			sample := gr.members[0]
			label := fmt.Sprintf("%d %s", len(gr.members), pluralKind(sample, len(gr.members)))
			if pass < 2 && sample.ICB != "" {
				name := icbName[sample.ICB]
				if name == "" {
					name = sample.ICB
				}
				label += "\n" + strings.TrimSuffix(name, " Integrated Care Board") + " area"
			}
			label += "\nworst: " + worst.String()
			// Everything the old representatives stood for (groups folded in
			// an earlier pass included) now answers to this one.
			for old := range reps {
				for _, k := range members[old] {
					rep[k] = id
					members[id] = append(members[id], k)
				}
				delete(members, old)
			}
			folds = dropFolds(folds, reps)
			folds = append(folds, Fold{ID: id, Label: label, Count: len(gr.members), Effect: worst})
			count -= len(reps) - 1
		}
	}
	return rep, folds
}

func dropFolds(folds []Fold, gone map[string]bool) []Fold {
	out := folds[:0]
	for _, f := range folds {
		if !gone[f.ID] {
			out = append(out, f)
		}
	}
	return out
}

func pluralKind(n *model.Node, count int) string {
	names := map[string]string{"gp-practice": "GP practices", "trust": "trusts", "community": "community providers",
		"mental-health": "mental health trusts", "supplier": "suppliers", "icb": "ICBs", "ambulance": "ambulance trusts", "other": "other organisations"}
	if n.Class == model.ClassService {
		if n.Kind == "other" {
			return "services"
		}
		return n.Kind + " services"
	}
	if s, ok := names[n.Kind]; ok {
		return s
	}
	return n.Kind + "s"
}
