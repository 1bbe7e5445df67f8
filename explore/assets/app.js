// The blastradius explorer. It runs in two places: the page of
// "blastradius serve", which asks the local server's /api/ for each view,
// and the file of "blastradius report", which carries every figure in a
// <script type="application/json" id="report-data"> element. Every string
// from the model is set as text, never parsed as HTML.
"use strict";

const EFFECTS = ["compromised", "disrupted", "degraded", "exposed"];
const EFFECT_WORDS = {
  compromised: "Compromised: the attacker controls it",
  disrupted: "Disrupted: cannot deliver its services",
  degraded: "Degraded: works with reduced capability",
  exposed: "Exposed: its data was held by a compromised node",
};

// el builds an element: attributes by setAttribute, children as nodes or text.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) {
    if (k === undefined || k === null || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function num(n) { return Number(n || 0).toLocaleString("en-GB"); }
function plural(n, word) { return num(n) + " " + word + (n === 1 ? "" : "s"); }

function summaryWords(s, people) {
  return plural(s.organisations, "organisation") + " affected (" +
    num(s.compromised) + " compromised, " + num(s.disrupted) + " disrupted, " +
    num(s.degraded) + " degraded, " + num(s.exposed) + " exposed), " +
    peopleWords(people) +
    (s.services ? "; " + plural(s.services, "service") + " affected" : "") + ".";
}

// summaryHook is the stable testing hook: the figures of one result.
function summaryHook(res, withID) {
  return el("p", {
    id: withID ? "summary" : null, class: "summary",
    "data-organisations": res.impact.summary.organisations,
    "data-people": res.people,
    "data-seeds": res.seeds.join(","),
  }, summaryWords(res.impact.summary, res.people));
}

function whatHappens(res) {
  const names = res.seeds.map(id => {
    const a = res.impact.affected.find(x => x.id === id);
    return a && a.name ? a.name : id;
  }).join(" and ");
  const s = res.impact.summary;
  let text = res.mode === "exfiltration"
    ? "An attacker gains control of " + names + " and takes data, leaving systems running. "
    : "Ransomware takes control of " + names + " and stops it working. ";
  text += "Everything that depends on it, directly or through others, is affected: " +
    plural(s.organisations, "organisation") + ", serving " + peopleWords(res.people) + ".";
  return text;
}

// assumeWords says a result's what-if in words, as the server words it.
function assumeWords(res) { return res.assume_items.map(it => it.words).join("; "); }

// peopleWords says a count of people, each counted once: a floor.
function peopleWords(n) { return n === 0 ? "no people" : "at least " + (n === 1 ? "1 person" : num(n) + " people"); }

const READING = [
  ["compromised", "the attacker controls it."],
  ["disrupted", "it cannot deliver its services: something it needs is down."],
  ["degraded", "it works with reduced capability: something it uses is down, but it has a way round."],
  ["exposed", "its data was held by a compromised node, which may have leaked it."],
];

function readingGuide() {
  return el("div", { class: "guide" }, el("h3", {}, "How to read this report"),
    el("p", {}, "A model lists organisations, the services they run and who depends on whom. " +
      "A scenario says what an attacker takes over first (the seeds). Each other organisation is then:"),
    el("ul", {}, READING.map(([e, w]) => el("li", {}, el("span", { class: "swatch " + e }), " ", el("b", {}, e), ": " + w))),
    el("p", {}, "People counts each person served by an affected organisation once: GP practices' lists add up, other organisations' figures overlap, and an integrated care board's population caps its members. It is a floor: at least that many. " +
      "A path such as a → b → c shows the way the effect spreads, each arrow from a provider to an organisation or service that depends on it. " +
      "What contains it lists the nodes every path passes through and the single changes that spare the most."));
}

// nodeLabel reads an affected node's name and kind.
function nodeLabel(a) {
  let s = a.name + " (" + a.kind + (a.class === "service" ? " service" : "") + (a.ods ? " " + a.ods : "") + ")";
  if (a.patients !== undefined) s += ", its own figure " + num(a.patients);
  const also = (a.effects || []).filter(x => x !== a.impact);
  if (also.length) s += ", also " + also.join(", ");
  return s;
}

// pathText says a node's path, each node by its name when byID (the
// affected nodes, which every node of a path is) gives one.
function pathText(a, byID) {
  if (!a.path || a.path.length < 2) return "a seed";
  const say = id => (byID && byID.get(id) && byID.get(id).name) || id;
  let s = (a.path_omitted ? "…" + num(a.path_omitted) + " more steps → " : "") + say(a.path[0]);
  for (let i = 1; i < a.path.length; i++) s += " → " + say(a.path[i]) + " (" + a.via[i - 1] + ")";
  return s;
}

// groupsView lists a result's nodes by effect, ICB and kind, with counts.
function groupsView(res, opts) {
  const byID = new Map(res.impact.affected.map(a => [a.id, a]));
  const box = el("div", { class: "groups" });
  if (!res.groups || res.groups.length === 0) box.append(el("p", {}, "Nothing is affected."));
  for (const g of res.groups || []) {
    const sec = el("section", { class: "effect " + g.effect },
      el("h3", {}, EFFECT_WORDS[g.effect] + " (" + num(g.count) + ")"));
    for (const ar of g.areas) {
      const det = el("details", { open: ar.count <= 40 ? true : null },
        el("summary", {}, ar.name + " (" + num(ar.count) + ")"));
      for (const k of ar.kinds) {
        const ul = el("ul", { class: "nodes" });
        for (const id of k.ids) {
          const a = byID.get(id);
          const li = el("li", { "data-id": a.id, "data-impact": a.impact },
            el("span", { class: "swatch " + a.impact }), " ",
            opts.link ? el("a", { href: "#", "data-pick": a.id }, a.id) : el("b", {}, a.id),
            " ", nodeLabel(a));
          if (opts.paths && a.path && a.path.length > 1) li.append(el("div", { class: "path" }, "path: " + pathText(a, byID)));
          if (opts.toggles) {
            for (const c of ["mfa", "segmentation"]) {
              li.append(" ", el("button", { class: "small", "data-control": c, "data-node": a.id, title: "What if " + a.id + " had " + c + "?" }, "+" + c));
            }
          }
          ul.append(li);
        }
        det.append(el("h4", {}, k.kind + " (" + num(k.count) + ")"), ul);
      }
      sec.append(det);
    }
    box.append(sec);
  }
  return box;
}

// changeWords says what one change does: the organisations it spares, and
// how many fewer are disrupted (one that spares none still helps when those
// it reaches are affected less severely).
function changeWords(c) {
  const fewer = num(c.disruptions_avoided) + " fewer disrupted";
  if (c.organisations_spared > 0) return "spares " + plural(c.organisations_spared, "organisation") + " (" + peopleWords(c.people_spared) + "); " + fewer;
  return "spares no organisation, but " + fewer + " (still affected, less severely)";
}

function chokepointsView(cp) {
  const box = el("div", { class: "chokepoints" });
  box.append(el("h3", {}, "On every path (keep one clean and the organisations behind it are spared)"));
  if (!cp.dominators || cp.dominators.length === 0) {
    box.append(el("p", {}, "None: every affected organisation is reached directly from a seed, or by more than one way."));
  } else {
    const ul = el("ul", {});
    for (const d of cp.dominators) {
      ul.append(el("li", { "data-id": d.id }, el("b", {}, d.name || d.id), ": " + plural(d.organisations, "organisation") + ", " + peopleWords(d.people)));
    }
    box.append(ul);
  }
  box.append(el("h3", {}, "Single changes that contain the most"));
  if (!cp.changes || cp.changes.length === 0) {
    box.append(el("p", {}, "No single control or alternative spares an organisation."));
  } else {
    const ul = el("ul", {});
    for (const c of cp.changes) {
      ul.append(el("li", {}, el("b", {}, c.change), ": " + changeWords(c)));
    }
    box.append(ul);
  }
  if (cp.cut) {
    const cut = cp.cut;
    box.append(el("h3", {}, "Fewest dependencies that separate the seeds from the affected organisations"));
    if (cut.size === 0 && !cut.unbreakable) box.append(el("p", {}, "None needed: no organisation is affected."));
    else if (cut.unbreakable) box.append(el("p", {}, "No dependency change separates them: the seeds reach an organisation through the services it runs."));
    else {
      const ul = el("ul", {});
      for (const d of cut.dependencies || []) ul.append(el("li", {}, d.from + " depends on " + d.to + " (" + d.type + (d.line ? (d.file ? ", " + d.file + ":" + d.line + ":" + d.column : ", line " + d.line) : "") + ")"));
      box.append(el("p", {}, plural(cut.size, "dependency").replace("dependencys", "dependencies") + ":"), ul);
    }
  }
  return box;
}

function rankView(rank, link) {
  const t = el("table", { class: "rank" },
    el("caption", {}, "The single compromises that hurt most (" + rank.mode + ")"),
    el("thead", {}, el("tr", {}, ["#", "Compromise of", "Kind", "Organisations", "People (at least)", "Disrupted"].map(h => el("th", {}, h)))));
  const tb = el("tbody", {});
  rank.ranking.forEach((r, i) => {
    tb.append(el("tr", {},
      el("td", {}, i + 1),
      // The page links each by its id; the report names it.
      el("td", {}, link ? [el("a", { href: "#", "data-pick": r.id }, r.id), " " + r.name] : el("b", {}, r.name || r.id)),
      el("td", {}, r.kind), el("td", { class: "n" }, num(r.organisations)),
      el("td", { class: "n" }, num(r.people)), el("td", { class: "n" }, num(r.disrupted))));
  });
  t.append(tb);
  return t;
}

function tilesView(ov) {
  const box = el("div", { class: "tiles" });
  for (const t of ov.tiles) {
    const tile = el("div", { class: "tile", "data-icb": t.icb },
      el("h3", {}, t.name),
      el("p", {}, plural(t.organisations, "organisation") + ", " + num(t.people) + " people"));
    if (t.affected) {
      const ul = el("ul", { class: "counts" });
      for (const e of EFFECTS) if (t.affected[e]) ul.append(el("li", {}, el("span", { class: "swatch " + e }), " " + num(t.affected[e]) + " " + e));
      tile.append(ul);
      if (t.affected_people) tile.append(el("p", { class: "people" }, peopleWords(t.affected_people) + " served by an affected organisation"));
      tile.classList.add("hit");
    }
    box.append(tile);
  }
  return box;
}

// scenariosView lists the file's scenarios, each seed by its name where
// names (a Map from id) gives one.
function scenariosView(ov, link, names) {
  if (!ov.scenarios.length) return el("p", {}, "The file has no scenarios.");
  const ul = el("ul", { class: "scenarios" });
  for (const s of ov.scenarios) {
    ul.append(el("li", {},
      link ? el("a", { href: "#", "data-scenario": s.name }, s.name) : el("b", {}, s.name),
      " — " + s.mode + " of " + s.seeds.map(id => (names && names.get(id)) || id).join(", ") + (s.assume ? ", assuming " + s.assume_words : "")));
  }
  return ul;
}

// comparison sets the result with the what-if beside the model as written.
function comparison(res) {
  if (!res.baseline) return document.createDocumentFragment();
  const box = el("div", { class: "compare" },
    el("div", { class: "side" }, el("h4", {}, "With the what-if"), el("p", {}, summaryWords(res.impact.summary, res.people))),
    el("div", { class: "side" }, el("h4", {}, "As the model is written"), el("p", {}, summaryWords(res.baseline.summary, res.baseline_people))));
  const diff = el("div", { class: "diff" });
  if (!res.spared.length && !res.added.length) diff.append(el("p", {}, "The what-if changes no organisation's fate."));
  // Each by its name, which the model as written (spared) or with the
  // what-if (added) gives.
  const names = list => list.map(a => [a.id, a.name || a.id]);
  const named = new Map([...names(res.baseline.affected), ...names(res.impact.affected)]);
  const say = ids => ids.map(id => named.get(id) || id).join(", ");
  if (res.spared.length) diff.append(el("p", { class: "spared", "data-ids": res.spared.join(",") }, "Spared (" + num(res.spared.length) + "): " + say(res.spared)));
  if (res.added.length) diff.append(el("p", { class: "added", "data-ids": res.added.join(",") }, "Newly affected (" + num(res.added.length) + "): " + say(res.added)));
  box.append(diff);
  return box;
}

// ---------------------------------------------------------------- report

// timelineFigure is a brief's picture of who goes down and for how long,
// when the model gives time data: an SVG carried in the file, shown as an
// image, so that nothing in it can run.
function timelineFigure(s) {
  if (!s.timeline_text) return null;
  if (!s.timeline) return el("div", { class: "timeline" }, el("h3", {}, "How long, and how much"), el("p", {}, s.timeline_text));
  return el("div", { class: "timeline" },
    el("h3", {}, "How long, and how much"),
    el("figure", { class: "timeline" },
      el("img", { src: "data:image/svg+xml;base64," + s.timeline, alt: "Timeline of " + s.title + ": " + s.timeline_text }),
      el("figcaption", {}, s.timeline_text + " Modelled capacity, not a clinical measure.")));
}

// briefList is a brief's list: its heading, which counts what it lists,
// then the items, on lines or (names) in a sentence.
function briefList(cls, l, lines) {
  if (lines) return el("div", { class: "list " + cls, "data-total": l.total, "data-items": l.items.length },
    el("p", {}, l.head + ":"), el("ul", {}, l.items.map(x => el("li", {}, x))));
  return el("span", { class: "list " + cls, "data-total": l.total, "data-items": l.items.length },
    l.head + ": " + l.items.join(", ") + ".");
}

// briefComparison sets the result with the scenario's assumptions beside
// the model as written, naming what they change.
function briefComparison(res, b) {
  if (!res.baseline) return null;
  const diff = el("div", { class: "diff" });
  if (!b.spared.total && !b.added.total) diff.append(el("p", {}, "The assumptions change no organisation's fate."));
  if (b.spared.total) diff.append(el("p", { class: "spared" }, "Spared: ", briefList("spared", b.spared)));
  if (b.added.total) diff.append(el("p", { class: "added" }, "Newly affected: ", briefList("added", b.added)));
  return el("div", { class: "compare" },
    el("div", { class: "side" }, el("h4", {}, "With the assumptions"), el("p", {}, summaryWords(res.impact.summary, res.people))),
    el("div", { class: "side" }, el("h4", {}, "As the model is written"), el("p", {}, summaryWords(res.baseline.summary, res.baseline_people))),
    diff);
}

// briefContains is a brief's "what contains it": the first of each list,
// each heading saying how many of how many.
function briefContains(b) {
  const box = el("div", { class: "chokepoints" });
  box.append(el("h4", {}, "On every path (keep one clean and the organisations behind it are spared)"),
    b.dominators.total ? briefList("dominators", b.dominators, true)
      : el("p", {}, "None: every affected organisation is reached directly from a seed, or by more than one way."));
  box.append(el("h4", {}, "Single changes that contain the most"),
    b.changes.total ? briefList("changes", b.changes, true) : el("p", {}, "No single control or alternative spares an organisation."));
  if (b.cut.total || b.cut_words) {
    box.append(el("h4", {}, "Fewest dependencies that separate the seeds from the affected organisations"),
      b.cut.total ? briefList("cut", b.cut, true) : el("p", {}, b.cut_words));
  }
  return box;
}

function renderReport(data) {
  const app = document.getElementById("app");
  document.getElementById("title").textContent = data.overview.name || data.overview.file;
  const want = new URLSearchParams(location.hash.slice(1)).get("scenario");
  let hooked = data.scenarios.findIndex(s => s.title === want);
  if (hooked < 0) hooked = 0;
  const intro = el("section", { class: "overview" },
    el("h2", {}, "Overview"),
    el("p", {}, data.overview.description || ""),
    el("p", {}, "This report shows, for each scenario written in " + data.overview.file +
      ", which organisations a cyber compromise reaches, how, and what single change would contain it. " +
      "Generated by blastradius " + data.version + "."),
    readingGuide(),
    el("h3", {}, "Integrated care boards"), tilesView(data.overview),
    el("h3", {}, "Scenarios"), scenariosView(data.overview, false,
      new Map(data.scenarios.flatMap(s => s.result.impact.affected.map(a => [a.id, a.name])))));
  if (!data.one) app.append(intro);
  data.scenarios.forEach((s, i) => {
    const res = s.result, b = s.brief;
    const sec = el("section", { class: "brief result", id: "scenario-" + (i + 1) },
      el("h2", {}, s.title),
      el("h3", {}, "What happens"), el("p", {}, whatHappens(res)),
      b.assume.length ? el("p", {}, "Assuming " + b.assume.join("; ") + ".") : null,
      el("h3", {}, "Who is affected"), summaryHook(res, i === hooked),
      briefComparison(res, b),
      el("p", { class: "neighbours" }, "Unaffected neighbours, next to the radius: ",
        b.neighbours.total ? briefList("neighbours", b.neighbours) : "none."),
      timelineFigure(s),
      el("h3", {}, "What contains it"), briefContains(b));
    if (!s.svg) sec.append(el("p", { class: "note" }, s.no_drawing));
    const det = el("div", { class: "detail" }, el("h3", {}, "Every affected node, with the path that explains it"),
      groupsView(res, { paths: true }));
    sec.append(det);
    app.append(sec);
    // The drawing has a page of its own, sized to it.
    if (s.svg) {
      app.append(el("section", { class: "brief-drawing", id: "drawing-" + (i + 1) },
        el("h2", {}, "Drawing: " + s.title),
        el("figure", { class: "drawing" }, el("img", { src: "data:image/svg+xml;base64," + s.svg, alt: "Drawing of " + s.title }),
          el("figcaption", {}, "Drawing of the blast radius."))));
    }
  });
  if (!data.one) app.append(el("section", { class: "rank-section" }, el("h2", {}, "Rank"), rankView(data.rank, false)));
  document.getElementById("views").hidden = true;
  document.querySelector("header .controls").hidden = true;
}

// ---------------------------------------------------------------- served page

const state = { version: -1 };

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  return {
    seed: p.get("seed") || "", mode: p.get("mode") || "ransomware",
    scenario: p.get("scenario") || "", assume: p.get("assume") || "",
    view: p.get("view") || "", node: p.get("node") || "", depth: p.get("depth") || "3",
  };
}

