package kb

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

const exportKB = `
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
-- laws/ban.md --
---
title: Ban
country: US
status: enacted
enacted: 2020-01-01
restricts: {countries: [CN]}
measure: procurement
binds: {levels: [national]}
sources: [https://example.org/ban]
---
-- agencies/fed.md --
---
title: '=HYPERLINK("https://evil.example")'
short: FED
country: US
level: national
kind: police
fleet:
  - {vendor: dji, model: Mavic, count: 3, status: active, as_of: 2020-06-01, source: "https://example.org/fed", note: "+1 spare"}
  - {vendor: skydio, status: active, as_of: 2021-01, source: "https://example.org/fed"}
  - {vendor: dji, model: Later, status: active, as_of: 2030-01-01, source: "https://example.org/fed"}
sources: [https://example.org/fed]
---
-- agencies/city.md --
---
title: City
country: US
region: US-NY
level: local
sources: [https://example.org/city]
---
-- agencies/unit.md --
---
title: City aviation unit
country: US
region: US-NY
level: local
parent: city
fleet:
  - {vendor: skydio, status: active, as_of: 2021-01, source: "https://example.org/unit"}
sources: [https://example.org/unit]
---
`

func TestTrackerReportJSON(t *testing.T) {
	kt := loadKB(t, exportKB, Options{})
	kt.noErrors()
	r := kt.KB.Tracker(MustDate("2021-06-01")).Report(func(e *Entry) string { return "/" + e.ID + "/" })
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// The shape is a contract with researchers' scripts: fields may be
	// added, never renamed. An item not yet in the fleet (as_of 2030) is left
	// out; an agency with no fleet is no-record, not clear, and lists its
	// component; the component names its parent. Every row and item has
	// every key, null where there is no value: a notebook reading
	// row["region"] failed on the rows that left it out.
	want := `{
  "as_of": "2021-06-01",
  "counts": {
    "clear": 1,
    "flying-banned": 0,
    "flying-restricted": 1,
    "flying-restricted-unbound": 0,
    "grounded": 0,
    "no-record": 1,
    "unknown": 0
  },
  "summary": {
    "agencies": 3,
    "flying": 1,
    "flying_banned": 0,
    "unknown": 0,
    "unknown_old_evidence": 0,
    "unknown_make": 0,
    "unknown_status": 0,
    "grounded": 0,
    "clear": 1,
    "no_record": 1
  },
  "agencies": [
    {
      "id": "agencies/city",
      "title": "City",
      "short": null,
      "country": "US",
      "region": "US-NY",
      "level": "local",
      "kind": null,
      "url": "/agencies/city/",
      "status": "no-record",
      "why": null,
      "reason": "No fleet is on record for this agency on 2021-06-01: nothing is known of its drones, which is not the same as having none. Its components are judged on their own, each with its status.",
      "stale": false,
      "last_seen": null,
      "evidence": null,
      "items": [],
      "restricting_laws": [],
      "binding_laws": [],
      "banning_laws": [],
      "exempting_laws": [],
      "exemptions": [],
      "parent": null,
      "components": [
        {
          "id": "agencies/unit",
          "status": "clear"
        }
      ]
    },
    {
      "id": "agencies/fed",
      "title": "=HYPERLINK(\"https://evil.example\")",
      "short": "FED",
      "country": "US",
      "region": null,
      "level": "national",
      "kind": "police",
      "url": "/agencies/fed/",
      "status": "flying-restricted",
      "why": null,
      "reason": "Flies 3 × DJI Mavic (seen flying 2020-06-01); Ban binds this agency and bars buying drones from makers based in China since 2020-01-01.",
      "stale": false,
      "last_seen": "2020-06-01",
      "evidence": "seen",
      "items": [
        {
          "item": 1,
          "vendor": "dji",
          "vendor_id": "vendors/dji",
          "model": "Mavic",
          "count": 3,
          "status": "active",
          "as_of": "2020-06-01",
          "acquired": false,
          "restricted": true,
          "stale": false,
          "current": true,
          "deciding": true,
          "before_ban": null,
          "source": "https://example.org/fed",
          "note": "+1 spare",
          "restricting_laws": [
            "laws/ban"
          ],
          "binding_laws": [
            "laws/ban"
          ],
          "banning_laws": []
        },
        {
          "item": 2,
          "vendor": "skydio",
          "vendor_id": "vendors/skydio",
          "model": null,
          "count": null,
          "status": "active",
          "as_of": "2021-01",
          "acquired": false,
          "restricted": false,
          "stale": false,
          "current": true,
          "deciding": false,
          "before_ban": null,
          "source": "https://example.org/fed",
          "note": null,
          "restricting_laws": [],
          "binding_laws": [],
          "banning_laws": []
        }
      ],
      "restricting_laws": [
        "laws/ban"
      ],
      "binding_laws": [
        "laws/ban"
      ],
      "banning_laws": [],
      "exempting_laws": [],
      "exemptions": [],
      "parent": null,
      "components": []
    },
    {
      "id": "agencies/unit",
      "title": "City aviation unit",
      "short": null,
      "country": "US",
      "region": "US-NY",
      "level": "local",
      "kind": null,
      "url": "/agencies/unit/",
      "status": "clear",
      "why": null,
      "reason": "Its fleet on record (1 item, latest observation 2021-01) holds no hardware that a law in force restricts.",
      "stale": false,
      "last_seen": "2021-01",
      "evidence": "seen",
      "items": [
        {
          "item": 1,
          "vendor": "skydio",
          "vendor_id": "vendors/skydio",
          "model": null,
          "count": null,
          "status": "active",
          "as_of": "2021-01",
          "acquired": false,
          "restricted": false,
          "stale": false,
          "current": true,
          "deciding": true,
          "before_ban": null,
          "source": "https://example.org/unit",
          "note": null,
          "restricting_laws": [],
          "binding_laws": [],
          "banning_laws": []
        }
      ],
      "restricting_laws": [],
      "binding_laws": [],
      "banning_laws": [],
      "exempting_laws": [],
      "exemptions": [],
      "parent": "agencies/city",
      "components": []
    }
  ]
}`
	if string(got) != want {
		t.Errorf("tracker JSON:\n%s\nwant:\n%s", got, want)
	}
}

