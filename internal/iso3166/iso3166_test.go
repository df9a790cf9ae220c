package iso3166

import (
	"slices"
	"testing"
)

func TestCodes(t *testing.T) {
	for _, c := range []struct {
		code, name string
		ok         bool
	}{
		{"FR", "France", true},
		{"US", "United States", true},
		{"CN", "China", true},
		{"GB", "United Kingdom", true},
		{"UK", "", false}, // a common mistake: the code is GB
		{"fr", "", false}, // codes are upper case
		{"FRA", "", false},
		{"", "", false},
	} {
		name, ok := Country(c.code)
		if ok != c.ok || (ok && name != c.name) {
			t.Errorf("Country(%q) = %q, %v; want %q, %v", c.code, name, ok, c.name, c.ok)
		}
	}
	for _, c := range []struct {
		code, name string
		ok         bool
	}{
		{"US-NY", "New York", true},
		{"FR-75", "Paris", true},
		{"FR-69", "Rhône", true},
		{"US-XX", "", false},
		{"NY", "", false},
	} {
		r, ok := Region(c.code)
		if ok != c.ok || (ok && r.Name != c.name) {
			t.Errorf("Region(%q) = %+v, %v; want %q, %v", c.code, r, ok, c.name, c.ok)
		}
	}
}

// TestLists checks the embedded lists are the full ISO lists, not a
// hand-typed handful, and that region lists are per country and sorted.
func TestLists(t *testing.T) {
	if n := len(Countries()); n < 240 {
		t.Errorf("%d countries; ISO 3166-1 has 249", n)
	}
	us := RegionsOf("US")
	if len(us) < 50 || !slices.IsSorted(us) || !slices.Contains(us, "US-CA") {
		t.Errorf("RegionsOf(US) = %d codes, sorted %v", len(us), slices.IsSorted(us))
	}
	for _, r := range RegionsOf("FR") {
		if r[:3] != "FR-" {
			t.Errorf("RegionsOf(FR) has %s", r)
		}
	}
}

func TestCountryCode(t *testing.T) {
	for name, want := range map[string]string{
		"US": "US", "us": "US", "U.S.": "US", "USA": "US", "u.s.a.": "US", "United States": "US",
		"united states of america": "US", "The United States": "US", "FRA": "FR", "France": "FR",
		"French Republic": "FR", "People's Republic of China": "CN", "South Korea": "KR", "Korea, Republic of": "KR",
		"Republic of Korea": "", "CNN": "", "": "", "Atlantis": "",
	} {
		got, ok := CountryCode(name)
		if got != want || ok != (want != "") {
			t.Errorf("CountryCode(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
