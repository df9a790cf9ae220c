package kb_test

import (
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
