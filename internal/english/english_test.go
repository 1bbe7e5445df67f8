package english

import "testing"

func TestCommas(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {3875, "3,875"}, {100000, "100,000"},
		{2600000, "2,600,000"}, {-1234567, "-1,234,567"}, {-12, "-12"},
	} {
		if got := Commas(c.n); got != c.want {
			t.Errorf("Commas(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n          int
		word, want string
	}{
		{1, "organisation", "1 organisation"},
		{0, "organisation", "0 organisations"},
		{3, "dependency", "3 dependencies"},
		{2, "day", "2 days"},
		{1900000, "person", "1,900,000 people"},
		{1, "person", "1 person"},
		{6472, "patient", "6,472 patients"},
	} {
		if got := Plural(c.n, c.word); got != c.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", c.n, c.word, got, c.want)
		}
	}
}

func TestAnd(t *testing.T) {
	for want, in := range map[string][]string{"": nil, "a": {"a"}, "a and b": {"a", "b"}, "a, b and c": {"a", "b", "c"}} {
		if got := And(in); got != want {
			t.Errorf("And(%q) = %q, want %q", in, got, want)
		}
	}
}
