// Package synth generates synthetic national NHS models for trials and
// benchmarks: ICBs, trusts, GP practices, community and mental-health
// providers, and a long tail of suppliers and shared services whose reach is
// as concentrated as in life (a few suppliers serve thousands of
// organisations, most serve a handful). Every relation type appears, and
// controls are on a realistic share of nodes. The output is a valid model,
// the same bytes for the same scale and seed. It can be written in one file
// or split into one file per ICB (GenerateFiles); the two are the same model,
// entry for entry and in the same order once the files are merged.
package synth

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/blastradius/blastradius/model"
)

// Options say how big a model to make and from which seed.
type Options struct {
	Scale int    // 1 is about the size of England; 10 ten times that
	Seed  uint64 // the same seed gives the same model
	// ICBs, if set, replaces the 42 × Scale ICBs; suppliers, ambulance
	// trusts and pathology networks are scaled with it.
	ICBs int
	// Likelihoods gives most dependencies a likelihood below 1, drawn
	// from their own random stream: the model is otherwise the same.
	Likelihoods bool
	// Time gives nodes recoveries (three-point), organisations activity
	// per day and tolerances, and service dependencies shares and buffers,
	// for timelines, drawn from their own random stream: the model is
	// otherwise the same.
	Time bool
	// Strain adds mutual aid and a national stock, for timelines: every
	// trust may be helped by the pathology network after its own, and
	// draws harder on a national blood stock while its own network is
	// short. No random draw: the model is otherwise the same.
	Strain bool
}

// Stats counts what was generated.
type Stats struct {
	Organisations, Services, Dependencies int
	LargestSupplier                       string // the supplier whose services most organisations consume
}

// Per scale 1: the shape of the NHS in England.
const (
	icbs              = 42
	gpPerICB          = 150 // 6,300 practices
	ambulanceTrusts   = 10
	pathologyNetworks = 29
	longTailSuppliers = 10000
	eprVendors        = 6
	gpSystemVendors   = 3
)

// Sections of a model file, in the order they are written.
const (
	secOrgs = iota
	secServices
	secDeps
	nSections
)

var sectionKeys = [nSections]string{"organisations", "services", "dependencies"}

// part is the entries of one file of a split model: an ICB's, or the shared
// one's (national organisations, suppliers and their services).
type part struct {
	sec [nSections]bytes.Buffer
}

type gen struct {
	scale  int
	seed   uint64
	icbs   int            // as Options.ICBs
	strain bool           // as Options.Strain
	parts  []part         // one for each ICB, then the shared part
	owner  map[string]int // node id → its part
	r      *rand.Rand
	stats  Stats
	reach  map[string]int // supplier id → consumers, to name the largest
	edges  map[[3]string]bool
	suppOp map[string]string // service → operating supplier
	lr     *rand.Rand        // likelihoods, if asked for
	tr     *rand.Rand        // time and capacity, if asked for
}

// File is one file of a split model: its path, slash-separated and relative
// to the directory of the root file, and its content.
type File struct {
	Name string
	Data []byte
}

