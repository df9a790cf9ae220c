package site_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestTimelineTellsObservationsFromCountedMonths reads the NYPD's timeline
// as a reader would: a dot on each day a source describes, titled with
// what was observed; the months after a sighting or a purchase in which
// the tracker counts the drones as in service drawn hatched, titled and
// keyed as that, never as flying. It drew them as flying: "11 × DJI Mavic
// Pro: flying, 19 March 2019 to 19 March 2021", in the colour of a
// sighting with a dot at the end, when the only observation is of 19
// March 2019 (found by the audit of the site).
func TestTimelineTellsObservationsFromCountedMonths(t *testing.T) {
	s := shippedSite(t)
	nypd := pageHTML(t, s.Dir, "agencies/nypd")
	for _, want := range []string{
		`data-kind="flying"><title>11 × DJI Mavic Pro: seen flying, 19 March 2019</title></circle>`,
		`fill="url(#timeline-agency-hatch)" data-kind="counted as in service"><title>11 × DJI Mavic Pro: seen flying, 19 March 2019; counted as in service for 24 months, to 19 March 2021, with no later observation</title></rect>`,
		`data-kind="no newer report"><title>11 × DJI Mavic Pro: seen flying, 19 March 2019; no longer counted as in service: no later observation within 24 months</title></rect>`,
		`data-kind="flying"><title>DJI: seen flying, 12 October 2021</title></circle>`,
		`data-kind="counted as in service"><title>DJI: seen flying, 12 October 2021; counted as in service for 24 months, to 12 October 2023, with no later observation</title></rect>`,
		`data-kind="counted as in service"><title>DJI: seen flying, 16 May 2024; counted as in service until the next observation, 19 February 2025</title></rect>`,
		`data-kind="acquired"><title>Brinc Lemur 2: acquired, 6 June 2023</title></circle>`,
		`data-kind="counted as in service"><title>Brinc Lemur 2: acquired, 6 June 2023; counted as in service up to the tracker&#39;s date, 1 June 2025</title></rect>`,
		`<pattern id="timeline-agency-hatch"`,
	} {
		if !strings.Contains(nypd, want) {
			t.Errorf("the NYPD's timeline lacks %s", want)
		}
	}
	legend := pageText(nypd[strings.Index(nypd, `<ul class="legend">`):])
	for _, want := range []string{
		"seen flying: an observation, on the day its source describes",
		"acquired: an observation, on the day its source describes",
		"counted as in service: up to 24 months after it was seen flying or bought, until a later observation or an operating ban binding the agency; not an observation of it flying",
		"no longer counted as in service: no observation of it flying in 24 months, or since an operating ban took effect",
	} {
		if !strings.Contains(legend, want) {
			t.Errorf("the NYPD's timeline's legend lacks %q", want)
		}
	}
	// The counted months have a swatch of their own, hatched, not a colour
	// alone.
	if !regexp.MustCompile(`<path d="[^"]*" stroke="#ef6c4a" stroke-width="2.5"/></svg> counted as in service:`).MatchString(nypd) {
		t.Error("the legend's counted months are not hatched")
	}

	// On every agency's page: the dots are the list's observations up to
	// the tracker's date, one for one; no stretch is said to be an
	// observation; and every stretch counted as in service ends within 24
	// months of the observation it follows.
	item := regexp.MustCompile(`<li(?: class="future")?><time datetime="[^"]+">([^<]+)</time> <span class="obs obs-([a-z ]+)">[^<]*</span> ([^<]*)(.*?)</li>`)
	dot := regexp.MustCompile(`<circle [^>]*data-kind="([a-z ]+)"><title>([^<]*)</title></circle>`)
	bar := regexp.MustCompile(`<rect [^>]*fill="([^"]+)" data-kind="([a-z ]+)"><title>([^<]*)</title></rect>`)
	counted := regexp.MustCompile(`^(.*): (?:seen flying|acquired), ([^;]+); counted as in service(?: from [^,]+, the operating ban no longer in force,)? (?:for 24 months, to (.+), with no later observation|until the next observation, (.+)|up to the tracker's date, (.+)|until .+ (?:takes effect|is first shown in force), (.+))$`)
	words := map[string]string{"flying": "seen flying", "acquired": "acquired", "grounded": "grounded",
		"retired": "retired", "status unknown": "status unknown"}
	pages, dots, windows := 0, 0, 0
	for _, e := range s.KB.Section("agencies") {
		page := pageHTML(t, s.Dir, site.EntryPath(e))
		i := strings.Index(page, `class="timeline-chart"`)
		if i < 0 {
			continue
		}
		pages++
		svg, _, _ := strings.Cut(page[i:], "</svg>")
		_, list, _ := strings.Cut(page, `<ol class="timeline">`)
		list, _, _ = strings.Cut(list, "</ol>")
		observed := map[string]bool{} // each observation, and whether it is not counted yet on the date
		for _, m := range item.FindAllStringSubmatch(list, -1) {
			if w, ok := words[m[2]]; ok && !strings.Contains(m[4], "(after the tracker's date)") {
				observed[html.UnescapeString(m[3])+": "+w+", "+m[1]] = strings.Contains(m[4], "(not counted on the tracker's date")
			}
		}
		drawn := map[string]bool{}
		for _, m := range dot.FindAllStringSubmatch(svg, -1) {
			title, _, pending := strings.Cut(html.UnescapeString(m[2]), " (not counted on the tracker's date")
			drawn[title] = true
			dots++
			if p, ok := observed[title]; !ok || p != pending {
				t.Errorf("%s: a dot %q (not counted yet: %t) that the list does not give so", e.ID, m[2], pending)
			}
		}
		for o := range observed {
			if !drawn[o] {
				t.Errorf("%s: the list's observation %q has no dot", e.ID, o)
			}
		}
		for _, m := range bar.FindAllStringSubmatch(svg, -1) {
			fill, kind, title := m[1], m[2], html.UnescapeString(m[3])
			if kind == "flying" || kind == "acquired" {
				t.Errorf("%s: a stretch drawn as an observation: %q", e.ID, title)
			}
			if obs, _, _ := strings.Cut(title, ";"); strings.Contains(obs, " to ") {
				t.Errorf("%s: a stretch says an observation covers a period: %q", e.ID, title)
			}
			if kind != "counted as in service" {
				if strings.Contains(title, "counted as in service") && !strings.Contains(title, "no longer counted") {
					t.Errorf("%s: a %s stretch says it is counted as in service: %q", e.ID, kind, title)
				}
				continue
			}
			windows++
			if fill != "url(#timeline-agency-hatch)" {
				t.Errorf("%s: the counted stretch %q is filled %s, not hatched", e.ID, title, fill)
			}
			c := counted.FindStringSubmatch(title)
			if c == nil {
				t.Errorf("%s: the counted stretch is titled %q", e.ID, title)
				continue
			}
			from := humanDate(t, c[2])
			end := humanDate(t, c[3]+c[4]+c[5]+c[6])
			if end.After(from.FirstDay().AddMonths(kb.StaleMonths)) || end.After(sitetest.AsOf) {
				t.Errorf("%s: %q counts it as in service past 24 months after the observation or past the tracker's date", e.ID, title)
			}
		}
	}
	if pages < 10 || dots == 0 || windows == 0 {
		t.Errorf("timelines: %d, dots: %d, counted stretches: %d; the test needs the shipped ones", pages, dots, windows)
	}
}

// humanDate reads a date as pages write it: "19 March 2019", "June 2025",
// "2020".
func humanDate(t *testing.T, s string) kb.Date {
	t.Helper()
	for _, layout := range []string{"2 January 2006", "January 2006", "2006"} {
		if tm, err := time.Parse(layout, s); err == nil {
			d := kb.DateOf(tm)
			switch layout {
			case "January 2006":
				d.Day = 0
			case "2006":
				d.Month, d.Day = 0, 0
			}
			return d
		}
	}
	t.Fatalf("not a date as pages write it: %q", s)
	return kb.Date{}
}
