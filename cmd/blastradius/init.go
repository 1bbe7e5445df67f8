package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func initCmd() *command {
	return &command{
		name:    "init",
		summary: "write a commented starter model for one ICB",
		usage: `Usage: blastradius init --icb NAME [--from DIR] [-o FILE] [--force]

Writes a starter model for one integrated care board: commented, with the
schema modeline for editors, one example of each relation (service, data,
access, network, hosting), two scenarios with expectations, and the core
standards as policies (MFA at every supplier, an alternative for critical
pathology, a cap on what one compromise may reach). It validates without a
warning and "check" passes on it as written; replace the illustrative
entries with your own.

With --from DIR, the organisations come from the file that
"blastradius import ods" wrote for that ICB (found by its name or ODS code),
and the examples use its first trusts and GP practice.

Flags:
  --icb NAME   the ICB's name, or with --from its ODS code (QKK)
  --from DIR   a directory written by "blastradius import ods"
  -o FILE      write to FILE, atomically (default standard output)
  --force      overwrite FILE if it exists

Examples:
  blastradius init --icb "Example ICB" -o icb.yaml
  blastradius validate icb.yaml && blastradius check icb.yaml
  blastradius init --icb QKK --from icbs/ -o south-east-london.yaml
`,
		run: runInit,
	}
}

func runInit(e *env, args []string) int {
	f := newFlags(initCmd(), false, true)
	icb := f.String("icb", "", "")
	from := f.String("from", "", "")
	force := f.Bool("force", false, "")
	pos, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return f.usageError(e, "unexpected argument %q (write the model with -o FILE)", pos[0])
	}
	if strings.TrimSpace(*icb) == "" {
		return f.usageError(e, "give the ICB's name: --icb \"NHS Example Integrated Care Board\"")
	}
	if f.out != "" && f.out != "-" && !*force {
		if _, err := os.Stat(f.out); err == nil {
			fmt.Fprintf(e.stderr, "blastradius: %s exists (use --force to overwrite it)\n", f.out)
			return exitError
		}
	}
	st := starterFor(*icb)
	if *from != "" {
		m, path, err := findImport(*from, *icb)
		if err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
			return exitError
		}
		// The starter includes the import, and an include stays inside the
		// directory of the file that names it.
		dir := "."
		if f.out != "" && f.out != "-" {
			dir = filepath.Dir(f.out)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			fmt.Fprintf(e.stderr, "blastradius: the starter includes %s, which must be inside the directory it is written to, %s (write it with -o in a directory that holds %s, such as -o %s)\n",
				path, dir, *from, filepath.Join(filepath.Dir(filepath.Clean(*from)), "model.yaml"))
			return exitError
		}
		st.useImport(m, filepath.ToSlash(rel))
		st.dir = dir
	}
	out, err := st.render()
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	return emit(e, f.out, out, exitOK)
}

// starter is what the template of a starter model needs.
type starter struct {
	ICB, ICBName, ICBODS string
	ICBPatients          int64  // the ICB's registered population, 0 if unknown
	Acute, Mental, GP    string // ids the examples use
	Illustrative         bool   // write the illustrative organisations
	IllustrativeMental   bool
	IllustrativeGP       bool
	From                 string    // the imported file it includes, if any
	dir                  string    // with From: the directory it is written to
	Expect               [2]string // the scenarios' expect blocks
}

func starterFor(name string) *starter {
	id := slug(name)
	if id == "" {
		id = "icb"
	}
	return &starter{ICB: id, ICBName: name, Acute: "acute-trust", Mental: "mental-health-trust", GP: "gp-practices", ICBPatients: 1_000_000,
		Illustrative: true, IllustrativeMental: true, IllustrativeGP: true}
}

// slug makes an id of a name: "NHS Example ICB" becomes "nhs-example-icb".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}

// findImport finds the model file of an ICB in a directory written by
// "import ods", by the model's name or the ICB's ODS code or id.
func findImport(dir, icb string) (*model.Model, string, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		return nil, "", fmt.Errorf("%s: no model files (write them with \"blastradius import ods -o %s\")", dir, dir)
	}
	var names []string
	for _, path := range files {
		m, err := model.Load(path)
		if err != nil {
			var list model.ErrorList
			if errors.As(err, &list) {
				return nil, "", list[0]
			}
			return nil, "", fmt.Errorf("%s: %v", path, err)
		}
		names = append(names, m.Name)
		if strings.EqualFold(m.Name, icb) {
			return m, path, nil
		}
		for _, n := range m.Organisations {
			if n.Kind == "icb" && (strings.EqualFold(n.ODS, icb) || n.ID == icb) {
				return m, path, nil
			}
		}
	}
	hint := ""
	if s := model.Suggest(icb, names); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, "", fmt.Errorf("%s: no model for the ICB %q%s", dir, icb, hint)
}

