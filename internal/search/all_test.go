package search_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
)

// manyIndex builds an index of n vendors whose every summary says
// "drones", more than a search pages to (search.MaxFrom).
func manyIndex(t *testing.T, n int) *search.Index {
	t.Helper()
	ids := make([]string, n)
	docs := make([]search.Doc, n)
	for i := range n {
		ids[i] = fmt.Sprintf("vendors/v%05d", i)
		docs[i] = search.Doc{Type: "vendor", Title: fmt.Sprintf("Vendor %d", i), Summary: "A maker of drones.", Country: "CN",
			Vendor: []string{fmt.Sprintf("v%05d", i)}, Path: ids[i] + "/"}
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := search.Build(context.Background(), dir, ids, docs, search.BuildOptions{BasePath: "/"}); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// all runs idx.All from hit from on, returning its pages.
func all(t *testing.T, idx *search.Index, params string, from int) []*search.Response {
	t.Helper()
	r := request(t, params)
	r.From = from
	var pages []*search.Response
	if err := idx.All(context.Background(), r, func(res *search.Response) error {
		pages = append(pages, res)
		return nil
	}); err != nil {
		t.Fatalf("All(%s): %v", params, err)
	}
	return pages
}

// TestAllListsEveryHit: All gives every hit, past the MaxFrom that
// Search pages to, in the order Search gives the first of them, a page at
// a time. Found in review: no interface listed more than 1,000 hits, so
// every agency flying restricted hardware (419 at 10,000 entries, some
// 4,000 at 100,000) or every incident matching a word could not be
// exported.
func TestAllListsEveryHit(t *testing.T) {
	const n = 1234
	idx := manyIndex(t, n)
	for _, sortBy := range []string{"title", "relevance", "date"} {
		params := "q=drones&sort=" + sortBy
		pages := all(t, idx, params, 0)
		var got []string
		for i, p := range pages {
			if p.Total != n || p.From != len(got) || p.Size != len(p.Hits) {
				t.Fatalf("%s: page %d: total %d, from %d, size %d with %d hits; want total %d, from %d", params, i, p.Total, p.From, p.Size, len(p.Hits), n, len(got))
			}
			if !reflect.DeepEqual(p.Facets, pages[0].Facets) {
				t.Errorf("%s: page %d has other facets than the first", params, i)
			}
			got = append(got, hitIDs(p)...)
		}
		if len(got) != n || len(pages) < 2 {
			t.Fatalf("%s: %d hits in %d pages, want %d in several", params, len(got), len(pages), n)
		}
		sortedGot := slices.Clone(got)
		slices.Sort(sortedGot)
		if len(slices.Compact(sortedGot)) != n {
			t.Errorf("%s: a hit is given twice", params)
		}
		// The first MaxFrom are Search's, page by page, with its snippets.
		for from := 0; from < search.MaxFrom; from += search.MaxSize {
			res := run(t, idx, fmt.Sprintf("%s&from=%d&size=%d", params, from, search.MaxSize))
			if want := hitIDs(res); !slices.Equal(got[from:from+len(want)], want) {
				t.Fatalf("%s: hits %d to %d are %q, where Search gives %q", params, from, from+len(want), got[from:from+3], want[:3])
			}
			if !reflect.DeepEqual(res.Facets, pages[0].Facets) {
				t.Errorf("%s: All's facets differ from Search's", params)
			}
			// What a facet leaves out too, on every page (found in review:
			// All's pages said nothing of it, so a cut list read as whole).
			for i, p := range pages {
				if res.FacetsLeftOut == nil || !reflect.DeepEqual(p.FacetsLeftOut, res.FacetsLeftOut) {
					t.Fatalf("%s: All's page %d leaves out %v, Search's %v", params, i, p.FacetsLeftOut, res.FacetsLeftOut)
				}
			}
		}
	}
	if got := all(t, idx, "q=drones&sort=title", 0)[0].Hits[0].Snippet; got != "A maker of <mark>drones</mark>." {
		t.Errorf("snippet %q, want the match marked as Search marks it", got)
	}

	// From a place deeper than MaxFrom, and from past the end.
	pages := all(t, idx, "type=vendor&sort=title", 1200)
	if len(pages) != 1 || len(pages[0].Hits) != n-1200 || pages[0].From != 1200 {
		t.Errorf("from=1200: %d pages, the first from %d with %d hits; want 1 from 1200 with %d", len(pages), pages[0].From, len(pages[0].Hits), n-1200)
	}
	if pages := all(t, idx, "type=vendor", 5000); len(pages) != 1 || len(pages[0].Hits) != 0 || pages[0].Total != n {
		t.Errorf("from=5000: %d pages, want one with no hits and the total", len(pages))
	}

	// A query refused is refused as Search refuses it; page's error ends All.
	var qe *search.QueryError
	if err := idx.All(context.Background(), search.Request{Q: "the"}, func(*search.Response) error { return nil }); !errors.As(err, &qe) {
		t.Errorf("All(the): %v, want a QueryError", err)
	}
	stop := errors.New("stop")
	calls := 0
	if err := idx.All(context.Background(), search.Request{Q: "drones"}, func(*search.Response) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("All with page failing: %v after %d calls, want stop after 1", err, calls)
	}
}

// TestFacetsSayWhatTheyLeaveOut: a facet lists its most counted values
// only (search.FacetSizes), and the answer says how many it leaves out
// and the hits counted under them, where it stopped without a word (found
// in review: vendor stops at 60).
func TestFacetsSayWhatTheyLeaveOut(t *testing.T) {
	idx := manyIndex(t, 100)
	res := run(t, idx, "q=drones")
	if len(res.Facets["vendor"]) != search.FacetSizes()["vendor"] {
		t.Fatalf("%d vendors listed, want %d", len(res.Facets["vendor"]), search.FacetSizes()["vendor"])
	}
	want := map[string]search.FacetRest{"vendor": {Values: 40, Count: 40}}
	if !reflect.DeepEqual(res.FacetsLeftOut, want) {
		t.Errorf("facets_left_out %v, want %v (and no type, country or status, which list every value)", res.FacetsLeftOut, want)
	}
	if res := run(t, idx, "q=drones&vendor=v00001"); res.FacetsLeftOut != nil {
		t.Errorf("one vendor's hits: facets_left_out %v, want none", res.FacetsLeftOut)
	}
}
