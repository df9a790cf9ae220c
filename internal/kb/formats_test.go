package kb

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// The same agency in every front-matter format adrg/frontmatter knows.
var sameAgency = map[string]string{
	"yaml": `---
title: "Police: drones"
short: PD
summary: A police department.
country: US
region: US-NY
level: local
kind: police
parent: nypd
website: https://example.org
tags: [police, dji]
updated: 2024-02-29
related: [vendors/dji]
fleet:
  - vendor: dji
    model: Mavic 2
    count: 3
    acquired: 2019-03
    status: grounded
    as_of: 2021-06-01
    source: https://example.org/b
    note: Grounded after the ban.
    history:
      - date: 2020
        status: active
        source: https://example.org/a
sources:
  - url: https://example.org/a
    title: Report
    publisher: Example
    date: 2021-03-02
    archive: https://web.archive.org/web/2019/https://example.org/a
  - https://example.org/b
---
Flies [DJI](../vendors/dji.md) drones [1][2].
`,
	"toml": `+++
title = "Police: drones"
short = "PD"
summary = "A police department."
country = "US"
region = "US-NY"
level = "local"
kind = "police"
parent = "nypd"
website = "https://example.org"
tags = ["police", "dji"]
updated = 2024-02-29
related = ["vendors/dji"]
sources = [
  { url = "https://example.org/a", title = "Report", publisher = "Example", date = 2021-03-02, archive = "https://web.archive.org/web/2019/https://example.org/a" },
  "https://example.org/b",
]

[[fleet]]
vendor = "dji"
model = "Mavic 2"
count = 3
acquired = "2019-03"
status = "grounded"
as_of = 2021-06-01
source = "https://example.org/b"
note = "Grounded after the ban."

[[fleet.history]]
date = 2020
status = "active"
source = "https://example.org/a"
+++
Flies [DJI](../vendors/dji.md) drones [1][2].
`,
	"json-braces": `{
  "title": "Police: drones",
  "short": "PD",
  "summary": "A police department.",
  "country": "US",
  "region": "US-NY",
  "level": "local",
  "kind": "police",
  "parent": "nypd",
  "website": "https://example.org",
  "tags": ["police", "dji"],
  "updated": "2024-02-29",
  "related": ["vendors/dji"],
  "fleet": [
    {
      "vendor": "dji", "model": "Mavic 2", "count": 3, "acquired": "2019-03",
      "status": "grounded", "as_of": "2021-06-01", "source": "https://example.org/b",
      "note": "Grounded after the ban.",
      "history": [{"date": 2020, "status": "active", "source": "https://example.org/a"}]
    }
  ],
  "sources": [
    {"url": "https://example.org/a", "title": "Report", "publisher": "Example", "date": "2021-03-02",
     "archive": "https://web.archive.org/web/2019/https://example.org/a"},
    "https://example.org/b"
  ]
}

Flies [DJI](../vendors/dji.md) drones [1][2].
`,
	"json-semicolons": `;;;
{
  "title": "Police: drones",
  "short": "PD",
  "summary": "A police department.",
  "country": "US",
  "region": "US-NY",
  "level": "local",
  "kind": "police",
  "parent": "nypd",
  "website": "https://example.org",
  "tags": ["police", "dji"],
  "updated": "2024-02-29",
  "related": ["vendors/dji"],
  "fleet": [
    {
      "vendor": "dji", "model": "Mavic 2", "count": 3, "acquired": "2019-03",
      "status": "grounded", "as_of": "2021-06-01", "source": "https://example.org/b",
      "note": "Grounded after the ban.",
      "history": [{"date": 2020, "status": "active", "source": "https://example.org/a"}]
    }
  ],
  "sources": [
    {"url": "https://example.org/a", "title": "Report", "publisher": "Example", "date": "2021-03-02",
     "archive": "https://web.archive.org/web/2019/https://example.org/a"},
    "https://example.org/b"
  ]
}
;;;
Flies [DJI](../vendors/dji.md) drones [1][2].
`,
}

// formatsKB holds what the agency references.
var formatsKB = fstest.MapFS{
	"vendors/dji.md":   file(okVendor),
	"agencies/nypd.md": file("---\ntitle: NYPD\ncountry: US\nsources: [https://example.org/nypd]\n---\n"),
}

