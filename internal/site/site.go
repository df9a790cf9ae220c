// Package site renders a checked knowledge base into a static website: a
// page per entry, list and taxonomy pages, the tracker, feeds, a sitemap and
// the data downloads. It owns the site's URL scheme:
//
//	/                          home: what the site tracks, counts, tracker, latest incidents
//	/tracker/                  the full tracker
//	/agencies/ /vendors/ /laws/ /incidents/       section lists
//	/<section>/<slug>/         an entry
//	/countries/ /countries/<cc>/ /tags/ /tags/<tag>/   taxonomies
//	/search/                   the search page
//	/data/                     the downloads page; /data/kb.json, /data/tracker.csv|json, /data/<section>.csv
//	/feed.xml /sitemap.xml /robots.txt /404.html
//	/sitemap-<n>.xml            past 50,000 URLs: the sitemaps sitemap.xml, an index, names
//	/schema/<type>.json        the JSON Schema of each entry type's front matter
//	/assets/…                  the theme's static files
//
// Every internal link carries the base path of --base-url, so the site works
// from a project subpath (https://example.org/dronekb/) as well as a domain root.
package site

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/markdown"
	"golang.org/x/net/idna"
)

// Options says how to render a site.
type Options struct {
	// BaseURL is where the site will live: an absolute URL
	// ("https://example.org/dronekb/") or just a path ("/"). Absolute URLs
	// make the feed and sitemap absolute, as their formats expect.
	BaseURL string
	// Theme holds layouts/ and static/.
	Theme fs.FS
	// AsOf is the date the tracker and "in force" are judged on.
	AsOf kb.Date
	// PageSize is how many entries a page of a long list shows, and how
	// many agencies a page of a tracker view; 0 for DefaultPageSize.
	PageSize int
	// Workers is how many pages render at once (default GOMAXPROCS).
	Workers int
	// Repo, if its URL is set, is where the content is kept: each entry
	// page links to editing it, its history and reporting a correction.
	Repo Repository
	// Changed is when each entry file last changed (by its path relative
	// to the content folder, "agencies/nypd.md"), for the entry's page.
	Changed map[string]kb.Date
	// Tracker is the knowledge base's tracker on AsOf, if the caller
	// computed it already; New computes it when it is nil.
	Tracker *kb.Tracker
	// Exports are more downloads to write under data/ (such as
	// data/kb.sqlite, package sqlitedata); the data page and
	// datapackage.json list them.
	Exports []Export
	// Beside, if not nil, stays open while other work runs beside the
	// site — the search index, whose builder analyses and merges on one
	// goroutine — and is closed when it ends. Until then the site renders
	// on one worker fewer (never fewer than one), so that work keeps a
	// core: on two cores, with every worker rendering, the index got a
	// share of one and went on alone for seconds after the site was
	// written while the other core idled.
	Beside <-chan struct{}
}

// Export is a download that code outside this package writes: Write gets
// the rendered site and the file to create.
type Export struct {
	Path        string // relative to the site root: "data/kb.sqlite"
	Format      string // for people: "SQLite"
	MediaType   string
	Description string
	Write       func(s *Site, file string) error
}

// KB returns the knowledge base the site renders.
func (s *Site) KB() *kb.KB { return s.kb }

// AsOf returns the date the site's tracker is computed for.
func (s *Site) AsOf() kb.Date { return s.opts.AsOf }

// Cited returns the date an entry's "Cite this entry" gives as its last
// update: when its file last changed, by its repository's history
// (Options.Changed), else its updated date, else the day the knowledge
// base last changed.
func (s *Site) Cited(e *kb.Entry) kb.Date {
	if d := s.opts.Changed[e.Path]; !d.IsZero() {
		return d
	}
	if !e.Updated.IsZero() {
		return e.Updated
	}
	return s.info.Updated
}

// Site is a knowledge base ready to render.
type Site struct {
	kb           *kb.KB
	opts         Options
	base         string // path, with leading and trailing slash: "/dronekb/"
	absBase      string // "https://example.org/dronekb/", or "" if not known
	tracker      *kb.Tracker
	statusOnce   sync.Once
	statusIn     map[string][]*kb.AgencyStatus // country or region code → its agencies' statuses, in tracker order (statusesIn)
	tmpl         *templates
	shells       sync.Map    // shellKey → template.HTML: what shell rendered for entry pages
	badges       sync.Map    // kb.Status → template.HTML: the status-badge partial
	cards        sync.Map    // cardKey → template.HTML: a layout's entry-card partial (entryItems)
	shareCards   []shareCard // the site's link-preview card, then each status's (cardPNG)
	md           *markdown.Markdown
	tags         map[string][]*kb.Entry
	country      map[string][]*kb.Entry
	assets       map[string]string // static file → fingerprinted URL
	info         *siteInfo
	links        map[*kb.Entry][2]template.HTML // entry → its link, and its short (law) link
	countryLinks map[string]template.HTML
	namesVendor  map[string][]*kb.Entry // vendor ID → laws that name it, by ID
	namesOrigin  map[string][]*kb.Entry // country → laws that name hardware made there, by ID
	vendorsFrom  map[string][]*kb.Entry // country → vendors from it, by ID
	lawsIn       map[string][]*kb.Entry // jurisdiction ("US", or "US-NY" for a law of a region) → its laws, by ID
	region       map[string][]*kb.Entry // ISO 3166-2 code → entries there, by ID
	datesOnce    sync.Once
	chartDates   []kb.Date // quarters
	// The tracker over time, the maps and the tracker's table are for
	// the site-wide pages: they are computed when first asked for
	// (chartView, mapsView, trackerTable), so that serve --watch writes
	// an edited entry's page without waiting for them; Build starts the
	// chart at once, beside the entry pages.
	chartOnce sync.Once
	chart     *ChartView // set when chartDone is closed
	chartDone chan struct{}
	chartMade atomic.Pointer[ChartView] // chart, once made
	// prevPoints and prevKB are the tracker over time of the site before
	// an edit and its knowledge base (Follow), for the chart to judge
	// again only the agencies the edit changed.
	prevPoints []kb.SeriesPoint
	prevKB     *kb.KB
	mapsOnce   sync.Once
	maps       map[string]*MapView // by geo.Map ID
	tableOnce  sync.Once
	table      *trackerTable
	facets     []Facet
	printOnce  sync.Once
	printed    map[string]string // agency ID → its verdict as shown (prints)
	// before is the site before an edit (Follow), when its table rows
	// and prints stand for every agency whose status is the same object
	// in both trackers (kb.TrackerFrom shares them): no law or vendor
	// changed, nor the base URL, the date or the countries with a page.
	// Dropped once the prints are made.
	before *Site
}

