package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// sameQueries are searches of every kind: words (English, French, rare,
// in nearly every entry), phrases (common, with stop words, French), a
// prefix, a typo, OR, excluded words, only common words with a filter, no
// words at all; every filter; every sort; pages deep and wide.
var sameQueries = []string{
	"q=drone", "q=drones", "q=police", "q=surveillance", "q=data", "q=paris", "q=texas+agency", "q=123",
	"q=bayern+incident", "q=california+drones", "q=zeppelin", "q=facial+recognition",
	`q="police department"`, `q="drone fleet"`, `q="federal grant"`, `q="privacy warrant"`, `q="court ruling"`,
	`q="facial recognition"`, `q="made in china"`, `q="department of the"`, `q="police+nationale"`,
	`q="reconnaissance faciale"`, "q=préfecture", "q=la+police", "q=drones+de+surveillance", "q=gendarmerie", "q=état",
	"q=dron*", "q=surv*", "q=dorne~1", "q=polise~1", "q=NYPD+OR+LAPD", "q=police+OR+fire", `q="police department" OR drone`,
	"q=drone+-police", "q=police+-\"police department\"", "q=+drone++fleet", "q=de&type=law", "q=the&country=FR",
	"type=agency", "type=law,vendor", "type=agency&country=FR", "country=US", "country=FR,DE,GB", "vendor=vendor-0003",
	"vendor=dji", "vendor=skyeye", "type=agency&restricted=true", "restricted=true", "status=in-force&country=US",
	"status=flying-restricted", "tag=law&country=GB", "tag=china", "q=drone&type=agency&country=US",
	"q=police&status=in-force", "q=drone&restricted=true",
}

// sameVariants are the sorts and pages each query is asked in.
var sameVariants = []string{"", "&sort=date", "&sort=-date", "&sort=title", "&from=10", "&size=100", "&from=37&size=23&sort=date", "&from=990&size=10"}

// sameAsBleve searches idx for every query in every variant (of
// sameVariants) both ways, and
// fails on any difference between Search's answer and bleve's own.
func sameAsBleve(t *testing.T, idx *search.Index, queries, variants []string) (compared int) {
	t.Helper()
	for _, q := range queries {
		for _, variant := range variants {
			params := q + variant
			if strings.HasPrefix(params, "&") {
				params = params[1:]
			}
			r := request(t, params)
			got, gerr := idx.Search(context.Background(), r)
			want, werr := idx.SearchStock(context.Background(), r)
			if fmt.Sprint(gerr) != fmt.Sprint(werr) {
				t.Errorf("%s: error %v, bleve's %v", params, gerr, werr)
				continue
			}
			if gerr != nil {
				continue
			}
			got.TookMS, want.TookMS = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s", params, diffResponse(got, want))
			}
			compared++
		}
	}
	return compared
}

// diffResponse says where two answers first differ.
func diffResponse(got, want *search.Response) string {
	if got.Total != want.Total {
		return fmt.Sprintf("total %d, bleve's %d", got.Total, want.Total)
	}
	if len(got.Hits) != len(want.Hits) {
		return fmt.Sprintf("%d hits, bleve's %d", len(got.Hits), len(want.Hits))
	}
	for i := range got.Hits {
		if !reflect.DeepEqual(got.Hits[i], want.Hits[i]) {
			return fmt.Sprintf("hit %d is\n%+v\nbleve's is\n%+v", i, got.Hits[i], want.Hits[i])
		}
	}
	for f, list := range want.Facets {
		if !reflect.DeepEqual(got.Facets[f], list) {
			return fmt.Sprintf("facet %s is\n%v\nbleve's is\n%v", f, got.Facets[f], list)
		}
	}
	return fmt.Sprintf("%+v\nbleve's\n%+v", got, want)
}

