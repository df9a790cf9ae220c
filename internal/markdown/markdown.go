// Package markdown is dronekb's CommonMark set-up: goldmark with GitHub's
// tables, strikethrough, autolinks and task lists, plus two things of ours.
//
// Citations: a bracketed number in body text, "[2]", cites the entry's second
// source, and "[1, 2]" its first two. It renders as a superscript link to
// that source in the page's source list, and reads naturally on GitHub's
// preview.
//
// Links: an ordinary relative link to another entry's file,
// "[DJI](../vendors/dji.md)", is rewritten to that entry's URL on the site.
// Only http, https and mailto URLs, fragments and entry links become links;
// anything else (javascript:, data:, a relative path to a file that is not an
// entry) renders as its text. Raw HTML is never passed through, and images
// render as links to the image, so a body cannot make a reader's browser
// fetch from a third party.
package markdown

import (
	"bufio"
	"bytes"
	"io"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown parses and renders entry bodies. It is safe for concurrent use.
type Markdown struct {
	md goldmark.Markdown
}

// New returns the body parser and renderer.
func New() *Markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.TaskList),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithInlineParsers(util.Prioritized(citationParser{}, 150)),
		),
		goldmark.WithRendererOptions(
			html.WithXHTML(),
			renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{}, 100)),
		),
	)
	return &Markdown{md: md}
}

// Doc is a parsed body.
type Doc struct {
	src  []byte
	root ast.Node
	refs []parser.Reference // the link reference definitions
}

// Parse parses a body. Heading ids are unique within the body and never
// take one of the reserved ids the page layout uses for its own sections.
func (m *Markdown) Parse(src []byte, reserved ...string) *Doc {
	ids := newIDs(reserved)
	ctx := parser.NewContext(parser.WithIDs(ids))
	root := m.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	return &Doc{src: src, root: root, refs: ctx.References()}
}

// LinkKind classifies a link destination found in a body.
type LinkKind int

const (
	// LinkExternal is an http, https or mailto URL.
	LinkExternal LinkKind = iota
	// LinkFragment points into the same page ("#fleet").
	LinkFragment
	// LinkEntry is a relative link to a .md file: another entry.
	LinkEntry
	// LinkRelative is a relative link to something that is not an entry.
	LinkRelative
	// LinkUnsafe has a scheme that must never become a link (javascript:,
	// data:, vbscript:, file:) or one dronekb does not link to.
	LinkUnsafe
)

