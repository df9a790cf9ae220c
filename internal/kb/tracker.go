package kb

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
)

// StaleMonths is how old an active observation may be before the tracker
// stops counting it as current.
const StaleMonths = 24

// UnknownVendor is what a fleet item's vendor says when no source
// establishes the make of the drones.
const UnknownVendor = "unknown"

// Status is an agency's standing on a date, as the tracker computes it.
type Status string

// The statuses, in the order the rules try them.
const (
	FlyingBanned            Status = "flying-banned"
	FlyingRestricted        Status = "flying-restricted"
	FlyingRestrictedUnbound Status = "flying-restricted-unbound"
	StatusUnknownHardware   Status = "unknown"
	GroundedRestricted      Status = "grounded"
	Clear                   Status = "clear"
	NoRecord                Status = "no-record"
)

// Statuses lists every status, most serious first.
var Statuses = []Status{FlyingBanned, FlyingRestricted, FlyingRestrictedUnbound, StatusUnknownHardware, GroundedRestricted, Clear, NoRecord}

// statusInfo describes each tracker status for readers: a label in plain
// words, and what it means.
var statusInfo = map[Status]struct{ label, explain string }{
	FlyingBanned: {"Flies drones a ban binding it forbids",
		"Seen flying (or bought: a purchase counts as in service), in the last 24 months and since the ban took effect, drones that an operating ban binding this agency forbids, with no exemption for it."},
	FlyingRestricted: {"Flies restricted drones; a law binding it restricts them",
		"Seen flying (or bought: a purchase counts as in service) in the last 24 months drones that a law in force restricts, and that law binds this agency: it may not buy them (or not with the money the law governs), or it is exempt from the law's operating ban for some uses."},
	FlyingRestrictedUnbound: {"Flies restricted drones; no law binding it restricts them",
		"Seen flying (or bought: a purchase counts as in service) in the last 24 months drones that a law in force restricts, but no such law on record binds this agency — a US federal ban and a city police force, or a US law and a French police force."},
	StatusUnknownHardware: {"Restricted drones of unknown use, or drones of unknown make",
		"Has had drones that a law restricts, or drones whose make no source establishes, and the evidence does not show whether it flies restricted drones now: their status is unknown, the latest sighting is over 24 months old or predates an operating ban that binds the agency without exempting it, or the drones' make, and so whether a law restricts them, is not established."},
	GroundedRestricted: {"Restricted drones grounded or retired",
		"Its drones from restricted vendors are all grounded or retired."},
	Clear: {"Fleet on record, no restricted drones",
		"A fleet is on record on this date, and none of it is hardware that a law in force restricts."},
	NoRecord: {"No fleet on record",
		"Nothing is known of this agency's drones on this date: no fleet is on record. That is not the same as clear."},
}

// Label names the status in plain words: "No fleet on record".
func (s Status) Label() string { return statusInfo[s].label }

// Explain says in a sentence or two what the status means.
func (s Status) Explain() string { return statusInfo[s].explain }

// Flying reports whether the status means restricted hardware is seen
// flying (statuses 1 to 3).
func (s Status) Flying() bool {
	return s == FlyingBanned || s == FlyingRestricted || s == FlyingRestrictedUnbound
}

// Why an agency's status is unknown.
const (
	UnknownStatus    = "status-unknown" // a restricted item's status on the date is unknown
	UnknownStale     = "stale"          // it was last seen flying more than StaleMonths before the date
	UnknownBeforeBan = "before-ban"     // it was last seen flying before an operating ban that binds the agency
	UnknownMake      = "unknown-make"   // it has drones whose make is not established, flying, of unknown status or seen long ago
)

// IsStale reports whether an observation dated obs is more than StaleMonths
// before asOf.
func IsStale(obs, asOf Date) bool {
	return obs.Before(asOf.AddMonths(-StaleMonths))
}

// StatusOn returns the item's latest observation of those that count on
// d (Observation.From), and false if there is none (the item is not in
// the fleet on d).
func (f *FleetItem) StatusOn(d Date) (Observation, bool) {
	// The last of Observations that counts on d, without making the
	// list: the latest by order, and of observations of one order the
	// last listed (acquired, then history in order, then the item's own).
	var last Observation
	found := false
	see := func(o Observation) {
		if !o.From().After(d) && (!found || !o.order().Before(last.order())) {
			last, found = o, true
		}
	}
	if !f.Acquired.IsZero() {
		see(f.acquisition())
	}
	for _, h := range f.History {
		see(h)
	}
	see(f.own())
	return last, found
}

// lawApplies reports whether a law of this status can be in force: enacted
// laws, and lapsed ones for the time they applied.
func lawApplies(status string) bool {
	return status == "enacted" || status == "expired" || status == "repealed"
}

// Start returns the day the law takes effect: its effective date, else its
// enacted date.
func (l *Law) Start() Date {
	if !l.Effective.IsZero() {
		return l.Effective
	}
	return l.Enacted
}

// InForce reports whether the law applies on d: enacted (or lapsed since),
// its start on or before d, and its expires date, if any, after d. Each of
// its provisions may start and end later (Provision.InForce).
//
// A start given as a month or a year counts from the period's last day,
// the first on which the law is surely in force ("2023" from 2023-12-31),
// and an end from its first, the first on which it may have stopped: the
// tracker restricts hardware only on days a law surely applied.
//
// A law is in force, too, on any day one of its provisions is: a law
// enacted "in 2023" with a provision effective on 2023-07-31 was enacted
// by then, and sections may apply from enactment before the law's own
// effective date.
func (l *Law) InForce(d Date) bool {
	start := l.Start()
	if lawApplies(l.Status) && !start.IsZero() && !start.LastDay().After(d) && (l.Expires.IsZero() || l.Expires.After(d)) {
		return true
	}
	return slices.ContainsFunc(l.Provisions, func(p *Provision) bool { return p.InForce(d) })
}

// InForce reports whether the provision applies on d: its law is enacted
// (or lapsed since), and d falls between its start and its end, a start
// given as a month or a year counting from its last day (Law.InForce).
func (p *Provision) InForce(d Date) bool {
	return lawApplies(p.Law.Law.Status) && !p.Start.IsZero() && !p.Start.LastDay().After(d) && (p.End.IsZero() || p.End.After(d))
}

