package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/blastradius/blastradius/internal/testtool"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/blastradius/blastradius/explore"
	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// The browser tests drive Debian's chromium through chromedp. Under CI=true
// a missing chromium fails them; elsewhere they are skipped with a message.
// Screenshots go to $BLASTRADIUS_ARTEFACTS, or testdata/out.

func chromiumPath(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are not short")
	}
	return testtool.Need(t, "BLASTRADIUS_CHROMIUM", `install it with "apt-get install -y chromium"`, "chromium", "/usr/bin/chromium")
}

// packageDir is this package's directory, where the tests start: some of
// them move to the repository's root, so that the pages name the files as
// a user at the root would ("examples/synnovis-2024.yaml").
var packageDir, _ = os.Getwd()

func artefactDir(t testing.TB) string {
	dir := os.Getenv("BLASTRADIUS_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join(packageDir, "testdata", "out")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser is one headless chromium, and what its pages said on the console.
type browser struct {
	ctx     context.Context
	mu      sync.Mutex
	console []string // every console message and exception, "level: text"
}

func newBrowser(t testing.TB) *browser {
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	b := &browser{}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	ctx, cancelC := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	b.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

// listen keeps what the page says on its console.
func (b *browser) listen(ev any) {
	{
		var line string
		switch ev := ev.(type) {
		case *cdpruntime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			line = string(ev.Type) + ": " + strings.Join(args, " ")
		case *cdpruntime.EventExceptionThrown:
			line = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				line += " " + ev.ExceptionDetails.Exception.Description
			}
		case *cdplog.EventEntryAdded:
			line = string(ev.Entry.Level) + ": " + ev.Entry.Text + " " + ev.Entry.URL
		default:
			return
		}
		b.mu.Lock()
		b.console = append(b.console, line)
		b.mu.Unlock()
	}
}

// errors returns console lines at error level or that mention an injection,
// and forgets every line.
func (b *browser) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range b.console {
		if strings.HasPrefix(l, "error") || strings.HasPrefix(l, "exception") || strings.Contains(l, "INJECTED") {
			out = append(out, l)
		}
	}
	b.console = nil
	return out
}

// stepTimeout bounds each step, so that a page that never shows what a
// test waits for fails the test in good time.
const stepTimeout = 60 * time.Second

func (b *browser) do(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func value[T any](t testing.TB, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// hook is what the testing hook says: #summary's figures and the affected
// nodes of the result that holds it.
type hook struct {
	Organisations int               `json:"organisations"`
	People        int64             `json:"people"`
	Seeds         string            `json:"seeds"`
	Nodes         map[string]string `json:"nodes"`
}

const readHook = `(() => {
  const s = document.getElementById("summary");
  const nodes = {};
  for (const e of s.closest(".result").querySelectorAll("[data-id][data-impact]")) nodes[e.dataset.id] = e.dataset.impact;
  return {organisations: +s.dataset.organisations, people: +s.dataset.people, seeds: s.dataset.seeds, nodes};
})()`

func hookOf(im *graph.Impact) hook {
	h := hook{Organisations: im.Summary.Organisations, People: explore.People(im.Summary), Seeds: strings.Join(im.Seeds, ","), Nodes: map[string]string{}}
	for _, a := range im.Affected {
		h.Nodes[a.ID] = a.Impact.String()
	}
	return h
}

// reachJSONOf runs "blastradius reach" as a user would, with args.
func reachJSONOf(t *testing.T, args ...string) reachJSON {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"reach", "--format", "json"}, args...), nil, &stdout, &stderr); code != 0 {
		t.Fatalf("reach %v: exit %d: %s", args, code, stderr.String())
	}
	var r struct {
		graph.Impact
		Baseline *graph.Impact `json:"baseline"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	return reachJSON{Impact: &r.Impact, Baseline: r.Baseline}
}

func sameHook(t *testing.T, where string, got, want hook) {
	t.Helper()
	if got.Organisations != want.Organisations || got.People != want.People || got.Seeds != want.Seeds {
		t.Errorf("%s: #summary says %d organisations, %d people, seeds %q; reach says %d, %d, %q",
			where, got.Organisations, got.People, got.Seeds, want.Organisations, want.People, want.Seeds)
	}
	if fmt.Sprint(got.Nodes) != fmt.Sprint(want.Nodes) {
		t.Errorf("%s: affected nodes on the page\n%v\nreach says\n%v", where, got.Nodes, want.Nodes)
	}
}

// everyAssumption is a model with one scenario for each key of assume:,
// from the repository's root.
const everyAssumption = "explore/testdata/every-assumption.yaml"

// shownModels moves the test to the repository's root and lists the models
// whose pages it checks: every example, and the model with one scenario
// for each key of assume:.
func shownModels(t *testing.T) []string {
	chdirRoot(t)
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	return append(files, everyAssumption)
}

// buildDraw builds blastradius-draw for the tests and names it in
// BLASTRADIUS_DRAW, so that reports and the page hold drawings.
func buildDraw(t testing.TB) {
	exe := filepath.Join(t.TempDir(), "blastradius-draw")
	cmd := exec.Command("go", "build", "-o", exe, filepath.Join(packageDir, "..", "blastradius-draw"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building blastradius-draw: %v\n%s", err, out)
	}
	t.Setenv("BLASTRADIUS_DRAW", exe)
}

func writeReport(t testing.TB, path string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.html")
	var stderr bytes.Buffer
	if code := run([]string{"report", path, "-o", out}, nil, &bytes.Buffer{}, &stderr); code != 0 {
		t.Fatalf("report %s: exit %d: %s", path, code, stderr.String())
	}
	return out
}

func fileURL(path string) string {
	abs, _ := filepath.Abs(path)
	return (&url.URL{Scheme: "file", Path: abs}).String()
}

func TestBrowserReport(t *testing.T) {
	b := newBrowser(t)
	buildDraw(t)
	for _, path := range shownModels(t) {
		m, err := model.LoadWith(path, model.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		page := writeReport(t, path)
		for i, sc := range m.Scenarios {
			b.do(t, chromedp.Navigate("about:blank"),
				chromedp.Navigate(fileURL(page)+"#scenario="+url.QueryEscape(sc.Name)),
				chromedp.WaitReady(chromedp.CSS("#summary")))
			got := value(t, b, chromedp.Evaluate[hook](readHook))
			want := reachJSONOf(t, path, "--scenario", sc.Name)
			sameHook(t, fmt.Sprintf("report of %s, scenario %q", path, sc.Name), got, hookOf(want.Impact))
			drawings := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll("figure.drawing img[src^='data:image/svg+xml']").length`))
			if drawings != len(m.Scenarios) {
				t.Errorf("report of %s: %d drawings for %d scenarios", path, drawings, len(m.Scenarios))
			}
			if i == 0 && strings.Contains(path, "synnovis") {
				png := value(t, b, chromedp.FullScreenshot(100))
				os.WriteFile(filepath.Join(artefactDir(t), "report-synnovis.png"), png, 0o644)
			}
		}
		checkBriefs(t, b, path)
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("report of %s: console errors:\n%s", path, strings.Join(errs, "\n"))
		}
	}
}