// TestSameAsBleve: Search counts facets from its own columns, orders hits
// from them, checks phrases its own way first and scores words, phrases
// and filters itself (scored.go); it answers every kind
// of search exactly as bleve does unaided — the same total, the same hits
// in the same order with the same scores and snippets, the same facet
// counts — on the hand-made knowledge base, the shipped content (English
// and French) and a generated one of 1,500 entries (of 75 vendors, more
// than the vendor facet shows).
func TestSameAsBleve(t *testing.T) {
	t.Run("testKB", func(t *testing.T) {
		idx, _ := testIndex(t)
		sameAsBleve(t, idx, sameQueries, sameVariants)
	})
	t.Run("shipped", func(t *testing.T) {
		sameAsBleve(t, shippedIndex(t), sameQueries, sameVariants)
	})
	t.Run("generated", func(t *testing.T) {
		if testing.Short() {
			t.Skip("-short: skipping the 1,500-entry knowledge base")
		}
		dir := t.TempDir()
		if err := sitetest.Generate(dir, 1500); err != nil {
			t.Fatal(err)
		}
		k := sitetest.Load(t, os.DirFS(dir))
		idx, _ := indexOf(t, k)
		variants := sameVariants
		words := 20
		if raceOn {
			variants = []string{"", "&sort=date", "&sort=title", "&from=37&size=23&sort=-date"}
			words = 8
		}
		n := sameAsBleve(t, idx, sameQueries, variants)
		// Words from frequent to rare, alone and together, filtered
		// (TestScoredSameAsBleve).
		docs := search.Docs(k, k.Tracker(sitetest.AsOf), site.EntryPath)
		if got := sameWords(t, idx, wordQueries(t, docs, search.LangEnglish, words)); got < 5*words {
			t.Fatalf("%d searches of words compared: too few to prove anything", got)
		}
		res := run(t, idx, "q=drone")
		if res.Total < 1000 || len(res.Facets["vendor"]) < 60 || n < len(sameQueries)*len(variants)/2 {
			t.Fatalf("the generated knowledge base has %d entries with drone, of %d vendors, and %d searches were compared: too few to prove anything", res.Total, len(res.Facets["vendor"]), n)
		}
		if idx.PositionBytes() == 0 {
			t.Fatal("no phrase was checked from its words' kept positions: the comparison did not cover them")
		}
	})
}

// TestSameAsBleveWithoutKeptPositions: once the memory for kept positions
// is spent, phrases of frequent words are read from the index, to the same
// answers.
func TestSameAsBleveWithoutKeptPositions(t *testing.T) {
	idx := shippedIndex(t)
	idx.KeepNoPositions()
	var phrases []string
	for _, q := range sameQueries {
		if strings.Contains(q, "%22") || strings.Contains(q, `"`) {
			phrases = append(phrases, q)
		}
	}
	if sameAsBleve(t, idx, phrases, sameVariants[:3]) == 0 {
		t.Fatal("no phrase was compared")
	}
	if n := idx.PositionBytes(); n != 0 {
		t.Errorf("%d bytes of positions kept with no memory for them", n)
	}
}

// TestSameAsBleveAfterUpdates: an index updated in place (serve --watch)
// gains segments, loses documents and merges in the background; after
// every update Search still answers as bleve does.
func TestSameAsBleveAfterUpdates(t *testing.T) {
	t.Run("merged", func(t *testing.T) { sameAfterUpdates(t, search.OpenWritable, 1) })
	t.Run("unmerged", func(t *testing.T) { sameAfterUpdates(t, search.OpenWritableUnmerged, 9) })
}

