package searchweb_test

import (
	"context"
	"encoding/csv"
	"errors"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/browser"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// bleveIDs runs a request against the bleve index and returns every
// matching ID, sorted, and the facets of an unfiltered search; or the
// QueryError.
func bleveIDs(t *testing.T, idx *search.Index, params string) (ids []string, total int, facets map[string][]search.Facet, qerr string) {
	t.Helper()
	v, err := url.ParseQuery(params)
	if err != nil {
		t.Fatal(err)
	}
	req, err := search.ParseParams(v)
	var qe *search.QueryError
	if errors.As(err, &qe) {
		return nil, 0, nil, qe.Msg
	}
	if err != nil {
		t.Fatal(err)
	}
	req.Size = search.MaxSize
	for req.From = 0; ; req.From += req.Size {
		res, err := idx.Search(context.Background(), req)
		if errors.As(err, &qe) {
			return nil, 0, nil, qe.Msg
		}
		if err != nil {
			t.Fatalf("%s: %v", params, err)
		}
		if req.From == 0 {
			total, facets = int(res.Total), res.Facets
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < req.Size {
			break
		}
	}
	sort.Strings(ids)
	return ids, total, facets, ""
}

type staticResult struct {
	Total  int                       `json:"total"`
	IDs    []string                  `json:"ids"`
	Facets map[string][]search.Facet `json:"facets"`
	Error  string                    `json:"error"`
	Query  bool                      `json:"query"`
}

// compare runs each query both ways and reports every difference: the
// IDs found, the totals, the facet counts (for queries without filters,
// where the page counts facets as the API does), and refusals.
func compare(t *testing.T, p *browser.Page, idx *search.Index, queries []string) {
	t.Helper()
	var found, empty, refused int
	defer func() {
		t.Logf("%d queries: %d find entries, %d find none, %d are refused both ways", len(queries), found, empty, refused)
		// The comparison means something only if most queries find entries.
		if found < len(queries)/2 {
			t.Errorf("only %d of %d queries find anything", found, len(queries))
		}
	}()
	for _, q := range queries {
		want, total, facets, werr := bleveIDs(t, idx, q)
		var got staticResult
		eval(t, p, "dronekbSearch.staticIDs("+jsString(q)+")", &got)
		sort.Strings(got.IDs)
		switch {
		case werr != "" || got.Error != "":
			if werr == "" || !got.Query {
				t.Errorf("%s: bleve refuses %q, static %q", q, werr, got.Error)
			} else if werr != got.Error {
				t.Errorf("%s: refused both ways, but bleve says %q and static %q", q, werr, got.Error)
			}
			refused++
			continue
		case !slices.Equal(want, got.IDs) || total != got.Total:
			t.Errorf("%s:\n bleve  %d %q\n static %d %q", q, total, want, got.Total, got.IDs)
			continue
		}
		if total > 0 {
			found++
		} else {
			empty++
		}
		v, _ := url.ParseQuery(q)
		if _, ok := v["q"]; ok && len(v) == 1 || len(v) == 0 { // no filters: facets count the same hits
			for _, f := range []string{"type", "country", "vendor", "status"} {
				if !slices.Equal(facets[f], got.Facets[f]) && !(len(facets[f]) == 0 && len(got.Facets[f]) == 0) {
					t.Errorf("%s: facet %s: bleve %v, static %v", q, f, facets[f], got.Facets[f])
				}
			}
		}
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}

// tinyQueries exercise every query class on tinyKB.
var tinyQueries = []string{
	"q=drone", "q=drones", "q=Drones", "q=protests", "q=protest", "q=protesting", "q=protesters",
	"q=grounded", "q=grounding", "q=police+department", "q=police+drones+protests", "q=acme", "q=acme's", "q=Acme’s",
	"q=%C3%A9tat", "q=%C3%89TAT", "q=etat", "q=pr%C3%A9fecture", "q=nypd", "q=dsa", "q=DSA", "q=china",
	"q=dro*", "q=pol*", "q=pro*", "q=%C3%A9t*", "q=zz*", "q=+police+-protest", "q=-drones", "q=-drones+-police",
	"q=grounded*", "q=protests*", "q=department*", "q=fly*", "q=flies*", "q=flying*", "q=fli*", "q=policy*", "q=surveillance*", "q=stating*", "q=grounding*",
	"q=%22made+in+china%22", "q=%22police+department%22", "q=%22department+police%22", "q=%22police+flew+drones%22",
	"q=%22over+a+protest%22", "q=-%22made+in+china%22+drones", "q=fixed-wing", "q=quadcopters",
	"q=dorne~1", "q=polise~", "q=acne~1", "q=drone~0",
	"q=the", "q=the+of", "q=%22%22", "q=", "q=+", "q=-", "q=%EF%BB%BF", "q=%E2%80%83", "q=%C2%A0the", "q=%F0%9F%9A%81", "q=!!!",
	"q=drones&type=agency", "q=drones&type=agency,law", "q=drones&country=FR", "q=drones&country=us",
	"q=drones&vendor=acme", "q=drones&vendor=skyco&type=agency", "q=drones&restricted=true", "q=drones&status=in-force",
	"type=agency", "type=vendors", "country=US&type=incident", "vendor=acme", "restricted=true", "status=grounded",
	"status=flying-restricted,grounded", "type=agency&restricted=true&country=US",
	// OR, common words, case in vendor and tag filters, tags.
	"q=nypd+OR+acme", "q=nypd+|+acme", "q=nypd|acme", "q=drones+nypd+OR+acme", "q=OR+drones", "q=drones+OR", "q=OR",
	"q=%22made+in+china%22+OR+protests", "q=dro*+OR+nypd", "q=dorne~1+OR+acme", "q=nypd+OR+acme+OR+%C3%A9tat",
	"q=nypd+-drones+OR+acme", "q=drones+-%22made+in+china%22+OR", "q=the&type=agency", "q=the+of&country=US",
	"q=%22the%22&restricted=true", "q=or&vendor=acme", "q=the+-drones&type=agency", "vendor=ACME", "q=drones&vendor=Acme",
	"tag=china", "tag=China,police", "q=drones&tag=police", "tag=nothing",
	// French: elisions, accents, French stop words, and words only French
	// counts as common.
	"q=%22conseil+d+etat%22", "q=%22CONSEIL+D+%C3%89TAT%22", "q=%22le+conseil+d++%C3%A9tat+suspended%22", "q=%22l+d+etat%22", "q=%22qu+il%22", "q=%22d%22", "q=%22conseil+d%22", "q=%22d+2020%22",
	"q=l%27%C3%A9tat", "q=d%27etat", "q=PR%C3%89FECTURE", "q=prefecture+de+police", "q=la", "q=de+la", "q=la+police",
	"q=%22pr%C3%A9fecture+de+police%22", "q=%C2%AB+pr%C3%A9fecture+de+police+%C2%BB", "q=%22%C2%AB+pr%C3%A9fecture+de+police+%C2%BB%22", "q=%22%C2%AB%22", "q=drones+OR+-%22made+in+china%22", "q=%C2%ABpr%C3%A9fecture+de+police%C2%BB",
	"q=%E2%80%9Cmade+in+china%E2%80%9D", "q=%E2%80%9Emade+in+china%E2%80%9C", "q=-%C2%ABmade+in+china%C2%BB+drones", "q=s%C3%A9curit%C3%A9", "q=securite*", "q=pr%C3%A9f*",
	// Accents typed as combining marks (decomposed), and a soft hyphen.
	"q=pre%CC%81fecture", "q=E%CC%81TAT", "q=pre%CC%81f*", "q=p%CC%81*", "q=%22pre%CC%81fecture+de+police%22", "q=pr%C2%ADefecture", "q=%CC%81", "q=%C2%AD",
	// Places: the names of a country and a region (Île-de-France: an
	// accent, and "de", which French counts as common) are words of the
	// entries there.
	"q=france", "q=FRANCE", "q=china", "q=united+states", "q=states", "q=new+york", "q=%22new+york%22", "q=%22york+new%22",
	"q=%C3%8Ele-de-France", "q=ile-de-france", "q=%22ile+de+france%22", "q=ile+de+france", "q=%C3%AEle", "q=fran*", "q=frence~1",
	"q=-france", "q=drones+-china", "q=france&country=US", "q=france&country=FR", "q=china&type=vendor", "q=police+france",
	"q=new+york+OR+france", "q=united+states&country=CN",
	// Sorting.
	"q=drones&sort=date", "sort=title", "sort=-date&type=incident", "q=drones&sort=relevance",
	// Dates: since and until, a year, a month or a day, with words and
	// other filters, and an order.
	"since=2020&until=2021", "since=2020", "until=2019-12", "since=2020-06-02&until=2020-06-02", "since=2020-06&until=2020-06", "since=2020-01-02&until=2020-06-01", "since=2020-01-01&until=2020-01-01", "q=drones&since=2020",
	"since=2019&sort=title", "since=2019&sort=-date", "since=1000&until=9999", "since=2019&type=incident&country=FR", "q=the&since=2019", "until=2020&vendor=acme",
	"since=+2020+", "since=2024-02-29", "since=2100",
	// Names in any case, and yes and no as URLs write them.
	"sort=Date", "sort=-DATE&type=incident", "status=GROUNDED", "status=In-Force&type=law", "restricted=yes", "restricted=ON&type=agency", "restricted=No",
	// Filter values no entry has.
	"country=DE", "q=drones&country=DE", "status=law-failed", "vendor=nobody", "type=vendor&status=in-force", "country=DE,FR",
	// Refused, both ways.
	"q=%2Fdr.*%2F", "q=*rone", "q=drone~2", "q=dr%3Fne", "q=d*ne", "q=drone~x", "q=dro*~1", "q=d*", "type=plane", "country=FRA",
	"vendor=Ac+me", "status=flying", "size=101", "from=1001", "from=991", "from=901&size=100", "from=990", "from=900&size=100", "size=0", "size=x", "from=-1", "q=a%01b", "q=a&q=b", "size=10&size=20", "sort=date&sort=title", "restricted=true&restricted=1", "color=red",
	"restricted=maybe", "sort=random", "status=law", "since=2020-13", "until=2023-02-29", "since=yesterday", "since=2021&until=2020-12", "since=2020&since=2021", "since=0000", "since=20", "until=2020-1-1", "q=nypd+OR+-acme", "q=-nypd|acme", "tag=a_b", "q=drones~1.5", "q=drones~0.5", "q=drones~-0.5", "q=drones~-2", "q=drones~NaN", "q=drones~1e400", "q=drones~0x1p0",
}

// TestStaticMatchesBleveTiny compares the static index (searched by
// search.js in Chromium, from the files a plain static host serves) with
// the bleve index, on a small knowledge base.
func TestStaticMatchesBleveTiny(t *testing.T) {
	sharedBrowser(t)
	b := buildArchive(t, tinyKB, "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	compare(t, p, b.openIndex(t), append(tinyQueries, "q="+strings.Repeat("x", 501)))
}

// TestStaticMatchesBleveShipped does the same on the shipped content, under
// a base path.
func TestStaticMatchesBleveShipped(t *testing.T) {
	sharedBrowser(t)
	b := shippedBuilt(t, "https://example.org/dronekb/")
	p := openSearch(t, b.staticHost(t)+"/dronekb/search/")
	queries := []string{
		"q=dji", "q=DJI", "q=drones", "q=drone", "q=police", "q=policing", "q=grounded", "q=grounding", "q=ground",
		"q=restricted", "q=restrictions", "q=%22facial+recognition%22", "q=france", "q=paris", "q=surveillance",
		"q=protests", "q=protest", "q=fleet", "q=ndaa", "q=autel", "q=procurement+ban", "q=interior+department",
		"q=%22made+in+china%22", "q=%22department+of+the+interior%22", "q=dro*", "q=chin*", "q=pr%C3%A9fec*", "q=+dji+-police",
		"q=surveillance*", "q=grounded*", "q=policy*", "q=restrictions*",
		"q=%C3%A9tat", "q=pr%C3%A9fecture", "q=%22conseil+d%27%C3%A9tat%22", "q=drone~1", "q=dji%E2%80%99s", "q=u.s.",
		"q=covid-19", "q=2020", "q=fy2020", "q=sec.+848", "q=1,000", "q=-drones", "q=the",
		"q=drones&type=agency", "q=drones&country=FR", "q=dji&type=agency,law", "q=police&vendor=dji",
		"type=agency&restricted=true", "type=agency", "country=FR", "vendor=autel-robotics", "status=in-force",
		"status=flying-restricted,flying-restricted-unbound", "restricted=true", "type=law&country=US&status=in-force",
		"q=conseil+d%27etat", "q=%C3%89tat", "q=etat", "q=s%C3%A9curit%C3%A9+globale", "q=securite+globale",
		"q=int%C3%A9rieur", "q=interieur", "q=ministere", "q=minist%C3%A8re+de+l%27int%C3%A9rieur", "q=NYPD+OR+LAPD",
		"q=NYPD|LAPD", "q=the&type=agency", "q=pr%C3%A9fecture+du+rh%C3%B4ne", "q=armee+de+l%27air", "q=drone&country=FR",
		"q=%22conseil+d%27etat%22", "q=%22s%C3%A9curit%C3%A9+int%C3%A9rieure%22", "tag=france", "vendor=DJI&type=agency",
		"q=dji&sort=date", "type=law&sort=title",
		"since=2020&until=2021", "since=2024&type=law&sort=-date", "since=3000", "until=1000", "q=dji&since=9999-12-31", "q=drones&until=2019", "since=2021-07&until=2021-07", "since=2025&country=FR",
		"q=title:police", "q=Country:FR+drones", "q=police%5E2", "q=police+NOT+drone", "q=uas:drone", "q=%22uas:drone%22",
		"q=title:%22police+department%22", "q=%22police+department%22%5E2", "q=T%C4%B0TLE:police", "q=drones%5E",
		"q=date:2020", "q=date:%3E2020", "q=foo:bar", "q=%C3%A9tat:actif", "q=foo:%22police+department%22", "q=police+10:30",
		"q=https://www.nyc.gov/site/nypd/", "q=mailto:press@example.org", "q=drones:+police", "q=drones:)",
		"q=tel:%2B33142760000", "q=doi:10.1109/abc", "q=urn:isbn:9780000000000", "q=%E8%AD%A6%E5%AF%9F:%E6%97%A0%E4%BA%BA%E6%9C%BA", "q=Matrice:300+drones",
	}
	compare(t, p, b.openIndex(t), queries)

	// Built for an address, the page's download gives each hit's url as
	// its address there, as the site's downloads do, not its path.
	var got struct {
		CSV   string `json:"csv"`
		Error string `json:"error"`
	}
	eval(t, p, `dronekbSearch.staticCSV("q=dji")`, &got)
	rows, err := csv.NewReader(strings.NewReader(got.CSV)).ReadAll()
	if got.Error != "" || err != nil || len(rows) < 2 {
		t.Fatalf("q=dji: the static search's CSV: %s %v\n%s", got.Error, err, got.CSV)
	}
	col := slices.Index(rows[0], "url")
	for _, r := range rows[1:] {
		if !strings.HasPrefix(r[col], "https://example.org/dronekb/"+r[0]+"/") {
			t.Errorf("q=dji: %s's url is %q; want its address on https://example.org/dronekb/", r[0], r[col])
		}
	}
}

// TestStaticMatchesBleveGenerated does the same on a generated knowledge
// base, whose vocabulary has many numbers and near-identical words: prefixes
// that expand to many terms, facets with many values.
func TestStaticMatchesBleveGenerated(t *testing.T) {
	sharedBrowser(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := sitetest.Generate(content, 600); err != nil {
		t.Fatal(err)
	}
	b := buildContent(t, content, "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	compare(t, p, b.openIndex(t), []string{
		"q=drone", "q=drones+police", "q=surveillance+footage", "q=%22police+department%22", "q=%22inspector+general%22",
		"q=houston", "q=agency+12", "q=12", "q=ag*", "q=10*", "q=1*", "q=ve*", "q=%22vendor+3%22", "q=protest+-crowd",
		"q=+warrant+-court", "q=procurement&type=law", "q=drones&country=FR,DE", "q=fleet&vendor=vendor-0001,vendor-0002",
		"type=agency&restricted=true", "status=grounded&country=GB", "q=waiver~1", "q=dron~1", "q=audit+ruling+lawsuit",
		"q=model+b-125", "q=ag12", "q=example.org", "q=news3.example.org",
	})
}
