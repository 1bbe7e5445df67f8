package model

import (
	"fmt"
	"hash/maphash"
	"iter"
	"math"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

var (
	topKeys        = []string{"version", "name", "description", "include", "organisations", "services", "dependencies", "scenarios", "policies"}
	scenarioTop    = []string{"version", "name", "description", "scenarios", "policies"}
	orgKeys        = []string{"id", "name", "kind", "ods", "icb", "patients", "entry", "controls", "recovery", "restore", "activity", "tolerance", "note"}
	serviceKeys    = []string{"id", "name", "kind", "operator", "entry", "controls", "recovery", "restore", "stock", "note"}
	depKeys        = []string{"from", "to", "type", "critical", "alternatives", "likelihood", "share", "buffer", "aid", "surge", "note"}
	scenarioKeys   = []string{"name", "compromise", "mode", "start", "assume", "expect", "note"}
	assumeKeys     = []string{"controls", "remove", "add", "alternatives", "remove_controls", "aid", "stock"}
	alternateKeys  = []string{"from", "to", "add"}
	removeKeys     = []string{"from", "to", "type"}
	expectKeys     = []string{"reaches", "spares", "max_organisations", "max_outage_days", "strains", "stock_alert_after"}
	policyKeys     = []string{"max_organisations", "max_expected_organisations", "require_controls", "critical_needs_alternative", "recovery_within_tolerance", "max_strained", "exceptions"}
	exceptionKeys  = []string{"rule", "id", "reason", "until"}
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	odsPattern     = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)
	relationNames  = relationWords()
	modeNames      = []string{"ransomware", "exfiltration"}
	maxPatients    = int64(100_000_000)
	maxOrgsExpects = 10_000_000
)

// entry is a mapping's values by key, in the order of the allowed keys.
type entry struct {
	node     *yaml.Node
	keys     []string
	vals     []*yaml.Node
	misspelt []misspelt // unknown keys that are near an allowed one
}

type misspelt struct {
	meant string
	val   *yaml.Node
}

func (e entry) get(key string) *yaml.Node {
	for i, k := range e.keys {
		if k == key {
			return e.vals[i]
		}
	}
	return nil
}

// fields returns where each present key's value is.
func (p *parser) fields(e entry) Fields {
	n := 0
	for _, v := range e.vals {
		if v != nil {
			n++
		}
	}
	f := make(Fields, 0, n)
	for i, k := range e.keys {
		if e.vals[i] != nil {
			f = append(f, Field{Key: k, Pos: p.at(e.vals[i])})
		}
	}
	return f
}

// object reads a mapping whose keys must be among allowed. Unknown and
// duplicate keys are reported; merge keys ("<<: *base") are applied, with
// keys written in the mapping itself taking precedence.
func (p *parser) object(n *yaml.Node, what string, allowed []string) (entry, bool) {
	return p.objectExt(n, what, allowed, false)
}

