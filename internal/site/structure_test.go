package site_test

import (
	"os"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestPagesAreAccessible parses every page of the shipped content's site,
// and of the fixture's, and checks what a screen reader and a keyboard need
// (sitetest.Structure): lang, a title, exactly one h1 and headings that do
// not skip a level, the main, nav, banner and contentinfo landmarks, alt on
// every image, a label on every form control, unique ids and labels that
// point at real ids.
func TestPagesAreAccessible(t *testing.T) {
	t.Run("shipped-content", func(t *testing.T) {
		s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{})
		sitetest.CheckStructure(t, s.Dir)
	})
	t.Run("fixture", func(t *testing.T) {
		s := sitetest.BuildArchive(t, smallKB, site.Options{})
		sitetest.CheckStructure(t, s.Dir)
	})
	t.Run("phased-law", func(t *testing.T) {
		s := sitetest.BuildArchive(t, phasedKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
		sitetest.CheckStructure(t, s.Dir)
	})
}
