package search

import (
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// only is a snapshot of the index of which a searcher sees only some
// documents, docs (global document numbers, ascending): its term and
// document readers skip every other document. Everything a score is made
// of — a term's document frequency, the number of documents — is still the
// whole snapshot's, so a query run on it scores a document as on the whole
// snapshot: it is how a search finds the locations of the matches, for
// highlighting, in the few documents of the page it shows only, and how a
// phrase is checked only in the documents that have its words in order.
type only struct {
	*scorch.IndexSnapshot
	docs []uint64
}

func (o *only) TermFieldReader(ctx context.Context, term []byte, field string, includeFreq, includeNorm, includeTermVectors bool) (index.TermFieldReader, error) {
	open := func() (index.TermFieldReader, error) {
		return o.IndexSnapshot.TermFieldReader(ctx, term, field, includeFreq, includeNorm, includeTermVectors)
	}
	r, err := open()
	if err != nil {
		return nil, err
	}
	return &onlyTerms{r: r, open: open, skip: skipper{docs: o.docs}}, nil
}

func (o *only) DocIDReaderAll() (index.DocIDReader, error) {
	r, err := o.IndexSnapshot.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	return &onlyDocs{r: r, open: o.IndexSnapshot.DocIDReaderAll, skip: skipper{docs: o.docs}}, nil
}

// skipper walks the documents of an only in step with a reader of the
// whole snapshot, never asking that reader to go back (a scorch reader
// asked to go back, or to stay where it is, starts over).
type skipper struct {
	docs  []uint64
	next  int    // docs[next] is the next document to look for
	pos   uint64 // the reader's position, if moved
	moved bool
}

// seek moves to the first document at or after target; it reports whether
// the reader must start over first.
func (s *skipper) seek(target uint64) (restart bool) {
	i, _ := slices.BinarySearch(s.docs, target)
	restart = s.moved && i < len(s.docs) && s.docs[i] <= s.pos
	if restart {
		s.moved = false
	}
	s.next = i
	return restart
}

// landed records that the reader is at pos, and reports whether pos is one
// of the documents.
func (s *skipper) landed(pos uint64) bool {
	s.pos, s.moved = pos, true
	for s.next < len(s.docs) && s.docs[s.next] < pos {
		s.next++
	}
	if s.next < len(s.docs) && s.docs[s.next] == pos {
		s.next++
		return true
	}
	return false
}

type onlyTerms struct {
	r    index.TermFieldReader
	open func() (index.TermFieldReader, error)
	skip skipper
	id   index.IndexInternalID
}

func (t *onlyTerms) Next(pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	for t.skip.next < len(t.skip.docs) {
		t.id = index.NewIndexInternalID(t.id, t.skip.docs[t.skip.next])
		d, err := t.r.Advance(t.id, pre)
		if err != nil || d == nil {
			t.skip.next = len(t.skip.docs)
			return nil, err
		}
		if t.skip.landed(d.ID.Value()) {
			return d, nil
		}
	}
	return nil, nil
}

func (t *onlyTerms) Advance(id index.IndexInternalID, pre *index.TermFieldDoc) (*index.TermFieldDoc, error) {
	if t.skip.seek(id.Value()) {
		r, err := t.open()
		if err != nil {
			return nil, err
		}
		t.r.Close()
		t.r = r
	}
	return t.Next(pre)
}

func (t *onlyTerms) Count() uint64 { return t.r.Count() }
func (t *onlyTerms) Close() error  { return t.r.Close() }
func (t *onlyTerms) Size() int     { return t.r.Size() }

type onlyDocs struct {
	r    index.DocIDReader
	open func() (index.DocIDReader, error)
	skip skipper
	id   index.IndexInternalID
}

func (d *onlyDocs) Next() (index.IndexInternalID, error) {
	for d.skip.next < len(d.skip.docs) {
		d.id = index.NewIndexInternalID(d.id, d.skip.docs[d.skip.next])
		got, err := d.r.Advance(d.id)
		if err != nil || got == nil {
			d.skip.next = len(d.skip.docs)
			return nil, err
		}
		if d.skip.landed(got.Value()) {
			return got, nil
		}
	}
	return nil, nil
}

func (d *onlyDocs) Advance(id index.IndexInternalID) (index.IndexInternalID, error) {
	if d.skip.seek(id.Value()) {
		r, err := d.open()
		if err != nil {
			return nil, err
		}
		d.r.Close()
		d.r = r
	}
	return d.Next()
}

func (d *onlyDocs) Size() int    { return d.r.Size() }
func (d *onlyDocs) Close() error { return d.r.Close() }
