// Package ods reads the CSV downloads of the NHS Organisation Data Service
// (ODS) and turns them into blastradius model files, one per integrated care
// board (ICB).
//
// The ODS files are headerless CSV in the ODS "standard" layout: the code in
// column 1, the name in column 2, the national grouping in column 3, the
// high-level health geography (the ICB's code) in column 4, the address in
// columns 5 to 10, the open and close dates (YYYYMMDD) in columns 11 and 12.
// The GP practice file, epraccur, adds the status (A active, C closed,
// D dormant, P proposed) in column 13, the commissioner (the sub-ICB
// location) in column 15 and the prescribing setting in column 26 (4 is a GP
// practice).
package ods

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

// Columns of the ODS standard layout, counted from 0.
const (
	colCode         = 0
	colName         = 1
	colGrouping     = 2
	colICB          = 3
	colOpen         = 10
	colClose        = 11
	colStatus       = 12 // epraccur
	colCommissioner = 14 // epraccur
	colSetting      = 25 // epraccur
)

// Columns that each file has.
const (
	PracticeColumns = 27
	TrustColumns    = 27
)

// settingGP is the prescribing setting of a GP practice in epraccur.
const settingGP = "4"

// Status is the state of an organisation in ODS.
type Status string

const (
	Active   Status = "A"
	Closed   Status = "C"
	Dormant  Status = "D"
	Proposed Status = "P"
)

// Org is one row of an ODS file.
type Org struct {
	Code         string // the ODS code: G85001, RJ1, QKK, 72Q
	Name         string // as ODS writes it, in capitals
	ICB          string // the ICB's ODS code (column 4), if given
	Commissioner string // the sub-ICB location's code (epraccur)
	Status       Status
	Opened       string // YYYY-MM-DD, if given
	ClosedOn     string // YYYY-MM-DD, if given
	Setting      string // the prescribing setting (epraccur)
	File         string
	Line         int
	// Cleaned names the characters taken out of the name because they
	// change how text is shown (control characters, bidirectional
	// overrides, zero-width characters), or is empty.
	Cleaned string
	NameCol int // the name's column, for the warning about Cleaned
}

// Open reports whether the organisation is open: not closed, dormant or
// past its close date.
func (o Org) Open() bool {
	switch o.Status {
	case Closed, Dormant:
		return false
	}
	return o.ClosedOn == ""
}

var codePattern = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)

// reader reads one headerless ODS file, collecting every bad row.
type reader struct {
	file    string
	columns int // the least number of columns a row must have
	errs    model.ErrorList
}

