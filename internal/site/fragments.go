package site

import (
	"html/template"
	"strconv"
	"strings"
	"sync"

	"github.com/dronekb/dronekb/internal/kb"
)

// The functions here render, in Go, fragments that every entry page repeats
// several times over (its sources, an agency's timeline and the laws that
// touch it). Template code spends a reflective call on each action and
// another on escaping its value; for 10,000 entries that was most of the
// time spent rendering them. They write exactly what the template code they
// replace wrote, escaped as html/template escapes (escText, escURL), and a
// theme may still write its own with the views' data.

// htmlEscaper escapes text, and quoted attribute values, as html/template
// does: it also escapes "+" (a UTF-7 guard) and replaces NUL.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// escText escapes s for HTML text or a quoted attribute value, as
// html/template does.
func escText(s string) string { return htmlEscaper.Replace(s) }

// escURL escapes s for a quoted href, as html/template does: a URL with a
// scheme other than http, https or mailto becomes "#ZgotmplZ", bytes that
// may not appear in a URL are percent-encoded, and the rest is escaped as
// an attribute value.
func escURL(s string) string {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") {
		if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
			return "#ZgotmplZ"
		}
	}
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue // a valid escape stays as it is
		}
		if b.Len() == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
		written = i + 1
	}
	if written > 0 {
		b.WriteString(s[written:])
		s = b.String()
	}
	return escText(s)
}

// fragment is a buffer to render a fragment of a page in. It comes from a
// pool and goes back to it when the fragment is made (html), so that
// making a fragment allocates its result alone rather than each of the
// doubling buffers a strings.Builder grows through: at 100,000 entries the
// fragments' builders allocated 1.6 GB, about half of it buffers left
// behind.
type fragment struct{ buf []byte }

var fragments = sync.Pool{New: func() any { return &fragment{buf: make([]byte, 0, 1024)} }}

func newFragment() *fragment { return fragments.Get().(*fragment) }

func (f *fragment) WriteString(s string) { f.buf = append(f.buf, s...) }

// html returns the fragment made, and puts the buffer back in the pool
// unless it grew past 1 MB (a tracker row or a backlink list of a hub
// entry can be long; a pool of such buffers would keep them alive).
func (f *fragment) html() template.HTML {
	h := template.HTML(f.buf)
	if cap(f.buf) <= 1<<20 {
		f.buf = f.buf[:0]
		fragments.Put(f)
	}
	return h
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// sourceItems renders an entry's sources as the items of its numbered
// list: each a link titled by its title (else its URL), its publisher, its
// date and its archived copy.
func sourceItems(sources []kb.Source) template.HTML {
	b := newFragment()
	for i, src := range sources {
		b.WriteString("\n  <li id=\"source-")
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(`"><a href="`)
		b.WriteString(escURL(src.URL))
		b.WriteString(`" rel="noopener noreferrer nofollow"`)
		if l := src.ForeignTitle(); l != "" {
			b.WriteString(` lang="` + escText(l) + `"`) // a French headline, said in French
		}
		b.WriteString(`>`)
		if src.Title != "" {
			b.WriteString(escText(src.Title))
		} else {
			b.WriteString(escText(src.URL))
		}
		b.WriteString("</a>")
		if src.Publisher != "" {
			b.WriteString(`, <span class="publisher">`)
			b.WriteString(escText(src.Publisher))
			b.WriteString("</span>")
		}
		if !src.Date.IsZero() {
			b.WriteString(", ")
			b.WriteString(string(timeTag(src.Date)))
		}
		if src.Archive != "" {
			b.WriteString(` (<a href="`)
			b.WriteString(escURL(src.Archive))
			b.WriteString(`" rel="noopener noreferrer nofollow">archived copy</a>)`)
		}
		b.WriteString("</li>")
	}
	return b.html()
}

// timelineItems renders an agency's timeline as the items of its list:
// the date, what was seen, the law for a law's event, the fleet item and
// the source cited.
func (s *Site) timelineItems(events []TimelineEvent) template.HTML {
	b := newFragment()
	for _, ev := range events {
		b.WriteString("\n<li")
		if ev.IsFuture || ev.Pending {
			b.WriteString(` class="future"`)
		}
		b.WriteString(">")
		b.WriteString(string(timeTag(ev.Date)))
		what := escText(ev.What)
		b.WriteString(` <span class="obs obs-` + what + `">` + what + "</span> ")
		if ev.Law != nil {
			b.WriteString(string(s.lawLink(ev.Law)))
			b.WriteString(": ")
		}
		b.WriteString(escText(ev.Item))
		b.WriteString(string(cite(ev.SourceN)))
		switch {
		case ev.IsFuture:
			// Said in words, not by fading the item alone, which took its
			// labels under AA's contrast and told a screen reader nothing.
			b.WriteString(` <span class="meta">(after the tracker's date)</span>`)
		case ev.Pending:
			b.WriteString(` <span class="meta">(not counted on the tracker's date, before its month or year ends)</span>`)
		}
		b.WriteString("</li>")
	}
	return b.html()
}

// lawNames renders laws an agency is subject to as a list in a sentence:
// each law's link, with the provision's measure where the law has several.
func (s *Site) lawNames(rows []LawRelation) template.HTML {
	b := newFragment()
	for i := 0; i < len(rows); {
		law := rows[i].P.Law
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(s.lawLink(law)))
		// A law named once, with the measures of its provisions listed:
		// "ASDA (procurement, operation, funding)".
		j := i
		for j < len(rows) && rows[j].P.Law == law {
			j++
		}
		if len(law.Law.Provisions) > 1 {
			b.WriteString(" (")
			for k := i; k < j; k++ {
				if k > i {
					b.WriteString(", ")
				}
				b.WriteString(escText(rows[k].P.Measure))
			}
			b.WriteString(")")
		}
		i = j
	}
	return b.html()
}

