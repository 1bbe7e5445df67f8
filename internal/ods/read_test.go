package ods

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// A list-size file that cannot be read to its end is an error, not a
// shorter list.
func TestReadListSizesReportsReadFailure(t *testing.T) {
	in := io.MultiReader(strings.NewReader("CODE,NUMBER_OF_PATIENTS\nG99001,8123\n"), iotest.ErrReader(errors.New("disk gone")))
	if _, err := ReadListSizes("sizes.csv", in); err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Errorf("err = %v, want the read failure", err)
	}
}