function hashOf(h) {
  const p = new URLSearchParams();
  for (const k of ["seed", "scenario", "mode", "assume", "view", "node", "depth"]) {
    if (h[k] && !(k === "mode" && h[k] === "ransomware") && !(k === "depth" && h[k] === "3")) p.set(k, h[k]);
  }
  return "#" + p.toString();
}

function writeHash(h) {
  const s = hashOf(h);
  if (location.hash !== s) location.hash = s; else show();
}

// pickKey is what a view shows apart from its what-if.
function pickKey(h) { return [h.seed, h.scenario, h.mode, viewOf(h), h.node, h.depth].join("\n"); }

// viewOf is the view the address shows: the radius of a pick, else the
// overview, unless it names one.
function viewOf(h) { return h.view || (h.seed || h.scenario ? "radius" : "overview"); }

// whatIfError shows why a what-if cannot be tried, beside its form.
function whatIfError(msg) {
  const p = document.getElementById("whatif-error");
  if (!p) return;
  p.textContent = msg;
  p.hidden = false;
}

function change(upd) { writeHash(Object.assign(readHash(), upd)); }

function queryString(h, extra) {
  const p = new URLSearchParams();
  if (h.scenario) p.set("scenario", h.scenario); else if (h.seed) p.set("seed", h.seed);
  if (!h.scenario) p.set("mode", h.mode);
  if (h.assume) p.set("assume", h.assume);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p.toString();
}