// checkBriefs lays the open report out as print on A4 and checks that each
// scenario's brief fits one page; it keeps the PDF as an artefact.
func checkBriefs(t *testing.T, b *browser, path string) {
	t.Helper()
	// A4 less the report's 12 mm print margins, in CSS pixels.
	const width, height = a4Width, a4Height
	b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: height, DeviceScaleFactor: 2})
		return err
	}))
	heights := value(t, b, chromedp.Evaluate[[]float64](`[...document.querySelectorAll("section.brief")].map(s => s.getBoundingClientRect().height)`))
	for i, h := range heights {
		if h > height {
			t.Errorf("report of %s: printed, brief %d is %.0f px tall, more than one A4 page (%d px)", path, i+1, h, height)
		}
	}
	if strings.Contains(path, "synnovis") {
		pdf := value(t, b, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		os.WriteFile(filepath.Join(artefactDir(t), "report-synnovis.pdf"), pdf, 0o644)
		png := value(t, b, chromedp.FullScreenshot(100))
		os.WriteFile(filepath.Join(artefactDir(t), "report-synnovis-print.png"), png, 0o644)
		// The README's board brief (docs/report-brief.png): the first
		// scenario as it prints, on its A4 page.
		png = value(t, b, chromedp.Screenshot(chromedp.CSS("section.brief"), chromedp.NodeVisible))
		os.WriteFile(filepath.Join(artefactDir(t), "report-brief.png"), png, 0o644)
	}
	b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}))
}

// The printed page's content box, A4 and Letter less the report's 12 mm
// margins, in CSS pixels (96 to the inch), and the PDF's page size in
// points.
const (
	a4Width, a4Height         = 703, 1031
	letterWidth, letterHeight = 725, 965
)

