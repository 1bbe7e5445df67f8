package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/textsafe"
)

// JUnit writes JUnit XML, as Jenkins, GitLab and most CI systems read it:
// one test suite per scenario (and one for policies), one test case per
// expectation or policy. A case fails if it has a finding that fails the
// result (see Result.Fails), so the counts agree with the exit code; the
// errors of a model that did not load are <error>s. It is valid against
// the Jenkins xUnit plugin's junit-10.xsd, which skips a whole report whose
// <testcase> carries file= or line=, so a finding's position leads its line
// of the failure text, and the first failing one is the failure's message:
// the text both xUnit and Jenkins' own junit step show for a failed case.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (JUnit) Format(out io.Writer, r *Result) error {
	w := textsafe.NewWriter(out)
	defer w.Flush()
	top := junitSuites{Name: "blastradius " + r.Title()}
	var order []string
	suites := map[string]*junitSuite{}
	for _, c := range r.Checks() {
		s, ok := suites[c.Group]
		if !ok {
			s = &junitSuite{Name: c.Group}
			suites[c.Group] = s
			order = append(order, c.Group)
		}
		tc := junitCase{Classname: "blastradius." + strings.ReplaceAll(c.Group, " ", "_"), Name: c.Name}
		var fails, notes []string
		failRule := ""
		for _, f := range c.Findings {
			line := fmt.Sprintf("%s: %s [%s]", f.Pos, f.Message, f.Rule)
			if !r.Fails(f) {
				if f.Waiver != nil {
					line += fmt.Sprintf(" (waived until %s: %s)", f.Waiver.Until, f.Waiver.Reason)
				}
				notes = append(notes, line)
				continue
			}
			if failRule == "" {
				failRule = f.Rule
			}
			fails = append(fails, line)
		}
		if len(fails) > 0 {
			noun := "finding"
			if r.Invalid {
				noun = "error"
			}
			fail := &junitFailure{Message: fails[0], Type: failRule, Text: strings.Join(fails, "\n")}
			if len(fails) > 1 {
				fail.Message += fmt.Sprintf(" (and %s)", english.Plural(len(fails)-1, "more "+noun))
			}
			if r.Invalid {
				tc.Error = fail
				s.Errors++
				top.Errors++
			} else {
				tc.Failure = fail
				s.Failures++
				top.Failures++
			}
		}
		tc.SystemOut = strings.Join(notes, "\n")
		s.Cases = append(s.Cases, tc)
		s.Tests++
		top.Tests++
	}
	for _, name := range order {
		top.Suites = append(top.Suites, *suites[name])
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(top); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
