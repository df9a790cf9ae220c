package search_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
)

// TestStale: an index that another mapping version built, or whose record
// of how it was built is missing or unreadable, is ErrStale — to be
// rebuilt, never read.
func TestStale(t *testing.T) {
	idx, dir := testIndex(t)
	idx.Close()
	meta := filepath.Join(dir, "dronekb-index.json")
	good, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	m, err := search.ReadMeta(dir)
	if err != nil || m.MappingVersion != search.MappingVersion || m.Docs != 17 || m.AsOf != "2025-06-01" {
		t.Fatalf("ReadMeta: %+v, %v; want version %d, 17 docs, as of 2025-06-01", m, err, search.MappingVersion)
	}
	withVersion := func(v any) []byte {
		var raw map[string]any
		if err := json.Unmarshal(good, &raw); err != nil {
			t.Fatal(err)
		}
		if v == nil {
			delete(raw, "mapping_version")
		} else {
			raw["mapping_version"] = v
		}
		data, _ := json.Marshal(raw)
		return data
	}
	cases := []struct {
		name string
		meta []byte // nil: no file
	}{
		{"an older mapping", withVersion(search.MappingVersion - 1)},
		{"a newer mapping", withVersion(search.MappingVersion + 1)},
		{"no mapping_version", withVersion(nil)},
		{"mapping_version of another type", withVersion("5")},
		{"not JSON", []byte("mapping_version: 5\n")},
		{"empty", []byte{}},
		{"no dronekb-index.json", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.meta == nil {
				os.Remove(meta)
			} else if err := os.WriteFile(meta, c.meta, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := search.ReadMeta(dir); !errors.Is(err, search.ErrStale) {
				t.Errorf("ReadMeta: %v, want ErrStale", err)
			}
			idx, err := search.Open(dir)
			if !errors.Is(err, search.ErrStale) {
				if idx != nil {
					idx.Close()
				}
				t.Fatalf("Open: %v, want ErrStale", err)
			}
		})
	}
	if err := os.WriteFile(meta, good, 0o644); err != nil {
		t.Fatal(err)
	}
	idx, err = search.Open(dir)
	if err != nil {
		t.Fatalf("Open with the meta restored: %v", err)
	}
	idx.Close()

	// The meta is right but bleve's files are damaged: the error says so,
	// and is ErrStale, to be rebuilt.
	var store string
	filepath.WalkDir(filepath.Join(dir, "bleve"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".zap" {
			store = p
		}
		return nil
	})
	if store == "" {
		t.Fatal("no segment file in the index")
	}
	saved, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store, saved[:len(saved)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	var damaged *search.DamagedError
	if _, err := search.Open(dir); !errors.Is(err, search.ErrStale) || !errors.As(err, &damaged) ||
		!strings.Contains(err.Error(), "is damaged: its files cannot be read") {
		t.Errorf("Open of a damaged index: %v, want a DamagedError that is ErrStale", err)
	}
	if err := os.WriteFile(store, saved, 0o600); err != nil {
		t.Fatal(err)
	}

	// The meta is right but bleve's files are not there.
	if err := os.RemoveAll(filepath.Join(dir, "bleve")); err != nil {
		t.Fatal(err)
	}
	if _, err := search.Open(dir); !errors.Is(err, search.ErrStale) || errors.As(err, new(*search.DamagedError)) {
		t.Errorf("Open without the bleve files: %v, want ErrStale, not damaged", err)
	}
	if _, err := search.Open(filepath.Join(t.TempDir(), "nothing-here")); !errors.Is(err, search.ErrStale) {
		t.Errorf("Open of a missing directory: %v, want ErrStale", err)
	}
}
