package kb

import (
	"maps"
	"slices"
	"sort"
)

// SeriesPoint is the tracker's counts on one date: how many agencies had
// each status, exactly as Tracker(Date).Counts.
type SeriesPoint struct {
	Date   Date
	Counts map[Status]int
	// codes holds each agency's status on the date, in the order of
	// Section("agencies"), as its position in Statuses: one byte an agency
	// and date, where a Status is a 16-byte string header the collector
	// must scan (at 40,000 agencies and 44 quarters, 1.8 MB in place of
	// 28 MB of pointers).
	codes []uint8
}

// Status returns the status on the point's date of the j-th agency of
// Section("agencies").
func (p SeriesPoint) Status(j int) Status { return Statuses[p.codes[j]] }

// statusCode returns st's position in Statuses.
func statusCode(st Status) uint8 {
	for i, s := range Statuses {
		if s == st {
			return uint8(i)
		}
	}
	panic("kb: no such status: " + string(st))
}

// Milestone is a provision that restricts hardware taking effect: the
// dates the tracker over time marks on its axis.
type Milestone struct {
	// Date is the start as the law gives it ("2023", "2023-12-22"); At
	// is the day the tracker counts it from, its last day (Provision.InForce),
	// where the chart marks it.
	Date, At   Date
	Provisions []*Provision // taking effect that day, by law ID and position
}

// FirstObservation returns the date of the earliest observation of any
// fleet item (acquisitions included), or the zero Date when no agency has
// a fleet on record.
func (kb *KB) FirstObservation() Date {
	var first Date
	for _, a := range kb.Section("agencies") {
		for i := range a.Agency.Fleet {
			if d := a.Agency.Fleet[i].FirstSeen(); first.IsZero() || d.Before(first) {
				first = d
			}
		}
	}
	return first
}

// QuarterDates returns the first day of every quarter from the quarter
// holding from up to asOf, and asOf itself when it is not such a day: the
// dates the tracker over time is computed on. It is empty when from is zero
// or after asOf.
func QuarterDates(from, asOf Date) []Date {
	if from.IsZero() || from.After(asOf) {
		return nil
	}
	m := from.Month
	if m == 0 {
		m = 1
	}
	d := Date{Year: from.Year, Month: (m-1)/3*3 + 1, Day: 1}
	var out []Date
	for !d.After(asOf) {
		out = append(out, d)
		d = d.AddMonths(3)
	}
	if out[len(out)-1].Compare(asOf) != 0 {
		out = append(out, asOf)
	}
	return out
}

