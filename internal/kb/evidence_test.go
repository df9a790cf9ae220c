package kb

import (
	"fmt"
	"strings"
	"testing"
)

// djiAndBan is the knowledge base's start in the tests below: DJI, and a
// law in force since 2020 that restricts buying its drones.
const djiAndBan = `
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
---`

// TestEvidenceVerbAndSourceAgree: the tracker's evidence column names what
// the evidence of the latest day was (EvidenceVerb) and links its source
// (LastSeenSource), and the two speak of the same item. An agency that
// bought drones and was seen flying others that day is "seen", linked to
// the sighting, not to the purchase record (found in review: the verb said
// "seen" and the link led to the invoice).
func TestEvidenceVerbAndSourceAgree(t *testing.T) {
	const content = djiAndBan + `
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

// TestUnknownMakeItemIsNamedOnce: check names an item of unknown make and
// no model as its file does, "(unknown)", not "((make unknown))", and one
// with a model by the model (found on the Miami Beach police's 2017 drones).
func TestUnknownMakeItemIsNamedOnce(t *testing.T) {
	const content = djiAndBan + `
-- agencies/pd.md --
---
title: PD
country: US
level: local
kind: police
fleet:
  - {vendor: unknown, count: 2, acquired: 2017-03, status: active, as_of: 2017-03, source: "https://example.org/a"}
  - {vendor: unknown, model: Patrol drones, status: active, as_of: 2018-05-01, source: "https://example.org/a"}
sources: [https://example.org/a]
---
`
	k := loadKB(t, content, Options{AsOf: MustDate("2026-12-06")}).KB
	var got []string
	for _, d := range k.Diagnostics {
		got = append(got, d.Message)
	}
	want := []string{"fleet[1] (unknown) was last observed active 2017-03", "fleet[2] (Patrol drones (make unknown)) was last observed"}
	for _, w := range want {
		found := false
		for _, m := range got {
			found = found || strings.Contains(m, w)
		}
		if !found {
			t.Errorf("no warning says %q; got %q", w, got)
		}
	}
	// The tracker's sentence counts them as drones, not "2 × drones".
	reason := k.Tracker(MustDate("2026-12-06")).Agency("agencies/pd").ReasonText()
	if !strings.Contains(reason, "2 drones of unknown make (acquired 2017-03)") || strings.Contains(reason, "× drones") {
		t.Errorf("the reason does not say %q: %s", "2 drones of unknown make (acquired 2017-03)", reason)
	}
}
