package site_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// phasedKB has a law that phases in, with an exemption, and an agency in
// each situation tracker v2 tells apart: banned, exempt, last seen before
// the ban, no fleet on record, and a component of another agency.
const phasedKB = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- vendors/skydio.md --
---
title: Skydio
country: US
---
-- laws/asda.md --
---
title: American Security Drone Act
short: ASDA
country: US
status: enacted
enacted: 2023-12-22
restricts: {countries: [CN]}
binds: {levels: [national]}
provisions:
  - measure: procurement
  - measure: operation
    effective: 2025-12-22
    exempts:
      - {agencies: [fbi], uses: federal criminal investigations, source: "https://example.org/asda-1824"}
sources:
  - https://example.org/asda
  - https://example.org/asda-1824
---
-- agencies/fbi.md --
---
title: FBI
country: US
level: national
kind: police
fleet:
  - {vendor: dji, model: Mavic 3, count: 12, status: active, as_of: 2026-02, source: "https://example.org/fbi"}
sources: [https://example.org/fbi]
---
-- agencies/cbp.md --
---
title: CBP
country: US
level: national
kind: police
fleet:
  - {vendor: dji, status: active, as_of: 2026-03, source: "https://example.org/cbp"}
sources: [https://example.org/cbp]
---
-- agencies/unit.md --
---
title: CBP air unit
country: US
level: national
kind: police
parent: cbp
fleet:
  - {vendor: skydio, status: active, as_of: 2026-03, source: "https://example.org/unit"}
sources: [https://example.org/unit]
---
-- agencies/doi.md --
---
title: Interior
country: US
level: national
kind: civil
fleet:
  - {vendor: dji, status: active, as_of: 2024-06, source: "https://example.org/doi"}
sources: [https://example.org/doi]
---
-- agencies/nopd.md --
---
title: No record police
country: US
level: local
kind: police
sources: [https://example.org/nopd]
---
`

// TestTrackerPagesSayWhy builds phasedKB on 2026-06-01 and reads the pages
// as a reader would: the tracker's groups and their rows (country, reason),
// an agency's sentence and the laws that concern it, a law's provisions and
// exemptions, and the home page's headline numbers.
func TestTrackerPagesSayWhy(t *testing.T) {
	s := sitetest.BuildArchive(t, phasedKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
	page := func(rel string) *html.Node {
		t.Helper()
		return parseFile(t, filepath.Join(s.Dir, filepath.FromSlash(rel)))
	}
	text := func(n *html.Node) string {
		if n == nil {
			return ""
		}
		return strings.Join(strings.Fields(sitetest.Text(n)), " ")
	}
	has := func(where, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not say %q", where, got, w)
			}
		}
	}

	// The tracker: every status has its anchor, and one table holds every
	// agency, most serious status first, each row with its status, its
	// country and the sentence that says why.
	tracker := page("tracker/index.html")
	wantGroup := map[string]string{"CBP": "flying-banned", "FBI": "flying-restricted", "Interior": "unknown",
		"CBP air unit": "clear", "No record police": "no-record"}
	for _, st := range kb.Statuses {
		count := sitetest.ByID(tracker, "st-"+string(st))
		if count == nil {
			t.Errorf("tracker: no anchor for %s", st)
			continue
		}
		explained := false
		for _, span := range sitetest.Find(count, atom.Span) {
			if title, _ := sitetest.Attr(span, "title"); title == st.Explain() {
				explained = true
			}
		}
		if !explained {
			t.Errorf("tracker: the count of %s does not explain it (%q)", st, st.Explain())
		}
	}
	rows := 0
	lastRank := -1
	for _, tr := range sitetest.Find(sitetest.ByID(tracker, "tracker-table"), atom.Tr) {
		cells := sitetest.Find(tr, atom.Td)
		if len(cells) == 0 {
			continue
		}
		rows++
		agency := text(sitetest.Find(tr, atom.Th)[0])
		st, _ := sitetest.Attr(tr, "data-status")
		if want := wantGroup[strings.TrimSuffix(agency, " (part of CBP)")]; st != want {
			t.Errorf("tracker: %s has status %s; want %s", agency, st, want)
		}
		if !strings.Contains(text(cells[2]), st) || !strings.Contains(text(cells[2]), kb.Status(st).Label()) {
			t.Errorf("tracker: %s's status cell says %q, not %s (%s)", agency, text(cells[2]), kb.Status(st).Label(), st)
		}
		// A row does not repeat its status's explanation: the counts
		// above the table give it once.
		for _, span := range sitetest.Find(cells[2], atom.Span) {
			if title, ok := sitetest.Attr(span, "title"); ok {
				t.Errorf("tracker: %s's status badge repeats the explanation %q", agency, title)
			}
		}
		rank := slices.Index(kb.Statuses, kb.Status(st))
		if rank < lastRank {
			t.Errorf("tracker: %s (%s) comes after a less serious status", agency, st)
		}
		lastRank = rank
		if got := text(cells[0]); got != "United States" {
			t.Errorf("tracker: %s's Country cell is %q; want United States", agency, got)
		}
		if text(cells[len(cells)-1]) == "" {
			t.Errorf("tracker: %s has no reason", agency)
		}
	}
	if rows != len(wantGroup) {
		t.Errorf("tracker: %d rows; want %d", rows, len(wantGroup))
	}
	// The column of drones behind a status lists drones of unknown make
	// too (an unknown row's): its heading says so, or a reader takes them
	// for restricted ones (found in review).
	if head := sitetest.Find(sitetest.Find(sitetest.ByID(tracker, "tracker-table"), atom.Thead)[0], atom.Th); len(head) < 5 || !strings.Contains(text(head[4]), "unknown make") {
		t.Errorf("tracker: the drones' column heading does not say it lists drones of unknown make")
	}
	// A row can be cited by its id, and its evidence date links the
	// source it comes from (the Evidence column gave a date alone).
	for id, src := range map[string]string{"agency-fbi": "https://example.org/fbi", "agency-cbp": "https://example.org/cbp"} {
		row := sitetest.ByID(tracker, id)
		if row == nil || row.DataAtom != atom.Tr {
			t.Errorf("tracker: no row with the id %s", id)
			continue
		}
		linked := false
		for _, a := range sitetest.Find(row, atom.A) {
			if href, _ := sitetest.Attr(a, "href"); href == src && len(sitetest.Find(a, atom.Time)) == 1 {
				linked = true
			}
		}
		if !linked {
			t.Errorf("tracker: %s's evidence date does not link its source %s", id, src)
		}
	}
	if sitetest.ByID(page("tracker/on/2026-01-01/index.html"), "agency-doi") == nil {
		t.Error("tracker/on/2026-01-01/: no row with the id agency-doi")
	}
	// The opening sentence counts every agency once, so that its figures
	// add up to the total (the grounded and the clear were left out, found
	// in review), in the singular for one.
	has("tracker lede", text(sitetest.Find(tracker, atom.Header)[1]),
		"The status of each of 5 agencies on 1 June 2026: 2 fly restricted drones, 1 of them against an operating ban that binds them; 1 may fly restricted drones, but the evidence does not settle it (1 because the evidence on their restricted drones is old); 1 has a fleet on record with no restricted drones; 1 has no fleet on record.")

	// An agency exempt from the operating ban: the sentence names the
	// exemption and its uses; the laws table says what each provision does.
	fbi := page("agencies/fbi/index.html")
	has("fbi reason", text(sitetest.ByID(fbi, "reason")),
		"Flies 12 × DJI Mavic 3 (seen flying February 2026)[1]", "ASDA (procurement) binds this agency and bars buying drones from makers based in China since 22 December 2023",
		"it is exempt from ASDA (operation) for federal criminal investigations[source]")
	laws := text(sitetest.ByID(fbi, "tracker"))
	has("fbi laws", laws, "procurement since 22 December 2023", "operation since 22 December 2025", "exempts it for federal criminal investigations (source)")
	if strings.Contains(laws, "bans flying") {
		t.Errorf("fbi laws: an exempt agency is said to fly against a ban: %q", laws)
	}

	// Its citation gives the date its status is computed for, which the
	// entry's last change does not: the status moves with time and laws.
	has("fbi citation", text(sitetest.ByID(fbi, "cite")), "Its tracker status is computed for 1 June 2026", "tracker status as of 2026-06-01;")

	// A banned agency, with its component and the component's status.
	cbp := page("agencies/cbp/index.html")
	has("cbp", text(sitetest.ByID(cbp, "tracker")), "Flies drones a ban binding it forbids", "although an operating ban binds it: ASDA (operation) has banned flying drones from makers based in China since 22 December 2025",
		"bans flying the drones it is seen flying", "Its components", "CBP air unit — Fleet on record, no restricted drones")

	// Last seen before the ban: unknown, and the page says so.
	doi := page("agencies/doi/index.html")
	has("doi", text(sitetest.ByID(doi, "tracker")), "Restricted drones of unknown use, or drones of unknown make", "Last seen June 2024, before the ban",
		"Last seen flying DJI in June 2024[1], before ASDA (operation) banned flying drones from makers based in China on 22 December 2025")

	// No fleet on record is not clear.
	nopd := page("agencies/nopd/index.html")
	has("nopd", text(sitetest.ByID(nopd, "tracker")), "No fleet on record", "which is not the same as having none")

	// The law page lists its provisions with their dates, the exemption
	// with its uses and source, and the bound agencies still flying.
	asda := page("laws/asda/index.html")
	prov := sitetest.ByID(asda, "provisions")
	has("asda provisions", text(prov), "procurement from 22 December 2023", "operation from 22 December 2025", "FBI, for federal criminal investigations[2]", "in force on 1 June 2026")
	// A country restricts the vendors based there, whatever a drone's
	// factory: the page says so, as the reasons do, not "made in".
	has("asda restricts", text(sitetest.ByID(asda, "restricted")), "Hardware from makers based in China")
	has("asda provisions' hardware", text(prov), "from makers based in China")
	if strings.Contains(text(asda), "made in China") {
		t.Errorf("asda: the page says %q", "made in China")
	}
	// (The agencies it names are links: the text of a list runs its items
	// together, "…forbidsFBI", and FBI was found only among those the
	// provision exempts, when they shared its row.)
	op := text(sitetest.ByID(asda, "provision-2"))
	var linked []string
	for _, a := range sitetest.Find(sitetest.ByID(asda, "provision-2"), atom.A) {
		linked = append(linked, text(a))
	}
	for _, name := range []string{"CBP", "FBI"} {
		if !slices.Contains(linked, name) {
			t.Errorf("asda: the operating ban's row does not list %s among bound agencies flying: %q", name, op)
		}
	}
	if strings.Contains(op, "Interior") {
		t.Errorf("asda: Interior, last seen before the ban, is listed as flying: %q", op)
	}
	if cite := text(sitetest.ByID(asda, "cite")); cite == "" || strings.Contains(cite, "tracker status") {
		t.Errorf("asda citation: %q; a law's citation has no tracker status", cite)
	}
	has("asda affected", text(sitetest.ByID(asda, "laws")), "3 agencies in its jurisdiction hold hardware it restricts; it binds 3 of them, and 1 is seen flying what its operating ban forbids them")

	// The home page's headline numbers never count no-record as clear.
	home := text(page("index.html"))
	has("home", home, "2 of 5 agencies fly restricted drones 1 of them against an operating ban that binds them",
		"1 may fly restricted drones: the evidence does not settle it 1 because the evidence on their restricted drones is old", "0 grounded or retired their restricted drones as their latest observations report", "1 clear a fleet on record with no restricted drones", "1 with no fleet on record nothing known, which is not clear",
		// The countries it follows are its agencies': a vendor's (China)
		// is not among them.
		"1 country with agencies on record 2 with entries of any kind; 2 vendors")
}

// stateLawKB has a state's law restricting what China makes, an agency of
// that state flying such drones, and two flying them outside it: one of
// another state and a French one.
const stateLawKB = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/fl-ban.md --
---
title: Florida ban
country: US
region: US-FL
status: enacted
enacted: 2023-01-01
measure: operation
restricts: {countries: [CN]}
binds: {levels: [state, local]}
sources: [https://example.org/fl]
---
-- agencies/ocoee.md --
---
title: Ocoee Police
country: US
region: US-FL
level: local
kind: police
fleet:
  - {vendor: dji, status: active, as_of: 2026-03, source: "https://example.org/ocoee"}
sources: [https://example.org/ocoee]
---
-- agencies/nypd.md --
---
title: NYPD
country: US
region: US-NY
level: local
kind: police
fleet:
  - {vendor: dji, status: active, as_of: 2026-03, source: "https://example.org/nypd"}
sources: [https://example.org/nypd]
---
-- agencies/paris.md --
---
title: Paris Police
country: FR
region: FR-75
level: local
kind: police
fleet:
  - {vendor: dji, status: active, as_of: 2026-03, source: "https://example.org/paris"}
sources: [https://example.org/paris]
---
`

// TestLawPageListsItsJurisdiction: a law's "agencies it affects" lists
// the agencies inside its jurisdiction that hold what it restricts, and
// only counts those elsewhere. It listed every holder of a restricted make
// anywhere, so a Florida statute's page showed the Paris police as an
// agency it affects, "Bound by this law? No" (found in review).
func TestLawPageListsItsJurisdiction(t *testing.T) {
	s := sitetest.BuildArchive(t, stateLawKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
	law := parseFile(t, filepath.Join(s.Dir, "laws", "fl-ban", "index.html"))
	affects := strings.Join(strings.Fields(sitetest.Text(sitetest.ByID(law, "laws"))), " ")
	for _, want := range []string{
		"1 agency in its jurisdiction holds hardware it restricts; it binds 1 of them, and 1 is seen flying what its operating ban forbids them.",
		"2 agencies outside its jurisdiction hold such hardware too; this law does not reach them",
		"Ocoee Police",
	} {
		if !strings.Contains(affects, want) {
			t.Errorf("the law's affected agencies say %q; want %q", affects, want)
		}
	}
	for _, outside := range []string{"NYPD", "Paris Police"} {
		if strings.Contains(affects, outside) {
			t.Errorf("the Florida law's affected agencies list %s, outside its jurisdiction: %q", outside, affects)
		}
	}
	timeline := sitetest.Text(sitetest.ByID(law, "timeline"))
	if !strings.Contains(timeline, "Ocoee Police") || strings.Contains(timeline, "NYPD") || strings.Contains(timeline, "Paris Police") {
		t.Errorf("the law's timeline draws other agencies than those of its jurisdiction: %q", timeline)
	}
	// Each observation it lists links its source, as the agency's page does.
	page, err := os.ReadFile(filepath.Join(s.Dir, "laws", "fl-ban", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<a href="https://example.org/ocoee" rel="noopener noreferrer nofollow" title="The source of this observation">[source]</a>`) {
		t.Error("the law's timeline does not link the source of Ocoee's observation")
	}
}

// TestTimelinesAndViews reads the pictures and views phasedKB gives on
// 2026-06-01: Interior's timeline marks both provisions of the act that
// bind it and counts its 2024 sighting as in service until the operating
// ban, not after; the FBI's, exempt, up to the date; the
// act's timeline draws its two provisions and the agencies flying what
// it restricts; /timeline/ lists the act; the views of the tracker
// without script hold the right agencies.
func TestTimelinesAndViews(t *testing.T) {
	s := sitetest.BuildArchive(t, phasedKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
	read := func(rel string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(s.Dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	doi := read("agencies/doi/index.html")
	for _, want := range []string{`class="line line-law"><title>22 December 2023: ASDA (procurement) takes effect`,
		`class="line line-law"><title>22 December 2025: ASDA (operation) takes effect`,
		`data-kind="flying"><title>DJI: seen flying, June 2024</title></circle>`, `class="line line-as-of"`,
		// Seen flying in June 2024, within 24 months of 2026-06-01, but
		// before the operating ban that binds it: counted as in service
		// until the ban, not after (it was drawn flying to the date, when
		// the tracker calls it unknown).
		`data-kind="counted as in service"><title>DJI: seen flying, June 2024; counted as in service until ASDA (operation) takes effect, 22 December 2025</title>`,
		`data-kind="no newer report"><title>DJI: seen flying, June 2024; no longer counted as in service: ASDA (operation) in force from 22 December 2025 bans it, and no later observation shows it flying</title>`} {
		if !strings.Contains(doi, want) {
			t.Errorf("Interior's timeline lacks %q", want)
		}
	}
	if strings.Contains(doi, "no later observation within 24 months") {
		t.Error("Interior's 2024 sighting is marked stale on 2026-06-01")
	}
	// The FBI's 2026 sighting, the ban exempting it, counts to the date.
	if fbi := read("agencies/fbi/index.html"); !strings.Contains(fbi, `data-kind="counted as in service"><title>12 × DJI Mavic 3: seen flying, February 2026; counted as in service up to the tracker&#39;s date, 1 June 2026</title>`) {
		t.Error("the FBI's timeline does not count its 2026 sighting as in service up to the date")
	}
	unit := read("agencies/nopd/index.html")
	if strings.Contains(unit, "timeline-chart") {
		t.Error("an agency with no fleet draws a timeline")
	}
	law := read("laws/asda/index.html")
	for _, want := range []string{`<title>Provision 1: procurement, in force from 22 December 2023</title>`,
		`<title>Provision 2: operation, in force from 22 December 2025</title>`, `>FBI — 12 × DJI Mavic 3</text>`} {
		if !strings.Contains(law, want) {
			t.Errorf("the act's timeline lacks %q", want)
		}
	}
	if tl := read("timeline/index.html"); !strings.Contains(tl, `id="y2025"`) || !strings.Contains(tl, "operation takes effect") {
		t.Error("/timeline/ does not list the act's operating ban in 2025")
	}
	views := map[string][]string{
		"tracker/status/flying-banned/index.html": {"CBP"},
		"tracker/vendor/skydio/index.html":        {"CBP air unit"},
		"tracker/level/local/index.html":          {"No record police"},
		"tracker/evidence/none/index.html":        {"No record police"},
	}
	// An evidence view names the age of the evidence, not a sighting: a
	// row's date may be a report of grounded drones.
	if page := read("tracker/index.html"); !strings.Contains(page, "12 to 24 months old") || strings.Contains(page, "Seen 12 to 24") {
		t.Error("the tracker's evidence-age filter does not name ages of evidence")
	}
	for rel, want := range views {
		page := read(rel)
		got := strings.Count(page, "<tr data-status=")
		if got != len(want) {
			t.Errorf("%s has %d rows; want %v", rel, got, want)
		}
		for _, w := range want {
			if !strings.Contains(page, ">"+w+"</a>") {
				t.Errorf("%s does not list %s", rel, w)
			}
		}
		// Its counts by status are its own agencies', and link to no
		// view of every agency (they were the whole tracker's).
		for _, m := range regexp.MustCompile(`<li id="st-([a-z-]+)">(.*?)<strong>(\d+)</strong>`).FindAllStringSubmatch(page, -1) {
			if rows := strings.Count(page, `<tr data-status="`+m[1]+`"`); strconv.Itoa(rows) != m[3] {
				t.Errorf("%s counts %s agencies %s; it lists %d", rel, m[1], m[3], rows)
			}
			if strings.Contains(m[2], "<a ") {
				t.Errorf("%s: its %s count links to the view of every agency", rel, m[1])
			}
		}
	}
	if page := read("tracker/index.html"); !strings.Contains(page, `<li id="st-flying-banned"><a href="/tracker/status/flying-banned/">`) {
		t.Error("/tracker/'s counts do not link to the status views")
	}
}

// TestExemptAgencyWithoutRestrictedDrones: an agency a law exempts, which
// holds none of the drones the law restricts, used to read that the law
// "binds it and governs its drone use", exemption unsaid (CISA and the
// American Security Drone Act). Its page now names the exemption, what for
// and its source, beside the provisions it is not exempt from.
func TestExemptAgencyWithoutRestrictedDrones(t *testing.T) {
	s := sitetest.BuildArchive(t, `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- vendors/skydio.md --
---
title: Skydio
country: US
---
-- laws/asda.md --
---
title: American Security Drone Act
short: ASDA
country: US
status: enacted
enacted: 2023-12-22
restricts: {countries: [CN]}
binds: {levels: [national]}
exempts:
  - {agencies: [cyber], uses: cybersecurity research, source: "https://example.org/asda-1824"}
provisions:
  - measure: procurement
    exempts: []
  - measure: operation
    effective: 2025-12-22
  - measure: data
    effective: 2025-12-22
  - measure: funding
    effective: 2025-12-22
    exempts:
      - {agencies: [cyber], uses: grant-funded research, source: "https://example.org/asda-1825"}
sources:
  - https://example.org/asda
  - https://example.org/asda-1824
  - https://example.org/asda-1825
---
-- agencies/cyber.md --
---
title: Cyber agency
country: US
level: national
kind: civil
fleet:
  - {vendor: skydio, status: active, as_of: 2026-03, source: "https://example.org/cyber"}
sources: [https://example.org/cyber]
---
`, site.Options{AsOf: kb.MustDate("2026-06-01")})
	page := parseFile(t, filepath.Join(s.Dir, "agencies", "cyber", "index.html"))
	got := strings.Join(strings.Fields(sitetest.Text(sitetest.ByID(page, "tracker"))), " ")
	// One sentence per exemption: the provisions that share one are named
	// together, those with another apart.
	for _, want := range []string{
		"Other laws in force that bind it and govern its drone use: ASDA (procurement).",
		"Laws in force that bind it but exempt it for cybersecurity research (source): ASDA (operation, data).",
		"Laws in force that bind it but exempt it for grant-funded research (source): ASDA (funding).",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("cyber agency's tracker section does not say %q:\n%s", want, got)
		}
	}
}

// TestFundingBindsOnlyTheMoney: a funding rule binds an agency only in
// what it pays for with the money the rule governs. Its row in the agency's
// table of laws used to say "binds it", as a purchase ban's does, though no
// source says the agency spent that money on its drones.
func TestFundingBindsOnlyTheMoney(t *testing.T) {
	s := sitetest.BuildArchive(t, `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/grants.md --
---
title: Grant policy
country: US
status: enacted
enacted: 2020-10-05
restricts: {countries: [CN]}
measure: funding
sources: [https://example.org/grants]
---
-- agencies/pd.md --
---
title: PD
country: US
level: local
fleet:
  - {vendor: dji, status: active, as_of: 2026-03, source: "https://example.org/pd"}
sources: [https://example.org/pd]
---
`, site.Options{AsOf: kb.MustDate("2026-06-01")})
	page := parseFile(t, filepath.Join(s.Dir, "agencies", "pd", "index.html"))
	laws := strings.Join(strings.Fields(sitetest.Text(sitetest.ByID(page, "tracker"))), " ")
	if !strings.Contains(laws, "binds it when it spends the money the law governs") {
		t.Errorf("pd's laws do not say the grant policy binds it only with its money: %q", laws)
	}
	if !strings.Contains(laws, "which binds this agency when it spends that money") {
		t.Errorf("pd's reason does not say the grant policy binds it only with its money: %q", laws)
	}
}

// TestLawPageNamesCountriesAsASentenceDoes: a law restricting what a
// country's makers make names the country with its article, as the
// tracker's reasons do ("based in Russian Federation" read as a slip).
func TestLawPageNamesCountriesAsASentenceDoes(t *testing.T) {
	s := sitetest.BuildArchive(t, `
-- laws/ban.md --
---
title: Ban
summary: A ban.
kind: statute
country: US
status: enacted
enacted: 2020-01-01
restricts: {countries: [RU, CN]}
measure: procurement
sources: [https://example.org/ban]
---
A ban [1].
`, site.Options{AsOf: kb.MustDate("2026-06-01")})
	law := parseFile(t, filepath.Join(s.Dir, "laws", "ban", "index.html"))
	got := strings.Join(strings.Fields(sitetest.Text(sitetest.ByID(law, "restricted"))), " ")
	for _, want := range []string{"Hardware from makers based in the Russian Federation", "Hardware from makers based in China"} {
		if !strings.Contains(got, want) {
			t.Errorf("the law page's restrictions %q do not say %q", got, want)
		}
	}
}

// TestPagesSayWhatTheyKnow: a law that binds no agency in the knowledge
// base says so, not that it acts only on manufacturers (a French policing
// law and a federal grant rule were said to); a vendor's table of who
// flies it heads the agencies' statuses as theirs, from all their drones,
// not as the vendor's (a Skydio row read "Flies restricted drones").
func TestPagesSayWhatTheyKnow(t *testing.T) {
	s := sitetest.BuildArchive(t, `
-- vendors/skydio.md --
---
title: Skydio
summary: A drone maker.
country: US
sources: [https://example.org/s]
---
Skydio [1].
-- laws/grants.md --
---
title: Grant rule
summary: A rule on grant money.
kind: policy
country: US
status: enacted
enacted: 2020-01-01
restricts: {countries: [CN]}
measure: funding
binds: {agencies: []}
sources: [https://example.org/g]
---
It reaches an agency only when it spends the money [1].
-- agencies/city.md --
---
title: City Police
summary: A police force.
country: US
level: local
kind: police
fleet:
  - {vendor: skydio, status: active, as_of: 2026-01-01, source: "https://example.org/c"}
sources: [https://example.org/c]
---
City [1].
`, site.Options{AsOf: kb.MustDate("2026-06-01")})
	text := func(rel, id string) string {
		t.Helper()
		n := parseFile(t, filepath.Join(s.Dir, filepath.FromSlash(rel)))
		if id != "" {
			n = sitetest.ByID(n, id)
		}
		return strings.Join(strings.Fields(sitetest.Text(n)), " ")
	}
	if got := text("laws/grants/index.html", "binds"); !strings.Contains(got, "No agency in this knowledge base") || strings.Contains(got, "manufacturers") {
		t.Errorf("the grant rule's 'Whom it binds': %q", got)
	}
	if got := text("vendors/skydio/index.html", "fleet"); !strings.Contains(got, "The agency's tracker status (all its drones)") {
		t.Errorf("Skydio's table of who flies it: %q", got)
	}
}

// TestLawPageSaysWhenFlyingAgainstTheBanIsNotKnown: a law's table of the
// agencies it affects answers "Flying against its ban?" with "Not known",
// and why, for an agency last seen flying before the ban took effect or
// too long ago, where it said "No", as though the agency had complied
// (found in review); "Yes" for one seen flying since.
func TestLawPageSaysWhenFlyingAgainstTheBanIsNotKnown(t *testing.T) {
	for _, c := range []struct {
		name, archive, asOf, want string
	}{
		{"seen since the ban", stateLawKB, "2026-06-01", "Yes"},
		{"seen before the ban", strings.Replace(stateLawKB, "enacted: 2023-01-01", "enacted: 2026-05-01", 1), "2026-06-01", "Not known: last seen flying before an operating ban took effect"},
		{"seen too long ago", stateLawKB, "2028-06-01", "Not known: last seen flying more than 24 months before this date"},
	} {
		s := sitetest.BuildArchive(t, c.archive, site.Options{AsOf: kb.MustDate(c.asOf)})
		law := parseFile(t, filepath.Join(s.Dir, "laws", "fl-ban", "index.html"))
		var got string
		for _, tr := range sitetest.Find(sitetest.ByID(law, "laws"), atom.Tr) {
			cells := sitetest.Find(tr, atom.Td)
			if th := sitetest.Find(tr, atom.Th); len(th) > 0 && strings.Contains(sitetest.Text(th[0]), "Ocoee") && len(cells) >= 3 {
				got = strings.Join(strings.Fields(sitetest.Text(cells[2])), " ")
			}
		}
		if got != c.want {
			t.Errorf("%s: Ocoee's row says %q to \"Flying against its ban?\"; want %q", c.name, got, c.want)
		}
	}
}

// TestUnsourcedStatusSaysSo: a fleet item whose status names no source
// (check warns of it) is shown as having none, on the agency's fleet table
// and in the tracker's evidence, rather than as a status that cites
// nothing as though it did (found in review).
func TestUnsourcedStatusSaysSo(t *testing.T) {
	archive := strings.Replace(stateLawKB, `  - {vendor: dji, status: active, as_of: 2026-03, source: "https://example.org/ocoee"}`, `  - {vendor: dji, status: active, as_of: 2026-03}`, 1)
	if archive == stateLawKB {
		t.Fatal("the fixture has changed: no Ocoee fleet item to take the source from")
	}
	s := sitetest.BuildArchive(t, archive, site.Options{AsOf: kb.MustDate("2026-06-01")})
	page := parseFile(t, filepath.Join(s.Dir, "agencies", "ocoee", "index.html"))
	if fleet := strings.Join(strings.Fields(sitetest.Text(sitetest.ByID(page, "fleet"))), " "); !strings.Contains(fleet, "(no source given)") {
		t.Errorf("Ocoee's fleet table does not say its item's status has no source: %q", fleet)
	}
	tracker := parseFile(t, filepath.Join(s.Dir, "tracker", "index.html"))
	row := sitetest.ByID(tracker, "agency-ocoee")
	if row == nil {
		t.Fatal("no Ocoee row on /tracker/")
	}
	if txt := sitetest.Text(row); !strings.Contains(txt, "(no source given)") {
		t.Errorf("Ocoee's tracker row does not say its evidence has no source: %q", strings.Join(strings.Fields(txt), " "))
	}
	region, err := os.ReadFile(filepath.Join(s.Dir, "countries", "us", "fl", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(region), "(no source given)") {
		t.Error("Florida's page does not say Ocoee's evidence has no source")
	}
	sourcedSite := sitetest.BuildArchive(t, stateLawKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
	sourced := parseFile(t, filepath.Join(sourcedSite.Dir, "agencies", "ocoee", "index.html"))
	if strings.Contains(sitetest.Text(sourced), "no source given") {
		t.Error("a sourced status is said to have no source")
	}
	// The region's table links the evidence's source, as /tracker/ does.
	region, err = os.ReadFile(filepath.Join(sourcedSite.Dir, "countries", "us", "fl", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(region), `<a href="https://example.org/ocoee" rel="noopener noreferrer nofollow" title="The source of this evidence">`) {
		t.Error("Florida's page does not link the source of Ocoee's evidence")
	}
}

// TestTrackerFiltersLeadToTrackerTables: every link of /tracker/'s
// filters (the page without script) leads to a table of the tracker
// holding as many agencies as the link counts: a view of the tracker, or,
// for a region, the tracker's table on the region's page (its links led
// to the top of that page, which a reader took for leaving the tracker:
// found in review).
func TestTrackerFiltersLeadToTrackerTables(t *testing.T) {
	s := shippedSite(t)
	nav := regexp.MustCompile(`(?s)<nav aria-label="Filter the tracker".*?</nav>`).FindString(pageHTML(t, s.Dir, "tracker"))
	links := regexp.MustCompile(`<details data-facet="([a-z]+)">|<a href="/([^"#]*)(#[^"]*)?" data-value="[^"]*">[^<]*</a> <span class="count">(\d+)</span>`).FindAllStringSubmatch(nav, -1)
	facet, regions := "", 0
	for _, m := range links {
		if m[1] != "" {
			facet = m[1]
			continue
		}
		rel, anchor, count := m[2], m[3], m[4]
		page := pageHTML(t, s.Dir, rel)
		table := page
		if facet == "region" {
			regions++
			if anchor != "#tracker-h" || !strings.HasPrefix(rel, "countries/") {
				t.Errorf("the region filter links to /%s%s, not to a region's tracker table", rel, anchor)
				continue
			}
			_, table, _ = strings.Cut(page, `<h2 id="tracker-h">`)
			table, _, _ = strings.Cut(table, "</section>\n</section>")
		} else if !strings.HasPrefix(rel, "tracker/") || anchor != "" {
			t.Errorf("the %s filter links to /%s%s, outside the tracker", facet, rel, anchor)
			continue
		}
		if got := strings.Count(table, "<th scope=\"row\">"); strconv.Itoa(got) != count {
			t.Errorf("the %s filter counts %s agencies for /%s%s; its table has %d rows", facet, count, rel, anchor, got)
		}
	}
	if regions == 0 {
		t.Fatal("/tracker/ has no region filter: the test needs one")
	}
	if !strings.Contains(nav, "Each region's page, at the tracker's table of its agencies.") {
		t.Error("the region filter does not say where its links lead")
	}
}

// TestTrackerViewsSayTheDownloadsAreWhole: a filtered view of the tracker
// links to the downloads, which hold every agency; it says so, where a
// reader of "4 agencies of 38, filtered by Status: grounded" took
// tracker.csv for those 4 (found in a researcher's audit).
func TestTrackerViewsSayTheDownloadsAreWhole(t *testing.T) {
	s := shippedSite(t)
	downloads := regexp.MustCompile(`(?s)<p class="downloads">.*?</p>`)
	for _, rel := range []string{"tracker/status/grounded", "tracker/country/fr", "tracker/vendor/dji"} {
		p := downloads.FindString(pageHTML(t, s.Dir, rel))
		if !strings.Contains(p, "The downloads give all 38 agencies, not only the ") || !strings.Contains(p, `href="/data/tracker.csv"`) {
			t.Errorf("/%s/: the downloads are not said to hold every agency: %s", rel, p)
		}
	}
	if p := downloads.FindString(pageHTML(t, s.Dir, "tracker")); strings.Contains(p, "not only") {
		t.Errorf("/tracker/, the whole table, says its downloads hold more: %s", p)
	}
}
