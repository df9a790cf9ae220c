package search_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/search"
)

var fuzzSeeds = []string{
	"", "q=drones", "q=drones+march&type=agency,law&country=fr&sort=date&from=2&size=3",
	`q="facial recognition"`, `q="made in china"`, "q=%2Bdrones+-protest", "q=quadcop*", "q=zepelin~1",
	"q=/dro.*/", "q=*drone", "q=dr?ne", "q=drone~2", "q=drone~1.5", "q=drone~NaN", "q=drone~-1", "q=a*",
	"q=%ff", "q=%zz", "q=%00", `q=""""drone""""`, "q=!!!", "q=the", "from=-1", "from=1e9", "size=0",
	"size=101", "type=robot", "status=x", "country=FRA", "q=a&q=b", "vendor=skyeye&restricted=true",
	"tag=china&status=in-force", "sort=title", "sort=-date", "restricted=1", "q=covid-19", "q=~", "q=-",
	"q=%2B", "q=-%22%22", "q=%E2%80%8B", "q=%EF%BB%BFdrone", "q=dro%CC%81ne", "q=%F0%9F%9A%81*",
	"q=a+OR+b", "q=a|b|", "q=|OR|", "q=-a+OR+b", "q=OR+OR", "q=the&type=agency", "q=l%27%C3%A9tat", "q=de+la",
	"q=%22d%27%C3%A9tat%22+OR+pr%C3%A9f*", "q=minist%C3%A8re~1", "vendor=DJI&tag=France",
}

// FuzzParseParams feeds query strings to ParseParams and Search on the
// test knowledge base: nothing panics, every error is a *QueryError (a 400,
// never a 500), and every response encodes as JSON with safe snippets.
func FuzzParseParams(f *testing.F) {
	idx, _ := testIndex(f)
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return // the server answers 400 before ParseParams
		}
		req, err := search.ParseParams(v)
		if err != nil {
			var qe *search.QueryError
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Fatalf("ParseParams(%q): %v (%T), want a *QueryError with a message", raw, err, err)
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		res, err := idx.Search(ctx, req)
		if err != nil {
			var qe *search.QueryError
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Fatalf("Search(%q): %v (%T), want a *QueryError", raw, err, err)
			}
			return
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("Search(%q): the response does not encode: %v", raw, err)
		}
		if len(res.Hits) > req.Size || res.Total < uint64(len(res.Hits)) {
			t.Fatalf("Search(%q): %d hits of %d for size %d", raw, len(res.Hits), res.Total, req.Size)
		}
		for _, h := range res.Hits {
			checkSnippet(t, raw, h.Snippet)
		}
	})
}

// FuzzQuery feeds query text to ParseQuery: no panic, only *QueryError
// errors, and a parsed query stays within its bounds.
func FuzzQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		if v, err := url.ParseQuery(s); err == nil {
			f.Add(v.Get("q"))
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := search.ParseQuery(text)
		if err != nil {
			var qe *search.QueryError
			if !errors.As(err, &qe) || qe.Msg == "" {
				t.Fatalf("ParseQuery(%q): %v (%T), want a *QueryError", text, err, err)
			}
			return
		}
		if len(text) > search.MaxQueryLen || len(q.Clauses) > search.MaxClauses {
			t.Fatalf("ParseQuery(%q) accepted %d bytes, %d clauses", text, len(text), len(q.Clauses))
		}
		var check func(c search.Clause, inOR bool)
		check = func(c search.Clause, inOR bool) {
			if c.Kind == search.AnyOf {
				if inOR || len(c.Any) < 2 || len(c.Terms) != 0 {
					t.Fatalf("ParseQuery(%q): OR clause %+v", text, c)
				}
				for _, a := range c.Any {
					if a.Exclude || a.Optional {
						t.Fatalf("ParseQuery(%q): side of OR %+v", text, a)
					}
					check(a, true)
				}
				return
			}
			if len(c.Terms) == 0 || c.French != nil && len(c.French) == 0 {
				t.Fatalf("ParseQuery(%q): clause %+v has no terms", text, c)
			}
			for _, terms := range [][]string{c.Terms, c.French} {
				if len(terms) > 1 && (terms[0] == "" || terms[len(terms)-1] == "") {
					t.Fatalf("ParseQuery(%q): clause %+v has a phrase that starts or ends with a stop word", text, c)
				}
				if c.Kind != search.Phrase {
					for _, term := range terms {
						if term == "" {
							t.Fatalf("ParseQuery(%q): clause %+v has an empty term", text, c)
						}
					}
				}
			}
			if c.Kind == search.Prefix && len([]rune(c.Terms[0])) < 2 {
				t.Fatalf("ParseQuery(%q): prefix %q shorter than 2 letters", text, c.Terms[0])
			}
		}
		for _, c := range q.Clauses {
			check(c, false)
		}
		if q.OnlyCommonWords() != (len(q.Clauses) == 0 && strings.TrimSpace(text) != "") {
			t.Fatalf("ParseQuery(%q): %d clauses, only common words %v", text, len(q.Clauses), q.OnlyCommonWords())
		}
	})
}
