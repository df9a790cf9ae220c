package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// The downloads: the whole knowledge base as JSON, one CSV per section, and
// the tracker as CSV and JSON. Researchers cite these, so their columns and
// keys only ever grow.

// Download describes one file on the data page.
type Download struct {
	Path        string
	Format      string
	MediaType   string
	Description string
	Bytes       int64
	Size        string // Bytes for people: "1.2 MB"
}

// DataView is the data page's data.
type DataView struct {
	Files []Download
	AsOf  kb.Date
	// Licence is the about page's section on the licence, "" if none;
	// LicenceName and LicenceURL the licence it names, when it is one of
	// those the data package can name (CC BY 4.0).
	Licence, LicenceName, LicenceURL string
	// Schemas are the JSON Schemas of the entry types' front matter.
	Schemas []Schema
}

// Schema is where the JSON Schema of one entry type is published.
type Schema struct {
	Type kb.Type
	Path string // "schema/agency.json"
}

// downloads lists the files under data/, in the order the data page gives them.
func (s *Site) downloads() []Download {
	files := []Download{
		{"data/tracker.csv", "CSV", "text/csv", "The tracker: one row per fleet item counted on the date (an agency with none gets one row), with its status, the restricting and binding laws, and the source.", 0, ""},
		{"data/tracker.json", "JSON", "application/json", "The tracker: {as_of, counts, summary, agencies: [{id, title, url, status, reason, stale, items, restricting_laws, binding_laws, …}]}, each agency's status on the date with the reason and the items it rests on.", 0, ""},
		{"data/tracker-history.csv", "CSV", "text/csv", "The tracker over time: how many agencies had each status on the first day of each quarter since the first observation, and on the tracker's date, by the same rules (the chart on the tracker's page).", 0, ""},
		{"data/kb.json", "JSON", "application/json", "Every entry with all its fields, sources and markdown text.", 0, ""},
	}
	for _, x := range s.opts.Exports {
		files = append(files, Download{x.Path, x.Format, x.MediaType, x.Description, 0, ""})
	}
	for _, sec := range kb.Sections {
		files = append(files, Download{"data/" + sec.Dir + ".csv", "CSV", "text/csv", "One row per " + string(sec.Type) + ", with its main fields and sources.", 0, ""})
	}
	return files
}

func (s *Site) dataView() (*DataView, error) {
	v := &DataView{AsOf: s.opts.AsOf, Files: s.downloads()}
	for _, t := range kb.Types() {
		v.Schemas = append(v.Schemas, Schema{t, SchemaPath(t)})
	}
	l, known, err := s.licenceURL()
	if err != nil {
		return nil, err
	}
	if l != "" {
		v.Licence = s.URL(l)
	}
	if known != nil {
		v.LicenceName, v.LicenceURL = known.title, known.path
	}
	v.Files = append(v.Files, Download{"data/datapackage.json", "JSON", "application/json", "A Frictionless Data Package describing every file here, and every CSV's columns, so tools can load them in one step.", 0, ""})
	return v, nil
}

