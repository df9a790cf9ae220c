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

// itemRow turns a fleet item's observations into a timeline row: a dot on
// each day a source describes, up to the site's date, and between them the
// stretches the tracker counts (kb.FleetItem.Stretches), each told as what
// it is. Only a dot is an observation: the 24 months after a sighting are the
// tracker's rule for how long it counts as current, not evidence that the
// drones flew then, and are drawn and titled so ("counted as in service").
// bans are the operating bans that forbid the agency the item's hardware
// (kb.Provision.Bans).
//
// What became of the item is known up to the site's date, not beyond it:
// the stretches stop there, where a provision starting later stretches
// the timeline on (the Army's DJI drones were drawn grounded into 2027,
// found in review), and an observation dated after it, which the tracker
// does not count yet, is not drawn.
func itemRow(label string, f *kb.FleetItem, bans []*kb.Provision, asOf kb.Date) pictures.Row {
	r := pictures.Row{Label: label}
	obs := f.Observations()
	// The history's record of the item flying on the day it was acquired,
	// from the document the acquisition cites, is told as the acquisition,
	// as the list tells it.
	type seen struct {
		date   kb.Date
		source string
	}
	bought := map[seen]bool{}
	for _, o := range obs {
		if o.Acquisition {
			bought[seen{o.Date, o.Source}] = true
		}
	}
	told := func(o kb.Observation) kb.Observation {
		if o.Status == kb.StatusActive && bought[seen{o.Date, o.Source}] {
			o.Acquisition = true
		}
		return o
	}
	for _, o := range shown(obs) {
		if o.Date.After(asOf) {
			continue
		}
		kind := obsLabel[o.Status]
		if told(o).Acquisition {
			kind = "acquired"
		}
		m := pictures.Mark{Date: o.Date, Kind: kind, Label: label + ": " + observed(told(o))}
		if o.PendingOn(asOf) {
			m.Label += " (not counted on the tracker's date, before its month or year ends)"
		}
		r.Marks = append(r.Marks, m)
	}
	stretches := f.Stretches(bans, asOf)
	for i, st := range stretches {
		seg := pictures.Segment{From: st.From, To: st.To}
		what := label + ": " + observed(told(st.Obs)) + "; "
		// What ends the stretch: a later observation, the site's date, or,
		// for a sighting's, the next stretch of the same sighting.
		var until string
		switch {
		case st.Next != nil:
			until = " until the next observation, " + st.Next.Date.Human()
			if !st.Current {
				until = " until the next, " + st.Next.Date.Human()
			}
		case st.To == asOf:
			until = " up to the tracker's date, " + asOf.Human()
		case i+1 < len(stretches) && stretches[i+1].Stale:
			until = fmt.Sprintf(" for %d months, to %s, with no later observation", kb.StaleMonths, st.To.Human())
		case i+1 < len(stretches) && stretches[i+1].Ban != nil:
			p := stretches[i+1].Ban
			until = " until " + p.Label() + " takes effect, " + p.Start.Human()
			if p.InForceBy {
				until = " until " + p.Label() + " is first shown in force, " + p.Start.Human()
			}
		}
		switch {
		case st.Current:
			seg.Kind = pictures.Counted
			seg.Label = what + "counted as in service"
			if st.From != st.Obs.From() {
				seg.Label += " from " + st.From.Human() + ", the operating ban no longer in force,"
			}
			seg.Label += until
		case st.Stale:
			seg.Kind = "no newer report"
			seg.Label = fmt.Sprintf("%sno longer counted as in service: no later observation within %d months", what, kb.StaleMonths)
		case st.Ban != nil:
			in := " in force from "
			if st.Ban.InForceBy {
				in = " in force by "
			}
			seg.Kind = "no newer report"
			seg.Label = what + "no longer counted as in service: " + st.Ban.Label() + in + st.Ban.Start.Human() + " bans it, and no later observation shows it flying"
		default:
			seg.Kind = obsLabel[st.Obs.Status]
			seg.Label = what + "the latest observation" + until
		}
		r.Segments = append(r.Segments, seg)
	}
	return r
}

