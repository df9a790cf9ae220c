package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/kb"
)

// Layout names a theme must provide, each as layouts/<name>.html defining
// the "main" template; layouts/base.html defines "base", the page shell, and
// every file in layouts/partials/ is available to all of them.
var layoutNames = []string{"home", "tracker", "section", "agency", "vendor", "law", "incident", "taxonomy", "terms", "search", "data", "404", "page", "timeline"}

type templates struct {
	byName map[string]*template.Template
	// pages says which layouts show a long list's pager: their file
	// mentions .Pager or the "pager" partial. A theme's section or
	// taxonomy layout written before lists had pages does not, and
	// would hide every entry past a list's first page (renderList).
	pages map[string]bool
}

// parseTemplates parses the theme's layouts with funcs, and each layout
// with the functions layoutFuncs gives for it too (nil: none).
func parseTemplates(theme fs.FS, funcs template.FuncMap, layoutFuncs func(layout string) template.FuncMap) (*templates, error) {
	root := template.New("").Funcs(funcs)
	var shared []string
	if files, err := fs.Glob(theme, "layouts/partials/*.html"); err == nil {
		for _, f := range files {
			// A hidden file (an editor's lock, .#parts.html) is no
			// partial, as the theme's digest leaves it out.
			if !strings.HasPrefix(path.Base(f), ".") {
				shared = append(shared, f)
			}
		}
	}
	shared = append(shared, "layouts/base.html")
	for _, f := range shared {
		if _, err := parseFile(root, theme, f); err != nil {
			return nil, err
		}
	}
	t := &templates{byName: map[string]*template.Template{}, pages: map[string]bool{}}
	for _, name := range layoutNames {
		clone, err := root.Clone()
		if err != nil {
			return nil, err
		}
		if layoutFuncs != nil {
			clone.Funcs(layoutFuncs(name))
		}
		src, err := parseFile(clone, theme, "layouts/"+name+".html")
		if err != nil {
			return nil, err
		}
		t.pages[name] = bytes.Contains(src, []byte("Pager")) || bytes.Contains(src, []byte(`"pager"`))
		if clone.Lookup("base") == nil || clone.Lookup("main") == nil {
			return nil, fmt.Errorf("theme: layouts/%s.html must define \"main\", and layouts/base.html \"base\"", name)
		}
		t.byName[name] = clone
	}
	return t, nil
}

func parseFile(t *template.Template, theme fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(theme, name)
	if err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	if _, err := t.New(path.Base(name)).Parse(string(data)); err != nil {
		return nil, fmt.Errorf("theme: %w", err)
	}
	return data, nil
}

func (t *templates) execute(w io.Writer, name string, data any) error {
	tmpl := t.byName[name]
	if tmpl == nil {
		return fmt.Errorf("no layout %q", name)
	}
	return tmpl.ExecuteTemplate(w, "base", data)
}

// partial renders the partial template name with data, as HTML that
// starts and ends in text. Partials are the same in every layout.
func (t *templates) partial(name string, data any) (template.HTML, error) {
	return t.partialIn(layoutNames[0], name, data)
}

// partialIn renders the partial template name as layout has it: a layout
// file may define a partial again.
func (t *templates) partialIn(layout, name string, data any) (template.HTML, error) {
	tmpl := t.byName[layout]
	if tmpl == nil {
		return "", fmt.Errorf("no layout %q", layout)
	}
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// text returns what a partial of the theme says, as plain text: the site's
// name ("site-name") for pictures that are not HTML.
func (t *templates) text(name string) string {
	var buf strings.Builder
	if tmpl := t.byName["home"]; tmpl != nil && tmpl.Lookup(name) != nil {
		if err := tmpl.ExecuteTemplate(&buf, name, nil); err == nil {
			return strings.TrimSpace(html.UnescapeString(buf.String()))
		}
	}
	return ""
}

func shortHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:5])
}

var obsLabel = map[string]string{
	kb.StatusActive: "flying", kb.StatusGrounded: "grounded", kb.StatusRetired: "retired", kb.StatusUnknown: "status unknown",
}

