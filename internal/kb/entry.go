package kb

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"io/fs"
	"math"
	"slices"
	"sync"

	"github.com/dronekb/dronekb/internal/markdown"
	"github.com/dronekb/dronekb/internal/titlesort"
)

// Type is the kind of an entry, given by its section.
type Type string

const (
	TypeAgency   Type = "agency"
	TypeVendor   Type = "vendor"
	TypeLaw      Type = "law"
	TypeIncident Type = "incident"
	// TypePage is a page of the site's own, such as its methodology
	// (content/pages/about.md, shown at /about/): not an entry of the
	// knowledge base, so it is in no list, download or search.
	TypePage Type = "page"
)

// PagesSection is the directory of the site's own pages.
var PagesSection = Section{Dir: "pages", Type: TypePage, Plural: "pages", Title: "Pages"}

// PageHome is the page whose text introduces the home page instead of
// being a page of its own: content/pages/home.md.
const PageHome = "home"

// ReservedPageSlugs are the site's own paths, which a page may not take.
var ReservedPageSlugs = []string{"agencies", "vendors", "laws", "incidents", "pages", "tracker", "search", "data",
	"countries", "tags", "assets", "api", "schema", "timeline", "feed", "sitemap", "robots", "404", "index", "_dronekb"}

// Section is a directory of content/ and the type of the entries in it.
type Section struct {
	Dir    string // "agencies"
	Type   Type   // TypeAgency
	Plural string // "agencies", for people
	Title  string // "Agencies"
}

// Sections lists the knowledge base's sections in the order pages show them.
var Sections = []Section{
	{Dir: "agencies", Type: TypeAgency, Plural: "agencies", Title: "Agencies"},
	{Dir: "vendors", Type: TypeVendor, Plural: "vendors", Title: "Vendors"},
	{Dir: "laws", Type: TypeLaw, Plural: "laws and policies", Title: "Laws and policies"},
	{Dir: "incidents", Type: TypeIncident, Plural: "incidents", Title: "Incidents"},
}

// SectionOf returns the section with directory dir.
func SectionOf(dir string) (Section, bool) {
	for _, s := range Sections {
		if s.Dir == dir {
			return s, true
		}
	}
	return Section{}, false
}

// SectionFor returns the section that holds entries of type t.
func SectionFor(t Type) Section {
	for _, s := range Sections {
		if s.Type == t {
			return s
		}
	}
	if t == TypePage {
		return PagesSection
	}
	return Section{}
}

// Entry is one checked knowledge-base entry: a file content/<section>/<slug>.md.
type Entry struct {
	ID      string // "agencies/nypd"
	Type    Type
	Section string // "agencies"
	Slug    string // "nypd"
	Path    string // path relative to the content root: "agencies/nypd.md"
	File    string // path as shown in diagnostics: "content/agencies/nypd.md"
	Format  string // front matter format: "yaml", "toml" or "json"

	Title   string
	Summary string
	// titleKey is what the title sorts by (TitleKey), made when the
	// entry is read.
	titleKey titlesort.Key
	Lang     string // as written: "en", "fr" or ""; Language gives the default
	// TitleLang is the language of the title and short name, as written
	// (title_lang), when it is not the text's: "" when they share it.
	TitleLang string
	Tags      []string
	Updated   Date
	Related   []Ref
	Sources   []Source

	BodyLine int // file line of the body's first line; Body reads the body
	body     bodyAt

	// Exactly one of these is set, matching Type.
	Agency   *Agency
	Vendor   *Vendor
	Law      *Law
	Incident *Incident

	words      markdown.Text // the body's words without markup, as parts of Body
	refs       []refUse      // every reference, for checking; Links and Refs read them
	miswritten []string      // what was written, in order, for each reference that is miswritten
	// refNames are the names in messages of the references written in a
	// list's item, "fleet[2].vendor", which their field ("fleet.vendor")
	// does not give; refUse.name indexes them.
	refNames []string
	// slugsAlone are the references written as a slug alone where an
	// entry ID was asked for (related: [nypd]), each with the field's
	// name: which sections hold that slug is known once every entry is
	// read, and the message names them (KB.resolve).
	slugsAlone []slugAlone
	keys       []keyAt // where each top-level key was written, and where the front matter starts
}

