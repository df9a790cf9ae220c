package searchweb_test

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/search/searchtest"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestRelevanceSetStatic runs the relevance set (internal/search/testdata/
// relevance.txt) against the static index of the shipped content, searched
// by search.js in Chromium as on a plain static host: every expected entry
// must rank among its query's first three hits.
func TestRelevanceSetStatic(t *testing.T) {
	sharedBrowser(t)
	cases, err := searchtest.LoadRelevance()
	if err != nil {
		t.Fatal(err)
	}
	b := buildContent(t, sitetest.ShippedContent(t), "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	pass := 0
	for _, c := range cases {
		var got staticResult
		eval(t, p, "dronekbSearch.staticIDs("+jsString("q="+url.QueryEscape(c.Query))+")", &got)
		if got.Error != "" {
			t.Errorf("testdata/relevance.txt:%d: %s: %s", c.Line, c.Query, got.Error)
			continue
		}
		if miss := c.Miss(got.IDs); miss != "" {
			t.Error(miss)
			continue
		}
		pass++
	}
	t.Logf("static index: %d of %d relevance queries rank what they should in their first %d hits", pass, len(cases), searchtest.Top)
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}

// TestShippedKnownAnswersStatic runs the rows of issue 13's table over the
// static index of the shipped content: each finds the entries it must, and
// exactly what the bleve index finds.
func TestShippedKnownAnswersStatic(t *testing.T) {
	sharedBrowser(t)
	b := buildContent(t, sitetest.ShippedContent(t), "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	idx := b.openIndex(t)
	static := func(params string) []string {
		v, err := url.ParseQuery(params)
		if err != nil {
			t.Fatal(err)
		}
		var got staticResult
		eval(t, p, "dronekbSearch.staticIDs("+jsString(v.Encode())+")", &got)
		if got.Error != "" {
			t.Fatalf("%s: %s", params, got.Error)
		}
		sort.Strings(got.IDs)
		return got.IDs
	}
	for _, k := range searchtest.ShippedKnown {
		got := static(k.Params)
		for _, id := range k.Want {
			if !slices.Contains(got, id) {
				t.Errorf("%s: %s is not among the %d hits %q", k.Params, id, len(got), got)
			}
		}
		v, _ := url.ParseQuery(k.Params)
		if want, _, _, qerr := bleveIDs(t, idx, v.Encode()); qerr != "" || !slices.Equal(got, want) {
			t.Errorf("%s:\n static %q\n bleve  %q %s", k.Params, got, want, qerr)
		}
		var same []string
		for _, s := range k.Same {
			for _, id := range static(s) {
				if !slices.Contains(same, id) {
					same = append(same, id)
				}
			}
		}
		sort.Strings(same)
		if k.Same != nil && (len(same) == 0 || !slices.Equal(got, same)) {
			t.Errorf("%s:\n finds %q\n want  %q", k.Params, got, same)
		}
	}
	// A vendor's name among agencies ranks those flying its drones
	// first, as bleve does (searchtest.FlyersFirst).
	for _, c := range searchtest.FlyersFirst {
		var ranked staticResult
		eval(t, p, "dronekbSearch.staticIDs("+jsString("type=agency&q="+url.QueryEscape(c.Query))+")", &ranked)
		if miss := searchtest.FlyersMiss(ranked.IDs, static("type=agency&vendor="+c.Vendor)); ranked.Error != "" || miss != "" {
			t.Errorf("q=%s&type=agency: %s%s", c.Query, ranked.Error, miss)
		}
	}
	// Common words alone are refused, as bleve refuses them.
	var got staticResult
	eval(t, p, `dronekbSearch.staticIDs("q=the")`, &got)
	if !got.Query || got.Error != search.CommonWordsMsg {
		t.Errorf("q=the: %+v, want the refusal %q", got, search.CommonWordsMsg)
	}
}

// TestStaticSortMatchesBleve: sort=date, -date and title give the order
// the bleve index gives, hit for hit.
func TestStaticSortMatchesBleve(t *testing.T) {
	sharedBrowser(t)
	b := buildContent(t, sitetest.ShippedContent(t), "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	idx := b.openIndex(t)
	for _, params := range []string{"sort=date", "sort=-date", "sort=title", "type=incident&sort=date", "country=FR&sort=-date",
		"q=drones&sort=title", "tag=france&sort=title", "type=vendor&sort=date"} {
		v, _ := url.ParseQuery(params)
		req, err := search.ParseParams(v)
		if err != nil {
			t.Fatal(err)
		}
		var want []string // every hit, in order, page by page
		for req.Size = search.MaxSize; ; req.From += req.Size {
			res, err := idx.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				want = append(want, h.ID)
			}
			if len(res.Hits) < req.Size {
				break
			}
		}
		var got staticResult
		eval(t, p, "dronekbSearch.staticIDs("+jsString(params)+")", &got)
		if len(want) < 2 || !slices.Equal(got.IDs, want) {
			t.Errorf("%s:\n static %q\n bleve  %q", params, got.IDs, want)
		}
	}
}
