package search

import (
	"net/url"
	"strings"
	"testing"
)

// TestCost: what a visitor types in the search box is cheap; what makes a
// search slow on a large index — many words, phrases, prefixes, typos,
// excluded clauses, deep pages — is costly, and more of it costs more.
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
		{"q=drones&from=500", false},
		{"q=drones&from=900&size=100", false},
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
}
