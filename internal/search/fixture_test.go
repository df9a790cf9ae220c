package search_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// testKB is a small knowledge base whose every search answer can be worked
// out by hand (judged on sitetest.AsOf, 2025-06-01):
//
//   - vendors: skyeye (CN, restricted by its country of origin through
//     china-drone-ban), hawkworks (US, restricted by name through
//     hawk-order), aerofrance (FR, named only by an advisory, so not
//     restricted), parrots (FR; a slug that stems differently: "parrot").
//   - laws: china-drone-ban (US, in force, restricts CN hardware, binds every
//     US agency), hawk-order (US, in force, restricts hawkworks, binds state
//     agencies), advisory-note (US, in force, advisory; the one entry whose
//     text says "France"), fr-biometrics-bill (FR, proposed; "recognition"
//     and "facial" but never "facial recognition" in that order).
//   - agencies and their tracker status: metro-police flying-restricted,
//     gendarmerie flying-restricted-unbound (a US law cannot bind it),
//     county-sheriff unknown, state-patrol grounded, paris-fire clear.
//   - incidents: paris-protest-2020 ("facial recognition" in order),
//     metro-launch-2019 (in New York, as its title says; metro-police is
//     there too, and says nothing of it), patrol-grounding-2023,
//     hostile-2024 (HTML in its title, summary and body).
//   - places: a country's and a region's names are words of the entries
//     there (search.Doc.Place), and no text but advisory-note's and
//     metro-launch-2019's title names one, apart from China (in
//     china-drone-ban's summary) and Paris (in the titles of the two
//     entries there).
const testKB = `
-- vendors/skyeye.md --
---
title: SkyEye Robotics
summary: A Chinese maker of camera drones sold to police forces.
country: CN
tags: [china, camera]
---
SkyEye sells the Falcon series of surveillance quadcopters.
-- vendors/hawkworks.md --
---
title: Hawkworks
summary: An American maker of thermal imaging aircraft.
country: US
---
Hawkworks builds thermal aircraft for fire departments.
-- vendors/aerofrance.md --
---
title: AeroFrance
summary: A French maker of inspection aircraft.
country: FR
---
AeroFrance builds inspection aircraft for firefighters.
-- vendors/parrots.md --
---
title: Parrots Aerial
summary: A French maker of small quadcopters.
country: FR
---
Parrots Aerial makes small quadcopters for hobbyists.
-- laws/china-drone-ban.md --
---
title: Foreign Drone Procurement Ban
short: FDPB
summary: Bars every American agency from buying or flying drones made in China.
kind: statute
country: US
status: enacted
enacted: 2020-01-15
restricts:
  countries: [CN]
measure: procurement
tags: [procurement-ban, china]
sources:
  - url: https://congress.example.gov/fdpb
---
Congress passed the ban after hearings on data security.
-- laws/hawk-order.md --
---
title: Executive Order on Hawkworks Aircraft
summary: Grounds the Hawkworks aircraft of state agencies.
kind: executive-order
country: US
status: enacted
enacted: 2022-03-01
restricts:
  vendors: [hawkworks]
measure: operation
binds:
  levels: [state]
sources:
  - url: https://governor.example.gov/eo-7
---
State agencies must stop flying Hawkworks aircraft.
-- laws/advisory-note.md --
---
title: Aircraft security advisory
summary: A warning about AeroFrance aircraft.
kind: policy
country: US
status: enacted
enacted: 2021-05-01
restricts:
  vendors: [aerofrance]
measure: advisory
sources:
  - url: https://cisa.example.gov/advisory
---
A warning only, about aircraft from France; it restricts nothing.
-- laws/fr-biometrics-bill.md --
---
title: Proposition de loi on biometric cameras
summary: Would forbid police cameras that identify faces.
kind: bill
country: FR
status: proposed
introduced: 2024-02-01
sources:
  - url: https://assemblee.example.fr/ppl-7
---
The bill forbids recognition software that reads a facial image in real time.
-- agencies/metro-police.md --
---
title: Metro Police Department
short: MPD
summary: A city police force that flies SkyEye drones.
country: US
region: US-NY
level: local
kind: police
tags: [police, protest]
fleet:
  - vendor: skyeye
    model: Falcon 2
    count: 12
    acquired: 2019-04-02
    status: active
    as_of: 2024-10-01
    source: https://news.example.org/metro
sources:
  - url: https://news.example.org/metro
---
The department flies SkyEye drones over protests and public events.
-- agencies/gendarmerie.md --
---
title: Gendarmerie nationale
summary: The French national gendarmerie.
country: FR
level: national
kind: police
tags: [police]
fleet:
  - vendor: skyeye
    model: Falcon 3
    status: active
    as_of: 2024-03-01
    source: https://presse.example.fr/gendarmerie
sources:
  - url: https://presse.example.fr/gendarmerie
---
The gendarmerie watches crowds at demonstrations from the air.
-- agencies/county-sheriff.md --
---
title: County Sheriff's Office
summary: A sheriff whose SkyEye drones may or may not still fly.
country: US
region: US-FL
level: local
kind: police
fleet:
  - vendor: skyeye
    status: unknown
    as_of: 2024-05-01
    source: https://news.example.org/sheriff
sources:
  - url: https://news.example.org/sheriff
---
The grounding of the sheriff's quadcopters was debated for months.
-- agencies/state-patrol.md --
---
title: State Highway Patrol
updated: 2026-11-01
summary: A state police force that grounded its thermal drones.
country: US
region: US-CA
level: state
kind: police
fleet:
  - vendor: hawkworks
    status: grounded
    as_of: 2023-01-10
    source: https://news.example.org/patrol
    history:
      - date: 2020-05-01
        status: active
        source: https://news.example.org/patrol
sources:
  - url: https://news.example.org/patrol
---
The patrol flew thermal aircraft until the order.
-- agencies/paris-fire.md --
---
title: Paris Fire Brigade
summary: Firefighters who fly French aircraft.
country: FR
region: FR-75
level: local
kind: emergency
fleet:
  - vendor: aerofrance
    status: active
    as_of: 2024-01-01
    source: https://pompiers.example.fr/flotte
  - vendor: parrots
    status: active
    as_of: 2024-01-01
    source: https://pompiers.example.fr/flotte
sources:
  - url: https://pompiers.example.fr/flotte
---
Its firefighters fly AeroFrance and Parrots aircraft on rescue work.
-- incidents/paris-protest-2020.md --
---
title: Drones over a protest in Paris
summary: Camera drones watched a march.
date: 2020-05-16
country: FR
region: FR-75
agencies: [gendarmerie]
vendors: [skyeye]
kind: protest
tags: [protest, france]
sources:
  - url: https://presse.example.fr/manif
---
Reporters said the gendarmerie flew drones with facial recognition cameras over the march.
-- incidents/metro-launch-2019.md --
---
title: Metro police launch a drone unit in New York
summary: Twelve SkyEye drones shown to the press.
date: 2019-04-02
country: US
region: US-NY
agencies: [metro-police]
vendors: [skyeye]
kind: surveillance
tags: [police]
sources:
  - url: https://news.example.org/metro
---
The unit's first flights watched protesters at a march.
-- incidents/patrol-grounding-2023.md --
---
title: The highway patrol stops flying
summary: The patrol stopped all flights under the order.
date: 2023-01
country: US
agencies: [state-patrol]
vendors: [hawkworks]
laws: [hawk-order]
kind: policy
sources:
  - url: https://news.example.org/patrol
---
The patrol grounded every aircraft it had.
-- incidents/hostile-2024.md --
---
title: 'A <script>alert("title")</script> & "quoted" title'
summary: 'A summary with <img src=x onerror=alert(1)> about a zeppelin.'
date: 2024-07-04
country: US
kind: other
sources:
  - url: https://news.example.org/hostile
---
Someone pasted ` + "`<script>alert('zeppelin')</script>`" + ` next to a zeppelin & a "blimp".
`

