package search

import (
	"context"
	"errors"
	"fmt"
	"html"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
)

// Request is a search: query text plus filters. Filters combine: several
// values of one filter match any of them (type=agency,law), different
// filters must all match.
type Request struct {
	Q          string
	Types      []string
	Countries  []string
	Vendors    []string
	Statuses   []string
	Tags       []string
	Restricted bool // only agencies flying restricted hardware, vendors restricted today
	// Since and Until keep the entries dated within them, both days
	// included: a date given as a month or a year runs from its first day
	// (Since) or to its last (Until); an entry's own date counts as its
	// first day, as sort=date orders it. Agencies and vendors have no date,
	// so either leaves them out. The zero Date is no bound.
	Since, Until kb.Date
	Sort         string // "relevance" (default), "date" (newest first), "-date" (oldest first), "title"
	From, Size   int
}

// Response is a page of hits with facet counts: the /api/search JSON.
type Response struct {
	Total  uint64             `json:"total"`
	TookMS float64            `json:"took_ms"`
	From   int                `json:"from"`
	Size   int                `json:"size"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets"`
	// FacetsLeftOut says, of each facet whose list stops at its most
	// counted values (FacetSizes), how many values it leaves out and the
	// hits counted under them (a hit with two of them counts twice); a
	// facet that lists every value is not in it.
	FacetsLeftOut map[string]FacetRest `json:"facets_left_out,omitempty"`
	// Build names the build whose index answered (dronekb serve sets it;
	// none under --watch, whose index changes in place): a page of more
	// hits from another build does not continue the same list.
	Build string `json:"build,omitempty"`
	// Notes say which filter values no entry has, with the value meant
	// where one is near ("no entry in the index has the tag \"polise\";
	// did you mean \"police\"?"); and, to a query that is a vendor's
	// name with no vendor filter, the filter (VendorNote). None when
	// there is nothing to say.
	Notes []string `json:"notes,omitempty"`
}

// Hit is one matching entry.
type Hit struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
	// TitleLang is the title's language when it is not English ("fr"),
	// for a page to mark it: lang="fr".
	TitleLang string `json:"title_lang,omitempty"`
	// Lang is the language the entry says its text, and so the snippet,
	// is written in, when it is not English ("fr"), for a page to mark
	// the snippet (Doc.TextLang).
	Lang    string `json:"lang,omitempty"`
	URL     string `json:"url"`
	Snippet string `json:"snippet"` // HTML: escaped text with <mark> around matches
	// SnippetText is the snippet as plain text, for a client that shows
	// no HTML (a notebook, a spreadsheet): no marks, no entities.
	SnippetText string  `json:"snippet_text"`
	Score       float64 `json:"score"`
	Country     string  `json:"country,omitempty"`
	Status      string  `json:"status,omitempty"`
	Date        string  `json:"date,omitempty"`
}

// Facet is how many hits have one value of a field.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// FacetRest is what a facet's list leaves out: how many more values the
// hits have, and the hits counted under them.
type FacetRest struct {
	Values int `json:"values"`
	Count  int `json:"count"`
}

// Facet fields and how many values each reports.
var facetFields = []struct {
	name, field string
	size        int
}{{"type", fType, 4}, {"country", fCountry, 60}, {"vendor", fVendor, 60}, {"status", fStatus, 12}}

// FacetSizes says how many values each facet lists at most, most counted
// first: type 4, country 60, vendor 60, status 12.
func FacetSizes() map[string]int {
	out := map[string]int{}
	for _, f := range facetFields {
		out[f.name] = f.size
	}
	return out
}

var (
	knownTypes    = []string{"agency", "vendor", "law", "incident"}
	knownStatuses = append(trackerStatuses(), "in-force", "law-enacted", "law-proposed", "law-expired", "law-repealed", "law-failed")
	knownSorts    = []string{"relevance", "date", "-date", "title"}
)

