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
			// Edges on whole pixels, so that the days of a row meet
			// without seams.
			r := image.Rect(int(math.Round(k.x*scale)), int(math.Round(k.y*scale)),
				int(math.Round((k.x+k.w)*scale)), int(math.Round((k.y+k.h)*scale)))
			if r.Dx() == 0 && k.w > 0 {
				r.Max.X++
			}
			if r.Dy() == 0 && k.h > 0 {
				r.Max.Y++
			}
			draw.Draw(p.img, r, image.NewUniform(parseColour(k.colour)), image.Point{}, draw.Src)
		case cellsMark:
			for d, c := range k.cells {
				x0, x1 := int(math.Round((k.x+float64(d)*k.w)*scale)), int(math.Round((k.x+float64(d+1)*k.w)*scale))
				r := image.Rect(x0, int(math.Round(k.y*scale)), max(x1, x0+1), int(math.Round((k.y+k.h)*scale)))
				draw.Draw(p.img, r, image.NewUniform(parseColour(CapacityColour(c))), image.Point{}, draw.Src)
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
