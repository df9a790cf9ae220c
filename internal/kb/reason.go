package kb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dronekb/dronekb/internal/iso3166"
)

// ReasonPart is a piece of the sentence that explains a tracker status:
// text, or the source of the observation just named (Source set, Text
// empty), which pages render as a citation. A date in the text is marked,
// DateMark, its ISO form between the two bytes: ReasonText drops the
// marks, and a page writes the date as readers read it (ReasonDates).
type ReasonPart struct {
	Text   string
	Source string
}

// DateMark opens and closes a date in a reason's text.
const DateMark = "\x1e\x1f"

// markDate writes d for a reason's text, marked (DateMark).
func markDate(d Date) string { return DateMark[:1] + d.String() + DateMark[1:] }

var dropMarks = strings.NewReplacer(DateMark[:1], "", DateMark[1:], "")

// ReasonText returns the agency's reason as plain text, without citations,
// its dates as ISO 8601 gives them (2025-02-28).
func (as *AgencyStatus) ReasonText() string {
	var b strings.Builder
	for _, p := range as.Reason {
		b.WriteString(dropMarks.Replace(p.Text))
	}
	return b.String()
}

// ReasonWords returns the agency's reason as plain text, without
// citations, its dates as pages write them (28 February 2025): what a page
// shows, and an Atom feed's summary.
func (as *AgencyStatus) ReasonWords() string {
	var b strings.Builder
	for _, p := range as.Reason {
		ReasonDates(p.Text, func(t string) { b.WriteString(t) }, func(d Date) { b.WriteString(d.Human()) })
	}
	return b.String()
}

// ReasonDates calls text with each run of a reason part's text between its
// dates, and date with each date, in order.
func ReasonDates(s string, text func(string), date func(Date)) {
	for {
		i := strings.IndexByte(s, DateMark[0])
		if i < 0 {
			text(s)
			return
		}
		j := strings.IndexByte(s[i:], DateMark[1])
		if j < 0 {
			text(dropMarks.Replace(s))
			return
		}
		text(s[:i])
		if d, err := ParseDate(s[i+1 : i+j]); err == nil {
			date(d)
		} else {
			text(s[i+1 : i+j])
		}
		s = s[i+j+1:]
	}
}

// maxNamed is how many items or laws a reason names before "and N more".
const maxNamed = 3

// reason builds the sentence that says why the agency has its status. It
// never says more than the observations and provisions behind the status.
// An agency with components says that they are judged apart: each has a
// status (and on the tracker a row, marked as part of it) of its own,
// rather than a place on its row, which for a national force of hundreds
// of units would be longer than the table. It does not say they are
// listed: a table of an earlier date leaves out those with no fleet then.
func (as *AgencyStatus) reason(k *KB, d Date) []ReasonPart {
	r := &reasonBuilder{kb: k}
	as.statusReason(r, d)
	// Said from the knowledge base rather than as.Components, which
	// StatusesOn, judging an earlier date's agencies alone, leaves empty.
	if k.hasComponents(as.Agency) {
		r.text(" Its components are judged on their own, each with its status.")
	}
	return r.parts
}

// hasComponents reports whether an agency is another's parent: one of the
// entries that refer to it names it as its parent.
func (k *KB) hasComponents(a *Entry) bool {
	for _, b := range k.ReferencedBy(a.ID) {
		if b.From.Agency != nil && b.From.Agency.Parent != nil && b.From.Agency.Parent.ID == a.ID && b.From != a {
			return true
		}
	}
	return false
}

