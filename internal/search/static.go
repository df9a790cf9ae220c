package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
)

// The static index: search without a server.
//
// WriteStatic writes, under public/search/, an index that search.js reads
// on a plain static host, in the manner of Pagefind: a query fetches the
// manifest, the shards holding its terms, the facet data and the display
// data of the hits it shows, and nothing else. It is built from the same
// Docs and the same analysis (AnalyzeIn, in each document's language) as
// the bleve index, so the same query finds the same entries either way.
//
// Every file is gzip-compressed (search.js inflates it with the browser's
// DecompressionStream; a host that decompresses on the way is fine too).
// Integers are unsigned LEB128 varints. Documents are numbered in the order
// of their IDs, so ties broken by number are broken by ID, as bleve does.
//
//	manifest.bin   JSON (StaticManifest): the version, the analysis data
//	               (word-break classes and scanner DFA, lower-case and
//	               folding tables, elision articles, stop words — see
//	               webanalysis.go), limits, the field names and boosts,
//	               the facet values, the tags, and the first term of every
//	               term shard.
//	t/<n>.bin      term shard n: the terms from its first term up to the
//	               next shard's first, sorted by bytes. Per shard: count,
//	               then per term: shared prefix length with the previous
//	               term, suffix length, suffix bytes; the document frequency
//	               in each of the manifest's fields (title, short, summary,
//	               body, place, cites, fleet), in order; the offset of its block in
//	               p/<n>.bin; the number of postings and their length in
//	               bytes; and per posting (doc-delta<<F | field mask, where
//	               F is the number of fields and bit f is for field f),
//	               then for each field in the mask one byte of weight:
//	               round(255*sqrt(tf/field length)), at least 1. A term
//	               that starts with "\x01" is the NameKey of a title or
//	               short name, in the short field's place, weighted as if
//	               the names were that field's words.
//	p/<n>.bin      positions for shard n, for phrases: per term, per
//	               posting, per field of the mask that has positions
//	               (all seven; a name key has none):
//	               count, then the positions as
//	               deltas (the first from 0). Positions count stop words,
//	               as bleve's do.
//	facets.bin     per document: one byte type | restricted<<2 |
//	               french<<3 (its text is analysed in French), then
//	               status+1, country+1, the number of vendors and the
//	               vendors as deltas (indexes into the manifest's facet
//	               values; 0 for no status or country).
//	tags.bin       per document: the number of tags and the tags as deltas
//	               (indexes into the manifest's tags); fetched only for a
//	               tag filter.
//	sort.bin       per document: its date as days since 0001-01-01 plus
//	               one (0: none), and its rank in title order (sort=title);
//	               fetched only for sort=date, -date or title.
//	d/<n>.bin      display data of documents n*DocChunk … as a JSON array of
//	               StaticDoc.
//
// And api/search, outside search/, is a small JSON file that tells
// search.js, which asks for it first, that there is no server here.
const (
	staticFormat  = 5
	staticDir     = "search"
	docChunk      = 8     // documents per display file
	shardTarget   = 16384 // bytes of a term shard before compression
	snippetLength = 600   // bytes of body text kept for snippets
)

// apiMarker answers api/search on a static host, where search.js first
// asks for it: there is no server to search, so use the static index.
// (Behind `dronekb serve`, api/search is the search API and this file is
// never served.) It keeps the question from showing as a failed request,
// and names the static index's manifest by its path from the host's root,
// base path and all, for a program that asks it: a path without the base
// path, read against the marker's own address, named no file (found in
// review).
func apiMarker(basePath string) []byte {
	if basePath == "" {
		basePath = "/"
	}
	data, _ := json.Marshal(struct {
		StaticIndex string `json:"static_index"`
		Note        string `json:"note"`
	}{basePath + "search/manifest.bin", "this site is served without dronekb serve; search.js searches the static index"})
	return append(data, '\n')
}

