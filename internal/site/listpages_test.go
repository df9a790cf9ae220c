package site_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// TestListPages builds a generated knowledge base twice, once with every
// list on one page and once with lists of seven entries a page, and
// follows each paged list from its first page through its "Next" links: the
// pages must show the one-page list's entries, each once, in its order,
// seven a page, each page saying which part it shows and titled with its
// number. A country's map, regions and tracker are on its first page alone;
// a group cut by a page's end goes on, marked continued, on the next; the
// table of contents of a section links each group where it begins; and
// every link and fragment of the paged site resolves. The tracker's views
// go on over pages too (checkTrackerViews).
func TestListPages(t *testing.T) {
	dir := t.TempDir()
	if err := sitetest.GenerateSeed(dir, 150, 3); err != nil {
		t.Fatal(err)
	}
	k := sitetest.Load(t, os.DirFS(dir))

	whole := sitetest.Build(t, k, site.Options{PageSize: 1 << 30})
	const size = 7
	paged := sitetest.Build(t, k, site.Options{PageSize: size})
	crawled := sitetest.Crawl(t, paged.Dir, "/", "")
	if sitemap := sitetest.Sitemap(t, paged.Dir, "/", ""); !slices.Equal(sitemap, crawled.Pages) {
		t.Errorf("sitemap.xml lists %d pages, the links reach %d", len(sitemap), len(crawled.Pages))
	}

	t.Run("tracker views", func(t *testing.T) { checkTrackerViews(t, whole, paged, size) })

	isList := regexp.MustCompile(`^(agencies|vendors|laws|incidents|countries/[a-z]{2}|countries/[a-z]{2}/[a-z0-9]+|tags/[^/]+)/index\.html$`)
	lists, multi, continued, contents := 0, 0, 0, 0
	for _, rel := range sitetest.HTMLFiles(t, whole.Dir, "/") {
		rel = strings.TrimPrefix(rel, "/") + "index.html"
		if !isList.MatchString(rel) {
			continue
		}
		lists++
		want := listEntries(t, parseFile(t, filepath.Join(whole.Dir, rel)))
		if len(want) == 0 {
			t.Errorf("%s lists no entries", rel)
			continue
		}
		base := "/" + strings.TrimSuffix(rel, "index.html")
		lastGroup := ""
		pages := checkPaged(t, paged.Dir, base, want, size, "Entries", func(doc *html.Node) []string { return listEntries(t, doc) },
			func(_, _ int, u string, doc *html.Node) {
				// The first group goes on from the page before when
				// that page's last group has its id; then, and then
				// only, it says so.
				hs := groupHeadings(doc)
				if len(hs) == 0 {
					return
				}
				id, _ := sitetest.Attr(hs[0], "id")
				says := strings.HasSuffix(sitetest.Text(hs[0]), "(continued)")
				if says != (id == lastGroup) {
					t.Errorf("%s: its first group %q is marked continued: %v, after a page ending with #%s", u, sitetest.Text(hs[0]), says, lastGroup)
				}
				if says {
					continued++
				}
				lastGroup, _ = sitetest.Attr(hs[len(hs)-1], "id")
			})
		if pages > 1 {
			multi++
		}
		// Every list of more than one group, a section's or a country's,
		// a region's or a tag's, has a table of contents on each page.
		if groups := len(groupHeadings(parseFile(t, filepath.Join(whole.Dir, rel)))); groups > 1 {
			if links := checkContents(t, paged.Dir, base); links < groups*pages {
				t.Errorf("%s: %d pages of %d groups have %d links in their tables of contents", base, pages, groups, links)
			}
			contents++
		}
	}
	if continued == 0 {
		t.Error("no group runs over a page's end: the test sees too little")
	}
	if contents < 10 {
		t.Errorf("only %d lists have more than one group: the test sees too little", contents)
	}
	if lists < 10 || multi < 5 {
		t.Fatalf("only %d lists, %d of them paged: the test sees too little", lists, multi)
	}
}

// checkPaged reads the list or tracker view at the site path base in the
// paged site in dir as a reader does (followPages): its pages must show
// want, the items of the same list on one page, in order, size a page,
// each page saying which of them it shows and titled with its number
// (checkListPage, which calls the items what). items reads a page's
// items; each, if not nil, checks page n of pages further. It returns how
// many pages the list has.
func checkPaged(t *testing.T, dir, base string, want []string, size int, what string, items func(*html.Node) []string, each func(n, pages int, u string, doc *html.Node)) int {
	t.Helper()
	pages := max(1, (len(want)+size-1)/size)
	read := followPages(t, dir, base)
	if len(read) != pages {
		t.Errorf("%s: %d pages, want %d", base, len(read), pages)
	}
	var got []string
	for i, pg := range read {
		n, shows := i+1, items(pg.doc)
		got = append(got, shows...)
		if n < pages && len(shows) != size || n == pages && len(shows) != len(want)-(pages-1)*size {
			t.Errorf("%s shows %d %s", pg.url, len(shows), strings.ToLower(what))
		}
		checkListPage(t, pg.url, pg.doc, what, n, pages, len(want), len(got)-len(shows)+1, len(got))
		if each != nil {
			each(n, pages, pg.url, pg.doc)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: the pages show %d %s\n%v\nthe one page %d\n%v", base, len(got), strings.ToLower(what), got, len(want), want)
	}
	return pages
}

// listPage is a page of a list or a tracker view: its site path and
// its HTML.
type listPage struct {
	url string
	doc *html.Node
}

// followPages reads the pages of the list or tracker view at the site
// path base in dir as a reader reaches them: the first, then each one's
// Next link in its pager, which must lead to the page numbered after it.
// No page may exist past the last that is linked; page/1/, if there are
// several, sends the reader to the first.
func followPages(t *testing.T, dir, base string) []listPage {
	t.Helper()
	file := func(u string) string {
		return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(u, "/")), "index.html")
	}
	var out []listPage
	for u := base; u != "" && len(out) < 10000; {
		doc := parseFile(t, file(u))
		out = append(out, listPage{u, doc})
		u = ""
		for _, a := range sitetest.Find(doc, atom.A) {
			if rel, _ := sitetest.Attr(a, "rel"); rel == "next" && inPager(a) {
				u, _ = sitetest.Attr(a, "href")
			}
		}
		if want := listPageURL(base, len(out)+1); u != "" && u != want {
			t.Errorf("%s: page %d's next page is %q, want %q", base, len(out), u, want)
			break
		}
	}
	if _, err := os.Stat(file(listPageURL(base, len(out)+1))); err == nil {
		t.Errorf("%s: a page %d after the last its pages link, %d", base, len(out)+1, len(out))
	}
	alias, err := os.ReadFile(file(base + "page/1/"))
	switch {
	case len(out) == 1 && err == nil:
		t.Errorf("%s: a list of one page has a page/1/", base)
	case len(out) > 1 && err != nil:
		t.Errorf("%s: no page/1/ to send a reader to the first page: %v", base, err)
	case len(out) > 1:
		for _, want := range []string{`<link rel="canonical" href="` + base + `">`, `<meta http-equiv="refresh" content="0; url=` + base + `">`} {
			if !strings.Contains(string(alias), want) {
				t.Errorf("%s: page/1/ has no %s", base, want)
			}
		}
	}
	return out
}

func listPageURL(base string, n int) string {
	if n == 1 {
		return base
	}
	return fmt.Sprintf("%spage/%d/", base, n)
}

// checkListPage checks page n of a list of pages pages and total items,
// called what ("Entries"), at u, that shows its items first to last.
func checkListPage(t *testing.T, u string, doc *html.Node, what string, n, pages, total, first, last int) {
	t.Helper()
	h1 := sitetest.Text(sitetest.Find(doc, atom.H1)[0])
	if suffix := fmt.Sprintf(", page %d of %d", n, pages); (n > 1) != strings.HasSuffix(h1, suffix) {
		t.Errorf("%s: heading %q (page %d of %d)", u, h1, n, pages)
	}
	// Each page describes itself apart from the others, for search
	// engines.
	for _, m := range sitetest.Find(doc, atom.Meta) {
		if name, _ := sitetest.Attr(m, "name"); name == "description" {
			desc, _ := sitetest.Attr(m, "content")
			if suffix := fmt.Sprintf(" Page %d of %d.", n, pages); (n > 1) != strings.HasSuffix(desc, suffix) {
				t.Errorf("%s: description %q (page %d of %d)", u, desc, n, pages)
			}
		}
	}
	status := ""
	sitetest.Walk(doc, func(e *html.Node) {
		if c, _ := sitetest.Attr(e, "class"); c == "pager-status" {
			status = sitetest.Text(e)
		}
	})
	if pages == 1 {
		if status != "" {
			t.Errorf("%s: a list of one page says %q", u, status)
		}
		return
	}
	if want := fmt.Sprintf("%s %d–%d of %d, page %d of %d.", what, first, last, total, n, pages); !strings.HasPrefix(status, want) {
		t.Errorf("%s says %q, want %q", u, status, want)
	}
	// The pager numbers the first and last pages and those up to two
	// from this one, in order, with this one current, and marks a gap
	// wherever it skips pages.
	var nums []int
	gaps := 0
	for _, nav := range sitetest.Find(doc, atom.Nav) {
		if c, _ := sitetest.Attr(nav, "class"); c != "pager" {
			continue
		}
		for _, li := range sitetest.Find(nav, atom.Li) {
			text := strings.TrimPrefix(strings.TrimSpace(sitetest.Text(li)), "Page ")
			var k int
			if text == "…" {
				gaps++
			} else if _, err := fmt.Sscan(text, &k); err == nil {
				nums = append(nums, k)
				a := sitetest.Find(li, atom.A)
				if cur, _ := sitetest.Attr(a[0], "aria-current"); (cur == "page") != (k == n) {
					t.Errorf("%s: the pager's link to page %d is current: %v", u, k, cur == "page")
				}
				if href, _ := sitetest.Attr(a[0], "href"); href != listPageURL(strings.TrimSuffix(u, fmt.Sprintf("page/%d/", n)), k) {
					t.Errorf("%s: the pager links page %d to %s", u, k, href)
				}
			}
		}
	}
	var want []int
	skips := 0
	for k := 1; k <= pages; k++ {
		if k == 1 || k == pages || k >= n-2 && k <= n+2 {
			if len(want) > 0 && k > want[len(want)-1]+1 {
				skips++
			}
			want = append(want, k)
		}
	}
	if !slices.Equal(nums, want) || gaps != skips {
		t.Errorf("%s: the pager links pages %v with %d gaps, want %v with %d", u, nums, gaps, want, skips)
	}
	// A country's or a region's map, regions and tracker: on its first page.
	for _, id := range []string{"map-h", "regions-h", "tracker-h"} {
		if n > 1 && sitetest.ByID(doc, id) != nil {
			t.Errorf("%s, page %d, shows #%s again", u, n, id)
		}
	}
	// Only the first group of a page can have begun on an earlier one.
	for i, h := range groupHeadings(doc) {
		if i > 0 && strings.HasSuffix(sitetest.Text(h), "(continued)") {
			t.Errorf("%s: %q is marked continued", u, sitetest.Text(h))
		}
	}
}

// checkContents checks that the table of contents of each page of the
// list at base links each group to the page where it begins: the target
// has the group's heading, not marked continued. It returns how many
// links it followed.
func checkContents(t *testing.T, dir, base string) (links int) {
	t.Helper()
	for n := 1; ; n++ {
		file := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(listPageURL(base, n), "/")), "index.html")
		if _, err := os.Stat(file); err != nil {
			return links
		}
		doc := parseFile(t, file)
		for _, nav := range sitetest.Find(doc, atom.Nav) {
			if c, _ := sitetest.Attr(nav, "class"); c != "toc" {
				continue
			}
			for _, a := range sitetest.Find(nav, atom.A) {
				href, _ := sitetest.Attr(a, "href")
				page, id, _ := strings.Cut(href, "#")
				if page == "" {
					page = listPageURL(base, n)
				}
				links++
				h := sitetest.ByID(parseFile(t, filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(page, "/")), "index.html")), id)
				if h == nil || strings.HasSuffix(sitetest.Text(h), "(continued)") {
					t.Errorf("%s: the contents link %q to %s, where the group does not begin", listPageURL(base, n), sitetest.Text(a), href)
				}
			}
		}
	}
}

