package titlesort_test

import (
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/titlesort"
)

func TestOf(t *testing.T) {
	for _, c := range []struct{ title, folded, lower string }{
		{"NYPD", "nypd", "nypd"},
		{"Île-de-France  Police", "ile-de-france police", "île-de-france police"},
		{"Łódzkie", "lodzkie", "łódzkie"},
		{"Žďár nad Sázavou", "zdar nad sazavou", "žďár nad sázavou"},
		{"Straße", "strasse", "straße"},
		{"Ærø Politi", "aero politi", "ærø politi"},
		{"Children’s Hospital", "children's hospital", "children’s hospital"},
	} {
		if got := titlesort.Of(c.title); got != (titlesort.Key{Folded: c.folded, Lower: c.lower}) {
			t.Errorf("Of(%q) = %+v, want {%q %q}", c.title, got, c.folded, c.lower)
		}
	}
}

// TestOrder: accented titles sort among their base letters, not after
// "Wyoming"; case does not count; titles that fold alike go unaccented
// first, and titles alike but for case by ID.
func TestOrder(t *testing.T) {
	type entry struct{ title, id string }
	want := []entry{
		{"agency 2690", "agencies/b"},
		{"Agency 290", "agencies/a"},
		{"Cordoba", "agencies/cordoba-2"},
		{"Córdoba", "agencies/cordoba"},
		{"CÓRDOBA", "agencies/cordoba-3"},
		{"córdoba", "agencies/cordoba-4"},
		{"Corrientes", "agencies/corrientes"},
		{"Île-de-France", "agencies/idf"},
		{"Łódzkie", "agencies/lodzkie"},
		{"Ústí nad Labem", "agencies/usti"},
		{"Wyoming", "agencies/wyoming"},
		{"Žďár nad Sázavou", "agencies/zdar"},
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, func(a, b entry) int {
		return titlesort.CompareEntries(titlesort.Of(a.title), a.id, titlesort.Of(b.title), b.id)
	})
	if !slices.Equal(got, want) {
		t.Errorf("sorted:\n%v\nwant\n%v", got, want)
	}
}
