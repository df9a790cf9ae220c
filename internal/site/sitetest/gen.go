package sitetest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Generate writes a knowledge base of n entries under dir (which it
// creates): about 40% agencies with fleets and histories, 5% vendors, 15%
// laws (one in 40 restricts a country's hardware, 15 in 40 name vendors, the
// rest regulate use; some bind levels of government), and 40% incidents. Each entry has realistic front matter — sources, related
// entries, tags — and a body of about 2 kB with headings, paragraphs, a list,
// links to other entries and [n] citations, so a file is about 3.6 kB. The
// same n always gives the same files, and they pass dronekb check.
func Generate(dir string, n int) error {
	g := &gen{rng: rand.New(rand.NewPCG(uint64(n), 2018))}
	g.nv = max(4, n*5/100)
	g.nl = max(4, n*15/100)
	g.na = max(4, n*40/100)
	g.ni = max(4, n-g.nv-g.nl-g.na)
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

type gen struct {
	rng            *rand.Rand
	nv, nl, na, ni int
}

type place struct{ country, region, city string }

var places = []place{
	{"US", "US-NY", "New York"}, {"US", "US-CA", "Los Angeles"}, {"US", "US-TX", "Houston"},
	{"US", "US-FL", "Miami"}, {"US", "US-WA", "Seattle"}, {"US", "", "Washington"},
	{"FR", "FR-75", "Paris"}, {"FR", "FR-69", "Lyon"}, {"FR", "FR-13", "Marseille"},
	{"DE", "DE-BE", "Berlin"}, {"GB", "GB-LND", "London"},
}

var vendorCountries = []string{"CN", "CN", "US", "FR", "DE", "CN", "IL", "US"}

var words = strings.Fields(`drone drones police department fleet aircraft camera thermal
	surveillance procurement contract council hearing report records request grant federal state
	city county officers pilots programme policy ban restriction vendor manufacturer data security
	flight flights operation protest crowd search rescue emergency firefighters inspection budget
	audit oversight committee privacy warrant footage retention agency ministry prefecture decree
	statute regulation exemption waiver review inspector general journalists lawsuit court ruling`)

func (g *gen) vendorSlug(i int) string   { return fmt.Sprintf("vendor-%04d", i) }
func (g *gen) lawSlug(i int) string      { return fmt.Sprintf("law-%05d", i) }
func (g *gen) agencySlug(i int) string   { return fmt.Sprintf("agency-%05d", i) }
func (g *gen) incidentSlug(i int) string { return fmt.Sprintf("incident-%05d", i) }

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

func (g *gen) date(from, to int) string {
	return fmt.Sprintf("%d-%02d-%02d", from+g.rng.IntN(to-from+1), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
}

// sources writes n sources for the entry slug and returns their URLs.
func (g *gen) sources(b *strings.Builder, slug string, n int) []string {
	b.WriteString("sources:\n")
	urls := make([]string, n)
	pubs := []string{"The City Ledger", "State Public Radio", "Federal Register", "Le Quotidien", "Tagesblatt", "Civil Liberties Union", "Inspector General"}
	for i := range urls {
		urls[i] = fmt.Sprintf("https://news%d.example.org/%d/%s/report-%d", i%7, 2015+i, slug, i+1)
		fmt.Fprintf(b, "  - url: %s\n    title: \"", urls[i])
		g.sentence(b, 6+g.rng.IntN(5))
		fmt.Fprintf(b, "\"\n    publisher: %s\n    date: %s\n", pubs[g.rng.IntN(len(pubs))], g.date(2015, 2024))
		if i%3 == 0 {
			fmt.Fprintf(b, "    archive: https://web.archive.example/%s-%d\n", slug, i)
		}
	}
	return urls
}

// body writes about size bytes of markdown: paragraphs with citations of
// the entry's nsrc sources and links to other entries.
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
		if p == 2 {
			for i := 0; i < 3; i++ {
				b.WriteString("- ")
				g.sentence(b, 6)
				fmt.Fprintf(b, " [%d]\n", 1+g.rng.IntN(nsrc))
			}
			b.WriteString("\n")
		}
	}
}

func (g *gen) common(b *strings.Builder, title string, tags ...string) {
	fmt.Fprintf(b, "---\ntitle: %s\nsummary: ", title)
	g.sentence(b, 18+g.rng.IntN(10))
	fmt.Fprintf(b, ".\ntags: [%s]\nupdated: %s\n", strings.Join(tags, ", "), g.date(2023, 2024))
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

func (g *gen) law(i int) string {
	var b strings.Builder
	p := places[i%len(places)]
	g.common(&b, fmt.Sprintf("Drone Security Act %d", i), "procurement-ban", strings.ToLower(p.country), "law")
	fmt.Fprintf(&b, "short: DSA-%d\nkind: %s\ncountry: %s\n", i, []string{"statute", "regulation", "executive-order", "policy", "bill"}[i%5], p.country)
	if p.region != "" && i%2 == 0 {
		fmt.Fprintf(&b, "region: %s\n", p.region)
	}
	status := []string{"enacted", "enacted", "enacted", "proposed", "expired"}[i%5]
	fmt.Fprintf(&b, "status: %s\nintroduced: 2017-01-15\n", status)
	if status != "proposed" {
		fmt.Fprintf(&b, "enacted: %s\neffective: 2020-01-01\n", g.date(2018, 2019))
	}
	if status == "expired" {
		b.WriteString("expires: 2022-06-30\n")
	}
	// Like real lists of laws: a few restrict a country's hardware, some
	// name vendors, and most regulate how drones are used.
	switch {
	case i%40 == 0:
		b.WriteString("restricts:\n  countries: [CN]\n")
	case i%40 < 16:
		fmt.Fprintf(&b, "restricts:\n  vendors: [%s, %s]\n", g.vendorSlug(i%g.nv), g.vendorSlug((i+1)%g.nv))
	}
	fmt.Fprintf(&b, "measure: %s\n", []string{"procurement", "operation", "funding", "data", "advisory"}[i%5])
	if i%4 == 1 {
		b.WriteString("binds:\n  levels: [national]\n  kinds: [police, military]\n")
	}
	g.related(&b, "vendors/"+g.vendorSlug(i%g.nv), "laws/"+g.lawSlug((i+1)%g.nl))
	g.sources(&b, g.lawSlug(i), 4)
	b.WriteString("---\n")
	g.body(&b, 4, 1800)
	return b.String()
}

func (g *gen) agency(i int) string {
	var b strings.Builder
	p := places[i%len(places)]
	g.common(&b, fmt.Sprintf("%s Agency %d", p.city, i), "police", strings.ToLower(p.country), "drones")
	fmt.Fprintf(&b, "short: AG%d\ncountry: %s\n", i, p.country)
	if p.region != "" {
		fmt.Fprintf(&b, "region: %s\n", p.region)
	}
	fmt.Fprintf(&b, "level: %s\nkind: %s\nwebsite: https://agency%d.example.gov/\n",
		[]string{"local", "state", "national"}[i%3], []string{"police", "military", "civil", "emergency", "other"}[i%5], i)
	if i >= 10 && i%7 == 0 {
		fmt.Fprintf(&b, "parent: %s\n", g.agencySlug(i%10))
	}
	slug := g.agencySlug(i)
	var src strings.Builder
	urls := g.sources(&src, slug, 4)
	b.WriteString("fleet:\n")
	for f := 0; f < 2+i%2; f++ {
		status := []string{"active", "active", "grounded", "retired", "unknown"}[(i+f)%5]
		fmt.Fprintf(&b, "  - vendor: %s\n    model: Model %c-%d\n    count: %d\n    acquired: %s\n    status: %s\n    as_of: %s\n    source: %s\n    note: ",
			g.vendorSlug(g.rng.IntN(g.nv)), 'A'+rune(f), 100+i%50, 1+g.rng.IntN(20), g.date(2016, 2018), status, g.date(2021, 2024), urls[f])
		g.sentence(&b, 12)
		fmt.Fprintf(&b, ".\n    history:\n      - date: %s\n        status: active\n        source: %s\n", g.date(2019, 2020), urls[3])
	}
	g.related(&b, "vendors/"+g.vendorSlug(i%g.nv), "laws/"+g.lawSlug(i%g.nl))
	b.WriteString(src.String())
	b.WriteString("---\n")
	g.body(&b, 4, 1200)
	return b.String()
}

func (g *gen) incident(i int) string {
	var b strings.Builder
	p := places[i%len(places)]
	g.common(&b, fmt.Sprintf("Drone incident %d in %s", i, p.city), "incident", strings.ToLower(p.country), "surveillance")
	fmt.Fprintf(&b, "date: %s\nplace: %s\ncountry: %s\n", g.date(2016, 2024), p.city, p.country)
	if p.region != "" {
		fmt.Fprintf(&b, "region: %s\n", p.region)
	}
	a := g.rng.IntN(g.na)
	fmt.Fprintf(&b, "agencies: [%s, %s]\nvendors: [%s]\nlaws: [%s]\nkind: %s\n",
		g.agencySlug(a), g.agencySlug((a+1)%g.na), g.vendorSlug(g.rng.IntN(g.nv)), g.lawSlug(g.rng.IntN(g.nl)),
		[]string{"surveillance", "protest", "crash", "data", "policy", "other"}[i%6])
	g.related(&b, "incidents/"+g.incidentSlug((i+1)%g.ni))
	g.sources(&b, g.incidentSlug(i), 3)
	b.WriteString("---\n")
	g.body(&b, 3, 1900)
	return b.String()
}
