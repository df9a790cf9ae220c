package search

import (
	"net/url"
	"strings"
	"testing"
)

// TestCost: what a visitor types in the search box is cheap; what makes a
// search slow on a large index — many words, phrases, prefixes, typos,
// excluded clauses, many hits on a page — is costly, and more of it costs
// more. What the columns answer — facets over every entry, a sort by a
// field — costs no more than a word (measured on 10,000 entries: filters
// only took under half the time of "drone", a sort within 10% of the same
// search by relevance).
func TestCost(t *testing.T) {
	cases := []struct {
		params string
		cheap  bool
	}{
		{"q=drones", true},
		{"q=lyon+agency", true},
		{"q=%22police+department%22", true},
		{"q=drones&type=agency&country=FR", true},
		{"type=agency&restricted=true", true},
		{"", true},
		{"q=drones&sort=date", true},
		{"q=drones&from=10", true},
		{"q=drones+-protest", true},
		{"q=-drones", true},
		{"q=oversigt~1", true},
		{"q=nypd+OR+lapd", true},
		{"q=pr%C3%A9fecture+police", true},
		{"q=" + url.QueryEscape("nypd OR lapd OR fbi OR dhs OR cisa OR usss"), false},
		{"q=drones&from=500", true},
		{"q=drones&from=900&size=100", true},
		{"q=drones+fleet+grant&size=100", false},
		{"q=inspect*", false},
		{"q=" + url.QueryEscape(`"police department" "drone fleet"`), false},
		{"q=one+two+three+four+five+six", false},
		{"q=" + url.QueryEscape(`-"police department" -"drone fleet" drones`), false},
	}
	for _, c := range cases {
		v, _ := url.ParseQuery(c.params)
		r, err := ParseParams(v)
		if err != nil {
			t.Fatalf("%s: %v", c.params, err)
		}
		if got := Cost(r) <= CheapCost; got != c.cheap {
			t.Errorf("%s: cost %d; cheap is %v, want %v", c.params, Cost(r), got, c.cheap)
		}
	}
	// More of a costly thing costs more.
	cost := func(params string) int {
		v, _ := url.ParseQuery(params)
		r, err := ParseParams(v)
		if err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		return Cost(r)
	}
	if a, b := cost("q="+url.QueryEscape(strings.Repeat(`"a b" `, 2))), cost("q="+url.QueryEscape(strings.Repeat(`"a b" `, 8))); a >= b {
		t.Errorf("8 phrases cost %d, no more than 2 (%d)", b, a)
	}
	if a, b := cost("q=drones&from=100"), cost("q=drones&from=900"); a >= b {
		t.Errorf("from=900 costs %d, no more than from=100 (%d)", b, a)
	}
	if a, b := cost("q=drones&from=990"), cost("q=drones&size=100"); a >= b {
		t.Errorf("a page of 100 hits costs %d, no more than the 10 hits after the first 990 (%d)", b, a)
	}
	// Facets and sorts come from columns.
	word := cost("q=police")
	for _, p := range []string{"", "type=agency", "restricted=true", "type=agency,law&country=FR,DE&status=in-force&vendor=dji&tag=china"} {
		if c := cost(p); c > word {
			t.Errorf("%q (filters only: facets over the entries they match) costs %d, more than a word (%d)", p, c, word)
		}
	}
	for _, s := range []string{"date", "-date", "title"} {
		if a, b := cost("q=drones"), cost("q=drones&sort="+s); a != b {
			t.Errorf("sort=%s costs %d, the same search by relevance %d", s, b, a)
		}
	}
}
