package pictures

import (
	"slices"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// Segment is a stretch of a timeline row: how its item was counted from
// one date to the next. Kind is what the item is counted as after an
// observation ("counted as in service", "no newer report", "grounded",
// "retired", "status unknown") or "in force".
type Segment struct {
	From, To kb.Date // To zero: up to the end of the timeline
	Kind     string
	Label    string // its <title>
}

// Mark is an observation on a timeline row, on the day its source
// describes, drawn as a dot over the row's stretches: only what a source
// says is drawn so. Kind is what was observed ("flying", "acquired",
// "grounded", "retired", "status unknown").
type Mark struct {
	Date  kb.Date
	Kind  string
	Label string // its <title>
}

// Row is one line of a timeline: a fleet item, an agency or a provision.
type Row struct {
	Label    string
	Segments []Segment
	Marks    []Mark
}

// Line is a date marked across every row: a provision taking effect, or
// the date the site is computed for.
type Line struct {
	Date  kb.Date
	Label string
	Kind  string // "law" or "as-of"
}

// segmentFill is the colour of each kind of stretch and observation, after the
// statuses they lead to: flying in red, grounded and retired in grey,
// unknown in amber; acquired, which counts as in service but is no
// sighting, in brown.
var segmentFill = map[string]string{
	"acquired":        "#a0522d",
	"flying":          "#ef6c4a",
	"grounded":        "#78909c",
	"retired":         "#b0bec5",
	"status unknown":  "#e0a526",
	"no newer report": "#f6c9b8",
	"in force":        "#2e6fb7",
}

// Counted is the kind of the stretch after an observation of drones flying
// or bought, in which the tracker counts them as in service for want of a
// later one: drawn hatched, red stripes on a pale ground, so that it is
// told from an observation by its texture as well as its colour.
const Counted = "counted as in service"

// hatchGround and hatchStripe are the colours of Counted's hatching.
const hatchGround, hatchStripe = "#fdebe5", "#ef6c4a"

// SegmentFill returns the colour of a kind of stretch.
func SegmentFill(kind string) string {
	if c, ok := segmentFill[kind]; ok {
		return c
	}
	return "#9e9e9e"
}

const (
	tlW, tlLeft, tlRight, tlTop = 1000, 8, 8, 40
	tlRow                       = 44
)

// Timeline draws rows of dated stretches between from and to, with lines
// across them, years along the top. It returns "" when there is nothing to
// draw. The page gives its text alternative (a dated list).
func Timeline(rows []Row, lines []Line, from, to kb.Date, title, id string) string {
	if len(rows) == 0 || from.IsZero() || !from.Before(to) {
		return ""
	}
	start := kb.Date{Year: from.Year, Month: 1, Day: 1}
	end := kb.Date{Year: to.Year + 1, Month: 1, Day: 1}
	span := end.Time().Sub(start.Time()).Hours()
	plotW := float64(tlW - tlLeft - tlRight)
	x := func(d kb.Date) float64 {
		if d.Before(start) {
			d = start
		}
		if d.After(end) {
			d = end
		}
		return float64(tlLeft) + plotW*d.Time().Sub(start.Time()).Hours()/span
	}
	h := tlTop + tlRow*len(rows) + 10
	var b strings.Builder
	// About 2 kB a row with its stretches, and the axis: one allocation
	// for most timelines rather than a dozen as the builder doubles.
	b.Grow(1536 + 2048*len(rows))
	titleID := "timeline-" + id + "-title"
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" viewBox="0 0 ` + itoa(tlW) + ` ` + itoa(h) + `" role="img" aria-labelledby="` + titleID + `">`)
	b.WriteString(`<title id="` + titleID + `">` + esc(title) + `</title>`)
	// The hatching, defined once for the picture, only when it is drawn.
	hatchID := "timeline-" + id + "-hatch"
	if slices.ContainsFunc(rows, func(r Row) bool {
		return slices.ContainsFunc(r.Segments, func(s Segment) bool { return s.Kind == Counted })
	}) {
		b.WriteString(`<defs><pattern id="` + hatchID + `" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="` + hatchGround + `"/><rect width="3" height="8" fill="` + hatchStripe + `"/></pattern></defs>`)
	}
	years := end.Year - start.Year
	every := 1
	for years/every > 14 {
		every++
	}
	b.WriteString(`<g fill="currentColor" font-size="13" text-anchor="middle">`)
	for y := start.Year; y < end.Year; y++ {
		xx := x(kb.Date{Year: y, Month: 1, Day: 1})
		b.WriteString(`<line x1="` + num(xx) + `" x2="` + num(xx) + `" y1="22" y2="` + itoa(h-6) + `" stroke="currentColor" stroke-opacity="0.12"/>`)
		if y%every == 0 {
			mid := x(kb.Date{Year: y, Month: 7, Day: 1})
			b.WriteString(`<text x="` + num(mid) + `" y="16">` + itoa(y) + `</text>`)
		}
	}
	b.WriteString(`</g>`)
	for i, r := range rows {
		top := float64(tlTop + tlRow*i)
		b.WriteString(`<g class="row">`)
		// The label is text, not a link: a chart is one image to a
		// screen reader (role="img"), and links inside it are hidden from
		// it while a keyboard still stops on them (axe's
		// nested-interactive). The page links each row's agency beside
		// the chart.
		b.WriteString(`<text x="` + itoa(tlLeft) + `" y="` + num(top+13) + `" font-size="14" fill="currentColor">` + esc(r.Label) + `</text>`)
		b.WriteString(`<line x1="` + itoa(tlLeft) + `" x2="` + itoa(tlW-tlRight) + `" y1="` + num(top+27) + `" y2="` + num(top+27) + `" stroke="currentColor" stroke-opacity="0.25"/>`)
		for _, s := range r.Segments {
			x0 := x(s.From)
			x1 := x(to)
			if !s.To.IsZero() {
				x1 = x(s.To)
			}
			w := x1 - x0
			if w < 3 {
				w = 3
			}
			fill := SegmentFill(s.Kind)
			if s.Kind == Counted {
				fill = "url(#" + hatchID + ")"
			}
			b.WriteString(`<rect x="` + num(x0) + `" y="` + num(top+20) + `" width="` + num(w) + `" height="14" rx="2" fill="` + fill + `" data-kind="` + esc(s.Kind) + `"><title>` + esc(s.Label) + `</title></rect>`)
		}
		// The observations over the stretches they start, each with what
		// it says: a dot is a day a source describes, and nothing else is.
		for _, m := range r.Marks {
			b.WriteString(`<circle cx="` + num(x(m.Date)) + `" cy="` + num(top+27) + `" r="5" fill="` + SegmentFill(m.Kind) + `" stroke="currentColor" stroke-width="1.5" data-kind="` + esc(m.Kind) + `"><title>` + esc(m.Label) + `</title></circle>`)
		}
		b.WriteString(`</g>`)
	}
	for _, l := range lines {
		xx := num(x(l.Date))
		dash := ` stroke-dasharray="5 3"`
		if l.Kind == "as-of" {
			dash = ""
		}
		b.WriteString(`<g class="line line-` + esc(l.Kind) + `"><title>` + esc(l.Label) + `</title><line x1="` + xx + `" x2="` + xx + `" y1="22" y2="` + itoa(h-4) + `" stroke="currentColor" stroke-width="2"` + dash + `/></g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// Key is an entry of a timeline's legend: a kind of stretch, or of
// observation when Dot is set, and what it means in words.
type Key struct {
	Kind, Text string
	Dot        bool
}

// TimelineLegend says what a timeline's dots and stretches mean, each by
// its swatch and in words.
func TimelineLegend(keys ...Key) string {
	const swatch = `<li><svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">`
	var b strings.Builder
	b.WriteString(`<ul class="legend">`)
	for _, k := range keys {
		b.WriteString(swatch)
		switch {
		case k.Dot:
			b.WriteString(`<circle cx="7" cy="7" r="5" fill="` + SegmentFill(k.Kind) + `" stroke="currentColor" stroke-width="1.5"/>`)
		case k.Kind == Counted:
			b.WriteString(`<rect width="14" height="14" rx="2" fill="` + hatchGround + `"/><path d="M0 6L6 0M0 13L13 0M7 14L14 7" stroke="` + hatchStripe + `" stroke-width="2.5"/>`)
		default:
			b.WriteString(`<rect width="14" height="14" rx="2" fill="` + SegmentFill(k.Kind) + `"/>`)
		}
		b.WriteString(`</svg> ` + esc(k.Text) + `</li>`)
	}
	b.WriteString(swatch + `<line x1="7" x2="7" y1="0" y2="14" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2"/></svg> a law or provision takes effect (or, when no source gives that day, is first shown in force)</li></ul>`)
	return b.String()
}