// RestrictsVendor reports whether the provision restricts hardware from
// vendor v, by slug or by v's country of origin; measures that restrict
// nothing (data, review, advisory) never do.
func (p *Provision) RestrictsVendor(v *Entry) bool {
	if !Restricting(p.Measure) || v.Vendor == nil {
		return false
	}
	for _, r := range p.Restricts.Vendors {
		if r.ID == v.ID {
			return true
		}
	}
	return contains(p.Restricts.Countries, v.Vendor.Country)
}

// Reaches reports whether agency a lies inside the law's jurisdiction:
// the same country, and the same region when the law has one. A law binds
// only agencies it reaches, and may not bind every one of them.
func (l *Law) Reaches(a *Entry) bool {
	ag := a.Agency
	return ag != nil && ag.Country == l.Country && (l.Region == "" || l.Region == ag.Region)
}

// Binds reports whether the provision binds agency a: a lies inside the
// law's jurisdiction (Law.Reaches) and matches every list the provision's
// binds gives.
func (p *Provision) BindsAgency(a *Entry) bool {
	if !p.Law.Law.Reaches(a) {
		return false
	}
	return p.Binds == nil || p.Binds.Matches(a.ID, a.Agency)
}

// Exemption returns the first of the provision's exemptions that lets
// agency a off, or nil.
func (p *Provision) Exemption(a *Entry) *Exemption {
	for i := range p.Exempts {
		if p.Exempts[i].Match.Matches(a.ID, a.Agency) {
			return &p.Exempts[i]
		}
	}
	return nil
}

