package sitetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/dronekb/dronekb/internal/iso3166"
)

// Generate writes a knowledge base of n entries under dir (which it
// creates), with the seed n: see GenerateSeed.
func Generate(dir string, n int) error { return GenerateSeed(dir, n, uint64(n)) }

// GenerateSeed writes a realistic knowledge base of n entries under dir
// (which it creates); the same n and seed always give the same files, and
// they pass dronekb check.
//
// Its shape follows the real world rather than growing denser with n:
// agencies (40%) are spread over the 1,588 regions of 40 countries; laws
// (10%) are at most 25 national laws a country and 6 regional laws a
// region — a few restricting Chinese or named vendors' hardware, some
// phased in with an exemption, some lapsed — and the rest are agencies'
// own policies; so an agency lives under a bounded number of laws however
// large the knowledge base, as it does in reality. Vendors are 5%,
// incidents 45%. Fleets have one to three items with histories; every
// entry has sources, related entries, tags, and a body of about 2 kB with
// headings, paragraphs, lists, a table now and then, links to other
// entries and [n] citations — about 3.6 kB a file. One agency in 13 has no
// fleet on record.
func GenerateSeed(dir string, n int, seed uint64) error {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 2018))}
	g.nv = max(4, n*5/100)
	g.nl = max(4, n*10/100)
	g.na = max(4, n*40/100)
	g.ni = max(4, n-g.nv-g.nl-g.na)
	g.plan()
	for _, sec := range []string{"agencies", "vendors", "laws", "incidents"} {
		if err := os.MkdirAll(filepath.Join(dir, sec), 0o755); err != nil {
			return err
		}
	}
	write := func(sec, slug, text string) error {
		return os.WriteFile(filepath.Join(dir, sec, slug+".md"), []byte(text), 0o644)
	}
	for i := 0; i < g.nv; i++ {
		if err := write("vendors", g.vendorSlug(i), g.vendor(i)); err != nil {
			return err
		}
	}
	for i := 0; i < g.nl; i++ {
		if err := write("laws", g.lawSlug(i), g.law(i)); err != nil {
			return err
		}
	}
	for i := 0; i < g.na; i++ {
		if err := write("agencies", g.agencySlug(i), g.agency(i)); err != nil {
			return err
		}
	}
	for i := 0; i < g.ni; i++ {
		if err := write("incidents", g.incidentSlug(i), g.incident(i)); err != nil {
			return err
		}
	}
	return nil
}

// genCountries are the countries the generated knowledge base covers, the
// two the project follows first.
var genCountries = []string{"US", "FR", "DE", "GB", "IT", "ES", "CA", "AU", "BR", "MX", "JP", "IN", "PL", "NL", "BE",
	"CH", "AT", "SE", "NO", "PT", "IE", "GR", "CZ", "RO", "HU", "DK", "FI", "NZ", "ZA", "AR", "CL", "CO", "KR", "TR",
	"UA", "IL", "CN", "RU", "NG", "KE"}

// Bounds on laws per jurisdiction: roughly what a country or a state has.
const (
	nationalLawsPerCountry = 25
	regionalLawsPerRegion  = 6
)

var vendorCountries = []string{"CN", "CN", "US", "FR", "DE", "CN", "IL", "US"}

type gen struct {
	rng            *rand.Rand
	nv, nl, na, ni int
	regions        []place // every region of genCountries, in order
	// laws[i] says where law i applies: a country, a region, or an agency.
	laws []lawPlace
}

type place struct{ country, region, name string }

type lawPlace struct {
	country, region string
	agency          int // ≥ 0 for an agency's own policy
	k               int // its number within its jurisdiction
	j               int // its jurisdiction's number: the country's, or the region's
}

