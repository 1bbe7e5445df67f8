package explore

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

func session(t testing.TB, path string) *Session {
	t.Helper()
	m, err := model.LoadWith(path, model.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSession(path, m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func examples(t testing.TB) []string {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	return files
}

func TestWhatIfText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"control:b:mfa,control:a:segmentation", "control:a:segmentation,control:b:mfa"},
		{"remove:a:b:service, remove:a:b", "remove:a:b,remove:a:b:service"},
		{"alternative:a:b:c,control:a:mfa,control:a:mfa", "control:a:mfa,alternative:a:b:c"},
		{"uncontrol:b:mfa,add:a:b:service,remove:c:d", "uncontrol:b:mfa,remove:c:d,add:a:b:service"},
		{"add:a:b:service:likelihood=0.50:alt=d:alt=c:critical=false", "add:a:b:service:critical=false:alt=d:alt=c:likelihood=0.5"},
		{"add:a:b:data:critical=true:likelihood=1", "add:a:b:data"},
		{"add:a:b:service:likelihood=0", "add:a:b:service:likelihood=0"},
	} {
		w, err := ParseWhatIf(tc.in)
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got := w.String(); got != tc.want {
			t.Errorf("%q reads back as %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"control:a", "remove:a", "alternative:a:b", "mfa", "control:a:b:c", "uncontrol:a",
		"add:a:b", "add:a:b:service:critical=no", "add:a:b:service:alt=", "add:a:b:service:likelihood=2",
		"add:a:b:service:likelihood=NaN", "add:a:b:service:likelihood=0.5:likelihood=0.6", "add:a:b:service:optional",
		"control:a b:mfa", "control:{a}:mfa", "remove:a::service"} {
		if _, err := ParseWhatIf(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// everyAssumption is a model with one scenario for each key of assume:.
const everyAssumption = "testdata/every-assumption.yaml"

// outcome is what a result says: the summary and each affected node's
// effects.
func outcome(im *graph.Impact) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v\n", im.Summary)
	for _, a := range im.Affected {
		fmt.Fprintf(&b, "%s %v %v\n", a.ID, a.Impact, a.Effects)
	}
	return b.String()
}

// scenarioReach is what "reach --scenario" computes: Reach on the model
// with model.Apply's assumptions made.
func scenarioReach(t *testing.T, m *model.Model, sc *model.Scenario) *graph.Impact {
	t.Helper()
	g, err := graph.Build(m.Apply(sc.Assume.Changes()))
	if err != nil {
		t.Fatal(err)
	}
	im, err := g.Reach(sc.Seeds(), sc.Mode)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// A scenario's assumptions, by its name, as a what-if on its seeds, or
// both at once, give what "reach --scenario" gives.
func TestWhatIfIsTheScenario(t *testing.T) {
	tried := 0
	for _, path := range append(examples(t), everyAssumption) {
		s := session(t, path)
		for _, sc := range s.Model.Scenarios {
			w := FromAssumptions(sc.Assume)
			want := outcome(scenarioReach(t, s.Model, sc))
			for _, q := range []Query{{Scenario: sc.Name}, {Seeds: sc.Seeds(), Mode: sc.Mode, Assume: w}, {Scenario: sc.Name, Assume: w}} {
				got, err := s.Analyse(q)
				if err != nil {
					t.Fatalf("%s %q: %v", path, q.Assume, err)
				}
				if outcome(got.Impact) != want {
					t.Errorf("%s, scenario %q, what-if %q:\n%s\nwant\n%s", path, q.Scenario, q.Assume, outcome(got.Impact), want)
				}
				if got.Assume != w.String() {
					t.Errorf("%s %q: the what-if in force is %q, want %q", path, sc.Name, got.Assume, w)
				}
				if w.Empty() != (got.Baseline == nil) {
					t.Errorf("%s %q: baseline %v with what-if %q", path, sc.Name, got.Baseline != nil, w)
				}
			}
			if !w.Empty() {
				tried++
			}
		}
	}
	if tried == 0 {
		t.Fatal("no example scenario assumes anything")
	}
}

// Each scenario of the test model states one kind of change, and changes
// what the compromise does: the what-if of each carries that kind, and
// leaving it out would show other figures.
func TestEveryAssumptionCounts(t *testing.T) {
	s := session(t, everyAssumption)
	plain := s.Model.Scenario("As written")
	if plain == nil || !plain.Assume.Empty() {
		t.Fatal(`no scenario "As written" without assumptions`)
	}
	baseline := outcome(scenarioReach(t, s.Model, plain))
	kinds := map[string]string{"Controls": "control:", "Remove": "remove:", "Add": "add:", "Alternatives": "alternative:", "Remove controls": "uncontrol:"}
	for name, prefix := range kinds {
		sc := s.Model.Scenario(name)
		if sc == nil {
			t.Fatalf("no scenario %q", name)
		}
		res, err := s.Analyse(Query{Scenario: name})
		if err != nil {
			t.Fatal(err)
		}
		if outcome(res.Impact) == baseline {
			t.Errorf("scenario %q: the same radius as the model as written", name)
		}
		if len(res.Items) != 1 || !strings.HasPrefix(res.Items[0].Text, prefix) {
			t.Errorf("scenario %q: what-if %v, want one change %s...", name, res.Items, prefix)
		}
		if len(res.Spared)+len(res.Added) == 0 && outcome(res.Impact) == outcome(res.Baseline) {
			t.Errorf("scenario %q: the comparison shows no change", name)
		}
	}
	res, err := s.Analyse(Query{Scenario: "All five"})
	if err != nil {
		t.Fatal(err)
	}
	const want = `assume:
  remove:
    - {from: gp-c, to: lims}
  remove_controls:
    trust-a: [mfa]
  controls:
    trust-b: [mfa]
  add:
    - {from: community-d, to: lims, type: data}
    - {from: gp-c, to: backup-lab, type: service}
  alternatives:
    - {from: gp-c, to: backup-lab, add: [lims]}
`
	if res.YAML != want {
		t.Errorf("the assume: block of \"All five\" is\n%s\nwant\n%s", res.YAML, want)
	}
}

// The assume: block, pasted into a scenario of the file, parses and gives
// the same changes and the same result as the what-if.
func TestYAMLBlockParses(t *testing.T) {
	for _, tc := range []struct{ path, seed, assume string }{
		{"../examples/synnovis-2024.yaml", "synnovis-access", "control:synnovis-lims:mfa,control:gstt:segmentation,remove:kch:synnovis-lims:service"},
		{"../examples/synnovis-2024.yaml", "synnovis-access", "uncontrol:kch:segmentation,alternative:gstt:synnovis-lims:barts-pathology,alternative:gstt:synnovis-lims:kch," +
			"add:kch:barts-pathology:service:critical=false:alt=synnovis-lims:likelihood=0.25,remove:gstt:synnovis-lims:data"},
		{everyAssumption, "acme", "add:community-d:lims:service:critical=false:alt=backup-lab:likelihood=0.5,alternative:trust-a:lims:backup-lab,uncontrol:trust-a:mfa,control:trust-b:mfa,remove:gp-c:lims:service"},
	} {
		src, err := os.ReadFile(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		s := session(t, tc.path)
		w, err := ParseWhatIf(tc.assume)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Analyse(Query{Seeds: []string{tc.seed}, Assume: w})
		if err != nil {
			t.Fatalf("%s: %v", tc.assume, err)
		}
		block := "  - name: pasted\n    compromise: [" + tc.seed + "]\n" + indent(res.YAML, "    ")
		m, err := model.Parse(tc.path, []byte(strings.Replace(string(src), "scenarios:\n", "scenarios:\n"+block, 1)))
		if err != nil {
			t.Fatalf("%v\n%s", err, block)
		}
		sc := m.Scenario("pasted")
		if got := FromAssumptions(sc.Assume).String(); got != w.String() {
			t.Errorf("the block reads back as %q, want %q", got, w)
		}
		if got, want := outcome(scenarioReach(t, m, sc)), outcome(res.Impact); got != want {
			t.Errorf("%s: the pasted scenario gives\n%s\nthe what-if\n%s", tc.assume, got, want)
		}
		if strings.Contains(res.YAML, "#") {
			t.Errorf("the block has a comment:\n%s", res.YAML)
		}
	}
}

func TestWhatIfErrors(t *testing.T) {
	s := session(t, "../examples/synnovis-2024.yaml")
	for _, tc := range []struct{ assume, want string }{
		{"control:gsst:mfa", `"gsst"`},
		{"control:gstt:firewall", `"firewall"`},
		{"remove:gstt:kch", `no dependency from "gstt" to "kch"`},
		{"remove:gstt:synnovis-lims:hosting", `no hosting dependency`},
		{"remove:gstt:synnovis-lims:wire", `"wire"`},
		{"alternative:gstt:synnovis-lims:nowhere", `"nowhere"`},
		{"alternative:gstt:kch:barts-pathology", `no service dependency`},
		{"uncontrol:gstt:mfa", `"gstt" has no control "mfa"`},
		{"uncontrol:gsst:mfa", `did you mean "gstt"`},
		{"add:gstt:gstt:service", `depends on itself`},
		{"add:gstt:synnovis-lims:service:critical=false", `synnovis-lims`},
		{"add:gstt:kch:service:alt=kch", `the provider itself`},
	} {
		w, err := ParseWhatIf(tc.assume)
		if err == nil {
			_, err = s.Analyse(Query{Seeds: []string{"synnovis"}, Assume: w})
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %s", tc.assume, err, tc.want)
		}
	}
}

// An alternative from an unaffected provider keeps the consumer up.
func TestAlternative(t *testing.T) {
	s := session(t, "../examples/synnovis-2024.yaml")
	w, _ := ParseWhatIf("alternative:gstt:synnovis-lims:barts-pathology")
	res, err := s.Analyse(Query{Seeds: []string{"synnovis-access"}, Assume: w})
	if err != nil {
		t.Fatal(err)
	}
	if a := res.Baseline.Of("gstt"); a == nil || a.Impact != graph.Disrupted {
		t.Fatalf("baseline: gstt is %v, want disrupted", a)
	}
	if a := res.Impact.Of("gstt"); a != nil && a.Impact == graph.Disrupted {
		t.Errorf("with an alternative gstt is still disrupted")
	}
	if got, want := res.query.Assume.Words(), "give gstt barts-pathology as an alternative to synnovis-lims"; got != want {
		t.Errorf("in words: %q, want %q", got, want)
	}
	if want := "assume:\n  alternatives:\n    - {from: gstt, to: synnovis-lims, add: [barts-pathology]}\n"; res.YAML != want {
		t.Errorf("the block is\n%s\nwant\n%s", res.YAML, want)
	}
	for _, d := range s.Model.Dependencies {
		for _, a := range d.Alternatives {
			if a == "barts-pathology" && d.From == "gstt" {
				t.Fatal("the what-if changed the model it was tried on")
			}
		}
	}
}

func TestGroupsCountEveryNode(t *testing.T) {
	for _, path := range examples(t) {
		s := session(t, path)
		for _, sc := range s.Model.Scenarios {
			res, err := s.Analyse(Query{Scenario: sc.Name})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, g := range res.Groups {
				n := 0
				for _, ar := range g.Areas {
					for _, k := range ar.Kinds {
						n += k.Count
						for _, id := range k.IDs {
							if a := res.Impact.Of(id); a == nil || a.Impact != g.Effect {
								t.Errorf("%s: %s listed under %v", sc.Name, id, g.Effect)
							}
							seen[id] = true
						}
					}
				}
				if n != g.Count {
					t.Errorf("%s: %v counts %d, lists %d", sc.Name, g.Effect, g.Count, n)
				}
			}
			if len(seen) != len(res.Impact.Affected) {
				t.Errorf("%s: groups list %d nodes of %d", sc.Name, len(seen), len(res.Impact.Affected))
			}
		}
	}
}

func TestOverviewTiles(t *testing.T) {
	s := session(t, "../examples/synnovis-2024.yaml")
	res, err := s.Analyse(Query{Scenario: s.Model.Scenarios[0].Name})
	if err != nil {
		t.Fatal(err)
	}
	o := s.Overview(res.Impact)
	orgs, hit := 0, 0
	for _, tile := range o.Tiles {
		orgs += tile.Organisations
		for _, n := range tile.Affected {
			hit += n
		}
	}
	if orgs != len(s.Model.Organisations) {
		t.Errorf("tiles hold %d organisations, the model %d", orgs, len(s.Model.Organisations))
	}
	if hit != res.Impact.Summary.Organisations {
		t.Errorf("tiles count %d affected, the summary %d", hit, res.Impact.Summary.Organisations)
	}
	if len(o.Scenarios) != len(s.Model.Scenarios) {
		t.Errorf("%d scenarios listed of %d", len(o.Scenarios), len(s.Model.Scenarios))
	}
}

func TestSearch(t *testing.T) {
	s := session(t, "../examples/synnovis-2024.yaml")
	for _, tc := range []struct{ q, first string }{
		{"gstt", "gstt"}, {"RJ1", "gstt"}, {"king's college", "kch"}, {"qilin", "Qilin ransomware, June 2024"},
	} {
		got := s.Search(tc.q, 20)
		if len(got) == 0 || got[0].ID != tc.first {
			t.Errorf("search %q: %v, want %q first", tc.q, got, tc.first)
		}
	}
	if got := s.Search("   ", 20); len(got) != 0 {
		t.Errorf("an empty search finds %v", got)
	}
}

func TestPeopleIsTheSummarysPeople(t *testing.T) {
	if got := People(graph.Summary{People: 40, Patients: 42}); got != 40 {
		t.Errorf("People = %d, want 40: each person once, not the patients sum", got)
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:80": true, "127.1.2.3:9": true,
		"0.0.0.0:8080": false, ":8080": false, "192.168.1.2:80": false, "example.com:80": false, "127.0.0.1": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v", addr, got)
		}
	}
}

// Requests for another Host (DNS rebinding) are refused.
func TestHostCheck(t *testing.T) {
	srv := NewServer("../examples/wirral-2024.yaml", model.DefaultLimits, nil)
	h := srv.Handler(8123)
	for host, want := range map[string]int{
		"127.0.0.1:8123": 200, "localhost:8123": 200, "[::1]:8123": 200,
		"evil.example:8123": 403, "127.0.0.1:9999": 403, "127.0.0.1": 403, "": 403, "10.0.0.1:8123": 403,
	} {
		r := httptest.NewRequest("GET", "/api/status", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %q: %d, want %d", host, w.Code, want)
		}
		if want == 200 && !strings.Contains(w.Header().Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("no Content-Security-Policy")
		}
	}
}

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Host = "127.0.0.1:8123"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestAPI(t *testing.T) {
	h := NewServer("../examples/synnovis-2024.yaml", model.DefaultLimits, nil).Handler(8123)
	for path, want := range map[string]string{
		"/":                        "<main id=\"app\">",
		"/assets/app.js":           "summaryHook",
		"/api/reach?seed=synnovis": `"organisations":12`,
		"/api/reach?scenario=Qilin%20ransomware,%20June%202024": `"seeds":["synnovis-access"]`,
		"/api/chokepoints?seed=synnovis":                        `"dominators"`,
		"/api/paths?seed=synnovis&to=gstt":                      `"steps"`,
		"/api/search?q=gstt":                                    `"id":"gstt"`,
		"/api/rank":                                             `"ranking"`,
		"/api/overview?seed=synnovis":                           `"affected":{"disrupted"`,
		"/api/node?id=gstt":                                     `"depends_on"`,
	} {
		w := get(t, h, path)
		if w.Code != 200 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("%s: %d %.300s, want %s", path, w.Code, w.Body.String(), want)
		}
	}
	for path, want := range map[string]string{
		"/api/reach?seed=nope":                     `no such`,
		"/api/reach":                               "name a seed or a scenario",
		"/api/reach?seed=gstt&mode=wiper":          "unknown mode",
		"/api/reach?scenario=Qilin":                "no scenario",
		"/api/reach?seed=gstt&assume=control:gstt": "what-if",
		"/api/draw?seed=gstt":                      "blastradius-draw",
	} {
		w := get(t, h, path)
		if w.Code < 400 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("%s: %d %.300s, want an error saying %s", path, w.Code, w.Body.String(), want)
		}
	}
}

// A what-if that cannot be tried answers 400 naming the assume parameter,
// so that the page shows the error beside its form; one that changes
// nothing is tried, with a warning that says so.
func TestAPIWhatIfErrors(t *testing.T) {
	h := NewServer("../examples/synnovis-2024.yaml", model.DefaultLimits, nil).Handler(8123)
	for _, tc := range []struct{ path, want string }{
		{"/api/reach?seed=synnovis&assume=control:gsst:mfa", `did you mean \"gstt\"?`},
		{"/api/reach?seed=synnovis&assume=control:gstt", `control:ID:CONTROL`},
		{"/api/chokepoints?seed=synnovis&assume=remove:gstt:kch", `no dependency from \"gstt\" to \"kch\"`},
		{"/api/overview?seed=synnovis&assume=uncontrol:gstt:mfa", `has no control`},
	} {
		w := get(t, h, tc.path)
		body := w.Body.String()
		if w.Code != 400 || !strings.Contains(body, `"param":"assume"`) || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %.300s, want 400 naming the assume parameter and saying %s", tc.path, w.Code, body, tc.want)
		}
	}
	if w := get(t, h, "/api/reach?seed=nope"); strings.Contains(w.Body.String(), `"param"`) {
		t.Errorf("an unknown seed is not the what-if's error: %s", w.Body.String())
	}
	w := get(t, h, "/api/reach?seed=synnovis&assume=control:gstt:segmentation,control:gstt:mfa")
	var res Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); w.Code != 200 || err != nil {
		t.Fatalf("a control gstt already has: %d %v %.300s", w.Code, err, w.Body.String())
	}
	want := []string{`what-if: controls: "gstt" already has control "segmentation"; assuming it changes nothing (the model gives it at ../examples/synnovis-2024.yaml:148:15; assume a control it lacks, or remove this one)`}
	if !slices.Equal(res.Warnings, want) {
		t.Errorf("warnings:\n got %q\nwant %q", res.Warnings, want)
	}
	if w := get(t, h, "/api/reach?seed=synnovis&assume=control:gstt:mfa"); !strings.Contains(w.Body.String(), `"warnings":[]`) {
		t.Errorf("a control gstt lacks: %.300s, want no warnings", w.Body.String())
	}
}

// The server reads the file again when it changes, and says why a broken
// file does not load, with its line.
func TestReload(t *testing.T) {
	src, err := os.ReadFile("../examples/wirral-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := NewServer(path, model.DefaultLimits, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Watch(ctx, 10*time.Millisecond)
	h := srv.Handler(8123)
	status := func() string { return get(t, h, "/api/status").Body.String() }
	waitFor := func(want string) {
		t.Helper()
		for range 300 {
			if strings.Contains(status(), want) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("status never says %s: %s", want, status())
	}
	broken := strings.Replace(string(src), "to: wirral-epr, type: service", "to: wirral-ehr, type: service", 1)
	os.WriteFile(path, []byte(broken), 0o644)
	waitFor(`"version":2`)
	waitFor(path + `:`)
	if !regexp.MustCompile(`m\.yaml:\d+:\d+: `).MatchString(status()) {
		t.Errorf("the error has no line: %s", status())
	}
	if w := get(t, h, "/api/reach?seed=wirral"); w.Code != 200 {
		t.Errorf("the last model that loaded is not kept: %d", w.Code)
	}
	os.WriteFile(path, []byte(strings.Replace(string(src), "name: Wirral University Teaching Hospital, November 2024", "name: Fixed", 1)), 0o644)
	waitFor(`"errors":[]`)
	if w := get(t, h, "/api/overview"); !strings.Contains(w.Body.String(), `"name":"Fixed"`) {
		t.Errorf("the new model is not served: %s", w.Body.String())
	}
}

// The report allows only its own script and style, by hash.
func TestReportIsSelfContained(t *testing.T) {
	s := session(t, "../cmd/blastradius/testdata/hostile-names.yaml")
	page, err := s.Report(ReportOptions{Version: "test", NoDraw: "no program"})
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]+)">`).FindStringSubmatch(html)
	if csp == nil {
		t.Fatal("no Content-Security-Policy")
	}
	policy := strings.NewReplacer("&#39;", "'", "&#43;", "+").Replace(csp[1])
	for _, tag := range []string{"script", "style"} {
		re := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`)
		for _, m := range re.FindAllStringSubmatch(html, -1) {
			sum := sha256.Sum256([]byte(m[1]))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy, tag+"-src "+h) {
				t.Errorf("the %s element's hash %s is not in the policy %s", tag, h, policy)
			}
		}
	}
	if strings.Contains(policy, "unsafe") || !strings.Contains(policy, "default-src 'none'") {
		t.Errorf("policy %s", policy)
	}
	if regexp.MustCompile(`<[^>]+\son[a-z]+=`).MatchString(html) {
		t.Error("the report has an inline event handler")
	}
	if regexp.MustCompile(`(src|href)="https?:`).MatchString(html) {
		t.Error("the report loads something from the network")
	}
	if strings.Contains(html, "<script>window.__injected") {
		t.Error("a name from the model is in the HTML unescaped")
	}
	if !strings.Contains(html, "No drawing: no program") {
		t.Error("the report does not say why it has no drawing")
	}
}

// An aid link and a stock change round-trip through the address's text,
// the assume: block and the model's assumptions.
func TestWhatIfAidAndStock(t *testing.T) {
	m, err := model.Parse("m.yaml", []byte(`version: 1
organisations:
  - {id: trust, kind: trust}
services:
  - {id: lab, kind: pathology, recovery: 10}
  - {id: lab2, kind: pathology}
  - {id: blood, kind: stock, stock: {days: 6, alert: 2}}
dependencies:
  - {from: trust, to: lab, type: service}
  - {from: trust, to: blood, type: service, surge: {when: lab, factor: 2, share: 0.5}}
`))
	if err != nil {
		t.Fatal(err)
	}
	const text = "aid:trust:lab2:after=3:headroom=0.2,stock:blood:days=8"
	w, err := ParseWhatIf("stock:blood:days=8, aid:trust:lab2:after=3:headroom=0.2")
	if err != nil {
		t.Fatal(err)
	}
	if w.String() != text {
		t.Errorf("text %q, want %q", w.String(), text)
	}
	if got, want := w.Words(), "make lab2 a helper of trust from day 3, headroom 0.2; hold 8 days of blood"; got != want {
		t.Errorf("words %q, want %q", got, want)
	}
	a, _, err := w.Assumptions(m, model.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if a.Empty() || len(a.Aid) != 1 || a.Aid[0].Aid.After != 3 || len(a.Stocks) != 1 || *a.Stocks[0].Days != 8 {
		t.Errorf("assumptions %+v", a)
	}
	if back := FromAssumptions(a); back.String() != text {
		t.Errorf("from the assumptions: %q, want %q", back.String(), text)
	}
	out := m.Apply(a.Changes())
	if s := out.Node("blood").Stock; s.Days != 8 || s.Alert != 2 {
		t.Errorf("stock after the what-if: %+v", s)
	}
	if m.Node("blood").Stock.Days != 6 {
		t.Error("Apply changed the model's stock")
	}
	if d := out.Dependencies[len(out.Dependencies)-1]; d.From != "trust" || d.To != "lab2" || d.Aid == nil || d.Aid.Headroom != 0.2 {
		t.Errorf("the aid link added: %+v", d)
	}
	for _, bad := range []struct{ text, want string }{
		{"aid:trust:trust:headroom=0.2", `what-if: aid from "trust" to itself`},
		{"aid:trust:lab2:after=-1:headroom=0.2", "what-if: aid after -1 is negative"},
		{"aid:trust:lab2:after=2", "what-if: aid gives neither headroom nor shed"},
		{"stock:lab:days=8", `what-if: assume stock: "lab" is not a stock`},
		{"stock:blood:alert=9", `what-if: assume stock: the alert 9 of "blood" is above its days 6`},
		{"aid:trust:lab2:speed=2", `what-if "aid:trust:lab2:speed=2": "speed=2": after aid:FROM:TO write`},
	} {
		w, err := ParseWhatIf(bad.text)
		if err == nil {
			_, _, err = w.Assumptions(m, model.DefaultLimits)
		}
		if err == nil || !strings.HasPrefix(err.Error(), bad.want) {
			t.Errorf("%s: %v, want %s", bad.text, err, bad.want)
		}
	}
}

func TestWhatIfWords(t *testing.T) {
	w, _ := ParseWhatIf("control:a:mfa,remove:b:c,remove:d:e:data")
	if got, want := w.Words(), "add mfa to a; remove every dependency of b on c; remove the data dependency of d on e"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

// The what-if knows every kind of change a scenario's assume: may state:
// a new kind in model.Assumptions fails here until FromAssumptions, the
// address's text and the assume: block carry it.
func TestWhatIfKnowsEveryAssumption(t *testing.T) {
	known := []string{"Controls", "Remove", "Add", "Alternatives", "RemoveControls", "Aid", "Stocks"}
	typ := reflect.TypeFor[model.Assumptions]()
	var fields []string
	for i := range typ.NumField() {
		fields = append(fields, typ.Field(i).Name)
	}
	slices.Sort(fields)
	slices.Sort(known)
	if !slices.Equal(fields, known) {
		t.Errorf("model.Assumptions has %v; the what-if carries %v", fields, known)
	}
}

// The server also reads the model again when a file it includes changes.
func TestReloadIncluded(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("model.yaml", "version: 1\nname: Split\ninclude: [trusts.yaml]\norganisations:\n  - {id: lab, kind: supplier}\n")
	write("trusts.yaml", "organisations:\n  - {id: trust-a, kind: trust}\n")
	srv := NewServer(filepath.Join(dir, "model.yaml"), model.DefaultLimits, nil)
	if errs := srv.Errors(); errs != nil {
		t.Fatal(errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Watch(ctx, 10*time.Millisecond)
	write("trusts.yaml", "organisations:\n  - {id: trust-a, kind: trust}\n  - {id: trust-b, kind: trust}\n")
	for range 300 {
		if sess := srv.Session(); sess != nil && sess.Model.Node("trust-b") != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("a change to an included file was not loaded")
}

func TestTilesInNaturalOrder(t *testing.T) {
	names := []string{"Synthetic ICB 10 area", "Synthetic ICB 2 area", "NHS Kent and Medway", "Synthetic ICB 1 area", "Synthetic ICB 02 area x"}
	slices.SortFunc(names, natural)
	want := []string{"NHS Kent and Medway", "Synthetic ICB 1 area", "Synthetic ICB 2 area", "Synthetic ICB 02 area x", "Synthetic ICB 10 area"}
	if !slices.Equal(names, want) {
		t.Errorf("got %q, want %q", names, want)
	}
}
