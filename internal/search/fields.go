package search

import (
	"encoding/json"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// builderMapping is the index mapping as Build gives it to bleve's
// builder: the mapping itself, stored in the index as it is, whose text
// fields analyse themselves more cheaply (analysedText). The builder gets
// from them what it gets from bleve's own analysis, field by field
// (TestBuildAnalysesAsBleve, FuzzBuildAnalysis), and the index answers as
// the one bleve's analysis builds (TestBuildSameAnswers).
//
// Its text fields take what they make from arena, which build gives
// another batch once bleve's builder has written the segment of the
// batch whose fields analysed into it (mapper): the builder keeps nothing
// of a batch's analysis once it has written its segment. A nil arena
// allocates as Go does.
type builderMapping struct {
	mapping.IndexMapping
	arena *freqArena
}

var _ mapping.IndexMapping = builderMapping{}

// MapDocument maps data as the mapping does, then gives its text fields
// the cheaper analysis.
func (m builderMapping) MapDocument(doc *document.Document, data any) error {
	if err := m.IndexMapping.MapDocument(doc, data); err != nil {
		return err
	}
	for i, f := range doc.Fields {
		if tf, ok := f.(*document.TextField); ok {
			if a, ok := tf.Analyzer().(*memoAnalyzer); ok {
				doc.Fields[i] = &analysedText{TextField: tf, a: a, arena: m.arena}
			}
		}
	}
	return nil
}

// MarshalJSON stores the mapping, not the wrapper.
func (m builderMapping) MarshalJSON() ([]byte, error) {
	return json.Marshal(m.IndexMapping)
}

// analysedText is a text field that analyses itself into the term
// frequencies bleve's own analysis makes (document.TextField.Analyze: the
// analyzer's tokens, then analysis.TokenFrequency) without making a token
// of each word: a term's locations are made in one slice per field, not a
// token, a location and a growing slice of them per word. At 10,000
// entries building the index then allocates a fifth less, in a fifth fewer
// allocations, and takes about a tenth less CPU time
// (BenchmarkIndexBuild10k).
type analysedText struct {
	*document.TextField
	a        *memoAnalyzer
	arena    *freqArena
	length   int
	freqs    index.TokenFrequencies
	analysed bool
}

// Analyze analyses the field once: build analyses it before bleve's
// builder does (mapper), which then asks again.
func (f *analysedText) Analyze() {
	if f.analysed {
		return
	}
	f.analysed = true
	if n, freqs, ok := f.a.frequencies(f.Value(), f.ArrayPositions(), f.Options(), f.arena); ok {
		f.length, f.freqs = n, freqs
		return
	}
	f.TextField.Analyze()
	f.length, f.freqs = f.TextField.AnalyzedLength(), f.TextField.AnalyzedTokenFrequencies()
}

func (f *analysedText) AnalyzedLength() int                              { return f.length }
func (f *analysedText) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// occurrence is a term's occurrence in a field: the term's number in the
// field, and where the word is.
type occurrence struct {
	term              int32
	start, end, place int
}

// frequencies analyses input as Analyze does and returns what
// analysis.TokenFrequency makes of the tokens: how many tokens there are,
// and each term's frequency and, if the field keeps term vectors, its
// locations in order. ok is false if a filter split a word; the caller
// then analyses input the usual way. The frequencies and locations are
// taken from arena (nil: allocated).
func (a *memoAnalyzer) frequencies(input []byte, arrayPositions []uint64, options index.FieldIndexingOptions, arena *freqArena) (length int, freqs index.TokenFrequencies, ok bool) {
	w := fieldScratches.Get().(*fieldScratch)
	defer fieldScratches.Put(w)
	clear(w.number)
	w.occ, w.terms, w.keys, w.count = w.occ[:0], w.terms[:0], w.keys[:0], w.count[:0]
	words := newWordScanner(input)
	for place := 1; words.next(); place++ {
		// The token the unicode tokenizer makes of the word.
		start, end := words.start, words.end
		t := analysis.Token{Term: words.word(), Start: start, End: end, Position: place, Type: analysis.AlphaNumeric}
		term, split := a.term(&t)
		if split {
			return 0, nil, false
		}
		if term == nil {
			continue
		}
		n, seen := w.number[string(term)]
		if !seen {
			n = int32(len(w.terms))
			k := string(term)
			w.number[k] = n
			w.terms, w.keys, w.count = append(w.terms, term), append(w.keys, k), append(w.count, 0)
		}
		w.count[n]++
		w.occ = append(w.occ, occurrence{term: n, start: start, end: end, place: place})
	}

	arena.lock()
	defer arena.unlock()
	tfs := arena.freqs(len(w.terms))
	freqs = make(index.TokenFrequencies, len(w.terms))
	for n, term := range w.terms {
		tf := &tfs[n]
		tf.Term = term
		if !options.SkipFreqNorm() {
			tf.SetFrequency(w.count[n])
		}
		freqs[w.keys[n]] = tf
	}
	if options.IncludeTermVectors() {
		// Each term's locations are a run of one slice of pointers, in
		// the order of the words.
		locs, ptrs := arena.locations(len(w.occ))
		at := 0
		for n, c := range w.count {
			tfs[n].Locations = ptrs[at : at : at+c]
			at += c
		}
		for i, o := range w.occ {
			locs[i] = index.TokenLocation{ArrayPositions: arrayPositions, Start: o.start, End: o.end, Position: o.place}
			tfs[o.term].Locations = append(tfs[o.term].Locations, &locs[i])
		}
	}
	return len(w.occ), freqs, true
}

// fieldScratch is frequencies' working space, reused from one field to
// the next.
type fieldScratch struct {
	number map[string]int32 // term → its number in the field
	occ    []occurrence
	terms  [][]byte
	keys   []string
	count  []int
}

var fieldScratches = sync.Pool{New: func() any { return &fieldScratch{number: map[string]int32{}} }}

// freqArena holds the term frequencies and locations the text fields of a
// batch of documents analyse into, in large blocks used again for the
// next batch (builderMapping): they are most of what the fields' analysis
// allocates, 2.1 of the 30 GB a 100,000-entry build allocated, and the
// collector ran once for every 350 MB allocated.
type freqArena struct {
	mu  sync.Mutex
	tf  arenaBlocks[index.TokenFreq]
	loc arenaBlocks[index.TokenLocation]
	ptr arenaBlocks[*index.TokenLocation]
}

func (a *freqArena) lock() {
	if a != nil {
		a.mu.Lock()
	}
}

func (a *freqArena) unlock() {
	if a != nil {
		a.mu.Unlock()
	}
}

// freqs returns n zeroed frequencies.
func (a *freqArena) freqs(n int) []index.TokenFreq {
	if a == nil {
		return make([]index.TokenFreq, n)
	}
	return a.tf.take(n)
}

// locations returns n zeroed locations and n nil pointers to them.
func (a *freqArena) locations(n int) ([]index.TokenLocation, []*index.TokenLocation) {
	if a == nil {
		return make([]index.TokenLocation, n), make([]*index.TokenLocation, n)
	}
	return a.loc.take(n), a.ptr.take(n)
}

// reset makes everything the arena gave out free to be given again. Only
// call it once nothing reads what it gave: bleve's builder, between two
// Index calls.
func (a *freqArena) reset() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tf.reset()
	a.loc.reset()
	a.ptr.reset()
}

// arenaBlockLen is how many values an arena block holds, unless one field
// asks for more.
const arenaBlockLen = 16 << 10

// arenaBlocks hands out runs of zeroed Ts from blocks it keeps.
type arenaBlocks[T any] struct {
	blocks [][]T
	at     int // the block being handed out
	used   int // how much of it is handed out
}

func (b *arenaBlocks[T]) take(n int) []T {
	for b.at < len(b.blocks) && len(b.blocks[b.at])-b.used < n {
		b.at, b.used = b.at+1, 0
	}
	if b.at == len(b.blocks) {
		b.blocks = append(b.blocks, make([]T, max(n, arenaBlockLen)))
	}
	s := b.blocks[b.at][b.used : b.used+n : b.used+n]
	b.used += n
	return s
}

// reset zeroes what was handed out, so that the blocks hold no pointer
// into the documents analysed before, and hands out from the first block
// again.
func (b *arenaBlocks[T]) reset() {
	for i := 0; i <= b.at && i < len(b.blocks); i++ {
		if i < b.at {
			clear(b.blocks[i])
		} else {
			clear(b.blocks[i][:b.used])
		}
	}
	b.at, b.used = 0, 0
}