// plan places the regions and decides each law's jurisdiction: national
// laws first, up to the bound for each country, then regional ones, then
// agencies' own policies.
func (g *gen) plan() {
	for _, c := range genCountries {
		for _, r := range iso3166.RegionsOf(c) {
			name := r
			if sub, ok := iso3166.Region(r); ok {
				name = sub.Name
			}
			g.regions = append(g.regions, place{country: c, region: r, name: name})
		}
	}
	national := min(g.nl/3, nationalLawsPerCountry*len(genCountries))
	regional := min(g.nl-national, regionalLawsPerRegion*len(g.regions))
	for i := 0; i < g.nl; i++ {
		switch {
		case i < national:
			g.laws = append(g.laws, lawPlace{country: genCountries[i%len(genCountries)], agency: -1, k: i / len(genCountries), j: i % len(genCountries)})
		case i < national+regional:
			j := i - national
			r := g.regions[j%len(g.regions)]
			g.laws = append(g.laws, lawPlace{country: r.country, region: r.region, agency: -1, k: j / len(g.regions), j: j % len(g.regions)})
		default:
			a := (i - national - regional) % g.na
			g.laws = append(g.laws, lawPlace{country: g.agencyPlace(a).country, region: g.agencyPlace(a).region, agency: a})
		}
	}
}

// agencyPlace is where agency i is: national agencies (one in ten) have no
// region; the others go round the regions.
func (g *gen) agencyPlace(i int) place {
	if i%10 == 0 {
		c := genCountries[(i/10)%len(genCountries)]
		name, _ := iso3166.Country(c)
		return place{country: c, name: name}
	}
	return g.regions[i%len(g.regions)]
}

func (g *gen) vendorSlug(i int) string   { return fmt.Sprintf("vendor-%04d", i) }
func (g *gen) lawSlug(i int) string      { return fmt.Sprintf("law-%05d", i) }
func (g *gen) agencySlug(i int) string   { return fmt.Sprintf("agency-%05d", i) }
func (g *gen) incidentSlug(i int) string { return fmt.Sprintf("incident-%05d", i) }

var words = strings.Fields(`drone drones police department fleet aircraft camera thermal
	surveillance procurement contract council hearing report records request grant federal state
	city county officers pilots programme policy ban restriction vendor manufacturer data security
	flight flights operation protest crowd search rescue emergency firefighters inspection budget
	audit oversight committee privacy warrant footage retention agency ministry prefecture decree
	statute regulation exemption waiver review inspector general journalists lawsuit court ruling`)

