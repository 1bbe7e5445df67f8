package render

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
)

// TimelinePNG paints the timeline as the SVG draws it, in Go, with the
// painter and fonts of the graph drawings. opt.Scale is pixels per pixel
// of the SVG (0 means 1); the longest side is at most opt.MaxSide (0
// means 6000), the scale shrinking to fit. The same timeline gives the
// same bytes.
func TimelinePNG(t *Timeline, opt PNGOptions) ([]byte, error) {
	L, err := t.layout()
	if err != nil {
		return nil, err
	}
	scale := opt.Scale
	if scale <= 0 {
		scale = 1
	}
	maxSide := opt.MaxSide
	if maxSide <= 0 {
		maxSide = 6000
	}
	if s := float64(maxSide) / math.Max(L.w, L.h); s < scale {
		scale = s
	}
	W, H := max(1, int(math.Ceil(L.w*scale))), max(1, int(math.Ceil(L.h*scale)))
	p := &painter{img: image.NewRGBA(image.Rect(0, 0, W, H)), scale: scale}
	draw.Draw(p.img, p.img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, k := range L.marks {
		switch k.kind {
		case rectMark:
			p.box(k.x, k.y, k.w, k.h, k.colour)
		case cellsMark:
			for d, c := range k.cells {
				x0, x1 := int(math.Round((k.x+float64(d)*k.w)*scale)), int(math.Round((k.x+float64(d+1)*k.w)*scale))
				r := image.Rect(x0, int(math.Round(k.y*scale)), max(x1, x0+1), int(math.Round((k.y+k.h)*scale)))
				draw.Draw(p.img, r, image.NewUniform(parseColour(CapacityColour(c))), image.Point{}, draw.Src)
			}
		case spanMark:
			for _, sp := range k.spans {
				p.edges(k.x+float64(sp[0])*k.w, k.y, k.x+float64(sp[1])*k.w, k.y+k.h, k.colour)
			}
		case levelMark:
			for d, f := range k.cells {
				if h := k.h * f; h > 0 {
					p.edges(k.x+float64(d)*k.w, k.y+k.h-h, k.x+float64(d+1)*k.w, k.y+k.h, k.fills[d])
				}
			}
		case dashMark:
			for x := k.x; x < k.x+k.w; x += 8 {
				p.box(x, k.y, math.Min(5, k.x+k.w-x), 1, k.colour)
			}
		case textMark:
			// The painter's y axis points up, as Graphviz's does.
			p.pen, p.fontSize, p.bold, p.boldFlag = parseColour(k.colour), k.size, k.bold, false
			p.text(k.x, -k.y, k.anchor, k.text)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, p.img); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	return buf.Bytes(), nil
}

// box paints a rectangle with its edges on whole pixels, so that the
// days of a row meet without seams, and at least a pixel each way.
func (p *painter) box(x, y, w, h float64, colour string) {
	p.edges(x, y, x+w, y+h, colour)
}

// edges paints the rectangle from x0, y0 to x1, y1 as box does: days
// that share an edge share its pixel.
func (p *painter) edges(x0, y0, x1, y1 float64, colour string) {
	scale := p.scale
	r := image.Rect(int(math.Round(x0*scale)), int(math.Round(y0*scale)),
		int(math.Round(x1*scale)), int(math.Round(y1*scale)))
	if r.Dx() == 0 && x1 > x0 {
		r.Max.X++
	}
	if r.Dy() == 0 && y1 > y0 {
		r.Max.Y++
	}
	draw.Draw(p.img, r, image.NewUniform(parseColour(colour)), image.Point{}, draw.Src)
}
