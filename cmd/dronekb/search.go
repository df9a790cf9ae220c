package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
)

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", "[--index DIR] [--content DIR] [--type T] [--country C] [--vendor V] [--status S] [--tag T] [--restricted]\n"+
		"[--since DATE] [--until DATE] "+
		"[--sort relevance|date|-date|title] [--limit N | --all] [--from N] [--format table|csv|json | --json] [QUERY]\n\n"+
		"QUERY: words (any form and any accents: \"protests\" finds \"protest\", \"etat\" finds \"État\"), \"quoted phrases\",\n"+
		"a OR b (or a | b), +required, -excluded, prefix*, typo~1. Put -- before a query that starts with -.\n"+
		"A country's or region's name (France, \"New York\") finds the entries there, below those whose text names it.\n"+
		"Filters work with or without words; several values of one filter mean any of them.", stderr)
	index := fs.String("index", "index", "search index `directory`")
	content := fs.String("content", "content", "content `directory`, used to rebuild a missing or outdated index")
	var types, countries, vendors, statuses, tags listFlag
	fs.Var(&types, "type", "only entries of these `types` (agency, vendor, law, incident)")
	fs.Var(&countries, "country", "only entries in these `countries` (ISO codes, e.g. FR)")
	fs.Var(&vendors, "vendor", "only entries that reference these `vendors` (slugs, e.g. dji)")
	fs.Var(&statuses, "status", "only entries with these tracker `statuses`")
	fs.Var(&tags, "tag", "only entries with these `tags`")
	restricted := fs.Bool("restricted", false, "only agencies flying restricted hardware (and vendors restricted today)")
	since := fs.String("since", "", "only entries dated on or after this `date` (YYYY, YYYY-MM or YYYY-MM-DD: its first day)")
	until := fs.String("until", "", "only entries dated on or before this `date` (its last day)")
	limit := fs.Int("limit", 20, "show at most `N` hits (1-100)")
	from := fs.Int("from", 0, "skip the first `N` hits")
	all := fs.Bool("all", false, "write every hit, not a page: --from and --limit reach the first 1000 only")
	sortBy := fs.String("sort", "relevance", "`order`: relevance, date (newest first), -date or title")
	jsonOut := fs.Bool("json", false, "print the API's JSON")
	format := fs.String("format", "table", "output `format`: table, csv or json")
	if err := dashedWord(fs, args); err != nil {
		return err
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *jsonOut {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "format" })
		if set && *format != "json" {
			// Which one was meant? Answering in either left the other
			// ignored without a word (found in review).
			return usagef("--json asks for JSON and --format for %s: give one of them", *format)
		}
		*format = "json"
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usagef("--format must be table, csv or json, not %q", *format)
	}
	if *all {
		limitSet := false
		fs.Visit(func(f *flag.Flag) { limitSet = limitSet || f.Name == "limit" })
		if limitSet {
			return usagef("--all writes every hit and --limit %d at most %d: give one of them", *limit, *limit)
		}
		if *from < 0 {
			return usagef("--from must be 0 or more, not %d", *from)
		}
	} else {
		if *limit < 1 || *limit > search.MaxSize {
			return usagef("--limit must be between 1 and %d, not %d", search.MaxSize, *limit)
		}
		if *from < 0 || *from > search.MaxFrom-*limit { // not *from+*limit, which a huge --from overflows
			return usagef("--from must be between 0 and %d with --limit %d (--from plus --limit at most %d), not %d; --all writes every hit", max(search.MaxFrom-*limit, 0), *limit, search.MaxFrom, *from)
		}
	}
	req := search.Request{Q: strings.Join(pos, " "), Types: types, Countries: countries, Vendors: vendors, Statuses: statuses,
		Tags: tags, Restricted: *restricted, Sort: *sortBy, From: *from, Size: *limit}
	var dateErr error
	if req.Since, dateErr = search.ParseDateParam("since", *since); dateErr != nil {
		return flagError(dateErr, nil)
	}
	if req.Until, dateErr = search.ParseDateParam("until", *until); dateErr != nil {
		return flagError(dateErr, nil)
	}
	// The flags' values are checked before the index is opened (or built):
	// a value refused is bad usage, where a query that cannot run is a
	// problem with the query. --all's --from has no bound: the rest is
	// checked as a first page.
	check := req
	if *all {
		check.From = 0
	}
	if err := check.Validate(); err != nil {
		return flagError(err, countries)
	}
	req.Types, req.Countries, req.Vendors, req.Statuses, req.Tags, req.Sort, req.Size =
		check.Types, check.Countries, check.Vendors, check.Statuses, check.Tags, check.Sort, check.Size

	idx, err := search.Open(*index)
	if errors.Is(err, search.ErrStale) {
		why := "is missing or was built by another version"
		if errors.As(err, new(*search.DamagedError)) {
			why = "is damaged"
		}
		fmt.Fprintf(stderr, "the index in %s/ %s; building it from %s/…\n", *index, why, *content)
		if err := requireDir(*content); err != nil {
			return err
		}
		asOf, aerr := asOfDate("")
		if aerr != nil {
			return aerr
		}
		// err, not a new variable: the Open below must replace the
		// ErrStale that brought us here.
		_, err = build.IndexOnly(ctx, build.Config{Content: *content, Index: *index, AsOf: asOf, BaseURL: builtFor(*index)})
		var diags kb.Diagnostics
		if errors.As(err, &diags) {
			fmt.Fprintln(stderr, diags.Error())
			return errProblems
		}
		if err != nil {
			return err
		}
		idx, err = search.Open(*index)
	}
	if err != nil {
		return err
	}
	defer idx.Close()
	noteStaleIndex(stderr, *index, *content, idx.Meta().AsOf)
	var w hitWriter
	switch *format {
	case "json":
		w = &jsonHits{w: stdout}
	case "csv":
		w = &csvHits{w: csv.NewWriter(stdout)}
	default:
		w = &tableHits{w: stdout, meta: idx.Meta(), all: *all, from: req.From}
	}
	if *format != "json" {
		// The JSON is the API's, whose url is the page's path.
		w = citedHits{w, pageAddress(*index)}
	}
	var last *search.Response
	// notes says, once, the filter values no entry has (search.Response's
	// Notes): --country UK, --tag polise and --vendor autel found nothing
	// and said only "No entries match" (found in review).
	notes := func(res *search.Response) {
		if last == nil {
			for _, n := range res.Notes {
				fmt.Fprintf(stderr, "note: %s\n", n)
			}
		}
		last = res
	}
	if *all {
		err = idx.All(ctx, req, func(res *search.Response) error {
			notes(res)
			return w.page(res)
		})
	} else {
		var res *search.Response
		if res, err = idx.Search(ctx, req); err == nil {
			notes(res)
			err = w.page(res)
		}
	}
	var qe *search.QueryError
	if errors.As(err, &qe) {
		fmt.Fprintf(stderr, "dronekb search: %s\n", qe.Msg)
		return errProblems
	}
	if err != nil {
		return err
	}
	if err := w.end(last); err != nil {
		return err
	}
	if *format != "table" && !*all && (last.From > 0 || uint64(len(last.Hits)) < last.Total) {
		// A file of the first page looked like the whole answer: exit 0,
		// nothing said (found in review: 20 of 9,669 hits).
		fmt.Fprintln(stderr, cutNote(last))
	}
	return nil
}

