package search

import (
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// result is what a search found: how many hits, the hits of the page in
// order (bleve's DocumentMatches, with their stored fields and
// highlighted fragments), and the facets (each field's values with their
// counts, as bleve's terms facets report them: most hits first, then by
// value, at most the field's size).
type result struct {
	total  uint64
	hits   []*bsearch.DocumentMatch
	facets [nFacets][]bsearch.TermFacet
	rest   [nFacets]FacetRest // what each facet's list leaves out
}

// hitKey is what orders a hit: its score and where its columns are.
type hitKey struct {
	score float64
	doc   uint64 // global document number
	seg   *segColumns
	local uint32
}

// run runs a search in two passes over one snapshot of the index. The
// first runs the query without term locations — scoring it itself where
// it can (scored.go), else through bleve's searchers — counts every hit in
// the facets from the columns, and keeps the best from+size hits in the
// order of the request's sort, from the columns too. The second runs the query
// again, with locations, on the documents of the page only (only), for
// bleve to highlight the matches (a search without words has none), and
// bleve loads the hits' stored fields. A hit scores the same in both: a
// score is the document's term frequencies against the whole snapshot's
// statistics.
//
// The hits, their order, their scores and fragments, the total and the
// facet counts are bleve's own for the same query with its facets and the
// sort [sortBy..., _id] (TestSameAsBleve).
func (x *Index) run(ctx context.Context, bq query.Query, r Request, req *bleve.SearchRequest) (*result, error) {
	snap, v, err := x.snapshot()
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	out, keys, err := x.collect(ctx, snap, v, bq, r.Sort, r.From+r.Size)
	if err != nil {
		return nil, err
	}
	if r.From >= len(keys) {
		return out, nil
	}
	out.hits, err = x.fetch(ctx, snap, bq, req, keys[r.From:])
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runAll is run for every hit from r.From on, not a page: it collects
// the hits' keys once (a few dozen bytes a hit), then gives page the
// hits allPage at a time, their fields and fragments loaded for that
// page alone, each result with the total and the facets.
func (x *Index) runAll(ctx context.Context, bq query.Query, r Request, req *bleve.SearchRequest, keep int, page func(from int, res *result) error) error {
	snap, v, err := x.snapshot()
	if err != nil {
		return err
	}
	defer snap.Close()
	all, keys, err := x.collect(ctx, snap, v, bq, r.Sort, keep)
	if err != nil {
		return err
	}
	if r.From >= len(keys) {
		return page(r.From, all)
	}
	for from := r.From; from < len(keys); from += allPage {
		hits, err := x.fetch(ctx, snap, bq, req, keys[from:min(from+allPage, len(keys))])
		if err != nil {
			return err
		}
		if err := page(from, &result{total: all.total, hits: hits, facets: all.facets, rest: all.rest}); err != nil {
			return err
		}
	}
	return nil
}

// collect is the first pass of a search: it counts every hit in the
// total and the facets, and returns the best keep hits' keys in the
// order of the sort.
func (x *Index) collect(ctx context.Context, snap *scorch.IndexSnapshot, v *view, bq query.Query, sortBy string, keep int) (*result, []hitKey, error) {
	out := &result{}
	var counts [nFacets][]int32
	for f := range counts {
		counts[f] = make([]int32, len(v.terms[f]))
	}
	best := &hitHeap{less: lessFor(sortBy)}
	add := func(k hitKey) {
		out.total++
		for f := range counts {
			for _, c := range k.seg.facet[f].values(k.local) {
				counts[f][c]++
			}
		}
		if best.Len() < keep {
			heap.Push(best, k)
		} else if best.less(k, best.keys[0]) {
			best.keys[0] = k
			heap.Fix(best, 0)
		}
	}
	plan, ok, err := compileScored(ctx, snap, bq, &x.cols)
	if err != nil {
		return nil, nil, err
	}
	if ok {
		defer plan.close()
		var base uint64
		for i, ss := range snap.Segments() {
			hits, err := plan.eval(ctx, plan.top, i, base, everyDoc)
			if err != nil {
				return nil, nil, err
			}
			sc := v.segs[i]
			for j, d := range hits.docs {
				add(hitKey{score: hits.scores[j], doc: base + uint64(d), seg: sc, local: d})
			}
			plan.release(hits)
			base += ss.Segment().Count()
		}
	} else if err := x.firstPass(ctx, snap, v, bq, add); err != nil {
		return nil, nil, err
	}
	for f, field := range facetFields {
		out.facets[f], out.rest[f] = topTerms(v.terms[f], counts[f], field.size)
	}
	// The page, in order.
	keys := best.keys
	slices.SortFunc(keys, func(a, b hitKey) int {
		switch {
		case best.less(a, b):
			return -1
		case best.less(b, a):
			return 1
		}
		return 0
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return out, keys, nil
}

// fetch is the second pass of a search: the hits of keys with their
// locations, fields and fragments. Without words there is nothing to
// highlight, and the page's documents are all there is to find.
func (x *Index) fetch(ctx context.Context, snap *scorch.IndexSnapshot, bq query.Query, req *bleve.SearchRequest, keys []hitKey) ([]*bsearch.DocumentMatch, error) {
	hits := make([]*bsearch.DocumentMatch, len(keys))
	if req.Highlight == nil {
		for i, k := range keys {
			hits[i] = &bsearch.DocumentMatch{IndexInternalID: index.NewIndexInternalID(nil, k.doc)}
		}
	} else if err := x.locate(ctx, bq, snap, keys, hits); err != nil {
		return nil, err
	}
	hl, err := highlighterFor(req)
	if err != nil {
		return nil, err
	}
	for i, dm := range hits {
		if dm == nil {
			return nil, errors.New("search: a hit of the first pass was not found again")
		}
		k := keys[i]
		dm.ID = string(k.seg.id.get(k.local))
		dm.Score = k.score
		dm.Complete(nil)
		if err, _ := bleve.LoadAndHighlightFields(dm, req, "", snap, hl); err != nil {
			return nil, err
		}
	}
	return hits, nil
}

// firstPass runs bq with bleve's searchers, giving add each hit.
func (x *Index) firstPass(ctx context.Context, snap *scorch.IndexSnapshot, v *view, bq query.Query, add func(hitKey)) error {
	s, err := bq.Searcher(ctx, snap, x.idx.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: snap}
	seg := 0
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return err
		}
		if dm == nil {
			return nil
		}
		k := hitKey{score: dm.Score, doc: dm.IndexInternalID.Value()}
		sctx.DocumentMatchPool.Put(dm)
		seg, k.local = v.at(k.doc, seg)
		k.seg = v.segs[seg]
		add(k)
	}
}

// locate runs bq again on the documents of keys only, with the locations
// of its matches, into hits (in the order of keys).
func (x *Index) locate(ctx context.Context, bq query.Query, snap *scorch.IndexSnapshot, keys []hitKey, hits []*bsearch.DocumentMatch) error {
	docs := make([]uint64, len(keys))
	slot := make(map[uint64]int, len(keys))
	for i, k := range keys {
		docs[i] = k.doc
		slot[k.doc] = i
	}
	slices.Sort(docs)
	page := &only{IndexSnapshot: snap, docs: docs}
	s, err := bq.Searcher(ctx, page, x.idx.Mapping(), bsearch.SearcherOptions{IncludeTermVectors: true})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(s.DocumentMatchPoolSize()+len(docs)+1, 0), IndexReader: page}
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return err
		}
		if dm == nil {
			return nil
		}
		i, ok := slot[dm.IndexInternalID.Value()]
		if !ok || hits[i] != nil {
			sctx.DocumentMatchPool.Put(dm)
			continue
		}
		hits[i] = dm
	}
}

