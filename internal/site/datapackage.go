package site

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// data/datapackage.json describes the downloads as a Frictionless Data
// Package (https://specs.frictionlessdata.io/data-package/): every CSV with
// its columns, their types and meaning, and the JSON and SQLite files, with
// their sizes, so a researcher's tools can load them in one step.

// DataPackage is data/datapackage.json.
type DataPackage struct {
	Profile     string         `json:"profile"`
	Name        string         `json:"name"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Homepage    string         `json:"homepage,omitempty"`
	Version     string         `json:"version"`
	Licenses    []DataLicense  `json:"licenses,omitempty"`
	Resources   []DataResource `json:"resources"`
}

// DataLicense points at the licence the publisher gives the data.
type DataLicense struct {
	Name  string `json:"name,omitempty"` // its Open Definition ID, such as CC-BY-4.0
	Path  string `json:"path,omitempty"` // a URL: the licence's text, or the publisher's words
	Title string `json:"title"`
}

// knownLicence is a licence the about page's licence section may name, as
// a publisher writes it, with its Open Definition ID and its text's URL.
type knownLicence struct {
	written    *regexp.Regexp
	name, path string
	title      string
}

// knownLicences are the licences data is most often published under. Each
// pattern matches its own name only ("CC BY 4.0" does not match "CC BY-SA
// 4.0").
var knownLicences = []knownLicence{
	{regexp.MustCompile(`\bCC[ -]BY[ -]SA[ -]4\.0\b`), "CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/", "Creative Commons Attribution Share-Alike 4.0"},
	{regexp.MustCompile(`\bCC[ -]BY[ -]4\.0\b`), "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0"},
	{regexp.MustCompile(`\bCC0\b`), "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"},
	{regexp.MustCompile(`\bODbL\b`), "ODbL-1.0", "https://opendatacommons.org/licenses/odbl/1-0/", "Open Data Commons Open Database License 1.0"},
}

// DataResource is one file of the package.
type DataResource struct {
	Name        string       `json:"name"`
	Path        string       `json:"path"`
	Profile     string       `json:"profile"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Format      string       `json:"format"`
	MediaType   string       `json:"mediatype"`
	Encoding    string       `json:"encoding,omitempty"`
	Bytes       int64        `json:"bytes"`
	Dialect     *CSVDialect  `json:"dialect,omitempty"`
	Schema      *TableSchema `json:"schema,omitempty"`
}

// CSVDialect is how a CSV is written
// (https://specs.frictionlessdata.io/csv-dialect/): what differs from
// the spec's defaults, a line feed for \r\n, and the rest said plainly.
type CSVDialect struct {
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
	Header         bool   `json:"header"`
}

// TableSchema is a CSV's columns (https://specs.frictionlessdata.io/table-schema/).
type TableSchema struct {
	Fields        []TableField `json:"fields"`
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    []string     `json:"primaryKey,omitempty"`
	ForeignKeys   []ForeignKey `json:"foreignKeys,omitempty"`
}

// ForeignKey says that a column's values are those of a column of
// another table of the package (or of the same one, Resource "").
type ForeignKey struct {
	Fields    []string     `json:"fields"`
	Reference KeyReference `json:"reference"`
}

// KeyReference is the column a foreign key refers to.
type KeyReference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// tableKeys are the keys of the CSVs: each section's rows by id, a parent
// among its own rows, and the tracker's rows by the agency they are of.
// Lists in a cell (an incident's agencies) cannot be keys in a Table
// Schema; kb.sqlite joins them.
var tableKeys = map[string]struct {
	primary []string
	foreign []ForeignKey
}{
	"agencies.csv":        {[]string{"id"}, []ForeignKey{{[]string{"parent"}, KeyReference{"", []string{"id"}}}}},
	"vendors.csv":         {[]string{"id"}, []ForeignKey{{[]string{"parent"}, KeyReference{"", []string{"id"}}}}},
	"laws.csv":            {[]string{"id"}, nil},
	"incidents.csv":       {[]string{"id"}, nil},
	"tracker-history.csv": {[]string{"date"}, nil},
	"tracker.csv": {nil, []ForeignKey{
		{[]string{"agency_id"}, KeyReference{"agencies-csv", []string{"id"}}},
		{[]string{"parent"}, KeyReference{"agencies-csv", []string{"id"}}},
		{[]string{"vendor_id"}, KeyReference{"vendors-csv", []string{"id"}}},
	}},
}

// TableField is one column.
type TableField struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

const dateDoc = "a date at the precision the source gives it: YYYY, YYYY-MM or YYYY-MM-DD"

