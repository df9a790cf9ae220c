package kb

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLinkFromPrevEqualsFull: a Load given the knowledge base before the
// edit (Options.Prev, as serve --watch does) resolves only the changed
// entries' references, and must report and link exactly as a Load from
// scratch: every entry's backlinks, in order, with their fields, and
// every diagnostic. Each step below is an edit a contributor makes.
func TestLinkFromPrevEqualsFull(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	cache := NewCache()
	asOf := MustDate("2024-06-01")
	prev := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf, Cache: cache})
	if err := prev.Err(); err != nil {
		t.Fatal(err)
	}
	edit := func(rel string, f func(string) string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		next := f(string(data))
		if next == string(data) {
			t.Fatalf("the edit of %s changes nothing", rel)
		}
		if err := os.WriteFile(p, []byte(next), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	replace := func(old, new string) func(string) string {
		return func(s string) string { return strings.Replace(s, old, new, 1) }
	}
	steps := []struct {
		name  string
		apply func()
		// errors is set when the step leaves a content error.
		errors bool
	}{
		{"a reference added in the front matter", func() {
			edit("incidents/i3.md", replace("agencies: [", "agencies: [a7, "))
		}, false},
		{"a title that reorders the lists it is on", func() {
			edit("incidents/i3.md", replace("title: ", "title: AAA first "))
		}, false},
		{"a body link removed", func() {
			edit("vendors/v1.md", func(s string) string { return strings.ReplaceAll(s, "](../laws/l1.md)", "]") })
		}, false},
		{"a reference to an unknown vendor", func() {
			edit("agencies/a4.md", replace("vendor: v4", "vendor: v44"))
		}, true},
		{"another entry edited while the error stays", func() {
			edit("laws/l2.md", replace("title: ", "title: Renamed "))
		}, true},
		{"the error fixed", func() {
			edit("agencies/a4.md", replace("vendor: v44", "vendor: v4"))
		}, false},
		{"a reference to itself (a warning)", func() {
			edit("agencies/a5.md", replace("related: [", "related: [agencies/a5, "))
		}, false},
		{"two entries at once", func() {
			edit("agencies/a6.md", replace("related: [", "related: [incidents/i9, "))
			edit("incidents/i9.md", replace("title: ", "title: Zed "))
		}, false},
		{"an entry added", func() {
			data, err := os.ReadFile(filepath.Join(dir, "incidents", "i1.md"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "incidents", "new.md"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"an entry removed that others reference", func() {
			if err := os.Remove(filepath.Join(dir, "vendors", "v2.md")); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"the reference to itself removed", func() {
			edit("agencies/a5.md", replace("related: [agencies/a5, ", "related: ["))
		}, true},
	}
	for _, st := range steps {
		st.apply()
		got := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf, Cache: cache, Prev: prev})
		want := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf})
		if (want.Err() != nil) != st.errors {
			t.Fatalf("%s: the step was meant to leave errors: %v, but: %v", st.name, st.errors, want.Err())
		}
		if !reflect.DeepEqual(diagStrings(got.Diagnostics), diagStrings(want.Diagnostics)) {
			t.Errorf("%s: diagnostics differ:\nfrom prev %v\nfull      %v", st.name, got.Diagnostics, want.Diagnostics)
		}
		if len(got.Entries) != len(want.Entries) {
			t.Fatalf("%s: %d entries, want %d", st.name, len(got.Entries), len(want.Entries))
		}
		for i, e := range want.Entries {
			if g, w := backlinkStrings(got.ReferencedBy(got.Entries[i].ID)), backlinkStrings(want.ReferencedBy(e.ID)); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: backlinks of %s:\nfrom prev %v\nfull      %v", st.name, e.ID, g, w)
			}
		}
		prev = got
	}
}

func diagStrings(ds Diagnostics) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// backlinkStrings names each backlink by its entry, title and fields: a
// stale *Entry (the version before an edit) shows as its old title.
func backlinkStrings(bs []Backlink) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = fmt.Sprintf("%s %q %v", b.From.ID, b.From.Title, b.Fields)
	}
	return out
}

