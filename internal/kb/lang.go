package kb

import (
	"fmt"
	"slices"
	"strings"
)

// Languages are the values of an entry's lang field: the languages search
// analyses text in (ISO 639-1 codes).
var Languages = []string{"en", "fr"}

// francophone are the places whose entries are written, or quote their
// sources, in French unless lang says otherwise: the countries where French
// is an official language, France's overseas territories, and Quebec.
var francophone = map[string]bool{
	"BE": true, "BF": true, "BI": true, "BJ": true, "BL": true, "CD": true, "CF": true, "CG": true, "CH": true,
	"CI": true, "CM": true, "DJ": true, "FR": true, "GA": true, "GF": true, "GN": true, "GP": true, "HT": true,
	"KM": true, "LU": true, "MC": true, "MF": true, "MG": true, "ML": true, "MQ": true, "NC": true, "NE": true,
	"PF": true, "PM": true, "RE": true, "RW": true, "SC": true, "SN": true, "TD": true, "TF": true, "TG": true,
	"VU": true, "WF": true, "YT": true, "CA-QC": true,
}

// Language returns the language the entry's text is analysed in for
// search: its lang field, else French for an entry of a francophone country
// or region (France, Belgium, Quebec, …), else English.
func (e *Entry) Language() string {
	if e.Lang != "" {
		return e.Lang
	}
	if francophone[e.Country()] || francophone[e.Region()] {
		return "fr"
	}
	return "en"
}

// TextLanguage is the language the entry's text is written in, as its page
// declares it: its lang field, else English. A language only inferred from
// the entry's country (Language, which search analyses the text in) is not
// the text's: many entries of France are written in English.
func (e *Entry) TextLanguage() string {
	if e.Lang != "" {
		return e.Lang
	}
	return "en"
}

// TitleLanguage is the language of the entry's title and short name as
// its front matter says: title_lang, else lang, else English. A language
// inferred from the entry's country is not taken for the title's: many
// entries of France are titled in English ("French Army").
func (e *Entry) TitleLanguage() string {
	switch {
	case e.TitleLang != "":
		return e.TitleLang
	case e.Lang != "":
		return e.Lang
	}
	return "en"
}

// ForeignTitle is the title's language when it is not English (what a
// page in English marks its title with, and the search's hits give), or
// "" for an English title.
func (e *Entry) ForeignTitle() string {
	if l := e.TitleLanguage(); l != "en" {
		return l
	}
	return ""
}

// ForeignText is the language the entry says its text is written in (its
// lang field) when that is not English, or "": what a page in English
// marks the entry's text with, so that a screen reader reads it in that
// language. A language only inferred from the entry's country (Language)
// is not the text's: many entries of France are written in English.
func (e *Entry) ForeignText() string {
	if e.Lang == "en" {
		return ""
	}
	return e.Lang
}

// ForeignTitle is the language of the source's title when the front
// matter says it and it is not English, or "".
func (s *Source) ForeignTitle() string {
	if s.Lang == "en" || s.Title == "" {
		return ""
	}
	return s.Lang
}

// languageNames are what a lang written otherwise than as its code most
// likely means: the language's name in English, French or German, or its
// ISO 639-2 code.
var languageNames = map[string]string{
	"english": "en", "anglais": "en", "englisch": "en", "eng": "en",
	"french": "fr", "français": "fr", "francais": "fr", "französisch": "fr", "fra": "fr", "fre": "fr",
}

// langAdvice says, as the end of a message, what to write instead of lang:
// s, which is none of Languages, in an entry of the country and region
// given (either may be ""): the code s most likely means ("EN", "fr-CA",
// "French"), or else that search analyses no other language, and what
// leaving lang out reads the text as.
func langAdvice(s, country, region string) string {
	low := strings.ToLower(strings.TrimSpace(s))
	code, _, _ := strings.Cut(strings.ReplaceAll(low, "_", "-"), "-")
	if named, ok := languageNames[low]; ok {
		code = named
	}
	if slices.Contains(Languages, code) {
		return fmt.Sprintf("; did you mean %q?", code)
	}
	where := "the default"
	if country != "" {
		where = "the default for an entry of " + country
	}
	if francophone[country] || francophone[region] {
		if francophone[region] {
			where = "the default for an entry of " + region
		}
		return fmt.Sprintf(": search analyses text in English or French only; leave lang out, and the text is analysed in French, %s, or write lang: en for English", where)
	}
	return fmt.Sprintf(": search analyses text in English or French only; leave lang out, and the text is analysed in English, %s", where)
}
