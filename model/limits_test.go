package model

import (
	"reflect"
	"testing"
)

// TestLimitsWithDefaults: a limit above zero is kept, and zero or below
// means the default, for every field of Limits.
func TestLimitsWithDefaults(t *testing.T) {
	if got := (Limits{}).withDefaults(); got != DefaultLimits {
		t.Errorf("zero limits: %+v, want the defaults", got)
	}
	for i := range reflect.TypeOf(Limits{}).NumField() {
		name := reflect.TypeOf(Limits{}).Field(i).Name
		for _, v := range []int64{7, -1} {
			var l Limits
			reflect.ValueOf(&l).Elem().Field(i).SetInt(v)
			got := reflect.ValueOf(l.withDefaults()).Field(i).Int()
			want := v
			if v < 0 {
				want = reflect.ValueOf(DefaultLimits).Field(i).Int()
			}
			if got != want {
				t.Errorf("%s %d: %d, want %d", name, v, got, want)
			}
		}
	}
}
