package output

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"github.com/blastradius/blastradius/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func writeAll(t *testing.T, f Formatter, ext string) (dir string, files map[string]string) {
	t.Helper()
	dir = t.TempDir()
	files = map[string]string{}
	i := 0
	for name, r := range results(t) {
		root, _ := filepath.Abs("..")
		r.Root = root
		var b bytes.Buffer
		if err := f.Format(&b, r); err != nil {
			t.Fatal(err)
		}
		i++
		path := filepath.Join(dir, strings.Map(func(r rune) rune {
			if strings.ContainsRune(`/ :~-`, r) {
				return '_'
			}
			return r
		}, name)+ext)
		os.WriteFile(path, b.Bytes(), 0o644)
		files[path] = name
	}
	return dir, files
}

var multitoolProblem = regexp.MustCompile(`(?m)^.*\): (error|warning) [A-Z]+[0-9]+:.*$`)

// TestSARIFMultitool runs Microsoft's SARIF Multitool on every kind of
// SARIF log: the rules of the SARIF specification and GitHub's ingestion
// rules must find no error and no warning.
func TestSARIFMultitool(t *testing.T) {
	if testing.Short() {
		t.Skip("the Multitool takes about twenty seconds; run without -short")
	}
	tool := testtool.Need(t, "SARIF_MULTITOOL", "run .ci/run, which installs @microsoft/sarif-multitool from npm", "Sarif.Multitool")
	_, files := writeAll(t, SARIF{}, ".sarif")
	args := []string{"validate", "--rule-kind", "Gh;Sarif"}
	for path := range files {
		args = append(args, path)
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if want := fmt.Sprintf("%d files scanned", len(files)); !strings.Contains(string(out), want) {
		t.Fatalf("the Multitool did not scan every log (want %q):\n%s", want, out)
	}
	for _, p := range multitoolProblem.FindAllString(string(out), -1) {
		for path, name := range files {
			p = strings.ReplaceAll(p, path, name)
		}
		t.Error(p)
	}
	// The Multitool is not a rubber stamp: a rule without help is an error.
	bad := filepath.Join(t.TempDir(), "bad.sarif")
	os.WriteFile(bad, []byte(`{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"x","informationUri":"https://example.org","rules":[{"id":"R1","shortDescription":{"text":"A rule."}}]}},"results":[]}]}`), 0o644)
	out, _ = exec.Command(tool, "validate", "--rule-kind", "Gh;Sarif", bad).CombinedOutput()
	if !multitoolProblem.Match(out) {
		t.Errorf("the Multitool accepts a rule without help:\n%s", out)
	}
}

type junitText struct {
	XMLName xml.Name
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
	Failure bool
}

func (j *junitText) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	type plain junitText
	var p plain
	if err := d.DecodeElement(&p, &start); err != nil {
		return err
	}
	*j = junitText(p)
	j.Failure = start.Name.Local == "failure"
	return nil
}

// junitPosition matches a message that starts with FILE:LINE:COL:.
var junitPosition = regexp.MustCompile(`^[^\s]+:[0-9]+:[0-9]+: `)

// TestJUnitSchema checks every kind of JUnit report against the Jenkins
// xUnit plugin's junit-10.xsd with xmllint (the plugin skips a report that
// fails it), that its counts agree with the exit code, that every failure
// leads with its position, and that every report holds a test case.
func TestJUnitSchema(t *testing.T) {
	xmllint := testtool.Need(t, "XMLLINT", "apt-get install libxml2-utils; .ci/run installs it", "xmllint")
	_, files := writeAll(t, JUnit{}, ".xml")
	rs := results(t)
	for path, name := range files {
		out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", path).CombinedOutput()
		if err != nil {
			t.Errorf("%s: not valid against junit-10.xsd: %v\n%s", name, err, out)
		}
		src, _ := os.ReadFile(path)
		var top struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
			Suites   []struct {
				Cases []struct {
					Failure *junitText `xml:"failure"`
					Error   *junitText `xml:"error"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(src, &top); err != nil {
			t.Fatal(err)
		}
		cases, failures, errs := 0, 0, 0
		for _, s := range top.Suites {
			for _, c := range s.Cases {
				cases++
				for _, f := range []*junitText{c.Failure, c.Error} {
					if f == nil {
						continue
					}
					if f.Failure {
						failures++
					} else {
						errs++
					}
					// Jenkins shows the message and the text of a failure, and
					// nothing else of where it is: both must lead with a position.
					if !junitPosition.MatchString(f.Message) || !strings.HasPrefix(f.Text, f.Message[:strings.Index(f.Message, ": ")]) {
						t.Errorf("%s: a failure does not lead with its position: message %q, text %q", name, f.Message, f.Text)
					}
				}
			}
		}
		// Jenkins' junit step fails a build whose reports hold no test case.
		if cases == 0 {
			t.Errorf("%s: no test case", name)
		}
		if cases != top.Tests || failures != top.Failures || errs != top.Errors {
			t.Errorf("%s: %d cases, %d failures, %d errors; the header says %d, %d, %d", name, cases, failures, errs, top.Tests, top.Failures, top.Errors)
		}
		want := ExitOK
		switch {
		case errs > 0:
			want = ExitError
		case failures > 0:
			want = ExitProblem
		}
		if got := rs[name].Exit(); got != want {
			t.Errorf("%s: %d failures and %d errors, but exit %d", name, failures, errs, got)
		}
	}
	// The schema is not a rubber stamp: a suite without its count of tests fails.
	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte(`<testsuites><testsuite name="x"></testsuite></testsuites>`), 0o644)
	if exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", bad).Run() == nil {
		t.Error("junit-10.xsd accepts a suite without tests")
	}
	// It is the current schema, which skips a report whose case has a line.
	os.WriteFile(bad, []byte(`<testsuites><testsuite name="x" tests="1" failures="0" errors="0"><testcase name="y" file="m.yaml" line="3"/></testsuite></testsuites>`), 0o644)
	if exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", bad).Run() == nil {
		t.Error("junit-10.xsd accepts file= and line= on a test case: it is not the xUnit plugin's current schema")
	}
}
