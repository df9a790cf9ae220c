package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/geo"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/markdown"
	"github.com/dronekb/dronekb/internal/titlesort"
)

// EntryView is what an entry's layout receives as .Data.
type EntryView struct {
	E         *kb.Entry
	Body      template.HTML
	Backlinks []BacklinkGroup
	Related   []*kb.Entry
	Agency    *AgencyView
	Vendor    *VendorView
	Law       *LawView
	Incident  *IncidentView
}

// BacklinkGroup is the entries of one section that reference an entry.
type BacklinkGroup struct {
	Section kb.Section
	Links   []kb.Backlink // the first sampleRows
	More    int           // how many more there are
	// List is Links as an HTML list, each item the entry's link and the
	// fields that make the reference: <li><a …>NYPD</a> <span class="meta">(fleet)</span></li>.
	List template.HTML
}

// backlinkList renders a group's links. It is Go rather than template code
// because it is the longest repeated fragment of the site (up to sampleRows
// items a section on every entry page), and a template spends several
// reflective calls on each item.
func (s *Site) backlinkList(links []kb.Backlink) template.HTML {
	b := newFragment()
	b.WriteString("<ul>\n")
	for _, bl := range links {
		b.WriteString("  <li>")
		b.WriteString(string(s.link(bl.From)))
		b.WriteString(` <span class="meta">(`)
		for i, f := range bl.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			label := f
			if l, ok := fieldLabels[f]; ok {
				label = l
			}
			b.WriteString(html.EscapeString(label))
		}
		b.WriteString(")</span></li>\n")
	}
	b.WriteString("</ul>")
	return b.html()
}

// AgencyView adds the tracker's view of an agency.
type AgencyView struct {
	Status   *kb.AgencyStatus
	Reason   template.HTML // the status's sentence, its sources cited
	Parent   *kb.Entry
	Children []*kb.Entry
	Fleet    []FleetRow
	Timeline []TimelineEvent
	// TimelineSVG draws the timeline, its list the text alternative.
	TimelineSVG, TimelineLegend template.HTML
	// Laws are the provisions in force that restrict its hardware and
	// bind it, or exempt it, each with what it does to this agency.
	Laws []LawRelation
	// Elsewhere are the provisions in force of the first sampleLaws laws
	// that restrict its hardware without binding it (other jurisdictions'
	// laws, or its country's that bind other agencies), those of its own
	// jurisdiction first; ElsewhereMore counts the laws left out, and
	// ElsewhereMakers are the makers of its restricted drones, whose pages
	// list every law that restricts them. Laws are counted, not
	// provisions, as the fleet table counts them: "and 3 more" counted a
	// phased law's provisions and did not add up (found in review).
	Elsewhere       []LawRelation
	ElsewhereMore   int
	ElsewhereMakers []*kb.Entry
	// ElsewhereForeign says that every one of them is another country's:
	// none could bind it, and the page says so rather than "not recorded".
	// ElsewhereFar says, as a sentence, how many of them are another
	// state's or country's, which could not bind it either (kb.FarLaws);
	// "" when none is, or when all are other countries'. It is the
	// tracker's own words and a number, no content, so it goes into the
	// page as it is, its apostrophes unescaped like the template's own.
	ElsewhereForeign bool
	ElsewhereFar     template.HTML
	// Governing are the provisions of the first sampleLaws other laws in
	// force that bind it (they restrict none of its drones); GoverningMore
	// counts the laws left out.
	Governing     []LawRelation
	GoverningMore int
	// ExemptFrom are the other provisions in force that bind it but exempt
	// it, grouped by exemption: each group's uses and source once.
	ExemptFrom []ExemptGroup
}

// ExemptGroup is one exemption's provisions that bind an agency but exempt
// it, with what for and the text that grants it.
type ExemptGroup struct {
	Uses, Source string
	Laws         []LawRelation
}

// sampleLaws is how many provisions that merely govern an agency its page
// lists; in a dense jurisdiction there are hundreds.
const sampleLaws = 10

// LawRelation is a provision in force and what it does to one agency.
type LawRelation struct {
	P            *kb.Provision
	Restricts    bool   // restricts hardware the agency holds
	Binds        bool   // binds the agency
	Bans         bool   // an operating ban the agency flies against (no exemption)
	Exempt       bool   // it exempts the agency from restricting its drones
	ExemptFrom   bool   // it binds the agency but exempts it, restricting none of its drones
	ExemptUses   string // what for
	ExemptSource string // the URL of the text that grants it
}

// FleetRow is a fleet item with its vendor and its standing on the site's date.
type FleetRow struct {
	Item   *kb.FleetItem
	Vendor *kb.Entry
	Label  string
	Now    *kb.ItemStatus // nil when the item is not yet in the fleet on the date
}

// TimelineEvent is one dated observation of a fleet item.
type TimelineEvent struct {
	Date     kb.Date
	Law      *kb.Entry // for a law's event
	Agency   *kb.Entry // for an agency's observation on a law's timeline
	What     string    // "acquired", "flying", "grounded", "retired", "status unknown"
	Item     string
	Vendor   *kb.Entry
	SourceN  int
	Source   string
	IsFuture bool // after the site's date
	// Pending is set for a date given as a month or a year that holds the
	// site's date, which the tracker counts only from its period's end
	// (kb.Pending).
	Pending bool
}

// VendorView adds who flies a vendor's hardware and which laws restrict it.
type VendorView struct {
	Parent       *kb.Entry
	Subsidiaries []*kb.Entry
	RestrictedBy []*kb.Entry // laws with a provision in force that restricts it
	NamedBy      []*kb.Entry // other laws that name it or its country: not in force, or restricting nothing
	Flown        []FlownRow  // the first sampleRows
	FlownTotal   int
}

// FlownRow is an agency with its items of one vendor on the site's date.
type FlownRow struct {
	Status *kb.AgencyStatus
	Items  []*kb.ItemStatus
}

// LawView adds what a law restricts and whom it affects today.
type LawView struct {
	InForce            bool
	Start              kb.Date
	RestrictsVendors   []*kb.Entry
	RestrictsCountries []string
	// VendorsCovered are the first sampleRows of the vendors it restricts
	// today, by slug or by country, in title order; VendorsCoveredTotal
	// counts them all, and CoveredFrom are the countries whose vendors it
	// restricts, whose pages list the rest.
	VendorsCovered      []*kb.Entry
	VendorsCoveredTotal int
	CoveredFrom         []string
	BindsAgencies       []*kb.Entry
	Provisions          []ProvisionRow
	// Affected are the agencies inside its jurisdiction holding hardware
	// it restricts: the first sampleRows, bound agencies first.
	// AffectedElsewhere counts those outside it that hold such hardware
	// too: the vendor is restricted, but this law does not reach them (a
	// Florida law and a French police force).
	Affected          []kb.Affected
	AffectedTotal     int
	AffectedBound     int
	AffectedBanned    int
	AffectedElsewhere int
	// TimelineSVG draws its provisions against the agencies flying what it
	// restricts; Events are the same as a dated list.
	TimelineSVG, TimelineLegend template.HTML
	Events                      []TimelineEvent
	TimelineMore                int // agencies' items left out of the picture
}