// RestrictsVendorOn reports whether any of the law's provisions in force on
// d restricts vendor v.
func (l *Law) RestrictsVendorOn(v *Entry, d Date) bool {
	for _, p := range l.Provisions {
		if p.InForce(d) && p.RestrictsVendor(v) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Tracker is the answer to "who still flies restricted hardware" on a date,
// with the relations pages need: who holds each vendor's hardware, whom each
// law affects. It is computed once, in one pass over the agencies and the
// provisions of their jurisdictions.
type Tracker struct {
	AsOf     Date
	Agencies []*AgencyStatus // sorted by ID
	Counts   map[Status]int
	// UnknownOld counts the unknown agencies whose evidence is too old (stale
	// or from before a ban), as opposed to a status nobody knows.
	UnknownOld int
	// UnknownMake counts the unknown agencies that have drones whose make
	// no source establishes (flying, of unknown status or last seen long
	// ago), and no restricted drones in question: nothing shows that they
	// hold restricted hardware at all.
	UnknownMake int
	// UnknownUse counts the unknown agencies whose restricted drones a
	// source reports without saying whether they are in use.
	UnknownUse int

	byID       map[string]*AgencyStatus
	byVendor   map[string][]*AgencyStatus // vendor ID → agencies holding its hardware on the date, by title
	byLaw      map[string][]Affected      // law ID → agencies holding hardware it restricts, by title
	restrictBy map[string][]*Provision    // vendor ID → provisions in force restricting it
	// splice, when set, makes byVendor and byLaw the first time they are
	// asked for (settle): TrackerFrom's lists of a law may hold tens of
	// thousands of agencies, and an edited agency's page needs none.
	splice  *sync.Once
	spliced func()
}

// settle makes the lists of holders and affected agencies, if they wait.
func (t *Tracker) settle() {
	if t.splice != nil {
		t.splice.Do(t.spliced)
	}
}

// AgencyStatus is one agency's standing on the tracker's date, with the
// evidence behind it.
type AgencyStatus struct {
	Agency *Entry
	Status Status
	// Why says, for an unknown status, what makes it unknown (UnknownStale,
	// UnknownBeforeBan, UnknownStatus or UnknownMake).
	Why string
	// Reason is the one sentence that says why the agency has its status,
	// in parts so that pages can link each source.
	Reason []ReasonPart
	// Stale is set when the observations behind the status are all more
	// than StaleMonths before the date; LastSeen is the newest of them.
	Stale    bool
	LastSeen Date
	Items    []*ItemStatus // the fleet items on record on the date
	Deciding []*ItemStatus // the items behind the status
	// RestrictingLaws are the laws with a provision in force restricting
	// any of its items; BindingLaws, those of them binding the agency;
	// BanningLaws, those with an operating ban it flies against;
	// ExemptingLaws, those that exempt it from a provision that restricts
	// its hardware.
	RestrictingLaws, BindingLaws, BanningLaws, ExemptingLaws []*Entry
	// Exemptions are the exemptions that let the agency off provisions
	// restricting its hardware.
	Exemptions []AppliedExemption
	// Governing are the provisions in force that bind the agency, whatever
	// they restrict; GoverningLaws their laws.
	Governing     []*Provision
	GoverningLaws []*Entry
	Parent        *AgencyStatus
	Components    []*AgencyStatus // agencies whose parent it is, by title
}

// AppliedExemption is an exemption from a provision that applies to an agency.
type AppliedExemption struct {
	Provision *Provision
	Exemption *Exemption
}

// ItemStatus is a fleet item as it stood on the tracker's date.
type ItemStatus struct {
	Item   *FleetItem
	Vendor *Entry // nil for an unknown make, or a vendor that does not resolve
	Status string // of the latest observation on or before the date
	AsOf   Date   // that observation's date
	Source string // that observation's source
	// Acquired is set when that observation is the item's acquisition.
	Acquired bool
	// Restricted is set when a provision in force restricts the vendor.
	Restricted bool
	// MaybeRestricted is set for an item of unknown make on a date when a
	// provision in force restricts some hardware: it may be of that
	// hardware. On a date when none does, its make cannot matter.
	MaybeRestricted bool
	// Stale is set when the observation is more than StaleMonths old.
	Stale bool
	// Current is set for an active observation that still counts: not
	// stale, and not older than an operating ban that binds the agency.
	Current bool
	// BeforeBan is the operating ban that began after the item was last
	// seen flying, or may have (SurelyBeforeBan), when that is what keeps
	// it from being current.
	BeforeBan *Provision
	// Restricting are the provisions in force that restrict its vendor;
	// Binding those that bind the agency; Banning the operating bans among
	// them that do not exempt it; Exempting the exemptions it has.
	Restricting, Binding, Banning []*Provision
	Exempting                     []AppliedExemption
	RestrictingLaws, BindingLaws  []*Entry
}

// SurelyBeforeBan reports whether the item was seen (or bought) before
// its BeforeBan started for certain: not when the ban's start is only the
// day a source first shows it in force (in_force_by), nor when the two
// dates overlap, a sighting in 2023-06 and a ban from 2023-06-15 or from
// "2023", where either may have come first.
func (it *ItemStatus) SurelyBeforeBan() bool {
	p := it.BeforeBan
	return p != nil && !p.InForceBy && it.AsOf.LastDay().Before(p.Start.FirstDay())
}

// SurelyBeforeBan reports whether every item of the agency kept from
// being current by an operating ban (BeforeBan) was seen surely before
// it started: what lets a page say "before the ban" of its status.
func (as *AgencyStatus) SurelyBeforeBan() bool {
	for _, it := range as.Deciding {
		if it.BeforeBan != nil && !it.SurelyBeforeBan() {
			return false
		}
	}
	return true
}

// Affected is an agency holding hardware a law restricts, on the tracker's date.
type Affected struct {
	Status *AgencyStatus
	Bound  bool // a provision of the law binds the agency
	Banned bool // an operating ban of the law forbids what it flies
	// BanUnknown is set when an operating ban of the law forbids an item
	// last seen flying that no longer counts (seen before the ban, or too
	// long ago): whether the agency flies it against the ban is not known.
	BanUnknown bool
	Items      []*ItemStatus // its items the law restricts
}

// Agency returns the status of the agency with the given ID, or nil.
func (t *Tracker) Agency(id string) *AgencyStatus { return t.byID[id] }

// HoldersOf returns the agencies holding hardware of the vendor with the
// given ID on the date, sorted by title.
func (t *Tracker) HoldersOf(vendorID string) []*AgencyStatus {
	t.settle()
	return t.byVendor[vendorID]
}

// Affected returns the agencies holding hardware that the law with the
// given ID restricts on the date, sorted by title.
func (t *Tracker) Affected(lawID string) []Affected {
	t.settle()
	return t.byLaw[lawID]
}

// Reached returns the agencies of Affected(law.ID) that the law reaches
// (Law.Reaches: inside its jurisdiction), by title, and how many others
// hold hardware it restricts: a vendor is restricted wherever a law
// restricts it, but a Florida law does not reach a French police force.
func (t *Tracker) Reached(law *Entry) (reached []Affected, elsewhere int) {
	for _, a := range t.Affected(law.ID) {
		if law.Law.Reaches(a.Status.Agency) {
			reached = append(reached, a)
		} else {
			elsewhere++
		}
	}
	return reached, elsewhere
}

// RestrictedBy returns the provisions in force that restrict the vendor's
// hardware on the date.
func (t *Tracker) RestrictedBy(vendorID string) []*Provision { return t.restrictBy[vendorID] }

// Tracker computes every agency's status on date d. Its cost is linear in
// the entries and the provisions that apply to each agency's jurisdiction.
func (kb *KB) Tracker(d Date) *Tracker {
	t := kb.statuses(d)
	t.relate()
	for _, as := range t.Agencies {
		as.Reason = as.reason(kb, d)
	}
	return t
}

// StatusesOn judges the agencies on date d by the rules of Tracker(d), each
// with its status, items, laws and reason, without the tracker's tables
// and relations (no components are linked, no law's list of the agencies
// it affects is made): what a page of the tracker on an earlier date
// shows of each agency it lists, at the cost of those agencies alone.
func (kb *KB) StatusesOn(d Date, agencies []*Entry) []*AgencyStatus {
	return kb.JudgeOn(d)(agencies)
}

// JudgeOn returns StatusesOn for date d with the day's rules made once, for
// a caller that judges a few agencies at a time: a page of the tracker on
// an earlier date judges the agencies of that page alone, rather than
// holding every agency's status and row until the last page is written
// (300 MB for each date at 100,000 entries).
func (kb *KB) JudgeOn(d Date) func(agencies []*Entry) []*AgencyStatus {
	r := kb.rulesOn(d)
	return func(agencies []*Entry) []*AgencyStatus {
		out := make([]*AgencyStatus, len(agencies))
		for i, a := range agencies {
			as := kb.judge(a, r, func(p *Provision) bool { return p.BindsAgency(a) }, nil, true)
			as.Reason = as.reason(kb, d)
			out[i] = as
		}
		return out
	}
}

// TrackerFrom computes the tracker on date d as Tracker does, reusing
// prev, the tracker of prevKB on the same date, for every agency whose
// entry did not change (prevKB loaded before kb with the same Cache: an
// unchanged file gives the same *Entry). It judges only the agencies that
// changed, when no law or vendor did and no entry was added or removed;
// otherwise it computes the whole tracker. serve --watch uses it on every
// save.
func (kb *KB) TrackerFrom(prev *Tracker, prevKB *KB, d Date) *Tracker {
	if prev == nil || prev.AsOf != d || !kb.SameRules(prevKB) {
		return kb.Tracker(d)
	}
	agencies := kb.Section("agencies")
	if len(agencies) != len(prev.Agencies) {
		return kb.Tracker(d)
	}
	var changed []int
	for i, a := range agencies {
		if prev.Agencies[i].Agency != a {
			changed = append(changed, i)
		}
	}
	prev.settle() // its lists are read below, or shared
	if len(changed) == 0 {
		t := *prev // nothing to change: the lists are shared, never written
		return &t
	}
	// The agencies made anew: the changed ones, and every agency in a
	// tree of parents and components one of them was or is in (a
	// component points to its parent's status, and a parent to its
	// components'). The others' standing, and the lists they are on, are
	// prev's, shared.
	redo := make(map[string]bool, 2*len(changed))
	var subtree func(as *AgencyStatus)
	subtree = func(as *AgencyStatus) {
		if redo[as.Agency.ID] {
			return
		}
		redo[as.Agency.ID] = true
		for _, c := range as.Components {
			subtree(c)
		}
	}
	root := func(as *AgencyStatus, parent func(*AgencyStatus) *AgencyStatus) *AgencyStatus {
		for n := 0; n < len(prev.Agencies); n++ { // a cycle is a content error, but never loops
			p := parent(as)
			if p == nil {
				break
			}
			as = p
		}
		return as
	}
	oldParent := func(as *AgencyStatus) *AgencyStatus { return as.Parent }
	newParent := func(as *AgencyStatus) *AgencyStatus {
		// Only the changed agencies' parents may differ from prev's.
		if e := kb.byID[as.Agency.ID]; e != nil && e != as.Agency && e.Agency != nil {
			if p := e.Agency.Parent; p != nil {
				return prev.byID[p.ID]
			}
			return nil
		}
		return as.Parent
	}
	for _, i := range changed {
		old := prev.Agencies[i]
		subtree(old)
		subtree(root(old, oldParent))
		subtree(root(old, newParent))
	}
	if len(redo) > len(agencies)/4 {
		return kb.trackerFromAll(prev, d)
	}

	var r *dayRules
	t := &Tracker{AsOf: d, Counts: map[Status]int{}, Agencies: make([]*AgencyStatus, len(agencies)),
		byID: maps.Clone(prev.byID), restrictBy: prev.restrictBy}
	var made []*AgencyStatus // by title, below
	judged := map[*AgencyStatus]bool{}
	hadComponents := map[*AgencyStatus]bool{}
	for i, a := range agencies {
		old := prev.Agencies[i]
		as := old
		if redo[a.ID] {
			var again bool
			as, again = kb.standing(old, a, &r, d)
			judged[as] = again
		}
		if as != old {
			hadComponents[as] = len(old.Components) > 0
			made = append(made, as)
			t.byID[a.ID] = as
		}
		t.Agencies[i] = as
		t.tally(as)
	}
	sort.SliceStable(made, func(i, j int) bool { return lessTitle(made[i].Agency, made[j].Agency) })
	// The made agencies' relations, then each list they were or are on:
	// prev's without them, merged in title order with theirs.
	part := &Tracker{byID: t.byID, byVendor: map[string][]*AgencyStatus{}, byLaw: map[string][]Affected{}}
	part.relateAll(made)
	t.splice = new(sync.Once)
	t.spliced = func() {
		t.spliceLists(prev, part, redo)
		prev, part, redo = nil, nil, nil // done: let go of them
	}
	for _, as := range made {
		// A reason says whether the agency has components.
		if judged[as] || hadComponents[as] != (len(as.Components) > 0) {
			as.Reason = as.reason(kb, d)
		}
	}
	return t
}

// spliceLists makes t's lists of holders and affected agencies from
// prev's: the agencies in redo leave the lists they were on, and join
// those part's relations put them on.
func (t *Tracker) spliceLists(prev, part *Tracker, redo map[string]bool) {
	t.byVendor, t.byLaw = maps.Clone(prev.byVendor), maps.Clone(prev.byLaw)
	vendors, laws := map[string]bool{}, map[string]bool{}
	for id := range redo {
		for _, it := range prev.byID[id].Items {
			if it.Vendor != nil {
				vendors[it.Vendor.ID] = true
			}
			for _, p := range it.Restricting {
				laws[p.Law.ID] = true
			}
		}
	}
	for id := range part.byVendor {
		vendors[id] = true
	}
	for id := range part.byLaw {
		laws[id] = true
	}
	gone := make(map[*AgencyStatus]bool, len(redo))
	for id := range redo {
		gone[prev.byID[id]] = true
	}
	for id := range vendors {
		t.byVendor[id] = spliceByTitle(prev.byVendor[id], gone, part.byVendor[id], func(as *AgencyStatus) *AgencyStatus { return as })
		if len(t.byVendor[id]) == 0 {
			delete(t.byVendor, id)
		}
	}
	for id := range laws {
		t.byLaw[id] = spliceByTitle(prev.byLaw[id], gone, part.byLaw[id], func(a Affected) *AgencyStatus { return a.Status })
		if len(t.byLaw[id]) == 0 {
			delete(t.byLaw, id)
		}
	}
}

// standing returns agency a's status on d for a tracker made from one
// with old: a copy of old, without its relations, if a's entry did not
// change, else a judged again (judged true), with the rules of the day
// worked out into *r the first time.
func (kb *KB) standing(old *AgencyStatus, a *Entry, r **dayRules, d Date) (as *AgencyStatus, judged bool) {
	if old.Agency == a {
		c := *old
		c.Parent, c.Components = nil, nil
		return &c, false
	}
	if *r == nil {
		*r = kb.rulesOn(d)
	}
	g := (*r).governing(a)
	as = kb.judge(a, *r, func(p *Provision) bool { return g.bound[p] }, g, true)
	as.Governing, as.GoverningLaws = g.list, g.laws
	return as, true
}

// spliceByTitle returns old, a list in the order of its agencies' titles,
// without the elements of the agencies in gone (their statuses in old)
// and with add's elements, also in title order, in their places: a new
// list, made by copying runs of old, found by binary search — a law may
// affect tens of thousands of agencies, and a save changes one or two.
func spliceByTitle[T any](old []T, gone map[*AgencyStatus]bool, add []T, status func(T) *AgencyStatus) []T {
	// place is where an agency of this title stands, or would, in old.
	place := func(a *Entry) int {
		return sort.Search(len(old), func(i int) bool { return !lessTitle(status(old[i]).Agency, a) })
	}
	type event struct {
		at     int  // an index in old
		remove bool // old[at] goes; else add[next] comes before old[at]
	}
	var events []event
	for as := range gone {
		if i := place(as.Agency); i < len(old) && status(old[i]) == as {
			events = append(events, event{at: i, remove: true})
		}
	}
	for _, x := range add {
		events = append(events, event{at: place(status(x).Agency)})
	}
	if len(events) == 0 {
		return old
	}
	// At one index, additions come before the removal of old[at].
	slices.SortStableFunc(events, func(a, b event) int {
		if a.at != b.at {
			return a.at - b.at
		}
		if a.remove != b.remove {
			if a.remove {
				return 1
			}
			return -1
		}
		return 0
	})
	out := make([]T, 0, len(old)+len(add))
	from := 0
	for _, ev := range events {
		out = append(out, old[from:ev.at]...)
		from = ev.at
		if ev.remove {
			from++
		} else {
			out, add = append(out, add[0]), add[1:]
		}
	}
	return append(out, old[from:]...)
}

// trackerFromAll is TrackerFrom when many agencies changed: the unchanged
// agencies' standing is copied, the changed ones judged, and every
// relation made again.
func (kb *KB) trackerFromAll(prev *Tracker, d Date) *Tracker {
	agencies := kb.Section("agencies")
	var r *dayRules
	t := &Tracker{AsOf: d, Counts: map[Status]int{}, byID: make(map[string]*AgencyStatus, len(agencies)),
		byVendor: map[string][]*AgencyStatus{}, byLaw: map[string][]Affected{}, restrictBy: prev.restrictBy}
	judged := make([]bool, len(agencies))
	hadComponents := make([]bool, len(agencies))
	for i, a := range agencies {
		old := prev.Agencies[i]
		hadComponents[i] = len(old.Components) > 0
		as, again := kb.standing(old, a, &r, d)
		judged[i] = again
		t.tally(as)
		t.Agencies = append(t.Agencies, as)
		t.byID[a.ID] = as
	}
	t.relate()
	for i, as := range t.Agencies {
		// A reason says whether the agency has components.
		if judged[i] || hadComponents[i] != (len(as.Components) > 0) {
			as.Reason = as.reason(kb, d)
		}
	}
	return t
}

// SameRules reports whether kb holds the same entries by ID as prev, a
// knowledge base loaded before it with the same Cache, and the same laws
// and vendors (the same *Entry: their files did not change). Then an
// agency, incident or page that did not change either stands as it did
// in prev: serve --watch judges, links and indexes only what changed.
func (kb *KB) SameRules(prev *KB) bool {
	if prev == nil || !kb.sameIDs(prev) {
		return false
	}
	if changed, ok := kb.ChangedSince(prev); ok {
		for _, e := range changed {
			if e.Type == TypeLaw || e.Type == TypeVendor {
				return false
			}
		}
		return true
	}
	for _, sec := range []string{"laws", "vendors"} {
		for _, e := range kb.Section(sec) {
			if prev.byID[e.ID] != e {
				return false
			}
		}
	}
	return true
}

// statuses applies the tracker's rules on date d: every agency's status,
// items, laws and counts, but not the relations between agencies and
// vendors or laws (relate) nor the reason sentences.
func (kb *KB) statuses(d Date) *Tracker {
	r := kb.rulesOn(d)
	t := &Tracker{AsOf: d, Counts: map[Status]int{}, byID: map[string]*AgencyStatus{},
		byVendor: map[string][]*AgencyStatus{}, byLaw: map[string][]Affected{}, restrictBy: r.restrictBy}
	// Agencies of one country, region, level and kind are bound by the
	// same provisions, unless a provision names agencies: thousands of
	// agencies share a few hundred such groups, worked out once each.
	groups := map[agencyGroup]*governed{}
	for _, a := range kb.Section("agencies") {
		ag := a.Agency
		key := agencyGroup{ag.Country, ag.Region, ag.Level, ag.Kind}
		g := groups[key]
		if g == nil || g.byName {
			g = r.governing(a)
			if !g.byName {
				groups[key] = g
			}
		}
		as := kb.judge(a, r, func(p *Provision) bool { return g.bound[p] }, g, true)
		as.Governing = g.list
		as.GoverningLaws = g.laws
		t.tally(as)
		t.Agencies = append(t.Agencies, as)
		t.byID[a.ID] = as
	}
	return t
}

// dayRules are the provisions in force on one date, by jurisdiction ("US"
// or "US-NY") and by the vendor whose hardware they restrict.
type dayRules struct {
	d Date
	// restricting is set when a provision in force restricts some
	// hardware, which drones of unknown make may then be.
	restricting    bool
	byJurisdiction map[string][]*Provision
	// restrictBy and restrictLaws share their lists between vendors (see
	// rulesOn): they must not be changed.
	restrictBy   map[string][]*Provision // vendor ID → restricting provisions, sorted
	restrictLaws map[string][]*Entry     // vendor ID → the laws of restrictBy's provisions
	// restrictIn is restrictBy's provisions of each country's laws, in
	// restrictBy's order: those that may bind an agency of that country
	// (Law.Reaches). judge asks binds of these alone: most of the
	// provisions restricting a vendor are other countries' (at 100,000
	// generated entries 78 laws, of many countries, restrict Chinese-made
	// drones).
	restrictIn map[string]map[string][]*Provision // vendor ID → law country → provisions
}

// byLawCountry splits provisions by their laws' country, each list in
// the order of ps.
func byLawCountry(ps []*Provision) map[string][]*Provision {
	m := map[string][]*Provision{}
	for _, p := range ps {
		m[p.Law.Law.Country] = append(m[p.Law.Law.Country], p)
	}
	return m
}

// agencyGroup is what decides which provisions bind an agency, unless a
// provision names agencies one by one.
type agencyGroup struct{ country, region, level, kind string }

// governed is the provisions in force that bind an agency (or every
// agency of its group), sorted, with their laws; the lists are shared
// between the agencies of a group and must not be changed.
type governed struct {
	list   []*Provision
	laws   []*Entry
	bound  map[*Provision]bool
	byName bool // a provision of the agency's jurisdictions names agencies
	// binding caches the laws of the provisions restricting a vendor that
	// bind the group, by vendor ID.
	binding map[string][]*Entry
}

// governing works out the provisions in force that bind agency a.
func (r *dayRules) governing(a *Entry) *governed {
	ag := a.Agency
	g := &governed{bound: map[*Provision]bool{}, binding: map[string][]*Entry{}}
	jurs := r.byJurisdiction[ag.Country]
	if ag.Region != "" {
		jurs = append(append([]*Provision(nil), jurs...), r.byJurisdiction[ag.Region]...)
	}
	for _, p := range jurs {
		if p.Binds != nil && p.Binds.HasAgencies {
			g.byName = true
		}
		if p.BindsAgency(a) {
			g.bound[p] = true
			g.list = append(g.list, p)
		}
	}
	sortProvisions(g.list)
	g.list = g.list[:len(g.list):len(g.list)]
	g.laws = lawsOf(g.list)
	return g
}

func (kb *KB) rulesOn(d Date) *dayRules {
	r := &dayRules{d: d, byJurisdiction: map[string][]*Provision{}, restrictBy: map[string][]*Provision{}, restrictLaws: map[string][]*Entry{},
		restrictIn: map[string]map[string][]*Provision{}}
	byVendorSlug := map[string][]*Provision{}
	byOrigin := map[string][]*Provision{}
	for _, e := range kb.Section("laws") {
		for _, p := range e.Law.Provisions {
			if !p.InForce(d) {
				continue
			}
			jur := e.Law.Country
			if e.Law.Region != "" {
				jur = e.Law.Region
			}
			r.byJurisdiction[jur] = append(r.byJurisdiction[jur], p)
			if !Restricting(p.Measure) {
				continue
			}
			r.restricting = r.restricting || len(p.Restricts.Vendors)+len(p.Restricts.Countries) > 0
			for _, ref := range p.Restricts.Vendors {
				byVendorSlug[ref.ID] = append(byVendorSlug[ref.ID], p)
			}
			for _, c := range p.Restricts.Countries {
				byOrigin[c] = append(byOrigin[c], p)
			}
		}
	}
	// A vendor that no provision names is restricted by its country of
	// origin's provisions alone: those vendors share one list (and its
	// laws) a country, made once. Made for each vendor, the lists cost
	// vendors × provisions a date, which grows with the square of the
	// knowledge base (5,000 vendors and thousands of provisions on
	// Chinese-made hardware at 100,000 entries).
	type origin struct {
		ps   []*Provision
		laws []*Entry
		in   map[string][]*Provision
	}
	origins := map[string]*origin{}
	merged := func(lists ...[]*Provision) []*Provision {
		var ps []*Provision
		seen := map[*Provision]bool{}
		for _, l := range lists {
			for _, p := range l {
				if !seen[p] {
					seen[p] = true
					ps = append(ps, p)
				}
			}
		}
		sortProvisions(ps)
		return ps[:len(ps):len(ps)]
	}
	for _, v := range kb.Section("vendors") {
		if own := byVendorSlug[v.ID]; len(own) > 0 {
			ps := merged(own, byOrigin[v.Vendor.Country])
			r.restrictBy[v.ID], r.restrictLaws[v.ID], r.restrictIn[v.ID] = ps, lawsOf(ps), byLawCountry(ps)
			continue
		}
		o := origins[v.Vendor.Country]
		if o == nil {
			o = &origin{ps: merged(byOrigin[v.Vendor.Country])}
			o.laws, o.in = lawsOf(o.ps), byLawCountry(o.ps)
			origins[v.Vendor.Country] = o
		}
		if len(o.ps) > 0 {
			r.restrictBy[v.ID], r.restrictLaws[v.ID], r.restrictIn[v.ID] = o.ps, o.laws, o.in
		}
	}
	return r
}

// judge applies the rules of date r.d to agency a: the standing of each of
// its fleet items, and its status. binds reports whether a provision in
// force binds the agency; only the provisions restricting its items, of
// laws of the agency's country (dayRules.restrictIn), are asked. Without
// laws it leaves out the lists of laws (RestrictingLaws and the like),
// which a count does not need.
func (kb *KB) judge(a *Entry, r *dayRules, binds func(*Provision) bool, g *governed, laws bool) *AgencyStatus {
	d := r.d
	as := &AgencyStatus{Agency: a}
	ag := a.Agency
	for i := range ag.Fleet {
		f := &ag.Fleet[i]
		obs, ok := f.StatusOn(d)
		if !ok {
			continue
		}
		it := &ItemStatus{Item: f, Status: obs.Status, AsOf: obs.Date, Source: obs.Source, Acquired: obs.Acquisition, Stale: IsStale(obs.Date, d)}
		if it.Source == "" {
			it.Source = f.Source
		}
		if f.UnknownMake {
			it.MaybeRestricted = r.restricting
		} else {
			it.Vendor = kb.byID[f.Vendor.ID]
		}
		if it.Vendor != nil && it.Vendor.Vendor != nil {
			it.Restricting = r.restrictBy[it.Vendor.ID]
			it.Restricted = len(it.Restricting) > 0
		}
		var here []*Provision // those of it.Restricting that may bind the agency
		if it.Restricted {
			here = r.restrictIn[it.Vendor.ID][ag.Country]
		}
		for _, p := range here {
			if !binds(p) {
				continue
			}
			it.Binding = append(it.Binding, p)
			if ex := p.Exemption(a); ex != nil {
				it.Exempting = append(it.Exempting, AppliedExemption{p, ex})
			} else if p.Measure == MeasureOperation {
				it.Banning = append(it.Banning, p)
			}
		}
		if it.Status == StatusActive && !it.Stale {
			it.Current = true
			// Flying against the ban only when seen surely on or after
			// the day it started: a sighting in 2023-06 and a ban from
			// 2023-06-15, or a ban from "2023", may have come first.
			for _, p := range it.Banning {
				if it.AsOf.Before(p.Start.LastDay()) {
					it.Current, it.BeforeBan = false, p
					break
				}
			}
		}
		if laws {
			if it.Restricted {
				it.RestrictingLaws = r.restrictLaws[it.Vendor.ID] // the laws of it.Restricting
			}
			it.BindingLaws = g.bindingLaws(it)
		}
		as.Items = append(as.Items, it)
	}
	as.decide(d, laws)
	return as
}

// bindingLaws returns the laws of the item's binding provisions, which
// depend only on its vendor and the agency's group (unless provisions
// name agencies).
func (g *governed) bindingLaws(it *ItemStatus) []*Entry {
	if g == nil || g.byName || it.Vendor == nil {
		return lawsOf(it.Binding)
	}
	if laws, ok := g.binding[it.Vendor.ID]; ok {
		return laws
	}
	laws := lawsOf(it.Binding)
	g.binding[it.Vendor.ID] = laws
	return laws
}

// relate links components to their parents and indexes who holds each
// vendor's hardware and whom each law affects, in title order.
func (t *Tracker) relate() {
	byTitle := append([]*AgencyStatus(nil), t.Agencies...)
	sort.SliceStable(byTitle, func(i, j int) bool { return lessTitle(byTitle[i].Agency, byTitle[j].Agency) })
	t.relateAll(byTitle)
}

// relateAll relates the agencies, in title order, to their parents in
// t.byID, and to the vendors and laws of their hardware.
func (t *Tracker) relateAll(byTitle []*AgencyStatus) {
	// slot is where an agency stands in a law's list (t.byLaw): the
	// agency's place in byTitle, and its index in the list. One map for
	// every agency, stamped rather than cleared: an agency may fly
	// hardware that hundreds of provisions restrict, and a list searched
	// for each of them made this quadratic.
	type lawSlot struct{ agency, i int }
	slot := map[*Entry]lawSlot{}
	// Each law's list is made once at its length, counted first: grown by
	// append, the long lists of a large knowledge base (a national law
	// affects thousands of agencies) grow by a quarter at a time, and the
	// copies came to nearly five times what the lists keep: 300 MB for
	// the 64 MB of a 100,000-entry tracker's lists.
	for n, as := range byTitle {
		for _, it := range as.Items {
			var law *Entry
			for _, p := range it.Restricting {
				if p.Law == law {
					continue
				}
				law = p.Law
				if s, ok := slot[law]; !ok || s.agency != n {
					slot[law] = lawSlot{n, s.i + 1}
				}
			}
		}
	}
	for law, s := range slot {
		t.byLaw[law.ID] = slices.Grow(t.byLaw[law.ID], s.i)
	}
	clear(slot)
	var vendors []*Entry
	// An agency's items under one law are mostly one: each list starts
	// as one slot of a shared block, with room for no more, so a second
	// item moves it to a slice of its own and never writes into a
	// neighbour's. At 10,000 entries that took the objects the knowledge
	// base and its tracker keep, which the collector marks in every cycle
	// of a build, from 485,000 to 421,000 (BenchmarkStages'
	// kept-by-kb-and-tracker).
	var block []*ItemStatus
	first := func(it *ItemStatus) []*ItemStatus {
		if len(block) == cap(block) {
			block = make([]*ItemStatus, 0, 1024)
		}
		block = append(block, it)
		return block[len(block)-1 : len(block) : len(block)]
	}
	for n, as := range byTitle {
		if p := as.Agency.Agency.Parent; p != nil {
			if parent := t.byID[p.ID]; parent != nil {
				as.Parent = parent
				parent.Components = append(parent.Components, as)
			}
		}
		// An agency has a few vendors: a small list beats a map here.
		vendors = vendors[:0]
		for _, it := range as.Items {
			if it.Vendor != nil && !slices.Contains(vendors, it.Vendor) {
				vendors = append(vendors, it.Vendor)
				t.byVendor[it.Vendor.ID] = append(t.byVendor[it.Vendor.ID], as)
			}
			// Binding and Banning are Restricting's provisions that bind
			// the agency and that ban flying, in Restricting's order.
			bi, ni := 0, 0
			var law *Entry
			var af *Affected
			for _, p := range it.Restricting {
				if p.Law != law {
					law = p.Law
					s, ok := slot[law]
					if !ok || s.agency != n {
						s = lawSlot{n, len(t.byLaw[law.ID])}
						slot[law] = s
						t.byLaw[law.ID] = append(t.byLaw[law.ID], Affected{Status: as})
					}
					af = &t.byLaw[law.ID][s.i]
					if k := len(af.Items); k == 0 {
						af.Items = first(it)
					} else if af.Items[k-1] != it {
						af.Items = append(af.Items, it)
					}
				}
				if bi < len(it.Binding) && it.Binding[bi] == p {
					bi++
					af.Bound = true
				}
				if ni < len(it.Banning) && it.Banning[ni] == p {
					ni++
					af.Banned = af.Banned || it.Current
					af.BanUnknown = af.BanUnknown || (!it.Current && it.Status == StatusActive)
				}
			}
		}
	}
}

// lessTitle orders agencies as the site lists them (CompareTitles): a
// vendor's holders, the agencies a law affects.
func lessTitle(a, b *Entry) bool { return CompareTitles(a, b) < 0 }

// sortProvisions orders provisions by law ID, then position in the law.
func sortProvisions(ps []*Provision) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Law.ID != ps[j].Law.ID {
			return ps[i].Law.ID < ps[j].Law.ID
		}
		return ps[i].Index < ps[j].Index
	})
}

