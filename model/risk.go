package model

import "slices"

// ControlEffect is what one control does in the analyses, declared once:
// the relation declaration says which effects it stops crossing into a
// node; this says how much it cuts the chance that an attack starts at the
// node, and which NCSC Cyber Assessment Framework principle and which Data
// Security and Protection Toolkit standard or supplier charter item it
// stands for. The engine, the docs' table and the schema read it.
type ControlEffect struct {
	Control string
	// Entry multiplies the node's default entry likelihood: 1 for none.
	// An assumption, not a measured fact (see docs/model.md).
	Entry float64
	// Recovery multiplies the days a compromised node's recovery takes
	// in the timeline: 1 for none. An assumption, as Entry is.
	Recovery float64
	CAF      string // the CAF principle
	DSPT     string // the DSPT standard and the supplier charter item
}

// ControlEffects holds one entry for every control of Controls, in that
// order.
var ControlEffects = []ControlEffect{
	{"mfa", 0.5, 1, "B2 identity and access control", "DSPT standard 4, managing data access (MFA on remote and privileged access, NHS England's MFA policy); supplier charter: MFA"},
	{"segmentation", 1, 1, "B5 resilient networks and systems", "DSPT standard 9, IT protection (network segregation)"},
	{"offline-backups", 1, 0.7, "D1 response and recovery planning", "DSPT standard 7, continuity planning (backups held offline)"},
	{"immutable-backups", 1, 0.5, "D1 response and recovery planning", "DSPT standard 7, continuity planning; supplier charter: immutable backups"},
	{"patching", 0.7, 1, "B4 system security", "DSPT standard 8, unsupported systems (patches applied in time); supplier charter: patching"},
	{"supported-systems", 0.7, 1, "B4 system security", "DSPT standard 8, unsupported systems; supplier charter: supported systems"},
	{"monitoring", 0.85, 1, "C1 security monitoring", "DSPT standard 6, responding to incidents; supplier charter: 24/7 monitoring"},
	{"edr", 0.7, 1, "C1 security monitoring", "DSPT standard 9, IT protection (anti-malware and endpoint detection)"},
	{"encryption", 1, 1, "B3 data security", "DSPT standard 1, personal confidential data"},
}

// RecoveryFactor is what a node's controls do to its recovery time: the
// smallest factor among them (two kinds of backup do not compound: the
// restore takes as long as the better one allows), 1 without any.
func RecoveryFactor(n *Node) float64 {
	f := 1.0
	for _, c := range n.Controls {
		if e, ok := ControlEffectOf(c); ok {
			f = min(f, e.Recovery)
		}
	}
	return f
}

// ControlEffectOf returns the declaration of a control.
func ControlEffectOf(control string) (ControlEffect, bool) {
	for _, c := range ControlEffects {
		if c.Control == control {
			return c, true
		}
	}
	return ControlEffect{}, false
}

// EntryBase is, by role, the chance that an attack starts at a node of that
// role in a year when the file gives no entry: an assumption (see
// docs/model.md), in the order of the roles' first kinds.
var EntryBase = []struct {
	Role Role
	Base float64
}{
	{RoleClinical, 0.04},
	{RoleCommissioner, 0.02},
	{RoleSupplier, 0.08},
	{RoleCouncil, 0.04},
	{RoleOtherOrg, 0.02},
	{RoleApplication, 0.02},
	{RoleNetwork, 0.01},
	{RoleEntry, 0.05},
	{RolePlatform, 0.02},
	{RoleOtherSvc, 0.02},
}

// InternetFacing lists the kinds of service that face the internet (the
// ways in), whose default entry is raised by InternetFacingFactor.
var InternetFacing = []string{"remote-access", "identity", "gateway"}

const (
	// InternetFacingFactor raises the default entry of an internet-facing
	// service.
	InternetFacingFactor = 2.0
	// AccessFactor raises the default entry of a node that is a way into
	// others (the provider of a relation that OpensWayIn, as access): a
	// way into many is worth an attacker's effort.
	AccessFactor = 1.5
)

// DefaultEntry is the entry likelihood of a node whose file gives none:
// the base of its kind's role, raised if it faces the internet or is a way
// into others (wayIn), and cut by each of its controls; at most 1.
func DefaultEntry(n *Node, wayIn bool) float64 {
	p := 0.02
	if k, ok := KindOf(n.Class, n.Kind); ok {
		for _, b := range EntryBase {
			if b.Role == k.Role {
				p = b.Base
			}
		}
	}
	if n.Class == ClassService && slices.Contains(InternetFacing, n.Kind) {
		p *= InternetFacingFactor
	}
	if wayIn {
		p *= AccessFactor
	}
	for _, c := range n.Controls {
		if e, ok := ControlEffectOf(c); ok {
			p *= e.Entry
		}
	}
	return min(p, 1)
}

// EntryOf is the node's entry likelihood: the file's, or the default.
func EntryOf(n *Node, wayIn bool) float64 {
	if n.Entry != nil {
		return *n.Entry
	}
	return DefaultEntry(n, wayIn)
}
