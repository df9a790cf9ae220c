package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestIndexReproducible checks exactly what the README promises of index/:
// bleve's own files (index/bleve/) differ from build to build, since
// bleve's builder numbers documents in an order it does not fix; but two
// builds of the same content have the same metadata file, byte for byte,
// the same documents, and give the same answer to every search — the same
// hits in the same order with the same scores and snippets, the same
// totals and facets.
func TestIndexReproducible(t *testing.T) {
	ids, docs := shippedDocs(t)
	var dirs [2]string
	var idxs [2]*search.Index
	for i := range dirs {
		dirs[i] = filepath.Join(t.TempDir(), "index")
		if _, err := search.Build(context.Background(), dirs[i], ids, docs, search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}); err != nil {
			t.Fatal(err)
		}
		idx, err := search.Open(dirs[i])
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { idx.Close() })
		idxs[i] = idx
	}
	// Every file outside bleve/ is the same.
	for _, dir := range dirs[1:] {
		err := filepath.WalkDir(dirs[0], func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dirs[0], p)
			if d.IsDir() {
				if rel == "bleve" {
					return filepath.SkipDir
				}
				return nil
			}
			a, _ := os.ReadFile(p)
			b, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("index/%s differs between two builds of the same content", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Every search answers the same.
	queries := []string{
		"q=drones", "q=police+drones", "q=%22police+department%22", "q=dron*", "q=polise~1", "q=-drones",
		"", "type=agency", "type=law&status=in-force", "restricted=true", "country=FR&type=agency,incident",
		"q=drones&sort=date", "q=drones&sort=-date", "sort=title", "sort=title&from=20&size=20",
		"q=china&size=100", "vendor=dji", "q=pr%C3%A9fecture", "q=nypd+OR+lapd",
	}
	compareAnswers(t, idxs[0], idxs[1], queries, "two builds of the same content")
}

// compareAnswers searches a and b for each of queries (URL query strings,
// as /api/search takes them) and reports every query whose answers differ
// in anything but the time taken: hits, order, scores, snippets, totals,
// facets. It returns how many hits a's answers had, so that a caller can
// tell a comparison of empty answers from one that shows something.
func compareAnswers(t *testing.T, a, b *search.Index, queries []string, what string) (hits int) {
	t.Helper()
	for _, q := range queries {
		v, _ := url.ParseQuery(q)
		req, err := search.ParseParams(v)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var answers [2][]byte
		for i, idx := range []*search.Index{a, b} {
			res, err := idx.Search(context.Background(), req)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if i == 0 {
				hits += len(res.Hits)
			}
			res.TookMS = 0
			if answers[i], err = json.Marshal(res); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(answers[0], answers[1]) {
			t.Errorf("%s: %s answer differently:\n%s\n%s", q, what, answers[0], answers[1])
		}
	}
	return hits
}
