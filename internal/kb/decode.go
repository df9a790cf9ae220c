package kb

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/iso3166"
)

// Enumerations of the entry format (DESIGN.md, "Entries").
var (
	agencyLevels   = []string{"national", "state", "local"}
	agencyKinds    = []string{"police", "military", "civil", "emergency", "intelligence", "other"}
	fleetStatuses  = []string{StatusActive, StatusGrounded, StatusRetired, StatusUnknown}
	lawKinds       = []string{"statute", "regulation", "executive-order", "policy", "bill"}
	lawStatuses    = []string{"proposed", "enacted", "expired", "repealed", "failed"}
	lawMeasures    = []string{MeasureProcurement, MeasureOperation, MeasureFunding, MeasureData, MeasureReview, MeasureAdvisory}
	incidentKinds  = []string{"surveillance", "protest", "crash", "data", "policy", "other"}
	maxTextLen     = 2000
	maxTitleLen    = 300
	maxSummaryLen  = 600
	maxListLen     = 1000
	maxURLLen      = 2048
	maxFleetItems  = 500
	maxHistoryLen  = 200
	maxProvisions  = 50
	maxExemptions  = 50
	commonFields   = []string{"title", "summary", "lang", "tags", "updated", "related", "sources"}
	fieldsByType   = map[Type][]string{}
	fieldOwnerType = map[string][]Type{}
)

// Enums returns the allowed values of each enumerated field, for templates
// and documentation: "agency.level", "fleet.status", "law.kind", …
func Enums() map[string][]string {
	return map[string][]string{
		"agency.level": agencyLevels, "agency.kind": agencyKinds, "fleet.status": fleetStatuses,
		"law.kind": lawKinds, "law.status": lawStatuses, "law.measure": lawMeasures,
		"incident.kind": incidentKinds,
	}
}

func init() {
	fieldsByType[TypeAgency] = append(append([]string{}, commonFields...), "short", "country", "region", "level", "kind", "parent", "website", "fleet")
	fieldsByType[TypeVendor] = append(append([]string{}, commonFields...), "legal_name", "country", "hq", "website", "parent")
	fieldsByType[TypeLaw] = append(append([]string{}, commonFields...), "short", "kind", "country", "region", "status", "introduced", "enacted", "effective", "expires", "restricts", "measure", "binds", "exempts", "provisions")
	fieldsByType[TypePage] = append([]string{}, commonFields...)
	fieldsByType[TypeIncident] = append(append([]string{}, commonFields...), "date", "place", "country", "region", "agencies", "vendors", "laws", "kind")
	for _, t := range []Type{TypeAgency, TypeVendor, TypeLaw, TypeIncident} {
		for _, f := range fieldsByType[t] {
			fieldOwnerType[f] = append(fieldOwnerType[f], t)
		}
	}
}

// decoder turns a front-matter tree into an Entry, collecting every problem.
type decoder struct {
	e     *Entry
	diags Diagnostics
	// cites are the fleet and history sources, checked against the
	// entry's sources once those are read. Every item's are checked, also
	// those of an item with other problems: check reports all at once.
	cites []citedSource
	// provs are a law's listed provisions as written, resolved once the
	// whole front matter is read.
	provs []*rawProvision
}

func (d *decoder) report(sev Severity, pos Pos, code Code, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{
		File: d.e.File, Line: pos.Line, Col: pos.Col, Severity: sev, Code: code,
		Message: fmt.Sprintf(format, args...),
	})
}

func (d *decoder) errorf(pos Pos, code Code, format string, args ...any) {
	d.report(SevError, pos, code, format, args...)
}

func (d *decoder) warnf(pos Pos, code Code, format string, args ...any) {
	d.report(SevWarning, pos, code, format, args...)
}

// spec is a field a table accepts and what to do with its value.
type spec struct {
	name string
	set  func(v *node, key Pos)
}

// object decodes a table: known keys go to their spec, unknown and duplicate
// keys are reported. It returns the keys given with a non-null value.
func (d *decoder) object(n *node, what string, specs []spec, types []Type) map[string]Pos {
	given := map[string]Pos{}
	if n.kind != mapNode {
		d.errorf(n.pos, CodeFieldType, "%s must be a table of keys, not %s", what, n.describe())
		return given
	}
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.name
	}
	seen := map[string]bool{}
	for _, f := range n.fields {
		if seen[f.key] {
			d.errorf(f.pos, CodeKeyDuplicate, "key %q is given twice in %s; keep one", f.key, what)
			continue
		}
		seen[f.key] = true
		var s *spec
		for i := range specs {
			if specs[i].name == f.key {
				s = &specs[i]
				break
			}
		}
		if s == nil {
			d.unknownField(f, what, names, types)
			continue
		}
		if f.val.kind == nullNode {
			continue
		}
		given[f.key] = f.pos
		s.set(f.val, f.pos)
	}
	return given
}