// New prepares kb for rendering: it parses the theme and computes the
// tracker and taxonomies. kb must have no content errors.
func New(k *kb.KB, opts Options) (*Site, error) { return newSite(nil, k, opts) }

// NewAfter prepares kb for rendering as New does, when kb is prev's
// knowledge base after an edit (serve --watch): what New computes over
// every entry — the taxonomies and links — is prev's, mended where the
// edited entries are, when the edit added or removed no entry. Then it
// Follows prev.
func NewAfter(prev *Site, k *kb.KB, opts Options) (*Site, error) {
	s, err := newSite(prev, k, opts)
	if err != nil {
		return nil, err
	}
	s.Follow(prev)
	return s, nil
}

func newSite(prev *Site, k *kb.KB, opts Options) (*Site, error) {
	if err := k.Err(); err != nil {
		return nil, err
	}
	base, abs, err := ParseBaseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	s := &Site{kb: k, opts: opts, base: base, absBase: abs, md: markdown.New(), shareCards: make([]shareCard, 1+len(kb.Statuses))}
	s.tracker = opts.Tracker
	if s.tracker == nil {
		s.tracker = k.Tracker(opts.AsOf)
	}
	s.indexLaws()
	// An edit that added or removed no entry leaves the taxonomies and
	// links as they were but for the edited entries: at 100,000 entries
	// making them again was a quarter of a save's time.
	var changed []*kb.Entry
	mend := prev != nil && prev.base == base && prev.absBase == abs
	if mend {
		changed, mend = k.ChangedSince(prev.kb)
	}
	if mend {
		old := func(e *kb.Entry) *kb.Entry { return prev.kb.Entry(e.ID) }
		s.tags = regroup(prev.tags, changed, old, entryTags)
		s.country = regroup(prev.country, changed, old, entryCountry)
		s.region = regroup(prev.region, changed, old, entryRegion)
	} else {
		s.tags, s.country, s.region = group(k.Entries, entryTags), group(k.Entries, entryCountry), group(k.Entries, entryRegion)
	}
	// Links are cached once the country pages are known: a country link
	// needs its page.
	if mend {
		s.mendLinks(prev, changed)
	} else {
		s.cacheLinks()
	}
	if err := s.loadAssets(); err != nil {
		return nil, err
	}
	s.info = s.newSiteInfo()
	if s.tmpl, err = parseTemplates(opts.Theme, s.funcs(), s.layoutFuncs); err != nil {
		return nil, err
	}
	return s, nil
}

// PageAddress returns what makes a page's path on a site built for
// baseURL (--base-url; the path with the base path in it, as the search
// index gives a hit's url) the address a reader cites: the page's absolute
// URL when baseURL is absolute, as the downloads' url columns give it; the
// path otherwise, and for a baseURL that is none.
func PageAddress(baseURL string) func(path string) string {
	basePath, abs, err := ParseBaseURL(baseURL)
	if err != nil || abs == "" {
		return func(p string) string { return p }
	}
	return func(p string) string {
		if rest, ok := strings.CutPrefix(p, basePath); ok {
			return abs + rest
		}
		return p
	}
}

// hostNames checks and converts the host of --base-url as a browser looks
// it up (idna.Lookup: letters, digits and hyphens, no hyphen at a label's
// ends), and also refuses an empty label or a name too long for DNS.
var hostNames = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true))

