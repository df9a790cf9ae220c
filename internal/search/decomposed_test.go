package search_test

import (
	"context"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// decomposedKB has French words written two ways: with accents as
// combining marks after their letters (decomposed, NFD, as text copied
// from macOS or a PDF often is) and with a soft hyphen inside a word.
const decomposedKB = `
-- agencies/nfd.md --
---
title: Decomposed
country: FR
sources: [https://example.org/a]
---
La pre` + "\u0301" + `fecture zorblax et la se` + "\u0301" + `curite` + "\u0301" + ` de l'E` + "\u0301" + `tat [1].
-- agencies/shy.md --
---
title: Hyphenated
country: FR
sources: [https://example.org/b]
---
La gen` + "\u00ad" + `darmerie quuxly [1].
-- agencies/nfc.md --
---
title: Composed
country: FR
sources: [https://example.org/c]
---
La préfecture plugh [1].
`

// TestDecomposedAccentsMatch: a word is found however its accents are
// written, in the entry or in the query: "préfecture" composed,
// decomposed or without accents; a soft hyphen inside a word is not part
// of it. Neither was found (found in review: a decomposed "préfecture"
// matched nothing).
func TestDecomposedAccentsMatch(t *testing.T) {
	idx, _ := indexOf(t, sitetest.Load(t, sitetest.Content(t, decomposedKB)))
	ids := func(q string) map[string]bool {
		t.Helper()
		res, err := idx.Search(context.Background(), search.Request{Q: q, Size: 10})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		out := map[string]bool{}
		for _, h := range res.Hits {
			out[h.ID] = true
		}
		return out
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"zorblax securite", []string{"agencies/nfd"}},
		{"zorblax sécurité", []string{"agencies/nfd"}},
		{"zorblax se\u0301curite\u0301", []string{"agencies/nfd"}},
		{"zorblax etat", []string{"agencies/nfd"}},
		{"prefecture", []string{"agencies/nfd", "agencies/nfc"}},
		{"préfecture", []string{"agencies/nfd", "agencies/nfc"}},
		{"pre\u0301fecture", []string{"agencies/nfd", "agencies/nfc"}},
		{"pre\u0301f*", []string{"agencies/nfd", "agencies/nfc"}},
		{`"la pre` + "\u0301" + `fecture"`, []string{"agencies/nfd", "agencies/nfc"}},
		{"gendarmerie", []string{"agencies/shy"}},
		{"gen\u00addarmerie", []string{"agencies/shy"}},
	} {
		got := ids(c.q)
		if len(got) != len(c.want) {
			t.Errorf("%q finds %v; want %v", c.q, got, c.want)
			continue
		}
		for _, id := range c.want {
			if !got[id] {
				t.Errorf("%q finds %v; want %v", c.q, got, c.want)
			}
		}
	}
}