// slugAlone is a slug written where an entry's ID was asked for, in the
// field name: Ref.ID is the slug.
type slugAlone struct {
	name string
	Ref
}

// keyAt is where a front matter key was written: field is the key's
// index in the entry type's fields (FrontMatter) plus one, or 0 for the
// start of the front matter. It is kept small, as a knowledge base of
// 100,000 entries keeps more than a million: 12 bytes where a name and a
// Pos took 32.
//
// valLine and valCol say where the key's value starts, for a diagnostic
// about the value: valLine lines below the key, at column valCol, or not
// known when valCol is 0 (a value far below its key, or far to the
// right). They fill what would be padding after field.
type keyAt struct {
	field     uint8
	valLine   uint8
	valCol    uint16
	line, col int32
}

func keyAtPos(field uint8, p Pos) keyAt {
	return keyAt{field: field, line: int32(p.Line), col: int32(p.Col)}
}

// keyValueAt is keyAtPos with where the key's value starts.
func keyValueAt(field uint8, key, value Pos) keyAt {
	k := keyAtPos(field, key)
	if dl := value.Line - key.Line; dl >= 0 && dl <= math.MaxUint8 && value.Col > 0 && value.Col <= math.MaxUint16 {
		k.valLine, k.valCol = uint8(dl), uint16(value.Col)
	}
	return k
}

func (k keyAt) pos() Pos { return Pos{Line: int(k.line), Col: int(k.col)} }

// valuePos is where the key's value starts, else where the key is.
func (k keyAt) valuePos() Pos {
	if k.valCol == 0 {
		return k.pos()
	}
	return Pos{Line: int(k.line) + int(k.valLine), Col: int(k.valCol)}
}

// Ref is a reference to another entry, by full ID, with where it was written.
type Ref struct {
	ID  string // "vendors/dji"
	Pos Pos
}

// Slug returns the slug part of the referenced ID.
func (r Ref) Slug() string {
	for i := len(r.ID) - 1; i >= 0; i-- {
		if r.ID[i] == '/' {
			return r.ID[i+1:]
		}
	}
	return r.ID
}

// RefIDs returns the IDs of refs: the downloads' tables refer to entries by
// ID, as their id columns name them, so that they join.
func RefIDs(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.ID
	}
	return out
}

// Source is a document that supports the entry's claims.
type Source struct {
	URL       string `json:"url"`
	Title     string `json:"title,omitempty"`
	Publisher string `json:"publisher,omitempty"`
	Date      Date   `json:"date,omitzero"`
	Archive   string `json:"archive,omitempty"`
	Lang      string `json:"lang,omitempty"` // of its title, when not the entry's text's
	Pos       Pos    `json:"-"`
	DatePos   Pos    `json:"-"` // where date is written, for check's messages
}

// Agency is a government body that flies drones or makes drone policy.
type Agency struct {
	Short   string
	Country string
	Region  string
	Level   string // national | state | local
	Kind    string // police | military | civil | emergency | intelligence | other
	Parent  *Ref
	Website string
	Fleet   []FleetItem
}

// Fleet item statuses.
const (
	StatusActive   = "active"
	StatusGrounded = "grounded"
	StatusRetired  = "retired"
	StatusUnknown  = "unknown"
)

// FleetItem is a kind of aircraft an agency flies (or flew), with the dated
// observations that say what became of it.
type FleetItem struct {
	Vendor Ref // zero when the make is not established (vendor: unknown)
	// UnknownMake is set by `vendor: unknown`: the agency flies drones whose
	// make no source establishes, so the tracker cannot call them clear.
	UnknownMake bool
	Model       string
	Count       int // 0 when not known
	Acquired    Date
	Status      string
	AsOf        Date
	Source      string
	Note        string
	History     []Observation
	Pos         Pos // of the item
	// AsOfPos and AcquiredPos are where its as_of and acquired dates are
	// written, for the messages about them.
	AsOfPos, AcquiredPos Pos
	Index                int // position in the fleet list, from 0
}

// Observation is a dated status of a fleet item, with its source.
type Observation struct {
	Date   Date
	Status string
	Source string
	// Pos is that of the history entry, or of the fleet item for its own
	// status and its acquisition: what tells observations apart.
	Pos Pos
	// DatePos is where its date is written.
	DatePos Pos
	// Acquisition marks the observation a fleet item's acquired date makes.
	Acquisition bool
}

