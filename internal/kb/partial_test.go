package kb

import (
	"strings"
	"testing"
)

// TestPartialStartsInForce: a law enacted "in 2023" is in force once it
// surely is, on 2023-12-31, and also on any day one of its provisions is
// (one effective on 2023-07-31, as Arkansas Act 525's): the law's page and
// its provision's never disagree (found in review).
func TestPartialStartsInForce(t *testing.T) {
	const content = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/act.md --
---
title: Act
country: US
region: US-AR
status: enacted
enacted: 2023
restricts: {vendors: [dji]}
provisions:
  - measure: procurement
    effective: 2023-07-31
sources: [https://example.org/act]
---
-- laws/plain.md --
---
title: Plain
country: US
region: US-AR
status: enacted
enacted: 2023
measure: procurement
restricts: {vendors: [dji]}
sources: [https://example.org/plain]
---
`
	k := loadKB(t, content, Options{}).KB
	act, plain := k.Entry("laws/act").Law, k.Entry("laws/plain").Law
	for _, c := range []struct {
		law  *Law
		day  string
		want bool
	}{
		{act, "2023-07-30", false}, {act, "2023-07-31", true}, {act, "2023-10-01", true},
		{plain, "2023-10-01", false}, {plain, "2023-12-30", false}, {plain, "2023-12-31", true},
	} {
		d := MustDate(c.day)
		if got := c.law.InForce(d); got != c.want {
			t.Errorf("%s in force on %s: %v, want %v", c.law.Name(k.Entry("laws/act")), c.day, got, c.want)
		}
		if got := c.law.Provisions[0].InForce(d); got != c.want {
			t.Errorf("its provision in force on %s: %v, want %v", c.day, got, c.want)
		}
	}
}

// TestPartialStartNeverInForce: a law enacted "in 2023-06" that expired on
// 2023-06-20 never applies, its start counting from 2023-06-30, and check
// says so at expires, with the day its start counts from.
func TestPartialStartNeverInForce(t *testing.T) {
	const content = `
-- laws/short.md --
---
title: Short
country: US
status: expired
enacted: 2023-06
expires: 2023-06-20
measure: review
sources: [https://example.org/short]
---
`
	k := loadKB(t, content, Options{}).KB
	var found bool
	for _, d := range k.Diagnostics {
		found = found || d.Code == CodeDateOrder && strings.Contains(d.Message, "counts from its last day, 2023-06-30")
	}
	if !found {
		t.Errorf("no DATE_ORDER error names the day the start counts from: %v", k.Diagnostics)
	}
}
