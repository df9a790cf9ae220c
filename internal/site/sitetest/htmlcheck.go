package sitetest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Page is a built page parsed as a browser would parse it.
type Page struct {
	Path string // relative to the site root, slash-separated: "agencies/nypd/index.html"
	Doc  *html.Node
}

// Pages parses every .html file under dir.
func Pages(t testing.TB, dir string) []Page {
	t.Helper()
	var pages []Page
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		rel, _ := filepath.Rel(dir, p)
		pages = append(pages, Page{Path: filepath.ToSlash(rel), Doc: doc})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatalf("no pages under %s", dir)
	}
	return pages
}

// Walk calls f for every element under n, in document order.
func Walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		Walk(c, f)
	}
}

// Attr returns an attribute's value and whether the element has it.
func Attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// Text returns the text content of n, as textContent would.
func Text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// Find returns the elements under n with the given tag.
func Find(n *html.Node, tag atom.Atom) []*html.Node {
	var out []*html.Node
	Walk(n, func(e *html.Node) {
		if e.DataAtom == tag {
			out = append(out, e)
		}
	})
	return out
}

// ByID returns the element with the given id, or nil.
func ByID(n *html.Node, id string) *html.Node {
	var found *html.Node
	Walk(n, func(e *html.Node) {
		if v, ok := Attr(e, "id"); ok && v == id && found == nil {
			found = e
		}
	})
	return found
}

// urlAttrs are the attributes whose value a browser loads, follows or
// submits to: what could run script through a javascript: URL, or fetch from
// another site.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true, "cite": true,
	"background": true, "data": true, "codebase": true, "srcset": true, "ping": true, "manifest": true,
	"icon": true, "longdesc": true, "lowsrc": true, "dynsrc": true, "archive": true, "profile": true,
	"usemap": true, "xlink:href": true, "imagesrcset": true,
}

// forbidden are elements neither the theme nor the markdown renderer ever
// writes; from content each could run script, restyle or frame the page, or
// fetch from another site.
var forbidden = map[atom.Atom]bool{
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true, atom.Embed: true,
	atom.Applet: true, atom.Style: true, atom.Base: true, atom.Svg: true, atom.Math: true,
	atom.Template: true, atom.Img: true, atom.Video: true, atom.Audio: true, atom.Source: true,
	atom.Picture: true, atom.Noembed: true, atom.Xmp: true, atom.Plaintext: true,
	atom.Textarea: true, atom.Dialog: true,
}

// Scheme returns the scheme a browser reads from a URL attribute's value
// (already entity-decoded by the parser), lower-cased, or "" for a
// relative URL. Like the URL standard it strips leading and trailing C0
// controls and spaces and removes tabs and newlines anywhere, so
// "java\tscript:" is "javascript".
func Scheme(v string) string {
	v = strings.TrimFunc(v, func(r rune) bool { return r <= 0x20 })
	v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	i := strings.IndexByte(v, ':')
	if i <= 0 {
		return ""
	}
	s := v[:i]
	for j, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return "" // not a scheme: the colon is part of a path
		}
	}
	return strings.ToLower(s)
}

// CheckSafe parses every page under dir and fails the test for anything on
// it that could run script or load from elsewhere. base is the site's base
// path ("/" or "/dronekb/"): the theme's own script and stylesheet live under
// base+"assets/". It checks, on every page:
//   - no <script> but the theme's own: an external file under assets/, with
//     no inline code;
//   - no on* event handler attribute and no style attribute, anywhere;
//   - every URL attribute (href, src, action, formaction, srcset, …) is
//     relative, a fragment, or http, https or mailto; and never
//     protocol-relative ("//evil.example");
//   - whatever loads without a click (src, a stylesheet or icon) is on the
//     site itself;
//   - none of the elements content could use to frame, restyle or embed:
//     iframe, object, embed, style, base, svg, img, … and no meta refresh;
//   - the only form is the theme's search form, submitting to the site.
func CheckSafe(t testing.TB, dir, base string) {
	t.Helper()
	for _, p := range Pages(t, dir) {
		for _, problem := range Unsafe(p.Doc, base) {
			t.Errorf("%s: %s", p.Path, problem)
		}
	}
}