// StaticManifest is manifest.bin.
type StaticManifest struct {
	Format   int       `json:"format"`
	Version  string    `json:"version"` // a hash of every other file; search.js adds it to their URLs
	Mapping  int       `json:"mapping"`
	Docs     int       `json:"docs"`
	DocChunk int       `json:"doc_chunk"`
	Fields   []string  `json:"fields"`
	Boosts   []float64 `json:"boosts"`
	Phrase   []int     `json:"phrase_fields"` // indexes of the fields with positions
	// NameBoost and TitleBoost weigh the bonuses of a query of plain
	// words: an entry named by it, one whose title has its words in order.
	NameBoost  float64       `json:"name_boost"`
	TitleBoost float64       `json:"title_boost"`
	Limits     StaticLimits  `json:"limits"`
	Types      []string      `json:"types"`
	Statuses   []string      `json:"statuses"`
	Sorts      []string      `json:"sorts"`
	Facets     []StaticFacet `json:"facets"`
	Tags       []string      `json:"tags"`   // the tags documents have, sorted
	Shards     []string      `json:"shards"` // first term of each shard
	Analysis   *WebAnalysis  `json:"analysis"`
}

// StaticLimits are the bounds of ParseQuery and Request, for search.js.
type StaticLimits struct {
	Query     int `json:"query"`
	Clauses   int `json:"clauses"`
	Size      int `json:"size"`
	From      int `json:"from"`
	Default   int `json:"default_size"`
	Expansion int `json:"expansion"`
	Prefix    int `json:"prefix"`
	Filters   int `json:"filters"`
}

// StaticFacet is a facet: its name, how many values a search reports, and
// the values documents have, which the facet data refers to by index.
type StaticFacet struct {
	Name   string   `json:"name"`
	Size   int      `json:"size"`
	Values []string `json:"values"`
}

// StaticDoc is what a hit shows.
type StaticDoc struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
	// TitleLang is the title's language when it is not English.
	TitleLang string `json:"title_lang,omitempty"`
	// TextLang is the language the entry says its text is in when it is
	// not English (Doc.TextLang), for the page to mark the snippet; Lang
	// is the language the snippet is analysed in.
	TextLang string `json:"text_lang,omitempty"`
	Path     string `json:"path"` // relative to the site's base path
	Country  string `json:"country,omitempty"`
	Status   string `json:"status,omitempty"`
	Date     string `json:"date,omitempty"`
	Summary  string `json:"summary,omitempty"`
	Text     string `json:"text,omitempty"` // the start of the body, for snippets
	Lang     string `json:"lang,omitempty"` // "fr" for text analysed in French
}

// Field indexes in the static index, in textFields order.
const (
	sfTitle = iota
	sfShort
	sfSummary
	sfBody
	sfPlace
	sfCites
	sfFleet
	numFields
)

// phraseFields are the fields whose words keep their positions, for
// phrases: every text field, as in the bleve index.
var phraseFields = []int{sfTitle, sfShort, sfSummary, sfBody, sfPlace, sfCites, sfFleet}

// noPositions is a name key's list of positions: none.
var noPositions = []byte{0}

// posting is one document's occurrences of a term: the fields it is in,
// its weight in each, and its positions already encoded as the p/ files
// hold them, so that the postings of every document, which the index
// keeps in memory until it is inverted, take little room.
type posting struct {
	doc    int32
	mask   uint8
	weight [numFields]uint8
	pos    []byte
}

// termPosting is a term of a document and its posting there.
type termPosting struct {
	term string
	p    posting
}

// docTerms is one document's analysed text fields, by term.
type docTerms struct {
	terms []termPosting
}