// EntryJSON is an entry in data/kb.json: its front matter fields, named as
// in the files, plus id, type, url and body.
type EntryJSON struct {
	ID    string  `json:"id"`
	Type  kb.Type `json:"type"`
	URL   string  `json:"url"`
	Title string  `json:"title"`
	Lang  string  `json:"lang"` // the language its text is written in, as its page declares it: "en" or "fr"
	// TitleLang is the language of its title and short name, as given,
	// when it is not the text's.
	TitleLang string   `json:"title_lang,omitempty"`
	Summary   string   `json:"summary,omitempty"`
	Tags      []string `json:"tags"`
	Updated   string   `json:"updated,omitempty"`
	// Changed is the date its page's citation gives (Site.Cited): when
	// the entry's file last changed, by the repository's history, else
	// its updated date. Updated is when a person last reviewed it against
	// its sources.
	Changed string      `json:"changed,omitempty"`
	Related []string    `json:"related"`
	Sources []kb.Source `json:"sources"`

	Short     string          `json:"short,omitempty"`
	Country   string          `json:"country,omitempty"`
	Region    string          `json:"region,omitempty"`
	Level     string          `json:"level,omitempty"`
	Kind      string          `json:"kind,omitempty"`
	Parent    string          `json:"parent,omitempty"`
	Website   string          `json:"website,omitempty"`
	Fleet     []FleetJSON     `json:"fleet,omitempty"`
	Tracker   *TrackerSummary `json:"tracker,omitempty"`
	LegalName string          `json:"legal_name,omitempty"`
	HQ        string          `json:"hq,omitempty"`

	Status     string          `json:"status,omitempty"`
	Introduced string          `json:"introduced,omitempty"`
	Enacted    string          `json:"enacted,omitempty"`
	Effective  string          `json:"effective,omitempty"`
	Expires    string          `json:"expires,omitempty"`
	InForce    *bool           `json:"in_force,omitempty"`
	Restricts  *RestrictsJSON  `json:"restricts,omitempty"`
	Measure    string          `json:"measure,omitempty"`
	Binds      *BindsJSON      `json:"binds,omitempty"`
	Exempts    []ExemptionJSON `json:"exempts,omitempty"`
	Provisions []ProvisionJSON `json:"provisions,omitempty"`
	Date       string          `json:"date,omitempty"`
	Place      string          `json:"place,omitempty"`
	Agencies   []string        `json:"agencies,omitempty"`
	Vendors    []string        `json:"vendors,omitempty"`
	Laws       []string        `json:"laws,omitempty"`
	Body       string          `json:"body"`
}

// FleetJSON is a fleet item in data/kb.json.
type FleetJSON struct {
	Vendor   string            `json:"vendor"`
	Model    string            `json:"model,omitempty"`
	Count    int               `json:"count,omitempty"`
	Acquired string            `json:"acquired,omitempty"`
	Status   string            `json:"status"`
	AsOf     string            `json:"as_of"`
	Source   string            `json:"source,omitempty"`
	Note     string            `json:"note,omitempty"`
	History  []ObservationJSON `json:"history,omitempty"`
}

// ObservationJSON is an earlier observation of a fleet item.
type ObservationJSON struct {
	Date   string `json:"date"`
	Status string `json:"status"`
	Source string `json:"source,omitempty"`
}

// RestrictsJSON is a law's restriction.
type RestrictsJSON struct {
	Vendors   []string `json:"vendors,omitempty"`
	Countries []string `json:"countries,omitempty"`
}

// BindsJSON is whom a law binds; a list absent means "not narrowed".
type BindsJSON struct {
	Levels   *[]string `json:"levels,omitempty"`
	Kinds    *[]string `json:"kinds,omitempty"`
	Agencies *[]string `json:"agencies,omitempty"`
}

// ExemptionJSON is an exemption of a law or provision; a list absent from
// its match means "not narrowed".
type ExemptionJSON struct {
	BindsJSON
	Uses   string `json:"uses,omitempty"`
	Source string `json:"source,omitempty"`
}

// ProvisionJSON is one provision of a law with its defaults resolved: the
// dates it applies between and what it restricts, binds and exempts, the
// law's where the provision gives none. Its own effective and expires are
// as its file writes them. Exempts is always given, [] when it exempts no
// one: a provision absent exempts would read as taking the law's, which a
// funding ban that cancels them (exempts: []) does not (found in review).
type ProvisionJSON struct {
	Measure   string `json:"measure"`
	Effective string `json:"effective,omitempty"`
	Expires   string `json:"expires,omitempty"`
	Start     string `json:"start,omitempty"`
	// InForceBy is the provision's in_force_by, as its file gives it:
	// Start is then not the day it took effect, which no source gives,
	// but the day a source first shows it in force.
	InForceBy string          `json:"in_force_by,omitempty"`
	End       string          `json:"end,omitempty"`
	InForce   bool            `json:"in_force"`
	Restricts *RestrictsJSON  `json:"restricts,omitempty"`
	Binds     *BindsJSON      `json:"binds,omitempty"`
	Exempts   []ExemptionJSON `json:"exempts"`
	Note      string          `json:"note,omitempty"`
}