// From returns the day from which the tracker counts the observation. A
// date given as a month or a year covers a period, and the tracker takes
// the end that says less against the agency: a sighting or a purchase
// ("active") counts from the period's last day, when it has surely
// happened ("acquired 2020" from 2020-12-31), any other status from its
// first. An active one's age runs from its first day (IsStale), so the
// evidence is never counted younger than it may be.
func (o Observation) From() Date {
	if o.Status == StatusActive {
		return o.Date.LastDay()
	}
	return o.Date.FirstDay()
}

// Pending reports whether an event dated date, which the tracker counts
// from the day from (Observation.From; a law's start from its last day),
// falls in a month or a year that holds d but is not counted on d yet.
func Pending(date, from, d Date) bool { return !date.After(d) && from.After(d) }

// PendingOn reports whether the observation is dated by a month or a
// year that holds d and so is not counted on d yet (Pending).
func (o Observation) PendingOn(d Date) bool { return Pending(o.Date, o.From(), d) }

// order is where the observation falls among the item's others, the end
// of its period that says less against the agency again: a sighting or a
// purchase by its first day, so that a purchase "in 2020-04" comes before
// a sighting on 2020-04-08; a grounding, a retirement or a report of
// unknown status by its last, so that one "in 2023-06" comes after a
// sighting on 2023-06-20 (either may have come first).
func (o Observation) order() Date {
	if o.Status == StatusActive {
		return o.Date.FirstDay()
	}
	return o.Date.LastDay()
}