// itemWord says what an item's observation on the date shows: its status
// in a word, or "acquired" when the observation is its purchase, which is
// no sighting of it flying.
func itemWord(it *kb.ItemStatus) string {
	if it.Acquired {
		return "acquired"
	}
	return obsLabel[it.Status]
}

// itemWhen says what a fleet item was on its latest observation before
// that observation's date: "acquired" on the day of the purchase, else its
// status "as of" the day a source describes it — "retired as of 28
// February 2025" is what a report of that day says, where "retired 28
// February 2025" read as the day it was retired (found in review).
func itemWhen(it *kb.ItemStatus) string {
	if it.Acquired {
		return itemWord(it)
	}
	return itemWord(it) + " as of"
}

var fieldLabels = map[string]string{
	"fleet.vendor": "fleet", "restricts.vendors": "restricts", "binds.agencies": "binds", "exempts.agencies": "exempts", "agencies": "agencies involved",
	"vendors": "vendors involved", "laws": "laws involved", "related": "related", "body": "text", "parent": "parent",
}

// funcs are the functions layouts may call. Some the default layouts do not
// use (entryURL, tagURL, isodate) are there for themes that override them.
func (s *Site) funcs() template.FuncMap {
	m := s.baseFuncs()
	for k, v := range s.repoFuncs() {
		m[k] = v
	}
	return m
}

func (s *Site) baseFuncs() template.FuncMap {
	return template.FuncMap{
		"url":      s.URL,
		"absURL":   s.AbsURL,
		"entryURL": s.EntryURL,
		"countryURL": func(code string) string {
			return s.URL(CountryPath(code))
		},
		// hasCountryPage reports whether a country has a page: only
		// countries that some entry is in do. A law may restrict hardware
		// from a country no entry is in.
		"hasCountryPage": func(code string) bool { return len(s.country[code]) > 0 },
		// regionURL is a region's page: every region an entry is in has
		// one, an agency's own among them.
		"regionURL":  func(code string) string { return s.URL(RegionPath(code)) },
		"tagURL":     func(tag string) string { return s.URL(TagPath(tag)) },
		"sectionURL": func(dir string) string { return s.URL(dir + "/") },
		"navCurrent": navCurrent,
		"country":    countryName,
		// theCountry is the article a sentence puts before a country's
		// name as "country" gives it: "the " for "Russian Federation",
		// "" for "China" (and for ISO's inverted names, which read as
		// headings).
		"theCountry": func(code string) string {
			name := countryName(code)
			if !strings.Contains(name, ", ") && strings.HasPrefix(kb.CountryInSentence(name), "the ") {
				return "the "
			}
			return ""
		},
		"region":      regionName,
		"date":        func(d kb.Date) string { return d.Human() },
		"isodate":     func(d kb.Date) string { return d.String() },
		"statusLabel": kb.Status.Label,
		"statusText":  kb.Status.Explain,
		"csvNote":     func() string { return kb.CSVNote },
		"obsLabel":    func(st string) string { return obsLabel[st] },
		"itemWord":    itemWord,
		"section":     func(dir string) kb.Section { sec, _ := kb.SectionOf(dir); return sec },
		"entry":       s.kb.Entry,
		"sourceNum":   sourceNum,
		"join":        strings.Join,
		"plural":      plural,
		"add":         func(a, b int) int { return a + b },
		"lower":       strings.ToLower,
		"statuses":    func() []kb.Status { return kb.Statuses },
		"reasonWords": (*kb.AgencyStatus).ReasonWords,
		"metaDesc":    metaDescription,
		// measureInforms reports a measure that restricts nothing (data,
		// review, advisory).
		"measureInforms": func(m string) bool { return m != "" && !kb.Restricting(m) },
		// dict builds a map for a template call that needs several values:
		// dict "B" $x "Law" $y.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict takes key, value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys are strings, not %T", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"itemLabel": itemLabel,
		"link":      s.link,
		"lawLink":   s.lawLink,
		"countryLink": func(code string) template.HTML {
			return s.countryLinks[code]
		},
		"first": func(n int, es []*kb.Entry) []*kb.Entry {
			if len(es) > n {
				return es[:n]
			}
			return es
		},
		"sub":    func(a, b int) int { return a - b },
		"bibtex": bibtexText,
		// foreignLang is the language an entry says its own text is in
		// (its lang field) when that is not the site's, English: its
		// title, summary and body carry it, so that a screen reader reads
		// them in French. Entries whose lang is only inferred from their
		// country are often written in English, and carry none.
		"foreignLang": func(e *kb.Entry) string {
			if e == nil {
				return ""
			}
			return e.ForeignText()
		},
		// titleLang is the language to mark an entry's title with where
		// its page's text is in its own language (foreignLang): "" when
		// the title shares it.
		"titleLang": func(e *kb.Entry) string {
			text := e.Lang
			if text == "" {
				text = siteLang
			}
			if l := e.TitleLanguage(); l != text {
				return l
			}
			return ""
		},
		// nameLang is the language to mark an entry's title with among
		// the site's own words (a list, a citation): "" for English.
		"nameLang": (*kb.Entry).ForeignTitle,
		"timeTag":  timeTag,
		"cite":     cite,
		"tagList":  s.tagList,
		// permalink is an entry's address to cite: absolute when the
		// base URL is.
		"permalink": func(e *kb.Entry) string {
			if e.Type == kb.TypePage {
				return s.AbsURL(PagePath(e))
			}
			return s.AbsURL(EntryPath(e))
		},
		// siteUpdated is the day the knowledge base last changed: the
		// latest "updated" of its entries and pages.
		"siteUpdated": func() kb.Date { return s.info.Updated },
		"trackerDate": func() kb.Date { return s.opts.AsOf },
		// cited is the date an entry's citation gives (Site.Cited).
		"cited": s.Cited,
		"shell": s.shell,
		// These render repeated fragments of entry pages in Go
		// (fragments.go); statusBadge renders the status-badge partial
		// once per status.
		"sourceItems":   sourceItems,
		"timelineItems": s.timelineItems,
		"lawNames":      s.lawNames,
		"statusBadge":   s.statusBadge,
		"flownRows":     s.flownRows,
		"affectedRows":  s.affectedRows,
		"lawEventItems": s.lawEventItems,
		"fleetRows":     s.fleetRows,
		// entryItems is each layout's own (layoutFuncs); the partials,
		// parsed before the layouts, need the name to exist.
		"entryItems": func([]*kb.Entry) (template.HTML, error) { return "", fmt.Errorf("entryItems outside a layout") },
	}
}

// layoutFuncs are the functions whose result depends on the layout that
// calls them: entryItems renders the entry-card partial of the layout
// rendering the page.
func (s *Site) layoutFuncs(layout string) template.FuncMap {
	return template.FuncMap{
		"entryItems": func(es []*kb.Entry) (template.HTML, error) { return s.entryItems(layout, es) },
	}
}

// shellKey names a part of the page shell as rendered for the entry pages
// of one layout.
type shellKey struct{ layout, name string }

// shell renders the template name with page p, a part of the page shell
// such as the site's header or footer. On entry pages it renders it once
// per layout and repeats it on every other entry page of that layout, so
// what the template shows may depend on the section (.Kind, .Site) but not
// on the entry (.Title, .Path, .Data). The site's pages, list pages and
// the others render it afresh each time. A site of 10,000 entries renders
// its header and footer a few times rather than 10,000.
func (s *Site) shell(name string, p *Page) (template.HTML, error) {
	_, entry := p.Data.(*EntryView)
	key := shellKey{p.Kind, name}
	if entry {
		if h, ok := s.shells.Load(key); ok {
			return h.(template.HTML), nil
		}
	}
	tmpl := s.tmpl.byName[p.Kind]
	if tmpl == nil {
		return "", fmt.Errorf("no layout %q", p.Kind)
	}
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, name, p); err != nil {
		return "", err
	}
	// The template was escaped as HTML that starts and ends in text, as
	// the place it is called from is.
	h := template.HTML(b.String())
	if entry {
		s.shells.Store(key, h)
	}
	return h, nil
}

// sourceNum returns the 1-based number of the source with URL u in e's
// sources, or 0.
func sourceNum(e *kb.Entry, u string) int {
	for i, src := range e.Sources {
		if src.URL == u {
			return i + 1
		}
	}
	return 0
}