// WriteStatic writes the browser's search index under publicDir/search/,
// and the api/search marker. Each file is written as soon as it is made,
// so that memory never holds the whole index.
func WriteStatic(ctx context.Context, publicDir string, ids []string, docs []Doc, opts BuildOptions) error {
	var mu sync.Mutex
	dirs := map[string]bool{}
	write := func(name string, data []byte) error {
		full := filepath.Join(publicDir, filepath.FromSlash(name))
		dir := filepath.Dir(full)
		mu.Lock()
		made := dirs[dir]
		mu.Unlock()
		if !made {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			mu.Lock()
			dirs[dir] = true
			mu.Unlock()
		}
		return os.WriteFile(full, data, 0o644)
	}
	if err := makeStatic(ctx, ids, docs, write); err != nil {
		return err
	}
	return write("api/search", apiMarker(opts.BasePath))
}

// StaticFiles returns the files WriteStatic writes, by their slash path
// below the site root ("search/manifest.bin"), compressed as written, for
// a site whose links start with basePath.
func StaticFiles(ctx context.Context, ids []string, docs []Doc, basePath string) (map[string][]byte, error) {
	var mu sync.Mutex
	files := map[string][]byte{}
	err := makeStatic(ctx, ids, docs, func(name string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		files[name] = data
		return nil
	})
	if err != nil {
		return nil, err
	}
	files["api/search"] = apiMarker(basePath)
	return files, nil
}