// objectExt is object that, with extensions, also accepts and ignores keys
// starting with "x-", as the top of a model does.
func (p *parser) objectExt(n *yaml.Node, what string, allowed []string, extensions bool) (entry, bool) {
	e := entry{node: n, keys: allowed, vals: make([]*yaml.Node, len(allowed))}
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		if isNull(n) {
			p.errorf(n, "", "%s is empty", what)
		} else {
			p.errorf(n, "write key: value pairs here", "%s must be a mapping, not %s", what, describe(n))
		}
		return e, false
	}
	e.node = n
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "keys are plain words such as \"id\"", "%s has a key that is %s", what, describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if prev := earlierKey(n, i); prev != nil {
			p.errorf(k, fmt.Sprintf("first at line %d; remove one of them", prev.Line), "duplicate key %q in %s", k.Value, what)
			continue
		}
		if extensions && strings.HasPrefix(k.Value, "x-") {
			continue // an extension field, such as a home for shared anchors
		}
		idx := indexOf(allowed, k.Value)
		if hint, ok := misplaced[what][k.Value]; ok && idx < 0 {
			p.errorf(k, hint, "%q is a key of organisations, not of a %s", k.Value, what)
			continue
		}
		if key, val, ok := strings.Cut(k.Value, ":"); idx < 0 && ok && indexOf(allowed, key) >= 0 && val != "" {
			p.errorf(k, fmt.Sprintf("write a space after the colon, such as %q: without one, YAML reads %q as one word", key+": "+val, k.Value), "no space after the colon in %q", k.Value)
			continue
		}
		if idx < 0 {
			p.errorf(k, didYouMean(k.Value, allowed, "allowed keys: "+strings.Join(allowed, ", ")), "unknown key %q in %s", k.Value, what)
			if s := suggest(k.Value, allowed); s != "" {
				e.misspelt = append(e.misspelt, misspelt{s, v})
			}
			continue
		}
		e.vals[idx] = v
	}
	for _, m := range merges {
		var sources []*yaml.Node
		if mm := deref(m); mm.Kind == yaml.SequenceNode {
			sources = mm.Content
		} else {
			sources = []*yaml.Node{m}
		}
		for _, s := range sources {
			s = deref(s)
			if s.Kind != yaml.MappingNode {
				p.errorf(s, "a merge key takes an alias of a mapping, such as <<: *defaults", "merge key in %s takes %s", what, describe(s))
				continue
			}
			for i := 0; i+1 < len(s.Content); i += 2 {
				k := deref(s.Content[i])
				idx := indexOf(allowed, k.Value)
				if idx < 0 {
					p.errorf(k, didYouMean(k.Value, allowed, "allowed keys: "+strings.Join(allowed, ", ")), "unknown key %q merged into %s", k.Value, what)
					continue
				}
				if e.vals[idx] == nil {
					e.vals[idx] = s.Content[i+1]
				}
			}
		}
	}
	return e, true
}

// earlierKey returns the key before position i of mapping n that equals
// the key at i, if any. Mappings in a model are small: a scan is cheapest.
func earlierKey(n *yaml.Node, i int) *yaml.Node {
	k := deref(n.Content[i]).Value
	for j := 0; j < i; j += 2 {
		if prev := deref(n.Content[j]); prev.Kind == yaml.ScalarNode && prev.Value == k {
			return prev
		}
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// list reads a sequence. A missing or null value is an empty list.
func (p *parser) list(n *yaml.Node, what string) []*yaml.Node {
	if isNull(n) {
		return nil
	}
	d := deref(n)
	if d.Kind != yaml.SequenceNode {
		p.errorf(n, "write a list: [a, b] or one \"- a\" line per item", "%s must be a list, not %s", what, describe(n))
		return nil
	}
	return d.Content
}

// seq is list for the long lists of a model: how many items n holds, and
// the items, which the fast reader may parse one at a time as they are
// asked for (see fastReader).
func (p *parser) seq(n *yaml.Node, what string) (int, iter.Seq[*yaml.Node]) {
	if p.fast != nil {
		if ls, ok := p.fast.lazy[n]; ok {
			return ls.count, p.fast.items(ls)
		}
	}
	items := p.list(n, what)
	return len(items), slices.Values(items)
}

// decodeList decodes the n items of the long list l with decode, in order,
// leaving out those it gives nil for. A list the fast reader left lazy is
// decoded in chunks (see lazySeq) by up to GOMAXPROCS goroutines, each
// chunk with a parser of its own whose messages join p's in the order of the
// chunks: the results and the messages are those of one pass over items.
// When the reader declines an item the result is nil, and p.fast.declined
// says that the file is to be read again by yaml.v3.
func decodeList[T any](p *parser, l *yaml.Node, n int, items iter.Seq[*yaml.Node], decode func(*parser, *yaml.Node) *T) []*T {
	var ls *lazySeq
	if p.fast != nil {
		if p.fast.declined {
			return nil // the file is to be read again
		}
		ls = p.fast.lazy[l]
	}
	if ls == nil || len(ls.marks) < 2 {
		out := make([]*T, 0, n)
		for item := range items {
			if x := decode(p, item); x != nil {
				out = append(out, x)
			}
		}
		return out
	}
	out := make([]*T, n)
	chunks := len(ls.marks)
	errs := make([]ErrorList, chunks)
	var next atomic.Int64
	var declined atomic.Bool
	var wg sync.WaitGroup
	var failed atomic.Value // a goroutine's panic, raised again here
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failed.CompareAndSwap(nil, fmt.Sprintf("%v\n%s", r, debug.Stack()))
					declined.Store(true)
				}
			}()
			arena, recent := make([]yaml.Node, 256), &recentText{seed: maphash.MakeSeed()}
			for {
				c := int(next.Add(1)) - 1
				if c >= chunks || declined.Load() {
					return
				}
				q := &parser{file: p.file, lim: p.lim, src: p.src}
				r := p.fast.chunk(ls, c, arena, recent)
				end := min(n, (c+1)*chunkItems)
				for i := c * chunkItems; ; i++ {
					r.used = 0
					item, ok := r.nextItem(ls.indent)
					if !ok {
						if r.declined || i != end {
							declined.Store(true)
						}
						break
					}
					if i == end {
						declined.Store(true) // more items than counted: not expected
						break
					}
					out[i] = decode(q, item)
				}
				errs[c] = q.errs
			}
		}()
	}
	wg.Wait()
	if r := failed.Load(); r != nil {
		panic(r)
	}
	if declined.Load() {
		p.fast.declined = true
		return nil
	}
	for _, e := range errs {
		p.errs = append(p.errs, e...)
	}
	kept := out[:0]
	for _, x := range out {
		if x != nil {
			kept = append(kept, x)
		}
	}
	clear(out[len(kept):])
	return kept
}