// Classify says what kind of destination dest is, read as a browser reads
// it (see cleanURL): "java\tscript:" is javascript:. A destination that
// still holds a control character after that is unsafe: no real link has
// one, and what a browser makes of it is not what the checker saw.
func Classify(dest string) LinkKind {
	clean := cleanURL(dest)
	if clean == "" {
		return LinkRelative
	}
	if strings.ContainsFunc(clean, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return LinkUnsafe
	}
	if strings.HasPrefix(clean, "#") {
		return LinkFragment
	}
	if strings.HasPrefix(clean, "//") || strings.HasPrefix(clean, `\`) || strings.HasPrefix(clean, `/\`) {
		return LinkUnsafe // protocol-relative: a host the reader did not choose
	}
	if i := strings.IndexAny(clean, ":/?#"); i >= 0 && clean[i] == ':' {
		switch strings.ToLower(clean[:i]) {
		case "http", "https", "mailto":
			return LinkExternal
		}
		return LinkUnsafe
	}
	p := clean
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if strings.HasSuffix(strings.ToLower(p), ".md") && !strings.HasPrefix(p, "/") {
		return LinkEntry
	}
	return LinkRelative
}

// cleanURL does what the WHATWG URL parser does before anything else:
// it drops leading and trailing C0 controls and spaces, and every tab and
// newline.
func cleanURL(dest string) string {
	dest = strings.TrimFunc(dest, func(r rune) bool { return r <= 0x20 })
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, dest)
}

// ResolveEntry resolves an entry link dest, found in the file at from (a
// slash path relative to the content root, "agencies/nypd.md"), to the
// linked file's path relative to the content root and the fragment, if any,
// both unescaped.
// ok is false when the link leaves the content root.
func ResolveEntry(from, dest string) (target, fragment string, ok bool) {
	p := cleanURL(dest)
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p, fragment = p[:i], p[i+1:]
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	// The fragment is returned unescaped too, so a caller escaping it for a
	// URL does not escape it twice ("#a%20b" must stay "#a%20b").
	if u, err := url.PathUnescape(fragment); err == nil {
		fragment = u
	}
	target = path.Join(path.Dir(from), p)
	if target == ".." || strings.HasPrefix(target, "../") || strings.HasPrefix(target, "/") {
		return "", "", false
	}
	return target, fragment, true
}

// Link is a link or image destination in a body, at a byte offset of the body.
type Link struct {
	Dest   string
	Offset int
	Image  bool
}

// Citation is a "[n]" source citation at a byte offset of the body.
type Citation struct {
	N      int
	Offset int
}

// Links returns every link and image destination in the body, in order.
func (d *Doc) Links() []Link {
	var out []Link
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			out = append(out, Link{Dest: string(l.Destination), Offset: d.start(l, 1)})
		case *ast.Image:
			out = append(out, Link{Dest: string(l.Destination), Offset: d.start(l, 2), Image: true})
		case *ast.AutoLink:
			// <scheme:…> and bare www. and http links; an e-mail address
			// always becomes a mailto: link.
			if l.AutoLinkType == ast.AutoLinkEmail {
				break
			}
			off := d.start(l, 0)
			if off < len(d.src) && d.src[off] != '<' {
				// A bare link's recorded position may be the space before it.
				if i := bytes.Index(d.src[off:], l.Label(d.src)); i >= 0 {
					off += i
				}
			}
			out = append(out, Link{Dest: string(l.URL(d.src)), Offset: off})
		}
		return ast.WalkContinue, nil
	})
	return out
}

// Citations returns every "[n]" citation in the body, in order.
func (d *Doc) Citations() []Citation {
	var out []Citation
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*citeNode); ok && entering {
			out = append(out, Citation{N: c.N, Offset: c.Offset})
		}
		return ast.WalkContinue, nil
	})
	return out
}

// Miscitation is bracketed text that looks like a citation but is read as
// none, and shows as plain text, linked to no source: a range "[1-2]",
// "[1–2]", or a citation with spaces inside its bracket, "[ 1 ]".
//
// A GitHub footnote is one too: a reference "[^5]" shows as typed, and a
// definition "[^1]: text" as a paragraph (or not at all, when its text is
// one word: a link reference definition).
type Miscitation struct {
	Written string // as written: "[1-2]"; "[^1]:" for a footnote's definition
	Offset  int    // the byte offset of its "[" in the body
	Meant   []int  // the sources it most likely cites: 1 and 2; none for a range that is not short
	// Footnote says it is written as a footnote, "[^5]"; Definition,
	// that it starts a footnote's definition, "[^1]: text".
	Footnote, Definition bool
}

// miscited matches bracketed numbers of 1 to 3 digits, separated by
// commas, semicolons, dashes or spaces; citation checks which of them are
// written as a citation is.
var (
	miscited = regexp.MustCompile(`\[[ \t]*[0-9]{1,3}(?:(?:[ \t]*[,;\-\x{2010}-\x{2015}\x{2212}][ \t]*|[ \t]+)[0-9]{1,3})*[ \t]*\]`)
	citation = regexp.MustCompile(`^\[[0-9]{1,3}(?:, *[0-9]{1,3})*\]$`)
	rangeOf  = regexp.MustCompile(`^\[[ \t]*([0-9]{1,3})[ \t]*[\-\x{2010}-\x{2015}\x{2212}][ \t]*([0-9]{1,3})[ \t]*\]$`)
	numbers  = regexp.MustCompile(`[0-9]{1,3}`)
	// footnote matches a GitHub footnote's reference or label.
	footnote = regexp.MustCompile(`\[\^([^\]\s\[]{1,40})\]`)
)

// maxRange is the longest range a Miscitation's Meant spells out: a longer
// one ("[1-30]") is more likely a slip than thirty sources.
const maxRange = 10

// Miscitations returns, in order, the bracketed numbers in the body's text
// that are not read as citations though they look like them ("[1-2]",
// "[ 1 ]"), outside code and links' destinations. A number written so is
// no citation: it shows as it was written.
func (d *Doc) Miscitations() []Miscitation {
	var out []Miscitation
	if bytes.IndexByte(d.src, '[') < 0 {
		return nil
	}
	defined := map[int]bool{} // the footnote definitions found, by offset
	scan := func(start, stop int) {
		run := d.src[start:stop]
		if bytes.IndexByte(run, '[') < 0 {
			return
		}
		for _, m := range footnote.FindAllSubmatchIndex(run, -1) {
			off := start + m[0]
			if escaped(d.src, off) {
				continue
			}
			mc := Miscitation{Written: string(run[m[0]:m[1]]), Offset: off, Footnote: true}
			if n := string(run[m[2]:m[3]]); isDigits(n) && len(n) <= 3 {
				mc.Meant = []int{atoi(n)}
			}
			if m[1] < len(run) && run[m[1]] == ':' && lineStart(d.src, off) {
				mc.Written += ":"
				mc.Definition = true
				defined[off] = true
			}
			out = append(out, mc)
		}
		for _, m := range miscited.FindAllIndex(run, -1) {
			written := string(run[m[0]:m[1]])
			if citation.MatchString(written) {
				continue // a citation left as text, as "[1](" without its link
			}
			if escaped(d.src, start+m[0]) {
				continue // "\[1-2]": meant as text
			}
			mc := Miscitation{Written: written, Offset: start + m[0]}
			if r := rangeOf.FindStringSubmatch(written); r != nil {
				a, b := atoi(r[1]), atoi(r[2])
				if a < b && b-a < maxRange {
					for n := a; n <= b; n++ {
						mc.Meant = append(mc.Meant, n)
					}
				}
			} else {
				for _, n := range numbers.FindAllString(written, -1) {
					mc.Meant = append(mc.Meant, atoi(n))
				}
			}
			out = append(out, mc)
		}
	}
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindCodeSpan {
			return ast.WalkSkipChildren, nil
		}
		// "[^1]" with a definition "[^1]: https://…" below it is a link
		// to the definition's address, not text: its brackets are not in
		// the text nodes read below (found in review: it was reported
		// only once the definition was mended).
		if l, ok := n.(*ast.Link); ok {
			if t, ok := l.FirstChild().(*ast.Text); ok && l.FirstChild() == l.LastChild() {
				at, end := t.Segment.Start-1, t.Segment.Stop
				if at >= 0 && end < len(d.src) && d.src[at] == '[' && d.src[at+1] == '^' && d.src[end] == ']' && !escaped(d.src, at) {
					if m := footnote.FindSubmatchIndex(d.src[at : end+1]); m != nil && m[0] == 0 && m[1] == end+1-at {
						mc := Miscitation{Written: string(d.src[at : end+1]), Offset: at, Footnote: true}
						if label := string(d.src[at+2 : end]); isDigits(label) && len(label) <= 3 {
							mc.Meant = []int{atoi(label)}
						}
						out = append(out, mc)
						return ast.WalkSkipChildren, nil
					}
				}
			}
		}
		textRuns(n, nil, scan)
		return ast.WalkContinue, nil
	})
	// A definition whose text is one word is a link reference
	// definition, which leaves no node: find its line.
	for _, r := range d.refs {
		label, ok := bytes.CutPrefix(r.Label(), []byte("^"))
		if !ok {
			continue
		}
		written := "[^" + string(label) + "]:"
		for from := 0; from < len(d.src); {
			i := bytes.Index(d.src[from:], []byte(written))
			if i < 0 {
				break
			}
			off := from + i
			from = off + len(written)
			if defined[off] || !lineStart(d.src, off) {
				continue
			}
			mc := Miscitation{Written: written, Offset: off, Footnote: true, Definition: true}
			if n := string(label); isDigits(n) && len(n) <= 3 {
				mc.Meant = []int{atoi(n)}
			}
			defined[off] = true
			out = append(out, mc)
			break
		}
	}
	slices.SortStableFunc(out, func(a, b Miscitation) int { return a.Offset - b.Offset })
	return out
}

// textRuns calls fn with each stretch of the body that n's children hold
// as text, a line at a time: the parser splits a line's text into several
// text nodes at brackets ("[", "1-2]", "](…"). extend, if not nil, may
// take a child that is not text into the stretch that ends at stop,
// returning its new end.
func textRuns(n ast.Node, extend func(c ast.Node, stop int) (int, bool), fn func(start, stop int)) {
	start, stop := -1, -1
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if extend != nil && start >= 0 {
			if end, ok := extend(c, stop); ok {
				stop = end
				continue
			}
		}
		t, ok := c.(*ast.Text)
		if !ok || start >= 0 && t.Segment.Start != stop {
			if start >= 0 {
				fn(start, stop)
			}
			start = -1
			if !ok {
				continue
			}
		}
		if start < 0 {
			start = t.Segment.Start
		}
		stop = t.Segment.Stop
		if t.SoftLineBreak() || t.HardLineBreak() {
			fn(start, stop)
			start = -1
		}
	}
	if start >= 0 {
		fn(start, stop)
	}
}

// LinkSlip is a link written so that the parser reads it as text, which
// shows as typed: "[DJI](../vendors/dji.md" with its ")" missing, or
// "[DJI] (../vendors/dji.md)" with a space between "]" and "(" before an
// entry's file (before an address, "[PDF] (https://…)", it may be prose).
type LinkSlip struct {
	Written string // as written, from "[" to the end of the destination
	Offset  int    // the byte offset of its "[" in the body
	Space   bool   // a space between "]" and "(", else the ")" is missing
}

// linkSlip matches a bracketed text and a destination after it that the
// parser left as text: an entry's file or an address.
var linkSlip = regexp.MustCompile(`\[[^\[\]\n]{1,200}\]([ \t]*)\(((?:\.\./|\./|/|https?://|mailto:)[^\s()<>]*)(\)?)`)

// LinkSlips returns, in order, the links in the body's text, outside code
// and links, that the parser read as text for a slip in how they are
// written: a ")" missing, or a space before the "(".
func (d *Doc) LinkSlips() []LinkSlip {
	if !bytes.Contains(d.src, []byte("](")) && !bytes.Contains(d.src, []byte("] (")) {
		return nil
	}
	var out []LinkSlip
	scan := func(start, stop int) {
		run := d.src[start:stop]
		for _, m := range linkSlip.FindAllSubmatchIndex(run, -1) {
			space, closed := m[3] > m[2], m[7] > m[6]
			// "[^1] (…)" is a footnote, which Miscitations reports. And
			// with a space, only an entry's file is a slip: "[PDF]
			// (https://…)" and "[sic] (https://…)" are prose, the
			// address shown and linked on its own.
			footnote := run[m[0]+1] == '^'
			address := !bytes.HasPrefix(run[m[4]:], []byte(".")) && !bytes.HasPrefix(run[m[4]:], []byte("/"))
			if space == closed && !footnote && !(space && address) && !escaped(d.src, start+m[0]) {
				end := m[5]
				if closed {
					end = m[7]
				}
				out = append(out, LinkSlip{Written: string(run[m[0]:end]), Offset: start + m[0], Space: space})
			}
		}
	}
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeSpan, ast.KindLink, ast.KindImage, ast.KindAutoLink:
			return ast.WalkSkipChildren, nil
		}
		// "[the report](https://…": the address after the "(", made a
		// link of its own, is part of the stretch.
		address := func(c ast.Node, stop int) (int, bool) {
			if l, ok := c.(*ast.AutoLink); ok && l.AutoLinkType == ast.AutoLinkURL {
				if label := l.Label(d.src); bytes.HasPrefix(d.src[stop:], label) {
					return stop + len(label), true
				}
			}
			return stop, false
		}
		textRuns(n, address, scan)
		return ast.WalkContinue, nil
	})
	return out
}

// lineStart reports whether only up to three spaces stand before the byte
// at off on its line: where a definition starts.
func lineStart(src []byte, off int) bool {
	i := bytes.LastIndexByte(src[:off], '\n') + 1
	return off-i <= 3 && len(bytes.Trim(src[i:off], " ")) == 0
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// escaped reports whether the byte at off in src is escaped by a
// backslash (an odd number of them before it).
func escaped(src []byte, off int) bool {
	n := 0
	for i := off - 1; i >= 0 && src[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// RawHTML returns the offsets of raw HTML in the body (other than comments
// and closing tags), which is never rendered.
func (d *Doc) RawHTML() []int {
	var out []int
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch h := n.(type) {
		case *ast.HTMLBlock:
			if h.HTMLBlockType != ast.HTMLBlockType2 && h.Lines().Len() > 0 {
				out = append(out, h.Lines().At(0).Start)
			}
		case *ast.RawHTML:
			if h.Segments.Len() > 0 {
				seg := h.Segments.At(0)
				// A closing tag is the other half of one already counted.
				if v := seg.Value(d.src); !bytes.HasPrefix(v, []byte("<!--")) && !bytes.HasPrefix(v, []byte("</")) {
					out = append(out, seg.Start)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return out
}

// IndentedCode returns the offsets of the blocks that indentation alone
// makes code (a paragraph indented by a tab or four spaces): shown as
// code, their links and citations are neither linked nor checked.
func (d *Doc) IndentedCode() []int {
	var out []int
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*ast.CodeBlock); ok && entering && c.Lines().Len() > 0 {
			out = append(out, c.Lines().At(0).Start)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// start finds the byte offset where an inline node starts: the position the
// parser recorded, else (for nodes made by extensions that record none) its
// first text less the width of its opening delimiter.
func (d *Doc) start(n ast.Node, delim int) int {
	if p := n.Pos(); p >= 0 && p < len(d.src) {
		return p
	}
	return max(d.offset(n)-delim, 0)
}

// offset finds where an inline node starts: at its first text, or at the
// start of its block.
func (d *Doc) offset(n ast.Node) int {
	var found = -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if found >= 0 {
		return found
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start + 1
		}
	}
	return 1
}

// RenderContext says how one body's links and citations become URLs.
type RenderContext struct {
	// Entry returns the site URL of the entry file at path (relative to the
	// content root), or false if there is no such entry.
	Entry func(path string) (string, bool)
	// From is the body's own path relative to the content root.
	From string
	// Sources is how many sources the entry lists; citations beyond it
	// render as plain text.
	Sources int
	// SourceID returns the id of source n's element on the page.
	SourceID func(n int) string
}

// Render writes the body as HTML. Links are rewritten or unwrapped first,
// headings are renumbered to start at h2 without skipping a level (the page
// title is the only h1).
func (m *Markdown) Render(w io.Writer, d *Doc, rc RenderContext) error {
	d.prepare(rc)
	if _, ok := w.(util.BufWriter); ok {
		return m.md.Renderer().Render(w, d.src, d.root)
	}
	// goldmark wraps any other writer in a new bufio.Writer of 4 kB: at
	// 10,000 entries that was 42 MB of a build's allocations.
	bw := bufWriters.Get().(*bufio.Writer)
	bw.Reset(w)
	defer func() {
		bw.Reset(nil)
		bufWriters.Put(bw)
	}()
	return m.md.Renderer().Render(bw, d.src, d.root)
}

// bufWriters are the buffered writers Render gives goldmark's renderer.
var bufWriters = sync.Pool{New: func() any { return bufio.NewWriter(nil) }}

func (d *Doc) prepare(rc RenderContext) {
	// The tree is changed only after the walk: a node replaced while the
	// walk stands on it has no next sibling, which would end the walk of
	// its parent and leave every later image and link as it was written.
	type swap struct{ old, new ast.Node }
	var swaps []swap
	var unwrap []ast.Node
	prev := 1
	inImage := 0 // an image's alt text becomes link text: no links in it
	// Nor in a link's text: an image there ([![badge](b.svg)](/x)) shows
	// its alt text, and a citation its number, rather than an <a> in an <a>.
	var links []ast.Node // the links kept that the walk is inside
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if _, ok := n.(*ast.Image); ok {
				inImage--
			}
			if len(links) > 0 && links[len(links)-1] == n {
				links = links[:len(links)-1]
			}
			return ast.WalkContinue, nil
		}
		inLink := inImage > 0 || len(links) > 0
		switch v := n.(type) {
		case *extast.TableCell:
			// A header cell heads its column, as the site's own tables
			// say (scope), for screen readers.
			if _, ok := v.Parent().(*extast.TableHeader); ok {
				v.SetAttributeString("scope", []byte("col"))
			}
		case *ast.Heading:
			level := min(max(v.Level, 2), prev+1)
			v.Level = level
			prev = level
		case *ast.Link:
			href, ok := rc.href(string(v.Destination))
			if !ok || inLink {
				unwrap = append(unwrap, v)
				break
			}
			v.Destination = []byte(href)
			links = append(links, v)
		case *ast.Image:
			href, ok := rc.href(string(v.Destination))
			link := ast.NewLink()
			link.Destination = []byte(href)
			link.Title = v.Title
			swaps = append(swaps, swap{v, link})
			if !ok || inLink {
				unwrap = append(unwrap, link)
			}
			inImage++
		case *ast.AutoLink:
			if inLink || v.AutoLinkType != ast.AutoLinkEmail && Classify(string(v.URL(d.src))) != LinkExternal {
				swaps = append(swaps, swap{v, ast.NewString(v.Label(d.src))})
			}
		case *citeNode:
			if v.N >= 1 && v.N <= rc.Sources && rc.SourceID != nil && !inLink {
				v.Href = "#" + rc.SourceID(v.N)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, s := range swaps {
		if img, ok := s.old.(*ast.Image); ok {
			// An image becomes a link to it, labelled by its alt text.
			for c := img.FirstChild(); c != nil; {
				next := c.NextSibling()
				s.new.AppendChild(s.new, c)
				c = next
			}
			if !s.new.HasChildren() {
				s.new.AppendChild(s.new, ast.NewString([]byte("image")))
			}
		}
		parent := s.old.Parent()
		parent.ReplaceChild(parent, s.old, s.new)
	}
	for _, n := range unwrap {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

func (rc RenderContext) href(dest string) (string, bool) {
	switch Classify(dest) {
	case LinkExternal, LinkFragment:
		return cleanURL(dest), true
	case LinkEntry:
		if rc.Entry == nil {
			return "", false
		}
		target, frag, ok := ResolveEntry(rc.From, dest)
		if !ok {
			return "", false
		}
		u, ok := rc.Entry(target)
		if !ok {
			return "", false
		}
		if frag != "" {
			u += "#" + url.PathEscape(frag)
		}
		return u, true
	}
	return "", false
}

// citeNode is a "[n]" citation.
type citeNode struct {
	ast.BaseInline
	N      int
	Offset int
	Href   string
}

var kindCite = ast.NewNodeKind("Citation")

func (n *citeNode) Kind() ast.NodeKind { return kindCite }

func (n *citeNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"N": string(rune('0' + n.N%10))}, nil)
}

type citationParser struct{}

func (citationParser) Trigger() []byte { return []byte{'['} }

// Parse reads "[n]" where n is 1 to 3 digits and the bracket is not the text
// of an inline link ("[1](…)"). Runs of citations, "[1][2]", are each read.
// A list in one bracket, "[1, 2]" or "[1,2,4]", cites each of its numbers:
// it is read as a citeGroup holding a citeNode for each.
func (citationParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	var nums []*citeNode
	i := 1
	for {
		start := i
		n := 0
		for i < len(line) && i-start < 3 && line[i] >= '0' && line[i] <= '9' {
			n = n*10 + int(line[i]-'0')
			i++
		}
		if i == start || i >= len(line) {
			return nil
		}
		nums = append(nums, &citeNode{N: n, Offset: seg.Start + start})
		if line[i] == ']' {
			break
		}
		if line[i] != ',' {
			return nil // more than 3 digits, or not a list of numbers
		}
		i++
		for i < len(line) && line[i] == ' ' {
			i++
		}
	}
	if i+1 < len(line) && line[i+1] == '(' {
		return nil // an inline link whose text is a number
	}
	block.Advance(i + 1)
	if len(nums) == 1 {
		nums[0].Offset = seg.Start
		return nums[0]
	}
	g := &citeGroup{Written: string(line[:i+1])}
	for _, c := range nums {
		g.AppendChild(g, c)
	}
	return g
}

// citeGroup is a list of citations in one bracket, "[1, 2]"; its children
// are a citeNode for each number.
type citeGroup struct {
	ast.BaseInline
	Written string // as written, shown when none of its numbers is a source
}

var kindCiteGroup = ast.NewNodeKind("CitationGroup")

func (n *citeGroup) Kind() ast.NodeKind { return kindCiteGroup }

func (n *citeGroup) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Written": n.Written}, nil)
}

type nodeRenderer struct{}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCite, r.renderCite)
	reg.Register(kindCiteGroup, r.renderCiteGroup)
	reg.Register(ast.KindRawHTML, r.renderNothing)
	reg.Register(ast.KindHTMLBlock, r.renderNothing)
	reg.Register(ast.KindLink, r.renderLink)
}

// renderLink writes a link as goldmark does, checking its destination
// for dangerous schemes as goldmark does too (prepare has unwrapped every
// link that is not http, https, mailto, a fragment or an entry), but
// without the copies of the destination goldmark's check makes.
func (r *nodeRenderer) renderLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	dest := util.URLEscape(n.Destination, true)
	if !dangerousURL(dest) {
		_, _ = w.Write(util.EscapeHTML(dest))
	}
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		html.DefaultWriter.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.LinkAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// dangerousURL is goldmark's html.IsDangerousURL without its allocations:
// javascript:, vbscript:, file: and data: URLs, but for data: images in
// four formats.
func dangerousURL(url []byte) bool {
	// ASCII case folding: no other byte lowercases to the prefixes' letters.
	hasPrefix := func(s []byte, prefix string) bool {
		if len(s) < len(prefix) {
			return false
		}
		for i := 0; i < len(prefix); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != prefix[i] {
				return false
			}
		}
		return true
	}
	if hasPrefix(url, "data:image/") && len(url) >= 11 {
		v := url[11:]
		return !(hasPrefix(v, "png;") || hasPrefix(v, "gif;") || hasPrefix(v, "jpeg;") || hasPrefix(v, "webp;"))
	}
	return hasPrefix(url, "javascript:") || hasPrefix(url, "vbscript:") || hasPrefix(url, "file:") || hasPrefix(url, "data:")
}

func (r *nodeRenderer) renderCite(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	c := n.(*citeNode)
	num := []byte{'['}
	num = append(num, []byte(itoa(c.N))...)
	num = append(num, ']')
	if c.Href == "" {
		_, _ = w.Write(num)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<sup class="cite">`)
	writeCiteLink(w, c, num)
	_, _ = w.WriteString(`</sup>`)
	return ast.WalkContinue, nil
}

// writeCiteLink writes the link of citation c to its source, reading text.
func writeCiteLink(w util.BufWriter, c *citeNode, text []byte) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(c.Href), true)))
	_, _ = w.WriteString(`" aria-label="source `)
	_, _ = w.WriteString(itoa(c.N))
	_, _ = w.WriteString(`">`)
	_, _ = w.Write(text)
	_, _ = w.WriteString(`</a>`)
}

// renderCiteGroup writes "[1, 2]" as one superscript in which each number
// that is a source links to it, "[1, 9]" with only 1 a link when the entry
// has one source; as written when none is.
func (r *nodeRenderer) renderCiteGroup(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	linked := false
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if cn, ok := c.(*citeNode); ok && cn.Href != "" {
			linked = true
		}
	}
	if !linked {
		_, _ = w.Write(util.EscapeHTML([]byte(n.(*citeGroup).Written)))
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<sup class="cite">[`)
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		cn, ok := c.(*citeNode)
		if !ok {
			continue
		}
		if c != n.FirstChild() {
			_, _ = w.WriteString(", ")
		}
		if cn.Href == "" {
			_, _ = w.WriteString(itoa(cn.N))
			continue
		}
		writeCiteLink(w, cn, []byte(itoa(cn.N)))
	}
	_, _ = w.WriteString(`]</sup>`)
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderNothing(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// ids generates heading ids: lower-case words joined by '-', unique within
// the body, never one of the page's reserved ids. The reserved ids are
// looked up in the caller's list rather than copied into used: a body has
// a few headings, and a map of the forty reserved ids made for each of
// them came to 355 MB of a 100,000-entry build's allocations.
//
// A repeated heading takes the next number its base has not yet given out,
// not the first free one counted again from 2: a body of 20,000 identical
// headings took 51 s to check, counting up to each.
type ids struct {
	reserved []string
	used     map[string]bool // made at the first id
	next     map[string]int  // base → the number its next repeat tries first
}

func newIDs(reserved []string) *ids { return &ids{reserved: reserved} }

func (s *ids) taken(id string) bool { return s.used[id] || slices.Contains(s.reserved, id) }

func (s *ids) use(id string) {
	if s.used == nil {
		s.used = make(map[string]bool)
	}
	s.used[id] = true
}

func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range string(value) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		if b.Len() > 60 {
			break
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	// The layouts number or name their own ids: source-3, st-clear,
	// f-country, map-us, map-us-h, chart-tracker-title, provision-2.
	for _, p := range []string{"source-", "st-", "f-", "map-", "chart-", "provision-"} {
		if strings.HasPrefix(base, p) {
			base = "section-" + base
			break
		}
	}
	id := base
	if s.taken(id) {
		if s.next == nil {
			s.next = make(map[string]int)
		}
		n := max(s.next[base], 2)
		for id = base + "-" + itoa(n); s.taken(id); id = base + "-" + itoa(n) {
			n++
		}
		s.next[base] = n + 1
	}
	s.use(id)
	return []byte(id)
}

func (s *ids) Put(value []byte) { s.use(string(value)) }
