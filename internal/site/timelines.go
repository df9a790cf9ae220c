package site

import (
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/pictures"
)

// timelineRows is how many rows a law's timeline draws of the agencies
// flying what it restricts.
const timelineRows = 12

// itemRow turns a fleet item's observations into a timeline row: a stretch
// from each observation to the next, the last up to the site's date.
func itemRow(label string, f *kb.FleetItem, asOf kb.Date) pictures.Row {
	r := pictures.Row{Label: label}
	obs := f.Observations()
	for i, o := range obs {
		kind := obsLabel[o.Status]
		if o.Acquisition {
			kind = "acquired"
		}
		seg := pictures.Segment{From: o.Date, Kind: kind}
		if i+1 < len(obs) {
			seg.To = obs[i+1].Date
		}
		// A sighting counts for StaleMonths; after that the stretch
		// says no newer report, not flying.
		var stale *pictures.Segment
		if o.Status == kb.StatusActive {
			cut := o.Date.AddMonths(kb.StaleMonths)
			if (seg.To.IsZero() && cut.Before(asOf)) || (!seg.To.IsZero() && cut.Before(seg.To)) {
				stale = &pictures.Segment{From: cut, To: seg.To, Kind: "no newer report",
					Label: fmt.Sprintf("%s: no report of it flying for over %d months after %s", label, kb.StaleMonths, o.Date.Human())}
				seg.To = cut
			}
		}
		seg.Label = fmt.Sprintf("%s: %s, %s", label, kind, o.Date.Human())
		if !seg.To.IsZero() && seg.To != o.Date {
			seg.Label += " to " + seg.To.Human()
		}
		r.Segments = append(r.Segments, seg)
		if stale != nil {
			r.Segments = append(r.Segments, *stale)
		}
	}
	// What became of the item is known up to the site's date, not beyond
	// it: the stretches stop there, where a provision starting later
	// stretches the timeline on (the Army's DJI drones were drawn
	// grounded into 2027, found in review), and an observation dated
	// after it, which the tracker does not count yet, is not drawn.
	kept := r.Segments[:0]
	for _, seg := range r.Segments {
		if seg.From.After(asOf) {
			continue
		}
		if seg.To.IsZero() || seg.To.After(asOf) {
			seg.To = asOf
		}
		kept = append(kept, seg)
	}
	r.Segments = kept
	return r
}

// The legends of agencies' and laws' timelines, the same on every page.
var (
	agencyTimelineLegend = sync.OnceValue(func() template.HTML {
		return template.HTML(pictures.TimelineLegend("acquired", "flying", "no newer report", "grounded", "retired", "status unknown"))
	})
	lawTimelineLegend = sync.OnceValue(func() template.HTML {
		return template.HTML(pictures.TimelineLegend("in force", "acquired", "flying", "no newer report", "grounded", "retired", "status unknown"))
	})
)