// sameAfterUpdates updates the index open opens eight times, comparing
// Search with bleve after each; the index must end with at least segments
// segments, of other ids than it started with.
func sameAfterUpdates(t *testing.T, open func(string) (*search.Index, error), segments int) {
	k := sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t)))
	tr := k.Tracker(sitetest.AsOf)
	docs := search.Docs(k, tr, site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	dir := filepath.Join(t.TempDir(), "index")
	opts := search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}
	if _, err := search.Build(context.Background(), dir, ids, docs, opts); err != nil {
		t.Fatal(err)
	}
	idx, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	queries := []string{"q=drone", "q=police", `q="police department"`, "q=zeppelin", "type=agency", "q=préfecture", "vendor=dji",
		"q=drone+police", "q=zeppelin+department&type=agency", "q=drone&country=FR,DE", "q=police+-zeppelin", "q=préfecture+drone&restricted=true"}
	variants := []string{"", "&sort=title", "&from=5&size=7&sort=-date"}
	sameAsBleve(t, idx, queries, variants)
	first := idx.SegmentIDs()

	liveIDs := append([]string{}, ids...)
	liveDocs := append([]search.Doc{}, docs...)
	for round := 0; round < 8; round++ {
		// Change a few documents, remove one and add one.
		var upIDs, removed []string
		var upDocs []search.Doc
		for i := round % 5; i < len(liveDocs); i += 9 {
			d := liveDocs[i]
			d.Body = bodyText(t, &d) + fmt.Sprintf(" A zeppelin police department drone, round %d.", round)
			d.Country = []string{"FR", "US", "DE", ""}[(i+round)%4]
			if d.Type == string(kb.TypeAgency) {
				d.Vendor = append(d.Vendor[:len(d.Vendor):len(d.Vendor)], fmt.Sprintf("vendor-new-%d", round%3))
			}
			liveDocs[i] = d
			upIDs, upDocs = append(upIDs, liveIDs[i]), append(upDocs, d)
		}
		gone := (round * 7) % (len(liveIDs) - round) // not one added before
		removed = append(removed, liveIDs[gone])
		liveIDs = append(liveIDs[:gone:gone], liveIDs[gone+1:]...)
		liveDocs = append(liveDocs[:gone:gone], liveDocs[gone+1:]...)
		added := liveDocs[round%len(liveDocs)]
		added.Title = fmt.Sprintf("Quokkaflight %d", round)
		newID := fmt.Sprintf("agencies/zeppelin-%02d", round)
		upIDs, upDocs = append(upIDs, newID), append(upDocs, added)
		liveIDs, liveDocs = append(liveIDs, newID), append(liveDocs, added)
		if err := idx.Update(upIDs, upDocs, removed, search.MetaOf(liveIDs, liveDocs, opts)); err != nil {
			t.Fatal(err)
		}
		sameAsBleve(t, idx, queries, variants)
		if ok, err := idx.Scored(context.Background(), search.Request{Q: "zeppelin police drone", Countries: []string{"FR"}}); err != nil || !ok {
			t.Fatalf("round %d: a search of words is not scored by Search itself (%v): the test did not compare it", round, err)
		}
		res := run(t, idx, "q=quokkaflight&size=100")
		if want := round + 1; countPrefix(res, "agencies/zeppelin-") != want {
			t.Fatalf("round %d: %d added entries found, want %d", round, countPrefix(res, "agencies/zeppelin-"), want)
		}
	}
	if last := idx.SegmentIDs(); len(last) < segments || reflect.DeepEqual(first, last) {
		t.Fatalf("the index went from segments %v to %v: the test did not search what it means to", first, last)
	}
	// The kept positions of segments merged away are let go, and no
	// longer counted against their budget. (A merge may have just left one
	// segment whose positions no phrase has read yet.)
	run(t, idx, `q="police department"`)
	if kept, counted := idx.KeptPositionBytes(), idx.PositionBytes(); kept != counted || kept == 0 {
		t.Errorf("%d bytes of positions kept in the index's segments, %d counted", kept, counted)
	}
}

func countPrefix(res *search.Response, prefix string) int {
	n := 0
	for _, h := range res.Hits {
		if strings.HasPrefix(h.ID, prefix) {
			n++
		}
	}
	return n
}

// bodyText returns a document's body text, failing the test if its
// entry's body cannot be read again.
func bodyText(t testing.TB, d *search.Doc) string {
	t.Helper()
	text, err := d.BodyText()
	if err != nil {
		t.Fatal(err)
	}
	return text
}