// TrackerSummary is an agency's tracker status in data/kb.json.
type TrackerSummary struct {
	AsOf     string `json:"as_of"`
	Status   string `json:"status"`
	Why      string `json:"why,omitempty"` // for an unknown status, what makes it unknown
	Reason   string `json:"reason"`
	Stale    bool   `json:"stale"`
	LastSeen string `json:"last_seen,omitempty"`
	// Evidence says what the evidence dated LastSeen is, as tracker.json's
	// evidence does: seen, acquired (a purchase, no sighting) or reported.
	Evidence string `json:"evidence,omitempty"`
}

func restrictsJSON(r kb.Restriction) *RestrictsJSON {
	if r.IsZero() {
		return nil
	}
	return &RestrictsJSON{Vendors: slugs(r.Vendors), Countries: r.Countries}
}

func bindsJSON(b *kb.Binds) *BindsJSON {
	if b == nil {
		return nil
	}
	j := &BindsJSON{}
	if b.HasLevels {
		j.Levels = ptr(nonNil(b.Levels))
	}
	if b.HasKinds {
		j.Kinds = ptr(nonNil(b.Kinds))
	}
	if b.HasAgencies {
		j.Agencies = ptr(slugs(b.Agencies))
	}
	return j
}

func exemptionsJSON(exs []kb.Exemption) []ExemptionJSON {
	var out []ExemptionJSON
	for _, ex := range exs {
		out = append(out, ExemptionJSON{BindsJSON: *bindsJSON(&ex.Match), Uses: ex.Uses, Source: ex.Source})
	}
	return out
}

// slugs returns the slugs of refs, as kb.json gives the fields written in
// the entries' files.
func slugs(refs []kb.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Slug()
	}
	return out
}

func (s *Site) entryJSON(e *kb.Entry) (EntryJSON, error) {
	body, err := e.BodyString()
	if err != nil {
		return EntryJSON{}, err
	}
	j := EntryJSON{ID: e.ID, Type: e.Type, URL: s.AbsURL(EntryPath(e)), Title: e.Title, Lang: e.TextLanguage(), TitleLang: e.TitleLang, Summary: e.Summary,
		Tags: nonNil(e.Tags), Updated: e.Updated.String(), Changed: s.Cited(e).String(), Related: kb.RefIDs(e.Related), Sources: e.Sources, Body: body}
	if j.Sources == nil {
		j.Sources = []kb.Source{}
	}
	switch {
	case e.Agency != nil:
		a := e.Agency
		j.Short, j.Country, j.Region, j.Level, j.Kind, j.Website = a.Short, a.Country, a.Region, a.Level, a.Kind, a.Website
		if a.Parent != nil {
			j.Parent = a.Parent.Slug()
		}
		for _, f := range a.Fleet {
			vendor := f.Vendor.Slug()
			if f.UnknownMake {
				vendor = kb.UnknownVendor
			}
			fj := FleetJSON{Vendor: vendor, Model: f.Model, Count: f.Count, Acquired: f.Acquired.String(),
				Status: f.Status, AsOf: f.AsOf.String(), Source: f.Source, Note: f.Note}
			for _, h := range f.History {
				fj.History = append(fj.History, ObservationJSON{Date: h.Date.String(), Status: h.Status, Source: h.Source})
			}
			j.Fleet = append(j.Fleet, fj)
		}
		if st := s.tracker.Agency(e.ID); st != nil {
			j.Tracker = &TrackerSummary{AsOf: s.opts.AsOf.String(), Status: string(st.Status), Why: st.Why, Reason: st.ReasonText(), Stale: st.Stale, LastSeen: st.LastSeen.String(), Evidence: evidence(st)}
		}
	case e.Vendor != nil:
		v := e.Vendor
		j.LegalName, j.Country, j.HQ, j.Website = v.LegalName, v.Country, v.HQ, v.Website
		if v.Parent != nil {
			j.Parent = v.Parent.Slug()
		}
	case e.Law != nil:
		l := e.Law
		j.Short, j.Kind, j.Country, j.Region, j.Status, j.Measure = l.Short, l.Kind, l.Country, l.Region, l.Status, l.Measure
		j.Introduced, j.Enacted, j.Effective, j.Expires = l.Introduced.String(), l.Enacted.String(), l.Effective.String(), l.Expires.String()
		in := l.InForce(s.opts.AsOf)
		j.InForce = &in
		j.Restricts, j.Binds, j.Exempts = restrictsJSON(l.Restricts), bindsJSON(l.Binds), exemptionsJSON(l.Exempts)
		if l.Listed {
			for _, p := range l.Provisions {
				effective := p.Effective.String()
				if p.InForceBy {
					effective = "" // its file gives in_force_by (InForceBy), not effective
				}
				exempts := exemptionsJSON(p.Exempts)
				if exempts == nil {
					exempts = []ExemptionJSON{}
				}
				j.Provisions = append(j.Provisions, ProvisionJSON{Measure: p.Measure, Effective: effective, Expires: p.Expires.String(),
					Start: p.Start.String(), InForceBy: p.InForceByDate(), End: p.End.String(),
					InForce: p.InForce(s.opts.AsOf), Restricts: restrictsJSON(p.Restricts), Binds: bindsJSON(p.Binds),
					Exempts: exempts, Note: p.Note})
			}
		}
	case e.Incident != nil:
		in := e.Incident
		j.Date, j.Place, j.Country, j.Region, j.Kind = in.Date.String(), in.Place, in.Country, in.Region, in.Kind
		j.Agencies, j.Vendors, j.Laws = slugs(in.Agencies), slugs(in.Vendors), slugs(in.Laws)
	}
	return j, nil
}