// itemLabel names a fleet item for people: "11 × DJI Mavic Pro".
func itemLabel(vendor *kb.Entry, f *kb.FleetItem) string { return kb.ItemLabel(vendor, f) }

// The functions below render small, often repeated fragments in Go: each is
// one template call where the equivalent template code makes several, and a
// large site renders them hundreds of thousands of times.

// timeTag renders a date for people, machine-readable: <time datetime="2019-06">June 2019</time>.
func timeTag(d kb.Date) template.HTML {
	if d.IsZero() {
		return ""
	}
	return template.HTML(`<time datetime="` + d.String() + `">` + d.Human() + `</time>`)
}

// cite renders a citation of source n, a superscript link to it; "" for 0.
func cite(n int) template.HTML {
	if n <= 0 {
		return ""
	}
	num := strconv.Itoa(n)
	return template.HTML(`<sup class="cite"><a href="#source-` + num + `" aria-label="source ` + num + `">[` + num + `]</a></sup>`)
}

// tagList renders an entry's tags as links to their pages.
func (s *Site) tagList(tags []string) template.HTML {
	if len(tags) == 0 {
		return ""
	}
	b := newFragment()
	b.WriteString(`<ul class="tags" aria-label="Tags">`)
	for _, t := range tags {
		// Tags are slugs (a-z, 0-9, -): nothing in them needs escaping,
		// but escape anyway in case a theme feeds other text here.
		e := html.EscapeString(t)
		b.WriteString(`<li><a href="` + html.EscapeString(s.URL(TagPath(t))) + `" rel="tag">` + e + `</a></li>`)
	}
	b.WriteString(`</ul>`)
	return b.html()
}

// navCurrent is the aria-current a navigation link to the page at link
// takes on the page at path: "page" on that page, "true" on its list's
// later pages (page/2/ on) and, for the tracker, on its views, which are
// the tracker too; else "".
func navCurrent(path, link string) string {
	switch {
	case path == link:
		return "page"
	case strings.HasPrefix(path, link+"page/"), link == "tracker/" && strings.HasPrefix(path, link):
		return "true"
	}
	return ""
}

// bibtexReplacer writes LaTeX's special characters so that BibTeX and
// LaTeX print them: a title with "&" or "%" in it otherwise breaks the
// entry a reader pastes, or comments out the rest of its line.
//
// Braces are written as commands, not \{ and \}: BibTeX counts a brace
// after a backslash too, and one left unmatched ran the field on into
// the rest of the entry.
var bibtexReplacer = strings.NewReplacer(
	`\`, `\textbackslash{}`, `{`, `\textbraceleft{}`, `}`, `\textbraceright{}`, `%`, `\%`, `&`, `\&`, `#`, `\#`,
	`$`, `\$`, `_`, `\_`, `~`, `\textasciitilde{}`, `^`, `\textasciicircum{}`,
)

// bibtexText returns s as text inside a BibTeX field's braces.
func bibtexText(s string) string { return bibtexReplacer.Replace(s) }

// maxMetaDescription is the most characters a page's meta description
// (and og:description) gives: search engines and share cards cut a longer
// one off where they choose, mid-word (13 shipped summaries ran to 300-465
// characters: found in review).
const maxMetaDescription = 200

// metaDescription is text cut to at most maxMetaDescription characters.
func metaDescription(text string) string { return cutText(text, maxMetaDescription) }

// cutText is text cut to at most max characters: whole when it fits, else
// at its last sentence's end that fits, if that keeps more than half of
// it, else at the last space, with "…".
func cutText(text string, max int) string {
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	// The first max-1 characters, with room for "…".
	n, cut := 0, len(text)
	for i := range text {
		if n == max-1 {
			cut = i
			break
		}
		n++
	}
	head := text[:cut]
	if i := strings.LastIndex(head, ". "); i > len(head)/2 {
		return head[:i+1]
	}
	if i := strings.LastIndexAny(head, " \t\n"); i > 0 {
		head = head[:i]
	}
	return strings.TrimRight(head, " ,;:–—-") + "…"
}

// plural is n and the word for one or for many: "1 agency", "3 agencies".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
