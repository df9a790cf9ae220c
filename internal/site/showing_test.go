package site_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// TestShowingEqualsFull edits a generated knowledge base as serve --watch
// sees it — the site before the edit on disk, the edited entries' pages
// brought up to date (SyncEntries) — and then runs the early step alone:
// the site-wide pages that show the edited entries (Showing, SyncPages).
// After it, every list, country, region and tag page, their indexes, home,
// the timeline and every tracker view on disk must be what a full build
// of the edited content writes, byte for byte, and show the edit.
func TestShowingEqualsFull(t *testing.T) {
	// Lists of a page size that puts the last entry of the incident's
	// country on a second page, which moving the incident away makes one
	// too many; other lists have several pages too.
	t.Run("a country loses a page", func(t *testing.T) {
		showingEqualsFull(t, func(cur *site.Site, _, incident *kb.Entry) (int, string) {
			return site.ListLen(cur, site.CountryPath(incident.Incident.Country)) - 1, ""
		})
	})
	// A page size that puts the last agency of the tracker's view of the
	// agency's status on a second page, which retiring its fleet, and so
	// changing its status, makes one too many.
	t.Run("a tracker view loses a page", func(t *testing.T) {
		showingEqualsFull(t, func(cur *site.Site, agency, _ *kb.Entry) (int, string) {
			for _, as := range cur.Tracker().Agencies {
				if as.Agency == agency {
					view := "tracker/status/" + string(as.Status) + "/"
					return site.ListLen(cur, view) - 1, view + "page/2/index.html"
				}
			}
			t.Fatalf("%s is not in the tracker", agency.ID)
			return 0, ""
		})
	})
}