// cutNote says on stderr which of the hits a page of CSV or JSON holds,
// and how to write them all: "20 of 9669 hits", "hits 41–60 of 9669".
func cutNote(res *search.Response) string {
	var which string
	switch {
	case res.From == 0:
		which = fmt.Sprintf("%d of %d hits", len(res.Hits), res.Total)
	case len(res.Hits) == 0:
		which = fmt.Sprintf("none of %d hits from hit %d on", res.Total, res.From+1)
	case len(res.Hits) == 1:
		which = fmt.Sprintf("hit %d of %d", res.From+1, res.Total)
	default:
		which = fmt.Sprintf("hits %d–%d of %d", res.From+1, res.From+len(res.Hits), res.Total)
	}
	return "note: " + which + "; --all writes every one"
}

// hitWriter writes the answer of a search a page of hits at a time:
// page for each page, in order, then end with the last.
type hitWriter interface {
	page(res *search.Response) error
	end(last *search.Response) error
}

// csvHits writes the hits as CSV, a row each, under one header.
type csvHits struct {
	w      *csv.Writer
	header bool
}

func (c *csvHits) page(res *search.Response) error {
	if !c.header {
		c.header = true
		_ = c.w.Write(search.CSVHeader)
	}
	for i := range res.Hits {
		_ = c.w.Write(res.Hits[i].CSVRecord())
	}
	c.w.Flush()
	return c.w.Error()
}

