package search_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestDocsVendorsReferenced: a document's vendors, which --vendor and
// vendor= filter by, are those the entry references: its fleet's, what it
// restricts, an incident's, and (for a law or an incident) the vendors it
// names as related. Found in review: --vendor dji --type law left out the
// laws about DJI that restrict by country (the Commerce entity list, the
// 1260H list, OFAC's listing).
func TestDocsVendorsReferenced(t *testing.T) {
	ids, docs := shippedDocs(t)
	want := map[string]string{
		"laws/commerce-entity-list-dji-2020": "dji", // related: vendors/dji
		"laws/dod-1260h-list":                "dji",
		"laws/ofac-ns-cmic-dji-2021":         "dji",
		"agencies/nypd":                      "dji", // its fleet
	}
	for i, id := range ids {
		if v, ok := want[id]; ok {
			if !slices.Contains(docs[i].Vendor, v) {
				t.Errorf("%s: vendors %q, want %s among them", id, docs[i].Vendor, v)
			}
			delete(want, id)
		}
	}
	for id := range want {
		t.Errorf("%s is not in the shipped content", id)
	}
}

// relatedOnly is an agency that flies SkyEye drones (restricted, so it
// flies restricted hardware) and names Hawkworks and AeroFrance as related
// without flying either.
const relatedOnly = `
-- agencies/harbour-police.md --
---
title: Harbour Police
summary: A port police force that flies SkyEye drones and once tested others.
country: US
level: local
kind: police
related: [vendors/hawkworks, vendors/aerofrance]
fleet:
  - vendor: skyeye
    status: active
    as_of: 2024-09-01
    source: https://news.example.org/harbour
sources:
  - url: https://news.example.org/harbour
---
The harbour police trialled a Hawkworks aircraft before buying SkyEye drones.
`

// TestVendorIsFleetForAgencies: an agency answers --vendor X (vendor=X)
// when its fleet has X's hardware, as the tracker's view of the vendor
// lists it, not when it only names X as related. Found in review at
// 10,000 entries: --type agency --restricted --vendor vendor-0205 listed
// 13 agencies, 2 of which flew no vendor-0205 hardware, and --type agency
// --vendor vendor-0205 35 where /tracker/vendor/vendor-0205/ lists 28.
func TestVendorIsFleetForAgencies(t *testing.T) {
	k := sitetest.Load(t, sitetest.Content(t, testKB+relatedOnly))
	idx, _ := indexOf(t, k)
	tr := k.Tracker(sitetest.AsOf)

	// A researcher asking who flies restricted Hawkworks hardware: none
	// does (the state patrol grounded its aircraft); the harbour police
	// fly restricted SkyEye drones and only relate to Hawkworks.
	if got := hitIDs(run(t, idx, "type=agency&restricted=true&vendor=hawkworks")); len(got) != 0 {
		t.Errorf("type=agency&restricted=true&vendor=hawkworks: %q, want none", got)
	}
	if got := hitIDs(run(t, idx, "type=agency&vendor=hawkworks")); !slices.Equal(got, []string{"agencies/state-patrol"}) {
		t.Errorf("type=agency&vendor=hawkworks: %q, want [agencies/state-patrol]", got)
	}

	// The vendor facet of every agency, and each vendor's list, agree
	// with the tracker's view of the vendor (/tracker/vendor/SLUG/).
	res := run(t, idx, "type=agency&size=100")
	facet := map[string]int{}
	for _, f := range res.Facets["vendor"] {
		facet[f.Value] = f.Count
	}
	for _, v := range allVendors {
		slug := strings.TrimPrefix(v, "vendors/")
		var holders []string
		for _, as := range tr.HoldersOf(v) {
			holders = append(holders, as.Agency.ID)
		}
		if facet[slug] != len(holders) {
			t.Errorf("vendor facet of the agencies: %s (%d), where the tracker lists %d agencies flying it: %q", slug, facet[slug], len(holders), holders)
		}
		got := hitIDs(run(t, idx, "type=agency&size=100&vendor="+slug))
		if !slices.Equal(sorted(got), sorted(holders)) {
			t.Errorf("type=agency&vendor=%s: %q, where the tracker lists %q", slug, got, holders)
		}
	}
}

// TestFilterNotes: a filter value no entry has is named in the answer's
// notes, with the value meant where one is near, and a value some entry
// has is not. Found in review: --country UK (meaning GB), --tag polise,
// country=UK and vendor=vendor-205 answered total 0 and no word why.
func TestFilterNotes(t *testing.T) {
	idx, _ := testIndex(t)
	for _, c := range []struct{ params, want string }{
		{"country=UK", `"UK" is not an ISO 3166-1 country code; the United Kingdom's is "GB"`},
		{"country=XZ", `"XZ" is not an ISO 3166-1 country code`},
		{"country=aq,fr", "no entry in the index is in AQ (Antarctica)"},
		{"tag=polise", `no entry in the index has the tag "polise"; did you mean "police"?`},
		{"tag=zeppelins&tag=police", `no entry in the index has the tag "zeppelins"`},
		{"vendor=skyey&type=agency", `no vendor in the index is "skyey"; did you mean "skyeye" (SkyEye Robotics)?`},
		{"country=US&tag=Police&vendor=SkyEye&q=drones", ""},
		// A query that is a vendor's slug is told the vendor filter,
		// unless it has one: "dji" with type=agency ranked agencies
		// whose summaries name DJI above those whose fleets fly it
		// (found by the researcher's audit).
		{"q=SkyEye&type=agency", `"skyeye" is a vendor: filter by vendor skyeye to keep the entries whose fleets, laws or incidents name it, not only those whose text does`},
		{"q=skyeye&vendor=skyeye", ""},
		{"q=skyeye+drones", ""},
		{"q=%22skyeye%22", ""},
		{"q=-skyeye", ""},
	} {
		res := run(t, idx, c.params)
		got := strings.Join(res.Notes, "\n")
		if got != c.want {
			t.Errorf("%s: notes %q, want %q", c.params, got, c.want)
		}
	}
}