func ptr[T any](v T) *T { return &v }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeTrackerJSON writes the tracker's report as json.Marshal would write
// kb.Tracker.Report's, making each row as it writes it: with the knowledge
// base the rows grow to hundreds of megabytes.
func (s *Site) writeTrackerJSON(out io.Writer) error {
	data, err := json.Marshal(s.tracker.ReportHead())
	if err != nil {
		return err
	}
	// data ends with "agencies":null}: the rows go in its place.
	prefix, ok := bytes.CutSuffix(data, []byte(`null}`))
	if !ok {
		return fmt.Errorf("tracker.json: unexpected encoding %.40q", data)
	}
	if _, err := out.Write(append(prefix, '[')); err != nil {
		return err
	}
	var enc jsonItems
	for i, as := range s.tracker.Agencies {
		if err := enc.write(out, i, as.Row(s.AbsEntryURL)); err != nil {
			return err
		}
	}
	_, err = io.WriteString(out, "]}\n")
	return err
}

// writeTrackerCSV writes the tracker's report as kb.TrackerReport.WriteCSV
// would, making each row as it writes it.
func (s *Site) writeTrackerCSV(out io.Writer) error {
	c, err := kb.NewTrackerCSV(out, s.tracker.AsOf.String())
	if err != nil {
		return err
	}
	for _, as := range s.tracker.Agencies {
		row := as.Row(s.AbsEntryURL)
		if err := c.Write(&row); err != nil {
			return err
		}
	}
	return c.Close()
}

// trackerHistoryHeader is tracker-history.csv's header: the date, then
// each status's count, its name with "_" for "-" as tracker.csv's columns
// are named.
func trackerHistoryHeader() []string {
	h := []string{"date"}
	for _, st := range kb.Statuses {
		h = append(h, strings.ReplaceAll(string(st), "-", "_"))
	}
	return h
}