func (c *csvHits) end(*search.Response) error { return nil }

// jsonHits writes the API's JSON. A page is one answer; every hit (--all)
// is one answer too, whose hits are written as their pages come, and
// whose from and size say which hits it holds.
type jsonHits struct {
	w     io.Writer
	pages int
	first *search.Response // the first page, written at once when it is the only one
	tail  string           // what follows the hits
	n     int
}

func (j *jsonHits) page(res *search.Response) error {
	j.pages++
	if j.pages == 1 {
		j.first = res
		return nil
	}
	if j.pages == 2 {
		if err := j.open(j.first); err != nil {
			return err
		}
		if err := j.hits(j.first.Hits); err != nil {
			return err
		}
	}
	return j.hits(res.Hits)
}

// open writes the answer up to its list of hits, and keeps the rest.
func (j *jsonHits) open(res *search.Response) error {
	head := *res
	head.Hits, head.Size = []search.Hit{}, int(res.Total)-res.From
	data, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	before, after, ok := strings.Cut(string(data), `"hits": []`)
	if !ok {
		return errors.New("search: no list of hits in the JSON answer")
	}
	j.tail = after
	_, err = io.WriteString(j.w, before+`"hits": [`)
	return err
}

func (j *jsonHits) hits(hits []search.Hit) error {
	var b strings.Builder
	for _, h := range hits {
		data, err := json.MarshalIndent(h, "    ", "  ")
		if err != nil {
			return err
		}
		if j.n > 0 {
			b.WriteByte(',')
		}
		j.n++
		b.WriteString("\n    ")
		b.Write(data)
	}
	_, err := io.WriteString(j.w, b.String())
	return err
}

func (j *jsonHits) end(*search.Response) error {
	if j.pages <= 1 {
		enc := json.NewEncoder(j.w)
		enc.SetIndent("", "  ")
		return enc.Encode(j.first)
	}
	_, err := io.WriteString(j.w, "\n  ]"+j.tail+"\n")
	return err
}

// builtFor returns the address the index in dir was built for, as
// --base-url takes it, so that an index rebuilt in its place keeps its
// hits' pages where the site has them: rebuilt for "/", an index of a
// site under /kb/ pointed its hits outside it (found in review). "" when
// no manifest says a valid one.
func builtFor(dir string) string {
	m, err := build.ReadManifest(dir)
	if err != nil {
		return ""
	}
	base := m.BaseURL
	if base == "" {
		base = m.BasePath
	}
	if _, _, err := site.ParseBaseURL(base); err != nil {
		return ""
	}
	return base
}

// citedHits gives each hit's url as address makes it before w writes it:
// the page's absolute URL when the site was built for one.
type citedHits struct {
	hitWriter
	address func(path string) string
}

func (c citedHits) page(res *search.Response) error {
	for i := range res.Hits {
		res.Hits[i].URL = c.address(res.Hits[i].URL)
	}
	return c.hitWriter.page(res)
}

