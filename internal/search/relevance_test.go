package search_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/search/searchtest"
)

// TestRelevanceSet runs the relevance set (testdata/relevance.txt) against
// the bleve index of the shipped content: every expected entry must rank
// among its query's first three hits. Each miss is reported with what
// ranked instead.
func TestRelevanceSet(t *testing.T) {
	cases, err := searchtest.LoadRelevance()
	if err != nil {
		t.Fatal(err)
	}
	idx := shippedIndex(t)
	pass := 0
	for _, c := range cases {
		res, err := idx.Search(context.Background(), search.Request{Q: c.Query, Size: 10})
		if err != nil {
			t.Errorf("testdata/relevance.txt:%d: %s: %v", c.Line, c.Query, err)
			continue
		}
		if miss := c.Miss(hitIDs(res)); miss != "" {
			t.Error(miss)
			continue
		}
		pass++
	}
	t.Logf("bleve: %d of %d relevance queries rank what they should in their first %d hits", pass, len(cases), searchtest.Top)
}

// allHits returns the IDs of every hit of a request, sorted.
func allHits(t *testing.T, idx *search.Index, params string) []string {
	t.Helper()
	var ids []string
	for from := 0; ; from += search.MaxSize {
		res := run(t, idx, fmt.Sprintf("%s&size=%d&from=%d", params, search.MaxSize, from))
		ids = append(ids, hitIDs(res)...)
		if len(res.Hits) < search.MaxSize {
			break
		}
	}
	sort.Strings(ids)
	return ids
}

// TestShippedKnownAnswers runs the rows of issue 13's table over the
// shipped content: accents and elisions, French stemming, OR, and common
// words with filters.
func TestShippedKnownAnswers(t *testing.T) {
	idx := shippedIndex(t)
	for _, k := range searchtest.ShippedKnown {
		got := allHits(t, idx, k.Params)
		for _, id := range k.Want {
			if !slices.Contains(got, id) {
				t.Errorf("%s: %s is not among the %d hits %q", k.Params, id, len(got), got)
			}
		}
		if k.Same == nil {
			continue
		}
		var want []string
		for _, p := range k.Same {
			for _, id := range allHits(t, idx, p) {
				if !slices.Contains(want, id) {
					want = append(want, id)
				}
			}
		}
		sort.Strings(want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s:\n finds %q\n want  %q (what %s find)", k.Params, got, want, strings.Join(k.Same, " and "))
		}
	}
}

// TestFlyersFirst: a vendor's name searched among agencies ranks those
// flying its drones first (searchtest.FlyersFirst).
func TestFlyersFirst(t *testing.T) {
	idx := shippedIndex(t)
	for _, c := range searchtest.FlyersFirst {
		ranked := hitIDs(run(t, idx, "type=agency&size=100&q="+c.Query))
		flyers := allHits(t, idx, "type=agency&vendor="+c.Vendor)
		if miss := searchtest.FlyersMiss(ranked, flyers); miss != "" {
			t.Errorf("q=%s&type=agency: %s", c.Query, miss)
		}
	}
}

// TestTopIsTheSearchPages: Top gives the hits that paging through Search
// gives, in the same order and with the same scores, and the total.
func TestTopIsTheSearchPages(t *testing.T) {
	idx := shippedIndex(t)
	for _, params := range []string{"q=drones", "q=dji&sort=title", "type=incident&sort=-date", "q=police&country=FR", "q=zeppelinwatch"} {
		req := request(t, params)
		var want []search.Hit
		var total uint64
		for req.From, req.Size = 0, search.MaxSize; ; req.From += req.Size {
			res := run(t, idx, fmt.Sprintf("%s&from=%d&size=%d", params, req.From, req.Size))
			want, total = append(want, res.Hits...), res.Total
			if len(res.Hits) < req.Size {
				break
			}
		}
		var got []search.Hit
		pages := 0
		err := idx.Top(context.Background(), request(t, params), func(res *search.Response) error {
			pages++
			if res.Total != total || res.From != len(got) {
				t.Errorf("%s: a page from %d of %d hits, after %d hits of %d", params, res.From, res.Total, len(got), total)
			}
			got = append(got, res.Hits...)
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		if pages == 0 || len(got) != len(want) {
			t.Errorf("%s: Top gave %d hits in %d pages, paging %d", params, len(got), pages, len(want))
			continue
		}
		for i := range want {
			if got[i].ID != want[i].ID || got[i].Score != want[i].Score || got[i].URL != want[i].URL {
				t.Errorf("%s: hit %d is %s (%v), paging's %s (%v)", params, i+1, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
			}
		}
	}
}