// statusBadge renders the theme's status-badge partial for a status. It
// depends on the status alone, so it is rendered once per status and
// repeated on every row that shows one.
func (s *Site) statusBadge(st kb.Status) (template.HTML, error) {
	if h, ok := s.badges.Load(st); ok {
		return h.(template.HTML), nil
	}
	h, err := s.tmpl.partial("status-badge", st)
	if err != nil {
		return "", err
	}
	s.badges.Store(st, h)
	return h, nil
}

// entryItems renders the items of an entry list on a page of layout:
// each entry's card, the layout's entry-card partial, in an <li>. A card
// depends on the entry alone (and the layout, which may define the
// partial again), and an entry is listed on its section's page, its
// country's, its region's and each of its tags' (about five lists each at
// 10,000 entries), so each card is rendered once and repeated.
func (s *Site) entryItems(layout string, es []*kb.Entry) (template.HTML, error) {
	cards := make([]template.HTML, len(es))
	n := 0
	for i, e := range es {
		key := cardKey{layout, e}
		card, ok := s.cards.Load(key)
		if !ok {
			h, err := s.tmpl.partialIn(layout, "entry-card", e)
			if err != nil {
				return "", err
			}
			card, _ = s.cards.LoadOrStore(key, h)
		}
		cards[i] = card.(template.HTML)
		n += len(cards[i])
	}
	const open, close = "\n  <li>", "</li>"
	var b strings.Builder
	b.Grow(n + len(es)*len(open+close))
	for _, c := range cards {
		b.WriteString(open)
		b.WriteString(string(c))
		b.WriteString(close)
	}
	return template.HTML(b.String()), nil
}

// cardKey names an entry's card as a layout renders it.
type cardKey struct {
	layout string
	e      *kb.Entry
}

// agencyRowHead opens a row of a table of agencies (flownRows,
// affectedRows): the agency's cell, then the list of its drones. It
// returns the agency's status badge, for the row's last cell.
func (s *Site) agencyRowHead(b *fragment, as *kb.AgencyStatus) (template.HTML, error) {
	badge, err := s.statusBadge(as.Status)
	if err != nil {
		return "", err
	}
	b.WriteString("\n<tr><th scope=\"row\">" + string(s.link(as.Agency)) + "</th>\n<td><ul class=\"plain\">")
	return badge, nil
}