async function api(path) {
  const r = await fetch("/api/" + path);
  const body = await r.json();
  if (!r.ok) {
    const err = new Error(body.error || r.statusText);
    err.param = body.param || ""; // "assume": the what-if cannot be tried
    throw err;
  }
  return body;
}

function addAssume(...add) {
  const h = readHash();
  const items = h.assume ? h.assume.split(",") : [];
  for (const item of add) if (!items.includes(item)) items.push(item);
  change({ assume: items.join(","), view: "radius" });
}

function dropAssume(item) {
  const h = readHash();
  change({ assume: (h.assume ? h.assume.split(",") : []).filter(x => x !== item).join(",") });
}

// WHATIF_FORMS: each kind of change the form makes, its fields and how it
// is written in the address (see docs/explorer.md).
const WHATIF_FORMS = {
  control: { label: "add a control", a: "node", b: "control" },
  uncontrol: { label: "take a control away", a: "node", b: "control" },
  remove: { label: "remove a dependency", a: "consumer (from)", b: "provider (to)", type: "optional" },
  add: { label: "add a dependency", a: "consumer (from)", b: "provider (to)", type: "required", critical: true, alts: "alternatives (optional)" },
  alternative: { label: "add an alternative", a: "consumer (from)", b: "provider (to) of a service", alts: "alternative providers" },
  aid: { label: "add mutual aid", a: "consumer helped (from)", b: "helper (to)", alts: "after=3 headroom=0.05 shed=0.1 (for=D)" },
  stock: { label: "change a stock", a: "stock", b: "days=D alert=A" },
};