// columnDocs says what each column of the CSVs holds, by name; a column of
// one file whose meaning differs is keyed "file:column".
var columnDocs = map[string]TableField{
	"id":                           {Type: "string", Description: "the entry's ID, <section>/<slug>"},
	"title":                        {Type: "string", Description: "the entry's title"},
	"summary":                      {Type: "string", Description: "one sentence on the entry"},
	"short":                        {Type: "string", Description: "its acronym or short name"},
	"country":                      {Type: "string", Description: "ISO 3166-1 alpha-2 country code"},
	"region":                       {Type: "string", Description: "ISO 3166-2 region code"},
	"level":                        {Type: "string", Description: "national, state or local"},
	"agencies.csv:kind":            {Type: "string", Description: "police, military, civil, emergency, intelligence or other"},
	"laws.csv:kind":                {Type: "string", Description: "statute, regulation, executive-order, policy or bill"},
	"incidents.csv:kind":           {Type: "string", Description: "surveillance, protest, crash, data, policy or other"},
	"tracker.csv:kind":             {Type: "string", Description: "the agency's kind: police, military, civil, emergency, intelligence or other"},
	"parent":                       {Type: "string", Description: "the ID of the entry it is part of (agencies/<slug>, vendors/<slug>)"},
	"tracker.csv:parent":           {Type: "string", Description: "the ID (agencies/<slug>) of the agency it is part of"},
	"website":                      {Type: "string", Description: "its website"},
	"fleet_items":                  {Type: "integer", Description: "how many fleet items its entry records"},
	"tracker_status":               {Type: "string", Description: "its tracker status on the site's date (flying-banned, flying-restricted, flying-restricted-unbound, unknown, grounded, clear, no-record)"},
	"tracker_reason":               {Type: "string", Description: "the sentence that says why it has that status"},
	"stale":                        {Type: "boolean", Description: "whether the evidence behind the status is more than 24 months old"},
	"last_seen":                    {Type: "string", Description: "the date of the latest observation behind the status, " + dateDoc},
	"tags":                         {Type: "string", Description: "its tags, separated by ;"},
	"updated":                      {Type: "string", Description: "when the entry was last reviewed, " + dateDoc},
	"sources":                      {Type: "string", Description: "the URLs of its sources, separated by spaces"},
	"url":                          {Type: "string", Description: "the entry's page on the site"},
	"legal_name":                   {Type: "string", Description: "the vendor's legal name"},
	"hq":                           {Type: "string", Description: "where the vendor has its headquarters"},
	"restricted":                   {Type: "boolean", Description: "whether a provision in force restricts its hardware"},
	"vendors.csv:restricting_laws": {Type: "string", Description: "the IDs of the laws with a provision in force restricting its hardware, separated by ;"},
	"status":                       {Type: "string", Description: "proposed, enacted, expired, repealed or failed"},
	"introduced":                   {Type: "string", Description: "when it was introduced, " + dateDoc},
	"enacted":                      {Type: "string", Description: "when it was enacted, " + dateDoc},
	"effective":                    {Type: "string", Description: "when it took effect, " + dateDoc},
	"expires":                      {Type: "string", Description: "when it stops or stopped applying, " + dateDoc},
	"in_force":                     {Type: "boolean", Description: "whether it is in force on the site's date"},
	"measure":                      {Type: "string", Description: "what it does to the hardware it names: operation, procurement, funding (restrict), data, review, advisory (inform); for a law that lists provisions, each of their measures once, separated by ;"},
	"restricts_vendors":            {Type: "string", Description: "the IDs (vendors/<slug>) of the vendors whose hardware it restricts, separated by ;"},
	"restricts_countries":          {Type: "string", Description: "the countries of origin whose hardware it restricts, separated by ;"},
	"binds_levels":                 {Type: "string", Description: "the levels of government it binds, separated by ; (empty: not narrowed; (none): given empty, so it binds no agency)"},
	"binds_kinds":                  {Type: "string", Description: "the kinds of agency it binds, separated by ; (empty: not narrowed; (none): given empty, so it binds no agency)"},
	"binds_agencies":               {Type: "string", Description: "the IDs (agencies/<slug>) of the agencies it binds, separated by ; (empty: not narrowed; (none): given empty, so it binds no agency)"},
	"provisions":                   {Type: "string", Description: "its provisions, separated by ;: each its measure, its start–end (followed by (in force by …) when the day it took effect is not on record and its start is the day a source first shows it in force), and in brackets whom it binds when that narrows the law's binds, and how many exemptions it has"},
	"date":                         {Type: "string", Description: "when it happened, " + dateDoc},
	"tracker-history.csv:date":     {Type: "date", Description: "the date the counts are computed for: the first day of a quarter, or the tracker's date (the last row)"},
	"place":                        {Type: "string", Description: "where it happened"},
	"agencies":                     {Type: "string", Description: "the IDs (agencies/<slug>) of the agencies involved, separated by ;"},
	"vendors":                      {Type: "string", Description: "the IDs (vendors/<slug>) of the vendors involved, separated by ;"},
	"laws":                         {Type: "string", Description: "the IDs (laws/<slug>) of the laws involved, separated by ;"},
	"as_of":                        {Type: "date", Description: "the date the tracker is computed for"},
	"agency_id":                    {Type: "string", Description: "the agency's ID, agencies/<slug>"},
	"agency":                       {Type: "string", Description: "the agency's title"},
	"agency_status":                {Type: "string", Description: "the agency's tracker status on as_of"},
	"why":                          {Type: "string", Description: "for an unknown status, what makes it unknown: stale, before-ban, status-unknown or unknown-make"},
	"reason":                       {Type: "string", Description: "the sentence that says why the agency has its status"},
	"item":                         {Type: "integer", Description: "the fleet item's place in the agency's fleet, counted from 1: with agency_id it names the item in kb.json (fleet, from 0) and kb.sqlite (fleet_items.position)"},
	"vendor":                       {Type: "string", Description: "the fleet item's vendor slug (unknown: make not established)"},
	"vendor_id":                    {Type: "string", Description: "the fleet item's vendor ID (vendors/<slug>), as vendors.csv names it; empty when the make is not established"},
	"model":                        {Type: "string", Description: "the fleet item's model"},
	"count":                        {Type: "integer", Description: "how many aircraft the item counts"},
	"item_status":                  {Type: "string", Description: "the item's status on as_of: active, grounded, retired or unknown"},
	"item_acquired":                {Type: "boolean", Description: "whether the observation behind item_status is the item's purchase: active because bought, not because seen flying"},
	"evidence":                     {Type: "string", Description: "what the evidence dated last_seen is: seen (drones seen flying), acquired (a purchase, no sighting) or reported (drones grounded, retired or of unknown status); empty when there is none"},
	"item_as_of":                   {Type: "string", Description: "the date of the observation that gives it, " + dateDoc},
	"item_stale":                   {Type: "boolean", Description: "whether that observation is more than 24 months old"},
	"current":                      {Type: "boolean", Description: "whether it is an active observation that still counts as seen flying"},
	"deciding":                     {Type: "boolean", Description: "whether the agency's status rests on this item (the items its reason names; a drone of unknown make can decide an unknown status without being restricted)"},
	"before_ban":                   {Type: "string", Description: "the operating ban that began after it was last seen flying, or may have (the two dated within one month or year, or the ban known only to be in force by a later day), if that keeps it from counting"},
	"restricting_laws":             {Type: "string", Description: "IDs of the laws in force restricting the item's vendor, separated by ;"},
	"binding_laws":                 {Type: "string", Description: "IDs of those laws that bind the agency, separated by ;"},
	"banning_laws":                 {Type: "string", Description: "IDs of those laws whose operating ban forbids the agency to fly it, separated by ;"},
	"exempting_laws":               {Type: "string", Description: "IDs of the laws that exempt the agency, separated by ;"},
	"source":                       {Type: "string", Description: "the URL of the observation's source"},
	"tracker.csv:url":              {Type: "string", Description: "the agency's page on the site"},
}