// ProvisionRow is one provision of a law as a page shows it.
type ProvisionRow struct {
	P         *kb.Provision
	InForce   bool
	Restricts bool // its measure restricts hardware and it names some
	Vendors   []*kb.Entry
	Binds     []*kb.Entry // the agencies its binds names
	Exempts   []ExemptionRow
	// Flying are the agencies it binds that are seen flying hardware it
	// restricts on the site's date (the first sampleRows); FlyingTotal
	// counts them all.
	Flying      []*kb.AgencyStatus
	FlyingTotal int
}

// ExemptionRow is an exemption with its agencies resolved and its source's number.
type ExemptionRow struct {
	E        *kb.Exemption
	Agencies []*kb.Entry
	Cite     int
}

// sampleRows is how many rows a page shows of a list that can grow with the
// knowledge base (who flies a vendor, whom a law affects, backlinks); the
// page says how many more there are and where to find them all.
const sampleRows = 50

// homeRows is how many agencies of each status the home page shows.
const homeRows = 8

// IncidentView resolves an incident's references.
type IncidentView struct {
	Agencies, Vendors, Laws []*kb.Entry
}

func (s *Site) resolve(refs []kb.Ref) []*kb.Entry {
	out := make([]*kb.Entry, 0, len(refs))
	for _, r := range refs {
		if e := s.kb.Entry(r.ID); e != nil {
			out = append(out, e)
		}
	}
	return out
}

func (s *Site) renderBody(e *kb.Entry) (html template.HTML, err error) {
	err = e.UseBody(func(body []byte) error {
		html, err = s.renderMarkdown(e, body)
		return err
	})
	return html, err
}

// renderMarkdown renders an entry's body, which it does not keep.
func (s *Site) renderMarkdown(e *kb.Entry, body []byte) (template.HTML, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return "", nil
	}
	doc := s.md.Parse(body, kb.ReservedIDs...)
	// A strings.Builder gives the page its HTML without a copy, where
	// bytes.Buffer's String made one: at 10,000 entries rendering the
	// bodies allocated 257 MB instead of 316 (--memprofile).
	var buf strings.Builder
	buf.Grow(len(body) * 3 / 2)
	err := s.md.Render(&buf, doc, markdown.RenderContext{
		From: e.Path,
		Entry: func(p string) (string, bool) {
			target := s.kb.Entry(strings.TrimSuffix(p, ".md"))
			if target == nil {
				return "", false
			}
			return s.EntryURL(target), true
		},
		Sources:  len(e.Sources),
		SourceID: func(n int) string { return "source-" + strconv.Itoa(n) },
	})
	if err != nil {
		return "", fmt.Errorf("%s: rendering the body: %w", e.File, err)
	}
	// The renderer escapes all text and emits only safe URLs (see package markdown).
	return template.HTML(buf.String()), nil
}

func (s *Site) renderEntry(w *writer, e *kb.Entry) error {
	body, err := s.renderBody(e)
	if err != nil {
		return err
	}
	v := &EntryView{E: e, Body: body, Related: s.resolve(e.Related)}
	var group *BacklinkGroup
	for _, bl := range s.kb.ReferencedBy(e.ID) {
		if group == nil || group.Section.Type != bl.From.Type {
			v.Backlinks = append(v.Backlinks, BacklinkGroup{Section: kb.SectionFor(bl.From.Type)})
			group = &v.Backlinks[len(v.Backlinks)-1]
		}
		if len(group.Links) < sampleRows {
			group.Links = append(group.Links, bl)
		} else {
			group.More++
		}
	}
	for i := range v.Backlinks {
		v.Backlinks[i].List = s.backlinkList(v.Backlinks[i].Links)
	}
	// "See also" lists the related entries the backlinks do not show
	// already: two entries that relate to each other were each listed
	// twice on the other's page (found in review).
	if len(v.Related) > 0 && len(v.Backlinks) > 0 {
		v.Related = slices.DeleteFunc(v.Related, func(r *kb.Entry) bool {
			for _, g := range v.Backlinks {
				for _, bl := range g.Links {
					if bl.From == r {
						return true
					}
				}
			}
			return false
		})
	}
	layout := string(e.Type)
	switch e.Type {
	case kb.TypeAgency:
		v.Agency = s.agencyView(e)
	case kb.TypeVendor:
		v.Vendor = s.vendorView(e)
	case kb.TypeLaw:
		v.Law = s.lawView(e)
	case kb.TypeIncident:
		v.Incident = &IncidentView{Agencies: s.resolve(e.Incident.Agencies), Vendors: s.resolve(e.Incident.Vendors), Laws: s.resolve(e.Incident.Laws)}
	}
	sec := kb.SectionFor(e.Type)
	p := &Page{Title: e.Title, Description: e.Summary, Path: EntryPath(e), Data: v,
		Crumbs: []Crumb{{sec.Title, s.URL(sec.Dir + "/")}}}
	if v.Agency != nil && v.Agency.Status != nil {
		p.Image = s.cardURL(v.Agency.Status.Status)
	}
	return s.renderPage(w, EntryPath(e), layout, p)
}

func (s *Site) agencyView(e *kb.Entry) *AgencyView {
	a := e.Agency
	v := &AgencyView{Status: s.tracker.Agency(e.ID)}
	if a.Parent != nil {
		v.Parent = s.kb.Entry(a.Parent.ID)
	}
	if v.Status != nil {
		for _, c := range v.Status.Components {
			v.Children = append(v.Children, c.Agency)
		}
		v.Reason = s.reasonHTML(e, v.Status)
		v.sortLaws(e, v.Status)
	}
	now := map[*kb.FleetItem]*kb.ItemStatus{}
	if v.Status != nil {
		for _, it := range v.Status.Items {
			now[it.Item] = it
		}
	}
	for i := range a.Fleet {
		f := &a.Fleet[i]
		var vendor *kb.Entry
		if !f.UnknownMake {
			vendor = s.kb.Entry(f.Vendor.ID)
		}
		label := itemLabel(vendor, f)
		v.Fleet = append(v.Fleet, FleetRow{Item: f, Vendor: vendor, Label: label, Now: now[f]})
		for _, o := range f.Observations() {
			what := obsLabel[o.Status]
			// An acquisition is told as one, never as a sighting; an item
			// whose source reports only its purchase has that purchase as
			// its own observation (kb.FleetItem.Observations).
			if o.Acquisition {
				what = "acquired"
			}
			v.Timeline = append(v.Timeline, TimelineEvent{Date: o.Date, What: what, Item: label, Vendor: vendor,
				Source: o.Source, SourceN: sourceNum(e, o.Source), IsFuture: o.Date.After(s.opts.AsOf),
				Pending: o.PendingOn(s.opts.AsOf)})
		}
	}
	sort.SliceStable(v.Timeline, func(i, j int) bool { return v.Timeline[i].Date.Before(v.Timeline[j].Date) })
	// Collapse repeated events: the same observation recorded twice, or an
	// acquisition and the history's record of the item flying that day,
	// which the acquisition cites (kb.FleetItem.Observations).
	out := v.Timeline[:0]
	for _, ev := range v.Timeline {
		if n := len(out); n > 0 {
			prev := &out[n-1]
			if prev.Date == ev.Date && prev.Item == ev.Item && prev.Source == ev.Source &&
				(prev.What == ev.What || prev.What == "acquired" && ev.What == "flying") {
				continue
			}
		}
		out = append(out, ev)
	}
	v.Timeline = out
	s.agencyTimeline(e, v)
	return v
}

