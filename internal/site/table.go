package site

import (
	"fmt"
	"html"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/dronekb/dronekb/internal/kb"
)

// The tracker as a table people can work with. /tracker/ is one table of
// every agency, most serious status first; its rows carry their country,
// region, level, kind, vendors, status and evidence age as data-*
// attributes, which tracker.js sorts and filters in place. Without script
// the same views are pages of their own:
//
//	/tracker/<facet>/<value>/   the rows of one status, country, level, kind, vendor or evidence age
//	/tracker/sort/<key>/        every row by agency, country or evidence age
//	/tracker/on/<date>/         the statuses on the first day of an earlier year
//
// Each row is rendered once and reused by every view it appears in.

// ageBuckets are the evidence ages a reader can filter by, in months.
var ageBuckets = []struct{ Value, Label string }{
	// Evidence, not sightings: a row's date may be a report of drones
	// grounded, retired or of unknown status.
	{"under-12-months", "Under 12 months old"},
	{"12-to-24-months", "12 to 24 months old"},
	{"over-24-months", "Over 24 months old"},
	{"none", "No fleet on record"},
}

// sortKeys are the orders a reader can ask for without script.
var sortKeys = []struct{ Key, Label string }{
	{"status", "most serious status"},
	{"agency", "agency"},
	{"country", "country"},
	{"evidence", "newest evidence"},
}

// TableView is what a tracker table page shows.
type TableView struct {
	AsOf    kb.Date
	Summary kb.TrackerSummary
	Rows    []template.HTML
	Total   int // agencies in the whole tracker
	// Filter names the view's filter ("Country: France"), "" for none;
	// Sort its order.
	Filter, Sort string
	Statuses     []StatusCount
	Facets       []Facet
	Sorts        []Link
	Dates        []Link // the tracker on earlier dates
	Chart        *ChartView
	Snapshot     bool // a past date: rows give the status, its evidence and why
	NoRecord     int  // on a past date: agencies with no record, not listed
	// Count is how many agencies the view lists, on all its pages; Rows
	// are this page's. Pager is nil when they fit one page (and always on
	// /tracker/, the whole table, which tracker.js sorts and filters).
	Count int
	Pager *Pager
	// Query asks /tracker/ for the same view ("country=FR",
	// "sort=agency"): tracker.js takes a reader there to sort or filter a
	// view that is cut into pages, whose page holds only some of its rows.
	Query string
}

// StatusCount is a status with how many agencies have it.
type StatusCount struct {
	Status kb.Status
	Count  int
	URL    string
}

// Facet is a field the tracker can be filtered by, with its values.
type Facet struct {
	Name, Label string // "country", "Country"
	Values      []Link
}

// Link is a labelled link with a count, e.g. a facet value.
type Link struct {
	Label, Value, URL string
	Count             int
	Current           bool
}

// trackerTable holds what every tracker view shares: each agency's row,
// rendered once, and its facet values.
type trackerTable struct {
	rows    map[*kb.AgencyStatus]template.HTML
	age     map[*kb.AgencyStatus]int // months since the evidence; -1 for none
	vendors map[*kb.AgencyStatus][]*kb.Entry
	// The tracker on earlier dates (renderSnapshot) lists the agencies
	// by status, then by title, and shows the same agency and country
	// cells on every date: the order and the cells are made once, when
	// the first date's page is rendered.
	pastOnce  sync.Once
	pastOrder []int    // the agencies (positions in the agencies section) by title
	pastCells []string // each agency's cells before its status, by position
}

// evidenceAge returns how many whole months lie between the evidence and
// the date, or -1 when there is none.
func evidenceAge(as *kb.AgencyStatus, asOf kb.Date) int {
	if as.LastSeen.IsZero() {
		return -1
	}
	a, b := as.LastSeen.Time(), asOf.Time()
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return max(m, 0)
}

func ageBucket(months int) string {
	switch {
	case months < 0:
		return "none"
	case months < 12:
		return "under-12-months"
	case months <= 24:
		return "12-to-24-months"
	}
	return "over-24-months"
}

