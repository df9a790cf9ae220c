package site_test

import (
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// partialKB has an operating ban from "2025-03" and an agency seen flying
// on 2025-03-10, which may have come before or after it; and a sighting
// and a law dated by the month the site's date falls in.
const partialKB = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/ban.md --
---
title: March ban
country: US
status: enacted
enacted: 2025-03
measure: operation
restricts: {vendors: [dji]}
sources: [https://example.org/ban]
---
-- laws/june.md --
---
title: June ban
country: US
status: enacted
enacted: 2025-06
measure: procurement
restricts: {vendors: [dji]}
sources: [https://example.org/june]
---
-- agencies/pd.md --
---
title: Metro PD
country: US
level: local
kind: police
fleet:
  - {vendor: dji, status: active, as_of: 2025-03-10, source: "https://example.org/pd"}
  - {vendor: dji, model: New, status: active, as_of: 2025-06, source: "https://example.org/pd"}
sources: [https://example.org/pd]
---
`

// TestPartialDatesOnTheAgencyPage: on 2025-06-01 the agency's page does not
// say its sighting of 10 March came "before the ban" of March 2025, which
// may have come first; and its timeline says that the sighting and the law
// dated June 2025 are not counted yet, rather than nothing or "after the
// tracker's date" (found in review).
func TestPartialDatesOnTheAgencyPage(t *testing.T) {
	s := sitetest.BuildArchive(t, partialKB, site.Options{Theme: themes.Default(), AsOf: kb.MustDate("2025-06-01")})
	// pageText puts a space where each tag was: the date links its source.
	got := strings.ReplaceAll(pageText(pageHTML(t, s.Dir, "agencies/pd")), " ,", ",")
	for _, want := range []string{
		"Last seen 10 March 2025, the ban may have come first",
		"the ban of March 2025 may have come first",
		"whether the sighting came before it is not known",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the agency's page does not say %q", want)
		}
	}
	if strings.Contains(got, "before the ban") {
		t.Error("the agency's page says the sighting came before the ban")
	}
	const pending = "(not counted on the tracker's date, before its month or year ends)"
	if n := strings.Count(got, pending); n != 2 {
		t.Errorf("the timeline says %q %d times, want 2 (the June sighting and the June law): %s", pending, n, got)
	}
	if strings.Contains(got, "(after the tracker's date)") {
		t.Error("the timeline puts an event of the tracker's own month after its date")
	}
}
