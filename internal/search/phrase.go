package search

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// phraseQuery matches terms in order in one field, as bleve's PhraseQuery
// does and with the same scores and locations: it is bleve's phrase
// searcher, given only the documents that have the terms in order.
//
// bleve's phrase searcher checks the order of the words in every document
// that has all of them, building a map of every word's locations in each:
// for two words found together in nearly every entry ("police
// department"), that was most of the time of a search. Here the words'
// postings are read once, their positions compared directly, and the
// postings of the documents that pass are kept in memory; bleve's phrase
// searcher then reads those, and finds the same matches with the same
// scores (a term's score depends on its frequency and norm in the document
// and on how many documents have it, all kept).
type phraseQuery struct {
	terms []string // "" holds the place of a stop word
	field string
	boost float64
	cache *columnCache // where frequent words' positions are kept; nil to read them all from the index
}

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var snap *scorch.IndexSnapshot
	var within []uint64
	switch o := r.(type) {
	case *scorch.IndexSnapshot:
		snap = o
	case *only:
		snap, within = o.IndexSnapshot, o.docs
		if within == nil {
			within = []uint64{}
		}
	}
	if snap == nil {
		return searcher.NewPhraseSearcher(ctx, r, q.terms, 0, false, q.field, q.boost, options)
	}
	p, err := readPhrase(ctx, snap, within, q.terms, q.field, options.IncludeTermVectors, q.cache)
	if err != nil {
		return nil, err
	}
	pr := &phraseReader{only: &only{IndexSnapshot: snap, docs: p.docs}, p: p}
	if options.IncludeTermVectors {
		return searcher.NewPhraseSearcher(ctx, pr, q.terms, 0, false, q.field, q.boost, options)
	}
	return newMatchedPhrase(ctx, pr, q, options)
}

// matchedPhrase finds a phrase in the documents readPhrase kept, where it
// is: it is bleve's phrase searcher without the check, for a search that
// needs no locations. Its words' searchers and their conjunction are
// bleve's, built as its phrase searcher builds them (which would check
// each document again, through a map of every word's locations in it), so
// a document scores the same.
type matchedPhrase struct {
	bsearch.Searcher // the words' conjunction
}

func newMatchedPhrase(ctx context.Context, r index.IndexReader, q *phraseQuery, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var words []bsearch.Searcher
	closeAll := func() {
		for _, w := range words {
			w.Close()
		}
	}
	for _, t := range q.terms {
		if t == "" {
			continue
		}
		w, err := searcher.NewTermSearcher(ctx, r, t, q.field, q.boost, options)
		if err != nil {
			closeAll()
			return nil, err
		}
		words = append(words, w)
	}
	conj, err := searcher.NewConjunctionSearcher(ctx, r, words, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	// As bleve's phrase searcher sets its query norm (computeQueryNorm).
	conj.SetQueryNorm(1.0 / math.Sqrt(conj.Weight()))
	return &matchedPhrase{conj}, nil
}

func (s *matchedPhrase) Min() int { return 0 }

func (s *matchedPhrase) DocumentMatchPoolSize() int { return s.Searcher.DocumentMatchPoolSize() + 1 }

// phrase is what readPhrase found: the documents with the phrase, and the
// postings of its words in them.
type phrase struct {
	field string
	docs  []uint64
	words []*phraseWord
}

// phraseWord is a word of a phrase, read along the documents that have it.
type phraseWord struct {
	term  string
	count uint64 // how many documents of the snapshot have the word
	it    segment.PostingsIterator
	p     segment.Posting // the current posting of it, nil before the first
	pos   []uint32        // the word's positions in the current document, ascending
	kept  []keptPosting
}

// keptPosting is a word's posting in one document, as the index gives it.
type keptPosting struct {
	doc     uint64
	freq    uint64
	norm    float64
	vectors []index.TermFieldVector
}

// readPhrase finds the documents of r, or of them those in within if it is
// not nil (global numbers, ascending), in which
// field has terms at consecutive positions ("" matching any one position),
// and keeps the words' postings in them. It reads the postings of each
// segment of the snapshot directly: most of the time of a common phrase is
// spent here, and the snapshot's term readers would copy every location of
// every document once more. Where every word of the phrase is frequent in
// a segment, and neither locations nor only some documents are asked for,
// it reads their positions from cache if it is not nil (keptPhrase).
func readPhrase(ctx context.Context, r *scorch.IndexSnapshot, within []uint64, terms []string, field string, locations bool, cache *columnCache) (*phrase, error) {
	p := &phrase{field: field}
	for _, t := range terms {
		if t != "" && !slices.ContainsFunc(p.words, func(w *phraseWord) bool { return w.term == t }) {
			p.words = append(p.words, &phraseWord{term: t})
		}
	}
	if len(p.words) == 0 {
		return p, nil
	}
	// slot[i] is the word at offset i of the phrase, nil for a stop word.
	slot := make([]*phraseWord, len(terms))
	for i, t := range terms {
		if t != "" {
			slot[i] = p.words[slices.IndexFunc(p.words, func(w *phraseWord) bool { return w.term == t })]
		}
	}
	at := make([]int, len(slot)) // phraseAt's place in each word's positions
	// The rarest word leads, the others follow.
	segs := r.Segments()
	lists := make([][]segment.PostingsList, len(segs))
	for i, ss := range segs {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		for _, w := range p.words {
			pl, err := dict.PostingsList([]byte(w.term), ss.Deleted(), nil)
			if err != nil {
				return nil, err
			}
			lists[i] = append(lists[i], pl)
			w.count += pl.Count()
		}
	}
	order := make([]int, len(p.words))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(p.words[a].count, p.words[b].count) })
	var offset uint64
	n := 0
	for i, ss := range segs {
		base := offset
		offset += ss.Segment().Count()
		// The documents of r in this segment, if r sees only some.
		var only []uint64
		if within != nil {
			lo, _ := slices.BinarySearch(within, base)
			hi, _ := slices.BinarySearch(within, offset)
			if lo == hi {
				continue
			}
			only = within[lo:hi]
		}
		if cache != nil && within == nil && !locations {
			done, err := p.keptPhrase(ctx, cache, ss, base, lists[i], slot, at)
			if err != nil {
				return nil, err
			}
			if done {
				continue
			}
		}
		for k, w := range p.words {
			w.it = lists[i][k].Iterator(true, true, true, w.it)
			w.p = nil
		}
		var target uint64 // the first local document the phrase may be in
		if only != nil {
			target = only[0] - base
		}
	documents:
		for {
			n++
			if n%1024 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// Bring every word to target or past it; the first that
			// goes past moves target up.
			all := true
			for _, k := range order {
				w := p.words[k]
				if w.p == nil || w.p.Number() < target {
					var err error
					if w.p, err = w.it.Advance(target); err != nil {
						return nil, err
					}
					if w.p == nil {
						break documents
					}
				}
				if w.p.Number() > target {
					target, all = w.p.Number(), false
					break
				}
			}
			if only != nil {
				j, found := slices.BinarySearch(only, base+target)
				if j == len(only) {
					break
				}
				if !found {
					target, all = only[j]-base, false
				}
			}
			if !all {
				continue
			}
			for _, w := range p.words {
				w.pos = w.pos[:0]
				for _, l := range w.p.Locations() {
					w.pos = append(w.pos, uint32(l.Pos()))
				}
				if !slices.IsSorted(w.pos) {
					slices.Sort(w.pos)
				}
			}
			if phraseAt(slot, at) {
				doc := base + target
				p.docs = append(p.docs, doc)
				for _, w := range p.words {
					w.kept = append(w.kept, keep(doc, w.p, locations))
				}
			}
			target++
			if only != nil {
				j, _ := slices.BinarySearch(only, base+target)
				if j == len(only) {
					break
				}
				target = only[j] - base
			}
		}
	}
	for _, w := range p.words {
		w.it, w.p = nil, nil
	}
	return p, nil
}