// Series computes the tracker's counts on each of the dates, by the rules
// of Tracker: each point's Counts equal Tracker(point.Date).Counts.
//
// It judges every agency on the first date and, on each later date, only
// the agencies whose standing can have changed since the date before. An
// agency's status on a date depends on nothing but its fleet items' latest
// observations on or before the date, whether each is stale, and, for each
// item's vendor, whether any provision in force restricts it and which of
// those bind the agency (their measure, start and exemptions do not change
// with the date). So an agency is judged again only when one of its items
// has an observation between the two dates or one turning stale, or a
// provision restricting one of its vendors starts or stops being in force
// and either binds the agency or leaves the vendor restricted where it was
// not (or the reverse). Dates out of order are each judged in full.
func (kb *KB) Series(dates []Date) []SeriesPoint {
	agencies := kb.Section("agencies")
	vendors := kb.Section("vendors")
	vendorAt := make(map[string]int32, len(vendors))
	for i, v := range vendors {
		vendorAt[v.ID] = int32(i)
	}
	obs := make([][][]Observation, len(agencies)) // agency → item → observations
	made := make([][]int32, len(agencies))        // agency → item → its vendor in vendors, or -1
	for j, a := range agencies {
		obs[j] = make([][]Observation, len(a.Agency.Fleet))
		made[j] = make([]int32, len(a.Agency.Fleet))
		for i := range a.Agency.Fleet {
			f := &a.Agency.Fleet[i]
			obs[j][i] = f.Observations()
			made[j][i] = -1
			if v, ok := vendorAt[f.Vendor.ID]; ok && !f.UnknownMake {
				made[j][i] = v
			}
		}
	}
	changed := make([]*vendorChange, len(vendors)) // by vendor, on the date being judged
	status := make([]uint8, len(agencies))
	judged := make([]bool, len(agencies))
	counts := map[Status]int{}
	out := make([]SeriesPoint, len(dates))
	var prev *dayRules
	for i, d := range dates {
		r := kb.rulesOn(d)
		// The first day a provision restricts some hardware, or the first
		// after the last did, changes what drones of unknown make count
		// for: every agency is judged again.
		all := prev == nil || d.Before(prev.d) || prev.restricting != r.restricting
		var cut0, cut1 Date
		if !all {
			clear(changed)
			for id, c := range changedVendors(prev, r) {
				if v, ok := vendorAt[id]; ok { // rulesOn keys them by the vendors' IDs
					changed[v] = &c
				}
			}
			cut0, cut1 = prev.d.AddMonths(-StaleMonths), d.AddMonths(-StaleMonths)
		}
		for j, a := range agencies {
			if !all && !mayChange(a, obs[j], made[j], prev.d, d, cut0, cut1, changed) {
				continue
			}
			st := kb.judge(a, r, func(p *Provision) bool { return p.BindsAgency(a) }, nil, false).Status
			if judged[j] {
				counts[Statuses[status[j]]]--
			}
			status[j], judged[j] = statusCode(st), true
			counts[st]++
		}
		pt := SeriesPoint{Date: d, Counts: map[Status]int{}, codes: slices.Clone(status)}
		for st, n := range counts {
			if n > 0 {
				pt.Counts[st] = n
			}
		}
		out[i] = pt
		prev = r
	}
	return out
}

// SeriesFrom computes Series(dates) from prev, the series of prevKB on
// the same dates (prevKB loaded before kb with the same Cache: an
// unchanged file gives the same *Entry). When no law or vendor changed
// and no entry was added or removed, only the agencies whose entries
// changed are judged again, on every date; otherwise it is Series.
// serve --watch uses it on every save.
func (kb *KB) SeriesFrom(prev []SeriesPoint, prevKB *KB, dates []Date) []SeriesPoint {
	if len(prev) != len(dates) || !kb.SameRules(prevKB) {
		return kb.Series(dates)
	}
	for i, d := range dates {
		if prev[i].Date != d {
			return kb.Series(dates)
		}
	}
	agencies := kb.Section("agencies")
	var changed []int
	for j, a := range agencies {
		if prevKB.byID[a.ID] != a {
			changed = append(changed, j)
		}
	}
	out := make([]SeriesPoint, len(prev))
	for i, p := range prev {
		if len(p.codes) != len(agencies) {
			return kb.Series(dates)
		}
		pt := SeriesPoint{Date: p.Date, Counts: maps.Clone(p.Counts), codes: p.codes}
		if len(changed) > 0 {
			pt.codes = slices.Clone(p.codes)
			r := kb.rulesOn(p.Date)
			for _, j := range changed {
				a := agencies[j]
				st := kb.judge(a, r, func(p *Provision) bool { return p.BindsAgency(a) }, nil, false).Status
				if old := pt.Status(j); old != st {
					if pt.Counts[old]--; pt.Counts[old] <= 0 {
						delete(pt.Counts, old)
					}
					pt.Counts[st]++
					pt.codes[j] = statusCode(st)
				}
			}
		}
		out[i] = pt
	}
	return out
}

// vendorChange is how a vendor's restricting provisions in force differ
// between two dates: the provisions that started or stopped, and whether
// the vendor went from restricted to not or back.
type vendorChange struct {
	provisions []*Provision
	restricted bool
}

