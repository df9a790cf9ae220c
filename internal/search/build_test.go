package search_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
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

// TestBuildCancelled: a build cancelled before or while it indexes stops,
// says so, and leaves nothing of its work in the index directory.
func TestBuildCancelled(t *testing.T) {
	ids, docs := shippedDocs(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := search.Build(ctx, dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled build returned %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a cancelled build left %d files in the index directory", len(entries))
	}
}