func (s *Site) vendorView(e *kb.Entry) *VendorView {
	vd := e.Vendor
	v := &VendorView{}
	if vd.Parent != nil {
		v.Parent = s.kb.Entry(vd.Parent.ID)
	}
	for _, bl := range s.kb.ReferencedBy(e.ID) {
		if bl.From.Vendor != nil && bl.From.Vendor.Parent != nil && bl.From.Vendor.Parent.ID == e.ID {
			v.Subsidiaries = append(v.Subsidiaries, bl.From)
		}
	}
	restricting := map[*kb.Entry]bool{}
	for _, p := range s.tracker.RestrictedBy(e.ID) {
		if !restricting[p.Law] {
			restricting[p.Law] = true
			v.RestrictedBy = append(v.RestrictedBy, p.Law)
		}
	}
	seen := map[*kb.Entry]bool{}
	for _, l := range append(append([]*kb.Entry(nil), s.namesVendor[e.ID]...), s.namesOrigin[vd.Country]...) {
		if !seen[l] && !restricting[l] {
			seen[l] = true
			v.NamedBy = append(v.NamedBy, l)
		}
	}
	holders := s.tracker.HoldersOf(e.ID)
	for _, as := range holders {
		if len(v.Flown) == sampleRows {
			break
		}
		row := FlownRow{Status: as}
		for _, it := range as.Items {
			if it.Vendor == e {
				row.Items = append(row.Items, it)
			}
		}
		v.Flown = append(v.Flown, row)
	}
	v.FlownTotal = len(holders)
	s.sortByTitle(v.RestrictedBy)
	s.sortByTitle(v.NamedBy)
	return v
}

func (s *Site) lawView(e *kb.Entry) *LawView {
	l := e.Law
	v := &LawView{InForce: l.InForce(s.opts.AsOf), Start: l.Start(), RestrictsCountries: l.Restricts.Countries,
		RestrictsVendors: s.resolve(l.Restricts.Vendors)}
	if l.Binds != nil {
		v.BindsAgencies = s.resolve(l.Binds.Agencies)
	}
	affected := s.tracker.Affected(e.ID)
	flying := map[*kb.Provision][]*kb.AgencyStatus{}
	for _, af := range affected {
		for _, it := range af.Items {
			if !it.Current {
				continue
			}
			for _, p := range it.Binding {
				if p.Law != e {
					continue
				}
				if list := flying[p]; len(list) == 0 || list[len(list)-1] != af.Status {
					flying[p] = append(list, af.Status)
				}
			}
		}
	}
	covered := map[*kb.Entry]bool{}
	for _, p := range l.Provisions {
		row := ProvisionRow{P: p, InForce: p.InForce(s.opts.AsOf), Restricts: p.Restricting(),
			Vendors: s.resolve(p.Restricts.Vendors), Flying: flying[p], FlyingTotal: len(flying[p])}
		if p.Binds != nil {
			row.Binds = s.resolve(p.Binds.Agencies)
		}
		if len(row.Flying) > sampleRows {
			row.Flying = row.Flying[:sampleRows]
		}
		for i := range p.Exempts {
			ex := &p.Exempts[i]
			row.Exempts = append(row.Exempts, ExemptionRow{E: ex, Agencies: s.resolve(ex.Match.Agencies), Cite: sourceNum(e, ex.Source)})
		}
		v.Provisions = append(v.Provisions, row)
		if row.InForce && row.Restricts {
			for _, vd := range s.vendorsCovered(p) {
				if !covered[vd] {
					covered[vd] = true
					v.VendorsCovered = append(v.VendorsCovered, vd)
				}
			}
			for _, c := range p.Restricts.Countries {
				if !slices.Contains(v.CoveredFrom, c) {
					v.CoveredFrom = append(v.CoveredFrom, c)
				}
			}
		}
	}
	// A law restricting what a country makes covers every vendor from
	// there, which grows with the knowledge base (1,900 links, 108 kB, on
	// each such law's page at 100,000 generated entries): the page lists
	// the first, as it does the agencies, and the country's pages the rest.
	s.sortByTitle(v.VendorsCovered)
	slices.Sort(v.CoveredFrom)
	v.VendorsCoveredTotal = len(v.VendorsCovered)
	if len(v.VendorsCovered) > sampleRows {
		v.VendorsCovered = v.VendorsCovered[:sampleRows:sampleRows]
	}
	// The agencies it reaches, bound ones first; each group stays in
	// title order.
	v.Affected, v.AffectedElsewhere = s.tracker.Reached(e)
	sort.SliceStable(v.Affected, func(i, j int) bool { return v.Affected[i].Bound && !v.Affected[j].Bound })
	v.AffectedTotal = len(v.Affected)
	for _, a := range v.Affected {
		if a.Bound {
			v.AffectedBound++
		}
		if a.Banned {
			v.AffectedBanned++
		}
	}
	if len(v.Affected) > sampleRows {
		v.Affected = v.Affected[:sampleRows]
	}
	s.lawTimeline(e, v)
	return v
}

// vendorsCovered returns the vendors a provision restricts, by slug or by
// country of origin.
func (s *Site) vendorsCovered(p *kb.Provision) []*kb.Entry {
	var out []*kb.Entry
	for _, r := range p.Restricts.Vendors {
		if e := s.kb.Entry(r.ID); e != nil {
			out = append(out, e)
		}
	}
	for _, c := range p.Restricts.Countries {
		out = append(out, s.vendorsFrom[c]...)
	}
	return out
}

