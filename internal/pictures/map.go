package pictures

import (
	"strings"

	"github.com/dronekb/dronekb/internal/geo"
	"github.com/dronekb/dronekb/internal/kb"
)

// Area is what the map shows of one country, state or département: its
// agencies' statuses, and the page it links to.
type Area struct {
	Counts map[kb.Status]int // agencies of each status
	// Status is the colour: the most serious of Counts, "" for no agency.
	Status kb.Status
	URL    string // the area's page; "" for none
	// Note adds to the label, e.g. "through Île-de-France".
	Note string
}

// Total counts the area's agencies.
func (a Area) Total() int {
	n := 0
	for _, c := range a.Counts {
		n += c
	}
	return n
}

// Label says what the map shows of an area, in words: "France: 6
// agencies; most serious status: Flies restricted drones; no law binding
// it restricts them (2)".
func Label(name string, a Area) string {
	n := a.Total()
	var b strings.Builder
	b.WriteString(name)
	b.WriteString(": ")
	switch n {
	case 0:
		b.WriteString("no agency on record")
	case 1:
		b.WriteString("1 agency")
	default:
		b.WriteString(itoa(n) + " agencies")
	}
	if a.Note != "" {
		b.WriteString(" " + a.Note)
	}
	if a.Status != "" {
		b.WriteString("; most serious status: " + a.Status.Label())
		if n > 1 {
			b.WriteString(" (" + itoa(a.Counts[a.Status]) + ")")
		}
	}
	return b.String()
}

// Map draws m with each area coloured by its most serious status and
// linked to its page. areas is keyed by the area's code; an area not in it
// has no agency on record. id makes the map's element ids unique on a page.
func Map(m *geo.Map, areas map[string]Area, id string) string {
	var b strings.Builder
	b.Grow(len(m.Areas) * 200)
	titleID := "map-" + id + "-title"
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="map map-` + esc(m.ID) + `" viewBox="0 0 ` + itoa(m.Width) + ` ` + itoa(m.Height) +
		`" role="group" aria-labelledby="` + titleID + `">`)
	b.WriteString(`<title id="` + titleID + `">` + esc(m.Title) + `, coloured by the most serious tracker status of the agencies in each</title>`)
	for _, ar := range m.Areas {
		a, ok := areas[ar.Code]
		if !ok || ar.Code == "" {
			a = Area{}
		}
		label := esc(Label(ar.Name, a))
		status := string(a.Status)
		if status == "" {
			status = "none"
		}
		shape := `<path d="` + ar.D + `" fill="` + Fill(a.Status) + `" data-status="` + status + `"`
		if ar.Code != "" {
			shape += ` data-code="` + esc(ar.Code) + `"`
		}
		if a.URL != "" {
			// The link's <title> names it for screen readers and shows
			// as a tooltip.
			b.WriteString(`<a href="` + esc(a.URL) + `"><title>` + label + `</title>` + shape + `/></a>`)
		} else {
			// An area with no link says only that it has no agency (or
			// what the linked areas' table says): a tooltip, not one of
			// the hundreds of things a screen reader would read out.
			b.WriteString(shape + ` aria-hidden="true"><title>` + label + `</title></path>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// Legend lists the statuses' colours in words, with the colour of an area
// with no agency, as an HTML list.
func Legend() string {
	var b strings.Builder
	b.WriteString(`<ul class="legend">`)
	for _, s := range kb.Statuses {
		b.WriteString(`<li>` + Swatch(s) + ` ` + esc(s.Label()) + `</li>`)
	}
	b.WriteString(`<li>` + Swatch("") + ` No agency on record</li></ul>`)
	return b.String()
}