var (
	mediaBoxRE = regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]`)
	pdfPageRE  = regexp.MustCompile(`/Type\s*/Page\b`)
)

// pdfPages returns each page's size in points, rounded.
func pdfPages(t *testing.T, pdf []byte) [][2]int {
	t.Helper()
	var out [][2]int
	for _, m := range mediaBoxRE.FindAllSubmatch(pdf, -1) {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		out = append(out, [2]int{int(math.Round(w)), int(math.Round(h))})
	}
	if n := len(pdfPageRE.FindAll(pdf, -1)); n != len(out) {
		t.Fatalf("the PDF has %d pages and %d page sizes", n, len(out))
	}
	return out
}

// TestBrowserReportPages prints reports as a browser saves them as PDF:
// on A4 by default and on Letter with --paper letter; one scenario with
// --scenario is one brief, a page, and its drawing, a page sized to fit it;
// and each list's heading counts the items shown under it.
func TestBrowserReportPages(t *testing.T) {
	b := newBrowser(t)
	buildDraw(t)
	chdirRoot(t)
	const path = "examples/synnovis-2024.yaml"
	m, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args          []string
		paper         [2]int // points
		width, height int    // CSS pixels
		briefs, pages int    // pages: 0 for any
	}{
		{nil, [2]int{595, 842}, a4Width, a4Height, 3, 0},
		{[]string{"--scenario", "Qilin ransomware, June 2024"}, [2]int{595, 842}, a4Width, a4Height, 1, 2},
		{[]string{"--scenario", "MFA on the laboratory system", "--paper", "letter"}, [2]int{612, 792}, letterWidth, letterHeight, 1, 2},
	} {
		name := fmt.Sprint(tc.args)
		out := filepath.Join(t.TempDir(), "brief.html")
		var stderr bytes.Buffer
		if code := run(append([]string{"report", path, "-o", out}, tc.args...), nil, &bytes.Buffer{}, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr.String())
		}
		b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(fileURL(out)), chromedp.WaitReady(chromedp.CSS("#summary")))
		if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll("section.brief").length`)); n != tc.briefs {
			t.Errorf("%s: %d briefs, want %d", name, n, tc.briefs)
		}
		if tc.briefs == 1 {
			if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll("section.overview, section.rank-section").length`)); n != 0 {
				t.Errorf("%s: one brief comes with the overview or the rank", name)
			}
		}
		pdf := value(t, b, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
		pages := pdfPages(t, pdf)
		for i, p := range pages {
			if p != tc.paper {
				t.Errorf("%s: page %d is %v points, want %v", name, i+1, p, tc.paper)
			}
		}
		if tc.pages > 0 && len(pages) != tc.pages {
			t.Errorf("%s: %d pages, want %d (the brief and its drawing)", name, len(pages), tc.pages)
		}
		if tc.briefs == 1 {
			os.WriteFile(filepath.Join(artefactDir(t), "report-one-"+fmt.Sprint(tc.paper[0])+".pdf"), pdf, 0o644)
		}

		// Laid out as print on the page's content box.
		b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: int64(tc.width), Height: int64(tc.height), DeviceScaleFactor: 1})
			return err
		}))
		type box struct{ W, H, Section, Page float64 }
		boxes := value(t, b, chromedp.Evaluate[[]box](`[...document.querySelectorAll("section.brief-drawing")].map(s => {
  const r = s.querySelector("img").getBoundingClientRect();
  return {W: r.width, H: r.height, Section: s.getBoundingClientRect().height, Page: document.documentElement.clientWidth};
})`))
		if len(boxes) != tc.briefs {
			t.Errorf("%s: %d drawings for %d briefs", name, len(boxes), tc.briefs)
		}
		for i, d := range boxes {
			// The drawing takes the page's width, and no more than its height.
			// (The page's width is its content box less the scroll bar, if any.)
			if d.Page > float64(tc.width) || d.W < d.Page-1 || d.W > d.Page+0.5 || d.H > float64(tc.height) || d.Section > float64(tc.height) {
				t.Errorf("%s: drawing %d is %.0f × %.0f px on a page of %.0f (%d) × %d (its page %.0f px tall)", name, i+1, d.W, d.H, d.Page, tc.width, tc.height, d.Section)
			}
		}
		heights := value(t, b, chromedp.Evaluate[[]float64](`[...document.querySelectorAll("section.brief")].map(s => s.getBoundingClientRect().height)`))
		for i, h := range heights {
			if h > float64(tc.height) {
				t.Errorf("%s: brief %d is %.0f px tall, more than a page (%d px)", name, i+1, h, tc.height)
			}
		}
		// Each list shown: its heading's count is the items under it.
		bad := value(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".list")].filter(l => l.offsetParent !== null).flatMap(l => {
  const m = /^([0-9,]+) (?:of ([0-9,]+) )?[a-z]+:/.exec(l.textContent);
  const ul = l.querySelector("ul");
  const shown = ul ? ul.children.length : Number(l.dataset.items);
  if (!m || Number(m[1].replace(/,/g, "")) !== shown || Number((m[2] || m[1]).replace(/,/g, "")) !== Number(l.dataset.total)) return [l.textContent];
  return [];
})`))
		if len(bad) > 0 {
			t.Errorf("%s: headings that do not count their lists:\n%s", name, strings.Join(bad, "\n"))
		}
		// What the brief prints names each node, never by its id (the
		// positions of the file aside).
		text := value(t, b, chromedp.Evaluate[string](`[...document.querySelectorAll("section.brief")].map(s => s.innerText).join("\n")`))
		text = regexp.MustCompile(`\S+\.yaml:\d+:\d+`).ReplaceAllString(text, "")
		for _, n := range m.Nodes() {
			if n.Name != "" && regexp.MustCompile(`(^|[^a-z0-9-])`+regexp.QuoteMeta(n.ID)+`($|[^a-z0-9-])`).MatchString(text) {
				t.Errorf("%s: the printed brief names %q by its id, not %q", name, n.ID, n.Name)
			}
		}
		if n := value(t, b, chromedp.Evaluate[int](`[...document.querySelectorAll(".list")].filter(l => l.offsetParent !== null).length`)); n < 2*tc.briefs {
			t.Errorf("%s: %d lists shown, want at least 2 for each brief", name, n)
		}
		b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
			return err
		}))
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// serveModel serves a model file as "blastradius serve" does and returns
// its address.
func serveModel(t testing.TB, path string) string {
	t.Helper()
	srv := explore.NewServer(path, model.DefaultLimits, drawer())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler(ln.Addr().(*net.TCPAddr).Port)}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// openHash loads the page afresh at a hash and waits for its result.