// Generate writes a model to w, in one file.
func Generate(w io.Writer, opt Options) (Stats, error) {
	g, err := generate(opt)
	if err != nil {
		return Stats{}, err
	}
	var b bytes.Buffer
	g.header(&b, "")
	for s := range nSections {
		fmt.Fprintf(&b, "%s:\n", sectionKeys[s])
		for i := range g.parts {
			b.Write(g.parts[i].sec[s].Bytes())
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return Stats{}, err
	}
	return g.stats, nil
}

// GenerateFiles makes the model that Generate writes, split into a root
// file, model.yaml, that includes one file per ICB under icbs/ and then
// shared.yaml, which holds the national organisations, the suppliers and
// their services. Merged, the files give Generate's model entry for entry.
func GenerateFiles(opt Options) ([]File, Stats, error) {
	g, err := generate(opt)
	if err != nil {
		return nil, Stats{}, err
	}
	nICB := len(g.parts) - 1
	width := max(3, len(fmt.Sprint(nICB-1)))
	var root bytes.Buffer
	g.header(&root, " --split DIR")
	root.WriteString("include:\n  - icbs/*.yaml # one file per ICB: its organisations, their services and dependencies\n  - shared.yaml\n")
	files := []File{{Name: "model.yaml", Data: root.Bytes()}}
	for i := range g.parts {
		var b bytes.Buffer
		name := "shared.yaml"
		if i < nICB {
			name = fmt.Sprintf("icbs/icb-%0*d.yaml", width, i)
			fmt.Fprintf(&b, "# Synthetic ICB %d: generated, not real. Included by ../model.yaml.\n", i)
		} else {
			b.WriteString("# National organisations, suppliers and their services: generated, not real. Included by model.yaml.\n")
		}
		for s := range nSections {
			if g.parts[i].sec[s].Len() > 0 {
				fmt.Fprintf(&b, "%s:\n", sectionKeys[s])
				b.Write(g.parts[i].sec[s].Bytes())
			}
		}
		files = append(files, File{Name: name, Data: b.Bytes()})
	}
	return files, g.stats, nil
}

func (g *gen) header(b *bytes.Buffer, flags string) {
	if g.icbs > 0 {
		flags = fmt.Sprintf(" --icbs %d", g.icbs) + flags
	}
	if g.lr != nil {
		flags = " --likelihoods" + flags
	}
	if g.tr != nil {
		flags = " --time" + flags
	}
	if g.strain {
		flags += " --strain"
	}
	fmt.Fprintf(b, "# Synthetic national model: generated, not real. Do not read it as facts about any organisation.\n")
	fmt.Fprintf(b, "# blastradius generate --scale %d --seed %d%s\n", g.scale, g.seed, flags)
	fmt.Fprintf(b, "version: 1\nname: Synthetic national model (scale %d, seed %d)\n", g.scale, g.seed)
}

func generate(opt Options) (*gen, error) {
	if opt.Scale < 1 {
		return nil, fmt.Errorf("scale must be at least 1, got %d", opt.Scale)
	}
	nICB := icbs * opt.Scale
	if opt.ICBs > 0 {
		nICB = opt.ICBs
	}
	g := &gen{scale: opt.Scale, seed: opt.Seed, icbs: opt.ICBs, parts: make([]part, nICB+1), owner: map[string]int{},
		r: rand.New(rand.NewPCG(opt.Seed, 0x6e6873)), reach: map[string]int{}, edges: map[[3]string]bool{}, suppOp: map[string]string{}}
	if opt.Likelihoods {
		g.lr = rand.New(rand.NewPCG(opt.Seed, 0x6c696b))
	}
	if opt.Time {
		g.tr = rand.New(rand.NewPCG(opt.Seed, 0x74696d))
	}
	g.strain = opt.Strain
	g.model(nICB)
	best, bestN := "", -1
	for id, n := range g.reach {
		if n > bestN || (n == bestN && id < best) {
			best, bestN = id, n
		}
	}
	g.stats.LargestSupplier = best
	return g, nil
}

// shared is the part of national organisations, suppliers and their services.
func (g *gen) shared() int { return len(g.parts) - 1 }

// org writes an organisation entry into a part.
func (g *gen) org(p int, id, format string, args ...any) {
	g.owner[id] = p
	fmt.Fprintf(&g.parts[p].sec[secOrgs], format, args...)
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) controls(pMFA, pSeg float64) string {
	var c []string
	if g.chance(pMFA) {
		c = append(c, "mfa")
	}
	if g.chance(pSeg) {
		c = append(c, "segmentation")
	}
	if g.chance(0.4) {
		c = append(c, "offline-backups")
	}
	if len(c) == 0 {
		return ""
	}
	s := ", controls: ["
	for i, x := range c {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s + "]"
}

type org struct {
	id, kind string
	icb      int
}

// zipf draws an index in [0, n) with weight 1/(i+1)^s.
type zipf struct{ cum []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cum: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = total
	}
	for i := range z.cum {
		z.cum[i] /= total
	}
	return z
}

func (z *zipf) draw(r *rand.Rand) int {
	return sort.SearchFloat64s(z.cum, r.Float64())
}

func (g *gen) model(nICB int) {
	// per scales a count for England to the number of ICBs.
	per := func(n int) int { return max(1, n*nICB/icbs) }
	sh := g.shared()
	var trusts, gps []org
	for i := range nICB {
		g.org(i, fmt.Sprintf("icb-%03d", i), "  - {id: icb-%03d, name: Synthetic ICB %d, kind: icb, ods: Q%s, patients: %d}\n", i, i, code(i, 2), 1_000_000+g.r.IntN(1_500_000))
		g.stats.Organisations++
		kinds := []string{"trust", "trust", "trust", "mental-health", "community"}
		if g.chance(0.3) {
			kinds = append(kinds, "trust")
		}
		for j, k := range kinds {
			pat := 200_000 + g.r.IntN(800_000)
			o := org{fmt.Sprintf("trust-%03d-%d", i, j), k, i}
			g.org(i, o.id, "  - {id: %s, name: Synthetic %s %d-%d, kind: %s, ods: R%s, icb: icb-%03d, patients: %d%s%s}\n", o.id, k, i, j, k, code(i*8+j, 3), i, pat, g.controls(0.7, 0.6), g.orgTime(k, pat))
			trusts = append(trusts, o)
		}
		for j := range gpPerICB {
			pat := 3_000 + g.r.IntN(15_000)
			o := org{fmt.Sprintf("gp-%03d-%03d", i, j), "gp-practice", i}
			g.org(i, o.id, "  - {id: %s, name: Synthetic practice %d-%d, kind: gp-practice, ods: G%06d, icb: icb-%03d, patients: %d%s%s}\n", o.id, i, j, i*gpPerICB+j, i, pat, g.controls(0.5, 0.2), g.orgTime("gp-practice", pat))
			gps = append(gps, o)
		}
	}
	for i := range per(ambulanceTrusts) {
		o := org{fmt.Sprintf("ambulance-%02d", i), "ambulance", i * nICB / per(ambulanceTrusts)}
		pat := 3_000_000 + g.r.IntN(3_000_000)
		// An ambulance trust serves a region: the ICBs from its own to the
		// next trust's.
		var served []string
		for k := o.icb; k < max(o.icb+1, (i+1)*nICB/per(ambulanceTrusts)); k++ {
			served = append(served, fmt.Sprintf("icb-%03d", k))
		}
		g.org(sh, o.id, "  - {id: %s, name: Synthetic ambulance trust %d, kind: ambulance, icb: [%s], patients: %d%s%s}\n", o.id, i, strings.Join(served, ", "), pat, g.controls(0.8, 0.7), g.orgTime("ambulance", pat))
		trusts = append(trusts, o)
	}
	g.stats.Organisations += len(trusts) + len(gps)

	// Suppliers: a handful of platforms with national reach, then a long tail.
	nTail := per(longTailSuppliers)
	g.org(sh, "hscn", "  - {id: hscn, name: Synthetic national network provider, kind: supplier, controls: [mfa, segmentation]}\n")
	for i := range gpSystemVendors {
		g.org(sh, fmt.Sprintf("gp-vendor-%d", i), "  - {id: gp-vendor-%d, name: Synthetic GP clinical system vendor %d, kind: supplier%s%s}\n", i, i, g.controls(0.9, 0.5), g.recovery(10, 60))
	}
	for i := range eprVendors {
		g.org(sh, fmt.Sprintf("epr-vendor-%d", i), "  - {id: epr-vendor-%d, name: Synthetic EPR vendor %d, kind: supplier%s%s}\n", i, i, g.controls(0.8, 0.5), g.recovery(10, 60))
	}
	for i := range nTail {
		g.org(sh, fmt.Sprintf("sup-%05d", i), "  - {id: sup-%05d, name: Synthetic supplier %d, kind: supplier%s%s}\n", i, i, g.controls(0.5, 0.3), g.recovery(3, 40))
	}
	g.stats.Organisations += 1 + gpSystemVendors + eprVendors + nTail

	// A service is written with its operator, except that an ICB's shared
	// services are the ICB's.
	svc := func(id, name, kind, op string) {
		p := g.owner[op]
		if strings.HasPrefix(id, "net-") {
			p = g.owner[strings.Replace(id, "net-", "icb-", 1)]
		}
		g.owner[id] = p
		fmt.Fprintf(&g.parts[p].sec[secServices], "  - {id: %s, name: %s, kind: %s, operator: %s%s}\n", id, name, kind, op, g.serviceTime(kind))
		g.stats.Services++
		g.suppOp[id] = op
	}
	for i := range gpSystemVendors {
		svc(fmt.Sprintf("gp-platform-%d", i), fmt.Sprintf("GP clinical system platform %d", i), "hosting", fmt.Sprintf("gp-vendor-%d", i))
	}
	for i := range eprVendors {
		svc(fmt.Sprintf("epr-cloud-%d", i), fmt.Sprintf("EPR vendor %d hosted platform", i), "hosting", fmt.Sprintf("epr-vendor-%d", i))
		svc(fmt.Sprintf("epr-support-%d", i), fmt.Sprintf("EPR vendor %d remote support", i), "identity", fmt.Sprintf("epr-vendor-%d", i))
	}
	nPath := per(pathologyNetworks)
	for i := range nPath {
		host := trusts[(i*len(trusts))/nPath]
		svc(fmt.Sprintf("pathology-%03d", i), fmt.Sprintf("Pathology network %d", i), "pathology", host.id)
	}
	for i := range nICB {
		svc(fmt.Sprintf("shcr-%03d", i), fmt.Sprintf("Shared care record gateway of ICB %d", i), "gateway", fmt.Sprintf("icb-%03d", i))
		svc(fmt.Sprintf("net-%03d", i), fmt.Sprintf("Network of ICB %d", i), "network", "hscn")
	}
	for _, t := range trusts {
		svc("epr-"+t.id, "EPR of "+t.id, "epr", t.id)
		svc("pacs-"+t.id, "Imaging (PACS) of "+t.id, "imaging", t.id)
	}
	tailKinds := []string{"other", "other", "epr", "imaging", "identity", "hosting", "gateway"}
	var tailSvc []string
	tailKind := map[string]*model.Node{}
	for i := range nTail {
		for j := range 1 + g.r.IntN(2) {
			id := fmt.Sprintf("sup-%05d-s%d", i, j)
			kind := tailKinds[g.r.IntN(len(tailKinds))]
			svc(id, fmt.Sprintf("Supplier %d service %d", i, j), kind, fmt.Sprintf("sup-%05d", i))
			tailSvc = append(tailSvc, id)
			tailKind[id] = &model.Node{Class: model.ClassService, Kind: kind}
		}
	}

	// GP practices: clinical system (hosting, service, data), pathology, the
	// ICB's network and shared care record, and a few long-tail suppliers.
	gpShare := []float64{0.55, 0.95, 1}
	zTail := newZipf(len(tailSvc), 1.1)
	for _, p := range gps {
		v, x := 0, g.r.Float64()
		for x > gpShare[v] {
			v++
		}
		plat := fmt.Sprintf("gp-platform-%d", v)
		g.dep(p.id, plat, "hosting", "")
		g.dep(p.id, plat, "service", "")
		g.dep(p.id, plat, "data", "")
		g.pathology(p, nPath, nICB)
		g.dep(p.id, fmt.Sprintf("shcr-%03d", p.icb), "data", "")
		if g.chance(0.6) {
			g.dep(p.id, fmt.Sprintf("net-%03d", p.icb), "network", "")
		}
		for range 14 + g.r.IntN(14) {
			g.tail(p.id, tailSvc[zTail.draw(g.r)])
		}
	}
	for _, t := range trusts {
		epr, pacs := "epr-"+t.id, "pacs-"+t.id
		vendor := newZipf(eprVendors, 1).draw(g.r)
		g.dep(t.id, epr, "service", "")
		g.dep(t.id, epr, "data", "")
		g.dep(t.id, pacs, "service", ", critical: false")
		g.dep(epr, fmt.Sprintf("epr-support-%d", vendor), "access", "")
		if g.chance(0.5) {
			g.dep(epr, fmt.Sprintf("epr-cloud-%d", vendor), "hosting", "")
		}
		g.dep(pacs, epr, "service", ", critical: false")
		g.pathology(t, nPath, nICB)
		g.dep(t.id, fmt.Sprintf("shcr-%03d", t.icb), "data", "")
		g.dep(t.id, fmt.Sprintf("net-%03d", t.icb), "network", "")
		for range 150 + g.r.IntN(200) {
			g.tail(t.id, tailSvc[zTail.draw(g.r)])
		}
	}
	if g.strain {
		g.mutualAid(trusts, nPath, nICB)
	}
	// Long-tail services depend on each other a little: chains and cycles,
	// never the way round that the loader warns of.
	plausible := func(from, to string, t model.Relation) bool {
		return !model.UnlikelyDirection(t, tailKind[from], tailKind[to])
	}
	for i, s := range tailSvc {
		if g.chance(0.08) {
			if to := tailSvc[(i*7919+g.r.IntN(len(tailSvc)))%len(tailSvc)]; plausible(s, to, model.Hosting) {
				g.dep(s, to, "hosting", "")
			}
		}
		if g.chance(0.04) {
			if to := tailSvc[g.r.IntN(len(tailSvc))]; plausible(s, to, model.Access) {
				g.dep(s, to, "access", "")
			}
		}
	}
	for i := range nICB {
		g.dep(fmt.Sprintf("shcr-%03d", i), fmt.Sprintf("icb-%03d", i), "service", ", critical: false")
	}
}

// mutualAid makes each pathology network a helper of the trusts of the
// network half the country away (a neighbour shares its outages: its
// operator is often a trust of the network it would help), and adds a
// national blood stock that the acute trusts draw on harder while their
// own network is short. It draws nothing from the random streams.
func (g *gen) mutualAid(trusts []org, nPath, nICB int) {
	sh := g.shared()
	g.org(sh, "blood-service", "  - {id: blood-service, name: Synthetic national blood service, kind: national-body}\n")
	g.owner["blood-stock"] = sh
	fmt.Fprintf(&g.parts[sh].sec[secServices], "  - {id: blood-stock, name: Synthetic national blood stock, kind: stock, operator: blood-service, stock: {days: 6, alert: 2}}\n")
	g.stats.Organisations++
	g.stats.Services++
	for _, t := range trusts {
		net := t.icb * nPath / nICB
		own, next := fmt.Sprintf("pathology-%03d", net), fmt.Sprintf("pathology-%03d", (net+nPath/2)%nPath)
		if own == next || g.suppOp[next] == t.id { // no aid to one's own network
			continue
		}
		deps := &g.parts[g.owner[t.id]].sec[secDeps]
		fmt.Fprintf(deps, "  - {from: %s, to: %s, type: service, aid: {after: 3, for: 28, headroom: 0.05, shed: 0.1}}\n", t.id, next)
		g.stats.Dependencies++
		if t.kind == "trust" {
			fmt.Fprintf(deps, "  - {from: %s, to: blood-stock, type: service, critical: false, surge: {when: %s, factor: 1.9, share: 0.004}}\n", t.id, own)
			g.stats.Dependencies++
		}
	}
}

// pathology gives a consumer its ICB's pathology network, sometimes with a
// neighbouring network as mutual aid, and the data held there.
func (g *gen) pathology(o org, nPath, nICB int) {
	net := o.icb * nPath / nICB
	p := fmt.Sprintf("pathology-%03d", net)
	extra := ""
	// The chance is drawn even with one network, which has no neighbour,
	// so that the random stream is the same whatever the number.
	if g.chance(0.3) && nPath > 1 {
		extra = fmt.Sprintf(", alternatives: [pathology-%03d]", (net+1)%nPath)
	}
	g.dep(o.id, p, "service", extra)
	g.dep(o.id, p, "data", "")
}

// tail adds a dependency on a long-tail supplier's service, of a type drawn
// to look like life: mostly services and data, some remote access.
func (g *gen) tail(from, to string) {
	switch x := g.r.IntN(10); {
	case x < 4:
		g.dep(from, to, "service", ", critical: false")
	case x < 5:
		g.dep(from, to, "service", "")
	case x < 8:
		g.dep(from, to, "data", "")
	default:
		g.dep(from, to, "access", "")
	}
}

func (g *gen) dep(from, to, typ, extra string) {
	k := [3]string{from, to, typ}
	if g.edges[k] || from == to {
		return
	}
	if typ == "network" && g.edges[[3]string{to, from, typ}] {
		return
	}
	g.edges[k] = true
	fmt.Fprintf(&g.parts[g.owner[from]].sec[secDeps], "  - {from: %s, to: %s, type: %s%s%s%s}\n", from, to, typ, extra, g.likelihood(typ), g.depTime(to, typ, extra))
	g.stats.Dependencies++
	if op, ok := g.suppOp[to]; ok {
		g.reach[op]++
	}
}

// typicalLikelihood is, by relation, the centre of the likelihoods drawn:
// a service mostly fails its consumers when it fails, an attacker uses
// network links and access less often. Synthetic, like the rest.
var typicalLikelihood = map[string]float64{"service": 0.8, "data": 0.7, "access": 0.5, "network": 0.4, "hosting": 0.9}

// likelihood returns ", likelihood: p" for a dependency of the relation,
// or "" if likelihoods are off or the dependency is certain (three in ten).
func (g *gen) likelihood(typ string) string {
	if g.lr == nil || g.lr.Float64() < 0.3 {
		return ""
	}
	c := typicalLikelihood[typ]
	p := math.Round((c-0.2+0.4*g.lr.Float64())*20) / 20
	return fmt.Sprintf(", likelihood: %g", min(0.95, max(0.05, p)))
}

// code makes an ODS-like suffix of n characters, unique for i below 34^n.
func code(i, n int) string {
	const digits = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, n)
	for k := n - 1; k >= 0; k-- {
		b[k] = digits[i%len(digits)]
		i /= len(digits)
	}
	return string(b)
}