// shown returns the observations a timeline gives, oldest first: each
// once, leaving out the same observation recorded twice, and the
// history's record of an item flying on the day it was acquired, which the
// acquisition cites (as the agency's page lists them).
func shown(obs []kb.Observation) []kb.Observation {
	var out []kb.Observation
	for _, o := range obs {
		if n := len(out); n > 0 {
			last := out[n-1]
			if o.Date == last.Date && o.Source == last.Source && o.Status == last.Status && (o.Acquisition == last.Acquisition || last.Acquisition) {
				continue
			}
		}
		out = append(out, o)
	}
	return out
}

// observed says in words what an observation of a fleet item says, and
// the day its source describes: "seen flying, 19 March 2019", "acquired,
// 2020", "grounded, 17 May 2023".
func observed(o kb.Observation) string {
	what := obsLabel[o.Status]
	switch {
	case o.Acquisition:
		what = "acquired"
	case o.Status == kb.StatusActive:
		what = "seen flying"
	}
	return what + ", " + o.Date.Human()
}

// bans returns the provisions of provs that forbid agency a to fly the
// item's hardware (kb.Provision.Bans): none for drones of unknown make.
func (s *Site) bans(a *kb.Entry, f *kb.FleetItem, provs []*kb.Provision) []*kb.Provision {
	if f.UnknownMake {
		return nil
	}
	v := s.kb.Entry(f.Vendor.ID)
	var out []*kb.Provision
	for _, p := range provs {
		if p.Bans(a, v) {
			out = append(out, p)
		}
	}
	return out
}

// The keys of agencies' and laws' timelines, the same on every page: what
// a dot is, and what each stretch counts, in words.
var itemKeys = []pictures.Key{
	{Kind: "flying", Text: "seen flying: an observation, on the day its source describes", Dot: true},
	{Kind: "acquired", Text: "acquired: an observation, on the day its source describes", Dot: true},
	{Kind: pictures.Counted, Text: fmt.Sprintf("counted as in service: up to %d months after it was seen flying or bought, until a later observation or an operating ban binding the agency; not an observation of it flying", kb.StaleMonths)},
	{Kind: "no newer report", Text: fmt.Sprintf("no longer counted as in service: no observation of it flying in %d months, or since an operating ban took effect", kb.StaleMonths)},
	{Kind: "grounded", Text: "grounded: the latest observation, until a later one"},
	{Kind: "retired", Text: "retired: the latest observation, until a later one"},
	{Kind: "status unknown", Text: "status unknown: the latest observation, until a later one"},
}

// The legends of agencies' and laws' timelines.
var (
	agencyTimelineLegend = sync.OnceValue(func() template.HTML {
		return template.HTML(pictures.TimelineLegend(itemKeys...))
	})
	lawTimelineLegend = sync.OnceValue(func() template.HTML {
		return template.HTML(pictures.TimelineLegend(append([]pictures.Key{{Kind: "in force", Text: "a provision in force"}}, itemKeys...)...))
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
		rows = append(rows, itemRow(fr.Label, fr.Item, s.bans(e, fr.Item, provs), s.opts.AsOf))
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
	v.TimelineSVG = template.HTML(pictures.Timeline(rows, lines, from, to, "Fleet observations of "+e.Title+", how long the tracker counts each, and the laws that bind it", "agency"))
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
		var provs []*kb.Provision
		if n < timelineRows {
			provs = s.bindingProvisions(af.Status.Agency)
		}
		for _, it := range af.Items {
			if n == timelineRows {
				v.TimelineMore++
				continue
			}
			n++
			label := af.Status.Agency.Title + " — " + itemLabel(it.Vendor, it.Item)
			rows = append(rows, itemRow(label, it.Item, s.bans(af.Status.Agency, it.Item, provs), s.opts.AsOf))
			for _, o := range shown(it.Item.Observations()) {
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
		// Newest first within a year too, as the years go: oldest first
		// under years newest first, the page zig-zagged (found in
		// review).
		sort.SliceStable(y.Laws, func(i, j int) bool {
			if c := y.Laws[i].Date.Compare(y.Laws[j].Date); c != 0 {
				return c > 0
			}
			return y.Laws[i].Law.ID < y.Laws[j].Law.ID
		})
		sort.SliceStable(y.Incidents, func(i, j int) bool {
			if c := y.Incidents[i].Incident.Date.Compare(y.Incidents[j].Incident.Date); c != 0 {
				return c > 0
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
