package pictures

import (
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// The chart's size, in its own units.
const (
	chartW, chartH                               = 1000, 380
	chartLeft, chartRight, chartTop, chartBottom = 52, 12, 34, 40
)

// maxMilestoneNames is how many provisions one marker's label names.
const maxMilestoneNames = 6

// Chart draws the tracker over time: for each date of the series a column
// of the agencies in each status, the most serious at the bottom, and a
// marker at each date on which a restricting provision took effect. The
// text alternative is the table the page prints beside it.
func Chart(points []kb.SeriesPoint, milestones []kb.Milestone, id string) string {
	if len(points) == 0 {
		return ""
	}
	plotW := float64(chartW - chartLeft - chartRight)
	plotH := float64(chartH - chartTop - chartBottom)
	max := 0
	for _, p := range points {
		n := 0
		for _, c := range p.Counts {
			n += c
		}
		max = maxInt(max, n)
	}
	step := niceStep(max)
	top := ((max + step - 1) / step) * step
	if top == 0 {
		top = step
	}
	colW := plotW / float64(len(points))
	y := func(v int) float64 { return float64(chartTop) + plotH - plotH*float64(v)/float64(top) }
	x := func(i int) float64 { return float64(chartLeft) + colW*float64(i) }

	var b strings.Builder
	titleID := "chart-" + id + "-title"
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ` + itoa(chartW) + ` ` + itoa(chartH) + `" role="img" aria-labelledby="` + titleID + `">`)
	// One picture to a screen reader, named by its title, rather than
	// hundreds of columns read one by one: the table beside it ("as a
	// table") gives the numbers. The columns' titles show on hover.
	b.WriteString(`<title id="` + titleID + `">Agencies by tracker status, from ` + esc(points[0].Date.Human()) + ` to ` + esc(points[len(points)-1].Date.Human()) + `; the table that follows gives the numbers</title>`)
	// Grid and the count axis.
	b.WriteString(`<g class="axis" fill="currentColor" font-size="13" text-anchor="end">`)
	for v := 0; v <= top; v += step {
		yy := num(y(v))
		b.WriteString(`<line x1="` + itoa(chartLeft) + `" x2="` + itoa(chartW-chartRight) + `" y1="` + yy + `" y2="` + yy + `" stroke="currentColor" stroke-opacity="0.18"/>`)
		b.WriteString(`<text x="` + itoa(chartLeft-6) + `" y="` + num(y(v)+4) + `">` + itoa(v) + `</text>`)
	}
	b.WriteString(`</g>`)
	// Columns.
	gap := colW * 0.15
	if gap > 4 {
		gap = 4
	}
	for i, p := range points {
		when := p.Date.Human()
		if i == len(points)-1 {
			when = "on " + when
		}
		base := 0
		for _, s := range kb.Statuses {
			n := p.Counts[s]
			if n == 0 {
				continue
			}
			y1, y0 := y(base+n), y(base)
			b.WriteString(`<rect x="` + num(x(i)+gap/2) + `" y="` + num(y1) + `" width="` + num(colW-gap) + `" height="` + num(y0-y1) + `" fill="` + Fill(s) + `" data-status="` + string(s) + `" data-count="` + itoa(n) + `"><title>` +
				esc(when) + `: ` + itoa(n) + ` — ` + esc(s.Label()) + `</title></rect>`)
			base += n
		}
	}
	// Years along the time axis.
	years := 0
	for _, p := range points {
		if p.Date.Month == 1 && p.Date.Day == 1 {
			years++
		}
	}
	every := 1
	for years/every > 12 {
		every++
	}
	b.WriteString(`<g class="axis" fill="currentColor" font-size="13" text-anchor="middle">`)
	b.WriteString(`<line x1="` + itoa(chartLeft) + `" x2="` + itoa(chartW-chartRight) + `" y1="` + num(y(0)) + `" y2="` + num(y(0)) + `" stroke="currentColor"/>`)
	for i, p := range points {
		if p.Date.Month == 1 && p.Date.Day == 1 && p.Date.Year%every == 0 {
			b.WriteString(`<line x1="` + num(x(i)) + `" x2="` + num(x(i)) + `" y1="` + num(y(0)) + `" y2="` + num(y(0)+5) + `" stroke="currentColor"/>`)
			b.WriteString(`<text x="` + num(x(i)) + `" y="` + num(y(0)+20) + `">` + itoa(p.Date.Year) + `</text>`)
		}
	}
	b.WriteString(`</g>`)
	// Milestones: where each date falls between two columns, grouped when
	// they would overlap.
	type marker struct {
		x     float64
		date  kb.Date
		names []string
		more  int
		by    bool // a provision among them is in force by then, its start not on record
	}
	var marks []marker
	for _, m := range milestones {
		pos := -1.0
		for i := range points {
			if points[i].Date.After(m.At) {
				break
			}
			pos = float64(i)
			if i+1 < len(points) {
				span := points[i+1].Date.Time().Sub(points[i].Date.Time()).Hours()
				if span > 0 {
					pos += m.At.Time().Sub(points[i].Date.Time()).Hours() / span
				}
			}
		}
		if pos < 0 {
			continue
		}
		xx := float64(chartLeft) + colW*pos
		if n := len(marks); n > 0 && xx-marks[n-1].x < 6 {
			mk := &marks[n-1]
			for _, p := range m.Provisions {
				mk.by = mk.by || p.InForceBy
				if len(mk.names) < maxMilestoneNames {
					mk.names = append(mk.names, m.Date.Human()+": "+milestoneName(p))
				} else {
					mk.more++
				}
			}
			continue
		}
		mk := marker{x: xx, date: m.Date}
		for _, p := range m.Provisions {
			mk.by = mk.by || p.InForceBy
			if len(mk.names) < maxMilestoneNames {
				mk.names = append(mk.names, m.Date.Human()+": "+milestoneName(p))
			} else {
				mk.more++
			}
		}
		marks = append(marks, mk)
	}
	b.WriteString(`<g class="milestones">`)
	for _, mk := range marks {
		lead := "Took effect — "
		if mk.by {
			lead = "Took effect, or in force by — "
		}
		label := lead + strings.Join(mk.names, "; ")
		if mk.more > 0 {
			label += "; and " + itoa(mk.more) + " more"
		}
		xx := num(mk.x)
		b.WriteString(`<g><title>` + esc(label) + `</title><line x1="` + xx + `" x2="` + xx + `" y1="` + itoa(chartTop-10) + `" y2="` + num(y(0)) + `" stroke="currentColor" stroke-width="1.5" stroke-dasharray="4 3"/>` +
			`<path d="M` + num(mk.x-6) + ` ` + itoa(chartTop-20) + `h12l-6 10z" fill="currentColor"/></g>`)
	}
	b.WriteString(`</g></svg>`)
	return b.String()
}

// niceStep returns a round gridline step for values up to max: about five lines.
func niceStep(max int) int {
	if max <= 5 {
		return 1
	}
	raw := max / 5
	p := 1
	for p*10 <= raw {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// milestoneName names a provision on the chart's marks: its label, and
// when the day it took effect is not on record, that the mark is the day
// a source first shows it in force.
func milestoneName(p *kb.Provision) string {
	if p.InForceBy {
		return p.Label() + " (in force by then; the day it took effect is not on record)"
	}
	return p.Label()
}