// ageText says how old the evidence is on the date the tracker is
// computed for, which the column's header gives ("Evidence on 7 December
// 2026"): "seen 14 months ago", or with verb "reported", "reported 14
// months ago".
func ageText(verb string, months int) string {
	switch {
	case months < 0:
		return "no evidence"
	case months == 0:
		return verb + " this month"
	case months == 1:
		return verb + " 1 month ago"
	case months < 24:
		return verb + " " + strconv.Itoa(months) + " months ago"
	case months%12 == 0:
		return verb + " " + strconv.Itoa(months/12) + " years ago"
	case months%12 == 1:
		return verb + " " + strconv.Itoa(months/12) + " years 1 month ago"
	}
	return fmt.Sprintf("%s %d years %d months ago", verb, months/12, months%12)
}

func statusRank(s kb.Status) int { return slices.Index(kb.Statuses, s) }

// buildTable renders every agency's row once.
func (s *Site) buildTable() *trackerTable {
	t := &trackerTable{rows: map[*kb.AgencyStatus]template.HTML{}, age: map[*kb.AgencyStatus]int{}, vendors: map[*kb.AgencyStatus][]*kb.Entry{}}
	var before *trackerTable
	if s.before != nil {
		before, _ = s.before.trackerTable()
	}
	for _, as := range s.tracker.Agencies {
		if before != nil {
			if row, ok := before.rows[as]; ok {
				t.rows[as], t.age[as], t.vendors[as] = row, before.age[as], before.vendors[as]
				continue
			}
		}
		seen := map[*kb.Entry]bool{}
		for _, it := range as.Items {
			if it.Vendor != nil && !seen[it.Vendor] {
				seen[it.Vendor] = true
				t.vendors[as] = append(t.vendors[as], it.Vendor)
			}
		}
		s.sortByTitle(t.vendors[as])
		t.age[as] = evidenceAge(as, s.opts.AsOf)
		t.rows[as] = s.tableRow(as, t.age[as], t.vendors[as])
	}
	return t
}

func (s *Site) tableRow(as *kb.AgencyStatus, age int, vendors []*kb.Entry) template.HTML {
	a := as.Agency
	ag := a.Agency
	b := newFragment()
	attr := func(name, v string) { b.WriteString(` data-` + name + `="` + html.EscapeString(v) + `"`) }
	b.WriteString(`<tr`)
	attr("status", string(as.Status))
	attr("rank", strconv.Itoa(statusRank(as.Status)))
	attr("country", ag.Country)
	attr("region", ag.Region)
	attr("level", ag.Level)
	attr("kind", ag.Kind)
	var vs []string
	for _, v := range vendors {
		vs = append(vs, v.Slug)
	}
	attr("vendor", strings.Join(vs, " "))
	attr("age", strconv.Itoa(age))
	attr("agebucket", ageBucket(age))
	// The title's sort key (package titlesort), for tracker.js to sort
	// by title as the views do: the lower-cased title, and folded when
	// folding changes it.
	key := a.TitleKey()
	attr("title", key.Lower)
	if key.Folded != key.Lower {
		attr("fold", key.Folded)
	}
	// The country's name's sort key, folded as titles are, for the
	// country order.
	attr("countryname", countryKey(ag.Country).Folded)
	// The row's id lets a citation point at it: /tracker/#agency-nypd.
	b.WriteString(` id="` + html.EscapeString(rowID(a)) + `">` + "\n  <th scope=\"row\">")
	b.WriteString(string(s.link(a)))
	if as.Parent != nil {
		b.WriteString(` <span class="meta">(part of ` + string(s.link(as.Parent.Agency)) + `)</span>`)
	}
	b.WriteString("</th>\n  <td data-label=\"Country\">")
	if l, ok := s.countryLinks[ag.Country]; ok {
		b.WriteString(string(l))
	} else {
		b.WriteString(html.EscapeString(countryName(ag.Country)))
	}
	if ag.Region != "" {
		b.WriteString(`<br><a class="meta" href="` + html.EscapeString(s.URL(RegionPath(ag.Region))) + `">` + html.EscapeString(regionName(ag.Region)) + `</a>`)
	}
	b.WriteString("</td>\n  <td data-label=\"Level, kind\">")
	b.WriteString(html.EscapeString(strings.TrimSpace(ag.Level + " " + ag.Kind)))
	b.WriteString("</td>\n  <td data-label=\"Status\">")
	// The status's explanation is given once, by the counts above the
	// table (status-badge's title), not on each of thousands of rows.
	b.WriteString(`<span class="status status-` + string(as.Status) + `">` + html.EscapeString(as.Status.Label()) + `</span> <span class="status-slug">` + string(as.Status) + `</span>`)
	b.WriteString("</td>\n  <td data-label=\"Restricted drones\">")
	n := 0
	for _, it := range as.Items {
		if it.Restricted || it.Item.UnknownMake {
			if n == 0 {
				b.WriteString(`<ul class="plain">`)
			}
			n++
			b.WriteString(`<li>` + html.EscapeString(itemLabel(it.Vendor, it.Item)) + ` — ` + html.EscapeString(itemWhen(it)) + ` ` + html.EscapeString(it.AsOf.Human()) + `</li>`)
		}
	}
	if n > 0 {
		b.WriteString(`</ul>`)
	} else {
		b.WriteString("—")
	}
	b.WriteString("</td>\n  <td data-label=\"Laws that bind it\">")
	switch {
	case len(as.BindingLaws) > 0:
		b.WriteString(`<ul class="plain">`)
		for _, l := range as.BindingLaws {
			b.WriteString(`<li>` + string(s.lawLink(l)) + `</li>`)
		}
		b.WriteString(`</ul>`)
	case len(as.RestrictingLaws) > 0:
		b.WriteString("None of the " + strconv.Itoa(len(as.RestrictingLaws)) + " restricting laws")
		if _, foreign := kb.OtherJurisdictions(a, as.RestrictingLaws); foreign == len(as.RestrictingLaws) {
			b.WriteString(", all of other countries")
		}
	default:
		b.WriteString("—")
	}
	b.WriteString("</td>")
	evidenceWhy(b, as, age)
	b.WriteString("\n</tr>\n")
	return b.html()
}