// The columns of tracker-history.csv after its date: a count a status.
func init() {
	for _, st := range kb.Statuses {
		columnDocs["tracker-history.csv:"+strings.ReplaceAll(string(st), "-", "_")] = TableField{Type: "integer",
			Description: fmt.Sprintf("how many agencies had the status %s (%s) on the date", st, st.Label())}
	}
}

// csvHeaders returns each CSV download's path and columns.
func (s *Site) csvHeaders() map[string][]string {
	out := map[string][]string{"data/tracker.csv": kb.TrackerCSVHeader, "data/tracker-history.csv": trackerHistoryHeader()}
	for _, sec := range kb.Sections {
		out["data/"+sec.Dir+".csv"] = sectionHeader(sec)
	}
	return out
}

// tableSchema describes the columns of a CSV.
func tableSchema(file string, header []string) (*TableSchema, error) {
	ts := &TableSchema{MissingValues: []string{""}}
	base := strings.TrimPrefix(file, "data/")
	for _, col := range header {
		f, ok := columnDocs[base+":"+col]
		if !ok {
			f, ok = columnDocs[col]
		}
		if !ok {
			return nil, fmt.Errorf("%s: column %q has no description in columnDocs", file, col)
		}
		f.Name = col
		ts.Fields = append(ts.Fields, f)
	}
	keys := tableKeys[base]
	ts.PrimaryKey, ts.ForeignKeys = keys.primary, keys.foreign
	cols := slices.Clone(keys.primary)
	for _, fk := range keys.foreign {
		cols = append(cols, fk.Fields...)
	}
	for _, k := range cols {
		if !slices.Contains(header, k) {
			return nil, fmt.Errorf("%s: key column %q is not in the file", file, k)
		}
	}
	return ts, nil
}

