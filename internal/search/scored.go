package search

import (
	"context"
	"math"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Scoring a query of words without bleve's searchers. A word found in
// nearly every entry ("drone", "police") is looked up in four text fields
// (and in French, where its French stem differs), and bleve's searchers
// walk those postings document by document, allocating, scoring and
// comparing a match of every field at every level of the query; that was
// most of the time of such a search. Here the same query is compiled into
// a plan (compileScored) that reads each term's postings per segment
// directly — its frequency and norm in each document — and composes the
// scores as bleve's searchers compose them: the same TF-IDF of each term
// (scorer.TermQueryScorer), the same query norm, boosts and coordination
// factors, the same sums in the same order, so that every hit scores the
// same to the bit. What the plan does not know how to score (prefixes,
// typos, a search without words, bleve's own phrase query), bleve scores.
//
// The plan mirrors these searchers of bleve v2.6.1 (search/searcher), for
// a search that asks for scores and no term locations:
//
//   - TermSearcher: the term's documents, not deleted; with idf = 1 +
//     ln(docs/(count+1)) (docs: the snapshot's, count: the term's), a
//     document scores sqrt(freq)*norm*idf, times the query weight
//     boost*idf*queryNorm where one is set. Its weight is (boost*idf)².
//   - DisjunctionSliceSearcher (up to DisjunctionHeapTakeover clauses): its
//     clauses ordered by count (a stable sort), a document matched by at
//     least min of them scores the sum of their scores in that order,
//     times matched/clauses.
//   - ConjunctionSearcher: clauses ordered by count; a document matched by
//     all scores the sum of their scores in that order.
//   - BooleanSearcher (and the searcher of a BooleanQuery that is only its
//     must clause): a document of must, not of must not, in the filter,
//     scores must's score, plus should's where should matches it.
//   - phraseQuery, which scores as the conjunction of its words.
//
// Weights add up the same way, and the query norm is that of the outermost
// searcher: 1/sqrt(its weight), given to every term below it (a searcher
// that computes a norm tells its clauses; the outermost one does so last).
// TestSameAsBleve compares the answers with bleve's own.

// scoredOp is what a node of a plan does.
type scoredOp int

const (
	opTerm   scoredOp = iota // a term in a field
	opAny                    // a disjunction
	opAll                    // a conjunction
	opBool                   // must, should, must not, filter
	opPhrase                 // our phraseQuery: its words in order
)

// scoredNode is a node of a compiled query.
type scoredNode struct {
	op    scoredOp
	count uint64 // as the searcher's Count: what orders clauses

	// opTerm, and the words of an opPhrase.
	boost float64
	idf   float64
	qw    float64                // query weight: boost*idf*norm, 1 where no norm is set
	lists []segment.PostingsList // the term's postings in each segment, without deleted documents
	word  *phraseWord            // in a phrase: the word's kept postings

	// opAny, opAll, opPhrase: the clauses in bleve's order; opBool: must.
	kids []*scoredNode
	min  int // opAny

	// opBool
	should *scoredNode
	not    *docSet
	filter *docSet

	// opPhrase
	p *phrase
}

// docSet is a query that only selects documents (a filter, or a must not
// clause): a term's postings, or any or all of other sets.
type docSet struct {
	op    scoredOp // opTerm, opAny or opAll
	lists []segment.PostingsList
	kids  []*docSet
}

// scoredPlan is a compiled query over one snapshot.
type scoredPlan struct {
	snap *scorch.IndexSnapshot
	top  *scoredNode
	docs uint64 // documents in the snapshot, as scores count them
	dict []map[string]segment.TermDictionary
	it   segment.PostingsIterator // reused by every term
	free *scoredScratch
}

// scoredScratch are the buffers of hits a plan is done with, for the next
// node, or the next search, to fill: a search of a word in nearly every
// entry goes through a dozen lists of thousands of hits.
type scoredScratch struct {
	docs   [][]uint32
	scores [][]float64
}

var scratchPool = sync.Pool{New: func() any { return &scoredScratch{} }}

// hits returns empty hits with room for n.
func (pl *scoredPlan) hits(n int) scoredHits {
	f := pl.free
	var h scoredHits
	if k := len(f.docs); k > 0 {
		h.docs, f.docs = f.docs[k-1][:0], f.docs[:k-1]
	}
	if k := len(f.scores); k > 0 {
		h.scores, f.scores = f.scores[k-1][:0], f.scores[:k-1]
	}
	h.docs, h.scores = slices.Grow(h.docs, n), slices.Grow(h.scores, n)
	return h
}

// release gives back the buffers of h.
func (pl *scoredPlan) release(h scoredHits) {
	if cap(h.docs) > 0 {
		pl.free.docs = append(pl.free.docs, h.docs)
	}
	if cap(h.scores) > 0 {
		pl.free.scores = append(pl.free.scores, h.scores)
	}
}

// close gives the plan's buffers back for another search; hits it
// returned are not to be read after.
func (pl *scoredPlan) close() {
	if pl.free != nil {
		scratchPool.Put(pl.free)
		pl.free = nil
	}
}

// scoredHits are the documents a node matches in one segment, ascending,
// with their scores.
type scoredHits struct {
	docs   []uint32
	scores []float64
}

// compileScored compiles bq for snap, or reports false if the query has a
// part the plan cannot score as bleve does.
func compileScored(ctx context.Context, snap *scorch.IndexSnapshot, bq query.Query, cache *columnCache) (*scoredPlan, bool, error) {
	docs, err := snap.DocCount()
	if err != nil {
		return nil, false, err
	}
	pl := &scoredPlan{snap: snap, docs: docs, dict: make([]map[string]segment.TermDictionary, len(snap.Segments())), free: scratchPool.Get().(*scoredScratch)}
	if !scorable(bq) {
		pl.close()
		return nil, false, nil
	}
	top, err := pl.node(ctx, bq, cache)
	if err != nil {
		pl.close()
		return nil, false, err
	}
	pl.top = top
	if top.op != opTerm {
		// As the outermost searcher sets it (computeQueryNorm).
		norm := 1.0 / math.Sqrt(top.weight())
		top.setNorm(norm)
	}
	return pl, true, nil
}

// scorable reports whether the plan can score q as bleve does.
func scorable(q query.Query) bool {
	switch q := q.(type) {
	case *query.TermQuery:
		return q.FieldVal != ""
	case *phraseQuery:
		return slices.ContainsFunc(q.terms, func(t string) bool { return t != "" })
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) == 0 || len(q.Disjuncts) > searcher.DisjunctionHeapTakeover || q.BoostVal != nil {
			return false
		}
		for _, d := range q.Disjuncts {
			if !scorable(d) {
				return false
			}
		}
		return true
	case *query.ConjunctionQuery:
		if len(q.Conjuncts) == 0 || q.BoostVal != nil {
			return false
		}
		for _, c := range q.Conjuncts {
			if !scorable(c) {
				return false
			}
		}
		return true
	case *query.BooleanQuery:
		if q.BoostVal != nil {
			return false
		}
		if q.Must == nil {
			// Only a should clause is that clause's searcher; anything
			// else starts from every document.
			return q.Should != nil && q.MustNot == nil && q.Filter == nil && scorable(q.Should)
		}
		if !scorable(q.Must) || (q.Should != nil && !scorable(q.Should)) {
			return false
		}
		if d, ok := q.Should.(*query.DisjunctionQuery); ok && d.Min > 0 {
			return false // bleve makes a should clause with a minimum required
		}
		return (q.MustNot == nil || selectable(q.MustNot)) && (q.Filter == nil || selectable(q.Filter))
	}
	return false
}

