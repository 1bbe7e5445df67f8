package ods

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

// Input is what the ODS files hold.
type Input struct {
	Practices []Org            // epraccur
	Trusts    []Org            // etr
	ICBs      []Org            // integrated care boards: code and name
	SubICBs   []Org            // eccg: sub-ICB locations and their ICB
	ListSizes map[string]int64 // patients registered, by practice code
}

// Skipped counts the rows that did not become organisations, by reason.
type Skipped struct {
	Closed, Dormant, Proposed int
	NotGP                     int // prescribing cost centres other than GP practices
	NoICB                     int // no ICB in the row, nor through its commissioner
}

// File is one model file: the organisations of one ICB.
type File struct {
	ICB  string // the ICB's ODS code
	Name string // the file's name: the ICB's id and ".yaml"
	Data []byte
	Orgs []string // the ids of the organisations imported, in file order
}

// member is an organisation to write.
type member struct {
	id, name, kind, ods, icb string
	patients                 int64
	hasPatients              bool
}

// ID returns the model id of an ODS code: the code in lower case.
func ID(code string) string { return strings.ToLower(code) }

// Build turns the ODS rows into one model file per ICB, in order of ICB
// code. Closed and dormant organisations, and rows that are not GP
// practices, are skipped and counted.
func Build(in Input) ([]File, Skipped, error) {
	groups, names, skipped := group(in)
	var files []File
	for _, icb := range sortedKeys(groups) {
		f, err := render(icb, names[icb], groups[icb])
		if err != nil {
			return nil, skipped, err
		}
		files = append(files, f)
	}
	return files, skipped, nil
}

// Closed returns the codes of the organisations the input says are closed,
// dormant or proposed, so that an update can tell them from hand-written ones.
func (in Input) Closed() map[string]bool {
	out := map[string]bool{}
	for _, list := range [][]Org{in.Practices, in.Trusts} {
		for _, o := range list {
			if !o.Open() || o.Status == Proposed {
				out[o.Code] = true
			}
		}
	}
	return out
}

func group(in Input) (map[string][]member, map[string]string, Skipped) {
	var sk Skipped
	names := map[string]string{}
	for _, o := range in.ICBs {
		names[o.Code] = cleanName(o.Name)
	}
	subICB := map[string]string{}
	for _, o := range in.SubICBs {
		if o.ICB != "" {
			subICB[o.Code] = o.ICB
		}
	}
	groups := map[string][]member{}
	seen := map[string]bool{}
	add := func(o Org, kind string) {
		icb := o.ICB
		if icb == "" {
			icb = subICB[o.Commissioner]
		}
		if icb == "" {
			sk.NoICB++
			return
		}
		if seen[o.Code] {
			return
		}
		seen[o.Code] = true
		m := member{id: ID(o.Code), name: Title(cleanName(o.Name)), kind: kind, ods: o.Code, icb: ID(icb)}
		if n, ok := in.ListSizes[o.Code]; ok {
			m.patients, m.hasPatients = n, true
		}
		groups[icb] = append(groups[icb], m)
	}
	skip := func(o Org) bool {
		switch {
		case o.Status == Closed || o.Status != Dormant && !o.Open():
			sk.Closed++
		case o.Status == Dormant:
			sk.Dormant++
		case o.Status == Proposed:
			sk.Proposed++
		default:
			return false
		}
		return true
	}
	for _, o := range in.Trusts {
		if !skip(o) {
			add(o, TrustKind(o.Name))
		}
	}
	for _, o := range in.Practices {
		switch {
		case skip(o):
		case o.Setting != settingGP:
			sk.NotGP++
		default:
			add(o, "gp-practice")
		}
	}
	for icb := range groups {
		slices.SortFunc(groups[icb], func(a, b member) int { return rankKind(a.kind) - rankKind(b.kind) })
	}
	return groups, names, sk
}

// cleanName is a name as the readers clean it (clean), for an Org built
// in code: no imported text may carry a newline, which would end a YAML
// scalar or comment and start structure of its own.
func cleanName(s string) string {
	n, _ := clean(s)
	return n
}

