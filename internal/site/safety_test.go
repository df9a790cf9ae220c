package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// Content is not trusted (README, "Content is untrusted"): it arrives from strangers'
// pull requests. These tests fill every field a contributor controls with
// markup, script and template syntax, and prove that no page runs any of it,
// by parsing every page as a browser would (sitetest.CheckSafe) rather than
// by looking for strings. Two layers are tested:
//
//   - content that passes dronekb check (raw HTML in a body is only a
//     warning; markup in a title is just text) goes through the whole path,
//     check then render;
//   - content that check rejects (javascript: links and their disguises,
//     non-http URLs in front matter) is forced past check, to prove the
//     renderer and the templates are safe on their own.

// evil is markup, script and template syntax that every text field below
// carries. It has no single quote, so it fits in a single-quoted YAML string.
const evil = `<script>alert(1)</script> "><img src=x onerror=alert(2)> {{.}} {{template "base" .}} </title><!-- ]]>`

// evil2 breaks out of single-quoted attributes instead.
const evil2 = `'><svg onload=alert(3)>`

// hostileKB passes dronekb check: markup in text fields is just text, and
// raw HTML in a body is a warning.
var hostileKB = strings.NewReplacer("EVIL2", evil2, "EVIL", evil).Replace(`
-- vendors/evil-vendor.md --
---
title: 'EVIL vendor'
summary: 'EVIL'
legal_name: 'EVIL Ltd.'
hq: "EVIL2"
country: CN
website: https://evil.example/'onmouseover='alert(4)'
tags: [evil, script]
sources:
  - url: https://evil.example/'onclick='alert(5)'
    title: 'EVIL source'
    publisher: 'EVIL publisher'
    archive: https://archive.example/'onfocus='alert(6)'
---
Vendor body: EVIL2 [1].
-- laws/evil-law.md --
---
title: 'EVIL law'
short: '<b>S</b>{{.}}'
summary: 'EVIL'
kind: statute
country: US
status: enacted
enacted: 2020-01-01
restricts:
  vendors: [evil-vendor]
measure: operation
tags: [evil]
sources:
  - url: https://law.example.gov/evil
    title: 'EVIL'
---
See [the vendor](../vendors/evil-vendor.md) [1].
-- agencies/evil-agency.md --
---
title: 'EVIL agency'
short: '<b>S</b>{{.}}'
summary: 'EVIL'
country: US
region: US-NY
level: local
kind: police
website: https://agency.example.gov/'onmouseover=alert(7)//
tags: [evil]
fleet:
  - vendor: evil-vendor
    model: 'EVIL model'
    count: 3
    acquired: 2021-01-01
    status: active
    as_of: 2024-06-01
    source: https://agency.example.gov/fleet
    note: 'EVIL note'
sources:
  - url: https://agency.example.gov/fleet
    title: 'EVIL'
    publisher: "EVIL2"
---
## <script>alert(8)</script> heading {{.}}

Inline <img src=x onerror=alert(9)> and <script>alert(10)</script> and
<a href="javascript:alert(11)">an anchor</a> and <b onclick="alert(12)">bold</b>.

<div onclick="alert(13)">a raw HTML block</div>

<script>
alert(14)
</script>

<iframe src="https://evil.example/frame"></iframe>

<style>body { display: none }</style>

<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">

<svg><script>alert(15)</script></svg>

<math><mtext><table><mglyph><style><img src=x onerror=alert(16)>

| EVIL | <img src=x onerror=alert(17)> |
|------|-------------------------------|
| {{.}} | <svg onload=alert(18)> |

` + "`<script>alert(19)</script>`" + ` in code, and a fence with a hostile info string:

` + "```\"><script>alert(20)</script>" + `
<script>alert(21)</script> EVIL
` + "```" + `

![a tracking pixel](https://evil.example/pixel.png)

![alt "><img src=x onerror=alert(22)>](https://evil.example/a.png "t\" onerror=\"alert(23)")

[a quote in the URL](https://evil.example/"onmouseover="alert(24)) and
[a quote in the title](https://evil.example/ "x\" onclick=\"alert(25)") and
<https://evil.example/"onmouseover="alert(26)> and https://evil.example/?q="><script>alert(27)</script> [1].
-- incidents/evil-incident.md --
---
title: 'EVIL incident'
summary: 'EVIL'
date: 2024-01-01
place: 'EVIL place'
country: US
agencies: [evil-agency]
vendors: [evil-vendor]
laws: [evil-law]
kind: other
tags: [evil]
sources:
  - url: https://news.example.org/evil
    title: 'EVIL'
    publisher: 'EVIL'
---
EVIL2 EVIL [1]
`)

