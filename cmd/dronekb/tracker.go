package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/dronekb/dronekb/internal/kb"
)

func runTracker(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tracker", "[--as-of DATE] [--format table|csv|json] [--status S]", stderr)
	asOfFlag := fs.String("as-of", "", "answer as of this `date` (YYYY, YYYY-MM or YYYY-MM-DD; default SOURCE_DATE_EPOCH, else today)")
	format := fs.String("format", "table", "output `format`: table, csv or json")
	content := fs.String("content", "content", "content `directory`")
	status := fs.String("status", "", "show only agencies with these comma-separated `statuses`")
	if err := parseNoArgs(fs, args); err != nil {
		return err
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
	k, err := loadContent(*content, kb.Date{}, stderr)
	if err != nil {
		return err
	}
	t := k.Tracker(asOf)
	if len(want) > 0 {
		kept := t.Agencies[:0:0]
		for _, a := range t.Agencies {
			if want[a.Status] {
				kept = append(kept, a)
			}
		}
		t.Agencies = kept
	}
	report := t.Report(nil)
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

// writeTrackerTable prints the tracker for a person: the most serious
// statuses first, each agency with its restricted items and the laws.
func writeTrackerTable(w io.Writer, t *kb.Tracker) error {
	rank := map[kb.Status]int{}
	for i, s := range kb.Statuses {
		rank[s] = i
	}
	rows := append([]*kb.AgencyStatus(nil), t.Agencies...)
	sort.SliceStable(rows, func(i, j int) bool {
		if rank[rows[i].Status] != rank[rows[j].Status] {
			return rank[rows[i].Status] < rank[rows[j].Status]
		}
		return rows[i].Agency.Title < rows[j].Agency.Title
	})
	fmt.Fprintf(w, "Who flies restricted hardware, as of %s\n\n", t.AsOf)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tAGENCY\tCOUNTRY\tRESTRICTED HARDWARE ON THE DATE\tBINDING LAWS\tEVIDENCE")
	for _, as := range rows {
		var hw []string
		for _, it := range as.Items {
			if !it.Restricted {
				continue
			}
			label := it.Item.Vendor.Slug()
			if it.Item.Model != "" {
				label += " " + it.Item.Model
			}
			if it.Item.Count > 0 {
				label = fmt.Sprintf("%d× %s", it.Item.Count, label)
			}
			hw = append(hw, fmt.Sprintf("%s (%s)", label, it.Status))
		}
		laws := make([]string, 0, len(as.BindingLaws))
		for _, l := range as.BindingLaws {
			laws = append(laws, l.Slug)
		}
		evidence := ""
		if !as.LastObserved.IsZero() {
			evidence = "observed " + as.LastObserved.String()
			if as.Stale {
				evidence = "unverified since " + as.LastObserved.String()
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", as.Status, tableText(as.Agency.Title), as.Agency.Agency.Country,
			orDash(strings.Join(hw, "; ")), orDash(strings.Join(laws, ", ")), orDash(evidence))
	}
	if err := tw.Flush(); err != nil {
		return err
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
