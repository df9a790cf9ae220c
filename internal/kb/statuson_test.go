package kb

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestStatusOnIsLastObservation holds StatusOn to its definition: the
// last of Observations that count on the day (a sighting or a purchase
// given as a month or a year from its last day, any other status from its
// first), on fleet items with partial dates and several observations on
// one day, where the order of the kinds decides.
func TestStatusOnIsLastObservation(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	date := func() Date {
		d := Date{Year: 2019 + r.IntN(3)}
		if r.IntN(4) > 0 {
			d.Month = 1 + r.IntN(3)
			if r.IntN(2) > 0 {
				d.Day = 1 + r.IntN(2)
			}
		}
		return d
	}
	statuses := []string{StatusActive, "grounded", "retired", "unknown"}
	for i := range 5000 {
		f := FleetItem{AsOf: date(), Status: statuses[r.IntN(len(statuses))], Source: fmt.Sprintf("own-%d", i)}
		if r.IntN(2) > 0 {
			f.Acquired = date()
		}
		for j := range r.IntN(4) {
			f.History = append(f.History, Observation{Date: date(), Status: statuses[r.IntN(len(statuses))], Source: fmt.Sprintf("history-%d", j)})
		}
		day := date()
		var want Observation
		wantOK := false
		for _, o := range f.Observations() {
			if !o.From().After(day) {
				want, wantOK = o, true
			}
		}
		got, ok := f.StatusOn(day)
		if ok != wantOK || !reflect.DeepEqual(got, want) {
			t.Fatalf("item %+v on %s: got %+v %v, want %+v %v", f, day, got, ok, want, wantOK)
		}
	}
}
