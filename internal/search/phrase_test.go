package search_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
)

// A stop word inside a phrase is not indexed but keeps its place: "made in
// China" is "made", any one word, "china". Both the bleve index and the
// static one match phrases this way.
func TestPhraseStopWordsHoldTheirPlace(t *testing.T) {
	for text, want := range map[string][]string{
		`"made in china"`:     {"made", "", "china"},
		`"the police"`:        {"polic"},
		`"made in the china"`: {"made", "", "", "china"},
		`state-of-the-art`:    {"state", "", "", "art"},
		`covid-19`:            {"covid", "19"},
	} {
		q, err := search.ParseQuery(text)
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Clauses) != 1 || !slices.Equal(q.Clauses[0].Terms, want) {
			t.Errorf("%s: clauses %+v, want terms %q", text, q.Clauses, want)
		}
	}

	dir := filepath.Join(t.TempDir(), "index")
	docs := []search.Doc{
		{Type: "law", Title: "Ban", Body: "Drones made in China are banned.", Path: "laws/ban/"},
		{Type: "law", Title: "Other", Body: "Made by hand, shipped to China.", Path: "laws/other/"},
	}
	if _, err := search.Build(context.Background(), dir, []string{"laws/ban", "laws/other"}, docs, search.BuildOptions{AsOf: kb.MustDate("2025-01-01")}); err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for q, want := range map[string][]string{
		`"made in china"`:     {"laws/ban"},
		`"made in the china"`: nil,
		`"made china"`:        nil,
		`"drones made"`:       {"laws/ban"},
		`made china`:          {"laws/ban", "laws/other"},
	} {
		res, err := idx.Search(context.Background(), search.Request{Q: q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", q, got, want)
		}
	}
}

// TestTypographicQuotes: French guillemets and curly quotes quote a phrase
// as " does. « préfecture de police » searched its three words anywhere,
// 19 hits on the shipped content where the phrase has 3 (found in review).
func TestTypographicQuotes(t *testing.T) {
	want, err := search.ParseQuery(`"préfecture de police" -"made in china"`)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{
		`« préfecture de police » -«made in china»`,
		`“préfecture de police” -“made in china”`,
		`„préfecture de police“ -„made in china“`,
		`"« préfecture de police »" -"«made in china»"`,
	} {
		got, err := search.ParseQuery(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if len(got.Clauses) != 2 || got.Clauses[0].Kind != search.Phrase || !slices.Equal(got.Clauses[0].Terms, want.Clauses[0].Terms) ||
			got.Clauses[1].Kind != search.Phrase || !got.Clauses[1].Exclude || !slices.Equal(got.Clauses[1].Terms, want.Clauses[1].Terms) {
			t.Errorf("%s parses to %+v; want the phrases of %+v", text, got.Clauses, want.Clauses)
		}
	}
}
