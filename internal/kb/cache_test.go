package kb

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCacheDecodesOnlyChangedFiles: a Load with a Cache after one file
// changed reuses every other entry as it was, decodes the changed one, and
// gives exactly the knowledge base a Load from scratch gives: entries,
// backlinks and diagnostics, a new error included; a file removed is gone.
func TestCacheDecodesOnlyChangedFiles(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	asOf := MustDate("2024-06-01")
	cache := NewCache()
	load := func(c *Cache) *KB { return Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf, Cache: c}) }
	first := load(cache)
	if len(first.Entries) != 53 || first.Err() != nil {
		t.Fatalf("%d entries; %v", len(first.Entries), first.Err())
	}

	edited := filepath.Join(dir, "agencies", "a3.md")
	data, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	// A new title and an unknown vendor: the entry changes and the
	// knowledge base gets an error the cache must not hide.
	data = []byte(strings.Replace(strings.Replace(string(data), "title: Agency 3 Police Department", "title: Agency Three", 1), "vendor: v3", "vendor: v333", 1))
	if err := os.WriteFile(edited, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "incidents", "i7.md")); err != nil {
		t.Fatal(err)
	}

	cached, fresh := load(cache), load(nil)
	if cached.Digest() != fresh.Digest() {
		t.Errorf("digests differ: %s and %s", cached.Digest(), fresh.Digest())
	}
	if !reflect.DeepEqual(cached.Diagnostics, fresh.Diagnostics) {
		t.Errorf("diagnostics differ:\ncached %v\nfresh  %v", cached.Diagnostics, fresh.Diagnostics)
	}
	if cached.Diagnostics.Errors(false) == 0 {
		t.Error("the unknown vendor is not reported")
	}
	if len(cached.Entries) != len(fresh.Entries) || len(cached.Entries) != 52 {
		t.Fatalf("%d entries cached, %d fresh; want 52", len(cached.Entries), len(fresh.Entries))
	}
	reused := 0
	for i, e := range cached.Entries {
		f := fresh.Entries[i]
		if e.ID != f.ID || !reflect.DeepEqual(e, f) {
			t.Errorf("entry %d: cached %s differs from fresh %s", i, e.ID, f.ID)
		}
		if !reflect.DeepEqual(cached.ReferencedBy(e.ID), fresh.ReferencedBy(f.ID)) {
			t.Errorf("%s: backlinks differ", e.ID)
		}
		if old, ok := first.byID[e.ID]; ok && old == e {
			reused++
		}
		if e.ID == "agencies/a3" && (e.Title != "Agency Three" || first.byID[e.ID] == e) {
			t.Errorf("the edited entry was not decoded again: %q", e.Title)
		}
	}
	if reused != 51 {
		t.Errorf("%d entries reused from the cache, want the 51 unchanged ones", reused)
	}
}
