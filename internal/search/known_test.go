package search_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
)

// request parses params ("q=drone&country=FR") as /api/search would,
// failing the test on any error.
func request(t testing.TB, params string) search.Request {
	t.Helper()
	v, err := url.ParseQuery(params)
	if err != nil {
		t.Fatalf("%s: %v", params, err)
	}
	req, err := search.ParseParams(v)
	if err != nil {
		t.Fatalf("ParseParams(%s): %v", params, err)
	}
	return req
}

// run parses params as /api/search would and searches idx, failing the test
// on any error.
func run(t *testing.T, idx *search.Index, params string) *search.Response {
	t.Helper()
	res, err := idx.Search(context.Background(), request(t, params))
	if err != nil {
		t.Fatalf("Search(%s): %v", params, err)
	}
	return res
}

func hitIDs(res *search.Response) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func sorted(ids []string) []string {
	out := append([]string{}, ids...)
	sort.Strings(out)
	return out
}

var (
	allAgencies  = []string{"agencies/county-sheriff", "agencies/gendarmerie", "agencies/metro-police", "agencies/paris-fire", "agencies/state-patrol"}
	allLaws      = []string{"laws/advisory-note", "laws/china-drone-ban", "laws/fr-biometrics-bill", "laws/hawk-order"}
	allIncidents = []string{"incidents/hostile-2024", "incidents/metro-launch-2019", "incidents/paris-protest-2020", "incidents/patrol-grounding-2023"}
	allVendors   = []string{"vendors/aerofrance", "vendors/hawkworks", "vendors/parrots", "vendors/skyeye"}
	// drones: every entry with "drone" or "drones" in a text field.
	drones = []string{"agencies/county-sheriff", "agencies/metro-police", "agencies/state-patrol", "incidents/metro-launch-2019",
		"incidents/paris-protest-2020", "laws/china-drone-ban", "vendors/skyeye"}
	// french: the entries in France; allUS, those in the United States.
	french = []string{"agencies/gendarmerie", "agencies/paris-fire", "incidents/paris-protest-2020", "laws/fr-biometrics-bill", "vendors/aerofrance", "vendors/parrots"}
	allUS  = []string{"agencies/county-sheriff", "agencies/metro-police", "agencies/state-patrol", "incidents/hostile-2024", "incidents/metro-launch-2019",
		"incidents/patrol-grounding-2023", "laws/advisory-note", "laws/china-drone-ban", "laws/hawk-order", "vendors/hawkworks"}
	// grounds: "grounds", "grounded" and "grounding" all stem to "ground".
	grounds = []string{"agencies/county-sheriff", "agencies/state-patrol", "incidents/patrol-grounding-2023", "laws/hawk-order"}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func minus(all []string, drop ...string) []string {
	var out []string
	for _, s := range all {
		keep := true
		for _, d := range drop {
			keep = keep && s != d
		}
		if keep {
			out = append(out, s)
		}
	}
	return out
}

// TestKnownAnswers runs queries whose answers follow from testKB by hand.
// Where only the set is defined (relevance order among similar hits) it
// compares sets; filter-only queries score every hit alike, so their order
// is the ID order and is compared exactly.
func TestKnownAnswers(t *testing.T) {
	idx, _ := testIndex(t)
	everything := concat(allAgencies, allIncidents, allLaws, allVendors)
	fliers := []string{"agencies/county-sheriff", "agencies/metro-police", "agencies/paris-fire", "incidents/patrol-grounding-2023", "laws/china-drone-ban", "laws/hawk-order"}
	cases := []struct {
		name, params string
		want         []string
		ordered      bool
	}{
		// Words.
		{"one word", "q=zeppelin", []string{"incidents/hostile-2024"}, true},
		{"a common word", "q=drones", drones, false},
		{"singular finds plural", "q=drone", drones, false},
		{"upper case", "q=DRONES", drones, false},
		{"title acronym (short)", "q=FDPB", []string{"laws/china-drone-ban"}, true},
		{"agency acronym", "q=mpd", []string{"agencies/metro-police"}, true},
		{"word nowhere", "q=submarine", nil, true},
		// Several words: all must match (AND).
		{"two words AND", "q=drones+march", []string{"incidents/metro-launch-2019", "incidents/paris-protest-2020"}, false},
		{"two words AND, one missing", "q=zeppelin+drones", nil, true},
		{"thermal aircraft", "q=thermal+aircraft", []string{"agencies/state-patrol", "vendors/hawkworks"}, false},
		// Phrases match their words in order.
		{"phrase in order", `q="facial recognition"`, []string{"incidents/paris-protest-2020"}, true},
		{"the same words unquoted, any order", "q=recognition+facial", []string{"incidents/paris-protest-2020", "laws/fr-biometrics-bill"}, false},
		{"phrase reversed", `q="recognition facial"`, nil, true},
		{"phrase with a stop word in it", `q="made in china"`, []string{"laws/china-drone-ban"}, true},
		{"phrase missing the stop word's place", `q="drones made china"`, nil, true},
		{"phrase of stemmed words", `q="grounded its thermal drones"`, []string{"agencies/state-patrol"}, true},
		{"unclosed phrase (typing)", `q="facial recog`, nil, true},
		{"unclosed phrase, whole words", `q="facial recognition`, []string{"incidents/paris-protest-2020"}, true},
		// Stemming.
		{"protests finds protest and protesters", "q=protests", []string{"agencies/metro-police", "incidents/metro-launch-2019", "incidents/paris-protest-2020"}, false},
		{"protest finds the same", "q=protest", []string{"agencies/metro-police", "incidents/metro-launch-2019", "incidents/paris-protest-2020"}, false},
		{"grounded", "q=grounded", grounds, false},
		{"grounding", "q=grounding", grounds, false},
		{"grounds", "q=grounds", grounds, false},
		// Porter leaves "fly" and "flying" at "fly" and makes "flies"
		// "fli"; flyFilter makes all three one term.
		{"flies finds fly and flying", "q=flies", fliers, false},
		{"fly finds flies and flying", "q=fly", fliers, false},
		{"flying finds the same", "q=flying", fliers, false},
		{"a phrase across the forms", `q="flies skyeye"`, []string{"agencies/metro-police"}, true},
		// A prefix matches its stem "fli" whole: as a prefix it would
		// match "flight" too.
		{"fly* finds the fliers, not the flights", "q=fly*", fliers, false},
		{"fli* finds the flights as well", "q=fli*", concat(fliers, []string{"incidents/metro-launch-2019"}), false},
		{"parrot finds Parrots", "q=parrot", []string{"agencies/paris-fire", "vendors/parrots"}, false},
		// +required and -excluded.
		{"+required -excluded", "q=%2Bdrones+-protest", minus(drones, "agencies/metro-police", "incidents/metro-launch-2019", "incidents/paris-protest-2020"), false},
		{"+required +required", "q=%2Bdrones+%2Bmarch", []string{"incidents/metro-launch-2019", "incidents/paris-protest-2020"}, false},
		{"excluded phrase", `q=drones+-"facial recognition"`, minus(drones, "incidents/paris-protest-2020"), false},
		{"only an exclusion", "q=-drones&size=100", minus(everything, drones...), true},
		// Prefix and typo.
		{"prefix", "q=quadcop*", []string{"agencies/county-sheriff", "vendors/parrots", "vendors/skyeye"}, false},
		{"prefix of a title word", "q=gendarm*", []string{"agencies/gendarmerie", "incidents/paris-protest-2020"}, false},
		// A whole word with a * still finds it, though the index holds its
		// stem ("quadcopt", "ground", "surveil").
		{"whole word as prefix", "q=quadcopters*", []string{"agencies/county-sheriff", "vendors/parrots", "vendors/skyeye"}, false},
		{"whole word as prefix, another stem", "q=grounded*", grounds, false},
		{"whole word as prefix, y to i", "q=security*", []string{"laws/advisory-note", "laws/china-drone-ban"}, false},
		{"prefix AND a word", "q=quadcop*+parrots", []string{"vendors/parrots"}, true},
		{"a typo without ~1 finds nothing", "q=zepelin", nil, true},
		{"a typo with ~1", "q=zepelin~1", []string{"incidents/hostile-2024"}, true},
		{"a typo with a bare ~", "q=zepelin~", []string{"incidents/hostile-2024"}, true},
		{"one typo, another letter", "q=zeppelon~1", []string{"incidents/hostile-2024"}, true},
		{"two typos with ~1", "q=zepelinn~1", nil, true},
		// Filters, each alone (filter-only: ID order).
		{"type", "type=law", allLaws, true},
		{"type plural", "type=agencies", allAgencies, true},
		{"country", "country=FR", []string{"agencies/gendarmerie", "agencies/paris-fire", "incidents/paris-protest-2020", "laws/fr-biometrics-bill", "vendors/aerofrance", "vendors/parrots"}, true},
		{"country lower-case is normalised", "country=fr", []string{"agencies/gendarmerie", "agencies/paris-fire", "incidents/paris-protest-2020", "laws/fr-biometrics-bill", "vendors/aerofrance", "vendors/parrots"}, true},
		{"country of a vendor", "country=cn", []string{"vendors/skyeye"}, true},
		{"country nobody has", "country=DE", nil, true},
		// vendor: the vendor itself, a law restricting it by name or by its
		// country of origin, an agency's fleet, an incident.
		{"vendor restricted by country of origin", "vendor=skyeye", []string{"agencies/county-sheriff", "agencies/gendarmerie", "agencies/metro-police",
			"incidents/metro-launch-2019", "incidents/paris-protest-2020", "laws/china-drone-ban", "vendors/skyeye"}, true},
		{"vendor restricted by name", "vendor=hawkworks", []string{"agencies/state-patrol", "incidents/patrol-grounding-2023", "laws/hawk-order", "vendors/hawkworks"}, true},
		{"vendor named by an advisory", "vendor=aerofrance", []string{"agencies/paris-fire", "laws/advisory-note", "vendors/aerofrance"}, true},
		{"vendor slug is a keyword", "vendor=parrots", []string{"agencies/paris-fire", "vendors/parrots"}, true},
		{"vendor slug is not stemmed", "vendor=parrot", nil, true},
		{"status of an agency", "status=grounded", []string{"agencies/state-patrol"}, true},
		{"status unknown", "status=unknown", []string{"agencies/county-sheriff"}, true},
		{"status of laws", "status=in-force", []string{"laws/advisory-note", "laws/china-drone-ban", "laws/hawk-order"}, true},
		{"status of a bill", "status=law-proposed", []string{"laws/fr-biometrics-bill"}, true},
		{"tag", "tag=china", []string{"laws/china-drone-ban", "vendors/skyeye"}, true},
		{"tag is a keyword", "tag=protest", []string{"agencies/metro-police", "incidents/paris-protest-2020"}, true},
		{"tag is not stemmed", "tag=protests", nil, true},
		{"restricted: agencies flying it, vendors restricted today", "restricted=true",
			[]string{"agencies/gendarmerie", "agencies/metro-police", "vendors/hawkworks", "vendors/skyeye"}, true},
		{"restricted agencies", "type=agency&restricted=true", []string{"agencies/gendarmerie", "agencies/metro-police"}, true},
		{"restricted=false filters nothing", "restricted=false&size=100", everything, true},
		// Yes and no as URLs write them (a check box with no value of its
		// own sends on), and names in any case, as type's are.
		{"restricted=yes", "type=agency&restricted=yes", []string{"agencies/gendarmerie", "agencies/metro-police"}, true},
		{"restricted=ON", "type=agency&restricted=ON", []string{"agencies/gendarmerie", "agencies/metro-police"}, true},
		{"restricted=No filters nothing", "restricted=No&size=100", everything, true},
		// Dates: since and until keep what is dated within them, both
		// days included; a year or a month runs from its first day
		// (since) to its last (until); an entry's partial date counts as
		// its first day (patrol-grounding-2023 is 2023-01); undated
		// agencies and vendors are left out.
		{"since and until, years", "since=2020&until=2021", []string{"incidents/paris-protest-2020", "laws/advisory-note", "laws/china-drone-ban"}, true},
		{"since alone", "since=2023", []string{"incidents/hostile-2024", "incidents/patrol-grounding-2023", "laws/fr-biometrics-bill"}, true},
		{"until alone", "until=2019-12", []string{"incidents/metro-launch-2019"}, true},
		{"both bounds one day", "since=2020-01-15&until=2020-01-15", []string{"laws/china-drone-ban"}, true},
		{"a month's date is its first day", "since=2023-01-01&until=2023-01-01", []string{"incidents/patrol-grounding-2023"}, true},
		{"after a month's first day", "since=2023-01-02&until=2023-12-31", nil, true},
		{"dates and a type", "since=2020&type=incident", []string{"incidents/hostile-2024", "incidents/paris-protest-2020", "incidents/patrol-grounding-2023"}, true},
		{"dates beyond what bleve holds", "since=1000&until=9999", []string{"incidents/hostile-2024", "incidents/metro-launch-2019", "incidents/paris-protest-2020",
			"incidents/patrol-grounding-2023", "laws/advisory-note", "laws/china-drone-ban", "laws/fr-biometrics-bill", "laws/hawk-order"}, true},
		// Past them on the wrong side, a bound keeps nothing; bleve
		// refused it, a 500.
		{"since after what bleve holds", "since=3000", nil, true},
		{"since after what bleve holds, with until", "since=9999-12-31&until=9999", nil, true},
		{"until before what bleve holds", "until=1000", nil, true},
		{"until before what bleve holds, with since", "since=1000&until=1600-06", nil, true},
		{"status in capitals", "type=agency&country=US&status=FLYING-RESTRICTED,Unknown", []string{"agencies/county-sheriff", "agencies/metro-police"}, true},
		{"no parameters: everything", "size=100", everything, true},
		// OR within a filter, AND across filters.
		{"OR within type", "type=agency,law&country=FR", []string{"agencies/gendarmerie", "agencies/paris-fire", "laws/fr-biometrics-bill"}, true},
		{"OR by repeating", "type=agency&type=incident&vendor=skyeye", []string{"agencies/county-sheriff", "agencies/gendarmerie",
			"agencies/metro-police", "incidents/metro-launch-2019", "incidents/paris-protest-2020"}, true},
		{"OR within country", "country=US,FR&vendor=skyeye", []string{"agencies/county-sheriff", "agencies/gendarmerie",
			"agencies/metro-police", "incidents/metro-launch-2019", "incidents/paris-protest-2020", "laws/china-drone-ban"}, true},
		{"OR within status", "type=agency&country=US&status=flying-restricted,unknown", []string{"agencies/county-sheriff", "agencies/metro-police"}, true},
		{"filters that exclude each other", "type=vendor&status=grounded", nil, true},
		{"words and a filter", "q=drones&country=FR", []string{"incidents/paris-protest-2020"}, true},
		{"words and a vendor", "q=march&vendor=skyeye", []string{"incidents/metro-launch-2019", "incidents/paris-protest-2020"}, false},
		// Places: the name of an entry's country and region, as the site
		// shows them, finds it, analysed as any text is.
		{"a country's name", "q=france", concat(french, []string{"laws/advisory-note"}), false},
		{"a country's name, in capitals", "q=FRANCE", concat(french, []string{"laws/advisory-note"}), false},
		{"a country's name, as a place or in text", "q=china", []string{"laws/china-drone-ban", "vendors/skyeye"}, false},
		{"a country's name of two words", "q=united+states", allUS, false},
		{"a region's name", "q=florida", []string{"agencies/county-sheriff"}, true},
		{"a region's name of two words", "q=new+york", []string{"agencies/metro-police", "incidents/metro-launch-2019"}, false},
		{"a region's name as a phrase", `q="new+york"`, []string{"agencies/metro-police", "incidents/metro-launch-2019"}, false},
		{"a place's words out of order", `q="york+new"`, nil, true},
		{"a region and its country", "q=california+united+states", []string{"agencies/state-patrol"}, true},
		{"a place's prefix", "q=flori*", []string{"agencies/county-sheriff"}, true},
		{"a place with a typo", "q=florda~1", []string{"agencies/county-sheriff"}, true},
		{"a place excluded", "q=drones+-france", minus(drones, "incidents/paris-protest-2020"), false},
		{"a place and a type", "q=france&type=vendor", []string{"vendors/aerofrance", "vendors/parrots"}, false},
		// A place's name and a country filter must both hold: here only
		// the law whose text says France.
		{"a place and another country", "q=france&country=US", []string{"laws/advisory-note"}, true},
		{"a place and its country", "q=france&country=FR", french, false},
		// Only common words, with filters: what the filters select, as if
		// no words were typed (without filters: TestQueryErrors).
		{"a stop word with a filter", "q=the&type=agency", allAgencies, true},
		{"stop words with filters", "q=the+of+and&type=agency&country=FR", []string{"agencies/gendarmerie", "agencies/paris-fire"}, true},
		{"a quoted stop word with a filter", `q="the"&restricted=true`, []string{"agencies/gendarmerie", "agencies/metro-police", "vendors/hawkworks", "vendors/skyeye"}, true},
		{"OR alone is the stop word or", "q=OR&type=law", allLaws, true},
		{"a stop word and an exclusion", "q=the+-drones&type=agency", minus(allAgencies, drones...), true},
		// OR (or |): any of the words or phrases on either side.
		{"OR", "q=zeppelin+OR+parrot", []string{"incidents/hostile-2024", "agencies/paris-fire", "vendors/parrots"}, false},
		{"|", "q=zeppelin+|+parrot", []string{"incidents/hostile-2024", "agencies/paris-fire", "vendors/parrots"}, false},
		{"| without spaces", "q=zeppelin|parrot", []string{"incidents/hostile-2024", "agencies/paris-fire", "vendors/parrots"}, false},
		{"OR binds tighter than AND", "q=quadcopters+parrot+OR+camera", []string{"vendors/parrots", "vendors/skyeye"}, false},
		{"OR of three, a phrase among them", `q=zeppelin+OR+parrot+OR+"facial+recognition"`,
			[]string{"incidents/hostile-2024", "agencies/paris-fire", "vendors/parrots", "incidents/paris-protest-2020"}, false},
		{"OR and an exclusion", "q=zeppelin+OR+parrot+-hobbyists", []string{"incidents/hostile-2024", "agencies/paris-fire"}, false},
		{"or in lower case is a stop word", "q=zeppelin+or+parrot", nil, true},
		{"a dangling OR is ignored", "q=zeppelin+OR", []string{"incidents/hostile-2024"}, true},
		{"OR with a stop word on one side", "q=the+OR+zeppelin", []string{"incidents/hostile-2024"}, true},
		{"OR with a prefix", "q=zepp*+OR+parrot", []string{"incidents/hostile-2024", "agencies/paris-fire", "vendors/parrots"}, false},
		// Vendor and tag filters ignore case.
		{"vendor in capitals", "vendor=HAWKWORKS", []string{"agencies/state-patrol", "incidents/patrol-grounding-2023", "laws/hawk-order", "vendors/hawkworks"}, true},
		{"tag in capitals", "tag=China", []string{"laws/china-drone-ban", "vendors/skyeye"}, true},
		{"quotes around a word", `q="""drones"""`, drones, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, idx, c.params)
			got := hitIDs(res)
			want := c.want
			if !c.ordered {
				got, want = sorted(got), sorted(want)
			}
			if len(got) == 0 && len(want) == 0 {
				got, want = nil, nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s:\n got  %q\n want %q", c.params, got, want)
			}
			if res.Total != uint64(len(c.want)) {
				t.Errorf("%s: total %d, want %d", c.params, res.Total, len(c.want))
			}
		})
	}
}

