package kb

import (
	"strings"
	"testing"
)

const linkedKB = `
-- vendors/dji.md --
---
title: DJI
country: CN
related: [laws/ban]
---
-- agencies/nypd.md --
---
title: NYPD
country: US
fleet:
  - {vendor: dji, status: active, as_of: 2020, source: "https://example.org/a"}
related: [vendors/dji]
sources: [https://example.org/a]
---
Flies [DJI](../vendors/dji.md) drones, and [DJI](../vendors/dji.md) again.
-- agencies/lapd.md --
---
title: LAPD
country: US
sources: [https://example.org/a]
---
Like [the NYPD](nypd.md), it flies [DJI](../vendors/dji.md).
-- laws/ban.md --
---
title: Ban
country: US
status: enacted
enacted: 2020
restricts: {vendors: [dji]}
measure: procurement
sources: [https://example.org/a]
---
-- incidents/launch.md --
---
title: A launch
date: 2018
agencies: [nypd]
vendors: [dji]
sources: [https://example.org/a]
---
`

func TestLookupsAndBacklinks(t *testing.T) {
	kt := loadKB(t, linkedKB, Options{})
	kt.noErrors()
	k := kt.KB
	if got := strings.Join(entryIDs(k), " "); got != "agencies/lapd agencies/nypd incidents/launch laws/ban vendors/dji" {
		t.Errorf("entries in order: %s", got)
	}
	if e := k.Lookup(TypeVendor, "dji"); e == nil || e != k.Entry("vendors/dji") || e.Vendor == nil {
		t.Errorf("Lookup(vendor, dji) = %v", e)
	}
	if k.Lookup(TypeAgency, "dji") != nil || k.Entry("vendors/nope") != nil {
		t.Error("lookups of missing entries are not nil")
	}
	var ids []string
	for _, e := range k.Section("agencies") {
		ids = append(ids, e.ID)
	}
	if strings.Join(ids, " ") != "agencies/lapd agencies/nypd" || len(k.Section("nothing")) != 0 {
		t.Errorf("Section(agencies) = %v", ids)
	}

	// Who references DJI, grouped by section in the order of Sections, by
	// title within one, each with the fields it does it in.
	var got []string
	for _, b := range k.ReferencedBy("vendors/dji") {
		got = append(got, b.From.ID+" "+strings.Join(b.Fields, ","))
	}
	want := []string{
		"agencies/lapd body",
		"agencies/nypd fleet.vendor,related,body",
		"laws/ban restricts.vendors",
		"incidents/launch vendors",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ReferencedBy(vendors/dji):\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(k.ReferencedBy("agencies/lapd")); n != 0 {
		t.Errorf("nothing references lapd, got %d backlinks", n)
	}

	nypd := k.Entry("agencies/nypd")
	if links := nypd.Links(); len(links) != 1 || links[0].ID != "vendors/dji" || links[0].Pos != (Pos{9, 7}) {
		t.Errorf("nypd body links (each target once, at its first place): %+v", nypd.Links())
	}
	if nypd.KeyPos("related") != (Pos{6, 1}) || nypd.KeyPos("nothing") != (Pos{1, 1}) {
		t.Errorf("KeyPos: related %v, a missing key %v", nypd.KeyPos("related"), nypd.KeyPos("nothing"))
	}
	if body, err := nypd.Body(); nypd.BodyLine != 9 || err != nil || !strings.HasPrefix(string(body), "Flies [DJI]") {
		t.Errorf("body starts on line %d: %q (%v)", nypd.BodyLine, body, err)
	}
}

func TestDiagnosticsAsErrors(t *testing.T) {
	ds := Diagnostics{
		{File: "content/vendors/a.md", Severity: SevWarning, Code: CodeRawHTML, Message: "w", Line: 3, Col: 0},
		{File: "content/vendors/b.md", Severity: SevError, Code: CodeFileTooLarge, Message: "is too large"},
		{File: "content/vendors/c.md", Line: 2, Col: 5, Severity: SevError, Code: CodeRefNotFound, Message: `unknown vendor "djj"`},
	}
	if got := ds[0].String(); got != "content/vendors/a.md:3:1: warning: RAW_HTML w" {
		t.Errorf("warning with no column: %q", got)
	}
	if got := ds[1].String(); got != "content/vendors/b.md: FILE_TOO_LARGE is too large" {
		t.Errorf("whole-file problem: %q", got)
	}
	if ds.Errors(false) != 2 || ds.Errors(true) != 3 {
		t.Errorf("Errors(false) = %d, Errors(true) = %d; want 2 and 3", ds.Errors(false), ds.Errors(true))
	}
	if got := ds.Error(); got != "content/vendors/b.md: FILE_TOO_LARGE is too large (and 1 more errors; run dronekb check)" {
		t.Errorf("Error() = %q", got)
	}
	if got := ds[2:].Error(); got != `content/vendors/c.md:2:5: REF_NOT_FOUND unknown vendor "djj"` {
		t.Errorf("Error() of one = %q", got)
	}

	clean := loadKB(t, baseKB, Options{})
	if err := clean.KB.Err(); err != nil {
		t.Errorf("Err() of a clean knowledge base = %v", err)
	}
	warned := loadKB(t, baseKB+"-- vendors/x.md --\n---\ntitle: X\ncountry: CN\nrelated: [vendors/x]\n---\n", Options{})
	if err := warned.KB.Err(); err != nil {
		t.Errorf("Err() with only warnings = %v", err)
	}
}

// TestDiagnosticsAreSorted: by file, line, column, code; whole-file
// problems (line 0) first in their file.
func TestDiagnosticsAreSorted(t *testing.T) {
	kt := loadKB(t, `
-- vendors/B.md --
---
title: X
country: cn
colour: red
---
-- vendors/a.md --
---
colour: red
---
`, Options{})
	var got []string
	for _, d := range kt.KB.Diagnostics {
		got = append(got, d.File+" "+shortDiag(d)[:strings.Index(shortDiag(d), " ")+1]+string(d.Code))
	}
	want := `vendors/B.md 0:0 SLUG_INVALID
vendors/B.md 3:10 COUNTRY_INVALID
vendors/B.md 4:1 FIELD_UNKNOWN
vendors/a.md 1:1 FIELD_REQUIRED
vendors/a.md 1:1 FIELD_REQUIRED
vendors/a.md 2:1 FIELD_UNKNOWN`
	if strings.Join(got, "\n") != want {
		t.Errorf("order:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

// TestDiagnosticOnOneLine: a diagnostic quoting a value with a line break
// in it ("Mavic\n3", written in quotes in the front matter) prints on one
// line, so a report's every line is one problem with its place (the break
// split a warning in two, found in review).
func TestDiagnosticOnOneLine(t *testing.T) {
	kt := loadKB(t, `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- agencies/pd.md --
---
title: Police
country: US
fleet:
  - vendor: dji
    model: "Mavic\n3"
    status: active
    as_of: 2020-01-01
    source: https://example.org/a
sources: [https://example.org/a]
---
`, Options{AsOf: MustDate("2026-06-01")})
	found := false
	for _, d := range kt.KB.Diagnostics {
		s := d.String()
		if strings.ContainsAny(s, "\r\n") {
			t.Errorf("diagnostic on several lines: %q", s)
		}
		if strings.Contains(s, `Mavic\n3`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no diagnostic quotes the model as Mavic\\n3: %v", kt.KB.Diagnostics)
	}
}