// evidenceWhy writes a tracker row's last two cells: how old the evidence
// behind the status is, its date linking its source, and the sentence
// that says why. age is evidenceAge's.
func evidenceWhy(b *fragment, as *kb.AgencyStatus, age int) {
	b.WriteString("\n  <td data-label=\"Evidence\">")
	if age < 0 {
		b.WriteString("—")
	} else {
		cls := ""
		if as.Stale || as.Why == kb.UnknownBeforeBan {
			cls = ` class="stale"`
		}
		// The date links the source it comes from, as the Why column's
		// sentence names the evidence without linking it.
		when := sourced(string(timeTag(as.LastSeen)), as.LastSeenSource())
		b.WriteString(`<span` + cls + `>` + ageText(as.EvidenceVerb(), age) + `</span><br><span class="meta">` + when + `</span>`)
	}
	b.WriteString("</td>\n  <td data-label=\"Why\" class=\"reason\">")
	// Its dates as the rest of the page writes them ("28 February
	// 2025"), not ISO beside them (found in review); as plain text, not
	// <time>, on rows repeated by every view.
	b.WriteString(html.EscapeString(as.ReasonWords()))
	b.WriteString("</td>")
}

// rowID is the id of an agency's row in the tracker's tables,
// "agency-" and its slug: unique among agencies, and apart from the ids the
// layouts give.
func rowID(a *kb.Entry) string {
	return "agency-" + a.Slug
}

// trackerFilter is one no-script view: the rows matching a facet value.
type trackerFilter struct {
	facet, value, label string
	match               func(as *kb.AgencyStatus) bool
}