func openHash(t *testing.T, b *browser, base, hash string, got *hook) {
	t.Helper()
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#"+hash),
		chromedp.WaitReady(chromedp.CSS(`#summary[data-seeds]:not([data-seeds=""]), p.error`)))
	*got = value(t, b, chromedp.Evaluate[hook](readHook))
}

func TestBrowserServe(t *testing.T) {
	b := newBrowser(t)
	buildDraw(t)
	for _, path := range shownModels(t) {
		m, err := model.LoadWith(path, model.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		base := serveModel(t, path)
		for i, sc := range m.Scenarios {
			want := reachJSONOf(t, path, "--scenario", sc.Name)
			var got hook
			openHash(t, b, base, "scenario="+url.QueryEscape(sc.Name), &got)
			sameHook(t, fmt.Sprintf("page of %s, scenario %q", path, sc.Name), got, hookOf(want.Impact))
			// The same what-if typed into the URL, on the seeds alone.
			w := explore.FromAssumptions(sc.Assume)
			q := url.Values{"seed": {strings.Join(sc.Seeds(), ",")}, "mode": {string(cmpMode(sc.Mode))}}
			if !w.Empty() {
				q.Set("assume", w.String())
			}
			openHash(t, b, base, q.Encode(), &got)
			sameHook(t, fmt.Sprintf("page of %s, %s", path, q.Encode()), got, hookOf(want.Impact))
			if !w.Empty() {
				// Without the what-if the figures are the model's as written.
				q.Del("assume")
				openHash(t, b, base, q.Encode(), &got)
				sameHook(t, fmt.Sprintf("page of %s, %s", path, q.Encode()), got, hookOf(want.Baseline))
			}
			if i == 0 && strings.Contains(path, "synnovis") {
				shoot(t, b, base+"#"+"view=overview&scenario="+url.QueryEscape(sc.Name), ".tile.hit", "overview.png")
				// The README's picture (docs/explorer.png) is this one, the first screenful.
				png := value(t, b, chromedp.CaptureScreenshot())
				os.WriteFile(filepath.Join(artefactDir(t), "explorer.png"), png, 0o644)
				shoot(t, b, base+"#"+"scenario="+url.QueryEscape(sc.Name), ".groups", "scenario.png")
				shoot(t, b, base+"#"+"view=drawing&scenario="+url.QueryEscape(sc.Name), "img#drawing", "drawing.png")
			}
		}
		// Search finds a node by a word of its name.
		target := m.Organisations[len(m.Organisations)-1]
		word := longestWord(target.Name)
		b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base),
			chromedp.WaitReady(chromedp.CSS("#summary")),
			chromedp.SendKeys(chromedp.CSS("#search"), word),
			chromedp.WaitReady(chromedp.CSS(`#search-results [data-result]`)))
		found := value(t, b, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector('#search-results [data-result=%q]')`, target.ID)))
		if !found {
			t.Errorf("page of %s: searching %q does not find %q", path, word, target.ID)
		}
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("page of %s: console errors:\n%s", path, strings.Join(errs, "\n"))
		}
	}
}

func cmpMode(m model.Mode) model.Mode {
	if m == "" {
		return model.Ransomware
	}
	return m
}

func longestWord(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' })
	slices.SortStableFunc(words, func(a, b string) int { return len(b) - len(a) })
	return words[0]
}

func shoot(t *testing.T, b *browser, u, wait, name string) {
	t.Helper()
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(u),
		chromedp.WaitReady(chromedp.CSS(wait)),
		chromedp.Sleep(300*time.Millisecond))
	png := value(t, b, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(artefactDir(t), name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserHostileNames loads a model whose names are HTML that would run
// script, in the report and on the page: none of it may run.
func TestBrowserHostileNames(t *testing.T) {
	b := newBrowser(t)
	const path = "testdata/hostile-names.yaml"
	m, err := model.LoadWith(path, model.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	page := writeReport(t, path)
	base := serveModel(t, path)
	sc := m.Scenarios[0].Name
	for _, u := range []string{
		fileURL(page),
		base + "#view=overview&scenario=" + url.QueryEscape(sc),
		base + "#scenario=" + url.QueryEscape(sc),
		base + "#view=chokepoints&seed=supplier-x",
		base + "#seed=supplier-x&node=trust-x",
	} {
		b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(u),
			chromedp.WaitReady(chromedp.CSS("#summary")),
			chromedp.Sleep(300*time.Millisecond))
		injected := value(t, b, chromedp.Evaluate[string](`String(window.__injected)`))
		if injected != "undefined" {
			t.Errorf("%s: an injected script ran (window.__injected = %s)", u, injected)
		}
		text := value(t, b, chromedp.TextContent(chromedp.CSS("main")))
		if !strings.Contains(text, "<svg onload=window.__injected=4>") && !strings.Contains(u, "overview") && !strings.Contains(u, "chokepoints") {
			t.Errorf("%s: the names are not shown as text", u)
		}
		for _, l := range b.errors() {
			if strings.Contains(l, "INJECTED") {
				t.Errorf("%s: an injected script wrote to the console: %s", u, l)
			}
		}
	}
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll("main img:not([src^='data:'])").length`)); n > 0 {
		t.Errorf("the page made %d img elements from model text", n)
	}
}