func loadAs(src string) *KB {
	fsys := fstest.MapFS{"agencies/pd.md": file(src)}
	for k, v := range formatsKB {
		fsys[k] = v
	}
	return Load(fsys, Options{})
}

func TestFormatsDecodeToTheSameEntry(t *testing.T) {
	wantFormat := map[string]string{"yaml": "yaml", "toml": "toml", "json-braces": "json", "json-semicolons": "json"}
	var ref string
	for _, name := range []string{"yaml", "toml", "json-braces", "json-semicolons"} {
		k := loadAs(sameAgency[name])
		if len(k.Diagnostics) > 0 {
			t.Errorf("%s: unexpected diagnostics:\n%s", name, diagLines(k.Diagnostics))
			continue
		}
		e := k.Entry("agencies/pd")
		if e.Format != wantFormat[name] {
			t.Errorf("%s: Format = %q", name, e.Format)
		}
		got := dumpEntry(e)
		if name == "yaml" {
			ref = got
			// The reference itself must hold what was written.
			for _, want := range []string{
				`Title: "Police: drones"`, `Updated: "2024-02-29"`, `Model: "Mavic 2"`, `Count: 3`,
				`Acquired: "2019-03"`, `Status: "grounded"`, `AsOf: "2021-06-01"`, `Date: "2020"`,
				`Archive: "https://web.archive.org/web/2019/https://example.org/a"`, `ID: "agencies/nypd"`,
				`Text: "Flies DJI drones."`, // citations are not words
			} {
				if !strings.Contains(got, want) {
					t.Errorf("yaml entry lacks %s:\n%s", want, got)
				}
			}
			continue
		}
		if got != ref {
			t.Errorf("%s decodes differently from yaml:\n--- %s\n%s\n--- yaml\n%s", name, name, got, ref)
		}
	}
}

// TestFormatsPointAtTheRightPlace breaks the agency in three places — a
// top-level value, a value deep in the fleet, a citation in the body — and
// checks each format reports each at its own line and column.
func TestFormatsPointAtTheRightPlace(t *testing.T) {
	break3 := func(src string) string {
		src = strings.Replace(src, "local", "loca", 1)
		src = strings.Replace(src, `"date": 2020`, `"date": "2019-02-30"`, 1)
		src = strings.Replace(src, "date: 2020", "date: 2019-02-30", 1)
		src = strings.Replace(src, "date = 2020", "date = 2019-02-30", 1)
		return strings.Replace(src, "[1][2]", "[1][3]", 1)
	}
	want := map[string][]string{
		"yaml": {
			`7:8 FIELD_ENUM level "loca"`,
			`24:15 DATE_INVALID fleet[1].history[1].date: "2019-02-30" is not a calendar date`,
			`35:42 CITATION_NOT_FOUND [3] cites source 3, but the entry lists 2 sources`,
		},
		"toml": {
			`7:9 FIELD_ENUM level "loca"`,
			`30:8 DATE_INVALID fleet[1].history[1].date: "2019-02-30" is not a calendar date`,
			`34:42 CITATION_NOT_FOUND [3] cites source 3, but the entry lists 2 sources`,
		},
		"json-braces": {
			`7:12 FIELD_ENUM level "loca"`,
			`19:28 DATE_INVALID fleet[1].history[1].date: "2019-02-30" is not a calendar date`,
			`29:42 CITATION_NOT_FOUND [3] cites source 3, but the entry lists 2 sources`,
		},
		"json-semicolons": {
			`8:12 FIELD_ENUM level "loca"`,
			`20:28 DATE_INVALID fleet[1].history[1].date: "2019-02-30" is not a calendar date`,
			`30:42 CITATION_NOT_FOUND [3] cites source 3, but the entry lists 2 sources`,
		},
	}
	for name, src := range sameAgency {
		t.Run(name, func(t *testing.T) {
			k := loadAs(break3(src))
			var got []string
			ok := len(k.Diagnostics) == len(want[name])
			for i, d := range k.Diagnostics {
				got = append(got, shortDiag(d))
				ok = ok && i < len(want[name]) && matchDiag(d, want[name][i])
			}
			if !ok {
				t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want[name], "\n\t"))
			}
		})
	}
}