// Observations returns every observation of the item, oldest first (by
// order: a report other than a sighting given as a month or a year counts
// as its period's last day): its acquisition (as "active"), its history
// and its own status. On the same day a later kind wins: acquired, then
// history in order, then the item's own.
func (f *FleetItem) Observations() []Observation {
	var out []Observation
	own := f.own()
	if !f.Acquired.IsZero() && !own.Acquisition {
		out = append(out, f.acquisition())
	}
	out = append(out, f.History...)
	out = append(out, own)
	// Stable insertion sort by date: a handful of items, and it keeps the tie order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].order().Before(out[j-1].order()); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// acquisition is the observation the item's acquired date makes. It has no
// source of its own: it cites the history's first observation of the item
// flying that day if there is one, the document that records it, else the
// item's source.
func (f *FleetItem) acquisition() Observation {
	src := f.Source
	for _, h := range f.History {
		if h.Date == f.Acquired && h.Status == StatusActive && h.Source != "" {
			src = h.Source
			break
		}
	}
	return Observation{Date: f.Acquired, Status: StatusActive, Source: src, Pos: f.Pos, DatePos: f.AcquiredPos, Acquisition: true}
}

// own is the observation the item's own status and as_of make. When it
// restates the acquisition — active, on the day acquired, from the same
// document — it is that acquisition: a source that reports a purchase
// gives the item both dates, as_of being required, and the purchase is no
// sighting of the drones flying ("acquired 2021-07", not "seen flying").
func (f *FleetItem) own() Observation {
	o := Observation{Date: f.AsOf, Status: f.Status, Source: f.Source, Pos: f.Pos, DatePos: f.AsOfPos}
	if !f.Acquired.IsZero() && f.AsOf == f.Acquired && f.Status == StatusActive && f.acquisition().Source == f.Source {
		o.Acquisition = true
	}
	return o
}

// LatestIsAcquisition reports whether the item's own status and as_of
// restate its acquisition (own): its latest report is its purchase.
func (f *FleetItem) LatestIsAcquisition() bool { return f.own().Acquisition }

// FirstSeen returns the earliest date of the item's observations, by
// their first days, without making the list: where the tracker's history
// of the item can begin.
func (f *FleetItem) FirstSeen() Date {
	// Of dates that start on the same day, the first listed.
	first, have := f.Acquired, !f.Acquired.IsZero()
	for _, h := range f.History {
		if !have || h.Date.Before(first) {
			first, have = h.Date, true
		}
	}
	if !have || f.AsOf.Before(first) {
		first = f.AsOf
	}
	return first
}

// Vendor is a company that makes drones or drone parts.
type Vendor struct {
	LegalName string
	Country   string
	HQ        string
	Website   string
	Parent    *Ref
}

// Law is a statute, regulation, executive order, agency policy or bill.
//
// What a law does to drone hardware is a list of provisions: a law that
// phases in lists them under `provisions`, each defaulting to the law's own
// fields; a law without them is one provision made of its own measure,
// dates, restricts, binds and exempts. Provisions always holds at least
// that one, and is what the tracker reads.
type Law struct {
	Short      string
	Kind       string // statute | regulation | executive-order | policy | bill
	Country    string
	Region     string
	Status     string // proposed | enacted | expired | repealed | failed
	Introduced Date
	Enacted    Date
	Effective  Date
	Expires    Date
	Restricts  Restriction
	Measure    string // procurement | operation | funding | data | review | advisory
	Binds      *Binds // nil: binds every agency in its jurisdiction
	Exempts    []Exemption

	// Provisions are the law's provisions with every default resolved: the
	// ones it lists, or the single provision the law itself makes.
	Provisions []*Provision
	// Listed reports whether the law lists its provisions.
	Listed bool
}

// Measures returns the measures of the law's provisions, each once, in
// the order the law gives them: its own measure when it lists none. A
// law phased in or with an operating ban beside its purchase ban has
// several; the lists and tables that show a law in one cell show them
// all, where Measure, as written, is empty.
func (l *Law) Measures() []string {
	var out []string
	for _, p := range l.Provisions {
		if p.Measure != "" && !slices.Contains(out, p.Measure) {
			out = append(out, p.Measure)
		}
	}
	if len(out) == 0 && l.Measure != "" {
		out = append(out, l.Measure)
	}
	return out
}

// Measures that restrict hardware; the others (data, review, advisory)
// only inform the pages.
const (
	MeasureOperation   = "operation"
	MeasureProcurement = "procurement"
	MeasureFunding     = "funding"
	MeasureData        = "data"
	MeasureReview      = "review"
	MeasureAdvisory    = "advisory"
)

// Restricting reports whether a measure restricts hardware.
func Restricting(measure string) bool {
	return measure == MeasureOperation || measure == MeasureProcurement || measure == MeasureFunding
}

// Provision is one measure of a law with its own dates, hardware, and whom
// it binds and exempts, every field the provision leaves out taken from its
// law.
type Provision struct {
	Law     *Entry // the law it belongs to
	Index   int    // position in the law's provisions list, from 0
	Measure string
	// Effective and Expires are as written on the provision (zero when it
	// takes the law's); Start and End are the resolved dates: its
	// effective, else the law's effective, else the law's enacted date;
	// its expires, else the law's (zero: open-ended).
	Effective, Expires Date
	Start, End         Date
	// InForceBy says that Start is not the day the provision took effect,
	// which no source gives, but the day a source first shows it in force
	// (its in_force_by): it is counted from then, which may understate
	// it, never overstate it, and pages say "since … at the latest".
	InForceBy bool
	Restricts Restriction
	Binds     *Binds // nil: every agency in the law's jurisdiction
	Exempts   []Exemption
	Note      string
	Pos       Pos
}

// InForceByDate is the provision's in_force_by as its file gives it (its
// Start, then the day a source first shows it in force), or "" when its
// start is the day it took effect: what kb.json and kb.sqlite write.
func (p *Provision) InForceByDate() string {
	if !p.InForceBy {
		return ""
	}
	return p.Start.String()
}

// StartEvent says what happens on Start, for a timeline: "takes effect",
// or "in force by then" when the day it took effect is not on record.
func (p *Provision) StartEvent() string {
	if p.InForceBy {
		return "in force by then (the day it took effect is not on record)"
	}
	return "takes effect"
}

// Restricting reports whether the provision's measure restricts hardware and
// it names some.
func (p *Provision) Restricting() bool { return Restricting(p.Measure) && !p.Restricts.IsZero() }

// Label names the provision for people: the law's short name or title, and
// for a law with several provisions, its measure ("ASDA (operation)").
func (p *Provision) Label() string {
	name := p.Law.Law.Name(p.Law)
	if p.Law.Law.Listed && len(p.Law.Law.Provisions) > 1 {
		return name + " (" + p.Measure + ")"
	}
	return name
}

// Name returns the name pages and sentences use for the law: its short
// name, else its title.
func (l *Law) Name(e *Entry) string {
	if l.Short != "" {
		return l.Short
	}
	return e.Title
}

// Exemption lets agencies off a law or provision: those matching every list
// it gives (like Binds), for the uses it names, on the word of its source.
type Exemption struct {
	Match  Binds
	Uses   string
	Source string
	Pos    Pos
}

// Restriction is the hardware a law restricts: vendors by slug and vendors
// by country of origin.
type Restriction struct {
	Vendors   []Ref
	Countries []string
}

// IsZero reports whether the law restricts no hardware.
func (r Restriction) IsZero() bool { return len(r.Vendors) == 0 && len(r.Countries) == 0 }

// Binds narrows whom a law binds inside its jurisdiction. A list that is not
// given does not narrow; a list given empty matches no agency.
type Binds struct {
	Levels, Kinds                    []string
	Agencies                         []Ref
	HasLevels, HasKinds, HasAgencies bool
}

// Matches reports whether agency a (of ID id) matches every list b gives.
func (b *Binds) Matches(id string, a *Agency) bool {
	if b.HasLevels && !contains(b.Levels, a.Level) {
		return false
	}
	if b.HasKinds && !contains(b.Kinds, a.Kind) {
		return false
	}
	if b.HasAgencies {
		for _, r := range b.Agencies {
			if r.ID == id {
				return true
			}
		}
		return false
	}
	return true
}

// Incident is a dated event: a deployment, a purchase, a grounding, a ruling.
type Incident struct {
	Date     Date
	Place    string
	Country  string
	Region   string
	Agencies []Ref
	Vendors  []Ref
	Laws     []Ref
	Kind     string // surveillance | protest | crash | data | policy | other
}

// Country returns the entry's country code, if its type has one.
func (e *Entry) Country() string {
	switch {
	case e.Agency != nil:
		return e.Agency.Country
	case e.Vendor != nil:
		return e.Vendor.Country
	case e.Law != nil:
		return e.Law.Country
	case e.Incident != nil:
		return e.Incident.Country
	}
	return ""
}

// Region returns the entry's ISO 3166-2 region code, if any.
func (e *Entry) Region() string {
	switch {
	case e.Agency != nil:
		return e.Agency.Region
	case e.Law != nil:
		return e.Law.Region
	case e.Incident != nil:
		return e.Incident.Region
	}
	return ""
}

// LawProximity ranks how near a law's jurisdiction is to an agency's: 0
// for the agency's own (the law's country, and no region or the agency's),
// 1 for another region of its country, 2 for another country. Lists of the
// laws that restrict an agency's drones without binding it name the
// nearest first: for a Texas police force a federal law that binds other
// agencies says more than another state's act.
func LawProximity(agency, law *Entry) int {
	switch {
	case law.Country() != agency.Country():
		return 2
	case law.Region() != "" && law.Region() != agency.Region():
		return 1
	}
	return 0
}

// OtherJurisdictions counts, of laws, those of another state or country,
// which cannot bind the agency (far), and of those the other countries'
// (foreign): what the tracker's sentence and the agency's page say of
// the laws that restrict its drones without binding it.
func OtherJurisdictions(agency *Entry, laws []*Entry) (far, foreign int) {
	for _, l := range laws {
		switch LawProximity(agency, l) {
		case 2:
			foreign++
			far++
		case 1:
			far++
		}
	}
	return far, foreign
}

// NearestLawsFirst returns laws in the order of their LawProximity to the
// agency, each rank in the order laws gives; laws itself is left as it is.
// There are three ranks, so it counts them and places each law, in two
// passes: the tracker asks this of every agency whose drones laws restrict
// without binding it, on every date it shows, and a sort of the 78 laws on
// Chinese-made hardware of a 100,000-entry knowledge base compares about
// 78 × log₂ 78 ≈ 490 pairs, each asking LawProximity twice.
func NearestLawsFirst(agency *Entry, laws []*Entry) []*Entry {
	var count [3]int
	sorted, last := true, 0
	for _, l := range laws {
		rank := LawProximity(agency, l)
		count[rank]++
		sorted = sorted && rank >= last
		last = rank
	}
	if sorted {
		return laws
	}
	out := make([]*Entry, len(laws))
	at := [3]int{0, count[0], count[0] + count[1]}
	for _, l := range laws {
		rank := LawProximity(agency, l)
		out[at[rank]] = l
		at[rank]++
	}
	return out
}

// Text returns the body's words without markup, for search: made anew
// from Body at each call (see markdown.Text), with Body's error.
func (e *Entry) Text() (string, error) { return e.Words().Text() }

// Words is an entry's body's words as a value of its own: what Entry.Text
// reads, without the entry. A search document keeps it, so that the
// documents hold neither the entries nor, through their links, the
// knowledge base, which a large build lets go of before it writes its
// search indexes (build.Config.LetGo).
type Words struct {
	text       markdown.Text
	body       bodyAt
	path, file string
}

// Words returns the entry's Words.
func (e *Entry) Words() Words { return Words{e.words, e.body, e.Path, e.File} }

// Text is Entry.Text of the entry w was taken from.
func (w Words) Text() (string, error) {
	if w.text.Empty() {
		return "", nil
	}
	var text string
	err := w.body.use(w.path, w.file, func(body []byte) error {
		text = w.text.String(body)
		return nil
	})
	return text, err
}

// SameBody is Entry.SameBody of the entries w and o were taken from.
func (w Words) SameBody(o Words) bool { return w.body.same(o.body) }

// bodyAt is where an entry's body is in its file, which Body reads again.
// A knowledge base keeps only as many bodies as Options.BodyMemory has
// room for (or all of them, with Options.KeepBodies):
// they were the largest part of what it holds, 210 of the 930 MB live
// after loading 100,000 entries, and each is read a few times in a build
// (its page, the downloads, the two search indexes), from the page cache
// by then.
type bodyAt struct {
	fsys     fs.FS
	off, len int32  // in the file as loaded: without a byte order mark, its line ends \n
	sum      uint64 // of the body, with bodySeed
	kept     []byte // the body itself, when the loader kept it (Options.KeepBodies, Options.BodyMemory)
}

// bodySeed seeds the bodies' sums. It is the process's own: a sum is
// compared only with others made by the same process.
var bodySeed = maphash.MakeSeed()

// SameBody reports whether e and o were loaded with the same body, without
// reading either: their sums are 64 bits of the bodies.
func (e *Entry) SameBody(o *Entry) bool { return e.body.same(o.body) }

func (b bodyAt) same(o bodyAt) bool { return b.len == o.len && b.sum == o.sum }

// Body returns the markdown after the front matter, as it was loaded and
// checked; the caller must not change it. Unless the loader kept it
// (Options.KeepBodies, Options.BodyMemory; see bodyAt),
// Body reads the entry's file again, and returns a *ChangedError if the
// file no longer holds that body — it was edited, moved or deleted after
// the load.
func (e *Entry) Body() ([]byte, error) {
	body, _, err := e.body.read(e.Path, e.File, nil)
	return body, err
}

// UseBody calls f with the entry's body, as Body returns it, read into a
// buffer that is used again once f returns: f must not keep the body.
// What a build does with each body (render its page, write it to the
// downloads, analyse its text) uses it so: with a buffer of its own for
// each read, the reads came to 8% of what a build allocated.
func (e *Entry) UseBody(f func(body []byte) error) error { return e.body.use(e.Path, e.File, f) }

// use is UseBody for the body at b of the file at path (in b.fsys), shown
// as file.
func (b bodyAt) use(path, file string, f func(body []byte) error) error {
	if b.len == 0 || b.kept != nil {
		return f(b.kept)
	}
	bp := bodyBuffers.Get().(*[]byte)
	defer bodyBuffers.Put(bp)
	body, buf, err := b.read(path, file, (*bp)[:0])
	*bp = buf[:0]
	if err != nil {
		return err
	}
	return f(body)
}

// BodyString returns the body as Body does, as a string of its own: the
// downloads (kb.json, kb.sqlite) write it so. A body read again goes
// through UseBody's reused buffer, so the string is the only copy made.
func (e *Entry) BodyString() (string, error) {
	var body string
	err := e.UseBody(func(b []byte) error {
		body = string(b)
		return nil
	})
	return body, err
}

var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// read reads the body at b of the file at path (shown as file) into buf,
// and returns it and the buffer it read the file into (buf, grown if it
// had to be).
func (b bodyAt) read(path, file string, buf []byte) (body, read []byte, err error) {
	if b.len == 0 || b.fsys == nil || b.kept != nil {
		return b.kept, buf, nil
	}
	read, err = readLimitedInto(b.fsys, path, buf)
	if err != nil {
		return nil, read, &ChangedError{File: file, Err: unwrapPathErr(err)}
	}
	data := normalizeLineEnds(bytes.TrimPrefix(read, bom))
	if len(data) != int(b.off)+int(b.len) || maphash.Bytes(bodySeed, data[b.off:]) != b.sum {
		return nil, read, &ChangedError{File: file}
	}
	return data[b.off:], read, nil
}

// KeptBodies returns how many bytes of bodies the entries keep in memory
// (Options.KeepBodies, Options.BodyMemory).
func (k *KB) KeptBodies() int64 {
	var n int64
	for _, e := range k.Entries {
		n += int64(len(e.body.kept))
	}
	for _, e := range k.Pages {
		n += int64(len(e.body.kept))
	}
	return n
}

// ChangedError is Body's error when an entry's file no longer holds the
// body that was loaded: the file changed while the site was being built.
type ChangedError struct {
	File string // as shown in diagnostics: "content/agencies/nypd.md"
	Err  error  // why it could not be read again, if it could not
}

func (e *ChangedError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s cannot be read again (%v): it changed while the site was being built; build again", e.File, e.Err)
	}
	return fmt.Sprintf("%s changed while the site was being built; build again", e.File)
}

