package kb

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestContributorMistakes holds the mistakes a first-time contributor was
// seen to make, each with the whole of what check says about it: every
// diagnostic of the knowledge base, one a line.
func TestContributorMistakes(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		asOf  string // the date warnings are judged on; none if ""
		today string // the real date, when asOf is another (check --as-of)
		want  string
	}{
		{
			// The README's own example added a second Paris prefecture, and
			// the tracker listed Paris twice.
			name: "near-duplicate agency",
			files: map[string]string{
				"agencies/fr-prefecture-police-paris.md": "---\ntitle: Préfecture de police de Paris\ncountry: FR\nsources: [https://example.org/a]\n---\n",
				"agencies/paris-police-prefecture.md":    "---\ntitle: Paris Police Prefecture\ncountry: FR\nsources: [https://example.org/b]\n---\n",
			},
			want: `agencies/fr-prefecture-police-paris.md:2:1: warning: NEAR_DUPLICATE title "Préfecture de police de Paris" is close to that of agencies/paris-police-prefecture.md ("Paris Police Prefecture"); if they are the same agency, keep one entry and move what this one adds into it
agencies/paris-police-prefecture.md:2:1: warning: NEAR_DUPLICATE title "Paris Police Prefecture" is close to that of agencies/fr-prefecture-police-paris.md ("Préfecture de police de Paris"); if they are the same agency, keep one entry and move what this one adds into it
`,
		},
		{
			// Names that look alike on the page but differ in bytes: a
			// full-width title, zero-width spaces, and the same accented
			// title composed (NFC) and decomposed (NFD).
			name: "near duplicates that only look alike",
			files: map[string]string{
				"vendors/dji.md":        "---\ntitle: DJI\ncountry: CN\n---\n",
				"vendors/dji-wide.md":   "---\ntitle: ＤＪＩ\ncountry: CN\n---\n",
				"vendors/dji-hidden.md": "---\ntitle: \"D\\u200bJ\\u200bI\"\ncountry: CN\n---\n",
				"vendors/deja-nfc.md":   "---\ntitle: D\u00e9j\u00e0 Drones\ncountry: FR\n---\n",
				"vendors/deja-nfd.md":   "---\ntitle: De\u0301ja\u0300 Drones\ncountry: FR\n---\n",
			},
			want: `vendors/deja-nfc.md:2:1: warning: NEAR_DUPLICATE title "Déjà Drones" is close to that of vendors/deja-nfd.md ("Déjà Drones"); if they are the same vendor, keep one entry and move what this one adds into it
vendors/deja-nfd.md:2:1: warning: NEAR_DUPLICATE title "Déjà Drones" is close to that of vendors/deja-nfc.md ("Déjà Drones"); if they are the same vendor, keep one entry and move what this one adds into it
vendors/dji-hidden.md:2:1: warning: NEAR_DUPLICATE title "D\u200bJ\u200bI" is close to that of vendors/dji.md ("DJI") and 1 other vendor; if they are the same vendor, keep one entry and move what this one adds into it
vendors/dji-wide.md:2:1: warning: NEAR_DUPLICATE title "ＤＪＩ" is close to that of vendors/dji.md ("DJI") and 1 other vendor; if they are the same vendor, keep one entry and move what this one adds into it
vendors/dji.md:2:1: warning: NEAR_DUPLICATE title "DJI" is close to that of vendors/dji-hidden.md ("D\u200bJ\u200bI") and 1 other vendor; if they are the same vendor, keep one entry and move what this one adds into it
`,
		},
		{
			name: "near duplicates by short name, website and nearly the same title",
			files: map[string]string{
				"agencies/nypd.md":   "---\ntitle: New York City Police Department\nshort: NYPD\ncountry: US\nwebsite: https://www.nyc.gov/site/nypd/\nsources: [https://example.org/a]\n---\n",
				"agencies/nypd-2.md": "---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/nyc-pd.md": "---\ntitle: New York Police Department\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/police.md": "---\ntitle: City police\ncountry: US\nwebsite: http://nyc.gov/site/nypd\nsources: [https://example.org/a]\n---\n",
				// Numbers tell entries apart, and so do countries for a short name.
				"agencies/a-12.md": "---\ntitle: Agency 12 Police Department\nshort: PD\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/a-13.md": "---\ntitle: Agency 13 Police Department\nshort: PD\ncountry: FR\nsources: [https://example.org/a]\n---\n",
			},
			want: `agencies/nyc-pd.md:2:1: warning: NEAR_DUPLICATE title "New York Police Department" is close to that of agencies/nypd.md ("New York City Police Department")…
agencies/nypd-2.md:2:1: warning: NEAR_DUPLICATE title "NYPD" is close to that of agencies/nypd.md ("New York City Police Department")…
agencies/nypd.md:2:1: warning: NEAR_DUPLICATE title "New York City Police Department" is close to that of agencies/nyc-pd.md ("New York Police Department") and 2 other agencies…
agencies/police.md:4:1: warning: NEAR_DUPLICATE website is also that of agencies/nypd.md ("New York City Police Department")…
`,
		},
		{
			name: "incidents with one title on different days are not duplicates",
			files: map[string]string{
				"incidents/a.md": "---\ntitle: Drones over a protest\ndate: 2020-05-01\nsources: [https://example.org/a]\n---\n",
				"incidents/b.md": "---\ntitle: Drones over a protest\ndate: 2021-05-01\nsources: [https://example.org/a]\n---\n",
			},
		},
		{
			name: "a file at the top of content is an error",
			files: map[string]string{
				"x-police.md":    "---\ntitle: X\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"pages/about.md": "---\ntitle: About\n---\n",
			},
			want: "x-police.md: FILE_UNEXPECTED is not in a section, so it is no entry; its fields fit agencies/ or vendors/: move it into the one it belongs to (the site's own pages go in pages/)\n",
		},
		{
			// "move it into agencies/, vendors/, laws/ or incidents/",
			// when its fields say which; and each reference to it was
			// told to create it.
			name: "an entry at the top of content, or in a folder inside its section",
			files: map[string]string{
				"x-police.md":             fleetAgencyWith(),
				"vendors/dji.md":          "---\ntitle: DJI\ncountry: CN\n---\n",
				"vendors/de/aerofalke.md": "---\ntitle: Aerofalke\ncountry: DE\n---\n",
				"laws/ban.md":             "---\ntitle: Ban\ncountry: DE\nstatus: proposed\nmeasure: procurement\nrestricts: {vendors: [dji]}\nsources: [https://example.org/a]\n---\n",
				"incidents/a-flight.md":   "---\ntitle: A flight\ndate: 2026-03-14\nvendors: [aerofalke]\nagencies: [x-police]\nsources: [https://example.org/a]\n---\n",
				"bans.md":                 "---\ntitle: Ban\ncountry: DE\nstatus: proposed\nmeasure: procurement\nrestricts: {vendors: [dji]}\nsources: [https://example.org/a]\n---\n",
			},
			want: `bans.md: FILE_UNEXPECTED is not in a section, so it is no entry; its fields are those of laws and policies: move it to laws/ (git mv bans.md laws/bans.md)
vendors/de/aerofalke.md: FILE_UNEXPECTED is in a folder inside vendors/, so it is no entry: entries are files directly inside their section; move it up (git mv vendors/de/aerofalke.md vendors/aerofalke.md)
x-police.md: FILE_UNEXPECTED is not in a section, so it is no entry; its fields are those of agencies: move it to agencies/ (git mv x-police.md agencies/x-police.md)
`,
		},
		{
			name:  "a section named by its type",
			files: map[string]string{"agency/x.md": "---\ntitle: X\n---\n"},
			want:  `agency: FILE_UNEXPECTED is not a section; the sections are agencies, vendors, laws and incidents, and pages for the site's own pages; did you mean "agencies/"? rename the folder` + "\n",
		},
		{
			name: "an incident saved in agencies/",
			files: map[string]string{
				"agencies/nypd.md":             "---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\nSee [the hearing](../incidents/house-hearing.md).\n",
				"agencies/house-hearing.md":    "---\ntitle: House hearing on NYPD drones\ndate: 2024-05-16\nagencies: [nypd]\nkind: policy\nsources: [https://example.org/a]\n---\n",
				"incidents/links-to-it.md":     "---\ntitle: Later\ndate: 2024-06\nrelated: [incidents/house-hearing]\nsources: [https://example.org/a]\n---\n",
				"agencies/has-a-date-field.md": "---\ntitle: Y\ncountry: US\ndate: 2024\nsources: [https://example.org/a]\n---\n",
			},
			// One error, where the file goes; nothing in the files that
			// point at it; and one stray field is not a misplaced file.
			want: `agencies/has-a-date-field.md:4:1: FIELD_UNKNOWN unknown field "date" in front matter (date is a field of incident entries)
agencies/house-hearing.md:3:1: FILE_MISPLACED this is an incident, not an agency: date and agencies are fields of incidents; move it to incidents/ (git mv agencies/house-hearing.md incidents/house-hearing.md)
`,
		},
		{
			// It was told to git mv onto the incident of that name.
			name: "an incident saved in agencies/, whose name incidents/ has",
			files: map[string]string{
				"agencies/nypd.md":           "---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/house-hearing.md":  "---\ntitle: House hearing on NYPD drones\ndate: 2024-05-16\nagencies: [nypd]\nkind: policy\nsources: [https://example.org/a]\n---\n",
				"incidents/house-hearing.md": "---\ntitle: House hearing on NYPD drones\ndate: 2024-05-16\nagencies: [nypd]\nkind: policy\nsources: [https://example.org/a]\n---\n",
			},
			want: `agencies/house-hearing.md:3:1: FILE_MISPLACED this is an incident, not an agency: date and agencies are fields of incidents; incidents/house-hearing.md is there already: if it is the same incident, move what this file adds into it and delete this one; if not, move this one to incidents/ under another slug (git mv agencies/house-hearing.md incidents/SLUG.md)
`,
		},
		{
			name: "one tab in YAML: its own place, and no cascade",
			files: map[string]string{
				"vendors/dji.md":   "---\ntitle: DJI\ncountry: CN\nsummary: x\n\thq: Shenzhen\n---\n",
				"agencies/nypd.md": "---\ntitle: NYPD\ncountry: US\nfleet:\n  - vendor: dji\n    status: active\n    as_of: 2024\n    source: https://example.org/a\nsources: [https://example.org/a]\n---\nFlies [DJI](../vendors/dji.md) drones.\n",
				"laws/ban.md":      "---\ntitle: Ban\ncountry: US\nstatus: proposed\nrestricts: {vendors: [dji]}\nmeasure: procurement\nrelated: [vendors/dji]\nsources: [https://example.org/a]\n---\n",
			},
			want: "vendors/dji.md:5:1: SYNTAX YAML: a tab indents this line; indent with spaces\n",
		},
		{
			name: "a tab deep in a fleet item",
			files: map[string]string{
				"agencies/x.md": "---\ntitle: X\ncountry: US\nfleet:\n  - vendor: dji\n  \t  status: active\nsources: [https://example.org/a]\n---\n",
			},
			want: "agencies/x.md:6:3: SYNTAX YAML: a tab indents this line; indent with spaces\n",
		},
		{
			// Each check named the first tab, and the next check the
			// next one: a file indented with tabs took a run a line.
			name: "tabs indenting several lines",
			files: with(fleetAgency("    model: Mavic 3\n    count: 12\n", "\tmodel: Mavic 3\n\tcount: 12\n"),
				"agencies/b.md", fleetAgencyWith("  - vendor: aerofalke\n    model: AF-1\n    status: active\n    as_of: 2026-02-01\n",
					"\t- vendor: aerofalke\n\t\tmodel: AF-1\n\t\tstatus: active\n\t\tas_of: 2026-02-01\n", "X Police", "B Police")),
			want: "agencies/b.md:14:1: SYNTAX YAML: a tab indents this line, and 3 more below it (lines 15, 16 and 17); indent them with spaces (an editor's \"convert indentation to spaces\" does them all)\n" +
				"agencies/x-police.md:9:1: SYNTAX YAML: a tab indents this line, and line 10; indent them with spaces\n",
		},
		{
			name:  "an unquoted colon in a YAML title",
			files: map[string]string{"vendors/x.md": "---\ncountry: CN\ntitle: DJI: the world's largest maker # of drones\n---\n"},
			want:  `vendors/x.md:3:8: SYNTAX YAML: mapping values are not allowed in this context: the value of title holds ": "; put the title in quotes: title: "DJI: the world's largest maker"` + "\n",
		},
		{
			// yaml.v3 names no line for an alias to an unknown anchor:
			// the error was at the front matter's first line.
			name: "a value starting with *",
			files: with(fleetAgency("    model: Mavic 3", "    model: *Mavic 3"),
				"agencies/b.md", fleetAgencyWith("kind: police", "kind: *police", "X Police", "B Police")),
			want: `agencies/b.md:6:7: SYNTAX YAML: the value of kind starts with *, which YAML reads as the name of an anchor to repeat, not as text; a value starting with * must be quoted: kind: "*police"` + "\n" +
				`agencies/x-police.md:9:12: SYNTAX YAML: the value of model starts with *, which YAML reads as the name of an anchor to repeat, not as text; a value starting with * must be quoted: model: "*Mavic 3"` + "\n",
		},
		{
			// yaml.v3's own words, with no line of their own and no fix,
			// for values a contributor writes as they would in prose.
			name: "values YAML does not read as text",
			files: map[string]string{
				"vendors/a.md": "---\ntitle: 'Préfecture de l'Aisne'\ncountry: FR\n---\n",
				"vendors/b.md": "---\ntitle: \"Operation Sky\" drones\ncountry: FR\n---\n",
				"vendors/c.md": "---\ntitle: [Draft] drone policy\ncountry: FR\n---\n",
				"vendors/d.md": "---\ncountry: FR\ntitle: @dji drones\n---\n",
				"vendors/e.md": "---\ncountry: FR\ntitle: `dji` drones\n---\n",
				"vendors/f.md": "---\ncountry: FR\ntitle: %dji drones\n---\n",
				"vendors/g.md": "---\ncountry: FR\ntitle: *Approximate* count\n---\n",
				"vendors/h.md": "---\ntitle: H\nsummary: - dash\ncountry: FR\n---\n",
				"vendors/i.md": "---\ntitle: I\nsummary: \"a \\d b\"\ncountry: FR\n---\n",
				"vendors/j.md": "---\ntitle: J\ncountry: FR\nhq: 'Ville d'Avray, \"HQ\"'\n---\n",
			},
			want: `vendors/a.md:2:8: SYNTAX YAML: the value of title is in single quotes, and the apostrophe in it ends them; double the apostrophe, 'Préfecture de l''Aisne', or put the value in double quotes: title: "Préfecture de l'Aisne"` + "\n" +
				`vendors/b.md:2:8: SYNTAX YAML: the value of title starts with a quoted text and goes on after its closing quote; put the whole value in quotes: title: '"Operation Sky" drones'` + "\n" +
				`vendors/c.md:2:8: SYNTAX YAML: the value of title starts with [, which opens a list, and goes on after its ]; put the value in quotes: title: "[Draft] drone policy"` + "\n" +
				`vendors/d.md:3:8: SYNTAX YAML: the value of title starts with @, which YAML reserves; put the value in quotes: title: "@dji drones"` + "\n" +
				"vendors/e.md:3:8: SYNTAX YAML: the value of title starts with `, which YAML reserves; put the value in quotes: title: \"`dji` drones\"\n" +
				`vendors/f.md:3:8: SYNTAX YAML: the value of title starts with %, which YAML reserves; put the value in quotes: title: "%dji drones"` + "\n" +
				`vendors/g.md:3:8: SYNTAX YAML: the value of title starts with *, which YAML reads as the name of an anchor to repeat, not as text (markdown's emphasis shows as typed in front matter); a value starting with * must be quoted: title: "*Approximate* count"` + "\n" +
				`vendors/h.md:3:10: SYNTAX YAML: the value of summary starts with "- ", which starts an item of a list; put the value in quotes: summary: "- dash"` + "\n" +
				`vendors/i.md:3:10: SYNTAX YAML: the value of summary holds \d, which in double quotes is no escape; put the value in single quotes: summary: 'a \d b'` + "\n" +
				`vendors/j.md:4:5: SYNTAX YAML: the value of hq is in single quotes, and the apostrophe in it ends them; double the apostrophe: hq: 'Ville d''Avray, "HQ"'` + "\n",
		},
		{
			// The last key of the last fleet item moved to the start of
			// the line: source was told "did you mean sources?", count
			// "did you mean country?" (country being there) and status
			// that it is a field of law entries.
			name: "the last key of a fleet item dedented",
			files: with(fleetAgency("    source: https://example.org/b", "source: https://example.org/b"),
				"agencies/b.md", fleetAgencyWith("    source: https://example.org/b\n", "    source: https://example.org/b\ncount: 3\n", "X Police", "B Police"),
				"agencies/c.md", fleetAgencyWith("    status: active\n    as_of: 2026-02-01\n    source: https://example.org/b\n", "    as_of: 2026-02-01\n    source: https://example.org/b\nstatus: active\n", "X Police", "C Police"),
				// After a fleet in brackets there is no item to indent it
				// under.
				"agencies/d.md", "---\ntitle: D Police\ncountry: DE\nfleet: [{vendor: dji, status: active, as_of: 2026-03-14, source: https://example.org/a}]\nmodel: Mavic 3\nsources: [https://example.org/a]\n---\n"),
			want: "agencies/b.md:19:1: FIELD_UNKNOWN unknown field \"count\" in front matter; count is a field of each item of fleet: if it belongs to the item above, fleet[2], indent it as that item's keys (4 spaces)\n" +
				"agencies/c.md:14:5: warning: FIELD_REQUIRED fleet[2] has no status; it counts as unknown (write active, grounded, retired or unknown)\n" +
				"agencies/c.md:18:1: FIELD_UNKNOWN unknown field \"status\" in front matter; status is a field of each item of fleet: if it belongs to the item above, fleet[2], indent it as that item's keys (4 spaces)\n" +
				"agencies/d.md:5:1: FIELD_UNKNOWN unknown field \"model\" in front matter; model is a field of each item of fleet: write fleet: [{…, model: …}]\n" +
				"agencies/x-police.md:14:5: warning: SOURCE_MISSING fleet[2] names no source for its status; add source: with a URL from the entry's sources\n" +
				"agencies/x-police.md:18:1: FIELD_UNKNOWN unknown field \"source\" in front matter; source is a field of each item of fleet: if it belongs to the item above, fleet[2], indent it as that item's keys (4 spaces)\n",
		},
		{
			name:  "an unquoted TOML string",
			files: map[string]string{"vendors/x.md": "+++\ntitle = \"X\"\ncountry = CN\n+++\n"},
			want:  `vendors/x.md:3:11: SYNTAX TOML: unexpected character U+0043 'C' at start of value: text must be quoted; put the country in quotes: country = "CN"` + "\n",
		},
		{
			name: "vendor names written as names",
			files: map[string]string{
				"vendors/dji.md":    "---\ntitle: DJI\ncountry: CN\n---\n",
				"vendors/skydio.md": "---\ntitle: Skydio\ncountry: US\n---\n",
				"agencies/x.md":     "---\ntitle: X\ncountry: US\nfleet:\n  - vendor: DJI\n    status: active\n    as_of: 2024\n    source: https://example.org/a\n  - vendor: Parrot\n    status: active\n    as_of: 2024\n    source: https://example.org/a\n  - vendor: parrot\n    status: active\n    as_of: 2024\n    source: https://example.org/a\nsources: [https://example.org/a]\n---\n",
			},
			want: `agencies/x.md:5:13: SLUG_INVALID fleet[1].vendor "DJI" is not a slug (lower-case a-z, 0-9 and -); did you mean "dji"?
agencies/x.md:9:13: SLUG_INVALID fleet[2].vendor "Parrot" is not a slug (lower-case a-z, 0-9 and -), and there is no vendor "parrot"; create it with ` + "`dronekb new vendor parrot`" + `, or name a known vendor: dji, skydio
agencies/x.md:13:13: REF_NOT_FOUND unknown vendor "parrot"; create it with ` + "`dronekb new vendor parrot`" + `, or name a known vendor: dji, skydio
`,
		},
		{
			name: "country names",
			files: map[string]string{
				"vendors/a.md": "---\ntitle: A\ncountry: United States\n---\n",
				"vendors/b.md": "---\ntitle: B\ncountry: USA\n---\n",
				"vendors/c.md": "---\ntitle: C\ncountry: U.S.\n---\n",
				"vendors/d.md": "---\ntitle: D\ncountry: France\n---\n",
			},
			want: `vendors/a.md:3:10: COUNTRY_INVALID country "United States" is not an ISO 3166-1 alpha-2 country code; did you mean "US"?
vendors/b.md:3:10: COUNTRY_INVALID country "USA" is not an ISO 3166-1 alpha-2 country code; did you mean "US"?
vendors/c.md:3:10: COUNTRY_INVALID country "U.S." is not an ISO 3166-1 alpha-2 country code; did you mean "US"?
vendors/d.md:3:10: COUNTRY_INVALID country "France" is not an ISO 3166-1 alpha-2 country code; did you mean "FR"?
`,
		},
		{
			// yaml.v3 named the line of the first item, where the list
			// starts, and said what it expected rather than what to do.
			name:  "a key of a fleet item indented one space too few",
			files: fleetAgency("    as_of: 2026-03-14", "   as_of: 2026-03-14"),
			want:  "agencies/x-police.md:12:4: SYNTAX YAML: as_of is indented 3 spaces, which lines it up with no key above it; indent it as the keys above it (4 spaces)\n",
		},
		{
			// One space in: nearer the front matter's column than the
			// item's, and a law's field is called status. Told to start
			// the line, it cut the item's keys below off (found in
			// review).
			name:  "a fleet item's status indented one space",
			files: fleetAgency("    status: active\n    as_of: 2026-03-14", " status: active\n    as_of: 2026-03-14"),
			want:  "agencies/x-police.md:11:2: SYNTAX YAML: status is indented 1 space, which lines it up with no key above it; indent it as the keys above it (4 spaces)\n",
		},
		{
			name:  "a source's title indented one space",
			files: fleetAgency("    title: Bayerns Polizei setzt auf DJI-Drohnen", " title: Bayerns Polizei setzt auf DJI-Drohnen"),
			want:  "agencies/x-police.md:21:2: SYNTAX YAML: title is indented 1 space, which lines it up with no key above it; indent it as the keys above it (4 spaces)\n",
		},
		{
			name:  "a key of a source indented one space too few",
			files: fleetAgency("    title: Aerofalke", "   title: Aerofalke"),
			want:  "agencies/x-police.md:23:4: SYNTAX YAML: title is indented 3 spaces, which lines it up with no key above it; indent it as the keys above it (4 spaces)\n",
		},
		{
			// Told to indent url as the keys above it, the contributor
			// would have nested the item in the one above.
			name:  "a source's dash indented one space too many",
			files: fleetAgency("  - url: https://example.org/b", "   - url: https://example.org/b"),
			want:  `agencies/x-police.md:22:4: SYNTAX YAML: this item of sources is indented 3 spaces, but the items above it are indented 2 spaces (line 20); start its "- " 2 spaces in, as theirs` + "\n",
		},
		{
			name:  "a fleet item's dash indented one space too few",
			files: fleetAgency("  - vendor: aerofalke", " - vendor: aerofalke"),
			want:  `agencies/x-police.md:14:2: SYNTAX YAML: this item of fleet is indented 1 space, but the items above it are indented 2 spaces (line 8); start its "- " 2 spaces in, as theirs` + "\n",
		},
		{
			// One space left of a history list's items: nearest to that
			// list, but an item of the fleet, whose items have a vendor.
			name: "a fleet item's dash indented next to a history list",
			files: fleetAgency("    source: https://example.org/a\n  - vendor: aerofalke",
				"    source: https://example.org/a\n    history:\n      - date: 2025-01-01\n        status: active\n        source: https://example.org/a\n     - vendor: aerofalke"),
			want: `agencies/x-police.md:18:6: SYNTAX YAML: this item of fleet is indented 5 spaces, but the items above it are indented 2 spaces (line 8); start its "- " 2 spaces in, as theirs` + "\n",
		},
		{
			name:  "a key of a fleet item indented as its dash",
			files: fleetAgency("    as_of: 2026-03-14", "  as_of: 2026-03-14"),
			want:  `agencies/x-police.md:12:3: SYNTAX YAML: as_of is indented 2 spaces, in the column of the "- " that starts each item of fleet; indent it as the keys above it (4 spaces)` + "\n",
		},
		{
			name:  "a field of the front matter indented one space",
			files: fleetAgency("sources:", " sources:"),
			want:  "agencies/x-police.md:19:2: SYNTAX YAML: sources is indented 1 space, which lines it up with no key above it; start it at the beginning of the line, as fleet on line 7\n",
		},
		{
			// The reading of the indentation goes past a quoted value
			// over lines, and past a list in brackets over lines.
			name: "a key indented one space too few below values over lines",
			files: fleetAgency("title: X Police", "title: \"X Police,\n  Bavaria\"\ntags: [police,\n  bavaria]",
				"    title: Aerofalke", "   title: Aerofalke"),
			want: "agencies/x-police.md:26:4: SYNTAX YAML: title is indented 3 spaces, which lines it up with no key above it; indent it as the keys above it (4 spaces)\n",
		},
		{
			name:  "a source's keys in a list of URLs",
			files: fleetAgency("  - url: https://example.org/a\n    title: Bayerns Polizei setzt auf DJI-Drohnen\n  - url:", "  - https://example.org/a\n  url:"),
			want:  "agencies/x-police.md:21:3: SYNTAX YAML: url starts another item of sources, but without the \"- \" that starts each item; write `  - url: https://example.org/b`\n",
		},
		{
			name:  "a fleet item without its dash, in the column of the dash",
			files: fleetAgency("  - vendor: aerofalke", "  vendor: aerofalke"),
			want:  "agencies/x-police.md:14:3: SYNTAX YAML: vendor starts another item of fleet, but without the \"- \" that starts each item; write `  - vendor: aerofalke`\n",
		},
		{
			name:  "no space after the colon of a fleet item's key",
			files: fleetAgency("    count: 12", "    count:12"),
			want:  "agencies/x-police.md:10:10: SYNTAX YAML: the colon in `count:12` has no space after it, so the line is not read as a key and its value; put a space after the colon: `count: 12`\n",
		},
		{
			name:  "no space after the colon of a field",
			files: fleetAgency("kind: police", "kind:police"),
			want:  "agencies/x-police.md:6:5: SYNTAX YAML: the colon in `kind:police` has no space after it, so the line is not read as a key and its value; put a space after the colon: `kind: police`\n",
		},
		{
			// YAML reads "vendor:dji" as text that runs on into the next
			// line, and stops at the ": " there.
			name:  "no space after the colon of an item's first key",
			files: fleetAgency("  - vendor: dji", "  - vendor:dji"),
			want:  "agencies/x-police.md:8:11: SYNTAX YAML: the colon in `vendor:dji` has no space after it, so the line is not read as a key and its value; put a space after the colon: `vendor: dji`\n",
		},
		{
			// Valid YAML: the second item's keys were read as the first
			// item's, each "given twice; keep one", which deleted the
			// second item when followed.
			name:  "a fleet item without its dash",
			files: fleetAgency("  - vendor: aerofalke", "    vendor: aerofalke"),
			want:  "agencies/x-police.md:14:5: SYNTAX YAML: vendor here starts another fleet item without the \"- \" that starts each fleet item; write `  - vendor: aerofalke`\n",
		},
		{
			// A newer status and as_of added under an item's own are two
			// keys given twice, not another item: splitting them off
			// made a phantom fleet[2] without a vendor (found in review).
			name:  "an item's status and as_of given again",
			files: fleetAgency("    source: https://example.org/a\n", "    source: https://example.org/a\n    status: grounded\n    as_of: 2026-09-01\n"),
			want: "agencies/x-police.md:14:5: KEY_DUPLICATE key \"status\" is given twice in a fleet item; keep one\n" +
				"agencies/x-police.md:15:5: KEY_DUPLICATE key \"as_of\" is given twice in a fleet item; keep one\n",
		},
		{
			// In braces a table cannot take a "- " before its keys: the
			// advice to write `fleet: {- vendor: dji, …}` was not YAML
			// (found in review).
			name: "a fleet written as one table in braces",
			files: fleetAgency("fleet:\n  - vendor: dji\n    model: Mavic 3\n    count: 12\n    status: active\n    as_of: 2026-03-14\n    source: https://example.org/a\n  - vendor: aerofalke\n    model: AF-1\n    status: active\n    as_of: 2026-02-01\n    source: https://example.org/b\n",
				"fleet: {vendor: dji, status: active, as_of: 2026-03-14, source: https://example.org/a}\n"),
			want: "agencies/x-police.md:7:8: FIELD_TYPE fleet must be a list, not a table of keys\n",
		},
		{
			name:  "a source without its dash",
			files: fleetAgency("  - url: https://example.org/b", "    url: https://example.org/b"),
			want:  "agencies/x-police.md:22:5: SYNTAX YAML: url here starts another source without the \"- \" that starts each source; write `  - url: https://example.org/b`\n",
		},
		{
			name: "sources without their dashes",
			files: fleetAgency("  - url: https://example.org/a\n    title: Bayerns Polizei setzt auf DJI-Drohnen\n  - url: https://example.org/b\n    title:",
				"  url: https://example.org/a\n  title: Bayerns Polizei setzt auf DJI-Drohnen\n  url: https://example.org/b\n  title:"),
			want: "agencies/x-police.md:20:3: FIELD_TYPE sources must be a list: each source starts with \"- \"; write `- url: https://example.org/a`\n" +
				"agencies/x-police.md:22:3: SYNTAX YAML: url here starts another source without the \"- \" that starts each source; write `- url: https://example.org/b`\n",
		},
		{
			// The second item has its "- ": yaml.v3 stops there.
			name:  "a first source without its dash",
			files: fleetAgency("  - url: https://example.org/a", "    url: https://example.org/a"),
			want:  "agencies/x-police.md:20:5: SYNTAX YAML: url starts an item of sources without the \"- \" that starts each, as on line 22; write `  - url: https://example.org/a`\n",
		},
		{
			name: "a first fleet item without its dash, in the column of the dash",
			files: fleetAgency("  - vendor: dji\n    model: Mavic 3\n    count: 12\n    status: active\n    as_of: 2026-03-14\n    source: https://example.org/a\n",
				"  vendor: dji\n  model: Mavic 3\n  count: 12\n  status: active\n  as_of: 2026-03-14\n  source: https://example.org/a\n"),
			want: "agencies/x-police.md:8:3: SYNTAX YAML: vendor starts an item of fleet without the \"- \" that starts each, as on line 14; write `  - vendor: dji`, and indent the keys below it 4 spaces, as those of the item on line 14\n",
		},
		{
			name:  "a key given twice in a fleet item",
			files: fleetAgency("    count: 12\n", "    count: 12\n    status: grounded\n"),
			want:  "agencies/x-police.md:12:5: KEY_DUPLICATE key \"status\" is given twice in a fleet item; keep one\n",
		},
		{
			// `dronekb new vendor unknown` refuses the name it was told
			// to create: unknown is the vendor of a make no source
			// establishes.
			name: "the unknown make written otherwise",
			files: with(fleetAgency("vendor: aerofalke", "vendor: Unknown"),
				"agencies/b.md", fleetAgencyWith("vendor: aerofalke", "vendor: unkown", "X Police", "B Police"),
				"agencies/c.md", fleetAgencyWith("vendor: aerofalke", "vendor: none", "X Police", "C Police"),
				"agencies/d.md", fleetAgencyWith("vendor: aerofalke", "vendor: n/a", "X Police", "D Police"),
				"agencies/e.md", fleetAgencyWith("vendor: aerofalke", `vendor: "?"`, "X Police", "E Police"),
				"agencies/f.md", fleetAgencyWith("vendor: aerofalke", "vendor: unknwon", "X Police", "F Police"),
				"laws/ban.md", "---\ntitle: Ban\ncountry: DE\nstatus: proposed\nmeasure: procurement\nrestricts: {vendors: [dji, unknown]}\nsources: [https://example.org/a]\n---\n"),
			want: "agencies/b.md:14:13: REF_NOT_FOUND unknown vendor \"unkown\"; if no source establishes the make, write vendor: unknown, the value reserved for that; or name a known vendor: dji, aerofalke\n" +
				"agencies/c.md:14:13: REF_NOT_FOUND unknown vendor \"none\"; if no source establishes the make, write vendor: unknown, the value reserved for that; or name a known vendor: dji, aerofalke\n" +
				"agencies/d.md:14:13: SLUG_INVALID fleet[2].vendor \"n/a\" is not a slug (lower-case a-z, 0-9 and -); if no source establishes the make, write vendor: unknown, the value reserved for that; or name a known vendor: dji, aerofalke\n" +
				"agencies/e.md:14:13: SLUG_INVALID fleet[2].vendor \"?\" is not a slug (lower-case a-z, 0-9 and -); if no source establishes the make, write vendor: unknown, the value reserved for that\n" +
				"agencies/f.md:14:13: REF_NOT_FOUND unknown vendor \"unknwon\"; if no source establishes the make, write vendor: unknown, the value reserved for that; or name a known vendor: dji, aerofalke\n" +
				"agencies/x-police.md:14:13: SLUG_INVALID fleet[2].vendor \"Unknown\" is not a slug (lower-case a-z, 0-9 and -): write vendor: unknown, in lower case\n" +
				"laws/ban.md:6:28: REF_NOT_FOUND unknown vendor \"unknown\"; no vendor can be called \"unknown\", a reserved name; name a known vendor: dji, aerofalke\n",
		},
		{
			name:  "the unknown make written otherwise, before any vendor",
			files: map[string]string{"agencies/x-police.md": fleetAgencyWith("vendor: dji", "vendor: none", "vendor: aerofalke", "vendor: N/A")},
			want: "agencies/x-police.md:8:13: REF_NOT_FOUND unknown vendor \"none\"; if no source establishes the make, write vendor: unknown, the value reserved for that\n" +
				"agencies/x-police.md:14:13: SLUG_INVALID fleet[2].vendor \"N/A\" is not a slug (lower-case a-z, 0-9 and -); if no source establishes the make, write vendor: unknown, the value reserved for that\n",
		},
		// One broken source was also "no source at all" (SOURCE_MISSING)
		// and, once for each fleet item citing it, a source to add
		// (SOURCE_NOT_LISTED), although the list was there.
		{
			name:  "a source without its url",
			files: fleetAgency("  - url: https://example.org/b\n    title: Aerofalke", "  - title: Aerofalke"),
			want:  `agencies/x-police.md:22:5: FIELD_REQUIRED a source needs "url" (the http(s) address of the document)` + "\n",
		},
		{
			name: "the only source without its url",
			files: fleetAgency("    source: https://example.org/b", "    source: https://example.org/a",
				"  - url: https://example.org/a\n    title: Bayerns", "  - title: Bayerns",
				"  - url: https://example.org/b\n    title: Aerofalke delivers its AF-1\n", "", " [2]", ""),
			want: `agencies/x-police.md:20:5: FIELD_REQUIRED a source needs "url" (the http(s) address of the document)` + "\n",
		},
		{
			// A citation is no URL to percent-encode.
			name: "a source written as a citation",
			files: fleetAgency("  - url: https://example.org/a\n    title: Bayerns Polizei setzt auf DJI-Drohnen",
				"  - Bayerns Polizei setzt auf DJI-Drohnen, Example News, 2026-03-14"),
			want: "agencies/x-police.md:20:5: URL_INVALID sources[1] \"Bayerns Polizei setzt auf DJI-Drohnen, Example News, 2026-03-14\" is not a URL: a source is the web address of a document, written `- url: https://…`, with its title optional below it (`title: …`)\n",
		},
		{
			name:  "a source's url without https://",
			files: fleetAgency("  - url: https://example.org/a", "  - url: example.org/a"),
			want:  `agencies/x-police.md:20:10: URL_INVALID sources[1].url "example.org/a" is not an http or https URL; did you mean "https://example.org/a"?` + "\n",
		},
		{
			// Two URLs cited and not listed, one source refused: which
			// one it was meant to be is not known.
			name: "more sources missing than refused",
			files: fleetAgency("    source: https://example.org/b", "    source: https://example.org/c",
				"  - url: https://example.org/a\n    title: Bayerns", "  - title: Bayerns"),
			want: "agencies/x-police.md:13:13: SOURCE_NOT_LISTED fleet[1] source https://example.org/a is not in the entry's sources; add it there\n" +
				"agencies/x-police.md:18:13: SOURCE_NOT_LISTED fleet[2] source https://example.org/c is not in the entry's sources; add it there\n" +
				`agencies/x-police.md:20:5: FIELD_REQUIRED a source needs "url" (the http(s) address of the document)` + "\n",
		},
		{
			// Each was reported at the item's "- vendor" line, a screen
			// above the URL or the date to correct.
			name: "a fleet item's unlisted source and late dates, at the field",
			files: fleetAgency("    as_of: 2026-03-14\n    source: https://example.org/a",
				"    as_of: 2062-03-14\n    source: https://example.org/c\n    history:\n      - date: 2025-01-10\n        status: active\n        source: https://example.org/d",
				"    as_of: 2026-02-01", "    as_of: 2027-02-01\n    history:\n      - {date: 2027-01-01, status: active, source: \"https://example.org/b\"}"),
			asOf: "2026-06-01",
			want: `agencies/x-police.md:12:12: warning: OBSERVED_AFTER_AS_OF fleet[1] (dji Mavic 3) is observed on 2062-03-14 (its as_of), after today (2026-06-01)…
agencies/x-police.md:13:13: SOURCE_NOT_LISTED fleet[1] source https://example.org/c is not in the entry's sources; add it there
agencies/x-police.md:17:17: SOURCE_NOT_LISTED fleet[1].history[1] source https://example.org/d is not in the entry's sources; add it there
agencies/x-police.md:23:16: warning: OBSERVED_AFTER_AS_OF fleet[2] (aerofalke AF-1) is first observed on 2027-01-01, after today (2026-06-01)…
`,
		},
		{
			// A file whose name is no slug beside the file it would be
			// renamed to was told to rename it onto that file.
			name: "a misnamed file beside the file of its slug",
			files: map[string]string{
				"agencies/NYPD.md": "---\ntitle: New York City Police Department\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/nypd.md": "---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\n",
			},
			want: `agencies/NYPD.md: SLUG_INVALID file name "NYPD.md" is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters); agencies/nypd.md is there already: if it is the same entry, move what this file adds into it and delete this one; if not, rename this one to another slug
`,
		},
		{
			// A reference a letter off an entry whose file name is no
			// slug was told to name it as the file does: did you mean
			// "NYPD"?, which check refuses. It is told the slug the
			// file is to be renamed to, once however many files give it.
			name: "a typo near an entry whose file name is no slug",
			files: map[string]string{
				"agencies/NYPD.md":  "---\ntitle: New York City Police Department\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/Nypd.md":  "---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/con.md":   "---\ntitle: Con\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"incidents/2024.md": "---\ntitle: A hearing\ndate: 2024-01-01\ncountry: US\nkind: policy\nagencies: [nypdd, cno]\nrelated: [agencies/nypdd]\nsources: [https://example.org/a]\n---\nSee [the NYPD](../agencies/nypdd.md).\n",
			},
			want: `agencies/NYPD.md: SLUG_INVALID file name "NYPD.md" is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters); rename it to "nypd.md"
agencies/Nypd.md: SLUG_INVALID file name "Nypd.md" is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters); rename it to "nypd.md"
agencies/con.md: SLUG_INVALID file name "con.md" cannot be checked out on Windows…
incidents/2024.md:6:12: REF_NOT_FOUND unknown agency "nypdd"; did you mean "nypd"?
incidents/2024.md:6:19: REF_NOT_FOUND unknown agency "cno"; create it with ` + "`dronekb new agency cno`" + `, or name a known agency: nypd
incidents/2024.md:7:11: REF_NOT_FOUND related entry "agencies/nypdd" does not exist; did you mean "agencies/nypd"?
incidents/2024.md:10:5: LINK_NOT_FOUND link to agencies/nypdd.md: there is no agency "nypdd"; did you mean "nypd"?
`,
		},
		{
			// dronekb check --as-of 2025 warned of 29 observations of the
			// shipped content, dated after 2025-01-01 and long past, and
			// --strict failed: only a date after today is a slip.
			name:  "observations after a past --as-of, and after today",
			files: fleetAgency("as_of: 2026-02-01", "as_of: 2062-02-01"),
			asOf:  "2025-01-01",
			today: "2026-06-01",
			want: `agencies/x-police.md:17:12: warning: OBSERVED_AFTER_AS_OF fleet[2] (aerofalke AF-1) is first observed on 2062-02-01, after today (2026-06-01), so the tracker leaves it out until then; a date in the future is most likely a slip: check it against the source
`,
		},
		{
			// A final "/" made another URL: the second source was no
			// duplicate, and the item citing it was told to add to
			// sources the URL it lists already.
			name: "a source listed again with a final slash, and cited so",
			files: fleetAgency("    source: https://example.org/b", "    source: https://example.org/b/",
				"    title: Aerofalke delivers its AF-1\n", "    title: Aerofalke delivers its AF-1\n  - url: https://example.org/a/\n"),
			want: `agencies/x-police.md:18:13: SOURCE_NOT_LISTED fleet[2] source https://example.org/b/ is not in the entry's sources; sources[2], https://example.org/b, differs from it only by a final "/": if it is that page, cite it as listed (source: https://example.org/b); if not, add this URL to sources
agencies/x-police.md:24:10: warning: SOURCE_DUPLICATE sources[3] https://example.org/a/ differs from sources[1], https://example.org/a, only by a final "/", so they are most likely one page listed twice: if so, keep one, and cite its number where the text cites the other's
`,
		},
		{
			// Case in a host name, a default port and an empty path make
			// no other URL; a #fragment is a place in the same document.
			name: "a source listed again, written otherwise or with a fragment",
			files: fleetAgency("    source: https://example.org/b", "    source: https://EXAMPLE.org:443/b",
				"    title: Aerofalke delivers its AF-1\n", "    title: Aerofalke delivers its AF-1\n  - url: https://Example.org/a\n  - url: https://example.org/b#page=3\n"),
			want: `agencies/x-police.md:18:13: SOURCE_NOT_LISTED fleet[2] source https://EXAMPLE.org:443/b is not in the entry's sources as written: sources[2] is https://example.org/b, the same URL written otherwise; cite it as listed (source: https://example.org/b)
agencies/x-police.md:24:10: warning: SOURCE_DUPLICATE sources[3] https://Example.org/a is sources[1], https://example.org/a, written otherwise (the case of a scheme or host name, a default port and a "/" after the host name alone change no URL); remove it, and in the text cite [1] for [3] and renumber the citations after it
agencies/x-police.md:25:10: warning: SOURCE_DUPLICATE sources[4] https://example.org/b#page=3 differs from sources[2], https://example.org/b, only by a #fragment, a place in the document, so they are most likely one document listed twice: unless the text needs that place, keep one, and cite its number where the text cites the other's
`,
		},
		{
			// ".markdown is not a markdown file" was false, and every
			// reference to the entry was reported too.
			name: "entries named .markdown or .MD",
			files: map[string]string{
				"vendors/dji.markdown":  "---\ntitle: DJI\ncountry: CN\n---\n",
				"vendors/Parrot.MD":     "---\ntitle: Parrot\ncountry: FR\n---\n",
				"vendors/skydio.md":     "---\ntitle: Skydio\ncountry: US\n---\n",
				"vendors/skydio.mdown":  "---\ntitle: Skydio\ncountry: US\n---\n",
				"vendors/notes.txt":     "DJI, Parrot, Skydio",
				"agencies/x-police.md":  fleetAgencyWith("vendor: aerofalke", "vendor: skydio"),
				"laws/ban.md":           "---\ntitle: Ban\ncountry: US\nstatus: proposed\nmeasure: procurement\nrestricts: {vendors: [dji]}\nsources: [https://example.org/a]\n---\n",
				"incidents/a-flight.md": "---\ntitle: A flight\ndate: 2026-03-14\nvendors: [dji]\nsources: [https://example.org/a]\n---\nA [DJI](../vendors/dji.md) drone flew.\n",
			},
			want: `vendors/Parrot.MD: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md; rename it to "parrot.md" (git mv vendors/Parrot.MD vendors/parrot.md)
vendors/dji.markdown: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md; rename it to "dji.md" (git mv vendors/dji.markdown vendors/dji.md)
vendors/notes.txt: FILE_NOT_MARKDOWN is not a markdown file; entries are <slug>.md files
vendors/skydio.mdown: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md, and vendors/skydio.md is one already: move what this file adds into it, and delete this one
`,
		},
		{
			// "source:" for sources was one error, and eight more: no
			// source at all, each fleet item's source not listed, each
			// citation out of range. What is checked once the front
			// matter is read (an observation after its source) waits
			// for the key to be spelt right too.
			name: "a list's key misspelt",
			files: with(fleetAgency("sources:\n", "source:\n"),
				"agencies/b.md", fleetAgencyWith("fleet:\n", "flet:\n", "X Police", "B Police",
					"    title: Bayerns Polizei setzt auf DJI-Drohnen", "    title: Bayerns Polizei setzt auf DJI-Drohnen\n    date: 2026-03-14",
					"    as_of: 2026-03-14", "    as_of: 2026-04-14")),
			want: `agencies/b.md:7:1: FIELD_UNKNOWN unknown field "flet" in front matter; did you mean "fleet"?
agencies/x-police.md:19:1: FIELD_UNKNOWN unknown field "source" in front matter; did you mean "sources"?
`,
		},
		{
			// "never closed; end it with a line ---" pointed at line 1,
			// and left the contributor to find where.
			name: "front matter whose closing line is missing or misspelt",
			files: with(fleetAgency("AF-1\n---\nFlies", "AF-1\n\nFlies"),
				"agencies/b.md", fleetAgencyWith("AF-1\n---\nFlies", "AF-1\n...\nFlies", "X Police", "B Police")),
			want: `agencies/b.md:24:1: FRONT_MATTER_MISSING the front matter opened by "---" on line 1 is never closed; line 24, "...", is not its closing line: write a line "---" instead
agencies/x-police.md:25:1: FRONT_MATTER_MISSING the front matter opened by "---" on line 1 is never closed; line 25 reads as the text, not a field: put a line "---" before it
`,
		},
		{
			// An entry saved as text, or with .md twice, was "not a
			// markdown file" with no name to give it, or told to become
			// dji-md.md; and every reference to it was told to create it.
			name: "entries saved as .txt, .yaml, .md.txt, .md.md or with no extension",
			files: map[string]string{
				"vendors/dji.txt":       "---\ntitle: DJI\ncountry: CN\n---\n",
				"vendors/parrot.md.txt": "\ufeff---\r\ntitle: Parrot\r\ncountry: FR\r\n---\r\n",
				"vendors/skydio.yaml":   "---\ntitle: Skydio\ncountry: US\n---\n",
				"vendors/autel":         "---\ntitle: Autel\ncountry: CN\n---\n",
				"vendors/yuneec.md.md":  "---\ntitle: Yuneec\ncountry: CN\n---\n",
				"vendors/notes.txt":     "DJI, Parrot, Skydio",
				"vendors/logo.png":      "---\n",
				"incidents/a-flight.md": "---\ntitle: A flight\ndate: 2026-03-14\nvendors: [dji, parrot, skydio, autel, yuneec]\nsources: [https://example.org/a]\n---\nA [DJI](../vendors/dji.md) drone flew.\n",
			},
			want: `vendors/autel: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md; rename it to "autel.md" (git mv vendors/autel vendors/autel.md)
vendors/dji.txt: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md; rename it to "dji.md" (git mv vendors/dji.txt vendors/dji.md)
vendors/logo.png: FILE_NOT_MARKDOWN is not a markdown file; entries are <slug>.md files
vendors/notes.txt: FILE_NOT_MARKDOWN is not a markdown file; entries are <slug>.md files
vendors/parrot.md.txt: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md; rename it to "parrot.md" (git mv vendors/parrot.md.txt vendors/parrot.md)
vendors/skydio.yaml: FILE_NOT_MARKDOWN is not read: entries are named <slug>.md; rename it to "skydio.md" (git mv vendors/skydio.yaml vendors/skydio.md)
vendors/yuneec.md.md: SLUG_INVALID file name "yuneec.md.md" is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters); rename it to "yuneec.md"
`,
		},
		{
			// Each also said the field was missing: "the agency has no
			// region", "no level".
			name: "a region or level given but not valid",
			files: with(fleetAgency("region: DE-BY", "region: FR-75"),
				"agencies/b.md", fleetAgencyWith("region: DE-BY", "region: Bayern", "X Police", "B Police"),
				"agencies/c.md", fleetAgencyWith("region: DE-BY", "region: DE-XX", "X Police", "C Police"),
				"agencies/d.md", fleetAgencyWith("level: state", "level: State", "X Police", "D Police"),
				"laws/by-ban.md", "---\ntitle: Bavarian drone rule\ncountry: DE\nregion: DE-BY\nstatus: enacted\nenacted: 2025-01-01\nmeasure: procurement\nrestricts: {vendors: [dji]}\nbinds: {levels: [state, local]}\nsources: [https://example.org/law]\n---\n"),
			asOf: "2026-06-01",
			want: `agencies/b.md:4:9: REGION_INVALID region "Bayern" is not an ISO 3166-2 region code such as US-NY or FR-75; did you mean "DE-BY" (Bayern)?
agencies/c.md:4:9: REGION_INVALID region "DE-XX" is not an ISO 3166-2 region code such as US-NY or FR-75
agencies/d.md:5:8: FIELD_ENUM level "State" is not one of national, state, local; did you mean "state"?
agencies/x-police.md:4:9: REGION_INVALID region "FR-75" is not in country DE; a region code starts with its country (DE-…)
`,
		},
		{
			name:  "a measure given but not valid",
			files: map[string]string{"laws/ban.md": "---\ntitle: Ban\ncountry: DE\nstatus: proposed\nmeasure: ban\nrestricts: {vendors: [dji]}\nsources: [https://example.org/a]\n---\n", "vendors/dji.md": "---\ntitle: DJI\ncountry: CN\n---\n"},
			asOf:  "2026-06-01",
			want:  "laws/ban.md:5:10: FIELD_ENUM measure \"ban\" is not one of procurement, operation, funding, data, review, advisory\n",
		},
		{
			name:  "dates not written YYYY-MM-DD",
			files: fleetAgency("as_of: 2026-03-14", "as_of: 06/12/2026", "as_of: 2026-02-01", "as_of: 2026-12-5"),
			want: `agencies/x-police.md:12:12: DATE_INVALID fleet[1].as_of: "06/12/2026" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; 06/12/2026 is ambiguous: it is 2026-12-06 if the day comes first (6 December 2026), 2026-06-12 if the month does (12 June 2026); check which the source means
agencies/x-police.md:17:12: DATE_INVALID fleet[2].as_of: "2026-12-5" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2026-12-05?
`,
		},
		{
			// History written as dates and statuses, "- 2025-06-01:
			// grounded": three errors and a warning for each observation,
			// or, without the dashes, "must be a list, not a table of
			// keys".
			name: "history written as dates and statuses",
			files: with(fleetAgency("    source: https://example.org/a\n", "    source: https://example.org/a\n    history:\n      - 2025-06-01: grounded\n      - 2025-09-01: active\n",
				"    source: https://example.org/b\n", "    source: https://example.org/b\n    history:\n      2025-06-01: grounded\n")),
			want: `agencies/x-police.md:15:9: FIELD_TYPE fleet[1].history[1] gives its date as a key; a history observation is a table of its date, status and source: write - {date: 2025-06-01, status: grounded, source: https://…}
agencies/x-police.md:16:9: FIELD_TYPE fleet[1].history[2] gives its date as a key; a history observation is a table of its date, status and source: write - {date: 2025-09-01, status: active, source: https://…}
agencies/x-police.md:23:7: FIELD_TYPE fleet[2].history must be a list of observations, each a table of its date, status and source, not a table of dates: write - {date: 2025-06-01, status: grounded, source: https://…} for each
`,
		},
		{
			// A paragraph pasted as one line over 16 KiB was told to keep
			// lines under 16 KiB, not how.
			name:  "a paragraph pasted as one line",
			files: fleetAgency("Flies drones [1] [2].", "Flies drones [1] [2]."+strings.Repeat(" It flies.", 1800)),
			want: `agencies/x-police.md:25:1: BODY_TOO_COMPLEX a line of 17 KiB; keep lines under 16 KiB: break it where a sentence ends (the lines of a paragraph join up on the page), or into paragraphs with blank lines
`,
		},
		{
			// JSON front matter with a comma missing, one too many, or
			// single quotes was told Go's "invalid character '\"' after
			// object key:value pair", a line below the missing comma.
			name: "JSON front matter's commas and quotes",
			files: map[string]string{
				"vendors/a.md": "{\n  \"title\": \"A\",\n  \"country\": \"US\"\n  \"website\": \"https://a.example\"\n}\n\n",
				"vendors/b.md": "{\n  \"title\": \"B\",\n  \"country\": \"US\",\n}\n\n",
				"vendors/c.md": "{\n  \"title\": \"C\",\n  \"country\": \"US\",\n  \"tags\": [\"a\" \"b\"]\n}\n\n",
				"vendors/d.md": "{\n  \"title\": 'D',\n  \"country\": \"US\"\n}\n\n",
			},
			want: `vendors/a.md:3:18: SYNTAX JSON: a comma is missing here, after the value and before the next field; add ,
vendors/b.md:3:18: SYNTAX JSON: this comma comes after the last field, before the } that closes it, which JSON does not allow; remove it
vendors/c.md:4:15: SYNTAX JSON: a comma is missing here, after the value and before the next item; add ,
vendors/d.md:2:12: SYNTAX JSON: a text is written in double quotes, "like this", not single ones
`,
		},
		{
			// "sources:" written twice, the first time with nothing under
			// it: the empty one stood, and the entry was told it has no
			// source, each fleet source not listed and each citation out
			// of range.
			name:  "a list's key written twice, the first empty",
			files: fleetAgency("sources:\n", "sources:\nsources:\n"),
			want: `agencies/x-police.md:19:1: KEY_DUPLICATE key "sources" is given twice in front matter, here with no value and on line 20 with one; remove this line
`,
		},
		{
			// A source's "- url:" line deleted while a fleet item cites
			// its URL, and a history observation's "- date:" line: each
			// told "keep one" for every key given twice, and the fleet
			// item that its source is not listed.
			name: "the first line of a source and of a history observation deleted",
			files: fleetAgency("  - url: https://example.org/b\n", "",
				"    source: https://example.org/a\n", "    source: https://example.org/a\n    history:\n      - date: 2025-01-01\n        status: active\n        source: https://example.org/a\n        status: grounded\n        source: https://example.org/a\n"),
			want: `agencies/x-police.md:18:9: KEY_DUPLICATE key "status" is given twice in a history observation: if another history observation starts here, the line ` + "`- date: …`" + ` that starts it is missing; if not, keep one
agencies/x-police.md:28:5: KEY_DUPLICATE key "title" is given twice in a source: if another source starts here, the line ` + "`- url: …`" + ` that starts it is missing; if not, keep one
`,
		},
		{
			// A source's line given twice, the same: no other source is
			// missing its first line.
			name:  "a source's line given twice",
			files: fleetAgency("    title: Aerofalke delivers its AF-1\n", "    title: Aerofalke delivers its AF-1\n    title: Aerofalke delivers its AF-1\n"),
			want: `agencies/x-police.md:24:5: KEY_DUPLICATE key "title" is given twice in a source; keep one
`,
		},
		{
			// The first source's "- url:" line deleted: told to write
			// "- title: …", which would leave it without its url, and
			// that it needs a url.
			name:  "the first source's url line deleted",
			files: with(fleetAgency(), "vendors/skydio.md", "---\ntitle: Skydio\ncountry: US\nsources:\n    title: Skydio's history\n    publisher: Skydio\n---\nIt makes drones [1].\n"),
			want: `vendors/skydio.md:5:5: FIELD_TYPE sources must be a list: each source starts with ` + "`- url: …`" + `, a line this one lacks; write ` + "`  - url: https://…`" + ` above line 5
`,
		},
		{
			// A source's "- url:" line deleted: its keys ran into the
			// source above, told "keep one", and the text's citations of
			// the sources after it were told they are out of range.
			name: "a source's url line deleted",
			files: fleetAgency("    source: https://example.org/b\n", "    source: https://example.org/a\n",
				"  - url: https://example.org/b\n", "", "Flies drones [1] [2].", "Flies drones [1] [2]; more [3] [4].",
				"    title: Aerofalke delivers its AF-1\n", "    title: Aerofalke delivers its AF-1\n  - url: https://example.org/c\n  - url: https://example.org/d\n"),
			want: `agencies/x-police.md:22:5: KEY_DUPLICATE key "title" is given twice in a source: if another source starts here, the line ` + "`- url: …`" + ` that starts it is missing; if not, keep one
`,
		},
		{
			// The "sources:" line deleted: below a field, the first source
			// was told only that it is a list item where a field was
			// expected; below the fleet, the sources became fleet items,
			// each told its fields are unknown and its own missing, and
			// every fleet item's source and every citation not listed.
			name: "the sources line deleted",
			files: with(fleetAgency("sources:\n", ""),
				"vendors/skydio.md", "---\ntitle: Skydio\ncountry: US\nupdated: 2026-01-05\n  - url: https://example.org/s\n---\nIt makes drones [1].\n"),
			want: `agencies/x-police.md:19:5: FIELD_TYPE fleet: the items from here on have the keys of sources (url, title); if they are, write ` + "`sources:`" + ` on a line of its own above this one
vendors/skydio.md:5:3: SYNTAX YAML: a list item where a field was expected: updated, on line 4, already has its value; if it is the first item of sources, write ` + "`sources:`" + ` on a line of its own above it, at the start of the line
`,
		},
		{
			// The "fleet:" line deleted below a list in brackets: the
			// first item is told where its key line goes, not the key
			// below it that it is indented under the list.
			name:  "a list's key line deleted below a list in brackets",
			files: fleetAgency("fleet:\n", "tags: [police]\n"),
			want: `agencies/x-police.md:8:3: SYNTAX YAML: a list item where a field was expected: tags, on line 7, already has its value; if it is the first item of fleet, write ` + "`fleet:`" + ` on a line of its own above it, at the start of the line
`,
		},
		{
			// The fleet's "fleet:" line deleted below related: its items
			// became related's, and each was told "related must be
			// text, not a table of keys".
			name:  "a list's key line deleted",
			files: fleetAgency("fleet:\n", "related:\n  - vendors/dji\n"),
			want: `agencies/x-police.md:9:5: FIELD_TYPE related: the items from here on have the keys of fleet items (vendor, model, …); if they are, write ` + "`fleet:`" + ` on a line of its own above this one
`,
		},
		{
			// A law's measure indented under its restricts: told it is
			// unknown there, and that restricts is given without a
			// measure.
			name: "a law's own field indented under restricts",
			files: with(fleetAgency(),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts:\n  vendors: [dji]\n  measure: procurement\nsources: [https://example.org/a]\n---\n"),
			want: `laws/ban.md:8:3: FIELD_UNKNOWN unknown field "measure" in restricts; measure is a field of the law itself: start it at the beginning of the line
`,
		},
		{
			// Under a provision's binds, measure is the provision's: it
			// was told to start at the beginning of the line, read as the
			// law's, and then told it is ignored (found in review).
			name: "a provision's measure indented under its binds",
			files: with(fleetAgency(),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nprovisions:\n  - measure: procurement\n  - effective: 2021-01-01\n    binds:\n      levels: [state]\n      measure: operation\nsources: [https://example.org/a]\n---\n"),
			want: `laws/ban.md:9:5: FIELD_REQUIRED provisions[2] needs "measure" (procurement | operation | funding | data | review | advisory)
laws/ban.md:12:7: FIELD_UNKNOWN unknown field "measure" in provisions[2].binds; known fields: agencies, kinds, levels
`,
		},
		{
			// A fleet item's "- " indented 2 spaces further than those of
			// the items above it, in the column of their keys: told "did
			// not find expected key" at the fleet line.
			name:  "an item indented into the keys of the item above",
			files: fleetAgency("  - vendor: aerofalke\n", "    - vendor: aerofalke\n"),
			want: `agencies/x-police.md:14:5: SYNTAX YAML: this item of fleet is indented 4 spaces, but the items above it are indented 2 spaces (line 8); start its "- " 2 spaces in, as theirs
`,
		},
		{
			// An item of a list of values moved to the start of the line,
			// and the "- " of a list of tables moved a space left of its
			// keys: each was told "did not find expected key".
			name: "a list item moved left",
			files: with(fleetAgency("sources:\n", "related:\n  - vendors/dji\n- vendors/aerofalke\nsources:\n"),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nmeasure: procurement\nexempts:\n - agencies: [x-police]\n    source: https://example.org/a\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/x-police.md:21:1: SYNTAX YAML: this item of related is indented 0 spaces, but the items above it are indented 2 spaces (line 20); start its "- " 2 spaces in, as theirs
laws/ban.md:10:5: SYNTAX YAML: source is indented 4 spaces, and agencies, the first key of its item (line 9), 3 spaces: line up the keys of the item, 2 spaces right of its "- "
`,
		},
		{
			// A key indented further than the key above it, whose value
			// is in brackets: told "did not find expected key" at the
			// key above.
			name: "a key indented under a value in brackets",
			files: with(fleetAgency(),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts:\n  vendors: [dji]\n    countries: [CN]\nmeasure: procurement\nsources: [https://example.org/a]\n---\n"),
			want: `laws/ban.md:8:5: SYNTAX YAML: this line is indented further than vendors on line 7, which already has its value; start it in the same column as vendors
`,
		},
		{
			// The first key indented a space: yaml.v3 read the title alone
			// and dropped every line below it, and the entry was told it
			// needs a country and sources it had, at line 1.
			name:  "the first key indented",
			files: fleetAgency("---\ntitle: X Police", "---\n title: X Police"),
			want: `agencies/x-police.md:2:2: SYNTAX YAML: title is indented 1 space, and line 3 below it is not, so YAML reads no field after it; start title at the beginning of the line
`,
		},
		{
			// Keys indented with no-break spaces, as a web page or a word
			// processor copies them: told "model, at the start of the
			// line, comes between keys indented 4 spaces", or "mapping
			// values are not allowed in this context".
			name: "indented with no-break spaces",
			files: with(fleetAgency("    model: Mavic 3", "\u00a0\u00a0\u00a0\u00a0model: Mavic 3"),
				"agencies/y-police.md", strings.Replace(strings.Replace(fleetAgencyWith(), "title: X Police", "title: Y Police", 1), "  - url: https://example.org/b", "\u00a0 - url: https://example.org/b", 1)),
			want: `agencies/x-police.md:9:1: SYNTAX YAML: an invisible no-break space (U+00A0) indents this line, which YAML does not read as a space; indent it with ordinary spaces
agencies/y-police.md:22:1: SYNTAX YAML: an invisible no-break space (U+00A0) indents this line, which YAML does not read as a space; indent it with ordinary spaces
`,
		},
		{
			// A no-break space in a block of text is text, and an error
			// further down its own: the unclosed quote was told to mend
			// the space (found in review).
			name:  "a no-break space in a block of text, an error below it",
			files: fleetAgency("---\ntitle: X Police", "---\ntitle: X Police\nnote: |\n  First line\n  \u00a0 an indented quote", "    model: Mavic 3", "    model: \"Mavic 3"),
			want: `agencies/x-police.md:12:12: SYNTAX YAML: the value of model opens a " quote that this line does not close; end the value with "
`,
		},
		{
			// A law exempting an agency of another country, a slug picked
			// from the wrong one: the tracker left the name out, and
			// check said nothing.
			name: "a law naming an agency outside its jurisdiction",
			files: with(fleetAgency(),
				"agencies/nypd.md", "---\ntitle: NYPD\ncountry: US\nregion: US-NY\nsources: [https://example.org/a]\n---\n",
				"agencies/bpol.md", "---\ntitle: Bundespolizei\ncountry: DE\nsources: [https://example.org/a]\n---\n",
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nregion: DE-BY\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nmeasure: procurement\nbinds: {agencies: [x-police, nypd]}\nexempts:\n  - agencies: [bpol]\n    source: https://example.org/a\nsources: [https://example.org/a]\n---\n"),
			want: `laws/ban.md:9:30: warning: REF_OUTSIDE binds.agencies names nypd, an agency of US, outside the law's jurisdiction (DE-BY): the law cannot bind it, and the tracker leaves the name out; check the slug, and the country and region of agencies/nypd.md
laws/ban.md:11:16: warning: REF_OUTSIDE exempts[1].agencies names bpol, an agency of DE with no region, outside the law's jurisdiction (DE-BY): the law cannot exempt it, and the tracker leaves the name out; check the slug, and the country and region of agencies/bpol.md
`,
		},
		{
			// A law or agency whose country or region is refused has its
			// error, and no REF_OUTSIDE beside it.
			name: "a law naming an agency whose country or region is refused",
			files: with(fleetAgency(),
				"agencies/a.md", "---\ntitle: A\ncountry: Germany\nsources: [https://example.org/a]\n---\n",
				"agencies/b.md", "---\ntitle: B\ncountry: DE\nregion: BYY\nsources: [https://example.org/a]\n---\n",
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nregion: DE-BY\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nmeasure: procurement\nbinds: {agencies: [a, b]}\nsources: [https://example.org/a]\n---\n",
				"laws/ban2.md", "---\ntitle: A second ban\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nmeasure: procurement\nbinds: {agencies: [x-police]}\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/a.md:3:10: COUNTRY_INVALID country "Germany" is not an ISO 3166-1 alpha-2 country code; did you mean "DE"?
agencies/b.md:4:9: REGION_INVALID …
laws/ban2.md:1:1: FIELD_REQUIRED a law needs "country" (the ISO 3166-1 code of its jurisdiction)
`,
		},
		{
			// A link with its ")" missing, or a space before its "(",
			// showed on the page as typed, and check said nothing.
			name:  "a link written as text",
			files: fleetAgency("Flies drones [1] [2].", "Flies [DJI](../vendors/dji.md drones [1] and [Aerofalke] (../vendors/aerofalke.md) ones [2]."),
			want: `agencies/x-police.md:25:7: LINK_BROKEN "[DJI](../vendors/dji.md" is no link: its ( is never closed, so it is text, shown as typed; end the address with )
agencies/x-police.md:25:46: LINK_BROKEN "[Aerofalke] (../vendors/aerofalke.md)" is no link: the space between ] and ( makes it text, shown as typed; remove the space
`,
		},
		{
			// A link whose section is misspelt, ../vendor/ for
			// ../vendors/, was told what it does not point at, not the
			// link to write.
			name:  "a link to a section misspelt",
			files: fleetAgency("Flies drones [1] [2].", "Flies [DJI](../vendor/dji.md) and [Aerofalke](../Vendors/aerofalke.md) drones [1] [2]; see [DJI](/vendor/dji/)."),
			want: `agencies/x-police.md:25:7: LINK_NOT_FOUND link to "../vendor/dji.md" does not point at an entry file in agencies/, vendors/, laws/ or incidents/; did you mean ../vendors/dji.md?
agencies/x-police.md:25:35: LINK_NOT_FOUND link to "../Vendors/aerofalke.md" does not point at an entry file in agencies/, vendors/, laws/ or incidents/; did you mean ../vendors/aerofalke.md?
agencies/x-police.md:25:92: LINK_RELATIVE link to "/vendor/dji/" points at no entry: an entry is linked by its file, relative to this one; did you mean ../vendors/dji.md?
`,
		},
		{
			// A date run together, as file names write it, or with a time
			// of day was told only to write YYYY-MM-DD.
			name:  "dates run together or with a time",
			files: fleetAgency("as_of: 2026-03-14", "as_of: 20260314", "as_of: 2026-02-01", "as_of: 2026-02-01 09:30"),
			want: `agencies/x-police.md:12:12: DATE_INVALID fleet[1].as_of: "20260314" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2026-03-14?
agencies/x-police.md:17:12: DATE_INVALID fleet[2].as_of: "2026-02-01 09:30" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; it gives a time of day: write just the date, 2026-02-01
`,
		},
		{
			// Each said what was wrong and not what to write: "is a
			// vendor, not an agency", "there is no vendor", "points at
			// no entry".
			name: "links and references to another section, or written as the site's address",
			files: with(fleetAgency("Flies drones [1] [2].", "Flies [DJI](../agencies/dji.md) drones [1] [2]; see [the flight](incidents/a-flight.md), "+
				"[the ban](/laws/ban/), [the rule](../laws/ban) and [its text](https://example.org/ban)."),
				"laws/ban.md", "---\ntitle: Ban\ncountry: DE\nstatus: proposed\nmeasure: procurement\nrestricts: {vendors: [dji]}\nbinds: {agencies: [aerofalke]}\nsources: [https://example.org/a]\n---\n",
				"incidents/a-flight.md", "---\ntitle: A flight\ndate: 2026-03-14\nagencies: [dji]\nlaws: [x-police]\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/x-police.md:25:7: LINK_NOT_FOUND link to agencies/dji.md: there is no agency "dji", but vendors/dji.md is a vendor; did you mean ../vendors/dji.md?
agencies/x-police.md:25:53: LINK_NOT_FOUND link to "incidents/a-flight.md" does not point at an entry file in agencies/, vendors/, laws/ or incidents/ (links are relative to this file, in agencies/); did you mean ../incidents/a-flight.md?
agencies/x-police.md:25:90: LINK_RELATIVE link to "/laws/ban/" points at no entry: an entry is linked by its file, relative to this one; did you mean ../laws/ban.md?
agencies/x-police.md:25:113: LINK_RELATIVE link to "../laws/ban" points at no entry: an entry is linked by its file, relative to this one; did you mean ../laws/ban.md?
incidents/a-flight.md:4:12: REF_WRONG_TYPE agencies "dji" is a vendor, not an agency; list it in vendors instead
incidents/a-flight.md:5:8: REF_WRONG_TYPE laws "x-police" is an agency, not a law; list it in agencies instead
laws/ban.md:7:20: REF_WRONG_TYPE binds.agencies "aerofalke" is a vendor, not an agency; name a known agency: x-police
`,
		},
		{
			// as_of 2026-04-14 for a source of 2026-03-14 went unseen,
			// and the tracker took the drones for seen a month later.
			// A date at a month's precision covers the month.
			name: "observations dated after the source they cite",
			files: fleetAgency("    title: Bayerns Polizei setzt auf DJI-Drohnen", "    title: Bayerns Polizei setzt auf DJI-Drohnen\n    date: 2026-03-14",
				"    title: Aerofalke delivers its AF-1", "    title: Aerofalke delivers its AF-1\n    date: 2026-01",
				"    as_of: 2026-03-14", "    as_of: 2026-04-14\n    history:\n      - {date: 2026-03, status: active, source: https://example.org/a}",
				"    as_of: 2026-02-01", "    as_of: 2026-01-31"),
			want: `agencies/x-police.md:12:12: warning: DATE_ORDER fleet[1].as_of 2026-04-14 is after the date of the source it cites, sources[1] (2026-03-14): a document describes drones only up to the day it was published; give the day the source describes them on, or correct the source's date
`,
		},
		{
			// A date copied from a source as it writes it was refused
			// with no date to write instead.
			name: "dates written with the month's name",
			files: with(fleetAgency("as_of: 2026-03-14", "as_of: 14 March 2026", "as_of: 2026-02-01", "as_of: février 2026"),
				"agencies/b.md", fleetAgencyWith("kind: police", "kind: police\nupdated: March 2026", "X Police", "B Police"),
				"agencies/c.md", fleetAgencyWith("kind: police", "kind: police\nupdated: March 16, 2026", "X Police", "C Police")),
			want: `agencies/b.md:7:10: DATE_INVALID updated: "March 2026" is not a date: write YYYY-MM-DD
agencies/c.md:7:10: DATE_INVALID updated: "March 16, 2026" is not a date: write YYYY-MM-DD; did you mean 2026-03-16?
agencies/x-police.md:12:12: DATE_INVALID fleet[1].as_of: "14 March 2026" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2026-03-14?
agencies/x-police.md:17:12: DATE_INVALID fleet[2].as_of: "février 2026" is not a date: write YYYY, YYYY-MM or YYYY-MM-DD; did you mean 2026-02?
`,
		},
		{
			// The docs say YYYY-MM-DD, and a year was taken: updated is
			// the day of a review, which the reviewer knows. Dates of
			// what sources say may stay a year or a month.
			name: "updated written as a year or a month",
			files: with(fleetAgency("kind: police", "kind: police\nupdated: 2026", "as_of: 2026-03-14", "as_of: 2026"),
				"agencies/b.md", fleetAgencyWith("kind: police", "kind: police\nupdated: 2026-03", "X Police", "B Police"),
				"agencies/c.md", fleetAgencyWith("kind: police", "kind: police\nupdated: 2026/03", "X Police", "C Police"),
				"agencies/d.md", fleetAgencyWith("kind: police", "kind: police\nupdated: 2026/3/14", "X Police", "D Police")),
			want: `agencies/b.md:7:10: DATE_INVALID updated 2026-03 gives only a month; updated is the date you last reviewed this entry: write that day in full, YYYY-MM-DD (2026-03-DD)
agencies/c.md:7:10: DATE_INVALID updated: "2026/03" is not a date: write YYYY-MM-DD
agencies/d.md:7:10: DATE_INVALID updated: "2026/3/14" is not a date: write YYYY-MM-DD; did you mean 2026-03-14?
agencies/x-police.md:7:10: DATE_INVALID updated 2026 gives only a year; updated is the date you last reviewed this entry: write that day in full, YYYY-MM-DD (2026-MM-DD)
`,
		},
		{
			// "is not one of en, fr" left a German text with no way
			// forward: lang can be left out.
			name: "a language search does not analyse, or written as its name",
			files: with(fleetAgency("kind: police", "kind: police\nlang: de"),
				"agencies/bern.md", "---\ntitle: Kantonspolizei Bern\ncountry: CH\nlang: de\nsources: [https://example.org/a]\n---\n",
				"agencies/quebec.md", "---\ntitle: Sûreté du Québec\ncountry: CA\nregion: CA-QC\nlang: English\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/bern.md:4:7: FIELD_ENUM lang "de" is not one of en, fr: search analyses text in English or French only; leave lang out, and the text is analysed in French, the default for an entry of CH, or write lang: en for English
agencies/quebec.md:5:7: FIELD_ENUM lang "English" is not one of en, fr; did you mean "en"?
agencies/x-police.md:7:7: FIELD_ENUM lang "de" is not one of en, fr: search analyses text in English or French only; leave lang out, and the text is analysed in English, the default for an entry of DE
`,
		},
		{
			// The language of a title and of a source's title: the same
			// codes, and advice that is not about search's analysis.
			name: "a title's or a source's language",
			files: with(fleetAgency("kind: police", "kind: police\ntitle_lang: French", "    title: Aerofalke delivers its AF-1", "    title: Aerofalke delivers its AF-1\n    lang: de"),
				"agencies/quebec.md", "---\ntitle: Sûreté du Québec\ntitle_lang: fr-CA\ncountry: CA\nregion: CA-QC\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/quebec.md:3:13: FIELD_ENUM title_lang "fr-CA" is not one of en, fr; did you mean "fr"?
agencies/x-police.md:7:13: FIELD_ENUM title_lang "French" is not one of en, fr; did you mean "fr"?
agencies/x-police.md:25:11: FIELD_ENUM sources[2].lang "de" is not one of en, fr: titles are marked as English or French only; leave lang out
`,
		},
		{
			// "give a value or remove the key": removing a required key
			// is the next error.
			name: "a required field given empty",
			files: fleetAgency("  - vendor: aerofalke", `  - vendor: ""`, "    as_of: 2026-02-01", "    as_of: \"\"",
				"  - url: https://example.org/b", "  - \"\"\n  - url: https://example.org/b"),
			want: `agencies/x-police.md:14:13: FIELD_EMPTY fleet[2].vendor is empty, but it is required: give the vendor's slug, such as dji, or unknown when no source establishes the make
agencies/x-police.md:17:12: FIELD_EMPTY fleet[2].as_of is empty, but it is required: give the date of the latest observation of its status (YYYY, YYYY-MM or YYYY-MM-DD)
agencies/x-police.md:22:5: FIELD_EMPTY sources[2] is empty; give the http(s) address of the document, or remove the item
`,
		},
		{
			// A host name alone was given its scheme but not the "/" of
			// its path; a scheme misspelt, or a port, got no fix.
			name: "a website or a source without its scheme, or with it misspelt",
			files: with(fleetAgency("kind: police", "kind: police\nwebsite: www.polizei.bayern.de", "  - url: https://example.org/a", "  - url: htps://example.org/a"),
				"agencies/b.md", fleetAgencyWith("kind: police", "kind: police\nwebsite: http//www.polizei.bayern.de?lang=en", "X Police", "B Police"),
				"agencies/c.md", fleetAgencyWith("kind: police", "kind: police\nwebsite: //polizei.bayern.de:8443/", "X Police", "C Police")),
			want: `agencies/b.md:7:10: URL_INVALID website "http//www.polizei.bayern.de?lang=en" is not an http or https URL; did you mean "http://www.polizei.bayern.de/?lang=en"?
agencies/c.md:7:10: URL_INVALID website "//polizei.bayern.de:8443/" is not an http or https URL; did you mean "https://polizei.bayern.de:8443/"?
agencies/x-police.md:7:10: URL_INVALID website "www.polizei.bayern.de" is not an http or https URL; did you mean "https://www.polizei.bayern.de/"?
agencies/x-police.md:21:10: URL_INVALID sources[1].url "htps://example.org/a" is not an http or https URL; did you mean "https://example.org/a"?
`,
		},
		{
			// "contry" was two errors: the misspelt key, and the field it
			// was meant to be missing, reported at line 1.
			name: "a required field's name misspelt",
			files: fleetAgency("country: DE", "contry: DE", "    as_of: 2026-03-14", "    asof: 2026-03-14",
				"  - url: https://example.org/b", "  - ulr: https://example.org/b"),
			want: `agencies/x-police.md:3:1: FIELD_UNKNOWN unknown field "contry" in front matter; did you mean "country"?
agencies/x-police.md:12:5: FIELD_UNKNOWN unknown field "asof" in a fleet item; did you mean "as_of"?
agencies/x-police.md:22:5: FIELD_UNKNOWN unknown field "ulr" in a source; did you mean "url"?
`,
		},
		{
			// A list written as one text with commas was read as one
			// value: "police, dji" as a tag to be written police-dji, an
			// agency nypd-lapd to be created, an ID without advice.
			name: "a list written as text with commas",
			files: with(fleetAgency("kind: police", "kind: police\ntags: police, dji"),
				"agencies/nypd.md", "---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"agencies/lapd.md", "---\ntitle: LAPD\ncountry: US\nsources: [https://example.org/a]\n---\n",
				"incidents/a.md", "---\ntitle: A\ndate: 2024-01-02\nagencies: nypd, lapd\nrelated: incidents/b,incidents/c\nsources: [https://example.org/a]\n---\n",
				"incidents/b.md", "---\ntitle: B\ndate: 2024-01-03\nagencies: \"nypd, lapdd\"\nsources: [https://example.org/a]\n---\n",
				"incidents/c.md", "+++\ntitle = \"C\"\ndate = 2024-01-04\ntags = \"police, dji\"\nsources = [\"https://example.org/a\"]\n+++\n",
				// Columns count characters: the second tag starts at the
				// 17th, after "sécurité", whose é takes two bytes each.
				"incidents/d.md", "---\ntitle: D\ndate: 2024-01-05\ntags: sécurité, Bad Tag!\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/x-police.md:7:7: FIELD_TYPE tags is a list, but "police, dji" is one text with commas in it: write tags: [police, dji]
incidents/a.md:4:11: FIELD_TYPE agencies is a list, but "nypd, lapd" is one text with commas in it: write agencies: [nypd, lapd]
incidents/a.md:5:10: FIELD_TYPE related is a list, but "incidents/b,incidents/c" is one text with commas in it: write related: [incidents/b, incidents/c]
incidents/b.md:4:11: FIELD_TYPE agencies is a list, but "nypd, lapdd" is one text with commas in it: write agencies: [nypd, lapdd]
incidents/b.md:4:18: REF_NOT_FOUND unknown agency "lapdd"; did you mean "lapd"?
incidents/c.md:4:8: FIELD_TYPE tags is a list, but "police, dji" is one text with commas in it: write tags = ["police", "dji"]
incidents/d.md:4:7: FIELD_TYPE tags is a list, but "sécurité, Bad Tag!" is one text with commas in it: write tags: [sécurité, Bad Tag!]
incidents/d.md:4:7: SLUG_INVALID tag "sécurité" must be a slug …
incidents/d.md:4:17: SLUG_INVALID tag "Bad Tag!" must be a slug …
`,
		},
		{
			// Another word for a value got no suggestion: a law that
			// "passed", a fleet that is "flying".
			name: "another word for a value",
			files: with(fleetAgency("    model: AF-1\n    status: active", "    model: AF-1\n    status: flying"),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: passed\nsources: [https://example.org/a]\n---\n"),
			want: `agencies/x-police.md:16:13: FIELD_ENUM fleet[2].status "flying" is not one of active, grounded, retired, unknown; did you mean "active"?
laws/ban.md:4:9: FIELD_ENUM status "passed" is not one of proposed, enacted, expired, repealed, failed; did you mean "enacted"?
`,
		},
		{
			// A copy of an entry under its name in capitals: its
			// SLUG_INVALID error names the other file, and each file
			// was warned, NEAR_DUPLICATE, of the other as well.
			name:  "a copy of an entry under another case",
			files: with(fleetAgency(), "agencies/X-police.md", fleetAgencyWith()),
			want: `agencies/X-police.md: SLUG_INVALID file name "X-police.md" is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters); agencies/x-police.md is there already: if it is the same entry, move what this file adds into it and delete this one; if not, rename this one to another slug
`,
		},
		{
			// An agency saved in pages/ was an error for each of its
			// fields a page lacks, and each reference to it another.
			name: "an agency saved in pages/",
			files: with(fleetAgency(),
				"pages/y-police.md", strings.Replace(fleetAgencyWith(), "title: X Police", "title: Y Police", 1),
				"incidents/crash.md", "---\ntitle: A crash\ndate: 2024-05\nagencies: [y-police]\nsources: [https://example.org/a]\n---\nBy [Y](../agencies/y-police.md) [1].\n"),
			want: `pages/y-police.md:3:1: FILE_MISPLACED this is an agency, not a page: country, region, level, kind and fleet are fields of agencies; move it to agencies/ (git mv pages/y-police.md agencies/y-police.md)
`,
		},
		{
			// A law in law/, a folder named for laws/: the references to
			// it were reported too, each told to create it with dronekb
			// new, though its file was there.
			name: "an entry in a misnamed section folder",
			files: with(fleetAgency(),
				"law/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nmeasure: procurement\nsources: [https://example.org/a]\n---\n",
				"incidents/crash.md", "---\ntitle: A crash\ndate: 2024-05\nlaws: [ban]\nrelated: [laws/ban]\nsources: [https://example.org/a]\n---\nUnder [the ban](../laws/ban.md) [1].\n"),
			want: `law: FILE_UNEXPECTED is not a section; the sections are agencies, vendors, laws and incidents, and pages for the site's own pages; did you mean "laws/"? rename the folder
`,
		},
		{
			// A list's key written in the singular, "agency" for
			// agencies, got the list of known fields rather than the
			// plural, and in an exemption the error that it names no one
			// as well.
			name: "a list's key in the singular",
			files: with(fleetAgency(),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {country: CN}\nmeasure: procurement\nexempts:\n  - agency: x-police\n    source: https://example.org/a\nsources: [https://example.org/a]\n---\n",
				"incidents/crash.md", "---\ntitle: A crash\ndate: 2024-05\nagency: x-police\nsources: [https://example.org/a]\n---\n"),
			want: `incidents/crash.md:4:1: FIELD_UNKNOWN unknown field "agency" in front matter; did you mean "agencies"?
laws/ban.md:6:13: FIELD_UNKNOWN unknown field "country" in restricts; did you mean "countries"?
laws/ban.md:9:5: FIELD_UNKNOWN unknown field "agency" in an exemption; did you mean "agencies"?
`,
		},
		{
			// exempts: [nypd], as an incident lists its agencies, was
			// told "an exemption must be a table of keys, not text" for
			// each name; binds: [local] was told to write agencies: [local].
			name: "an exemption or binds written as a list of names",
			files: with(fleetAgency(),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nbinds: [state, police]\nexempts:\n  - x-police\n  - emergency\nprovisions:\n  - measure: operation\n    exempts: x-police, local\nsources: [https://example.org/a]\n---\n"),
			want: `laws/ban.md:7:8: FIELD_TYPE binds must be a table of keys, not a list: name whom it binds by agencies, levels or kinds, as binds: {levels: [state], kinds: [police]}
laws/ban.md:9:5: FIELD_TYPE exempts is a list of exemptions, each a table naming whom it lets off, what for and the source that says so, not a list of names: write exempts: [{agencies: [x-police], kinds: [emergency], uses: …, source: https://…}]
laws/ban.md:13:14: FIELD_TYPE provisions[1].exempts is a list of exemptions, each a table naming whom it lets off, what for and the source that says so, not a list of names: write exempts: [{agencies: [x-police], levels: [local], uses: …, source: https://…}]
`,
		},
		{
			// A fleet item's source written as the number the text cites
			// it by was told only that "2" is not an http or https URL.
			name:  "a source by its number",
			files: fleetAgency("    source: https://example.org/a", "    source: 2", "    source: https://example.org/b", "    source: [3]"),
			want: `agencies/x-police.md:13:13: URL_INVALID fleet[1].source names a source by its number, as the text cites it; it takes the source's URL: write source: https://example.org/b (sources[2])
agencies/x-police.md:18:13: URL_INVALID fleet[2].source names source 3 by its number, but the entry lists 2 sources; it takes the URL of the document that shows it (source: https://…), listed in sources too
`,
		},
		{
			// Numbered past two sources run together (the second's "-
			// url:" line deleted), source 2 is the one whose URL is not
			// known: told the third's URL, it was told the wrong one
			// (found in review).
			name:  "a source by its number, after two run together",
			files: fleetAgency("    source: https://example.org/a", "    source: 2", "    title: Bayerns Polizei setzt auf DJI-Drohnen", "    title: Bayerns Polizei setzt auf DJI-Drohnen\n    title: Another report"),
			want: `agencies/x-police.md:13:13: URL_INVALID fleet[1].source names a source by its number, as the text cites it; it takes the source's URL, that of sources[2] once it has one: source: https://…
agencies/x-police.md:22:5: KEY_DUPLICATE key "title" is given twice in a source: if another source starts here, the line ` + "`- url: …`" + ` that starts it is missing; if not, keep one
`,
		},
		{
			// A source written with "source:" for "url:" is a source with
			// a key it does not know: a key a fleet item has moved it, and
			// every source after it, into the fleet (found in review).
			name: "a source's url written as source",
			files: map[string]string{"agencies/y-police.md": "---\ntitle: Y Police\ncountry: DE\nlevel: state\nkind: police\nsources:\n" +
				"  - url: https://example.org/a\n  - source: https://example.org/b\n  - url: https://example.org/c\n---\nText [1] [3].\n"},
			want: `agencies/y-police.md:8:5: FIELD_REQUIRED a source needs "url" (the http(s) address of the document)
agencies/y-police.md:8:5: FIELD_UNKNOWN unknown field "source" in a source; known fields: archive, date, lang, publisher, title, url
`,
		},
		{
			// A law's measure or an incident's kind in other words, "purchase
			// ban", "accident", got the list of values and no suggestion.
			name: "another word for a measure or an incident's kind",
			files: with(fleetAgency(),
				"laws/ban.md", "---\ntitle: A ban\ncountry: DE\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {vendors: [dji]}\nprovisions:\n  - measure: purchase ban\n  - measure: flight ban\nsources: [https://example.org/a]\n---\n",
				"incidents/crash.md", "---\ntitle: A crash\ndate: 2024-05\nkind: accident\nsources: [https://example.org/a]\n---\n"),
			want: `incidents/crash.md:4:7: FIELD_ENUM kind "accident" is not one of surveillance, protest, crash, data, policy, other; did you mean "crash"?
laws/ban.md:8:14: FIELD_ENUM provisions[1].measure "purchase ban" is not one of procurement, operation, funding, data, review, advisory; did you mean "procurement"?
laws/ban.md:9:14: FIELD_ENUM provisions[2].measure "flight ban" is not one of procurement, operation, funding, data, review, advisory; did you mean "operation"?
`,
		},
		{
			// Another word for a key got no suggestion, and the field
			// it stood for was reported missing as well: a source's
			// "link", a fleet item's "manufacturer", a vendor's "homepage".
			// It is read as the field it stands for.
			name: "another word for a key",
			files: with(fleetAgency("  - url: https://example.org/b", "  - link: https://example.org/b", "  - vendor: aerofalke", "  - manufacturer: aerofalke"),
				"vendors/skydio.md", "---\ntitle: Skydio\ncountry: US\nhomepage: https://www.skydio.com/\n---\n"),
			want: `agencies/x-police.md:14:5: FIELD_UNKNOWN unknown field "manufacturer" in a fleet item; did you mean "vendor"?
agencies/x-police.md:22:5: FIELD_UNKNOWN unknown field "link" in a source; did you mean "url"?
vendors/skydio.md:4:1: FIELD_UNKNOWN unknown field "homepage" in front matter; did you mean "website"?
`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
			}
			var opts Options
			if c.asOf != "" {
				opts.AsOf = MustDate(c.asOf)
			}
			if c.today != "" {
				opts.Today = MustDate(c.today)
			}
			k := Load(fsys, opts)
			schemaAgrees(t, fsys, k.Diagnostics, func(p string) string { return p })
			got := diagLines(k.Diagnostics)
			// A want line is the whole diagnostic; one that ends in …
			// may stop short of the message's end.
			gotLines, wantLines := strings.Split(got, "\n"), strings.Split(c.want, "\n")
			ok := len(gotLines) == len(wantLines)
			for i := 0; ok && i < len(gotLines); i++ {
				if start, cut := strings.CutSuffix(wantLines[i], "…"); cut {
					ok = strings.HasPrefix(gotLines[i], start)
				} else {
					ok = gotLines[i] == wantLines[i]
				}
			}
			if !ok {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestSimilar(t *testing.T) {
	k := Load(fstest.MapFS{
		"agencies/fr-prefecture-police-paris.md": {Data: []byte("---\ntitle: Préfecture de police de Paris\ncountry: FR\nsources: [https://example.org/a]\n---\n")},
		"agencies/nypd.md":                       {Data: []byte("---\ntitle: New York City Police Department\nshort: NYPD\ncountry: US\nsources: [https://example.org/a]\n---\n")},
	}, Options{})
	for title, want := range map[string]string{
		"Préfecture de police de Paris":  "agencies/fr-prefecture-police-paris",
		"Prefecture of Police, Paris":    "agencies/fr-prefecture-police-paris",
		"NYPD":                           "agencies/nypd",
		"New York Police Department":     "agencies/nypd",
		"Police municipale de Marseille": "",
		"":                               "",
	} {
		got := ""
		for _, e := range k.Similar(TypeAgency, title) {
			got = e.ID
		}
		if got != want {
			t.Errorf("Similar(%q) = %q, want %q", title, got, want)
		}
	}
	if s := k.Similar(TypeVendor, "NYPD"); len(s) != 0 {
		t.Errorf("an agency's title matched a vendor: %v", s)
	}
}

// TestFoldTitle: Latin accents and look-alike forms fold; the marks of
// other scripts, which tell words apart, do not.
func TestFoldTitle(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Déjà", "De\u0301ja\u0300", true},
		{"ＤＪＩ", "dji", true},
		{"D\u200bJ\u200bI", "DJI", true},
		{"Préfecture", "prefecture", true},
		{"कुल", "किल", false}, // Devanagari: two vowel signs
		{"ป่า", "ป้า", false}, // Thai: two tone marks
		{"Über", "uber", true},
	} {
		if got := foldTitle(c.a) == foldTitle(c.b); got != c.same {
			t.Errorf("foldTitle(%q) = %q, foldTitle(%q) = %q: same %v, want %v", c.a, foldTitle(c.a), c.b, foldTitle(c.b), got, c.same)
		}
		// The words near duplicates are found by, too.
		wa, wb := titleWords(c.a), titleWords(c.b)
		if got := slices.Equal(wa, wb); got != c.same {
			t.Errorf("titleWords(%q) = %q, titleWords(%q) = %q: same %v, want %v", c.a, wa, c.b, wb, got, c.same)
		}
	}
}

// fleetAgencyFile is an agency in the shape of content/agencies/nypd.md:
// a fleet of two items, each citing one of two sources. Line 12 is the
// first item's as_of, line 14 the second item's "- vendor".
const fleetAgencyFile = `---
title: X Police
country: DE
region: DE-BY
level: state
kind: police
fleet:
  - vendor: dji
    model: Mavic 3
    count: 12
    status: active
    as_of: 2026-03-14
    source: https://example.org/a
  - vendor: aerofalke
    model: AF-1
    status: active
    as_of: 2026-02-01
    source: https://example.org/b
sources:
  - url: https://example.org/a
    title: Bayerns Polizei setzt auf DJI-Drohnen
  - url: https://example.org/b
    title: Aerofalke delivers its AF-1
---
Flies drones [1] [2].
`

// fleetAgency returns the files of a knowledge base of fleetAgencyFile,
// as agencies/x-police.md, with each text old replaced by the new one
// after it (fleetAgencyWith), and the vendors its fleet names.
func fleetAgency(oldNew ...string) map[string]string {
	return map[string]string{
		"vendors/dji.md":       "---\ntitle: DJI\ncountry: CN\n---\n",
		"vendors/aerofalke.md": "---\ntitle: Aerofalke\ncountry: DE\n---\n",
		"agencies/x-police.md": fleetAgencyWith(oldNew...),
	}
}

// fleetAgencyWith returns fleetAgencyFile with each text old replaced by
// the new one after it: old, new, old, new…
func fleetAgencyWith(oldNew ...string) string {
	s := fleetAgencyFile
	for i := 0; i+1 < len(oldNew); i += 2 {
		if strings.Count(s, oldNew[i]) != 1 {
			panic("fleetAgencyWith: " + oldNew[i] + " is not in the file once")
		}
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	return s
}

// with adds files to those of a knowledge base.
func with(files map[string]string, more ...string) map[string]string {
	for i := 0; i+1 < len(more); i += 2 {
		files[more[i]] = more[i+1]
	}
	return files
}