func (d *decoder) unknownField(f field, what string, names []string, types []Type) {
	msg := fmt.Sprintf("unknown field %q in %s", f.key, what)
	if m := suggest(f.key, names); m != "" {
		msg += "; did you mean " + quote(m) + "?"
	} else if owners := fieldOwnerType[f.key]; len(owners) > 0 && len(types) > 0 {
		var ts []string
		for _, t := range owners {
			ts = append(ts, string(t))
		}
		msg += fmt.Sprintf(" (%s is a field of %s entries)", f.key, strings.Join(ts, " and "))
	} else {
		sorted := append([]string(nil), names...)
		sort.Strings(sorted)
		msg += "; known fields: " + strings.Join(sorted, ", ")
	}
	d.errorf(f.pos, CodeFieldUnknown, "%s", msg)
}

// require reports a required key of table n that has no value: at the key
// when it is written without one, else at pos at.
func (d *decoder) require(n *node, given map[string]Pos, at Pos, what, name, hint string) {
	if _, ok := given[name]; ok {
		return
	}
	if n.kind == mapNode {
		for _, f := range n.fields {
			if f.key == name {
				d.errorf(f.pos, CodeFieldRequired, "%s needs %q (%s); it has no value", what, name, hint)
				return
			}
		}
	}
	d.errorf(at, CodeFieldRequired, "%s needs %q (%s)", what, name, hint)
}

// text reads a scalar as text. Numbers and dates are taken as written.
func (d *decoder) text(v *node, name string, limit int) (string, bool) {
	if v.kind != scalarNode {
		d.errorf(v.pos, CodeFieldType, "%s must be text, not %s", name, v.describe())
		return "", false
	}
	s := strings.TrimSpace(v.text)
	if s == "" {
		d.errorf(v.pos, CodeFieldEmpty, "%s is empty; give a value or remove the key", name)
		return "", false
	}
	if utf8.RuneCountInString(s) > limit {
		d.errorf(v.pos, CodeFieldTooLong, "%s is %d characters long; keep it under %d", name, utf8.RuneCountInString(s), limit)
		return "", false
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
		d.errorf(v.pos, CodeFieldType, "%s contains a control character (%U); remove it", name, []rune(s[i:])[0])
		return "", false
	}
	return s, true
}

// list reads a list; a single scalar counts as a list of one.
func (d *decoder) list(v *node, name string, limit int) []*node {
	switch v.kind {
	case listNode:
		if len(v.items) > limit {
			d.errorf(v.pos, CodeFieldTooLong, "%s has %d items; at most %d are allowed", name, len(v.items), limit)
			return v.items[:limit]
		}
		return v.items
	case scalarNode:
		return []*node{v}
	}
	d.errorf(v.pos, CodeFieldType, "%s must be a list, not %s", name, v.describe())
	return nil
}

func (d *decoder) enum(v *node, name string, allowed []string) (string, bool) {
	s, ok := d.text(v, name, 100)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	d.errorf(v.pos, CodeFieldEnum, "%s %q is not one of %s%s", name, s, strings.Join(allowed, ", "), didYouMean(s, allowed))
	return "", false
}