// TestRelevance checks the orders that relevance does define: a title match
// outranks a mention, and filters never change the order of hits.
func TestRelevance(t *testing.T) {
	idx, _ := testIndex(t)
	if got := hitIDs(run(t, idx, "q=skyeye")); len(got) == 0 || got[0] != "vendors/skyeye" {
		t.Errorf("q=skyeye: the vendor whose title it is should come first, got %q", got)
	}
	if got := hitIDs(run(t, idx, "q=gendarmerie")); len(got) == 0 || got[0] != "agencies/gendarmerie" {
		t.Errorf("q=gendarmerie: the agency whose title it is should come first, got %q", got)
	}
	// Where an entry is finds it, but an entry whose title, summary or
	// body speaks of the place ranks above those merely located there.
	for _, c := range []struct{ params, first, why string }{
		{"q=new+york", "incidents/metro-launch-2019", "its title says New York; metro-police is only there"},
		{"q=china", "laws/china-drone-ban", "its summary says China; skyeye is only there"},
		{"q=france", "laws/advisory-note", "its body says France; the French entries are only there"},
	} {
		if got := hitIDs(run(t, idx, c.params)); len(got) < 2 || got[0] != c.first {
			t.Errorf("%s: %s should come first (%s), got %q", c.params, c.first, c.why, got)
		}
	}
	// A filter is not scored: the hits it keeps are in the order, and have
	// the scores, they had without it.
	all := run(t, idx, "q=drones")
	filtered := run(t, idx, "q=drones&country=US")
	var want []search.Hit
	for _, h := range all.Hits {
		if h.Country == "US" {
			want = append(want, h)
		}
	}
	if len(filtered.Hits) != len(want) || len(want) == 0 {
		t.Fatalf("q=drones&country=US: %d hits, want %d", len(filtered.Hits), len(want))
	}
	for i := range want {
		if filtered.Hits[i].ID != want[i].ID || filtered.Hits[i].Score != want[i].Score {
			t.Errorf("hit %d: %s (%.4f), want %s (%.4f) as without the filter", i, filtered.Hits[i].ID, filtered.Hits[i].Score, want[i].ID, want[i].Score)
		}
	}
	for i := 1; i < len(all.Hits); i++ {
		if all.Hits[i].Score > all.Hits[i-1].Score {
			t.Errorf("relevance order: %s (%.4f) after %s (%.4f)", all.Hits[i].ID, all.Hits[i].Score, all.Hits[i-1].ID, all.Hits[i-1].Score)
		}
	}
}

