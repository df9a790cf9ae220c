package kb

import "sort"

// StaleMonths is how old an item's latest observation may be before the
// tracker calls it unverified.
const StaleMonths = 24

// Status is an agency's standing on a date (DESIGN.md, "The tracker").
type Status string

// The statuses, in the order the rules try them.
const (
	FlyingRestricted        Status = "flying-restricted"
	FlyingRestrictedUnbound Status = "flying-restricted-unbound"
	StatusUnknownHardware   Status = "unknown"
	GroundedRestricted      Status = "grounded"
	Clear                   Status = "clear"
)

// Statuses lists every status, most serious first.
var Statuses = []Status{FlyingRestricted, FlyingRestrictedUnbound, StatusUnknownHardware, GroundedRestricted, Clear}

// Flying reports whether the status means restricted hardware is flying.
func (s Status) Flying() bool { return s == FlyingRestricted || s == FlyingRestrictedUnbound }

// IsStale reports whether an observation dated obs is more than StaleMonths
// before asOf.
func IsStale(obs, asOf Date) bool {
	return obs.Before(asOf.AddMonths(-StaleMonths))
}

// StatusOn returns the item's latest observation dated on or before d, and
// false if there is none (the item is not in the fleet on d).
func (f *FleetItem) StatusOn(d Date) (Observation, bool) {
	var last Observation
	found := false
	for _, o := range f.Observations() {
		if o.Date.After(d) {
			break
		}
		last, found = o, true
	}
	return last, found
}

// InForce reports whether the law applies on d: enacted, in effect (its
// effective date, else its enacted date, on or before d) and not expired.
func (l *Law) InForce(d Date) bool {
	if l.Status != "enacted" {
		return false
	}
	start := l.Effective
	if start.IsZero() {
		start = l.Enacted
	}
	if start.IsZero() || start.After(d) {
		return false
	}
	return l.Expires.IsZero() || l.Expires.After(d)
}

// Restricts reports whether the law restricts hardware from vendor v (an
// entry of type vendor): by slug, or by v's country of origin. Advisory
// measures restrict nothing.
func (l *Law) RestrictsVendor(v *Entry) bool {
	if l.Measure == "advisory" || v.Vendor == nil {
		return false
	}
	for _, r := range l.Restricts.Vendors {
		if r.ID == v.ID {
			return true
		}
	}
	for _, c := range l.Restricts.Countries {
		if c == v.Vendor.Country {
			return true
		}
	}
	return false
}