// useImport includes the file of an imported ICB, at path from the
// starter's directory, and uses its first trust, mental health trust and
// GP practice in the examples.
func (st *starter) useImport(m *model.Model, path string) {
	st.From = path
	for _, n := range m.Organisations {
		if n.Kind == "icb" && st.ICBODS == "" {
			st.ICB, st.ICBName, st.ICBODS, st.ICBPatients = n.ID, n.Name, n.ODS, n.Patients
		}
	}
	for _, n := range m.Organisations {
		switch {
		case n.Kind == "trust" && st.Illustrative:
			st.Acute, st.Illustrative = n.ID, false
		case n.Kind == "mental-health" && st.IllustrativeMental:
			st.Mental, st.IllustrativeMental = n.ID, false
		case n.Kind == "gp-practice" && st.IllustrativeGP:
			st.GP, st.IllustrativeGP = n.ID, false
		}
	}
}

// render fills the template, then works out each scenario's expectations by
// running it, so that "check" passes on the model as written.
func (st *starter) render() ([]byte, error) {
	st.Expect = [2]string{"max_organisations: 1000000", "max_organisations: 1000000"}
	draft, err := st.fill()
	if err != nil {
		return nil, err
	}
	m, err := st.load(draft)
	if err != nil {
		return nil, fmt.Errorf("the starter model does not load: %v", err)
	}
	for i, s := range m.Scenarios {
		g, err := graph.Build(m.Apply(s.Assume.Changes()))
		if err != nil {
			return nil, err
		}
		imp, err := g.Reach(s.Seeds(), s.Mode)
		if err != nil {
			return nil, err
		}
		st.Expect[i] = expectBlock(m, s, imp)
	}
	out, err := st.fill()
	if err != nil {
		return nil, err
	}
	return model.Format("starter.yaml", out)
}

// load reads the draft as the model it will be: with the import it
// includes, read from the directory the starter is written to.
func (st *starter) load(draft []byte) (*model.Model, error) {
	if st.From == "" {
		return model.Parse("starter.yaml", draft)
	}
	dir := os.DirFS(st.dir)
	files := model.Files{
		ReadFile: func(name string) ([]byte, error) {
			if name == "starter.yaml" {
				return draft, nil
			}
			return fs.ReadFile(dir, name)
		},
		Glob: func(pattern string) ([]string, error) { return fs.Glob(dir, pattern) },
	}
	return model.LoadFiles(files, "starter.yaml", model.Limits{})
}

// expectBlock writes what a scenario reaches and spares, among the
// organisations and services the examples name.
func expectBlock(m *model.Model, s *model.Scenario, imp *graph.Impact) string {
	affected := map[string]bool{}
	for _, a := range imp.Affected {
		affected[a.ID] = true
	}
	var reaches, spares []string
	for _, n := range m.Nodes() {
		if n.Kind == "gp-practice" && len(spares) > 0 && !affected[n.ID] {
			continue // one spared practice is example enough
		}
		switch {
		case slices.Contains(s.Seeds(), n.ID):
		case affected[n.ID]:
			reaches = append(reaches, n.ID)
		case len(spares) < 4:
			spares = append(spares, n.ID)
		}
	}
	var b strings.Builder
	if len(reaches) > 0 {
		fmt.Fprintf(&b, "reaches: [%s]           # must be affected\n      ", strings.Join(reaches, ", "))
	}
	if len(spares) > 0 {
		fmt.Fprintf(&b, "spares: [%s]   # must be unaffected\n      ", strings.Join(spares, ", "))
	}
	fmt.Fprintf(&b, "max_organisations: %d    # no more organisations than this", imp.Summary.Organisations)
	return b.String()
}

