package kb_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
)

// TestFarLaws pins the clause the tracker's reason and the agency page
// both use for laws of another state or country, which cannot bind it.
func TestFarLaws(t *testing.T) {
	for _, c := range []struct {
		far, total int
		want       string
	}{
		{0, 3, ""},
		{1, 1, "it is another jurisdiction's law, which cannot bind it"},
		{2, 2, "both are other jurisdictions' laws, which cannot bind it"},
		{3, 3, "all 3 are other jurisdictions' laws, which cannot bind it"},
		{1, 4, "one of them is another jurisdiction's law, which cannot bind it"},
		{5, 13, "5 of them are other jurisdictions' laws, which cannot bind it"},
	} {
		if got := kb.FarLaws(c.far, c.total); got != c.want {
			t.Errorf("FarLaws(%d, %d) = %q, want %q", c.far, c.total, got, c.want)
		}
	}
}

// TestNearestLawsFirst checks the order the tracker's reason names the
// laws restricting an agency's drones in: its own jurisdiction's first,
// then its country's other regions', then other countries', each rank in
// the order given, against a stable sort by LawProximity.
func TestNearestLawsFirst(t *testing.T) {
	agency := &kb.Entry{ID: "agencies/nypd", Agency: &kb.Agency{Country: "US", Region: "US-NY"}}
	law := func(id, country, region string) *kb.Entry {
		return &kb.Entry{ID: id, Law: &kb.Law{Country: country, Region: region}}
	}
	pool := []*kb.Entry{
		law("laws/fr-1", "FR", ""), law("laws/us-fed", "US", ""), law("laws/tx", "US", "US-TX"),
		law("laws/ny", "US", "US-NY"), law("laws/de", "DE", ""), law("laws/fl", "US", "US-FL"),
		law("laws/us-fed-2", "US", ""), law("laws/fr-2", "FR", "FR-IDF"),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		laws := make([]*kb.Entry, rng.IntN(len(pool)+1))
		for i := range laws {
			laws[i] = pool[rng.IntN(len(pool))]
		}
		given := slices.Clone(laws)
		want := slices.Clone(laws)
		slices.SortStableFunc(want, func(a, b *kb.Entry) int {
			return kb.LawProximity(agency, a) - kb.LawProximity(agency, b)
		})
		got := kb.NearestLawsFirst(agency, laws)
		if !slices.Equal(got, want) {
			t.Fatalf("NearestLawsFirst(%v) = %v, want %v", ids(given), ids(got), ids(want))
		}
		if !slices.Equal(laws, given) {
			t.Fatalf("NearestLawsFirst changed its argument: %v, was %v", ids(laws), ids(given))
		}
	}
}

func ids(es []*kb.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}
