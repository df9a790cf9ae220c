package kb

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"weak"
)

// KB is a loaded, checked knowledge base: its entries sorted by ID, the
// references between them, and every problem found.
type KB struct {
	Entries []*Entry
	// Pages are the site's own pages (content/pages/), by ID; they are not
	// entries, and no entry refers to them.
	Pages       []*Entry
	Diagnostics Diagnostics

	byID      map[string]*Entry
	backlinks map[string][]Backlink
	// broken are the IDs of files that could not be read as entries: their
	// own error is reported, not every reference to them.
	broken map[string]bool
	// linkDiags are link's reports, by the entry they are on.
	linkDiags map[*Entry]Diagnostics
	digest    string
	// files are the entry files it was loaded from, in the walk's order,
	// and walkDiags the walk's reports on the folders: the next Load with
	// Options.Touched starts from them.
	files     []fileRef
	walkDiags Diagnostics
	// results are what each of files gave, when loaded with a Cache: the
	// next Load told what changed takes the others' from here.
	results []fileResult
	// since is the knowledge base link resolved this one against (Load's
	// Options.Prev) when both hold the same entries and pages by ID, and
	// changed the entries and pages whose *Entry differs from since's:
	// what an edit under serve --watch changed, found once. since is weak:
	// each knowledge base of a watching serve would otherwise keep every
	// one before it alive.
	since   weak.Pointer[KB]
	changed []*Entry
}

// ChangedSince returns the entries and pages that differ from prev's, and
// true, when kb was loaded with prev as Options.Prev and holds the same
// entries and pages by ID (an edit that added, removed or renamed no
// file). Otherwise it returns false: the caller compares them itself.
func (kb *KB) ChangedSince(prev *KB) ([]*Entry, bool) {
	if prev == nil || kb.since.Value() != prev {
		return nil, false
	}
	return kb.changed, true
}

// Digest identifies the files the knowledge base was loaded from: a SHA-256
// over every file's path and bytes, in hex. Loading the same files again
// gives the same digest; changing any of them, another.
func (kb *KB) Digest() string { return kb.digest }

// Backlink is an entry that references another, and the fields it does it in.
type Backlink struct {
	From   *Entry
	Fields []string
}

// Err returns the content errors as an error (a Diagnostics), or nil.
func (kb *KB) Err() error {
	if kb.Diagnostics.Errors(false) == 0 {
		return nil
	}
	return kb.Diagnostics
}

// Entry returns the entry with the given ID ("agencies/nypd"), or nil.
func (kb *KB) Entry(id string) *Entry { return kb.byID[id] }

// Lookup returns the entry of type t with the given slug, or nil.
func (kb *KB) Lookup(t Type, slug string) *Entry {
	return kb.byID[SectionFor(t).Dir+"/"+slug]
}

// Section returns the entries of a section ("agencies"), sorted by ID.
func (kb *KB) Section(dir string) []*Entry {
	prefix := dir + "/"
	lo := sort.Search(len(kb.Entries), func(i int) bool { return kb.Entries[i].ID >= prefix })
	hi := lo
	for hi < len(kb.Entries) && strings.HasPrefix(kb.Entries[hi].ID, prefix) {
		hi++
	}
	return kb.Entries[lo:hi]
}

// ReferencedBy returns the entries that reference id, grouped by section in
// the order of Sections and sorted by title within each.
func (kb *KB) ReferencedBy(id string) []Backlink { return kb.backlinks[id] }

var typeLabel = map[Type]string{TypeAgency: "agency", TypeVendor: "vendor", TypeLaw: "law", TypeIncident: "incident"}

// link resolves every reference, reports the ones that do not resolve, and
// builds the backlinks. With prev — the knowledge base loaded before from
// the same Cache, so that an entry whose file did not change is the same
// *Entry in both — and the same entries by ID, it resolves only the
// references of the entries that changed and reuses the rest of prev's
// backlinks and reports: an edit under serve --watch costs what the edit
// touches, not the whole knowledge base.
func (kb *KB) link(prev *KB) {
	var changed []*Entry
	if prev == nil || !kb.sameIDs(prev) {
		changed = append(append(changed, kb.Entries...), kb.Pages...)
		prev = nil
	} else if kb.since.Value() == prev {
		changed = kb.changed // Load mended prev's entries (KB.mend)
	} else {
		for _, e := range kb.Entries {
			if prev.byID[e.ID] != e {
				changed = append(changed, e)
			}
		}
		for _, e := range kb.Pages {
			if prev.byID[e.ID] != e {
				changed = append(changed, e)
			}
		}
		kb.since, kb.changed = weak.Make(prev), changed
	}
	kb.linkDiags = map[*Entry]Diagnostics{}
	back := map[*Entry]map[*Entry][]string{}
	// Most backlinks are made by one field ("body"): those share one
	// list of it, which nothing changes (a second field appends to a
	// copy, as the list is full).
	one := map[string][]string{}
	for _, e := range changed {
		kb.resolve(e, func(target *Entry, field string) {
			from := back[target]
			if from == nil {
				from = map[*Entry][]string{}
				back[target] = from
			}
			fields := from[e]
			if len(fields) == 0 {
				if one[field] == nil {
					one[field] = []string{field}
				}
				from[e] = one[field][:1:1]
				return
			}
			if fields[len(fields)-1] != field {
				dup := false
				for _, f := range fields {
					dup = dup || f == field
				}
				if !dup {
					from[e] = append(fields, field)
				}
			}
		})
	}
	if prev == nil {
		kb.backlinks = make(map[string][]Backlink, len(back))
	} else {
		// Unchanged entries keep their reports; the lists of the targets
		// the changed entries referenced before or reference now are
		// made again from the entries left on them and the new references.
		for e, d := range prev.linkDiags {
			if kb.byID[e.ID] == e {
				kb.linkDiags[e] = d
			}
		}
		kb.backlinks = maps.Clone(prev.backlinks)
		isChanged := make(map[string]bool, len(changed))
		for _, e := range changed {
			isChanged[e.ID] = true
		}
		for _, e := range changed {
			old := prev.byID[e.ID]
			if old.Type == TypePage {
				continue
			}
			for _, u := range old.refs {
				t := kb.byID[u.id]
				if t == nil || t.Type == TypePage || back[t] != nil {
					continue
				}
				back[t] = map[*Entry][]string{}
			}
		}
		for target, from := range back {
			for _, b := range prev.backlinks[target.ID] {
				if !isChanged[b.From.ID] {
					from[b.From] = b.Fields
				}
			}
		}
	}
	if len(kb.linkDiags) > 0 {
		for _, list := range [][]*Entry{kb.Entries, kb.Pages} {
			for _, e := range list {
				kb.Diagnostics = append(kb.Diagnostics, kb.linkDiags[e]...)
			}
		}
	}
	kb.checkParents()
	kb.checkComponents()
	kb.checkReach()
	order := func(t Type) int {
		for i, s := range Sections {
			if s.Type == t {
				return i
			}
		}
		return len(Sections)
	}
	for target, from := range back {
		if len(from) == 0 {
			delete(kb.backlinks, target.ID)
			continue
		}
		list := make([]Backlink, 0, len(from))
		for e, fields := range from {
			list = append(list, Backlink{From: e, Fields: fields})
		}
		slices.SortFunc(list, func(x, y Backlink) int {
			a, b := x.From, y.From
			if a.Type != b.Type {
				return order(a.Type) - order(b.Type)
			}
			return CompareTitles(a, b)
		})
		kb.backlinks[target.ID] = list
	}
}

// sameIDs reports whether kb and prev hold the same entries and pages by
// ID and type, and the same broken files: then a reference of an
// unchanged entry resolves, or fails with the same report, in both.
func (kb *KB) sameIDs(prev *KB) bool {
	if prev != nil && kb.since.Value() == prev {
		return true // link found it so
	}
	if len(kb.byID) != len(prev.byID) || len(kb.broken) != len(prev.broken) {
		return false
	}
	for id, e := range kb.byID {
		if p := prev.byID[id]; p == nil || p.Type != e.Type {
			return false
		}
	}
	for id := range kb.broken {
		if !prev.broken[id] {
			return false
		}
	}
	return true
}

// resolve checks entry e's references: it reports (in kb.linkDiags) those
// that do not resolve, and calls add with the target and field of each
// one that makes a backlink.
func (kb *KB) resolve(e *Entry, add func(target *Entry, field string)) {
	for _, a := range e.slugsAlone {
		// related: [nypd]: the IDs of that slug, in the sections
		// that have one; all four when none has.
		var ids []string
		for _, s := range Sections {
			if id := s.Dir + "/" + a.ID; kb.byID[id] != nil || kb.broken[id] {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			for _, s := range Sections {
				ids = append(ids, s.Dir+"/"+a.ID)
			}
		}
		fix := ", " + orList(ids) + ", whichever it is"
		if len(ids) == 1 {
			fix = "; did you mean " + quote(ids[0]) + "?"
		}
		kb.linkDiags[e] = append(kb.linkDiags[e], Diagnostic{File: e.File, Line: a.Pos.Line, Col: a.Pos.Col, Severity: SevError, Code: CodeSlugInvalid,
			Message: fmt.Sprintf("%s %q is not an entry ID: write its section before it%s", a.name, a.ID, fix)})
	}
	miswritten := e.miswritten
	for i := range e.refs {
		u := &e.refs[i]
		// field is the field the reference is written in, shown its
		// name in messages: "fleet.vendor", "fleet[2].vendor".
		ref, field, shown := u.ref(), u.field.String(), u.shown(e)
		target, want := kb.byID[u.id], u.want()
		report := func(code Code, sev Severity, format string, args ...any) {
			kb.linkDiags[e] = append(kb.linkDiags[e], Diagnostic{File: e.File, Line: ref.Pos.Line, Col: ref.Pos.Col,
				Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
		}
		if u.miswritten {
			// Not a slug, such as "DJI": an error either way.
			written := miswritten[0]
			miswritten = miswritten[1:]
			if target != nil || kb.broken[ref.ID] {
				report(CodeSlugInvalid, SevError, "%s %q is not a slug (lower-case a-z, 0-9 and -); did you mean %q?", shown, written, ref.Slug())
			} else if also := meantAlso(written, refAlso[field]); also != "" {
				report(CodeSlugInvalid, SevError, "%s %q is not a slug (lower-case a-z, 0-9 and -)%s%s",
					shown, written, alsoHint(field, also), kb.orKnown(want, ref.Slug()))
			} else {
				report(CodeSlugInvalid, SevError, "%s %q is not a slug (lower-case a-z, 0-9 and -), and there is no %s %q%s", shown, written, typeLabel[want], ref.Slug(), kb.createHint(want, ref.Slug(), kb.slugsOf(want)))
			}
			continue
		}
		if target == nil && (kb.broken[ref.ID] || kb.broken[sectionOf(ref.ID)+"/"]) {
			continue
		}
		if target == nil {
			slug := ref.Slug()
			switch {
			case u.field == fieldRelated:
				report(CodeRefNotFound, SevError, "related entry %q does not exist%s", ref.ID, didYouMean(ref.ID, kb.ids()))
			case u.field == fieldBody:
				if other := kb.otherType(slug, want); other != nil {
					report(CodeLinkNotFound, SevError, "link to %s: there is no %s %q, but %s is %s; did you mean ../%s.md?", ref.ID+".md", typeLabel[want], slug, other.ID+".md", article(other.Type), other.ID)
					continue
				}
				report(CodeLinkNotFound, SevError, "link to %s: there is no %s %q%s", ref.ID+".md", typeLabel[want], slug, didYouMean(slug, kb.slugsOf(want)))
			default:
				if also := meantAlso(slug, refAlso[field]); also != "" && kb.otherType(slug, want) == nil {
					report(CodeRefNotFound, SevError, "unknown %s %q%s%s", typeLabel[want], slug, alsoHint(field, also), kb.orKnown(want, slug))
				} else if other := kb.otherType(slug, want); other != nil {
					report(CodeRefWrongType, SevError, "%s %q is %s, not %s%s", shown, slug, article(other.Type), article(want), kb.wrongTypeHint(e, field, other, want, slug))
				} else if hint := didYouMean(slug, kb.slugsOf(want)); hint != "" {
					report(CodeRefNotFound, SevError, "unknown %s %q%s", typeLabel[want], slug, hint)
				} else {
					report(CodeRefNotFound, SevError, "unknown %s %q%s", typeLabel[want], slug, kb.createHint(want, slug, kb.slugsOf(want)))
				}
			}
			continue
		}
		if target.Type == TypePage {
			report(CodeRefWrongType, SevError, "%s links to the page %s; link entries only, or write the page's URL", shown, target.ID)
			continue
		}
		if e.Type == TypePage {
			continue // a page's links are checked, but it is no one's backlink
		}
		if target == e {
			if u.field == fieldParent {
				report(CodeParentCycle, SevError, "an entry cannot be its own parent")
			} else if u.field != fieldBody {
				report(CodeRefSelf, SevWarning, "%s refers to the entry itself", shown)
			}
			continue
		}
		add(target, field)
	}
}

// wrongTypeHint says what to do with a reference to other where an
// entry of type want was asked for: an incident lists it under the field
// of its section ("; list it in vendors instead"); elsewhere the field
// takes one of the known entries of its type.
func (kb *KB) wrongTypeHint(e *Entry, field string, other *Entry, want Type, slug string) string {
	if e.Type == TypeIncident && (field == "agencies" || field == "vendors" || field == "laws") {
		return fmt.Sprintf("; list it in %s instead", other.Section)
	}
	known := kb.slugsOf(want)
	if len(known) == 0 {
		return ""
	}
	return fmt.Sprintf("; name a known %s: %s", want, kb.knownList(slug, known))
}

// slugsOf returns the slugs of the entries of type t, for suggestions
// (suggestedSlug).
func (kb *KB) slugsOf(t Type) []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range kb.Entries {
		if s := suggestedSlug(e); e.Type == t && s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ids returns every entry's ID, for suggestions (suggestedSlug).
func (kb *KB) ids() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range kb.Entries {
		if s := suggestedSlug(e); s != "" && !seen[e.Section+"/"+s] {
			seen[e.Section+"/"+s] = true
			out = append(out, e.Section+"/"+s)
		}
	}
	return out
}

// suggestedSlug is the slug a suggestion may name for entry e: its own,
// or, when check refuses its file name (agencies/NYPD.md), the slug it
// tells the file to be renamed to (nypd), which a reference may name
// already; "" when there is none. A suggestion of "NYPD" would be
// refused as no slug.
func suggestedSlug(e *Entry) string {
	slug := e.Slug
	if !ValidSlug(slug) {
		slug = renameSlug(slug)
	}
	if !ValidSlug(slug) || ReservedOnWindows(slug) || ReservedSlug(e.Type, slug) {
		return ""
	}
	return slug
}

// createHint tells how to make the missing entry of type t, and lists a
// few of the known ones, the closest first. A slug no entry may take
// (vendors/unknown, con) is not suggested to be made.
func (kb *KB) createHint(t Type, slug string, known []string) string {
	hint := fmt.Sprintf("; create it with `dronekb new %s %s`", t, slug)
	or := ", or name"
	if ReservedSlug(t, slug) || ReservedOnWindows(slug) {
		hint, or = fmt.Sprintf("; no %s can be called %q, a reserved name", t, slug), "; name"
	}
	if len(known) == 0 {
		return hint
	}
	return fmt.Sprintf("%s%s a known %s: %s", hint, or, t, kb.knownList(slug, known))
}

// orKnown offers the known entries of type t instead, the closest to
// slug first: "; or name a known vendor: dji, skydio", or "" if none.
func (kb *KB) orKnown(t Type, slug string) string {
	known := kb.slugsOf(t)
	if len(known) == 0 {
		return ""
	}
	return fmt.Sprintf("; or name a known %s: %s", t, kb.knownList(slug, known))
}

// knownList lists a few of the known slugs, the closest to slug first.
func (kb *KB) knownList(slug string, known []string) string {
	const few = 5
	sorted := slices.Clone(known)
	ls := strings.ToLower(slug)
	dist := make(map[string]int, len(sorted))
	for _, k := range sorted {
		dist[k] = editDistance(ls, k)
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		if dist[sorted[i]] != dist[sorted[j]] {
			return dist[sorted[i]] < dist[sorted[j]]
		}
		return sorted[i] < sorted[j]
	})
	more := ""
	if len(sorted) > few {
		more = fmt.Sprintf(" (and %d more)", len(sorted)-few)
		sorted = sorted[:few]
	}
	return strings.Join(sorted, ", ") + more
}

func article(t Type) string {
	if t == TypeAgency || t == TypeIncident {
		return "an " + string(t)
	}
	return "a " + string(t)
}

func (kb *KB) otherType(slug string, want Type) *Entry {
	for _, s := range Sections {
		if s.Type != want {
			if e := kb.byID[s.Dir+"/"+slug]; e != nil {
				return e
			}
		}
	}
	return nil
}

// checkParents reports parent chains that loop.
func (kb *KB) checkParents() {
	parent := func(e *Entry) *Ref {
		switch {
		case e.Agency != nil:
			return e.Agency.Parent
		case e.Vendor != nil:
			return e.Vendor.Parent
		}
		return nil
	}
	for _, e := range kb.Entries {
		p := parent(e)
		if p == nil || p.ID == e.ID {
			continue
		}
		seen := map[string]bool{e.ID: true}
		for cur := kb.byID[p.ID]; cur != nil; {
			if seen[cur.ID] {
				if cur.ID == e.ID {
					kb.Diagnostics = append(kb.Diagnostics, Diagnostic{File: e.File, Line: p.Pos.Line, Col: p.Pos.Col, Severity: SevError,
						Code: CodeParentCycle, Message: fmt.Sprintf("parent %q leads back to this entry; parents cannot form a loop", p.Slug())})
				}
				break
			}
			seen[cur.ID] = true
			np := parent(cur)
			if np == nil {
				break
			}
			cur = kb.byID[np.ID]
		}
	}
}

// checkComponents warns of a law whose binds or exempts name an agency
// and some of its components (agencies whose parent it is) but not the
// others. A law's lists match agencies by name: naming a department does
// not bind or exempt its components, so a list that names some of them
// names them on purpose, and the one left out is most likely forgotten.
// ASDA's Defense carve-out named the Army and the Navy but not the Marine
// Corps, whose page then showed no exemption (found in review).
func (kb *KB) checkComponents() {
	components := map[string][]string{}
	for _, e := range kb.Section("agencies") {
		if p := e.Agency.Parent; p != nil && p.ID != e.ID {
			components[p.ID] = append(components[p.ID], e.ID)
		}
	}
	if len(components) == 0 {
		return
	}
	// what is the list's path as written (provisions[2].exempts[1].agencies),
	// does what the law does to the agencies it names (binds, exempts).
	check := func(e *Entry, what, does string, refs []Ref) {
		named := make(map[string]bool, len(refs))
		for _, r := range refs {
			named[r.ID] = true
		}
		// How many of each department's components the list names, in one
		// pass: most name none, and only then are a department's
		// components gone through (a national force may have thousands,
		// named by many laws).
		namedUnder := map[string]int{}
		for _, x := range refs {
			if a := kb.byID[x.ID]; a != nil && a.Agency != nil && a.Agency.Parent != nil && a.Agency.Parent.ID != x.ID {
				namedUnder[a.Agency.Parent.ID]++
			}
		}
		for _, r := range refs {
			parts := components[r.ID]
			if n := namedUnder[r.ID]; n == 0 || n >= len(parts) {
				continue
			}
			var in, out []string
			for _, c := range parts {
				if named[c] {
					in = append(in, Ref{ID: c}.Slug())
				} else {
					out = append(out, Ref{ID: c}.Slug())
				}
			}
			if len(in) == 0 || len(out) == 0 {
				continue
			}
			kb.Diagnostics = append(kb.Diagnostics, Diagnostic{File: e.File, Line: r.Pos.Line, Col: r.Pos.Col, Severity: SevWarning, Code: CodeSomeComponents,
				Message: fmt.Sprintf("%s names %s and %d of its %d components (%s) but not %s; a law's list does not pass from an agency to its components: add %s if the law %s %s too",
					what, r.Slug(), len(in), len(parts), strings.Join(in, ", "), strings.Join(out, ", "), strings.Join(out, ", "), does, verb(len(out), "it", "them"))})
		}
	}
	for _, e := range kb.Section("laws") {
		l := e.Law
		seen := map[Pos]bool{}
		lists := func(at string, b *Binds, ex []Exemption) {
			if b != nil && b.HasAgencies && len(b.Agencies) > 0 && !seen[b.Agencies[0].Pos] {
				seen[b.Agencies[0].Pos] = true
				check(e, at+"binds.agencies", "binds", b.Agencies)
			}
			for i, x := range ex {
				if x.Match.HasAgencies && len(x.Match.Agencies) > 0 && !seen[x.Match.Agencies[0].Pos] {
					seen[x.Match.Agencies[0].Pos] = true
					check(e, fmt.Sprintf("%sexempts[%d].agencies", at, i+1), "exempts", x.Match.Agencies)
				}
			}
		}
		lists("", l.Binds, l.Exempts)
		for _, p := range l.Provisions {
			lists(fmt.Sprintf("provisions[%d].", p.Index+1), p.Binds, p.Exempts)
		}
	}
}

// checkReach warns of a law whose binds or exempts name an agency outside
// its jurisdiction (Law.Reaches): the tracker leaves the name out, as the
// law binds only agencies in its country (and region), so a slug picked
// from the wrong country, or an agency whose country or region is wrong,
// changed no verdict and said nothing.
func (kb *KB) checkReach() {
	for _, e := range kb.Section("laws") {
		l := e.Law
		seen := map[Pos]bool{}
		check := func(what, does string, refs []Ref) {
			for _, r := range refs {
				a := kb.byID[r.ID]
				// A law or agency with no country (refused, or left
				// out), or an agency whose region is refused, has its
				// own error.
				if seen[r.Pos] || a == nil || a.Agency == nil || l.Country == "" || a.Agency.Country == "" || a.Agency.Region == "" && a.gives("region") || l.Reaches(a) {
					continue
				}
				seen[r.Pos] = true
				its := a.Agency.Country
				switch {
				case its != l.Country:
				case a.Agency.Region == "":
					its += " with no region"
				default:
					its = a.Agency.Region
				}
				kb.Diagnostics = append(kb.Diagnostics, Diagnostic{File: e.File, Line: r.Pos.Line, Col: r.Pos.Col, Severity: SevWarning, Code: CodeRefOutside,
					Message: fmt.Sprintf("%s names %s, an agency of %s, outside the law's jurisdiction (%s): the law cannot %s it, and the tracker leaves the name out; check the slug, and the country and region of %s",
						what, r.Slug(), its, cmp.Or(l.Region, l.Country), does, a.File)})
			}
		}
		lists := func(at string, b *Binds, ex []Exemption) {
			if b != nil && b.HasAgencies {
				check(at+"binds.agencies", "bind", b.Agencies)
			}
			for i, x := range ex {
				if x.Match.HasAgencies {
					check(fmt.Sprintf("%sexempts[%d].agencies", at, i+1), "exempt", x.Match.Agencies)
				}
			}
		}
		lists("", l.Binds, l.Exempts)
		for _, p := range l.Provisions {
			lists(fmt.Sprintf("provisions[%d].", p.Index+1), p.Binds, p.Exempts)
		}
	}
}

// laterWarnings reports the dates after today: a fleet item's
// observation, an incident's date, an entry's updated, a source's. No
// source can have given a date in the future: it is most likely a slip
// (2062 for 2026, 2027 for 2023) that would leave the agency with no fleet
// on record, or put an incident at the top of the home page. Today is the
// real date, not the one the tracker answers for: a date after a past
// --as-of is no slip, and one after today is one on any day.
func (kb *KB) laterWarnings(today Date) Diagnostics {
	var out Diagnostics
	const slip = "; a date in the future is most likely a slip: check it against the source"
	warn := func(e *Entry, pos Pos, what string, d Date) {
		if d.IsZero() || !d.After(today) {
			return
		}
		out = append(out, Diagnostic{File: e.File, Line: pos.Line, Col: pos.Col, Severity: SevWarning, Code: CodeDateLater,
			Message: fmt.Sprintf("%s is %s, after today (%s)%s", what, d, today, slip)})
	}
	for _, e := range kb.Entries {
		warn(e, e.ValuePos("updated"), "updated", e.Updated)
		if e.Incident != nil {
			warn(e, e.ValuePos("date"), "the incident's date", e.Incident.Date)
		}
		for i, src := range e.Sources {
			warn(e, src.DatePos, fmt.Sprintf("sources[%d]'s date", i+1), src.Date)
		}
		if e.Agency == nil {
			continue
		}
		for i := range e.Agency.Fleet {
			f := &e.Agency.Fleet[i]
			if own := f.own(); !f.AsOf.After(today) {
				// A sighting or purchase in this month or year is no
				// slip, but it counts only once its period has ended
				// (Observation.From): say so, or the agency's row would
				// ignore it without a word.
				if own.PendingOn(today) {
					what := "seen flying"
					if own.Acquisition {
						what = "acquired"
					}
					out = append(out, Diagnostic{File: e.File, Line: f.AsOfPos.Line, Col: f.AsOfPos.Col, Severity: SevWarning, Code: CodeObservedLater,
						Message: fmt.Sprintf("fleet[%d] (%s) is %s in %s (its as_of), a period that ends after today (%s): the tracker counts a sighting or a purchase dated by its month or year from the period's last day (%s), so not yet; give the day if the source does", f.Index+1, fleetLabel(f), what, f.AsOf, today, f.AsOf.LastDay())})
				}
				continue
			}
			// At the date the message names: the as_of, or the first
			// observation's date when all are later.
			msg := fmt.Sprintf("fleet[%d] (%s) is observed on %s (its as_of), after today (%s): the tracker counts only what it was seen doing until the day it is computed for", f.Index+1, fleetLabel(f), f.AsOf, today)
			at := f.AsOfPos
			if first := earliest(f.Observations()); first.Date.After(today) {
				msg = fmt.Sprintf("fleet[%d] (%s) is first observed on %s, after today (%s), so the tracker leaves it out until then", f.Index+1, fleetLabel(f), first.Date, today)
				at = first.DatePos
			}
			out = append(out, Diagnostic{File: e.File, Line: at.Line, Col: at.Col, Severity: SevWarning, Code: CodeObservedLater,
				Message: msg + slip})
		}
	}
	return out
}

// unboundWarnings reports the agencies with a fleet that a law in force,
// restricting hardware, cannot bind for a field they lack: a law of their
// country or region that binds by level cannot bind an agency with no
// level, nor a regional law one with no region (a national agency needs
// none). Left out, either field turned a verdict from bound to unbound in
// silence, and dronekb new's template has both commented out (found in
// review). A law that names the agencies it binds counts for those it
// names, when it binds them at some levels too.
func (kb *KB) unboundWarnings(asOf Date) Diagnostics {
	type jurisdiction struct{ country, region string }
	byLevel := map[jurisdiction][]*Entry{} // laws binding by level, by where they apply
	regional := map[string][]*Entry{}      // country → its regional laws
	named := map[string][]*Entry{}         // agency → laws naming it that also bind by level
	for _, l := range kb.Section("laws") {
		var binds, byLevels bool
		for _, p := range l.Law.Provisions {
			if !p.Restricting() || !p.InForce(asOf) {
				continue
			}
			if p.Binds != nil && p.Binds.HasAgencies {
				// A law naming the agencies it binds binds those of them
				// at its levels, when it gives levels too.
				if p.Binds.HasLevels {
					for _, r := range p.Binds.Agencies {
						if laws := named[r.ID]; len(laws) == 0 || laws[len(laws)-1] != l {
							named[r.ID] = append(laws, l)
						}
					}
				}
				continue
			}
			binds = true
			byLevels = byLevels || (p.Binds != nil && p.Binds.HasLevels)
		}
		if byLevels {
			at := jurisdiction{l.Law.Country, l.Law.Region}
			byLevel[at] = append(byLevel[at], l)
		}
		if binds && l.Law.Region != "" {
			regional[l.Law.Country] = append(regional[l.Law.Country], l)
		}
	}
	var out Diagnostics
	for _, e := range kb.Section("agencies") {
		a := e.Agency
		if len(a.Fleet) == 0 {
			continue
		}
		pos := e.KeyPos("country")
		// A level or region given but refused has its own error.
		if a.Level == "" && !e.gives("level") {
			laws := byLevel[jurisdiction{a.Country, ""}]
			if a.Region != "" {
				laws = append(slices.Clip(laws), byLevel[jurisdiction{a.Country, a.Region}]...)
			}
			for _, l := range named[e.ID] {
				if !slices.Contains(laws, l) {
					laws = append(slices.Clip(laws), l)
				}
			}
			if len(laws) > 0 {
				out = append(out, Diagnostic{File: e.File, Line: pos.Line, Col: pos.Col, Severity: SevWarning, Code: CodeLevelMissing,
					Message: fmt.Sprintf("the agency has no level, so laws in force where it is that bind agencies by level cannot bind it (%s); add level: national, state or local, if a source says which", names(laws))})
			}
		}
		if laws := regional[a.Country]; a.Region == "" && !e.gives("region") && a.Level != "national" && len(laws) > 0 {
			out = append(out, Diagnostic{File: e.File, Line: pos.Line, Col: pos.Col, Severity: SevWarning, Code: CodeRegionMissing,
				Message: fmt.Sprintf("the agency has no region, so no regional law of its country can bind it (in force there: %s); add its region (an ISO 3166-2 code such as %s-…), or level: national if it has none", names(laws), a.Country)})
		}
	}
	return out
}

// staleWarnings reports fleet items whose latest observation on asOf is an
// active or grounded status more than StaleMonths before it: evidence the
// tracker can no longer lean on (an old sighting no longer counts as
// flying) and a contributor could refresh. A retired item, or one already
// recorded as unknown, has nothing to refresh.
func (kb *KB) staleWarnings(asOf Date) Diagnostics {
	var out Diagnostics
	for _, e := range kb.Section("agencies") {
		for i := range e.Agency.Fleet {
			f := &e.Agency.Fleet[i]
			label := fleetLabel(f)
			obs, ok := f.StatusOn(asOf)
			if !ok || !IsStale(obs.Date, asOf) || (obs.Status != StatusActive && obs.Status != StatusGrounded) {
				continue
			}
			// A newer report dated by a month or a year that has not
			// ended is on record, and OBSERVED_AFTER_AS_OF speaks of it:
			// "a newer source would settle that" would be wrong.
			if slices.ContainsFunc(f.Observations(), func(o Observation) bool { return o.PendingOn(asOf) }) {
				continue
			}
			// A newer source is the fix, not a newer date (CONTRIBUTING):
			// the tracker already reads an old sighting as not enough.
			advice := ", so the tracker does not count it as flying now; a newer source saying what became of it would settle that"
			if obs.Status == StatusGrounded {
				advice = "; the tracker still counts it as grounded, and a newer source would show whether it still is"
			}
			out = append(out, Diagnostic{File: e.File, Line: f.Pos.Line, Col: f.Pos.Col, Severity: SevWarning, Code: CodeStaleEvidence,
				Message: fmt.Sprintf("fleet[%d] (%s) was last observed %s %s, more than %d months before %s%s",
					f.Index+1, label, obs.Status, obs.Date, StaleMonths, asOf, advice)})
		}
	}
	return out
}

// earliest returns the observation of the earliest date, by first day (of
// dates starting on one day, the first listed).
func earliest(obs []Observation) Observation {
	first := obs[0]
	for _, o := range obs[1:] {
		if o.Date.Before(first.Date) {
			first = o
		}
	}
	return first
}

// fleetLabel names a fleet item in a warning: "dji Mavic 3", or
// "Mavic 3 (make unknown)".
func fleetLabel(f *FleetItem) string {
	if f.UnknownMake {
		if f.Model == "" {
			return "unknown" // "fleet[3] (unknown)", as the file says
		}
		return f.Model + " (make unknown)"
	}
	label := f.Vendor.Slug()
	if f.Model != "" {
		label += " " + f.Model
	}
	return label
}

// sectionOf returns the section of an entry ID: "laws" for "laws/asda".
func sectionOf(id string) string {
	sec, _, _ := strings.Cut(id, "/")
	return sec
}
