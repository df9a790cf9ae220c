package kbdiff

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// BenchmarkCompare10k compares two generated knowledge bases of 10,000
// entries that differ in a dozen files, as a pull request would: both are
// loaded and both trackers computed, as dronekb diff does. Its peer is
// BenchmarkLoad10k in internal/kb (one load, what dronekb check does).
func BenchmarkCompare10k(b *testing.B) {
	base := filepath.Join(b.TempDir(), "base")
	if err := sitetest.Generate(base, 10000); err != nil {
		b.Fatal(err)
	}
	head := filepath.Join(b.TempDir(), "head")
	if err := os.CopyFS(head, os.DirFS(base)); err != nil {
		b.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(head, "agencies"))
	for i := 0; i < 10 && i < len(ents); i++ {
		p := filepath.Join(head, "agencies", ents[i*7].Name())
		data, _ := os.ReadFile(p)
		os.WriteFile(p, []byte(strings.Replace(string(data), "status: active", "status: grounded", 1)), 0o644)
	}
	asOf := kb.MustDate("2026-11-21")
	for b.Loop() {
		sa := Side{Label: "base", FS: os.DirFS(base), KB: kb.Load(os.DirFS(base), kb.Options{})}
		sb := Side{Label: "head", FS: os.DirFS(head), KB: kb.Load(os.DirFS(head), kb.Options{})}
		d := Compare(sa, sb, asOf)
		if len(d.Changed) == 0 {
			b.Fatal("no change found")
		}
		if err := d.Markdown(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
