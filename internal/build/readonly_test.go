package build_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestReadOnlyOutputIsRefused: an output that is read-only, or has a
// read-only directory inside, is refused before anything is built (a
// *PathError, bad usage), and left as it was, with nothing left beside it.
// It used to be swapped out anyway, its old tree left undeletable beside
// it as .dronekb-tmp-public-*.
func TestReadOnlyOutputIsRefused(t *testing.T) {
	for _, c := range []struct{ name, dir, says string }{
		{"public", ".", "it is read-only (dr-xr-xr-x)"},
		{"a directory in public", "agencies", "agencies in it is read-only (dr-xr-xr-x)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := project(t, content)
			if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
				t.Fatal(err)
			}
			before := sitetest.ReadTree(t, cfg.Out)
			ro := filepath.Join(cfg.Out, c.dir)
			if err := os.Chmod(ro, 0o555); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(ro, 0o755) })
			_, err := build.Run(context.Background(), cfg, fakeIndex)
			var pe *build.PathError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), "chmod -R u+w") {
				t.Fatalf("build into a read-only output: %v; want a *PathError that says %q and how to fix it", err, c.says)
			}
			if diffs := sitetest.DiffTrees(before, sitetest.ReadTree(t, cfg.Out)); len(diffs) > 0 {
				t.Errorf("the refused build changed the output: %v", diffs)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(cfg.Out), ".dronekb-tmp-*"))
			if len(left) > 0 {
				t.Errorf("left beside the output: %v", left)
			}
			// Made writable again, it builds.
			os.Chmod(ro, 0o755)
			if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
				t.Errorf("after chmod u+w: %v", err)
			}
		})
	}
}

// TestStaleReadOnlyTreeIsRemoved: a temporary tree that an earlier build
// could not delete, with read-only directories in it, is deleted by the
// next build.
func TestStaleReadOnlyTreeIsRemoved(t *testing.T) {
	cfg := project(t, content)
	stale := filepath.Join(filepath.Dir(cfg.Out), ".dronekb-tmp-public-0123456789ab")
	if err := os.MkdirAll(filepath.Join(stale, "agencies", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, "agencies", "x", "index.html"), []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Join(stale, "agencies", "x"), filepath.Join(stale, "agencies"), stale} {
		if err := os.Chmod(d, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		os.Chmod(stale, 0o755)
		os.Chmod(filepath.Join(stale, "agencies"), 0o755)
		os.Chmod(filepath.Join(stale, "agencies", "x"), 0o755)
	})
	res, err := build.Run(context.Background(), cfg, fakeIndex)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Errorf("the stale tree is still there; warnings %q", res.Warnings)
	}
	if err := build.Wait(); err != nil {
		t.Errorf("Wait: %v", err)
	}
}
