package kb

import (
	"slices"
	"strings"
)

// The entry format is declared once, here: one table of fields per entry
// type. The decoder checks front matter against it (decode.go), `dronekb
// schema` derives a JSON Schema from it (schema.go), `dronekb new` writes
// its templates from it (template.go), and README.md's field reference is
// generated from it (FieldReference). A field added here is checked,
// published, templated and documented at once.

// Kind is the kind of value a field holds.
type Kind string

// The kinds of field values.
const (
	KindText    Kind = "text"    // text on one line; numbers are taken as written
	KindDate    Kind = "date"    // YYYY, YYYY-MM or YYYY-MM-DD
	KindEnum    Kind = "enum"    // one of Field.Enum
	KindURL     Kind = "url"     // an http(s) URL
	KindCountry Kind = "country" // an ISO 3166-1 alpha-2 code
	KindRegion  Kind = "region"  // an ISO 3166-2 code in the entry's country
	KindCount   Kind = "count"   // a whole number from 1 to 1000000
	KindRef     Kind = "ref"     // the slug of an entry of type Field.Ref
	KindID      Kind = "id"      // the ID of any entry: section/slug
	KindTag     Kind = "tag"     // a tag: a slug
	KindList    Kind = "list"    // a list of Field.Elem; one scalar counts as a list of one
	KindObject  Kind = "object"  // a table of Field.Object's fields
)

// Field is one key of front matter, or of a table inside it.
type Field struct {
	Name string
	Kind Kind
	// Doc says in one line what the field holds, for templates, the JSON
	// Schema's descriptions, README's field reference and the message
	// that asks for a required field.
	Doc      string
	Required bool
	Enum     []string // KindEnum: the allowed values
	Ref      Type     // KindRef: the type of the entry it names
	// Also are values a reference takes besides slugs: a fleet item's
	// vendor may be "unknown".
	Also []string
	// Max is the most characters (text) or items (lists) allowed; Min the
	// fewest items of a list.
	Max, Min int
	// Since is the earliest year a date may give (KindDate), when the
	// field has one: a fleet item's dates, which the tracker over time
	// starts from (a year 0001 made it 8,100 quarters long and the site 45
	// times its size), an incident's and a review's, none of which can be
	// older than drones. A source may be (an old statute), and a law.
	Since int
	// Day says a date must give its day, YYYY-MM-DD: the day an entry
	// was reviewed is known to the day (KindDate).
	Day    bool
	Elem   *Field  // KindList: each item
	Object *Object // KindObject: its fields
	// Example is a value for the templates of `dronekb new`.
	Example string
	// Open fields are written uncommented into templates, for the
	// contributor to fill in.
	Open bool
}

// Object is a table of fields: an entry's front matter, or a value such as
// a fleet item or a source.
type Object struct {
	// Noun names the table in messages: "a fleet item", "a source".
	Noun   string
	Fields []*Field
	// Shorthand is the field that a bare value stands for: a source may be
	// written as its URL alone.
	Shorthand string
	// NeedOne lists fields of which at least one must be given: an
	// exemption must name whom it exempts.
	NeedOne []string
	// NeedOneVerb says what the table does to them: an exemption "exempts".
	NeedOneVerb string
	// Conditions are fields that some values of another field require.
	Conditions []Condition
	// Exclusive lists groups of fields of which at most one may be given:
	// a provision's effective and in_force_by.
	Exclusive [][]string
}

// Condition requires one of the fields NeedOne when Field has one of
// Values: an enacted law needs an enacted or effective date.
type Condition struct {
	Field   string
	Values  []string
	NeedOne []string
	// Need completes "an enacted law needs …".
	Need string
}

// exclusiveWith returns the field given already that may not be given
// with the one called name (Exclusive), or nil.
func (o *Object) exclusiveWith(name string, given keysGiven) *Field {
	for _, group := range o.Exclusive {
		if !slices.Contains(group, name) {
			continue
		}
		for _, other := range group {
			if other != name && given.has(other) {
				return o.Field(other)
			}
		}
	}
	return nil
}

// Field returns the object's field called name, or nil.
func (o *Object) Field(name string) *Field {
	if i := o.index(name); i >= 0 {
		return o.Fields[i]
	}
	return nil
}