func TestFacets(t *testing.T) {
	idx, _ := testIndex(t)
	f := func(pairs ...any) []search.Facet {
		out := []search.Facet{}
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, search.Facet{Value: pairs[i].(string), Count: pairs[i+1].(int)})
		}
		return out
	}
	cases := []struct {
		name, params string
		want         map[string][]search.Facet
	}{
		{"everything", "", map[string][]search.Facet{
			"type":    f("agency", 5, "incident", 4, "law", 4, "vendor", 4),
			"country": f("US", 10, "FR", 6, "CN", 1),
			"vendor":  f("skyeye", 7, "hawkworks", 4, "aerofrance", 3, "parrots", 2),
			"status": f("in-force", 3, "clear", 1, "flying-restricted", 1, "flying-restricted-unbound", 1,
				"grounded", 1, "law-proposed", 1, "unknown", 1),
		}},
		{"counts follow the words", "q=drones", map[string][]search.Facet{
			"type":    f("agency", 3, "incident", 2, "law", 1, "vendor", 1),
			"country": f("US", 5, "CN", 1, "FR", 1),
			"vendor":  f("skyeye", 6, "hawkworks", 1),
			"status":  f("flying-restricted", 1, "grounded", 1, "in-force", 1, "unknown", 1),
		}},
		{"counts follow the filters", "restricted=true", map[string][]search.Facet{
			"type":    f("agency", 2, "vendor", 2),
			"country": f("US", 2, "CN", 1, "FR", 1),
			"vendor":  f("skyeye", 3, "hawkworks", 1),
			"status":  f("flying-restricted", 1, "flying-restricted-unbound", 1),
		}},
		{"a filtered facet counts only its filter", "type=agency,law&country=FR", map[string][]search.Facet{
			"type":    f("agency", 2, "law", 1),
			"country": f("FR", 3),
			"vendor":  f("aerofrance", 1, "parrots", 1, "skyeye", 1),
			"status":  f("clear", 1, "flying-restricted-unbound", 1, "law-proposed", 1),
		}},
		// A place's name counts the entries there as any word does, and
		// the one elsewhere whose text says it.
		{"counts follow a place's name", "q=france", map[string][]search.Facet{
			"type":    f("agency", 2, "law", 2, "vendor", 2, "incident", 1),
			"country": f("FR", 6, "US", 1),
			"vendor":  f("aerofrance", 3, "parrots", 2, "skyeye", 2),
			"status":  f("clear", 1, "flying-restricted-unbound", 1, "in-force", 1, "law-proposed", 1),
		}},
		{"no hits, empty facets", "q=submarine", map[string][]search.Facet{
			"type": f(), "country": f(), "vendor": f(), "status": f(),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := run(t, idx, c.params)
			if !reflect.DeepEqual(res.Facets, c.want) {
				t.Errorf("%s: facets\n got  %v\n want %v", c.params, res.Facets, c.want)
			}
			// Facets count every hit, not just the page's.
			sum := 0
			for _, v := range res.Facets["type"] {
				sum += v.Count
			}
			if uint64(sum) != res.Total {
				t.Errorf("%s: type facets add up to %d, total is %d", c.params, sum, res.Total)
			}
		})
	}
	// Facets report every hit, not only the page shown.
	page := run(t, idx, "size=1")
	if len(page.Hits) != 1 || !reflect.DeepEqual(page.Facets, cases[0].want) {
		t.Errorf("size=1: facets %v, want those of all 17 entries", page.Facets)
	}
}

