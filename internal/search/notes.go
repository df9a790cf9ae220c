package search

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
)

// notes says which of r's filter values no entry of the index has, with
// the value meant where one is near: a typo filtered everything out and
// said only that nothing matched (found in review: country=UK, tag=polise,
// vendor=vendor-205). Values are compared as Validate leaves them. And a
// query that is a vendor's slug, with no vendor filter, is told the
// filter (VendorNote). The caller holds x.mu.
func (x *Index) notes(r Request) ([]string, error) {
	var out []string
	if slug := vendorWords(r.Q); slug != "" && len(r.Vendors) == 0 {
		if _, ok := x.Meta().Vendors[slug]; ok {
			out = append(out, VendorNote(slug))
		}
	}
	if vendors := x.Meta().Vendors; len(vendors) > 0 {
		var slugs []string
		for _, v := range r.Vendors {
			if _, ok := vendors[v]; ok {
				continue
			}
			if slugs == nil {
				slugs = slices.Sorted(maps.Keys(vendors))
			}
			if m := kb.Suggest(v, slugs); m != "" {
				out = append(out, fmt.Sprintf("no vendor in the index is %q; did you mean %q (%s)?", v, m, vendors[m]))
			} else {
				out = append(out, fmt.Sprintf("no vendor in the index is %q", v))
			}
		}
	}
	if len(r.Countries) > 0 {
		have, err := x.terms(fCountry)
		if err != nil {
			return nil, err
		}
		for _, c := range r.Countries {
			name, iso := iso3166.Country(c)
			switch {
			case have[c]:
			case c == "UK":
				// No edit-distance guesses, as check makes none: most
				// two-letter typos are another real country.
				out = append(out, `"UK" is not an ISO 3166-1 country code; the United Kingdom's is "GB"`)
			case !iso:
				out = append(out, fmt.Sprintf("%q is not an ISO 3166-1 country code", c))
			default:
				out = append(out, fmt.Sprintf("no entry in the index is in %s (%s)", c, name))
			}
		}
	}
	if len(r.Tags) > 0 {
		have, err := x.terms(fTags)
		if err != nil {
			return nil, err
		}
		var tags []string
		for _, t := range r.Tags {
			if have[t] {
				continue
			}
			if tags == nil {
				tags = slices.Sorted(maps.Keys(have))
			}
			if m := kb.Suggest(t, tags); m != "" {
				out = append(out, fmt.Sprintf("no entry in the index has the tag %q; did you mean %q?", t, m))
			} else {
				out = append(out, fmt.Sprintf("no entry in the index has the tag %q", t))
			}
		}
	}
	return out, nil
}

// terms returns the values of a keyword field that some entry has.
func (x *Index) terms(field string) (map[string]bool, error) {
	dict, err := x.idx.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	out := map[string]bool{}
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return out, nil
		}
		if e.Count > 0 {
			out[e.Term] = true
		}
	}
}

// vendorWords is the slug that query text names, if it is plain words
// (letters, digits, spaces and hyphens) that would make one: "DJI" is
// dji, "Autel Robotics" autel-robotics. "" for any other text.
func vendorWords(q string) string {
	q = strings.TrimSpace(q)
	if strings.Trim(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -") != "" {
		return ""
	}
	// Spaces are the only ones left to split at.
	slug := strings.Join(strings.Fields(asciiLower(q)), "-")
	if !kb.ValidSlug(slug) {
		return ""
	}
	return slug
}

// VendorNote tells a search for a vendor's name the filter that keeps
// what its data ties to that vendor: the words find what names it in
// text or flies it (the fleet field), but not a law that restricts it by
// its country of origin, and they find the entries that only mention it
// too, which the filter leaves out (found by the researcher's audit).
// search.js says the same (staticNotes).
func VendorNote(slug string) string {
	return fmt.Sprintf("%q is a vendor: filter by vendor %s to keep the entries whose fleets, laws or incidents name it, not only those whose text does", slug, slug)
}