// str reads a scalar as text. Numbers and booleans are read as written.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	d := deref(n)
	if d.Kind != yaml.ScalarNode {
		p.errorf(n, "write a single value here", "%s must be text, not %s", what, describe(n))
		return "", false
	}
	if d.ShortTag() == "!!null" {
		return "", true
	}
	if len(d.Value) > p.lim.MaxStringLength {
		p.limit("MaxStringLength", p.at(n), fmt.Sprintf("%s is %d bytes long, over the limit of %d", what, len(d.Value), p.lim.MaxStringLength), "shorten it, or raise the limit")
		return "", false
	}
	// Text that holds a character changing how text is shown is reported
	// here, once; the value is kept, so that no "missing" error follows.
	p.checkText(n, d.Value, what)
	return d.Value, true
}

// id reads an id: lower-case letters, digits and hyphens.
// An invalid id is reported and returned as "".
func (p *parser) id(n *yaml.Node, what string) (string, bool) {
	s, ok := p.str(n, what)
	if !ok || !p.checkID(n, s, what) {
		return "", false
	}
	return s, true
}

func (p *parser) checkID(n *yaml.Node, s, what string) bool {
	switch {
	case s == "":
		p.errorf(n, "ids are lower-case letters, digits and hyphens, such as gstt or synnovis-lims", "%s is empty", what)
		return false
	case len(s) > p.lim.MaxIDLength:
		p.limit("MaxIDLength", p.at(n), fmt.Sprintf("%s is %d bytes long, over the limit of %d", what, len(s), p.lim.MaxIDLength), "use a shorter id, or raise the limit")
		return false
	case validID(s):
		return true
	}
	for i, r := range s {
		if r > unicode.MaxASCII {
			p.errorf(n, "ids use only a-z, 0-9 and -; a look-alike letter from another alphabet is easy to miss",
				"%s %q has the non-ASCII character %q (U+%04X) at byte %d", what, s, r, r, i+1)
			return false
		}
	}
	fixed := suggestID(s)
	hint := "ids are lower-case letters, digits and hyphens, starting with a letter or digit"
	if fixed != "" && fixed != s {
		hint += fmt.Sprintf(": try %q", fixed)
	}
	p.errorf(n, hint, "malformed %s %q", what, s)
	return false
}

// validID is idPattern, [a-z0-9][a-z0-9-]*, without the regexp machinery:
// it runs once for every id and reference of a model.
func validID(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func suggestID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-', r == '_', r == ' ', r == '.':
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if !idPattern.MatchString(out) {
		return ""
	}
	return out
}

// enum reads one of a fixed set of words.
func (p *parser) enum(n *yaml.Node, what string, allowed []string) (string, bool) {
	s, ok := p.str(n, what)
	if !ok {
		return "", false
	}
	if indexOf(allowed, s) >= 0 {
		return s, true
	}
	if l := strings.ToLower(strings.TrimSpace(s)); indexOf(allowed, l) >= 0 {
		p.errorf(n, fmt.Sprintf("write %q", l), "%s %q must be lower case", what, s)
		return "", false
	}
	p.errorf(n, didYouMean(s, allowed, "one of "+strings.Join(allowed, ", ")), "unknown %s %q", what, s)
	return "", false
}

