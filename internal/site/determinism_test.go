package site_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestDeterministic builds the same content twice with the same date and
// compares every file's bytes and the lists of files. The two builds load
// the content afresh and render with different numbers of workers, so any
// output that depends on map order or on which page finished first shows up.
// A third build on another date must differ, or the comparison proves
// nothing.
func TestDeterministic(t *testing.T) {
	cases := []struct {
		name    string
		content func(t *testing.T) fs.FS
		baseURL string
	}{
		{"fixture", func(t *testing.T) fs.FS { return sitetest.Content(t, smallKB) }, ""},
		{"fixture-absolute-base", func(t *testing.T) fs.FS { return sitetest.Content(t, smallKB) }, "https://example.org/dronekb/"},
		{"shipped-content", func(t *testing.T) fs.FS { return os.DirFS(sitetest.ShippedContent(t)) }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			content := c.content(t)
			build := func(workers int, asOf kb.Date) string {
				return sitetest.Build(t, sitetest.Load(t, content), site.Options{BaseURL: c.baseURL, Workers: workers, AsOf: asOf}).Dir
			}
			a := build(1, sitetest.AsOf)
			b := build(4, sitetest.AsOf)
			sitetest.SameTree(t, a, b)

			other := build(4, kb.MustDate("2019-06-01"))
			if diffs := sitetest.DiffTrees(sitetest.ReadTree(t, a), sitetest.ReadTree(t, other)); len(diffs) == 0 {
				t.Fatal("builds on 2025-06-01 and 2019-06-01 are identical: the comparison cannot see a difference")
			}
		})
	}
}

// TestSpilledPagesAreTheSame: a page past the size held in memory is
// written to its file as it renders; the site is the same bytes whether
// pages are held or spilled, and a build that only renders counts the same
// pages and bytes.
func TestSpilledPagesAreTheSame(t *testing.T) {
	k := sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t)))
	held := sitetest.Build(t, k, site.Options{})
	restore := site.SetSpillAt(64)
	defer restore()
	spilled := sitetest.Build(t, k, site.Options{})
	sitetest.SameTree(t, held.Dir, spilled.Dir)
	counts := func(st site.Stats) [3]int64 { return [3]int64{int64(st.Pages), int64(st.Files), st.Bytes} }
	if counts(held.Stats) != counts(spilled.Stats) {
		t.Errorf("held pages count (pages, files, bytes) %v, spilled %v", counts(held.Stats), counts(spilled.Stats))
	}
	rendered, err := spilled.Site.Render(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts(rendered) != counts(spilled.Stats) {
		t.Errorf("rendering only counts %v, a build %v", counts(rendered), counts(spilled.Stats))
	}
}

// TestDeterministicOutputIsSelfContained checks that nothing in the output
// names where or when it was built: the build directory, the machine's
// temporary directory or today's date would make two builds of the same
// content differ.
func TestDeterministicOutputIsSelfContained(t *testing.T) {
	s := sitetest.BuildArchive(t, smallKB, site.Options{})
	today := kb.DateOf(time.Now()).String()
	for name, data := range sitetest.ReadTree(t, s.Dir) {
		for _, leak := range []string{s.Dir, filepath.Dir(s.Dir), os.TempDir(), today} {
			if leak != "" && bytes.Contains(data, []byte(leak)) {
				t.Errorf("%s contains %q", name, leak)
			}
		}
	}
}
