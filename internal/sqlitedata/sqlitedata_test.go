package sqlitedata_test

import (
	"database/sql"
	"encoding/json"
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
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Dir, "data", "kb.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
	if got := count("SELECT count(*) FROM tracker"); got != len(s.KB.Section("agencies")) {
		t.Errorf("tracker: %d rows; want one per agency", got)
	}
	// Each entry's language, which decides how search reads it: the
	// French gendarmerie's is French, the NYPD's English.
	for id, want := range map[string]string{"agencies/fr-gendarmerie-nationale": "fr", "agencies/nypd": "en"} {
		var lang string
		if err := db.QueryRow("SELECT lang FROM entries WHERE id = ?", id).Scan(&lang); err != nil || lang != want {
			t.Errorf("%s: lang %q (%v), want %q", id, lang, err, want)
		}
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
	for _, a := range report.Agencies {
		want[a.ID] = string(a.Status)
		for _, it := range a.Items {
			if it.Restricted {
				restricted[a.ID]++
			}
		}
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
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{Exports: []site.Export{sqlitedata.Export()}})
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Dir, "data", "kb.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
			if !strings.Contains(sitetest.Text(li), "acquired") {
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
		for _, obs := range got {
			if !slices.Contains(onPage, obs) {
				t.Errorf("%s: kb.sqlite's acquisition %q is not in the page's timeline, whose acquisitions cite %q", agency, obs, onPage)
			}
			checked++
		}
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