// ParseBaseURL splits --base-url into the path every internal link starts
// with and, when the URL is absolute, the absolute base.
func ParseBaseURL(raw string) (basePath, absBase string, err error) {
	if raw == "" {
		return "/", "", nil
	}
	if t := strings.TrimSpace(raw); t != raw {
		// A space pasted after the address became a folder named %20 in
		// every link (found in review); one before it made the address
		// unreadable.
		return "", "", fmt.Errorf("--base-url %q has a space before or after it: write %q", raw, t)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("--base-url %q must be an http(s) URL or a path, like https://example.org/dronekb/", raw)
	}
	if u.Scheme != "" && u.Host == "" {
		return "", "", fmt.Errorf("--base-url %q has no host", raw)
	}
	if u.Scheme == "" && u.Host != "" {
		// "//example.org/dronekb/" parsed as a host and a path, and every
		// canonical address, og:url, the feed and the sitemap began
		// "://example.org/", which no reader or crawler can follow.
		return "", "", fmt.Errorf("--base-url %q has no scheme: write https:%s", raw, raw)
	}
	if u.Scheme == "" && !strings.HasPrefix(raw, "/") {
		// "example.org/dronekb/" would become the path /example.org/dronekb/
		// and break every link.
		first, _, _ := strings.Cut(raw, "/")
		if first == "." || first == ".." {
			// "./" is no host without its scheme: links cannot be
			// relative to each page's own folder.
			return "", "", fmt.Errorf("--base-url %q is a relative path: give the site's path from the host's root, like /dronekb/, or its address, like https://example.org/dronekb/", raw)
		}
		if strings.Contains(first, ".") {
			return "", "", fmt.Errorf("--base-url %q has no scheme: write https://%s", raw, raw)
		}
		return "", "", fmt.Errorf("--base-url %q is neither a URL nor a path: write https://host/%s, or the path /%s", raw, raw, raw)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", "", fmt.Errorf("--base-url %q has port %s, which no address has: a port is 1 to 65535", raw, port)
		}
	}
	if u.User != nil {
		return "", "", fmt.Errorf("--base-url %q carries a user name: every page would publish it; give the address without it", raw)
	}
	// One spelling of each address: "/dronekb//" and "/a/../dronekb" are
	// /dronekb/, "HTTPS://Example.ORG:443/" is https://example.org/, so
	// that canonical URLs, the feed's and the sitemap's are the ones a
	// browser shows.
	p := path.Clean("/" + u.EscapedPath())
	if last := path.Base(p); strings.HasSuffix(strings.ToLower(last), ".html") || strings.HasSuffix(strings.ToLower(last), ".htm") {
		// The address of a page, the home page's most often: its links
		// would all go under a folder named after the file.
		dir := strings.TrimSuffix(raw, last)
		return "", "", fmt.Errorf("--base-url %q is the address of a page, not of the folder the site is published in: write %q", raw, dir)
	}
	if p != "/" {
		p += "/"
	}
	if u.Host != "" {
		host := strings.ToLower(u.Host)
		if net.ParseIP(u.Hostname()) == nil {
			// A host in letters beyond ASCII (drönes.example) is written
			// as DNS knows it (xn--drnes-kua.example): search engines
			// take a sitemap's addresses, and feed readers a feed's, in
			// that form (found in review). A name no address can have
			// (example..org, -drones.example, drone_kb.example) is
			// refused here rather than written into every canonical
			// address, the feed and the sitemap.
			name, err := hostNames.ToASCII(u.Hostname())
			if err != nil {
				return "", "", fmt.Errorf("--base-url %q: %q is not a host name an address can have (%v)", raw, u.Hostname(), err)
			}
			host = name
			if port := u.Port(); port != "" {
				host += ":" + port
			}
		}
		if u.Scheme == "https" {
			host = strings.TrimSuffix(host, ":443")
		} else {
			host = strings.TrimSuffix(host, ":80")
		}
		absBase = u.Scheme + "://" + host + p
	}
	return p, absBase, nil
}

// Tracker returns the tracker the site shows.
func (s *Site) Tracker() *kb.Tracker { return s.tracker }

// BasePath returns the path the site is served under ("/" or "/dronekb/").
func (s *Site) BasePath() string { return s.base }

// URL returns the site path of a page given relative to the site root
// ("agencies/" → "/dronekb/agencies/").
func (s *Site) URL(rel string) string { return s.base + strings.TrimPrefix(rel, "/") }

// AbsBase is the site's absolute base URL ("https://example.org/dronekb/"),
// or "" when it was given as a path alone.
func (s *Site) AbsBase() string { return s.absBase }

// AbsURL returns the absolute URL of a page when the base URL is absolute,
// else its site path.
func (s *Site) AbsURL(rel string) string {
	if s.absBase == "" {
		return s.URL(rel)
	}
	return s.absBase + strings.TrimPrefix(rel, "/")
}

// EntryPath returns an entry's page relative to the site root: "agencies/nypd/".
func EntryPath(e *kb.Entry) string { return e.Section + "/" + e.Slug + "/" }

// PagePath returns one of the site's own pages relative to the site root:
// content/pages/about.md is "about/".
func PagePath(p *kb.Entry) string { return p.Slug + "/" }

// EntryURL returns an entry's page URL path.
func (s *Site) EntryURL(e *kb.Entry) string { return s.URL(EntryPath(e)) }

// CountryPath returns a country page relative to the site root: "countries/fr/".
func CountryPath(code string) string { return "countries/" + strings.ToLower(code) + "/" }

// TagPath returns a tag page relative to the site root: "tags/dji/".
func TagPath(tag string) string { return "tags/" + tag + "/" }

