// Package model reads and validates blastradius model files: the organisations,
// shared services and dependencies of a health system, and the scenarios and
// policies that are checked against them.
//
// A model is YAML with "version: 1". Parse walks yaml.v3 nodes rather than
// decoding into structs, so that every problem is reported with its
// file:line:column, all of them at once and in file order.
//
// "A depends on B" is written as a dependency from A to B: A is the consumer,
// B the provider.
package model

import "slices"

// Class tells organisations from services.
type Class string

const (
	ClassOrganisation Class = "organisation"
	ClassService      Class = "service"
)

// Controls that the analysis or the policies know. Those that some
// relation's declaration names in Stops (mfa and segmentation) change how
// effects spread; the others are recorded for policies.
var Controls = []string{"mfa", "segmentation", "offline-backups", "immutable-backups", "patching", "supported-systems", "monitoring", "edr", "encryption"}

const (
	MFA          = "mfa"
	Segmentation = "segmentation"
)

// Mode is what a compromise does to the nodes the attacker controls.
type Mode string

const (
	// Ransomware: compromised nodes go down, and outages spread to consumers.
	Ransomware Mode = "ransomware"
	// Exfiltration: compromised nodes stay up; data leaves.
	Exfiltration Mode = "exfiltration"
)

// Modes lists the modes in their documented order.
var Modes = []Mode{Ransomware, Exfiltration}

// Model is one parsed, valid model: a file and the files it includes.
type Model struct {
	File          string   // the root file: the one named to Load or Parse
	Files         []string // every file read, the root first, in the order merged
	Version       int
	Name          string
	Description   string
	Organisations []*Node
	Services      []*Node
	Dependencies  []*Dependency
	Scenarios     []*Scenario
	Policies      *Policies // nil if the file has none
	// Warnings are problems that do not stop the model from being used.
	Warnings ErrorList
}

// Node is an organisation or a service.
type Node struct {
	ID    string
	Name  string // the id if the file gives none
	Class Class
	Kind  string
	ODS   string // organisations only
	ICB   string // organisations only: the id of the (first) ICB it serves
	// ICBs are all the ICBs it serves, in file order, when the file names
	// them (ServedICBs reads ICB for a node built in code).
	ICBs     []ICBShare
	Patients int64  // organisations only
	Operator string // services only: the id of the organisation that runs it
	// Entry is the chance that an attack starts at the node in a year, if
	// the file gives it; EntryLikelihood gives the default otherwise.
	Entry    *float64
	Controls []string
	// Recovery and Restore say how a compromised node comes back (at most
	// one of them is set); nil and empty when the file says nothing.
	Recovery *Recovery
	Restore  []RestorePoint
	// Activity is the organisation's normal work per day, unit by unit,
	// in file order.
	Activity []Activity
	// Tolerance is how many days the organisation can run below half
	// capacity (its maximum tolerable period of disruption), if given.
	Tolerance *float64
	// Stock, for a service of kind stock, is what it holds and when its
	// consumers are strained; nil otherwise.
	Stock  *Stock
	Pos    Pos    // where the entry starts, in the file it is written in
	Fields Fields // where each key's value is
}

// Has reports whether the node has the control.
func (n *Node) Has(control string) bool { return slices.Contains(n.Controls, control) }

// At returns the position of a key's value, or of the entry if the key is absent.
func (n *Node) At(key string) Pos { return at(n.Fields, key, n.Pos) }

// Dependency says that From depends on To.
type Dependency struct {
	From         string
	To           string
	Type         Relation
	Critical     bool // default true
	Alternatives []string
	// AlternativePos is where each alternative is written, if known.
	AlternativePos []Pos
	Likelihood     float64 // default 1
	// Share is the fraction (0..1] of the consumer's activity that needs
	// the provider; nil when the file gives none (ShareOrDefault).
	Share *float64
	// Buffer is how many days the consumer carries on before it feels the
	// provider's loss (stock, a paper fallback); default 0.
	Buffer int
	// Aid makes the provider a helper of the consumer (a mutual-aid link)
	// instead of a provider it needs; nil for an ordinary dependency.
	Aid *Aid
	// Surge, on a dependency on a stock, raises the consumer's draw on it
	// while another node is short; nil otherwise.
	Surge  *Surge
	Note   string
	Pos    Pos
	Fields Fields
}

// AltAt returns where the i-th alternative is written.
func (d *Dependency) AltAt(i int) Pos {
	if i < len(d.AlternativePos) {
		return d.AlternativePos[i]
	}
	return d.At("alternatives")
}

// At returns the position of a key's value, or of the entry if the key is absent.
func (d *Dependency) At(key string) Pos { return at(d.Fields, key, d.Pos) }

// Ref is an id, or other word, written at a position.
type Ref struct {
	Value string
	Pos   Pos
}

// Scenario is a named compromise, with what-if assumptions and expectations.
type Scenario struct {
	Name       string
	Compromise []Ref
	Mode       Mode
	// Start is the date of day 0 (YYYY-MM-DD), or empty: timelines then
	// count days from the attack.
	Start  string
	Assume Assumptions
	Expect *Expectations // nil if the scenario expects nothing
	Pos    Pos
	Fields Fields
}

// At returns the position of a key's value, or of the entry if the key is absent.
func (s *Scenario) At(key string) Pos { return at(s.Fields, key, s.Pos) }

// Seeds returns the ids the scenario compromises.
func (s *Scenario) Seeds() []string { return values(s.Compromise) }