// writeTrackerHistoryCSV writes the tracker's counts on each date of its
// chart, one row a date, oldest first.
func (s *Site) writeTrackerHistoryCSV(out io.Writer) error {
	cw := csv.NewWriter(out)
	if err := cw.Write(trackerHistoryHeader()); err != nil {
		return err
	}
	points := s.chartView().Points
	if len(points) == 0 {
		// No observation on record: the chart is empty, but the last row
		// is always the tracker's date.
		points = []kb.SeriesPoint{{Date: s.opts.AsOf, Counts: s.tracker.Counts}}
	}
	row := make([]string, 1+len(kb.Statuses))
	for _, p := range points {
		row[0] = p.Date.String()
		for i, st := range kb.Statuses {
			row[1+i] = strconv.Itoa(p.Counts[st])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonItems writes the items of a JSON array one at a time, as
// json.Marshal would write each, through one buffer: a download of a
// hundred thousand items then makes no garbage of its own for each.
type jsonItems struct {
	buf bytes.Buffer
	enc *json.Encoder
}

// write writes item i of the array, after a comma unless it is the first.
func (j *jsonItems) write(out io.Writer, i int, v any) error {
	if j.enc == nil {
		j.enc = json.NewEncoder(&j.buf)
	}
	j.buf.Reset()
	if i > 0 {
		j.buf.WriteByte(',')
	}
	// The encoder writes what json.Marshal returns, and a newline.
	if err := j.enc.Encode(v); err != nil {
		return err
	}
	_, err := out.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte{'\n'}))
	return err
}

// marshalJSONIndent writes indented JSON, for small files people read.
func marshalJSONIndent(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	return append(data, '\n'), err
}

// marshalJSON writes compact JSON: the downloads grow with the knowledge
// base, and every byte is stored, uploaded and fetched.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *Site) dataJobs() []job {
	jobs := []job{
		func(w *writer) error {
			// {"as_of":…,"entries":[…],"generator":"dronekb"}, as one
			// json.Marshal of the whole would write it, an entry at a
			// time: the file is the size of the knowledge base.
			return w.stream("data/kb.json", func(out io.Writer) error {
				asOf, err := json.Marshal(s.opts.AsOf.String())
				if err != nil {
					return err
				}
				if _, err := fmt.Fprintf(out, `{"as_of":%s,"entries":[`, asOf); err != nil {
					return err
				}
				var enc jsonItems
				for i, e := range s.kb.Entries {
					j, err := s.entryJSON(e)
					if err != nil {
						return err
					}
					if err := enc.write(out, i, j); err != nil {
						return err
					}
				}
				_, err = io.WriteString(out, "],\"generator\":\"dronekb\"}\n")
				return err
			})
		},
		func(w *writer) error {
			// The tracker's rows, each made as it is written: with the
			// knowledge base they grow to hundreds of megabytes.
			if err := w.stream("data/tracker.json", s.writeTrackerJSON); err != nil {
				return err
			}
			return w.stream("data/tracker.csv", s.writeTrackerCSV)
		},
		func(w *writer) error {
			return w.stream("data/tracker-history.csv", s.writeTrackerHistoryCSV)
		},
	}
	for _, x := range s.opts.Exports {
		x := x
		jobs = append(jobs, func(w *writer) error {
			rel := path.Clean(x.Path)
			if !strings.HasPrefix(rel, "data/") {
				return fmt.Errorf("an export writes %q, outside data/", x.Path)
			}
			dir := w.dir
			if dir == "" {
				// Render: an export writes a file, so a temporary one.
				tmp, err := os.MkdirTemp("", "dronekb-export-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				dir = tmp
			}
			file := filepath.Join(dir, filepath.FromSlash(rel))
			final := file
			if w.sync != nil && w.dir != "" {
				// Written beside the old file, and put in its place only
				// if its bytes differ.
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					return err
				}
				tmp, err := w.create(file)
				if err != nil {
					return err
				}
				tmp.Close()
				os.Remove(tmp.Name())
				file = tmp.Name()
				defer os.Remove(file)
			}
			if err := x.Write(s, file); err != nil {
				return err
			}
			st, err := os.Stat(file)
			if err != nil {
				return err
			}
			if file != final {
				if err := w.commit(rel, file, final); err != nil {
					return err
				}
			}
			w.files.Add(1)
			w.bytes.Add(st.Size())
			w.wrote(rel, st.Size())
			return nil
		})
	}
	for _, sec := range kb.Sections {
		sec := sec
		jobs = append(jobs, func(w *writer) error {
			// Written as it is made: a section's CSV grows with the
			// knowledge base.
			return w.stream("data/"+sec.Dir+".csv", func(out io.Writer) error { return s.writeSectionCSV(out, sec) })
		})
	}
	return jobs
}

