package search_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/search/searchtest"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestBuildEmpty: a knowledge base with no entries yet (a new project's
// first build) gets an index that opens and finds nothing, not a crash.
func TestBuildEmpty(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := search.Build(context.Background(), dir, nil, nil, search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, q := range []string{"q=drones", "", "type=agency&country=FR"} {
		if res := run(t, idx, q); res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("%s: an empty index found %d hits", q, res.Total)
		}
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"bleve", "dronekb-index.json"}) {
		t.Errorf("the index directory holds %v, want bleve/ and dronekb-index.json", names)
	}
}

// TestBuildCancelled: a build cancelled before it starts, or after it
// has written segments but before they are merged, stops, says so, and
// leaves nothing of its work in the index directory; with its documents
// mapped on the build's goroutine or ahead of it on another.
func TestBuildCancelled(t *testing.T) {
	// Enough documents that the builder writes a segment (500 a segment)
	// before the build is cancelled at its fifth look at the context, on
	// the 1,025th document: ahead, the documents of the third batch wait
	// for the first batch's segment.
	manyIDs, manyDocs := repeatedDocs(t, 1100)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, ahead := range []bool{false, true} {
		for _, c := range []struct {
			name string
			ctx  context.Context
		}{
			{"before it starts", cancelled},
			{"at its fifth check, with a segment written", &cancelAfter{Context: context.Background(), checks: 4}},
		} {
			dir := filepath.Join(t.TempDir(), "index")
			if _, err := search.Build(c.ctx, dir, manyIDs, manyDocs, search.BuildOptions{AsOf: sitetest.AsOf, MapAhead: ahead}); !errors.Is(err, context.Canceled) {
				t.Fatalf("%s (ahead: %v): a cancelled build returned %v, want context.Canceled", c.name, ahead, err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("%s (ahead: %v): a cancelled build left %d files in the index directory", c.name, ahead, len(entries))
			}
		}
	}
}

// cancelAfter is a context that is cancelled once Err has been asked
// checks times: a build cancelled part way, at a point the test chooses.
type cancelAfter struct {
	context.Context
	checks int32
	asked  atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.asked.Add(1) > c.checks {
		return context.Canceled
	}
	return nil
}

// TestBuildTellsMerging: a build whose documents fill more than one of
// the builder's segments tells its caller, once and before merging them,
// how many bytes of segment files the merge maps (about the index's size:
// the merge reads every segment whole), and calls the done it was given
// once the merge has ended.
func TestBuildTellsMerging(t *testing.T) {
	manyIDs, manyDocs := repeatedDocs(t, 1200)
	var told []int64
	ended := 0
	opts := search.BuildOptions{AsOf: sitetest.AsOf, Merging: func(mapped int64) func() {
		if ended > 0 {
			t.Error("Merging was told again after a merge ended")
		}
		told = append(told, mapped)
		return func() { ended++ }
	}}
	dir := filepath.Join(t.TempDir(), "index")
	size, err := search.Build(context.Background(), dir, manyIDs, manyDocs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(told) != 1 || ended != 1 {
		t.Fatalf("Merging was told %d times and its done called %d times, want once each", len(told), ended)
	}
	// The segments hold what the index holds, more or less: their
	// dictionaries and stored fields are merged into one.
	if told[0] < size/4 || told[0] > 4*size {
		t.Errorf("Merging was told %d bytes are mapped for an index of %d bytes", told[0], size)
	}
}

// TestBuildDocumentTwice: an ID given twice is an error naming it, either
// way the documents are mapped, not an index that silently keeps one of
// them: bleve's builder keeps one document of an ID, which would end its
// batches earlier than Build counts them.
func TestBuildDocumentTwice(t *testing.T) {
	ids, docs := repeatedDocs(t, 600)
	ids[550] = ids[3]
	for _, ahead := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "index")
		_, err := search.Build(context.Background(), dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf, MapAhead: ahead})
		if err == nil || !strings.Contains(err.Error(), "document "+ids[3]+" given twice") {
			t.Errorf("ahead %v: IDs with %s twice: %v, want an error naming it", ahead, ids[3], err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("ahead %v: a failed build left %d files in the index directory", ahead, len(entries))
		}
	}
}

// repeatedDocs returns at least n documents: the shipped content's,
// repeated under new IDs.
func repeatedDocs(t *testing.T, n int) ([]string, []search.Doc) {
	ids, docs := shippedDocs(t)
	var manyIDs []string
	var manyDocs []search.Doc
	for k := 0; len(manyIDs) < n; k++ {
		for i := range ids {
			manyIDs = append(manyIDs, fmt.Sprintf("%s-%d", ids[i], k))
			manyDocs = append(manyDocs, docs[i])
		}
	}
	return manyIDs, manyDocs
}

func open(t *testing.T, dir string) *search.Index {
	t.Helper()
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// TestHitsSayTheirLanguage: a hit on an entry whose lang says it is
// written in French says so (lang), for a page to mark its snippet French;
// an entry of France without lang, written in English as many are, says
// nothing, though its text is analysed in French (found in review: its
// English snippet was marked French); nor does an English one.
func TestHitsSayTheirLanguage(t *testing.T) {
	k := sitetest.Load(t, sitetest.Content(t, searchtest.LanguagesKB))
	docs := search.Docs(k, k.Tracker(sitetest.AsOf), site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := search.Build(context.Background(), dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}); err != nil {
		t.Fatal(err)
	}
	res := run(t, open(t, dir), "q=drones")
	got := map[string]string{}
	for _, h := range res.Hits {
		got[h.ID] = h.Lang
	}
	if want := map[string]string{"agencies/prefecture-x": "fr", "agencies/paris-x": "", "agencies/x-police": ""}; !maps.Equal(got, want) {
		t.Errorf("hits' languages %v, want %v", got, want)
	}
	files, err := search.StaticFiles(context.Background(), ids, docs, "/")
	if err != nil {
		t.Fatal(err)
	}
	var static []search.StaticDoc
	if err := json.Unmarshal(gunzip(t, files["search/d/0.bin"]), &static); err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, d := range static {
		got[d.ID] = d.TextLang
	}
	if want := map[string]string{"agencies/prefecture-x": "fr", "agencies/paris-x": "", "agencies/x-police": ""}; !maps.Equal(got, want) {
		t.Errorf("the static index's documents' languages %v, want %v", got, want)
	}
}