// selectable reports whether q, as a filter or must not clause, is a
// docSet.
func selectable(q query.Query) bool {
	switch q := q.(type) {
	case *query.TermQuery:
		return q.FieldVal != ""
	case *query.BoolFieldQuery:
		return q.FieldVal != ""
	case *query.DisjunctionQuery:
		if len(q.Disjuncts) == 0 || q.Min > 1 {
			return false
		}
		for _, d := range q.Disjuncts {
			if !selectable(d) {
				return false
			}
		}
		return true
	case *query.ConjunctionQuery:
		if len(q.Conjuncts) == 0 {
			return false
		}
		for _, c := range q.Conjuncts {
			if !selectable(c) {
				return false
			}
		}
		return true
	}
	return false
}

// postings returns the postings of term in field in every segment, and
// how many documents have it.
func (pl *scoredPlan) postings(field, term string) ([]segment.PostingsList, uint64, error) {
	segs := pl.snap.Segments()
	lists := make([]segment.PostingsList, len(segs))
	var count uint64
	for i, ss := range segs {
		if pl.dict[i] == nil {
			pl.dict[i] = map[string]segment.TermDictionary{}
		}
		d := pl.dict[i][field]
		if d == nil {
			var err error
			if d, err = ss.Segment().Dictionary(field); err != nil {
				return nil, 0, err
			}
			pl.dict[i][field] = d
		}
		l, err := d.PostingsList([]byte(term), ss.Deleted(), nil)
		if err != nil {
			return nil, 0, err
		}
		lists[i] = l
		count += l.Count()
	}
	return lists, count, nil
}