func TestSort(t *testing.T) {
	idx, _ := testIndex(t)
	dated := []string{"incidents/hostile-2024", "laws/fr-biometrics-bill", "incidents/patrol-grounding-2023", "laws/hawk-order",
		"laws/advisory-note", "incidents/paris-protest-2020", "laws/china-drone-ban", "incidents/metro-launch-2019"}
	// Agencies and vendors have no date: last, by ID, whichever way the
	// dates go; a review date (state-patrol's updated, newer than every
	// event) is not one.
	undated := concat(allAgencies, allVendors)
	reversed := func(s []string) []string {
		out := make([]string, len(s))
		for i := range s {
			out[len(s)-1-i] = s[i]
		}
		return out
	}
	cases := []struct {
		name, params string
		want         []string
	}{
		{"date: newest first, undated last", "sort=date&size=100", concat(dated, undated)},
		{"-date: oldest first, undated last", "sort=-date&size=100", concat(reversed(dated), undated)},
		{"sort's name in any case", "sort=-DATE&size=100", concat(reversed(dated), undated)},
		{"title: alphabetical, ignoring case", "sort=title&size=100", []string{
			"incidents/hostile-2024",          // A <script>…
			"vendors/aerofrance",              // AeroFrance
			"laws/advisory-note",              // Aircraft security advisory
			"agencies/county-sheriff",         // County Sheriff's Office
			"incidents/paris-protest-2020",    // Drones over a protest in Paris
			"laws/hawk-order",                 // Executive Order on Hawkworks Aircraft
			"laws/china-drone-ban",            // Foreign Drone Procurement Ban
			"agencies/gendarmerie",            // Gendarmerie nationale
			"vendors/hawkworks",               // Hawkworks
			"agencies/metro-police",           // Metro Police Department
			"incidents/metro-launch-2019",     // Metro police launch a drone unit in New York
			"agencies/paris-fire",             // Paris Fire Brigade
			"vendors/parrots",                 // Parrots Aerial
			"laws/fr-biometrics-bill",         // Proposition de loi…
			"vendors/skyeye",                  // SkyEye Robotics
			"agencies/state-patrol",           // State Highway Patrol
			"incidents/patrol-grounding-2023", // The highway patrol stops flying
		}},
		{"title with a filter", "sort=title&type=agency", []string{"agencies/county-sheriff", "agencies/gendarmerie",
			"agencies/metro-police", "agencies/paris-fire", "agencies/state-patrol"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := hitIDs(run(t, idx, c.params)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s:\n got  %q\n want %q", c.params, got, c.want)
			}
		})
	}
	// With words, only the dated hits' order is defined: newest first, then
	// the undated ones by score.
	got := hitIDs(run(t, idx, "q=drones&sort=date"))
	want := []string{"incidents/paris-protest-2020", "laws/china-drone-ban", "incidents/metro-launch-2019"}
	if len(got) != len(drones) || !reflect.DeepEqual(got[:len(want)], want) {
		t.Errorf("q=drones&sort=date:\n got  %q\n want %q first, then the other drones hits", got, want)
	}
}