func (g *gen) sentence(b *strings.Builder, n int) {
	for i := 0; i < n; i++ {
		w := words[g.rng.IntN(len(words))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
}

// genToday is the last day a generated date may fall on: the knowledge
// base reports nothing after it, as check asks of dates in a real one.
const genToday = "2026-11-30"

func (g *gen) date(from, to int) string {
	return min(fmt.Sprintf("%d-%02d-%02d", from+g.rng.IntN(to-from+1), 1+g.rng.IntN(12), 1+g.rng.IntN(28)), genToday)
}

// source is one of an entry's sources, drawn before it is written, so
// that its date can be moved after the observations that cite it.
type source struct{ url, title, publisher, date, archive string }

// sources writes n sources for the entry slug and returns their URLs.
func (g *gen) sources(b *strings.Builder, slug string, n int) []string {
	srcs := g.drawSources(slug, n)
	writeSources(b, srcs)
	urls := make([]string, n)
	for i, s := range srcs {
		urls[i] = s.url
	}
	return urls
}

// drawSources draws n sources for the entry slug.
func (g *gen) drawSources(slug string, n int) []source {
	srcs := make([]source, n)
	pubs := []string{"The City Ledger", "State Public Radio", "Federal Register", "Le Quotidien", "Tagesblatt", "Civil Liberties Union", "Inspector General"}
	for i := range srcs {
		s := &srcs[i]
		s.url = fmt.Sprintf("https://news%d.example.org/%d/%s/report-%d", i%7, 2015+i, slug, i+1)
		var t strings.Builder
		g.sentence(&t, 6+g.rng.IntN(5))
		s.title = t.String()
		s.publisher = pubs[g.rng.IntN(len(pubs))]
		s.date = g.date(2015, 2026)
		if i%3 == 0 {
			s.archive = fmt.Sprintf("https://web.archive.example/%s-%d", slug, i)
		}
	}
	return srcs
}

func writeSources(b *strings.Builder, srcs []source) {
	b.WriteString("sources:\n")
	for _, s := range srcs {
		fmt.Fprintf(b, "  - url: %s\n    title: \"%s\"\n    publisher: %s\n    date: %s\n", s.url, s.title, s.publisher, s.date)
		if s.archive != "" {
			fmt.Fprintf(b, "    archive: %s\n", s.archive)
		}
	}
}

// body writes about size bytes of markdown: paragraphs with citations of
// the entry's nsrc sources and links to other entries, a list, and now and
// then a table.
func (g *gen) body(b *strings.Builder, nsrc, size int) {
	start := b.Len()
	heads := []string{"Background", "Procurement", "Use and oversight", "What the records show", "Reactions"}
	for p := 0; b.Len()-start < size; p++ {
		if p%2 == 1 {
			fmt.Fprintf(b, "## %s\n\n", heads[(p/2)%len(heads)])
		}
		for s := 0; s < 4; s++ {
			g.sentence(b, 8+g.rng.IntN(10))
			switch g.rng.IntN(4) {
			case 0:
				v := g.rng.IntN(g.nv)
				fmt.Fprintf(b, " with [Vendor %d](../vendors/%s.md)", v, g.vendorSlug(v))
			case 1:
				a := g.rng.IntN(g.na)
				fmt.Fprintf(b, ", as [Agency %d](../agencies/%s.md) reported", a, g.agencySlug(a))
			case 2:
				l := g.rng.IntN(g.nl)
				fmt.Fprintf(b, " under [Law %d](../laws/%s.md#binds)", l, g.lawSlug(l))
			}
			fmt.Fprintf(b, " [%d]. ", 1+g.rng.IntN(nsrc))
		}
		b.WriteString("\n\n")
		switch p {
		case 2:
			for i := 0; i < 3; i++ {
				b.WriteString("- ")
				g.sentence(b, 6)
				fmt.Fprintf(b, " [%d]\n", 1+g.rng.IntN(nsrc))
			}
			b.WriteString("\n")
		case 4:
			if g.rng.IntN(4) == 0 {
				b.WriteString("| Year | Flights | Hours |\n|---|---:|---:|\n")
				for y := 2021; y <= 2024; y++ {
					fmt.Fprintf(b, "| %d | %d | %d |\n", y, 50+g.rng.IntN(900), 10+g.rng.IntN(300))
				}
				b.WriteString("\n")
			}
		}
	}
}

func (g *gen) common(b *strings.Builder, title string, tags ...string) {
	fmt.Fprintf(b, "---\ntitle: %s\nsummary: ", title)
	g.sentence(b, 18+g.rng.IntN(10))
	fmt.Fprintf(b, ".\ntags: [%s]\nupdated: %s\n", strings.Join(tags, ", "), g.date(2023, 2026))
}

func (g *gen) related(b *strings.Builder, ids ...string) {
	b.WriteString("related:\n")
	for _, id := range ids {
		fmt.Fprintf(b, "  - %s\n", id)
	}
}

func (g *gen) vendor(i int) string {
	var b strings.Builder
	c := vendorCountries[i%len(vendorCountries)]
	g.common(&b, fmt.Sprintf("Vendor %d Robotics", i), "vendor", strings.ToLower(c), "manufacturer")
	fmt.Fprintf(&b, "legal_name: Vendor %d Robotics Co., Ltd.\ncountry: %s\nhq: Industrial Park %d\nwebsite: https://vendor%d.example.com/\n", i, c, i, i)
	if i >= 4 && i%10 == 0 {
		fmt.Fprintf(&b, "parent: %s\n", g.vendorSlug(i%4))
	}
	g.related(&b, "laws/"+g.lawSlug(g.rng.IntN(g.nl)))
	g.sources(&b, g.vendorSlug(i), 3)
	b.WriteString("---\n")
	g.body(&b, 3, 2000)
	return b.String()
}

// law writes law i: national and regional laws like real ones (a few
// restrict hardware, one kind phases in a purchase ban and then an
// operating ban with an exemption, some have lapsed), and agencies' own
// policies on footage.
func (g *gen) law(i int) string {
	var b strings.Builder
	lp := g.laws[i]
	slug := g.lawSlug(i)
	where := lp.country
	if lp.region != "" {
		where = lp.region
	}
	switch {
	case lp.agency >= 0:
		g.common(&b, fmt.Sprintf("Drone footage policy %d", i), "policy", strings.ToLower(lp.country), "data")
		fmt.Fprintf(&b, "kind: policy\ncountry: %s\n", lp.country)
		if lp.region != "" {
			fmt.Fprintf(&b, "region: %s\n", lp.region)
		}
		fmt.Fprintf(&b, "status: enacted\nenacted: %s\nmeasure: data\nbinds:\n  agencies: [%s]\n", g.date(2018, 2025), g.agencySlug(lp.agency))
	default:
		g.common(&b, fmt.Sprintf("Drone Security Act %d (%s)", i, where), "law", strings.ToLower(lp.country), "drones")
		kinds := []string{"statute", "regulation", "executive-order", "statute", "bill"}
		fmt.Fprintf(&b, "short: DSA-%d\nkind: %s\ncountry: %s\n", i, kinds[lp.k%len(kinds)], lp.country)
		if lp.region != "" {
			fmt.Fprintf(&b, "region: %s\n", lp.region)
		}
		status := []string{"enacted", "enacted", "enacted", "proposed", "enacted", "expired", "enacted"}[lp.k%7]
		fmt.Fprintf(&b, "status: %s\nintroduced: %s\n", status, g.date(2016, 2017))
		if status != "proposed" {
			fmt.Fprintf(&b, "enacted: %s\n", g.date(2018, 2023))
		}
		if status == "expired" {
			b.WriteString("expires: 2026-06-30\n")
		}
		// Like real lists of laws: few restrict hardware — a purchase ban
		// phased into an operating ban in one country in four, a named
		// vendors' ban in one in eight, a ban on spending grants in one in
		// ten, a state ban in one region in 25 — and most regulate how
		// drones are used. So the laws restricting a vendor stay as few as
		// in reality, however large the knowledge base.
		switch {
		case lp.region == "" && lp.k == 0 && lp.j%4 == 0:
			fmt.Fprintf(&b, "restricts:\n  countries: [CN]\nbinds:\n  levels: [national]\nprovisions:\n  - measure: procurement\n  - measure: operation\n    effective: 2026-01-01\n    exempts:\n      - kinds: [military]\n        uses: defence missions\n        source: https://news0.example.org/2015/%s/report-1\n", slug)
		case lp.region == "" && lp.k == 1 && lp.j%8 == 0:
			fmt.Fprintf(&b, "restricts:\n  vendors: [%s, %s]\nmeasure: procurement\nbinds:\n  levels: [national]\n", g.vendorSlug(i%g.nv), g.vendorSlug((i+1)%g.nv))
		case lp.region == "" && lp.k == 2 && lp.j%10 == 0:
			b.WriteString("restricts:\n  countries: [CN]\nmeasure: funding\nbinds:\n  levels: [state, local]\n")
		case lp.region != "" && lp.k == 0 && lp.j%25 == 0:
			b.WriteString("restricts:\n  countries: [CN]\nmeasure: operation\nbinds:\n  kinds: [police, emergency]\n")
		default:
			fmt.Fprintf(&b, "measure: %s\n", []string{"data", "review", "advisory"}[i%3])
		}
	}
	g.related(&b, "vendors/"+g.vendorSlug(i%g.nv), "laws/"+g.lawSlug((i+1)%g.nl))
	g.sources(&b, slug, 4)
	b.WriteString("---\n")
	g.body(&b, 4, 1800)
	return b.String()
}

func (g *gen) agency(i int) string {
	var b strings.Builder
	p := g.agencyPlace(i)
	level := "local"
	switch {
	case p.region == "":
		level = "national"
	case i%3 == 1:
		level = "state"
	}
	g.common(&b, fmt.Sprintf("%s Agency %d", p.name, i), "police", strings.ToLower(p.country), "drones")
	fmt.Fprintf(&b, "short: AG%d\ncountry: %s\n", i, p.country)
	if p.region != "" {
		fmt.Fprintf(&b, "region: %s\n", p.region)
	}
	fmt.Fprintf(&b, "level: %s\nkind: %s\nwebsite: https://agency%d.example.gov/\n",
		level, []string{"police", "military", "civil", "emergency", "other"}[i%5], i)
	if i%10 != 0 && i%7 == 0 {
		fmt.Fprintf(&b, "parent: %s\n", g.agencySlug(i-i%10))
	}
	slug := g.agencySlug(i)
	srcs := g.drawSources(slug, 4)
	// cites dates source i no earlier than the observation citing it: a
	// document describes drones only up to the day it is published.
	cites := func(i int, date string) string {
		srcs[i].date = max(srcs[i].date, date)
		return srcs[i].url
	}
	items := 1 + i%3
	if i%13 == 0 {
		items = 0 // no fleet on record
	} else {
		b.WriteString("fleet:\n")
	}
	for f := 0; f < items; f++ {
		status := []string{"active", "active", "grounded", "retired", "unknown", "active"}[(i+f)%6]
		vendor, count, acquired := g.vendorSlug(g.rng.IntN(g.nv)), 1+g.rng.IntN(20), g.date(2016, 2018)
		asOf := g.date(2021, 2026)
		fmt.Fprintf(&b, "  - vendor: %s\n    model: Model %c-%d\n    count: %d\n    acquired: %s\n    status: %s\n    as_of: %s\n    source: %s\n    note: ",
			vendor, 'A'+rune(f), 100+i%50, count, acquired, status, asOf, cites(f, asOf))
		g.sentence(&b, 12)
		seen := g.date(2019, 2020)
		fmt.Fprintf(&b, ".\n    history:\n      - date: %s\n        status: active\n        source: %s\n", seen, cites(3, seen))
	}
	g.related(&b, "vendors/"+g.vendorSlug(i%g.nv), "laws/"+g.lawSlug(i%g.nl))
	writeSources(&b, srcs)
	b.WriteString("---\n")
	g.body(&b, 4, 1200)
	return b.String()
}

func (g *gen) incident(i int) string {
	var b strings.Builder
	a := g.rng.IntN(g.na)
	p := g.agencyPlace(a)
	g.common(&b, fmt.Sprintf("Drone incident %d in %s", i, p.name), "incident", strings.ToLower(p.country), "surveillance")
	fmt.Fprintf(&b, "date: %s\nplace: %s\ncountry: %s\n", g.date(2016, 2026), p.name, p.country)
	if p.region != "" {
		fmt.Fprintf(&b, "region: %s\n", p.region)
	}
	fmt.Fprintf(&b, "agencies: [%s, %s]\nvendors: [%s]\nlaws: [%s]\nkind: %s\n",
		g.agencySlug(a), g.agencySlug((a+1)%g.na), g.vendorSlug(g.rng.IntN(g.nv)), g.lawSlug(g.rng.IntN(g.nl)),
		[]string{"surveillance", "protest", "crash", "data", "policy", "other"}[i%6])
	g.related(&b, "incidents/"+g.incidentSlug((i+1)%g.ni))
	g.sources(&b, g.incidentSlug(i), 3)
	b.WriteString("---\n")
	g.body(&b, 3, 1900)
	return b.String()
}