// sortLaws fills in the view's lists of laws (Laws, Elsewhere, Governing,
// ExemptFrom) from the agency's standing as: each provision in force that
// restricts its hardware, binds it or exempts it, once, in law order, told
// by what it does to the agency (LawRelation).
//
// An agency's drones may be restricted by every law in the knowledge base
// on hardware of their country of origin (78 laws on Chinese-made drones
// at 100,000 generated entries), and it may be bound by hundreds of
// provisions where a large jurisdiction has many laws; its page names
// sampleLaws of each and counts the rest. So nothing is made for a
// provision the page does not name: its items' lists of restricting
// provisions, which the tracker shares between the items of a vendor (or
// of a country of origin) and keeps in law order, are merged with the
// provisions that bind it, and each is sorted where it goes as the merge
// comes to it. Made as a relation each, found through a map and sorted,
// they were 1.1 GB of the 32.8 GB a 100,000-entry build allocated (20
// times as much as at 10,000 entries); made this way, 87 MB.
func (v *AgencyView) sortLaws(e *kb.Entry, as *kb.AgencyStatus) {
	// The items' lists, each once: most agencies fly one vendor's drones,
	// or several of one country's, which share a list.
	var lists [][]*kb.Provision
	var bans []*kb.Provision
	for _, it := range as.Items {
		if l := it.Restricting; len(l) > 0 && !slices.ContainsFunc(lists, func(m []*kb.Provision) bool { return kb.SameList(m, l) }) {
			// The tracker keeps them in law order (kb.sortProvisions);
			// one that is not is sorted, not merged out of order.
			if !slices.IsSortedFunc(l, provisionOrder) {
				l = slices.SortedStableFunc(slices.Values(l), provisionOrder)
			}
			lists = append(lists, l)
		}
		if it.Current {
			bans = append(bans, it.Banning...)
		}
	}
	governing := as.Governing
	if !slices.IsSortedFunc(governing, provisionOrder) {
		governing = slices.Clone(governing)
		slices.SortStableFunc(governing, provisionOrder)
	}
	// exempting is the exemption a provision restricting the agency's
	// drones grants it, if any. A provision that bans what it flies, or
	// exempts it, binds it: it is of its own jurisdiction (kb.Law.Reaches).
	exempting := func(p *kb.Provision) *kb.Exemption {
		for _, ex := range as.Exemptions {
			if ex.Provision == p {
				return ex.Exemption
			}
		}
		return nil
	}
	// Elsewhere's provisions go by their laws' nearness to the agency
	// (kb.LawProximity), each rank in law order: the first sampleLaws of
	// each rank are kept, and each rank's laws counted.
	var room [3][sampleLaws]LawRelation
	near := [3][]LawRelation{room[0][:0], room[1][:0], room[2][:0]}
	var nearLaws [3]int // the laws near[rank] holds provisions of
	var laws, far, abroad int
	var governingLaws int // the laws Governing's provisions are of, named or not
	var lastGoverning *kb.Entry
	var lastLaw *kb.Entry
	var prev *kb.Provision // the last provision taken
	for {
		// The next provision in law order, of the lists and governing.
		var p *kb.Provision
		for _, l := range lists {
			if len(l) > 0 && (p == nil || provisionOrder(l[0], p) < 0) {
				p = l[0]
			}
		}
		for len(governing) > 0 && governing[0] == prev {
			governing = governing[1:] // a provision listed twice
		}
		if len(governing) > 0 && (p == nil || provisionOrder(governing[0], p) < 0) {
			p = governing[0]
		}
		if p == nil {
			break
		}
		prev = p
		r := LawRelation{P: p}
		for i, l := range lists {
			if len(l) > 0 && l[0] == p {
				r.Restricts = true
				lists[i] = l[1:]
			}
		}
		if len(governing) > 0 && governing[0] == p {
			r.Binds = true
			governing = governing[1:]
		}
		rank := kb.LawProximity(e, p.Law)
		if rank == 0 && r.Restricts {
			r.Bans = slices.Contains(bans, p)
			if ex := exempting(p); ex != nil {
				r.Exempt, r.ExemptUses, r.ExemptSource = true, ex.Uses, ex.Source
			}
		}
		if r.Binds && !r.Exempt {
			// A provision that restricts none of its drones may still
			// exempt it: the page must not say plainly that it binds.
			if ex := p.Exemption(as.Agency); ex != nil {
				r.ExemptFrom, r.ExemptUses, r.ExemptSource = true, ex.Uses, ex.Source
			}
		}
		switch {
		case r.Restricts && r.Binds, r.Exempt:
			v.Laws = append(v.Laws, r)
		case r.Restricts:
			// A law's provisions come together in law order: a law
			// sampled keeps all of them.
			if n := len(near[rank]); n > 0 && near[rank][n-1].P.Law == p.Law {
				near[rank] = append(near[rank], r)
			} else if nearLaws[rank] < sampleLaws {
				near[rank] = append(near[rank], r)
				nearLaws[rank]++
			}
			if p.Law != lastLaw {
				// A law's provisions come together in law order.
				lastLaw = p.Law
				laws++
				if rank > 0 {
					far++
				}
				if rank == 2 {
					abroad++
				}
			}
		case r.ExemptFrom:
			i := slices.IndexFunc(v.ExemptFrom, func(g ExemptGroup) bool { return g.Uses == r.ExemptUses && g.Source == r.ExemptSource })
			if i < 0 {
				i = len(v.ExemptFrom)
				v.ExemptFrom = append(v.ExemptFrom, ExemptGroup{Uses: r.ExemptUses, Source: r.ExemptSource})
			}
			v.ExemptFrom[i].Laws = append(v.ExemptFrom[i].Laws, r)
		default:
			if p.Law != lastGoverning {
				lastGoverning = p.Law
				governingLaws++
			}
			if governingLaws <= sampleLaws {
				if v.Governing == nil {
					v.Governing = make([]LawRelation, 0, min(len(governing)+1, sampleLaws))
				}
				v.Governing = append(v.Governing, r)
			}
		}
	}
	v.GoverningMore = max(governingLaws-sampleLaws, 0)
	// The laws of its own jurisdiction first, as the tracker's reason
	// names them (kb.NearestLawsFirst). The list names provisions (a law
	// phased in, or with an operating ban beside its purchase ban, twice);
	// what is said of whose they are counts laws, as the tracker's reason
	// does.
	named := 0
	for _, ranked := range near {
		for i, r := range ranked {
			if i == 0 || ranked[i-1].P.Law != r.P.Law {
				if named == sampleLaws {
					break
				}
				named++
			}
			v.Elsewhere = append(v.Elsewhere, r)
		}
	}
	if v.ElsewhereMore = laws - named; v.ElsewhereMore > 0 {
		for _, it := range as.Items {
			if it.Vendor != nil && len(it.Restricting) > 0 && !slices.Contains(v.ElsewhereMakers, it.Vendor) {
				v.ElsewhereMakers = append(v.ElsewhereMakers, it.Vendor)
			}
		}
	}
	v.ElsewhereForeign = abroad > 0 && abroad == laws
	if c := kb.FarLaws(far, laws); c != "" && !v.ElsewhereForeign {
		v.ElsewhereFar = template.HTML(strings.ToUpper(c[:1]) + c[1:] + ".")
	}
}

