package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dronekb/dronekb/internal/geo"
	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/pictures"
)

// RegionPath returns a region's page relative to the site root:
// "US-NY" is "countries/us/ny/".
func RegionPath(code string) string {
	cc, sub, _ := strings.Cut(code, "-")
	return "countries/" + strings.ToLower(cc) + "/" + strings.ToLower(sub) + "/"
}

// MapView is a map with its legend, its source and the same numbers as a
// table.
type MapView struct {
	ID      string
	Map     *geo.Map
	SVG     template.HTML
	Legend  template.HTML
	Rows    []MapRow // areas with an agency or a page, by name
	Columns []kb.Status
}

// MapRow is one area of a map's table.
type MapRow struct {
	Code, Name, URL string
	Note            string
	Status          kb.Status
	Counts          map[kb.Status]int
	Total           int
}

// ChartView is the tracker over time: the chart, and its numbers as a table.
type ChartView struct {
	SVG        template.HTML
	Legend     template.HTML
	Points     []kb.SeriesPoint
	Milestones []kb.Milestone
	First      kb.Date
	Statuses   []kb.Status
}

// quarters returns the dates the tracker over time is judged on: every
// quarter from the first observation to the build's date. They are made
// when first asked for: only the site-wide pages show them.
func (s *Site) quarters() []kb.Date {
	s.datesOnce.Do(func() { s.chartDates = kb.QuarterDates(s.kb.FirstObservation(), s.opts.AsOf) })
	return s.chartDates
}

// startChart starts computing the tracker over time, if it has not
// started: the series takes a while on a large knowledge base, so Build
// computes it beside the entry pages, and the pages that show it wait
// (chartView).
func (s *Site) startChart() {
	s.chartOnce.Do(func() {
		s.chartDone = make(chan struct{})
		go func() {
			defer close(s.chartDone)
			first := s.kb.FirstObservation()
			points := s.kb.SeriesFrom(s.prevPoints, s.prevKB, s.quarters())
			s.prevPoints, s.prevKB = nil, nil
			c := &ChartView{Points: points, Milestones: s.kb.Milestones(first, s.opts.AsOf), First: first, Statuses: kb.Statuses}
			c.SVG = template.HTML(pictures.Chart(c.Points, c.Milestones, "tracker"))
			c.Legend = template.HTML(pictures.Legend())
			s.chart = c
			s.chartMade.Store(c)
		}()
	})
}

// Follow tells the site that it shows the knowledge base of prev after an
// edit (serve --watch), before any page is rendered: its tracker over
// time then judges again only the agencies the edit changed, if prev's
// was made.
func (s *Site) Follow(prev *Site) {
	if c := prev.chartMade.Load(); c != nil {
		s.prevPoints, s.prevKB = c.Points, prev.kb
	}
	// The tracker table's rows and the verdicts' prints of the agencies
	// whose status did not change are prev's.
	if prev.base == s.base && prev.absBase == s.absBase && prev.opts.AsOf == s.opts.AsOf &&
		s.kb.SameRules(prev.kb) && maps.Equal(prev.countryLinks, s.countryLinks) {
		s.before = prev
	}
}

// chartView returns the tracker over time, once it is computed.
func (s *Site) chartView() *ChartView {
	s.startChart()
	<-s.chartDone
	return s.chart
}

// mapsView returns the maps, coloured, by geo.Map ID.
func (s *Site) mapsView() map[string]*MapView {
	s.mapsOnce.Do(func() {
		s.maps = map[string]*MapView{}
		for _, m := range geo.Maps() {
			s.maps[m.ID] = s.mapView(m)
		}
	})
	return s.maps
}

// trackerTable returns the tracker's table and its filters.
func (s *Site) trackerTable() (*trackerTable, []Facet) {
	s.tableOnce.Do(func() {
		s.table = s.buildTable()
		s.facets = s.filters(s.table)
	})
	return s.table, s.facets
}

// mapView colours one map: countries by their agencies, states and
// départements by the agencies of that region (a département also by
// those of its région).
func (s *Site) mapView(m *geo.Map) *MapView {
	areas := map[string]pictures.Area{}
	add := func(code string, as *kb.AgencyStatus) {
		a := areas[code]
		if a.Counts == nil {
			a.Counts = map[kb.Status]int{}
		}
		a.Counts[as.Status]++
		areas[code] = a
	}
	byParent := map[string][]string{} // région → its départements on the map
	for _, ar := range m.Areas {
		if ar.Parent != "" {
			byParent[ar.Parent] = append(byParent[ar.Parent], ar.Code)
		}
	}
	notes := map[string]int{}
	for _, as := range s.tracker.Agencies {
		ag := as.Agency.Agency
		switch m.ID {
		case "world":
			add(ag.Country, as)
		default:
			if ag.Region == "" || !strings.HasPrefix(ag.Region, strings.ToUpper(m.ID)+"-") {
				continue
			}
			if deps, ok := byParent[ag.Region]; ok {
				for _, d := range deps {
					add(d, as)
					notes[d]++
				}
			} else {
				add(ag.Region, as)
			}
		}
	}
	v := &MapView{ID: m.ID, Map: m, Legend: template.HTML(pictures.Legend()), Columns: kb.Statuses}
	for _, ar := range m.Areas {
		if ar.Code == "" {
			continue
		}
		a := areas[ar.Code]
		a.Status = pictures.Worst(a.Counts)
		switch {
		case m.ID == "world" && len(s.country[ar.Code]) > 0:
			a.URL = s.URL(CountryPath(ar.Code))
		case m.ID != "world" && len(s.region[ar.Code]) > 0:
			a.URL = s.URL(RegionPath(ar.Code))
		case ar.Parent != "" && len(s.region[ar.Parent]) > 0:
			a.URL = s.URL(RegionPath(ar.Parent))
		}
		if n := notes[ar.Code]; n > 0 {
			name := ar.Parent
			if r, ok := iso3166.Region(ar.Parent); ok {
				name = r.Name
			}
			a.Note = fmt.Sprintf("(%d of them for all of %s)", n, name)
		}
		areas[ar.Code] = a
		if a.URL != "" || a.Total() > 0 {
			v.Rows = append(v.Rows, MapRow{Code: ar.Code, Name: ar.Name, URL: a.URL, Note: a.Note, Status: a.Status, Counts: a.Counts, Total: a.Total()})
		}
	}
	sort.SliceStable(v.Rows, func(i, j int) bool { return lessName(v.Rows[i].Name, v.Rows[j].Name) })
	v.SVG = template.HTML(pictures.Map(m, areas, m.ID))
	return v
}