// changedVendors returns, for each vendor whose restricting provisions in
// force differ between two dates' rules, how they differ. Vendors that
// share their lists on both dates (rulesOn) are compared once.
func changedVendors(a, b *dayRules) map[string]vendorChange {
	type pair struct {
		a, b   **Provision // the lists' first elements: which lists they are
		la, lb int
	}
	first := func(ps []*Provision) **Provision {
		if len(ps) == 0 {
			return nil
		}
		return &ps[0]
	}
	type result struct {
		c    vendorChange
		same bool
	}
	memo := map[pair]result{}
	out := map[string]vendorChange{}
	for _, x := range []*dayRules{a, b} {
		for v := range x.restrictBy {
			if _, done := out[v]; done {
				continue
			}
			pa, pb := a.restrictBy[v], b.restrictBy[v]
			key := pair{first(pa), first(pb), len(pa), len(pb)}
			r, ok := memo[key]
			if !ok {
				r = result{same: slices.Equal(pa, pb)}
				if !r.same {
					r.c = diffProvisions(pa, pb)
				}
				memo[key] = r
			}
			if !r.same {
				out[v] = r.c
			}
		}
	}
	return out
}

// diffProvisions returns how two lists of restricting provisions, each
// sorted by law ID and position, differ.
func diffProvisions(pa, pb []*Provision) vendorChange {
	c := vendorChange{restricted: (len(pa) > 0) != (len(pb) > 0)}
	for len(pa) > 0 || len(pb) > 0 {
		switch {
		case len(pb) == 0 || (len(pa) > 0 && provisionBefore(pa[0], pb[0])):
			c.provisions, pa = append(c.provisions, pa[0]), pa[1:]
		case len(pa) == 0 || provisionBefore(pb[0], pa[0]):
			c.provisions, pb = append(c.provisions, pb[0]), pb[1:]
		default:
			pa, pb = pa[1:], pb[1:]
		}
	}
	return c
}

// mayChange reports whether agency a's status can differ between dates d0
// and d1 (d0 before d1), given its items' observations and vendors (made:
// each item's position in Section("vendors"), -1 for none), each date less
// StaleMonths (cut0, cut1) and how each vendor's restricting provisions
// changed (nil where they did not).
func mayChange(a *Entry, obs [][]Observation, made []int32, d0, d1, cut0, cut1 Date, changed []*vendorChange) bool {
	for i := range obs {
		if v := made[i]; v >= 0 {
			if c := changed[v]; c != nil {
				if c.restricted {
					return true
				}
				for _, p := range c.provisions {
					if p.BindsAgency(a) {
						return true
					}
				}
			}
		}
		for _, o := range obs[i] {
			if from := o.From(); (from.After(d0) && !from.After(d1)) || o.Date.Before(cut0) != o.Date.Before(cut1) {
				return true
			}
		}
	}
	return false
}

// Milestones returns the days between from and to (both included) on which
// a provision that restricts hardware took effect, oldest first, for laws
// that are or were in force (enacted, expired or repealed); a start given
// as a month or a year falls on its last day, when the tracker counts it.
func (kb *KB) Milestones(from, to Date) []Milestone {
	byDay := map[string]*Milestone{}
	for _, e := range kb.Section("laws") {
		if !lawApplies(e.Law.Status) {
			continue
		}
		for _, p := range e.Law.Provisions {
			at := p.Start.LastDay()
			if !p.Restricting() || p.Start.IsZero() || at.Before(from) || at.After(to) {
				continue
			}
			k := p.Start.String()
			if byDay[k] == nil {
				byDay[k] = &Milestone{Date: p.Start, At: at}
			}
			byDay[k].Provisions = append(byDay[k].Provisions, p)
		}
	}
	out := make([]Milestone, 0, len(byDay))
	for _, m := range byDay {
		sortProvisions(m.Provisions)
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].At.Compare(out[j].At); c != 0 {
			return c < 0
		}
		return out[i].Date.String() < out[j].Date.String()
	})
	return out
}

// provisionBefore orders provisions as sortProvisions does.
func provisionBefore(p, q *Provision) bool {
	if p.Law.ID != q.Law.ID {
		return p.Law.ID < q.Law.ID
	}
	return p.Index < q.Index
}
