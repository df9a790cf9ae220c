package search

import (
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/segment"
)

// The indexes' analysis finds the words of a text with the scanner the
// browser runs, from the very data the static index's manifest gives it
// (WebAnalysis: the word-break class table read from segment's Ragel
// sources, the DFA compiled from a transliteration of its word grammar,
// the marks and regional indicators), run in Go over bytes. It finds the
// same words at the same byte offsets as segment's generated scanner,
// which bleve's unicode tokenizer runs, and it is table-driven: a byte's
// class is one array read for ASCII, a word is a walk through the DFA. On
// the shipped content it scans 3.6-4.4 times as fast as segment's scanner
// (BenchmarkWords), which was more than half of the time the two indexes
// spent analysing text (both run it on every text field of every
// document). Tests hold the two together on every code point in the
// contexts where its class matters (TestWordsEveryCodePoint, which so
// checks the manifest's data too), on the shipped content and on any text
// (FuzzWords), and through the whole analysis (TestBuildAnalysesAsBleve).

// wordTable is the manifest's scanner data, laid out for speed.
type wordTable struct {
	nsym           int
	ascii          [utf8.RuneSelf]uint8 // symbol of each ASCII character
	lo, hi         []rune               // ranges of non-ASCII code points with a symbol other than 0…
	sym            []uint8              // …and their symbols
	next           []uint16             // the DFA: next[state*nsym+symbol]; state 0 is dead, 1 starts
	accept         []bool               // by state: a word may end here
	mark, regional []bool               // by symbol: Extend or Format; a regional indicator
}

var wordData = sync.OnceValue(func() *wordTable {
	d := analysisData()
	nstates := len(d.Next) / d.Symbols
	if d.Symbols > 256 || nstates > 1<<16 {
		panic("search: the word scanner's tables outgrew their types")
	}
	w := &wordTable{nsym: d.Symbols, next: make([]uint16, len(d.Next)), accept: make([]bool, nstates),
		mark: make([]bool, d.Symbols), regional: make([]bool, d.Symbols)}
	// Classes: (start delta from the previous range's end, length - 1,
	// symbol) for each range.
	end := rune(-1)
	for i := 0; i+2 < len(d.Classes); i += 3 {
		lo := end + 1 + rune(d.Classes[i])
		end = lo + rune(d.Classes[i+1])
		s := uint8(d.Classes[i+2])
		for c := lo; c <= end && c < utf8.RuneSelf; c++ {
			w.ascii[c] = s
		}
		if end >= utf8.RuneSelf {
			w.lo, w.hi, w.sym = append(w.lo, max(lo, utf8.RuneSelf)), append(w.hi, end), append(w.sym, s)
		}
	}
	for i, s := range d.Next {
		w.next[i] = uint16(s)
	}
	for _, s := range d.Accept {
		w.accept[s] = true
	}
	for _, s := range d.Marks {
		w.mark[s] = true
	}
	for _, s := range d.Regional {
		w.regional[s] = true
	}
	return w
})

// symbol returns the symbol of the code point at the start of text and
// its length in bytes. text is valid UTF-8 and not empty.
func (w *wordTable) symbol(text []byte) (sym uint8, size int) {
	if c := text[0]; c < utf8.RuneSelf {
		return w.ascii[c], 1
	}
	return w.wide(text)
}

// wide is symbol for a code point beyond ASCII.
func (w *wordTable) wide(text []byte) (sym uint8, size int) {
	r, size := utf8.DecodeRune(text)
	lo, hi := 0, len(w.hi)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w.hi[m] < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(w.hi) && w.lo[lo] <= r {
		return w.sym[lo], size
	}
	return 0, size
}

// longest returns the length in bytes of the longest word at the start of
// text, or 0.
func (w *wordTable) longest(text []byte) int {
	next, accept, nsym := w.next, w.accept, w.nsym
	state, best := 1, 0
	for i := 0; i < len(text); {
		var sym uint8
		size := 1
		if c := text[i]; c < utf8.RuneSelf {
			sym = w.ascii[c]
		} else {
			sym, size = w.wide(text[i:])
		}
		state = int(next[state*nsym+int(sym)])
		if state == 0 {
			break
		}
		i += size
		if accept[state] {
			best = i
		}
	}
	return best
}

// skip returns the length in bytes of the segment that segment's scanner
// drops at the start of text, where no word starts: a run of regional
// indicators and marks; a run of marks; an ASCII character other than CR,
// LF, VT and FF with the marks after it (the scanner matches "Other" a byte
// at a time, so only a one-byte character takes the marks after it along);
// else one character. (search.js's tokenize does the same.)
func (w *wordTable) skip(text []byte) int {
	sym, n := w.symbol(text)
	var also []bool
	switch {
	case w.regional[sym]:
		for n < len(text) {
			s, size := w.symbol(text[n:])
			if !w.regional[s] && !w.mark[s] {
				break
			}
			n += size
		}
		return n
	case w.mark[sym], text[0] < utf8.RuneSelf && (text[0] < 0x0A || text[0] > 0x0D):
		also = w.mark
	default:
		return n
	}
	for n < len(text) {
		s, size := w.symbol(text[n:])
		if !also[s] {
			break
		}
		n += size
	}
	return n
}

// wordScanner steps through the words of a text: the segments of any type
// but None that bleve's unicode tokenizer makes its tokens of, with their
// byte offsets. Text that is not valid UTF-8 goes through segment's own
// scanner.
type wordScanner struct {
	text       []byte
	at         int
	start, end int
	w          *wordTable
	seg        *segment.Segmenter
}

func newWordScanner(text []byte) wordScanner {
	if !utf8.Valid(text) {
		return wordScanner{text: text, seg: segment.NewWordSegmenterDirect(text)}
	}
	return wordScanner{text: text, w: wordData()}
}

// next moves to the next word and reports whether there is one; the
// word is text[start:end].
func (s *wordScanner) next() bool {
	if s.seg != nil {
		for s.seg.Segment() {
			word := s.seg.Bytes()
			s.start, s.at = s.at, s.at+len(word)
			if s.seg.Type() != segment.None {
				s.end = s.at
				return true
			}
		}
		return false
	}
	for s.at < len(s.text) {
		rest := s.text[s.at:]
		if n := s.w.longest(rest); n > 0 {
			s.start, s.end = s.at, s.at+n
			s.at = s.end
			return true
		}
		s.at += s.w.skip(rest)
	}
	return false
}

// word returns the word the scanner is on.
func (s *wordScanner) word() []byte { return s.text[s.start:s.end] }