// makeStatic makes the static index's files and gives each, compressed,
// to keep with its slash path below the site root, from several
// goroutines at once. A file is compressed and kept as soon as it is
// made, and a term's postings are let go once they are in their shard.
func makeStatic(ctx context.Context, ids []string, docs []Doc, keep func(name string, data []byte) error) error {
	if len(ids) != len(docs) {
		return fmt.Errorf("search: %d ids for %d documents", len(ids), len(docs))
	}
	order := make([]int, len(docs)) // document number → index in docs
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ids[order[a]] < ids[order[b]] })
	for i := 1; i < len(order); i++ {
		if ids[order[i]] == ids[order[i-1]] {
			return fmt.Errorf("search: two documents with the ID %s", ids[order[i]])
		}
	}
	// The facet data first: it checks every document's type and status,
	// so that bad input fails before any file is kept.
	facets := facetValues(docs)
	fb, err := facetData(ids, docs, order, facets)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	files := newStaticOut(ctx, cancel, workers, keep)
	defer files.stop()
	put := files.put

	// Analyse the documents' text fields in parallel, a chunk at a time,
	// and invert each chunk at once into every term's postings, encoded as
	// the index files hold them: memory holds the encoded postings and
	// one chunk of analysed documents, not every document's terms.
	postings := map[string]*termPostings{}
	analysed := make([]docTerms, min(len(order), analyseChunk))
	for start := 0; start < len(order); start += analyseChunk {
		end := min(start+analyseChunk, len(order))
		var wg sync.WaitGroup
		var next atomic.Int64
		next.Store(int64(start))
		var failed error
		var once sync.Once
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := termAnalyzers.Get().(map[string]*termAnalyzer)
				defer termAnalyzers.Put(a)
				for {
					n := int(next.Add(1) - 1)
					if n >= end || ctx.Err() != nil {
						return
					}
					d := &docs[order[n]]
					var err error
					if analysed[n-start], err = analyseDoc(int32(n), d, a[docLanguage(d.Lang)]); err != nil {
						once.Do(func() { failed = fmt.Errorf("search: indexing %s: %w", ids[order[n]], err) })
						cancel()
						return
					}
				}
			}()
		}
		wg.Wait()
		if failed != nil {
			return files.failed(failed)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// Documents are inverted in order, so each term's postings are
		// in document order.
		for i := range analysed[:end-start] {
			for _, tp := range analysed[i].terms {
				t := postings[tp.term]
				if t == nil {
					t = &termPostings{}
					postings[tp.term] = t
				}
				t.add(tp.p)
			}
			analysed[i].terms = nil
		}
	}
	analysed = nil
	terms := make([]string, 0, len(postings))
	for t := range postings {
		terms = append(terms, t)
	}
	sort.Strings(terms)

	var firsts []string
	var shard, pos bytes.Buffer
	var count int
	var prev string
	flush := func() {
		if count == 0 {
			return
		}
		n := len(firsts) - 1
		var head []byte
		head = binary.AppendUvarint(head, uint64(count))
		put(fmt.Sprintf("t/%d.bin", n), append(head, shard.Bytes()...))
		put(fmt.Sprintf("p/%d.bin", n), bytes.Clone(pos.Bytes()))
		shard.Reset()
		pos.Reset()
		count = 0
	}
	for _, t := range terms {
		if count == 0 {
			if err := ctx.Err(); err != nil {
				return files.failed(err) // a file failed, or the build was cancelled
			}
			firsts = append(firsts, t)
			prev = ""
		}
		encodeTerm(&shard, &pos, prev, t, postings[t])
		delete(postings, t) // in its shard now
		prev = t
		count++
		if shard.Len() >= shardTarget {
			flush()
		}
	}
	flush()
	postings, terms = nil, nil
	put("facets.bin", fb)

	// Tags, and the keys sort=date and sort=title order by.
	tags := tagValues(docs)
	tagIndex := map[string]int{}
	for i, t := range tags {
		tagIndex[t] = i
	}
	titleRank := make([]int, len(order)) // document number → rank
	byTitle := make([]int, len(order))
	for n := range byTitle {
		byTitle[n] = n
	}
	// Each title's key is made once: made in the comparison, it was made
	// twice for each of the n log n comparisons.
	titleKey := make([]string, len(order))
	for n, i := range order {
		titleKey[n] = titleSortKey(docs[i].Title)
	}
	sort.SliceStable(byTitle, func(a, b int) bool {
		return titleKey[byTitle[a]] < titleKey[byTitle[b]]
	})
	for rank, n := range byTitle {
		titleRank[n] = rank
	}
	var tb, sb []byte
	for n, i := range order {
		d := &docs[i]
		ts := make([]int, 0, len(d.Tags))
		for _, t := range d.Tags {
			ts = append(ts, tagIndex[t])
		}
		tb = appendSet(tb, ts)
		sb = binary.AppendUvarint(sb, dayNumber(d.Date))
		sb = binary.AppendUvarint(sb, uint64(titleRank[n]))
	}
	put("tags.bin", tb)
	put("sort.bin", sb)

	// Display data, in chunks.
	for start := 0; start < len(order); start += docChunk {
		if err := ctx.Err(); err != nil {
			return files.failed(err)
		}
		var chunk []StaticDoc
		for n := start; n < min(start+docChunk, len(order)); n++ {
			d := &docs[order[n]]
			body, err := d.BodyText()
			if err != nil {
				return files.failed(fmt.Errorf("search: indexing %s: %w", ids[order[n]], err))
			}
			sd := StaticDoc{ID: ids[order[n]], Type: d.Type, Title: d.Title, TitleLang: d.TitleLang, TextLang: d.TextLang, Path: d.Path, Country: d.Country,
				Status: d.Status, Date: d.When, Summary: d.Summary, Text: cutText(body, snippetLength)}
			if docLanguage(d.Lang) == LangFrench {
				sd.Lang = LangFrench
			}
			chunk = append(chunk, sd)
		}
		data, err := json.Marshal(chunk)
		if err != nil {
			return err
		}
		put(fmt.Sprintf("d/%d.bin", start/docChunk), data)
	}

	// The manifest last: its version hashes every other file.
	digests, err := files.wait()
	if err != nil {
		return err
	}
	m := StaticManifest{
		Format: staticFormat, Mapping: MappingVersion, Docs: len(docs), DocChunk: docChunk,
		Limits: StaticLimits{Query: MaxQueryLen, Clauses: MaxClauses, Size: MaxSize, From: MaxFrom, Default: DefaultSize,
			Expansion: maxExpansion, Prefix: minPrefix, Filters: maxFilterValues},
		Types: knownTypes, Statuses: knownStatuses, Sorts: knownSorts, Facets: facets, Tags: tags, Shards: firsts, Analysis: analysisData(),
	}
	for _, f := range textFields {
		m.Fields = append(m.Fields, f.name)
		m.Boosts = append(m.Boosts, f.boost)
	}
	m.Phrase = phraseFields
	m.NameBoost, m.TitleBoost = nameBoost, titleBoost
	if m.Shards == nil {
		m.Shards = []string{}
	}
	mj, err := json.Marshal(&m)
	if err != nil {
		return err
	}
	m.Version = staticVersion(digests, mj)
	if mj, err = json.Marshal(&m); err != nil {
		return err
	}
	z, err := gzipBytes(mj)
	if err != nil {
		return err
	}
	if err := keep(staticDir+"/manifest.bin", z); err != nil {
		return err
	}
	return ctx.Err()
}

