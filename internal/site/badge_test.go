package site_test

import (
	"html"
	"io/fs"
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

// fleetKB has an agency with a fleet item of every kind its table shows:
// stale, seen before a ban, of unknown make, not yet acquired on the
// site's date, restricted by one law and by two, with and without an
// acquisition date, a count, a model and a note.
const fleetKB = `
-- vendors/acme.md --
---
title: Acme & Sons <Drones>
country: CN
---
-- vendors/eurodrone.md --
---
title: Eurodrone
country: FR
---
-- vendors/skyworks.md --
---
title: Skyworks
country: US
---
-- vendors/hover.md --
---
title: Hover
country: US
---
-- laws/hoverban.md --
---
title: Hover ban
kind: statute
country: US
status: enacted
enacted: 2024-06
restricts:
  vendors: [hover]
measure: operation
binds:
  levels: [local]
sources: [https://example.org/hoverban]
---
-- laws/ban.md --
---
title: Drone Ban
short: DB
kind: statute
country: US
status: enacted
enacted: 2022-01-01
restricts:
  countries: [CN]
measure: operation
binds:
  levels: [local]
sources: [https://example.org/ban]
---
-- laws/list.md --
---
title: Vendor list
kind: policy
country: US
status: enacted
enacted: 2021-01-01
restricts:
  vendors: [acme, eurodrone]
measure: procurement
binds:
  levels: [national]
sources: [https://example.org/list]
---
-- agencies/metro.md --
---
title: Metro PD
country: US
level: local
kind: police
fleet:
  - {vendor: acme, model: "M+1 \"pro\"", count: 3, acquired: 2019-01-01, status: active, as_of: 2021-06-01, source: "https://example.org/a", note: "Seen <twice> & more"}
  - {vendor: acme, acquired: 2020-01-01, status: active, as_of: 2021-12-01, source: "https://example.org/b"}
  - {vendor: unknown, model: Mystery, status: active, as_of: 2025-01-01, source: "https://example.org/c"}
  - {vendor: skyworks, count: 2, status: grounded, as_of: 2025-02-01, source: "https://example.org/a"}
  - {vendor: acme, acquired: 2026-03-01, status: active, as_of: 2026-03-01, source: "https://example.org/d"}
  - {vendor: acme, model: X, status: active, as_of: 2025-05-01, source: "https://example.org/e"}
  - {vendor: eurodrone, status: active, as_of: 2025-04-01, source: "https://example.org/e"}
  - {vendor: hover, model: A, status: active, as_of: 2024-06, source: "https://example.org/e"}
  - {vendor: hover, model: B, status: active, as_of: 2024-05-20, source: "https://example.org/e"}
  - {vendor: hover, model: C, acquired: 2024-03-01, status: active, as_of: 2024-03-01, source: "https://example.org/d"}
sources: [https://example.org/a, https://example.org/b, https://example.org/c, https://example.org/d, https://example.org/e]
---
`

// TestFleetRowsAsTemplate checks that the fleet table rendered in Go is
// byte for byte what the template code it replaced rendered, for items of
// every kind.
func TestFleetRowsAsTemplate(t *testing.T) {
	k := sitetest.Load(t, sitetest.Content(t, fleetKB))
	s, err := site.New(k, site.Options{Theme: themes.Default(), AsOf: sitetest.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	got, legacy, err := site.FleetRows(s, "agencies/metro")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"over 24 months ago", "not yet in the fleet", "make unknown", "not restricted", "2 laws</a>", "1 law</a>", "&#43;", `"Latest observation">acquired, <time datetime="2026-03-01">`,
		// A sighting in the month a ban took effect may have come after
		// it; a purchase is not called a sighting.
		`flying <span class="stale">(seen June 2024; the ban of June 2024 may have come first)</span>`,
		`flying <span class="stale">(seen 20 May 2024, before the ban of June 2024)</span>`,
		`acquired <span class="stale">(1 March 2024, before the ban of June 2024)</span>`} {
		if !strings.Contains(legacy, want) {
			t.Errorf("the fixture's fleet table shows no %q", want)
		}
	}
	if got != legacy {
		t.Errorf("fleetRows:\n%s\nthe template code:\n%s", got, legacy)
	}
}

// TestAgencyRows checks what a reader sees in the rows of a vendor's "who
// flies it" table and a law's "agencies it affects" table, rendered in Go:
// the agency's link, its drones with what was last seen of them, whether
// the law binds it and bans what it flies, and its status.
func TestAgencyRows(t *testing.T) {
	s := sitetest.BuildArchive(t, fleetKB, site.Options{Theme: themes.Default(), AsOf: sitetest.AsOf})
	row := `<tr><th scope="row"><a href="/agencies/metro/">Metro PD</a></th>` + "\n" + `<td><ul class="plain">`
	badge := `<td><span class="status status-flying-banned" title="`
	for page, want := range map[string][]string{
		"vendors/acme/index.html": {row,
			`<li>3 × Acme &amp; Sons &lt;Drones&gt; M&#43;1 &#34;pro&#34;</li><li>Acme &amp; Sons &lt;Drones&gt;</li><li>Acme &amp; Sons &lt;Drones&gt; X</li></ul></td>`,
			`<li>flying <span class="stale">(unverified since 1 June 2021)</span></li>`, `<li>flying (1 May 2025)</li></ul></td>`,
			badge, `>Flies drones a ban binding it forbids</span></td></tr>`},
		"laws/ban/index.html": {row,
			`<li>Acme &amp; Sons &lt;Drones&gt; X — flying as of <a href="https://example.org/e" rel="noopener noreferrer nofollow" title="The source of this evidence">1 May 2025</a></li></ul></td>` + "\n<td>Yes</td>\n<td><strong>Yes</strong></td>",
			badge, `>Flies drones a ban binding it forbids</span></td></tr>`},
	} {
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s does not show %q", page, w)
			}
		}
	}
}