// bindingProvisions returns the provisions of laws that are or were in
// force which bind agency a and restrict hardware of one of the vendors
// its fleet has had, whatever their dates: what its timeline marks.
func (s *Site) bindingProvisions(a *kb.Entry) []*kb.Provision {
	var vendors []*kb.Entry
	for i := range a.Agency.Fleet {
		f := &a.Agency.Fleet[i]
		if f.UnknownMake {
			continue
		}
		if v := s.kb.Entry(f.Vendor.ID); v != nil && v.Vendor != nil && !slices.Contains(vendors, v) {
			vendors = append(vendors, v)
		}
	}
	if len(vendors) == 0 {
		return nil
	}
	// Only the laws of its jurisdiction can bind it, and only those that
	// name one of its vendors, or the country a vendor is from, can
	// restrict its hardware: the laws of its country, then those of its
	// region, each by ID, as the jurisdiction lists them.
	seen := map[*kb.Entry]bool{}
	var national, regional []*kb.Entry
	candidates := func(laws []*kb.Entry) {
		for _, l := range laws {
			if seen[l] {
				continue
			}
			seen[l] = true
			switch r := l.Law.Region; {
			case r == "" && l.Law.Country == a.Agency.Country:
				national = append(national, l)
			case r != "" && r == a.Agency.Region:
				regional = append(regional, l)
			}
		}
	}
	for _, v := range vendors {
		candidates(s.namesVendor[v.ID])
		candidates(s.namesOrigin[v.Vendor.Country])
	}
	byID := func(a, b *kb.Entry) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(national, byID)
	slices.SortFunc(regional, byID)
	laws := append(national, regional...)
	var out []*kb.Provision
	for _, l := range laws {
		st := l.Law.Status
		if st != "enacted" && st != "expired" && st != "repealed" {
			continue
		}
		for _, p := range l.Law.Provisions {
			if p.Start.IsZero() || !p.Restricting() || !p.BindsAgency(a) {
				continue
			}
			for _, v := range vendors {
				if p.RestrictsVendor(v) {
					out = append(out, p)
					break
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Start.Compare(out[j].Start); c != 0 {
			return c < 0
		}
		return out[i].Label() < out[j].Label()
	})
	return out
}

// agencyTimeline draws an agency's fleet observations against the
// provisions that bind it, and adds those provisions to its dated list.
func (s *Site) agencyTimeline(e *kb.Entry, v *AgencyView) {
	provs := s.bindingProvisions(e)
	var rows []pictures.Row
	var from, to kb.Date
	span := func(d kb.Date) {
		if d.IsZero() {
			return
		}
		if from.IsZero() || d.Before(from) {
			from = d
		}
		if to.IsZero() || d.After(to) {
			to = d
		}
	}
	for _, fr := range v.Fleet {
		rows = append(rows, itemRow(fr.Label, fr.Item, s.opts.AsOf))
		for _, o := range fr.Item.Observations() {
			span(o.Date)
		}
	}
	var lines []pictures.Line
	for _, p := range provs {
		span(p.Start)
		// "ASDA (operation) takes effect", "Florida SB 44 takes effect
		// (procurement)": the measure once, where the label lacks it.
		what := p.Label() + " " + p.StartEvent()
		if !strings.HasSuffix(p.Label(), "("+p.Measure+")") {
			what += " (" + p.Measure + ")"
		}
		lines = append(lines, pictures.Line{Date: p.Start, Label: p.Start.Human() + ": " + what, Kind: "law"})
		v.Timeline = append(v.Timeline, TimelineEvent{Date: p.Start, What: "law", Item: what, Law: p.Law,
			IsFuture: p.Start.After(s.opts.AsOf), Pending: kb.Pending(p.Start, p.Start.LastDay(), s.opts.AsOf)})
	}
	sort.SliceStable(v.Timeline, func(i, j int) bool { return v.Timeline[i].Date.Before(v.Timeline[j].Date) })
	if len(rows) == 0 {
		return
	}
	span(s.opts.AsOf)
	lines = append(lines, pictures.Line{Date: s.opts.AsOf, Label: "The tracker's date, " + s.opts.AsOf.Human(), Kind: "as-of"})
	v.TimelineSVG = template.HTML(pictures.Timeline(rows, lines, from, to, "Fleet observations of "+e.Title+" against the laws that bind it", "agency"))
	v.TimelineLegend = agencyTimelineLegend()
}

// lawTimeline draws a law's provisions against the agencies flying what it
// restricts (on the site's date), with the same as a dated list.
func (s *Site) lawTimeline(e *kb.Entry, v *LawView) {
	var rows []pictures.Row
	var from, to kb.Date
	span := func(d kb.Date) {
		if d.IsZero() {
			return
		}
		if from.IsZero() || d.Before(from) {
			from = d
		}
		if to.IsZero() || d.After(to) {
			to = d
		}
	}
	var lines []pictures.Line
	for i, p := range e.Law.Provisions {
		if p.Start.IsZero() {
			continue
		}
		span(p.Start)
		span(p.End)
		label := p.Measure
		if len(e.Law.Provisions) > 1 {
			label = fmt.Sprintf("Provision %d: %s", i+1, p.Measure)
		}
		from := ", in force from "
		if p.InForceBy {
			from = ", in force by "
		}
		seg := pictures.Segment{From: p.Start, To: p.End, Kind: "in force", Label: label + from + p.Start.Human()}
		if !p.End.IsZero() {
			seg.Label += " to " + p.End.Human()
		}
		rows = append(rows, pictures.Row{Label: label, Segments: []pictures.Segment{seg}})
		lines = append(lines, pictures.Line{Date: p.Start, Label: p.Start.Human() + ": " + p.Label() + " " + p.StartEvent(), Kind: "law"})
		v.Events = append(v.Events, TimelineEvent{Date: p.Start, What: "law", Item: label + " " + p.StartEvent()})
		if !p.End.IsZero() {
			v.Events = append(v.Events, TimelineEvent{Date: p.End, What: "ends", Item: label + " stops applying"})
		}
	}
	if len(rows) == 0 {
		return
	}
	n := 0
	reached, _ := s.tracker.Reached(e)
	for _, af := range reached {
		for _, it := range af.Items {
			if n == timelineRows {
				v.TimelineMore++
				continue
			}
			n++
			label := af.Status.Agency.Title + " — " + itemLabel(it.Vendor, it.Item)
			rows = append(rows, itemRow(label, it.Item, s.opts.AsOf))
			for _, o := range it.Item.Observations() {
				span(o.Date)
				kind := obsLabel[o.Status]
				if o.Acquisition {
					kind = "acquired"
				}
				v.Events = append(v.Events, TimelineEvent{Date: o.Date, What: kind, Item: label, Agency: af.Status.Agency, Source: o.Source})
			}
		}
	}
	span(s.opts.AsOf)
	lines = append(lines, pictures.Line{Date: s.opts.AsOf, Label: "The tracker's date, " + s.opts.AsOf.Human(), Kind: "as-of"})
	sort.SliceStable(v.Events, func(i, j int) bool { return v.Events[i].Date.Before(v.Events[j].Date) })
	v.TimelineSVG = template.HTML(pictures.Timeline(rows, lines, from, to, "The provisions of "+e.Title+" against the agencies in its jurisdiction flying what it restricts", "law"))
	v.TimelineLegend = lawTimelineLegend()
}

// TimelineView is the site-wide timeline: laws and incidents by year.
type TimelineView struct {
	Years []TimelineYear
}

// TimelineYear is one year of the timeline, newest first.
type TimelineYear struct {
	Year                    int
	Laws                    []TimelineEvent // provisions taking effect and laws enacted
	Incidents               []*kb.Entry
	MoreLaws, MoreIncidents int
}

// timelineView gathers every law's dates and every incident by year. A
// year lists at most sampleRows of each; the section pages list them all.
func (s *Site) timelineView() *TimelineView {
	by := map[int]*TimelineYear{}
	year := func(y int) *TimelineYear {
		if by[y] == nil {
			by[y] = &TimelineYear{Year: y}
		}
		return by[y]
	}
	for _, l := range s.kb.Section("laws") {
		if !l.Law.Enacted.IsZero() {
			y := year(l.Law.Enacted.Year)
			y.Laws = append(y.Laws, TimelineEvent{Date: l.Law.Enacted, What: "enacted", Law: l})
		}
		for _, p := range l.Law.Provisions {
			if p.Start.IsZero() || (p.Start == l.Law.Enacted && len(l.Law.Provisions) == 1) {
				continue
			}
			what := p.StartEvent()
			if len(l.Law.Provisions) > 1 {
				what = p.Measure + " " + p.StartEvent()
			}
			y := year(p.Start.Year)
			y.Laws = append(y.Laws, TimelineEvent{Date: p.Start, What: what, Law: l})
		}
	}
	for _, in := range s.kb.Section("incidents") {
		y := year(in.Incident.Date.Year)
		y.Incidents = append(y.Incidents, in)
	}
	v := &TimelineView{}
	for _, y := range by {
		sort.SliceStable(y.Laws, func(i, j int) bool {
			if c := y.Laws[i].Date.Compare(y.Laws[j].Date); c != 0 {
				return c < 0
			}
			return y.Laws[i].Law.ID < y.Laws[j].Law.ID
		})
		sort.SliceStable(y.Incidents, func(i, j int) bool {
			if c := y.Incidents[i].Incident.Date.Compare(y.Incidents[j].Incident.Date); c != 0 {
				return c < 0
			}
			return y.Incidents[i].ID < y.Incidents[j].ID
		})
		if len(y.Laws) > sampleRows {
			y.MoreLaws, y.Laws = len(y.Laws)-sampleRows, y.Laws[:sampleRows]
		}
		if len(y.Incidents) > sampleRows {
			y.MoreIncidents, y.Incidents = len(y.Incidents)-sampleRows, y.Incidents[:sampleRows]
		}
		v.Years = append(v.Years, *y)
	}
	sort.Slice(v.Years, func(i, j int) bool { return v.Years[i].Year > v.Years[j].Year })
	return v
}
