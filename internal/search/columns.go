package search

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
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
// as the segment is part of the index. An index open for writing (serve
// --watch, Index.Update) gains a segment with each update and merges
// segments in the background; a search reads the segments of the snapshot
// it runs on, reading any it has not seen, and the arrays of segments no
// longer in the index are let go.

// facetField is the position of each facet field in facetFields.
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
	// facet[f] are the term codes of the hits' values of facet field f
	// (codes into columnCache.terms[f]); document n has the codes
	// facet[f].codes[start[n]:start[n+1]], or codes[n] alone when start
	// is nil (every document has exactly one value).
	facet [nFacets]multiColumn
	// id, date and title are the document's ID and its sort values as
	// bleve's sorts see them (search.SortField.Value): the date as sort=-date
	// orders it (a missing date is search.HighTerm), the title_sort key.
	id, date, title strColumn
	docs            int
}

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

// strColumn is a string a document, in one arena: document n's is
// data[end[n-1]:end[n]].
type strColumn struct {
	data []byte
	end  []uint32
}

func (c *strColumn) add(s []byte) {
	c.data = append(c.data, s...)
	c.end = append(c.end, uint32(len(c.data)))
}

func (c *strColumn) get(n uint32) []byte {
	start := uint32(0)
	if n > 0 {
		start = c.end[n-1]
	}
	return c.data[start:c.end[n]]
}

func (c *segColumns) bytes() int {
	n := len(c.id.data) + len(c.date.data) + len(c.title.data) + 4*(len(c.id.end)+len(c.date.end)+len(c.title.end))
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
			if sc, err = c.read(s, ss, v.offsets[i]); err != nil {
				return nil, err
			}
			c.segs[ss.Id()] = sc
		}
		v.segs[i] = sc
	}
	// Let go of the segments merged away or dropped.
	for id := range c.segs {
		if !containsID(v.ids, id) {
			delete(c.segs, id)
		}
	}
	v.terms = c.terms
	c.last = v
	return v, nil
}

func containsID(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// columnFields are the doc-value fields the columns are read from.
var columnFields = []string{fType, fCountry, fVendor, fStatus, fDate, fTitleSort}

// read reads the columns of segment ss of snapshot s, whose documents start
// at global number offset. A deleted document gets empty columns: it is
// never a hit.
func (c *columnCache) read(s *scorch.IndexSnapshot, ss *scorch.SegmentSnapshot, offset uint64) (*segColumns, error) {
	n := int(ss.Segment().Count())
	sc := &segColumns{docs: n}
	dvr, err := s.DocValueReader(columnFields)
	if err != nil {
		return nil, fmt.Errorf("search: reading doc values: %w", err)
	}
	deleted := ss.Deleted()
	// The sorts are bleve's own, so that their values are what bleve
	// would compare.
	date := bsearch.ParseSearchSortString(fDate).(*bsearch.SortField)
	title := bsearch.ParseSearchSortString(fTitleSort).(*bsearch.SortField)
	var vals [nFacets][]uint32
	single := [nFacets]bool{true, true, true, true}
	for f := range sc.facet {
		sc.facet[f].start = make([]uint32, 1, n+1)
		sc.facet[f].codes = make([]uint32, 0, n)
	}
	visit := func(field string, term []byte) {
		switch field {
		case fType:
			vals[colType] = append(vals[colType], c.code(colType, term))
		case fCountry:
			vals[colCountry] = append(vals[colCountry], c.code(colCountry, term))
		case fVendor:
			vals[colVendor] = append(vals[colVendor], c.code(colVendor, term))
		case fStatus:
			vals[colStatus] = append(vals[colStatus], c.code(colStatus, term))
		case fDate:
			date.UpdateVisitor(field, term)
		case fTitleSort:
			title.UpdateVisitor(field, term)
		}
	}
	var id index.IndexInternalID
	for local := 0; local < n; local++ {
		for f := range vals {
			vals[f] = vals[f][:0]
		}
		var docID []byte
		var dateVal, titleVal string
		if deleted == nil || !deleted.Contains(uint32(local)) {
			id = index.NewIndexInternalID(id, offset+uint64(local))
			if err := dvr.VisitDocValues(id, visit); err != nil {
				return nil, fmt.Errorf("search: reading doc values: %w", err)
			}
			dateVal, titleVal = date.Value(nil), title.Value(nil)
			if docID, err = ss.DocID(uint64(local)); err != nil {
				return nil, fmt.Errorf("search: reading a document's ID: %w", err)
			}
		}
		for f := range vals {
			if len(vals[f]) != 1 {
				single[f] = false
			}
			sc.facet[f].codes = append(sc.facet[f].codes, vals[f]...)
			sc.facet[f].start = append(sc.facet[f].start, uint32(len(sc.facet[f].codes)))
		}
		sc.id.add(docID)
		sc.date.add([]byte(dateVal))
		sc.title.add([]byte(titleVal))
	}
	for f := range sc.facet {
		if single[f] {
			sc.facet[f].start = nil
		}
	}
	return sc, nil
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

// compareHigh and compareLow are how bleve's sorts see a missing value:
// last in ascending order (HighTerm), and in descending order (LowTerm).
var highTerm, lowTerm = []byte(bsearch.HighTerm), []byte(bsearch.LowTerm)

// descDate is the sort value of a date for sort=date (descending): bleve
// gives a document without one search.LowTerm there, and search.HighTerm
// ascending.
func descDate(v []byte) []byte {
	if bytes.Equal(v, highTerm) {
		return lowTerm
	}
	return v
}