func TestPaging(t *testing.T) {
	idx, _ := testIndex(t)
	all := hitIDs(run(t, idx, "size=100"))
	if len(all) != 17 {
		t.Fatalf("size=100: %d hits, want all 17", len(all))
	}
	var pages []string
	for from := 0; from < 20; from += 4 {
		res := run(t, idx, "size=4&from="+strconv.Itoa(from))
		if res.Total != 17 || res.From != from || res.Size != 4 {
			t.Errorf("from=%d: total %d, from %d, size %d; want 17, %d, 4", from, res.Total, res.From, res.Size, from)
		}
		if want := min(4, max(0, 17-from)); len(res.Hits) != want {
			t.Errorf("from=%d: %d hits, want %d", from, len(res.Hits), want)
		}
		pages = append(pages, hitIDs(res)...)
	}
	if !reflect.DeepEqual(pages, all) {
		t.Errorf("pages of 4 put together:\n %q\nwant the single page\n %q", pages, all)
	}
	res := run(t, idx, "q=drones&from=100")
	if res.Total != uint64(len(drones)) || len(res.Hits) != 0 {
		t.Errorf("q=drones&from=100: total %d with %d hits, want total %d and no hits", res.Total, len(res.Hits), len(drones))
	}
	if d := run(t, idx, "type=law"); d.Size != search.DefaultSize || d.From != 0 {
		t.Errorf("default paging: from %d size %d, want 0 and %d", d.From, d.Size, search.DefaultSize)
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// checkSnippet fails unless s is escaped text whose only markup is <mark>.
func checkSnippet(t *testing.T, where, s string) {
	t.Helper()
	for _, tag := range tagRE.FindAllString(s, -1) {
		if tag != "<mark>" && tag != "</mark>" {
			t.Errorf("%s: snippet has markup %q: %s", where, tag, s)
		}
	}
	bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	if strings.ContainsAny(bare, `<>"`) {
		t.Errorf("%s: snippet has unescaped < > or \": %s", where, s)
	}
	if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
		t.Errorf("%s: unbalanced <mark>: %s", where, s)
	}
}

func TestSnippets(t *testing.T) {
	idx, _ := testIndex(t)
	cases := []struct {
		params, id string
		want       string // the whole snippet
	}{
		{"q=zeppelin", "incidents/hostile-2024",
			`Someone pasted &lt;script&gt;alert(&#39;<mark>zeppelin</mark>&#39;)&lt;/script&gt; next to a <mark>zeppelin</mark> &amp; a &#34;blimp&#34;.`},
		// Only the summary matches: its fragment, escaped, not the body's
		// opening words.
		{"q=onerror", "incidents/hostile-2024", `A summary with &lt;img src=x <mark>onerror</mark>=alert(1)&gt; about a zeppelin.`},
		{`q="made in china"`, "laws/china-drone-ban", `Bars every American agency from buying or flying drones <mark>made</mark> in <mark>China</mark>.`},
		{"q=grounding", "laws/hawk-order", `<mark>Grounds</mark> the Hawkworks aircraft of state agencies.`},
		{"q=grounding", "agencies/county-sheriff", `The <mark>grounding</mark> of the sheriff&#39;s quadcopters was debated for months.`},
		{"q=quadcop*", "vendors/parrots", `Parrots Aerial makes small <mark>quadcopters</mark> for hobbyists.`},
		{"q=zepelin~1", "incidents/hostile-2024",
			`Someone pasted &lt;script&gt;alert(&#39;<mark>zeppelin</mark>&#39;)&lt;/script&gt; next to a <mark>zeppelin</mark> &amp; a &#34;blimp&#34;.`},
		// A title-only match shows the summary, escaped, unmarked.
		{"q=brigade", "agencies/paris-fire", `Firefighters who fly French aircraft.`},
		// A match of the place alone shows the summary; a match in the
		// body, the body's words.
		{"q=france", "agencies/gendarmerie", `The French national gendarmerie.`},
		{"q=france", "laws/advisory-note", `A warning only, about aircraft from <mark>France</mark>; it restricts nothing.`},
		// Filter-only: the summary.
		{"type=incident&q=", "incidents/hostile-2024", `A summary with &lt;img src=x onerror=alert(1)&gt; about a zeppelin.`},
	}
	for _, c := range cases {
		res := run(t, idx, c.params)
		found := false
		for _, h := range res.Hits {
			checkSnippet(t, c.params+" "+h.ID, h.Snippet)
			if h.ID == c.id {
				found = true
				if h.Snippet != c.want {
					t.Errorf("%s %s: snippet\n got  %s\n want %s", c.params, h.ID, h.Snippet, c.want)
				}
				// The same words as plain text: no marks, no entities.
				if text := strings.NewReplacer("<mark>", "", "</mark>", "", "&lt;", "<", "&gt;", ">", "&#39;", "'", "&#34;", `"`, "&amp;", "&").Replace(c.want); h.SnippetText != text {
					t.Errorf("%s %s: snippet_text\n got  %s\n want %s", c.params, h.ID, h.SnippetText, text)
				}
			}
		}
		if !found {
			t.Errorf("%s: no hit %s", c.params, c.id)
		}
	}
	// The title is text, not HTML: the page escapes it. JSON keeps it
	// exactly and encodes < and > so that it cannot close a <script>.
	res := run(t, idx, "q=zeppelin")
	if want := `A <script>alert("title")</script> & "quoted" title`; res.Hits[0].Title != want {
		t.Errorf("title %q, want %q", res.Hits[0].Title, want)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "<script") || strings.Contains(string(data), "<img") {
		t.Errorf("JSON carries raw markup: %s", data)
	}
	// Every hit of a broad query has a safe snippet.
	for _, q := range []string{"q=a*", "q=the", "q=aircraft", "q=drones", "size=100"} {
		v, _ := url.ParseQuery(q)
		req, err := search.ParseParams(v)
		if err != nil {
			continue
		}
		res, err := idx.Search(context.Background(), req)
		if err != nil {
			continue
		}
		for _, h := range res.Hits {
			checkSnippet(t, q+" "+h.ID, h.Snippet)
		}
	}
}

// TestQueryErrors: what a user must change is a *QueryError whose message
// says what to do; nothing is run.
func TestQueryErrors(t *testing.T) {
	idx, _ := testIndex(t)
	cases := []struct{ params, says string }{
		{"q=/dro.*/", "regular expressions"},
		// Other engines' habits, which matched nothing or the opposite.
		{"q=title:police", "field names (title:police) are not supported"},
		{"q=Country:FR+drones", "field names (Country:FR)"},
		{"q=police%5E2", "boosts (police^2) are not supported"},
		{"q=police+NOT+drone", "put - before a word to leave it out"},
		{"q=title:%22police+department%22", "field names (title:) are not supported"},
		// Any name of letters before a colon is another engine's field,
		// ours or not.
		{"q=date:2020", "field names (date:2020) are not supported: search the words alone, and narrow with the filters (type, country, vendor, restricted, since and until for dates)"},
		{"q=date:%3E2020", "field names (date:>2020) are not supported"},
		{"q=drones+foo:bar", "field names (foo:bar) are not supported"},
		{"q=-%C3%A9tat:actif", "field names (état:actif) are not supported"},
		{"q=foo:%22police+department%22", "field names (foo:) are not supported"},
		{"q=%22police+department%22%5E2", "boosts (^2) are not supported"},
		{"q=*drone", "leading wildcards"},
		{"q=dr?ne", "? wildcard"},
		{"q=drone~2", "fuzziness above 1"},
		{"q=drone~1.5", "fuzziness above 1"},
		{"q=drone~x", "write ~1"},
		{"q=drone~-1", "write ~1"},
		{"q=drone~NaN", "write ~1"},
		{"q=drone~0.5", "write ~1"},
		{"q=drone~1.0", "write ~1"},
		{"q=a*", "at least 2 letters"},
		{"q=dro*ne", "may only end a word"},
		{"q=dro*~1", "both a prefix"},
		{"q=" + strings.Repeat("drone+", 100), "keep it under 500"},
		{"q=" + strings.Repeat("w+", 33), "at most 32"},
		{"q=%ff", "not valid UTF-8"},
		{"q=drone%00", "control character"},
		{"q=!!!", "no letters or digits"},
		{`q=""""""`, "no letters or digits"},
		{"q=a&q=b", "give q once"},
		{"size=10&size=20", "give size once"},
		{"from=0&from=10", "give from once"},
		{"sort=date&sort=title", "give sort once"},
		{"restricted=true&restricted=false", "give restricted once"},
		{"since=2020&since=2021", "give since once"},
		{"since=2020-13", `since must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not "2020-13"`},
		{"until=2023-02-29", `until must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not "2023-02-29"`},
		{"since=yesterday", `since must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not "yesterday"`},
		{"since=20", `since must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not "20"`},
		{"since=0000", `since must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not "0000"`},
		{"since=2021&until=2020-12", "until (2020-12) is before since (2021)"},
		{"from=-1", "from must be between 0 and 990 with size 10 (from+size at most 1000), not -1"},
		{"from=1001", "from must be between 0 and 990 with size 10"},
		{"from=991", "from must be between 0 and 990 with size 10"},
		{"from=9223372036854775800", "from must be between 0 and 990 with size 10"},
		{"from=901&size=100", "from must be between 0 and 900 with size 100"},
		{"from=abc", "from must be a whole number"},
		{"from=1e9", "from must be a whole number"},
		{"size=0", "size must be between 1 and 100"},
		{"size=101", "size must be between 1 and 100"},
		{"size=-5", "size must be between 1 and 100"},
		{"size=99999999999999999999", "size must be between 1 and 100, not 99999999999999999999"},
		// Too large for an int is out of range, not "no whole number".
		{"from=99999999999999999999", "from must be between 0 and 990 with size 10 (from+size at most 1000), not 99999999999999999999"},
		{"from=-99999999999999999999&size=20", "from must be between 0 and 980 with size 20"},
		{"sort=random", "sort must be one of"},
		{"type=drone", "type must be one of"},
		{"status=flying", "status must be one of"},
		{"country=FRA", "two-letter ISO code"},
		{"country=F1", "two-letter ISO code"},
		{"vendor=Sky+Eye", "not a slug"},
		{"tag=%3Cb%3E", "not a slug"},
		{"restricted=maybe", "restricted must be true or false"},
		{"limit=5", `unknown parameter "limit"`},
		{"type=" + strings.Repeat("law,", 65), "too many filter values"},
		{"q=the", "too common to search for"},
		{"q=the+of+and", "too common to search for"},
		{`q="the"`, "too common to search for"},
		{"q=OR", "too common to search for"},
		{"q=zeppelin+OR+-parrot", "cannot be a side of OR"},
		{"q=-zeppelin|parrot", "cannot be a side of OR"},
		{"q=drones+OR+-%22made+in+china%22", `(-"made in china") cannot be a side of OR; exclude it outside the OR: a OR b -"made in china"`},
	}
	for _, c := range cases {
		v, err := url.ParseQuery(c.params)
		if err != nil {
			t.Fatalf("%s: %v", c.params, err)
		}
		req, err := search.ParseParams(v)
		if err == nil {
			_, err = idx.Search(context.Background(), req)
		}
		var qe *search.QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%.60s: error %v (%T), want a *QueryError", c.params, err, err)
			continue
		}
		if !strings.Contains(qe.Msg, c.says) {
			t.Errorf("%.60s: %q does not say %q", c.params, qe.Msg, c.says)
		}
	}
	// A Request built in Go goes through the same checks.
	if _, err := idx.Search(context.Background(), search.Request{Q: "*drone"}); err == nil {
		t.Error("Search ran a leading wildcard")
	}
	if _, err := idx.Search(context.Background(), search.Request{Size: 1000}); err == nil {
		t.Error("Search ran size 1000")
	}
}