func (d *decoder) enumList(v *node, name string, allowed []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, item := range d.list(v, name, len(allowed)*2) {
		if s, ok := d.enum(item, name, allowed); ok {
			if seen[s] {
				d.warnf(item.pos, CodeRefDuplicate, "%s lists %q twice", name, s)
				continue
			}
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) date(v *node, name string) (Date, bool) {
	if v.kind != scalarNode {
		d.errorf(v.pos, CodeFieldType, "%s must be a date (YYYY, YYYY-MM or YYYY-MM-DD), not %s", name, v.describe())
		return Date{}, false
	}
	if v.stype == dateTimeScalar {
		d.errorf(v.pos, CodeDate, "%s %q has a time of day; write just the date, YYYY-MM-DD", name, v.text)
		return Date{}, false
	}
	dt, err := ParseDate(strings.TrimSpace(v.text))
	if err != nil {
		d.errorf(v.pos, CodeDate, "%s: %v", name, err)
		return Date{}, false
	}
	return dt, true
}

func (d *decoder) integer(v *node, name string) (int, bool) {
	if v.kind != scalarNode || v.stype != intScalar {
		d.errorf(v.pos, CodeFieldType, "%s must be a whole number, not %s", name, v.describe())
		return 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v.text, "_", ""))
	if err != nil || n < 1 || n > 1_000_000 {
		d.errorf(v.pos, CodeFieldType, "%s must be a whole number from 1 to 1000000; leave it out when not known", name)
		return 0, false
	}
	return n, true
}

// checkURL validates an http(s) URL: the only links content may carry.
func checkURL(s string) error {
	if len(s) > maxURLLen {
		return fmt.Errorf("is %d bytes long; the limit is %d", len(s), maxURLLen)
	}
	if strings.ContainsAny(s, " \t\n\r\"<>\\^`{|}") {
		return fmt.Errorf("%q contains a space or a character URLs cannot hold; percent-encode it", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http or https URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host name", s)
	}
	if u.User != nil {
		return fmt.Errorf("%q carries a user name or password before its host; remove it", s)
	}
	return nil
}

func (d *decoder) url(v *node, name string) (string, bool) {
	s, ok := d.text(v, name, maxURLLen+1)
	if !ok {
		return "", false
	}
	if err := checkURL(s); err != nil {
		d.errorf(v.pos, CodeURL, "%s %v", name, err)
		return "", false
	}
	return s, true
}

func (d *decoder) country(v *node, name string) (string, bool) {
	s, ok := d.text(v, name, 10)
	if !ok {
		return "", false
	}
	if _, ok := iso3166.Country(s); !ok {
		// No edit-distance guesses: most two-letter typos are another real
		// country ("CHN" is one edit from CH, Switzerland, as from CN), and
		// a wrong country of origin silently changes what a law restricts.
		hint := ""
		if _, ok := iso3166.Country(strings.ToUpper(s)); ok {
			hint = "; did you mean " + quote(strings.ToUpper(s)) + "?"
		} else if strings.EqualFold(s, "UK") {
			hint = `; the ISO code of the United Kingdom is "GB"`
		} else if code := countryNamed(s); code != "" {
			hint = "; did you mean " + quote(code) + "?"
		}
		d.errorf(v.pos, CodeCountry, "%s %q is not an ISO 3166-1 alpha-2 country code%s", name, s, hint)
		return "", false
	}
	return s, true
}

// countryNamed returns the code of the country whose English name is s,
// ignoring case ("china" → "CN"), or "".
func countryNamed(s string) string {
	for _, c := range iso3166.Countries() {
		if name, _ := iso3166.Country(c); strings.EqualFold(name, s) {
			return c
		}
	}
	return ""
}

func (d *decoder) region(v *node, name, country string) (string, bool) {
	s, ok := d.text(v, name, 10)
	if !ok {
		return "", false
	}
	if _, ok := iso3166.Region(s); !ok {
		hint := ""
		if _, ok := iso3166.Region(strings.ToUpper(s)); ok {
			hint = "; did you mean " + quote(strings.ToUpper(s)) + "?"
		} else if country != "" {
			hint = didYouMean(s, iso3166.RegionsOf(country))
		}
		d.errorf(v.pos, CodeRegion, "%s %q is not an ISO 3166-2 region code such as US-NY or FR-75%s", name, s, hint)
		return "", false
	}
	if country != "" && !strings.HasPrefix(s, country+"-") {
		d.errorf(v.pos, CodeRegion, "%s %q is not in country %s; a region code starts with its country (%s-…)", name, s, country, country)
		return "", false
	}
	return s, true
}

// ValidSlug reports whether s is a valid slug: a-z, 0-9 and '-', 1 to 80 long.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ref reads a typed reference: a bare slug of the given type's section.
func (d *decoder) ref(v *node, field string, want Type) (Ref, bool) {
	s, ok := d.text(v, field, 200)
	if !ok {
		return Ref{}, false
	}
	sec := SectionFor(want)
	if strings.HasPrefix(s, sec.Dir+"/") {
		d.warnf(v.pos, CodeSlugInvalid, "%s takes a bare slug: write %q, not %q", field, strings.TrimPrefix(s, sec.Dir+"/"), s)
		s = strings.TrimPrefix(s, sec.Dir+"/")
	}
	if !ValidSlug(s) {
		d.errorf(v.pos, CodeSlugInvalid, "%s %q is not a slug (lower-case a-z, 0-9 and -, at most 80 characters)", field, s)
		return Ref{}, false
	}
	r := Ref{ID: sec.Dir + "/" + s, Pos: v.pos}
	d.e.refs = append(d.e.refs, refUse{field: field, ref: r, want: want})
	return r, true
}

func (d *decoder) refList(v *node, field string, want Type) []Ref {
	var out []Ref
	seen := map[string]bool{}
	for _, item := range d.list(v, field, maxListLen) {
		if r, ok := d.ref(item, field, want); ok {
			if seen[r.ID] {
				d.warnf(item.pos, CodeRefDuplicate, "%s lists %q twice", field, r.Slug())
				continue
			}
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

func (d *decoder) common() []spec {
	e := d.e
	return []spec{
		{"title", func(v *node, _ Pos) { e.Title, _ = d.text(v, "title", maxTitleLen) }},
		{"summary", func(v *node, _ Pos) {
			e.Summary, _ = d.text(v, "summary", maxSummaryLen)
			if strings.Contains(e.Summary, "\n") {
				d.warnf(v.pos, CodeSummaryMultiline, "summary spans several lines; it should be one sentence")
				e.Summary = strings.Join(strings.Fields(e.Summary), " ")
			}
		}},
		{"lang", func(v *node, _ Pos) { e.Lang, _ = d.enum(v, "lang", Languages) }},
		{"tags", func(v *node, _ Pos) {
			seen := map[string]bool{}
			for _, item := range d.list(v, "tags", 50) {
				if item.kind == scalarNode && item.stype != strScalar {
					d.errorf(item.pos, CodeFieldType, "tag must be text, not %s; write a word such as \"drones\"", item.describe())
					continue
				}
				t, ok := d.text(item, "tag", 60)
				if !ok {
					continue
				}
				if !ValidSlug(t) {
					d.errorf(item.pos, CodeSlugInvalid, "tag %q must be a slug (lower-case a-z, 0-9 and -); write %q", t, slugify(t))
					continue
				}
				if !seen[t] {
					seen[t] = true
					e.Tags = append(e.Tags, t)
				}
			}
		}},
		{"updated", func(v *node, _ Pos) { e.Updated, _ = d.date(v, "updated") }},
		{"related", func(v *node, _ Pos) {
			seen := map[string]bool{}
			for _, item := range d.list(v, "related", maxListLen) {
				s, ok := d.text(item, "related", 200)
				if !ok {
					continue
				}
				s = strings.TrimSuffix(s, ".md")
				sec, slug, found := strings.Cut(s, "/")
				if _, known := SectionOf(sec); !found || !known || !ValidSlug(slug) {
					d.errorf(item.pos, CodeSlugInvalid, "related %q is not an entry ID; write section/slug, e.g. vendors/dji", s)
					continue
				}
				if seen[s] {
					d.warnf(item.pos, CodeRefDuplicate, "related lists %q twice", s)
					continue
				}
				seen[s] = true
				r := Ref{ID: s, Pos: item.pos}
				e.Related = append(e.Related, r)
				e.refs = append(e.refs, refUse{field: "related", ref: r})
			}
		}},
		{"sources", func(v *node, _ Pos) {
			seen := map[string]bool{}
			for i, item := range d.list(v, "sources", 200) {
				src := d.source(item, i)
				if src.URL == "" {
					continue
				}
				if seen[src.URL] {
					d.warnf(item.pos, CodeSourceDuplicate, "source %s is listed twice", src.URL)
				}
				seen[src.URL] = true
				e.Sources = append(e.Sources, src)
			}
		}},
	}
}

func (d *decoder) source(v *node, i int) Source {
	src := Source{Pos: v.pos}
	what := fmt.Sprintf("sources[%d]", i+1)
	if v.kind == scalarNode {
		// A bare URL is a source with only its address.
		src.URL, _ = d.url(v, what)
		return src
	}
	given := d.object(v, "a source", []spec{
		{"url", func(v *node, _ Pos) { src.URL, _ = d.url(v, what+".url") }},
		{"title", func(v *node, _ Pos) { src.Title, _ = d.text(v, what+".title", maxTitleLen) }},
		{"publisher", func(v *node, _ Pos) { src.Publisher, _ = d.text(v, what+".publisher", 200) }},
		{"date", func(v *node, _ Pos) { src.Date, _ = d.date(v, what+".date") }},
		{"archive", func(v *node, _ Pos) { src.Archive, _ = d.url(v, what+".archive") }},
	}, nil)
	d.require(v, given, v.pos, "a source", "url", "the http(s) address of the document")
	return src
}

// decodeEntry decodes the front matter of an entry of type e.Type.
func (d *decoder) decodeEntry(root *node, start Pos) {
	e := d.e
	specs := d.common()
	var given map[string]Pos
	what := withArticle(string(e.Type))
	switch e.Type {
	case TypeAgency:
		a := &Agency{}
		e.Agency = a
		specs = append(specs,
			spec{"short", func(v *node, _ Pos) { a.Short, _ = d.text(v, "short", 40) }},
			spec{"country", func(v *node, _ Pos) { a.Country, _ = d.country(v, "country") }},
			spec{"region", func(v *node, _ Pos) { a.Region, _ = d.region(v, "region", countryOf(root)) }},
			spec{"level", func(v *node, _ Pos) { a.Level, _ = d.enum(v, "level", agencyLevels) }},
			spec{"kind", func(v *node, _ Pos) { a.Kind, _ = d.enum(v, "kind", agencyKinds) }},
			spec{"parent", func(v *node, _ Pos) {
				if r, ok := d.ref(v, "parent", TypeAgency); ok {
					a.Parent = &r
				}
			}},
			spec{"website", func(v *node, _ Pos) { a.Website, _ = d.url(v, "website") }},
			spec{"fleet", func(v *node, _ Pos) {
				for i, item := range d.list(v, "fleet", maxFleetItems) {
					if f, ok := d.fleetItem(item, i); ok {
						a.Fleet = append(a.Fleet, f)
					}
				}
			}},
		)
		given = d.object(root, "front matter", specs, []Type{e.Type})
		d.require(root, given, start, what, "country", "its ISO 3166-1 code, such as US or FR")
	case TypeVendor:
		vd := &Vendor{}
		e.Vendor = vd
		specs = append(specs,
			spec{"legal_name", func(v *node, _ Pos) { vd.LegalName, _ = d.text(v, "legal_name", maxTitleLen) }},
			spec{"country", func(v *node, _ Pos) { vd.Country, _ = d.country(v, "country") }},
			spec{"hq", func(v *node, _ Pos) { vd.HQ, _ = d.text(v, "hq", 200) }},
			spec{"website", func(v *node, _ Pos) { vd.Website, _ = d.url(v, "website") }},
			spec{"parent", func(v *node, _ Pos) {
				if r, ok := d.ref(v, "parent", TypeVendor); ok {
					vd.Parent = &r
				}
			}},
		)
		given = d.object(root, "front matter", specs, []Type{e.Type})
		d.require(root, given, start, what, "country", "its country of origin, an ISO 3166-1 code such as CN")
	case TypeLaw:
		l := &Law{}
		e.Law = l
		specs = append(specs,
			spec{"short", func(v *node, _ Pos) { l.Short, _ = d.text(v, "short", 60) }},
			spec{"kind", func(v *node, _ Pos) { l.Kind, _ = d.enum(v, "kind", lawKinds) }},
			spec{"country", func(v *node, _ Pos) { l.Country, _ = d.country(v, "country") }},
			spec{"region", func(v *node, _ Pos) { l.Region, _ = d.region(v, "region", countryOf(root)) }},
			spec{"status", func(v *node, _ Pos) { l.Status, _ = d.enum(v, "status", lawStatuses) }},
			spec{"introduced", func(v *node, _ Pos) { l.Introduced, _ = d.date(v, "introduced") }},
			spec{"enacted", func(v *node, _ Pos) { l.Enacted, _ = d.date(v, "enacted") }},
			spec{"effective", func(v *node, _ Pos) { l.Effective, _ = d.date(v, "effective") }},
			spec{"expires", func(v *node, _ Pos) { l.Expires, _ = d.date(v, "expires") }},
			spec{"measure", func(v *node, _ Pos) { l.Measure, _ = d.enum(v, "measure", lawMeasures) }},
			spec{"restricts", func(v *node, _ Pos) { l.Restricts = d.restriction(v, "restricts") }},
			spec{"binds", func(v *node, _ Pos) { l.Binds = d.binds(v, "binds") }},
			spec{"exempts", func(v *node, _ Pos) { l.Exempts = d.exemptions(v, "exempts") }},
			spec{"provisions", func(v *node, _ Pos) {
				l.Listed = true
				items := d.list(v, "provisions", maxProvisions)
				if len(items) == 0 && v.kind == listNode {
					d.errorf(v.pos, CodeFieldEmpty, "provisions is empty; list at least one {measure, effective, …}, or remove it and give the law's own measure")
				}
				for i, item := range items {
					if p := d.provision(item, i); p != nil {
						l.Provisions = append(l.Provisions, p)
					}
				}
			}},
		)
		given = d.object(root, "front matter", specs, []Type{e.Type})
		d.require(root, given, start, what, "country", "the ISO 3166-1 code of its jurisdiction")
		d.require(root, given, start, what, "status", strings.Join(lawStatuses, " | "))
		d.checkLawDates(l, given)
		d.resolveProvisions(l, given, start)
	case TypePage:
		given = d.object(root, "front matter", specs, []Type{e.Type})
	case TypeIncident:
		in := &Incident{}
		e.Incident = in
		specs = append(specs,
			spec{"date", func(v *node, _ Pos) { in.Date, _ = d.date(v, "date") }},
			spec{"place", func(v *node, _ Pos) { in.Place, _ = d.text(v, "place", 300) }},
			spec{"country", func(v *node, _ Pos) { in.Country, _ = d.country(v, "country") }},
			spec{"region", func(v *node, _ Pos) { in.Region, _ = d.region(v, "region", countryOf(root)) }},
			spec{"agencies", func(v *node, _ Pos) { in.Agencies = d.refList(v, "agencies", TypeAgency) }},
			spec{"vendors", func(v *node, _ Pos) { in.Vendors = d.refList(v, "vendors", TypeVendor) }},
			spec{"laws", func(v *node, _ Pos) { in.Laws = d.refList(v, "laws", TypeLaw) }},
			spec{"kind", func(v *node, _ Pos) { in.Kind, _ = d.enum(v, "kind", incidentKinds) }},
		)
		given = d.object(root, "front matter", specs, []Type{e.Type})
		d.require(root, given, start, what, "date", "when it happened: YYYY, YYYY-MM or YYYY-MM-DD")
	}
	e.keys = given
	e.keys[""] = start
	d.require(root, given, start, what, "title", "the name readers will see")
	if e.Type != TypeVendor && e.Type != TypePage {
		if len(e.Sources) == 0 {
			at := start
			if p, ok := given["sources"]; ok {
				at = p
			}
			d.errorf(at, CodeSourceMissing, "%s needs at least one source: add a sources list with the url of a document that supports it", what)
		}
	}
	d.checkCitedSources()
}

// countryOf peeks at the country key, so a region can be checked against it
// whatever order the keys come in.
func countryOf(root *node) string {
	if c := root.get("country"); c != nil && c.kind == scalarNode {
		if _, ok := iso3166.Country(strings.TrimSpace(c.text)); ok {
			return strings.TrimSpace(c.text)
		}
	}
	return ""
}

func (d *decoder) fleetItem(v *node, i int) (FleetItem, bool) {
	f := FleetItem{Pos: v.pos, Index: i}
	what := fmt.Sprintf("fleet[%d]", i+1)
	var asOfPos, acquiredPos Pos
	given := d.object(v, "a fleet item", []spec{
		{"vendor", func(v *node, _ Pos) {
			if v.kind == scalarNode && strings.TrimSpace(v.text) == UnknownVendor {
				f.UnknownMake = true
				return
			}
			f.Vendor, _ = d.ref(v, "fleet.vendor", TypeVendor)
		}},
		{"model", func(v *node, _ Pos) { f.Model, _ = d.text(v, what+".model", 200) }},
		{"count", func(v *node, _ Pos) { f.Count, _ = d.integer(v, what+".count") }},
		{"acquired", func(v *node, _ Pos) { f.Acquired, _ = d.date(v, what+".acquired"); acquiredPos = v.pos }},
		{"status", func(v *node, _ Pos) { f.Status, _ = d.enum(v, what+".status", fleetStatuses) }},
		{"as_of", func(v *node, _ Pos) { f.AsOf, _ = d.date(v, what+".as_of"); asOfPos = v.pos }},
		{"source", func(v *node, _ Pos) {
			f.Source, _ = d.url(v, what+".source")
			d.cites = append(d.cites, citedSource{url: f.Source, pos: f.Pos, what: what})
		}},
		{"note", func(v *node, _ Pos) { f.Note, _ = d.text(v, what+".note", maxTextLen) }},
		{"history", func(v *node, _ Pos) {
			for j, h := range d.list(v, what+".history", maxHistoryLen) {
				obs := Observation{Pos: h.pos}
				hw := fmt.Sprintf("%s.history[%d]", what, j+1)
				hg := d.object(h, "a history observation", []spec{
					{"date", func(v *node, _ Pos) { obs.Date, _ = d.date(v, hw+".date") }},
					{"status", func(v *node, _ Pos) { obs.Status, _ = d.enum(v, hw+".status", fleetStatuses) }},
					{"source", func(v *node, _ Pos) {
						obs.Source, _ = d.url(v, hw+".source")
						d.cites = append(d.cites, citedSource{url: obs.Source, pos: h.pos, what: hw})
					}},
				}, nil)
				d.require(h, hg, h.pos, hw, "date", "when the status was observed")
				d.require(h, hg, h.pos, hw, "status", strings.Join(fleetStatuses, " | "))
				if !obs.Date.IsZero() && obs.Status != "" {
					f.History = append(f.History, obs)
				}
			}
		}},
	}, nil)
	d.require(v, given, v.pos, what, "vendor", "the vendor's slug, such as dji, or unknown when no source establishes the make")
	d.require(v, given, v.pos, what, "as_of", "the date of the latest observation of its status")
	if _, ok := given["status"]; !ok && v.kind == mapNode {
		d.warnf(v.pos, CodeFieldRequired, "%s has no status; it counts as unknown (write active, grounded, retired or unknown)", what)
		f.Status = StatusUnknown
	}
	if _, ok := given["source"]; !ok && v.kind == mapNode {
		d.warnf(v.pos, CodeSourceMissing, "%s names no source for its status; add source: with a URL from the entry's sources", what)
	}
	if f.AsOf.IsZero() || (f.Vendor.ID == "" && !f.UnknownMake) || f.Status == "" {
		return f, false
	}
	if !f.Acquired.IsZero() && f.Acquired.After(f.AsOf) {
		d.errorf(acquiredPos, CodeDateOrder, "%s.acquired %s is after its as_of %s; as_of is the latest observation", what, f.Acquired, f.AsOf)
	}
	for j, h := range f.History {
		if h.Date.After(f.AsOf) {
			d.errorf(h.Pos, CodeDateOrder, "%s.history[%d] is dated %s, after the item's as_of %s; the item's own status and as_of must be its latest observation — swap them", what, j+1, h.Date, f.AsOf)
		}
	}
	_ = asOfPos
	return f, true
}

type citedSource struct {
	url  string
	pos  Pos
	what string // "fleet[2]", "fleet[2].history[1]"
}

// checkCitedSources reports fleet, history and exemption sources that the
// entry's sources do not list.
func (d *decoder) checkCitedSources() {
	listed := map[string]bool{}
	for _, s := range d.e.Sources {
		listed[s.URL] = true
	}
	for _, c := range d.cites {
		if c.url != "" && !listed[c.url] {
			d.errorf(c.pos, CodeSourceNotListed, "%s source %s is not in the entry's sources; add it there", c.what, c.url)
		}
	}
}

func (d *decoder) checkLawDates(l *Law, given map[string]Pos) {
	_, hasEnacted := given["enacted"]
	_, hasEffective := given["effective"]
	if lawApplies(l.Status) && !hasEnacted && !hasEffective { // an invalid date is reported as such
		d.errorf(given["status"], CodeFieldRequired, "%s law needs an enacted or effective date, so the tracker knows from when it applies", withArticle(l.Status))
	}
	if _, hasExpires := given["expires"]; (l.Status == "expired" || l.Status == "repealed") && !hasExpires {
		d.errorf(given["status"], CodeFieldRequired, "%s law needs expires: the day it stopped applying, so the tracker still answers for the years it applied", withArticle(l.Status))
	}
	if !l.Expires.IsZero() {
		start := l.Effective
		if start.IsZero() {
			start = l.Enacted
		}
		if !start.IsZero() && !l.Expires.After(start) {
			d.errorf(given["expires"], CodeDateOrder, "expires %s is not after the date the law takes effect, %s", l.Expires, start)
		}
	}
	if !l.Introduced.IsZero() && !l.Enacted.IsZero() && l.Enacted.Before(l.Introduced) {
		d.errorf(given["enacted"], CodeDateOrder, "enacted %s is before introduced %s", l.Enacted, l.Introduced)
	}
	if l.Status == "proposed" && !l.Enacted.IsZero() {
		d.warnf(given["enacted"], CodeDateOrder, "a proposed law has an enacted date; is its status enacted?")
	}
	if l.Measure == "" && !l.Restricts.IsZero() && !l.Listed {
		if p, ok := given["restricts"]; ok {
			d.warnf(p, CodeFieldRequired, "restricts is given without a measure; say what the law does to that hardware (%s), or list its provisions", strings.Join(lawMeasures, ", "))
		}
	}
}

// slugify suggests a slug for free text: "Facial Recognition" → "facial-recognition".
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// restriction decodes a restricts table: vendors by slug, countries of origin.
func (d *decoder) restriction(v *node, what string) Restriction {
	var r Restriction
	d.object(v, what, []spec{
		{"vendors", func(v *node, _ Pos) { r.Vendors = d.refList(v, "restricts.vendors", TypeVendor) }},
		{"countries", func(v *node, _ Pos) {
			for _, item := range d.list(v, what+".countries", 300) {
				if c, ok := d.country(item, what+".countries"); ok {
					r.Countries = append(r.Countries, c)
				}
			}
		}},
	}, nil)
	return r
}

// binds decodes a table of levels, kinds and agencies that agencies must
// match: a law's binds, or an exemption's matchers.
func (d *decoder) binds(v *node, what string) *Binds {
	b := &Binds{}
	field := what
	if i := strings.LastIndex(what, "."); i >= 0 {
		field = what[i+1:]
	}
	if strings.Contains(what, "exempts") {
		field = "exempts"
	}
	d.object(v, what, d.matchSpecs(b, what, field), nil)
	return b
}

// matchSpecs are the specs of the keys that say whom a law binds or
// exempts. field names the reference for backlinks ("binds", "exempts").
func (d *decoder) matchSpecs(b *Binds, what, field string) []spec {
	return []spec{
		{"levels", func(v *node, _ Pos) { b.Levels, b.HasLevels = d.enumList(v, what+".levels", agencyLevels), true }},
		{"kinds", func(v *node, _ Pos) { b.Kinds, b.HasKinds = d.enumList(v, what+".kinds", agencyKinds), true }},
		{"agencies", func(v *node, _ Pos) {
			b.Agencies, b.HasAgencies = d.refList(v, field+".agencies", TypeAgency), true
			if b.Agencies == nil {
				b.Agencies = []Ref{}
			}
		}},
	}
}

// exemptions decodes an exempts list: the agencies a law or provision lets
// off, what for, and the source that says so.
func (d *decoder) exemptions(v *node, what string) []Exemption {
	out := []Exemption{}
	for i, item := range d.list(v, what, maxExemptions) {
		ex := Exemption{Pos: item.pos}
		ew := fmt.Sprintf("%s[%d]", what, i+1)
		specs := append(d.matchSpecs(&ex.Match, ew, "exempts"),
			spec{"uses", func(v *node, _ Pos) { ex.Uses, _ = d.text(v, ew+".uses", maxTextLen) }},
			spec{"source", func(v *node, _ Pos) {
				ex.Source, _ = d.url(v, ew+".source")
				d.cites = append(d.cites, citedSource{url: ex.Source, pos: item.pos, what: ew})
			}},
		)
		given := d.object(item, "an exemption", specs, nil)
		if item.kind != mapNode {
			continue
		}
		if !ex.Match.HasLevels && !ex.Match.HasKinds && !ex.Match.HasAgencies {
			d.errorf(item.pos, CodeFieldRequired, "%s names no one: give the levels, kinds or agencies it exempts (for example agencies: [fbi])", ew)
			continue
		}
		if _, ok := given["source"]; !ok {
			d.warnf(item.pos, CodeSourceMissing, "%s names no source; add source: with the URL (listed in sources) of the text that grants it", ew)
		}
		out = append(out, ex)
	}
	return out
}

// rawProvision is a provision as written, before the law's defaults fill
// it in (the law's keys may come after its provisions).
type rawProvision struct {
	p                                                          Provision
	hasRestricts, hasBinds, hasExempts, hasEffective, hasEnded bool
	effectivePos, expiresPos                                   Pos
}

func (d *decoder) provision(v *node, i int) *Provision {
	rp := &rawProvision{p: Provision{Index: i, Pos: v.pos, Law: d.e}}
	p := &rp.p
	what := fmt.Sprintf("provisions[%d]", i+1)
	given := d.object(v, "a provision", []spec{
		{"measure", func(v *node, _ Pos) { p.Measure, _ = d.enum(v, what+".measure", lawMeasures) }},
		{"effective", func(v *node, _ Pos) {
			p.Effective, rp.hasEffective = d.date(v, what+".effective")
			rp.effectivePos = v.pos
		}},
		{"expires", func(v *node, _ Pos) { p.Expires, rp.hasEnded = d.date(v, what+".expires"); rp.expiresPos = v.pos }},
		{"restricts", func(v *node, _ Pos) { p.Restricts, rp.hasRestricts = d.restriction(v, what+".restricts"), true }},
		{"binds", func(v *node, _ Pos) { p.Binds, rp.hasBinds = d.binds(v, what+".binds"), true }},
		{"exempts", func(v *node, _ Pos) { p.Exempts, rp.hasExempts = d.exemptions(v, what+".exempts"), true }},
		{"note", func(v *node, _ Pos) { p.Note, _ = d.text(v, what+".note", maxTextLen) }},
	}, nil)
	if v.kind != mapNode {
		return nil
	}
	d.require(v, given, v.pos, what, "measure", strings.Join(lawMeasures, " | "))
	if p.Measure == "" {
		return nil
	}
	d.provs = append(d.provs, rp)
	return p
}

// resolveProvisions fills each provision's defaults from its law (or makes
// the law's single provision) and checks their dates and fields.
func (d *decoder) resolveProvisions(l *Law, given map[string]Pos, start Pos) {
	lawStart := l.Effective
	if lawStart.IsZero() {
		lawStart = l.Enacted
	}
	if !l.Listed {
		l.Provisions = []*Provision{{Law: d.e, Measure: l.Measure, Start: lawStart, End: l.Expires,
			Restricts: l.Restricts, Binds: l.Binds, Exempts: l.Exempts, Pos: given["measure"]}}
		if _, ok := given["measure"]; !ok {
			l.Provisions[0].Pos = start
		}
		return
	}
	if _, ok := given["measure"]; ok {
		d.warnf(given["measure"], CodeFieldUnknown, "measure is ignored when the law lists provisions: each provision gives its own; remove it")
	}
	for _, rp := range d.provs {
		p := &rp.p
		what := fmt.Sprintf("provisions[%d]", p.Index+1)
		p.Start, p.End = lawStart, l.Expires
		if rp.hasEffective {
			p.Start = p.Effective
		}
		if rp.hasEnded {
			p.End = p.Expires
		}
		if !rp.hasRestricts {
			p.Restricts = l.Restricts
		}
		if !rp.hasBinds {
			p.Binds = l.Binds
		}
		if !rp.hasExempts {
			p.Exempts = l.Exempts
		}
		if rp.hasEffective && !l.Enacted.IsZero() && p.Effective.Before(l.Enacted) {
			d.errorf(rp.effectivePos, CodeDateOrder, "%s.effective %s is before the law was enacted (%s); a provision cannot apply before its law: check both dates", what, p.Effective, l.Enacted)
		}
		if !p.End.IsZero() && !p.Start.IsZero() && !p.End.After(p.Start) {
			at := rp.expiresPos
			if !rp.hasEnded {
				at = p.Pos
			}
			d.errorf(at, CodeDateOrder, "%s ends (%s) before it takes effect (%s)", what, p.End, p.Start)
		}
		if Restricting(p.Measure) && p.Restricts.IsZero() {
			d.warnf(p.Pos, CodeFieldRequired, "%s is %s measure but restricts no hardware: give restricts: {vendors: […]} or {countries: […]} on it or on the law", what, withArticle(p.Measure))
		}
	}
}

// withArticle puts "a" or "an" before a word: "an enacted", "a repealed".
func withArticle(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