// flownRows renders the rows of a vendor's "who flies it" table: the
// agency, its drones of the vendor, what was last seen of each, and its
// status.
func (s *Site) flownRows(rows []FlownRow) (template.HTML, error) {
	b := newFragment()
	for _, r := range rows {
		badge, err := s.agencyRowHead(b, r.Status)
		if err != nil {
			return "", err
		}
		for _, it := range r.Items {
			b.WriteString("<li>" + escText(itemLabel(it.Vendor, it.Item)) + "</li>")
		}
		b.WriteString("</ul></td>\n<td><ul class=\"plain\">")
		for _, it := range r.Items {
			b.WriteString("<li>" + escText(itemWord(it)))
			if it.Stale {
				b.WriteString(` <span class="stale">(unverified since ` + escText(it.AsOf.Human()) + `)</span>`)
			} else {
				b.WriteString(" (" + escText(it.AsOf.Human()) + ")")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul></td>\n<td>" + string(badge) + "</td></tr>")
	}
	return b.html(), nil
}

// affectedRows renders the rows of a law's "agencies it affects" table:
// the agency, its drones the law restricts, whether the law binds it and
// bans what it flies, and its status.
func (s *Site) affectedRows(rows []kb.Affected) (template.HTML, error) {
	b := newFragment()
	for _, r := range rows {
		badge, err := s.agencyRowHead(b, r.Status)
		if err != nil {
			return "", err
		}
		for _, it := range r.Items {
			b.WriteString("<li>" + escText(itemLabel(it.Vendor, it.Item)) + " — " + escText(itemWhen(it)) + " " + sourced(escText(it.AsOf.Human()), it.Source) + "</li>")
		}
		b.WriteString("</ul></td>\n<td>")
		if r.Bound {
			b.WriteString("Yes")
		} else {
			b.WriteString("No")
		}
		b.WriteString("</td>\n<td>")
		switch {
		case r.Banned:
			b.WriteString("<strong>Yes</strong>")
		case r.BanUnknown:
			// Last seen flying before the ban, or too long ago: "No"
			// read as though it had complied (found in review).
			why := "last seen flying more than " + strconv.Itoa(kb.StaleMonths) + " months before this date"
			for _, it := range r.Items {
				if it.Status == kb.StatusActive && it.BeforeBan != nil {
					why = "last seen flying before an operating ban took effect"
					break
				}
			}
			b.WriteString("Not known: " + why)
		default:
			b.WriteString("No")
		}
		b.WriteString("</td>\n<td>" + string(badge) + "</td></tr>")
	}
	return b.html(), nil
}

// lawEventItems renders a law's timeline as the items of its list: the
// date, what was seen, the agency and its fleet item.
func (s *Site) lawEventItems(events []TimelineEvent) template.HTML {
	b := newFragment()
	for _, ev := range events {
		what := escText(ev.What)
		b.WriteString("\n<li>" + string(timeTag(ev.Date)) + ` <span class="obs obs-` + what + `">` + what + "</span> ")
		if ev.Agency != nil {
			b.WriteString(string(s.link(ev.Agency)) + ": ")
		}
		b.WriteString(escText(ev.Item))
		if ev.Agency != nil && ev.Source != "" {
			b.WriteString(` <a href="` + escURL(ev.Source) + `" rel="noopener noreferrer nofollow" title="The source of this observation">[source]</a>`)
		}
		b.WriteString("</li>")
	}
	return b.html()
}

// fleetRows renders the rows of an agency's fleet table: each item with
// its vendor, when it was acquired, its latest observation and its source,
// its standing on the site's date and the laws that restrict it.
func (s *Site) fleetRows(e *kb.Entry, rows []FleetRow) template.HTML {
	asOf := escText(s.info.AsOf.Human())
	b := newFragment()
	for _, r := range rows {
		it := r.Item
		b.WriteString("\n<tr>\n  <th scope=\"row\">")
		if r.Vendor != nil {
			if it.Count != 0 {
				b.WriteString(strconv.Itoa(it.Count) + " × ")
			}
			b.WriteString(string(s.link(r.Vendor)))
			if it.Model != "" {
				b.WriteString(" " + escText(it.Model))
			}
		} else {
			b.WriteString(escText(r.Label))
		}
		if it.Note != "" {
			b.WriteString(`<br><span class="note">` + escText(it.Note) + "</span>")
		}
		b.WriteString("</th>\n  <td data-label=\"Acquired\">")
		if it.Acquired.IsZero() {
			b.WriteString("—")
		} else {
			b.WriteString(string(timeTag(it.Acquired)))
		}
		latest := obsLabel[it.Status]
		if it.LatestIsAcquisition() {
			latest = "acquired" // a purchase, no sighting
		}
		b.WriteString("</td>\n  <td data-label=\"Latest observation\">" + escText(latest) + ", " + string(timeTag(it.AsOf)) + string(cite(sourceNum(e, it.Source))))
		if it.Source == "" {
			// check warns of it (SOURCE_MISSING); the reader is told too,
			// rather than shown a status that cites nothing as though it
			// did (found in review).
			b.WriteString(unsourcedHTML)
		}
		b.WriteString("</td>\n  <td data-label=\"On " + asOf + "\">")
		now := r.Now
		var label string
		if now != nil {
			label = itemWord(now) // "acquired" for a purchase, no sighting
		}
		switch {
		case now == nil:
			b.WriteString("not yet in the fleet")
		case now.Stale && now.Acquired:
			b.WriteString(escText(label) + ` <span class="stale">(` + escText(now.AsOf.Human()) + ", over 24 months ago)</span>")
		case now.Stale:
			b.WriteString(escText(label) + ` <span class="stale">(reported ` + escText(now.AsOf.Human()) + ", over 24 months ago)</span>")
		case now.BeforeBan != nil:
			// "(seen June 2023, …)", or for a purchase "(July 2021, …)":
			// the label already says "acquired".
			when := "seen " + now.AsOf.Human()
			if now.Acquired {
				when = now.AsOf.Human()
			}
			switch ban := now.BeforeBan.Start.Human(); {
			case now.BeforeBan.InForceBy:
				// The ban may have applied before the sighting.
				when += "; the ban is first shown in force on " + ban
			case !now.SurelyBeforeBan():
				when += "; the ban of " + ban + " may have come first"
			default:
				when += ", before the ban of " + ban
			}
			b.WriteString(escText(label) + ` <span class="stale">(` + escText(when) + ")</span>")
		default:
			b.WriteString(escText(label))
		}
		b.WriteString("</td>\n  <td data-label=\"Restricted by\">")
		switch {
		case now == nil:
			b.WriteString("—")
		case now.Restricted:
			laws := "laws"
			if len(now.RestrictingLaws) == 1 {
				laws = "law"
			}
			b.WriteString(`<a href="#tracker">` + strconv.Itoa(len(now.RestrictingLaws)) + " " + laws + "</a>")
			if len(now.BindingLaws) > 0 {
				b.WriteString(", " + strconv.Itoa(len(now.BindingLaws)) + " binding it")
			} else {
				b.WriteString(", none binding it")
			}
		case it.UnknownMake:
			b.WriteString("make unknown")
		default:
			b.WriteString("not restricted")
		}
		b.WriteString("</td>\n</tr>")
	}
	return b.html()
}

// unsourcedHTML follows what a page shows of an observation that names no
// source (check warns of it), as the theme's seen-date does.
const unsourcedHTML = ` <span class="unsourced">(no source given)</span>`

// sourced writes the HTML of an observation's date linked to its source,
// or says it has none: the tracker's Evidence column, and a law page's
// list of the agencies it affects, which gave the dates alone (found in
// review).
func sourced(dateHTML, source string) string {
	if source == "" {
		return dateHTML + unsourcedHTML
	}
	return `<a href="` + escURL(source) + `" rel="noopener noreferrer nofollow" title="The source of this evidence">` + dateHTML + `</a>`
}
