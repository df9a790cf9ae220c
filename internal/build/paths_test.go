package build_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dronekb/dronekb/internal/build"
)

// TestRunRefusesDestructiveOutputs calls build.Run itself (as serve --watch
// does on every change) with outputs that would replace the content, the
// theme or each other, and checks that it refuses before touching anything.
func TestRunRefusesDestructiveOutputs(t *testing.T) {
	cfg := project(t, content)
	root := filepath.Dir(cfg.Content)
	theme := filepath.Join(root, "th")
	if err := os.MkdirAll(filepath.Join(theme, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(theme, "static", "style.css"), []byte("body{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(root, "home")
	if err := os.MkdirAll(filepath.Join(home, "photos"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(cfg.Content, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		out, index string
		theme      string
	}{
		{"out is content", cfg.Content, cfg.Index, ""},
		{"index is content", cfg.Out, cfg.Content, ""},
		{"out is index", cfg.Out, cfg.Out, ""},
		{"out is theme", theme, cfg.Index, theme},
		{"out inside content", filepath.Join(cfg.Content, "agencies"), cfg.Index, ""},
		{"out contains content", root, cfg.Index, ""},
		{"out through a symlink", filepath.Join(root, "link"), cfg.Index, ""},
		{"out through ..", filepath.Join(root, "nowhere", "..", "content"), cfg.Index, ""},
		{"index inside out", cfg.Out, filepath.Join(cfg.Out, "index"), ""},
		{"out is a folder of someone's", home, cfg.Index, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := cfg
			run.Out, run.Index, run.Theme = c.out, c.index, c.theme
			_, err := build.Run(context.Background(), run, fakeIndex)
			var pe *build.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("Run: got %v, want a *build.PathError", err)
			}
			for _, keep := range []string{filepath.Join(cfg.Content, "agencies", "pd.md"), filepath.Join(theme, "static", "style.css"), filepath.Join(home, "photos")} {
				if _, err := os.Stat(keep); err != nil {
					t.Errorf("%s is gone after the refusal: %v", keep, err)
				}
			}
		})
	}
	// The default layout builds, twice.
	for i := 0; i < 2; i++ {
		if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
			t.Fatalf("build %d: %v", i+1, err)
		}
	}
}