// whatIfItems writes the form's change as items of the address.
function whatIfItems(f) {
  const kind = f.get("kind"), a = String(f.get("a") || "").trim(), b = String(f.get("b") || "").trim();
  const type = String(f.get("type") || ""), alts = String(f.get("alts") || "").split(/[\s,]+/).filter(Boolean);
  if (!a || !b) return [];
  switch (kind) {
    case "control": case "uncontrol": return [kind + ":" + a + ":" + b];
    case "remove": return ["remove:" + a + ":" + b + (type ? ":" + type : "")];
    case "add": {
      let item = "add:" + a + ":" + b + ":" + (type || "service");
      if (!f.get("critical")) item += ":critical=false";
      for (const x of alts) item += ":alt=" + x;
      return [item];
    }
    case "alternative": return alts.map(x => "alternative:" + a + ":" + b + ":" + x);
    // A helper, and what it gives: key=value words, written as the
    // address writes them (docs/explorer.md).
    case "aid": return ["aid:" + a + ":" + b + alts.map(x => ":" + x).join("")];
    case "stock": return ["stock:" + a + b.split(/[\s,]+/).filter(Boolean).map(x => ":" + x).join("")];
  }
  return [];
}

// showFields shows the form's fields that its kind uses.
function showFields(form) {
  const spec = WHATIF_FORMS[form.elements.kind.value];
  form.elements.a.placeholder = spec.a;
  form.elements.b.placeholder = spec.b;
  form.elements.b.setAttribute("list", form.elements.kind.value.endsWith("control") ? "whatif-controls" : "");
  const type = form.elements.type;
  type.hidden = !spec.type;
  type.options[0].hidden = spec.type === "required"; // "any relation"
  if (spec.type === "required" && !type.value) type.value = "service";
  form.querySelector(".critical").hidden = !spec.critical;
  form.elements.alts.hidden = !spec.alts;
  form.elements.alts.placeholder = spec.alts || "";
}

