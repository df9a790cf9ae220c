package sitetest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// CheckStructure parses every page under dir and fails the test for each
// way a page falls short of plain, accessible HTML (see Structure).
func CheckStructure(t testing.TB, dir string) {
	t.Helper()
	for _, p := range Pages(t, dir) {
		for _, problem := range Structure(p.Doc) {
			t.Errorf("%s: %s", p.Path, problem)
		}
	}
}

var headingLevel = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

// sectioning elements scope <header> and <footer>: inside one of these they
// are not the page's banner or contentinfo landmark.
var sectioning = map[atom.Atom]bool{atom.Article: true, atom.Aside: true, atom.Main: true, atom.Nav: true, atom.Section: true}

// Structure lists what is wrong with one page:
//   - the <html> element has no lang;
//   - the <title> is empty;
//   - there is not exactly one <h1>, the first heading is not it, or a
//     heading skips a level on the way down (h2 → h4);
//   - there is no <main>, no <nav>, no page-level <header> (banner) or
//     <footer> (contentinfo), or more than one <main>;
//   - an <img> has no alt;
//   - a form control has no label: a <label for>, an enclosing <label>,
//     aria-label or aria-labelledby;
//   - an id is used twice, or aria-labelledby / label for names an id the
//     page does not have.
func Structure(doc *html.Node) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	ids := map[string]int{}
	Walk(doc, func(n *html.Node) {
		if id, ok := Attr(n, "id"); ok {
			ids[id]++
		}
	})
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if ids[id] > 1 {
			bad("id %q is used %d times", id, ids[id])
		}
	}

	if htmlEl := Find(doc, atom.Html); len(htmlEl) != 1 {
		bad("has %d <html> elements", len(htmlEl))
	} else if lang, _ := Attr(htmlEl[0], "lang"); strings.TrimSpace(lang) == "" {
		bad("<html> has no lang attribute")
	}
	var titles []*html.Node
	for _, head := range Find(doc, atom.Head) {
		titles = append(titles, Find(head, atom.Title)...)
	}
	if len(titles) != 1 || strings.TrimSpace(Text(titles[0])) == "" {
		bad("has no <title>, or an empty one")
	}
	// Pictures: an SVG that is not hidden from assistive technology has a
	// title, and every link and shape in it that a reader can point at
	// says what it is.
	Walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "svg" {
			return
		}
		if v, _ := Attr(n, "aria-hidden"); v == "true" {
			return
		}
		if !hasChild(n, "title") {
			bad("an <svg> has no <title>")
		}
		Walk(n, func(c *html.Node) {
			if c.Type != html.ElementNode {
				return
			}
			switch c.Data {
			case "a":
				if l, _ := Attr(c, "aria-label"); strings.TrimSpace(l) == "" && !hasChild(c, "title") && strings.TrimSpace(Text(c)) == "" {
					href, _ := Attr(c, "href")
					bad("a link in an <svg> to %q has no label", href)
				}
			case "path", "rect":
				if _, ok := Attr(c, "data-status"); ok && !hasChild(c, "title") && (c.Parent == nil || c.Parent.Data != "a" || !hasChild(c.Parent, "title")) {
					d, _ := Attr(c, "data-code")
					bad("an area %q of a picture has no <title>", d)
				}
			}
		})
	})

	prev, h1s := 0, 0
	Walk(doc, func(n *html.Node) {
		level, ok := headingLevel[n.DataAtom]
		if !ok {
			return
		}
		text := strings.Join(strings.Fields(Text(n)), " ")
		if text == "" {
			bad("<%s> is empty", n.Data)
		}
		if level == 1 {
			h1s++
		}
		if prev == 0 && level != 1 {
			bad("the first heading is <%s> %q, not the <h1>", n.Data, text)
		} else if level > prev+1 && prev != 0 {
			bad("<%s> %q follows an <h%d>, skipping a level", n.Data, text, prev)
		}
		prev = level
	})
	if h1s != 1 {
		bad("has %d <h1> elements, not one", h1s)
	}

	if n := len(Find(doc, atom.Main)); n != 1 {
		bad("has %d <main> elements, not one", n)
	}
	if len(Find(doc, atom.Nav)) == 0 {
		bad("has no <nav>")
	}
	if !hasLandmark(doc, atom.Header) {
		bad("has no page-level <header> (banner)")
	}
	if !hasLandmark(doc, atom.Footer) {
		bad("has no page-level <footer> (contentinfo)")
	}

	for _, img := range Find(doc, atom.Img) {
		if _, ok := Attr(img, "alt"); !ok {
			src, _ := Attr(img, "src")
			bad("<img src=%q> has no alt", src)
		}
	}

	labelled := map[string]bool{}
	Walk(doc, func(n *html.Node) {
		if n.DataAtom == atom.Label {
			if f, ok := Attr(n, "for"); ok {
				labelled[f] = true
				if ids[f] == 0 {
					bad("<label for=%q> names no element", f)
				}
			}
		}
		if v, ok := Attr(n, "aria-labelledby"); ok {
			for _, id := range strings.Fields(v) {
				if ids[id] == 0 {
					bad("<%s aria-labelledby=%q> names no element", n.Data, id)
				}
			}
		}
	})
	Walk(doc, func(n *html.Node) {
		switch n.DataAtom {
		case atom.Input:
			switch typ, _ := Attr(n, "type"); typ {
			case "hidden", "submit", "reset", "button", "image":
				return
			}
		case atom.Select, atom.Textarea:
		default:
			return
		}
		id, _ := Attr(n, "id")
		_, aria := Attr(n, "aria-label")
		_, ariaBy := Attr(n, "aria-labelledby")
		if aria || ariaBy || (id != "" && labelled[id]) || inside(n, atom.Label) {
			return
		}
		name, _ := Attr(n, "name")
		bad("<%s name=%q> has no label", n.Data, name)
	})
	return out
}

// hasLandmark reports whether doc has a <header> or <footer> that is not
// inside a sectioning element, so is the page's banner or contentinfo.
func hasLandmark(doc *html.Node, tag atom.Atom) bool {
	for _, n := range Find(doc, tag) {
		scoped := false
		for p := n.Parent; p != nil; p = p.Parent {
			scoped = scoped || sectioning[p.DataAtom]
		}
		if !scoped {
			return true
		}
	}
	return false
}

func inside(n *html.Node, tag atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == tag {
			return true
		}
	}
	return false
}

// hasChild reports whether n has a child element named name.
func hasChild(n *html.Node, name string) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == name && strings.TrimSpace(Text(c)) != "" {
			return true
		}
	}
	return false
}