// term is a term's node, scored as NewTermSearcher scores it.
func (pl *scoredPlan) term(field, term string, boost float64) (*scoredNode, error) {
	lists, count, err := pl.postings(field, term)
	if err != nil {
		return nil, err
	}
	return pl.termOf(count, boost, lists), nil
}

func (pl *scoredPlan) termOf(count uint64, boost float64, lists []segment.PostingsList) *scoredNode {
	// As scorer.NewTermQueryScorer computes it for TF-IDF.
	idf := 1.0 + math.Log(float64(pl.docs)/float64(count+1.0))
	return &scoredNode{op: opTerm, count: count, boost: boost, idf: idf, qw: 1.0, lists: lists}
}

// node compiles a scorable query.
func (pl *scoredPlan) node(ctx context.Context, q query.Query, cache *columnCache) (*scoredNode, error) {
	switch q := q.(type) {
	case *query.TermQuery:
		return pl.term(q.FieldVal, q.Term, q.BoostVal.Value())
	case *phraseQuery:
		p, err := readPhrase(ctx, pl.snap, nil, q.terms, q.field, false, q.cache)
		if err != nil {
			return nil, err
		}
		n := &scoredNode{op: opPhrase, p: p}
		// As newMatchedPhrase searches it: a term searcher for each word
		// (a word twice, twice), in a conjunction.
		for _, t := range q.terms {
			if t == "" {
				continue
			}
			w := p.words[slices.IndexFunc(p.words, func(w *phraseWord) bool { return w.term == t })]
			k := pl.termOf(w.count, q.boost, nil)
			k.word = w
			n.kids = append(n.kids, k)
		}
		n.order()
		return n, nil
	case *query.DisjunctionQuery:
		n := &scoredNode{op: opAny, min: int(q.Min)}
		for _, d := range q.Disjuncts {
			k, err := pl.node(ctx, d, cache)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		}
		n.order()
		return n, nil
	case *query.ConjunctionQuery:
		n := &scoredNode{op: opAll}
		for _, c := range q.Conjuncts {
			k, err := pl.node(ctx, c, cache)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		}
		n.order()
		return n, nil
	case *query.BooleanQuery:
		if q.Must == nil {
			return pl.node(ctx, q.Should, cache)
		}
		must, err := pl.node(ctx, q.Must, cache)
		if err != nil {
			return nil, err
		}
		n := &scoredNode{op: opBool, kids: []*scoredNode{must}, count: must.count}
		if q.Should != nil {
			if n.should, err = pl.node(ctx, q.Should, cache); err != nil {
				return nil, err
			}
			n.count += n.should.count
		}
		if q.MustNot != nil {
			if n.not, err = pl.set(q.MustNot); err != nil {
				return nil, err
			}
		}
		if q.Filter != nil {
			if n.filter, err = pl.set(q.Filter); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	panic("search: compiling a query that is not scorable")
}

// set compiles a selectable query.
func (pl *scoredPlan) set(q query.Query) (*docSet, error) {
	var kids []query.Query
	op := opAny
	switch q := q.(type) {
	case *query.TermQuery:
		lists, _, err := pl.postings(q.FieldVal, q.Term)
		return &docSet{op: opTerm, lists: lists}, err
	case *query.BoolFieldQuery:
		term := "F"
		if q.Bool {
			term = "T"
		}
		lists, _, err := pl.postings(q.FieldVal, term)
		return &docSet{op: opTerm, lists: lists}, err
	case *query.DisjunctionQuery:
		kids = q.Disjuncts
	case *query.ConjunctionQuery:
		kids, op = q.Conjuncts, opAll
	}
	s := &docSet{op: op}
	for _, k := range kids {
		ks, err := pl.set(k)
		if err != nil {
			return nil, err
		}
		s.kids = append(s.kids, ks)
	}
	return s, nil
}

// order puts a disjunction's or conjunction's clauses in the order bleve's
// searchers do (OrderedSearcherList, sort.Sort: for the few clauses here,
// an insertion sort, which keeps clauses of equal counts in their order),
// and counts it.
func (n *scoredNode) order() {
	slices.SortStableFunc(n.kids, func(a, b *scoredNode) int {
		switch {
		case a.count < b.count:
			return -1
		case a.count > b.count:
			return 1
		}
		return 0
	})
	n.count = 0
	for _, k := range n.kids {
		n.count += k.count
	}
}

// weight is the node's searcher's Weight: the sum of its terms' squared
// boosted idfs, added up as bleve does.
func (n *scoredNode) weight() float64 {
	switch n.op {
	case opTerm:
		w := n.boost * n.idf
		return w * w
	case opBool:
		var w float64
		w += n.kids[0].weight()
		if n.should != nil {
			w += n.should.weight()
		}
		return w
	}
	var w float64
	for _, k := range n.kids {
		w += k.weight()
	}
	return w
}

// setNorm sets the query norm of every term below n.
func (n *scoredNode) setNorm(norm float64) {
	if n.op == opTerm {
		n.qw = n.boost * n.idf * norm
		return
	}
	for _, k := range n.kids {
		k.setNorm(norm)
	}
	if n.should != nil {
		n.should.setNorm(norm)
	}
}

// termScore is a term's score in a document where it is freq times, with
// the field's norm there, as TermQueryScorer.Score computes it.
func (n *scoredNode) termScore(freq uint64, norm float64) float64 {
	var tf float64
	if freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(freq)]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	score := tf * norm * n.idf
	if n.qw != 1.0 {
		score = score * n.qw
	}
	return score
}

// among restricts a node's evaluation to some documents of a segment:
// docs, ascending, if some; every document if not.
type among struct {
	some bool
	docs []uint32
}

var everyDoc = among{}

// eval returns the documents n matches in segment seg (whose first
// document is base in the snapshot's numbering), of those in, with their
// scores. A conjunction reads its rarest clause first and the others only
// in the documents that have it, a boolean its must clause only in the
// documents of its filter, and its should clause only in those of must:
// a frequent word next to a rare one is read where the rare one is, much
// as bleve's searchers skip along postings.
func (pl *scoredPlan) eval(ctx context.Context, n *scoredNode, seg int, base uint64, in among) (scoredHits, error) {
	if err := ctx.Err(); err != nil {
		return scoredHits{}, err
	}
	var out scoredHits
	switch n.op {
	case opTerm:
		return pl.evalTerm(n, seg, in)

	case opPhrase:
		end := base + pl.snap.Segments()[seg].Segment().Count()
		lo, _ := slices.BinarySearch(n.p.docs, base)
		hi, _ := slices.BinarySearch(n.p.docs, end)
		out = pl.hits(hi - lo)
		j := 0
		for i := lo; i < hi; i++ {
			d := uint32(n.p.docs[i] - base)
			if in.some {
				for j < len(in.docs) && in.docs[j] < d {
					j++
				}
				if j == len(in.docs) {
					break
				}
				if in.docs[j] != d {
					continue
				}
			}
			var sum float64
			for _, k := range n.kids {
				kp := &k.word.kept[i]
				sum += k.termScore(kp.freq, kp.norm)
			}
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, sum)
		}
		return out, nil

	case opAny, opAll:
		var kids0 [16]scoredHits
		kids := kids0[:0]
		defer func() {
			for _, k := range kids {
				pl.release(k)
			}
		}()
		size := 0
		for i, k := range n.kids {
			kin := in
			if n.op == opAll && i > 0 {
				kin = among{some: true, docs: kids[i-1].docs}
			}
			h, err := pl.eval(ctx, k, seg, base, kin)
			kids = append(kids, h)
			if err != nil {
				return out, err
			}
			if n.op == opAny {
				size += len(h.docs)
			} else {
				size = len(h.docs)
			}
		}
		out = pl.hits(size)
		if n.op == opAll {
			conjoin(&out, kids)
		} else {
			disjoin(&out, kids, n.min)
		}
		return out, nil

	case opBool:
		var not, filter []uint32
		var err error
		if n.not != nil {
			if not, err = pl.selectDocs(n.not, seg); err != nil {
				return out, err
			}
		}
		min := in
		if n.filter != nil {
			if filter, err = pl.selectDocs(n.filter, seg); err != nil {
				return out, err
			}
			if in.some {
				filter = intersect(filter, in.docs)
			}
			min = among{some: true, docs: filter}
		}
		must, err := pl.eval(ctx, n.kids[0], seg, base, min)
		if err != nil || len(must.docs) == 0 {
			return must, err
		}
		var should scoredHits
		if n.should != nil {
			if should, err = pl.eval(ctx, n.should, seg, base, among{some: true, docs: must.docs}); err != nil {
				return out, err
			}
			defer pl.release(should)
		}
		// In place: each is read before it is written. must has only
		// documents of the filter.
		out.docs, out.scores = must.docs[:0], must.scores[:0]
		si, ni := 0, 0
		for i, d := range must.docs {
			if n.not != nil {
				for ni < len(not) && not[ni] < d {
					ni++
				}
				if ni < len(not) && not[ni] == d {
					continue
				}
			}
			// As ConjunctionQueryScorer adds must's score and should's.
			var score float64
			score += must.scores[i]
			for si < len(should.docs) && should.docs[si] < d {
				si++
			}
			if si < len(should.docs) && should.docs[si] == d {
				score += should.scores[si]
			}
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, score)
		}
		return out, nil
	}
	panic("search: evaluating an unknown node")
}