// ParseParams reads a Request from URL query parameters: q, type, country,
// vendor, status, tag, restricted, sort, from, size. Comma-separated or
// repeated values mean "any of". Bad values are a QueryError.
func ParseParams(v url.Values) (Request, error) {
	var r Request
	for key := range v {
		switch key {
		case "q", "type", "country", "vendor", "status", "tag", "restricted", "since", "until", "sort", "from", "size":
		default:
			return r, queryErrorf("unknown parameter %q; use q, type, country, vendor, status, tag, restricted, since, until, sort, from and size", truncate(key, 40))
		}
	}
	// A parameter that takes one value is given once: which of two a
	// search took is not for the client to guess.
	for _, key := range []string{"q", "restricted", "since", "until", "sort", "from", "size"} {
		if len(v[key]) > 1 {
			return r, queryErrorf("give %s once", key)
		}
	}
	r.Q = v.Get("q")
	list := func(key string) []string {
		var out []string
		for _, val := range v[key] {
			for _, part := range strings.Split(val, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		}
		return out
	}
	r.Types, r.Countries, r.Vendors, r.Statuses, r.Tags = list("type"), list("country"), list("vendor"), list("status"), list("tag")
	if s := v.Get("restricted"); s != "" {
		b, ok := ParseBool(s)
		if !ok {
			return r, paramErrorf("restricted", "restricted must be true or false, not %q", truncate(s, 20))
		}
		r.Restricted = b
	}
	var err error
	if r.Since, err = ParseDateParam("since", v.Get("since")); err != nil {
		return r, err
	}
	if r.Until, err = ParseDateParam("until", v.Get("until")); err != nil {
		return r, err
	}
	r.Sort = v.Get("sort")
	// A number too large for an int is out of range, said as a number in
	// range is: it was "must be a whole number" (found in review).
	if r.Size, err = intParam(v, "size", DefaultSize); errors.Is(err, strconv.ErrRange) {
		return r, paramErrorf("size", "size must be between 1 and %d, not %s", MaxSize, truncate(v.Get("size"), 30))
	} else if err != nil {
		return r, err
	}
	if r.From, err = intParam(v, "from", 0); errors.Is(err, strconv.ErrRange) {
		if r.Size < 1 || r.Size > MaxSize {
			return r, paramErrorf("from", "from must be between 0 and %d, not %s", MaxFrom-1, truncate(v.Get("from"), 30))
		}
		return r, paramErrorf("from", "from must be between 0 and %d with size %d (from+size at most %d), not %s; narrow the search instead of paging deeper",
			MaxFrom-r.Size, r.Size, MaxFrom, truncate(v.Get("from"), 30))
	} else if err != nil {
		return r, err
	}
	if r.Size == 0 {
		// Validate reads a zero Size as "the default"; a size=0 that was
		// asked for is a mistake.
		return r, paramErrorf("size", "size must be between 1 and %d, not 0", MaxSize)
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	// The query text too, so that a query that can never run is a 400
	// even where there is no index to run it on.
	if _, err := ParseQuery(r.Q); err != nil {
		return r, err
	}
	return r, nil
}

// ParseDateParam reads the date parameter name (since or until), written
// YYYY, YYYY-MM or YYYY-MM-DD, spaces around it aside; "" is no date. A
// value that is none is a QueryError naming the parameter, which
// dronekb search says of its flag (--since).
func ParseDateParam(name, s string) (kb.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return kb.Date{}, nil
	}
	d, err := kb.ParseDate(s)
	if err != nil {
		return kb.Date{}, paramErrorf(name, "%s must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not %q", name, truncate(s, 20))
	}
	return d, nil
}

// CountryMeant returns the code of the country that the first of values
// not written as two letters names, by its name or alpha-3 code ("France",
// "FRA": "FR"), or "": what a country filter refused was most likely
// meant as. dronekb search and serve say it; the static search, which
// has no table of names, cannot.
func CountryMeant(values []string) string {
	for _, c := range values {
		if c = strings.TrimSpace(c); c == "" || (len(c) == 2 && strings.Trim(strings.ToUpper(c), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "") {
			continue
		}
		code, _ := iso3166.CountryCode(c)
		return code
	}
	return ""
}

// ParseBool reads a yes or no as URLs write them, in any case: true,
// t, 1, yes, on (a check box's value when it has none of its own), and
// false, f, 0, no, off.
func ParseBool(s string) (b, ok bool) {
	switch asciiLower(s) {
	case "true", "t", "1", "yes", "on":
		return true, true
	case "false", "f", "0", "no", "off":
		return false, true
	}
	return false, false
}

// asciiLower lowers A-Z only, as search.js does: a filter's value is
// compared with names in ASCII, and strings.ToLower would map the
// Kelvin sign to k, which the page's script does not.
func asciiLower(s string) string {
	return strings.Map(func(c rune) rune {
		if c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}, s)
}

func intParam(v url.Values, key string, def int) (int, error) {
	s := v.Get(key)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if errors.Is(err, strconv.ErrRange) {
		return 0, err // a whole number, too large for an int: the caller says its bounds
	}
	if err != nil {
		return 0, paramErrorf(key, "%s must be a whole number, not %q", key, truncate(s, 20))
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func oneOf(s string, allowed []string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}

// Validate normalises the filters and checks every bound, as Search does:
// a value it refuses is a *QueryError that names its parameter (Param).
func (r *Request) Validate() error {
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Size < 1 || r.Size > MaxSize {
		return paramErrorf("size", "size must be between 1 and %d, not %d", MaxSize, r.Size)
	}
	// Compared without adding: from+size overflows for a from near the
	// largest int, and passed this bound.
	if r.From < 0 || r.From > MaxFrom-r.Size {
		return paramErrorf("from", "from must be between 0 and %d with size %d (from+size at most %d), not %d; narrow the search instead of paging deeper", MaxFrom-r.Size, r.Size, MaxFrom, r.From)
	}
	// Names are matched in any case, as type's are: sort=DATE is date,
	// status=IN-FORCE in-force.
	r.Sort = asciiLower(r.Sort)
	if r.Sort == "" {
		r.Sort = "relevance"
	}
	if !oneOf(r.Sort, knownSorts) {
		return paramErrorf("sort", "sort must be one of %s, not %q", strings.Join(knownSorts, ", "), truncate(r.Sort, 20))
	}
	if !r.Since.IsZero() && !r.Until.IsZero() && r.Until.LastDay().Before(r.Since.FirstDay()) {
		return paramErrorf("until", "until (%s) is before since (%s)", r.Until, r.Since)
	}
	total := len(r.Types) + len(r.Countries) + len(r.Vendors) + len(r.Statuses) + len(r.Tags)
	if total > maxFilterValues {
		return queryErrorf("too many filter values (%d); use at most %d", total, maxFilterValues)
	}
	for i, t := range r.Types {
		t = strings.ToLower(strings.TrimSuffix(t, "s"))
		if t == "agencie" {
			t = "agency"
		}
		if !oneOf(t, knownTypes) {
			return paramErrorf("type", "type must be one of %s, not %q", strings.Join(knownTypes, ", "), truncate(r.Types[i], 20))
		}
		r.Types[i] = t
	}
	for i, c := range r.Countries {
		c = strings.ToUpper(c)
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return paramErrorf("country", "country must be a two-letter ISO code such as FR, not %q", truncate(r.Countries[i], 20))
		}
		r.Countries[i] = c
	}
	// Vendors and tags are slugs, which are lower case: DJI is dji.
	for _, p := range []struct {
		name string
		list []string
	}{{"vendor", r.Vendors}, {"tag", r.Tags}} {
		for i, s := range p.list {
			low := asciiLower(s)
			if !kb.ValidSlug(low) {
				return paramErrorf(p.name, "%q is not a slug (letters, digits and -)", truncate(s, 40))
			}
			p.list[i] = low
		}
	}
	for i, s := range r.Statuses {
		s = asciiLower(s)
		r.Statuses[i] = s
		if !oneOf(s, knownStatuses) {
			return paramErrorf("status", "status must be one of %s, not %q", strings.Join(knownStatuses, ", "), truncate(s, 30))
		}
	}
	return nil
}

// filtered reports whether the request has a filter.
func (r *Request) filtered() bool {
	return r.Restricted || !r.Since.IsZero() || !r.Until.IsZero() || len(r.Types)+len(r.Countries)+len(r.Vendors)+len(r.Statuses)+len(r.Tags) > 0
}

// Search runs a request. A request it refuses returns a *QueryError; one
// its context cut off, ErrDeadline.
func (x *Index) Search(ctx context.Context, r Request) (*Response, error) {
	return x.search(ctx, r, x.newPhrase, x.run)
}

// runFunc runs a search's query over the index: bq is the query of the
// request r, and req the same as a bleve request.
type runFunc func(ctx context.Context, bq query.Query, r Request, req *bleve.SearchRequest) (*result, error)

// search answers r, running its query (whose phrases phrase makes) with
// run.
func (x *Index) search(ctx context.Context, r Request, phrase phraseFunc, run runFunc) (*Response, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return nil, ErrClosed
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	bq, req, err := prepare(r, phrase)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res, err := run(ctx, bq, r, req)
	if err != nil {
		return nil, searchError(ctx, err)
	}
	out := x.response(r, res, time.Since(start))
	if out.Notes, err = x.notes(r); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// prepare makes the query of a validated request, and its bleve request.
func prepare(r Request, phrase phraseFunc) (query.Query, *bleve.SearchRequest, error) {
	q, err := ParseQuery(r.Q)
	if err != nil {
		return nil, nil, err
	}
	if q.OnlyCommonWords() && !r.filtered() {
		return nil, nil, &QueryError{Msg: CommonWordsMsg}
	}
	bq := buildQuery(q, r, phrase)
	return bq, searchRequest(q, r, bq), nil
}

// allPage is how many hits All gives at a time.
const allPage = 500

// All answers r with every hit from r.From on, where Search answers a
// page of at most MaxSize hits no deeper than MaxFrom: it calls page with
// one Response after another, in the request's order, each of at most
// allPage hits (its From says where it starts) and with the total and the
// facets, until the hits run out or page returns an error, which All
// returns. With no hit from r.From on, page is called once, with none.
// It holds the hits' order (a few dozen bytes a hit) and one page of hits
// at a time: for dronekb search --all, which reads a local index, never
// for a server, whose answers stay bounded. r.Size is not read; the index
// stays as it was until All returns.
func (x *Index) All(ctx context.Context, r Request, page func(*Response) error) error {
	return x.all(ctx, r, math.MaxInt, page)
}

// Top answers r with the hits a search pages to, the first MaxFrom, as
// All answers with every hit: one collection of them from one view of the
// index, their pages given to page in order. It costs what the deepest
// page Search answers costs (from+size = MaxFrom), once, where paging to
// it costs that ten times and may meet another build half way: for a
// server's download of a search (format=csv). r.From and r.Size are not
// read.
func (x *Index) Top(ctx context.Context, r Request, page func(*Response) error) error {
	r.From = 0
	return x.all(ctx, r, MaxFrom, page)
}

func (x *Index) all(ctx context.Context, r Request, keep int, page func(*Response) error) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return ErrClosed
	}
	if r.From < 0 {
		return paramErrorf("from", "from must be 0 or more, not %d", r.From)
	}
	// Validated as a first page: every bound but the depth holds.
	from := r.From
	r.From, r.Size = 0, MaxSize
	if err := r.Validate(); err != nil {
		return err
	}
	r.From = from
	bq, req, err := prepare(r, x.newPhrase)
	if err != nil {
		return err
	}
	notes, err := x.notes(r)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	start := time.Now()
	var cbErr error
	err = x.runAll(ctx, bq, r, req, keep, func(from int, res *result) error {
		pr := r
		pr.From, pr.Size = from, len(res.hits)
		out := x.response(pr, res, time.Since(start))
		out.Notes = notes
		if cbErr = page(out); cbErr != nil {
			return cbErr
		}
		return nil
	})
	if err != nil && err == cbErr {
		return err
	}
	if err != nil {
		return searchError(ctx, err)
	}
	return nil
}

// searchRequest is the bleve request of a search: the page, the stored
// fields a hit shows, the fields to highlight, the facets and the sort.
// Search runs it in its own way (Index.run), to the same answer.
func searchRequest(q Query, r Request, bq query.Query) *bleve.SearchRequest {
	req := bleve.NewSearchRequestOptions(bq, r.Size, r.From, false)
	req.Fields = []string{fType, fTitle, fTitleLang, fTextLang, fSummary, fCountry, fStatus, fWhen, fPath}
	for _, f := range facetFields {
		req.AddFacet(f.name, bleve.NewFacetRequest(f.field, f.size))
	}
	if !q.Empty() {
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField(fBody)
		req.Highlight.AddField(fSummary)
		// The body's text tells whether a fragment starts where the
		// body does (wordStart).
		req.Fields = append(req.Fields, fBody)
	}
	switch r.Sort {
	case "date":
		req.SortBy([]string{"-" + fDate, "-_score", "_id"})
	case "-date":
		req.SortBy([]string{fDate, "-_score", "_id"})
	case "title":
		req.SortBy([]string{fTitleSort, "_id"})
	default:
		req.SortBy([]string{"-_score", "_id"})
	}
	return req
}

// searchError is what Search returns for an error of the index.
func searchError(ctx context.Context, err error) error {
	if strings.Contains(err.Error(), "TooManyClauses") || strings.Contains(err.Error(), "too many clauses") {
		return queryErrorf("a prefix or fuzzy word matches too many words; type more letters")
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: %w", ErrDeadline, ctx.Err())
	}
	return fmt.Errorf("search: %w", err)
}

// response turns what a search found into its answer.
func (x *Index) response(r Request, res *result, took time.Duration) *Response {
	out := &Response{Total: res.total, TookMS: float64(took.Microseconds()) / 1000, From: r.From, Size: r.Size,
		Hits: make([]Hit, 0, len(res.hits)), Facets: map[string][]Facet{}}
	for _, h := range res.hits {
		out.Hits = append(out.Hits, x.hit(h))
	}
	for i, f := range facetFields {
		list := []Facet{}
		for _, t := range res.facets[i] {
			if t.Term == "" {
				continue // entries without the field
			}
			list = append(list, Facet{Value: t.Term, Count: t.Count})
		}
		sort.SliceStable(list, func(i, j int) bool {
			if list[i].Count != list[j].Count {
				return list[i].Count > list[j].Count
			}
			return list[i].Value < list[j].Value
		})
		out.Facets[f.name] = list
		if rest := res.rest[i]; rest.Values > 0 {
			if out.FacetsLeftOut == nil {
				out.FacetsLeftOut = map[string]FacetRest{}
			}
			out.FacetsLeftOut[f.name] = rest
		}
	}
	return out
}

func str(fields map[string]any, key string) string {
	s, _ := fields[key].(string)
	return s
}

func (x *Index) hit(h *bsearch.DocumentMatch) Hit {
	score := h.Score
	if math.IsNaN(score) || math.IsInf(score, 0) {
		score = 0
	}
	out := Hit{ID: h.ID, Type: str(h.Fields, fType), Title: str(h.Fields, fTitle), TitleLang: str(h.Fields, fTitleLang), URL: x.Meta().BasePath + str(h.Fields, fPath),
		Score: score, Country: str(h.Fields, fCountry), Status: str(h.Fields, fStatus)}
	out.Date = str(h.Fields, fWhen)
	out.Lang = str(h.Fields, fTextLang)
	// The highlighter returns a field's opening words even where nothing
	// matched; show a fragment only from a field the query matched in.
	for _, f := range []string{fBody, fSummary} {
		if frags := h.Fragments[f]; len(frags) > 0 && len(h.Locations[f]) > 0 {
			// wordStart compares the fragment's first 16 bytes with
			// the field's start, escaped as the fragment is: escaping is
			// byte by byte, so the field's first 64 bytes escaped are
			// the start of the whole field escaped.
			text := str(h.Fields, f)
			out.Snippet = wordStart(frags[0], html.EscapeString(text[:min(len(text), 64)]))
			break
		}
	}
	if out.Snippet == "" {
		out.Snippet = html.EscapeString(cut(str(h.Fields, fSummary), 220))
	}
	out.SnippetText = html.UnescapeString(unmark.Replace(out.Snippet))
	return out
}

// unmark takes the highlighter's marks out of a fragment.
var unmark = strings.NewReplacer("<mark>", "", "</mark>", "")

// wordStart makes a highlighted fragment start at a word: the
// highlighter cuts a field where it likes, so a fragment that does not
// begin where the field (escaped as the fragment is) begins may open in
// the middle of a word ("ones flew over…"); that partial word is dropped
// for "…". A fragment whose first space comes after a mark, or far in, is
// left as it is.
func wordStart(frag, field string) string {
	bare := strings.TrimPrefix(frag, "…")
	plain := unmark.Replace(bare)
	if field == "" || strings.HasPrefix(field, plain[:min(len(plain), 16)]) {
		return frag
	}
	sp := strings.IndexByte(bare, ' ')
	mark := strings.Index(bare, "<mark>")
	if sp <= 0 || sp > 30 || (mark >= 0 && mark < sp) {
		return frag
	}
	return "…" + bare[sp+1:]
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := strings.LastIndexByte(s[:n], ' ')
	if i < n/2 {
		i = n
	}
	for i > 0 && (s[i]&0xC0) == 0x80 {
		i--
	}
	return s[:i] + "…"
}

// buildQuery turns the words into scoring clauses and the filters into a
// non-scoring filter, so filters never change the order of hits. A query of
// only common words matches as an empty one.
func buildQuery(q Query, r Request, phrase phraseFunc) query.Query {
	var must, should, mustNot, filters []query.Query
	for _, c := range q.Clauses {
		cq := clauseQuery(c, phrase)
		switch {
		case c.Exclude:
			mustNot = append(mustNot, cq)
		case c.Optional:
			should = append(should, cq)
		default:
			must = append(must, cq)
		}
	}
	if len(must) == 0 && len(should) > 0 {
		// Only words French counts as common ("la", "un"): one must match.
		must, should = []query.Query{bleve.NewDisjunctionQuery(should...)}, nil
	}
	// An entry named by the words, or whose title has them in order,
	// ranks higher.
	for _, k := range q.Names {
		tq := bleve.NewTermQuery(k)
		tq.SetField(fNames)
		tq.SetBoost(nameBoost)
		should = append(should, tq)
	}
	for _, t := range q.Title {
		should = append(should, phrase(t, fTitle, titleBoost))
	}
	anyOf := func(field string, values []string) {
		if len(values) == 0 {
			return
		}
		var qs []query.Query
		for _, v := range values {
			tq := bleve.NewTermQuery(v)
			tq.SetField(field)
			qs = append(qs, tq)
		}
		filters = append(filters, bleve.NewDisjunctionQuery(qs...))
	}
	anyOf(fType, r.Types)
	anyOf(fCountry, r.Countries)
	anyOf(fVendor, r.Vendors)
	anyOf(fStatus, r.Statuses)
	anyOf(fTags, r.Tags)
	if r.Restricted {
		bq := bleve.NewBoolFieldQuery(true)
		bq.SetField(fRestricted)
		filters = append(filters, bq)
	}
	if !r.Since.IsZero() || !r.Until.IsZero() {
		filters = append(filters, dateRange(r.Since, r.Until))
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(should) > 0 {
		b.AddShould(should...)
	}
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	switch len(filters) {
	case 0:
	case 1:
		b.AddFilter(filters[0])
	default:
		b.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return b
}

// clauseQuery matches one clause in any text field, boosted by field. A
// clause whose French analysis differs from its English one matches its
// English terms in English entries and its French terms in French ones.
func clauseQuery(c Clause, phrase phraseFunc) query.Query {
	var qs []query.Query
	switch c.Kind {
	case AnyOf:
		for _, a := range c.Any {
			qs = append(qs, clauseQuery(a, phrase))
		}
		return bleve.NewDisjunctionQuery(qs...)
	case Prefix:
		// The terms are alternatives: any of them, in any field. An exact
		// term is a regular expression of itself, which bleve expands and
		// scores as it does a prefix: to the one term.
		for _, t := range c.Terms {
			for _, f := range textFields {
				pq := bleve.NewPrefixQuery(t)
				pq.SetField(f.name)
				pq.SetBoost(f.boost)
				qs = append(qs, pq)
			}
		}
		for _, t := range c.Exact {
			for _, f := range textFields {
				rq := bleve.NewRegexpQuery(regexp.QuoteMeta(t))
				rq.SetField(f.name)
				rq.SetBoost(f.boost)
				qs = append(qs, rq)
			}
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	if c.French == nil {
		return termsQuery(c.Kind, c.Terms, 1, phrase)
	}
	// Each entry matches one side of this disjunction, whose coordination
	// factor then halves its score: the boost of 2 makes up for it, so a
	// word scores alike whether or not its analyses differ.
	french := bleve.NewTermQuery(LangFrench)
	french.SetField(fLang)
	en := bleve.NewBooleanQuery()
	en.AddMust(termsQuery(c.Kind, c.Terms, 2, phrase))
	en.AddMustNot(french)
	fr := bleve.NewBooleanQuery()
	fr.AddMust(termsQuery(c.Kind, c.French, 2, phrase))
	fr.AddFilter(french)
	return bleve.NewDisjunctionQuery(en, fr)
}

// termsQuery matches one analysis of a word or phrase in any text field:
// a term (fuzzy for Fuzzy), or a phrase of several terms.
func termsQuery(kind ClauseKind, terms []string, boost float64, phrase phraseFunc) query.Query {
	var qs []query.Query
	for _, f := range textFields {
		switch {
		case len(terms) > 1:
			qs = append(qs, phrase(terms, f.name, f.boost*boost))
		case kind == Fuzzy:
			fz := bleve.NewFuzzyQuery(terms[0])
			fz.SetField(f.name)
			fz.SetFuzziness(1)
			fz.SetPrefix(1)
			fz.SetBoost(f.boost * boost)
			qs = append(qs, fz)
		default:
			tq := bleve.NewTermQuery(terms[0])
			tq.SetField(f.name)
			tq.SetBoost(f.boost * boost)
			qs = append(qs, tq)
		}
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// phraseFunc makes the query of a phrase: terms in order in field.
type phraseFunc func(terms []string, field string, boost float64) query.Query

// newPhrase matches a phrase as bleve's PhraseQuery does, faster
// (phraseQuery), keeping its frequent words' positions in x's cache.
func (x *Index) newPhrase(terms []string, field string, boost float64) query.Query {
	return &phraseQuery{terms: terms, field: field, boost: boost, cache: &x.cols}
}

// trackerStatuses lists the tracker's statuses, most serious first: an
// agency document's status.
// lawStatusLabels name the statuses a law's document has, as the search
// page shows them (search.js's LABELS).
var lawStatusLabels = map[string]string{
	"in-force": "Law in force", "law-enacted": "Enacted, not yet in force", "law-proposed": "Proposed",
	"law-expired": "Expired", "law-repealed": "Repealed", "law-failed": "Failed",
}

// StatusLabel names a hit's status for readers: an agency's tracker
// status ("No fleet on record") or a law's ("Law in force"); "" for none.
func StatusLabel(status string) string {
	if l, ok := lawStatusLabels[status]; ok {
		return l
	}
	return kb.Status(status).Label()
}

func trackerStatuses() []string {
	out := make([]string, len(kb.Statuses))
	for i, st := range kb.Statuses {
		out[i] = string(st)
	}
	return out
}

// dateRange is the filter of the entries dated from since's first day to
// until's last, both included; a zero bound is none, and an entry with no
// date is outside any range.
func dateRange(since, until kb.Date) query.Query {
	var start, end time.Time
	yes := true
	// Bounds past the dates bleve can hold (1677 to 2262) are held to
	// them: no entry is dated outside them. A range that starts after
	// them or ends before them holds no entry: bleve refuses such a
	// bound, which made since=3000 or until=1000 a 500 (found in the
	// security audit).
	if !since.IsZero() {
		start = since.FirstDay().Time()
		if start.After(query.MaxRFC3339CompatibleTime) {
			return bleve.NewMatchNoneQuery()
		}
		if start.Before(query.MinRFC3339CompatibleTime) {
			start = query.MinRFC3339CompatibleTime
		}
	}
	if !until.IsZero() {
		end = until.LastDay().Time()
		if end.Before(query.MinRFC3339CompatibleTime) {
			return bleve.NewMatchNoneQuery()
		}
		if end.After(query.MaxRFC3339CompatibleTime) {
			end = query.MaxRFC3339CompatibleTime
		}
	}
	dq := bleve.NewDateRangeInclusiveQuery(start, end, &yes, &yes)
	dq.SetField(fDate)
	return dq
}