// pageAddress returns what makes a hit's url (a path on the site, base
// path included) the address a reader cites: the page's absolute URL when
// the index's manifest says the site was built for an absolute
// --base-url, as the site's downloads give it; the path otherwise. A
// researcher's CSV gave /agencies/nypd/ where the site's own gave
// https://…/agencies/nypd/ (found in review).
func pageAddress(index string) func(string) string {
	return site.PageAddress(builtFor(index))
}

// tableHits writes the readable table, then the count and the facets.
// The table is measured whole before it is written, so that its columns
// line up from the first row to the last, --all's pages included. At
// 100,000 hits that took 228 MiB at the peak where CSV, written as it
// comes, took 182 MiB; a reader who wants the rows as they come has
// --format csv or json.
type tableHits struct {
	w    io.Writer
	tw   *tabwriter.Writer
	meta search.Meta
	all  bool
	from int // the first hit's place, from 0
	rows int
}

func (t *tableHits) page(res *search.Response) error {
	if len(res.Hits) == 0 {
		return nil
	}
	if t.tw == nil {
		t.tw = tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(t.tw, "TYPE\tTITLE\tCOUNTRY\tSTATUS / DATE\tPAGE")
	}
	t.rows += len(res.Hits)
	writeSearchRows(t.tw, res.Hits)
	return nil
}

func (t *tableHits) end(last *search.Response) error {
	if t.tw != nil {
		if err := t.tw.Flush(); err != nil {
			return err
		}
	}
	if t.rows == 0 {
		fmt.Fprintln(t.w, "No entries match.")
	}
	if t.all {
		// The footer speaks of the table, not of its last page.
		whole := *last
		whole.From, whole.Hits = t.from, nil
		writeSearchFooter(t.w, &whole, t.meta, t.rows)
		return nil
	}
	writeSearchFooter(t.w, last, t.meta, -1)
	return nil
}

// flagError says a value that search.Request.Validate refused as bad
// usage, naming the flag that gave it: "sort must be one of …" is
// "--sort must be one of …", and "\"a b\" is not a slug" is
// "--vendor: \"a b\" is not a slug".
//
// A country given by its name or alpha-3 code is told its code, as check
// tells a contributor ("France": did you mean "FR"?); countries are the
// --country values as given. serve's API says the same
// (server.withCountryCode); the static search, which has no table of
// names, does not.
func flagError(err error, countries []string) error {
	var qe *search.QueryError
	if !errors.As(err, &qe) {
		return err
	}
	if qe.Param == "country" {
		if code := search.CountryMeant(countries); code != "" {
			return usagef("--%s; did you mean %q?", qe.Msg, code)
		}
	}
	if qe.Param == "" {
		return usagef("%s", qe.Msg) // too many values, of several flags
	}
	name := qe.Param
	if name == "size" {
		name = "limit"
	}
	if rest, ok := strings.CutPrefix(qe.Msg, qe.Param+" "); ok {
		// until's message names since too: both are flags here.
		if name == "until" {
			rest = strings.Replace(rest, "before since (", "before --since (", 1)
		}
		return usagef("--%s %s", name, rest)
	}
	return usagef("--%s: %s", name, qe.Msg)
}

// dashedWord refuses, before the flag package does, an argument that
// starts with a single - and names no flag: it is a query word to leave
// out ("-siege"), which the flag package would take for an unknown flag.
func dashedWord(fs *flag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		switch {
		case name == "h" || name == "help":
		case f == nil && a[1] != '-':
			return usagef("%s is not a flag; to search for entries without %q, put -- before the query: dronekb search -- %s",
				a, a[1:], strings.Join(args[i:], " "))
		case f == nil:
			return nil // the flag package says it is not defined
		case !hasValue && !isBoolFlag(f):
			i++ // its value
		}
	}
	return nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// facetLabel is how the table shows a facet value: a country or vendor by
