package kb

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
)

// TrackerReport is the tracker as JSON: `dronekb tracker --format json` and
// public/data/tracker.json. Its shape is a contract with researchers'
// scripts: add fields, never rename them.
type TrackerReport struct {
	AsOf     string          `json:"as_of"`
	Counts   map[Status]int  `json:"counts"`
	Summary  TrackerSummary  `json:"summary"`
	Agencies []TrackerAgency `json:"agencies"`
}

// TrackerSummary holds the headline numbers: how many agencies fly
// restricted hardware (statuses 1 to 3), how many of them against an
// operating ban that binds them, and how many are unknown: because the
// evidence on their restricted drones is old, because no source names the
// make of drones on their record, or because the sources do not say
// whether their restricted drones are in use; and the rest, so that the
// numbers add up to the agencies: how many have grounded or retired their
// restricted drones, how many have a fleet on record with none, and how
// many have no fleet on record.
type TrackerSummary struct {
	Agencies      int `json:"agencies"`
	Flying        int `json:"flying"`
	FlyingBanned  int `json:"flying_banned"`
	Unknown       int `json:"unknown"`
	UnknownOld    int `json:"unknown_old_evidence"`
	UnknownMake   int `json:"unknown_make"`
	UnknownStatus int `json:"unknown_status"`
	Grounded      int `json:"grounded"`
	Clear         int `json:"clear"`
	NoRecord      int `json:"no_record"`
}

// TrackerAgency is one agency's row of the report. Every key is in every
// row, null where the agency has no value: a notebook reading row["region"]
// failed on the agencies without one, which left the key out (found in a
// researcher's audit; last_seen was mended so before).
type TrackerAgency struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Short   OrNull `json:"short"`
	Country string `json:"country"`
	Region  OrNull `json:"region"`
	Level   OrNull `json:"level"`
	Kind    OrNull `json:"kind"`
	URL     OrNull `json:"url"`
	Status  Status `json:"status"`
	Why     OrNull `json:"why"`
	Reason  string `json:"reason"`
	Stale   bool   `json:"stale"`
	// LastSeen is null in JSON for an agency with no observation behind
	// its status (no record): the key is always there.
	LastSeen OrNull `json:"last_seen"`
	// Evidence says what the evidence dated LastSeen is: "seen" (drones
	// seen flying), "acquired" (a purchase, no sighting) or "reported"
	// (drones grounded, retired or of unknown status); null for none.
	Evidence        OrNull             `json:"evidence"`
	Items           []TrackerItem      `json:"items"`
	RestrictingLaws []string           `json:"restricting_laws"`
	BindingLaws     []string           `json:"binding_laws"`
	BanningLaws     []string           `json:"banning_laws"`
	ExemptingLaws   []string           `json:"exempting_laws"`
	Exemptions      []TrackerExemption `json:"exemptions"`
	Parent          *string            `json:"parent"`
	Components      []TrackerComponent `json:"components"`
}

// TrackerExemption is an exemption an agency has from a provision that
// restricts its hardware.
type TrackerExemption struct {
	Law       string `json:"law"`
	Provision int    `json:"provision"` // position in the law's provisions, from 1
	Measure   string `json:"measure"`
	Uses      OrNull `json:"uses"`
	Source    OrNull `json:"source"`
}

// TrackerComponent is a component agency of a row's agency, with its status.
type TrackerComponent struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
}

// TrackerItem is a fleet item counted on the report's date.
type TrackerItem struct {
	// Item is the fleet item's place in the agency's fleet, counted from 1:
	// with the agency's ID it names the item in kb.json (fleet[Item-1]) and
	// kb.sqlite (fleet_items.position).
	Item   int    `json:"item"`
	Vendor string `json:"vendor"`
	// VendorID is the vendor's ID (vendors/<slug>), as the vendors'
	// downloads name it, or null when the make is unknown.
	VendorID OrNull `json:"vendor_id"`
	Model    OrNull `json:"model"`
	// Count is null when no source gives how many aircraft the item
	// counts.
	Count  CountOrNull `json:"count"`
	Status string      `json:"status"`
	AsOf   string      `json:"as_of"`
	// Acquired says that the observation behind Status is the item's
	// purchase: "active" because bought, not because seen flying.
	Acquired   bool `json:"acquired"`
	Restricted bool `json:"restricted"`
	Stale      bool `json:"stale"`
	Current    bool `json:"current"`
	// Deciding says that the agency's status rests on the item: the
	// items its reason names. A drone of unknown make can decide an
	// unknown status without being restricted.
	Deciding        bool     `json:"deciding"`
	BeforeBan       OrNull   `json:"before_ban"`
	Source          OrNull   `json:"source"`
	Note            OrNull   `json:"note"`
	RestrictingLaws []string `json:"restricting_laws"`
	BindingLaws     []string `json:"binding_laws"`
	BanningLaws     []string `json:"banning_laws"`
}