// facetData is facets.bin: per document in order, its type, flags,
// status, country and vendors as indexes into facets.
func facetData(ids []string, docs []Doc, order []int, facets []StaticFacet) ([]byte, error) {
	index := make([]map[string]int, len(facets))
	for i, f := range facets {
		index[i] = map[string]int{}
		for j, v := range f.Values {
			index[i][v] = j
		}
	}
	var fb []byte
	for _, i := range order {
		d := &docs[i]
		if _, ok := index[0][d.Type]; !ok {
			return nil, fmt.Errorf("search: %s has the unknown type %q", ids[i], d.Type)
		}
		if _, ok := index[3][d.Status]; d.Status != "" && !ok {
			return nil, fmt.Errorf("search: %s has the unknown status %q", ids[i], d.Status)
		}
		b := byte(index[0][d.Type])
		if d.Restricted {
			b |= 1 << 2
		}
		if docLanguage(d.Lang) == LangFrench {
			b |= 1 << 3
		}
		fb = append(fb, b)
		st := 0
		if d.Status != "" {
			st = index[3][d.Status] + 1
		}
		fb = binary.AppendUvarint(fb, uint64(st))
		c := 0
		if d.Country != "" {
			c = index[1][d.Country] + 1
		}
		fb = binary.AppendUvarint(fb, uint64(c))
		vs := make([]int, 0, len(d.Vendor))
		for _, v := range d.Vendor {
			vs = append(vs, index[2][v])
		}
		fb = appendSet(fb, vs)
	}
	return fb, nil
}

// staticVersion is the manifest's version: a hash of every other file's
// name, length and digest, in name order, and of the manifest without its
// version.
func staticVersion(digests map[string]fileDigest, manifest []byte) string {
	names := make([]string, 0, len(digests))
	for name := range digests {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		d := digests[name]
		fmt.Fprintf(h, "%s %d %x\n", name, d.size, d.sum)
	}
	h.Write(manifest)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// fileDigest is a file's length and SHA-256, uncompressed.
type fileDigest struct {
	size int
	sum  [sha256.Size]byte
}

// staticOut compresses the files makeStatic makes on its workers, hands
// each to keep and records its digest. put blocks while every worker is
// busy, so that at most a few files wait in memory.
type staticOut struct {
	jobs    chan staticFile
	wg      sync.WaitGroup
	mu      sync.Mutex
	digests map[string]fileDigest
	err     error
	ctx     context.Context
	closed  bool
}

type staticFile struct {
	name string
	data []byte
}

// A failure cancels ctx with cancel, which stops makeStatic.
func newStaticOut(ctx context.Context, cancel context.CancelFunc, workers int, keep func(name string, data []byte) error) *staticOut {
	o := &staticOut{jobs: make(chan staticFile, workers), digests: map[string]fileDigest{}, ctx: ctx}
	for w := 0; w < workers; w++ {
		o.wg.Add(1)
		go func() {
			defer o.wg.Done()
			for f := range o.jobs {
				if ctx.Err() != nil {
					continue
				}
				d := fileDigest{size: len(f.data), sum: sha256.Sum256(f.data)}
				z, err := gzipBytes(f.data)
				if err == nil {
					err = keep(staticDir+"/"+f.name, z)
				}
				o.mu.Lock()
				if err != nil && o.err == nil {
					o.err = err
					cancel()
				}
				o.digests[f.name] = d
				o.mu.Unlock()
			}
		}()
	}
	return o
}

// put hands a file to the workers, unless one has failed.
func (o *staticOut) put(name string, data []byte) {
	select {
	case o.jobs <- staticFile{name, data}:
	case <-o.ctx.Done():
	}
}

// wait waits for the files put so far and returns their digests, or the
// first error.
func (o *staticOut) wait() (map[string]fileDigest, error) {
	o.stop()
	if o.err != nil {
		return nil, o.err
	}
	return o.digests, o.ctx.Err()
}

// failed returns the error a worker met, if one did (and so cancelled
// the context), else err.
func (o *staticOut) failed(err error) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return o.err
	}
	return err
}