func (e *ChangedError) Unwrap() error { return e.Err }

// Short returns the entry's acronym, if any.
func (e *Entry) Short() string {
	switch {
	case e.Agency != nil:
		return e.Agency.Short
	case e.Law != nil:
		return e.Law.Short
	}
	return ""
}

// Date returns the date that places the entry in time: an incident's date, a
// law's effective (or enacted, or introduced) date; zero otherwise.
func (e *Entry) Date() Date {
	switch {
	case e.Incident != nil:
		return e.Incident.Date
	case e.Law != nil:
		for _, d := range []Date{e.Law.Effective, e.Law.Enacted, e.Law.Introduced} {
			if !d.IsZero() {
				return d
			}
		}
	}
	return Date{}
}

// KeyPos returns where a top-level front-matter key was written, or the
// start of the front matter.
func (e *Entry) KeyPos(key string) Pos {
	if k, ok := e.key(key); ok {
		return k.pos()
	}
	return e.frontMatterStart()
}

// ValuePos returns where the value of a top-level front-matter key
// starts (for a diagnostic about the value, as a date's), else where the
// key was written, else the start of the front matter.
func (e *Entry) ValuePos(key string) Pos {
	if k, ok := e.key(key); ok {
		return k.valuePos()
	}
	return e.frontMatterStart()
}