// statusReason says why the agency has its status.
func (as *AgencyStatus) statusReason(r *reasonBuilder, d Date) {
	items := as.Deciding
	switch as.Status {
	case NoRecord:
		r.text("No fleet is on record for this agency on %s: nothing is known of its drones, which is not the same as having none.", d)
	case Clear:
		var unmade []*ItemStatus
		for _, it := range as.Items {
			if it.MaybeRestricted {
				unmade = append(unmade, it)
			}
		}
		if len(unmade) == 0 {
			r.text("Its fleet on record (%s, latest observation %s) holds no hardware that a law in force restricts.", count(len(as.Items), "item", "items"), as.LastSeen)
			break
		}
		// Clear of what is known: the drones whose make no source
		// establishes may have been restricted, and none flies on the date
		// (grounded, retired; some were never seen flying).
		r.text("Its fleet on record (%s, latest observation %s) holds no hardware known to be restricted: no source establishes the make of ", count(len(as.Items), "item", "items"), as.LastSeen)
		r.items(unmade, seen)
		// Their grounded or retired observation is all that is known:
		// not that the agency flies nothing else of the kind.
		r.text(", %s recorded as grounded or retired on this date.", verb(len(unmade), "which is", "which are"))
	case GroundedRestricted:
		r.text("Its restricted drones are all grounded or retired: ")
		r.items(items, seen)
		r.text(".")
		r.exempt(as, " It is exempt from", ".")
	case StatusUnknownHardware:
		r.unknown(as, d)
		r.exempt(as, " It is exempt from", ".")
	case FlyingBanned:
		r.text("%s", flies(items))
		r.items(items, seen)
		r.bought(items)
		p := items[0].Banning[0]
		r.text(", although an operating ban binds it: %s has banned flying %s %s", p.Label(), r.hardware(p), since(p))
		r.exempt(as, " (it is exempt from", ")")
		r.text(".")
	case FlyingRestricted:
		r.text("%s", flies(items))
		r.items(items, seen)
		r.bought(items)
		p := strongestBinding(as, items[0].Binding)
		if ex := exemptionFrom(as, p); p.Measure == MeasureOperation || ex != nil {
			// Every provision binding it exempts it: name the one that
			// matters most, an operating ban if there is one.
			r.text("; %s %s %s, but exempts this agency", p.Label(), r.measurePhrase(p), since(p))
			if ex != nil {
				if ex.Uses != "" {
					r.text(" for %s", ex.Uses)
				}
				r.cite(ex.Source)
			}
			r.text(".")
			return
		}
		if p.Measure == MeasureFunding {
			// A funding rule binds the agency only in what it pays for
			// with the money the law governs.
			r.text("; %s %s %s, which binds this agency when it spends that money", p.Label(), r.measurePhrase(p), since(p))
		} else {
			r.text("; %s binds this agency and %s %s", p.Label(), r.measurePhrase(p), since(p))
		}
		r.exempt(as, "; it is exempt from", "")
		r.text(".")
	case FlyingRestrictedUnbound:
		r.text("%s", flies(items))
		r.items(items, seen)
		r.bought(items)
		// The laws of its own jurisdiction first: they are the ones a
		// reader expects, and another state's act the least telling. The
		// tracker knows only the laws on record and the agencies their
		// binds name, and says so.
		laws := NearestLawsFirst(as.Agency, as.RestrictingLaws)
		far, foreign := OtherJurisdictions(as.Agency, laws)
		if foreign == len(laws) {
			// Every one another country's: none can bind it, and the
			// sentence says whose they are rather than leave a reader to
			// think a French force is let off a French law.
			r.text("; %s (%s) %s this hardware, and %s this agency.", verb(len(laws), "1 law of another country", fmt.Sprintf("%d laws of other countries", len(laws))), names(laws), verb(len(laws), "restricts", "restrict"), verb(len(laws), "it does not bind", "none binds"))
			break
		}
		r.text("; %s in force %s this hardware (%s), but %s recorded as binding this agency", count(len(laws), "law", "laws"), verb(len(laws), "restricts", "restrict"), names(laws), verb(len(laws), "it is not", "none is"))
		// Those of another state or country could not bind it at all:
		// "not recorded" is said only of the rest.
		if c := FarLaws(far, len(laws)); c != "" {
			r.text("; %s.", c)
		} else {
			r.text(".")
		}
	}
}