// TestClosed: a closed index refuses searches with ErrClosed instead of
// touching bleve's closed readers.
func TestClosed(t *testing.T) {
	idx, _ := testIndex(t)
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := idx.Search(context.Background(), search.Request{Q: "drones"}); !errors.Is(err, search.ErrClosed) {
		t.Fatalf("Search after Close: %v, want ErrClosed", err)
	}
	if err := idx.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestStatusLabels: every status a hit can have has words for readers,
// each its own.
func TestStatusLabels(t *testing.T) {
	seen := map[string]string{}
	for _, st := range search.KnownStatuses {
		l := search.StatusLabel(st)
		if l == "" {
			t.Errorf("status %q has no label", st)
		}
		if other, dup := seen[l]; dup {
			t.Errorf("statuses %q and %q are both %q", other, st, l)
		}
		seen[l] = st
	}
	if search.StatusLabel("") != "" {
		t.Error("no status has a label")
	}
}

// TestPrefixAlternatives: a prefix matches the folded letters typed and
// the stems that cut them short as prefixes, and a stem whose letters
// stemming changed as a whole term, once: "fly" stems to "fli", which as
// a prefix matched "flights"; "stating" stems to "state", which its kept
// prefix "stat" matches already.
func TestPrefixAlternatives(t *testing.T) {
	for _, c := range []struct {
		q            string
		terms, exact []string
	}{
		{"fly*", []string{"fly"}, []string{"fli"}},
		{"surveillance*", []string{"surveillance", "surveil"}, nil},
		{"policy*", []string{"policy"}, []string{"polici"}},
		{"stating*", []string{"stating", "stat"}, nil},
		{"dro*", []string{"dro"}, nil},
	} {
		q, err := search.ParseQuery(c.q)
		if err != nil || len(q.Clauses) != 1 {
			t.Fatalf("%s: %+v, %v", c.q, q, err)
		}
		cl := q.Clauses[0]
		if !reflect.DeepEqual(cl.Terms, c.terms) || !reflect.DeepEqual(cl.Exact, c.exact) {
			t.Errorf("%s: prefixes %q, whole terms %q; want %q, %q", c.q, cl.Terms, cl.Exact, c.terms, c.exact)
		}
	}
}

// TestLawStatusOnTheDate: a law's status filter says where it stands on the
// index's date, as the list of laws groups it: a shipped order that was
// enacted and expired in 2022 is expired, not "enacted, not yet in force"
// (found in review: status=law-expired missed it).
func TestLawStatusOnTheDate(t *testing.T) {
	idx := shippedIndex(t)
	statusOf := func(id string) string {
		t.Helper()
		res, err := idx.Search(context.Background(), search.Request{Types: []string{"law"}, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.ID == id {
				return h.Status
			}
		}
		t.Fatalf("%s is not among the %d laws", id, res.Total)
		return ""
	}
	for id, want := range map[string]string{
		"laws/doi-so-3379":                 "law-expired", // enacted 2020, expires 2022-10
		"laws/american-security-drone-act": "in-force",
		"laws/ny-pop-act":                  "law-proposed",
	} {
		if got := statusOf(id); got != want {
			t.Errorf("%s: status %q, want %q", id, got, want)
		}
	}
	res, err := idx.Search(context.Background(), search.Request{Statuses: []string{"law-enacted"}, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == "laws/doi-so-3379" {
			t.Errorf("status=law-enacted finds %s, which expired in 2022", h.ID)
		}
	}
}