// cardPath returns where the picture shown when a page is shared is
// written: the card of an agency's status, or the site's own ("" status).
func cardPath(st kb.Status) string {
	if st == "" {
		return "assets/cards/site.png"
	}
	return "assets/cards/" + string(st) + ".png"
}

// cardURL is the address a page gives its card at (og:image), relative to
// the site root: cardPath, with a query naming what the card shows. Link
// previews are kept by social networks under the image's address, for
// weeks; the site's card says how many agencies fly restricted drones on
// the tracker's date, so a preview kept under a fixed address went on
// showing an old count and date after the tracker moved. The query changes
// whenever the picture does, and a static host ignores it.
func (s *Site) cardURL(st kb.Status) string {
	if s.absBase == "" {
		return cardPath(st) // no page names its card (og:image wants an absolute address)
	}
	c, err := s.drawCard(st)
	if err != nil {
		return cardPath(st) // cardJobs reports the error
	}
	return c.url
}

// shareCard is one card, drawn once per build, with the address pages give
// it: by the first page that names it or by its job, whichever comes
// first.
type shareCard struct {
	once sync.Once
	png  []byte
	url  string // cardURL's
	err  error
}

// cardPNG draws the card of a status ("" for the site's own), once.
func (s *Site) cardPNG(st kb.Status) ([]byte, error) {
	c, err := s.drawCard(st)
	if err != nil {
		return nil, err
	}
	return c.png, nil
}

// drawCard returns the card of a status ("" for the site's own), drawn
// and hashed once.
func (s *Site) drawCard(st kb.Status) (*shareCard, error) {
	i := 0
	if st != "" {
		i = 1 + slices.Index(kb.Statuses, st)
		if i == 0 {
			return nil, fmt.Errorf("no card for status %q", st)
		}
	}
	c := &s.shareCards[i]
	c.once.Do(func() {
		name := s.tmpl.text("site-name")
		if st == "" {
			counts := s.tracker.Summary()
			sub := fmt.Sprintf("%d of %d agencies fly restricted drones on %s.", counts.Flying, counts.Agencies, s.opts.AsOf.Human())
			c.png, c.err = card(name, s.tmpl.text("site-tagline"), sub, "")
		} else {
			c.png, c.err = card(name, st.Label(), "Tracker status ("+string(st)+") on "+s.opts.AsOf.Human()+".", st)
		}
		sum := sha256.Sum256(c.png)
		c.url = cardPath(st) + "?v=" + hex.EncodeToString(sum[:6])
	})
	return c, c.err
}

// cards keeps the cards drawn, by what they show: the same text always
// gives the same PNG (pictures.Card), and serve --watch brings the
// site-wide files up to date after every save, when the cards rarely
// change. It holds at most maxCards.
var cards struct {
	mu sync.Mutex
	m  map[[4]string][]byte
}

const maxCards = 64

// card draws a card (pictures.Card), or returns the one drawn before with
// the same text.
func card(site, headline, sub string, status kb.Status) ([]byte, error) {
	key := [4]string{site, headline, sub, string(status)}
	cards.mu.Lock()
	png, ok := cards.m[key]
	cards.mu.Unlock()
	if ok {
		return png, nil
	}
	png, err := pictures.Card(site, headline, sub, status)
	if err != nil {
		return nil, err
	}
	cards.mu.Lock()
	if cards.m == nil || len(cards.m) >= maxCards {
		cards.m = map[[4]string][]byte{}
	}
	cards.m[key] = png
	cards.mu.Unlock()
	return png, nil
}

// cardJobs writes the cards: one for the site and one per status.
func (s *Site) cardJobs() []job {
	var jobs []job
	for _, st := range append([]kb.Status{""}, kb.Statuses...) {
		jobs = append(jobs, func(w *writer) error {
			png, err := s.cardPNG(st)
			if err != nil {
				return err
			}
			return w.write(cardPath(st), png)
		})
	}
	return jobs
}
