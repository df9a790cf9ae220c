package search_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
)

// TestOpenInUse: while one process holds an index open for writing (serve
// --watch), opening it read-only says so rather than wait, and calls it
// neither missing nor stale (which would make dronekb search rebuild it).
func TestOpenInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	docs := []search.Doc{{Type: "agency", Title: "Metro Police", Path: "agencies/metro/"}}
	if _, err := search.Build(context.Background(), dir, []string{"agencies/metro"}, docs, search.BuildOptions{BasePath: "/"}); err != nil {
		t.Fatal(err)
	}
	w, err := search.OpenWritable(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = search.Open(dir)
	if !errors.Is(err, search.ErrInUse) || errors.Is(err, search.ErrStale) {
		t.Fatalf("Open beside a writer: %v, want ErrInUse", err)
	}
	// The writer updates in place, and searches see it.
	docs = append(docs, search.Doc{Type: "agency", Title: "Harbour Police", Path: "agencies/harbour/"})
	meta := search.MetaOf([]string{"agencies/metro", "agencies/harbour"}, docs, search.BuildOptions{BasePath: "/"})
	if err := w.Update([]string{"agencies/harbour"}, docs[1:], nil, meta); err != nil {
		t.Fatal(err)
	}
	res, err := w.Search(context.Background(), search.Request{Q: "harbour", Size: 10})
	if err != nil || res.Total != 1 || res.Hits[0].URL != "/agencies/harbour/" {
		t.Fatalf("search after update: %+v %v", res, err)
	}
	if err := w.Update(nil, nil, []string{"agencies/harbour"}, search.MetaOf([]string{"agencies/metro"}, docs[:1], search.BuildOptions{BasePath: "/"})); err != nil {
		t.Fatal(err)
	}
	if got := w.Meta().Docs; got != 1 {
		t.Errorf("meta says %d documents after the deletion, want 1", got)
	}
	res, err = w.Search(context.Background(), search.Request{Q: "harbour", Size: 10})
	if err != nil || res.Total != 0 {
		t.Fatalf("search after delete: %+v %v", res, err)
	}
}
