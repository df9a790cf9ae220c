package search

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Columns: what a search needs of every hit besides its score — the
// values it is counted under in the facets, and the keys it sorts by —
// read once from the index into arrays, so that a search over thousands
// of hits counts and orders them without going back to the index for each
// (bleve's own facets read each hit's doc values, and its _id tie-break
// looks up each hit's ID; together they were most of the time of a search
// over most of the entries).
//
// The arrays are kept per segment of the index, by the segment's id: a
// segment never changes once written, so its arrays stay true for as long
// as the segment is part of the index. Opening an index reads its
// segments'. An index open for writing (serve --watch, Index.Update) gains
// a segment with each update and merges segments in the background; a
// search reads the segments of the snapshot it runs on, reading any it has
// not seen (an update's, a few documents; a merge's, all it merged), and
// the arrays of segments no longer in the index are let go.

// The facet fields' places in facetFields.
const (
	colType = iota
	colCountry
	colVendor
	colStatus
	nFacets
)

// segColumns holds the columns of one segment, by the segment's local
// document number.
type segColumns struct {
	// facet[f] are the codes of the documents' values of facet field f
	// (into columnCache.terms[f]); document n has the codes
	// facet[f].codes[start[n]:start[n+1]], or codes[n] alone when start
	// is nil (every document has exactly one value).
	facet [nFacets]multiColumn
	// id, date and title are the document's ID and its sort values as
	// bleve's sorts see them (search.SortField.Value): the date as sort=-date
	// orders it (a missing date is search.HighTerm), the title_sort key.
	id          idColumn
	date, title strColumn
	docs        int
	// pos are the kept positions of the segment's frequent words
	// (positions.go), read as phrases need them.
	pos segPositions
}

// multiColumn holds the codes of each document's values of a facet field.
type multiColumn struct {
	start []uint32
	codes []uint32
}

// values returns the codes of document n.
func (c *multiColumn) values(n uint32) []uint32 {
	if c.start == nil {
		return c.codes[n : n+1]
	}
	return c.codes[c.start[n]:c.start[n+1]]
}

// idColumn holds the documents' IDs in one arena: document n's is
// data[end[n-1]:end[n]].
type idColumn struct {
	data []byte
	end  []uint32
}

func (c *idColumn) get(n uint32) []byte {
	start := uint32(0)
	if n > 0 {
		start = c.end[n-1]
	}
	return c.data[start:c.end[n]]
}

// strColumn holds a sort value of each document: document n's is
// vals[idx[n]]; consecutive documents of one value share it.
type strColumn struct {
	vals []string
	idx  []int32
}

func (c *strColumn) add(v string) {
	if k := len(c.vals); k == 0 || c.vals[k-1] != v {
		c.vals = append(c.vals, v)
	}
	c.idx = append(c.idx, int32(len(c.vals)-1))
}

func (c *strColumn) get(n uint32) string { return c.vals[c.idx[n]] }

func (c *strColumn) bytes() int {
	n := 4 * len(c.idx)
	for _, v := range c.vals {
		n += 16 + len(v)
	}
	return n
}

func (c *segColumns) bytes() int {
	n := len(c.id.data) + 4*len(c.id.end) + c.date.bytes() + c.title.bytes()
	for _, f := range c.facet {
		n += 4 * (len(f.start) + len(f.codes))
	}
	return n
}

// columnCache holds the columns of an open index's segments.
type columnCache struct {
	mu    sync.Mutex
	segs  map[uint64]*segColumns
	terms [nFacets][]string // the values of each facet field, by code
	codes [nFacets]map[string]uint32
	last  *view
	// posBytes are the bytes of the kept positions of every segment's
	// words (positions.go).
	posBytes atomic.Int64
	// posBudget, if not 0, is the budget in place of positionsBudget
	// (negative: no positions are kept).
	posBudget atomic.Int64
}

// view is the columns of one snapshot of the index: its segments in order,
// with the global document number each starts at.
type view struct {
	ids     []uint64
	offsets []uint64
	segs    []*segColumns
	terms   [nFacets][]string
}

// at returns the segment of global document number doc and its local
// number in it, starting the search at segment i (hits come in increasing
// order).
func (v *view) at(doc uint64, i int) (int, uint32) {
	for i+1 < len(v.offsets) && doc >= v.offsets[i+1] {
		i++
	}
	for i > 0 && doc < v.offsets[i] {
		i--
	}
	return i, uint32(doc - v.offsets[i])
}

// bytes is the memory the columns of the view take.
func (v *view) bytes() int {
	n := 0
	for _, s := range v.segs {
		n += s.bytes()
	}
	for _, terms := range v.terms {
		for _, t := range terms {
			n += len(t) + 16
		}
	}
	return n
}