// licenceHeading finds the about page's section on the licence, if any.
var licenceHeading = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(Licen[cs]e)[ \t]*$`)

// licenceURL returns the site path of the about page's licence section,
// or "" when the site has no about page that says one, and the licence it
// names, if it is one of knownLicences.
func (s *Site) licenceURL() (string, *knownLicence, error) {
	about := s.kb.Entry("pages/about")
	if about == nil {
		return "", nil, nil
	}
	body, err := about.Body()
	if err != nil {
		return "", nil, err
	}
	loc := licenceHeading.FindSubmatchIndex(body)
	if loc == nil {
		return "", nil, nil
	}
	path := PagePath(about) + "#" + strings.ToLower(string(body[loc[2]:loc[3]]))
	// The section runs to the next heading.
	section := body[loc[1]:]
	if next := anyHeading.FindIndex(section); next != nil {
		section = section[:next[0]]
	}
	// A section that names two (the database under one, the text under
	// another) is left to the reader: the package and the data page point
	// to it rather than pick one.
	var known *knownLicence
	for i := range knownLicences {
		if knownLicences[i].written.Match(section) {
			if known != nil {
				return path, nil, nil
			}
			known = &knownLicences[i]
		}
	}
	return path, known, nil
}

// anyHeading finds a markdown heading: the end of the licence section.
var anyHeading = regexp.MustCompile(`(?m)^#{1,6}[ \t]`)

func (s *Site) dataPackage(w *writer) (*DataPackage, error) {
	dp := &DataPackage{Profile: "data-package", Name: "dronekb", Title: "Government drone fleets and the laws that restrict them",
		Description: "The knowledge base behind this site — agencies, vendors, laws and incidents, with sources — and the tracker of which agencies fly drones that a law restricts, computed for " + s.opts.AsOf.String() + ". " + kb.CSVNote,
		Version:     s.opts.AsOf.String()}
	if s.absBase != "" {
		dp.Homepage = s.absBase
	}
	l, known, err := s.licenceURL()
	if err != nil {
		return nil, err
	}
	// A licence has a name or a path, and a path is a URL or a relative
	// path inside the package: the site's own path (/about/) is neither,
	// so without --base-url a licence the package cannot name is left out,
	// and the data page points to it.
	switch {
	case known != nil:
		dp.Licenses = []DataLicense{{Name: known.name, Path: known.path, Title: known.title}}
	case l != "" && s.absBase != "":
		dp.Licenses = []DataLicense{{Path: s.AbsURL(l), Title: "The licence the publisher gives the data (see its About page)"}}
	}
	headers := s.csvHeaders()
	for _, d := range s.downloads() {
		name := strings.ReplaceAll(strings.TrimPrefix(d.Path, "data/"), ".", "-")
		r := DataResource{Name: name, Path: strings.TrimPrefix(d.Path, "data/"), Title: d.Path, Description: d.Description,
			Format: strings.ToLower(d.Format), MediaType: d.MediaType, Bytes: w.size(d.Path), Profile: "data-resource"}
		if h, ok := headers[d.Path]; ok {
			ts, err := tableSchema(d.Path, h)
			if err != nil {
				return nil, err
			}
			r.Schema, r.Profile, r.Encoding = ts, "tabular-data-resource", "utf-8"
			r.Dialect = &CSVDialect{Delimiter: ",", LineTerminator: "\n", QuoteChar: `"`, DoubleQuote: true, Header: true}
		}
		dp.Resources = append(dp.Resources, r)
	}
	return dp, nil
}

// lateJobs are the files that describe the downloads, written after them:
// data/datapackage.json, then the data page, which gives its size too.
func (s *Site) lateJobs() []job {
	return []job{func(w *writer) error {
		dp, err := s.dataPackage(w)
		if err != nil {
			return err
		}
		data, err := marshalJSONIndent(dp)
		if err != nil {
			return err
		}
		if err := w.write("data/datapackage.json", data); err != nil {
			return err
		}
		v, err := s.dataView()
		if err != nil {
			return err
		}
		for i := range v.Files {
			v.Files[i].Bytes = w.size(v.Files[i].Path)
			v.Files[i].Size = humanBytes(v.Files[i].Bytes)
		}
		return s.renderPage(w, "data/", "data", &Page{Title: "Data downloads", Description: "The knowledge base and the tracker as CSV, JSON and SQLite, with their columns described.", Path: "data/", Data: v})
	}}
}

// humanBytes says a size for people: "1.2 MB", "840 kB", "512 bytes".
func humanBytes(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	return fmt.Sprintf("%d bytes", n)
}
