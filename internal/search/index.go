package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
)

// MetaFile records how an index was built, beside bleve's own files.
const MetaFile = "dronekb-index.json"

// Meta describes a built index.
type Meta struct {
	MappingVersion int    `json:"mapping_version"`
	AsOf           string `json:"as_of"`
	Docs           int    `json:"docs"`
	BasePath       string `json:"base_path"`
	// Vendors are the vendors' titles by slug, for showing facets by name.
	Vendors map[string]string `json:"vendors,omitempty"`
}

// Doc is what the index holds for one entry.
type Doc struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Short   string `json:"short,omitempty"`
	Summary string `json:"summary,omitempty"`
	Body    string `json:"body,omitempty"`
	// Cites are the titles and publishers of the entry's sources, one a
	// line, a field of their own with a low boost: the words a reader
	// sees in the list of sources find the entry ("flamme olympique", a
	// French headline cited by an English entry; "Intercept"), below the
	// entries whose own text has them, without lengthening the body or
	// showing in snippets.
	Cites string `json:"cites,omitempty"`
	// Fleet names what an agency flies, one fleet item a line: its
	// vendor's name and short name and the item's model ("DJI\nMavic 3T"),
	// the items the vendor facet counts. A field of its own, so that "dji"
	// ranks the agencies that fly DJI's drones above those whose text only
	// speaks of DJI (the Navy's ban of them, say), without showing in
	// snippets.
	Fleet   string   `json:"fleet,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Country string   `json:"country,omitempty"`
	Region  string   `json:"region,omitempty"`
	Place   string   `json:"place,omitempty"` // Country and Region named, for searching (PlaceOf)
	// TitleLang is the language of the title when it is not English
	// (kb.Entry.TitleLanguage): hits show the title marked with it.
	TitleLang string `json:"title_lang,omitempty"`
	// TextLang is the language the entry says its text is written in
	// when it is not English (kb.Entry.ForeignText): hits mark their
	// snippets with it. Lang, the language the text is analysed in, may
	// be guessed from the entry's country; this is not.
	TextLang   string    `json:"text_lang,omitempty"`
	Vendor     []string  `json:"vendor,omitempty"`
	Refs       []string  `json:"refs,omitempty"`
	Status     string    `json:"status,omitempty"`
	Restricted bool      `json:"restricted"`
	Date       time.Time `json:"date,omitzero"`
	When       string    `json:"when,omitempty"` // Date at the precision the content gives
	Path       string    `json:"path"`
	// Lang is the language of the text fields: LangEnglish or LangFrench.
	Lang string `json:"lang,omitempty"`
	// TitleSort is the key sort=title orders by; Build fills it in.
	TitleSort string `json:"title_sort,omitempty"`
	// Names are the NameKeys of the title and short name; Build fills
	// them in.
	Names []string `json:"names,omitempty"`

	// words are those of the entry the document was made from (Docs),
	// the body when Body is empty: Docs leaves Body empty, and the words
	// are made when the document is indexed (BodyText), so that every
	// entry's words are not held at once a second time. They are a value
	// of their own, not the entry: the documents do not hold the
	// knowledge base.
	words kb.Words
}

// BodyText returns the document's body: Body if it is set, or else the
// words of the entry Docs made the document from. To change the body of
// a document from Docs, set Body from BodyText. It fails when the entry's
// body cannot be read again (kb.Entry.Body).
func (d *Doc) BodyText() (string, error) {
	if d.Body == "" {
		return d.words.Text()
	}
	return d.Body, nil
}

// citesOf is Doc.Cites for an entry.
func citesOf(e *kb.Entry) string {
	var b strings.Builder
	for _, src := range e.Sources {
		for _, text := range []string{src.Title, src.Publisher} {
			if text != "" {
				if b.Len() > 0 {
					b.WriteByte('\n')
				}
				b.WriteString(text)
			}
		}
	}
	return b.String()
}

// fleetText is Doc.Fleet being written.
type fleetText struct{ strings.Builder }

// add writes a fleet item's line: its vendor's title and short name, and
// its model, those given and not already written on the line.
func (b *fleetText) add(names ...string) {
	var words []string
	for _, n := range names {
		if n != "" && !slices.Contains(words, n) {
			words = append(words, n)
		}
	}
	if len(words) == 0 {
		return
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(strings.Join(words, "\n"))
}

// sameText reports whether a and b have the same body. Two documents
// made from entries compare their bodies' sums (kb.Words.SameBody): the
// file of an entry an edit replaced holds its new body. A body that
// cannot be read again counts as changed; indexing it reports why.
func sameText(a, b *Doc) bool {
	if a.Body == "" && b.Body == "" {
		return a.words.SameBody(b.words)
	}
	at, aerr := a.BodyText()
	bt, berr := b.BodyText()
	return aerr == nil && berr == nil && at == bt
}

// names returns the name keys of a document: its title's and its short
// name's, in its language.
func (d *Doc) names() []string {
	var out []string
	for _, text := range []string{d.Title, d.Short} {
		if k := NameKey(docLanguage(d.Lang), text); k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// BleveType tells the bleve mapping which analysis the document's text
// fields take: its language's.
func (d *Doc) BleveType() string { return docLanguage(d.Lang) }

// titleSortKey is the key a title sorts by: lower-cased, spaces collapsed,
// accents folded as search folds them, so that "Décret" sorts among the
// d's and "État" among the e's rather than after z; then, for titles that
// differ only in accents, the title itself, lower-cased.
func titleSortKey(title string) string {
	lower := strings.Join(strings.Fields(strings.ToLower(title)), " ")
	folded := string(foldBytes([]byte(lower)))
	if folded == lower {
		return lower
	}
	return folded + "\x00" + lower
}

// Docs turns a knowledge base into index documents, in entry order. path
// gives each entry's page path relative to the site root; the tracker gives
// agencies their status.
func Docs(k *kb.KB, t *kb.Tracker, path func(*kb.Entry) string) []Doc {
	return DocsOf(k, t, path, k.Entries)
}

// DocsOf returns the documents of some of k's entries, in their order, as
// Docs makes them: serve --watch makes only those an edit changes.
func DocsOf(k *kb.KB, t *kb.Tracker, path func(*kb.Entry) string, entries []*kb.Entry) []Doc {
	vendorsFrom := map[string][]string{} // country → vendor slugs
	for _, v := range k.Section("vendors") {
		vendorsFrom[v.Vendor.Country] = append(vendorsFrom[v.Vendor.Country], v.Slug)
	}
	return docsOf(t, path, vendorsFrom, entries)
}

func docsOf(t *kb.Tracker, path func(*kb.Entry) string, vendorsFrom map[string][]string, entries []*kb.Entry) []Doc {
	docs := make([]Doc, len(entries))
	for i, e := range entries {
		d := Doc{Type: string(e.Type), Title: e.Title, Short: e.Short(), Summary: e.Summary, words: e.Words(),
			Tags: e.Tags, Country: e.Country(), Region: e.Region(), Place: PlaceOf(e.Country(), e.Region()), Path: path(e), Lang: e.Language(),
			Cites: citesOf(e), TitleLang: e.ForeignTitle(), TextLang: e.ForeignText()}
		// An entry without a date of its own (an agency, a vendor) has
		// none here either, and sorts after the dated ones whichever way
		// they go: sorted by the day it was last reviewed, it stood above
		// the newest events with no date shown to say why.
		if dt := e.Date(); !dt.IsZero() {
			d.Date, d.When = dt.Time(), dt.String()
		}
		seen := map[string]bool{}
		addVendor := func(slug string) {
			if !seen[slug] {
				seen[slug] = true
				d.Vendor = append(d.Vendor, slug)
			}
		}
		refSeen := map[string]bool{}
		for _, r := range e.Refs() {
			if !refSeen[r.Ref.ID] {
				refSeen[r.Ref.ID] = true
				d.Refs = append(d.Refs, r.Ref.ID)
			}
		}
		switch {
		case e.Agency != nil:
			// An agency's vendors are those of its fleet on the tracker's
			// date, the tracker's own list (/tracker/vendor/SLUG/), so that
			// --vendor and the vendor facet say who flies a vendor as the
			// tracker does; a vendor it names as related it does not fly.
			var st *kb.AgencyStatus
			if t != nil {
				st = t.Agency(e.ID)
			}
			var fleet fleetText
			if st != nil {
				d.Status = string(st.Status)
				d.Restricted = st.Status.Flying()
				for _, it := range st.Items {
					if it.Vendor != nil {
						addVendor(it.Vendor.Slug)
						fleet.add(it.Vendor.Title, it.Vendor.Short(), it.Item.Model)
					}
				}
			} else {
				for _, f := range e.Agency.Fleet {
					if !f.UnknownMake {
						addVendor(f.Vendor.Slug())
						fleet.add(f.Vendor.Slug(), f.Model) // no tracker: the vendor as the entry names it
					}
				}
			}
			d.Fleet = fleet.String()
		case e.Vendor != nil:
			addVendor(e.Slug)
			if t != nil {
				d.Restricted = len(t.RestrictedBy(e.ID)) > 0
			}
		case e.Law != nil:
			restrictions := []kb.Restriction{e.Law.Restricts}
			for _, p := range e.Law.Provisions {
				restrictions = append(restrictions, p.Restricts)
			}
			for _, r := range restrictions {
				for _, v := range r.Vendors {
					addVendor(v.Slug())
				}
				for _, c := range r.Countries {
					for _, slug := range vendorsFrom[c] {
						addVendor(slug)
					}
				}
			}
			if t != nil {
				d.Status = "law-" + e.Law.Status
				switch {
				case e.Law.InForce(t.AsOf):
					d.Status = "in-force"
				case e.Law.Status == "enacted" && !e.Law.Expires.IsZero() && !e.Law.Expires.After(t.AsOf):
					// Enacted and lapsed since (an order that expired
					// in 2022): expired, as the list of laws groups it,
					// not "enacted, not yet in force" (found in review).
					d.Status = "law-expired"
				}
			}
		case e.Incident != nil:
			for _, r := range e.Incident.Vendors {
				addVendor(r.Slug())
			}
		}
		// A vendor a law, an incident or a vendor names as related is one
		// it references too: a law about DJI that restricts by country,
		// say (found in review: --vendor dji --type law left out the
		// entity-list laws). Not an agency's: with --restricted, an
		// agency that flies restricted hardware and relates to a vendor
		// it does not fly was listed as flying that vendor's (found in
		// review).
		for _, r := range e.Related {
			if e.Agency != nil {
				break
			}
			if sec, slug, ok := strings.Cut(r.ID, "/"); ok && sec == "vendors" {
				addVendor(slug)
			}
		}
		docs[i] = d
	}
	return docs
}

// PlaceOf names a place for searching: the English names of its region
// and its country, as the site shows them (iso3166: "Texas", "United
// States"; for a French department or region, its French name: "Paris",
// "Île-de-France"), region first ("Texas, United States"). A code
// iso3166 does not know is left out: it is not a word anyone types.
func PlaceOf(country, region string) string {
	var names []string
	if r, ok := iso3166.Region(region); ok {
		names = append(names, r.Name)
	}
	if c, ok := iso3166.Country(country); ok {
		names = append(names, c)
	}
	return strings.Join(names, ", ")
}

// BuildOptions says how to build an index.
type BuildOptions struct {
	AsOf     kb.Date
	BasePath string
	// Timing, if not nil, gets how long Build's two steps took.
	Timing *BuildTiming
	// MapAhead reads, maps and analyses the documents on a goroutine of
	// their own, up to a batch ahead of bleve's builder, which makes and
	// writes the segments: for an index written with a core to spare.
	MapAhead bool
	// Merging, if not nil, is told before bleve's builder merges its
	// segments how many bytes of segment files the merge maps into
	// memory (outside Go's heap), and the done it returns is called
	// when the merge has ended.
	Merging func(mapped int64) (done func())
}

// BuildTiming is how long the two steps of Build took: analysing the
// documents into segments of batchSize each, and closing bleve's builder, which
// writes the last, partial segment and then merges them all into one.
// The builder runs on one goroutine, the merge after the last document.
type BuildTiming struct {
	Analyse, Merge time.Duration
}

// Build writes a new index of docs (IDs from ids) into dir, which must not
// exist yet or be empty. It uses bleve's offline builder: one pass, no
// background merging.
func Build(ctx context.Context, dir string, ids []string, docs []Doc, opts BuildOptions) (int64, error) {
	if len(ids) != len(docs) {
		return 0, fmt.Errorf("search: %d ids for %d documents", len(ids), len(docs))
	}
	return build(ctx, dir, ids, docs, opts, builderMapping{newMapping(), &freqArena{}})
}

// cancelEvery is how many documents build indexes between looks at its
// context.
const cancelEvery = 256

// build is Build with the mapping given to bleve's builder.
func build(ctx context.Context, dir string, ids []string, docs []Doc, opts BuildOptions, m mapping.IndexMapping) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	meta := Meta{MappingVersion: MappingVersion, AsOf: opts.AsOf.String(), Docs: len(ids), BasePath: opts.BasePath, Vendors: map[string]string{}}
	if len(ids) == 0 {
		// bleve's builder cannot write an index of nothing; an empty
		// knowledge base still gets one, that finds nothing.
		idx, err := bleve.New(filepath.Join(dir, "bleve"), newMapping())
		if err != nil {
			return 0, fmt.Errorf("search: %w", err)
		}
		if err := idx.Close(); err != nil {
			return 0, fmt.Errorf("search: %w", err)
		}
		return finish(dir, meta)
	}
	// The builder's scratch segments go inside dir too, so a killed build
	// leaves nothing outside the temporary directory the next build
	// removes; a failed or cancelled one removes them now.
	scratch, err := os.MkdirTemp(dir, "segments")
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	defer os.RemoveAll(scratch)
	store := filepath.Join(dir, "bleve")
	batch := batchSize(len(ids))
	b, err := bleve.NewBuilder(store, mappedAhead{m}, map[string]any{"batchSize": batch, "mergeMax": mergeMax, "buildPathPrefix": scratch})
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	// After a failure or a cancellation the builder is dropped, not
	// closed: Close would merge every segment written so far, and with
	// none written it panics. What it wrote is removed.
	done := false
	defer func() {
		if !done {
			os.RemoveAll(store)
		}
	}()
	start := time.Now()
	next, stop := newMapper(ctx, ids, docs, m, batch, opts.MapAhead).batches(opts.MapAhead)
	defer stop()
	n := 0
	for {
		mb, err := next()
		if err != nil {
			return 0, err
		}
		if mb == nil {
			break
		}
		for j, id := range mb.ids {
			meta.addVendor(id, &docs[n])
			if err := b.Index(id, mb.docs[j]); err != nil {
				return 0, fmt.Errorf("search: indexing %s: %w", id, err)
			}
			n++
		}
		if len(mb.ids) == batch {
			// The batch's last document filled the builder's batch: the
			// builder has analysed it and written its segment, and what
			// the batch's text fields were analysed into is free for
			// another.
			mb.done()
		}
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if n != len(ids) {
		return 0, fmt.Errorf("search: %d of %d documents indexed", n, len(ids))
	}
	closing := time.Now()
	if opts.Merging != nil {
		done := opts.Merging(mappedByMerge(scratch))
		defer done()
	}
	if err := b.Close(); err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	done = true
	if t := opts.Timing; t != nil {
		t.Analyse, t.Merge = closing.Sub(start), time.Since(closing)
	}
	return finish(dir, meta)
}

// mappedByMerge estimates how much of the segment files in dir bleve's
// builder maps into memory when it is closed: it maps every segment it
// merges, those in dir and the last one, written on closing, which holds
// at most a batch (taken to be the size of an average one). Read whole by
// the merge, they are all resident by its end: at 100,000 entries about
// 450 MB, beside Go's heap.
func mappedByMerge(dir string) int64 {
	var n, total int64
	// The builder writes its segments in a directory of its own inside
	// dir.
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			n++
			total += info.Size()
		}
		return nil
	})
	if n == 0 {
		return 0
	}
	return total + total/n
}

// mergeMax is how many segments bleve's builder merges at once.
const mergeMax = 100

// batchSize is how many documents bleve's builder analyses into each of
// its segments, for an index of n documents. The builder holds one batch
// of analysed documents in memory, and when it is closed it merges its
// segments mergeMax at a time, then the results again, until one is left.
//
// A batch is 500 documents (at 10,000 entries 500 took about 65 MB less at
// their peak than 2,000, for the same CPU time: BenchmarkIndexBuild10k),
// or more so that there are at most mergeMax segments, merged in one pass
// rather than two (at 50,000 entries 100 segments merged 20 at a time,
// then the 5 results, took 17.5-17.8 s; 20 segments in one pass 6.9-9.3
// s), up to 2,000: an index of more than 200,000 documents is merged in
// two passes. At 100,000 entries one pass over 100 segments of 1,000
// documents holds 520 MB less at its peak than one over 20 of 5,000, for
// the same CPU time (the bleve-index stage of BenchmarkStages: 1,329 MB
// live at the peak against 1,849 MB, the knowledge base's 900 MB
// included; batches of 2,500 and 1,250: 1,529 and 1,397 MB).
func batchSize(n int) int {
	return min(max(500, (n+mergeMax-1)/mergeMax), 2000)
}

// finish writes the metadata of the index just built in dir and returns
// the bytes the index takes.
func finish(dir string, meta Meta) (int64, error) {
	if err := writeMeta(dir, meta); err != nil {
		return 0, err
	}
	return dirSize(dir), nil
}

// Same reports whether two documents index alike.
func Same(a, b *Doc) bool {
	return a.Type == b.Type && a.Title == b.Title && a.Short == b.Short && a.Summary == b.Summary && sameText(a, b) &&
		slices.Equal(a.Tags, b.Tags) && a.Country == b.Country && a.Region == b.Region && a.Place == b.Place && a.Cites == b.Cites && a.Fleet == b.Fleet && a.TitleLang == b.TitleLang && a.TextLang == b.TextLang && slices.Equal(a.Vendor, b.Vendor) &&
		slices.Equal(a.Refs, b.Refs) && a.Status == b.Status && a.Restricted == b.Restricted && a.Date.Equal(b.Date) &&
		a.Date.IsZero() == b.Date.IsZero() && a.When == b.When && a.Path == b.Path && a.Lang == b.Lang &&
		a.TitleSort == b.TitleSort && slices.Equal(a.Names, b.Names)
}

// fill completes a document as the index holds it.
func (d *Doc) fill() error {
	body, err := d.BodyText()
	if err != nil {
		return err
	}
	d.Body, d.words = body, kb.Words{}
	d.TitleSort = titleSortKey(d.Title)
	d.Names = d.names()
	return nil
}

// MetaOf describes the index of docs (IDs from ids).
func MetaOf(ids []string, docs []Doc, opts BuildOptions) Meta {
	m := Meta{MappingVersion: MappingVersion, AsOf: opts.AsOf.String(), Docs: len(docs), BasePath: opts.BasePath, Vendors: map[string]string{}}
	for i := range docs {
		m.addVendor(ids[i], &docs[i])
	}
	return m
}

// addVendor names the vendor d, of ID id, in m's list of vendors, if d is one.
func (m *Meta) addVendor(id string, d *Doc) {
	if slug, ok := strings.CutPrefix(id, "vendors/"); ok && d.Type == string(kb.TypeVendor) {
		m.Vendors[slug] = d.Title
	}
}

// writeMeta writes how the index in dir was built, through a temporary
// file renamed into place.
func writeMeta(dir string, m Meta) error {
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+MetaFile+".new")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, MetaFile))
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// ErrStale means the index is missing or was built by another mapping
// version; it must be rebuilt.
var ErrStale = errors.New("search index is missing or was built by another version of dronekb")

// ReadMeta reads how the index in dir was built.
func ReadMeta(dir string) (Meta, error) {
	var m Meta
	data, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if err != nil {
		return m, ErrStale
	}
	if err := json.Unmarshal(data, &m); err != nil || m.MappingVersion != MappingVersion {
		return m, ErrStale
	}
	return m, nil
}

// Index is an open, read-only index. It is safe for concurrent use, and
// Close waits for searches in flight.
type Index struct {
	idx      bleve.Index
	meta     Meta
	metaMu   sync.Mutex   // Update changes meta
	mu       sync.RWMutex // searches and updates hold it for reading, Close for writing
	closed   bool
	dir      string // set when writable
	writable bool
	cols     columnCache // the facet values and sort keys of the documents (columns.go)
}

// ErrInUse means another process holds the index open for writing:
// dronekb serve --watch, which updates it in place.
var ErrInUse = errors.New("the search index is open for writing by another process (dronekb serve --watch updates it in place); search through that serve's /api/search, or stop it")

// inUse reports whether opening an index failed because another process
// holds its lock: bbolt's timeout.
func inUse(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e.Error() == "timeout" {
			return true
		}
	}
	return strings.HasSuffix(err.Error(), ": timeout")
}

// ErrClosed is returned by Search on an index that was closed, as serve
// does when it swaps in a rebuilt one.
var ErrClosed = errors.New("search index is closed")

// Open opens the index in dir read-only. It returns ErrStale if the index
// is missing or was built by another mapping version.
func Open(dir string) (*Index, error) {
	// An index that serve --watch holds open for writing cannot be opened
	// beside it: the open gives up after a while rather than wait forever.
	return openIndex(dir, map[string]any{"read_only": true, "bolt_timeout": "2s"})
}

// OpenWritable opens the index in dir for searching and for updating in
// place (Update): serve --watch updates the documents of the entries an
// edit changed rather than build the index again. One process at a time
// may hold an index open for writing.
func OpenWritable(dir string) (*Index, error) {
	x, err := openIndex(dir, map[string]any{"bolt_timeout": "2s"})
	if err != nil {
		return nil, err
	}
	x.dir, x.writable = dir, true
	return x, nil
}

// openIndex opens the index in dir with bleve's configuration config.
func openIndex(dir string, config map[string]any) (*Index, error) {
	meta, err := ReadMeta(dir)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.OpenUsing(filepath.Join(dir, "bleve"), config)
	if err != nil {
		if inUse(err) {
			return nil, ErrInUse
		}
		return nil, unreadable(dir, err)
	}
	x := &Index{idx: idx, meta: meta}
	// The columns are read now, not by the first search.
	if err := x.warm(); err != nil {
		idx.Close()
		return nil, unreadable(dir, err)
	}
	return x, nil
}

// DamagedError means an index that this dronekb built (its record says
// so) has files that cannot be read: truncated by a full disk, or
// overwritten. It is ErrStale too, to be rebuilt like one.
type DamagedError struct {
	Dir string
	Err error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("search index in %s is damaged: its files cannot be read (%v); dronekb build makes it again", e.Dir, e.Err)
}

func (e *DamagedError) Unwrap() []error { return []error{ErrStale, e.Err} }

// unreadable is why the index in dir, whose record is this dronekb's,
// could not be opened: its bleve files are missing (ErrStale), or there
// and damaged (a DamagedError), which "missing or built by another
// version" told an operator wrongly (found in review).
func unreadable(dir string, err error) error {
	if _, serr := os.Stat(filepath.Join(dir, "bleve")); serr != nil {
		return fmt.Errorf("%w (%v)", ErrStale, err)
	}
	return &DamagedError{Dir: dir, Err: err}
}

// Update puts the documents docs (IDs from ids) in the index in place of
// those of the same IDs, deletes the documents of the IDs in removed, in
// one batch that searches see whole, and records meta as how the index
// now stands. The index must be open for writing (OpenWritable).
func (x *Index) Update(ids []string, docs []Doc, removed []string, meta Meta) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return ErrClosed
	}
	if !x.writable {
		return errors.New("search: the index is open read-only")
	}
	if len(ids) != len(docs) {
		return fmt.Errorf("search: %d ids for %d documents", len(ids), len(docs))
	}
	b := x.idx.NewBatch()
	for _, id := range removed {
		b.Delete(id)
	}
	for i := range docs {
		d := docs[i]
		if err := d.fill(); err != nil {
			return fmt.Errorf("search: indexing %s: %w", ids[i], err)
		}
		if err := b.Index(ids[i], &d); err != nil {
			return fmt.Errorf("search: indexing %s: %w", ids[i], err)
		}
	}
	if b.Size() > 0 {
		if err := x.idx.Batch(b); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	if err := writeMeta(x.dir, meta); err != nil {
		return err
	}
	x.metaMu.Lock()
	x.meta = meta
	x.metaMu.Unlock()
	return nil
}

// Meta returns how the index was built.
func (x *Index) Meta() Meta {
	x.metaMu.Lock()
	defer x.metaMu.Unlock()
	return x.meta
}

// Close closes the index once the searches in flight finish.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	return x.idx.Close()
}

func init() {
	// Bound what one query may expand to (a prefix or fuzzy word over a
	// large vocabulary), so no query can make the server slow for everyone.
	setClauseLimit(maxExpansion)
}