// Report shapes the tracker for JSON. url, if not nil, gives each agency's
// page URL.
func (t *Tracker) Report(url func(e *Entry) string) TrackerReport {
	r := t.ReportHead()
	r.Agencies = make([]TrackerAgency, 0, len(t.Agencies))
	for _, as := range t.Agencies {
		r.Agencies = append(r.Agencies, as.Row(url))
	}
	return r
}

// ReportHead is the report without its rows (Agencies is nil): what comes
// before them in the JSON and the CSV. A caller that writes a large
// tracker makes each row with Row as it writes it, rather than holding
// them all.
func (t *Tracker) ReportHead() TrackerReport {
	r := TrackerReport{AsOf: t.AsOf.String(), Counts: map[Status]int{}}
	for _, s := range Statuses {
		r.Counts[s] = t.Counts[s]
	}
	r.Summary = t.Summary()
	return r
}

// Summary returns the tracker's headline numbers.
func (t *Tracker) Summary() TrackerSummary {
	return TrackerSummary{
		Agencies:      len(t.Agencies),
		Flying:        t.Counts[FlyingBanned] + t.Counts[FlyingRestricted] + t.Counts[FlyingRestrictedUnbound],
		FlyingBanned:  t.Counts[FlyingBanned],
		Unknown:       t.Counts[StatusUnknownHardware],
		UnknownOld:    t.UnknownOld,
		UnknownMake:   t.UnknownMake,
		UnknownStatus: t.UnknownUse,
		Grounded:      t.Counts[GroundedRestricted],
		Clear:         t.Counts[Clear],
		NoRecord:      t.Counts[NoRecord],
	}
}

// Row shapes one agency's status for JSON.
func (as *AgencyStatus) Row(url func(e *Entry) string) TrackerAgency {
	a := as.Agency
	row := TrackerAgency{
		ID: a.ID, Title: a.Title, Short: OrNull(a.Agency.Short), Country: a.Agency.Country, Region: OrNull(a.Agency.Region),
		Level: OrNull(a.Agency.Level), Kind: OrNull(a.Agency.Kind), Status: as.Status, Why: OrNull(as.Why), Reason: as.ReasonText(),
		Stale: as.Stale, LastSeen: OrNull(as.LastSeen.String()), Items: []TrackerItem{},
		RestrictingLaws: ids(as.RestrictingLaws), BindingLaws: ids(as.BindingLaws),
		BanningLaws: ids(as.BanningLaws), ExemptingLaws: ids(as.ExemptingLaws),
		Exemptions: []TrackerExemption{}, Components: []TrackerComponent{},
	}
	if url != nil {
		row.URL = OrNull(url(a))
	}
	if !as.LastSeen.IsZero() {
		row.Evidence = OrNull(as.EvidenceVerb())
	}
	if as.Parent != nil {
		row.Parent = &as.Parent.Agency.ID
	}
	for _, c := range as.Components {
		row.Components = append(row.Components, TrackerComponent{ID: c.Agency.ID, Status: c.Status})
	}
	for _, ex := range as.Exemptions {
		row.Exemptions = append(row.Exemptions, TrackerExemption{Law: ex.Provision.Law.ID, Provision: ex.Provision.Index + 1,
			Measure: ex.Provision.Measure, Uses: OrNull(ex.Exemption.Uses), Source: OrNull(ex.Exemption.Source)})
	}
	for _, it := range as.Items {
		ti := TrackerItem{
			Item:   it.Item.Index + 1,
			Vendor: it.Item.Vendor.Slug(), Model: OrNull(it.Item.Model), Count: CountOrNull(it.Item.Count), Status: it.Status,
			AsOf: it.AsOf.String(), Acquired: it.Acquired, Restricted: it.Restricted, Stale: it.Stale, Current: it.Current,
			Deciding: slices.Contains(as.Deciding, it),
			Source:   OrNull(it.Source), Note: OrNull(it.Item.Note),
			RestrictingLaws: ids(it.RestrictingLaws), BindingLaws: ids(it.BindingLaws), BanningLaws: ids(lawsOf(it.Banning)),
		}
		if it.Item.UnknownMake {
			ti.Vendor = UnknownVendor
		} else {
			ti.VendorID = OrNull(it.Item.Vendor.ID)
		}
		if it.BeforeBan != nil {
			ti.BeforeBan = OrNull(it.BeforeBan.Law.ID)
		}
		row.Items = append(row.Items, ti)
	}
	return row
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
	"as_of", "agency_id", "agency", "country", "region", "level", "kind", "parent", "agency_status", "why", "reason",
	"stale", "last_seen",
	"item", "vendor", "model", "count", "item_status", "item_as_of", "restricted", "item_stale", "current", "deciding", "before_ban",
	"restricting_laws", "binding_laws", "banning_laws", "exempting_laws", "source", "url",
	// Added after the others, so that a reader taking columns by place
	// reads the older ones where they were.
	"vendor_id", "evidence", "item_acquired",
}