// number reads an integer or decimal. A quoted number is read with a warning.
func (p *parser) number(n *yaml.Node, what string) (float64, bool) {
	d := deref(n)
	if d.Kind != yaml.ScalarNode || d.ShortTag() == "!!null" {
		p.errorf(n, "write a number", "%s must be a number, not %s", what, describe(n))
		return 0, false
	}
	v := strings.ReplaceAll(d.Value, "_", "")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		if i, ierr := strconv.ParseInt(v, 0, 64); ierr == nil {
			f, err = float64(i), nil
		}
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		p.errorf(n, "write a number without quotes or units", "%s must be a number, not %s", what, describe(n))
		return 0, false
	}
	if t := d.ShortTag(); t == "!!str" {
		p.warnf(n, "remove the quotes", "%s is a number written as text", what)
	}
	return f, true
}

// integer reads a whole number in [lo, hi].
func (p *parser) integer(n *yaml.Node, what string, lo, hi int64) (int64, bool) {
	f, ok := p.number(n, what)
	if !ok {
		return 0, false
	}
	if f != math.Trunc(f) {
		p.errorf(n, "write a whole number", "%s must be a whole number, not %v", what, f)
		return 0, false
	}
	if f < float64(lo) || f > float64(hi) {
		p.errorf(n, fmt.Sprintf("use a value from %d to %d", lo, hi), "%s %v is out of range", what, f)
		return 0, false
	}
	return int64(f), true
}

// boolean reads true or false. A quoted one is read with a warning.
func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	d := deref(n)
	if d.Kind == yaml.ScalarNode {
		switch {
		case d.ShortTag() == "!!bool":
			return strings.EqualFold(d.Value, "true"), true
		case d.Value == "true" || d.Value == "false":
			p.warnf(n, "remove the quotes", "%s is a boolean written as text", what)
			return d.Value == "true", true
		}
	}
	p.errorf(n, "write true or false", "%s must be true or false, not %s", what, describe(n))
	return false, false
}

// date reads YYYY-MM-DD.
func (p *parser) date(n *yaml.Node, what string) (string, bool) {
	s, ok := p.str(n, what)
	if !ok {
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		p.errorf(n, "write a date as YYYY-MM-DD, such as 2027-03-31", "%s %q is not a date", what, s)
		return "", false
	}
	return s, true
}

func (p *parser) required(e entry, key, what string) *yaml.Node {
	v := e.get(key)
	if v == nil {
		p.errorf(e.node, requiredHint[key], "%s has no %q", what, key)
	}
	return v
}

var requiredHint = map[string]string{
	"id":         "add an id: lower-case letters, digits and hyphens",
	"kind":       "add a kind",
	"from":       "add from: the id of the consumer",
	"to":         "add to: the id of the provider",
	"type":       "add type: one of " + strings.Join(relationWords(), ", "),
	"name":       "add a name",
	"compromise": "add compromise: a list of the ids the attacker controls",
	"rule":       "add rule: one of " + strings.Join(Rules, ", "),
	"reason":     "add a reason: why the finding is waived",
	"until":      "add until: the date the waiver ends, as YYYY-MM-DD",
}

// refs reads a list of ids.
func (p *parser) refs(n *yaml.Node, what string) []Ref {
	var out []Ref
	for _, item := range p.list(n, what) {
		if s, ok := p.id(item, what); ok {
			out = append(out, Ref{Value: s, Pos: p.at(item)})
		}
	}
	return out
}

// words reads a list of words from a fixed set; duplicates are warned of.
func (p *parser) words(n *yaml.Node, what string, allowed []string) []Ref {
	var out []Ref
	for _, item := range p.list(n, what) {
		s, ok := p.enum(item, what, allowed)
		if !ok {
			continue
		}
		if containsRef(out, s) {
			p.warnf(item, "remove the repeat", "%s %q is listed twice", what, s)
			continue
		}
		out = append(out, Ref{Value: s, Pos: p.at(item)})
	}
	return out
}

func containsRef(refs []Ref, s string) bool {
	for _, r := range refs {
		if r.Value == s {
			return true
		}
	}
	return false
}

