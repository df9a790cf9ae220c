// Package titlesort is the order a reader sees titles in, wherever the
// site, the tracker or the command line lists them by title: lower-cased,
// runs of spaces as one, accents and other marks folded to their base
// letters ("Île-de-France" among the i's, "Łódzkie" among the l's,
// "Córdoba" before "Corrientes"); titles that fold alike go by their
// lower-cased spelling ("Cordoba" before "Córdoba"), and titles that are
// alike in that too by the entries' IDs, so that the order is total.
//
// It is the order of search's sort=title (package search's titleSortKey,
// which folds with the same filter), so that a list, a tracker view, the
// tracker's in-page sort and a search sorted by title agree. Folding is
// bleve's (Lucene's) ASCII folding, character by character: "ß" → "ss",
// "Æ" → "AE", "’" → "'". Numbers are compared as text: "Agency 2690"
// comes before "Agency 290".
package titlesort

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

// Key is what a title sorts by: Folded first, then Lower.
type Key struct {
	Folded string // "ile-de-france police"
	Lower  string // "île-de-france police"
}

var folder = asciifolding.New()

// Of returns the key of a title.
func Of(title string) Key {
	lower := strings.Join(strings.Fields(strings.ToLower(title)), " ")
	for i := 0; i < len(lower); i++ {
		if lower[i] >= 0x80 {
			return Key{Folded: string(folder.Filter([]byte(lower))), Lower: lower}
		}
	}
	return Key{Folded: lower, Lower: lower}
}

// Compare compares two keys: -1, 0 or +1.
func Compare(a, b Key) int {
	if c := strings.Compare(a.Folded, b.Folded); c != 0 {
		return c
	}
	return strings.Compare(a.Lower, b.Lower)
}

// CompareEntries compares two entries by their titles' keys, then their
// IDs: the order of every list by title.
func CompareEntries(aKey Key, aID string, bKey Key, bID string) int {
	if c := Compare(aKey, bKey); c != 0 {
		return c
	}
	return strings.Compare(aID, bID)
}