// Stats counts what a build wrote.
type Stats struct {
	Pages int
	Files int
	Bytes int64
	// Work is the time the workers spent on each kind of file ("entry
	// pages", "tracker pages", "downloads", …), added up over workers,
	// in the order the kinds are first met: what build -v shows.
	Work []Work
}

// Work is the time spent on one kind of file.
type Work struct {
	Kind string
	Took time.Duration
}

// A writer puts generated files into the output directory; with no
// directory it only counts them (Render).
type writer struct {
	dir   string
	files atomic.Int64
	pages atomic.Int64
	bytes atomic.Int64
	mu    sync.Mutex
	dirs  map[string]bool
	sizes map[string]int64 // size of each download under data/, for the data page
	// sync, when set, makes the writer update a directory that holds an
	// earlier build: only files whose bytes differ are written (Sync).
	sync *syncState
}

// wrote records the size of a download written under data/.
func (w *writer) wrote(rel string, n int64) {
	if strings.HasPrefix(rel, "data/") {
		w.mu.Lock()
		w.sizes[rel] = n
		w.mu.Unlock()
	}
}

// size returns the size of a download written earlier in the build.
func (w *writer) size(rel string) int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sizes[rel]
}

func (w *writer) write(rel string, data []byte) error {
	rel, err := cleanRel(rel)
	if err != nil {
		return err
	}
	if w.dir == "" {
		w.count(rel, int64(len(data)))
		return nil
	}
	full := filepath.Join(w.dir, filepath.FromSlash(rel))
	if err := w.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	if w.sync != nil {
		if err := w.syncWrite(rel, full, data); err != nil {
			return err
		}
	} else if err := os.WriteFile(full, data, 0o644); err != nil {
		return err
	}
	w.count(rel, int64(len(data)))
	return nil
}

// mkdir makes a directory the writer puts files in, once. A page's
// directory is made with one system call when its parent is known to
// exist (the output directory, or one made before), rather than the three
// of os.MkdirAll: a site makes one for every page.
func (w *writer) mkdir(dir string) error {
	w.mu.Lock()
	known := w.dirs[dir]
	parent := w.dirs[filepath.Dir(dir)] || filepath.Dir(dir) == filepath.Clean(w.dir)
	w.mu.Unlock()
	if known {
		return nil
	}
	var err error
	if parent {
		// Another worker may have made it first; anything else in its
		// place fails the file's creation.
		if err = os.Mkdir(dir, 0o755); errors.Is(err, fs.ErrExist) {
			err = nil
		}
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.dirs[dir] = true
	w.mu.Unlock()
	return nil
}

// stream writes a file as fill produces it, for downloads too large to
// hold in memory whole.
func (w *writer) stream(rel string, fill func(io.Writer) error) error {
	rel, err := cleanRel(rel)
	if err != nil {
		return err
	}
	var n countingWriter
	if w.dir == "" {
		n.w = io.Discard
		if err := fill(&n); err != nil {
			return err
		}
	} else {
		full := filepath.Join(w.dir, filepath.FromSlash(rel))
		if err := w.mkdir(filepath.Dir(full)); err != nil {
			return err
		}
		f, err := w.create(full)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 256<<10)
		n.w = bw
		err = fill(&n)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && w.sync != nil {
			err = w.commit(rel, f.Name(), full)
		}
		if err != nil {
			if w.sync != nil {
				os.Remove(f.Name())
			}
			return err
		}
	}
	w.files.Add(1)
	w.bytes.Add(n.n)
	w.wrote(rel, n.n)
	return nil
}

// create opens a file to write at full: the file itself, or when syncing
// a temporary file beside it, which commit puts in its place.
func (w *writer) create(full string) (*os.File, error) {
	if w.sync != nil {
		return os.CreateTemp(filepath.Dir(full), syncTemp+"*")
	}
	return os.Create(full)
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// cleanRel checks that a file the site writes stays inside the output
// directory.
func cleanRel(rel string) (string, error) {
	rel = path.Clean(rel)
	if rel == "." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return "", fmt.Errorf("refusing to write %q outside the output directory", rel)
	}
	return rel, nil
}

// count records a file written.
func (w *writer) count(rel string, n int64) {
	w.files.Add(1)
	w.bytes.Add(n)
	w.wrote(rel, n)
	if strings.HasSuffix(rel, ".html") {
		w.pages.Add(1)
	}
}

// job renders one or more files.
type job func(w *writer) error

// jobList is the jobs of a build with the kind of file each writes, so
// that the time each kind takes can be told (Stats.Work).
type jobList struct {
	jobs  []job
	kinds []int // index into names
	names []string
}

// add appends jobs of one kind.
func (l *jobList) add(kind string, jobs ...job) {
	k := slices.Index(l.names, kind)
	if k < 0 {
		k = len(l.names)
		l.names = append(l.names, kind)
	}
	for _, j := range jobs {
		l.jobs = append(l.jobs, j)
		l.kinds = append(l.kinds, k)
	}
}

