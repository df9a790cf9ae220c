package search

import (
	"context"
	"math"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Positions of frequent words, kept in memory: a phrase of words found in
// nearly every entry ("police department") is checked in every entry that
// has them all, and reading the words' positions there from the index —
// decoding each location's field, position, offsets and array positions —
// was most of the time of such a search. The positions of a word that at
// least one document in positionsShare of a segment has are read whole the
// first time a phrase needs them, and kept for as long as the segment is
// part of the index, within positionsBudget bytes for the whole index; a
// phrase whose every word is kept is checked from memory. A rarer word is
// read from the index as before: the rarest word of a phrase leads, and
// the others are read only where it is.
const (
	positionsShare  = 32       // kept: words in at least 1/positionsShare of a segment's documents
	positionsBudget = 64 << 20 // bytes of kept positions, over all segments
)

// termPositions are the postings of one word in one field of a segment,
// in every document that has it, deleted or not, as the index gives them:
// document docs[i] has it freq[i] times, with the field's norm there
// norm[i], at the next freq[i] positions of pos (ascending), those of the
// documents before it coming first. A word that is more than 65,535 times
// in a document, or past its 65,535th word, is not kept (unkept).
type termPositions struct {
	docs   []uint32
	freq   []uint16
	norm   []float32
	pos    []uint16
	unkept bool
}

func (t *termPositions) bytes() int {
	return 4*len(t.docs) + 2*len(t.freq) + 4*len(t.norm) + 2*len(t.pos)
}

// segPositions are the kept positions of a segment's words, by field and
// word.
type segPositions struct {
	mu      sync.Mutex
	terms   map[[2]string]*termPositions
	dropped bool // the segment left the index: keep nothing more
}

// drop lets go of the positions kept, keeps none after, and returns their
// bytes.
func (s *segPositions) drop() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, tp := range s.terms {
		n += tp.bytes()
	}
	s.terms, s.dropped = nil, true
	return n
}

// positions returns the kept positions of term in field of segment ss,
// reading them if they are not kept yet; nil if the segment is no longer
// in the index or the budget is spent.
func (c *columnCache) positions(ss *scorch.SegmentSnapshot, field, term string) (*termPositions, error) {
	c.mu.Lock()
	sc := c.segs[ss.Id()]
	c.mu.Unlock()
	if sc == nil {
		return nil, nil
	}
	key := [2]string{field, term}
	sc.pos.mu.Lock()
	tp := sc.pos.terms[key]
	sc.pos.mu.Unlock()
	if tp != nil {
		return tp, nil
	}
	limit := int64(positionsBudget)
	if b := c.posBudget.Load(); b != 0 {
		limit = b
	}
	if c.posBytes.Load() >= limit {
		return nil, nil
	}
	tp, err := readPositions(ss.Segment(), field, term)
	if err != nil {
		return nil, err
	}
	sc.pos.mu.Lock()
	defer sc.pos.mu.Unlock()
	if kept := sc.pos.terms[key]; kept != nil {
		return kept, nil // another search read it first
	}
	if sc.pos.dropped {
		return tp, nil // for this search only
	}
	if sc.pos.terms == nil {
		sc.pos.terms = map[[2]string]*termPositions{}
	}
	sc.pos.terms[key] = tp
	c.posBytes.Add(int64(tp.bytes()))
	return tp, nil
}

// readPositions reads the positions of term in field of seg.
func readPositions(seg segment.Segment, field, term string) (*termPositions, error) {
	dict, err := seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	pl, err := dict.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, err
	}
	n := pl.Count()
	tp := &termPositions{docs: make([]uint32, 0, n), freq: make([]uint16, 0, n), norm: make([]float32, 0, n), pos: make([]uint16, 0, 2*n)}
	it := pl.Iterator(true, true, true, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return nil, err
		}
		if p == nil {
			break
		}
		locs := p.Locations()
		if p.Frequency() != uint64(len(locs)) || len(locs) > math.MaxUint16 {
			return &termPositions{unkept: true}, nil
		}
		start := len(tp.pos)
		for _, l := range locs {
			if l.Pos() > math.MaxUint16 {
				return &termPositions{unkept: true}, nil
			}
			tp.pos = append(tp.pos, uint16(l.Pos()))
		}
		if !slices.IsSorted(tp.pos[start:]) {
			slices.Sort(tp.pos[start:])
		}
		tp.docs = append(tp.docs, uint32(p.Number()))
		tp.freq = append(tp.freq, uint16(len(locs)))
		tp.norm = append(tp.norm, float32(p.Norm())) // the index keeps it as a float32
	}
	tp.pos = slices.Clip(tp.pos)
	return tp, nil
}

// keptPhrase finds the phrase in segment ss (numbered from base) from the
// kept positions of its words, as readPhrase does from the index, and
// reports false, having read nothing of the segment, if a word is not
// frequent enough to be kept or cannot be (the budget). lists are the
// words' postings in the segment, without its deleted documents.
func (p *phrase) keptPhrase(ctx context.Context, c *columnCache, ss *scorch.SegmentSnapshot, base uint64, lists []segment.PostingsList, slot []*phraseWord, at []int) (bool, error) {
	n := ss.Segment().Count()
	kept := make([]*termPositions, len(p.words))
	for k, w := range p.words {
		if lists[k].Count()*positionsShare < n {
			return false, nil
		}
		tp, err := c.positions(ss, p.field, w.term)
		if err != nil || tp == nil || tp.unkept {
			return false, err
		}
		kept[k] = tp
	}
	lead := 0
	for k := range kept {
		if len(kept[k].docs) < len(kept[lead].docs) {
			lead = k
		}
	}
	deleted := ss.Deleted()
	// Each word's place in its kept postings, and where the positions of
	// the document there start.
	cur := make([]int, len(kept))
	off := make([]int, len(kept))
	// Of each document found, each word's place in its kept postings:
	// found[i*len(kept)+k] is word k's in document i.
	var found []int
documents:
	for i, d := range kept[lead].docs {
		if i%1024 == 0 && ctx.Err() != nil {
			return false, ctx.Err()
		}
		if i > 0 {
			off[lead] += int(kept[lead].freq[i-1])
		}
		cur[lead] = i
		for k, tp := range kept {
			if k == lead {
				continue
			}
			j := cur[k]
			for j < len(tp.docs) && tp.docs[j] < d {
				off[k] += int(tp.freq[j])
				j++
			}
			cur[k] = j
			if j == len(tp.docs) {
				break documents
			}
			if tp.docs[j] != d {
				continue documents
			}
		}
		if deleted != nil && deleted.Contains(d) {
			continue
		}
		for k, w := range p.words {
			w.pos = w.pos[:0]
			for _, pos := range kept[k].pos[off[k] : off[k]+int(kept[k].freq[cur[k]])] {
				w.pos = append(w.pos, uint32(pos))
			}
		}
		if phraseAt(slot, at) {
			found = append(found, cur...)
		}
	}
	nfound := len(found) / len(kept)
	p.docs = slices.Grow(p.docs, nfound)
	for _, w := range p.words {
		w.kept = slices.Grow(w.kept, nfound)
	}
	for f := range slices.Chunk(found, len(kept)) {
		doc := base + uint64(kept[lead].docs[f[lead]])
		p.docs = append(p.docs, doc)
		for k, w := range p.words {
			tp := kept[k]
			w.kept = append(w.kept, keptPosting{doc: doc, freq: uint64(tp.freq[f[k]]), norm: float64(tp.norm[f[k]])})
		}
	}
	return true, nil
}