// model walks the top mapping. An included file (top false) may omit
// "version"; the paths it includes are left in p.includes.
func (p *parser) model(root *yaml.Node, top bool) *Model {
	m := &Model{File: p.file}
	e, _ := p.objectExt(root, "the model", topKeys, true)
	if v := e.get("version"); v == nil {
		if top {
			p.add(SevError, Pos{Line: 1, Column: 1}, `missing "version"`, `add "version: 1" as the first line`)
		}
	} else if ver, ok := p.integer(v, "version", math.MinInt32, math.MaxInt32); ok {
		if ver != 1 {
			p.errorf(v, "this blastradius reads version 1", "unsupported version %d", ver)
		}
		m.Version = int(ver)
	}
	for _, alias := range e.misspelt {
		if i := indexOf(topKeys, alias.meant); i >= 0 && e.vals[i] == nil {
			e.vals[i] = alias.val
		}
	}
	m.Name, _ = p.str(orNull(e.get("name")), "name")
	m.Description, _ = p.str(orNull(e.get("description")), "description")
	for _, item := range p.list(e.get("include"), "include") {
		if s, ok := p.str(item, "include path"); ok {
			p.includes = append(p.includes, Ref{Value: s, Pos: p.at(item)})
		}
	}

	nOrgs, orgs := p.seq(e.get("organisations"), "organisations")
	nSvcs, svcs := p.seq(e.get("services"), "services")
	nDeps, deps := p.seq(e.get("dependencies"), "dependencies")
	if nOrgs+nSvcs > p.lim.MaxNodes {
		p.limit("MaxNodes", p.at(e.get("organisations")), fmt.Sprintf("%d organisations and services, over the limit of %d", nOrgs+nSvcs, p.lim.MaxNodes), "split the model, or raise the limit")
		return m
	}
	if nDeps > p.lim.MaxDependencies {
		p.limit("MaxDependencies", p.at(e.get("dependencies")), fmt.Sprintf("%d dependencies, over the limit of %d", nDeps, p.lim.MaxDependencies), "split the model, or raise the limit")
		return m
	}
	m.Organisations = decodeList(p, e.get("organisations"), nOrgs, orgs, (*parser).organisation)
	m.Services = decodeList(p, e.get("services"), nSvcs, svcs, (*parser).service)
	m.Dependencies = decodeList(p, e.get("dependencies"), nDeps, deps, (*parser).dependency)
	m.Scenarios = p.scenarios(e.get("scenarios"))
	if v := e.get("policies"); v != nil && !isNull(v) {
		m.Policies = p.policies(v)
	}
	return m
}

func orNull(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return n
}

func (p *parser) node(n *yaml.Node, class Class, keys, kinds []string) (*Node, entry, bool) {
	what := string(class)
	e, ok := p.object(n, what, keys)
	if !ok {
		return nil, e, false
	}
	out := &Node{Class: class, Pos: p.at(e.node), Fields: p.fields(e)}
	good := true
	if v := p.required(e, "id", what); v != nil {
		out.ID, ok = p.id(v, what+" id")
		good = good && ok
	} else {
		good = false
	}
	out.Name, _ = p.str(orNull(e.get("name")), "name")
	if out.Name == "" {
		out.Name = out.ID
	}
	if v := p.required(e, "kind", what); v != nil {
		out.Kind, ok = p.enum(v, "kind", kinds)
		good = good && ok
	} else {
		good = false
	}
	if v := e.get("entry"); v != nil {
		f, ok := p.number(v, "entry")
		if ok && (f < 0 || f > 1) {
			p.errorf(v, "entry is the chance that an attack starts here in a year, from 0 to 1, such as 0.05", "entry %v is out of range", f)
			ok = false
		}
		if ok {
			out.Entry = &f
		}
		good = good && ok
	}
	if v := e.get("controls"); v != nil {
		out.Controls = values(p.words(v, "control", Controls))
	}
	p.timeOfNode(e, out)
	p.str(orNull(e.get("note")), "note")
	if out.ID == "" {
		return nil, e, false
	}
	return out, e, good
}

