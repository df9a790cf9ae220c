package searchweb_test

import (
	"context"
	"encoding/csv"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/search/searchtest"
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
	b := shippedBuilt(t, "")
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
	b := shippedBuilt(t, "")
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
	// The search page's download on a static host writes the rows
	// /api/search?format=csv writes, every hit a search pages to, but
	// for the score, which it leaves empty (the static index's scores
	// are not on bleve's scale). Sorted by date or title, the rows come
	// in the API's order; by relevance, in an order of falling bleve
	// score, but for hits whose scores are within 1% (the static index
	// keeps a term's weight in a field to 1/255, so near ties may come
	// in another order).
	for _, params := range []string{"q=dji", "q=drones&type=agency", "q=drones&type=agency&sort=title", "type=incident&since=2020&until=2023&sort=-date", "q=police&country=FR", "q=zeppelinwatch"} {
		var got struct {
			CSV   string `json:"csv"`
			Error string `json:"error"`
		}
		eval(t, p, "dronekbSearch.staticCSV("+jsString(params)+")", &got)
		if got.Error != "" {
			t.Errorf("%s: %s", params, got.Error)
			continue
		}
		static, err := csv.NewReader(strings.NewReader(got.CSV)).ReadAll()
		if err != nil {
			t.Fatalf("%s: the static search's CSV: %v\n%s", params, err, got.CSV)
		}
		api, err := csv.NewReader(strings.NewReader(bleveCSV(t, idx, params))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(static) != len(api) || !slices.Equal(static[0], search.CSVHeader) {
			t.Errorf("%s: %d rows from the static search, %d from the API (header %q)", params, len(static), len(api), static[0])
			continue
		}
		byID := map[string][]string{}
		for _, row := range api[1:] {
			byID[row[0]] = row
		}
		last := math.Inf(1)
		for i, row := range static[1:] {
			want := byID[row[0]]
			if want == nil || !slices.Equal(row[:7], want[:7]) || row[7] != "" {
				t.Errorf("%s: row %d is %q, the API's %q", params, i+1, row, want)
				continue
			}
			score, _ := strconv.ParseFloat(want[7], 64)
			if strings.Contains(params, "sort=") && row[0] != api[i+1][0] || !strings.Contains(params, "sort=") && score > last*1.01+1e-4 {
				t.Errorf("%s: row %d is %s (score %s), where the API's order has %s", params, i+1, row[0], want[7], api[i+1][0])
			}
			last = score
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
	b := shippedBuilt(t, "")
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

// bleveCSV is what /api/search?format=csv answers for params: the hits
// the bleve index pages to, a row each under search.CSVHeader.
func bleveCSV(t *testing.T, idx *search.Index, params string) string {
	t.Helper()
	v, err := url.ParseQuery(params)
	if err != nil {
		t.Fatal(err)
	}
	req, err := search.ParseParams(v)
	if err != nil {
		t.Fatalf("%s: %v", params, err)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(search.CSVHeader)
	for req.From, req.Size = 0, search.MaxSize; req.From < search.MaxFrom; req.From += req.Size {
		res, err := idx.Search(context.Background(), req)
		if err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		for i := range res.Hits {
			_ = w.Write(res.Hits[i].CSVRecord())
		}
		if len(res.Hits) < req.Size {
			break
		}
	}
	w.Flush()
	return b.String()
}