// Time and capacity, drawn from g.tr only, so that a model with time is
// the model without it plus these keys. Synthetic, like the rest: the
// ranges are of a plausible order, not measurements.

// recovery returns ", recovery: {min, likely, max}" in whole days, the
// least from lo to hi, or "" without time.
func (g *gen) recovery(lo, hi int) string {
	if g.tr == nil {
		return ""
	}
	least := lo + g.tr.IntN(hi-lo+1)
	likely := least + g.tr.IntN(least+1)
	most := likely + 1 + g.tr.IntN(2*likely+1)
	return fmt.Sprintf(", recovery: {min: %d, likely: %d, max: %d}", least, likely, most)
}

// activityPerPerson is, by kind of organisation, the unit of its activity
// and how much of it a year each person it serves accounts for.
var activityPerPerson = map[string]struct {
	unit string
	year float64
}{
	"trust":         {"outpatient-appointments", 2},
	"mental-health": {"patient-contacts", 1.5},
	"community":     {"patient-contacts", 3},
	"ambulance":     {"incidents", 0.15},
	"gp-practice":   {"appointments", 5},
}

// orgTime returns an organisation's recovery, activity and tolerance.
func (g *gen) orgTime(kind string, patients int) string {
	if g.tr == nil {
		return ""
	}
	a := activityPerPerson[kind]
	perDay := math.Round(float64(patients) * a.year * (0.7 + 0.6*g.tr.Float64()) / 365)
	act := fmt.Sprintf("%s: %g", a.unit, perDay)
	if kind == "trust" {
		act += fmt.Sprintf(", elective-procedures: %g", math.Round(perDay*(0.03+0.05*g.tr.Float64())))
	}
	out := g.recovery(5, 30) + ", activity: {" + act + "}"
	if g.tr.Float64() < 0.7 {
		out += fmt.Sprintf(", tolerance: %d", 3+g.tr.IntN(26))
	}
	return out
}