// WriteCSV writes the report with one row per fleet item counted on its
// date; an agency with no item on that date gets one row with the item
// columns empty, so every agency appears.
func (r TrackerReport) WriteCSV(w io.Writer) error {
	c, err := NewTrackerCSV(w, r.AsOf)
	if err != nil {
		return err
	}
	for i := range r.Agencies {
		if err := c.Write(&r.Agencies[i]); err != nil {
			return err
		}
	}
	return c.Close()
}

// TrackerCSV writes the tracker CSV (see WriteCSV) an agency at a time.
type TrackerCSV struct {
	cw   *csv.Writer
	asOf string
}

// NewTrackerCSV writes the header of the tracker CSV for the report dated
// asOf (TrackerReport.AsOf) to w.
func NewTrackerCSV(w io.Writer, asOf string) (*TrackerCSV, error) {
	c := &TrackerCSV{cw: csv.NewWriter(w), asOf: asOf}
	return c, c.cw.Write(TrackerCSVHeader)
}

// Write writes an agency's rows.
func (c *TrackerCSV) Write(a *TrackerAgency) error {
	cw := c.cw
	j := func(list []string) string { return strings.Join(list, ";") }
	parent := ""
	if a.Parent != nil {
		parent = *a.Parent
	}
	base := []string{c.asOf, a.ID, a.Title, a.Country, string(a.Region), string(a.Level), string(a.Kind), parent, string(a.Status), string(a.Why), a.Reason,
		strconv.FormatBool(a.Stale), string(a.LastSeen)}
	if len(a.Items) == 0 {
		row := append(base, "", "", "", "", "", "", "", "", "", "", "", j(a.RestrictingLaws), j(a.BindingLaws), j(a.BanningLaws), j(a.ExemptingLaws), "", string(a.URL), "", string(a.Evidence), "")
		if err := cw.Write(SafeCells(row)); err != nil {
			return err
		}
	}
	for _, it := range a.Items {
		count := ""
		if it.Count > 0 {
			count = strconv.Itoa(int(it.Count))
		}
		row := append(append([]string(nil), base...), strconv.Itoa(it.Item), it.Vendor, string(it.Model), count, it.Status, it.AsOf,
			strconv.FormatBool(it.Restricted), strconv.FormatBool(it.Stale), strconv.FormatBool(it.Current), strconv.FormatBool(it.Deciding), string(it.BeforeBan),
			j(it.RestrictingLaws), j(it.BindingLaws), j(it.BanningLaws), j(a.ExemptingLaws), string(it.Source), string(a.URL), string(it.VendorID),
			string(a.Evidence), strconv.FormatBool(it.Acquired))
		if err := cw.Write(SafeCells(row)); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes what is left and says whether all of it was written.
func (c *TrackerCSV) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}

// SafeCells defuses spreadsheet formulas in untrusted text: a cell that
// starts with = + - @ or a control character gets a leading apostrophe, so
// Excel and LibreOffice show it as text instead of running it. So does a
// cell that starts with an apostrophe, so that taking one leading
// apostrophe off any cell that has one gives back the text as written
// (CSVNote): otherwise a title written "'=x" and one written "=x" would be
// the same cell.
func SafeCells(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r'", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}

// CSVNote says how the CSV downloads are written, for the data page and
// datapackage.json.
const CSVNote = "The CSV files are UTF-8 without a byte order mark, with one header row, commas between cells, quotes as RFC 4180 has them and lines ending in a line feed; a list within a cell is separated by semicolons (a row's sources by spaces), and an empty cell is a value not given. A cell whose text begins with =, +, -, @, a tab, a carriage return or an apostrophe has an apostrophe put before it, so that a spreadsheet shows it as text and runs nothing: take one leading apostrophe off to get the text as written, which kb.json and kb.sqlite keep."

// OrNull is a text that JSON writes as null when it is empty: a key every
// row has, whose value some rows lack (an agency with no record has no
// date it was last seen).
type OrNull string

// MarshalJSON writes the text, or null for "".
func (s OrNull) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON reads a text, or null as "".
func (s *OrNull) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*s = ""
		return nil
	}
	return json.Unmarshal(b, (*string)(s))
}

// CountOrNull is a number of aircraft that is null in JSON when no source
// gives it (0).
type CountOrNull int

// MarshalJSON writes the number, or null for 0.
func (n CountOrNull) MarshalJSON() ([]byte, error) {
	if n == 0 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// UnmarshalJSON reads a number, or null as 0.
func (n *CountOrNull) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = 0
		return nil
	}
	return json.Unmarshal(b, (*int)(n))
}
