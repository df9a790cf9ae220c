package search_test

import (
	"context"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// wordsByFrequency returns the words of the documents in language lang
// (as typed: lower-cased, three letters or more, not stop words of
// the language), the most frequent
// first, then by word: each word's document frequency decides.
func wordsByFrequency(t testing.TB, docs []search.Doc, lang string) []string {
	df := map[string]int{}
	for _, d := range docs {
		if d.Lang != lang && !(lang == search.LangEnglish && d.Lang == "") {
			continue
		}
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(d.Title+" "+d.Short+" "+d.Summary+" "+bodyText(t, &d)), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if len([]rune(w)) >= 3 && !seen[w] && search.NameKey(lang, w) != "" {
				seen[w] = true
				df[w]++
			}
		}
	}
	words := make([]string, 0, len(df))
	for w := range df {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if df[a] != df[b] {
			return df[b] - df[a]
		}
		return strings.Compare(a, b)
	})
	return words
}

// spread picks n words of words spread evenly over them, the first
// included.
func spread(words []string, n int) []string {
	if len(words) <= n {
		return words
	}
	out := make([]string, n)
	for i := range out {
		out[i] = words[i*len(words)/n]
	}
	return out
}

// wordQueries makes searches of plain words of a knowledge base's
// documents: the most frequent words, words spread from frequent to rare,
// the rarest; each alone, in pairs and in threes mixing frequent and rare,
// some with filters. It returns them as /api/search query strings.
func wordQueries(t testing.TB, docs []search.Doc, lang string, n int) []string {
	words := wordsByFrequency(t, docs, lang)
	frequent := words[:min(n, len(words))]
	middle := spread(words, n)
	rare := spread(words[len(words)*3/4:], n)
	filters := []string{"", "&type=agency", "&country=US,FR", "&restricted=true", "&type=law,vendor&status=in-force"}
	var out []string
	add := func(i int, words ...string) {
		out = append(out, "q="+url.QueryEscape(strings.Join(words, " "))+filters[i%len(filters)])
	}
	for i := range n {
		add(i, frequent[i%len(frequent)])
		add(i+1, middle[i%len(middle)])
		add(i+2, rare[i%len(rare)])
		add(i+3, frequent[i%len(frequent)], frequent[(i+1)%len(frequent)])
		add(i+4, frequent[i%len(frequent)], rare[i%len(rare)])
		add(i, rare[i%len(rare)], middle[(i+3)%len(middle)], frequent[(i+2)%len(frequent)])
	}
	return out
}

// wordVariants are the sorts and pages word searches are asked in, one
// each in turn.
var wordVariants = []string{"", "&sort=date", "&sort=-date", "&sort=title", "&from=10", "&size=100", "&from=37&size=23&sort=date", "&from=990&size=10"}

// sameWords compares Search with bleve on each query in one variant of
// wordVariants in turn, checking first that Search scores it itself.
func sameWords(t *testing.T, idx *search.Index, queries []string) (compared int) {
	t.Helper()
	for i, q := range queries {
		params := q + wordVariants[i%len(wordVariants)]
		r := request(t, params)
		if q, _ := search.ParseQuery(r.Q); q.OnlyCommonWords() {
			continue // a search of no words: bleve's
		}
		if ok, err := idx.Scored(context.Background(), r); err != nil || !ok {
			t.Errorf("%s: Search does not score it itself (%v)", params, err)
		}
		compared += sameAsBleve(t, idx, []string{params}, []string{""})
	}
	return compared
}

// TestScoredSameAsBleve: a query of plain words, found in nearly every
// entry or in one, alone or with others, filtered or not, in English or
// in French, sorted and paged every way, is scored by Search itself
// (scored.go) and answered exactly as bleve answers it: the same total,
// hits, order, scores to the bit, snippets and facet counts.
// TestSameAsBleve compares such queries on its generated knowledge base
// too.
func TestScoredSameAsBleve(t *testing.T) {
	t.Run("shipped", func(t *testing.T) {
		k := sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t)))
		docs := search.Docs(k, k.Tracker(sitetest.AsOf), site.EntryPath)
		idx, _ := indexOf(t, k)
		en := sameWords(t, idx, wordQueries(t, docs, search.LangEnglish, 20))
		fr := sameWords(t, idx, wordQueries(t, docs, search.LangFrench, 20))
		if en < 100 || fr < 100 {
			t.Fatalf("%d English and %d French searches compared: too few to prove anything", en, fr)
		}
	})
}

// TestScoredFallsBack: what Search cannot score itself, bleve scores: a
// prefix, a typo, a search without words.
func TestScoredFallsBack(t *testing.T) {
	idx := shippedIndex(t)
	for _, params := range []string{"q=dron*", "q=dorne~1", "type=agency", "q=the&country=FR"} {
		if ok, err := idx.Scored(context.Background(), request(t, params)); err != nil || ok {
			t.Errorf("%s: scored by Search itself (%v), not by bleve", params, err)
		}
	}
	sameAsBleve(t, idx, []string{"q=dron*", "q=dorne~1", "type=agency", "q=the&country=FR"}, []string{"", "&sort=title"})
}
