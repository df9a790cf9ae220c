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
	// Every value of each facet too, for what its list leaves out.
	for _, f := range facetFields {
		req.AddFacet("every "+f.name, bleve.NewFacetRequest(f.field, 1<<20))
	}
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
		if fr, ok := res.Facets["every "+f.name]; ok && fr.Terms != nil {
			for j, t := range fr.Terms.Terms() {
				if j >= f.size && t.Term != "" {
					out.rest[i].Values++
					out.rest[i].Count += t.Count
				}
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

// PositionBytes is the memory the kept positions of frequent words take
// (positions.go).
func (x *Index) PositionBytes() int { return int(x.cols.posBytes.Load()) }

// KeptPositionBytes counts the bytes of the positions kept in the
// segments the index still holds; PositionBytes must be the same.
func (x *Index) KeptPositionBytes() int {
	x.cols.mu.Lock()
	defer x.cols.mu.Unlock()
	n := 0
	for _, sc := range x.cols.segs {
		sc.pos.mu.Lock()
		for _, tp := range sc.pos.terms {
			n += tp.bytes()
		}
		sc.pos.mu.Unlock()
	}
	return n
}

// DropPositions lets go of the kept positions of frequent words, so that
// the next phrase reads its words' positions from the index again.
func (x *Index) DropPositions() {
	x.cols.mu.Lock()
	defer x.cols.mu.Unlock()
	for _, sc := range x.cols.segs {
		x.cols.posBytes.Add(-int64(sc.pos.drop()))
		sc.pos.mu.Lock()
		sc.pos.dropped = false
		sc.pos.mu.Unlock()
	}
}

// KeepNoPositions makes phrases read every word's positions from the
// index, as when the budget of kept positions is spent.
func (x *Index) KeepNoPositions() {
	x.DropPositions()
	x.cols.posBudget.Store(-1)
}

// SegmentIDs are the ids of the segments of the snapshot the last search
// ran on.
func (x *Index) SegmentIDs() []uint64 {
	x.cols.mu.Lock()
	defer x.cols.mu.Unlock()
	if x.cols.last == nil {
		return nil
	}
	return append([]uint64{}, x.cols.last.ids...)
}

// OpenWritableUnmerged opens the index in dir for writing as OpenWritable
// does, but keeps every update a segment of its own, as each is for a
// moment before bleve merges it with the others.
func OpenWritableUnmerged(dir string) (*Index, error) {
	x, err := openIndex(dir, map[string]any{"bolt_timeout": "2s", "scorchMergePlanOptions": map[string]any{
		"MaxSegmentsPerTier": 1000, "SegmentsPerMergeTask": 1000, "FloorSegmentSize": 1, "ReclaimDeletesWeight": 0}})
	if err != nil {
		return nil, err
	}
	x.dir, x.writable = dir, true
	return x, nil
}

// Scored reports whether Search scores r's query by reading its terms'
// postings itself (scored.go), rather than through bleve's searchers.
func (x *Index) Scored(ctx context.Context, r Request) (bool, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if err := r.Validate(); err != nil {
		return false, err
	}
	q, err := ParseQuery(r.Q)
	if err != nil {
		return false, err
	}
	snap, _, err := x.snapshot()
	if err != nil {
		return false, err
	}
	defer snap.Close()
	plan, ok, err := compileScored(ctx, snap, buildQuery(q, r, x.newPhrase), &x.cols)
	if ok {
		plan.close()
	}
	return ok, err
}