func (st *starter) fill() ([]byte, error) {
	var b strings.Builder
	if err := starterTemplate.Execute(&b, st); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

var starterTemplate = template.Must(template.New("starter").Funcs(template.FuncMap{
	"quote":  strconv.Quote,
	"schema": func() string { return model.SchemaBase + model.SchemaFile("model") },
}).Parse(`# yaml-language-server: $schema={{schema}}
# {{.ICBName}}: a starter model written by "blastradius init".
#
# A model lists organisations, the services they share, and the dependencies
# between them. "A depends on B" is written {from: A, to: B}. Replace the
# illustrative entries (the ones named "Example ...") with your own: the
# reference is docs/model.md, the guide docs/authoring.md.
#
# Try:
#   blastradius validate FILE
#   blastradius check FILE
#   blastradius reach FILE --scenario "Supplier remote access compromised"
#   blastradius fmt --check FILE
version: 1
name: {{quote .ICBName}}
description: >
  Starter model: who depends on whom, and what a compromise of a supplier
  would reach.

{{- if .From}}

# The ICB, its trusts and its GP practices, as "blastradius import ods"
# wrote them: included, not copied, so that the monthly
# "blastradius import ods --update" reaches this model.
include: [{{.From}}]
{{- end}}

organisations:
{{- if not .From}}
  # The ICB. Every organisation may name the ICB it belongs to (icb:) and its
  # NHS ODS code (ods:); patients weights rankings and summaries. The ICB's
  # patients is its registered population, which caps what its members count.
  - {id: {{.ICB}}, name: {{quote .ICBName}}, kind: icb{{if .ICBODS}}, ods: {{.ICBODS}}{{end}}{{if .ICBPatients}}, patients: {{.ICBPatients}}{{end}}}
{{- end}}
{{- if .Illustrative}}

  # An acute trust, with the controls it has: only mfa and segmentation
  # change how a compromise spreads; offline-backups shortens a recovery in
  # the timeline; the others are there for policies.
  - {id: {{.Acute}}, name: Example Acute Trust, kind: trust, icb: {{.ICB}}{{if .ICBPatients}}, patients: 500000{{end}}, controls: [mfa, segmentation, offline-backups]}
{{- end}}
{{- if .IllustrativeMental}}
  - {id: {{.Mental}}, name: Example Mental Health Trust, kind: mental-health, icb: {{.ICB}}{{if .ICBPatients}}, patients: 60000{{end}}, controls: [mfa]}
{{- end}}
{{- if .IllustrativeGP}}

  # GP practices may be folded into one entry per place, with the total list
  # size, until you import them ("blastradius import ods").
  - {id: {{.GP}}, name: Example GP practices (folded), kind: gp-practice, icb: {{.ICB}}{{if .ICBPatients}}, patients: 300000{{end}}}
{{- end}}

  # Suppliers. The policies below require mfa of every supplier.
  - {id: pathology-supplier, name: Example pathology supplier, kind: supplier, controls: [mfa]}
  - {id: it-supplier, name: Example IT support supplier, kind: supplier, controls: [mfa]}

services:
  - {id: lims, name: Example laboratory information system, kind: pathology, operator: pathology-supplier}
  - {id: mutual-aid-lab, name: Example mutual-aid laboratory, kind: pathology}
  - {id: epr, name: Example electronic patient record, kind: epr, operator: {{.Acute}}}
  - {id: cloud-tenant, name: Example cloud tenant that runs the EPR, kind: hosting}
  - {id: remote-support, name: Example supplier remote-support access, kind: identity, operator: it-supplier}

dependencies:
  # service: the consumer needs what the provider delivers. Critical unless
  # "critical: false"; alternatives can stand in for the provider (the
  # policies below require one for critical pathology).
  - {from: {{.Acute}}, to: lims, type: service, alternatives: [mutual-aid-lab]}
  - {from: {{.GP}}, to: lims, type: service, alternatives: [mutual-aid-lab]}
  - {from: {{.Acute}}, to: epr, type: service}
  - {from: {{.Mental}}, to: epr, type: service, critical: false, note: reads discharge letters}

  # data: the provider holds the consumer's data.
  - {from: {{.GP}}, to: lims, type: data}

  # hosting: the consumer runs on the provider's platform or tenant.
  - {from: epr, to: cloud-tenant, type: hosting}

  # access: the provider has remote or privileged access into the consumer.
  # likelihood (0 to 1) is the chance the effect crosses; it orders paths.
  - {from: epr, to: remote-support, type: access, likelihood: 0.5}

  # network: a shared network link, both ways.
  - {from: {{.Acute}}, to: {{.Mental}}, type: network}

scenarios:
  # A scenario names what the attacker controls; "check" tests its
  # expectations, and "reach FILE --scenario NAME" runs it.
  - name: Supplier remote access compromised
    compromise: [remote-support]
    mode: ransomware
    expect:
      {{index .Expect 0}}

  # What-if: the same attack with MFA on the EPR.
  - name: MFA on the EPR
    compromise: [remote-support]
    mode: ransomware
    assume:
      controls: {epr: [mfa]}
    expect:
      {{index .Expect 1}}

policies:
  # The core standards (examples/policies/standards.yaml): MFA at every
  # supplier, an alternative for critical pathology, and a cap on how many
  # organisations one compromised node may affect.
  max_organisations: 10
  require_controls: {supplier: [mfa]}
  critical_needs_alternative: [pathology]
`))