// evalTerm is a term's documents in segment seg, of those in, with their
// scores: read one after the other, or, if in has far fewer documents than
// the term, by skipping to each.
func (pl *scoredPlan) evalTerm(n *scoredNode, seg int, in among) (scoredHits, error) {
	var out scoredHits
	l := n.lists[seg]
	c := l.Count()
	if c == 0 || (in.some && len(in.docs) == 0) {
		return out, nil
	}
	pl.it = l.Iterator(true, true, false, pl.it)
	if in.some && uint64(len(in.docs))*8 < c {
		out = pl.hits(len(in.docs))
		var p segment.Posting
		for _, d := range in.docs {
			if p == nil || p.Number() < uint64(d) {
				var err error
				if p, err = pl.it.Advance(uint64(d)); err != nil {
					return out, err
				}
				if p == nil {
					break
				}
			}
			if p.Number() == uint64(d) {
				out.docs = append(out.docs, d)
				out.scores = append(out.scores, n.termScore(p.Frequency(), p.Norm()))
			}
		}
		return out, nil
	}
	if in.some {
		out = pl.hits(min(len(in.docs), int(c)))
	} else {
		out = pl.hits(int(c))
	}
	j := 0
	for {
		p, err := pl.it.Next()
		if err != nil {
			return out, err
		}
		if p == nil {
			return out, nil
		}
		d := uint32(p.Number())
		if in.some {
			for j < len(in.docs) && in.docs[j] < d {
				j++
			}
			if j == len(in.docs) {
				return out, nil
			}
			if in.docs[j] != d {
				continue
			}
		}
		out.docs = append(out.docs, d)
		out.scores = append(out.scores, n.termScore(p.Frequency(), p.Norm()))
	}
}

