package search

import (
	"slices"
	"sort"
	"testing"
)

// TestTitleOrderIgnoresAccents: sort=title puts a French title among the
// letters a reader looks under (found in review: "Décret n° 2023-283"
// came after "DoD section 1260H", "État" would have come after "Zebra").
func TestTitleOrderIgnoresAccents(t *testing.T) {
	titles := []string{"Zebra Act", "DoD section 1260H", "État d'urgence", "Décret n° 2023-283", "Department of Defense", "Etat civil", "Decret"}
	want := []string{"Decret", "Décret n° 2023-283", "Department of Defense", "DoD section 1260H", "Etat civil", "État d'urgence", "Zebra Act"}
	got := slices.Clone(titles)
	sort.SliceStable(got, func(a, b int) bool { return titleSortKey(got[a]) < titleSortKey(got[b]) })
	if !slices.Equal(got, want) {
		t.Errorf("title order:\n got %q\nwant %q", got, want)
	}
}