// provisionOrder orders provisions by law ID, then by their place in the
// law.
func provisionOrder(a, b *kb.Provision) int {
	if c := strings.Compare(a.Law.ID, b.Law.ID); c != 0 {
		return c
	}
	return cmp.Compare(a.Index, b.Index)
}

// reasonHTML renders an agency's status sentence, each source cited by its
// number among the agency's sources, or linked when it is another entry's
// (a law's exemption).
func (s *Site) reasonHTML(e *kb.Entry, as *kb.AgencyStatus) template.HTML {
	b := newFragment()
	for _, p := range as.Reason {
		switch n := sourceNum(e, p.Source); {
		case p.Source == "":
			// Its dates as the rest of the page writes them (found in
			// review: "seen flying 2025-02-28" beside "28 February 2025").
			kb.ReasonDates(p.Text, func(t string) { b.WriteString(html.EscapeString(t)) }, func(d kb.Date) { b.WriteString(string(timeTag(d))) })
		case n > 0:
			b.WriteString(string(cite(n)))
		default:
			// Sources are checked http(s) URLs (package kb).
			b.WriteString(`<sup class="cite"><a href="` + html.EscapeString(p.Source) + `" rel="noopener noreferrer nofollow">[source]</a></sup>`)
		}
	}
	return b.html()
}

// lessTitle reports whether a comes before b in title order, as every
// list by title orders them (kb.CompareTitles, package titlesort):
// accents folded, case aside, then by ID.
func (s *Site) lessTitle(a, b *kb.Entry) bool { return kb.CompareTitles(a, b) < 0 }

func (s *Site) sortByTitle(es []*kb.Entry) {
	slices.SortStableFunc(es, kb.CompareTitles)
}

// placeKeys holds the sort key of each place's name (placeKey): the
// names of ISO 3166 countries and regions, a few thousand at most.
var placeKeys sync.Map // name → titlesort.Key

// placeKey is what a place's name sorts by: as titles do, so that Côte
// d'Ivoire, Åland and Île-de-France come among the c's, a's and i's, not
// after Zambia.
func placeKey(name string) titlesort.Key {
	if k, ok := placeKeys.Load(name); ok {
		return k.(titlesort.Key)
	}
	k := titlesort.Of(name)
	placeKeys.Store(name, k)
	return k
}

// countryKey is what a country's name sorts by.
func countryKey(code string) titlesort.Key { return placeKey(countryName(code)) }