func (p *parser) organisation(n *yaml.Node) *Node {
	o, e, ok := p.node(n, ClassOrganisation, orgKeys, OrganisationKinds)
	if o == nil {
		return nil
	}
	if v := e.get("ods"); v != nil {
		s, good := p.str(v, "ods code")
		if good && s != "" && !odsPattern.MatchString(s) {
			hint := "ODS codes are upper-case letters and digits, such as RJ1, QKK or G85001"
			if up := strings.ToUpper(strings.TrimSpace(s)); odsPattern.MatchString(up) {
				hint = fmt.Sprintf("write %q", up)
			}
			p.errorf(v, hint, "malformed ODS code %q", s)
			good = false
		}
		o.ODS = s
		ok = ok && good
	}
	if v := e.get("icb"); v != nil && !isNull(v) {
		p.icbs(v, o)
	}
	if v := e.get("patients"); v != nil {
		n, good := p.integer(v, "patients", 0, maxPatients)
		o.Patients = n
		ok = ok && good
	}
	p.peopleOfICBs(n, o, e.get("patients"))
	p.timeOfOrganisation(e, o)
	_ = ok // the model is invalid already; the node stays for the reference checks
	return o
}

func (p *parser) service(n *yaml.Node) *Node {
	s, e, ok := p.node(n, ClassService, serviceKeys, ServiceKinds)
	if s == nil {
		return nil
	}
	if v := e.get("operator"); v != nil && !isNull(v) {
		id, good := p.id(v, "operator")
		s.Operator = id
		_ = good && ok
	}
	p.strainOfService(e, s)
	return s
}

func (p *parser) dependency(n *yaml.Node) *Dependency {
	e, ok := p.object(n, "dependency", depKeys)
	if !ok {
		return nil
	}
	d := &Dependency{Critical: true, Likelihood: 1, Pos: p.at(e.node), Fields: p.fields(e)}
	good := true
	if v := p.required(e, "from", "dependency"); v != nil {
		d.From, ok = p.id(v, "dependency from")
		good = good && ok
	}
	if v := p.required(e, "to", "dependency"); v != nil {
		d.To, ok = p.id(v, "dependency to")
		good = good && ok
	}
	if v := p.required(e, "type", "dependency"); v != nil {
		var t string
		t, ok = p.enum(v, "dependency type", relationNames)
		d.Type = Relation(t)
		good = good && ok
	} else {
		good = false
	}
	if v := e.get("critical"); v != nil {
		d.Critical, ok = p.boolean(v, "critical")
		good = good && ok
	}
	if v := e.get("alternatives"); v != nil {
		for _, r := range p.refs(v, "alternative") {
			d.Alternatives = append(d.Alternatives, r.Value)
			d.AlternativePos = append(d.AlternativePos, r.Pos)
		}
	}
	if v := e.get("likelihood"); v != nil {
		f, ok := p.number(v, "likelihood")
		if ok && (f < 0 || f > 1) {
			p.errorf(v, "a likelihood is a chance from 0 to 1, such as 0.6", "likelihood %v is out of range", f)
			ok = false
		}
		d.Likelihood = f
		good = good && ok
	}
	p.timeOfDependency(e, d)
	p.strainOfDependency(e, d)
	d.Note, _ = p.str(orNull(e.get("note")), "note")
	_ = good // a bad field is reported; the valid ids still take part in the reference checks
	return d
}