// disjoin is a disjunction of hits: the documents of at least min of
// kids, each scoring the sum of its kids' scores in their order times the
// share of kids that have it.
func disjoin(out *scoredHits, kids []scoredHits, min int) {
	var at0 [16]int
	at := at0[:0]
	if len(kids) > len(at0) {
		at = make([]int, 0, len(kids))
	}
	at = at[:len(kids)]
	total := float64(len(kids))
	for {
		d, found := uint32(0), false
		for i, k := range kids {
			if at[i] < len(k.docs) && (!found || k.docs[at[i]] < d) {
				d, found = k.docs[at[i]], true
			}
		}
		if !found {
			return
		}
		var sum float64
		n := 0
		for i, k := range kids {
			if at[i] < len(k.docs) && k.docs[at[i]] == d {
				sum += k.scores[at[i]]
				n++
				at[i]++
			}
		}
		if n >= min {
			coord := float64(n) / total
			out.docs = append(out.docs, d)
			out.scores = append(out.scores, sum*coord)
		}
	}
}

// conjoin is a conjunction of hits: the documents of every one of kids,
// each scoring the sum of their scores in their order.
func conjoin(out *scoredHits, kids []scoredHits) {
	at := make([]int, len(kids))
	lead := kids[0]
next:
	for j, d := range lead.docs {
		at[0] = j
		for i := 1; i < len(kids); i++ {
			k := kids[i]
			for at[i] < len(k.docs) && k.docs[at[i]] < d {
				at[i]++
			}
			if at[i] == len(k.docs) {
				return
			}
			if k.docs[at[i]] != d {
				continue next
			}
		}
		var sum float64
		for i, k := range kids {
			sum += k.scores[at[i]]
		}
		out.docs = append(out.docs, d)
		out.scores = append(out.scores, sum)
	}
}

// selectDocs returns the documents of s in segment seg, ascending.
func (pl *scoredPlan) selectDocs(s *docSet, seg int) ([]uint32, error) {
	switch s.op {
	case opTerm:
		l := s.lists[seg]
		out := make([]uint32, 0, l.Count())
		pl.it = l.Iterator(false, false, false, pl.it)
		for {
			p, err := pl.it.Next()
			if err != nil {
				return nil, err
			}
			if p == nil {
				return out, nil
			}
			out = append(out, uint32(p.Number()))
		}
	}
	var out []uint32
	for i, k := range s.kids {
		docs, err := pl.selectDocs(k, seg)
		if err != nil {
			return nil, err
		}
		switch {
		case i == 0:
			out = docs
		case s.op == opAny:
			out = union(out, docs)
		default:
			out = intersect(out, docs)
		}
	}
	return out, nil
}

func union(a, b []uint32) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

func intersect(a, b []uint32) []uint32 {
	var out []uint32
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case b[j] < a[i]:
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}
