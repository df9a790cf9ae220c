package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// SearchStock answers r as bleve does unaided: its PhraseQuery, its terms
// facets, its sort with the _id tie-break, in one SearchInContext. Search
// must give the same answer (TestSameAsBleve).
func (x *Index) SearchStock(ctx context.Context, r Request) (*Response, error) {
	return x.search(ctx, r, stockPhrase, x.stockRun)
}

func stockPhrase(terms []string, field string, boost float64) query.Query {
	q := bleve.NewPhraseQuery(terms, field)
	q.SetBoost(boost)
	return q
}

func (x *Index) stockRun(ctx context.Context, _ query.Query, _ Request, req *bleve.SearchRequest) (*result, error) {
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &result{total: res.Total, hits: res.Hits}
	for i, f := range facetFields {
		if fr, ok := res.Facets[f.name]; ok && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				out.facets[i] = append(out.facets[i], *t)
			}
		}
	}
	return out, nil
}

// ColumnBytes is the memory the columns of the index's current snapshot
// take.
func (x *Index) ColumnBytes() int {
	x.cols.mu.Lock()
	defer x.cols.mu.Unlock()
	if x.cols.last == nil {
		return 0
	}
	return x.cols.last.bytes()
}