// filters lists every facet value that gets a page of its own, by facet.
func (s *Site) filters(t *trackerTable) []Facet {
	count := func(match func(*kb.AgencyStatus) bool) int {
		n := 0
		for _, as := range s.tracker.Agencies {
			if match(as) {
				n++
			}
		}
		return n
	}
	var facets []Facet
	add := func(name, label string, values []Link) {
		if len(values) > 0 {
			facets = append(facets, Facet{Name: name, Label: label, Values: values})
		}
	}
	var st []Link
	for _, x := range kb.Statuses {
		st = append(st, Link{Label: x.Label(), Value: string(x), URL: s.URL(filterPath("status", string(x))), Count: s.tracker.Counts[x]})
	}
	add("status", "Status", st)
	values := func(get func(*kb.AgencyStatus) string) map[string]int {
		out := map[string]int{}
		for _, as := range s.tracker.Agencies {
			if v := get(as); v != "" {
				out[v]++
			}
		}
		return out
	}
	links := func(facet string, counts map[string]int, label func(string) string) []Link {
		var out []Link
		for _, v := range slices.Sorted(maps.Keys(counts)) {
			out = append(out, Link{Label: label(v), Value: v, URL: s.URL(filterPath(facet, v)), Count: counts[v]})
		}
		sortLinks(out)
		return out
	}
	same := func(v string) string { return v }
	add("country", "Country", links("country", values(func(as *kb.AgencyStatus) string { return as.Agency.Agency.Country }), countryName))
	// Regions link to the tracker's table on their pages, which has their
	// agencies' rows: a tracker view each would be another copy of every
	// row (1,588 regions in the generated 100,000 entries). The link goes
	// to that table, not to the page's top, and the facet says where it
	// leads (a reader took it for a view that had left the tracker).
	var regions []Link
	for r, n := range values(func(as *kb.AgencyStatus) string { return as.Agency.Agency.Region }) {
		regions = append(regions, Link{Label: regionName(r) + " (" + countryName(r[:2]) + ")", Value: r, URL: s.URL(RegionPath(r)) + "#tracker-h", Count: n})
	}
	// Two codes can share a name (Martinique is FR-MQ and FR-972): then
	// by code.
	sortLinks(regions)
	add("region", "Region", regions)
	add("level", "Level", links("level", values(func(as *kb.AgencyStatus) string { return as.Agency.Agency.Level }), same))
	add("kind", "Kind", links("kind", values(func(as *kb.AgencyStatus) string { return as.Agency.Agency.Kind }), same))
	vendorCounts := map[string]int{}
	vendorNames := map[string]string{}
	for _, as := range s.tracker.Agencies {
		for _, v := range t.vendors[as] {
			vendorCounts[v.Slug]++
			vendorNames[v.Slug] = v.Title
		}
	}
	add("vendor", "Vendor", links("vendor", vendorCounts, func(v string) string { return vendorNames[v] }))
	var ages []Link
	for _, a := range ageBuckets {
		bucket := a.Value
		ages = append(ages, Link{Label: a.Label, Value: a.Value, URL: s.URL(filterPath("evidence", a.Value)),
			Count: count(func(as *kb.AgencyStatus) bool { return ageBucket(t.age[as]) == bucket })})
	}
	add("evidence", "Evidence age", ages)
	return facets
}

func filterPath(facet, value string) string {
	return "tracker/" + facet + "/" + strings.ToLower(value) + "/"
}

// facetValues returns an agency's values for a facet: the views of the
// tracker it is listed in.
func facetValues(t *trackerTable, facet string, as *kb.AgencyStatus) []string {
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	switch facet {
	case "status":
		return one(string(as.Status))
	case "country":
		return one(as.Agency.Agency.Country)
	case "level":
		return one(as.Agency.Agency.Level)
	case "kind":
		return one(as.Agency.Agency.Kind)
	case "vendor":
		var out []string
		for _, v := range t.vendors[as] {
			out = append(out, v.Slug)
		}
		return out
	case "evidence":
		return one(ageBucket(t.age[as]))
	}
	return nil
}

// sorted returns the agencies in the order of a sort key.
func (s *Site) sorted(t *trackerTable, key string) []*kb.AgencyStatus {
	rows := append([]*kb.AgencyStatus(nil), s.tracker.Agencies...)
	title := func(i, j int) bool { return s.lessTitle(rows[i].Agency, rows[j].Agency) }
	var less func(i, j int) bool
	switch key {
	case "agency":
		less = title
	case "country":
		less = func(i, j int) bool {
			if c := compareCountries(rows[i].Agency.Agency.Country, rows[j].Agency.Agency.Country); c != 0 {
				return c < 0
			}
			if ra, rb := rows[i].Agency.Agency.Region, rows[j].Agency.Agency.Region; ra != rb {
				return ra < rb
			}
			return title(i, j)
		}
	case "evidence":
		less = func(i, j int) bool {
			a, b := t.age[rows[i]], t.age[rows[j]]
			if (a < 0) != (b < 0) {
				return b < 0
			}
			if a != b {
				return a < b
			}
			return title(i, j)
		}
	default:
		less = func(i, j int) bool {
			a, b := statusRank(rows[i].Status), statusRank(rows[j].Status)
			if a != b {
				return a < b
			}
			return title(i, j)
		}
	}
	sort.SliceStable(rows, less)
	return rows
}