// rankKind orders an ICB's file: trusts first, GP practices last, each in
// the order of the file they came from.
func rankKind(kind string) int {
	if kind == "gp-practice" {
		return 1
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TrustKind guesses the kind of an NHS trust from its name: ambulance,
// mental-health or community where the name says so, else trust. The guess
// is a starting point; correct it in the model where it is wrong.
func TrustKind(name string) string {
	n := strings.ToUpper(name)
	switch {
	case strings.Contains(n, "AMBULANCE"):
		return "ambulance"
	case strings.Contains(n, "MENTAL HEALTH"), strings.Contains(n, "PARTNERSHIP"):
		return "mental-health"
	case strings.Contains(n, "COMMUNITY"):
		return "community"
	}
	return "trust"
}

var keepUpper = map[string]bool{"NHS": true, "ICB": true, "GP": true, "UK": true, "CIC": true, "LLP": true, "PMS": true, "APMS": true, "PCN": true, "CCG": true}
var keepLower = map[string]bool{"and": true, "of": true, "the": true, "for": true, "in": true, "on": true, "at": true, "upon": true}

// Title turns ODS capitals into a name a person would write:
// "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" becomes
// "Guy's and St Thomas' NHS Foundation Trust".
func Title(s string) string {
	if strings.ToUpper(s) != s {
		return s // written in mixed case already
	}
	words := strings.Fields(s)
	for i, w := range words {
		switch lw := strings.ToLower(w); {
		case keepUpper[w]:
		case i > 0 && keepLower[lw]:
			words[i] = lw
		default:
			words[i] = titleWord(lw)
		}
	}
	return strings.Join(words, " ")
}

// titleWord capitalises each part of a word after a hyphen, an opening
// bracket or a full stop.
func titleWord(w string) string {
	b := []byte(w)
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '-' || c == '(' || c == '.' || c == '/' || c == '&'
	}
	return string(b)
}

// SchemaURL is the schema every written file names in its modeline.
var SchemaURL = model.SchemaBase + model.SchemaFile("model")

func render(icb, icbName string, members []member) (File, error) {
	name := Title(icbName)
	if name == "" {
		name = "ICB " + icb
	}
	f := File{ICB: icb, Name: ID(icb) + ".yaml"}
	var b strings.Builder
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", SchemaURL)
	fmt.Fprintf(&b, "# %s (%s).\n", textsafe.Line(name), textsafe.Line(icb)) // a comment ends at a newline
	b.WriteString("#\n")
	b.WriteString("# Organisations imported from the NHS Organisation Data Service by\n")
	b.WriteString("# \"blastradius import ods\". Add services and dependencies by hand;\n")
	b.WriteString("# \"blastradius import ods --update DIR\" refreshes the organisations and\n")
	b.WriteString("# keeps what you wrote. Trust kinds are guessed from names: check them.\n")
	b.WriteString("version: 1\n")
	fmt.Fprintf(&b, "name: %s\n", scalar(name))
	b.WriteString("\norganisations:\n")
	// An ICB's population is its registered list: the lists of its
	// practices added up, where the import has them.
	var population int64
	lists := false
	for _, m := range members {
		if m.kind == "gp-practice" && m.hasPatients {
			population += m.patients
			lists = true
		}
	}
	if lists {
		b.WriteString("  # patients: the registered lists of its practices added up\n")
		fmt.Fprintf(&b, "  - {id: %s, name: %s, kind: icb, ods: %s, patients: %d}\n", ID(icb), scalar(name), icb, population)
	} else {
		fmt.Fprintf(&b, "  - {id: %s, name: %s, kind: icb, ods: %s}\n", ID(icb), scalar(name), icb)
	}
	f.Orgs = append(f.Orgs, ID(icb))
	for _, m := range members {
		if m.id == ID(icb) {
			continue
		}
		b.WriteString("  - " + m.flow() + "\n")
		f.Orgs = append(f.Orgs, m.id)
	}
	b.WriteString("\nservices: []\n\ndependencies: []\n")
	out, err := model.Format(f.Name, []byte(b.String()))
	if err != nil {
		return f, err
	}
	f.Data = out
	return f, nil
}

func (m member) flow() string {
	s := fmt.Sprintf("{id: %s, name: %s, kind: %s, ods: %s, icb: %s", m.id, scalar(m.name), m.kind, m.ods, m.icb)
	if m.hasPatients {
		s += ", patients: " + strconv.FormatInt(m.patients, 10)
	}
	return s + "}"
}

// scalar writes s as a YAML scalar that reads back as s inside a flow
// mapping.
func scalar(s string) string {
	if i, _ := textsafe.Find(s, false); s == "" || i >= 0 || strings.ContainsAny(s, ",[]{}:#&*!|>'\"%@`") || s != strings.TrimSpace(s) || looksLikeOther(s) {
		var b bytes.Buffer
		b.WriteByte('"')
		for _, r := range s {
			switch r {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteRune(r)
			default:
				if r < 0x20 || r == 0x7f {
					fmt.Fprintf(&b, "\\x%02x", r)
				} else if textsafe.Unsafe(r) {
					fmt.Fprintf(&b, "\\u%04x", r)
				} else {
					b.WriteRune(r)
				}
			}
		}
		b.WriteByte('"')
		return b.String()
	}
	return s
}

// looksLikeOther reports whether a plain scalar would read as something other
// than text: a number, a boolean or null.
func looksLikeOther(s string) bool {
	var v any
	if err := yaml.Unmarshal([]byte("x: "+s), &v); err != nil {
		return true
	}
	m, ok := v.(map[string]any)
	if !ok {
		return true
	}
	str, ok := m["x"].(string)
	return !ok || str != s
}