// Assumptions are changes made to the model before a scenario is analysed,
// as its assume: block writes them, with their positions. Changes lists
// them one model.Change at a time, which Model.Apply makes: removals
// first, then additions.
type Assumptions struct {
	Controls       []AddControls     // controls added to nodes
	Remove         []Removal         // dependencies removed
	Add            []*Dependency     // dependencies added
	Alternatives   []AddAlternatives // alternatives added to service dependencies
	RemoveControls []AddControls     // controls taken away from nodes
	Aid            []AidLink         // mutual-aid links added
	Stocks         []StockChange     // stocks given other days or alert
}

// AidLink makes To a helper of From: the service dependency of From on To
// gains Aid, or, if the model has none, one is added that carries only
// the aid.
type AidLink struct {
	From, To Ref
	Aid      *Aid
	Pos      Pos
}

// StockChange gives the stock ID other days held, alert level, or both;
// nil keeps the model's.
type StockChange struct {
	ID          Ref
	Days, Alert *float64
	Pos         Pos
}

// AddControls names controls of one node: added under Controls, taken away
// under RemoveControls.
type AddControls struct {
	ID       Ref
	Controls []Ref
}

// AddAlternatives adds alternatives to the service dependency of From on To.
type AddAlternatives struct {
	From, To Ref
	Add      []Ref
	Pos      Pos
}

// Removal removes every dependency from From to To, or only those of Type.
type Removal struct {
	From, To Ref
	Type     Relation // empty: every relation between the pair
	Pos      Pos
}

// Expectations are assertions about a scenario's result.
type Expectations struct {
	Reaches          []Ref
	Spares           []Ref
	MaxOrganisations *int
	// MaxOutageDays caps the days each named node spends below half capacity.
	MaxOutageDays []OutageLimit
	// Strains are nodes the scenario's timeline must strain on some day.
	Strains []Ref
	// StockAlertAfter are, by stock, the fewest days from the attack
	// before its level may cross its alert.
	StockAlertAfter []OutageLimit
	Pos             Pos
	Fields          Fields
}

// At returns the position of a key's value, or of the entry if the key is absent.
func (e *Expectations) At(key string) Pos { return at(e.Fields, key, e.Pos) }

// Policies are rules every model version must keep.
type Policies struct {
	MaxOrganisations *int
	// MaxExpectedOrganisations caps every node's expected organisations
	// affected a year (its entry likelihood times its expected radius).
	MaxExpectedOrganisations *float64
	RequireControls          []KindControls
	CriticalNeedsAlternative []Ref // service kinds
	// RecoveryWithinTolerance asks that every critical provider's likely
	// recovery plus the dependency's buffer fits in the consumer's tolerance.
	RecoveryWithinTolerance bool
	// MaxStrained caps the organisations each scenario's timeline strains
	// on some day.
	MaxStrained *int
	Exceptions  []*Exception
	Pos         Pos
	Fields      Fields
}

// At returns the position of a key's value, or of the entry if the key is absent.
func (p *Policies) At(key string) Pos { return at(p.Fields, key, p.Pos) }

// KindControls requires controls of every node of a kind.
type KindControls struct {
	Kind     Ref
	Controls []Ref
}

// Exception waives one rule for one node until a date.
type Exception struct {
	Rule   string
	ID     string
	Reason string
	Until  string // YYYY-MM-DD; the waiver holds to the end of that day
	Pos    Pos
	Fields Fields
}

// At returns the position of a key's value, or of the entry if the key is absent.
func (e *Exception) At(key string) Pos { return at(e.Fields, key, e.Pos) }

// The rules that findings of "check" carry and exceptions name, each named
// once here: package graph applies them (the timeline's through
// graph.CheckFunc) and describes them.
const (
	RuleMaxOrganisations         = "max_organisations"
	RuleMaxExpectedOrganisations = "max_expected_organisations"
	RuleRequireControls          = "require_controls"
	RuleCriticalNeedsAlternative = "critical_needs_alternative"
	RuleExpectReaches            = "expect_reaches"
	RuleExpectSpares             = "expect_spares"
	RuleExpectMaxOrganisations   = "expect_max_organisations"
	RuleExpectMaxOutageDays      = "expect_max_outage_days"    // applied by package timeline
	RuleRecoveryWithinTolerance  = "recovery_within_tolerance" // applied by package timeline
	RuleMaxStrained              = "max_strained"              // applied by package timeline
	RuleExpectStrains            = "expect_strains"            // applied by package timeline
	RuleExpectStockAlertAfter    = "expect_stock_alert_after"  // applied by package timeline
)

// Rules lists the rules that exceptions may name.
var Rules = []string{RuleMaxOrganisations, RuleMaxExpectedOrganisations, RuleRequireControls, RuleCriticalNeedsAlternative, RuleExpectReaches, RuleExpectSpares, RuleExpectMaxOrganisations, RuleExpectMaxOutageDays, RuleRecoveryWithinTolerance, RuleMaxStrained, RuleExpectStrains, RuleExpectStockAlertAfter}

// Nodes returns the organisations, then the services, in file order.
func (m *Model) Nodes() []*Node {
	out := make([]*Node, 0, len(m.Organisations)+len(m.Services))
	out = append(out, m.Organisations...)
	return append(out, m.Services...)
}

// Node returns the organisation or service with the id, or nil.
func (m *Model) Node(id string) *Node {
	for _, n := range m.Organisations {
		if n.ID == id {
			return n
		}
	}
	for _, n := range m.Services {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// Scenario returns the scenario with the name, or nil.
func (m *Model) Scenario(name string) *Scenario {
	for _, s := range m.Scenarios {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Fields records where the value of each key of an entry is written.
type Fields []Field

// Field is one key's position.
type Field struct {
	Key string
	Pos Pos
}

func at(fields Fields, key string, def Pos) Pos {
	for _, f := range fields {
		if f.Key == key {
			return f.Pos
		}
	}
	return def
}

func values(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Value
	}
	return out
}