// nationalFile writes the national model (scale 1, seed 1) once.
func nationalFile(b *testing.B) string {
	path := filepath.Join(b.TempDir(), "national.yaml")
	var stderr bytes.Buffer
	if code := run([]string{"generate", "-o", path}, nil, &bytes.Buffer{}, &stderr); code != 0 {
		b.Fatalf("generate: %s", stderr.String())
	}
	return path
}

// BenchmarkBrowserReportNational opens the national model's report, with
// its drawing, in chromium until the figures are on the page.
// Goals: under 25 MB (reported as MB) and under 5 s.
func BenchmarkBrowserReportNational(b *testing.B) {
	br := newBrowser(b)
	buildDraw(b)
	page := writeReport(b, nationalFile(b))
	st, err := os.Stat(page)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		br.do(b, chromedp.Navigate("about:blank"), chromedp.Navigate(fileURL(page)),
			chromedp.WaitReady(chromedp.CSS(`#summary[data-seeds]:not([data-seeds=""])`)),
			chromedp.WaitReady(chromedp.CSS(`table.rank`)))
	}
	b.ReportMetric(float64(st.Size())/1e6, "MB")
}

// BenchmarkBrowserPickNational picks the node that affects most
// organisations on the served page of the national model, from the URL to
// the result on screen: the analysis, the JSON and the page's drawing of
// every affected node.
func BenchmarkBrowserPickNational(b *testing.B) {
	br := newBrowser(b)
	path := nationalFile(b)
	m, err := model.LoadWith(path, model.DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	g, err := graph.Build(m)
	if err != nil {
		b.Fatal(err)
	}
	rk, err := g.Rank(model.Ransomware, graph.RankOptions{})
	if err != nil {
		b.Fatal(err)
	}
	base := serveModel(b, path)
	br.do(b, chromedp.Navigate(base), chromedp.WaitReady(chromedp.CSS("#summary")))
	seeds := []string{rk.Ranking[0].ID, rk.Ranking[1].ID}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		br.do(b, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = "seed=%s"`, seeds[i%2])),
			chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`#summary[data-seeds=%q]`, seeds[i%2]))))
	}
}

// TestBrowserWhatIf uses the served page as a user would: a control added
// with its button, a node's path, the chokepoints and the assume: block.
func TestBrowserWhatIf(t *testing.T) {
	b := newBrowser(t)
	const path = "../../examples/synnovis-2024.yaml"
	base := serveModel(t, path)
	want := reachJSONOf(t, path, "--scenario", "MFA on the laboratory system")
	b.do(t, chromedp.Navigate(base+"#seed=synnovis-access"),
		chromedp.WaitReady(chromedp.CSS(`#summary[data-seeds="synnovis-access"]`)),
		chromedp.Click(chromedp.CSS(`button[data-control="mfa"][data-node="synnovis-lims"]`)),
		chromedp.WaitReady(chromedp.CSS(`#assume-yaml`)))
	got := value(t, b, chromedp.Evaluate[hook](readHook))
	sameHook(t, "after +mfa on synnovis-lims", got, hookOf(want.Impact))
	if h := value(t, b, chromedp.Evaluate[string](`location.hash`)); !strings.Contains(h, "assume=control%3Asynnovis-lims%3Amfa") {
		t.Errorf("the what-if is not in the address: %s", h)
	}
	yaml := value(t, b, chromedp.TextContent(chromedp.CSS("#assume-yaml")))
	if yaml != "assume:\n  controls:\n    synnovis-lims: [mfa]\n" {
		t.Errorf("assume: block %q", yaml)
	}
	png := value(t, b, chromedp.CaptureScreenshot())
	os.WriteFile(filepath.Join(artefactDir(t), "whatif.png"), png, 0o644)
	spared := value(t, b, chromedp.TextContent(chromedp.CSS(".spared")))
	for _, id := range orgDifference(want.Baseline, want.Impact) {
		name := ""
		for _, a := range want.Baseline.Affected {
			if a.ID == id {
				name = a.Name
			}
		}
		if name == "" || !strings.Contains(spared, name) {
			t.Errorf("%s is not listed as spared by its name %q: %s", id, name, spared)
		}
	}

	// A node's path, and removing one of its steps.
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#seed=synnovis-access"),
		chromedp.WaitReady(chromedp.CSS(`a[data-pick="gstt"]`)),
		chromedp.Click(chromedp.CSS(`a[data-pick="gstt"]`)),
		chromedp.WaitReady(chromedp.CSS(`.explain`)))
	steps := value(t, b, chromedp.TextContent(chromedp.CSS(".explain ol")))
	if !strings.Contains(steps, "synnovis-access") || !strings.Contains(steps, "gstt") {
		t.Errorf("gstt's path: %q", steps)
	}
	// gstt also holds its data at the laboratory: without the service
	// dependency it is exposed, no longer disrupted.
	b.do(t, chromedp.Click(chromedp.CSS(`.explain button[data-assume="remove:gstt:synnovis-lims:service"]`)),
		chromedp.WaitReady(chromedp.CSS(`#assume-yaml`)))
	if s := value(t, b, chromedp.Evaluate[string](`document.querySelector('.result [data-id="gstt"]').dataset.impact`)); s != "exposed" {
		t.Errorf("without its service dependency on the laboratory gstt is %q, want exposed", s)
	}

	// The chokepoints of the scenario.
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#view=chokepoints&seed=synnovis-access"),
		chromedp.WaitReady(chromedp.CSS(`.chokepoints`)))
	if s := value(t, b, chromedp.TextContent(chromedp.CSS(".chokepoints"))); !strings.Contains(s, "mfa on synnovis-lims") {
		t.Errorf("chokepoints: %q", s)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserWhatIfMistakes: a what-if with a typo says why beside the
// form, and the page keeps its result and the form its text; a control
// the node already has is tried, with a warning beside the form.
func TestBrowserWhatIfMistakes(t *testing.T) {
	b := newBrowser(t)
	const path = "../../examples/synnovis-2024.yaml"
	base := serveModel(t, path)
	b.do(t, chromedp.Navigate(base+"#seed=synnovis-access&assume=control:synnovis-lims:mfa"),
		chromedp.WaitReady(chromedp.CSS(`#assume-yaml`)))
	before := value(t, b, chromedp.Evaluate[hook](readHook))
	b.do(t, chromedp.SetValue(chromedp.CSS(`#whatif-form [name=a]`), "gsst"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=b]`), "mfa"),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#whatif-error`)))
	msg := value(t, b, chromedp.TextContent(chromedp.CSS("#whatif-error")))
	if !strings.Contains(msg, `"gsst"`) || !strings.Contains(msg, `did you mean "gstt"?`) {
		t.Errorf("the error beside the form: %q", msg)
	}
	if after := value(t, b, chromedp.Evaluate[hook](readHook)); !reflect.DeepEqual(after, before) {
		t.Errorf("the result changed on a what-if that cannot be tried:\n got %+v\nwant %+v", after, before)
	}
	if typed := value(t, b, chromedp.Evaluate[string](`document.querySelector('#whatif-form [name=a]').value`)); typed != "gsst" {
		t.Errorf("the form's text is %q, want gsst as typed", typed)
	}
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll('#whatif-form, .groups, #assume-yaml').length`)); n != 3 {
		t.Errorf("%d of the form, the groups and the assume: block are left, want all 3", n)
	}
	if h := value(t, b, chromedp.Evaluate[string](`decodeURIComponent(location.hash)`)); strings.Contains(h, "gsst") || !strings.Contains(h, "control:synnovis-lims:mfa") {
		t.Errorf("the address %s, want the what-if last shown", h)
	}
	png := value(t, b, chromedp.Screenshot(chromedp.CSS(".whatif"), chromedp.NodeVisible))
	os.WriteFile(filepath.Join(artefactDir(t), "whatif-error.png"), png, 0o644)

	// Corrected, it is tried and the error goes.
	b.do(t, chromedp.SetValue(chromedp.CSS(`#whatif-form [name=a]`), "gstt"),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`#whatif-error[hidden]`)))
	if h := value(t, b, chromedp.Evaluate[string](`decodeURIComponent(location.hash)`)); !strings.Contains(h, "control:gstt:mfa") {
		t.Errorf("the corrected what-if is not in the address: %s", h)
	}

	// An address with a typo shows the page without it, and the error.
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#seed=synnovis-access&assume=remove:gstt:kch"),
		chromedp.WaitVisible(chromedp.CSS(`#whatif-error`)))
	if msg := value(t, b, chromedp.TextContent(chromedp.CSS("#whatif-error"))); !strings.Contains(msg, `no dependency from "gstt" to "kch"`) {
		t.Errorf("the error beside the form: %q", msg)
	}
	if got := value(t, b, chromedp.Evaluate[hook](readHook)); got.Seeds != "synnovis-access" || got.Organisations == 0 {
		t.Errorf("the page without the what-if: %+v", got)
	}

	// A control gstt already has changes nothing, and says so.
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#seed=synnovis-access"),
		chromedp.WaitReady(chromedp.CSS(`#whatif-form`)),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=a]`), "gstt"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=b]`), "segmentation"),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#whatif-warnings`)))
	if w := value(t, b, chromedp.TextContent(chromedp.CSS("#whatif-warnings"))); !strings.Contains(w, `"gstt" already has control "segmentation"`) {
		t.Errorf("the warning beside the form: %q", w)
	}
	// Mutual aid and a stock, made with the form, are tried and said in
	// words.
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#seed=synnovis-access"),
		chromedp.WaitReady(chromedp.CSS(`#whatif-form`)),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=kind]`), "aid"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=a]`), "gstt"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=b]`), "lgt-pathology"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=alts]`), "after=3 shed=0.01"),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`#assume-yaml`)))
	b.do(t, chromedp.SetValue(chromedp.CSS(`#whatif-form [name=kind]`), "stock"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=a]`), "nhsbt-o-neg"),
		chromedp.SetValue(chromedp.CSS(`#whatif-form [name=b]`), "days=12"),
		chromedp.Click(chromedp.CSS(`#whatif-form button[type=submit]`)),
		chromedp.Sleep(500*time.Millisecond), chromedp.WaitReady(chromedp.CSS(`#assume-yaml`)))
	if h := value(t, b, chromedp.Evaluate[string](`decodeURIComponent(location.hash)`)); !strings.Contains(h, "aid:gstt:lgt-pathology:after=3:shed=0.01") || !strings.Contains(h, "stock:nhsbt-o-neg:days=12") {
		t.Errorf("the form's aid and stock are not in the address: %s", h)
	}
	if words := value(t, b, chromedp.TextContent(chromedp.CSS(".whatif"))); !strings.Contains(words, "make lgt-pathology a helper of gstt from day 3") || !strings.Contains(words, "hold 12 days of nhsbt-o-neg") {
		t.Errorf("the what-if panel: %q", words)
	}
	// The browser logs each 400 the what-ifs with a typo were answered;
	// nothing else may be logged.
	var errs []string
	for _, l := range b.errors() {
		if !(strings.Contains(l, "status of 400") && (strings.Contains(l, "gsst") || strings.Contains(l, "remove%3Agstt%3Akch"))) {
			errs = append(errs, l)
		}
	}
	if len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserWhatIfForm makes changes of every kind with the page's
