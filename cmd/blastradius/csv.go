package main

import (
	"encoding/csv"
	"io"

	"github.com/blastradius/blastradius/internal/textsafe"
)

// csvWriter writes CSV that a spreadsheet opens as data: a field that would
// start a formula (=, +, -, @, tab, carriage return) is written after a
// single quote, and characters that change how text is shown are escaped.
// Every CSV the tool writes goes through it.
type csvWriter struct{ *csv.Writer }

func newCSVWriter(w io.Writer) csvWriter { return csvWriter{csv.NewWriter(w)} }

// Write writes one record, each field made safe.
func (c csvWriter) Write(rec []string) error {
	safe := make([]string, len(rec))
	for i, f := range rec {
		safe[i] = textsafe.Cell(textsafe.Escape(f))
	}
	return c.Writer.Write(safe)
}
