package main

import "testing"

// TestRoundFloats: numbers with a fraction are rounded, integers and
// strings (a model's names may hold anything) are left as they are.
func TestRoundFloats(t *testing.T) {
	for in, want := range map[string]string{
		`{"a": 4.700000000000001}`:                           `{"a": 4.7}`,
		`[2.7800000000000002, -0.30000000000000004, 1e-07]`:  `[2.78, -0.3, 1e-07]`,
		`{"n": 1900000, "p": 66388092}`:                      `{"n": 1900000, "p": 66388092}`,
		`{"name": "4.700000000000001 \"x\" 0.1", "v": 0.25}`: `{"name": "4.700000000000001 \"x\" 0.1", "v": 0.25}`,
		`{"ci": [0.9923756595384479, 285000.00000001]}`:      `{"ci": [0.9923756595, 285000]}`,
		`"unterminated 1.00000000001`:                        `"unterminated 1.00000000001`,
	} {
		if got := string(roundFloats([]byte(in))); got != want {
			t.Errorf("roundFloats(%s) = %s, want %s", in, got, want)
		}
	}
}