// serviceRecovery is, by kind of service, the range of its least recovery
// in days.
var serviceRecovery = map[string][2]int{
	"hosting": {10, 60}, "pathology": {20, 60}, "epr": {7, 40}, "identity": {3, 20},
	"gateway": {3, 20}, "network": {2, 14}, "imaging": {5, 30},
}

// serviceTime returns a service's recovery.
func (g *gen) serviceTime(kind string) string {
	r, ok := serviceRecovery[kind]
	if !ok {
		r = [2]int{2, 30}
	}
	return g.recovery(r[0], r[1])
}

// depTime returns a service dependency's share and buffer: a consumer
// needs most of its record system, a part of its pathology (after a day
// or more of samples held), and a little of each long-tail service.
func (g *gen) depTime(to, typ, extra string) string {
	if g.tr == nil || typ != "service" {
		return ""
	}
	share := func(lo, hi float64) string {
		return fmt.Sprintf(", share: %g", math.Max(0.01, math.Round((lo+(hi-lo)*g.tr.Float64())*100)/100))
	}
	switch {
	case strings.Contains(extra, "critical: false"):
		if g.tr.Float64() < 0.5 {
			return share(0.05, 0.3)
		}
		return ""
	case strings.HasPrefix(to, "pathology-"):
		return share(0.1, 0.4) + fmt.Sprintf(", buffer: %d", 1+g.tr.IntN(3))
	case strings.HasPrefix(to, "epr-"), strings.HasPrefix(to, "gp-platform-"):
		return share(0.6, 1)
	case strings.HasPrefix(to, "sup-"):
		out := share(0.02, 0.3)
		if g.tr.Float64() < 0.4 {
			out += fmt.Sprintf(", buffer: %d", 1+g.tr.IntN(7))
		}
		return out
	}
	return ""
}
