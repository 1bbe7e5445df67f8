package explore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
	"github.com/blastradius/blastradius/render"
)

//go:embed assets
var assets embed.FS

// Drawer lays a DOT drawing out as SVG (the blastradius-draw program).
type Drawer func(dot []byte) ([]byte, error)

// Server serves the explorer for one model file, reloading it when it
// changes. Create it with NewServer.
type Server struct {
	path   string
	limits model.Limits
	draw   Drawer
	// drawings lets one drawing run at a time; queued counts the requests
	// waiting for it, at most MaxQueuedDrawings.
	drawings chan struct{}
	queued   atomic.Int32

	mu      sync.RWMutex
	sess    *Session // the last model that loaded, nil if none has
	errs    []string // why the file on disk does not load, with positions
	version int      // counts loads, so that the page knows to refresh
	stamp   string   // the files' modification times and sizes when loaded
	files   []string // the files the last model that loaded read: the root and its includes
}

// NewServer loads the model at path. A model that does not load is not an
// error here: the page shows why, and the file is read again when it
// changes. draw may be nil: the page then says how to get drawings.
func NewServer(path string, lim model.Limits, draw Drawer) *Server {
	s := &Server{path: path, limits: lim, draw: draw, drawings: make(chan struct{}, 1)}
	s.reload()
	return s
}

// fileStamp says when each file changed and how long it is: a change to
// any of them changes the stamp.
func fileStamp(paths []string) string {
	var b strings.Builder
	for _, path := range paths {
		if st, err := os.Stat(path); err != nil {
			b.WriteString("missing;")
		} else {
			fmt.Fprintf(&b, "%d/%d;", st.ModTime().UnixNano(), st.Size())
		}
	}
	return b.String()
}

// watched lists the files to watch: every file the last model that loaded
// read (the root and its includes), or the root alone.
func (s *Server) watched() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.files) == 0 {
		return []string{s.path}
	}
	return slices.Clone(s.files)
}

// Load reads and builds a model file as the commands do, returning every
// problem with its position.
func Load(path string, lim model.Limits) (*Session, []string) {
	m, err := model.LoadWith(path, lim)
	if err == nil {
		var sess *Session
		if sess, err = NewSession(path, m); err == nil {
			sess.Limits = lim
			return sess, nil
		}
	}
	var list model.ErrorList
	if errors.As(err, &list) {
		var out []string
		for _, e := range list.Errors() {
			out = append(out, e.Error())
		}
		if len(out) > 0 {
			return nil, out
		}
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, []string{path + ": no such file"}
	}
	return nil, []string{fmt.Sprintf("%s: %v", path, err)}
}

func (s *Server) reload() {
	// Stamp before reading, so that a change made while the model loads is
	// seen at the next check.
	files := s.watched()
	stamp := fileStamp(files)
	sess, errs := Load(s.path, s.limits)
	if sess != nil && len(sess.Model.Files) > 0 && !slices.Equal(sess.Model.Files, files) {
		files = slices.Clone(sess.Model.Files) // it includes other files now
		stamp = fileStamp(files)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = errs
	if sess != nil {
		s.sess = sess
		s.files = files
	}
	s.stamp = stamp
	s.version++
}

// Watch reloads the model whenever the modification time or size of its
// file, or of a file it includes, changes, checking every interval, until
// ctx ends.
func (s *Server) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.mu.RLock()
			old := s.stamp
			s.mu.RUnlock()
			if fileStamp(s.watched()) != old {
				s.reload()
			}
		}
	}
}

// Errors says why the file on disk does not load, each with its position;
// nil if it loads.
func (s *Server) Errors() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.errs
}

// Session returns the model in use, nil if none has loaded.
func (s *Server) Session() *Session {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.sess
}

// Handler serves the page and its API to requests whose Host names this
// machine's loopback at port; any other Host (a DNS rebinding attack) is
// refused.
func (s *Server) Handler(port int) http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	files := http.FileServerFS(static)
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", files))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, _ := assets.ReadFile("assets/index.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("GET /api/status", s.status)
	mux.HandleFunc("GET /api/overview", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		var im *graph.Impact
		if len(q.Seeds) > 0 || q.Scenario != "" {
			res, err := sess.Analyse(q)
			if err != nil {
				return nil, err
			}
			im = res.Impact
		}
		return sess.Overview(im), nil
	}))
	mux.HandleFunc("GET /api/reach", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		return sess.Analyse(q)
	}))
	mux.HandleFunc("GET /api/chokepoints", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		return sess.Chokepoints(q)
	}))
	mux.HandleFunc("GET /api/paths", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		return sess.Paths(q, r.FormValue("to"))
	}))
	mux.HandleFunc("GET /api/search", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		return sess.Search(r.FormValue("q"), 20), nil
	}))
	mux.HandleFunc("GET /api/node", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		return sess.Node(r.FormValue("id"))
	}))
	mux.HandleFunc("GET /api/rank", s.api(func(sess *Session, q Query, r *http.Request) (any, error) {
		rk, err := sess.Rank(q.Mode)
		if err != nil {
			return nil, err
		}
		top := min(len(rk.Ranking), 25)
		if n, err := strconv.Atoi(r.FormValue("top")); err == nil && n > 0 {
			top = min(len(rk.Ranking), n)
		}
		return &graph.Rank{Model: rk.Model, Mode: rk.Mode, Ranking: rk.Ranking[:top]}, nil
	}))
	mux.HandleFunc("GET /api/draw", s.drawing)
	mux.HandleFunc("GET /api/timeline", s.timeline)
	return localOnly(port, headers(mux))
}