// snapshot returns the index as it is now, and its columns; the caller
// closes the snapshot.
func (x *Index) snapshot() (*scorch.IndexSnapshot, *view, error) {
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, nil, err
	}
	ir, err := adv.Reader()
	if err != nil {
		return nil, nil, err
	}
	snap, ok := ir.(*scorch.IndexSnapshot)
	if !ok {
		ir.Close()
		return nil, nil, fmt.Errorf("search: the index is not a scorch index (%T)", ir)
	}
	v, err := x.cols.view(snap)
	if err != nil {
		snap.Close()
		return nil, nil, err
	}
	return snap, v, nil
}

// warm reads the columns of the index as it is now, so that the next
// search need not.
func (x *Index) warm() error {
	snap, _, err := x.snapshot()
	if err != nil {
		return err
	}
	return snap.Close()
}

// topTerms is what bleve's terms facet builder reports of counts: the
// values counted at least once, most counted first and then by value, at
// most size of them; and what it leaves out of the values counted (the
// empty value, of entries without the field, aside).
func topTerms(terms []string, counts []int32, size int) ([]bsearch.TermFacet, FacetRest) {
	var codes []int32
	for c, n := range counts {
		if n > 0 {
			codes = append(codes, int32(c))
		}
	}
	slices.SortFunc(codes, func(a, b int32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(terms[a], terms[b])
	})
	var rest FacetRest
	for _, c := range codes[min(len(codes), size):] {
		if terms[c] != "" {
			rest.Values++
			rest.Count += int(counts[c])
		}
	}
	codes = codes[:min(len(codes), size)]
	if len(codes) == 0 {
		return nil, rest
	}
	out := make([]bsearch.TermFacet, len(codes))
	for i, c := range codes {
		out[i] = bsearch.TermFacet{Term: terms[c], Count: int(counts[c])}
	}
	return out, rest
}

