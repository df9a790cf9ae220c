package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
)

// banCutContent has a Florida operating ban and a federal purchase ban
// that both restrict DJI, and a sheriff's office in Florida last seen
// flying DJI drones in 2021, then reported of unknown status: on
// 2026-06-01 its verdict rests on the 2024 report alone.
var banCutContent = map[string]string{
	"vendors/dji.md": "---\ntitle: DJI\ncountry: CN\n---\n",
	"laws/fed.md": `---
title: Federal purchase ban
country: US
status: enacted
enacted: 2020-01-01
restricts: {countries: [CN]}
measure: procurement
sources: [https://example.org/fed]
---
`,
	"laws/fl.md": `---
title: Florida operating ban
country: US
region: US-FL
status: enacted
enacted: 2021-06-01
restricts: {vendors: [dji]}
binds: {levels: [local]}
provisions:
  - measure: operation
    effective: 2023-01-01
sources: [https://example.org/fl]
---
`,
	"agencies/sheriff.md": `---
title: Sheriff's office
country: US
region: US-FL
level: local
kind: police
fleet:
  - vendor: dji
    status: unknown
    as_of: 2024-04-19
    source: https://example.org/sheriff-2024
    history:
      - {date: 2022-05-27, status: active, source: "https://example.org/sheriff-2022"}
sources: [https://example.org/sheriff-2022, https://example.org/sheriff-2024]
---
`,
}

// TestIncrementalBanCut: the timeline of a law draws an agency's sighting
// counted as in service up to the day an operating ban of another law
// that binds it takes effect. When that ban's date moves, and no verdict
// changes, the first law's page is written again, as a full build writes
// it.
func TestIncrementalBanCut(t *testing.T) {
	sess, cfg, _ := startSessionOn(t, func(content string) {
		for name, data := range banCutContent {
			writeFile(t, filepath.Join(content, filepath.FromSlash(name)), data)
		}
	})
	content, asOf := cfg.Content, cfg.AsOf
	ctx := context.Background()
	fed := filepath.Join(cfg.Out, "laws", "fed", "index.html")
	if page := readFile(t, fed); !strings.Contains(page, "counted as in service until Florida operating ban takes effect, 1 January 2023") {
		t.Fatal("the federal law's timeline does not count the sighting up to the Florida ban")
	}
	before := kb.Load(os.DirFS(content), kb.Options{}).Tracker(asOf).Agency("agencies/sheriff").Status

	fl := filepath.Join(content, "laws", "fl.md")
	writeFile(t, fl, strings.Replace(readFile(t, fl), "effective: 2023-01-01", "effective: 2023-03-01", 1))
	if after := kb.Load(os.DirFS(content), kb.Options{}).Tracker(asOf).Agency("agencies/sheriff").Status; after != before {
		t.Fatalf("the edit changes the sheriff's verdict, %s to %s: the test needs one that does not", before, after)
	}
	sess.Touch([]string{"laws/fl.md"})
	if _, err := sess.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	full := cfg
	full.Out, full.Index = filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index")
	if _, err := build.Run(ctx, full, build.SearchIndex); err != nil {
		t.Fatal(err)
	}
	if diff := compareTrees(snapshot(t, full.Out), snapshot(t, cfg.Out), nil); diff != "" {
		t.Errorf("the site differs from a full build:\n%s", diff)
	}
	if page := readFile(t, fed); !strings.Contains(page, "counted as in service until Florida operating ban takes effect, 1 March 2023") {
		t.Error("the federal law's timeline still counts the sighting up to the ban's old date")
	}
}
