package site_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestSnapshotsMatchTracker reads the tracker as it stood on each earlier
// date (/tracker/on/DATE/) as a reader sees it, agency by agency, and
// checks every row's status, and the sentence that says why, against the
// tracker computed afresh for that date (kb.Tracker, what `dronekb tracker
// --as-of` prints): the snapshots' statuses come from the quarterly series,
// which judges only the agencies that can have changed and shares one list
// of restricting provisions among the vendors of a country, and their
// sentences from kb.StatusesOn. A dated view that gave verdicts without
// their evidence invited misquotation (found in review).
func TestSnapshotsMatchTracker(t *testing.T) {
	dir := t.TempDir()
	if err := sitetest.Generate(dir, 600); err != nil {
		t.Fatal(err)
	}
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(dir)), site.Options{})
	days, err := os.ReadDir(filepath.Join(s.Dir, "tracker", "on"))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) < 3 {
		t.Fatalf("%d snapshot pages; the test needs several dates", len(days))
	}
	var prev map[string]kb.Status
	changes := 0
	for _, day := range days {
		d, err := kb.ParseDate(day.Name())
		if err != nil {
			t.Fatalf("tracker/on/%s: %v", day.Name(), err)
		}
		want, why := map[string]kb.Status{}, map[string]string{}
		for _, as := range s.KB.Tracker(d).Agencies {
			if as.Status != kb.NoRecord {
				want[as.Agency.ID], why[as.Agency.ID] = as.Status, as.ReasonWords()
			}
		}
		got, gotWhy := map[string]kb.Status{}, map[string]string{}
		for i, page := range followPages(t, s.Dir, "/tracker/on/"+day.Name()+"/") {
			// The downloads it links to are today's tracker, not that
			// day's: the page says so, and how to get that day's.
			if dl := sitetest.Find(page.doc, atom.P); i == 0 && !slices.ContainsFunc(dl, func(p *html.Node) bool {
				txt := strings.Join(strings.Fields(sitetest.Text(p)), " ")
				return strings.Contains(txt, "The downloads give the tracker on ") && strings.Contains(txt, "not on this day") &&
					strings.Contains(txt, "dronekb tracker --as-of "+day.Name())
			}) {
				t.Errorf("tracker/on/%s: the download links do not say they give another day's tracker", day.Name())
			}
			rows, reasons := snapshotRows(t, page.url, page.doc)
			for id, st := range rows {
				if _, dup := got[id]; dup {
					t.Errorf("tracker/on/%s: %s is on two pages", day.Name(), id)
				}
				got[id], gotWhy[id] = st, reasons[id]
			}
		}
		for id, st := range want {
			if got[id] != st {
				t.Errorf("tracker/on/%s: %s shows %q; the tracker on that date says %q", day.Name(), id, got[id], st)
			}
			if gotWhy[id] != why[id] || why[id] == "" {
				t.Errorf("tracker/on/%s: %s says why\n  %q\nthe tracker on that date says\n  %q", day.Name(), id, gotWhy[id], why[id])
			}
		}
		for id, st := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("tracker/on/%s: %s shows %q; the tracker on that date has no record of it", day.Name(), id, st)
			}
		}
		if prev != nil && !maps.Equal(prev, want) {
			changes++
		}
		prev = want
	}
	if changes == 0 {
		t.Error("no agency's status changes from one snapshot to the next: the comparison proves little")
	}
}

// snapshotRows returns each agency row of the tracker page name: the
// agency's ID (from its link), the status the row shows and the sentence
// its Why cell gives.
func snapshotRows(t *testing.T, name string, doc *html.Node) (map[string]kb.Status, map[string]string) {
	t.Helper()
	rows, why := map[string]kb.Status{}, map[string]string{}
	for _, tr := range sitetest.Find(doc, atom.Tr) {
		st, ok := sitetest.Attr(tr, "data-status")
		if !ok {
			continue
		}
		ths := sitetest.Find(tr, atom.Th)
		if len(ths) == 0 {
			t.Fatalf("%s: a row without its agency", name)
		}
		links := sitetest.Find(ths[0], atom.A)
		if len(links) == 0 {
			t.Fatalf("%s: a row whose agency has no link", name)
		}
		href, _ := sitetest.Attr(links[0], "href")
		id := strings.Trim(href, "/") // "/agencies/x/" → "agencies/x"
		if _, dup := rows[id]; dup {
			t.Errorf("%s: %s has two rows", name, id)
		}
		// What the reader sees: the status in words and its slug, which
		// must agree with the row's data-status (what the filters use).
		var label, slug string
		sitetest.Walk(tr, func(n *html.Node) {
			class, _ := sitetest.Attr(n, "class")
			if l, _ := sitetest.Attr(n, "data-label"); l == "Why" {
				why[id] = sitetest.Text(n)
			}
			switch {
			case class == "status-slug":
				slug = sitetest.Text(n)
			case strings.HasPrefix(class, "status status-"):
				label = sitetest.Text(n)
			}
		})
		if slug != st || label != kb.Status(slug).Label() {
			t.Errorf("%s: %s shows %q (%q) in a row marked %q", name, id, label, slug, st)
		}
		rows[id] = kb.Status(slug)
	}
	return rows, why
}