func (p *parser) scenarios(n *yaml.Node) []*Scenario {
	var out []*Scenario
	for _, item := range p.list(n, "scenarios") {
		if s := p.scenario(item); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) scenario(n *yaml.Node) *Scenario {
	e, ok := p.object(n, "scenario", scenarioKeys)
	if !ok {
		return nil
	}
	s := &Scenario{Mode: Ransomware, Pos: p.at(e.node), Fields: p.fields(e)}
	if v := p.required(e, "name", "scenario"); v != nil {
		s.Name, _ = p.str(v, "scenario name")
		if strings.TrimSpace(s.Name) == "" {
			p.errorf(v, "give the scenario a name to run it by", "scenario name is empty")
		}
	}
	if v := p.required(e, "compromise", fmt.Sprintf("scenario %q", s.Name)); v != nil {
		s.Compromise = p.refs(v, "compromised id")
		if len(s.Compromise) == 0 && !isNull(v) && deref(v).Kind == yaml.SequenceNode {
			p.errorf(v, "name at least one organisation or service", "scenario %q compromises nothing", s.Name)
		} else if isNull(v) {
			p.errorf(v, "name at least one organisation or service", "scenario %q compromises nothing", s.Name)
		}
	}
	if v := e.get("mode"); v != nil {
		m, _ := p.enum(v, "mode", modeNames)
		s.Mode = Mode(m)
	}
	if v := e.get("start"); v != nil && !isNull(v) {
		s.Start, _ = p.date(v, "start")
	}
	if v := e.get("assume"); v != nil && !isNull(v) {
		if a, ok := p.object(v, "assume", assumeKeys); ok {
			s.Assume.Controls = p.addControls(a.get("controls"), "controls")
			for _, r := range p.list(a.get("remove"), "remove") {
				if rm, ok := p.removal(r); ok {
					s.Assume.Remove = append(s.Assume.Remove, rm)
				}
			}
			for _, n := range p.list(a.get("add"), "add") {
				if d := p.dependency(n); d != nil {
					s.Assume.Add = append(s.Assume.Add, d)
				}
			}
			for _, n := range p.list(a.get("alternatives"), "alternatives") {
				if alt, ok := p.addAlternatives(n); ok {
					s.Assume.Alternatives = append(s.Assume.Alternatives, alt)
				}
			}
			s.Assume.RemoveControls = p.addControls(a.get("remove_controls"), "remove_controls")
			for _, n := range p.list(a.get("aid"), "aid") {
				if l, ok := p.aidLink(n); ok {
					s.Assume.Aid = append(s.Assume.Aid, l)
				}
			}
			s.Assume.Stocks = p.stockChanges(a.get("stock"))
		}
	}
	if v := e.get("expect"); v != nil && !isNull(v) {
		if x, ok := p.object(v, "expect", expectKeys); ok {
			ex := &Expectations{Pos: p.at(x.node), Fields: p.fields(x)}
			ex.Reaches = p.refs(x.get("reaches"), "id")
			ex.Spares = p.refs(x.get("spares"), "id")
			if mv := x.get("max_organisations"); mv != nil {
				if k, ok := p.integer(mv, "max_organisations", 0, int64(maxOrgsExpects)); ok {
					ki := int(k)
					ex.MaxOrganisations = &ki
				}
			}
			ex.MaxOutageDays = p.maxOutageDays(x.get("max_outage_days"))
			ex.Strains = p.refs(x.get("strains"), "id")
			ex.StockAlertAfter = p.stockAlertAfter(x.get("stock_alert_after"))
			s.Expect = ex
		}
	}
	p.str(orNull(e.get("note")), "note")
	return s
}

// addControls reads assume's controls or remove_controls: id: [controls].
func (p *parser) addControls(n *yaml.Node, key string) []AddControls {
	if n == nil || isNull(n) {
		return nil
	}
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		p.errorf(n, "write id: [controls], such as {synnovis: [mfa]}", "assume %s must be a mapping, not %s", key, describe(n))
		return nil
	}
	var out []AddControls
	seen := map[string]int{}
	for i := 0; i+1 < len(d.Content); i += 2 {
		k := deref(d.Content[i])
		id, ok := p.id(k, "id in assume "+key)
		if !ok {
			continue
		}
		if line, dup := seen[id]; dup {
			p.errorf(k, fmt.Sprintf("first at line %d; remove one of them", line), "duplicate key %q in assume %s", id, key)
			continue
		}
		seen[id] = k.Line
		out = append(out, AddControls{ID: Ref{id, p.at(k)}, Controls: p.words(d.Content[i+1], "control", Controls)})
	}
	return out
}

// addAlternatives reads {from, to, add: [ids]}.
func (p *parser) addAlternatives(n *yaml.Node) (AddAlternatives, bool) {
	e, ok := p.object(n, "alternatives entry", alternateKeys)
	if !ok {
		return AddAlternatives{}, false
	}
	a := AddAlternatives{Pos: p.at(e.node)}
	good := true
	for _, key := range []string{"from", "to"} {
		v := p.required(e, key, "alternatives entry")
		if v == nil {
			good = false
			continue
		}
		id, ok := p.id(v, "alternatives "+key)
		good = good && ok
		if key == "from" {
			a.From = Ref{id, p.at(v)}
		} else {
			a.To = Ref{id, p.at(v)}
		}
	}
	if v := e.get("add"); v == nil {
		p.errorf(e.node, "add add: the ids of the providers that can stand in", "alternatives entry has no \"add\"")
		good = false
	} else {
		a.Add = p.refs(v, "alternative")
		if len(a.Add) == 0 && !isNull(v) && deref(v).Kind == yaml.SequenceNode {
			p.errorf(v, "name at least one provider that can stand in", "alternatives entry adds nothing")
			good = false
		}
	}
	return a, good
}

