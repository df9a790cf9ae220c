package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestBuildInSegments builds the index of the shipped knowledge base in
// many small segments, merged a few at a time on several goroutines, as a
// knowledge base of tens of thousands of entries is built: a segment per
// document, runs of segments merged as they are written, and more than one
// level of merges at the end. Whatever the layout, the index holds every
// document once, in the order given, and answers every search as the
// index built in one segment does: the same hits, scores, snippets,
// totals and facets.
func TestBuildInSegments(t *testing.T) {
	ids, docs := shippedDocs(t)
	queries := []string{
		"q=drones", "q=police+drones", "q=%22police+department%22", "q=dron*", "q=polise~1",
		"", "type=agency", "type=law&status=in-force", "restricted=true", "country=FR&type=agency,incident",
		"q=drones&sort=date", "sort=title&from=20&size=20", "q=china&size=100", "vendor=dji", "q=pr%C3%A9fecture",
	}
	answers := func(dir string) map[string][]byte {
		idx, err := search.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		out := map[string][]byte{}
		for _, q := range queries {
			v, _ := url.ParseQuery(q)
			req, err := search.ParseParams(v)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			res, err := idx.Search(context.Background(), req)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			res.TookMS = 0
			if out[q], err = json.Marshal(res); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	opts := search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}
	whole := filepath.Join(t.TempDir(), "index")
	if _, err := search.BuildInSegments(context.Background(), whole, ids, docs, opts, len(docs), 2, 1); err != nil {
		t.Fatal(err)
	}
	want := answers(whole)
	if got, err := search.SegmentIDs(whole); err != nil || !slices.Equal(got, ids) {
		t.Fatalf("the index built in one segment holds %d documents (%v), not the %d given in order", len(got), err, len(ids))
	}
	// The same answers as the index bleve's own offline builder writes.
	byBleve := filepath.Join(t.TempDir(), "index")
	if err := search.BuildWithBleve(byBleve, ids, docs, opts); err != nil {
		t.Fatal(err)
	}
	for q, a := range answers(byBleve) {
		if !bytes.Equal(a, want[q]) {
			t.Errorf("%s answers differently from the index bleve's builder writes:\n%s\n%s", q, want[q], a)
		}
	}
	for _, l := range []struct{ perSegment, fanIn, workers int }{
		{1, 2, 2},   // a segment per document, 7 levels of merges
		{7, 3, 3},   // runs of 3 segments, then 2 levels
		{10, 20, 2}, // one run, whose merge is the last
		{30, 2, 4},  // a last segment and a last run shorter than the rest
	} {
		dir := filepath.Join(t.TempDir(), "index")
		if _, err := search.BuildInSegments(context.Background(), dir, ids, docs, opts, l.perSegment, l.fanIn, l.workers); err != nil {
			t.Fatalf("%+v: %v", l, err)
		}
		got, err := search.SegmentIDs(dir)
		if err != nil {
			t.Fatalf("%+v: %v", l, err)
		}
		if !slices.Equal(got, ids) {
			t.Errorf("%+v: the index holds %d documents, not the %d given, in their order", l, len(got), len(ids))
		}
		for q, a := range answers(dir) {
			if !bytes.Equal(a, want[q]) {
				t.Errorf("%+v: %s answers differently from the index built in one segment:\n%s\n%s", l, q, a, want[q])
			}
		}
		// Nothing of the work is left beside the index.
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, []string{"bleve", "dronekb-index.json"}) {
			t.Errorf("%+v: the index directory holds %v", l, names)
		}
	}
}

// TestBuildLayoutChecked: a layout that could not make one segment (no
// documents a segment, or merges of one segment, which would never end)
// is refused.
func TestBuildLayoutChecked(t *testing.T) {
	ids, docs := shippedDocs(t)
	for _, l := range [][2]int{{0, 2}, {5, 1}, {5, 0}} {
		dir := filepath.Join(t.TempDir(), "index")
		if _, err := search.BuildInSegments(context.Background(), dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf}, l[0], l[1], 2); err == nil {
			t.Errorf("%d documents a segment, merged %d at a time: built, want an error", l[0], l[1])
		}
	}
}

// TestBuildCancelled: a build whose context is cancelled stops, says so,
// and leaves none of its segments behind.
func TestBuildCancelled(t *testing.T) {
	ids, docs := shippedDocs(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "index")
	_, err := search.BuildInSegments(ctx, dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf}, 5, 2, 2)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled build returned %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a cancelled build left %d files in the index directory", len(entries))
	}
}