func (r *reader) errorf(line, col int, hint, format string, args ...any) {
	r.errs = append(r.errs, &model.Error{File: r.file, Pos: model.Pos{Line: line, Column: col}, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// maxErrors stops a file that is not the file it claims to be early.
const maxErrors = 50

// rows reads the records, calling row for each with its line.
func (r *reader) rows(in io.Reader, row func(rec []string, line int, col func(int) int)) error {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.errorf(pe.Line, max(pe.Column, 1), "check the quotes on this line; ODS files are plain comma-separated values", "%v", pe.Err)
				break
			}
			return err // reading failed: not a problem of the file's content
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		col := func(i int) int { _, c := cr.FieldPos(i); return c }
		switch {
		case !r.fieldsText(rec, line, col):
		case len(rec) < r.columns:
			r.errorf(line, 1, fmt.Sprintf("this file needs %d columns a row, with no header row; is it the right download?", r.columns), "row has %d columns, want %d", len(rec), r.columns)
		default:
			row(rec, line, col)
		}
		if len(r.errs) >= maxErrors {
			r.errorf(line, 1, "", "too many errors; stopping")
			break
		}
	}
	r.errs.Sort()
	return r.errs.Err()
}

// maxField is longer than any field of an ODS file (names are at most 100
// characters, addresses 35).
const maxField = 1024

// fieldsText reports, at its column, a field that is not text an ODS file
// holds: a NUL byte (a binary file), bytes that are not UTF-8 (a file saved
// as Latin-1 or Windows-1252), or a field too long for any ODS column.
func (r *reader) fieldsText(rec []string, line int, col func(int) int) bool {
	ok := true
	for i, f := range rec {
		switch {
		case strings.IndexByte(f, 0) >= 0:
			r.errorf(line, col(i), "check that you named the right file: ODS downloads are text", "field %d holds a NUL byte", i+1)
		case !utf8.ValidString(f):
			r.errorf(line, col(i), "save the file as UTF-8 (ODS downloads are UTF-8; a spreadsheet may have saved it as Latin-1)", "field %d is not UTF-8", i+1)
		case len(f) > maxField:
			r.errorf(line, col(i), "check that you named the right file: no ODS field is that long", "field %d is %d bytes long, over %d", i+1, len(f), maxField)
		default:
			continue
		}
		ok = false
	}
	return ok
}

// org reads the columns that every ODS file shares.
func (r *reader) org(rec []string, line int, col func(int) int) (Org, bool) {
	o := Org{File: r.file, Line: line}
	o.Code = strings.TrimSpace(rec[colCode])
	if !codePattern.MatchString(o.Code) {
		hint := "ODS codes are upper-case letters and digits, such as G85001 or RJ1"
		if line == 1 {
			hint += "; ODS files have no header row"
		}
		r.errorf(line, col(colCode), hint, "malformed ODS code %q", truncate(o.Code))
		return o, false
	}
	o.Name, o.Cleaned = clean(rec[colName])
	o.NameCol = col(colName)
	if o.Name == "" {
		r.errorf(line, col(colName), "column 2 holds the name", "%s has no name", o.Code)
		return o, false
	}
	o.ICB = strings.TrimSpace(rec[colICB])
	if o.ICB != "" && !codePattern.MatchString(o.ICB) {
		r.errorf(line, col(colICB), "column 4 holds the ICB's code, such as QKK", "malformed ICB code %q", truncate(o.ICB))
		return o, false
	}
	ok := true
	if len(rec) > colClose {
		var good bool
		if o.Opened, good = r.date(rec[colOpen], line, col(colOpen), "open date"); !good {
			ok = false
		}
		if o.ClosedOn, good = r.date(rec[colClose], line, col(colClose), "close date"); !good {
			ok = false
		}
	}
	return o, ok
}

func (r *reader) date(s string, line, col int, what string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		r.errorf(line, col, "ODS dates are YYYYMMDD, such as 20130401", "%s %q is not a date", what, truncate(s))
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// clean takes out of a name every character that changes how text is
// shown, a newline or tab becoming a space, and says which it took.
func clean(s string) (string, string) {
	if i, _ := textsafe.Find(s, false); i < 0 {
		return strings.TrimSpace(s), ""
	}
	var b strings.Builder
	var took []string
	for _, r := range s {
		if !textsafe.Unsafe(r) {
			b.WriteRune(r)
			continue
		}
		if r == '\n' || r == '\t' || r == '\r' {
			b.WriteByte(' ')
		}
		if n := textsafe.Name(r); !slices.Contains(took, n) {
			took = append(took, n)
		}
	}
	return strings.TrimSpace(strings.Join(strings.Fields(b.String()), " ")), strings.Join(took, ", ")
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// ReadPractices reads epraccur: GP practices and other prescribing cost
// centres, 27 columns, no header row.
func ReadPractices(name string, in io.Reader) ([]Org, error) {
	r := &reader{file: name, columns: PracticeColumns}
	var out []Org
	err := r.rows(in, func(rec []string, line int, col func(int) int) {
		o, ok := r.org(rec, line, col)
		if !ok {
			return
		}
		switch st := Status(strings.TrimSpace(rec[colStatus])); st {
		case Active, Closed, Dormant, Proposed:
			o.Status = st
		default:
			r.errorf(line, col(colStatus), "column 13 is the status: A active, C closed, D dormant, P proposed", "unknown status %q", truncate(string(st)))
			return
		}
		o.Commissioner = strings.TrimSpace(rec[colCommissioner])
		o.Setting = strings.TrimSpace(rec[colSetting])
		out = append(out, o)
	})
	return out, err
}

// ReadTrusts reads etr: NHS trusts, in the standard layout, no header row.
func ReadTrusts(name string, in io.Reader) ([]Org, error) {
	return readPlain(name, in, TrustColumns)
}

// ReadICBs reads a file of integrated care boards: the code in column 1,
// the name in column 2.
func ReadICBs(name string, in io.Reader) ([]Org, error) { return readPlain(name, in, 2) }

// ReadSubICBs reads eccg, the sub-ICB locations (the former clinical
// commissioning groups): code, name, region, and the ICB's code in column 4.
func ReadSubICBs(name string, in io.Reader) ([]Org, error) { return readPlain(name, in, 4) }

func readPlain(name string, in io.Reader, columns int) ([]Org, error) {
	r := &reader{file: name, columns: columns}
	var out []Org
	err := r.rows(in, func(rec []string, line int, col func(int) int) {
		padded := rec
		if len(rec) <= colICB {
			padded = append(append([]string{}, rec...), make([]string, colICB+1-len(rec))...)
		}
		if o, ok := r.org(padded, line, col); ok {
			out = append(out, o)
		}
	})
	return out, err
}

// ReadListSizes reads the numbers of patients registered at each GP
// practice, from NHS England's "Patients Registered at a GP Practice" CSV:
// a header row naming CODE and NUMBER_OF_PATIENTS (and, in the files split
// by sex and age, SEX and AGE, of which the ALL rows are read).
func ReadListSizes(name string, in io.Reader) (map[string]int64, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	errs := model.ErrorList{}
	head, err := cr.Read()
	if err != nil {
		return nil, model.ErrorList{{File: name, Pos: model.Pos{Line: 1, Column: 1}, Msg: "no header row", Hint: "the list-size file starts with a header row naming CODE and NUMBER_OF_PATIENTS"}}
	}
	idx := map[string]int{}
	for i, h := range head {
		idx[strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	code, okC := idx["CODE"]
	num, okN := idx["NUMBER_OF_PATIENTS"]
	if !okC || !okN {
		return nil, model.ErrorList{{File: name, Pos: model.Pos{Line: 1, Column: 1}, Msg: "the header row has no CODE and NUMBER_OF_PATIENTS columns", Hint: "use the \"Patients Registered at a GP Practice\" totals file (gp-reg-pat-prac-all.csv)"}}
	}
	sex, hasSex := idx["SEX"]
	age, hasAge := idx["AGE"]
	out := map[string]int64{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, err // reading failed: not a problem of the file's content
			}
			errs = append(errs, &model.Error{File: name, Pos: model.Pos{Line: pe.Line, Column: max(pe.Column, 1)}, Msg: pe.Err.Error(), Hint: "check the quotes on this line"})
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) <= max(code, num) {
			errs = append(errs, &model.Error{File: name, Pos: model.Pos{Line: line, Column: 1}, Msg: fmt.Sprintf("row has %d columns, want at least %d", len(rec), max(code, num)+1), Hint: "every row has as many columns as the header row"})
			continue
		}
		if hasSex && sex < len(rec) && !strings.EqualFold(rec[sex], "ALL") || hasAge && age < len(rec) && !strings.EqualFold(rec[age], "ALL") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(rec[num]), 10, 64)
		if err != nil || n < 0 {
			_, c := cr.FieldPos(num)
			errs = append(errs, &model.Error{File: name, Pos: model.Pos{Line: line, Column: c}, Msg: fmt.Sprintf("number of patients %q is not a whole number", truncate(rec[num])), Hint: "write a count such as 8123"})
			continue
		}
		out[strings.TrimSpace(rec[code])] += n
		if len(errs) >= maxErrors {
			break
		}
	}
	errs.Sort()
	return out, errs.Err()
}
