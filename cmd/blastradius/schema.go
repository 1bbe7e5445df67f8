package main

import (
	"strings"

	"github.com/blastradius/blastradius/model"
)

func schemaCmd() *command {
	return &command{
		name:    "schema",
		summary: "print the JSON Schema of model files, included files or scenarios files",
		usage: `Usage: blastradius schema [model|fragment|scenarios] [-o FILE]

Prints the JSON Schema (draft-07) of a model file (the default), of a file
that a model includes (a fragment: its version may be left out), or of a
scenarios file ("check --scenarios FILE"). Editors use it to complete keys,
list kinds, relations and controls, and underline mistakes as you type. It is
generated from the loader's own lists, and the same schemas are kept in
docs/schema/. See docs/authoring.md for the editor set-up.

Flags:
  -o FILE   write to FILE, atomically (default standard output)

Examples:
  blastradius schema > model.schema.json
  blastradius schema scenarios -o scenarios.schema.json
  blastradius schema fragment -o fragment.schema.json

To have an editor check a model, make its first line:
  # yaml-language-server: $schema=https://raw.githubusercontent.com/blastradius/blastradius/main/docs/schema/model.schema.json
`,
		run: runSchema,
	}
}

func runSchema(e *env, args []string) int {
	f := newFlags(schemaCmd(), false, true)
	pos, code, ok := f.parse(e, args)
	if !ok {
		return code
	}
	kind := "model"
	switch len(pos) {
	case 0:
	case 1:
		kind = pos[0]
	default:
		return f.usageError(e, "name one schema (got %d)", len(pos))
	}
	out, err := model.Schema(kind)
	if err != nil {
		return f.usageError(e, "unknown schema %q: use one of %s", kind, strings.Join(model.SchemaKinds, ", "))
	}
	return emit(e, f.out, out, exitOK)
}