// TestThemeEntryCard checks that a theme's own entry-card partial is what
// the entry lists show (rendered once per entry and layout and repeated,
// entryItems), each card with its own entry: every tag page lists exactly
// the entries with the tag, the vendors' list every vendor, and no card on
// any list page shows another entry's title. A layout that defines the
// partial again (here taxonomy.html, for the tag and country pages) shows
// its own on its pages alone.
func TestThemeEntryCard(t *testing.T) {
	parts, err := fs.ReadFile(themes.Default(), "layouts/partials/parts.html")
	if err != nil {
		t.Fatal(err)
	}
	const ours = `{{define "entry-card"}}<i class="card" data-id="{{.ID}}">{{.Title}}</i>{{end}}`
	i := strings.Index(string(parts), `{{define "entry-card"}}`)
	j := i + strings.Index(string(parts[i:]), "{{end}}{{end}}") + len("{{end}}{{end}}")
	if i < 0 || j < i {
		t.Fatal("the default theme has no entry-card partial")
	}
	taxonomy, err := fs.ReadFile(themes.Default(), "layouts/taxonomy.html")
	if err != nil {
		t.Fatal(err)
	}
	const taxonomyCard = `{{define "entry-card"}}<i class="card" data-id="{{.ID}}">In a taxonomy: {{.Title}}</i>{{end}}`
	theme := themes.Overlay(fstest.MapFS{
		"layouts/partials/parts.html": {Data: []byte(string(parts[:i]) + ours + string(parts[j:]))},
		"layouts/taxonomy.html":       {Data: append(taxonomy, taxonomyCard...)},
	}, themes.Default())
	s := sitetest.BuildArchive(t, smallKB, site.Options{Theme: theme})
	card := regexp.MustCompile(`<li><i class="card" data-id="([^"]+)">([^<]*)</i></li>`)
	cards := func(page string) []string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range card.FindAllStringSubmatch(string(data), -1) {
			e := s.KB.Entry(m[1])
			if e == nil {
				t.Errorf("%s: a card of %q, which is no entry", page, m[1])
				continue
			}
			want := html.EscapeString(e.Title)
			if strings.HasPrefix(page, "tags/") || strings.HasPrefix(page, "countries/") {
				want = "In a taxonomy: " + want
			}
			if m[2] != want {
				t.Errorf("%s: the card of %s says %q, want %q", page, m[1], m[2], want)
			}
			ids = append(ids, m[1])
		}
		slices.Sort(ids)
		return ids
	}
	byTag := map[string][]string{}
	var vendors []string
	for _, e := range s.KB.Entries {
		for _, tag := range e.Tags {
			byTag[tag] = append(byTag[tag], e.ID)
		}
		if e.Type == kb.TypeVendor {
			vendors = append(vendors, e.ID)
		}
	}
	if len(byTag) < 3 {
		t.Fatalf("the fixture has %d tags, want several", len(byTag))
	}
	for tag, want := range byTag {
		slices.Sort(want)
		if got := cards(site.TagPath(tag) + "index.html"); !slices.Equal(got, want) {
			t.Errorf("tag %s lists %v, want %v", tag, got, want)
		}
	}
	slices.Sort(vendors)
	if got := cards("vendors/index.html"); !slices.Equal(got, vendors) {
		t.Errorf("the vendors' list shows %v, want %v", got, vendors)
	}
	countries, err := filepath.Glob(filepath.Join(s.Dir, "countries", "*", "index.html"))
	if err != nil || len(countries) == 0 {
		t.Fatalf("no country pages (%v)", err)
	}
	for _, p := range countries {
		rel, _ := filepath.Rel(s.Dir, p)
		if len(cards(filepath.ToSlash(rel))) == 0 {
			t.Errorf("%s shows no card", rel)
		}
	}
}