// index returns the place in Fields of the field called name, or -1.
func (o *Object) index(name string) int {
	for i, f := range o.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the names of the object's fields, in order.
func (o *Object) Names() []string {
	out := make([]string, len(o.Fields))
	for i, f := range o.Fields {
		out[i] = f.Name
	}
	return out
}

// Enumerations of the entry format.
var (
	agencyLevels  = []string{"national", "state", "local"}
	agencyKinds   = []string{"police", "military", "civil", "emergency", "intelligence", "other"}
	fleetStatuses = []string{StatusActive, StatusGrounded, StatusRetired, StatusUnknown}
	lawKinds      = []string{"statute", "regulation", "executive-order", "policy", "bill"}
	lawStatuses   = []string{"proposed", "enacted", "expired", "repealed", "failed"}
	lawMeasures   = []string{MeasureProcurement, MeasureOperation, MeasureFunding, MeasureData, MeasureReview, MeasureAdvisory}
	incidentKinds = []string{"surveillance", "protest", "crash", "data", "policy", "other"}
)

// Limits on the size of values.
const (
	maxTextLen    = 2000
	maxTitleLen   = 300
	maxSummaryLen = 600
	maxListLen    = 1000
	maxURLLen     = 2048
	maxFleetItems = 500
	maxHistoryLen = 200
	maxProvisions = 50
	maxExemptions = 50
	maxSources    = 200
	maxTags       = 50
	maxTagLen     = 60
	maxNameLen    = 200
	maxCountries  = 300
)

func textField(name string, max int, doc, example string) *Field {
	return &Field{Name: name, Kind: KindText, Max: max, Doc: doc, Example: example}
}

func dateField(name, doc, example string) *Field {
	return &Field{Name: name, Kind: KindDate, Doc: doc, Example: example}
}

// firstRecordYear is the earliest year a record of drones, or a review
// of one, can be from.
const firstRecordYear = 1900

// recordDateField is a date of a record: of drones observed, an incident,
// a review. None is from before firstRecordYear.
func recordDateField(name, doc, example string) *Field {
	f := dateField(name, doc, example)
	f.Since = firstRecordYear
	return f
}

// dayField makes the date field f take only a whole date, YYYY-MM-DD.
func dayField(f *Field) *Field {
	f.Day = true
	return f
}

func enumField(name string, values []string, doc, example string) *Field {
	return &Field{Name: name, Kind: KindEnum, Enum: values, Doc: doc, Example: example}
}

func urlField(name, doc, example string) *Field {
	return &Field{Name: name, Kind: KindURL, Doc: doc, Example: example}
}

func refField(name string, t Type, doc, example string) *Field {
	return &Field{Name: name, Kind: KindRef, Ref: t, Doc: doc, Example: example}
}

func listField(name string, max int, elem *Field, doc, example string) *Field {
	return &Field{Name: name, Kind: KindList, Max: max, Elem: elem, Doc: doc, Example: example}
}

func objectField(name string, o *Object, doc string) *Field {
	return &Field{Name: name, Kind: KindObject, Object: o, Doc: doc}
}

func req(f *Field) *Field { f.Required = true; return f }

func openField(f *Field) *Field { f.Open = true; return f }

// sourceObject is a document that supports an entry.
var sourceObject = &Object{Noun: "a source", Shorthand: "url", Fields: []*Field{
	req(urlField("url", "the http(s) address of the document", "https://…")),
	openField(textField("title", maxTitleLen, "the document's title", "")),
	openField(textField("publisher", maxNameLen, "who published it", "")),
	openField(dateField("date", "when it was published: YYYY, YYYY-MM or YYYY-MM-DD", "")),
	urlField("archive", "an archived copy, such as a Wayback Machine URL", "https://web.archive.org/…"),
	enumField("lang", Languages, "the language of its title, such as fr for a French headline; pages mark a title that is not in English so that screen readers say it right", "fr"),
}}

// frontMatter makes the front matter of entries of type t: a title and a
// summary, the fields of the type, then the tags, dates, related entries
// and sources that every type has.
func frontMatter(t Type, fields ...*Field) []*Field {
	sources := listField("sources", maxSources, &Field{Name: "sources", Kind: KindObject, Object: sourceObject},
		"the documents that support the entry; cite them in the text as [1], [2], …", "")
	// Templates ask for a source even where none is required (vendors).
	sources.Open = t != TypePage
	if t != TypeVendor && t != TypePage {
		sources.Required, sources.Min = true, 1
		sources.Doc = "at least one document that supports the entry; cite them in the text as [1], [2], …"
	}
	summary := map[Type]string{
		TypeAgency: "one sentence: who they are and what they fly", TypeVendor: "one sentence: what it makes",
		TypeLaw: "one sentence: what it does", TypeIncident: "one sentence: what happened", TypePage: "one sentence: what the page is about",
	}[t]
	out := []*Field{
		req(textField("title", maxTitleLen, "the name readers will see", "")),
		openField(textField("summary", maxSummaryLen, summary, "")),
	}
	out = append(out, fields...)
	return append(out,
		enumField("lang", Languages, "the language the text is written in, which pages mark and search analyses it in; left out, pages take English and search analyses French for francophone countries, English for others", "fr"),
		enumField("title_lang", Languages, "the language of the title and short name when it is not the text's as lang gives it (English when lang is left out), such as a French name on an entry written in English; pages mark it so that screen readers say it right", "fr"),
		openField(listField("tags", maxTags, &Field{Name: "tag", Kind: KindTag, Max: maxTagLen}, "lower-case words, such as police or dji", "[]")),
		openField(dayField(recordDateField("updated", "the date you last reviewed this entry, YYYY-MM-DD", ""))),
		openField(listField("related", maxListLen, &Field{Name: "related", Kind: KindID}, "full IDs of related entries, such as laws/eo-13981", "[]")),
		sources,
	)
}

// observationObject is an earlier dated status of a fleet item.
var observationObject = &Object{Noun: "a history observation", Fields: []*Field{
	req(recordDateField("date", "when the status was observed", "2020-01-29")),
	req(enumField("status", fleetStatuses, "the status observed then", "grounded")),
	urlField("source", "the document that shows it; list it in sources too", "https://…"),
}}

// fleetObject is a kind of aircraft an agency flies or flew.
var fleetObject = &Object{Noun: "a fleet item", Fields: []*Field{
	req(&Field{Name: "vendor", Kind: KindRef, Ref: TypeVendor, Also: []string{UnknownVendor},
		Doc: "the vendor's slug, such as dji, or unknown when no source establishes the make", Example: "dji"}),
	textField("model", maxNameLen, "the model, as the source names it", "Mavic 2 Enterprise"),
	{Name: "count", Kind: KindCount, Doc: "how many; leave it out when not known", Example: "2"},
	recordDateField("acquired", "when it was acquired; counts as an active observation", "2019-03"),
	openField(enumField("status", fleetStatuses, "its latest observed status", StatusUnknown)),
	req(recordDateField("as_of", "the date of the latest observation of its status", "")),
	openField(urlField("source", "the document that shows that status; list it in sources too", "")),
	textField("note", maxTextLen, "anything a reader should know about the evidence", "…"),
	listField("history", maxHistoryLen, &Field{Name: "history", Kind: KindObject, Object: observationObject},
		"earlier dated observations, oldest first", ""),
}}

// restrictionObject is the hardware a law restricts.
var restrictionObject = &Object{Noun: "restricts", Fields: []*Field{
	listField("vendors", maxListLen, &Field{Name: "vendors", Kind: KindRef, Ref: TypeVendor}, "vendor slugs", "[dji]"),
	listField("countries", maxCountries, &Field{Name: "countries", Kind: KindCountry}, "countries of origin, ISO 3166-1 codes", "[CN]"),
}}

// matchFields say whom a law binds or exempts.
func matchFields() []*Field {
	return []*Field{
		listField("levels", len(agencyLevels)*2, &Field{Name: "levels", Kind: KindEnum, Enum: agencyLevels}, "agency levels", "[national]"),
		listField("kinds", len(agencyKinds)*2, &Field{Name: "kinds", Kind: KindEnum, Enum: agencyKinds}, "agency kinds", "[police]"),
		listField("agencies", maxListLen, &Field{Name: "agencies", Kind: KindRef, Ref: TypeAgency}, "agency slugs", "[fbi]"),
	}
}

// bindsObject narrows whom a law binds inside its jurisdiction.
var bindsObject = &Object{Noun: "binds", Fields: matchFields()}

// exemptionObject lets agencies off a law or provision.
var exemptionObject = &Object{Noun: "an exemption", NeedOne: []string{"levels", "kinds", "agencies"}, NeedOneVerb: "exempts", Fields: append(matchFields(),
	textField("uses", maxTextLen, "what the exemption covers, such as criminal investigations", "federal criminal investigations"),
	urlField("source", "the text that grants it; list it in sources too", "https://…"),
)}

func restrictsField() *Field {
	return objectField("restricts", restrictionObject, "the hardware it restricts: vendors by slug, countries of origin")
}

func bindsField() *Field {
	return objectField("binds", bindsObject, "whom it binds in its jurisdiction: agencies matching every list given; leave it out for all")
}

func exemptsField() *Field {
	return listField("exempts", maxExemptions, &Field{Name: "exempts", Kind: KindObject, Object: exemptionObject},
		"agencies it lets off, what for, and the source that says so", "")
}

// provisionObject is one measure of a law that phases in.
var provisionObject = &Object{Noun: "a provision", Fields: []*Field{
	req(enumField("measure", lawMeasures, "what it does to the hardware", MeasureOperation)),
	dateField("effective", "when it starts, if not with the law", "2025-12-22"),
	dateField("in_force_by", "instead of effective, when no source gives the day it started: the day a source first shows it in force, from which it is counted", "2025-02-28"),
	dateField("expires", "when it stops applying, if not with the law", ""),
	restrictsField(),
	bindsField(),
	exemptsField(),
	textField("note", maxTextLen, "anything a reader should know about it", ""),
}, Exclusive: [][]string{{"effective", "in_force_by"}}}

// The front matter of each type of entry.
var (
	agencyObject = &Object{Noun: "front matter", Fields: frontMatter(TypeAgency,
		textField("short", 40, "its acronym", "NYPD"),
		req(&Field{Name: "country", Kind: KindCountry, Doc: "its ISO 3166-1 code, such as US or FR"}),
		&Field{Name: "region", Kind: KindRegion, Doc: "its ISO 3166-2 region, starting with the country", Example: "US-NY"},
		enumField("level", agencyLevels, "the level of government", "local"),
		enumField("kind", agencyKinds, "what kind of agency", "police"),
		refField("parent", TypeAgency, "the slug of the agency it belongs to", "us-dhs"),
		urlField("website", "its official website", "https://…"),
		openField(listField("fleet", maxFleetItems, &Field{Name: "fleet", Kind: KindObject, Object: fleetObject},
			"the drones it flies or flew, each with dated, sourced observations", "")),
	)}
	vendorObject = &Object{Noun: "front matter", Fields: frontMatter(TypeVendor,
		textField("legal_name", maxTitleLen, "its registered name", "SZ DJI Technology Co., Ltd."),
		req(&Field{Name: "country", Kind: KindCountry, Doc: "its country of origin, an ISO 3166-1 code such as CN"}),
		textField("hq", maxNameLen, "where its headquarters are", "Shenzhen, Guangdong"),
		urlField("website", "its website", "https://…"),
		refField("parent", TypeVendor, "the slug of its parent company", "dji"),
	)}
	lawObject = &Object{Noun: "front matter", Fields: frontMatter(TypeLaw,
		textField("short", 60, "its short name", "NDAA §848"),
		enumField("kind", lawKinds, "what kind of text it is", "statute"),
		req(&Field{Name: "country", Kind: KindCountry, Doc: "the ISO 3166-1 code of its jurisdiction"}),
		&Field{Name: "region", Kind: KindRegion, Doc: "its ISO 3166-2 region, for a state or regional law", Example: "US-FL"},
		req(enumField("status", lawStatuses, "where it stands", "")),
		dateField("introduced", "when it was introduced", "2019-09-18"),
		dateField("enacted", "when it was enacted", "2019-12-20"),
		dateField("effective", "when it takes effect, if not when enacted", "2020-01-01"),
		dateField("expires", "the day it stops (or stopped) applying", "2028-12-22"),
		restrictsField(),
		enumField("measure", lawMeasures, "what it does to that hardware (procurement, operation and funding restrict it); required with restricts, unless its provisions say it", MeasureProcurement),
		bindsField(),
		exemptsField(),
		&Field{Name: "provisions", Kind: KindList, Max: maxProvisions, Min: 1, Elem: &Field{Name: "provisions", Kind: KindObject, Object: provisionObject},
			Doc: "for a law that phases in: its provisions, each taking what it leaves out from the law"},
	), Conditions: []Condition{
		{Field: "status", Values: []string{"enacted", "expired", "repealed"}, NeedOne: []string{"enacted", "effective"},
			Need: "an enacted or effective date, so the tracker knows from when it applies"},
		{Field: "status", Values: []string{"expired", "repealed"}, NeedOne: []string{"expires"},
			Need: "expires: the day it stopped applying, so the tracker still answers for the years it applied"},
	}}
	incidentObject = &Object{Noun: "front matter", Fields: frontMatter(TypeIncident,
		req(recordDateField("date", "when it happened, at the precision the source gives: YYYY, YYYY-MM or YYYY-MM-DD", "")),
		textField("place", maxTitleLen, "where it happened", "Times Square, New York"),
		&Field{Name: "country", Kind: KindCountry, Doc: "where it happened, an ISO 3166-1 code", Example: "US"},
		&Field{Name: "region", Kind: KindRegion, Doc: "its ISO 3166-2 region", Example: "US-NY"},
		openField(listField("agencies", maxListLen, &Field{Name: "agencies", Kind: KindRef, Ref: TypeAgency}, "agency slugs", "[]")),
		openField(listField("vendors", maxListLen, &Field{Name: "vendors", Kind: KindRef, Ref: TypeVendor}, "vendor slugs", "[]")),
		openField(listField("laws", maxListLen, &Field{Name: "laws", Kind: KindRef, Ref: TypeLaw}, "law slugs", "[]")),
		enumField("kind", incidentKinds, "what kind of event", "surveillance"),
	)}
	pageObject = &Object{Noun: "front matter", Fields: frontMatter(TypePage)}
)

// FrontMatter returns the declaration of the front matter of entries of
// type t, or nil for an unknown type.
func FrontMatter(t Type) *Object {
	switch t {
	case TypeAgency:
		return agencyObject
	case TypeVendor:
		return vendorObject
	case TypeLaw:
		return lawObject
	case TypeIncident:
		return incidentObject
	case TypePage:
		return pageObject
	}
	return nil
}

// Types lists the entry types in the order of Sections, then pages.
func Types() []Type {
	out := make([]Type, 0, len(Sections)+1)
	for _, s := range Sections {
		out = append(out, s.Type)
	}
	return append(out, TypePage)
}

// fieldOwners maps each top-level field name to the entry types that have it.
var fieldOwners = func() map[string][]Type {
	m := map[string][]Type{}
	for _, s := range Sections {
		for _, f := range FrontMatter(s.Type).Fields {
			m[f.Name] = append(m[f.Name], s.Type)
		}
	}
	return m
}()

// Hint is what the message that asks for a required field says of it: the
// allowed values of an enumeration, else its doc line.
func (f *Field) Hint() string {
	if f.Kind == KindEnum {
		return strings.Join(f.Enum, " | ")
	}
	return f.Doc
}

// valueHint says what to give as the field's value, after "give":
// "one of active, grounded, …", "its ISO 3166-1 code, such as US or FR",
// a date's with its shape.
func (f *Field) valueHint() string {
	switch {
	case f.Kind == KindEnum:
		return "one of " + strings.Join(f.Enum, ", ")
	case f.Kind == KindDate && !strings.Contains(f.Doc, "YYYY"):
		if f.Day {
			return f.Doc + " (YYYY-MM-DD)"
		}
		return f.Doc + " (YYYY, YYYY-MM or YYYY-MM-DD)"
	}
	return f.Doc
}

// requiredNames returns the names of the object's required fields.
func (o *Object) requiredNames() []string {
	var out []string
	for _, f := range o.Fields {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return out
}
