package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
)

func runTracker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tracker", "[--as-of DATE] [--format table|csv|json] [--status S] [--base-url URL] [--content DIR]", stderr)
	asOfFlag := fs.String("as-of", "", "answer as of this `date` (YYYY, YYYY-MM or YYYY-MM-DD; default SOURCE_DATE_EPOCH, else today)")
	format := fs.String("format", "table", "output `format`: table, csv or json")
	content := fs.String("content", "content", "content `directory`")
	status := fs.String("status", "", "show only agencies with these comma-separated `statuses`")
	baseURL := fs.String("base-url", "/", "the `URL` the site lives at, which gives each agency's url in csv and json, as the site's data/tracker.csv has it")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	entryURL, err := site.EntryURLs(*baseURL)
	if err != nil {
		return usagef("%v", err)
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return usagef("--format must be table, csv or json, not %q", *format)
	}
	want := map[kb.Status]bool{}
	if *status != "" {
		for _, s := range strings.Split(*status, ",") {
			st := kb.Status(strings.TrimSpace(s))
			known := false
			for _, k := range kb.Statuses {
				known = known || k == st
			}
			if !known {
				return usagef("--status %q is not one of %s", st, joinStatuses())
			}
			want[st] = true
		}
	}
	asOf, err := asOfDate(*asOfFlag)
	if err != nil {
		return err
	}
	noteFuture(stderr, *asOfFlag, asOf)
	k, err := loadContent(*content, kb.Date{}, stderr)
	if err != nil {
		return err
	}
	t := k.Tracker(asOf)
	if len(want) > 0 {
		t.Only(func(as *kb.AgencyStatus) bool { return want[as.Status] })
	}
	report := t.Report(entryURL)
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	case "csv":
		return report.WriteCSV(stdout)
	}
	return writeTrackerTable(stdout, t)
}

func joinStatuses() string {
	var s []string
	for _, st := range kb.Statuses {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

// writeTrackerTable prints the tracker for a person: the headline numbers,
// then the agencies grouped by status, most serious first, each with its
// restricted items, the laws that bind it, the evidence's date and the
// sentence that says why.
func writeTrackerTable(w io.Writer, t *kb.Tracker) error {
	sum := t.Summary()
	fmt.Fprintf(w, "Who flies restricted hardware, as of %s\n\n", t.AsOf)
	fmt.Fprintf(w, "%d of %d agencies fly restricted drones", sum.Flying, sum.Agencies)
	if sum.FlyingBanned > 0 {
		fmt.Fprintf(w, ", %d of them against an operating ban that binds them", sum.FlyingBanned)
	}
	fmt.Fprintf(w, "; %d unknown", sum.Unknown)
	var why []string
	if sum.UnknownOld > 0 {
		why = append(why, fmt.Sprintf("%d because the evidence on their restricted drones is old", sum.UnknownOld))
	}
	if sum.UnknownMake > 0 {
		why = append(why, fmt.Sprintf("%d because no source names the make of drones on their record", sum.UnknownMake))
	}
	if sum.UnknownStatus > 0 {
		why = append(why, fmt.Sprintf("%d because the sources do not say whether their restricted drones are in use", sum.UnknownStatus))
	}
	if len(why) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(why, ", "))
	}
	// Every agency is counted once, so that the figures add up to the
	// total: those that grounded their restricted drones and those with a
	// clear fleet too, when there are any.
	if sum.Grounded > 0 {
		fmt.Fprintf(w, "; %d grounded", sum.Grounded)
	}
	if sum.Clear > 0 {
		fmt.Fprintf(w, "; %d clear", sum.Clear)
	}
	fmt.Fprintf(w, "; %d with no fleet on record.\n", sum.NoRecord)
	groups := map[kb.Status][]*kb.AgencyStatus{}
	for _, as := range t.Agencies {
		groups[as.Status] = append(groups[as.Status], as)
	}
	for _, st := range kb.Statuses {
		rows := groups[st]
		if len(rows) == 0 {
			continue
		}
		// By title as the site's lists and views order them.
		slices.SortFunc(rows, func(a, b *kb.AgencyStatus) int { return kb.CompareTitles(a.Agency, b.Agency) })
		fmt.Fprintf(w, "\n%s (%s): %d\n  %s\n\n", strings.ToUpper(st.Label()), st, len(rows), st.Explain())
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  AGENCY\tCOUNTRY\tRESTRICTED OR UNKNOWN-MAKE HARDWARE ON THE DATE\tBINDING LAWS\tEVIDENCE")
		for _, as := range rows {
			var hw []string
			for _, it := range as.Items {
				if it.Restricted || it.Item.UnknownMake {
					st := it.Status
					if it.Acquired {
						st = "acquired" // a purchase, no sighting
					}
					hw = append(hw, fmt.Sprintf("%s (%s)", kb.ItemLabel(it.Vendor, it.Item), st))
				}
			}
			laws := make([]string, 0, len(as.BindingLaws))
			for _, l := range as.BindingLaws {
				laws = append(laws, l.Slug)
			}
			evidence := ""
			if !as.LastSeen.IsZero() {
				evidence = as.EvidenceVerb() + " " + as.LastSeen.String()
				if as.Stale {
					evidence += " (over 24 months old)"
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", tableText(as.Agency.Title), as.Agency.Agency.Country,
				orDash(strings.Join(hw, "; ")), orDash(strings.Join(laws, ", ")), orDash(evidence))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
		for _, as := range rows {
			fmt.Fprintf(w, "  %s: %s\n", tableText(as.Agency.Title), tableText(as.ReasonText()))
		}
	}
	fmt.Fprintln(w)
	var counts []string
	for _, s := range kb.Statuses {
		counts = append(counts, fmt.Sprintf("%s %d", s, t.Counts[s]))
	}
	fmt.Fprintf(w, "%d agencies: %s\n", len(t.Agencies), strings.Join(counts, ", "))
	fmt.Fprintln(w, "Every row's sources: dronekb tracker --format json (or csv), or the agency's page.")
	return nil
}

// tableText keeps untrusted text from breaking the table or the terminal.
func tableText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return tableText(s)
}
