// Package search indexes a knowledge base with bleve and answers queries
// against it: for `dronekb search`, for serve's /api/search, and (through
// the same analysis) for the static index the build writes for the browser.
//
// One document per entry. Text fields (title, short, summary, body, and
// place: the names of the entry's country and region) are analysed in the
// entry's language (see analysis.go): tokenised, lower-cased, French
// elisions and accents removed, stop words removed, stemmed, so
// "protests" finds "protest" and "etat" finds "d'État". IDs and codes
// (type, country, region, vendor, refs, tags, status) are exact keywords
// without norms: country=FR filters, and place makes "France" a word.
// Only what a hit shows is stored, and only the text fields keep term
// vectors, which phrases and highlighting need.
// There is no _all field.
package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion changes whenever the mapping, the document shape or what
// a field holds does (17: the fleet field, what an agency flies).
// An index built with another version is rebuilt, never read.
const MappingVersion = 17

// Field names in the index.
const (
	fType       = "type"
	fTitle      = "title"
	fShort      = "short"
	fSummary    = "summary"
	fBody       = "body"
	fPlace      = "place"
	fCites      = "cites"
	fFleet      = "fleet"
	fTags       = "tags"
	fCountry    = "country"
	fRegion     = "region"
	fVendor     = "vendor"
	fRefs       = "refs"
	fStatus     = "status"
	fRestricted = "restricted"
	fDate       = "date"
	fPath       = "path"
	fWhen       = "when"
	fTitleSort  = "title_sort"
	fLang       = "lang"
	fNames      = "names"
	fTitleLang  = "title_lang"
	fTextLang   = "text_lang"
)

// textFields are searched by words, with these boosts.
var textFields = []struct {
	name  string
	boost float64
}{{fTitle, 4}, {fShort, 4}, {fSummary, 2}, {fBody, 1}, {fPlace, placeBoost}, {fCites, citesBoost}, {fFleet, fleetBoost}}

// placeBoost weighs the place field: where an entry is makes it found by
// the place's name, but ranks it below the entries whose text speaks of
// the place. A term's weight in a field goes as 1/sqrt(the field's
// length), and a place is one to four words where a body is tens to
// hundreds (the shipped content's: 47 to 487 terms, 154 in the middle):
// at 0.05, the one word "France" weighs what one mention does in a body
// of 400 words, and "Paris, France" in one of 800, so a word in a title,
// a summary or almost any body outranks the same word as a place alone.
const placeBoost = 0.05

// citesBoost weighs the cites field, the titles and publishers of an
// entry's sources: at 0.1 a word in the ten words of one source's title
// weighs what one mention does in a body of about 1,000 words, and less in
// an entry citing more sources, so an entry found only by what it cites
// ranks below those whose own text has the word.
const citesBoost = 0.1

// fleetBoost weighs the fleet field, the vendors and models an agency
// flies, a few words an item: at 2, as a summary, the one word "DJI" of an
// agency flying one DJI model (three words) weighs about 1.2 where it
// weighs 0.4 in a summary of 30 words and 0.15 in a body of 150, so the
// agencies that fly a vendor's drones rank above those whose text only
// speaks of it, and below the vendor's own entry (its title, at 4).
const fleetBoost = 2

// Boosts of the bonuses for a query of plain words: an entry whose title
// or short name is the words, and one whose title has them in order. The
// phrase's score weighs its words by their rarity, and a title's common
// words ("drone", "act") weigh little: at 1, "Drone Act" put the American
// Security Drone Act sixth, under laws whose short name holds "Act"; at 16
// it is first, and the relevance set (testdata/relevance.txt) holds.
const (
	nameBoost  = 8
	titleBoost = 16
)

func newMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	// A document's type in the mapping is its language (Doc.BleveType):
	// French documents analyse their text fields in French.
	m.DefaultMapping = docMapping(analyzerEnglish)
	m.AddDocumentMapping(LangFrench, docMapping(analyzerFrench))
	m.DefaultAnalyzer = analyzerEnglish
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	m.DefaultField = fBody
	return m
}

// docMapping maps a document whose text fields are analysed by analyzer.
func docMapping(analyzer string) *mapping.DocumentMapping {
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		f.SkipFreqNorm = true
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.DefaultAnalyzer = analyzer
	doc.AddFieldMappingsAt(fType, kw(true, true))
	doc.AddFieldMappingsAt(fTitle, text(true))
	// A short name keeps its words' positions, as the title does, so that
	// "Texas DPS" in quotes, or CISA/FBI (two words), finds it.
	doc.AddFieldMappingsAt(fShort, text(false))
	doc.AddFieldMappingsAt(fSummary, text(true))
	doc.AddFieldMappingsAt(fBody, text(true))
	// place is searched, never shown: not stored. It keeps its words'
	// positions, so that "New York" in quotes finds it.
	doc.AddFieldMappingsAt(fPlace, text(false))
	// cites, like place, is searched, never shown, with positions.
	doc.AddFieldMappingsAt(fCites, text(false))
	// fleet, like cites, is searched, never shown, with positions ("Mavic
	// 3T" in quotes).
	doc.AddFieldMappingsAt(fFleet, text(false))
	doc.AddFieldMappingsAt(fTags, kw(false, false))
	doc.AddFieldMappingsAt(fCountry, kw(true, true))
	doc.AddFieldMappingsAt(fRegion, kw(false, false))
	doc.AddFieldMappingsAt(fVendor, kw(false, true))
	doc.AddFieldMappingsAt(fRefs, kw(false, false))
	doc.AddFieldMappingsAt(fStatus, kw(true, true))
	restricted := bleve.NewBooleanFieldMapping()
	restricted.IncludeInAll, restricted.Store, restricted.DocValues = false, false, false
	doc.AddFieldMappingsAt(fRestricted, restricted)
	date := bleve.NewDateTimeFieldMapping()
	date.IncludeInAll, date.Store, date.DocValues = false, true, true
	doc.AddFieldMappingsAt(fDate, date)
	path := bleve.NewKeywordFieldMapping()
	path.Index, path.Store, path.IncludeInAll, path.DocValues = false, true, false, false
	doc.AddFieldMappingsAt(fPath, path)
	// title_lang is shown with a hit's title, never searched.
	titleLang := bleve.NewKeywordFieldMapping()
	titleLang.Index, titleLang.Store, titleLang.IncludeInAll, titleLang.DocValues = false, true, false, false
	doc.AddFieldMappingsAt(fTitleLang, titleLang)
	when := bleve.NewKeywordFieldMapping()
	when.Index, when.Store, when.IncludeInAll, when.DocValues = false, true, false, false
	doc.AddFieldMappingsAt(fWhen, when)
	// title is analysed, so sorting by it would sort by its smallest stem
	// ("Paris Fire Brigade" under "brigad"); sort=title uses this instead.
	doc.AddFieldMappingsAt(fTitleSort, kw(false, true))
	doc.AddFieldMappingsAt(fLang, kw(false, false))
	// text_lang is shown with a hit's snippet, never searched: the
	// language the entry says its text is in, when not English.
	textLang := bleve.NewKeywordFieldMapping()
	textLang.Index, textLang.Store, textLang.IncludeInAll, textLang.DocValues = false, true, false, false
	doc.AddFieldMappingsAt(fTextLang, textLang)
	// names is scored, so it keeps its norms (without them a score is NaN).
	names := kw(false, false)
	names.SkipFreqNorm = false
	doc.AddFieldMappingsAt(fNames, names)
	// No field goes into _all, but bleve composes it for every document
	// unless its mapping is disabled: a tenth of the index's build time
	// spent on an empty field.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	return doc
}