// AbsEntryURL returns an entry's absolute URL when the base URL is absolute.
func (s *Site) AbsEntryURL(e *kb.Entry) string { return s.AbsURL(EntryPath(e)) }

// EntryURLs returns AbsEntryURL of a site built for baseURL (--base-url),
// without building it: the urls dronekb tracker prints.
func EntryURLs(baseURL string) (func(*kb.Entry) string, error) {
	base, abs, err := ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	return (&Site{base: base, absBase: abs}).AbsEntryURL, nil
}

// sectionHeader returns the columns of a section's CSV.
func sectionHeader(sec kb.Section) []string {
	tail := []string{"tags", "updated", "sources", "url"}
	var h []string
	switch sec.Type {
	case kb.TypeAgency:
		h = []string{"id", "title", "summary", "short", "country", "region", "level", "kind", "parent", "website", "fleet_items", "tracker_status", "tracker_reason", "stale", "last_seen"}
	case kb.TypeVendor:
		h = []string{"id", "title", "summary", "legal_name", "country", "hq", "website", "parent", "restricted", "restricting_laws"}
	case kb.TypeLaw:
		h = []string{"id", "title", "summary", "short", "kind", "country", "region", "status", "introduced", "enacted", "effective", "expires", "in_force", "measure", "restricts_vendors", "restricts_countries", "binds_levels", "binds_kinds", "binds_agencies", "provisions"}
	case kb.TypeIncident:
		h = []string{"id", "title", "summary", "date", "place", "country", "region", "kind", "agencies", "vendors", "laws"}
	}
	h = append(h, tail...)
	if sec.Type == kb.TypeAgency {
		h = append(h, "evidence")
	}
	return h
}

// evidence says what the evidence dated an agency's last_seen is, as
// tracker.json's evidence does (seen, acquired or reported); "" when
// nothing is on record. A purchase read as a sighting was the error
// tracker.json's evidence mended; agencies.csv, kb.json and kb.sqlite
// give the same date, so they say the same of it.
func evidence(st *kb.AgencyStatus) string {
	if st == nil || st.LastSeen.IsZero() {
		return ""
	}
	return st.EvidenceVerb()
}

