package server_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/server"
)

// TestWatchSeesEditsDuringBegin: serve --watch runs its first build in
// Watch's begin. A file saved while it runs must be rebuilt for once it is
// done (found in review: such an edit was lost until the next save), and
// an editor's backup file beside it must not be.
func TestWatchSeesEditsDuringBegin(t *testing.T) {
	dir := t.TempDir()
	entry := filepath.Join(dir, "agencies", "pd.md")
	if err := os.MkdirAll(filepath.Dir(entry), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(entry, []byte("---\ntitle: PD\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	rebuilt := make(chan []string, 4)
	done := make(chan error, 1)
	go func() {
		done <- server.Watch(ctx, []string{dir}, 50*time.Millisecond, func(changed []string) { rebuilt <- changed }, func() {
			// The first build: the contributor saves meanwhile, and
			// their editor leaves its backup.
			if err := os.WriteFile(entry, []byte("---\ntitle: Police\n---\n"), 0o644); err != nil {
				t.Error(err)
			}
			if err := os.WriteFile(entry+"~", []byte("---\ntitle: PD\n---\n"), 0o644); err != nil {
				t.Error(err)
			}
			time.Sleep(200 * time.Millisecond)
		})
	}()
	select {
	case changed := <-rebuilt:
		if !slices.Equal(changed, []string{entry}) {
			t.Errorf("rebuilt for %q, want only %q", changed, entry)
		}
	case err := <-done:
		t.Fatalf("Watch returned before rebuilding: %v", err)
	case <-ctx.Done():
		t.Fatal("the edit saved during the first build was never rebuilt for")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
