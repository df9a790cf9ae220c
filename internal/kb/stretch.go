package kb

import "slices"

// Stretch is a run of days on which one of a fleet item's observations is
// its status (StatusOn), and the tracker counts it the same way on each of
// them: what a timeline draws between the days sources describe.
type Stretch struct {
	Obs      Observation
	From, To Date // its first and last day, as full dates
	// Current is set when the observation is active and counts as
	// current. Stale is set when it is active and more than StaleMonths
	// old; Ban, when it is active, not stale, and an operating ban that
	// started after it is in force (the agency may have complied).
	Current bool
	Stale   bool
	Ban     *Provision
	// Next is the later observation that counts from the day after To,
	// when that is what ends the stretch; nil when it ends for another
	// reason (the next stretch says which) or at the date asked for.
	Next *Observation
}

// Bans reports whether the provision is an operating ban that forbids
// agency a to fly vendor v's hardware: its measure is operation, it
// restricts v, binds a and does not exempt it. Whatever its dates, once in
// force it keeps a sighting of a's drones from before it from counting as
// current.
func (p *Provision) Bans(a, v *Entry) bool {
	return p.Measure == MeasureOperation && v != nil && p.RestrictsVendor(v) && p.BindsAgency(a) && p.Exemption(a) == nil
}

// Stretches returns the runs of days, up to d, on which each of the item's
// observations is its status, oldest first, as the tracker counts them on
// each day: an observation counts from its From day until a later one
// does, and an active one is current until it is StaleMonths old or one
// of bans (provisions for which Bans holds of the item's agency and
// vendor, whatever their dates) started after it and is in force. A
// stretch ends where any of that changes, so an active observation may
// make several: current, then stale.
func (f *FleetItem) Stretches(bans []*Provision, d Date) []Stretch {
	obs := f.Observations()
	var out []Stretch
	for i, o := range obs {
		from := o.From()
		if from.After(d) {
			continue
		}
		// A later observation, in the order Observations gives, takes
		// over from the first day it counts (StatusOn).
		to, next := d, -1
		for j := i + 1; j < len(obs); j++ {
			if end := obs[j].From().addDays(-1); end.Before(to) {
				to, next = end, j
			}
		}
		if to.Before(from) {
			continue // a later observation counts from the same day or before
		}
		first := len(out)
		if o.Status != StatusActive {
			out = append(out, Stretch{Obs: o, From: from, To: to})
		} else {
			// The days on which its count may change: the first day it
			// is stale, and the first and last days each ban is in force.
			cuts := []Date{staleFrom(o.Date)}
			for _, p := range bans {
				if !p.Start.IsZero() {
					cuts = append(cuts, p.Start.LastDay())
				}
				if !p.End.IsZero() {
					cuts = append(cuts, p.End.FirstDay())
				}
			}
			slices.SortFunc(cuts, Date.Compare)
			for day := from; !day.After(to); {
				end := to
				for _, c := range cuts {
					if c.After(day) {
						if e := c.addDays(-1); e.Before(end) {
							end = e
						}
						break
					}
				}
				s := o.countedOn(day, bans)
				s.From, s.To = day, end
				if n := len(out); n > first && out[n-1].Current == s.Current && out[n-1].Stale == s.Stale && out[n-1].Ban == s.Ban {
					out[n-1].To = end
				} else {
					out = append(out, s)
				}
				day = end.addDays(1)
			}
		}
		if next >= 0 {
			n := obs[next]
			out[len(out)-1].Next = &n
		}
	}
	return out
}

// countedOn returns how the tracker counts the active observation o on
// day, as a Stretch with only its Obs and flags set (judge).
func (o Observation) countedOn(day Date, bans []*Provision) Stretch {
	s := Stretch{Obs: o}
	if IsStale(o.Date, day) {
		s.Stale = true
		return s
	}
	for _, p := range bans {
		if p.InForce(day) && o.Date.Before(p.Start.LastDay()) {
			s.Ban = p
			return s
		}
	}
	s.Current = true
	return s
}

// staleFrom returns the first day on which an active observation dated obs
// is stale (IsStale): the day after StaleMonths have passed from its first
// day, a day or two later where a month's end shortens the months.
func staleFrom(obs Date) Date {
	d := obs.FirstDay().AddMonths(StaleMonths)
	for !IsStale(obs, d) {
		d = d.addDays(1)
	}
	return d
}

// addDays returns the full date n days after d's first day.
func (d Date) addDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }
