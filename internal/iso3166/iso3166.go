// Package iso3166 knows the ISO 3166-1 alpha-2 country codes and ISO 3166-2
// subdivision codes, and their English names. The lists are generated from
// Debian's iso-codes package into codes.tsv (see gen.go) and embedded.
package iso3166

//go:generate go run gen.go

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:embed codes.tsv
var codesTSV string

// Subdivision is an ISO 3166-2 code with its name and kind ("State", "Metropolitan department").
type Subdivision struct {
	Code, Name, Type string
}

var (
	once      sync.Once
	countries map[string]string
	aliases   map[string]string // normalName(any name or code) → alpha-2 code
	regions   map[string]Subdivision
	allCodes  []string
)

func load() {
	countries = make(map[string]string, 256)
	aliases = make(map[string]string, 600)
	regions = make(map[string]Subdivision, 6000)
	for _, line := range strings.Split(codesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		switch {
		case line[0] == '~' && len(f) == 2:
			aliases[normalName(f[0][1:])] = f[1]
		case len(f) == 2:
			countries[f[0]] = f[1]
			aliases[normalName(f[0])] = f[0]
			aliases[normalName(f[1])] = f[0]
			allCodes = append(allCodes, f[0])
		case len(f) == 3:
			regions[f[0]] = Subdivision{Code: f[0], Name: f[1], Type: f[2]}
		}
	}
	sort.Strings(allCodes)
}

// Country returns the English name of an ISO 3166-1 alpha-2 code, and whether
// the code exists. Codes are upper case ("FR").
func Country(code string) (string, bool) {
	once.Do(load)
	name, ok := countries[code]
	return name, ok
}

// Region returns the ISO 3166-2 subdivision with that code ("US-NY").
func Region(code string) (Subdivision, bool) {
	once.Do(load)
	r, ok := regions[code]
	return r, ok
}

// CountryCode returns the alpha-2 code of the country that name names: an
// alpha-2 or alpha-3 code, or its English name, common, short or official,
// in any case and with or without dots ("U.S.", "USA", "united states of
// america" are all "US"). It is for suggesting a code, not for reading one.
func CountryCode(name string) (string, bool) {
	once.Do(load)
	code, ok := aliases[normalName(name)]
	return code, ok
}

// normalName folds case, dots and runs of spaces, and a leading "the".
func normalName(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, ".", ""))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimPrefix(s, "the ")
}

// Countries returns every alpha-2 code, sorted.
func Countries() []string {
	once.Do(load)
	return allCodes
}

// RegionsOf returns the subdivision codes of a country, sorted.
func RegionsOf(country string) []string {
	once.Do(load)
	var out []string
	for code := range regions {
		if strings.HasPrefix(code, country+"-") {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}
