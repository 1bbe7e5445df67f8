package render

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// PNG output is painted here from Graphviz's xdot drawing operations, not
// by Graphviz: go-graphviz's own PNG renderer draws edges as filled blobs,
// leaves out node and cluster outlines and clips the left edge.

// PNGOptions tune PNG output.
type PNGOptions struct {
	Scale   float64 // pixels per point; 0 means 96/72 (96 dpi)
	MaxSide int     // the longest side in pixels; 0 means 6000. The scale shrinks to fit.
}

// PNG paints a graph laid out by Graphviz in xdot format. Input it cannot
// read gives an error, never a panic.
func PNG(xdot []byte, opt PNGOptions) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("painting PNG: %v", r)
		}
	}()
	stmts, err := parseDOT(xdot)
	if err != nil {
		return nil, err
	}
	var bb [4]float64
	found := false
	for _, s := range stmts {
		if s.kind == "graph" && s.attrs["bb"] != "" && !found {
			if _, err := fmt.Sscanf(s.attrs["bb"], "%g,%g,%g,%g", &bb[0], &bb[1], &bb[2], &bb[3]); err == nil {
				found = true
			}
		}
	}
	if !found {
		return nil, errors.New("the layout has no bounding box")
	}
	scale := opt.Scale
	if scale <= 0 {
		scale = 96.0 / 72
	}
	maxSide := opt.MaxSide
	if maxSide <= 0 {
		maxSide = 6000
	}
	// A margin, because the Go fonts run a little wider than the metrics
	// Graphviz laid the text out with.
	const margin = 24
	wPt, hPt := bb[2]-bb[0]+2*margin, bb[3]-bb[1]+2*margin
	if s := float64(maxSide) / math.Max(wPt, hPt); s < scale {
		scale = s
	}
	p := &painter{
		img:   image.NewRGBA(image.Rect(0, 0, max(1, int(wPt*scale)), max(1, int(hPt*scale)))),
		scale: scale, x0: bb[0] - margin, yTop: bb[3] + margin,
	}
	draw.Draw(p.img, p.img.Bounds(), image.White, image.Point{}, draw.Src)
	// Clusters and the graph first, then edges, then nodes on top.
	for _, pass := range []string{"graph", "edge", "node"} {
		for _, s := range stmts {
			if s.kind != pass {
				continue
			}
			for _, key := range []string{"_draw_", "_ldraw_", "_hdraw_", "_tdraw_", "_hldraw_", "_tldraw_"} {
				if ops := s.attrs[key]; ops != "" {
					if err := p.run(ops); err != nil {
						return nil, fmt.Errorf("%s %s: %w", key, s.kind, err)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, p.img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stmt is a graph, node or edge statement with its attributes.
type stmt struct {
	kind  string // graph, node or edge
	attrs map[string]string
}

// parseDOT reads the statements of DOT that Graphviz writes: enough of the
// language for its xdot output, not every DOT file.
func parseDOT(src []byte) ([]stmt, error) {
	toks, err := tokenize(string(src))
	if err != nil {
		return nil, err
	}
	var out []stmt
	i := 0
	attrs := func() map[string]string {
		m := map[string]string{}
		for i < len(toks) && toks[i] != "]" {
			k := toks[i]
			i++
			if i < len(toks) && toks[i] == "=" && i+1 < len(toks) {
				m[unquote(k)] = unquote(toks[i+1])
				i += 2
			}
			for i < len(toks) && (toks[i] == "," || toks[i] == ";") {
				i++
			}
		}
		i++ // ]
		return m
	}
	for i < len(toks) {
		t := toks[i]
		switch {
		case t == "{" || t == "}" || t == ";" || t == "digraph" || t == "strict" || t == "subgraph":
			i++
		case (t == "graph" || t == "node" || t == "edge") && i+1 < len(toks) && toks[i+1] == "[":
			i += 2
			a := attrs()
			if t == "graph" {
				out = append(out, stmt{"graph", a})
			}
		case i+1 < len(toks) && toks[i+1] == "=":
			i += 3 // an attribute of the enclosing graph, such as label=...
		default:
			// A node or edge statement: ids joined by -> or --, then attributes.
			kind := "node"
			i++
			for i+1 < len(toks) && (toks[i] == "->" || toks[i] == "--") {
				kind = "edge"
				i += 2
			}
			if i < len(toks) && toks[i] == "[" {
				i++
				out = append(out, stmt{kind, attrs()})
			} else if i < len(toks) && toks[i] == "{" {
				i++ // "digraph name {" or "subgraph name {"
			}
		}
	}
	return out, nil
}

func tokenize(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, errors.New("xdot: unterminated string")
			}
			toks = append(toks, s[i:j+1])
			i = j + 1
		case strings.ContainsRune("{}[];,=", rune(c)):
			toks = append(toks, string(c))
			i++
		case c == '-' && i+1 < len(s) && (s[i+1] == '>' || s[i+1] == '-'):
			toks = append(toks, s[i:i+2])
			i += 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r{}[];,=\"", rune(s[j])) && !(s[j] == '-' && j+1 < len(s) && s[j+1] == '>') {
				j++
			}
			if j == i {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func unquote(t string) string {
	if len(t) >= 2 && t[0] == '"' {
		t = t[1 : len(t)-1]
		t = strings.ReplaceAll(t, "\\\n", "")
		return strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(t)
	}
	return t
}

type painter struct {
	img        *image.RGBA
	scale      float64
	x0, yTop   float64
	pen, brush color.Color
	width      float64
	dash       []float64
	fontSize   float64
	bold       bool // the font's name says bold
	boldFlag   bool // the font characteristics (xdot's t) say bold
	faces      map[[2]int]font.Face
	// where a dash pattern is, carried across the parts of one line
	dashLeft float64
	dashOn   bool
	dashIdx  int
}

func (p *painter) pt(x, y float64) (float32, float32) {
	return float32((x - p.x0) * p.scale), float32((p.yTop - y) * p.scale)
}

// ops reads xdot drawing operations.
type ops struct {
	s string
	i int
}

func (o *ops) skip() {
	for o.i < len(o.s) && o.s[o.i] == ' ' {
		o.i++
	}
}

func (o *ops) word() string {
	o.skip()
	j := o.i
	for j < len(o.s) && o.s[j] != ' ' {
		j++
	}
	w := o.s[o.i:j]
	o.i = j
	return w
}

func (o *ops) num() (float64, error) { return strconv.ParseFloat(o.word(), 64) }

// nums4 reads the four numbers of an ellipse or a text operation.
func (o *ops) nums4() (v [4]float64, err error) {
	for k := range v {
		if v[k], err = o.num(); err != nil {
			return v, err
		}
	}
	return v, nil
}

// str reads "n -bytes".
func (o *ops) str() (string, error) {
	n, err := strconv.Atoi(o.word())
	if err != nil {
		return "", err
	}
	if n < 0 {
		return "", errors.New("negative string length")
	}
	o.skip()
	if o.i >= len(o.s) || o.s[o.i] != '-' {
		return "", errors.New("bad string")
	}
	o.i++
	if o.i+n > len(o.s) {
		return "", errors.New("string runs past the end")
	}
	s := o.s[o.i : o.i+n]
	o.i += n
	return s, nil
}

func (o *ops) points() ([][2]float64, error) {
	n, err := strconv.Atoi(o.word())
	if err != nil {
		return nil, err
	}
	// Each point takes at least four bytes ("0 0 "): a count the rest of
	// the input cannot hold is a lie, not an allocation to attempt.
	if n < 0 || n > (len(o.s)-o.i)/4+1 {
		return nil, fmt.Errorf("%d points in %d bytes", n, len(o.s)-o.i)
	}
	pts := make([][2]float64, n)
	for k := range pts {
		if pts[k][0], err = o.num(); err != nil {
			return nil, err
		}
		if pts[k][1], err = o.num(); err != nil {
			return nil, err
		}
	}
	return pts, nil
}

func (p *painter) run(s string) error {
	p.pen, p.brush, p.width, p.dash, p.boldFlag = color.Black, color.Black, 1, nil, false
	o := &ops{s: s}
	for {
		op := o.word()
		if op == "" {
			return nil
		}
		switch op {
		case "E", "e":
			v, err := o.nums4()
			if err != nil {
				return err
			}
			poly := ellipse(v[0], v[1], v[2], v[3])
			if op == "E" {
				p.fill(poly, p.brush)
			}
			p.stroke(append(poly, poly[0]))
		case "P", "p", "L", "B", "b":
			pts, err := o.points()
			if err != nil {
				return err
			}
			if len(pts) == 0 {
				continue
			}
			if op == "B" || op == "b" {
				pts = bezier(pts)
			}
			if op == "P" || op == "b" {
				p.fill(pts, p.brush)
			}
			if op == "P" || op == "p" {
				pts = append(pts, pts[0])
			}
			p.stroke(pts)
		case "T":
			v, err := o.nums4()
			if err != nil {
				return err
			}
			text, err := o.str()
			if err != nil {
				return err
			}
			p.text(v[0], v[1], int(v[2]), text)
		case "C", "c":
			name, err := o.str()
			if err != nil {
				return err
			}
			c := parseColour(name)
			if op == "C" {
				p.brush = c
			} else {
				p.pen = c
			}
		case "F":
			size, err := o.num()
			if err != nil {
				return err
			}
			name, err := o.str()
			if err != nil {
				return err
			}
			p.fontSize, p.bold = size, strings.Contains(strings.ToLower(name), "bold")
		case "S":
			style, err := o.str()
			if err != nil {
				return err
			}
			// Prefixes: for the borders of HTML-like labels, Graphviz
			// 12 writes the style followed by bytes that are not part of it.
			switch {
			case strings.HasPrefix(style, "dashed"):
				p.dash = []float64{6, 4}
			case strings.HasPrefix(style, "dotted"):
				p.dash = []float64{1.5, 3}
			case strings.HasPrefix(style, "solid"):
				p.dash = nil
			case style == "bold":
				p.width = 2
			case strings.HasPrefix(style, "setlinewidth("):
				if w, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(style, "setlinewidth("), ")"), 64); err == nil {
					p.width = w
				}
			}
		case "t": // font characteristics: 1 is bold (HTML-like <B>)
			if flags, err := strconv.Atoi(o.word()); err == nil {
				p.boldFlag = flags&1 != 0
			}
		case "I":
			for range 4 {
				o.num()
			}
			o.str()
		default:
			return fmt.Errorf("unknown xdot operation %q", op)
		}
	}
}

func ellipse(cx, cy, rx, ry float64) [][2]float64 {
	const n = 72
	pts := make([][2]float64, n)
	for k := range pts {
		a := 2 * math.Pi * float64(k) / n
		pts[k] = [2]float64{cx + rx*math.Cos(a), cy + ry*math.Sin(a)}
	}
	return pts
}

// bezier flattens a piecewise cubic Bézier curve (1 + 3k points).
func bezier(pts [][2]float64) [][2]float64 {
	if len(pts) < 4 {
		return pts
	}
	out := [][2]float64{pts[0]}
	for k := 0; k+3 < len(pts); k += 3 {
		p0, p1, p2, p3 := pts[k], pts[k+1], pts[k+2], pts[k+3]
		for s := 1; s <= 16; s++ {
			t := float64(s) / 16
			u := 1 - t
			out = append(out, [2]float64{
				u*u*u*p0[0] + 3*u*u*t*p1[0] + 3*u*t*t*p2[0] + t*t*t*p3[0],
				u*u*u*p0[1] + 3*u*u*t*p1[1] + 3*u*t*t*p2[1] + t*t*t*p3[1],
			})
		}
	}
	return out
}

// area is a rasterizer over just the box an operation touches: painting
// costs what the shape covers, not the whole picture.
type area struct {
	r    *vector.Rasterizer
	rect image.Rectangle
	dx   float64
	dy   float64
}

func (p *painter) area(pts [][2]float64, pad float64) *area {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range pts {
		x, y := p.pt(q[0], q[1])
		minX, maxX = math.Min(minX, float64(x)), math.Max(maxX, float64(x))
		minY, maxY = math.Min(minY, float64(y)), math.Max(maxY, float64(y))
	}
	rect := image.Rect(int(minX-pad)-1, int(minY-pad)-1, int(maxX+pad)+2, int(maxY+pad)+2).Intersect(p.img.Bounds())
	if rect.Empty() {
		return nil
	}
	return &area{r: vector.NewRasterizer(rect.Dx(), rect.Dy()), rect: rect, dx: float64(rect.Min.X), dy: float64(rect.Min.Y)}
}

func (a *area) moveTo(x, y float64) { a.r.MoveTo(float32(x-a.dx), float32(y-a.dy)) }
func (a *area) lineTo(x, y float64) { a.r.LineTo(float32(x-a.dx), float32(y-a.dy)) }

func (a *area) paint(dst *image.RGBA, c color.Color) {
	a.r.Draw(dst, a.rect, image.NewUniform(c), image.Point{})
}

func (p *painter) fill(pts [][2]float64, c color.Color) {
	if len(pts) < 3 || isTransparent(c) {
		return
	}
	a := p.area(pts, 0)
	if a == nil {
		return
	}
	x, y := p.pt(pts[0][0], pts[0][1])
	a.moveTo(float64(x), float64(y))
	for _, q := range pts[1:] {
		x, y := p.pt(q[0], q[1])
		a.lineTo(float64(x), float64(y))
	}
	a.r.ClosePath()
	a.paint(p.img, c)
}

// stroke draws a polyline as quadrilaterals of the pen's width, dashed if
// the style says so. Long lines are painted a few segments at a time, so
// that the cost follows their length, not the area of their bounding box.
func (p *painter) stroke(pts [][2]float64) {
	if len(pts) < 2 || isTransparent(p.pen) {
		return
	}
	const chunk = 8
	p.dashLeft, p.dashOn, p.dashIdx = 0, true, 0
	if len(p.dash) > 0 {
		p.dashLeft = p.dash[0] * p.scale
	}
	for start := 0; start+1 < len(pts); start += chunk {
		end := min(start+chunk, len(pts)-1)
		p.strokePart(pts[start : end+1])
	}
}

func (p *painter) strokePart(pts [][2]float64) {
	half := math.Max(p.width*p.scale, 1) / 2
	a := p.area(pts, half+1)
	if a == nil {
		return
	}
	seg := func(ax, ay, bx, by float64) {
		dx, dy := bx-ax, by-ay
		l := math.Hypot(dx, dy)
		if l == 0 {
			return
		}
		nx, ny := -dy/l*half, dx/l*half
		a.moveTo(ax+nx, ay+ny)
		a.lineTo(bx+nx, by+ny)
		a.lineTo(bx-nx, by-ny)
		a.lineTo(ax-nx, ay-ny)
		a.r.ClosePath()
	}
	for k := 0; k+1 < len(pts); k++ {
		ax32, ay32 := p.pt(pts[k][0], pts[k][1])
		bx32, by32 := p.pt(pts[k+1][0], pts[k+1][1])
		ax, ay, bx, by := float64(ax32), float64(ay32), float64(bx32), float64(by32)
		l := math.Hypot(bx-ax, by-ay)
		// Paint only the part on the picture: a segment may run far past
		// it, which the rasteriser's fixed-point arithmetic cannot take,
		// and its dashes cost its length.
		b := p.img.Bounds()
		in0, in1, ok := clipSegment(ax, ay, bx, by, float64(b.Min.X)-half-1, float64(b.Min.Y)-half-1, float64(b.Max.X)+half+1, float64(b.Max.Y)+half+1)
		if len(p.dash) == 0 {
			if ok {
				seg(ax+(bx-ax)*in0, ay+(by-ay)*in0, ax+(bx-ax)*in1, ay+(by-ay)*in1)
			}
			continue
		}
		if !ok {
			p.advanceDash(l)
			continue
		}
		p.advanceDash(in0 * l)
		pos, end := in0*l, in1*l
		for pos < end {
			step := math.Min(p.dashLeft, end-pos)
			if p.dashOn {
				t0, t1 := pos/l, (pos+step)/l
				seg(ax+(bx-ax)*t0, ay+(by-ay)*t0, ax+(bx-ax)*t1, ay+(by-ay)*t1)
			}
			pos += step
			p.dashLeft -= step
			if p.dashLeft <= 1e-9 {
				p.nextDash()
			}
		}
		p.advanceDash(l - end)
	}
	a.paint(p.img, p.pen)
}

// nextDash moves to the next dash or gap of the pattern.
func (p *painter) nextDash() {
	p.dashIdx = (p.dashIdx + 1) % len(p.dash)
	p.dashLeft = p.dash[p.dashIdx] * p.scale
	p.dashOn = !p.dashOn
}

// advanceDash moves the dash pattern along d without painting, in time
// that does not grow with d.
func (p *painter) advanceDash(d float64) {
	period := 0.0
	for _, x := range p.dash {
		period += x * p.scale
	}
	if d <= 0 || period <= 0 {
		return
	}
	if d > p.dashLeft {
		d -= p.dashLeft
		p.nextDash()
		// Whole periods change nothing: an even pattern returns to where it
		// was, an odd one also swaps dash and gap.
		if n := math.Floor(d / period); n > 0 {
			d -= n * period
			if len(p.dash)%2 == 1 && math.Mod(n, 2) == 1 {
				p.dashOn = !p.dashOn
			}
		}
		for d > p.dashLeft {
			d -= p.dashLeft
			p.nextDash()
		}
	}
	p.dashLeft -= d
}

// clipSegment returns the part of the segment from (ax, ay) to (bx, by)
// inside the rectangle, as parameters 0 <= t0 <= t1 <= 1 along it
// (Liang and Barsky's method); ok is false if no part is inside.
func clipSegment(ax, ay, bx, by, minX, minY, maxX, maxY float64) (t0, t1 float64, ok bool) {
	t0, t1 = 0, 1
	dx, dy := bx-ax, by-ay
	for _, c := range [4][2]float64{{-dx, ax - minX}, {dx, maxX - ax}, {-dy, ay - minY}, {dy, maxY - ay}} {
		q, r := c[0], c[1]
		if q == 0 {
			if r < 0 {
				return 0, 0, false
			}
			continue
		}
		t := r / q
		if q < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return 0, 0, false
		}
	}
	return t0, t1, true
}

// face returns the font for the current size and weight. Faces are kept
// per painter: a font.Face is not safe for concurrent use.
func (p *painter) face() font.Face {
	// 0.92: the Go fonts set wider than the Helvetica metrics Graphviz
	// used to size the boxes the text has to fit in.
	size := math.Max(p.fontSize, 6) * p.scale * 0.92
	bold := p.bold || p.boldFlag
	key := [2]int{int(size * 4), boolToInt(bold)}
	if p.faces == nil {
		p.faces = map[[2]int]font.Face{}
	}
	if f, ok := p.faces[key]; ok {
		return f
	}
	data := goregular.TTF
	if bold {
		data = gobold.TTF
	}
	ft, err := opentype.Parse(data)
	if err != nil {
		return nil
	}
	f, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil
	}
	p.faces[key] = f
	return f
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// text draws a line of text; align is -1 left, 0 centre, 1 right.
func (p *painter) text(x, y float64, align int, s string) {
	f := p.face()
	if f == nil {
		return
	}
	d := &font.Drawer{Dst: p.img, Src: image.NewUniform(p.pen), Face: f}
	w := float64(d.MeasureString(s)) / 64
	px, py := p.pt(x, y)
	ox := float64(px)
	switch align {
	case 0:
		ox -= w / 2
	case 1:
		ox -= w
	}
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(ox * 64), Y: fixed.Int26_6(float64(py) * 64)}
	d.DrawString(s)
}

var namedColours = map[string]color.RGBA{
	"black": {0, 0, 0, 255}, "white": {255, 255, 255, 255}, "red": {255, 0, 0, 255},
	"grey": {190, 190, 190, 255}, "gray": {190, 190, 190, 255}, "transparent": {0, 0, 0, 0}, "none": {0, 0, 0, 0},
}

func parseColour(s string) color.Color {
	if c, ok := namedColours[strings.ToLower(s)]; ok {
		return c
	}
	if strings.HasPrefix(s, "#") && (len(s) == 7 || len(s) == 9) {
		v, err := strconv.ParseUint(s[1:], 16, 64)
		if err == nil {
			if len(s) == 7 {
				return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
			}
			a := uint8(v)
			// xdot gives straight alpha; image/color wants it premultiplied.
			return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), a}
		}
	}
	return color.Black
}

func isTransparent(c color.Color) bool {
	_, _, _, a := c.RGBA()
	return a == 0
}