// groupSections returns a list page's groups: the sections of its main
// element but its map, regions and tracker (whose headings' ids end "-h").
func groupSections(doc *html.Node) []*html.Node {
	var out []*html.Node
	for _, sec := range sitetest.Find(doc, atom.Section) {
		if id, _ := sitetest.Attr(sec, "aria-labelledby"); sec.Parent.DataAtom == atom.Main && !strings.HasSuffix(id, "-h") {
			out = append(out, sec)
		}
	}
	return out
}

// groupHeadings returns the headings of a list page's groups.
func groupHeadings(doc *html.Node) []*html.Node {
	var out []*html.Node
	for _, sec := range groupSections(doc) {
		out = append(out, sitetest.Find(sec, atom.H2)...)
	}
	return out
}

var entryURL = regexp.MustCompile(`^/(agencies|vendors|laws|incidents)/[a-z0-9-]+/$`)

// listEntries returns the URLs of the entries a list page's groups show,
// in order.
func listEntries(t *testing.T, doc *html.Node) []string {
	t.Helper()
	var out []string
	for _, sec := range groupSections(doc) {
		for _, a := range sitetest.Find(sec, atom.A) {
			if href, _ := sitetest.Attr(a, "href"); entryURL.MatchString(href) {
				out = append(out, href)
			}
		}
	}
	return out
}

// inPager says whether a is a link of a list's pager, above or below it.
func inPager(a *html.Node) bool {
	for p := a.Parent; p != nil; p = p.Parent {
		if c, _ := sitetest.Attr(p, "class"); c == "pager" || c == "pager-status" {
			return true
		}
	}
	return false
}

// TestListPagesNeedAPager checks that a theme whose taxonomy layout was
// written before lists had pages, and so links no later page, fails the
// build with an error that says what to add once a list needs a second
// page, rather than hide every entry past the first page; and builds
// while every list fits one.
func TestListPagesNeedAPager(t *testing.T) {
	layout, err := fs.ReadFile(themes.Default(), "layouts/taxonomy.html")
	if err != nil {
		t.Fatal(err)
	}
	var old []string
	for _, line := range strings.Split(string(layout), "\n") {
		if !strings.Contains(line, "Pager") {
			old = append(old, line)
		}
	}
	needAPager(t, "taxonomy", strings.Join(old, "\n"), `{{template "pager" .}}`)

	// The tracker's layout as it was before its views had pages.
	layout, err = fs.ReadFile(themes.Default(), "layouts/tracker.html")
	if err != nil {
		t.Fatal(err)
	}
	tracker := string(layout)
	for _, cut := range []string{"\n{{- with $v.Pager}}\n{{template \"pager-status\" .}}\n{{- end}}", "\n{{- with $v.Pager}}{{template \"pager\" .}}{{end}}",
		` data-query="{{$v.Query}}"{{if $v.Pager}} data-paged data-full="{{url "tracker/"}}"{{end}}`} {
		if !strings.Contains(tracker, cut) {
			t.Fatalf("the default tracker.html no longer has %q: rewrite the test's old layout", cut)
		}
		tracker = strings.Replace(tracker, cut, "", 1)
	}
	needAPager(t, "tracker", tracker, `data-paged`)
}

// needAPager builds a small knowledge base with the default theme but for
// its layout name, which is text, and checks that it builds while every
// list fits one page and fails, saying what to add (want among it), once
// one takes two.
func needAPager(t *testing.T, name, text, want string) {
	t.Helper()
	theme := themes.Overlay(fstest.MapFS{"layouts/" + name + ".html": {Data: []byte(text)}}, themes.Default())
	k := sitetest.Load(t, sitetest.Content(t, smallKB))
	build := func(size int) error {
		s, err := site.New(k, site.Options{Theme: theme, AsOf: sitetest.AsOf, PageSize: size})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "public")
		_, err = s.Build(context.Background(), dir)
		return err
	}
	if err := build(1 << 30); err != nil {
		t.Fatalf("with every list on one page: %v", err)
	}
	err := build(1)
	if err == nil || !strings.Contains(err.Error(), "layouts/"+name+".html shows no pager") || !strings.Contains(err.Error(), want) {
		t.Fatalf("%s.html, with lists of one entry a page: %v", name, err)
	}
	t.Log(err)
}

