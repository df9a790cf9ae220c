package search

import "errors"

// ErrDeadline is what Search returns when its context ends first: the
// search was cut off, which says nothing by itself about whether the query
// or the server's load was to blame (the server tells them apart).
var ErrDeadline = errors.New("the search did not finish in time")

// CheapCost is the highest Cost of a request that is cheap: a few words or
// a short phrase, with or without filters, on a first page. The server
// runs cheap requests in a pool of their own, which costly ones cannot
// take.
const CheapCost = 8

// Cost estimates, before a request runs, the work it asks of the index, in
// units of one word looked up in every text field. It counts what makes a
// search slow on a large index (measured on 10,000 entries): each word, in
// each analysis it is looked up in, and each alternative of an OR; phrases,
// which read positions (a query of plain words is also looked up as a
// phrase in titles); prefixes and typos, which expand to many words;
// excluded clauses, which are checked against every entry that matches the
// rest; and the hits of the page, each loaded and highlighted, and a deep
// page's hits ranked. What the columns answer costs nothing more: counting
// the facets of every entry (a search of filters only took under half the
// time of one word found in nearly every entry) and sorting by a field
// (the same search by relevance, within 10%). A request that cannot be
// parsed costs 1: it is refused before it runs.
func Cost(r Request) int {
	q, err := ParseQuery(r.Q)
	if err != nil {
		return 1
	}
	cost := 1 + len(q.Title)
	for _, c := range q.Clauses {
		n := clauseCost(c)
		if c.Exclude {
			n *= 2
		}
		cost += n
	}
	// A page of 100 hits took about twice the time of the same search's
	// first 10; the 10 after the first 990, about 1.4 times.
	return cost + r.Size/25 + r.From/500
}

// clauseCost is the cost of one clause: each analysis it is looked up in
// (English, and French where it differs), each alternative of an OR.
func clauseCost(c Clause) int {
	var n int
	switch c.Kind {
	case AnyOf:
		for _, a := range c.Any {
			n += 1 + clauseCost(a)
		}
		return n
	case Phrase:
		n = len(c.Terms) + 1
	case Prefix:
		n = 8*len(c.Terms) + len(c.Exact)
	case Fuzzy:
		n = 6
	default:
		n = len(c.Terms)
	}
	if c.French != nil {
		n *= 2
	}
	return n
}