// unknown explains an unknown status: each kind of item that makes it
// unknown gets its clause, the most telling first — sightings from before
// a ban, sightings too old, drones of unknown make, statuses nobody knows.
// Drones of unknown make are told apart in each: for them a newer report
// alone would not settle the status, as it would not say whether a law
// restricts them, so their clauses say both what is old or unknown and
// that no source establishes their make.
func (r *reasonBuilder) unknown(as *AgencyStatus, d Date) {
	var before, old, oldUnmade, unmade, unknown, unknownUnmade []*ItemStatus
	for _, it := range as.Deciding {
		switch {
		case it.BeforeBan != nil:
			before = append(before, it)
		case it.Status == StatusActive && !it.Current && it.Item.UnknownMake:
			oldUnmade = append(oldUnmade, it)
		case it.Status == StatusActive && !it.Current:
			old = append(old, it)
		case it.Item.UnknownMake && it.Status == StatusActive:
			unmade = append(unmade, it)
		case it.Item.UnknownMake:
			unknownUnmade = append(unknownUnmade, it)
		default:
			unknown = append(unknown, it)
		}
	}
	// Newest observation first in each list: a list names maxNamed items
	// and counts the rest.
	newest := func(a, b *ItemStatus) int { return b.AsOf.Compare(a.AsOf) }
	slices.SortStableFunc(before, newest)
	slices.SortStableFunc(old, newest)
	slices.SortStableFunc(oldUnmade, newest)
	sep := func() {
		if len(r.parts) > 0 {
			r.text(" ")
		}
	}
	if len(before) > 0 {
		p := before[0].BeforeBan
		what := "sighting"
		if allAcquired(before) {
			what = "purchase"
		}
		if len(before) > 1 {
			what += "s"
		}
		still := r.lastSeen(before)
		switch {
		case p.InForceBy:
			// The ban may have applied before the sighting: the tracker
			// does not count it as flying against the ban, and does not
			// say the sighting came first either.
			r.text("; a source first shows %s banning flying %s on %s, and the day it took effect is not on record, so whether the %s came before the ban is not known; no later source says whether it %s them.", p.Label(), r.hardware(p), p.Start, what, still)
		case !as.SurelyBeforeBan(): // "before the ban" only when every one of them surely was
			// A sighting and a ban dated within one month or year, or a
			// ban whose start is only the day a source first shows it.
			r.text("; %s banned flying %s %s, and whether the %s came before it is not known; no later source says whether it %s them.", p.Label(), r.hardware(p), onDate(p.Start), what, still)
		default:
			r.text(", before %s banned flying %s %s; no later source says whether it %s them.", p.Label(), r.hardware(p), onDate(p.Start), still)
		}
	}
	for _, old := range []struct {
		items []*ItemStatus
		close string
	}{
		{old, "no newer source says whether it %s them."},
		{oldUnmade, unknownMake + ", and no newer source says whether it %s them."},
	} {
		if len(old.items) > 0 {
			sep()
			still := r.lastSeen(old.items)
			r.text(", more than %d months before %s; "+old.close, StaleMonths, d, still)
		}
	}
	if len(unmade) > 0 {
		sep()
		r.text("%s", flies(unmade))
		r.items(unmade, seen)
		r.text("; %s.", unknownMake)
	}
	r.unknownStatus(unknown, d, "", sep)
	r.unknownStatus(unknownUnmade, d, unknownMake+", and ", sep)
}

// flies opens a sentence on items whose latest observation is active:
// "Flies ", or "Has " when each is known only from its acquisition, which
// shows the agency had the drones, not that it was seen flying them.
func flies(items []*ItemStatus) string {
	if allAcquired(items) {
		return "Has "
	}
	return "Flies "
}

func allAcquired(items []*ItemStatus) bool {
	for _, it := range items {
		if !it.Acquired {
			return false
		}
	}
	return len(items) > 0
}

// FarLaws says, of total laws that restrict an agency's drones without
// binding it, that far of them are another state's or country's, which
// could not bind it at all: "it is another jurisdiction's law, which
// cannot bind it", "both are …", "all 3 are …", "one of them is …", "2 of
// them are …"; "" when far is 0. The tracker's reason and the agency's
// page both say it in these words.
func FarLaws(far, total int) string {
	const one, many = "another jurisdiction's law, which cannot bind it", "other jurisdictions' laws, which cannot bind it"
	switch {
	case far == 0:
		return ""
	case far == total && far == 1:
		return "it is " + one
	case far == total && far == 2:
		return "both are " + many
	case far == total:
		return fmt.Sprintf("all %d are %s", far, many)
	case far == 1:
		return "one of them is " + one
	}
	return fmt.Sprintf("%d of them are %s", far, many)
}

// countsRest reports whether a list of n names stops at its i-th and
// counts the rest ("and 3 more"): at maxNamed, unless one more is all
// that is left, which is named rather than counted.
func countsRest(i, n int) bool { return i == maxNamed && n > maxNamed+1 }