// what-if form, as a user would, and checks that the page then shows what
// "reach --scenario" shows for the scenario that states the same change.
func TestBrowserWhatIfForm(t *testing.T) {
	b := newBrowser(t)
	chdirRoot(t)
	base := serveModel(t, everyAssumption)
	for _, tc := range []struct {
		scenario string
		fill     map[string]string // the form's fields
		critical bool
		item     string // what the address then holds
	}{
		{"Controls", map[string]string{"kind": "control", "a": "trust-b", "b": "mfa"}, true, "control:trust-b:mfa"},
		{"Remove controls", map[string]string{"kind": "uncontrol", "a": "trust-a", "b": "mfa"}, true, "uncontrol:trust-a:mfa"},
		{"Remove", map[string]string{"kind": "remove", "a": "gp-c", "b": "lims", "type": "service"}, true, "remove:gp-c:lims:service"},
		{"Add", map[string]string{"kind": "add", "a": "community-d", "b": "lims", "type": "service", "alts": "backup-lab"}, false, "add:community-d:lims:service:critical=false:alt=backup-lab"},
		{"Alternatives", map[string]string{"kind": "alternative", "a": "trust-a", "b": "lims", "alts": "backup-lab"}, true, "alternative:trust-a:lims:backup-lab"},
	} {
		want := reachJSONOf(t, everyAssumption, "--scenario", tc.scenario)
		b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#seed=acme"),
			chromedp.WaitReady(chromedp.CSS(`#whatif-form`)))
		for _, name := range []string{"kind", "a", "b", "type", "alts"} {
			if v, ok := tc.fill[name]; ok {
				b.do(t, chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`#whatif-form [name=%q]`, name)), v))
				if name == "kind" { // the form shows the fields of its kind
					b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('#whatif-form [name=kind]').dispatchEvent(new Event("change", {bubbles: true}))`))
				}
			}
		}
		if !tc.critical {
			b.do(t, chromedp.Click(chromedp.CSS(`#whatif-form [name=critical]`)))
		}
		if tc.fill["kind"] == "add" {
			png := value(t, b, chromedp.Screenshot(chromedp.CSS(".whatif"), chromedp.NodeVisible))
			os.WriteFile(filepath.Join(artefactDir(t), "whatif-form.png"), png, 0o644)
		}
		b.do(t, chromedp.Click(chromedp.CSS(`#whatif-form button[type=submit]`)),
			chromedp.WaitReady(chromedp.CSS(`#assume-yaml`)))
		got := value(t, b, chromedp.Evaluate[hook](readHook))
		sameHook(t, "the form's "+tc.fill["kind"], got, hookOf(want.Impact))
		if h := value(t, b, chromedp.Evaluate[string](`decodeURIComponent(location.hash)`)); !strings.Contains(h, "assume="+tc.item) {
			t.Errorf("the form's %s: the address is %s, want assume=%s", tc.fill["kind"], h, tc.item)
		}
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserLoadErrors: a model that does not load is shown with its
// errors and their lines.
func TestBrowserLoadErrors(t *testing.T) {
	b := newBrowser(t)
	base := serveModel(t, "../../testdata/invalid/duplicate-id.yaml")
	b.do(t, chromedp.Navigate(base), chromedp.WaitVisible(chromedp.CSS(`#errors pre`)))
	text := value(t, b, chromedp.TextContent(chromedp.CSS(`#errors pre`)))
	if !strings.Contains(text, "duplicate-id.yaml:8:5: duplicate id \"gstt\"") {
		t.Errorf("the page shows %q", text)
	}
	for _, l := range b.errors() {
		if !strings.Contains(l, "503") { // the API says the model does not load
			t.Errorf("console: %s", l)
		}
	}
}
