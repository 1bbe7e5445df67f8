package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/blastradius/blastradius/model"
)

const qilin = "Qilin ransomware, June 2024"

// timelineOf reads the timeline picture that matches a selector on the open
// page, as the browser decoded it: whether the image loaded, and the whole
// names of its rows, parsed from its SVG as the browser parses SVG.
const timelineOf = `(async (sel) => {
  const img = document.querySelector(sel);
  if (!img) return {found: false};
  await img.decode().catch(() => {});
  let svg = "";
  if (img.src.startsWith("data:")) {
    const bytes = atob(img.src.slice(img.src.indexOf(",") + 1));
    svg = new TextDecoder().decode(Uint8Array.from(bytes, c => c.charCodeAt(0)));
  } else svg = await (await fetch(img.src)).text();
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const rows = [...doc.querySelectorAll("g.row > title")].map(t => t.textContent);
  const title = doc.querySelector("svg > title");
  return {found: true, loaded: img.complete && img.naturalWidth > 0, parsed: !doc.querySelector("parsererror"),
    title: title ? title.textContent : "", rows, scripts: doc.querySelectorAll("script, foreignObject").length};
})`

type shownTimeline struct {
	Found, Loaded, Parsed bool
	Title                 string
	Rows                  []string
	Scripts               int
}

func readTimeline(t *testing.T, b *browser, sel string) shownTimeline {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[shownTimeline](timelineOf+"("+jsString(sel)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jsString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// affectedNames is the name of every organisation the scenario reaches.
func affectedNames(t *testing.T, path, scenario string) []string {
	t.Helper()
	var names []string
	for _, a := range reachJSONOf(t, path, "--scenario", scenario).Impact.Affected {
		if a.Class == model.ClassOrganisation {
			names = append(names, a.Name)
		}
	}
	if len(names) == 0 {
		t.Fatalf("%s: scenario %q affects no organisation", path, scenario)
	}
	return names
}

func holdsEveryName(t *testing.T, where string, rows, names []string) {
	t.Helper()
	for _, n := range names {
		found := false
		for _, r := range rows {
			found = found || strings.HasPrefix(r, n+":")
		}
		if !found {
			t.Errorf("%s: the timeline has no row for %q (rows: %q)", where, n, rows)
		}
	}
}

// TestBrowserReportTimeline: the report of the Synnovis example shows, in
// the Qilin brief, the timeline picture with a row for every organisation
// affected, and its words; the briefs whose scenarios take no
// organisation down say so in words and show no picture; printed on A4,
// the Qilin brief with its picture fits one page; nothing on the console.
func TestBrowserReportTimeline(t *testing.T) {
	b := newBrowser(t)
	buildDraw(t)
	chdirRoot(t)
	const path = "examples/synnovis-2024.yaml"
	page := writeReport(t, path)
	b.do(t, chromedp.Navigate(fileURL(page)+"#scenario="+url.QueryEscape(qilin)), chromedp.WaitReady(chromedp.CSS("#summary")))
	sel := "#scenario-1 figure.timeline img"
	if h := value(t, b, chromedp.Evaluate[string](`document.querySelector("#scenario-1 h2").textContent`)); h != qilin {
		t.Fatalf("the first brief is %q", h)
	}
	got := readTimeline(t, b, sel)
	if !got.Found || !got.Loaded || !got.Parsed {
		t.Fatalf("the Qilin brief's timeline: %+v", got)
	}
	if got.Title != qilin {
		t.Errorf("the timeline's title is %q, want the scenario's name", got.Title)
	}
	holdsEveryName(t, "the Qilin brief", got.Rows, affectedNames(t, path, qilin))
	caption := value(t, b, chromedp.Evaluate[string](`document.querySelector("#scenario-1 figure.timeline figcaption").textContent`))
	for _, want := range []string{"13 organisations short", "4,744 outpatient appointments", "16 September 2024"} {
		if !strings.Contains(caption, want) {
			t.Errorf("the caption %q does not say %q", caption, want)
		}
	}
	if n := value(t, b, chromedp.Evaluate[int](`document.querySelectorAll("figure.timeline").length`)); n != 1 {
		t.Errorf("%d timeline pictures, want 1 (the other scenarios take no organisation down)", n)
	}
	if s := value(t, b, chromedp.Evaluate[string](`document.querySelector("#scenario-3 .timeline p").textContent`)); !strings.Contains(s, "exfiltration") {
		t.Errorf("the exfiltration brief says %q of time", s)
	}
	png := value(t, b, chromedp.Screenshot(chromedp.CSS("#scenario-1"), chromedp.NodeVisible))
	os.WriteFile(filepath.Join(artefactDir(t), "report-timeline.png"), png, 0o644)

	// Printed: the brief fits its page, and the picture is inside it. The
	// page is loaded afresh, so that the screenshot of the brief is not
	// offset by the scrolling above.
	const width, height = a4Width, a4Height // the report's A4 page less its margins
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(fileURL(page)), chromedp.WaitReady(chromedp.CSS("#summary")), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: height, DeviceScaleFactor: 2})
		return err
	}), chromedp.Sleep(200*time.Millisecond))
	type geom struct{ Top, Bottom, FigTop, FigBottom, FigHeight, FigWidth float64 }
	g := value(t, b, chromedp.Evaluate[geom](`(() => {
  const s = document.querySelector("#scenario-1").getBoundingClientRect();
  const f = document.querySelector("#scenario-1 figure.timeline img").getBoundingClientRect();
  return {top: s.top, bottom: s.bottom, figTop: f.top, figBottom: f.bottom, figHeight: f.height, figWidth: f.width};
})()`))
	if g.Bottom-g.Top > height {
		t.Errorf("printed, the Qilin brief is %.0f px tall, more than one A4 page (%d px)", g.Bottom-g.Top, height)
	}
	if g.FigTop < g.Top || g.FigBottom > g.Bottom || g.FigHeight < 120 || g.FigWidth > width {
		t.Errorf("printed, the timeline (%.0f to %.0f, %.0f×%.0f px) is not readable inside its brief (%.0f to %.0f)", g.FigTop, g.FigBottom, g.FigWidth, g.FigHeight, g.Top, g.Bottom)
	}
	// The brief as it prints (docs/report-brief.png), as checkBriefs takes
	// it: after a screenshot of the whole page, which lays the page out
	// whole, so that scrolling does not move the brief under the clip.
	value(t, b, chromedp.FullScreenshot(100))
	png = value(t, b, chromedp.Screenshot(chromedp.CSS("#scenario-1"), chromedp.NodeVisible))
	os.WriteFile(filepath.Join(artefactDir(t), "report-timeline-print.png"), png, 0o644)
	if errs := b.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserServeTimeline: the served page's Timeline view shows the
