package pictures

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/dronekb/dronekb/internal/kb"
)

// The size social networks expect of a link's picture (og:image).
const cardW, cardH = 1200, 630

var (
	fontsOnce     sync.Once
	regular, bold *opentype.Font
	errFonts      error
)

func loadFonts() error {
	fontsOnce.Do(func() {
		if regular, errFonts = opentype.Parse(goregular.TTF); errFonts != nil {
			return
		}
		bold, errFonts = opentype.Parse(gobold.TTF)
	})
	return errFonts
}

// Card draws the picture a link to a page shows when it is shared: the
// site's name, a headline and a line below it, on a band of the status's
// colour ("" for the site's own card). It uses the Go fonts, embedded, so
// the same text always gives the same PNG.
func Card(site, headline, sub string, status kb.Status) ([]byte, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, cardW, cardH))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{0xff, 0xff, 0xff, 0xff}), image.Point{}, draw.Src)
	band := hexColor("#1b1f24")
	if status != "" {
		band = hexColor(Fill(status))
	}
	draw.Draw(img, image.Rect(0, 0, 36, cardH), image.NewUniform(band), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, cardH-16, cardW, cardH), image.NewUniform(band), image.Point{}, draw.Src)
	ink := hexColor("#1b1f24")
	muted := hexColor("#57606a")
	y := 110
	if err := text(img, bold, 40, muted, site, 96, &y, 1, 0); err != nil {
		return nil, err
	}
	y += 40
	if err := text(img, bold, 68, ink, headline, 96, &y, 4, 1040); err != nil {
		return nil, err
	}
	y += 16
	if err := text(img, regular, 36, muted, sub, 96, &y, 3, 1040); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// text writes s at x from baseline *y, wrapped to width (0: one line) and
// cut to at most lines lines, and moves *y below it.
func text(img draw.Image, f *opentype.Font, size float64, c color.Color, s string, x int, y *int, lines, width int) error {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	defer face.Close()
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face}
	var out []string
	if width == 0 {
		out = []string{s}
	} else {
		line := ""
		for _, w := range strings.Fields(s) {
			try := strings.TrimSpace(line + " " + w)
			if line != "" && d.MeasureString(try).Ceil() > width {
				out = append(out, line)
				line = w
				continue
			}
			line = try
		}
		if line != "" {
			out = append(out, line)
		}
	}
	if len(out) > lines {
		out = out[:lines]
		out[lines-1] = strings.TrimRight(out[lines-1], " ,;:") + "…"
	}
	step := int(size * 1.25)
	for _, l := range out {
		d.Dot = fixed.P(x, *y)
		d.DrawString(l)
		*y += step
	}
	return nil
}

func hexColor(h string) color.RGBA {
	v, _ := strconv.ParseUint(strings.TrimPrefix(h, "#"), 16, 32)
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}
