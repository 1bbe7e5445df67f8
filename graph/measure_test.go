package graph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// numbered is a summary whose i-th measure is i+1.
func numbered() Summary {
	var s Summary
	for i, m := range measures {
		m.field.set(&s, float64(i+1))
	}
	return s
}

// TestMeasuresAreSummary checks that the declaration of the measures is the
// Summary: each is its own field, every field is one, and a summary's JSON
// writes them by their keys in their order.
func TestMeasuresAreSummary(t *testing.T) {
	if n := reflect.TypeFor[Summary]().NumField(); n != len(measures) {
		t.Fatalf("Summary has %d fields and %d measures: declare each field in measures", n, len(measures))
	}
	s := numbered()
	for i, m := range measures {
		if m.Measure != Measure(i) {
			t.Errorf("measure %d is declared as number %d", i, m.Measure)
		}
		if got := s.Of(m.Measure); got != float64(i+1) {
			t.Errorf("%s reads %v, want %d: two measures share a field", m.Key, got, i+1)
		}
		if m.Key == "" || m.Label == "" || m.Labels == "" || m.Doc == "" {
			t.Errorf("measure %d lacks a key, a label or a doc", i)
		}
	}
	var want bytes.Buffer
	want.WriteString("{")
	for i, m := range measures {
		if i > 0 {
			want.WriteString(",")
		}
		want.WriteString(strconv.Quote(m.Key) + ":" + strconv.Itoa(i+1))
	}
	want.WriteString("}")
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("a summary writes\n%s\nthe declaration says\n%s", got, want.Bytes())
	}
}

func TestSummaryArithmetic(t *testing.T) {
	s := numbered()
	if got := s.Add(s); got != s.Scale(2) {
		t.Errorf("s+s = %+v, 2s = %+v", got, s.Scale(2))
	}
	if got := s.Add(s).Sub(s); got != s {
		t.Errorf("s+s-s = %+v, want %+v", got, s)
	}
	if got := s.Sub(s); got != (Summary{}) {
		t.Errorf("s-s = %+v", got)
	}
	for _, m := range measures {
		worse := s
		m.field.set(&worse, s.Of(m.Measure)+1)
		want := -1
		if !m.Worse {
			want = 1
		}
		if c := CompareRadii(worse, s, m.Measure); c != want {
			t.Errorf("%s: one more compares %d, want %d", m.Key, c, want)
		}
		if CompareRadii(worse, s) != 0 || !Alike(worse, s) || Alike(worse, s, m.Measure) {
			t.Errorf("%s: compared by no measure, two radii differ", m.Key)
		}
	}
	if got := s.Count(Disrupted); got != int(s.Of(MeasureDisrupted)) {
		t.Errorf("count of disrupted %d, want %v", got, s.Of(MeasureDisrupted))
	}
}