function whatIfPanel(h, res, ov) {
  const box = el("div", { class: "whatif" }, el("h3", {}, "What if"));
  // The address's own changes can be dropped; a scenario's stay.
  const mine = h.assume ? h.assume.split(",") : [];
  if (res && res.assume_items.length) {
    const ul = el("ul", {});
    for (const it of res.assume_items) {
      ul.append(el("li", {}, it.words, " ", mine.includes(it.text)
        ? el("button", { class: "small", "data-drop": it.text }, "remove") : el("i", {}, "(the scenario's)")));
    }
    box.append(ul);
  } else {
    box.append(el("p", {}, "No change assumed. Add a control with the +mfa or +segmentation buttons beside a node, or make any change below."));
  }
  const form = el("form", { id: "whatif-form" },
    el("select", { name: "kind", "aria-label": "Change" }, Object.entries(WHATIF_FORMS).map(([k, v]) => el("option", { value: k }, v.label))),
    el("input", { name: "a", size: 16, "aria-label": "Node, or consumer" }),
    el("input", { name: "b", size: 16, "aria-label": "Control, or provider" }),
    el("datalist", { id: "whatif-controls" }, (ov.controls || []).map(c => el("option", { value: c }))),
    el("select", { name: "type", "aria-label": "Relation" }, el("option", { value: "" }, "any relation"),
      (ov.relations || []).map(r => el("option", { value: r }, r))),
    el("label", { class: "critical" }, el("input", { type: "checkbox", name: "critical", checked: true }), " critical"),
    el("input", { name: "alts", size: 20, "aria-label": "Alternatives" }),
    el("button", { type: "submit" }, "Try"));
  showFields(form);
  box.append(form,
    // A what-if that cannot be tried says why here; the page, its result
    // and the form's text stay, so that it can be corrected.
    el("p", { id: "whatif-error", class: "error", role: "alert", hidden: true }));
  if (res && res.warnings && res.warnings.length) {
    box.append(el("ul", { id: "whatif-warnings", class: "warning" }, res.warnings.map(w => el("li", {}, w))));
  }
  if (res && res.assume_yaml) {
    box.append(el("h4", {}, "As an assume: block for a scenario of the model file"),
      el("pre", { id: "assume-yaml" }, res.assume_yaml),
      el("button", { id: "copy-yaml", class: "small" }, "Copy"));
  }
  return box;
}

