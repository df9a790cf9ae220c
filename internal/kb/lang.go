package kb

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