// onDate puts a date in a sentence: "on 2026-02-14", or "in 2026-02" and
// "in 2026" for a month or a year, which no "on" fits.
func onDate(d Date) string {
	if d.Day == 0 {
		return "in " + markDate(d)
	}
	return "on " + markDate(d)
}

// bought says, after items known only from their purchase, what the status
// makes of them: the label says the agency flies them, and the sentence
// says why it counts so.
func (r *reasonBuilder) bought(items []*ItemStatus) {
	if allAcquired(items) {
		r.text(", %s the tracker counts as in service for %d months", verb(len(items), "a purchase", "purchases"), StaleMonths)
	}
}

// lastSeen names items whose last active observation is too old to count,
// with their dates: "Last seen flying 2 × DJI on 2021-03", or, when each
// is known only from its acquisition, "Acquired 19 × DJI on 2021-07". It
// returns what the agency is not known to do with them now: "still
// flies", or "flies".
func (r *reasonBuilder) lastSeen(items []*ItemStatus) (still string) {
	if allAcquired(items) {
		r.text("Acquired ")
		r.items(items, func(it *ItemStatus) string { return " " + onDate(it.AsOf) })
		return "flies"
	}
	r.text("Last seen flying ")
	r.items(items, on)
	return "still flies"
}

// unknownMake is the clause that says why drones of unknown make leave a
// status unknown.
const unknownMake = "no source establishes their make, so whether a law restricts them is not known"

// unknownStatus explains items reported of unknown status; lead comes
// before the clause that says no source tells whether it flies them
// (the unknown make's clause and "and ", or nothing). sep separates it
// from what came before.
func (r *reasonBuilder) unknownStatus(unknown []*ItemStatus, d Date, lead string, sep func()) {
	// An item reported of unknown status says when it was last seen
	// flying, if it ever was, and cites that source beside the report's:
	// the report's date alone read as a recent sighting.
	type flew struct {
		it   *ItemStatus
		last Observation
	}
	var flown []flew
	var never []*ItemStatus
	for _, it := range unknown {
		if o, ok := lastFlying(it, d); ok {
			flown = append(flown, flew{it, o})
		} else {
			never = append(never, it)
		}
	}
	// Newest sighting first: the list stops at maxNamed.
	slices.SortStableFunc(flown, func(a, b flew) int { return b.last.Date.Compare(a.last.Date) })
	if len(flown) > 0 {
		sep()
		// One lead for sightings alone; when a purchase is among them,
		// each item says which it was: a purchase is no sighting.
		each := slices.ContainsFunc(flown, func(f flew) bool { return f.last.Acquisition })
		if !each {
			r.text("Last seen flying ")
		}
		for i, f := range flown {
			if countsRest(i, len(flown)) {
				r.text("; and %s", count(len(flown)-maxNamed, "more item", "more items"))
				break
			}
			if i > 0 {
				r.text("; ") // each item has its clauses
			}
			verb := ""
			switch {
			case each && f.last.Acquisition:
				verb = "acquired "
			case each:
				verb = "last seen flying "
			}
			if i == 0 && verb != "" {
				verb = strings.ToUpper(verb[:1]) + verb[1:]
			}
			r.text("%s%s %s", verb, ItemLabel(f.it.Vendor, f.it.Item), onDate(f.last.Date))
			r.cite(f.last.Source)
			if f.it.Status == StatusUnknown {
				r.text(", its status unknown in a source of %s", f.it.AsOf)
				r.cite(f.it.Source)
			}
		}
		still := "still flies"
		if !slices.ContainsFunc(flown, func(f flew) bool { return !f.last.Acquisition }) {
			still = "flies" // bought, never seen flying
		}
		r.text("; %sno later source says whether it %s them.", lead, still)
	}
	if len(never) > 0 {
		sep()
		r.text("Its fleet on record includes ")
		r.items(never, func(it *ItemStatus) string { return " (status unknown since " + markDate(it.AsOf) + ")" })
		r.text("; %sno source says whether it flies them.", lead)
	}
}

// lastFlying returns the item's latest active observation up to the one
// its status on date d stands on, of those that count on d, with its
// source (the item's own when the observation names none).
func lastFlying(it *ItemStatus, d Date) (Observation, bool) {
	var last Observation
	found := false
	upTo := Observation{Date: it.AsOf, Status: it.Status}.order()
	for _, o := range it.Item.Observations() {
		if o.order().After(upTo) {
			break
		}
		if o.Status == StatusActive && !o.From().After(d) {
			last, found = o, true
		}
	}
	if found && last.Source == "" {
		last.Source = it.Item.Source
	}
	return last, found
}