func TestTrackerReportCSV(t *testing.T) {
	kt := loadKB(t, exportKB, Options{})
	kt.noErrors()
	var buf bytes.Buffer
	if err := kt.KB.Tracker(MustDate("2021-06-01")).Report(nil).WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, buf.String())
	}
	// One header, one row for the agency without items, one per item counted.
	if len(rows) != 5 {
		t.Fatalf("%d rows; want 5:\n%s", len(rows), buf.String())
	}
	if strings.Join(rows[0], ",") != strings.Join(TrackerCSVHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, row := range rows[1:] {
		if len(row) != len(TrackerCSVHeader) {
			t.Errorf("row %d has %d cells; want %d", i+1, len(row), len(TrackerCSVHeader))
		}
	}
	city, mavic, skydio, unit := rows[1], rows[2], rows[3], rows[4]
	if city[col["agency_id"]] != "agencies/city" || city[col["vendor"]] != "" || city[col["agency_status"]] != "no-record" ||
		!strings.HasPrefix(city[col["reason"]], "No fleet is on record for this agency on 2021-06-01") {
		t.Errorf("agency without items: %v", city)
	}
	// Untrusted text that a spreadsheet would run as a formula is defused.
	if got := mavic[col["agency"]]; got != `'=HYPERLINK("https://evil.example")` {
		t.Errorf("formula in a title became %q", got)
	}
	if mavic[col["vendor"]] != "dji" || mavic[col["model"]] != "Mavic" || mavic[col["count"]] != "3" ||
		mavic[col["item_status"]] != "active" || mavic[col["item_as_of"]] != "2020-06-01" ||
		mavic[col["restricted"]] != "true" || mavic[col["restricting_laws"]] != "laws/ban" ||
		mavic[col["binding_laws"]] != "laws/ban" || mavic[col["source"]] != "https://example.org/fed" ||
		mavic[col["agency_status"]] != "flying-restricted" || mavic[col["as_of"]] != "2021-06-01" {
		t.Errorf("restricted item row: %v", mavic)
	}
	if unit[col["parent"]] != "agencies/city" || unit[col["agency_status"]] != "clear" {
		t.Errorf("component row: %v", unit)
	}
	if skydio[col["count"]] != "" || skydio[col["restricted"]] != "false" || skydio[col["restricting_laws"]] != "" {
		t.Errorf("unrestricted item row: %v", skydio)
	}
}

func TestSafeCells(t *testing.T) {
	in := []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "", "a=b", "'=1+1", "'tis"}
	want := []string{"'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "plain", "", "a=b", "''=1+1", "''tis"}
	got := SafeCells(append([]string(nil), in...))
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("SafeCells(%q) = %q; want %q", in, got, want)
	}
	// Taking one leading apostrophe off, as CSVNote tells readers, gives
	// back every text as written: "=1+1" and "'=1+1" stay two texts.
	for i, c := range got {
		if back, _ := strings.CutPrefix(c, "'"); back != in[i] {
			t.Errorf("%q read back as %q, written %q", c, back, in[i])
		}
	}
}

