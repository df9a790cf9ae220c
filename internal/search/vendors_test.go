package search_test

import (
	"slices"
	"testing"
)

// TestDocsVendorsReferenced: a document's vendors, which --vendor and
// vendor= filter by, are those the entry references: its fleet's, what it
// restricts, an incident's, and the vendors it names as related. Found in
// review: --vendor dji --type law left out the laws about DJI that restrict
// by country (the Commerce entity list, the 1260H list, OFAC's listing).
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
