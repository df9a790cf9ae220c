package site_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// TestThemeStatusBadge checks that a theme's own status-badge partial is
// what every page shows, in the rows rendered in Go too: the agency's
// verdict, a vendor's "who flies it" table, a law's "agencies it affects"
// table and the tracker.
func TestThemeStatusBadge(t *testing.T) {
	parts, err := fs.ReadFile(themes.Default(), "layouts/partials/parts.html")
	if err != nil {
		t.Fatal(err)
	}
	const ours = `{{define "status-badge"}}<b class="badge-{{.}}">{{statusLabel .}}</b>{{end}}`
	i := strings.Index(string(parts), `{{define "status-badge"}}`)
	j := i + strings.Index(string(parts[i:]), "{{end}}") + len("{{end}}")
	if i < 0 || j < i {
		t.Fatal("the default theme has no status-badge partial")
	}
	theme := themes.Overlay(fstest.MapFS{
		"layouts/partials/parts.html": {Data: []byte(string(parts[:i]) + ours + string(parts[j:]))},
	}, themes.Default())
	s := sitetest.BuildArchive(t, smallKB, site.Options{Theme: theme})
	for _, page := range []string{"agencies/metro-pd/index.html", "vendors/acme-drones/index.html", "laws/drone-ban/index.html", "tracker/index.html"} {
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		html := string(data)
		if !strings.Contains(html, `<b class="badge-`) {
			t.Errorf("%s does not show the theme's status badge", page)
		}
		// The tracker's table rows are rendered in Go with a badge of
		// their own (table.go), without the status's explanation.
		if page != "tracker/index.html" && strings.Contains(html, `<span class="status status-`) {
			t.Errorf("%s still shows the default status badge", page)
		}
	}
}