// key finds a top-level front-matter key among those the entry recorded.
// A few keys, looked up only to place a diagnostic: a list costs the
// collector one object to mark where a map cost two or three.
func (e *Entry) key(key string) (keyAt, bool) {
	fields := FrontMatter(e.Type).Fields
	for _, k := range e.keys {
		if k.field != 0 && fields[k.field-1].Name == key {
			return k, true
		}
	}
	return keyAt{}, false
}

// frontMatterStart is where the front matter starts, as the entry
// recorded it (field 0).
func (e *Entry) frontMatterStart() Pos {
	for _, k := range e.keys {
		if k.field == 0 {
			return k.pos()
		}
	}
	return Pos{}
}

// gives reports whether the front matter gives the top-level key a
// value, a refused one included: a field given a wrong value is reported
// as that, not also as missing.
func (e *Entry) gives(key string) bool {
	fields := FrontMatter(e.Type).Fields
	for _, k := range e.keys {
		if k.field > 0 && fields[k.field-1].Name == key {
			return true
		}
	}
	return false
}

// Refs returns every entry this one references, by field: front matter
// fields ("fleet.vendor", "restricts.vendors", "related", …) and "body" for
// body links. The same target may appear under several fields.
func (e *Entry) Refs() []FieldRef {
	out := make([]FieldRef, 0, len(e.refs))
	for i := range e.refs {
		u := &e.refs[i]
		out = append(out, FieldRef{Field: u.field.String(), Ref: u.ref()})
	}
	return out
}