// view returns the columns of snapshot s, reading the segments it has not
// seen before.
func (c *columnCache) view(s *scorch.IndexSnapshot) (*view, error) {
	segs := s.Segments()
	c.mu.Lock()
	defer c.mu.Unlock()
	if v := c.last; v != nil && len(v.ids) == len(segs) {
		same := true
		for i, ss := range segs {
			if ss.Id() != v.ids[i] {
				same = false
				break
			}
		}
		if same {
			return v, nil
		}
	}
	if c.segs == nil {
		c.segs = map[uint64]*segColumns{}
		for f := range c.codes {
			c.codes[f] = map[string]uint32{}
		}
	}
	v := &view{ids: make([]uint64, len(segs)), offsets: make([]uint64, len(segs)), segs: make([]*segColumns, len(segs))}
	var running uint64
	for i, ss := range segs {
		v.ids[i], v.offsets[i] = ss.Id(), running
		running += ss.Segment().Count()
	}
	for i, ss := range segs {
		sc := c.segs[ss.Id()]
		if sc == nil {
			var err error
			if sc, err = c.read(ss); err != nil {
				return nil, err
			}
			c.segs[ss.Id()] = sc
		}
		v.segs[i] = sc
	}
	// Let go of the segments merged away or dropped.
	for id, sc := range c.segs {
		if !slices.Contains(v.ids, id) {
			delete(c.segs, id)
			c.posBytes.Add(-int64(sc.pos.drop()))
		}
	}
	v.terms = c.terms
	c.last = v
	return v, nil
}

// read reads the columns of segment ss: the facet values from the
// fields' term dictionaries (each value, and the documents that have it),
// the sort values from the documents' doc values through bleve's own sorts,
// the IDs from the stored documents. A deleted document's are read too; it
// is never a hit.
func (c *columnCache) read(ss *scorch.SegmentSnapshot) (*segColumns, error) {
	seg := ss.Segment()
	n := int(seg.Count())
	sc := &segColumns{docs: n}
	for f, field := range []string{fType, fCountry, fVendor, fStatus} {
		var docs, codes []uint32
		err := eachPosting(seg, field, func(term []byte) func(doc uint64) {
			code := c.code(f, term)
			return func(doc uint64) { docs, codes = append(docs, uint32(doc)), append(codes, code) }
		})
		if err != nil {
			return nil, err
		}
		sc.facet[f] = byDocument(n, docs, codes)
	}
	// The sorts' values, read as bleve's own sorts read them.
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("search: a segment of type %T has no doc values", seg)
	}
	date := bsearch.ParseSearchSortString(fDate).(*bsearch.SortField)
	title := bsearch.ParseSearchSortString(fTitleSort).(*bsearch.SortField)
	visit := func(field string, term []byte) {
		date.UpdateVisitor(field, term)
		title.UpdateVisitor(field, term)
	}
	fields := []string{fDate, fTitleSort}
	var state segment.DocVisitState
	for local := range n {
		var err error
		if state, err = dv.VisitDocValues(uint64(local), fields, visit, state); err != nil {
			return nil, fmt.Errorf("search: reading doc values: %w", err)
		}
		sc.date.add(date.Value(nil))
		sc.title.add(title.Value(nil))
	}
	for local := range n {
		id, err := seg.DocID(uint64(local))
		if err != nil {
			return nil, fmt.Errorf("search: reading a document's ID: %w", err)
		}
		sc.id.data = append(sc.id.data, id...)
		sc.id.end = append(sc.id.end, uint32(len(sc.id.data)))
	}
	return sc, nil
}

// eachPosting calls term with each term of field in seg, and the function
// it returns with each document that has the term.
func eachPosting(seg segment.Segment, field string, term func(term []byte) func(doc uint64)) error {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return fmt.Errorf("search: reading the terms of %s: %w", field, err)
	}
	terms := dict.AutomatonIterator(nil, nil, nil)
	var pl segment.PostingsList
	var it segment.PostingsIterator
	for {
		de, err := terms.Next()
		if err != nil {
			return fmt.Errorf("search: reading the terms of %s: %w", field, err)
		}
		if de == nil {
			return nil
		}
		t := []byte(de.Term)
		if pl, err = dict.PostingsList(t, nil, pl); err != nil {
			return fmt.Errorf("search: reading the postings of %s: %w", field, err)
		}
		doc := term(t)
		it = pl.Iterator(false, false, false, it)
		for {
			p, err := it.Next()
			if err != nil {
				return fmt.Errorf("search: reading the postings of %s: %w", field, err)
			}
			if p == nil {
				break
			}
			doc(p.Number())
		}
	}
}

// byDocument turns pairs of a document and a code into a column of n
// documents.
func byDocument(n int, docs, codes []uint32) multiColumn {
	start := make([]uint32, n+1)
	for _, d := range docs {
		start[d+1]++
	}
	single := len(docs) == n
	for d := range n {
		single = single && start[d+1] == 1
		start[d+1] += start[d]
	}
	out := make([]uint32, len(codes))
	next := slices.Clone(start[:n])
	for i, d := range docs {
		out[next[d]] = codes[i]
		next[d]++
	}
	if single {
		return multiColumn{codes: out}
	}
	return multiColumn{start: start, codes: out}
}

// code returns the code of a value of facet field f, giving it one if it
// has none.
func (c *columnCache) code(f int, term []byte) uint32 {
	if k, ok := c.codes[f][string(term)]; ok {
		return k
	}
	k := uint32(len(c.terms[f]))
	t := string(term)
	c.terms[f] = append(c.terms[f], t)
	c.codes[f][t] = k
	return k
}

// descDate is the sort value of a date for sort=date (descending): bleve
// gives a document without one search.LowTerm there, and search.HighTerm
// ascending.
func descDate(v string) string {
	if v == bsearch.HighTerm {
		return bsearch.LowTerm
	}
	return v
}