// its name, with the code or slug to filter by in brackets where it
// differs ("France [FR]", "DJI", "Autel Robotics [autel-robotics]").
func facetLabel(meta search.Meta, facet, value string) string {
	name := ""
	switch facet {
	case "country":
		name, _ = iso3166.Country(value)
	case "vendor":
		name = meta.Vendors[value]
	}
	switch {
	case name == "" || name == value:
		return value
	case strings.EqualFold(name, value):
		return name
	}
	return name + " [" + value + "]"
}

// writeSearchRows writes the table's rows of hits.
func writeSearchRows(tw io.Writer, hits []search.Hit) {
	for _, h := range hits {
		detail := h.Status
		if detail == "" || strings.HasPrefix(detail, "law-") || detail == "in-force" {
			if h.Date != "" {
				if detail != "" {
					detail += " "
				}
				detail += h.Date
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", h.Type, tableText(h.Title), h.Country, orDash(detail), h.URL)
	}
}

// writeSearchFooter writes, under the table, how many entries match,
// which of them it showed and how to see the others, and the facets: of
// the page res, or with all (not -1) of every hit from res.From on, all of
// them.
func writeSearchFooter(w io.Writer, res *search.Response, meta search.Meta, all int) {
	shown := ""
	switch end := res.From + len(res.Hits); {
	case all >= 0:
		if res.From > 0 && all > 0 {
			shown = fmt.Sprintf(" (showing %d–%d)", res.From+1, res.From+all)
		}
	case res.Total <= uint64(len(res.Hits)):
	case end >= search.MaxFrom:
		// The last page --from and --limit reach: paging on is refused.
		shown = fmt.Sprintf(" (showing %d–%d; --from and --limit reach the first %d: --all lists every one, or narrow the search)", res.From+1, end, search.MaxFrom)
	case len(res.Hits) == 0:
		shown = fmt.Sprintf(" (none from %d)", res.From+1)
	default:
		shown = fmt.Sprintf(" (showing %d–%d; --from and --limit page through them, --all lists every one)", res.From+1, end)
	}
	fmt.Fprintf(w, "\n%d match%s%s\n", res.Total, map[bool]string{true: "", false: "es"}[res.Total == 1], shown)
	for _, name := range []string{"type", "country", "vendor", "status"} {
		var parts []string
		for _, f := range res.Facets[name] {
			parts = append(parts, fmt.Sprintf("%s (%d)", tableText(facetLabel(meta, name, f.Value)), f.Count))
		}
		if rest, ok := res.FacetsLeftOut[name]; ok {
			// The list stops at the most counted values: say so.
			parts = append(parts, fmt.Sprintf("and %d more (%d)", rest.Values, rest.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%-8s %s\n", name+":", strings.Join(parts, " · "))
		}
	}
}

// noteStaleIndex says on stderr when the index's answers may not be
// today's: built for another day (an agency's status is the tracker's on
// that day, which no output column says), or older than an entry of the
// content folder. It answers from the index still: a researcher may want
// the day it was built for. A stale index said nothing, and --restricted
// listed an agency the tracker no longer did (found in review).
func noteStaleIndex(stderr io.Writer, index, content, builtFor string) {
	if today, err := asOfDate(""); err == nil && builtFor != today.String() {
		fmt.Fprintf(stderr, "note: the index in %s/ was built for %s: its statuses are the tracker's on that day, not today's (%s); dronekb build brings it up to date\n", index, builtFor, today)
	}
	st, err := os.Stat(filepath.Join(index, search.MetaFile))
	if err != nil {
		return
	}
	errNewer := errors.New("newer")
	err = filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().After(st.ModTime()) {
			return errNewer
		}
		return nil
	})
	if err == errNewer {
		fmt.Fprintf(stderr, "note: %s/ has entries changed since the index in %s/ was built; dronekb build brings it up to date\n", content, index)
	}
}
