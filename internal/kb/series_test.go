package kb

import (
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestSeriesMatchesTracker computes the tracker over time for the shipped
// knowledge base and checks every point against Tracker on that date: the
// chart may not count by rules of its own.
func TestSeriesMatchesTracker(t *testing.T) {
	t.Run("shipped-content", func(t *testing.T) {
		checkSeries(t, Load(os.DirFS("../../content"), Options{}), MustDate("2026-11-21"))
	})
	t.Run("generated", func(t *testing.T) {
		// Laws enacted each year from 2019 to 2023, fleets acquired in 2019
		// and seen until 2023, evidence going stale after: every quarter
		// judges some agencies again, and some keep their standing.
		dir := t.TempDir()
		writeCorpus(t, dir, 10, 16, 60, 0)
		checkSeries(t, Load(os.DirFS(dir), Options{}), MustDate("2026-02-14"))
	})
	t.Run("unknown make before and after the first restriction", func(t *testing.T) {
		// Drones of unknown make count only once some provision restricts
		// some hardware (2020-01-01 here): the series judges every agency
		// again that day, though no vendor's standing changed.
		a, err := txtar.ParseFile("testdata/tracker_reasons.txtar")
		if err != nil {
			t.Fatal(err)
		}
		checkSeries(t, loadArchive(t, a, Options{}).KB, MustDate("2022-01-01"))
	})
	t.Run("dates given as a month or a year, every day", func(t *testing.T) {
		// A law's start, a sighting and a purchase count from the last
		// day of their month or year, a retirement from its first: on
		// each day around those ends the series judges again.
		a, err := txtar.ParseFile("testdata/tracker_partial_dates.txtar")
		if err != nil {
			t.Fatal(err)
		}
		var days []Date
		for d := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2025; d = d.AddDate(0, 0, 1) {
			days = append(days, Date{Year: d.Year(), Month: int(d.Month()), Day: d.Day()})
		}
		checkSeriesOn(t, loadArchive(t, a, Options{}).KB, days)
	})
}

func checkSeries(t *testing.T, k *KB, asOf Date) {
	if err := k.Err(); err != nil {
		t.Fatal(err)
	}
	first := k.FirstObservation()
	if first.IsZero() {
		t.Fatal("the shipped content has no observation")
	}
	dates := QuarterDates(first, asOf)
	if len(dates) < 8 {
		t.Fatalf("%d dates from %s to %s; want a quarter each", len(dates), first, asOf)
	}
	checkSeriesOn(t, k, dates)
	if last := dates[len(dates)-1]; last != asOf {
		t.Errorf("the series ends on %s, not on the date it is computed for, %s", last, asOf)
	}
}

// checkSeriesOn holds Series on the dates to Tracker on each of them.
func checkSeriesOn(t *testing.T, k *KB, dates []Date) {
	t.Helper()
	if err := k.Err(); err != nil {
		t.Fatal(err)
	}
	series := k.Series(dates)
	changes := 0
	for i, p := range series {
		tr := k.Tracker(p.Date)
		if !reflect.DeepEqual(p.Counts, tr.Counts) {
			t.Errorf("on %s the series counts %v; Tracker counts %v", p.Date, p.Counts, tr.Counts)
		}
		for j, as := range tr.Agencies {
			if p.Status(j) != as.Status {
				t.Errorf("on %s the series says %s is %s; Tracker says %s", p.Date, as.Agency.ID, p.Status(j), as.Status)
			}
		}
		if i > 0 && !reflect.DeepEqual(p.Counts, series[i-1].Counts) {
			changes++
		}
	}
	if changes == 0 {
		t.Error("the counts never change over time: the comparison proves nothing")
	}
}

func TestQuarterDates(t *testing.T) {
	cases := []struct {
		from, asOf string
		want       []string
	}{
		{"2019-05-17", "2020-01-01", []string{"2019-04-01", "2019-07-01", "2019-10-01", "2020-01-01"}},
		{"2019", "2019-08-02", []string{"2019-01-01", "2019-04-01", "2019-07-01", "2019-08-02"}},
		{"2019-12", "2019-12-31", []string{"2019-10-01", "2019-12-31"}},
		{"2020-01-01", "2019-12-31", nil},
	}
	for _, c := range cases {
		var got []string
		for _, d := range QuarterDates(MustDate(c.from), MustDate(c.asOf)) {
			got = append(got, d.String())
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("QuarterDates(%s, %s) = %v, want %v", c.from, c.asOf, got, c.want)
		}
	}
	if QuarterDates(Date{}, MustDate("2020-01-01")) != nil {
		t.Error("no first observation should give no dates")
	}
}

func TestMilestones(t *testing.T) {
	k := Load(os.DirFS("../../content"), Options{})
	ms := k.Milestones(MustDate("2010"), MustDate("2030"))
	asda := k.Entry("laws/american-security-drone-act")
	if asda == nil {
		t.Fatal("no American Security Drone Act in the shipped content")
	}
	found := false
	for i, m := range ms {
		// In the order the tracker counts them from: "2020-01" falls on
		// 2020-01-31, after "2020-01-29".
		if i > 0 && ms[i-1].At.After(m.At) {
			t.Errorf("milestones out of order: %s then %s", ms[i-1].Date, m.Date)
		}
		if m.At != m.Date.LastDay() {
			t.Errorf("milestone %s is marked on %s, not on its last day", m.Date, m.At)
		}
		for _, p := range m.Provisions {
			if !p.Restricting() || p.Start != m.Date {
				t.Errorf("%s on %s: not a restricting provision starting that day", p.Label(), m.Date)
			}
			if p.Law == asda && m.Date == asda.Law.Provisions[len(asda.Law.Provisions)-1].Start {
				found = true
			}
		}
	}
	if !found {
		t.Error("the American Security Drone Act's last provision taking effect is not a milestone")
	}
}

// BenchmarkTrackerVsCounts compares the full tracker on one date with the
// counts alone and with the quarterly series, on the corpus in
// $DRONEKB_CORPUS (DRONEKB_CORPUS=DIR go test -run WriteCorpus
// ./internal/build/ writes the 10,000-entry one the README measures).
func BenchmarkTrackerVsCounts(b *testing.B) {
	dir := os.Getenv("DRONEKB_CORPUS")
	if dir == "" {
		b.Skip("set DRONEKB_CORPUS to a generated knowledge base")
	}
	d := MustDate("2025-06-01")
	k := Load(os.DirFS(dir), Options{AsOf: d})
	b.Run("tracker", func(b *testing.B) {
		for b.Loop() {
			k.Tracker(d)
		}
	})
	dates := QuarterDates(k.FirstObservation(), d)
	b.Run("series", func(b *testing.B) {
		b.ReportMetric(float64(len(dates)), "dates")
		for b.Loop() {
			k.Series(dates)
		}
	})
}

// TestFirstSeen: an item's first sighting is the date of one of its
// observations, and none starts before it, for every item of a generated
// knowledge base and for dates of different precision.
func TestFirstSeen(t *testing.T) {
	items := []FleetItem{
		{AsOf: MustDate("2021-05-01")},
		{AsOf: MustDate("2021-05-01"), Acquired: MustDate("2019")},
		{AsOf: MustDate("2019-01-01"), Acquired: MustDate("2019")},
		{AsOf: MustDate("2022"), History: []Observation{{Date: MustDate("2020-01")}, {Date: MustDate("2020-01-01")}}},
		{AsOf: MustDate("2020-01-01"), History: []Observation{{Date: MustDate("2020")}}, Acquired: MustDate("2021")},
	}
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 5)
	k := Load(os.DirFS(dir), Options{})
	for _, a := range k.Section("agencies") {
		items = append(items, a.Agency.Fleet...)
	}
	for i := range items {
		got := items[i].FirstSeen()
		found := false
		for _, o := range items[i].Observations() {
			if o.Date.Before(got) {
				t.Errorf("item %d: FirstSeen %v, but an observation is dated %v", i, got, o.Date)
			}
			found = found || o.Date == got
		}
		if !found {
			t.Errorf("item %d: FirstSeen %v is no observation's date", i, got)
		}
	}
}
