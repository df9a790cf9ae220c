// Package searchtest holds what the tests of both search engines (bleve,
// and the static index searched by search.js) run over the shipped
// content: the relevance set (internal/search/testdata/relevance.txt) and
// known answers.
package searchtest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// Top is how many first hits an expected entry must be among.
const Top = 3

// Case is one query and the entries it should rank in its first Top hits.
type Case struct {
	Line  int
	Query string
	Want  []string
}

// Path is the relevance set's file.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "relevance.txt")
}

// LoadRelevance reads the relevance set: one "QUERY => ID ID…" a line; blank lines
// and lines starting with # are skipped.
func LoadRelevance() ([]Case, error) {
	f, err := os.Open(Path())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		q, ids, ok := strings.Cut(line, " => ")
		want := strings.Fields(ids)
		if !ok || strings.TrimSpace(q) == "" || len(want) == 0 || len(want) > Top {
			return nil, fmt.Errorf("%s:%d: want QUERY => 1 to %d entry IDs", Path(), n, Top)
		}
		out = append(out, Case{Line: n, Query: strings.TrimSpace(q), Want: want})
	}
	return out, sc.Err()
}

// Miss says what is wrong with ranked (the hits' IDs, best first) for c:
// "" when every expected entry is among the first Top.
func (c Case) Miss(ranked []string) string {
	top := ranked[:min(Top, len(ranked))]
	var missing []string
	for _, id := range c.Want {
		if !slices.Contains(top, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	got := "nothing"
	if len(top) > 0 {
		var parts []string
		for i, id := range top {
			parts = append(parts, fmt.Sprintf("%d. %s", i+1, id))
		}
		got = strings.Join(parts, ", ")
		if k := slices.Index(ranked, missing[0]); k >= 0 {
			got += fmt.Sprintf(" (%s is %d of %d)", missing[0], k+1, len(ranked))
		} else {
			got += fmt.Sprintf(" (%s is not among the %d hits)", missing[0], len(ranked))
		}
	}
	return fmt.Sprintf("testdata/relevance.txt:%d: %s: want %s in the first %d; got %s",
		c.Line, c.Query, strings.Join(missing, " and "), Top, got)
}

// FlyersFirst are queries that name a vendor, searched among agencies
// over the shipped content: every agency the vendor filter keeps (its
// fleet has the vendor's drones) must rank above every agency whose text
// only speaks of the vendor. Before agencies' fleets were a field of
// their own, "dji" ranked the Navy, which banned DJI's drones and flies
// none on record, above every agency flying them (found in review).
var FlyersFirst = []struct{ Query, Vendor string }{
	{"dji", "dji"}, {"DJI", "dji"}, {"skydio", "skydio"}, {"autel", "autel-robotics"}, {"parrot", "parrot"},
}

// FlyersMiss says what is wrong with ranked (an agency search's hits,
// best first) when flyers (the vendor filter's agencies) must come
// first: "" when they do, and the search finds some agencies of each
// kind.
func FlyersMiss(ranked, flyers []string) string {
	found, others := 0, 0
	for i, id := range ranked {
		if !slices.Contains(flyers, id) {
			others++
			continue
		}
		found++
		if others > 0 {
			return fmt.Sprintf("%s, whose fleet flies the vendor's drones, ranks %d, below %d agencies that do not: %q", id, i+1, others, ranked)
		}
	}
	if found == 0 || others == 0 {
		return fmt.Sprintf("%d hits, %d of them flying the vendor's drones: the case needs agencies of both kinds", len(ranked), found)
	}
	return ""
}

// Known is a request over the shipped content whose hits must include
// Want, and must be the entries that the requests in Same find between
// them, if given. They are the rows of issue 13's table, which found
// nothing or the wrong entries, and the places a review found nothing
// for: an entry's country and region are words of it by their names.
type Known struct {
	Params string // URL parameters, as /api/search takes them
	Want   []string
	Same   []string
}

// ShippedKnown are the known answers over the shipped content.
var ShippedKnown = []Known{
	{Params: "q=Conseil d'État", Want: []string{"incidents/conseil-etat-protest-drones-2020", "incidents/paris-lockdown-drones-2020"}},
	{Params: "q=conseil d'etat", Same: []string{"q=Conseil d'État"}},
	{Params: "q=etat", Want: []string{"incidents/conseil-etat-protest-drones-2020", "incidents/paris-lockdown-drones-2020"}},
	{Params: "q=État", Same: []string{"q=etat"}},
	{Params: "q=d'État", Same: []string{"q=etat"}},
	{Params: "q=sécurité globale", Want: []string{"laws/fr-loi-2021-646-securite-globale"}},
	{Params: "q=securite globale", Same: []string{"q=sécurité globale"}},
	{Params: "q=SÉCURITÉ GLOBALE", Same: []string{"q=sécurité globale"}},
	{Params: "q=intérieur", Want: []string{"agencies/fr-ministere-interieur", "laws/fr-loi-2022-52"}},
	{Params: "q=interieur", Same: []string{"q=intérieur"}},
	{Params: "q=l'Intérieur", Same: []string{"q=intérieur"}},
	{Params: "q=ministère", Want: []string{"agencies/fr-ministere-interieur"}},
	{Params: "q=ministere", Same: []string{"q=ministère"}},
	{Params: "q=Ministère de l'Intérieur", Want: []string{"agencies/fr-ministere-interieur"}},
	// A phrase typed without its apostrophes is the phrase with them: the
	// loose article is elided as the text's was.
	{Params: `q="Conseil d'État"`, Want: []string{"incidents/conseil-etat-protest-drones-2020"}},
	{Params: `q="conseil d etat"`, Same: []string{`q="Conseil d'État"`}},
	{Params: `q="CONSEIL D ÉTAT"`, Same: []string{`q="Conseil d'État"`}},
	{Params: `q="ministère de l'intérieur"`, Want: []string{"agencies/fr-ministere-interieur"}},
	{Params: `q="ministere de l interieur"`, Same: []string{`q="ministère de l'intérieur"`}},
	{Params: "q=drone&country=FR", Same: []string{"q=drones&country=FR"}},
	{Params: "q=NYPD OR LAPD", Want: []string{"agencies/nypd", "agencies/lapd"}, Same: []string{"q=NYPD", "q=LAPD"}},
	{Params: "q=NYPD | LAPD", Same: []string{"q=NYPD OR LAPD"}},
	{Params: "q=NYPD|LAPD", Same: []string{"q=NYPD OR LAPD"}},
	{Params: "q=the&type=agency", Same: []string{"type=agency"}},
	{Params: "q=of the&country=FR&type=law", Same: []string{"country=FR&type=law"}},
	{Params: "q=france&country=FR", Same: []string{"country=FR"}},
	{Params: "q=FRANCE", Same: []string{"q=france"}},
	{Params: "q=United States&country=US", Same: []string{"country=US"}},
	{Params: "q=California", Want: []string{"agencies/lapd"}},
	{Params: "q=New York", Want: []string{"agencies/nypd", "incidents/nypd-brooklyn-standoff-2019"}},
	{Params: `q="new york"`, Want: []string{"agencies/nypd", "incidents/nypd-brooklyn-standoff-2019"}},
}

// LanguagesKB is a knowledge base, as a txtar archive, of three agencies
// whose text has "drones": one whose lang says it is written in French,
// one of France without lang and written in English (its text analysed in
// French, but not marked French), and one of the United States. Hits and
// snippets must be marked French for the first alone.
const LanguagesKB = `
-- agencies/prefecture-x.md --
---
title: Préfecture de police de X
lang: fr
country: FR
sources: [https://example.org/a]
---
La préfecture utilise des drones pour surveiller les manifestations.
-- agencies/paris-x.md --
---
title: Paris X Unit
country: FR
sources: [https://example.org/c]
---
The unit flies drones over the city.
-- agencies/x-police.md --
---
title: X Police Department
country: US
sources: [https://example.org/b]
---
The department flies drones over protests.
`
