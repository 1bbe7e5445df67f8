// Package english writes figures and counted words as every text output of
// blastradius prints them: 2,600,000 people, 1 organisation, 3 dependencies.
package english

import (
	"strconv"
	"strings"
)

// Commas writes a whole number with thousands separators: 2600000 as
// 2,600,000.
func Commas[N ~int | ~int32 | ~int64](n N) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return neg + string(b)
}

// Plural writes a count and its noun, in the plural unless the count is
// one: "1 organisation", "12 organisations", "3 dependencies",
// "1,900,000 people".
func Plural[N ~int | ~int32 | ~int64](n N, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return Commas(n) + " " + plural(word)
}

// irregular holds the nouns whose plural is not made by a rule below.
var irregular = map[string]string{"person": "people"}

func plural(word string) string {
	if p, ok := irregular[word]; ok {
		return p
	}
	if n := len(word); n > 1 && word[n-1] == 'y' && !isVowel(word[n-2]) {
		return word[:n-1] + "ies"
	}
	return word + "s"
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// And joins words as a sentence lists them: "a", "a and b", "a, b and c".
func And(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