// chinaBanKB is DJI and a US purchase ban on what Chinese makers make,
// in force from 2020, for the agencies a test adds.
const chinaBanKB = `
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
enacted: 2020-01-01
restricts: {countries: [CN]}
measure: procurement
sources: [https://example.org/ban]
---
`

// TestTrackerItemsDeciding: the downloads say which items an agency's
// status rests on, as its page does. A drone of unknown make, while a law
// restricts some hardware, decides an unknown status without being
// restricted: tracker.json and tracker.csv said restricted false and
// nothing else, so a researcher could not tell why the agency is unknown.
func TestTrackerItemsDeciding(t *testing.T) {
	kt := loadKB(t, chinaBanKB+`
-- agencies/pd.md --
---
title: PD
country: US
level: local
fleet:
  - {vendor: unknown, model: Quadcopters, status: active, as_of: 2021-03-01, source: "https://example.org/pd"}
  - {vendor: dji, model: Mavic, status: retired, as_of: 2021-01-01, source: "https://example.org/pd"}
sources: [https://example.org/pd]
---
`, Options{})
	kt.noErrors()
	report := kt.KB.Tracker(MustDate("2021-06-01")).Report(nil)
	a := report.Agencies[0]
	if a.Status != StatusUnknown || len(a.Items) != 2 {
		t.Fatalf("pd: %s with %d items; want unknown with 2", a.Status, len(a.Items))
	}
	// Nothing shows that it holds restricted hardware now: the headline
	// numbers say why it is unknown, not that it holds restricted drones.
	if sum := report.Summary; sum.Unknown != 1 || sum.UnknownMake != 1 || sum.UnknownOld != 0 || sum.UnknownStatus != 0 {
		t.Errorf("summary: %d unknown, %d of unknown make, %d on old evidence, %d of unknown use; want 1, 1, 0, 0", sum.Unknown, sum.UnknownMake, sum.UnknownOld, sum.UnknownStatus)
	}
	for _, it := range a.Items {
		if want := it.Vendor == UnknownVendor; it.Deciding != want || it.Restricted == want {
			t.Errorf("item %s %s: deciding %v, restricted %v", it.Vendor, it.Model, it.Deciding, it.Restricted)
		}
	}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	col := slices.Index(rows[0], "deciding")
	if col < 0 || len(rows) != 3 || rows[1][col] != "true" || rows[2][col] != "false" {
		t.Errorf("tracker CSV's deciding column: %v", rows)
	}
}

// TestSummaryCountsEachUnknown: the headline's unknown agencies are
// counted by why: old evidence, an unknown make, or drones a source
// reports without saying whether they are in use. The last went
// unexplained, 7 of the shipped content's 20 (found in review).
func TestSummaryCountsEachUnknown(t *testing.T) {
	kt := loadKB(t, chinaBanKB+`
-- agencies/old.md --
---
title: Old
country: US
fleet:
  - {vendor: dji, status: active, as_of: 2020-03-01, source: "https://example.org/old"}
sources: [https://example.org/old]
---
-- agencies/make.md --
---
title: Make
country: US
fleet:
  - {vendor: unknown, model: Quadcopters, status: active, as_of: 2023-03-01, source: "https://example.org/make"}
sources: [https://example.org/make]
---
-- agencies/use1.md --
---
title: Use one
country: US
fleet:
  - {vendor: dji, status: unknown, as_of: 2023-03-01, source: "https://example.org/use1"}
sources: [https://example.org/use1]
---
-- agencies/use2.md --
---
title: Use two
country: US
fleet:
  - {vendor: dji, status: unknown, as_of: 2022-03-01, source: "https://example.org/use2"}
sources: [https://example.org/use2]
---
`, Options{})
	kt.noErrors()
	sum := kt.KB.Tracker(MustDate("2023-06-01")).Summary()
	if sum.Unknown != 4 || sum.UnknownOld != 1 || sum.UnknownMake != 1 || sum.UnknownStatus != 2 {
		t.Errorf("summary: %d unknown: %d on old evidence, %d of unknown make, %d of unknown use; want 4: 1, 1, 2", sum.Unknown, sum.UnknownOld, sum.UnknownMake, sum.UnknownStatus)
	}
}