// TestFormatSyntaxErrorsPointAtTheRightPlace: a syntax error is reported
// where it is in the file, not where the front matter starts.
func TestFormatSyntaxErrorsPointAtTheRightPlace(t *testing.T) {
	runRules(t, []ruleCase{
		{name: "YAML unclosed list", file: "vendors/x.md", src: "---\ntitle: X\ncountry: [CN\n---\n",
			want: []string{`3:10 SYNTAX YAML: the [ here, in the value of country, opens a list that is not closed; end it with ], or, if the [ is part of the text, put the whole value in quotes$`}},
		{name: "YAML unclosed table", file: "vendors/x.md", src: "---\ntitle: X\ncountry: {a: CN\n---\n",
			want: []string{`3:10 SYNTAX YAML: the { here, in the value of country, opens a table that is not closed; end it with }`}},
		// A list may go on over lines; what is still open where yaml.v3
		// stops is to blame, the innermost bracket first, and an
		// apostrophe inside a word is no quote.
		{name: "YAML unclosed list after a list over two lines", file: "vendors/x.md", src: "---\ntitle: X\ntags: [don't, b,\n  c]\ncountry: CN\nfoo: {a: [b}\n---\n",
			want: []string{`6:10 SYNTAX YAML: the [ here, in the value of foo, opens a list that is not closed`}},
		{name: "YAML table left open in a list", file: "vendors/x.md", src: "---\ntitle: X\ntags: [a, {b: c]\n---\n",
			want: []string{`3:11 SYNTAX YAML: the { here, in the value of tags, opens a table that is not closed; end it with }`}},
		// A quoted value over two lines, closed, is not to blame for an
		// error after it, nor for a bad escape inside it.
		{name: "YAML error after a quote over two lines", file: "vendors/x.md", src: "---\ntitle: X\nsummary: \"A long\n  text\"\ncountry: CN\ntags: [a\n---\n",
			want: []string{`6:7 SYNTAX YAML: the [ here, in the value of tags`}},
		{name: "YAML bad escape in a quote over two lines", file: "vendors/x.md", src: "---\ntitle: X\nsummary: \"Files kept in\n  C:\\Users\\police\"\ncountry: CN\n---\n",
			want: []string{`3:1 SYNTAX YAML: did not find expected hexdecimal number`}},
		// A wrapped value holding ": ", and a list item too deep.
		{name: "YAML wrapped value with a colon", file: "vendors/x.md", src: "---\ntitle: X\nsummary: A long line\n  continued: with a colon\ncountry: CN\n---\n",
			want: []string{`4:3 SYNTAX YAML: this line is indented further than summary on line 3, which already has its value: if it goes on with that value, put the whole value in quotes`}},
		{name: "YAML list item too deep", file: "vendors/x.md", src: "---\ntitle: X\ncountry: US\nsources:\n  - url: https://a.org\n    title: A\n      - url: https://b.org\n---\n",
			want: []string{`7:7 SYNTAX YAML: this list item is indented further than the item on line 5; to start another item of that list, put its - in column 3, as there$`}},
		// A front matter as large as a file may be: the hint reads the
		// lines above the error once, not once a line (this file took
		// more than two minutes to check when each line split them all).
		{name: "YAML stray indentation under 120,000 comments", file: "vendors/x.md", src: "---\ntitle: X\n" + strings.Repeat("#\n", 120000) + "  country: CN\n---\n",
			want: []string{`120003:3 SYNTAX YAML: this line is indented further than title on line 2`}},
		{name: "YAML list closed in a quote", file: "vendors/x.md", src: "---\ntitle: X\ntags: [a, \"b]\"\n---\n",
			want: []string{`3:7 SYNTAX YAML: the [ here, in the value of tags, opens a list that is not closed`}},
		{name: "YAML bad indentation", file: "vendors/x.md", src: "---\ntitle: X\n  country: CN\n---\n",
			want: []string{`3:3 SYNTAX YAML: this line is indented further than title on line 2, which already has its value: if it goes on with that value, put the whole value in quotes (YAML reads the ": " in it as the start of a field); if it is a field of its own, start it in the same column as title$`}},
		{name: "YAML stray indentation", file: "vendors/x.md", src: "---\ntitle: X\n  tags: [a]\n---\n",
			want: []string{`3:3 SYNTAX YAML: this line is indented further than title on line 2`}},
		// A key moved to the start of the line among a fleet item's keys
		// is to blame, not the key below it (found in review: the message
		// said to dedent the next line too).
		{name: "YAML key dedented out of a fleet item", file: "agencies/x.md", src: "---\ntitle: X\ncountry: US\nfleet:\n  - vendor: dji\n    model: Mavic 3\ncount: 4\n    status: active\n    as_of: 2025-01\nsources: [https://a.org]\n---\n",
			want: []string{`7:1 SYNTAX YAML: count, at the start of the line, comes between keys indented 4 spaces, which go on below it: if it belongs with them, indent it as they are; if it is the entry's own, move it below them$`}},
		{name: "YAML field indented in a fleet item", file: "agencies/x.md", src: "---\ntitle: X\ncountry: US\nfleet:\n  - vendor: dji\n      status: active\n---\n",
			want: []string{`6:7 SYNTAX YAML: this line is indented further than vendor on line 5`}},
		{name: "YAML list item in a table", file: "vendors/x.md", src: "---\ntitle: X\n- country: CN\n---\n",
			want: []string{`3:1 SYNTAX YAML: a list item where a field was expected: title, on line 2, already has its value; a list goes under a field with nothing after its colon (title:, then the items, indented)$`}},
		// A fleet item pasted at the start of the line after the fleet's
		// items belongs to the fleet; the field above it (as_of) is not
		// to be made a list (found in review).
		{name: "YAML list item dedented out of its list", file: "agencies/x.md", src: "---\ntitle: X\ncountry: US\nfleet:\n  - vendor: unknown\n    status: active\n    as_of: 2025-02-19\n- vendor: unknown\n  status: grounded\n  as_of: 2025-03-01\nsources: [https://example.org/a]\n---\n",
			want: []string{`8:1 SYNTAX YAML: this list item is indented less than the item on line 5 of the list above; to make it another item of that list, put its - in column 3, as there, and indent its fields to match$`}},
		{name: "YAML tab indentation", file: "vendors/x.md", src: "---\ntitle: X\ntags:\n\t- a\n---\n",
			want: []string{`4:1 SYNTAX YAML: a tab indents this line; indent with spaces`}},
		{name: "YAML unterminated quote", file: "vendors/x.md", src: "---\ntitle: X\nsummary: 'oops\ncountry: CN\n---\n",
			want: []string{`3:10 SYNTAX YAML: the value of summary opens a ' quote that this line does not close; end the value with '$`}},
		// An apostrophe in a later value is not where the quote ends:
		// taken for it, the error was yaml.v3's at line 7 (found in
		// review).
		{name: "YAML single quote left open before an apostrophe", file: "agencies/x.md", src: "---\ntitle: 'Acme Police\ncountry: US\nfleet:\n  - vendor: unknown\n    note: The department's drones flew.\n    status: active\n    as_of: 2025-02-19\nsources: [https://example.org/a]\n---\n",
			want: []string{`2:8 SYNTAX YAML: the value of title opens a ' quote that this line does not close; end the value with '$`}},
		// A double quote left open runs on until a later quote or the
		// end; the error points at the line that opened it.
		{name: "YAML double quote left open", file: "vendors/x.md", src: "---\ntitle: \"DJI: [\nsummary: A maker.\ncountry: CN\n---\n",
			want: []string{`2:8 SYNTAX YAML: the value of title opens a " quote that this line does not close; end the value with "$`}},
		{name: "YAML quote left open before a quoted list", file: "vendors/x.md", src: "---\ntitle: X\nsummary: \"A maker # of drones\ncountry: CN\ntags: [\"a\", \"b\"]\n---\n",
			want: []string{`3:10 SYNTAX YAML: the value of summary opens a " quote that this line does not close; end the value with "$`}},
		{name: "YAML after blank lines", file: "vendors/x.md", src: "\n\n---\ntitle: X\ncountry: [CN\n---\n",
			want: []string{`5:10 SYNTAX YAML: the [ here, in the value of country, opens a list`}},
		// What follows a YAML document end marker used to be dropped without a word.
		{name: "YAML document end marker", file: "vendors/x.md", src: "---\ntitle: X\n...\ncountry: CN\n---\n",
			want: []string{"4:1 SYNTAX YAML: did not find expected <document start>"}},
		{name: "TOML bare word", file: "vendors/x.md", src: "+++\ntitle = \"X\"\ncountry = CN\n+++\n",
			want: []string{`3:11 SYNTAX TOML: unexpected character U+0043 'C' at start of value`}},
		{name: "TOML time of day", file: "vendors/x.md", src: "+++\ntitle = \"X\"\ncountry = \"CN\"\nupdated = 2020-01-02T03:04:05Z\n+++\n",
			want: []string{`4:11 DATE_INVALID updated "2020-01-02T03:04:05Z" has a time of day; write just the date, YYYY-MM-DD`}},
		{name: "JSON double comma", file: "vendors/x.md", src: ";;;\n{\n  \"title\": \"X\",,\n  \"country\": \"CN\"\n}\n;;;\n",
			want: []string{`3:16 SYNTAX JSON: invalid character ',' looking for beginning of object key string`}},
		{name: "JSON missing comma", file: "vendors/x.md", src: ";;;\n{\n  \"title\": \"X\"\n  \"country\": \"CN\"\n}\n;;;\n",
			want: []string{`3:15 SYNTAX JSON: a comma is missing here, after the value and before the next field; add ,`}},
		{name: "JSON bad literal", file: "vendors/x.md", src: ";;;\n{\n  \"title\": \"X\",\n  \"country\": tru\n}\n;;;\n",
			want: []string{`4:17 SYNTAX JSON: invalid character '\n' in literal true (expecting 'e')`}},
		{name: "JSON bad value deep in a list", file: "vendors/x.md", src: "{\n  \"title\": \"X\", \"tags\": [\"a\", \"b\", x]\n}\n",
			want: []string{`2:36 SYNTAX JSON: invalid character 'x' looking for beginning of value`}},
		{name: "JSON trailing data", file: "vendors/x.md", src: ";;;\n{\"title\": \"X\", \"country\": \"CN\"} {}\n;;;\n",
			want: []string{`2:33 SYNTAX JSON: unexpected data after the front matter object`}},
		{name: "JSON cut short", file: "vendors/x.md", src: ";;;\n{\"title\": \"X\",\n;;;\n",
			want: []string{`2:15 SYNTAX JSON: unexpected end of the front matter`}},
	})
}