// lessFor returns how hits are ordered for a sort: as bleve orders them
// for the sorts Search asks it for, the _id tie-break included.
func lessFor(sortBy string) func(a, b hitKey) bool {
	score := func(a, b hitKey) int {
		// As bleve compares scores: a NaN is equal to everything.
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	}
	id := func(a, b hitKey) bool {
		return bytes.Compare(a.seg.id.get(a.local), b.seg.id.get(b.local)) < 0
	}
	switch sortBy {
	case "date":
		return func(a, b hitKey) bool {
			if c := strings.Compare(descDate(a.seg.date.get(a.local)), descDate(b.seg.date.get(b.local))); c != 0 {
				return c > 0
			}
			if c := score(a, b); c != 0 {
				return c < 0
			}
			return id(a, b)
		}
	case "-date":
		return func(a, b hitKey) bool {
			if c := strings.Compare(a.seg.date.get(a.local), b.seg.date.get(b.local)); c != 0 {
				return c < 0
			}
			if c := score(a, b); c != 0 {
				return c < 0
			}
			return id(a, b)
		}
	case "title":
		return func(a, b hitKey) bool {
			if c := strings.Compare(a.seg.title.get(a.local), b.seg.title.get(b.local)); c != 0 {
				return c < 0
			}
			return id(a, b)
		}
	}
	return func(a, b hitKey) bool {
		if c := score(a, b); c != 0 {
			return c < 0
		}
		return id(a, b)
	}
}

// hitHeap keeps the best hits seen so far, the worst of them on top.
type hitHeap struct {
	keys []hitKey
	less func(a, b hitKey) bool
}

func (h *hitHeap) Len() int           { return len(h.keys) }
func (h *hitHeap) Less(i, j int) bool { return h.less(h.keys[j], h.keys[i]) }
func (h *hitHeap) Swap(i, j int)      { h.keys[i], h.keys[j] = h.keys[j], h.keys[i] }
func (h *hitHeap) Push(x any)         { h.keys = append(h.keys, x.(hitKey)) }
func (h *hitHeap) Pop() any {
	k := h.keys[len(h.keys)-1]
	h.keys = h.keys[:len(h.keys)-1]
	return k
}

// highlighterFor returns the highlighter a request asks for, as bleve
// picks it.
func highlighterFor(req *bleve.SearchRequest) (highlight.Highlighter, error) {
	if req.Highlight == nil {
		return nil, nil
	}
	name := bleve.Config.DefaultHighlighter
	if req.Highlight.Style != nil {
		name = *req.Highlight.Style
	}
	return bleve.Config.Cache.HighlighterNamed(name)
}
