package site_test

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// langKB has an entry written in English with a French name (title_lang)
// citing a French headline (a source's lang), one written in French
// (lang), and one all English.
const langKB = `
-- agencies/aisne.md --
---
title: Préfecture de l'Aisne
short: Préf. Aisne
title_lang: fr
summary: The state prefecture for the Aisne.
country: FR
kind: police
fleet:
  - {vendor: unknown, model: Drones, status: unknown, as_of: 2024-07-16, source: "https://example.org/axo"}
sources:
  - url: https://example.org/axo
    title: Le préfet de l'Aisne met en œuvre trois drones
    lang: fr
  - url: https://example.org/en
    title: Drones over the relay
---
The prefecture [1] [2].
-- agencies/gendarmerie.md --
---
title: Gendarmerie nationale
lang: fr
summary: La gendarmerie nationale française.
country: FR
kind: police
sources: [https://example.org/g]
---
La gendarmerie [1].
-- agencies/army.md --
---
title: French Army
summary: The French Army.
country: FR
kind: military
sources: [https://example.org/a]
---
The army [1].
`

// TestTitlesInAnotherLanguageAreMarked: a French name on an entry written
// in English, and a French headline among its sources, carry lang="fr"
// wherever the site shows them, so that a screen reader says them in
// French; an English title carries none, and a title in its own text's
// language is not marked again inside the heading that has it. Every
// page was lang="en" with nothing marked French (found in review).
func TestTitlesInAnotherLanguageAreMarked(t *testing.T) {
	s := sitetest.BuildArchive(t, langKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
	page := func(rel string) *html.Node { return parseFile(t, filepath.Join(s.Dir, filepath.FromSlash(rel))) }
	langOf := func(n *html.Node) string { v, _ := sitetest.Attr(n, "lang"); return v }
	// marked finds the elements whose text is text and says the lang
	// each has, on itself or the nearest ancestor that sets one.
	marked := func(root *html.Node, text string) []string {
		var out []string
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && strings.TrimSpace(sitetest.Text(n)) == text && (n.FirstChild != nil && n.FirstChild.Type == html.TextNode) {
				l := ""
				for a := n; a != nil && l == ""; a = a.Parent {
					if a.Type == html.ElementNode {
						l = langOf(a)
					}
				}
				out = append(out, l)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(root)
		return out
	}
	want := func(where string, got []string, lang string) {
		t.Helper()
		if len(got) == 0 {
			t.Errorf("%s: not found", where)
		}
		for _, l := range got {
			if l != lang {
				t.Errorf("%s is in lang %q; want %q", where, l, lang)
			}
		}
	}
	aisne := page("agencies/aisne/index.html")
	want("the Aisne page's heading", marked(sitetest.Find(aisne, atom.H1)[0], "Préfecture de l'Aisne"), "fr")
	want("the French headline among the Aisne's sources", marked(aisne, "Le préfet de l'Aisne met en œuvre trois drones"), "fr")
	want("the English headline among the Aisne's sources", marked(aisne, "Drones over the relay"), "en")
	want("the Aisne's name in its citation", marked(sitetest.ByID(aisne, "cite"), "Préfecture de l'Aisne"), "fr")
	tracker := page("tracker/index.html")
	want("the Aisne's link on the tracker", marked(tracker, "Préfecture de l'Aisne"), "fr")
	want("the Gendarmerie's link on the tracker", marked(tracker, "Gendarmerie nationale"), "fr")
	want("the Army's link on the tracker", marked(tracker, "French Army"), "en")
	list := page("agencies/index.html")
	want("the Aisne's link in the list of agencies", marked(list, "Préfecture de l'Aisne"), "fr")
	want("the Aisne's short name in the list of agencies", marked(list, "(Préf. Aisne)"), "fr")
	want("the Army's heading", marked(sitetest.Find(page("agencies/army/index.html"), atom.H1)[0], "French Army"), "en")
	// The feed is in the site's language; an entry's French name is
	// marked as the pages mark it.
	var feed struct {
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Entries []struct {
			Title struct {
				Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
				Text string `xml:",chardata"`
			} `xml:"title"`
		} `xml:"entry"`
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &feed); err != nil {
		t.Fatal(err)
	}
	if feed.Lang != "en" {
		t.Errorf("the feed's xml:lang is %q; want en", feed.Lang)
	}
	feedLang := map[string]string{}
	for _, e := range feed.Entries {
		feedLang[e.Title.Text] = e.Title.Lang
	}
	for title, lang := range map[string]string{"Préfecture de l'Aisne": "fr", "Gendarmerie nationale": "fr", "French Army": ""} {
		if got, ok := feedLang[title]; !ok || got != lang {
			t.Errorf("the feed's entry %q has xml:lang %q (present: %v); want %q", title, got, ok, lang)
		}
	}
	// Written in French, titled in French: the heading is French, once.
	g := sitetest.Find(page("agencies/gendarmerie/index.html"), atom.H1)[0]
	if langOf(g) != "fr" || strings.Contains(renderHTML(t, g), "<span lang") {
		t.Errorf("the Gendarmerie's heading: %s; want lang=fr on the heading alone", renderHTML(t, g))
	}
}

func renderHTML(t *testing.T, n *html.Node) string {
	t.Helper()
	var b strings.Builder
	if err := html.Render(&b, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDownloadsSayTheTextsLanguage: kb.json gives each entry the language
// its text is written in, as its page declares it: French for the entry
// written in French (lang: fr), English for entries of France written in
// English, whose text search still analyses as French. kb.json said "fr"
// for every entry of France while the pages said "en" (found in review).
func TestDownloadsSayTheTextsLanguage(t *testing.T) {
	s := sitetest.BuildArchive(t, langKB, site.Options{AsOf: kb.MustDate("2026-06-01")})
	data, err := os.ReadFile(filepath.Join(s.Dir, "data", "kb.json"))
	if err != nil {
		t.Fatal(err)
	}
	var whole struct {
		Entries []struct {
			ID   string `json:"id"`
			Lang string `json:"lang"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(data, &whole); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range whole.Entries {
		got[e.ID] = e.Lang
	}
	for id, want := range map[string]string{"agencies/gendarmerie": "fr", "agencies/aisne": "en", "agencies/army": "en"} {
		if got[id] != want {
			t.Errorf("kb.json: %s in %q; want %q", id, got[id], want)
		}
	}
}