function pathPanel(res, id) {
  const a = res.impact.affected.find(x => x.id === id);
  if (!a) return el("p", {}, id + " is not affected.");
  const box = el("div", { class: "explain" }, el("h3", {}, "Why " + a.id + " is " + a.impact + " "),
    ["mfa", "segmentation"].map(c => el("button", { class: "small", "data-control": c, "data-node": a.id, title: "What if " + a.id + " had " + c + "?" }, "+" + c)));
  const ol = el("ol", { class: "steps" });
  ol.append(el("li", {}, el("b", {}, a.path[0]), " is compromised (a seed)"));
  for (let i = 1; i < a.path.length; i++) {
    const provider = a.path[i - 1], consumer = a.path[i], rel = a.via[i - 1];
    const li = el("li", {}, el("b", {}, consumer), " ← " + rel + " of " + provider + " ");
    if (rel !== "operator") li.append(el("button", { class: "small", "data-assume": "remove:" + consumer + ":" + provider + ":" + rel }, "remove this dependency"));
    ol.append(li);
  }
  box.append(ol);
  return box;
}

async function show() {
  const h = readHash();
  const app = document.getElementById("app");
  const modeBox = document.getElementById("mode");
  modeBox.value = h.mode;
  modeBox.disabled = !!h.scenario; // a scenario sets its own mode
  const view = viewOf(h);
  for (const a of document.querySelectorAll("#views a")) {
    a.classList.toggle("current", a.dataset.view === view);
  }
  const seq = (state.seq = (state.seq || 0) + 1);
  const picked = h.seed || h.scenario;
  try {
    const [ov, res] = await Promise.all([
      api("overview?" + queryString(picked ? h : { mode: h.mode })),
      picked ? api("reach?" + queryString(h)) : null,
    ]);
    if (seq !== state.seq) return;
    document.getElementById("title").textContent = ov.name || ov.file;
    if (res) modeBox.value = res.mode;
    const out = el("div", { class: "result" });
    if (res) {
      out.append(el("h2", {}, res.scenario ? res.scenario : "Compromise of " + res.seeds.join(", ") + " (" + res.mode + ")"),
        summaryHook(res, true), comparison(res));
    } else {
      out.append(el("p", { id: "summary", class: "summary", "data-organisations": 0, "data-people": 0, "data-seeds": "" },
        "Pick a scenario, or search for a node to compromise."));
    }
    if (view === "overview") {
      const rank = await api("rank?mode=" + h.mode);
      if (seq !== state.seq) return;
      out.append(el("h3", {}, "Integrated care boards"), tilesView(ov),
        el("h3", {}, "Scenarios in " + ov.file), scenariosView(ov, true), rankView(rank, true));
    } else if (view === "radius" && res) {
      out.append(whatIfPanel(h, res, ov));
      if (h.node) out.append(pathPanel(res, h.node));
      // Beyond a few hundred nodes the what-if buttons move to the path panel.
      const toggles = res.impact.affected.length <= 300;
      out.append(el("p", { class: "hint" }, "Click a node for the path that explains it" + (toggles ? "." : " and the what-ifs on it.")),
        groupsView(res, { link: true, toggles }));
    } else if (view === "chokepoints" && res) {
      const cp = await api("chokepoints?" + queryString(h));
      if (seq !== state.seq) return;
      out.append(chokepointsView(cp));
    } else if (view === "drawing" && res) {
      const src = "/api/draw?" + queryString(h, { depth: h.depth });
      const img = el("img", { id: "drawing", alt: "Drawing of the blast radius", src: src });
      img.addEventListener("error", async () => {
        const r = await fetch(src);
        img.replaceWith(el("p", { class: "note" }, await r.text()));
      });
      out.append(el("label", {}, "Steps from the seeds ",
        el("input", { id: "depth", type: "number", min: 0, max: 20, value: h.depth })), " (0: no limit)", img);
    } else if (view === "timeline" && res) {
      const src = "/api/timeline?" + queryString(h);
      const img = el("img", { id: "timeline", alt: "Timeline of who goes down and for how long", src: src });
      img.addEventListener("error", async () => {
        const r = await fetch(src);
        img.replaceWith(el("p", { class: "note", id: "no-timeline" }, await r.text()));
      });
      out.append(el("p", { class: "hint" }, "Each organisation's capacity day by day, from dark (none) to white (full), and what is lost each week. Modelled capacity, not a clinical measure."), img);
    } else if (!res) {
      out.append(el("p", {}, "Pick a scenario or a node first."));
    }
    app.replaceChildren(out);
    state.shown = { pick: pickKey(h), assume: h.assume };
    if (state.whatIfError) {
      whatIfError(state.whatIfError);
      state.whatIfError = "";
    }
  } catch (err) {
    if (seq !== state.seq) return;
    if (err.param === "assume" && h.assume) {
      // The what-if cannot be tried: the address goes back to the what-if
      // last shown (or none), and the error goes beside the form.
      const msg = String(err.message || err);
      const back = state.shown && state.shown.pick === pickKey(h) && state.shown.assume !== h.assume ? state.shown.assume : "";
      history.replaceState(null, "", hashOf(Object.assign({}, h, { assume: back })));
      if (state.shown && state.shown.pick === pickKey(h) && state.shown.assume === back && document.getElementById("whatif-form")) {
        whatIfError(msg); // the page as it was, the form as typed
      } else {
        state.whatIfError = msg;
        show();
      }
      return;
    }
    state.shown = null;
    app.replaceChildren(el("p", { class: "error", id: "summary", "data-organisations": 0, "data-people": 0, "data-seeds": "" }, String(err.message || err)));
  }
}

