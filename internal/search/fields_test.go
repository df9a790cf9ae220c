package search_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestBuildAnalysesAsBleve checks that what Build's text fields give bleve's
// builder — each term's frequency and locations, and the field's length —
// is what bleve's own analysis of the same field gives, for every field of
// the shipped content's documents and for texts that take the analysis's
// odd paths: stop words between words, elisions, possessives, accents,
// numbers, ideographs, emoji, a word repeated, nothing at all.
func TestBuildAnalysesAsBleve(t *testing.T) {
	ids, docs := shippedDocs(t)
	odd := []string{
		"", " ", "the of and", "drone drone drone, Drone DRONE drones",
		"L'État et d'État, qu'aujourd'hui l’Agence : sécurité, securite, SÉCURITÉ",
		"NYPD's drones; the Préfecture de police's fleet", "DJI Mavic 3 Enterprise (M3E) × 11, 2024-03-01, 1,500.25",
		"無人機 ドローン 드론 — 🚁🚓 emoji", "a\u00a0b\u200bc e\u0301tat", "x" + strings.Repeat(" police drone", 3000),
	}
	for i, text := range odd {
		for _, lang := range []string{search.LangEnglish, search.LangFrench} {
			ids = append(ids, "odd/"+lang+string(rune('a'+i)))
			docs = append(docs, search.Doc{Type: "incident", Title: text, Short: text, Summary: text, Body: text, Place: text, Cites: text, Fleet: text, Lang: lang, Path: "/x/"})
		}
	}
	var fields, quick int
	for i := range docs {
		f, q, diffs := search.AnalyseBothWays(ids[i], docs[i])
		for _, d := range diffs {
			t.Errorf("%s: %s", ids[i], d)
		}
		fields, quick = fields+f, quick+q
	}
	// title, short, summary, body and place of every document.
	if quick < 5*len(docs) {
		t.Errorf("Build's analysis took %d fields of %d documents, want at least %d", quick, len(docs), 5*len(docs))
	}
	t.Logf("%d documents, %d fields, %d analysed by Build's analysis", len(docs), fields, quick)
}

// TestBuildSameAnswers builds the shipped content's index with Build and
// with bleve's own analysis of the text fields, and checks that every
// search answers the same from both: hits, order, scores, snippets,
// totals and facets.
func TestBuildSameAnswers(t *testing.T) {
	ids, docs := shippedDocs(t)
	opts := search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}
	fast, plain := filepath.Join(t.TempDir(), "fast"), filepath.Join(t.TempDir(), "plain")
	if _, err := search.Build(context.Background(), fast, ids, docs, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := search.BuildPlain(context.Background(), plain, ids, docs, opts); err != nil {
		t.Fatal(err)
	}
	var idxs []*search.Index
	for _, dir := range []string{fast, plain} {
		idx, err := search.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		idxs = append(idxs, idx)
	}
	queries := []string{
		"q=drones", "q=police+drones", "q=%22police+department%22", "q=%22pr%C3%A9fecture+de+police%22", "q=dron*",
		"q=polise~1", "q=etat", "q=d%27%C3%A9tat", "q=dji+mavic", "q=nypd+OR+lapd", "q=china&size=100",
		"q=drones&sort=date", "q=s%C3%A9curit%C3%A9&type=law", "q=ban&restricted=true", "q=%22uas:drone%22",
	}
	hits := compareAnswers(t, idxs[0], idxs[1], queries, "the index of Build's analysis and the one of bleve's own")
	if hits == 0 {
		t.Fatal("no query found anything: the comparison shows nothing")
	}
	// The index stores the mapping, not Build's wrapper of it: a query
	// analyses its words by what is stored.
	if plain, built := search.MappingJSON(); !bytes.Equal(plain, built) || len(plain) < 100 {
		t.Errorf("the mapping Build stores is not the mapping:\n%s\n%s", built, plain)
	}
}

// TestBuildSameIndexAcrossBatches builds the index of a generated
// knowledge base large enough for bleve's builder to make several
// segments, with Build and with bleve's own analysis of the text fields,
// and checks that the two hold the same postings: every term of every
// field, each document's frequency, norm and term vectors; with the
// documents mapped on the build's goroutine and ahead of the builder on
// another (BuildOptions.MapAhead). Build's text fields analyse into
// memory that a later batch uses again (search.freqArena): a batch that
// read what one before it left, or memory given back before its segment
// was written, shows here.
func TestBuildSameIndexAcrossBatches(t *testing.T) {
	content := t.TempDir()
	if err := sitetest.Generate(content, 1300); err != nil {
		t.Fatal(err)
	}
	k := sitetest.Load(t, os.DirFS(content))
	docs := search.Docs(k, k.Tracker(sitetest.AsOf), site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	// The builder writes a segment for every 500 documents at least.
	if len(docs) <= 2*500 {
		t.Fatalf("%d documents make fewer than three batches", len(docs))
	}
	postings := map[string]map[string]string{}
	for _, way := range []string{"fast", "ahead", "plain"} {
		dir := filepath.Join(t.TempDir(), way)
		build := search.Build
		if way == "plain" {
			build = search.BuildPlain
		}
		opts := search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/", MapAhead: way == "ahead"}
		if _, err := build(context.Background(), dir, ids, docs, opts); err != nil {
			t.Fatal(err)
		}
		idx, err := search.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		p, err := search.Postings(idx)
		idx.Close()
		if err != nil {
			t.Fatal(err)
		}
		postings[way] = p
	}
	plain := postings["plain"]
	var bodyVectors int
	for key, want := range plain {
		if strings.HasPrefix(key, "body\x00") {
			bodyVectors += strings.Count(want, "body[]@")
		}
	}
	// Every document has a body, each with the places of its words.
	if bodyVectors < 100*len(docs) {
		t.Fatalf("%d places of body words in bleve's own index of %d documents: the comparison shows little", bodyVectors, len(docs))
	}
	var keys []string
	for _, way := range []string{"fast", "ahead"} {
		fast := postings[way]
		keys = keys[:0]
		for key := range plain {
			keys = append(keys, key)
		}
		for key := range fast {
			if _, ok := plain[key]; !ok {
				keys = append(keys, key)
			}
		}
		slices.Sort(keys)
		bad := 0
		for _, key := range keys {
			if got, want := fast[key], plain[key]; got != want {
				if bad++; bad <= 5 {
					t.Errorf("%s: %q:\n got  %.300s\n want %.300s", way, key, got, want)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d terms differ", way, bad, len(keys))
		}
	}
	t.Logf("%d documents, %d terms, %d places of body words", len(docs), len(keys), bodyVectors)
}

// FuzzBuildAnalysis checks Build's analysis of a text field against
// bleve's own on any text, in either language.
func FuzzBuildAnalysis(f *testing.F) {
	for _, s := range []string{"", "The NYPD's drones", "L'État d'urgence, qu'il", "drone drone the drone", "2024-03-01 × 11", "無人機 🚁", "a\u0301b"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, french bool) {
		lang := search.LangEnglish
		if french {
			lang = search.LangFrench
		}
		d := search.Doc{Type: "incident", Title: text, Short: text, Summary: text, Body: text, Place: text, Cites: text, Fleet: text, Lang: lang, Path: "/x/"}
		_, quick, diffs := search.AnalyseBothWays("incidents/x", d)
		for _, diff := range diffs {
			t.Error(diff)
		}
		if quick != 7 {
			t.Errorf("Build's analysis took %d text fields, want 7", quick)
		}
	})
}