// stop ends the workers once they have done what was put.
func (o *staticOut) stop() {
	if !o.closed {
		o.closed = true
		close(o.jobs)
	}
	o.wg.Wait()
}

// analyseDoc analyses one document's text fields into postings. Its
// working space is a's, reused from one document to the next; only the
// postings it returns are the document's own.
func analyseDoc(n int32, d *Doc, a *termAnalyzer) (docTerms, error) {
	body, err := d.BodyText()
	if err != nil {
		return docTerms{}, err
	}
	w := &a.doc
	clear(w.index)
	w.occ, w.links = w.occ[:0], w.links[:0]
	for f, text := range [numFields]string{d.Title, d.Short, d.Summary, body, d.Place, d.Cites, d.Fleet} {
		if text == "" {
			continue
		}
		toks := a.analyze(text)
		w.touched = w.touched[:0]
		for _, t := range toks {
			i, ok := w.index[t.term]
			if !ok {
				i = int32(len(w.occ))
				w.occ = append(w.occ, occurrences{term: t.term})
				w.index[t.term] = i
			}
			o := &w.occ[i]
			if o.mask&(1<<f) == 0 {
				o.mask |= 1 << f
				o.head[f], o.tail[f] = -1, -1
				w.touched = append(w.touched, i)
			}
			o.count[f]++
			// Positions in order, as a list through links.
			l := int32(len(w.links))
			w.links = append(w.links, posLink{pos: t.pos, next: -1})
			if o.tail[f] < 0 {
				o.head[f] = l
			} else {
				w.links[o.tail[f]].next = l
			}
			o.tail[f] = l
		}
		for _, i := range w.touched {
			o := &w.occ[i]
			o.weight[f] = termWeight(o.count[f], len(toks))
		}
	}
	names := d.names()
	dt := docTerms{terms: make([]termPosting, 0, len(w.occ)+len(names))}
	// The positions of all the document's terms share one buffer: a
	// length and at most a varint a position, per field.
	buf := make([]byte, 0, 4*len(w.links)+2*len(w.occ))
	for i := range w.occ {
		o := &w.occ[i]
		p := posting{doc: n, mask: o.mask, weight: o.weight}
		// Positions per field of the mask that has them, each list its
		// length then deltas (see the format above).
		start := len(buf)
		for _, f := range phraseFields {
			if o.mask&(1<<f) == 0 {
				continue
			}
			buf = binary.AppendUvarint(buf, uint64(o.count[f]))
			lp := int32(0)
			for l := o.head[f]; l >= 0; l = w.links[l].next {
				x := w.links[l].pos
				buf = binary.AppendUvarint(buf, uint64(x-lp))
				lp = x
			}
		}
		if len(buf) > start {
			p.pos = buf[start:len(buf):len(buf)]
		}
		dt.terms = append(dt.terms, termPosting{term: o.term, p: p})
	}
	// The name keys, as terms of their own in the short field's place,
	// with no positions (a count of 0: every posting has a list for each
	// phrase field in its mask).
	for _, k := range names {
		p := posting{doc: n, mask: 1 << sfShort, pos: noPositions}
		p.weight[sfShort] = termWeight(1, len(names))
		dt.terms = append(dt.terms, termPosting{term: NameTermPrefix + k, p: p})
	}
	return dt, nil
}

