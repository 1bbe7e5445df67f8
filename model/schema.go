package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// SchemaKinds names the files a JSON Schema is written for: a model file, a
// scenarios file ("check --scenarios FILE"), and a fragment (a file that a
// model includes, whose version may be left out).
var SchemaKinds = []string{"model", "scenarios", "fragment"}

// SchemaBase is where the published schemas live; a schema's $id is this
// followed by its file name.
const SchemaBase = "https://raw.githubusercontent.com/blastradius/blastradius/main/docs/schema/"

// docsBase is where the descriptions link to.
const docsBase = "https://github.com/blastradius/blastradius/blob/main/docs/model.md"

// SchemaFile returns the file name of a schema: "model.schema.json".
func SchemaFile(kind string) string { return kind + ".schema.json" }

// Schema returns the JSON Schema (draft-07) of a model file or of a scenarios
// file, indented, with a final newline. It is generated from the loader's own
// lists of keys, kinds, relations, controls, modes and rules, so that an
// editor checks what the loader checks.
func Schema(kind string) ([]byte, error) {
	var root *jsonSchema
	var err error
	switch kind {
	case "model":
		root, err = modelSchema()
	case "scenarios":
		root, err = scenariosSchema()
	case "fragment":
		root, err = fragmentSchema()
	default:
		return nil, fmt.Errorf("no schema for %q: use one of %v", kind, SchemaKinds)
	}
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// jsonSchema is the part of draft-07 the schemas use, in the order a reader
// expects the keywords.
type jsonSchema struct {
	Schema               string        `json:"$schema,omitempty"`
	ID                   string        `json:"$id,omitempty"`
	Ref                  string        `json:"$ref,omitempty"`
	Title                string        `json:"title,omitempty"`
	Description          string        `json:"description,omitempty"`
	Type                 any           `json:"type,omitempty"`
	Const                any           `json:"const,omitempty"`
	Enum                 []string      `json:"enum,omitempty"`
	Pattern              string        `json:"pattern,omitempty"`
	Format               string        `json:"format,omitempty"`
	MinLength            *int          `json:"minLength,omitempty"`
	MaxLength            *int          `json:"maxLength,omitempty"`
	Minimum              *float64      `json:"minimum,omitempty"`
	ExclusiveMinimum     *float64      `json:"exclusiveMinimum,omitempty"`
	Maximum              *float64      `json:"maximum,omitempty"`
	MinItems             *int          `json:"minItems,omitempty"`
	MinProperties        *int          `json:"minProperties,omitempty"`
	Items                *jsonSchema   `json:"items,omitempty"`
	Required             []string      `json:"required,omitempty"`
	Properties           properties    `json:"properties,omitempty"`
	PatternProperties    properties    `json:"patternProperties,omitempty"`
	PropertyNames        *jsonSchema   `json:"propertyNames,omitempty"`
	AdditionalProperties any           `json:"additionalProperties,omitempty"`
	AnyOf                []*jsonSchema `json:"anyOf,omitempty"`
	Not                  *jsonSchema   `json:"not,omitempty"`
	Definitions          properties    `json:"definitions,omitempty"`
}

// properties keep the order of the documented keys.
type properties []property

type property struct {
	name   string
	schema *jsonSchema
}

func (ps properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(p.schema)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func intp(n int) *int           { return &n }
func floatp(f float64) *float64 { return &f }

func see(text, anchor string) string {
	return text + " See " + docsBase + "#" + anchor
}

func ref(def string) *jsonSchema { return &jsonSchema{Ref: "#/definitions/" + def} }

func text(desc string) *jsonSchema { return &jsonSchema{Type: "string", Description: desc} }

func idSchema(desc string) *jsonSchema {
	return &jsonSchema{Type: "string", Description: desc, Pattern: idPattern.String(), MaxLength: intp(DefaultLimits.MaxIDLength)}
}

func idList(desc string) *jsonSchema {
	return &jsonSchema{Type: "array", Description: desc, Items: ref("id")}
}

func enumSchema(desc string, words []string) *jsonSchema {
	return &jsonSchema{Type: "string", Description: desc, Enum: dedupe(words)}
}

func dedupe(words []string) []string {
	var out []string
	for _, w := range words {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// object builds a closed object whose properties are exactly keys, in order,
// each taken from defs. A key the loader accepts that defs does not describe
// is an error: the schema would otherwise drift from the loader.
func object(what, desc string, keys []string, required []string, defs map[string]*jsonSchema) (*jsonSchema, error) {
	o := &jsonSchema{Type: "object", Description: desc, Required: required, AdditionalProperties: false}
	for _, k := range keys {
		d, ok := defs[k]
		if !ok {
			return nil, fmt.Errorf("schema: %s key %q has no description", what, k)
		}
		o.Properties = append(o.Properties, property{k, d})
	}
	for _, r := range required {
		if !slices.Contains(keys, r) {
			return nil, fmt.Errorf("schema: %s requires %q, which it does not accept", what, r)
		}
	}
	return o, nil
}

// union returns keys followed by any of extra it lacks.
func union(keys []string, extra ...string) []string {
	out := slices.Clone(keys)
	for _, k := range extra {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// nullable lets a key be written with no value, as the loader allows.
func nullable(s *jsonSchema) *jsonSchema {
	if t, ok := s.Type.(string); ok {
		s.Type = []string{t, "null"}
	}
	return s
}

// definitions returns the shared parts of both schemas.
func definitions() (properties, error) {
	controls := enumSchema(see("A control the node has. mfa and segmentation change how a compromise spreads; mfa, patching, supported-systems, monitoring and edr cut the chance that an attack starts at the node; all are there for policies (require_controls). An unknown control is an error, so that a typo such as mfaa is not silently taken as no protection.", "controls"), Controls)
	entry := &jsonSchema{Type: "number", Description: see("0 to 1: the chance that an attack starts here in a year. Without it, an assumed default from the kind, whether it faces the internet or provides access into others, and its controls.", "where-attacks-start"), Minimum: floatp(0), Maximum: floatp(1)}
	kinds := append(slices.Clone(OrganisationKinds), ServiceKinds...)
	recovery, restore, err := timeDefinitions()
	if err != nil {
		return nil, err
	}
	aid, stock, surge, err := strainDefinitions()
	if err != nil {
		return nil, err
	}

	org, err := object("organisation", see("An organisation: a legal entity such as a trust, an ICB, a GP practice or a supplier.", "organisations"),
		orgKeys, []string{"id", "kind"}, map[string]*jsonSchema{
			"id":   idSchema(see("The id: lower-case letters, digits and hyphens, starting with a letter or digit, at most 128 bytes, unique across organisations and services together.", "top-level")),
			"name": text("The name shown in reports; defaults to the id."),
			"kind": enumSchema(see("The kind of organisation.", "organisations"), OrganisationKinds),
			"ods":  {Type: "string", Description: see("NHS ODS code: upper-case letters and digits (RJ1, QKK, G85001).", "organisations"), Pattern: odsPattern.String()},
			"icb": {Description: see("The ICB it belongs to: the id of an organisation of kind icb; for one that serves several, a list of their ids (its one figure is split among them by their populations, an estimate) or a mapping of each id to the people it serves there (exact; patients is then their sum).", "organisations"),
				AnyOf: []*jsonSchema{ref("id"), {Type: "array", Items: ref("id"), MinItems: intp(1)},
					{Type: "object", PropertyNames: &jsonSchema{Pattern: idPattern.String()}, AdditionalProperties: &jsonSchema{Type: "integer", Minimum: floatp(0), Maximum: floatp(float64(maxPatients))}, MinProperties: intp(1)}}},
			"patients":  {Type: "integer", Description: see("People served, a whole number from 0 to 100,000,000; weights rankings and summaries.", "organisations"), Minimum: floatp(0), Maximum: floatp(float64(maxPatients))},
			"entry":     entry,
			"controls":  {Type: "array", Description: see("The controls the organisation has.", "organisations"), Items: ref("control")},
			"recovery":  ref("recovery"),
			"restore":   ref("restore"),
			"activity":  {Type: "object", Description: see("The organisation's normal work per day, unit by unit, in its own units: unit: baseline, such as {outpatient-appointments: 5000}. Activity lost is counted in these units.", "time-and-capacity"), PropertyNames: &jsonSchema{Pattern: unitPattern}, AdditionalProperties: &jsonSchema{Type: "number", Minimum: floatp(0), Maximum: floatp(maxPerDay)}},
			"tolerance": {Type: "number", Description: see("The days the organisation can run below half capacity (its maximum tolerable period of disruption); the policy recovery_within_tolerance checks it.", "time-and-capacity"), Minimum: floatp(0), Maximum: floatp(maxDays)},
			"note":      text("Free text."),
		})
	if err != nil {
		return nil, err
	}
	org.Not = bothRecoveryAndRestore()
	svc, err := object("service", see("A system or service that organisations share: a laboratory system, a digital gateway, an EPR, a network.", "services"),
		serviceKeys, []string{"id", "kind"}, map[string]*jsonSchema{
			"id":       idSchema(see("The id: lower-case letters, digits and hyphens, starting with a letter or digit, at most 128 bytes, unique across organisations and services together.", "top-level")),
			"name":     text("The name shown in reports; defaults to the id."),
			"kind":     enumSchema(see("The kind of service.", "services"), ServiceKinds),
			"operator": idSchema(see("The id of the organisation that runs it.", "services")),
			"entry":    entry,
			"controls": {Type: "array", Description: see("The controls the service has, as for organisations.", "services"), Items: ref("control")},
			"recovery": ref("recovery"),
			"restore":  ref("restore"),
			"stock":    ref("stock"),
			"note":     text("Free text."),
		})
	if err != nil {
		return nil, err
	}
	svc.Not = bothRecoveryAndRestore()
	meanings, critical := relationMeanings()
	depDefs := func() map[string]*jsonSchema {
		return map[string]*jsonSchema{
			"from":         idSchema(see("The consumer's id: from depends on to.", "dependencies")),
			"to":           idSchema(see("The provider's id: from depends on to.", "dependencies")),
			"type":         enumSchema(see("How the dependency carries effects from provider to consumer: "+meanings+".", "dependencies"), strs(Relations)),
			"critical":     {Type: "boolean", Description: see("Default true; matters for "+critical+" only.", "dependencies")},
			"alternatives": idList(see("Ids that can stand in for to; they matter for "+critical+" only (a warning elsewhere).", "dependencies")),
			"likelihood":   {Type: "number", Description: see("0 to 1, default 1: the chance that the dependency carries its effects in one simulated world (simulate, rank --risk, recommend). reach and the other worst-case analyses take every dependency as live.", "likelihood"), Minimum: floatp(0), Maximum: floatp(1)},
			"share":        {Type: "number", Description: see("Above 0, at most 1: the fraction of the consumer's activity that needs the provider, for timelines. Default 1 for a critical dependency, 0.5 for one that is not.", "time-and-capacity"), ExclusiveMinimum: floatp(0), Maximum: floatp(1)},
			"buffer":       {Type: "integer", Description: see("Whole days, default 0: how long the consumer carries on without the provider before it feels the loss (stock, a paper fallback).", "time-and-capacity"), Minimum: floatp(0), Maximum: floatp(maxDays)},
			"aid":          ref("aid"),
			"surge":        ref("surge"),
			"note":         text("Free text."),
		}
	}
	dep, err := object("dependency", see("from depends on to: from is the consumer, to the provider. Either may be an organisation or a service.", "dependencies"),
		depKeys, []string{"from", "to", "type"}, depDefs())
	if err != nil {
		return nil, err
	}
	removal, err := object("remove", see("Removes every dependency from from to to, or only those of type. A removal must match at least one dependency.", "scenarios"),
		removeKeys, []string{"from", "to"}, map[string]*jsonSchema{
			"from": idSchema("The consumer's id."),
			"to":   idSchema("The provider's id."),
			"type": enumSchema("Remove only the dependency of this relation; without it, every relation between the pair.", strs(Relations)),
		})
	if err != nil {
		return nil, err
	}
	alternative, err := object("assumed alternative", see("Adds alternatives to the dependencies from from to to.", "scenarios"),
		[]string{"from", "to", "add"}, []string{"from", "to", "add"}, map[string]*jsonSchema{
			"from": idSchema("The consumer's id."),
			"to":   idSchema("The provider's id."),
			"add":  idList("Ids that can stand in for to."),
		})
	if err != nil {
		return nil, err
	}
	nodeControls := func(desc string) *jsonSchema {
		return &jsonSchema{Type: "object", Description: desc, PropertyNames: ref("id"),
			AdditionalProperties: &jsonSchema{Type: "array", Items: ref("control")}}
	}
	aidLink, err := object("assumed aid", see("Makes to a helper of from: the service dependency of from on to gains the aid, or one is added that carries only the aid.", "what-if-assumptions"),
		aidLinkKeys, []string{"from", "to"}, map[string]*jsonSchema{
			"from":     idSchema("The consumer's id."),
			"to":       idSchema("The helper's id."),
			"after":    {Type: "integer", Description: "Whole days, default 0, from the consumer's first shortfall of the helper's kind to the first day of help.", Minimum: floatp(0), Maximum: floatp(maxDays)},
			"for":      {Type: "integer", Description: "Whole days the helper helps; left out, as long as it is needed.", Minimum: floatp(1), Maximum: floatp(maxDays)},
			"headroom": {Type: "number", Description: "The helper's spare capacity that it gives free, from 0 to 1.", Minimum: floatp(0), Maximum: floatp(1)},
			"shed":     {Type: "number", Description: "The most of its own work the helper gives up to help, from 0 to 1.", Minimum: floatp(0), Maximum: floatp(1)},
		})
	if err != nil {
		return nil, err
	}
	aidLink.AnyOf = []*jsonSchema{{Required: []string{"headroom"}}, {Required: []string{"shed"}}}
	stockChange, err := object("assumed stock", "The stock's days held, alert level, or both; what is left out stays as the model has it.",
		stockKeys, nil, map[string]*jsonSchema{
			"days":  {Type: "number", Description: "The stock held, in days of normal demand.", ExclusiveMinimum: floatp(0), Maximum: floatp(maxDays)},
			"alert": {Type: "number", Description: "The level below which the stock's consumers are strained; at most days.", Minimum: floatp(0), Maximum: floatp(maxDays)},
		})
	if err != nil {
		return nil, err
	}
	stockChange.AnyOf = []*jsonSchema{{Required: []string{"days"}}, {Required: []string{"alert"}}}
	assume, err := object("assume", see("What-if: changes made to the model before the scenario is analysed.", "scenarios"),
		union(assumeKeys, "add", "alternatives", "remove_controls"), nil, map[string]*jsonSchema{
			"aid":             {Type: "array", Description: see("Adds mutual-aid links: {from: CONSUMER, to: HELPER, after, for, headroom, shed}.", "what-if-assumptions"), Items: aidLink},
			"stock":           {Type: "object", Description: see("Changes stocks: id: {days, alert}, such as {nhsbt-o-neg: {days: 8}}.", "what-if-assumptions"), PropertyNames: ref("id"), AdditionalProperties: stockChange},
			"controls":        nodeControls("Adds controls: id: [controls], such as {synnovis: [mfa]}."),
			"remove":          {Type: "array", Description: "Removes dependencies: every relation between the pair; add type: for one.", Items: ref("removal")},
			"add":             {Type: "array", Description: "Adds dependencies, the same shape as dependencies.", Items: ref("dependency")},
			"alternatives":    {Type: "array", Description: "Adds alternatives to existing dependencies: {from, to, add: [ids]}.", Items: ref("alternative")},
			"remove_controls": nodeControls("Removes controls: id: [controls], such as {kch: [segmentation]}."),
		})
	if err != nil {
		return nil, err
	}
	expect, err := object("expect", see("Assertions about the scenario's result, checked by check; a failed one is a finding.", "scenarios"),
		expectKeys, nil, map[string]*jsonSchema{
			"reaches":           idList("Ids that must be affected."),
			"spares":            idList("Ids that must be unaffected, and, in a model with aid or stocks, not strained."),
			"max_organisations": {Type: "integer", Description: "The most organisations the scenario may affect.", Minimum: floatp(0), Maximum: floatp(float64(maxOrgsExpects))},
			"max_outage_days": {Type: "object", Description: see("The most days each named node may spend below half capacity: id: days, such as {gstt: 14}.", "time-and-capacity"), PropertyNames: ref("id"),
				AdditionalProperties: &jsonSchema{Type: "number", Minimum: floatp(0), Maximum: floatp(maxDays)}},
			"strains": idList("Ids that the scenario's timeline must strain on some day (a helper giving aid, a consumer of a stock below its alert)."),
			"stock_alert_after": {Type: "object", Description: see("The fewest days from the attack before each named stock may cross its alert: stock: days, such as {o-negative: 14}.", "strain-mutual-aid-and-stocks"), PropertyNames: ref("id"),
				AdditionalProperties: &jsonSchema{Type: "number", Minimum: floatp(0), Maximum: floatp(maxDays)}},
		})
	if err != nil {
		return nil, err
	}
	scenario, err := object("scenario", see("A named compromise, with what-if assumptions and expectations. Names are unique in a file; reach MODEL --scenario NAME runs one.", "scenarios"),
		scenarioKeys, []string{"name", "compromise"}, map[string]*jsonSchema{
			"name":       {Type: "string", Description: "The scenario's name, to run it by.", MinLength: intp(1)},
			"compromise": {Type: "array", Description: "The seeds: the ids the attacker controls.", Items: ref("id"), MinItems: intp(1)},
			"start":      {Type: "string", Description: see("The date of day 0, as YYYY-MM-DD: timelines then give dates as well as days.", "time-and-capacity"), Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, Format: "date"},
			"mode":       enumSchema(see("What a compromise does: ransomware (compromised nodes go down) or exfiltration (compromised nodes stay up; data leaves). Default ransomware.", "what-a-compromise-does"), strs(Modes)),
			"assume":     orNullRef("assume", see("What-if: changes made to the model before the scenario is analysed.", "scenarios")),
			"expect":     orNullRef("expect", see("Assertions about the scenario's result, checked by check.", "scenarios")),
			"note":       text("Free text."),
		})
	if err != nil {
		return nil, err
	}
	exception, err := object("exception", see("Waives one rule for one node until a date; a waived finding needs a reason and an expiry date.", "policies"),
		exceptionKeys, []string{"rule", "reason", "until"}, map[string]*jsonSchema{
			"rule":   enumSchema("The rule whose findings are waived.", Rules),
			"id":     idSchema("The node whose findings are waived."),
			"reason": {Type: "string", Description: "Why the finding is waived.", MinLength: intp(1)},
			"until":  {Type: "string", Description: "The date the waiver ends, as YYYY-MM-DD; it holds to the end of that day.", Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`},
		})
	if err != nil {
		return nil, err
	}
	policies, err := object("policies", see("Rules every version of the model must keep, checked by check.", "policies"),
		policyKeys, nil, map[string]*jsonSchema{
			"max_organisations":          {Type: "integer", Description: "No single compromised node may affect more organisations.", Minimum: floatp(0), Maximum: floatp(float64(maxOrgsExpects))},
			"max_expected_organisations": {Type: "number", Description: see("No node's attacks may affect more organisations a year on average: its entry likelihood times its expected radius, estimated by simulation with a 95% interval. An interval that straddles the limit is a warning (inconclusive).", "policies"), Minimum: floatp(0), Maximum: floatp(float64(maxOrgsExpects))},
			"require_controls": {Type: "object", Description: "Every node of that kind needs these controls: kind: [controls], such as {supplier: [mfa]}.",
				PropertyNames: &jsonSchema{Enum: dedupe(kinds)}, AdditionalProperties: &jsonSchema{Type: "array", Items: ref("control")}},
			"critical_needs_alternative": {Type: "array", Description: "Critical dependencies on services of these kinds need an alternative.", Items: &jsonSchema{Enum: ServiceKinds}},
			"recovery_within_tolerance":  {Type: "boolean", Description: see("Every critical provider's likely recovery plus the dependency's buffer must fit in the consumer's tolerance.", "time-and-capacity")},
			"max_strained":               {Type: "integer", Description: see("No scenario's timeline may strain more organisations on some day.", "strain-mutual-aid-and-stocks"), Minimum: floatp(0), Maximum: floatp(float64(maxOrgsExpects))},
			"exceptions":                 {Type: "array", Description: "Waived findings, each with a reason and an expiry date.", Items: ref("exception")},
		})
	if err != nil {
		return nil, err
	}
	return properties{
		{"id", idSchema("An id: lower-case letters, digits and hyphens, starting with a letter or digit.")},
		{"control", controls},
		{"recovery", recovery},
		{"restore", restore},
		{"aid", aid},
		{"stock", stock},
		{"surge", surge},
		{"organisation", org},
		{"service", svc},
		{"dependency", dep},
		{"removal", removal},
		{"alternative", alternative},
		{"assume", assume},
		{"expect", expect},
		{"scenario", scenario},
		{"exception", exception},
		{"policies", policies},
	}, nil
}

// orNullRef is a reference to a definition, or no value. A $ref ignores
// its siblings in draft-07, so the description sits beside an anyOf.
func orNullRef(def, desc string) *jsonSchema {
	return &jsonSchema{Description: desc, AnyOf: []*jsonSchema{ref(def), {Type: "null"}}}
}

// top describes the keys that a model file and a scenarios file share.
func top() map[string]*jsonSchema {
	return map[string]*jsonSchema{
		"version":     {Type: "integer", Description: see("The version of the file format: 1.", "top-level"), Const: 1},
		"name":        text(see("The model's name, shown in reports.", "top-level")),
		"description": text("Free text."),
		"include": nullable(&jsonSchema{Type: "array", Description: see("Other model files whose entries join this model's: paths or globs, relative to this file, in the directory of the root file or below.", "models-in-many-files"),
			Items: &jsonSchema{Type: "string", Description: "A path or glob, such as icbs/*.yaml, with / between directories."}}),
		"organisations": nullable(&jsonSchema{Type: "array", Description: see("The organisations.", "organisations"), Items: ref("organisation")}),
		"services":      nullable(&jsonSchema{Type: "array", Description: see("The services that organisations share.", "services"), Items: ref("service")}),
		"dependencies":  nullable(&jsonSchema{Type: "array", Description: see("The dependencies: from depends on to.", "dependencies"), Items: ref("dependency")}),
		"scenarios":     nullable(&jsonSchema{Type: "array", Description: see("Named compromises, with what-if assumptions and expectations.", "scenarios"), Items: ref("scenario")}),
		"policies":      orNullRef("policies", see("Rules every version of the model must keep.", "policies")),
	}
}

func extensions() properties {
	return properties{{"^x-", &jsonSchema{Description: "An extension key, ignored: a home for YAML anchors shared by entries."}}}
}

func modelSchema() (*jsonSchema, error) {
	defs, err := definitions()
	if err != nil {
		return nil, err
	}
	root, err := object("model", see("A blastradius model: the organisations, shared services and dependencies of a health system, and the scenarios and policies checked against them. A depends on B is written as a dependency from A to B.", "top-level"),
		topKeys, []string{"version"}, top())
	if err != nil {
		return nil, err
	}
	root.Schema = "http://json-schema.org/draft-07/schema#"
	root.ID = SchemaBase + SchemaFile("model")
	root.Title = "blastradius model"
	root.PatternProperties = extensions()
	root.Definitions = defs
	return root, nil
}

// fragmentSchema is the schema of a file that another includes: a model
// file whose version may be left out.
func fragmentSchema() (*jsonSchema, error) {
	root, err := modelSchema()
	if err != nil {
		return nil, err
	}
	root.Required = nil
	root.ID = SchemaBase + SchemaFile("fragment")
	root.Title = "blastradius model fragment"
	root.Description = see("A file that a blastradius model includes: the same sections as a model file, whose version may be left out.", "models-in-many-files")
	return root, nil
}

func scenariosSchema() (*jsonSchema, error) {
	defs, err := definitions()
	if err != nil {
		return nil, err
	}
	root, err := object("scenarios file", "Scenarios and policies for blastradius check --scenarios FILE, checked against a model. They have the same keys as in a model file. See "+docsBase+"#scenarios",
		scenarioTop, nil, top())
	if err != nil {
		return nil, err
	}
	root.Schema = "http://json-schema.org/draft-07/schema#"
	root.ID = SchemaBase + SchemaFile("scenarios")
	root.Title = "blastradius scenarios"
	root.PatternProperties = extensions()
	// Only the definitions a scenarios file uses.
	for _, d := range defs {
		switch d.name {
		case "organisation", "service", "recovery", "restore":
			continue
		}
		root.Definitions = append(root.Definitions, d)
	}
	return root, nil
}

// timeDefinitions describes recovery and restore, which organisations and
// services share.
func timeDefinitions() (recovery, restore *jsonSchema, err error) {
	days := func(desc string) *jsonSchema {
		return &jsonSchema{Type: "number", Description: desc, Minimum: floatp(0), Maximum: floatp(maxDays)}
	}
	three, err := object("recovery", "A three-point estimate of the days to full capacity: min ≤ likely ≤ max.", recoveryKeys, recoveryKeys, map[string]*jsonSchema{
		"min":    days("The fewest days."),
		"likely": days("The most likely days: the timeline's value; simulations draw from the triangle of the three."),
		"max":    days("The most days."),
	})
	if err != nil {
		return nil, nil, err
	}
	recovery = &jsonSchema{Description: see("The days a compromised node takes to return to full capacity: a number, or {min, likely, max}. Without recovery or restore, a compromised node stays down to the horizon.", "time-and-capacity"),
		AnyOf: []*jsonSchema{days("Days to full capacity."), three}}
	point, err := object("restore point", "The capacity on a day after the attack.", restoreKeys, restoreKeys, map[string]*jsonSchema{
		"day":      {Type: "integer", Description: "Days after the attack, counting from 0; each point's day is after the one before.", Minimum: floatp(0), Maximum: floatp(maxDays)},
		"capacity": {Type: "number", Description: "The fraction of normal capacity on that day, from 0 to 1.", Minimum: floatp(0), Maximum: floatp(1)},
	})
	if err != nil {
		return nil, nil, err
	}
	restore = &jsonSchema{Type: "array", Description: see("Capacity by day once compromised, instead of recovery: linear between the points, 1 after the last.", "time-and-capacity"), Items: point, MinItems: intp(1)}
	return recovery, restore, nil
}

// bothRecoveryAndRestore refuses a node that gives both.
func bothRecoveryAndRestore() *jsonSchema {
	return &jsonSchema{Description: "recovery and restore are two ways to say one thing: give one.", Required: []string{"recovery", "restore"}}
}

// strainDefinitions are the schemas of aid, stock and surge.
func strainDefinitions() (aid, stock, surge *jsonSchema, err error) {
	frac := func(desc string) *jsonSchema {
		return &jsonSchema{Type: "number", Description: desc, Minimum: floatp(0), Maximum: floatp(1)}
	}
	aid, err = object("aid", see("Makes the provider a helper instead of a provider the consumer needs: idle until the consumer's providers of the helper's kind are short, then, from after days, it fills their shortfall from its headroom and then from up to shed of its own work. A helper below full capacity gives nothing.", "time-and-capacity"),
		aidKeys, nil, map[string]*jsonSchema{
			"after":    {Type: "integer", Description: "Whole days, default 0, from the consumer's first shortfall of the helper's kind to the first day of help.", Minimum: floatp(0), Maximum: floatp(maxDays)},
			"for":      {Type: "integer", Description: "Whole days the helper helps, from its first day of help; left out, it helps as long as it is needed.", Minimum: floatp(1), Maximum: floatp(maxDays)},
			"headroom": frac("Default 0: the helper's spare capacity, a fraction of its own work, that it gives free."),
			"shed":     frac("Default 0: the most of its own work the helper gives up to help; its own consumers' supply from it falls by what it sheds, and they and the helper are strained."),
		})
	if err != nil {
		return nil, nil, nil, err
	}
	aid.AnyOf = []*jsonSchema{{Required: []string{"headroom"}}, {Required: []string{"shed"}}}
	stock, err = object("stock", see("What a service of kind stock holds: it runs down instead of failing, and below alert its consumers are strained.", "time-and-capacity"),
		stockKeys, []string{"days"}, map[string]*jsonSchema{
			"days":  {Type: "number", Description: "The stock held, in days of normal demand; the level never rises above it.", ExclusiveMinimum: floatp(0), Maximum: floatp(maxDays)},
			"alert": {Type: "number", Description: "Default 0: the level, in days of normal demand, below which the stock's consumers are strained; at most days.", Minimum: floatp(0), Maximum: floatp(maxDays)},
		})
	if err != nil {
		return nil, nil, nil, err
	}
	surge, err = object("surge", see("On a dependency on a stock: while when is below full capacity, the consumer draws factor times its share of the stock's normal demand.", "time-and-capacity"),
		surgeKeys, surgeKeys, map[string]*jsonSchema{
			"when":   idSchema("The node whose shortfall raises the draw."),
			"factor": {Type: "number", Description: "The draw while when is short, as a multiple of normal, such as 1.94.", Minimum: floatp(1), Maximum: floatp(maxFactor)},
			"share":  frac("The consumer's part of the stock's normal demand."),
		})
	if err != nil {
		return nil, nil, nil, err
	}
	return aid, stock, surge, nil
}