// dumpEntry prints every exported field of an entry except positions and
// the facts of the file itself (its format and where its body starts), so
// that entries decoded from different formats can be compared.
func dumpEntry(e *Entry) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(*e), 0)
	body, err := e.Body()
	text, terr := e.Text()
	fmt.Fprintf(&b, "\nBody: %q (%v)\nText: %q (%v)", body, err, text, terr)
	return b.String()
}

var posType = reflect.TypeOf(Pos{})

func dumpValue(b *strings.Builder, v reflect.Value, depth int) {
	indent := strings.Repeat("  ", depth)
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		dumpValue(b, v.Elem(), depth)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(Date{}) {
			fmt.Fprintf(b, "%q", v.Interface().(Date).String())
			return
		}
		b.WriteString("{")
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Type == posType || f.Name == "Format" || f.Name == "BodyLine" {
				continue
			}
			fmt.Fprintf(b, "\n%s  %s: ", indent, f.Name)
			dumpValue(b, v.Field(i), depth+1)
		}
		b.WriteString("}")
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			fmt.Fprintf(b, "%q", v.Bytes())
			return
		}
		b.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			fmt.Fprintf(b, "\n%s  ", indent)
			dumpValue(b, v.Index(i), depth+1)
		}
		b.WriteString("]")
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		b.WriteString("map[")
		for _, k := range keys {
			fmt.Fprintf(b, "%v: ", k)
			dumpValue(b, v.MapIndex(k), depth+1)
			b.WriteString(" ")
		}
		b.WriteString("]")
	case reflect.String:
		fmt.Fprintf(b, "%q", v.String())
	default:
		fmt.Fprintf(b, "%v", v.Interface())
	}
}
