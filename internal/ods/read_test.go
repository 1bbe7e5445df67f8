package ods

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/blastradius/blastradius/model"
)

// A list-size file that cannot be read to its end is an error, not a
// shorter list.
func TestReadListSizesReportsReadFailure(t *testing.T) {
	in := io.MultiReader(strings.NewReader("CODE,NUMBER_OF_PATIENTS\nG99001,8123\n"), iotest.ErrReader(errors.New("disk gone")))
	if _, err := ReadListSizes("sizes.csv", in); err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("err = %v, want the read failure", err)
	}
}

// A name with a control, bidirectional or zero-width character is imported
// without it, and the row says which it took.
func TestNamesCleaned(t *testing.T) {
	in := strings.NewReader("RJ1,\"GUY'S \x1b[2J\u202eTRUST\tONE\",Y56,QKK,MAIN ROAD,,LONDON,,,SE1 9RT,19930401,,,,,,,,,,,,,,,,\n" +
		"RJZ,KING'S COLLEGE HOSPITAL,Y56,QKK,MAIN ROAD,,LONDON,,,SE1 9RT,19930401,,,,,,,,,,,,,,,,\n")
	orgs, err := ReadTrusts("etr.csv", in)
	if err != nil {
		t.Fatal(err)
	}
	if got := orgs[0]; got.Name != "GUY'S [2JTRUST ONE" || got.Cleaned != "U+001B ESC, U+202E RIGHT-TO-LEFT OVERRIDE, U+0009 TAB" || got.NameCol != 5 {
		t.Errorf("got name %q, cleaned %q at column %d", got.Name, got.Cleaned, got.NameCol)
	}
	if got := orgs[1]; got.Cleaned != "" || got.Name != "KING'S COLLEGE HOSPITAL" {
		t.Errorf("a clean name: got %q, cleaned %q", got.Name, got.Cleaned)
	}
}

// A NUL byte, bytes that are not UTF-8 and a field longer than any ODS
// field are errors at their row and column, not names.
func TestFieldsThatAreNotText(t *testing.T) {
	rest := ",Y56,QKK,MAIN ROAD,,LONDON,,,SE1 9RT,19930401,,,,,,,,,,,,,,,,\n"
	in := "RJ1,GUY\x00S" + rest + "RJZ,KING\xd5S COLLEGE" + rest + "RJ2," + strings.Repeat("A", 5000) + rest + "RPG,OXLEAS" + rest
	orgs, err := ReadTrusts("etr.csv", strings.NewReader(in))
	var list model.ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("orgs %v, err %v; want three errors", orgs, err)
	}
	for i, want := range []string{"etr.csv:1:5: field 2 holds a NUL byte", "etr.csv:2:5: field 2 is not UTF-8", "etr.csv:3:5: field 2 is 5000 bytes long, over 1024"} {
		if got := list[i].Error(); !strings.HasPrefix(got, want) {
			t.Errorf("error %d: %q, want %q...", i, got, want)
		}
	}
}