// picture of the current scenario, and of a compromise picked by its seed;
// a model without time data says what to add.
func TestBrowserServeTimeline(t *testing.T) {
	b := newBrowser(t)
	chdirRoot(t)
	const path = "examples/synnovis-2024.yaml"
	base := serveModel(t, path)
	b.do(t, chromedp.Navigate(base+"#view=timeline&scenario="+url.QueryEscape(qilin)), chromedp.WaitReady(chromedp.CSS("img#timeline")))
	got := readTimeline(t, b, "img#timeline")
	if !got.Loaded || !got.Parsed || got.Title != qilin {
		t.Fatalf("the served timeline: %+v", got)
	}
	holdsEveryName(t, "the served timeline", got.Rows, affectedNames(t, path, qilin))
	if cur := value(t, b, chromedp.Evaluate[string](`document.querySelector("#views a.current").dataset.view`)); cur != "timeline" {
		t.Errorf("the current view is %q", cur)
	}
	png := value(t, b, chromedp.CaptureScreenshot())
	os.WriteFile(filepath.Join(artefactDir(t), "serve-timeline.png"), png, 0o644)

	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(base+"#view=timeline&seed=synnovis"), chromedp.WaitReady(chromedp.CSS("img#timeline")))
	if got := readTimeline(t, b, "img#timeline"); !got.Loaded || got.Title != "Compromise of synnovis (ransomware)" || len(got.Rows) == 0 {
		t.Errorf("the timeline of a seed: %+v", got)
	}

	other := serveModel(t, filepath.Join(packageDir, "testdata", "hostile-names.yaml")) // no time data
	b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(other+"#view=timeline&seed=supplier-x"), chromedp.WaitReady(chromedp.CSS("#no-timeline")))
	if s := value(t, b, chromedp.TextContent(chromedp.CSS("#no-timeline"))); !strings.Contains(s, "recovery") {
		t.Errorf("without time data the page says %q", s)
	}
	for _, l := range b.errors() {
		// The image that is not there is a 404 the page answers in words.
		if !strings.Contains(l, "404") {
			t.Errorf("console error: %s", l)
		}
	}
}

// TestBrowserTimelineHostileNames: with time data, the hostile names'
// timeline shows in the report and on the page, holds the names as text,
// and runs none of them.
func TestBrowserTimelineHostileNames(t *testing.T) {
	b := newBrowser(t)
	src, err := os.ReadFile("testdata/hostile-names.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "kind: supplier}", "kind: supplier, recovery: 10}", 1)
	if text == string(src) {
		t.Fatal("the hostile model has changed: give supplier-x a recovery another way")
	}
	path := filepath.Join(t.TempDir(), "hostile-timeline.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.LoadWith(path, model.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	sc := m.Scenarios[0].Name
	trust := m.Node("trust-x").Name
	page := writeReport(t, path)
	base := serveModel(t, path)
	for _, c := range []struct{ u, sel string }{
		{fileURL(page), "figure.timeline img"},
		{base + "#view=timeline&scenario=" + url.QueryEscape(sc), "img#timeline"},
	} {
		b.do(t, chromedp.Navigate("about:blank"), chromedp.Navigate(c.u), chromedp.WaitReady(chromedp.CSS(c.sel)), chromedp.Sleep(300*time.Millisecond))
		got := readTimeline(t, b, c.sel)
		if !got.Loaded || !got.Parsed || got.Scripts > 0 {
			t.Errorf("%s: the timeline %+v", c.u, got)
		}
		if got.Title != sc {
			t.Errorf("%s: the timeline's title is %q, want the scenario's name as text", c.u, got.Title)
		}
		holdsEveryName(t, c.u, got.Rows, []string{trust})
		if injected := value(t, b, chromedp.Evaluate[string](`String(window.__injected)`)); injected != "undefined" {
			t.Errorf("%s: an injected script ran (window.__injected = %s)", c.u, injected)
		}
		for _, l := range b.errors() {
			if strings.Contains(l, "INJECTED") || strings.HasPrefix(l, "exception") {
				t.Errorf("%s: %s", c.u, l)
			}
		}
	}
}
