package search

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMappedByMerge checks the estimate of what bleve's merge maps: the
// segment files under the scratch directory, in the builder's own
// directory inside it, plus one average segment for the last batch.
func TestMappedByMerge(t *testing.T) {
	dir := t.TempDir()
	if got := mappedByMerge(dir); got != 0 {
		t.Errorf("no segments: %d bytes, want 0", got)
	}
	own := filepath.Join(dir, "scorch-offline-build123")
	if err := os.Mkdir(own, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"000000000000.zap": 100, "000000000001.zap": 300} {
		if err := os.WriteFile(filepath.Join(own, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := mappedByMerge(dir); got != 600 {
		t.Errorf("segments of 100 and 300 bytes: %d bytes, want 600 (400 and an average one for the last batch)", got)
	}
	if got := mappedByMerge(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("a missing directory: %d bytes, want 0", got)
	}
}