// keep copies a posting as the snapshot's term reader gives it, with its
// locations if locations.
func keep(doc uint64, p segment.Posting, locations bool) keptPosting {
	k := keptPosting{doc: doc, freq: p.Frequency(), norm: p.Norm()}
	if !locations {
		return k
	}
	locs := p.Locations()
	k.vectors = make([]index.TermFieldVector, len(locs))
	for i, l := range locs {
		k.vectors[i] = index.TermFieldVector{Field: l.Field(), Pos: l.Pos(), Start: l.Start(), End: l.End(), ArrayPositions: slices.Clone(l.ArrayPositions())}
	}
	return k
}

// phraseAt reports whether, in the current document, some position p of
// the phrase's first word has the word at each later offset i at p+i
// (slot[i]; nil for a stop word, which matches any word). The positions
// are walked once, in order: p only grows.
func phraseAt(slot []*phraseWord, at []int) bool {
	for i := range at {
		at[i] = 0
	}
next:
	for _, p := range slot[0].pos {
		for i, w := range slot[1:] {
			if w == nil {
				continue
			}
			want := p + uint32(i+1)
			j := at[i]
			for j < len(w.pos) && w.pos[j] < want {
				j++
			}
			at[i] = j
			if j == len(w.pos) {
				return false
			}
			if w.pos[j] != want {
				continue next
			}
		}
		return true
	}
	return false
}

// phraseReader is the index as a phrase's searcher sees it: only the
// documents with the phrase, and its words' postings read from memory.
type phraseReader struct {
	*only
	p *phrase
}

func (r *phraseReader) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	if field == r.p.field {
		for _, w := range r.p.words {
			if w.term == string(term) {
				return &keptTerms{w: w, freq: includeFreq, norm: includeNorm, vectors: includeTermVectors}, nil
			}
		}
	}
	return r.only.TermFieldReader(ctx, term, field, includeFreq, includeNorm, includeTermVectors)
}

// keptTerms reads a word's kept postings as the index's reader would.
type keptTerms struct {
	w                   *phraseWord
	next                int
	freq, norm, vectors bool
}

func (t *keptTerms) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	if t.next >= len(t.w.kept) {
		return nil, nil
	}
	p := &t.w.kept[t.next]
	t.next++
	if pre == nil {
		pre = &index.TermFieldDoc{}
	}
	pre.ID = index.NewIndexInternalID(pre.ID, p.doc)
	if t.freq {
		pre.Freq = p.freq
	}
	if t.norm {
		pre.Norm = p.norm
	}
	if t.vectors {
		if cap(pre.Vectors) < len(p.vectors) {
			pre.Vectors = make([]*index.TermFieldVector, len(p.vectors))
			backing := make([]index.TermFieldVector, len(p.vectors))
			for i := range backing {
				pre.Vectors[i] = &backing[i]
			}
		}
		pre.Vectors = pre.Vectors[:len(p.vectors)]
		for i := range p.vectors {
			*pre.Vectors[i] = p.vectors[i]
		}
	}
	return pre, nil
}

func (t *keptTerms) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	doc := id.Value()
	t.next, _ = slices.BinarySearchFunc(t.w.kept, doc, func(p keptPosting, doc uint64) int { return cmp.Compare(p.doc, doc) })
	return t.Next(pre)
}

func (t *keptTerms) Count() uint64 { return t.w.count }
func (t *keptTerms) Close() error  { return nil }
func (t *keptTerms) Size() int     { return 64 }