// docScratch is analyseDoc's working space.
type docScratch struct {
	index   map[string]int32 // term → its occurrences
	occ     []occurrences
	links   []posLink
	touched []int32 // occurrences in the field being analysed
}

// occurrences are a term's in one document: the fields it is in, its
// weight and count in each, and its positions in each as a list.
type occurrences struct {
	term       string
	mask       uint8
	weight     [numFields]uint8
	count      [numFields]int
	head, tail [numFields]int32
}

type posLink struct{ pos, next int32 }

// NameTermPrefix starts the terms of the static index that are name keys
// (NameKey) rather than words.
const NameTermPrefix = "\x01"

// termAnalyzer is a language's analyzer with a memory: bleve's unicode
// tokenizer's segmentation, then the token filters run once per distinct
// word. Each of those filters looks at one token alone, so the result is
// AnalyzeIn's. The memory is bounded as a memoAnalyzer's is: a large
// knowledge base's names and numbers would grow it without end. It is
// not safe for concurrent use.
type termAnalyzer struct {
	filters []analysis.TokenFilter
	memo    map[string]string // word → term; "\x00" for a stop word
	out     []posTerm         // reused from one text to the next
	doc     docScratch        // analyseDoc's, reused from one document to the next
}

type posTerm struct {
	term string
	pos  int32
}

func newTermAnalyzer(lang string) *termAnalyzer {
	da := analyzerFor(lang)
	return &termAnalyzer{filters: da.TokenFilters, memo: map[string]string{}, doc: docScratch{index: map[string]int32{}}}
}

// analyze returns the terms of text with their positions. The slice is
// reused by the next call.
//
// It finds the words bleve's unicode tokenizer makes tokens of, with
// wordScanner (a word's position counts the words before it from 1),
// without making a token of each word: a text's tokens are most of what
// analysing it allocates. The filters never look at a token's type.
func (a *termAnalyzer) analyze(text string) []posTerm {
	out := a.out[:0]
	words := newWordScanner([]byte(text))
	for pos := int32(1); words.next(); pos++ {
		word := words.word()
		term, ok := a.memo[string(word)]
		if !ok {
			w := string(word)
			ts := analysis.TokenStream{&analysis.Token{Term: []byte(w), Position: 1, Type: analysis.AlphaNumeric}}
			for _, f := range a.filters {
				ts = f.Filter(ts)
			}
			term = "\x00"
			if len(ts) == 1 {
				term = string(ts[0].Term)
			}
			if len(a.memo) < memoWords {
				a.memo[w] = term
			}
		}
		if term != "\x00" {
			out = append(out, posTerm{term, pos})
		}
	}
	a.out = out
	return out
}

// termWeight is a term's weight in a field as one byte: bleve's tf-idf
// term frequency times field norm, sqrt(tf)/sqrt(length), scaled to 255.
func termWeight(tf, length int) uint8 {
	w := math.Round(255 * math.Sqrt(float64(tf)/float64(length)))
	return uint8(min(255, max(1, w)))
}

// analyseChunk is how many documents are analysed before they are inverted.
const analyseChunk = 256

// termAnalyzers are the analyzers of each language, with their memory of the
// words they have seen, reused from chunk to chunk.
var termAnalyzers = sync.Pool{New: func() any {
	return map[string]*termAnalyzer{LangEnglish: newTermAnalyzer(LangEnglish), LangFrench: newTermAnalyzer(LangFrench)}
}}