// compareCountries orders country codes by their names' keys.
func compareCountries(a, b string) int {
	if c := titlesort.Compare(countryKey(a), countryKey(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// lessName orders place names as titles sort: a country's regions, the
// countries, a map's rows.
func lessName(a, b string) bool {
	if c := titlesort.Compare(placeKey(a), placeKey(b)); c != 0 {
		return c < 0
	}
	return a < b
}

// sortLinks orders links by their labels as titles sort, then values.
func sortLinks(links []Link) {
	keys := make(map[string]titlesort.Key, len(links))
	for _, l := range links {
		if _, ok := keys[l.Label]; !ok {
			keys[l.Label] = titlesort.Of(l.Label)
		}
	}
	slices.SortStableFunc(links, func(a, b Link) int {
		if c := titlesort.Compare(keys[a.Label], keys[b.Label]); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
}

// TrackerView is the tracker grouped by status, most serious first.
type TrackerView struct {
	AsOf    kb.Date
	Summary kb.TrackerSummary // of the whole tracker
	Groups  []TrackerGroup
	Total   int
	Counts  map[kb.Status]int
}

// TrackerGroup is the agencies with one status.
type TrackerGroup struct {
	Status kb.Status
	Rows   []*kb.AgencyStatus
	Total  int // rows before the limit
	More   int // rows left out by the limit
}

// trackerView groups rows by status; limit > 0 keeps that many rows per
// group (pages other than the tracker show a sample and link to it).
func (s *Site) trackerView(rows []*kb.AgencyStatus, limit int) *TrackerView {
	v := &TrackerView{AsOf: s.opts.AsOf, Summary: s.tracker.Summary(), Total: len(rows), Counts: map[kb.Status]int{}}
	for _, st := range kb.Statuses {
		g := TrackerGroup{Status: st}
		for _, r := range rows {
			if r.Status == st {
				g.Rows = append(g.Rows, r)
			}
		}
		sort.SliceStable(g.Rows, func(i, j int) bool { return s.lessTitle(g.Rows[i].Agency, g.Rows[j].Agency) })
		v.Counts[st] = len(g.Rows)
		g.Total = len(g.Rows)
		if limit > 0 && len(g.Rows) > limit {
			g.More = len(g.Rows) - limit
			g.Rows = g.Rows[:limit]
		}
		// The full tracker shows every status, even one no agency has,
		// so that its explanation and its anchor are always there.
		if len(g.Rows) > 0 || limit == 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	return v
}

// HomeView is the home page's data.
type HomeView struct {
	// Intro is the text of content/pages/home.md, which says what this
	// site tracks; empty without one.
	Intro           template.HTML
	IntroPage       *kb.Entry // pages/home.md, whose sources the intro cites
	Tracker         *TrackerView
	Summary         kb.TrackerSummary
	LawsRestricting int
	Laws            int
	Incidents       int
	Vendors         int
	Countries       int // with an entry of any kind (a vendor's country too)
	// AgencyCountries is how many countries have an agency on record: the
	// card counted China, which only vendors are of, among the countries
	// the tracker follows (found in review).
	AgencyCountries int
	Latest          []*kb.Entry
	Map             *MapView
	Chart           *ChartView
}

func (s *Site) renderHome(w *writer) error {
	v := &HomeView{Summary: s.tracker.Summary(),
		Laws: len(s.kb.Section("laws")), Incidents: len(s.kb.Section("incidents")), Vendors: len(s.kb.Section("vendors")), Countries: len(s.country)}
	agencyCountries := map[string]bool{}
	for _, a := range s.kb.Section("agencies") {
		if c := a.Agency.Country; c != "" {
			agencyCountries[c] = true
		}
	}
	v.AgencyCountries = len(agencyCountries)
	var notable []*kb.AgencyStatus
	for _, a := range s.tracker.Agencies {
		if a.Status != kb.Clear && a.Status != kb.NoRecord {
			notable = append(notable, a)
		}
	}
	v.Tracker = s.trackerView(notable, homeRows)
	for _, l := range s.kb.Section("laws") {
		for _, p := range l.Law.Provisions {
			if p.InForce(s.opts.AsOf) && p.Restricting() {
				v.LawsRestricting++
				break
			}
		}
	}
	v.Latest = latestIncidents(s.kb.Section("incidents"), 8)
	v.Map, v.Chart = s.mapsView()["world"], s.chartView()
	if home := s.kb.Entry("pages/" + kb.PageHome); home != nil {
		intro, err := s.renderBody(home)
		if err != nil {
			return err
		}
		v.Intro, v.IntroPage = intro, home
	}
	return s.renderPage(w, "", "home", &Page{Title: "Who still flies restricted drones",
		Description: "A sourced record of which government agencies fly drones that a law restricts, and the laws, vendors and incidents behind it.", Data: v})
}

func latestIncidents(in []*kb.Entry, n int) []*kb.Entry {
	out := append([]*kb.Entry(nil), in...)
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Incident.Date.Compare(out[j].Incident.Date); c != 0 {
			return c > 0
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// SectionView is a section list page's data: its entries in groups.
type SectionView struct {
	Section kb.Section
	Groups  []EntryGroup // the groups this page shows, with the entries it shows of each
	Total   int          // entries in the section
	// Contents are all the section's groups, each linked where it begins:
	// on this page "#id", on another that page's URL and "#id".
	Contents []GroupLink
	Pager    *Pager // nil when the list fits one page
}

// EntryGroup is a titled group of entries on a list page.
type EntryGroup struct {
	Title string
	ID    string
	Items []*kb.Entry
	// Continued says the group began on an earlier page of the list.
	Continued bool
}

// GroupLink is a group of a paged list in its table of contents.
type GroupLink struct {
	Title string
	URL   string
	Count int
}

// DefaultPageSize is how many entries a page of a list shows — a
// section's, a country's, a region's or a tag's — and how many agencies a
// page of a tracker view, unless Options.PageSize says otherwise. A
// longer list goes on over numbered pages, "tags/police/page/2/" and on,
// as Hugo's lists do: at 100,000 entries a tag or a section holds tens of
// thousands, one page of many megabytes that a phone would take long to
// load and lay out. The downloads and the search's filters give every
// entry of a list at once.
const DefaultPageSize = 100

// pageSize is how many items a page of a list shows on this site.
func (s *Site) pageSize() int {
	if s.opts.PageSize > 0 {
		return s.opts.PageSize
	}
	return DefaultPageSize
}

// Pager is where a page stands among the pages of its list.
type Pager struct {
	Number, Count int    // this page, from 1, and how many the list has
	First, Last   int    // the positions, from 1, of the first and last entries shown
	Total         int    // the list's entries
	What          string // what the list's items are called: "Entries", "Agencies"
	Prev, Next    string // the URLs of the pages before and after; "" at the ends
	// Links number the first and last pages, this one and the two on
	// either side of it; a link with no URL stands for the pages left out.
	Links []PagerLink
}

// PagerLink is one of a pager's numbered links.
type PagerLink struct {
	Number  int
	URL     string // "" for a gap
	Current bool
}

// listPagePath returns the path of page n of the list at rel: rel itself
// for the first, "rel/page/n/" for the others.
func listPagePath(rel string, n int) string {
	if n <= 1 {
		return rel
	}
	return rel + "page/" + strconv.Itoa(n) + "/"
}

// splitPages cuts groups into pages of at most size entries, in order; a
// group that runs over a page's end goes on, Continued, on the next. There
// is always a first page, empty when the groups are.
func splitPages(groups []EntryGroup, size int) [][]EntryGroup {
	size = max(size, 1)
	var pages [][]EntryGroup
	var page []EntryGroup
	room := size
	for _, g := range groups {
		items, continued := g.Items, false
		for len(items) > 0 {
			if room == 0 {
				pages, page, room = append(pages, page), nil, size
			}
			n := min(room, len(items))
			part := g
			part.Items, part.Continued = items[:n:n], continued
			page = append(page, part)
			items, continued, room = items[n:], true, room-n
		}
	}
	return append(pages, page)
}

// listPageOf returns the page, from 1, that shows the entry at position i,
// from 0, of a list.
func (s *Site) listPageOf(i int) int { return i/s.pageSize() + 1 }

// listPageCount returns how many pages a list of n entries takes.
func (s *Site) listPageCount(n int) int { return max(1, s.listPageOf(n-1)) }

// listLens returns the length of each list the site pages, by its first
// page's path: the sections', countries', regions' and tags', and the
// tracker's views' (trackerViewLens).
func (s *Site) listLens() map[string]int {
	m := make(map[string]int, len(kb.Sections)+len(s.country)+len(s.region)+len(s.tags))
	for _, sec := range kb.Sections {
		m[sec.Dir+"/"] = len(s.kb.Section(sec.Dir))
	}
	for c, es := range s.country {
		m[CountryPath(c)] = len(es)
	}
	for r, es := range s.region {
		m[RegionPath(r)] = len(es)
	}
	for t, es := range s.tags {
		m[TagPath(t)] = len(es)
	}
	maps.Copy(m, s.trackerViewLens())
	return m
}

// pager returns the pager of page n (from 1) of count pages of the list at
// rel with total entries, whose page n shows entries first to last.
func (s *Site) pager(rel string, n, count, first, last, total int) *Pager {
	p := &Pager{Number: n, Count: count, First: first, Last: last, Total: total}
	if n > 1 {
		p.Prev = s.URL(listPagePath(rel, n-1))
	}
	if n < count {
		p.Next = s.URL(listPagePath(rel, n+1))
	}
	linked := 0 // the number of the last link
	link := func(i int) {
		if i < 1 || i > count || i <= linked {
			return
		}
		if i > linked+1 {
			p.Links = append(p.Links, PagerLink{}) // the pages between
		}
		p.Links = append(p.Links, PagerLink{Number: i, URL: s.URL(listPagePath(rel, i)), Current: i == n})
		linked = i
	}
	link(1)
	for i := n - 2; i <= n+2; i++ {
		link(i)
	}
	link(count)
	return p
}

// renderList writes the pages of the list at rel with layout: its groups
// cut into pages of the site's page size (renderPages). view makes each
// page's data from the groups it shows, its number and its pager (nil for
// a list of one page).
func (s *Site) renderList(w *writer, rel, layout string, p Page, groups []EntryGroup, view func(groups []EntryGroup, n int, pg *Pager) any) error {
	pages := splitPages(groups, s.pageSize())
	total := 0
	for _, g := range groups {
		total += len(g.Items)
	}
	return s.renderPages(w, rel, layout, p, total, "Entries", func(n, _, _ int, pg *Pager) any {
		return view(pages[n-1], n, pg)
	})
}

// renderPages writes the pages of a list of total items at rel with
// layout, the site's page size a page: the first page at rel, the others
// below it (listPagePath), and page/1/ sending a reader to the first.
// data makes page n's data from the positions, from 0, of its first item
// and of the one after its last, and its pager (nil for a list of one
// page), which calls the items what ("Entries", "Agencies"). Each page
// after the first says its number in its title and its description, and
// its breadcrumbs lead to the first. Syncing a directory, it deletes the
// pages a longer list left there.
func (s *Site) renderPages(w *writer, rel, layout string, p Page, total int, what string, data func(n, from, to int, pg *Pager) any) error {
	count, size := s.listPageCount(total), s.pageSize()
	if count > 1 && !s.tmpl.pages[layout] {
		fix := `add {{with .Data.Pager}}{{template "pager" .}}{{end}} after the list, as the default theme's layout does`
		if layout == "tracker" {
			// tracker.js sorts and filters a table in place unless told
			// it is one page of a view.
			fix += `, and data-query="{{.Data.Query}}"{{if .Data.Pager}} data-paged data-full="{{url "tracker/"}}"{{end}} to the table, for tracker.js`
		}
		return fmt.Errorf("rendering %s: its %d %s take %d pages of %d, and the theme's layouts/%s.html shows no pager, so nothing would link its later pages: %s",
			rel, total, strings.ToLower(what), count, size, layout, fix)
	}
	for n := 1; n <= count; n++ {
		from, to := (n-1)*size, min(n*size, total)
		var pg *Pager
		if count > 1 {
			pg = s.pager(rel, n, count, from+1, to, total)
			pg.What = what
		}
		page := p
		page.Path = listPagePath(rel, n)
		if n > 1 {
			page.Title = fmt.Sprintf("%s, page %d of %d", p.Title, n, count)
			page.Crumbs = append(slices.Clip(p.Crumbs), Crumb{p.Title, s.URL(rel)})
			if p.Description != "" {
				// The page's number survives the cut to a description's
				// length: the text before it is cut instead.
				suffix := fmt.Sprintf(" Page %d of %d.", n, count)
				page.Description = cutText(p.Description, maxMetaDescription-utf8.RuneCountInString(suffix)) + suffix
			}
		}
		page.Data = data(n, from, to, pg)
		if err := s.renderPage(w, page.Path, layout, &page); err != nil {
			return err
		}
	}
	if count > 1 {
		// page/1/ is the first page's other address, as Hugo has it: a
		// reader who types it is sent to the first page.
		if err := w.write(rel+"page/1/index.html", firstPageAlias(s.URL(rel), s.AbsURL(rel))); err != nil {
			return err
		}
	}
	if w.sync != nil {
		// The pages a longer list had in this directory.
		deleted, err := removeListPages(w.dir, rel, count+1)
		w.sync.deleted(deleted...)
		return err
	}
	return nil
}

// firstPageAlias is what page/1/ of a list of several pages holds: a
// page that sends the reader, and search engines, to the first page, at
// u, whose canonical address is canonical (absolute with an absolute
// --base-url, as every page's is).
func firstPageAlias(u, canonical string) []byte {
	e := html.EscapeString(u)
	return []byte(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>` + e + `</title><link rel="canonical" href="` + html.EscapeString(canonical) + `"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=` + e + `"></head>
<body><p>This page is at <a href="` + e + `">` + e + `</a>.</p></body></html>
`)
}

// groupLinks links each of groups where it begins among the pages of the
// list at rel: "#id" on page n, that page's URL and "#id" on another.
func (s *Site) groupLinks(rel string, groups []EntryGroup, n int) []GroupLink {
	out := make([]GroupLink, len(groups))
	shown := 0
	for i, g := range groups {
		u := "#" + g.ID
		if at := s.listPageOf(shown); at != n {
			u = s.URL(listPagePath(rel, at)) + u
		}
		out[i] = GroupLink{Title: g.Title, URL: u, Count: len(g.Items)}
		shown += len(g.Items)
	}
	return out
}

func (s *Site) renderSection(w *writer, sec kb.Section) error {
	entries := s.kb.Section(sec.Dir)
	v := &SectionView{Section: sec, Total: len(entries)} // v.Groups: the whole list's
	switch sec.Type {
	case kb.TypeAgency, kb.TypeVendor:
		// By country, then title.
		by := map[string][]*kb.Entry{}
		for _, e := range entries {
			by[e.Country()] = append(by[e.Country()], e)
		}
		codes := slices.Sorted(maps.Keys(by))
		slices.SortStableFunc(codes, compareCountries)
		for _, c := range codes {
			s.sortByTitle(by[c])
			v.Groups = append(v.Groups, EntryGroup{Title: countryName(c), ID: "country-" + strings.ToLower(c), Items: by[c]})
		}
	case kb.TypeLaw:
		groups := []EntryGroup{{Title: "In force", ID: "in-force"}, {Title: "Enacted, not yet in force", ID: "pending"},
			{Title: "Proposed", ID: "proposed"}, {Title: "Expired, repealed or failed", ID: "ended"}}
		for _, e := range entries {
			l := e.Law
			i := 3
			switch {
			case l.InForce(s.opts.AsOf):
				i = 0
			case l.Status == "enacted" && (l.Expires.IsZero() || l.Expires.After(s.opts.AsOf)):
				i = 1
			case l.Status == "proposed":
				i = 2
			}
			groups[i].Items = append(groups[i].Items, e)
		}
		for _, g := range groups {
			if len(g.Items) == 0 {
				continue
			}
			sort.SliceStable(g.Items, func(i, j int) bool {
				if c := g.Items[i].Date().Compare(g.Items[j].Date()); c != 0 {
					return c > 0
				}
				return s.lessTitle(g.Items[i], g.Items[j])
			})
			v.Groups = append(v.Groups, g)
		}
	case kb.TypeIncident:
		byYear := map[int][]*kb.Entry{}
		var years []int
		for _, e := range latestIncidents(entries, len(entries)) {
			y := e.Incident.Date.Year
			if byYear[y] == nil {
				years = append(years, y)
			}
			byYear[y] = append(byYear[y], e)
		}
		for _, y := range years {
			v.Groups = append(v.Groups, EntryGroup{Title: fmt.Sprint(y), ID: fmt.Sprintf("y%d", y), Items: byYear[y]})
		}
	}
	rel := sec.Dir + "/"
	p := Page{Title: sec.Title, Description: fmt.Sprintf("All %d %s in the knowledge base.", len(entries), sec.Plural)}
	return s.renderList(w, rel, "section", p, v.Groups, func(groups []EntryGroup, n int, pg *Pager) any {
		return &SectionView{Section: sec, Groups: groups, Total: len(entries), Contents: s.groupLinks(rel, v.Groups, n), Pager: pg}
	})
}

// TaxonomyView is a country, region or tag page: its entries by section.
type TaxonomyView struct {
	Kind    string // "country", "region" or "tag"
	Term    string // "FR", "FR-75" or "dji"
	Name    string // "France", "Paris" or "dji"
	Groups  []EntryGroup
	Tracker *TrackerView // for countries and regions: the agencies there
	Total   int
	Map     *MapView // for a country the site has a map of
	Regions []Term   // for a country: its regions that have a page
	Country string   // for a region: its country's code
	Pager   *Pager   // nil when the list fits one page; Map, Regions and Tracker are on its first
	// Contents are all its groups, each linked where it begins, as a
	// section's (SectionView): at 100,000 entries a country's vendors
	// begin on its ninth page.
	Contents []GroupLink
}

// renderTaxonomy writes the pages of the country, region or tag page v
// at rel: v's groups cut into pages, the first of them also showing v's
// map, regions and tracker.
func (s *Site) renderTaxonomy(w *writer, rel string, v *TaxonomyView, p Page) error {
	return s.renderList(w, rel, "taxonomy", p, v.Groups, func(groups []EntryGroup, n int, pg *Pager) any {
		page := *v
		page.Groups, page.Pager, page.Contents = groups, pg, s.groupLinks(rel, v.Groups, n)
		if n > 1 {
			page.Map, page.Regions, page.Tracker = nil, nil, nil
		}
		return &page
	})
}

func (s *Site) taxonomyGroups(entries []*kb.Entry) []EntryGroup {
	var groups []EntryGroup
	for _, sec := range kb.Sections {
		var items []*kb.Entry
		for _, e := range entries {
			if e.Type == sec.Type {
				items = append(items, e)
			}
		}
		if len(items) > 0 {
			s.sortByTitle(items)
			groups = append(groups, EntryGroup{Title: sec.Title, ID: sec.Dir, Items: items})
		}
	}
	return groups
}

func (s *Site) renderCountry(w *writer, code string) error {
	entries := s.country[code]
	v := &TaxonomyView{Kind: "country", Term: code, Name: countryName(code), Groups: s.taxonomyGroups(entries), Total: len(entries)}
	if rows := s.statusesIn()[code]; len(rows) > 0 {
		v.Tracker = s.trackerView(rows, sampleRows)
	}
	v.Map = s.mapsView()[strings.ToLower(code)]
	for _, r := range slices.Sorted(maps.Keys(s.region)) {
		if strings.HasPrefix(r, code+"-") {
			v.Regions = append(v.Regions, Term{Name: regionName(r), Code: r, URL: s.URL(RegionPath(r)), Count: len(s.region[r])})
		}
	}
	sort.SliceStable(v.Regions, func(i, j int) bool { return lessName(v.Regions[i].Name, v.Regions[j].Name) })
	return s.renderTaxonomy(w, CountryPath(code), v, Page{Title: v.Name,
		Description: fmt.Sprintf("Agencies, vendors, laws and incidents in %s.", v.Name),
		Crumbs:      []Crumb{{"Countries", s.URL("countries/")}}})
}

func (s *Site) renderRegion(w *writer, code string) error {
	entries := s.region[code]
	cc, _, _ := strings.Cut(code, "-")
	v := &TaxonomyView{Kind: "region", Term: code, Name: regionName(code), Groups: s.taxonomyGroups(entries), Total: len(entries), Country: cc}
	if rows := s.statusesIn()[code]; len(rows) > 0 {
		v.Tracker = s.trackerView(rows, sampleRows)
	}
	crumbs := []Crumb{{"Countries", s.URL("countries/")}}
	if len(s.country[cc]) > 0 {
		crumbs = append(crumbs, Crumb{countryName(cc), s.URL(CountryPath(cc))})
	}
	return s.renderTaxonomy(w, RegionPath(code), v, Page{Title: v.Name + ", " + countryName(cc),
		Description: fmt.Sprintf("Agencies, laws and incidents in %s, %s.", v.Name, countryName(cc)), Crumbs: crumbs})
}

func (s *Site) renderTag(w *writer, tag string) error {
	entries := s.tags[tag]
	v := &TaxonomyView{Kind: "tag", Term: tag, Name: tag, Groups: s.taxonomyGroups(entries), Total: len(entries)}
	return s.renderTaxonomy(w, TagPath(tag), v, Page{Title: "Tagged “" + tag + "”",
		Description: fmt.Sprintf("Entries tagged %s.", tag), Crumbs: []Crumb{{"Tags", s.URL("tags/")}}})
}

// Term is a country or tag with how many entries it has.
type Term struct {
	Name  string
	Code  string
	URL   string
	Count int
}

// TermsView lists countries or tags.
type TermsView struct {
	Kind  string
	Terms []Term
	Maps  []*MapView // for countries: the world, then the countries the site has maps of
}

func (s *Site) countryTerms() *TermsView {
	v := &TermsView{Kind: "country"}
	for _, m := range geo.Maps() {
		if mv := s.mapsView()[m.ID]; mv != nil && (m.ID == "world" || len(mv.Rows) > 0) {
			v.Maps = append(v.Maps, mv)
		}
	}
	for _, c := range slices.Sorted(maps.Keys(s.country)) {
		v.Terms = append(v.Terms, Term{Name: countryName(c), Code: c, URL: s.URL(CountryPath(c)), Count: len(s.country[c])})
	}
	sort.SliceStable(v.Terms, func(i, j int) bool { return lessName(v.Terms[i].Name, v.Terms[j].Name) })
	return v
}

func (s *Site) tagTerms() *TermsView {
	v := &TermsView{Kind: "tag"}
	for _, t := range slices.Sorted(maps.Keys(s.tags)) {
		v.Terms = append(v.Terms, Term{Name: t, Code: t, URL: s.URL(TagPath(t)), Count: len(s.tags[t])})
	}
	return v
}

func (s *Site) renderNotFound(w *writer) error {
	return s.renderPage(w, "404.html", "404", &Page{Title: "Page not found", Description: "This page does not exist."})
}

// OwnPageView is what the page layout receives: one of the site's own
// pages (content/pages/<slug>.md).
type OwnPageView struct {
	E    *kb.Entry
	Body template.HTML
	// Credits are the sources of the maps' boundaries and their licences,
	// which the about page lists after its text.
	Credits []*geo.Map
}

func (s *Site) renderOwnPage(w *writer, p *kb.Entry) error {
	body, err := s.renderBody(p)
	if err != nil {
		return err
	}
	v := &OwnPageView{E: p, Body: body}
	if p.Slug == "about" {
		v.Credits = geo.Maps()
	}
	return s.renderPage(w, PagePath(p), "page", &Page{Title: p.Title, Description: p.Summary, Path: PagePath(p), Data: v})
}

// SearchView is the search page's data: the vendors' names by slug, as
// JSON, so that its facets name vendors rather than give their slugs.
type SearchView struct {
	VendorNames string
}

func (s *Site) searchView() *SearchView {
	names := map[string]string{}
	for _, v := range s.kb.Section("vendors") {
		names[v.Slug] = v.Title
	}
	data, _ := json.Marshal(names) // map keys are sorted: the same bytes each build
	return &SearchView{VendorNames: string(data)}
}
