package site_test

import (
	"fmt"
	"html"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

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

// TestHeadingsNeverTakeLayoutIDs gives an entry of each type, and the home
// and about pages, a body heading for every id any page of the shipped
// site uses: no page may then use an id twice. (A heading "Reason" took
// the id of an agency's verdict, so that links to #reason led to it, and
// one called "Map world title" named the home page's map for screen
// readers.)
func TestHeadingsNeverTakeLayoutIDs(t *testing.T) {
	shipped := os.DirFS(sitetest.ShippedContent(t))
	plain := sitetest.Build(t, sitetest.Load(t, shipped), site.Options{})
	idAttr := regexp.MustCompile(`\sid="([^"]+)"`)
	seen := map[string]bool{}
	err := filepath.WalkDir(plain.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		for _, m := range idAttr.FindAllSubmatch(b, -1) {
			seen[html.UnescapeString(string(m[1]))] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var headings strings.Builder
	for _, id := range slices.Sorted(maps.Keys(seen)) {
		fmt.Fprintf(&headings, "\n## %s\n", id)
	}
	hostile := fstest.MapFS{}
	err = fs.WalkDir(shipped, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(shipped, p)
		hostile[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{"pages/home.md", "pages/about.md"}
	for _, sec := range kb.Sections {
		if sec.Type == kb.TypePage {
			continue
		}
		matches, _ := fs.Glob(shipped, sec.Dir+"/*.md")
		if len(matches) == 0 {
			t.Fatalf("the shipped content has no %s", sec.Dir)
		}
		targets = append(targets, matches[0])
	}
	for _, p := range targets {
		f := hostile[p]
		if f == nil {
			t.Fatalf("the shipped content has no %s", p)
		}
		f.Data = append(append([]byte{}, f.Data...), headings.String()...)
	}
	t.Logf("%d ids, given as headings to %s", len(seen), strings.Join(targets, ", "))
	s := sitetest.Build(t, sitetest.Load(t, hostile), site.Options{})
	sitetest.CheckStructure(t, s.Dir)
}