// termPostings are a term's postings as the index files hold them: in pl,
// per posting its doc-delta<<numFields | field mask and a weight per field
// of the mask; in pb, its positions; with how many documents have the term
// in each field.
type termPostings struct {
	last   int32
	n      int
	df     [numFields]int
	pl, pb []byte
}

// add appends a posting; postings come in document order.
func (t *termPostings) add(p posting) {
	t.pl = binary.AppendUvarint(t.pl, uint64(p.doc-t.last)<<numFields|uint64(p.mask))
	t.last = p.doc
	for f := 0; f < numFields; f++ {
		if p.mask&(1<<f) != 0 {
			t.pl = append(t.pl, p.weight[f])
			t.df[f]++
		}
	}
	t.pb = append(t.pb, p.pos...)
	t.n++
}

// encodeTerm appends a term and its postings to a shard, and its positions
// to the shard's positions file.
func encodeTerm(shard, pos *bytes.Buffer, prev, term string, t *termPostings) {
	shared := 0
	for shared < len(prev) && shared < len(term) && prev[shared] == term[shared] {
		shared++
	}
	var b []byte
	b = binary.AppendUvarint(b, uint64(shared))
	b = binary.AppendUvarint(b, uint64(len(term)-shared))
	b = append(b, term[shared:]...)
	for _, n := range t.df {
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = binary.AppendUvarint(b, uint64(pos.Len()))
	b = binary.AppendUvarint(b, uint64(t.n))
	b = binary.AppendUvarint(b, uint64(len(t.pl)))
	shard.Write(b)
	shard.Write(t.pl)
	pos.Write(t.pb)
}

// facetValues lists, for each facet, the values the documents have: type
// in the order of knownTypes, status in the order of knownStatuses,
// country and vendor sorted.
func facetValues(docs []Doc) []StaticFacet {
	countries, vendors := map[string]bool{}, map[string]bool{}
	for i := range docs {
		if docs[i].Country != "" {
			countries[docs[i].Country] = true
		}
		for _, v := range docs[i].Vendor {
			vendors[v] = true
		}
	}
	sorted := func(m map[string]bool) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	var out []StaticFacet
	for _, f := range facetFields {
		sf := StaticFacet{Name: f.name, Size: f.size}
		switch f.name {
		case "type":
			sf.Values = knownTypes
		case "country":
			sf.Values = sorted(countries)
		case "vendor":
			sf.Values = sorted(vendors)
		case "status":
			sf.Values = knownStatuses
		}
		out = append(out, sf)
	}
	return out
}

// appendSet appends a set of indexes: their number, then the sorted
// indexes as deltas.
func appendSet(b []byte, set []int) []byte {
	sort.Ints(set)
	b = binary.AppendUvarint(b, uint64(len(set)))
	last := 0
	for _, v := range set {
		b = binary.AppendUvarint(b, uint64(v-last))
		last = v
	}
	return b
}

// tagValues lists the tags the documents have, sorted.
func tagValues(docs []Doc) []string {
	seen := map[string]bool{}
	out := []string{}
	for i := range docs {
		for _, t := range docs[i].Tags {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}

// dayNumber is a date for sort.bin: days since 0001-01-01 plus one, or 0
// for none. Dates sort by day, as bleve sorts the dates kb gives (whole
// days, at midnight UTC).
func dayNumber(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	u := t.Unix()
	days := u / 86400
	if u%86400 < 0 {
		days--
	}
	return uint64(max(1, days+719162+1))
}

// cutText returns at most about n bytes of s, cut after a word.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > n/2 {
		i = j
	}
	return s[:i]
}

// gzipPool reuses compressors, which are large.
var gzipPool sync.Pool

func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	z, _ := gzipPool.Get().(*gzip.Writer)
	if z == nil {
		var err error
		if z, err = gzip.NewWriterLevel(&b, gzip.DefaultCompression); err != nil {
			return nil, err
		}
	} else {
		z.Reset(&b)
	}
	defer gzipPool.Put(z)
	if _, err := z.Write(data); err != nil {
		return nil, err
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