type reasonBuilder struct {
	kb    *KB
	parts []ReasonPart
}

func (r *reasonBuilder) text(format string, args ...any) {
	for i, a := range args {
		if d, ok := a.(Date); ok {
			args[i] = markDate(d)
		}
	}
	s := fmt.Sprintf(format, args...)
	if n := len(r.parts); n > 0 && r.parts[n-1].Source == "" {
		r.parts[n-1].Text += s
		return
	}
	r.parts = append(r.parts, ReasonPart{Text: s})
}

func (r *reasonBuilder) cite(url string) {
	if url != "" {
		r.parts = append(r.parts, ReasonPart{Source: url})
	}
}

// items names up to maxNamed items, each with its count, make and model,
// then what when(it) says of it (its observation), and its source.
func (r *reasonBuilder) items(items []*ItemStatus, when func(*ItemStatus) string) {
	for i, it := range items {
		if countsRest(i, len(items)) {
			r.text(" and %s", count(len(items)-maxNamed, "more item", "more items"))
			return
		}
		if i > 0 {
			if i == len(items)-1 {
				r.text(" and ")
			} else {
				r.text(", ")
			}
		}
		r.text("%s%s", ItemLabel(it.Vendor, it.Item), when(it))
		r.cite(it.Source)
	}
}

// seen says what the item's observation was and when: " (seen flying 2026-02)".
func seen(it *ItemStatus) string {
	if it.Acquired {
		return " (acquired " + markDate(it.AsOf) + ")"
	}
	return fmt.Sprintf(" (%s %s)", observed[it.Status], markDate(it.AsOf))
}

// on dates the observation: " on 2026-02-14", " in 2026-02", or " (acquired 2021-08)".
func on(it *ItemStatus) string {
	if it.Acquired {
		return " (acquired " + markDate(it.AsOf) + ")"
	}
	return " " + onDate(it.AsOf)
}

// observed says what an observation of each status means, as a phrase
// before its date.
var observed = map[string]string{
	StatusActive:   "seen flying",
	StatusGrounded: "grounded",
	StatusRetired:  "retired",
	StatusUnknown:  "status unknown as of",
}

// exempt names the agency's exemption from a provision restricting its
// hardware — an operating ban's first, since that is the one that matters
// most — with its uses and source: lead + " ASDA for federal criminal
// investigations" + close. An exemption the law grants as a whole is named
// by the law, one a single provision grants by the provision.
func (r *reasonBuilder) exempt(as *AgencyStatus, lead, close string) {
	if len(as.Exemptions) == 0 {
		return
	}
	ex := as.Exemptions[0]
	for _, e := range as.Exemptions {
		if e.Provision.Measure == MeasureOperation {
			ex = e
			break
		}
	}
	name := ex.Provision.Label()
	law := ex.Provision.Law
	for i := range law.Law.Exempts {
		if &law.Law.Exempts[i] == ex.Exemption {
			name = law.Law.Name(law)
		}
	}
	r.text("%s %s", lead, name)
	if ex.Exemption.Uses != "" {
		r.text(" for %s", ex.Exemption.Uses)
	}
	r.cite(ex.Exemption.Source)
	r.text("%s", close)
}

// strongestBinding picks, of the provisions binding an agency that flies
// what they restrict, the one its reason names: one that does not exempt
// it before one that does; of those, a purchase ban (which binds it
// whatever money it spends) before a funding rule (which binds it only
// with the money it governs); of those that exempt it, an operating ban
// first, the exemption that matters most; in law order otherwise.
func strongestBinding(as *AgencyStatus, binding []*Provision) *Provision {
	bound := map[string]int{MeasureProcurement: 0, MeasureFunding: 1, MeasureOperation: 2}
	exempt := map[string]int{MeasureOperation: 10, MeasureProcurement: 11, MeasureFunding: 12}
	rank := func(p *Provision) int {
		order, other := bound, 3
		if exemptionFrom(as, p) != nil {
			order, other = exempt, 13
		}
		if n, ok := order[p.Measure]; ok {
			return n
		}
		return other
	}
	best := binding[0]
	for _, p := range binding[1:] {
		if rank(p) < rank(best) {
			best = p
		}
	}
	return best
}