// tableView assembles a view: the rows of the agencies, in order.
func (s *Site) tableView(t *trackerTable, rows []*kb.AgencyStatus, filter, sortKey string) *TableView {
	v := &TableView{AsOf: s.opts.AsOf, Summary: s.tracker.Summary(), Total: len(s.tracker.Agencies), Filter: filter, Sort: sortKey}
	for _, as := range rows {
		v.Rows = append(v.Rows, t.rows[as])
	}
	v.Count = len(v.Rows)
	// A filtered view counts its own agencies: under "filtered by
	// Country: France" the whole tracker's counts read as France's (found
	// in review). Its counts link nowhere, since the status views are of
	// every agency.
	counts := s.tracker.Counts
	if filter != "" {
		counts = map[kb.Status]int{}
		for _, as := range rows {
			counts[as.Status]++
		}
	}
	for _, st := range kb.Statuses {
		sc := StatusCount{Status: st, Count: counts[st]}
		if filter == "" {
			sc.URL = s.URL(filterPath("status", string(st)))
		}
		v.Statuses = append(v.Statuses, sc)
	}
	for _, k := range sortKeys {
		u := s.URL("tracker/sort/" + k.Key + "/")
		if k.Key == "status" {
			u = s.URL("tracker/")
		}
		v.Sorts = append(v.Sorts, Link{Label: k.Label, Value: k.Key, URL: u, Current: filter == "" && k.Key == sortKey})
	}
	v.Dates = s.snapshotLinks("")
	return v
}

// snapshotDates are the earlier dates the tracker is shown on: the first
// day of each year of the tracker over time.
func (s *Site) snapshotDates() []int {
	var out []int
	for i, d := range s.quarters() {
		if d.Month == 1 && d.Day == 1 && d.Before(s.opts.AsOf) {
			out = append(out, i)
		}
	}
	return out
}

func (s *Site) snapshotLinks(current string) []Link {
	var out []Link
	for _, i := range s.snapshotDates() {
		d := s.quarters()[i]
		out = append(out, Link{Label: strconv.Itoa(d.Year), Value: d.String(), URL: s.URL("tracker/on/" + d.String() + "/"), Current: d.String() == current})
	}
	// "(latest)", not "(now)": a page on a static host is read long
	// after the day it was built for (found in review).
	out = append(out, Link{Label: s.opts.AsOf.Human() + " (latest)", Value: s.opts.AsOf.String(), URL: s.URL("tracker/"), Current: current == ""})
	return out
}

// trackerPaths returns the pages of every view of the tracker but
// /tracker/ itself, for the sitemap.
func (s *Site) trackerPaths() []string {
	var out []string
	for _, k := range sortKeys[1:] {
		out = append(out, "tracker/sort/"+k.Key+"/")
	}
	_, facets := s.trackerTable()
	for _, f := range facets {
		if f.Name == "region" {
			continue
		}
		for _, val := range f.Values {
			out = append(out, filterPath(f.Name, val.Value))
		}
	}
	for _, i := range s.snapshotDates() {
		out = append(out, "tracker/on/"+s.quarters()[i].String()+"/")
	}
	return out
}