// Build writes the whole site into dir, which should be new and empty
// (writing into a fresh directory is several times faster than overwriting).
// It makes dir if it does not exist: the writer makes a page's directory
// with one mkdir when its parent is dir.
func (s *Site) Build(ctx context.Context, dir string) (Stats, error) {
	if dir == "" {
		return Stats{}, errors.New("site: no output directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	return s.build(ctx, dir)
}

// Render renders every file of the site as Build does, but writes none:
// what a build costs less the disk, for benchmarks.
func (s *Site) Render(ctx context.Context) (Stats, error) { return s.build(ctx, "") }

func (s *Site) build(ctx context.Context, dir string) (Stats, error) {
	w := &writer{dir: dir, dirs: map[string]bool{}, sizes: map[string]int64{}}
	s.startChart() // beside the entry pages
	var work []Work
	err := s.run(ctx, w, s.jobs(true, nil), &work)
	if err == nil {
		// The data page and datapackage.json give the downloads' sizes,
		// so they are written once the downloads are.
		var late jobList
		late.add("downloads", s.lateJobs()...)
		err = s.run(ctx, w, late, &work)
	}
	return Stats{Pages: int(w.pages.Load()), Files: int(w.files.Load()), Bytes: w.bytes.Load(), Work: work}, err
}

// run runs jobs on the site's workers and returns the first error. It adds
// the time each kind of job took to work.
func (s *Site) run(ctx context.Context, w *writer, l jobList, work *[]Work) error {
	var (
		wg       sync.WaitGroup
		firstErr error
		errOnce  sync.Once
		next     atomic.Int64
	)
	took := make([]atomic.Int64, len(l.names))
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	work1 := func() {
		for {
			n := int(next.Add(1)) - 1
			if n >= len(l.jobs) || ctx.Err() != nil {
				return
			}
			start := time.Now()
			err := l.jobs[n](w)
			took[l.kinds[n]].Add(int64(time.Since(start)))
			if err != nil {
				fail(err)
				return
			}
		}
	}
	workers, beside := s.opts.Workers, s.opts.Beside
	if workers < 2 {
		beside = nil
	}
	if beside != nil {
		workers--
	}
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work1()
		}()
	}
	// The worker held back joins once the work beside ends, unless the
	// others have run out of jobs by then.
	var late sync.WaitGroup
	ranOut := make(chan struct{})
	if beside != nil {
		late.Add(1)
		go func() {
			defer late.Done()
			select {
			case <-beside:
				work1()
			case <-ranOut:
			}
		}()
	}
	wg.Wait()
	close(ranOut)
	late.Wait()
	// The cards were for this run's lists; a site kept for the next
	// incremental build (serve --watch) does not keep them.
	s.cards.Clear()
	for i, name := range l.names {
		d := time.Duration(took[i].Load())
		if k := slices.IndexFunc(*work, func(x Work) bool { return x.Kind == name }); k >= 0 {
			(*work)[k].Took += d
		} else {
			*work = append(*work, Work{Kind: name, Took: d})
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// jobs returns the jobs that write the site: every file, or with entries
// false every file but the entry pages; of the site-wide pages, those
// want selects (all if nil; see sitePages).
func (s *Site) jobs(entries bool, want func(path string) bool) jobList {
	var l jobList
	// The downloads first: each is one long job (kb.sqlite, kb.json and
	// the tracker's take a second or more at 10,000 entries), and one
	// started last would keep a worker busy after the others ran out of
	// work. Then the entry pages: they are most of the work, and the many
	// small jobs after them drain the pool evenly.
	l.add("downloads", s.dataJobs()...)
	for _, e := range s.kb.Entries {
		if !entries {
			break
		}
		e := e
		l.add("entry pages", func(w *writer) error { return s.renderEntry(w, e) })
	}
	for _, p := range s.sitePages(want) {
		l.add(p.kind, p.render)
	}
	l.add("assets and cards", s.assetJobs()...)
	l.add("assets and cards", s.cardJobs()...)
	l.add("feed, sitemap, schemas", s.feedJobs()...)
	l.add("feed, sitemap, schemas", s.schemaJobs()...)
	return l
}

// sitePage is one of the pages the site renders beside the entries':
// its path (as EntryPath gives an entry's: "countries/fr/", "" for home)
// and the job that renders it.
type sitePage struct {
	path, kind string
	render     job
}

// sitePages returns the site-wide pages — home, search, timeline, 404,
// the tracker and its views, the lists, the own pages, the country,
// region and tag pages — that want selects (all if nil), in the order a
// build renders them. Sync renders them all; SyncPages those an edit
// shows on (Showing).
func (s *Site) sitePages(want func(path string) bool) []sitePage {
	var out []sitePage
	add := func(path, kind string, render job) {
		if want == nil || want(path) {
			out = append(out, sitePage{path, kind, render})
		}
	}
	page := func(rel, name, title, desc string, data func() any) job {
		return func(w *writer) error {
			return s.renderPage(w, rel, name, &Page{Title: title, Description: desc, Path: rel, Data: data()})
		}
	}
	const (
		home  = "home, search, timeline, 404"
		lists = "lists, countries, regions, tags"
	)
	add("", home, func(w *writer) error { return s.renderHome(w) })
	add("search/", home, page("search/", "search", "Search", "Search agencies, vendors, laws and incidents.", func() any { return s.searchView() }))
	add("timeline/", home, page("timeline/", "timeline", "Timeline of laws and incidents", "Every law's dates and every incident, year by year.", func() any { return s.timelineView() }))
	add("404.html", home, func(w *writer) error { return s.renderNotFound(w) })
	add("countries/", lists, page("countries/", "terms", "Countries", "Entries by country.", func() any { return s.countryTerms() }))
	add("tags/", lists, page("tags/", "terms", "Tags", "Entries by tag.", func() any { return s.tagTerms() }))
	out = append(out, s.trackerPages(want)...)
	for _, sec := range kb.Sections {
		sec := sec
		add(sec.Dir+"/", lists, func(w *writer) error { return s.renderSection(w, sec) })
	}
	for _, p := range s.kb.Pages {
		if p.Slug != kb.PageHome {
			p := p
			add(PagePath(p), home, func(w *writer) error { return s.renderOwnPage(w, p) })
		}
	}
	for _, c := range slices.Sorted(maps.Keys(s.country)) {
		c := c
		add(CountryPath(c), lists, func(w *writer) error { return s.renderCountry(w, c) })
	}
	for _, r := range slices.Sorted(maps.Keys(s.region)) {
		r := r
		add(RegionPath(r), lists, func(w *writer) error { return s.renderRegion(w, r) })
	}
	for _, t := range slices.Sorted(maps.Keys(s.tags)) {
		t := t
		add(TagPath(t), lists, func(w *writer) error { return s.renderTag(w, t) })
	}
	return out
}

// Page is what every layout receives.
type Page struct {
	Site        *siteInfo
	Title       string
	Description string
	Path        string // relative to the site root: "agencies/nypd/"
	Kind        string // the layout's name
	Crumbs      []Crumb
	// Image is the picture shown when the page is shared, relative to the
	// site root (cardURL); the site's own card when empty.
	Image string
	Data  any
}

// Crumb is one step of the breadcrumb trail.
type Crumb struct {
	Title string
	URL   string
}

type siteInfo struct {
	Base       string
	AbsBase    string
	AsOf       kb.Date
	Sections   []kb.Section
	Stylesheet string
	Script     string
	// TrackerScript sorts and filters the tracker table in place.
	TrackerScript string
	Favicon       string
	// TouchIcon is the square PNG icon iOS and Safari show for the site
	// (apple-touch-icon), which takes no SVG.
	TouchIcon string
	Counts    map[string]int // entries per section
	// Pages are the site's own pages (about, …) with their URLs, by ID.
	Pages []PageLink
	// Updated is the day the knowledge base last changed: the latest
	// "updated" date of its entries and pages (AsOf is the day its
	// statuses are computed for).
	Updated kb.Date
}

// PageLink is one of the site's own pages, for navigation.
type PageLink struct {
	Slug, Title, URL string
}

func (s *Site) newSiteInfo() *siteInfo {
	counts := map[string]int{}
	for _, sec := range kb.Sections {
		counts[sec.Dir] = len(s.kb.Section(sec.Dir))
	}
	info := &siteInfo{
		Base: s.base, AbsBase: s.absBase, AsOf: s.opts.AsOf, Sections: kb.Sections,
		Stylesheet: s.assets["style.css"], Script: s.assets["search.js"], TrackerScript: s.assets["tracker.js"], Favicon: s.assets["favicon.svg"],
		TouchIcon: s.assets["apple-touch-icon.png"], Counts: counts,
	}
	for _, p := range s.kb.Pages {
		if p.Slug != kb.PageHome {
			info.Pages = append(info.Pages, PageLink{Slug: p.Slug, Title: p.Title, URL: s.URL(PagePath(p))})
		}
	}
	for _, e := range append(append([]*kb.Entry(nil), s.kb.Entries...), s.kb.Pages...) {
		if e.Updated.After(info.Updated) {
			info.Updated = e.Updated
		}
	}
	return info
}

// pageBuffers holds the buffers pages are rendered into: a page is written
// out as soon as it is rendered, so its buffer can serve the next page
// rather than become garbage (a fifth of what a 10,000-entry build
// allocated before).
var pageBuffers = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(32 << 10); return b }}

func (s *Site) renderPage(w *writer, rel, name string, p *Page) error {
	p.Site, p.Kind = s.info, name
	if p.Image == "" {
		p.Image = s.cardURL("")
	}
	out := rel
	if out == "" || strings.HasSuffix(out, "/") {
		out += "index.html"
	}
	pw := &pageWriter{w: w, rel: out, buf: pageBuffers.Get().(*bytes.Buffer)}
	defer pw.release()
	if err := s.tmpl.execute(pw, name, p); err != nil {
		return fmt.Errorf("rendering %s with layout %s: %w", "/"+rel, name, err)
	}
	return pw.close()
}

// spillAt is the size past which a page is written out as it renders
// rather than held whole: the tracker's pages carry every agency's row,
// tens of megabytes for a large knowledge base. Tests lower it.
var spillAt = 1 << 20

// pageWriter holds a page as it renders, and once it passes spillAt sends
// it on to its file instead.
type pageWriter struct {
	w     *writer
	rel   string
	buf   *bytes.Buffer
	spill io.Writer // the file's writer once spilled (a countingWriter)
	file  *os.File
	full  string // the file's path, when it spilled
	bw    *bufio.Writer
	n     countingWriter
}

func (pw *pageWriter) Write(p []byte) (int, error) {
	if pw.spill == nil && pw.buf.Len()+len(p) > spillAt {
		if err := pw.open(); err != nil {
			return 0, err
		}
	}
	if pw.spill != nil {
		return pw.spill.Write(p)
	}
	return pw.buf.Write(p)
}

// open starts writing the page to its file (or, rendering only, to
// nowhere), with what is held so far.
func (pw *pageWriter) open() error {
	rel, err := cleanRel(pw.rel)
	if err != nil {
		return err
	}
	pw.rel = rel
	pw.n.w = io.Discard
	if pw.w.dir != "" {
		full := filepath.Join(pw.w.dir, filepath.FromSlash(pw.rel))
		if err := pw.w.mkdir(filepath.Dir(full)); err != nil {
			return err
		}
		f, err := pw.w.create(full)
		if err != nil {
			return err
		}
		pw.full = full
		pw.file, pw.bw = f, bufio.NewWriterSize(f, 256<<10)
		pw.n.w = pw.bw
	}
	pw.spill = &pw.n
	_, err = pw.n.Write(pw.buf.Bytes())
	pw.buf.Reset()
	return err
}

// close writes the page held, or finishes the file it spilled to.
func (pw *pageWriter) close() error {
	if pw.spill == nil {
		return pw.w.write(pw.rel, pw.buf.Bytes())
	}
	var err error
	if pw.file != nil {
		err = pw.bw.Flush()
		if cerr := pw.file.Close(); err == nil {
			err = cerr
		}
		if err == nil && pw.w.sync != nil {
			err = pw.w.commit(pw.rel, pw.file.Name(), pw.full)
		}
		if err != nil && pw.w.sync != nil {
			os.Remove(pw.file.Name())
		}
		pw.file = nil
	}
	if err == nil {
		pw.w.count(pw.rel, pw.n.n)
	}
	return err
}

// release returns the buffer to the pool, and closes a file left open by
// a failed render.
func (pw *pageWriter) release() {
	if pw.file != nil {
		pw.file.Close()
		if pw.w.sync != nil {
			os.Remove(pw.file.Name())
		}
	}
	if pw.buf.Cap() <= spillAt*2 {
		pw.buf.Reset()
		pageBuffers.Put(pw.buf)
	}
}

// loadAssets reads the theme's static files and gives each a URL with a
// content hash, so browsers can cache them for as long as they like.
// Hidden files and folders (.git, .DS_Store) are left out, as the content's
// are: serve would not serve them, nor serve --watch watch them.
func (s *Site) loadAssets() error {
	s.assets = map[string]string{}
	return fs.WalkDir(s.opts.Theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == "static" {
				return nil
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(s.opts.Theme, p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "static/")
		s.assets[rel] = s.URL("assets/"+rel) + "?v=" + shortHash(data)
		return nil
	})
}

func (s *Site) assetJobs() []job {
	var jobs []job
	for _, rel := range slices.Sorted(maps.Keys(s.assets)) {
		rel := rel
		jobs = append(jobs, func(w *writer) error {
			data, err := fs.ReadFile(s.opts.Theme, "static/"+rel)
			if err != nil {
				return err
			}
			return w.write("assets/"+rel, data)
		})
	}
	return jobs
}

// countryName returns "France" for "FR", or the code if it is unknown.
func countryName(code string) string {
	if n, ok := iso3166.Country(code); ok {
		return n
	}
	return code
}

func regionName(code string) string {
	if r, ok := iso3166.Region(code); ok {
		return r.Name
	}
	return code
}

// buildTime turns a date into a timestamp for feeds.
func buildTime(d kb.Date) time.Time { return d.Time() }

// cacheLinks renders every entry's link once. Pages repeat links to the same
// entries many times (backlinks, tables, lists), and a template action with a
// URL costs several escaping calls each time; a cached, already escaped link
// costs one.
func (s *Site) cacheLinks() {
	s.links = make(map[*kb.Entry][2]template.HTML, len(s.kb.Entries))
	for _, e := range s.kb.Entries {
		s.links[e] = s.makeLinks(e)
	}
	s.cacheCountryLinks()
}

// mendLinks caches the links as cacheLinks does, from prev's: only the
// changed entries' are made (NewAfter).
func (s *Site) mendLinks(prev *Site, changed []*kb.Entry) {
	s.links = maps.Clone(prev.links)
	for _, e := range changed {
		if e.Type == kb.TypePage {
			continue
		}
		delete(s.links, prev.kb.Entry(e.ID))
		s.links[e] = s.makeLinks(e)
	}
	s.cacheCountryLinks()
}

// makeLinks returns an entry's link and its short (law) link.
func (s *Site) makeLinks(e *kb.Entry) [2]template.HTML {
	href := html.EscapeString(s.EntryURL(e))
	title := html.EscapeString(e.Title)
	// A title in another language than the site's is marked, so that a
	// screen reader says "Préfecture de l'Aisne" in French.
	lang := ""
	if l := e.ForeignTitle(); l != "" {
		lang = ` lang="` + l + `"`
	}
	full := template.HTML(`<a href="` + href + `"` + lang + `>` + title + `</a>`)
	short := full
	if e.Law != nil && e.Law.Short != "" {
		short = template.HTML(`<a href="` + href + `" title="` + title + `"` + lang + `>` + html.EscapeString(e.Law.Short) + `</a>`)
	}
	return [2]template.HTML{full, short}
}

// cacheCountryLinks renders the link of every country with a page.
func (s *Site) cacheCountryLinks() {
	s.countryLinks = map[string]template.HTML{}
	for code := range s.country {
		s.countryLinks[code] = template.HTML(`<a href="` + html.EscapeString(s.URL(CountryPath(code))) + `">` + html.EscapeString(countryName(code)) + `</a>`)
	}
}

// siteLang is the language of the site's own words, as base.html's
// <html lang> gives it.
const siteLang = "en"

// link returns the entry's link: <a href="its URL">its title</a>.
func (s *Site) link(e *kb.Entry) template.HTML {
	if l, ok := s.links[e]; ok {
		return l[0]
	}
	return template.HTML(html.EscapeString(e.Title))
}

// lawLink returns a law's link by its short name, with the full title as
// its tooltip; other entries get their usual link.
func (s *Site) lawLink(e *kb.Entry) template.HTML {
	if l, ok := s.links[e]; ok {
		return l[1]
	}
	return template.HTML(html.EscapeString(e.Title))
}

// statusesIn returns the agencies' statuses by country and by region
// code, in the tracker's order. Only the country and region pages show
// them: they are made when first asked for.
func (s *Site) statusesIn() map[string][]*kb.AgencyStatus {
	s.statusOnce.Do(func() {
		s.statusIn = map[string][]*kb.AgencyStatus{}
		for _, a := range s.tracker.Agencies {
			if c := a.Agency.Agency.Country; c != "" {
				s.statusIn[c] = append(s.statusIn[c], a)
			}
			if r := a.Agency.Agency.Region; r != "" {
				s.statusIn[r] = append(s.statusIn[r], a)
			}
		}
	})
	return s.statusIn
}

// The taxonomies a site groups entries by: an entry's tags, its country,
// and its region (ISO 3166-2).
func entryTags(e *kb.Entry, add func(string)) {
	for _, t := range e.Tags {
		add(t)
	}
}

func entryCountry(e *kb.Entry, add func(string)) {
	if c := e.Country(); c != "" {
		add(c)
	}
}

func entryRegion(e *kb.Entry, add func(string)) {
	if r := e.Region(); r != "" {
		add(r)
	}
}

// group groups entries (sorted by ID) by the keys keys gives each: every
// group is sorted by ID.
func group(entries []*kb.Entry, keys func(*kb.Entry, func(string))) map[string][]*kb.Entry {
	g := map[string][]*kb.Entry{}
	for _, e := range entries {
		keys(e, func(k string) { g[k] = append(g[k], e) })
	}
	return g
}

// regroup returns what group would of the entries after an edit, from
// prev, group's answer before it: each changed entry (of the same ID as
// old(e), the entry before) leaves the groups old(e) was in and joins
// its own, in ID order. A group either is in is copied; the others are
// shared with prev, which is left as it was.
func regroup(prev map[string][]*kb.Entry, changed []*kb.Entry, old func(*kb.Entry) *kb.Entry, keys func(*kb.Entry, func(string))) map[string][]*kb.Entry {
	g := maps.Clone(prev)
	copied := map[string]bool{}
	own := func(k string) []*kb.Entry {
		if !copied[k] {
			copied[k] = true
			g[k] = slices.Clone(g[k])
		}
		return g[k]
	}
	for _, e := range changed {
		if e.Type == kb.TypePage {
			continue
		}
		o := old(e)
		keys(o, func(k string) {
			list := slices.DeleteFunc(own(k), func(x *kb.Entry) bool { return x == o })
			if len(list) == 0 {
				delete(g, k)
				return
			}
			g[k] = list
		})
		keys(e, func(k string) {
			list := own(k)
			i, _ := slices.BinarySearchFunc(list, e.ID, func(x *kb.Entry, id string) int { return strings.Compare(x.ID, id) })
			g[k] = slices.Insert(list, i, e)
		})
	}
	return g
}

// indexLaws indexes, in one pass, which laws name each vendor or country of
// origin and which vendors come from each country, so that vendor and law
// pages need not scan every law or vendor.
func (s *Site) indexLaws() {
	s.namesVendor, s.namesOrigin, s.vendorsFrom = map[string][]*kb.Entry{}, map[string][]*kb.Entry{}, map[string][]*kb.Entry{}
	for _, v := range s.kb.Section("vendors") {
		s.vendorsFrom[v.Vendor.Country] = append(s.vendorsFrom[v.Vendor.Country], v)
	}
	s.lawsIn = map[string][]*kb.Entry{}
	for _, l := range s.kb.Section("laws") {
		jur := l.Law.Country
		if l.Law.Region != "" {
			jur = l.Law.Region
		}
		s.lawsIn[jur] = append(s.lawsIn[jur], l)
		vendors, countries := map[string]bool{}, map[string]bool{}
		restrictions := []kb.Restriction{l.Law.Restricts}
		for _, p := range l.Law.Provisions {
			restrictions = append(restrictions, p.Restricts)
		}
		for _, r := range restrictions {
			for _, v := range r.Vendors {
				if !vendors[v.ID] {
					vendors[v.ID] = true
					s.namesVendor[v.ID] = append(s.namesVendor[v.ID], l)
				}
			}
			for _, c := range r.Countries {
				if !countries[c] {
					countries[c] = true
					s.namesOrigin[c] = append(s.namesOrigin[c], l)
				}
			}
		}
	}
}