// lawsOf returns the laws of the provisions, each once, sorted by ID.
func lawsOf(ps []*Provision) []*Entry {
	if len(ps) == 0 {
		return nil
	}
	// Sorted, then each law once: a law's provisions sort together, as
	// no two laws share an ID. (A map of the laws seen, made for each
	// list, was 40% of what a 100,000-entry tracker allocated.)
	out := make([]*Entry, len(ps))
	for i, p := range ps {
		out[i] = p.Law
	}
	return eachLawOnce(out)
}

// eachLawOnce sorts laws by ID and returns them each once, in laws'
// memory, clipped so that an append makes a list of its own.
func eachLawOnce(laws []*Entry) []*Entry {
	slices.SortFunc(laws, func(a, b *Entry) int { return strings.Compare(a.ID, b.ID) })
	return slices.Clip(slices.Compact(laws))
}

// SameList reports whether a and b are the same list: the same elements
// in the same memory, as the tracker's shared lists are (an item's
// Restricting and RestrictingLaws are its vendor's, or its country of
// origin's, on the date).
func SameList[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// unionLaws returns the laws of lists, each sorted by ID, each law once,
// sorted by ID. The items of an agency mostly share one list of the laws
// restricting them (a vendor's, or its country of origin's, made once a
// date: dayRules.restrictLaws), which is returned as it is, to be read and
// never changed. Made anew for each agency from the items' provisions, the
// lists took 390 MB of allocations at 100,000 entries (the tracker and its
// earlier dates), 10 MB this way.
func unionLaws(lists [][]*Entry) []*Entry {
	switch len(lists) {
	case 0:
		return nil
	case 1:
		return lists[0]
	}
	return eachLawOnce(slices.Concat(lists...))
}

// decide applies the status rules in order and records which items decided.
func (as *AgencyStatus) decide(d Date, laws bool) {
	var banned, bound, flying, unknown, restricted []*ItemStatus
	var binding, banning []*Provision
	var restricting [][]*Entry // the restricted items' lists of laws, each once
	seenEx := map[AppliedExemption]bool{}
	for _, it := range as.Items {
		// Drones of unknown make may be restricted hardware, when some is:
		// flying, or of unknown status, they leave the status unknown.
		// Grounded or retired, they fly nothing, and nothing shows they
		// were restricted (an item of unknown make is never Restricted):
		// the rest of the fleet decides, and a clear agency's reason names
		// them (reason.go).
		if it.MaybeRestricted && (it.Status == StatusActive || it.Status == StatusUnknown) {
			unknown = append(unknown, it)
			continue
		}
		if !it.Restricted {
			continue
		}
		restricted = append(restricted, it)
		if laws && !slices.ContainsFunc(restricting, func(l []*Entry) bool { return SameList(l, it.RestrictingLaws) }) {
			restricting = append(restricting, it.RestrictingLaws)
		}
		binding = append(binding, it.Binding...)
		for _, ex := range it.Exempting {
			if !seenEx[ex] {
				seenEx[ex] = true
				as.Exemptions = append(as.Exemptions, ex)
			}
		}
		switch {
		case it.Current:
			flying = append(flying, it)
			if len(it.Banning) > 0 {
				banned = append(banned, it)
				banning = append(banning, it.Banning...)
			}
			if len(it.Binding) > 0 {
				bound = append(bound, it)
			}
		case it.Status == StatusActive, it.Status == StatusUnknown:
			unknown = append(unknown, it)
		}
	}
	if laws {
		as.RestrictingLaws = unionLaws(restricting)
		as.BindingLaws = lawsOf(binding)
		as.BanningLaws = lawsOf(banning)
		var exempting []*Provision
		for _, ex := range as.Exemptions {
			exempting = append(exempting, ex.Provision)
		}
		as.ExemptingLaws = lawsOf(exempting)
	}
	switch {
	case len(banned) > 0:
		as.Status, as.Deciding = FlyingBanned, banned
	case len(bound) > 0:
		as.Status, as.Deciding = FlyingRestricted, bound
	case len(flying) > 0:
		as.Status, as.Deciding = FlyingRestrictedUnbound, flying
	case len(unknown) > 0:
		as.Status, as.Deciding = StatusUnknownHardware, unknown
		as.Why = unknownWhy(unknown)
	case len(restricted) > 0:
		as.Status, as.Deciding = GroundedRestricted, restricted
	case len(as.Items) > 0:
		as.Status, as.Deciding = Clear, as.Items
	default:
		as.Status = NoRecord
		return
	}
	as.Stale = true
	for _, it := range as.Deciding {
		if it.AsOf.After(as.LastSeen) {
			as.LastSeen = it.AsOf
		}
		as.Stale = as.Stale && it.Stale
	}
}

// tally counts the agency's status in the tracker's counts.
func (t *Tracker) tally(as *AgencyStatus) {
	t.Counts[as.Status]++
	switch {
	case as.Status != StatusUnknownHardware:
	case as.Why == UnknownStale || as.Why == UnknownBeforeBan:
		t.UnknownOld++
	case as.Why == UnknownMake:
		t.UnknownMake++
	case as.Why == UnknownStatus:
		t.UnknownUse++
	}
}

// Only keeps the agencies keep reports true for, in their order, and
// counts those alone: the headline numbers and counts of a tracker shown
// for some statuses are those of the agencies it shows. Only the list
// and the counts change; looking an agency up still finds every agency.
func (t *Tracker) Only(keep func(*AgencyStatus) bool) {
	kept := t.Agencies[:0:0]
	t.Counts, t.UnknownOld, t.UnknownMake, t.UnknownUse = map[Status]int{}, 0, 0, 0
	for _, as := range t.Agencies {
		if keep(as) {
			kept = append(kept, as)
			t.tally(as)
		}
	}
	t.Agencies = kept
}

// EvidenceVerb says what the evidence dated LastSeen is: "seen" when an
// item was seen flying that day, "acquired" when the evidence of that day
// is a purchase alone, which shows the agency had the drones but is no
// sighting, and "reported" when the report was of drones grounded,
// retired or of unknown status.
func (as *AgencyStatus) EvidenceVerb() string {
	verb, _ := as.evidence()
	return verb
}

// LastSeenSource is the source of the evidence dated LastSeen, the one
// EvidenceVerb names; "" when nothing decides.
func (as *AgencyStatus) LastSeenSource() string {
	_, src := as.evidence()
	return src
}

// evidence picks, of the deciding items observed on LastSeen, the one the
// evidence column speaks of: one seen flying, else one acquired, else the
// first reported; it returns what that evidence is and its source (of
// the first such item that gives one).
func (as *AgencyStatus) evidence() (verb, src string) {
	rank := 0 // 3 seen, 2 acquired, 1 reported
	for _, it := range as.Deciding {
		if it.AsOf != as.LastSeen {
			continue
		}
		r, v := 1, "reported"
		switch {
		case it.Status == StatusActive && !it.Acquired:
			r, v = 3, "seen"
		case it.Status == StatusActive:
			r, v = 2, "acquired"
		}
		if r > rank || r == rank && src == "" {
			rank, verb = r, v
			src = it.Source
		}
	}
	if rank == 0 {
		verb = "reported"
	}
	return verb, src
}

// unknownWhy names what makes the items unknown, the most telling first:
// evidence from before a ban, then old evidence, then a status nobody
// knows, then an unknown make. Drones of unknown make count as an unknown
// make however old or uncertain their reports: a newer report that named
// no make would not settle whether a law restricts them, so an agency
// with no other drone in question is unknown for their make.
func unknownWhy(items []*ItemStatus) string {
	why := ""
	rank := map[string]int{UnknownBeforeBan: 4, UnknownStale: 3, UnknownStatus: 2, UnknownMake: 1, "": 0}
	for _, it := range items {
		w := UnknownStatus
		switch {
		case it.Item.UnknownMake:
			w = UnknownMake
		case it.BeforeBan != nil:
			w = UnknownBeforeBan
		case it.Status == StatusActive:
			w = UnknownStale
		}
		if rank[w] > rank[why] {
			why = w
		}
	}
	return why
}