// TestTrackerFromEqualsTracker: the tracker serve --watch computes from
// the one before an edit (TrackerFrom) says exactly what a tracker
// computed from scratch says: every row with its reason, parents and
// components, who holds each vendor's hardware and whom each law affects;
// and so does the tracker over time (SeriesFrom) on every date.
func TestTrackerFromEqualsTracker(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 10, 8, 30, 10)
	cache := NewCache()
	d := MustDate("2024-06-01")
	prevKB := Load(os.DirFS(dir), Options{Dir: "content", Cache: cache})
	if err := prevKB.Err(); err != nil {
		t.Fatal(err)
	}
	prev := prevKB.Tracker(d)
	dates := QuarterDates(prevKB.FirstObservation(), d)
	prevSeries := prevKB.Series(dates)
	edit := func(rel, old, new string) func() {
		return func() {
			p := filepath.Join(dir, filepath.FromSlash(rel))
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), old) {
				t.Fatalf("%s has no %q", rel, old)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := []struct {
		name  string
		apply func()
		// partial is set when only agencies changed: TrackerFrom must
		// then judge only them.
		partial bool
	}{
		{"a fleet item's status", edit("agencies/a5.md", "status: grounded", "status: active"), true},
		{"a vendor changed in a fleet", edit("agencies/a6.md", "vendor: v6", "vendor: v0"), true},
		{"a title (the lists are by title)", edit("agencies/a7.md", "title: Agency 7", "title: AAA Agency 7"), true},
		{"an agency becomes another's component", edit("agencies/a8.md", "tags: [police, drones]", "parent: a9\ntags: [police, drones]"), true},
		{"an incident", edit("incidents/i2.md", "title: Incident", "title: The incident"), true},
		{"a law's date", edit("laws/l1.md", "enacted: 2020-01-01", "enacted: 2024-05-01"), false},
		{"the component left its parent", edit("agencies/a8.md", "parent: a9\n", ""), true},
		{"a fleet removed: no record", func() {
			p := filepath.Join(dir, "agencies", "a10.md")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			s := string(data)
			i, j := strings.Index(s, "fleet:\n"), strings.Index(s, "sources:\n")
			if err := os.WriteFile(p, []byte(s[:i]+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
		}, true},
		// The agency with no record is not edited, but its reason now
		// says it has components.
		{"a component of an agency with no record", edit("agencies/a11.md", "tags: [police, drones]", "parent: a10\ntags: [police, drones]"), true},
		// More than a quarter of the agencies: every relation is made
		// again (trackerFromAll).
		{"ten agencies at once", func() {
			for i := 12; i < 22; i++ {
				edit(fmt.Sprintf("agencies/a%d.md", i), "title: Agency", "title: The Agency")()
			}
		}, true},
	}
	for _, st := range steps {
		st.apply()
		k := Load(os.DirFS(dir), Options{Dir: "content", Cache: cache, Prev: prevKB})
		if err := k.Err(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		before := trackerStrings(prevKB, prev)
		got, want := k.TrackerFrom(prev, prevKB, d), k.Tracker(d)
		if after := trackerStrings(prevKB, prev); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: TrackerFrom changed the tracker it started from", st.name)
		}
		if g, w := trackerStrings(k, got), trackerStrings(k, want); !reflect.DeepEqual(g, w) {
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Errorf("%s: from prev %s\n  full      %s", st.name, g[i], w[i])
				}
			}
			if len(g) != len(w) {
				t.Errorf("%s: %d lines from prev, %d full", st.name, len(g), len(w))
			}
		}
		// The lists of holders and affected agencies are made when first
		// read, above: from prev's, which must still be as they were.
		if after := trackerStrings(prevKB, prev); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: reading the lists of the tracker made by TrackerFrom changed the tracker it started from", st.name)
		}
		if st.partial {
			reused := 0
			for i, as := range got.Agencies {
				if as.Items != nil && len(prev.Agencies[i].Items) > 0 && &as.Items[0] == &prev.Agencies[i].Items[0] {
					reused++
				}
			}
			if reused == 0 {
				t.Errorf("%s: no agency's standing was reused; TrackerFrom computed the whole tracker", st.name)
			}
		}
		dates := QuarterDates(k.FirstObservation(), d)
		series, full := k.SeriesFrom(prevSeries, prevKB, dates), k.Series(dates)
		if !reflect.DeepEqual(series, full) {
			t.Errorf("%s: the tracker over time from the one before differs from one computed in full", st.name)
		}
		prev, prevKB, prevSeries = got, k, series
	}
}

// trackerStrings describes every row and relation of t. A status that a
// relation points to but that is not t's row for the agency (one left
// from the tracker before) shows as "stale".
func trackerStrings(k *KB, t *Tracker) []string {
	id := func(as *AgencyStatus) string {
		if t.Agency(as.Agency.ID) != as {
			return as.Agency.ID + "(stale)"
		}
		return as.Agency.ID
	}
	var out []string
	out = append(out, fmt.Sprintf("counts %v unknown-old %d", t.Counts, t.UnknownOld))
	for _, as := range t.Agencies {
		row := as.Row(nil)
		parent := ""
		if as.Parent != nil {
			parent = id(as.Parent)
		}
		var comps []string
		for _, c := range as.Components {
			comps = append(comps, id(c))
		}
		out = append(out, fmt.Sprintf("%s %+v parent=%s components=%v reason=%v governing=%d", as.Agency.ID, row, parent, comps, as.Reason, len(as.Governing)))
	}
	for _, v := range k.Section("vendors") {
		var ids []string
		for _, as := range t.HoldersOf(v.ID) {
			ids = append(ids, id(as))
		}
		out = append(out, fmt.Sprintf("vendor %s holders %v restricted-by %d", v.ID, ids, len(t.RestrictedBy(v.ID))))
	}
	for _, l := range k.Section("laws") {
		var list []string
		for _, a := range t.Affected(l.ID) {
			list = append(list, fmt.Sprintf("%s bound=%v banned=%v items=%d", id(a.Status), a.Bound, a.Banned, len(a.Items)))
		}
		out = append(out, fmt.Sprintf("law %s affects %v", l.ID, list))
	}
	return out
}
