package kb

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// TrackerReport is the tracker as JSON: `dronekb tracker --format json` and
// public/data/tracker.json. Its shape is part of the product contract
// (DESIGN.md, "Commands"); add fields, never rename them.
type TrackerReport struct {
	AsOf     string          `json:"as_of"`
	Counts   map[Status]int  `json:"counts"`
	Agencies []TrackerAgency `json:"agencies"`
}

// TrackerAgency is one agency's row of the report.
type TrackerAgency struct {
	ID              string        `json:"id"`
	Title           string        `json:"title"`
	Short           string        `json:"short,omitempty"`
	Country         string        `json:"country"`
	Region          string        `json:"region,omitempty"`
	Level           string        `json:"level,omitempty"`
	Kind            string        `json:"kind,omitempty"`
	URL             string        `json:"url,omitempty"`
	Status          Status        `json:"status"`
	Stale           bool          `json:"stale"`
	LastObserved    string        `json:"last_observed,omitempty"`
	Items           []TrackerItem `json:"items"`
	RestrictingLaws []string      `json:"restricting_laws"`
	BindingLaws     []string      `json:"binding_laws"`
}

// TrackerItem is a fleet item counted on the report's date.
type TrackerItem struct {
	Vendor          string   `json:"vendor"`
	Model           string   `json:"model,omitempty"`
	Count           int      `json:"count,omitempty"`
	Status          string   `json:"status"`
	AsOf            string   `json:"as_of"`
	Restricted      bool     `json:"restricted"`
	Stale           bool     `json:"stale"`
	Source          string   `json:"source,omitempty"`
	Note            string   `json:"note,omitempty"`
	RestrictingLaws []string `json:"restricting_laws"`
	BindingLaws     []string `json:"binding_laws"`
}

// Report shapes the tracker for JSON. url, if not nil, gives each agency's
// page URL.
func (t *Tracker) Report(url func(e *Entry) string) TrackerReport {
	r := TrackerReport{AsOf: t.AsOf.String(), Counts: map[Status]int{}, Agencies: make([]TrackerAgency, 0, len(t.Agencies))}
	for _, s := range Statuses {
		r.Counts[s] = t.Counts[s]
	}
	for _, as := range t.Agencies {
		a := as.Agency
		row := TrackerAgency{
			ID: a.ID, Title: a.Title, Short: a.Agency.Short, Country: a.Agency.Country, Region: a.Agency.Region,
			Level: a.Agency.Level, Kind: a.Agency.Kind, Status: as.Status, Stale: as.Stale,
			LastObserved: as.LastObserved.String(), Items: []TrackerItem{},
			RestrictingLaws: ids(as.RestrictingLaws), BindingLaws: ids(as.BindingLaws),
		}
		if url != nil {
			row.URL = url(a)
		}
		for _, it := range as.Items {
			row.Items = append(row.Items, TrackerItem{
				Vendor: it.Item.Vendor.Slug(), Model: it.Item.Model, Count: it.Item.Count, Status: it.Status,
				AsOf: it.AsOf.String(), Restricted: it.Restricted, Stale: it.Stale, Source: it.Source, Note: it.Item.Note,
				RestrictingLaws: ids(it.RestrictingLaws), BindingLaws: ids(it.BindingLaws),
			})
		}
		r.Agencies = append(r.Agencies, row)
	}
	return r
}

func ids(es []*Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// TrackerCSVHeader names the columns of the tracker CSV.
var TrackerCSVHeader = []string{
	"as_of", "agency_id", "agency", "country", "region", "level", "kind", "agency_status", "stale", "last_observed",
	"vendor", "model", "count", "item_status", "item_as_of", "restricted", "item_stale",
	"restricting_laws", "binding_laws", "source", "url",
}

// WriteCSV writes the report with one row per fleet item counted on its
// date; an agency with no item on that date gets one row with the item
// columns empty, so every agency appears.
func (r TrackerReport) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TrackerCSVHeader); err != nil {
		return err
	}
	for _, a := range r.Agencies {
		base := []string{r.AsOf, a.ID, a.Title, a.Country, a.Region, a.Level, a.Kind, string(a.Status),
			strconv.FormatBool(a.Stale), a.LastObserved}
		if len(a.Items) == 0 {
			row := append(base, "", "", "", "", "", "", "", strings.Join(a.RestrictingLaws, ";"), strings.Join(a.BindingLaws, ";"), "", a.URL)
			if err := cw.Write(SafeCells(row)); err != nil {
				return err
			}
		}
		for _, it := range a.Items {
			count := ""
			if it.Count > 0 {
				count = strconv.Itoa(it.Count)
			}
			row := append(append([]string(nil), base...), it.Vendor, it.Model, count, it.Status, it.AsOf,
				strconv.FormatBool(it.Restricted), strconv.FormatBool(it.Stale),
				strings.Join(it.RestrictingLaws, ";"), strings.Join(it.BindingLaws, ";"), it.Source, a.URL)
			if err := cw.Write(SafeCells(row)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCells defuses spreadsheet formulas in untrusted text: a cell that
// starts with = + - @ or a control character gets a leading apostrophe, so
// Excel and LibreOffice show it as text instead of running it.
func SafeCells(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}
