package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
)

// feedSize is how many entries the Atom feed carries.
const feedSize = 50

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title    atomText     `xml:"title"`
	ID       string       `xml:"id"`
	Updated  string       `xml:"updated"`
	Link     atomLink     `xml:"link"`
	Summary  string       `xml:"summary,omitempty"`
	Category []atomCatego `xml:"category"`
}

// atomText is a text construct in a language of its own when Lang is set
// (xml:lang; the feed's own is the site's).
type atomText struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomCatego struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

// entryTime is when an entry last changed, as far as the content says: its
// review date, else its own date, else the site's date.
func (s *Site) entryTime(e *kb.Entry) kb.Date {
	switch {
	case !e.Updated.IsZero():
		return e.Updated
	case !e.Date().IsZero():
		return e.Date()
	}
	return s.opts.AsOf
}

func rfc3339(d kb.Date) string { return d.Time().Format(time.RFC3339) }

func (s *Site) atomID(rel string) string {
	if s.absBase != "" {
		return s.AbsURL(rel)
	}
	// Without an absolute base URL an entry still needs a permanent,
	// unique IRI: a tag URI (RFC 4151) on the entry's path.
	return "tag:dronekb,2018:" + strings.TrimSuffix(rel, "/")
}

func (s *Site) feedJobs() []job {
	return []job{s.writeFeed, s.writeSitemap, s.writeRobots}
}

