package search

import (
	"cmp"
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
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
}

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if o, ok := restrict(r, nil); ok {
		p, err := readPhrase(ctx, r, q.terms, q.field)
		if err != nil {
			return nil, err
		}
		o.docs = p.docs
		r = &phraseReader{only: o, p: p}
	}
	return searcher.NewPhraseSearcher(ctx, r, q.terms, 0, false, q.field, q.boost, options)
}

// phrase is what readPhrase found: the documents with the phrase, and the
// postings of its words in them.
type phrase struct {
	field string
	docs  []uint64
	words []*phraseWord
}

// phraseWord is a word of a phrase, read along the documents that have it.
type phraseWord struct {
	term    string
	r       index.TermFieldReader
	count   uint64 // how many documents have the word
	d       *index.TermFieldDoc
	current uint64   // the document d is of
	pos     []uint64 // the word's positions there, ascending
	kept    []keptPosting
}

// keptPosting is a word's posting in one document, as the index gives it.
type keptPosting struct {
	doc     uint64
	freq    uint64
	norm    float64
	vectors []index.TermFieldVector
}

// readPhrase finds the documents of r (global numbers, ascending) in which
// field has terms at consecutive positions ("" matching any one position),
// and keeps the words' postings in them.
func readPhrase(ctx context.Context, r index.IndexReader, terms []string, field string) (*phrase, error) {
	p := &phrase{field: field}
	for _, t := range terms {
		if t != "" && !slices.ContainsFunc(p.words, func(w *phraseWord) bool { return w.term == t }) {
			p.words = append(p.words, &phraseWord{term: t, d: &index.TermFieldDoc{}})
		}
	}
	defer func() {
		for _, w := range p.words {
			if w.r != nil {
				w.r.Close()
				w.r = nil
			}
		}
	}()
	for _, w := range p.words {
		var err error
		if w.r, err = r.TermFieldReader(ctx, []byte(w.term), field, true, true, true); err != nil {
			return nil, err
		}
		w.count = w.r.Count()
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
	// The rarest word leads; the others follow it.
	words := slices.Clone(p.words)
	slices.SortStableFunc(words, func(a, b *phraseWord) int { return cmp.Compare(a.count, b.count) })
	lead := words[0]
	var target index.IndexInternalID
	// move moves w to its first document at or after doc (any document
	// after its current one if doc is 0); it reports false at the end.
	move := func(w *phraseWord, doc uint64) (bool, error) {
		var d *index.TermFieldDoc
		var err error
		if w.d.ID == nil || doc <= w.current+1 {
			// The next document is the one looked for more often than
			// not, and reading on costs less than seeking.
			d, err = w.r.Next(w.d)
			if err == nil && d != nil && d.ID.Value() < doc {
				target = index.NewIndexInternalID(target, doc)
				d, err = w.r.Advance(target, d)
			}
		} else {
			target = index.NewIndexInternalID(target, doc)
			d, err = w.r.Advance(target, w.d)
		}
		if err != nil || d == nil {
			return false, err
		}
		w.d, w.current = d, d.ID.Value()
		return true, nil
	}
	ok, err := move(lead, 0)
	for n := 0; ok; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		doc := lead.current
		all := true
		for _, w := range words[1:] {
			if w.d.ID == nil || w.current < doc {
				if ok, err = move(w, doc); !ok {
					return p, err
				}
			}
			if w.current > doc {
				// The lead moves up to the first document that may
				// have this word too.
				ok, err = move(lead, w.current)
				all = false
				break
			}
		}
		if !all {
			continue
		}
		for _, w := range words {
			w.pos = positions(w.d, w.pos)
		}
		if phraseAt(slot) {
			p.docs = append(p.docs, doc)
			for _, w := range words {
				w.kept = append(w.kept, keptPosting{doc: doc, freq: w.d.Freq, norm: w.d.Norm, vectors: vectorsOf(w.d)})
			}
		}
		ok, err = move(lead, 0)
	}
	return p, err
}

func vectorsOf(d *index.TermFieldDoc) []index.TermFieldVector {
	out := make([]index.TermFieldVector, len(d.Vectors))
	for i, v := range d.Vectors {
		out[i] = *v
		out[i].ArrayPositions = slices.Clone(v.ArrayPositions)
	}
	return out
}

// positions returns the positions of a document's term, ascending, in buf.
func positions(d *index.TermFieldDoc, buf []uint64) []uint64 {
	buf = buf[:0]
	for _, v := range d.Vectors {
		buf = append(buf, v.Pos)
	}
	if !slices.IsSorted(buf) {
		slices.Sort(buf)
	}
	return buf
}

// phraseAt reports whether, in the current document, some position p of
// the phrase's first word has the word at each later offset i at p+i
// (slot[i]; nil for a stop word, which matches any word).
func phraseAt(slot []*phraseWord) bool {
next:
	for _, p := range slot[0].pos {
		for i, w := range slot[1:] {
			if w == nil {
				continue
			}
			if _, ok := slices.BinarySearch(w.pos, p+uint64(i+1)); !ok {
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