// writeSectionCSV writes the CSV of a section's entries to out.
func (s *Site) writeSectionCSV(out io.Writer, sec kb.Section) error {
	header := sectionHeader(sec)
	row := func(e *kb.Entry) []string { return nil }
	j := ";"
	common := func(e *kb.Entry) []string {
		return []string{e.ID, e.Title, e.Summary}
	}
	tail := func(e *kb.Entry) []string {
		var urls []string
		for _, src := range e.Sources {
			urls = append(urls, src.URL)
		}
		return []string{strings.Join(e.Tags, j), e.Updated.String(), strings.Join(urls, " "), s.AbsEntryURL(e)}
	}
	after := func(e *kb.Entry) []string { return nil }
	switch sec.Type {
	case kb.TypeAgency:
		row = func(e *kb.Entry) []string {
			a := e.Agency
			parent := ""
			if a.Parent != nil {
				parent = a.Parent.ID
			}
			st := s.tracker.Agency(e.ID)
			return append(common(e), a.Short, a.Country, a.Region, a.Level, a.Kind, parent, a.Website,
				strconv.Itoa(len(a.Fleet)), string(st.Status), st.ReasonText(), strconv.FormatBool(st.Stale), st.LastSeen.String())
		}
		// After the tail, as tracker.csv's evidence came after its
		// columns: a reader taking them by place finds them where they were.
		after = func(e *kb.Entry) []string { return []string{evidence(s.tracker.Agency(e.ID))} }
	case kb.TypeVendor:
		row = func(e *kb.Entry) []string {
			v := e.Vendor
			parent := ""
			if v.Parent != nil {
				parent = v.Parent.ID
			}
			var laws []string
			for _, p := range s.tracker.RestrictedBy(e.ID) {
				if n := len(laws); n == 0 || laws[n-1] != p.Law.ID {
					laws = append(laws, p.Law.ID)
				}
			}
			return append(common(e), v.LegalName, v.Country, v.HQ, v.Website, parent, strconv.FormatBool(len(laws) > 0), strings.Join(laws, j))
		}
	case kb.TypeLaw:
		row = func(e *kb.Entry) []string {
			l := e.Law
			var bl, bk, ba string
			if b := l.Binds; b != nil {
				bl, bk, ba = narrowedCell(b.HasLevels, b.Levels, j), narrowedCell(b.HasKinds, b.Kinds, j), narrowedCell(b.HasAgencies, kb.RefIDs(b.Agencies), j)
			}
			return append(common(e), l.Short, l.Kind, l.Country, l.Region, l.Status, l.Introduced.String(), l.Enacted.String(),
				l.Effective.String(), l.Expires.String(), strconv.FormatBool(l.InForce(s.opts.AsOf)), strings.Join(l.Measures(), j),
				strings.Join(kb.RefIDs(l.Restricts.Vendors), j), strings.Join(l.Restricts.Countries, j), bl, bk, ba, provisionsCell(l))
		}
	case kb.TypeIncident:
		row = func(e *kb.Entry) []string {
			in := e.Incident
			return append(common(e), in.Date.String(), in.Place, in.Country, in.Region, in.Kind,
				strings.Join(kb.RefIDs(in.Agencies), j), strings.Join(kb.RefIDs(in.Vendors), j), strings.Join(kb.RefIDs(in.Laws), j))
		}
	}
	cw := csv.NewWriter(out)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, e := range s.kb.Section(sec.Dir) {
		if err := cw.Write(kb.SafeCells(append(append(row(e), tail(e)...), after(e)...))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// noneCell is what a CSV cell of a law's binds says for a list given
// empty, which matches no agency: an empty cell says the list was not
// given, which narrows nothing (`binds: {agencies: []}` binds no agency,
// `binds: {}` every agency in the jurisdiction).
const noneCell = "(none)"

// narrowedCell is the cell of a binds list: its values joined by sep,
// empty when the list was not given, noneCell when it was given empty.
func narrowedCell(given bool, values []string, sep string) string {
	if given && len(values) == 0 {
		return noneCell
	}
	return strings.Join(values, sep)
}

// provisionsCell summarises a law's provisions in one CSV cell:
// "procurement 2023-12-22–; operation 2025-12-22– (2 exemptions)".
func provisionsCell(l *kb.Law) string {
	var parts []string
	for _, p := range l.Provisions {
		words := []string{}
		if p.Measure != "" {
			words = append(words, p.Measure)
		}
		if !p.Start.IsZero() || !p.End.IsZero() {
			words = append(words, p.Start.String()+"–"+p.End.String())
		}
		if p.InForceBy {
			words = append(words, "(in force by "+p.Start.String()+"; the day it took effect is not on record)")
		}
		var notes []string
		// Whom it binds, when it differs from the law's own binds (a
		// funding clause that binds state and local agencies only).
		if by := bindsText(p.Binds); by != bindsText(l.Binds) {
			if by == "" {
				by = "every agency in its jurisdiction"
			}
			notes = append(notes, "binds "+by)
		}
		if n := len(p.Exempts); n > 0 {
			notes = append(notes, fmt.Sprintf("%d exemption%s", n, map[bool]string{true: "", false: "s"}[n == 1]))
		}
		if len(notes) > 0 {
			words = append(words, "("+strings.Join(notes, ", ")+")")
		}
		parts = append(parts, strings.Join(words, " "))
	}
	return strings.Join(parts, "; ")
}

// bindsText says whom b narrows a law's agencies to ("levels
// state/local"), "" when it does not narrow them (nil, or no list given).
func bindsText(b *kb.Binds) string {
	if b == nil {
		return ""
	}
	var by []string
	if b.HasLevels {
		by = append(by, "levels "+narrowedCell(true, b.Levels, "/"))
	}
	if b.HasKinds {
		by = append(by, "kinds "+narrowedCell(true, b.Kinds, "/"))
	}
	if b.HasAgencies {
		by = append(by, "agencies "+narrowedCell(true, kb.RefIDs(b.Agencies), " "))
	}
	return strings.Join(by, ", ")
}