func (s *Site) writeFeed(w *writer) error {
	entries := append([]*kb.Entry(nil), s.kb.Entries...)
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := s.entryTime(entries[i]), s.entryTime(entries[j])
		if c := a.Compare(b); c != 0 {
			return c > 0
		}
		if c := entries[i].Date().Compare(entries[j].Date()); c != 0 {
			return c > 0
		}
		return entries[i].ID < entries[j].ID
	})
	if len(entries) > feedSize {
		entries = entries[:feedSize]
	}
	updated := s.opts.AsOf
	if len(entries) > 0 {
		updated = s.entryTime(entries[0])
	}
	// The feed is the site's: named as the theme names it (site-name,
	// site-tagline), by its publisher.
	name := s.tmpl.text("site-name")
	if name == "" {
		name = "Who still flies restricted drones"
	}
	f := atomFeed{
		Lang: siteLang, Title: name, Subtitle: s.tmpl.text("site-tagline"), ID: s.atomID("feed.xml"), Updated: rfc3339(updated),
		Links: []atomLink{
			{Href: s.AbsURL("feed.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: s.AbsURL(""), Rel: "alternate", Type: "text/html"},
		},
		Author: atomPerson{Name: name},
	}
	for _, e := range entries {
		ae := atomEntry{
			Title: atomText{Lang: e.ForeignTitle(), Text: e.Title}, ID: s.atomID(EntryPath(e)), Updated: rfc3339(s.entryTime(e)),
			Link: atomLink{Href: s.AbsURL(EntryPath(e)), Rel: "alternate", Type: "text/html"}, Summary: e.Summary,
			Category: []atomCatego{{Term: string(e.Type)}},
		}
		// An agency's entry carries its tracker status, as a category a
		// reader can filter on and in the summary with its reason.
		if st := s.tracker.Agency(e.ID); st != nil {
			ae.Category = append(ae.Category, atomCatego{Term: string(st.Status), Scheme: s.AbsURL("tracker/"), Label: st.Status.Label()})
			ae.Summary = strings.TrimSpace(e.Summary + " Tracker status on " + s.opts.AsOf.String() + ": " + st.Status.Label() + ". " + st.ReasonWords())
		}
		f.Entries = append(f.Entries, ae)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return w.write("feed.xml", buf.Bytes())
}

// The sitemaps protocol (sitemaps.org) takes at most 50,000 URLs and 50 MB
// (52,428,800 bytes) uncompressed in one file; a site with more is listed
// in numbered files, sitemap-1.xml, sitemap-2.xml and on, each within
// them, that sitemap.xml, then a sitemap index, names.
const (
	sitemapMaxURLs  = 50_000
	sitemapMaxBytes = 50 * 1024 * 1024
)

// sitemapLimits are the limits writeSitemap keeps to: sitemapMaxURLs and
// sitemapMaxBytes, lowered by tests (SetSitemapLimits).
var sitemapLimits = struct{ urls, bytes int }{sitemapMaxURLs, sitemapMaxBytes}

const (
	sitemapHead = xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n"
	sitemapFoot = "</urlset>\n"
)

// sitemapURL is one <url> element of a sitemap, with its line break, and
// its lastmod ("2006-01-02", or "").
type sitemapURL struct{ elem, mod string }

func (s *Site) writeSitemap(w *writer) error {
	var urls []sitemapURL
	var buf bytes.Buffer
	add := func(rel string, mod kb.Date) {
		buf.Reset()
		buf.WriteString(" <url><loc>")
		_ = xml.EscapeText(&buf, []byte(s.AbsURL(rel)))
		buf.WriteString("</loc>")
		u := sitemapURL{}
		if !mod.IsZero() {
			u.mod = mod.Time().Format("2006-01-02")
			fmt.Fprintf(&buf, "<lastmod>%s</lastmod>", u.mod)
		}
		buf.WriteString("</url>\n")
		u.elem = buf.String()
		urls = append(urls, u)
	}
	add("", kb.Date{})
	// A list's pages: the first, and those its entries run on to.
	lens := s.listLens()
	list := func(rel string) {
		for n := range s.listPageCount(lens[rel]) {
			add(listPagePath(rel, n+1), kb.Date{})
		}
	}
	add("tracker/", kb.Date{})
	for _, p := range s.trackerPaths() {
		list(p)
	}
	for _, sec := range kb.Sections {
		list(sec.Dir + "/")
	}
	// An entry's page last changed when its citation says (Cited: its
	// file's last commit, else its updated date), the date kb.json gives
	// as changed; the updated date alone told a crawler of a page edited
	// since its review that it had not changed (found in a researcher's
	// audit).
	for _, e := range s.kb.Entries {
		add(EntryPath(e), s.Cited(e))
	}
	add("countries/", kb.Date{})
	for _, c := range slices.Sorted(maps.Keys(s.country)) {
		list(CountryPath(c))
	}
	for _, r := range slices.Sorted(maps.Keys(s.region)) {
		list(RegionPath(r))
	}
	add("tags/", kb.Date{})
	for _, t := range slices.Sorted(maps.Keys(s.tags)) {
		list(TagPath(t))
	}
	add("search/", kb.Date{})
	add("timeline/", kb.Date{})
	add("data/", kb.Date{})
	for _, p := range s.kb.Pages {
		if p.Slug != kb.PageHome {
			add(PagePath(p), p.Updated)
		}
	}

	// The URLs in files within the limits, in order: each takes URLs
	// while they fit (one at least, whatever its size).
	var files [][]sitemapURL
	size := len(sitemapHead) + len(sitemapFoot)
	for i, u := range urls {
		n := len(files)
		if n == 0 || len(files[n-1]) >= sitemapLimits.urls || size+len(u.elem) > sitemapLimits.bytes {
			files = append(files, urls[i:i:i])
			size, n = len(sitemapHead)+len(sitemapFoot), n+1
		}
		files[n-1] = append(files[n-1], u)
		size += len(u.elem)
	}
	urlset := func(us []sitemapURL) []byte {
		buf.Reset()
		buf.WriteString(sitemapHead)
		for _, u := range us {
			buf.WriteString(u.elem)
		}
		buf.WriteString(sitemapFoot)
		return bytes.Clone(buf.Bytes())
	}
	if len(files) == 1 {
		return w.write("sitemap.xml", urlset(files[0]))
	}
	// More than one file: sitemap.xml is their index, each named with
	// the latest lastmod of its URLs.
	var index bytes.Buffer
	index.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for i, us := range files {
		name := "sitemap-" + strconv.Itoa(i+1) + ".xml"
		if err := w.write(name, urlset(us)); err != nil {
			return err
		}
		index.WriteString(" <sitemap><loc>")
		_ = xml.EscapeText(&index, []byte(s.AbsURL(name)))
		index.WriteString("</loc>")
		latest := ""
		for _, u := range us {
			latest = max(latest, u.mod)
		}
		if latest != "" {
			index.WriteString("<lastmod>" + latest + "</lastmod>")
		}
		index.WriteString("</sitemap>\n")
	}
	index.WriteString("</sitemapindex>\n")
	return w.write("sitemap.xml", index.Bytes())
}

func (s *Site) writeRobots(w *writer) error {
	body := "User-agent: *\nAllow: /\n"
	if s.absBase != "" {
		body += "Sitemap: " + s.AbsURL("sitemap.xml") + "\n"
	}
	return w.write("robots.txt", []byte(body))
}