// trackerPages returns /tracker/ and every view of it that want selects
// (all if nil), by path. A view's rows are gathered as its job runs.
func (s *Site) trackerPages(want func(path string) bool) []sitePage {
	t, facets := s.trackerTable()
	desc := "Every agency's status on " + s.opts.AsOf.Human() + ": the restricted drones it flies, the laws that restrict them and the laws that bind it, with sources."
	var out []sitePage
	add := func(rel string, render job) {
		if want == nil || want(rel) {
			out = append(out, sitePage{path: rel, kind: "tracker pages", render: render})
		}
	}
	add("tracker/", func(w *writer) error {
		full := s.tableView(t, s.sorted(t, "status"), "", "status")
		full.Facets, full.Chart = facets, s.chartView()
		return s.renderPage(w, "tracker/", "tracker", &Page{Title: "Who still flies restricted drones", Description: desc, Path: "tracker/", Data: full})
	})
	for _, k := range sortKeys[1:] {
		k := k
		rel := "tracker/sort/" + k.Key + "/"
		add(rel, func(w *writer) error {
			v := s.tableView(t, s.sorted(t, k.Key), "", k.Key)
			v.Facets, v.Query = facets, "sort="+k.Key
			return s.renderTable(w, rel, Page{Title: "The tracker by " + k.Label, Description: desc + " Sorted by " + strings.ToLower(k.Label) + ".", Crumbs: []Crumb{{"Tracker", s.URL("tracker/")}}}, v)
		})
	}
	// Each view lists the agencies with its value, in the order of the
	// full table: one pass over the agencies for each facet that has a
	// view to render.
	var byStatus []*kb.AgencyStatus
	for _, f := range facets {
		if f.Name == "region" {
			continue
		}
		var vals []Link
		for _, val := range f.Values {
			if want == nil || want(filterPath(f.Name, val.Value)) {
				vals = append(vals, val)
			}
		}
		if len(vals) == 0 {
			continue
		}
		if byStatus == nil {
			byStatus = s.sorted(t, "status")
		}
		rows := map[string][]*kb.AgencyStatus{}
		for _, as := range byStatus {
			for _, v := range facetValues(t, f.Name, as) {
				rows[v] = append(rows[v], as)
			}
		}
		for _, val := range vals {
			label := f.Label + ": " + val.Label
			rel := filterPath(f.Name, val.Value)
			list := rows[val.Value]
			query := f.Name + "=" + url.QueryEscape(val.Value)
			add(rel, func(w *writer) error {
				v := s.tableView(t, list, label, "status")
				v.Query = query
				// Each view says which agencies it lists: the views shared
				// the whole tracker's description (found in review).
				d := fmt.Sprintf("The tracker's %s on %s (%s): the restricted drones each flies, the laws that restrict them and bind it, with sources.",
					plural(len(list), "agency", "agencies"), s.opts.AsOf.Human(), label)
				return s.renderTable(w, rel, Page{Title: "The tracker — " + label, Description: d, Crumbs: []Crumb{{"Tracker", s.URL("tracker/")}}}, v)
			})
		}
	}
	for _, i := range s.snapshotDates() {
		i := i
		add("tracker/on/"+s.quarters()[i].String()+"/", func(w *writer) error { return s.renderSnapshot(w, t, s.chartView().Points[i], i) })
	}
	return out
}