func exemptionFrom(as *AgencyStatus, p *Provision) *Exemption {
	for _, ex := range as.Exemptions {
		if ex.Provision == p {
			return ex.Exemption
		}
	}
	return nil
}

// ItemLabel names a fleet item for people: "12 × DJI Mavic 3", "2 drones
// of unknown make", or the vendor's slug when it does not resolve.
func ItemLabel(vendor *Entry, f *FleetItem) string {
	name := f.Vendor.Slug()
	switch {
	case f.UnknownMake:
		name = "drones of unknown make"
		if f.Model != "" {
			name = f.Model + " (make unknown)"
		}
	case vendor != nil:
		name = vendor.Title
	}
	if !f.UnknownMake && f.Model != "" {
		name += " " + f.Model
	}
	switch {
	case f.Count > 0 && f.UnknownMake && f.Model == "":
		name = fmt.Sprintf("%d %s", f.Count, name) // "2 drones of unknown make"
	case f.Count > 0:
		name = fmt.Sprintf("%d × %s", f.Count, name)
	}
	return name
}

// hardware describes what a provision restricts: "DJI drones", "drones
// from makers based in China". A country restricts a vendor by the
// vendor's country, not by where a drone was built: "made in China"
// said more than the model knows.
func (r *reasonBuilder) hardware(p *Provision) string {
	var parts []string
	for _, v := range p.Restricts.Vendors {
		name := v.Slug()
		if e := r.kb.byID[v.ID]; e != nil {
			name = e.Title
		}
		parts = append(parts, name+" drones")
	}
	if len(p.Restricts.Countries) > 0 {
		var names []string
		for _, c := range p.Restricts.Countries {
			n, ok := iso3166.Country(c)
			if !ok {
				n = c
			}
			names = append(names, CountryInSentence(n))
		}
		parts = append(parts, "drones from makers based in "+joinAnd(names, "or"))
	}
	return joinAnd(parts, "and")
}

// measurePhrase says what a restricting provision forbids the agencies it binds.
func (r *reasonBuilder) measurePhrase(p *Provision) string {
	switch p.Measure {
	case MeasureOperation:
		return "bans flying " + r.hardware(p)
	case MeasureProcurement:
		return "bars buying " + r.hardware(p)
	case MeasureFunding:
		return "bars spending the money it governs on " + r.hardware(p)
	}
	return "restricts " + r.hardware(p)
}

func names(laws []*Entry) string {
	var out []string
	for i, l := range laws {
		if countsRest(i, len(laws)) {
			out = append(out, fmt.Sprintf("%d more", len(laws)-maxNamed))
			break
		}
		out = append(out, l.Law.Name(l))
	}
	return joinAnd(out, "and")
}

func joinAnd(list []string, conj string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " " + conj + " " + list[len(list)-1]
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CountryInSentence gives a country's name as a sentence says it: "the
// Russian Federation", "the United States", "the Netherlands", "the
// Democratic Republic of the Congo" (ISO's "Congo, The Democratic Republic
// of the"), but "China".
func CountryInSentence(name string) string {
	if head, tail, ok := strings.Cut(name, ", "); ok {
		name = tail + " " + head // "Virgin Islands, British": "British Virgin Islands"
	}
	if rest, ok := strings.CutPrefix(name, "The "); ok {
		return "the " + rest
	}
	for _, word := range strings.Fields(name) {
		switch word {
		case "Republic", "Federation", "Kingdom", "States", "Emirates", "Islands":
			return "the " + name
		}
	}
	switch {
	case strings.HasPrefix(name, "Holy See"):
		return "the " + name
	case name == "Netherlands", name == "Philippines", name == "Bahamas", name == "Gambia", name == "Maldives", name == "Comoros", name == "Seychelles":
		return "the " + name
	}
	return name
}

// since says from when a provision applies, for a reason's sentence, its
// date marked: "since 2025-12-22", or "since 2025-02-28 at the latest"
// when its start is only the day a source first shows it in force
// (InForceBy).
func since(p *Provision) string {
	if p.InForceBy {
		return "since " + markDate(p.Start) + " at the latest"
	}
	return "since " + markDate(p.Start)
}