// BindsAgency reports whether the law binds agency a: a is inside the law's
// jurisdiction (same country, and same region when the law has one) and
// matches every list the law's binds gives.
func (l *Law) BindsAgency(a *Entry) bool {
	ag := a.Agency
	if ag == nil || ag.Country != l.Country || (l.Region != "" && l.Region != ag.Region) {
		return false
	}
	b := l.Binds
	if b == nil {
		return true
	}
	if b.HasLevels && !contains(b.Levels, ag.Level) {
		return false
	}
	if b.HasKinds && !contains(b.Kinds, ag.Kind) {
		return false
	}
	if b.HasAgencies {
		found := false
		for _, r := range b.Agencies {
			found = found || r.ID == a.ID
		}
		if !found {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Tracker is the answer to "who still flies restricted hardware" on a date.
type Tracker struct {
	AsOf     Date
	Agencies []*AgencyStatus // sorted by ID
	Counts   map[Status]int
}

// AgencyStatus is one agency's standing on the tracker's date, with the
// evidence behind it.
type AgencyStatus struct {
	Agency *Entry
	Status Status
	// Stale is set when every item that decides the status was last observed
	// more than StaleMonths before the date; LastObserved is the newest of
	// those observations ("unverified since …").
	Stale        bool
	LastObserved Date
	Items        []*ItemStatus
	// RestrictingLaws are the laws in force that restrict any of the
	// agency's items; BindingLaws, those of them that bind the agency.
	RestrictingLaws []*Entry
	BindingLaws     []*Entry
	// GoverningLaws are all laws in force that bind the agency, whatever
	// they restrict: how its drone use is regulated.
	GoverningLaws []*Entry
}

// ItemStatus is a fleet item as it stood on the tracker's date.
type ItemStatus struct {
	Item            *FleetItem
	Vendor          *Entry // nil if the vendor does not resolve
	Status          string // of the latest observation on or before the date
	AsOf            Date   // that observation's date
	Source          string // that observation's source
	Restricted      bool
	Stale           bool
	RestrictingLaws []*Entry
	BindingLaws     []*Entry
}

// Tracker computes every agency's status on date d.
func (kb *KB) Tracker(d Date) *Tracker {
	t := &Tracker{AsOf: d, Counts: map[Status]int{}}
	var inForce []*Entry
	byCountry := map[string][]*Entry{}
	for _, e := range kb.Section("laws") {
		if e.Law.InForce(d) {
			inForce = append(inForce, e)
			byCountry[e.Law.Country] = append(byCountry[e.Law.Country], e)
		}
	}
	restricting := map[string][]*Entry{} // vendor ID → laws in force restricting it
	restrictingFor := func(v *Entry) []*Entry {
		if laws, ok := restricting[v.ID]; ok {
			return laws
		}
		var laws []*Entry
		for _, l := range inForce {
			if l.Law.RestrictsVendor(v) {
				laws = append(laws, l)
			}
		}
		restricting[v.ID] = laws
		return laws
	}
	for _, a := range kb.Section("agencies") {
		as := &AgencyStatus{Agency: a}
		binds := map[string]bool{}
		for _, l := range byCountry[a.Agency.Country] {
			if l.Law.BindsAgency(a) {
				binds[l.ID] = true
				as.GoverningLaws = append(as.GoverningLaws, l)
			}
		}
		restrictSet, bindSet := map[string]*Entry{}, map[string]*Entry{}
		for i := range a.Agency.Fleet {
			f := &a.Agency.Fleet[i]
			obs, ok := f.StatusOn(d)
			if !ok {
				continue
			}
			it := &ItemStatus{Item: f, Status: obs.Status, AsOf: obs.Date, Source: obs.Source, Stale: IsStale(obs.Date, d)}
			if it.Source == "" {
				it.Source = f.Source
			}
			it.Vendor = kb.byID[f.Vendor.ID]
			if it.Vendor != nil && it.Vendor.Vendor != nil {
				it.RestrictingLaws = restrictingFor(it.Vendor)
				it.Restricted = len(it.RestrictingLaws) > 0
				for _, l := range it.RestrictingLaws {
					restrictSet[l.ID] = l
					if binds[l.ID] {
						it.BindingLaws = append(it.BindingLaws, l)
						bindSet[l.ID] = l
					}
				}
			}
			as.Items = append(as.Items, it)
		}
		as.RestrictingLaws = sortedLaws(restrictSet)
		as.BindingLaws = sortedLaws(bindSet)
		as.decide()
		t.Counts[as.Status]++
		t.Agencies = append(t.Agencies, as)
	}
	return t
}

func sortedLaws(m map[string]*Entry) []*Entry {
	out := make([]*Entry, 0, len(m))
	for _, l := range m {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// decide applies the status rules in order and records which items decided.
func (as *AgencyStatus) decide() {
	var activeBound, active, unknown, restricted []*ItemStatus
	for _, it := range as.Items {
		if !it.Restricted {
			continue
		}
		restricted = append(restricted, it)
		switch it.Status {
		case StatusActive:
			active = append(active, it)
			if len(it.BindingLaws) > 0 {
				activeBound = append(activeBound, it)
			}
		case StatusUnknown:
			unknown = append(unknown, it)
		}
	}
	var deciding []*ItemStatus
	switch {
	case len(activeBound) > 0:
		as.Status, deciding = FlyingRestricted, activeBound
	case len(active) > 0:
		as.Status, deciding = FlyingRestrictedUnbound, active
	case len(unknown) > 0:
		as.Status, deciding = StatusUnknownHardware, unknown
	case len(restricted) > 0:
		as.Status, deciding = GroundedRestricted, restricted
	default:
		as.Status, deciding = Clear, as.Items
	}
	if len(deciding) == 0 {
		return
	}
	as.Stale = true
	for _, it := range deciding {
		if it.AsOf.After(as.LastObserved) {
			as.LastObserved = it.AsOf
		}
		as.Stale = as.Stale && it.Stale
	}
}
