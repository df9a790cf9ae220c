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
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
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
		"[--sort relevance|date|-date|title] [--limit N] [--from N] [--format table|csv|json | --json] [QUERY]\n\n"+
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
	limit := fs.Int("limit", 20, "show at most `N` hits (1-100)")
	from := fs.Int("from", 0, "skip the first `N` hits")
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
	if *limit < 1 || *limit > search.MaxSize {
		return usagef("--limit must be between 1 and %d, not %d", search.MaxSize, *limit)
	}
	if *from < 0 || *from > search.MaxFrom-*limit { // not *from+*limit, which a huge --from overflows
		return usagef("--from must be between 0 and %d with --limit %d (--from plus --limit at most %d), not %d", max(search.MaxFrom-*limit, 0), *limit, search.MaxFrom, *from)
	}
	req := search.Request{Q: strings.Join(pos, " "), Types: types, Countries: countries, Vendors: vendors, Statuses: statuses,
		Tags: tags, Restricted: *restricted, Sort: *sortBy, From: *from, Size: *limit}
	// The flags' values are checked before the index is opened (or built):
	// a value refused is bad usage, where a query that cannot run is a
	// problem with the query.
	if err := req.Validate(); err != nil {
		return flagError(err)
	}

	idx, err := search.Open(*index)
	if errors.Is(err, search.ErrStale) {
		fmt.Fprintf(stderr, "the index in %s/ is missing or was built by another version; building it from %s/…\n", *index, *content)
		if err := requireDir(*content); err != nil {
			return err
		}
		asOf, aerr := asOfDate("")
		if aerr != nil {
			return aerr
		}
		// err, not a new variable: the Open below must replace the
		// ErrStale that brought us here.
		_, err = build.IndexOnly(ctx, build.Config{Content: *content, Index: *index, AsOf: asOf})
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
	noteUnknownVendors(stderr, req.Vendors, idx.Meta().Vendors)
	res, err := idx.Search(ctx, req)
	var qe *search.QueryError
	if errors.As(err, &qe) {
		fmt.Fprintf(stderr, "dronekb search: %s\n", qe.Msg)
		return errProblems
	}
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "csv":
		cw := csv.NewWriter(stdout)
		_ = cw.Write([]string{"id", "type", "title", "country", "status", "date", "url", "score"})
		for _, h := range res.Hits {
			_ = cw.Write(kb.SafeCells([]string{h.ID, h.Type, h.Title, h.Country, h.Status, h.Date, h.URL, strconv.FormatFloat(h.Score, 'f', 4, 64)}))
		}
		cw.Flush()
		return cw.Error()
	}
	return writeSearchTable(stdout, res, idx.Meta())
}

// flagError says a value that search.Request.Validate refused as bad
// usage, naming the flag that gave it: "sort must be one of …" is
// "--sort must be one of …", and "\"a b\" is not a slug" is
// "--vendor: \"a b\" is not a slug".
func flagError(err error) error {
	var qe *search.QueryError
	if !errors.As(err, &qe) {
		return err
	}
	if qe.Param == "" {
		return usagef("%s", qe.Msg) // too many values, of several flags
	}
	name := qe.Param
	if name == "size" {
		name = "limit"
	}
	if rest, ok := strings.CutPrefix(qe.Msg, qe.Param+" "); ok {
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

func writeSearchTable(w io.Writer, res *search.Response, meta search.Meta) error {
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "No entries match.")
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TYPE\tTITLE\tCOUNTRY\tSTATUS / DATE\tPAGE")
		for _, h := range res.Hits {
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
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	shown := ""
	if res.Total > uint64(len(res.Hits)) {
		shown = fmt.Sprintf(" (showing %d–%d; --from and --limit page through them)", res.From+1, res.From+len(res.Hits))
	}
	fmt.Fprintf(w, "\n%d match%s%s\n", res.Total, map[bool]string{true: "", false: "es"}[res.Total == 1], shown)
	for _, name := range []string{"type", "country", "vendor", "status"} {
		var parts []string
		for _, f := range res.Facets[name] {
			parts = append(parts, fmt.Sprintf("%s (%d)", tableText(facetLabel(meta, name, f.Value)), f.Count))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%-8s %s\n", name+":", strings.Join(parts, " · "))
		}
	}
	return nil
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

// noteUnknownVendors says on stderr which --vendor values name no vendor
// the index knows, with the one meant where it is near: --vendor autel
// found nothing and said only "No entries match" (found in review).
func noteUnknownVendors(stderr io.Writer, asked []string, known map[string]string) {
	if len(known) == 0 {
		return
	}
	slugs := slices.Sorted(maps.Keys(known))
	for _, v := range asked {
		if _, ok := known[v]; ok {
			continue
		}
		if m := kb.Suggest(v, slugs); m != "" {
			fmt.Fprintf(stderr, "note: no vendor in the index is %q; did you mean %q (%s)?\n", v, m, known[m])
		} else {
			fmt.Fprintf(stderr, "note: no vendor in the index is %q\n", v)
		}
	}
}