// TestLawPageCoveredVendors builds a law that restricts what China makes,
// with 57 Chinese vendors in the knowledge base, and another that names
// three vendors. The first law's page lists the first 50 vendors it covers
// in title order and says how many more there are and where they are: on
// China's pages, whose table of contents leads to its vendors, every one
// of the 57 is listed. The second lists its three in full.
func TestLawPageCoveredVendors(t *testing.T) {
	var b strings.Builder
	var makers []string
	for i := 1; i <= 57; i++ {
		slug := fmt.Sprintf("maker-%02d", i)
		makers = append(makers, "/vendors/"+slug+"/")
		fmt.Fprintf(&b, "-- vendors/%s.md --\n---\ntitle: Maker %02d\ncountry: CN\n---\n", slug, i)
	}
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&b, "-- agencies/police-%02d.md --\n---\ntitle: Police %02d\ncountry: CN\nlevel: local\nkind: police\nsources: [https://example.org/police-%02d]\n---\n", i, i, i)
	}
	b.WriteString(`-- vendors/skydio.md --
---
title: Skydio
country: US
---
-- laws/made-in-china.md --
---
title: Made in China Act
country: US
status: enacted
enacted: 2023-12-22
restricts: {countries: [CN]}
measure: procurement
sources: [https://example.org/act]
---
-- laws/named.md --
---
title: Named Vendors Act
country: US
status: enacted
enacted: 2023-12-22
restricts: {vendors: [maker-01, maker-02, skydio]}
measure: procurement
sources: [https://example.org/named]
---
`)
	s := sitetest.BuildArchive(t, b.String(), site.Options{PageSize: 20})
	covered := func(rel string) (links []string, text string) {
		t.Helper()
		sec := sitetest.ByID(parseFile(t, filepath.Join(s.Dir, rel)), "restricted")
		if sec == nil {
			t.Fatalf("%s has no section #restricted", rel)
		}
		for _, p := range sitetest.Find(sec, atom.P) {
			if txt := strings.Join(strings.Fields(sitetest.Text(p)), " "); strings.HasPrefix(txt, "Vendors in the knowledge base it covers") {
				for _, a := range sitetest.Find(p, atom.A) {
					href, _ := sitetest.Attr(a, "href")
					links = append(links, href)
				}
				return links, txt
			}
		}
		t.Fatalf("%s does not say which vendors it covers", rel)
		return nil, ""
	}

	links, text := covered("laws/made-in-china/index.html")
	if want := append(slices.Clone(makers[:50]), "/countries/cn/"); !slices.Equal(links, want) {
		t.Errorf("made-in-china links %q, want the first 50 makers in title order, then China's page", links)
	}
	if want := "Maker 50, and 7 more, listed with the other vendors of China on its page."; !strings.HasSuffix(text, want) {
		t.Errorf("made-in-china says %q, want it to end %q", text, want)
	}
	// China's pages list every maker, and their contents lead to them.
	var listed []string
	for _, p := range followPages(t, s.Dir, "/countries/cn/") {
		for _, u := range listEntries(t, p.doc) {
			if strings.HasPrefix(u, "/vendors/") {
				listed = append(listed, u)
			}
		}
	}
	if !slices.Equal(listed, makers) {
		t.Errorf("China's pages list the vendors %q, want the 57 makers", listed)
	}
	if n := checkContents(t, s.Dir, "/countries/cn/"); n == 0 {
		t.Error("China's pages have no table of contents leading to its vendors")
	}

	links, text = covered("laws/named/index.html")
	if want := []string{"/vendors/maker-01/", "/vendors/maker-02/", "/vendors/skydio/"}; !slices.Equal(links, want) {
		t.Errorf("named links %q, want %q", links, want)
	}
	if strings.Contains(text, "more") {
		t.Errorf("named says %q: it lists every vendor it names", text)
	}
}