// Links returns the entries the body links to, in order, each once, at
// the place it is first linked.
func (e *Entry) Links() []Ref {
	var out []Ref
	var seen map[string]bool
	for i := range e.refs {
		u := &e.refs[i]
		if u.field != fieldBody || seen[u.id] {
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[u.id] = true
		out = append(out, u.ref())
	}
	return out
}

// FieldRef is a reference and the field that makes it.
type FieldRef struct {
	Field string
	Ref   Ref
}

// refUse is a reference, as checking it and the backlinks need it. It is
// kept small, as a knowledge base of 100,000 entries keeps 1.3 million:
// 32 bytes, where a field name, a Ref and what was written took 64.
type refUse struct {
	id        string // the target's ID: "vendors/dji"
	line, col int32  // where it was written
	field     refIn
	// miswritten says that what was written is not a slug ("DJI"): id is
	// then to the slug it would make ("dji"), and the entry's miswritten
	// list has what was written.
	miswritten bool
	// name is the index in the entry's refNames, plus one, of the name
	// messages give the reference ("fleet[2].vendor"), or 0 when it is
	// its field's. It fills what the struct's alignment leaves unused.
	name uint16
}

func useOf(id string, p Pos, field refIn, miswritten bool) refUse {
	return refUse{id: id, line: int32(p.Line), col: int32(p.Col), field: field, miswritten: miswritten}
}

// shown is the name messages give the reference u of entry e: its field,
// or where in a list it is, "fleet[2].vendor".
func (u *refUse) shown(e *Entry) string {
	if u.name > 0 {
		return e.refNames[u.name-1]
	}
	return u.field.String()
}

func (u *refUse) ref() Ref { return Ref{ID: u.id, Pos: Pos{Line: int(u.line), Col: int(u.col)}} }

// want is the type of entry the reference must be to: the type of the
// section its ID is in, or "" (any) for related, whose IDs name their
// section. It is not kept: kept, it took 2 of the 87.5 MB a 10,000-entry
// knowledge base and its tracker keep.
func (u *refUse) want() Type {
	if u.field == fieldRelated {
		return ""
	}
	s, _ := SectionOf(sectionOf(u.id))
	return s.Type
}

// refIn is the field a reference is written in ("fleet.vendor",
// "related", "body"), by number: the names, which come from the schema,
// are kept once, in refInNames.
type refIn uint16

const (
	fieldBody refIn = iota
	fieldRelated
	fieldParent
)

var refInNames = struct {
	sync.RWMutex
	names []string
	index map[string]refIn
}{
	names: []string{"body", "related", "parent"},
	index: map[string]refIn{"body": fieldBody, "related": fieldRelated, "parent": fieldParent},
}

// fieldNamed returns the number of a reference's field.
func fieldNamed(name string) refIn {
	refInNames.RLock()
	f, ok := refInNames.index[name]
	refInNames.RUnlock()
	if ok {
		return f
	}
	refInNames.Lock()
	defer refInNames.Unlock()
	if f, ok := refInNames.index[name]; ok {
		return f
	}
	if len(refInNames.names) > math.MaxUint16 {
		panic("kb: more reference fields than a refIn numbers") // the schema has a few dozen
	}
	f = refIn(len(refInNames.names))
	refInNames.names = append(refInNames.names, name)
	refInNames.index[name] = f
	return f
}

func (f refIn) String() string {
	refInNames.RLock()
	defer refInNames.RUnlock()
	return refInNames.names[f]
}

// TitleKey is what the entry's title sorts by wherever titles are listed
// in order (package titlesort): accents folded and case aside, as
// search's sort=title. An entry read by the loader has it made once; one
// made otherwise gets it made on each call.
func (e *Entry) TitleKey() titlesort.Key {
	if e.titleKey == (titlesort.Key{}) && e.Title != "" {
		return titlesort.Of(e.Title)
	}
	return e.titleKey
}

// CompareTitles orders entries by title as every list by title does:
// their TitleKeys, then their IDs.
func CompareTitles(a, b *Entry) int {
	return titlesort.CompareEntries(a.TitleKey(), a.ID, b.TitleKey(), b.ID)
}