// testIndex lays out testKB, loads it (failing on any content error),
// builds its index with search.Build into a fresh directory and opens it.
func testIndex(t testing.TB) (*search.Index, string) {
	t.Helper()
	return indexOf(t, sitetest.Load(t, sitetest.Content(t, testKB)))
}

// shippedIndex is the index of the shipped content/, built and opened
// once for the tests that search it, which must not change it or close
// it.
func shippedIndex(t testing.TB) *search.Index {
	t.Helper()
	return shipped.Get(t, "", func(dir string) *search.Index {
		return indexInto(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), filepath.Join(dir, "index"))
	})
}

var shipped sitetest.Shared[*search.Index]

func TestMain(m *testing.M) {
	code := m.Run()
	shipped.Cleanup(func(idx *search.Index) { idx.Close() })
	os.Exit(code)
}

// indexOf builds the index of a loaded knowledge base into a fresh
// directory with search.Build, and opens it.
func indexOf(t testing.TB, k *kb.KB) (*search.Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	idx := indexInto(t, k, dir)
	t.Cleanup(func() { idx.Close() })
	return idx, dir
}

// indexInto builds the index of a loaded knowledge base into dir with
// search.Build, and opens it: the caller closes it.
func indexInto(t testing.TB, k *kb.KB, dir string) *search.Index {
	t.Helper()
	tr := k.Tracker(sitetest.AsOf)
	docs := search.Docs(k, tr, site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	if _, err := search.Build(context.Background(), dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}); err != nil {
		t.Fatalf("search.Build: %v", err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatalf("search.Open: %v", err)
	}
	return idx
}