// headers sets the page's Content-Security-Policy: nothing but its own
// files, no inline script or style.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// IsLoopback reports whether a listening address is on this machine only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// localOnly refuses requests whose Host header is not a loopback name or
// address with the server's port.
func localOnly(port int, h http.Handler) http.Handler {
	want := strconv.Itoa(port)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, p, err := net.SplitHostPort(r.Host)
		if err != nil || p != want || !IsLoopback(net.JoinHostPort(host, p)) {
			http.Error(w, "blastradius serve answers only requests for this machine (Host "+strconv.Quote(r.Host)+" refused)", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Status is what the page polls to learn of reloads.
type Status struct {
	Version int      `json:"version"`
	File    string   `json:"file"`
	Loaded  bool     `json:"loaded"`
	Errors  []string `json:"errors"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	st := Status{Version: s.version, File: s.path, Loaded: s.sess != nil, Errors: s.errs}
	s.mu.RUnlock()
	if st.Errors == nil {
		st.Errors = []string{}
	}
	writeJSONResponse(w, http.StatusOK, st)
}

// QueryOf reads a query from URL parameters: seed (comma-separated), mode,
// scenario and assume.
func QueryOf(r *http.Request) (Query, error) {
	q := Query{Mode: model.Mode(r.FormValue("mode")), Scenario: r.FormValue("scenario")}
	for _, id := range strings.Split(r.FormValue("seed"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			q.Seeds = append(q.Seeds, id)
		}
	}
	var err error
	q.Assume, err = ParseWhatIf(r.FormValue("assume"))
	return q, err
}

type apiError struct {
	Error string `json:"error"`
	// Param names the query parameter at fault, "assume" for a what-if
	// that cannot be tried, so that a page can show the error beside the
	// what-if's form.
	Param string `json:"param,omitempty"`
}

// errorOf is an error's answer.
func errorOf(err error) apiError {
	var w *WhatIfError
	if errors.As(err, &w) {
		return apiError{Error: err.Error(), Param: "assume"}
	}
	return apiError{Error: err.Error()}
}

func (s *Server) api(f func(sess *Session, q Query, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := s.Session()
		if sess == nil {
			writeJSONResponse(w, http.StatusServiceUnavailable, apiError{Error: "the model does not load; see the errors"})
			return
		}
		q, err := QueryOf(r)
		if err == nil {
			var v any
			if v, err = f(sess, q, r); err == nil {
				writeJSONResponse(w, http.StatusOK, v)
				return
			}
		}
		writeJSONResponse(w, http.StatusBadRequest, errorOf(err))
	}
}

func writeJSONResponse(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(apiError{Error: err.Error()})
	}
	w.Write(append(textsafe.JSON(b), '\n'))
}

// analyseRequest analyses the view a request names, answering 400 with
// the reason when it names none that can be analysed.
func analyseRequest(w http.ResponseWriter, r *http.Request, sess *Session) (*Result, bool) {
	q, err := QueryOf(r)
	var res *Result
	if err == nil {
		res, err = sess.Analyse(q)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return nil, false
	}
	return res, true
}

// drawing lays out the current view, focused on the seeds to a depth.
func (s *Server) drawing(w http.ResponseWriter, r *http.Request) {
	sess := s.Session()
	if sess == nil {
		http.Error(w, "the model does not load", http.StatusServiceUnavailable)
		return
	}
	if s.draw == nil {
		http.Error(w, NoDrawer, http.StatusNotImplemented)
		return
	}
	res, ok := analyseRequest(w, r, sess)
	if !ok {
		return
	}
	depth, _ := strconv.Atoi(r.FormValue("depth"))
	// One drawing process at a time: the others wait, a few of them, and
	// give up when their page does.
	if s.queued.Add(1) > MaxQueuedDrawings {
		s.queued.Add(-1)
		http.Error(w, fmt.Sprintf("%d drawings are waiting already; try again when they are done", MaxQueuedDrawings), http.StatusServiceUnavailable)
		return
	}
	select {
	case s.drawings <- struct{}{}:
		s.queued.Add(-1)
	case <-r.Context().Done():
		s.queued.Add(-1)
		return
	}
	svg, err := sess.Draw(res, depth, s.draw)
	<-s.drawings
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Write(svg)
}

// MaxQueuedDrawings is how many drawing requests may wait for the one that
// runs; more are refused with 503.
const MaxQueuedDrawings = 4

// NoDrawer says why there is no drawing.
const NoDrawer = `drawings need the blastradius-draw program: install it with "go install ./cmd/blastradius-draw"`

// Draw draws a result with render.DOT as "render --focus" draws it: the
// scenario's name as the title (or the seeds), the radius in words under
// it, the what-if said and marked on the nodes it changes; limited to nodes
// at most depth steps from a seed (0: no limit), which the line under the
// title says; above render.DefaultMaxNodes nodes, similar ones fold by ICB
// and kind.
func (s *Session) Draw(res *Result, depth int, draw Drawer) ([]byte, error) {
	dot, err := s.DOT(res, depth)
	if err != nil {
		return nil, err
	}
	return draw(dot)
}

// DOT is the drawing that Draw lays out, as DOT text.
func (s *Session) DOT(res *Result, depth int) ([]byte, error) {
	x, err := s.graphFor(res.query)
	if err != nil {
		return nil, err
	}
	im := *res.Impact
	subtitle := Subtitle(res.Impact)
	if depth > 0 {
		im.Affected = nil
		for _, a := range res.Impact.Affected {
			if a.Steps() <= depth {
				im.Affected = append(im.Affected, a)
			}
		}
		if left := len(res.Impact.Affected) - len(im.Affected); left > 0 {
			subtitle += fmt.Sprintf("; drawn to %s from the seeds, leaving out %s further",
				english.Plural(depth, "step"), english.Plural(left, "affected node"))
		}
	}
	return render.DOT(x.graph, render.Options{Impact: &im, Focus: true, Scenario: res.Scenario, Assume: x.assume, Subtitle: subtitle}).DOT, nil
}

// Subtitle is the line under a drawing's title, as "render" writes it: the
// mode, the seeds and the radius in words.
func Subtitle(im *graph.Impact) string { return im.Headline() }

// NodeInfo is one node with its dependencies, for the page's node view.
type NodeInfo struct {
	ID    string      `json:"id"`
	Name  string      `json:"name"`
	Class model.Class `json:"class"`
	Kind  string      `json:"kind"`
	ODS   string      `json:"ods,omitempty"`
	ICB   string      `json:"icb,omitempty"`
	// Patients is the node's own figure, absent where the file gives none.
	Patients  *int64   `json:"patients,omitempty"`
	Operator  string   `json:"operator,omitempty"`
	Controls  []string `json:"controls"`
	File      string   `json:"file"` // the file of its entry, for a model in many files
	Line      int      `json:"line"`
	DependsOn []Dep    `json:"depends_on"`
	UsedBy    []Dep    `json:"used_by"`
}

// Dep is one dependency as the node view lists it.
type Dep struct {
	ID           string         `json:"id"`
	Type         model.Relation `json:"type"`
	Critical     bool           `json:"critical"`
	Alternatives []string       `json:"alternatives"`
	File         string         `json:"file"`
	Line         int            `json:"line"`
}

// Node describes one node and its dependencies both ways.
func (s *Session) Node(id string) (*NodeInfo, error) {
	n, ok := s.Graph.Lookup(id)
	if !ok {
		var ids []string
		for _, x := range s.Graph.Nodes() {
			ids = append(ids, x.ID)
		}
		return nil, &graph.UnknownIDError{ID: id, Suggestion: model.Suggest(id, ids)}
	}
	info := &NodeInfo{ID: n.ID, Name: n.Name, Class: n.Class, Kind: n.Kind, ODS: n.ODS, ICB: n.ICB, Operator: n.Operator,
		Controls: append([]string{}, n.Controls...), File: s.at(n.Pos).File, Line: n.Pos.Line, DependsOn: []Dep{}, UsedBy: []Dep{}}
	if n.GivesPatients() {
		info.Patients = &n.Patients
	}
	for _, d := range s.Model.Dependencies {
		alts := d.Alternatives
		if alts == nil {
			alts = []string{}
		}
		if d.From == id {
			info.DependsOn = append(info.DependsOn, Dep{d.To, d.Type, d.Critical, alts, s.at(d.Pos).File, d.Pos.Line})
		}
		if d.To == id {
			info.UsedBy = append(info.UsedBy, Dep{d.From, d.Type, d.Critical, alts, s.at(d.Pos).File, d.Pos.Line})
		}
	}
	return info, nil
}