// Unsafe lists what CheckSafe objects to on one page.
func Unsafe(doc *html.Node, base string) []string {
	var out []string
	bad := func(n *html.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("<%s> %s", n.Data, fmt.Sprintf(format, args...)))
	}
	own := func(u string) bool {
		return Scheme(u) == "" && strings.HasPrefix(u, base) && !strings.HasPrefix(u, "//")
	}
	Walk(doc, func(n *html.Node) {
		if n.Namespace == "svg" && ownPicture(n) {
			if !pictureElements[n.Data] {
				bad(n, "is not an element the site's pictures draw with")
			}
			if n.Data == "a" {
				if href, _ := Attr(n, "href"); !own(href) {
					bad(n, "in a picture links to %q, outside the site", href)
				}
			}
		} else if n.Namespace != "" {
			bad(n, "is in the %s namespace: content must not embed SVG or MathML", n.Namespace)
		} else if forbidden[n.DataAtom] {
			bad(n, "must not appear on a page")
		}
		switch n.DataAtom {
		case atom.Script:
			src, ok := Attr(n, "src")
			if !ok || !own(src) || !strings.HasPrefix(src, base+"assets/") {
				bad(n, "is not the theme's own script (src=%q)", src)
			}
			if strings.TrimSpace(Text(n)) != "" {
				bad(n, "has inline code %q", Text(n))
			}
		case atom.Meta:
			if v, ok := Attr(n, "http-equiv"); ok {
				bad(n, "has http-equiv=%q", v)
			}
		case atom.Link:
			rel, _ := Attr(n, "rel")
			href, _ := Attr(n, "href")
			switch rel {
			case "stylesheet", "icon", "apple-touch-icon":
				if !own(href) {
					bad(n, "loads %q from outside the site", href)
				}
			case "alternate", "canonical":
			default:
				bad(n, "has rel=%q", rel)
			}
		case atom.Form:
			if action, _ := Attr(n, "action"); action != base+"search/" {
				bad(n, "submits to %q, not the site's search page", action)
			}
		}
		for _, a := range n.Attr {
			key := a.Key
			if a.Namespace != "" {
				key = a.Namespace + ":" + a.Key
			}
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				bad(n, "has an event handler %s=%q", key, a.Val)
			}
			if a.Key == "style" || a.Key == "srcdoc" {
				bad(n, "has a %s attribute %q", key, a.Val)
			}
			if !urlAttrs[key] {
				continue
			}
			vals := []string{a.Val}
			if key == "srcset" || key == "imagesrcset" || key == "ping" || key == "archive" {
				vals = strings.FieldsFunc(a.Val, func(r rune) bool { return r == ',' || r == ' ' })
			}
			for _, v := range vals {
				switch s := Scheme(v); s {
				case "", "http", "https", "mailto":
				default:
					bad(n, "has %s=%q with the scheme %s:", key, a.Val, s)
					continue
				}
				trim := strings.TrimSpace(v)
				if strings.HasPrefix(trim, "//") || strings.HasPrefix(trim, `\`) || strings.HasPrefix(trim, `/\`) {
					bad(n, "has a protocol-relative %s=%q", key, a.Val)
				}
				if key == "src" && !own(v) {
					bad(n, "loads %q from outside the site", v)
				}
			}
		}
	})
	return out
}

// pictureClasses are the classes of the theme's own inline pictures
// (package pictures); content can never produce SVG.
var pictureClasses = map[string]bool{"map": true, "chart": true, "timeline-chart": true, "swatch": true}

// pictureElements are the SVG elements those pictures draw with.
var pictureElements = map[string]bool{"svg": true, "title": true, "g": true, "path": true, "rect": true, "line": true,
	"circle": true, "text": true, "a": true, "defs": true, "pattern": true}

// ownPicture reports whether an SVG node lies in one of the theme's
// pictures: an <svg> whose class names one, directly in the page.
func ownPicture(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Namespace == "svg" && n.Data == "svg" && (n.Parent == nil || n.Parent.Namespace == "") {
			class, _ := Attr(n, "class")
			f := strings.Fields(class)
			return len(f) > 0 && pictureClasses[f[0]]
		}
	}
	return false
}