// renderSnapshot renders the tracker on an earlier date: each agency's
// status then, by the same rules (kb.Series).
func (s *Site) renderSnapshot(w *writer, t *trackerTable, p kb.SeriesPoint, _ int) error {
	v := &TableView{AsOf: p.Date, Total: len(s.tracker.Agencies), Snapshot: true, Dates: s.snapshotLinks(p.Date.String())}
	agencies := s.kb.Section("agencies")
	t.pastOnce.Do(func() {
		t.pastOrder = make([]int, len(agencies))
		for i := range t.pastOrder {
			t.pastOrder[i] = i
		}
		sort.Slice(t.pastOrder, func(x, y int) bool { return s.lessTitle(agencies[t.pastOrder[x]], agencies[t.pastOrder[y]]) })
		t.pastCells = make([]string, len(agencies))
		for i, e := range agencies {
			ag := e.Agency
			var b strings.Builder
			// The row's tag is closed here, after its status: its id,
			// as on today's table (rowID).
			b.WriteString(` id="` + html.EscapeString(rowID(e)) + `"><th scope="row">` + string(s.link(e)) + `</th><td data-label="Country">`)
			if l, ok := s.countryLinks[ag.Country]; ok {
				b.WriteString(string(l))
			}
			if ag.Region != "" {
				b.WriteString(`<br><span class="meta">` + html.EscapeString(regionName(ag.Region)) + `</span>`)
			}
			b.WriteString(`</td>`)
			t.pastCells[i] = b.String()
		}
	})
	// By status, most serious first, then by title: each status's
	// agencies in the order of their titles.
	byStatus := make([][]int, len(kb.Statuses))
	for _, i := range t.pastOrder {
		st := p.Status(i)
		if st == kb.NoRecord {
			v.NoRecord++
			continue
		}
		r := statusRank(st)
		byStatus[r] = append(byStatus[r], i)
	}
	for _, st := range kb.Statuses {
		v.Statuses = append(v.Statuses, StatusCount{Status: st, Count: p.Counts[st]})
	}
	// Each row says why, as today's table does: the evidence behind the
	// status, its age on that day and source, and the tracker's sentence
	// (a verdict without its evidence invites misquotation). The rows
	// are judged and rendered a page at a time: all of a date's at once
	// were 300 MB live at 100,000 entries, the build's peak.
	var listed []*kb.Entry
	var at []int // each listed agency's position in the section
	var ranks []kb.Status
	for r, rank := range byStatus {
		for _, i := range rank {
			listed = append(listed, agencies[i])
			at = append(at, i)
			ranks = append(ranks, kb.Statuses[r])
		}
	}
	judge := s.kb.JudgeOn(p.Date)
	rel := "tracker/on/" + p.Date.String() + "/"
	return s.renderTableRows(w, rel, Page{Title: "The tracker on " + p.Date.Human(),
		Description: "Each agency's status on " + p.Date.Human() + ", from the evidence dated up to that day.",
		Crumbs:      []Crumb{{"Tracker", s.URL("tracker/")}}}, v, len(listed), func(from, to int) []template.HTML {
		judged := judge(listed[from:to])
		rows := make([]template.HTML, len(judged))
		for n, as := range judged {
			st := ranks[from+n]
			b := newFragment()
			b.WriteString(`<tr data-status="` + string(st) + `"` + t.pastCells[at[from+n]] +
				`<td data-label="Status"><span class="status status-` + string(st) + `">` + html.EscapeString(st.Label()) + `</span> <span class="status-slug">` + string(st) + "</span></td>")
			evidenceWhy(b, as, evidenceAge(as, p.Date))
			b.WriteString("</tr>\n")
			rows[n] = b.html()
		}
		return rows
	})
}

// renderTable writes a view of the tracker other than /tracker/ itself:
// its rows cut into pages (renderPages), the filters on the first only.
func (s *Site) renderTable(w *writer, rel string, p Page, v *TableView) error {
	rows := v.Rows
	return s.renderTableRows(w, rel, p, v, len(rows), func(from, to int) []template.HTML { return rows[from:to] })
}

// renderTableRows is renderTable for a view of count rows that rows
// renders as each page is written, from and to counting from 0.
func (s *Site) renderTableRows(w *writer, rel string, p Page, v *TableView, count int, rows func(from, to int) []template.HTML) error {
	v.Count = count
	return s.renderPages(w, rel, "tracker", p, count, "Agencies", func(n, from, to int, pg *Pager) any {
		page := *v
		page.Rows, page.Pager = rows(from, to), pg
		if n > 1 {
			page.Facets = nil
		}
		return &page
	})
}

// trackerViewLens returns how many agencies each view of the tracker but
// /tracker/ lists (the pages renderTable cuts it into), by its path.
func (s *Site) trackerViewLens() map[string]int {
	m := map[string]int{}
	for _, k := range sortKeys[1:] {
		m["tracker/sort/"+k.Key+"/"] = len(s.tracker.Agencies)
	}
	_, facets := s.trackerTable()
	for _, f := range facets {
		if f.Name == "region" {
			continue
		}
		for _, val := range f.Values {
			m[filterPath(f.Name, val.Value)] = val.Count
		}
	}
	if dates := s.snapshotDates(); len(dates) > 0 {
		points := s.chartView().Points
		agencies := len(s.kb.Section("agencies"))
		for _, i := range dates {
			n := 0
			for a := range agencies {
				if points[i].Status(a) != kb.NoRecord {
					n++
				}
			}
			m["tracker/on/"+s.quarters()[i].String()+"/"] = n
		}
	}
	return m
}