async function poll() {
  try {
    const st = await api("status");
    const box = document.getElementById("errors");
    box.hidden = st.errors.length === 0;
    box.replaceChildren(el("p", {}, st.loaded ? "The file no longer loads; showing the last version that did:" : "The model does not load:"),
      el("pre", {}, st.errors.join("\n")));
    if (st.version !== state.version) {
      const first = state.version < 0;
      state.version = st.version;
      if (!first) show();
    }
  } catch (e) { /* the server has stopped; keep what is shown */ }
}

let searchTimer = 0;
async function search(text) {
  const ul = document.getElementById("search-results");
  if (!text.trim()) { ul.hidden = true; return; }
  const found = await api("search?q=" + encodeURIComponent(text));
  ul.replaceChildren(...found.map(m => el("li", {},
    m.type === "scenario" ? el("a", { href: "#", "data-scenario": m.id }, "Scenario: " + m.name)
      : el("a", { href: "#", "data-pick": m.id, "data-result": m.id }, m.id, " — " + m.name + " (" + m.kind + (m.ods ? " " + m.ods : "") + ")"))));
  if (!found.length) ul.append(el("li", {}, "Nothing matches."));
  ul.hidden = false;
}

function startServed() {
  document.addEventListener("click", ev => {
    const t = ev.target.closest("a, button");
    if (!t) return;
    const d = t.dataset;
    if (d.view) { ev.preventDefault(); change({ view: d.view }); return; }
    if (d.pick) {
      ev.preventDefault();
      document.getElementById("search-results").hidden = true;
      const h = readHash();
      if (t.closest(".groups")) change({ node: d.pick });
      else change({ seed: d.pick, scenario: "", assume: "", node: "", view: h.view === "overview" ? "" : h.view });
      return;
    }
    if (d.scenario) {
      ev.preventDefault();
      document.getElementById("search-results").hidden = true;
      change({ scenario: d.scenario, seed: "", assume: "", node: "", view: "" });
      return;
    }
    if (d.control) { addAssume("control:" + d.node + ":" + d.control); return; }
    if (d.assume) { addAssume(d.assume); return; }
    if (d.drop) { dropAssume(d.drop); return; }
    if (t.id === "copy-yaml") {
      const text = document.getElementById("assume-yaml").textContent;
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(() => { t.textContent = "Copied"; }, () => {});
    }
  });
  document.addEventListener("submit", ev => {
    ev.preventDefault();
    const items = whatIfItems(new FormData(ev.target));
    if (items.length) addAssume(...items);
  });
  document.addEventListener("change", ev => {
    if (ev.target.name === "kind" && ev.target.form) showFields(ev.target.form);
    if (ev.target.id === "mode") change({ mode: ev.target.value });
    if (ev.target.id === "depth") change({ depth: ev.target.value });
  });
  const input = document.getElementById("search");
  input.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(input.value).catch(() => {}), 120);
  });
  window.addEventListener("hashchange", show);
  poll();
  setInterval(poll, 1500);
  show();
}

function start() {
  const data = document.getElementById("report-data");
  if (data) renderReport(JSON.parse(data.textContent));
  else startServed();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