func (p *parser) removal(n *yaml.Node) (Removal, bool) {
	e, ok := p.object(n, "remove", removeKeys)
	if !ok {
		return Removal{}, false
	}
	r := Removal{Pos: p.at(e.node)}
	good := true
	if v := p.required(e, "from", "remove"); v != nil {
		r.From.Value, ok = p.id(v, "remove from")
		r.From.Pos = p.at(v)
		good = good && ok
	} else {
		good = false
	}
	if v := p.required(e, "to", "remove"); v != nil {
		r.To.Value, ok = p.id(v, "remove to")
		r.To.Pos = p.at(v)
		good = good && ok
	} else {
		good = false
	}
	if v := e.get("type"); v != nil {
		t, ok := p.enum(v, "dependency type", relationNames)
		r.Type = Relation(t)
		good = good && ok
	}
	return r, good
}

func (p *parser) policies(n *yaml.Node) *Policies {
	e, ok := p.object(n, "policies", policyKeys)
	if !ok {
		return nil
	}
	pol := &Policies{Pos: p.at(e.node), Fields: p.fields(e)}
	if v := e.get("max_organisations"); v != nil {
		if k, ok := p.integer(v, "max_organisations", 0, int64(maxOrgsExpects)); ok {
			ki := int(k)
			pol.MaxOrganisations = &ki
		}
	}
	if v := e.get("max_expected_organisations"); v != nil {
		f, ok := p.number(v, "max_expected_organisations")
		if ok && (f < 0 || f > float64(maxOrgsExpects)) {
			p.errorf(v, "write the most organisations a year that any one node's attacks may affect on average, such as 0.5", "max_expected_organisations %v is out of range", f)
			ok = false
		}
		if ok {
			pol.MaxExpectedOrganisations = &f
		}
	}
	if v := e.get("require_controls"); v != nil && !isNull(v) {
		d := deref(v)
		if d.Kind != yaml.MappingNode {
			p.errorf(v, "write kind: [controls], such as {supplier: [mfa]}", "require_controls must be a mapping, not %s", describe(v))
		} else {
			kinds := append(append([]string{}, OrganisationKinds...), ServiceKinds...)
			for i := 0; i+1 < len(d.Content); i += 2 {
				k := deref(d.Content[i])
				kind, ok := p.enum(k, "kind", kinds)
				if !ok {
					continue
				}
				pol.RequireControls = append(pol.RequireControls, KindControls{Kind: Ref{kind, p.at(k)}, Controls: p.words(d.Content[i+1], "control", Controls)})
			}
		}
	}
	if v := e.get("critical_needs_alternative"); v != nil {
		pol.CriticalNeedsAlternative = p.words(v, "service kind", ServiceKinds)
	}
	if v := e.get("recovery_within_tolerance"); v != nil {
		pol.RecoveryWithinTolerance, _ = p.boolean(v, "recovery_within_tolerance")
	}
	if v := e.get("max_strained"); v != nil {
		if k, ok := p.integer(v, "max_strained", 0, int64(maxOrgsExpects)); ok {
			ki := int(k)
			pol.MaxStrained = &ki
		}
	}
	for _, x := range p.list(e.get("exceptions"), "exceptions") {
		if ex := p.exception(x); ex != nil {
			pol.Exceptions = append(pol.Exceptions, ex)
		}
	}
	return pol
}

func (p *parser) exception(n *yaml.Node) *Exception {
	e, ok := p.object(n, "exception", exceptionKeys)
	if !ok {
		return nil
	}
	x := &Exception{Pos: p.at(e.node), Fields: p.fields(e)}
	good := true
	if v := p.required(e, "rule", "exception"); v != nil {
		x.Rule, ok = p.enum(v, "rule", Rules)
		good = good && ok
	} else {
		good = false
	}
	if v := e.get("id"); v != nil {
		x.ID, ok = p.id(v, "exception id")
		good = good && ok
	}
	if v := p.required(e, "reason", "exception"); v != nil {
		x.Reason, _ = p.str(v, "reason")
		if strings.TrimSpace(x.Reason) == "" {
			p.errorf(v, "say why the finding is waived", "exception reason is empty")
			good = false
		}
	} else {
		good = false
	}
	if v := p.required(e, "until", "exception"); v != nil {
		x.Until, ok = p.date(v, "until")
		good = good && ok
	} else {
		good = false
	}
	if !good {
		return nil
	}
	return x
}