// showingEqualsFull runs TestShowingEqualsFull with lists of the page size
// size gives, which also names a page the last edit must delete ("" for
// none).
func showingEqualsFull(t *testing.T, size func(cur *site.Site, agency, incident *kb.Entry) (int, string)) {
	ctx := context.Background()
	root := t.TempDir()
	content := filepath.Join(root, "content")
	if err := sitetest.Generate(content, 200); err != nil {
		t.Fatal(err)
	}
	asOf := sitetest.AsOf
	cache := kb.NewCache()
	load := func(prev *kb.KB) *kb.KB {
		t.Helper()
		k := kb.Load(os.DirFS(content), kb.Options{Dir: content, AsOf: asOf, Cache: cache, Prev: prev, NoNearDuplicates: true})
		if err := k.Err(); err != nil {
			t.Fatal(err)
		}
		return k
	}
	opts := site.Options{BaseURL: "/", Theme: themes.Default(), AsOf: asOf, Workers: 2}
	k := load(nil)
	opts.Tracker = k.Tracker(asOf)
	cur, err := site.New(k, opts)
	if err != nil {
		t.Fatal(err)
	}
	// An agency with a fleet in a region (so on a region page and in the
	// tracker), and an incident in a region.
	var agency, incident *kb.Entry
	for _, e := range k.Entries {
		switch {
		case agency == nil && e.Agency != nil && e.Agency.Region != "" && len(e.Agency.Fleet) > 0:
			agency = e
		case incident == nil && e.Incident != nil && e.Incident.Region != "" && e.Incident.Country != "IS":
			incident = e
		}
	}
	if agency == nil || incident == nil {
		t.Fatal("the generated content has no agency with a fleet in a region, or no incident in a region")
	}
	// A vendor the agency flies (so with a tracker view), and a law
	// that restricts drones.
	vendor := k.Entry(agency.Agency.Fleet[0].Vendor.ID)
	var law *kb.Entry
	for _, e := range k.Section("laws") {
		if len(e.Law.Provisions) > 0 && e.Law.Provisions[0].Restricting() {
			law = e
			break
		}
	}
	if vendor == nil || law == nil {
		t.Fatal("the generated content has no vendor flown by the agency, or no restricting law")
	}
	n, gone := size(cur, agency, incident)
	opts.PageSize = max(n, 1)
	if cur, err = site.New(k, opts); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "watched")
	if _, err := cur.Build(ctx, dir); err != nil {
		t.Fatal(err)
	}
	cur.Prepare()

	file := func(e *kb.Entry) string { return filepath.Join(content, filepath.FromSlash(e.ID)+".md") }
	rewrite := func(e *kb.Entry, f func(string) string) {
		t.Helper()
		data, err := os.ReadFile(file(e))
		if err != nil {
			t.Fatal(err)
		}
		now := f(string(data))
		if now == string(data) {
			t.Fatalf("the edit changed nothing in %s", e.ID)
		}
		if err := os.WriteFile(file(e), []byte(now), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := func(key, value string) func(string) string {
		re := regexp.MustCompile(`(?m)^` + key + `:.*$`)
		return func(s string) string { return re.ReplaceAllLiteralString(s, key+": "+value) }
	}
	cc, region := strings.ToLower(agency.Agency.Country), site.RegionPath(agency.Agency.Region)
	oldCountry, oldRegion := site.CountryPath(incident.Incident.Country), site.RegionPath(incident.Incident.Region)
	beforeMove, err := os.ReadFile(file(incident))
	if err != nil {
		t.Fatal(err)
	}

	edits := []struct {
		name string
		do   func()
		// shows are pages that must show text after the edit, and
		// hides pages that must no longer show it.
		text          string
		shows, hidden []string
	}{
		{name: "agency title", text: "A Renamed Constabulary",
			do:    func() { rewrite(agency, line("title", "A Renamed Constabulary")) },
			shows: []string{"agencies/", "countries/" + cc + "/", region, "tags/police/", "tracker/", "tracker/sort/agency/", "tracker/country/" + cc + "/"}},
		{name: "incident moved to another country", text: incident.Title,
			do: func() {
				rewrite(incident, func(s string) string {
					s = regexp.MustCompile(`(?m)^region: .*\n`).ReplaceAllString(s, "")
					return line("country", "IS\nregion: IS-1")(s)
				})
			},
			shows: []string{"countries/is/", "countries/is/1/", "incidents/"}, hidden: []string{oldCountry, oldRegion}},
		// Iceland's pages had that incident alone: they go.
		{name: "moved back", text: incident.Title,
			do: func() {
				if err := os.WriteFile(file(incident), beforeMove, 0o644); err != nil {
					t.Fatal(err)
				}
			},
			shows: []string{oldCountry, oldRegion}},
		{name: "a new tag", text: incident.Title,
			do: func() {
				rewrite(incident, func(s string) string { return strings.Replace(s, "\ntags: [", "\ntags: [a-tag-of-its-own, ", 1) })
			},
			shows: []string{"tags/a-tag-of-its-own/"}},
		{name: "vendor title", text: "Renamed Vendor Incorporated",
			do:    func() { rewrite(vendor, line("title", "Renamed Vendor Incorporated")) },
			shows: []string{"vendors/", "tracker/", "tracker/vendor/" + vendor.Slug + "/"}},
		{name: "agency's fleet retired", text: "A Renamed Constabulary",
			do: func() {
				rewrite(agency, func(s string) string {
					return regexp.MustCompile(`(?m)^(\s+status:) \w+$`).ReplaceAllString(s, "${1} retired")
				})
			},
			shows: []string{"tracker/"}},
		{name: "law dates", text: law.Title,
			do: func() {
				re := regexp.MustCompile(`(?m)^(\s*(?:enacted|effective|start|introduced):\s*)(\d{4})(-\d\d-\d\d)`)
				rewrite(law, func(s string) string {
					return re.ReplaceAllStringFunc(s, func(m string) string {
						sub := re.FindStringSubmatch(m)
						var y int
						fmt.Sscan(sub[2], &y)
						return fmt.Sprintf("%s%d%s", sub[1], y-3, sub[3])
					})
				})
			},
			shows: []string{"laws/", "timeline/"}},
	}
	for i, ed := range edits {
		ed.do()
		k := load(cur.KB())
		opts.Tracker = k.TrackerFrom(cur.Tracker(), cur.KB(), asOf)
		ns, err := site.NewAfter(cur, k, opts)
		if err != nil {
			t.Fatal(err)
		}
		var changed []string
		var entries []*kb.Entry
		for _, e := range k.Entries {
			if cur.KB().Entry(e.ID) != e {
				changed, entries = append(changed, e.ID), append(entries, e)
			}
		}
		if _, err := ns.SyncEntries(ctx, dir, entries, nil); err != nil {
			t.Fatal(err)
		}
		ch, err := ns.SyncPages(ctx, dir, site.Showing(cur, ns, changed))
		if err != nil {
			t.Fatal(err)
		}

		opts.Tracker = k.Tracker(asOf)
		full, err := site.New(k, opts)
		if err != nil {
			t.Fatal(err)
		}
		fullDir := filepath.Join(root, fmt.Sprint("full", i))
		if _, err := full.Build(ctx, fullDir); err != nil {
			t.Fatal(err)
		}
		want, got := sitetest.ReadTree(t, fullDir), sitetest.ReadTree(t, dir)
		var diffs []string
		for _, rel := range slices.Sorted(func(yield func(string) bool) {
			for rel := range want {
				if !yield(rel) {
					return
				}
			}
			for rel := range got {
				if _, ok := want[rel]; !ok && !yield(rel) {
					return
				}
			}
		}) {
			if !showsEntries(rel) {
				continue
			}
			w, inWant := want[rel]
			g, inGot := got[rel]
			switch {
			case !inGot:
				diffs = append(diffs, "missing "+rel)
			case !inWant:
				diffs = append(diffs, "left behind "+rel)
			case !bytes.Equal(w, g):
				diffs = append(diffs, "differs "+rel)
			}
		}
		if len(diffs) > 0 {
			if len(diffs) > 20 {
				diffs = append(diffs[:20], "…")
			}
			t.Errorf("%s: after the early step, pages that show entries differ from a full build's:\n%s", ed.name, strings.Join(diffs, "\n"))
		}
		for _, p := range ed.shows {
			if data := listText(got, p); !bytes.Contains(data, []byte(ed.text)) {
				t.Errorf("%s: /%s does not show %q after the early step", ed.name, p, ed.text)
			}
		}
		for _, p := range ed.hidden {
			if data := listText(got, p); bytes.Contains(data, []byte(ed.text)) {
				t.Errorf("%s: /%s still shows %q after the early step", ed.name, p, ed.text)
			}
		}
		if ed.name == "agency's fleet retired" && gone != "" && !slices.Contains(ch.Deleted, gone) {
			t.Errorf("%s: the early step deleted %v, not %s", ed.name, ch.Deleted, gone)
		}
		t.Logf("%s: the early step rendered %d pages, wrote %d, deleted %d", ed.name, ch.Files, len(ch.Written), len(ch.Deleted))
		os.RemoveAll(fullDir)
		// The rest of the site, as serve's second step brings it up to
		// date, for the next edit to start from.
		if _, err := ns.Sync(ctx, dir, true, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		ns.Prepare()
		cur = ns
	}
}

// showsEntries reports whether a site file is one of the pages that list
// entries or the tracker's agencies: home, the section lists, the
// timeline, the country, region and tag pages and their indexes, and
// every tracker view.
func showsEntries(rel string) bool {
	if rel == "index.html" || rel == "timeline/index.html" {
		return true
	}
	for _, sec := range kb.Sections {
		if rel == sec.Dir+"/index.html" || strings.HasPrefix(rel, sec.Dir+"/page/") {
			return true
		}
	}
	for _, p := range []string{"countries/", "tags/", "tracker/"} {
		if strings.HasPrefix(rel, p) {
			return true
		}
	}
	return false
}

// listText returns the bytes of the page at p in tree, and when it is a
// list of several pages, of all its pages.
func listText(tree map[string][]byte, p string) []byte {
	out := slices.Clone(tree[p+"index.html"])
	for n := 2; ; n++ {
		data, ok := tree[fmt.Sprintf("%spage/%d/index.html", p, n)]
		if !ok {
			return out
		}
		out = append(out, data...)
	}
}
