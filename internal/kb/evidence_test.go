package kb

import (
	"fmt"
	"testing"
)

// TestEvidenceVerbAndSourceAgree: the tracker's evidence column names what
// the evidence of the latest day was (EvidenceVerb) and links its source
// (LastSeenSource), and the two speak of the same item. An agency that
// bought drones and was seen flying others that day is "seen", linked to
// the sighting, not to the purchase record (found in review: the verb said
// "seen" and the link led to the invoice).
func TestEvidenceVerbAndSourceAgree(t *testing.T) {
	const content = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/ban.md --
---
title: Ban
country: US
status: enacted
enacted: 2020-01-01
restricts: {vendors: [dji]}
measure: procurement
sources: [https://example.org/law]
---
-- agencies/both.md --
---
title: Both
country: US
level: local
kind: police
fleet:
  - {vendor: dji, model: A, acquired: 2025-03-10, status: active, as_of: 2025-03-10, source: "https://example.org/purchase"}
  - {vendor: dji, model: B, status: active, as_of: 2025-03-10, source: "https://example.org/sighting"}
sources: [https://example.org/purchase, https://example.org/sighting]
---
-- agencies/bought.md --
---
title: Bought
country: US
level: local
kind: police
fleet:
  - {vendor: dji, model: A, acquired: 2025-03-10, status: active, as_of: 2025-03-10, source: "https://example.org/purchase"}
sources: [https://example.org/purchase]
---
`
	k := loadKB(t, content, Options{}).KB
	tr := k.Tracker(MustDate("2025-06-01"))
	for id, want := range map[string][2]string{
		"agencies/both":   {"seen", "https://example.org/sighting"},
		"agencies/bought": {"acquired", "https://example.org/purchase"},
	} {
		as := tr.Agency(id)
		if got := [2]string{as.EvidenceVerb(), as.LastSeenSource()}; got != want {
			t.Errorf("%s: evidence %q from %s; want %q from %s", id, got[0], got[1], want[0], want[1])
		}
	}
	// The downloads say it too: the row's evidence, and which items are
	// known only from their purchase.
	for _, row := range tr.Report(nil).Agencies {
		var bought []bool
		for _, it := range row.Items {
			bought = append(bought, it.Acquired)
		}
		want := map[string]string{"agencies/both": "seen [true false]", "agencies/bought": "acquired [true]"}[row.ID]
		if got := fmt.Sprintf("%s %v", row.Evidence, bought); got != want {
			t.Errorf("%s in tracker.json: evidence and items acquired %s; want %s", row.ID, got, want)
		}
	}
}
