package sqlitedata_test

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	_ "modernc.org/sqlite"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/internal/sqlitedata"
)

// TestSQLiteDownload opens data/kb.sqlite as a researcher would and checks
// that it holds the knowledge base: a row per entry in each type's table,
// every fleet item and observation, foreign keys that all resolve, and a
// join of agencies with the tracker that gives the same statuses as
// tracker.json.
func TestSQLiteDownload(t *testing.T) {
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{Exports: []site.Export{sqlitedata.Export()}})
	db := openDB(t, s)
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, sec := range kb.Sections {
		if got, want := count("SELECT count(*) FROM "+sec.Dir), len(s.KB.Section(sec.Dir)); got != want {
			t.Errorf("%s: %d rows; the knowledge base has %d", sec.Dir, got, want)
		}
	}
	items, obs, provisions := 0, 0, 0
	for _, a := range s.KB.Section("agencies") {
		items += len(a.Agency.Fleet)
		for i := range a.Agency.Fleet {
			obs += len(a.Agency.Fleet[i].Observations())
		}
	}
	for _, l := range s.KB.Section("laws") {
		provisions += len(l.Law.Provisions)
	}
	if got := count("SELECT count(*) FROM fleet_items"); got != items || items == 0 {
		t.Errorf("fleet_items: %d rows; want %d", got, items)
	}
	if got := count("SELECT count(*) FROM observations"); got != obs {
		t.Errorf("observations: %d rows; want %d", got, obs)
	}
	if got := count("SELECT count(*) FROM provisions"); got != provisions {
		t.Errorf("provisions: %d rows; want %d", got, provisions)
	}
	// A provision counted from the day a source first shows it in force
	// says so, as kb.json and laws.csv do: its start is no effective date.
	var start, by string
	if err := db.QueryRow(`SELECT start, in_force_by FROM provisions WHERE law_id = 'laws/tn-hb1070-2023' AND in_force_by IS NOT NULL`).Scan(&start, &by); err != nil || by != start || by == "" {
		t.Errorf("Tennessee HB 1070's provision: start %q, in_force_by %q (%v); want in_force_by, the day a source first shows it in force, as its start", start, by, err)
	}
	if got := count("SELECT count(*) FROM tracker"); got != len(s.KB.Section("agencies")) {
		t.Errorf("tracker: %d rows; want one per agency", got)
	}
	// Each entry's language is the one its text is written in, as its
	// page declares it: the shipped entries of France are written in
	// English (search still analyses them as French), as is the NYPD's.
	for id, want := range map[string]string{"agencies/fr-gendarmerie-nationale": "en", "agencies/nypd": "en"} {
		var lang string
		if err := db.QueryRow("SELECT lang FROM entries WHERE id = ?", id).Scan(&lang); err != nil || lang != want {
			t.Errorf("%s: lang %q (%v), want %q", id, lang, err, want)
		}
	}
	// The language of a title where it is not the text's: the Aisne
	// prefecture's French name, and a French headline among its sources.
	var titleLang, srcLang, english sql.NullString
	if err := db.QueryRow(`SELECT e.title_lang, (SELECT title_lang FROM sources WHERE entry_id = e.id AND n = 1), (SELECT title_lang FROM entries WHERE id = 'agencies/nypd')
		FROM entries e WHERE e.id = 'agencies/fr-prefecture-aisne'`).Scan(&titleLang, &srcLang, &english); err != nil {
		t.Fatal(err)
	}
	if titleLang.String != "fr" || srcLang.String != "fr" || english.Valid {
		t.Errorf("title_lang: the Aisne's %v, its first source's %v, the NYPD's %v; want fr, fr and NULL", titleLang, srcLang, english)
	}
	rows, err := db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid, fk sql.NullInt64
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("a row of %s (rowid %v) refers to a missing %s", table, rowid.Int64, parent)
	}
	rows.Close()

	// The join reproduces the tracker.
	var report kb.TrackerReport
	data, err := os.ReadFile(filepath.Join(s.Dir, "data", "tracker.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	restricted := map[string]int{}
	beforeBan := map[string]string{}
	for _, a := range report.Agencies {
		want[a.ID] = string(a.Status)
		for _, it := range a.Items {
			if it.Restricted {
				restricted[a.ID]++
			}
			if it.BeforeBan != "" {
				beforeBan[a.ID] = string(it.BeforeBan)
			}
		}
	}
	// Why a sighting no longer counts: the ban it predates, as tracker.json
	// gives it.
	bans := map[string]string{}
	rows, err = db.Query(`SELECT agency_id, before_ban FROM tracker_items WHERE before_ban IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, l string
		if err := rows.Scan(&a, &l); err != nil {
			t.Fatal(err)
		}
		bans[a] = l
	}
	rows.Close()
	if !maps.Equal(bans, beforeBan) {
		t.Errorf("tracker_items' before_ban: %v; tracker.json's: %v", bans, beforeBan)
	}
	q := `SELECT a.id, e.title, t.status, count(ti.fleet_item_id) FILTER (WHERE ti.restricted = 1)
	      FROM agencies a JOIN entries e ON e.id = a.id JOIN tracker t ON t.agency_id = a.id
	      LEFT JOIN tracker_items ti ON ti.agency_id = a.id GROUP BY a.id ORDER BY a.id`
	rows, err = db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, title, status string
		var nRestricted int
		if err := rows.Scan(&id, &title, &status, &nRestricted); err != nil {
			t.Fatal(err)
		}
		n++
		if want[id] != status {
			t.Errorf("%s: the join says %s; tracker.json says %s", id, status, want[id])
		}
		if nRestricted != restricted[id] {
			t.Errorf("%s: %d restricted items in the join; tracker.json has %d", id, nRestricted, restricted[id])
		}
	}
	if n != len(report.Agencies) || n == 0 {
		t.Errorf("the join gives %d agencies; tracker.json has %d", n, len(report.Agencies))
	}
}

// TestSQLiteAcquisitionsCiteThePagesSource: each acquisition in
// observations cites the document the agency's page cites for it in its
// timeline. kb.sqlite used to give the item's latest report instead (the
// NYPD's Mavic Pro, bought in 2018, cited a council page of 2025).
func TestSQLiteAcquisitionsCiteThePagesSource(t *testing.T) {
	t.Run("shipped content", func(t *testing.T) {
		acquisitionsAgree(t, sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{Exports: []site.Export{sqlitedata.Export()}}))
	})
	// Two records of the drones flying on the day they were bought: the
	// acquisition cites the first, on the page and in kb.sqlite alike (the
	// page used to cite the last).
	t.Run("two records of the day", func(t *testing.T) {
		acquisitionsAgree(t, sitetest.BuildArchive(t, `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- agencies/pd.md --
---
title: PD
country: US
level: local
fleet:
  - vendor: dji
    acquired: 2021-07
    status: active
    as_of: 2024-01
    source: https://example.org/latest
    history:
      - {date: 2021-07, status: active, source: "https://example.org/first"}
      - {date: 2021-07, status: active, source: "https://example.org/second"}
sources: [https://example.org/latest, https://example.org/first, https://example.org/second]
---
`, site.Options{Exports: []site.Export{sqlitedata.Export()}}))
	})
}

func acquisitionsAgree(t *testing.T, s *sitetest.Site) {
	db := openDB(t, s)
	rows, err := db.Query(`SELECT f.agency_id, o.date, o.source FROM observations o JOIN fleet_items f ON f.id = o.fleet_item_id WHERE o.kind = 'acquired'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	inDB := map[string][]string{}
	for rows.Next() {
		var agency, date string
		var source sql.NullString
		if err := rows.Scan(&agency, &date, &source); err != nil {
			t.Fatal(err)
		}
		inDB[agency] = append(inDB[agency], date+" "+source.String)
	}
	if len(inDB) == 0 {
		t.Fatal("kb.sqlite records no acquisition")
	}
	checked := 0
	for agency, got := range inDB {
		f, err := os.Open(filepath.Join(s.Dir, filepath.FromSlash(agency), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// The page's sources by anchor, then its timeline's acquisitions.
		url := map[string]string{}
		for _, li := range sitetest.Find(sitetest.ByID(doc, "sources-h").Parent, atom.Li) {
			id, _ := sitetest.Attr(li, "id")
			if a := sitetest.Find(li, atom.A); len(a) > 0 {
				url["#"+id], _ = sitetest.Attr(a[0], "href")
			}
		}
		var onPage []string
		for _, li := range sitetest.Find(sitetest.ByID(doc, "timeline"), atom.Li) {
			// The dated list's items, not the chart legend's ("acquired").
			if !strings.Contains(sitetest.Text(li), "acquired") || len(sitetest.Find(li, atom.Time)) == 0 {
				continue
			}
			date, _ := sitetest.Attr(sitetest.Find(li, atom.Time)[0], "datetime")
			cite := ""
			for _, sup := range sitetest.Find(li, atom.Sup) {
				href, _ := sitetest.Attr(sitetest.Find(sup, atom.A)[0], "href")
				cite = url[href]
			}
			onPage = append(onPage, date+" "+cite)
		}
		slices.Sort(got)
		slices.Sort(onPage)
		if !slices.Equal(got, onPage) {
			t.Errorf("%s: kb.sqlite's acquisitions cite %q; the page's timeline's cite %q", agency, got, onPage)
		}
		checked += len(got)
	}
	t.Logf("%d acquisitions of %d agencies agree", checked, len(inDB))
}

// TestDescribed: the build lists kb.sqlite on the data page and in
// datapackage.json, with its size.
func TestDescribed(t *testing.T) {
	s := sitetest.BuildArchive(t, `
-- vendors/acme.md --
---
title: Acme
country: CN
---
`, site.Options{Exports: []site.Export{sqlitedata.Export()}})
	st, err := os.Stat(filepath.Join(s.Dir, "data", "kb.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	var dp site.DataPackage
	data, err := os.ReadFile(filepath.Join(s.Dir, "data", "datapackage.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &dp); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range dp.Resources {
		if r.Path == "kb.sqlite" {
			found = r.Bytes == st.Size() && r.Format == "sqlite"
		}
	}
	if !found {
		t.Errorf("datapackage.json does not describe kb.sqlite and its %d bytes", st.Size())
	}
	page, err := os.ReadFile(filepath.Join(s.Dir, "data", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `href="/data/kb.sqlite"`) {
		t.Error("the data page does not link kb.sqlite")
	}
}

// TestDownloadsJoin joins the downloads as a researcher would: tracker.csv's
// rows to kb.sqlite's fleet items by (agency_id, item), to the same vendor
// and model; agencies.csv's parent to its id column; a provision's number in
// tracker.json's exemptions to the same provision in kb.sqlite. The files
// used to write a parent as a bare slug where the ids are agencies/<slug>,
// to count provisions from 0 in one and from 1 in the other, and to give a
// tracker row no way to find its fleet item.
func TestDownloadsJoin(t *testing.T) {
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{Exports: []site.Export{sqlitedata.Export()}})
	db := openDB(t, s)
	readCSV := func(name string) []map[string]string {
		t.Helper()
		f, err := os.Open(filepath.Join(s.Dir, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, r := range rows[1:] {
			m := map[string]string{}
			for i, h := range rows[0] {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		return out
	}

	items := 0
	for _, r := range readCSV("tracker.csv") {
		if r["item"] == "" {
			continue
		}
		var vendor, model sql.NullString
		var unknown bool
		err := db.QueryRow(`SELECT vendor_id, unknown_make, model FROM fleet_items WHERE agency_id = ? AND position = ?`, r["agency_id"], r["item"]).Scan(&vendor, &unknown, &model)
		if err != nil {
			t.Errorf("%s item %s: not in kb.sqlite's fleet_items: %v", r["agency_id"], r["item"], err)
			continue
		}
		sameVendor := vendor.String == "vendors/"+r["vendor"]
		if unknown {
			sameVendor = r["vendor"] == kb.UnknownVendor && !vendor.Valid
		}
		if !sameVendor || model.String != strings.TrimPrefix(r["model"], "'") {
			t.Errorf("%s item %s: tracker.csv says %s %q; kb.sqlite's fleet item is %s %q", r["agency_id"], r["item"], r["vendor"], r["model"], vendor.String, model.String)
		}
		items++
	}
	if items == 0 {
		t.Fatal("tracker.csv names no fleet item")
	}

	agencies := readCSV("agencies.csv")
	ids := map[string]bool{}
	for _, r := range agencies {
		ids[r["id"]] = true
	}
	parents := 0
	for _, r := range agencies {
		if p := r["parent"]; p != "" {
			parents++
			if !ids[p] {
				t.Errorf("agencies.csv: %s's parent %q is no id in the file", r["id"], p)
			}
		}
	}
	if parents == 0 {
		t.Error("agencies.csv names no parent")
	}

	var report kb.TrackerReport
	data, err := os.ReadFile(filepath.Join(s.Dir, "data", "tracker.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatal(err)
	}
	exemptions := 0
	for _, a := range report.Agencies {
		for _, ex := range a.Exemptions {
			var measure string
			if err := db.QueryRow(`SELECT measure FROM provisions WHERE law_id = ? AND position = ?`, ex.Law, ex.Provision).Scan(&measure); err != nil || measure != ex.Measure {
				t.Errorf("%s: exempt from %s provision %d (%s); kb.sqlite's provision %d is %q (%v)", a.ID, ex.Law, ex.Provision, ex.Measure, ex.Provision, measure, err)
			}
			exemptions++
		}
	}
	if exemptions == 0 {
		t.Error("tracker.json names no exemption")
	}
}

// TestSQLiteBeforeBan: an agency last seen flying restricted drones before
// an operating ban that binds it is unknown, and tracker_items says which
// ban its sighting predates, as tracker.json does (before_ban).
func TestSQLiteBeforeBan(t *testing.T) {
	s := sitetest.BuildArchive(t, `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/ban.md --
---
title: Ban
country: US
status: enacted
enacted: 2025-12-22
restricts: {countries: [CN]}
measure: operation
binds: {levels: [national]}
sources: [https://example.org/ban]
---
-- agencies/doi.md --
---
title: Interior
country: US
level: national
fleet:
  - {vendor: dji, status: active, as_of: 2024-07, source: "https://example.org/doi"}
sources: [https://example.org/doi]
---
`, site.Options{AsOf: kb.MustDate("2026-06-01"), Exports: []site.Export{sqlitedata.Export()}})
	db := openDB(t, s)
	var status, ban string
	if err := db.QueryRow(`SELECT t.status, ti.before_ban FROM tracker t JOIN tracker_items ti ON ti.agency_id = t.agency_id WHERE t.agency_id = 'agencies/doi'`).Scan(&status, &ban); err != nil {
		t.Fatal(err)
	}
	if status != "unknown" || ban != "laws/ban" {
		t.Errorf("Interior: status %q, before_ban %q; want unknown, laws/ban", status, ban)
	}
}

// openDB opens the site's data/kb.sqlite read-only, as a researcher would,
// until the test ends.
func openDB(t *testing.T, s *sitetest.Site) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Dir, "data", "kb.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestSQLiteEvidence: tracker says what the evidence dated last_seen is
// and tracker_items which items are known only from their purchase, as
// tracker.json's evidence and acquired do. kb.sqlite gave the date alone,
// so a purchase read as a sighting (found in a researcher's audit).
func TestSQLiteEvidence(t *testing.T) {
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{Exports: []site.Export{sqlitedata.Export()}})
	db := openDB(t, s)
	evidence, acquired := map[string]string{}, map[string]int{}
	for _, a := range s.Site.Tracker().Report(nil).Agencies {
		evidence[a.ID] = string(a.Evidence)
		for _, it := range a.Items {
			if it.Acquired {
				acquired[a.ID]++
			}
		}
	}
	if !slices.Contains(slices.Collect(maps.Values(evidence)), "acquired") {
		t.Fatal("no shipped agency's evidence is a purchase alone: the test shows little")
	}
	rows, err := db.Query(`SELECT t.agency_id, coalesce(t.evidence, ''), count(ti.fleet_item_id) FILTER (WHERE ti.acquired = 1)
	      FROM tracker t LEFT JOIN tracker_items ti ON ti.agency_id = t.agency_id GROUP BY t.agency_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	gotEvidence, gotAcquired := map[string]string{}, map[string]int{}
	for rows.Next() {
		var id, ev string
		var n int
		if err := rows.Scan(&id, &ev, &n); err != nil {
			t.Fatal(err)
		}
		gotEvidence[id] = ev
		if n > 0 {
			gotAcquired[id] = n
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(gotEvidence, evidence) {
		t.Errorf("tracker's evidence: %v; tracker.json's: %v", gotEvidence, evidence)
	}
	if !maps.Equal(gotAcquired, acquired) {
		t.Errorf("tracker_items acquired, by agency: %v; tracker.json's: %v", gotAcquired, acquired)
	}
}