// TestHostileContentIsInert builds hostileKB, which passes check, and
// proves every page safe; then that the hostile text is shown as text (not
// dropped, not executed, templates not re-evaluated), and that the feed and
// the JSON downloads carry it intact and still parse.
func TestHostileContentIsInert(t *testing.T) {
	k := sitetest.Load(t, sitetest.Content(t, hostileKB))
	raw := 0
	for _, d := range k.Diagnostics {
		if d.Code == kb.CodeRawHTML {
			raw++
		}
	}
	if raw < 8 {
		t.Fatalf("check reported %d RAW_HTML warnings; the fixture's raw HTML did not reach the body", raw)
	}
	s := sitetest.Build(t, k, site.Options{})
	sitetest.CheckSafe(t, s.Dir, s.Base)
	sitetest.CheckStructure(t, s.Dir)

	// The hostile text is on the pages, as text.
	for _, c := range []struct {
		page  string
		texts []string
	}{
		{"agencies/evil-agency/index.html", []string{evil + " agency", evil + " model", evil + " note", evil2, "heading {{.}}"}},
		{"vendors/evil-vendor/index.html", []string{evil + " vendor", evil + " Ltd.", evil2, evil + " source", evil + " publisher"}},
		{"laws/evil-law/index.html", []string{evil + " law"}},
		{"incidents/evil-incident/index.html", []string{evil + " incident", evil + " place"}},
		{"index.html", []string{evil + " incident"}},
		{"tracker/index.html", []string{evil + " agency", evil + " model"}},
	} {
		doc := parseFile(t, filepath.Join(s.Dir, c.page))
		text := sitetest.Text(doc)
		for _, want := range c.texts {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the text %q is not on the page", c.page, want)
			}
		}
		if title := sitetest.Find(sitetest.Find(doc, atom.Head)[0], atom.Title); strings.Count(c.page, "/") == 2 && (len(title) != 1 || !strings.Contains(sitetest.Text(title[0]), evil)) {
			t.Errorf("%s: the <title> lost the entry's title", c.page)
		}
	}
	// Raw HTML is never passed through: an HTML block is dropped whole, an
	// inline tag with its attributes (the text between tags stays text).
	body := sitetest.Text(parseFile(t, filepath.Join(s.Dir, "agencies/evil-agency/index.html")))
	for _, gone := range []string{"alert(9)", "alert(11)", "alert(12)", "alert(13)", "alert(14)", "a raw HTML block", "display: none"} {
		if strings.Contains(body, gone) {
			t.Errorf("agencies/evil-agency/: raw HTML %q was passed through", gone)
		}
	}

	// The feed is well-formed XML and carries the titles as text.
	feed := readFile(t, filepath.Join(s.Dir, "feed.xml"))
	titles := xmlTexts(t, feed, "title")
	if !contains(titles, evil+" agency") || !contains(titles, evil+" incident") {
		t.Errorf("feed.xml titles %q lost the entries' titles", titles)
	}
	// The downloads parse and carry the text unchanged.
	var data struct {
		Entries []struct{ ID, Title string }
	}
	if err := json.Unmarshal(readFile(t, filepath.Join(s.Dir, "data/kb.json")), &data); err != nil {
		t.Fatalf("data/kb.json: %v", err)
	}
	for _, e := range data.Entries {
		if !strings.HasPrefix(e.Title, evil) {
			t.Errorf("data/kb.json: %s has title %q", e.ID, e.Title)
		}
	}
}

// unsafeLinks are links that dronekb check rejects. The link text is
// "LINKTEXT", so the test can see the text survive while the link does not.
var unsafeLinks = []struct{ name, md string }{
	{"javascript", "[LINKTEXT](javascript:alert(1))"},
	{"mixed-case", "[LINKTEXT](JaVaScRiPt:alert(1))"},
	{"tab-entity", "[LINKTEXT](java&#x09;script:alert(1))"},
	{"newline-entity", "[LINKTEXT](java&#10;script:alert(1))"},
	{"decimal-entity", "[LINKTEXT](&#106;avascript:alert(1))"},
	{"hex-entity-inside", "[LINKTEXT](jav&#x61;script:alert(1))"},
	{"named-colon-entity", "[LINKTEXT](javascript&colon;alert(1))"},
	{"percent-encoded", "[LINKTEXT](%6Aavascript:alert(1))"},
	{"pointy-brackets", "[LINKTEXT](<javascript:alert(1)>)"},
	{"with-title", `[LINKTEXT](javascript:alert(1) "a title")`},
	{"data-html", "[LINKTEXT](data:text/html,%3Cscript%3Ealert(1)%3C/script%3E)"},
	{"data-base64", "[LINKTEXT](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
	{"vbscript", "[LINKTEXT](vbscript:msgbox(1))"},
	{"file", "[LINKTEXT](file:///etc/passwd)"},
	{"protocol-relative", "[LINKTEXT](//evil.example/x)"},
	{"backslashes", `[LINKTEXT](\\evil.example/x)`},
	{"reference", "[LINKTEXT][evil]\n\n[evil]: javascript:alert(1)"},
	{"emphasis", "*[LINKTEXT](javascript:alert(1))*"},
	{"table-cell", "| LINKTEXT |\n|---|\n| [LINKTEXT](javascript:alert(1)) |"},
	{"heading", "## [LINKTEXT](javascript:alert(1))"},
	{"image", "![LINKTEXT](javascript:alert(1))"},
	{"image-data-svg", "![LINKTEXT](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)"},
	{"autolink", "<javascript:alert(1)>"},
	{"autolink-mixed-case", "<JaVaScRiPt:alert(1)>"},
	{"autolink-data", "<data:text/html,alert(1)>"},
	{"autolink-vbscript", "<vbscript:msgbox(1)>"},
	// A node the renderer replaces (an image, an unsafe autolink) must not
	// end its walk over the rest of the paragraph.
	{"after-an-image", "![an image](javascript:alert(1)) then [LINKTEXT](//evil.example/x)"},
	{"after-an-autolink", "<javascript:alert(1)> then [LINKTEXT](//evil.example/x)"},
}

// TestUnsafeLinks proves both layers for links. Each case is the body of
// its own entry. Check must reject each with an error in that entry, and
// a site cannot be made from content with errors. Then, with the errors
// dropped so that the renderer sees the links anyway, the case's page must
// be safe (sitetest.Unsafe) with no link at all in its body, and the link's
// text still there.
func TestUnsafeLinks(t *testing.T) {
	content := sitetest.Content(t, smallKB)
	file := func(i int) string { return fmt.Sprintf("agencies/unsafe-%02d.md", i) }
	for i, c := range unsafeLinks {
		content[file(i)] = &fstest.MapFile{Data: []byte("---\ntitle: Unsafe link " + c.name +
			"\ncountry: US\nsources:\n  - url: https://example.org/\n---\n" + c.md + "\n")}
	}
	k := kb.Load(content, kb.Options{AsOf: sitetest.AsOf})
	if _, err := site.New(k, site.Options{Theme: themes.Default(), AsOf: sitetest.AsOf}); err == nil {
		t.Error("site.New accepted a knowledge base with content errors")
	}
	errs := map[string][]kb.Diagnostic{}
	var kept kb.Diagnostics
	for _, d := range k.Diagnostics {
		if d.Severity == kb.SevError {
			errs[d.File] = append(errs[d.File], d)
		} else {
			kept = append(kept, d)
		}
	}
	// Layer 2: force the rejected links through to the renderer.
	k.Diagnostics = kept
	s := sitetest.Build(t, k, site.Options{})

	for i, c := range unsafeLinks {
		t.Run(c.name, func(t *testing.T) {
			// Layer 1: check rejects it, and for no other reason.
			found := false
			for _, d := range errs[file(i)] {
				if d.Code == kb.CodeLinkUnsafe || d.Code == kb.CodeLinkRelative {
					found = true
				} else {
					t.Errorf("unexpected error: %s", d)
				}
			}
			if !found {
				t.Errorf("check did not reject %q", c.md)
			}
			// Layer 2: the renderer on its own.
			doc := parseFile(t, filepath.Join(s.Dir, strings.TrimSuffix(file(i), ".md"), "index.html"))
			problems := sitetest.Unsafe(doc, s.Base)
			var body *html.Node
			sitetest.Walk(doc, func(n *html.Node) {
				if v, _ := sitetest.Attr(n, "class"); v == "body" {
					body = n
				}
			})
			if body == nil {
				problems = append(problems, "the page has no body section")
			} else {
				for _, a := range sitetest.Find(body, atom.A) {
					href, _ := sitetest.Attr(a, "href")
					problems = append(problems, fmt.Sprintf("rendered as a link to %q", href))
				}
				if text := sitetest.Text(body); !strings.Contains(text, "LINKTEXT") && !strings.Contains(text, ":") {
					problems = append(problems, fmt.Sprintf("the link's text is gone: %q", text))
				}
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
	for name, ds := range errs {
		if !strings.HasPrefix(name, "agencies/unsafe-") {
			t.Errorf("unexpected errors in %s: %v", name, ds)
		}
	}
}

// TestInlinesAfterAnImage builds content that passes check — two https
// images and an entry link and a citation in one paragraph — and expects
// images as links (never an <img> fetching from another site), the entry
// link rewritten to the entry's page, and the citation linked to its source:
// replacing the first image must not stop the renderer from rewriting what
// follows it.
func TestInlinesAfterAnImage(t *testing.T) {
	content := sitetest.Content(t, smallKB)
	content["agencies/images.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Images\ncountry: US\nsources:\n  - url: https://example.org/\n---\n" +
		"![one](https://evil.example/1.png) and ![two](https://evil.example/2.png), [Acme](../vendors/acme-drones.md) [1].\n")}
	s := sitetest.Build(t, sitetest.Load(t, content), site.Options{})
	doc := parseFile(t, filepath.Join(s.Dir, "agencies/images/index.html"))
	problems := sitetest.Unsafe(doc, s.Base)
	hrefs := map[string]bool{}
	for _, a := range sitetest.Find(doc, atom.A) {
		href, _ := sitetest.Attr(a, "href")
		hrefs[href] = true
	}
	for _, want := range []string{"https://evil.example/1.png", "https://evil.example/2.png", "/vendors/acme-drones/", "#source-1"} {
		if !hrefs[want] {
			problems = append(problems, fmt.Sprintf("no link to %s", want))
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestTemplatesNeutraliseUnsafeURLs changes a checked knowledge base behind
// check's back — javascript:, data: and vbscript: URLs in every front matter
// URL field, markup in tags — to prove that the layouts, not only check,
// keep them from becoming links or markup.
func TestTemplatesNeutraliseUnsafeURLs(t *testing.T) {
	k := sitetest.Load(t, sitetest.Content(t, smallKB))
	bad := []string{"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "java\tscript:alert(1)"}
	n := 0
	next := func() string { n++; return bad[n%len(bad)] }
	for _, e := range k.Entries {
		for i := range e.Sources {
			old := e.Sources[i].URL
			e.Sources[i].URL = next()
			e.Sources[i].Archive = next()
			if e.Agency != nil {
				for j := range e.Agency.Fleet {
					if e.Agency.Fleet[j].Source == old {
						e.Agency.Fleet[j].Source = e.Sources[i].URL
					}
				}
			}
		}
		if e.Agency != nil {
			e.Agency.Website = next()
		}
		if e.Vendor != nil {
			e.Vendor.Website = next()
		}
		e.Tags = append(e.Tags, `"><script>alert(1)</script>`)
	}
	s := sitetest.Build(t, k, site.Options{})
	sitetest.CheckSafe(t, s.Dir, s.Base)
	page := readFile(t, filepath.Join(s.Dir, "agencies/metro-pd/index.html"))
	if !bytes.Contains(page, []byte("#ZgotmplZ")) {
		t.Error("agencies/metro-pd/: expected html/template to replace the unsafe URLs with #ZgotmplZ")
	}
}

// TestNoWritesOutsideTheOutput forces an entry's slug, a tag and a country
// that climb out of the output directory past check, and proves that the
// build fails rather than write outside it.
func TestNoWritesOutsideTheOutput(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(k *kb.KB)
	}{
		{"slug", func(k *kb.KB) { k.Entry("agencies/metro-pd").Slug = "../../../escaped" }},
		{"tag", func(k *kb.KB) { e := k.Entry("agencies/metro-pd"); e.Tags = append(e.Tags, "../../../escaped") }},
		{"country", func(k *kb.KB) { k.Entry("agencies/metro-pd").Agency.Country = "../../../escaped" }},
		{"absolute-tag", func(k *kb.KB) { e := k.Entry("agencies/metro-pd"); e.Tags = append(e.Tags, "/../../../../escaped") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := sitetest.Load(t, sitetest.Content(t, smallKB))
			c.mutate(k)
			root := t.TempDir()
			out := filepath.Join(root, "a", "b", "public")
			s, err := site.New(k, site.Options{Theme: themes.Default(), AsOf: sitetest.AsOf})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Build(context.Background(), out)
			if err == nil {
				t.Error("the build succeeded")
			} else if !strings.Contains(err.Error(), "outside the output directory") {
				t.Errorf("the build failed with %v, not for writing outside the output", err)
			}
			for _, dir := range []string{root, filepath.Join(root, "a"), filepath.Join(root, "a", "b")} {
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if e.Name() != "a" && e.Name() != "b" && e.Name() != "public" {
						t.Errorf("the build wrote %s", filepath.Join(dir, e.Name()))
					}
				}
			}
		})
	}
}

func parseFile(t *testing.T, name string) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(readFile(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// xmlTexts returns the text of every element named local in an XML
// document, failing the test if the document is not well-formed.
func xmlTexts(t *testing.T, data []byte, local string) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var out []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestBuildMakesItsDirectory: Build writes a site into a directory that
// does not exist yet, again and again with one Site, as BenchmarkStages's
// render-and-write stage does. The writer makes a page's directory with
// one mkdir when its parent is the output directory, and that stage failed
// with "mkdir …/data: no such file or directory".
func TestBuildMakesItsDirectory(t *testing.T) {
	k := sitetest.Load(t, sitetest.Content(t, smallKB))
	s, err := site.New(k, site.Options{Theme: themes.Default(), AsOf: sitetest.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for i := range 5 {
		out := filepath.Join(root, fmt.Sprint(i), "public")
		if _, err := s.Build(context.Background(), out); err != nil {
			t.Fatalf("build %d into %s, which did not exist: %v", i+1, out, err)
		}
		// What a reader opens: the home page, the agency's page and the
		// download, each naming the agency.
		for _, f := range []string{"index.html", "agencies/metro-pd/index.html", "data/kb.json"} {
			data, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Errorf("build %d: %v", i+1, err)
			} else if !bytes.Contains(data, []byte("Metro Police Department")) {
				t.Errorf("build %d: %s does not name the Metro Police Department", i+1, f)
			}
		}
	}
}
