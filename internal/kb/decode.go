package kb

import (
	"fmt"
	"math"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/titlesort"
)

// decoder turns a front-matter tree into an Entry, collecting every problem.
type decoder struct {
	e     *Entry
	lines []string    // the file's lines, once a message quotes one (line)
	pool  *stringPool // one string for each ID and short value of the load
	diags Diagnostics
	// cites are the fleet and history sources, checked against the
	// entry's sources once those are read. Every item's are checked, also
	// those of an item with other problems: check reports all at once.
	cites []citedSource
	// observed are the fleet's dated observations with the source each
	// cites, checked against the date of that source once the entry's
	// sources are read.
	observed []observedCite
	// provs are a law's listed provisions as written, resolved once the
	// whole front matter is read.
	provs []*rawProvision
	// country is the entry's country, if valid, to check its region by;
	// region its region as written, to say which language it defaults to.
	entryCountry, entryRegion string
	// sourcesWritten is how many sources the front matter lists, those
	// refused (a bad URL) included: a citation of one of those is not
	// also out of range.
	sourcesWritten int
	// sourceURLs are the URLs of the sources as written, "" for one
	// refused; numbered are the fleet, history and exemption sources
	// written as a source's number: both to say which URL to write.
	sourceURLs []string
	numbered   []numberedSource
	// refused are the URLs as written of the sources refused ("" for one
	// with none): a fleet item citing one of them is not reported as
	// well, its source's own error is.
	refused []string
	// listed are the sources' URLs, each with the index of the first
	// source that gives it in the list as written; documents are the
	// first source of each documentKey: a URL cited is looked up there.
	listed    map[string]int
	documents map[string]listedSource
	// unknown are the top-level keys its type does not have.
	unknown []field
	// src is the file, to show a line of it as it should be written.
	src []byte
	// root is the front matter, to see which keys it gives.
	root *node
	// adopt is the items a list of the front matter holds that are
	// another list's, whose key line is missing (listOfAnother): read as
	// that list once the list is read, as if its key were there.
	adopt *adoption
	// started is a list item told that the line that starts it is
	// missing ("- url: …"): its first field is not reported missing too.
	started *node
}

type adoption struct {
	field *Field
	list  *node // the value to read as field's
}

func (d *decoder) report(sev Severity, pos Pos, code Code, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{
		File: d.e.File, Line: pos.Line, Col: pos.Col, Severity: sev, Code: code,
		Message: fmt.Sprintf(format, args...),
	})
}

func (d *decoder) errorf(pos Pos, code Code, format string, args ...any) {
	d.report(SevError, pos, code, format, args...)
}

func (d *decoder) warnf(pos Pos, code Code, format string, args ...any) {
	d.report(SevWarning, pos, code, format, args...)
}

// val is a field's value once checked against its declaration: the member
// its kind fills in, and the node it was read from.
type val struct {
	n     *node
	s     string // text, enum, url, country, region, tag; a reference's Also value
	date  Date
	num   int
	ref   Ref   // ref, id
	items []val // list
}

// scope says where a table sits in the front matter, for messages.
type scope struct {
	path  string // what prefixes its fields' names in messages: "fleet[1]"; "" at the top
	noun  string // the table in messages: "a fleet item", "front matter", "restricts"
	who   string // what needs a required field: "an agency", "fleet[1]", "a source"
	owner string // the field whose value the table is, naming the field references are in: "fleet" for fleet.vendor
	top   bool   // the entry's own front matter
}

func (sc scope) name(field string) string {
	if sc.path == "" {
		return field
	}
	return sc.path + "." + field
}

// label is the field that a reference in the table is written in, for
// its backlink ("fleet.vendor"); messages name it where it is, by name
// ("fleet[2].vendor").
func (sc scope) label(field string) string {
	if sc.owner == "" {
		return field
	}
	return sc.owner + "." + field
}

// setters say what to do with each field's checked value.
type setters map[string]func(x val)

// keysGiven are the keys a table gives, and where each is written: a slot
// for each field of the table's Object, in its order, that says whether
// the key is absent, written without a value, or given one. A
// table is decoded for each source, fleet item and provision of every
// entry; three maps a table (keys seen, keys given, values) were a tenth
// of what loading 100,000 entries allocated.
type keysGiven struct {
	o     *Object
	slots []keySlot
}

type keySlot struct {
	pos   Pos
	state uint8 // keyAbsent, keyNull or keyGiven
}

const (
	keyAbsent uint8 = iota
	keyNull         // written with no value
	keyGiven
)

// pos returns where the key name is written, if it has a value.
func (g keysGiven) pos(name string) (Pos, bool) {
	if i := g.o.index(name); i >= 0 {
		return g.slots[i].pos, g.slots[i].state == keyGiven
	}
	return Pos{}, false
}

// at returns where the key name is written, or the zero Pos.
func (g keysGiven) at(name string) Pos {
	p, _ := g.pos(name)
	return p
}

// has reports whether the key name has a value.
func (g keysGiven) has(name string) bool {
	_, ok := g.pos(name)
	return ok
}

// table decodes n against the declaration o: it reports keys given twice,
// unknown keys, values of the wrong kind and missing required fields, and
// hands each good value to its setter. It returns the keys given with a
// non-null value. A missing required field is reported at at, or at its
// key if it has no value.
func (d *decoder) table(n *node, o *Object, sc scope, set setters, at Pos) keysGiven {
	given := keysGiven{o: o, slots: make([]keySlot, len(o.Fields))}
	// The values of the fields a condition reads: few tables have one.
	type fieldVal struct {
		name string
		x    val
	}
	var condVals []fieldVal
	// apply reads the value v of the field f, and hands it to its setter
	// and, when a condition reads fields, to the conditions.
	apply := func(f *Field, v *node) {
		x, ok := d.value(f, v, sc.name(f.Name), sc)
		if !ok {
			return
		}
		if len(o.Conditions) > 0 {
			condVals = append(condVals, fieldVal{f.Name, x})
		}
		if s := set[f.Name]; s != nil {
			s(x)
		}
	}
	switch {
	case n.kind == scalarNode && o.Shorthand != "":
		i := o.index(o.Shorthand)
		f := o.Fields[i]
		if strings.TrimSpace(n.text) == "" {
			d.errorf(n.pos, CodeFieldEmpty, "%s is empty; give %s, or remove the item", sc.path, f.valueHint())
			return given
		}
		if x, ok := d.value(f, n, sc.path, sc); ok {
			given.slots[i] = keySlot{n.pos, keyGiven}
			set[f.Name](x)
		}
		return given
	case n.kind != mapNode:
		d.errorf(n.pos, CodeFieldType, "%s must be a table of keys, not %s", sc.noun, n.describe())
	}
	merged := false             // a key given twice reported as two items run together
	var unknown map[string]bool // unknown keys seen, made for the first
	// meant are the fields the unknown keys are told they were meant to
	// be ("contry": country): such a field is not also reported missing.
	var meant []string
	for k, fl := range n.fields {
		i := o.index(fl.key)
		if i < 0 {
			if unknown[fl.key] {
				d.errorf(fl.pos, CodeKeyDuplicate, "key %q is given twice in %s; keep one", fl.key, sc.noun)
				continue
			}
			if unknown == nil {
				unknown = map[string]bool{}
			}
			unknown[fl.key] = true
			var prev *field
			if k > 0 {
				prev = &n.fields[k-1]
			}
			m := d.unknownField(fl, prev, sc, o)
			if m == "" {
				continue
			}
			meant = append(meant, m)
			// Its value is read as the field it was meant to be, if that
			// is not written too, and what it says of that value is not
			// reported, now or by the checks made once the front matter
			// is read: "source:" for sources was one error and, once for
			// each fleet item and citation, a source not listed. Once
			// the key is spelt right, its value is checked.
			if j := o.index(m); n.get(m) == nil && given.slots[j].state == keyAbsent && fl.val.kind != nullNode {
				reported, observed := len(d.diags), len(d.observed)
				given.slots[j] = keySlot{fl.pos, keyGiven}
				apply(o.Fields[j], fl.val)
				d.diags, d.observed = d.diags[:reported], d.observed[:observed]
			}
			continue
		}
		if sl := given.slots[i]; sl.state == keyNull && fl.val.kind != nullNode && sl.pos.Line > 0 {
			// "sources:" written twice, the first time with nothing
			// under it: the second is read, where the first stood and
			// left the entry without the sources it lists.
			d.errorf(sl.pos, CodeKeyDuplicate, "key %q is given twice in %s, here with no value and on line %d with one; remove this line", fl.key, sc.noun, fl.pos.Line)
			given.slots[i].state = keyAbsent
		}
		if given.slots[i].state != keyAbsent {
			if (o == sourceObject || o == observationObject) && n.kind == mapNode && !merged && !sameAsBefore(n, k) {
				// Two sources or history observations run together,
				// the line that starts the second deleted ("- url: …"):
				// said once for the item. (A fleet item's status given
				// twice is more often a newer observation than another
				// item.)
				merged = true
				d.errorf(fl.pos, CodeKeyDuplicate, "key %q is given twice in %s: if another %s starts here, the line `- %s: …` that starts it is missing; if not, keep one",
					fl.key, sc.noun, itemNoun(o), o.Fields[0].Name)
			} else if !merged {
				d.errorf(fl.pos, CodeKeyDuplicate, "key %q is given twice in %s; keep one", fl.key, sc.noun)
			}
			continue
		}
		f := o.Fields[i]
		if fl.val.kind == nullNode {
			given.slots[i] = keySlot{fl.pos, keyNull}
			continue
		}
		if other := o.exclusiveWith(f.Name, given); other != nil {
			// Two keys for one thing, a provision's effective and its
			// in_force_by: the first stands.
			// Both fields' docs, whichever came first: the contributor
			// chooses between them.
			d.errorf(fl.pos, CodeKeyDuplicate, "%s gives both %s and %s, which say the same thing two ways; keep one (%s: %s; %s: %s)",
				sc.who, other.Name, f.Name, other.Name, other.Doc, f.Name, f.Doc)
			continue
		}
		given.slots[i] = keySlot{fl.pos, keyGiven}
		apply(f, fl.val)
		if a := d.adopt; a != nil && sc.top {
			d.adopt = nil
			if j := o.index(a.field.Name); j >= 0 && given.slots[j].state == keyAbsent {
				given.slots[j] = keySlot{a.list.pos, keyGiven}
				apply(o.Fields[j], a.list)
			}
		}
	}
	for _, f := range o.Fields {
		if f.Required && f.Min == 0 && !slices.Contains(meant, f.Name) {
			d.require(n, given, at, sc.who, f)
		}
	}
	if len(o.NeedOne) > 0 && n.kind == mapNode {
		found := false
		for _, name := range o.NeedOne {
			found = found || given.has(name)
		}
		if !found {
			d.errorf(n.pos, CodeFieldRequired, "%s names no one: give the %s it %s (for example %s: %s)",
				sc.who, orList(o.NeedOne), o.NeedOneVerb, o.NeedOne[len(o.NeedOne)-1], o.Field(o.NeedOne[len(o.NeedOne)-1]).Example)
		}
	}
	for _, c := range o.Conditions {
		i := slices.IndexFunc(condVals, func(v fieldVal) bool { return v.name == c.Field })
		if i < 0 || !slices.Contains(c.Values, condVals[i].x.s) {
			continue
		}
		found := false
		for _, name := range c.NeedOne {
			found = found || given.has(name)
		}
		if !found {
			d.errorf(given.at(c.Field), CodeFieldRequired, "%s %s needs %s", withArticle(condVals[i].x.s), d.e.Type, c.Need)
		}
	}
	return given
}

// fromFile says where what the front matter key f would give, an entry's
// slug, ID or type, comes from, and what to write instead, or "" for
// another key: "an entry's ID comes from its file: content/agencies/nypd.md
// is agencies/nypd; remove id".
func (d *decoder) fromFile(f field) string {
	key := strings.ToLower(f.key)
	switch key {
	case "slug", "id":
		what := map[string]string{"slug": "slug", "id": "ID"}[key]
		is := d.e.ID
		if key == "slug" {
			is = d.e.Slug
		}
		return fmt.Sprintf("an entry's %s comes from its file: %s is %s; remove %s, and rename the file to change it", what, d.e.File, is, f.key)
	case "type", "section":
		dir := path.Dir(d.e.File) + "/"
		msg := fmt.Sprintf("an entry's type comes from its folder: %s holds %s; remove %s", dir, SectionFor(d.e.Type).Plural, f.key)
		if v := f.val; v.kind == scalarNode {
			// type: vendor in agencies/: the file is in the wrong folder.
			want := strings.ToLower(strings.TrimSpace(v.text))
			for _, s := range Sections {
				if (want == string(s.Type) || want == s.Dir) && s.Type != d.e.Type {
					msg += fmt.Sprintf(", and move the file to %s/ to make it one of the %s", path.Join(path.Dir(path.Dir(d.e.File)), s.Dir), s.Plural)
				}
			}
		}
		return msg
	}
	return ""
}

// orList joins names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// unknownField reports the key f, which the table o does not have, and
// returns the field it suggests instead, if any. prev is the key before
// it in the table, if any.
func (d *decoder) unknownField(f field, prev *field, sc scope, o *Object) (meant string) {
	msg := fmt.Sprintf("unknown field %q in %s", f.key, sc.noun)
	names := o.Names()
	if sc.top {
		d.unknown = append(d.unknown, f)
	}
	m := meaning(f.key, names)
	if why := d.fromFile(f); why != "" && sc.top {
		// Other generators' front matter (Hugo's slug, Jekyll's id and
		// type): what they say here comes from the file's name and
		// folder, which a list of the known fields does not tell.
		msg += "; " + why
	} else if item, in, ok := dedentedFrom(f, prev, o, m); ok {
		// A key of the list's last item moved out of it to the start of
		// the line, the field a near spelling or another type has or not
		// (found in review: source was told "did you mean sources?",
		// count "did you mean country?").
		indent := ""
		if len(item.fields) > 0 {
			indent = fmt.Sprintf(" (%d spaces)", item.fields[0].pos.Col-1)
		}
		msg += fmt.Sprintf("; %s is a field of each item of %s: if it belongs to the item above, %s[%d], indent it as that item's keys%s",
			f.key, in.Name, in.Name, len(prev.val.items), indent)
	} else if top := FrontMatter(d.e.Type).Field(f.key); top != nil && !sc.top && !strings.ContainsAny(sc.path, ".[") && d.root != nil && d.root.get(f.key) == nil && d.adopt == nil {
		// A law's measure indented under its restricts: the entry's
		// own field, read as it, so that it is not reported missing
		// as well. Only in a table of the entry's own (restricts,
		// binds): under a provision's binds, measure is the
		// provision's (found in review).
		msg += fmt.Sprintf("; %s is a field of the %s itself: start it at the beginning of the line", f.key, d.e.Type)
		d.adopt = &adoption{field: top, list: f.val}
	} else if m != "" {
		msg += "; did you mean " + quote(m) + "?"
		meant = m
	} else if owners := fieldOwners[f.key]; len(owners) > 0 && sc.top {
		var ts []string
		for _, t := range owners {
			ts = append(ts, string(t))
		}
		msg += fmt.Sprintf(" (%s is a field of %s entries)", f.key, strings.Join(ts, " and "))
	} else if in := nestedIn(o, f.key); in != nil && in.Kind == KindList {
		// A law's in_force_by, which only its provisions take.
		msg += fmt.Sprintf("; %s is a field of each item of %s: write %s: [{…, %s: …}]", f.key, in.Name, in.Name, f.key)
	} else if in != nil {
		msg += fmt.Sprintf("; %s is a field of %s: write %s: {%s: …}", f.key, in.Name, in.Name, f.key)
	} else {
		msg += "; known fields: " + strings.Join(slices.Sorted(slices.Values(names)), ", ")
	}
	d.errorf(f.pos, CodeFieldUnknown, "%s", msg)
	return meant
}

// dedentedFrom reports whether the key f, which the table o does not
// have, follows prev, a list of tables (fleet) whose items take f: a key
// of its last item, maybe, moved out of it. It returns that item and the
// list's field. A list or table under f, where the item's field takes
// neither, is rather the field of o spelt near it, meant ("source:" over
// a list of sources).
func dedentedFrom(f field, prev *field, o *Object, meant string) (*node, *Field, bool) {
	// A list in brackets has no items to indent a key under.
	if prev == nil || prev.val.kind != listNode || len(prev.val.items) == 0 || prev.val.pos.Line <= prev.pos.Line {
		return nil, nil, false
	}
	in := o.Field(prev.key)
	if in == nil || in.Kind != KindList || in.Elem == nil || in.Elem.Object == nil || in.Elem.Object.Field(f.key) == nil {
		return nil, nil, false
	}
	if k := in.Elem.Object.Field(f.key).Kind; meant != "" && (f.val.kind == listNode || f.val.kind == mapNode) && k != KindList && k != KindObject {
		return nil, nil, false
	}
	item := prev.val.items[len(prev.val.items)-1]
	if item.kind != mapNode || item.pos.Line >= f.pos.Line || f.pos.Col >= item.pos.Col {
		return nil, nil, false
	}
	return item, in, true
}

// nestedIn returns the field of o whose table, or whose list's tables,
// have a field called key, or nil.
func nestedIn(o *Object, key string) *Field {
	for _, f := range o.Fields {
		inner := f.Object
		if f.Kind == KindList && f.Elem != nil {
			inner = f.Elem.Object
		}
		if inner != nil && inner.Field(key) != nil {
			return f
		}
	}
	return nil
}

// require reports the required field f of table n when it has no value:
// at its key when it is written without one, else at at.
func (d *decoder) require(n *node, given keysGiven, at Pos, who string, f *Field) {
	if given.has(f.Name) || n == d.started && f == given.o.Fields[0] {
		return
	}
	if n.kind == mapNode {
		for _, fl := range n.fields {
			if fl.key == f.Name {
				d.errorf(fl.pos, CodeFieldRequired, "%s needs %q (%s); it has no value", who, f.Name, f.Hint())
				return
			}
		}
	}
	d.errorf(at, CodeFieldRequired, "%s needs %q (%s)", who, f.Name, f.Hint())
}

// value checks v against the field f, which messages call name, and
// returns it as f's kind reads it. A list's items are checked one by one,
// except tables, which their setter decodes against their own declaration.
func (d *decoder) value(f *Field, v *node, name string, sc scope) (val, bool) {
	x := val{n: v}
	if f.Required && f.Kind != KindList && f.Kind != KindObject && v.kind == scalarNode && strings.TrimSpace(v.text) == "" {
		// Removing the key, what text says of an empty value, would
		// leave it missing.
		d.errorf(v.pos, CodeFieldEmpty, "%s is empty, but it is required: give %s", name, f.valueHint())
		return x, false
	}
	var ok bool
	switch f.Kind {
	case KindText:
		x.s, ok = d.text(v, name, f.Max)
	case KindDate:
		x.date, ok = d.date(v, name, f.Day)
		if ok && x.date.Year < f.Since {
			d.errorf(v.pos, CodeDate, "%s %s is before %d, and no record of drones is that old; check the year against the source", name, x.date, f.Since)
			ok = false
		}
		if ok && f.Day && x.date.Day == 0 {
			given, full := "a year", fmt.Sprintf("%04d-MM-DD", x.date.Year)
			if x.date.Month != 0 {
				given, full = "a month", fmt.Sprintf("%04d-%02d-DD", x.date.Year, x.date.Month)
			}
			d.errorf(v.pos, CodeDate, "%s %s gives only %s; %s is %s: write that day in full, YYYY-MM-DD (%s)",
				name, x.date, given, f.Name, strings.TrimSuffix(f.Doc, ", YYYY-MM-DD"), full)
			ok = false
		}
	case KindEnum:
		if f.Name == "lang" || f.Name == "title_lang" {
			x.s, ok = d.lang(v, name, f.Enum)
			break
		}
		x.s, ok = d.enum(v, name, f.Enum)
	case KindURL:
		if n, numbered := sourceNumber(v); numbered && f.Name == "source" {
			// source: 2, as the text cites [2]: told once the
			// entry's sources are read, with the URL to write.
			d.numbered = append(d.numbered, numberedSource{n: n, pos: v.pos, what: name})
			ok = false
			break
		}
		x.s, ok = d.url(v, name)
	case KindCountry:
		x.s, ok = d.country(v, name)
	case KindRegion:
		x.s, ok = d.region(v, name, d.entryCountry)
	case KindCount:
		x.num, ok = d.integer(v, name)
	case KindRef:
		if v.kind == scalarNode && len(f.Also) > 0 {
			s := strings.TrimSpace(v.text)
			if slices.Contains(f.Also, s) {
				x.s = s
				return x, true
			}
			for _, also := range f.Also {
				if strings.EqualFold(s, also) {
					// "Unknown": read as meant, and reported.
					d.errorf(v.pos, CodeSlugInvalid, "%s %q is not a slug (lower-case a-z, 0-9 and -): write %s: %s, in lower case", name, s, f.Name, also)
					x.s = also
					return x, true
				}
			}
			if also := meantAlso(s, f.Also); also != "" && slugify(s) == "" {
				// "?", "-": no slug, so no vendor either.
				d.errorf(v.pos, CodeSlugInvalid, "%s %q is not a slug (lower-case a-z, 0-9 and -)%s", name, s, alsoHint(name, also))
				return x, false
			}
		}
		x.ref, ok = d.ref(v, name, sc.label(f.Name), f.Ref)
	case KindID:
		x.ref, ok = d.entryID(v, name)
	case KindTag:
		x.s, ok = d.tag(v, name, f.Max)
	case KindObject:
		return x, true
	case KindList:
		seen := map[string]bool{}
		if v.kind == scalarNode && f.Elem.Kind != KindObject && strings.Contains(v.text, ",") {
			v = d.commaList(v, f, name)
		}
		if f.Elem.Kind == KindObject && f.Elem.Object == observationObject && v.kind == mapNode && len(v.fields) > 0 &&
			!slices.ContainsFunc(v.fields, func(k field) bool { return !isDate(k.key) }) {
			// history: {2023-01-05: grounded, …}: dates as keys.
			k := v.fields[0]
			d.errorf(v.pos, CodeFieldType, "%s must be a list of observations, each a table of its date, status and source, not a table of dates: write - {date: %s, status: %s, source: https://…} for each",
				name, strings.TrimSpace(k.key), statusOf(k.val))
			return x, false
		}
		if f.Elem.Kind == KindObject && v.kind == mapNode && d.itemsWithoutDash(v, f.Elem.Object) {
			// The keys of an item whose "- " is missing: one item.
			if first := f.Elem.Object.Fields[0]; first.Required && v.get(first.Name) == nil {
				// Its "- url: …" line deleted, rather than the "- "
				// alone: writing "- title: …" would leave it without
				// its url.
				example := "…"
				if first.Kind == KindURL {
					example = "https://…"
				}
				d.errorf(v.pos, CodeFieldType, "%s must be a list: each %s starts with `- %s: …`, a line this one lacks; write `%s- %s: %s` above line %d",
					name, itemNoun(f.Elem.Object), first.Name, strings.Repeat(" ", max(v.pos.Col-3, 0)), first.Name, example, v.pos.Line)
				d.started = v
			} else {
				d.errorf(v.pos, CodeFieldType, "%s must be a list: each %s starts with \"- \"; write `%s`",
					name, itemNoun(f.Elem.Object), d.withDash(v.fields[0].pos))
			}
			v = &node{kind: listNode, pos: v.pos, items: []*node{v}}
		}
		if other, at, ok := d.listOfAnother(f, v, sc); ok {
			// The fleet's items below related, their "fleet:" line
			// deleted: one error, where each item was told "related
			// must be text, not a table of keys".
			item := v.items[at]
			keys := fieldNames(item.fields)
			if len(keys) > 2 {
				keys = append(keys[:2], "…")
			}
			d.errorf(item.pos, CodeFieldType, "%s: the items from here on have the keys of %ss (%s); if they are, write `%s:` on a line of its own above this one",
				name, itemNoun(other.Elem.Object), strings.Join(keys, ", "), other.Name)
			// They are read as that list's, so that what they say (a
			// source the fleet cites) is not reported as missing too.
			d.adopt = &adoption{field: other, list: &node{kind: listNode, pos: item.pos, items: v.items[at:]}}
			v = &node{kind: listNode, pos: v.pos, items: v.items[:at]}
		}
		for _, item := range d.list(v, name, f.Max) {
			if f.Elem.Kind == KindObject {
				for _, part := range d.splitItem(item, f.Elem.Object) {
					if len(x.items) < f.Max { // each item found is reported already
						x.items = append(x.items, val{n: part})
					}
				}
				continue
			}
			y, ok := d.value(f.Elem, item, sc.name(f.Elem.Name), sc)
			if !ok {
				continue
			}
			key := y.s + y.ref.ID
			switch f.Elem.Kind {
			case KindTag:
				if seen[key] {
					continue
				}
			case KindRef, KindEnum, KindID:
				if seen[key] {
					shown := y.s
					if f.Elem.Kind == KindRef {
						shown = y.ref.Slug()
					} else if f.Elem.Kind == KindID {
						shown = y.ref.ID
					}
					d.warnf(item.pos, CodeRefDuplicate, "%s lists %q twice", name, shown)
					continue
				}
			}
			seen[key] = true
			x.items = append(x.items, y)
		}
		return x, true
	default:
		panic("kb: field " + f.Name + " has no kind")
	}
	return x, ok
}

// byteOfColumn is where in line its col-th character (from 1) starts, or
// -1 when the line is shorter.
func byteOfColumn(line string, col int) int {
	if col < 1 {
		return -1
	}
	n := 1
	for i := range line {
		if n == col {
			return i
		}
		n++
	}
	return -1
}

// commaList reports a list written as one text with commas in it (tags:
// police, dji), which reads as a single value, and returns the list that
// was meant: the text's parts, each where it is written when that can be
// told (a value on one line, quoted or not), else where the text starts.
func (d *decoder) commaList(v *node, f *Field, name string) *node {
	var parts []string
	list := &node{kind: listNode, pos: v.pos}
	at := -1 // the offset of the text in the value as written, if it is known
	// Columns count characters, not bytes (tags: sécurité, x).
	if raw, start := d.line(v.pos.Line), byteOfColumn(d.line(v.pos.Line), v.pos.Col); start >= 0 && start < len(raw) {
		switch raw = raw[start:]; {
		case strings.HasPrefix(raw, v.text):
			at = 0
		case raw[0] == '"' || raw[0] == '\'':
			if strings.HasPrefix(raw[1:], v.text) {
				at = 1
			}
		}
	}
	off := 0
	for part := range strings.SplitSeq(v.text, ",") {
		item := strings.TrimSpace(part)
		if item != "" {
			pos := v.pos
			if at >= 0 {
				pos.Col += at + utf8.RuneCountInString(v.text[:off]) + utf8.RuneCountInString(part[:strings.Index(part, item)])
			}
			parts = append(parts, item)
			list.items = append(list.items, &node{kind: scalarNode, pos: pos, text: item, stype: strScalar})
		}
		off += len(part) + 1
	}
	fix := fmt.Sprintf("%s: [%s]", f.Name, strings.Join(parts, ", "))
	if d.e.Format != "yaml" {
		quoted := make([]string, len(parts))
		for i, p := range parts {
			quoted[i] = strconv.Quote(p)
		}
		fix = fmt.Sprintf("%s = [%s]", f.Name, strings.Join(quoted, ", "))
		if d.e.Format == "json" {
			fix = fmt.Sprintf("%q: [%s]", f.Name, strings.Join(quoted, ", "))
		}
	}
	d.errorf(v.pos, CodeFieldType, "%s is a list, but %q is one text with commas in it: write %s", name, v.text, fix)
	return list
}

// itemNoun names the items of a list of o's tables: "fleet item".
func itemNoun(o *Object) string {
	return strings.TrimPrefix(strings.TrimPrefix(o.Noun, "a "), "an ")
}

// listOfAnother reports whether the list v of the front matter's field f
// goes on with the items of another of its lists, whose key the front
// matter lacks: fleet items below related, or sources below the fleet,
// a "fleet:" or "sources:" line deleted. It returns that field and the
// index of its first item: the first item that is a table f's items are
// not decides, if it gives the other list's first field.
func (d *decoder) listOfAnother(f *Field, v *node, sc scope) (*Field, int, bool) {
	if !sc.top || v.kind != listNode || d.root == nil {
		return nil, 0, false
	}
	for at, n := range v.items {
		if n.kind != mapNode || len(n.fields) == 0 {
			continue
		}
		if f.Elem.Kind == KindObject && !slices.ContainsFunc(n.fields, func(fl field) bool { return f.Elem.Object.Field(fl.key) == nil }) {
			continue // one of f's own items
		}
		for _, other := range FrontMatter(d.e.Type).Fields {
			if other.Name == f.Name || other.Kind != KindList || other.Elem == nil || other.Elem.Object == nil || d.root.get(other.Name) != nil {
				continue
			}
			// Its items start with their list's first field (a fleet
			// item's vendor, a source's url): a source written with
			// "source:" for "url:" has a key of a fleet item alone, and
			// moved every source from it on into the fleet (found in
			// review).
			if n.get(other.Elem.Object.Fields[0].Name) != nil && !slices.ContainsFunc(n.fields, func(fl field) bool { return other.Elem.Object.Field(fl.key) == nil }) {
				return other, at, true
			}
		}
		return nil, 0, false
	}
	return nil, 0, false
}

// itemsWithoutDash reports whether a table given where a list of o's
// tables is expected holds the keys of such a table: an item written
// without its "- ".
func (d *decoder) itemsWithoutDash(v *node, o *Object) bool {
	if len(v.fields) == 0 || d.e.Format != "yaml" || d.inBraces(v) {
		return false
	}
	for _, fl := range v.fields {
		if o.index(fl.key) < 0 {
			return false
		}
	}
	return true
}

// splitItem returns the items a list item of o's tables holds: itself,
// unless it gives again the keys that start an item, as the next item
// does when its "- " is missing:
//
//	fleet:
//	  - vendor: dji
//	    status: active
//	    vendor: aerofalke   ← another item, without its "- "
//	    status: retired
//
// A key of o given again starts another item when it is the key the item
// started with or the first field of o (a fleet item's vendor, a
// source's url). Each item so found is reported, with its first line as
// it should be written; any other key given twice is left to table: a
// newer status and as_of added under an item's own are two keys given
// twice, not a new item (found in review).
func (d *decoder) splitItem(v *node, o *Object) []*node {
	if v.kind != mapNode || len(v.fields) < 2 || d.e.Format != "yaml" || d.inBraces(v) {
		return []*node{v}
	}
	var out []*node
	start := 0
	run := map[string]bool{v.fields[0].key: true} // the keys of the item so far
	for j := 1; j < len(v.fields); j++ {
		key := v.fields[j].key
		if !run[key] || o.index(key) < 0 {
			run[key] = true
			continue
		}
		if key != v.fields[start].key && key != o.Fields[0].Name {
			continue // given twice, reported by table
		}
		pos := v.pos
		if start > 0 {
			pos = v.fields[start].pos
		}
		out = append(out, &node{kind: mapNode, pos: pos, fields: v.fields[start:j]})
		noun := itemNoun(o)
		d.errorf(v.fields[j].pos, CodeSyntax, "YAML: %s here starts another %s without the \"- \" that starts each %s; write `%s`",
			key, noun, noun, d.withDash(v.fields[j].pos))
		start = j
		clear(run)
		run[key] = true
	}
	if start == 0 {
		return []*node{v}
	}
	return append(out, &node{kind: mapNode, pos: v.fields[start].pos, fields: v.fields[start:]})
}

// inBraces reports whether the table v is written in braces ({vendor:
// dji, status: active}): a "- " cannot go before its keys, so it is no
// item missing one (found in review: the advice was not YAML).
func (d *decoder) inBraces(v *node) bool {
	line := d.line(v.pos.Line)
	c := v.pos.Col - 1
	return c >= 0 && c < len(line) && line[c] == '{'
}

// line returns line n of the file (from 1), without its line ending: the
// file is cut into lines once, however many messages quote it (a file of
// 25,000 keys each quoted was cut 25,000 times).
func (d *decoder) line(n int) string {
	if d.lines == nil {
		d.lines = strings.Split(string(d.src), "\n")
	}
	if n < 1 || n > len(d.lines) {
		return ""
	}
	return strings.TrimRight(d.lines[n-1], "\r")
}

// withDash returns the line of the file whose key starts at pos as it
// reads with the "- " of a list item before the key: in place of the two
// spaces there, so that the keys below stay in line with it.
func (d *decoder) withDash(pos Pos) string {
	line := d.line(pos.Line)
	c := pos.Col - 1
	if c > len(line) {
		return ""
	}
	if c >= 2 && line[c-2:c] == "  " {
		return line[:c-2] + "- " + line[c:]
	}
	return line[:c] + "- " + line[c:]
}

// refAlso are the values besides slugs that reference fields take, by
// the fields' names in messages: a fleet item's vendor may be unknown.
var refAlso = map[string][]string{"fleet.vendor": fleetObject.Field("vendor").Also}

// meantAlso returns the value of also (a fleet item's vendor: unknown)
// that s most likely stands for, or "": that value in another case or
// misspelt ("Unknown", "unkown", "unknwon"), or a placeholder written for
// it ("none", "n/a", "?", "-").
func meantAlso(s string, also []string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	for _, a := range also {
		if a != UnknownVendor {
			continue
		}
		if strings.Trim(s, "?-—–_./ ") == "" || slices.Contains(unknownWords, s) || strings.HasPrefix(s, a) ||
			len(s) >= 5 && editDistance(s, a) <= 2 {
			return a
		}
	}
	return ""
}

// unknownWords are what contributors write where the make of a fleet
// item is not known.
var unknownWords = []string{"none", "n/a", "n-a", "na", "n.a.", "nil", "null", "tbd", "tbc", "not-known", "not known",
	"unspecified", "not specified", "unidentified", "unnamed", "inconnu", "inconnue", "unbekannt", "desconocido"}

// alsoHint tells what to write for the value also of the reference field
// named field (as messages name it: "fleet.vendor").
func alsoHint(field, also string) string {
	key := field[strings.LastIndexByte(field, '.')+1:]
	if also == UnknownVendor {
		return fmt.Sprintf("; if no source establishes the make, write %s: %s, the value reserved for that", key, also)
	}
	return fmt.Sprintf("; did you mean %s: %s?", key, also)
}

// pooledLen is the longest text the decoder takes from its pool (a
// value repeated across entries: a tag, a status, a model); longer ones
// stay the entry's own, in its longText.
const pooledLen = 32

// text reads a scalar as text. Numbers and dates are taken as written.
func (d *decoder) text(v *node, name string, limit int) (string, bool) {
	if v.kind != scalarNode {
		d.errorf(v.pos, CodeFieldType, "%s must be text, not %s", name, v.describe())
		return "", false
	}
	s := strings.TrimSpace(v.text)
	if s == "" {
		d.errorf(v.pos, CodeFieldEmpty, "%s is empty; give a value or remove the key", name)
		return "", false
	}
	if utf8.RuneCountInString(s) > limit {
		d.errorf(v.pos, CodeFieldTooLong, "%s is %d characters long; keep it under %d", name, utf8.RuneCountInString(s), limit)
		return "", false
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f }); i >= 0 {
		d.errorf(v.pos, CodeFieldType, "%s contains a control character (%U); remove it", name, []rune(s[i:])[0])
		return "", false
	}
	if i := strings.IndexFunc(s, bidiControl); i >= 0 {
		d.errorf(v.pos, CodeFieldType, "%s contains a bidirectional control character (%U), which would reverse the text after it wherever the value is shown, in the tracker's sentences too; remove it", name, []rune(s[i:])[0])
		return "", false
	}
	if v.cut != "" {
		// Journalists write "Drone #2" and "Local #1"; YAML reads " #"
		// as the start of a comment and publishes the value cut short.
		key := name[strings.LastIndexByte(name, '.')+1:]
		d.warnf(v.pos, CodeValueCut, "%s ends at %q, where YAML starts a comment: it reads %q and drops %q; if the # belongs to the %s, put the whole value in quotes: %s: %q",
			name, " #", s, v.cut, key, key, s+" "+v.cut)
	}
	if len(s) <= pooledLen {
		s = d.pool.same(s)
	}
	return s, true
}

// bidiControl reports whether r embeds, overrides or isolates a run of
// text's direction (U+202A–U+202E, U+2066–U+2069). A value is shown inside
// the site's own sentences ("Last seen flying DJI <model> on …"), where an
// override in the model would reverse the rest of the verdict. The marks
// that only set the direction of the characters next to them (U+200E,
// U+200F, U+061C) are allowed: names in Arabic or Hebrew script need them.
func bidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// list reads a list; a single scalar counts as a list of one.
func (d *decoder) list(v *node, name string, limit int) []*node {
	switch v.kind {
	case listNode:
		if len(v.items) > limit {
			d.errorf(v.pos, CodeFieldTooLong, "%s has %d items; at most %d are allowed", name, len(v.items), limit)
			return v.items[:limit]
		}
		return v.items
	case scalarNode:
		return []*node{v}
	}
	d.errorf(v.pos, CodeFieldType, "%s must be a list, not %s", name, v.describe())
	return nil
}

func (d *decoder) enum(v *node, name string, allowed []string) (string, bool) {
	s, ok := d.text(v, name, 100)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	d.errorf(v.pos, CodeFieldEnum, "%s %q is not one of %s%s", name, s, strings.Join(allowed, ", "), youMean(meaning(s, allowed)))
	return "", false
}

// lang reads an entry's lang, one of allowed, saying of another value what
// to write (langAdvice).
func (d *decoder) lang(v *node, name string, allowed []string) (string, bool) {
	s, ok := d.text(v, name, 100)
	if !ok {
		return "", false
	}
	if slices.Contains(allowed, s) {
		return s, true
	}
	advice := langAdvice(s, d.entryCountry, d.entryRegion)
	if name != "lang" && !strings.HasPrefix(advice, "; did you mean") {
		// title_lang, a source's lang: only the site marks them.
		advice = ": titles are marked as English or French only; leave " + name[strings.LastIndex(name, ".")+1:] + " out"
	}
	d.errorf(v.pos, CodeFieldEnum, "%s %q is not one of %s%s", name, s, strings.Join(allowed, ", "), advice)
	return "", false
}

// date reads a date; day says it must give its day (Field.Day).
func (d *decoder) date(v *node, name string, day bool) (Date, bool) {
	if v.kind != scalarNode {
		shape := "YYYY, YYYY-MM or YYYY-MM-DD"
		if day {
			shape = "YYYY-MM-DD"
		}
		d.errorf(v.pos, CodeFieldType, "%s must be a date (%s), not %s", name, shape, v.describe())
		return Date{}, false
	}
	if v.stype == dateTimeScalar {
		d.errorf(v.pos, CodeDate, "%s %q has a time of day; write just the date, YYYY-MM-DD", name, v.text)
		return Date{}, false
	}
	dt, err := parseDate(strings.TrimSpace(v.text), day)
	if err != nil {
		d.errorf(v.pos, CodeDate, "%s: %v", name, err)
		return Date{}, false
	}
	return dt, true
}

func (d *decoder) integer(v *node, name string) (int, bool) {
	if v.kind != scalarNode || v.stype != intScalar {
		d.errorf(v.pos, CodeFieldType, "%s must be a whole number, not %s%s", name, v.describe(), wholeIn(v))
		return 0, false
	}
	p := strings.ReplaceAll(v.text, "_", "")
	n, err := strconv.Atoi(p)
	if err != nil {
		// 0x10, 0o17, 0b101: YAML's numbers, which a count is not
		// written as; the same number in decimal, if it is one.
		if m, err := strconv.ParseInt(p, 0, 64); err == nil && m >= 1 && m <= 1_000_000 {
			base := map[byte]string{'x': "hexadecimal", 'o': "octal", 'b': "binary"}[strings.ToLower(p)[min(1, len(p)-1)]]
			if base == "" {
				base = "another base than 10"
			}
			d.errorf(v.pos, CodeFieldType, "%s %s is written in %s; write it in decimal: %d", name, v.text, base, m)
			return 0, false
		}
	}
	if err != nil || n < 1 || n > 1_000_000 {
		d.errorf(v.pos, CodeFieldType, "%s must be a whole number from 1 to 1000000; leave it out when not known", name)
		return 0, false
	}
	return n, true
}

// numberIn finds the numbers of a text, each alone or its digits grouped
// by thousands with commas or spaces ("1,000", "1 000").
var numberIn = regexp.MustCompile(`\d{1,3}(?:[,\x{a0}\x{202f} ]\d{3})+|\d+`)

// approximate finds what says that a number is not exact: "~12", "12+",
// "about 12", "environ 12".
var approximate = regexp.MustCompile(`(?i)[~≈+<>]|\b(about|around|approx|approximately|roughly|some|over|more than|at least|nearly|almost|up to|circa|ca|c|environ|plus de|près de|moins de)\b`)

// wholeIn says what to write for the count v, which is not a whole
// number, when one can be read out of it: "; write 12" for "12 drones",
// "1,000" or 12.0, "; write 12, without quotes" for "12". A count that was
// only approximate ("~12") is told where to say so. "" when there is none, or
// several ("2 to 3").
func wholeIn(v *node) string {
	if v.kind != scalarNode {
		return ""
	}
	s := strings.TrimSpace(v.text)
	switch v.stype {
	case floatScalar:
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil || f != float64(int(f)) || f < 1 || f > 1_000_000 {
			return ""
		}
		return fmt.Sprintf("; write %d", int(f))
	case strScalar:
	default:
		return ""
	}
	found := numberIn.FindAllString(s, 2)
	if len(found) != 1 {
		return ""
	}
	n, err := strconv.Atoi(strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, found[0]))
	if err != nil || n < 1 || n > 1_000_000 {
		return ""
	}
	switch {
	case isDigits(s):
		// A number of digits alone is text only when quoted.
		return fmt.Sprintf("; write %d, without quotes", n)
	case approximate.MatchString(strings.Replace(s, found[0], "", 1)):
		return fmt.Sprintf("; write %d, and say in note that the count is approximate", n)
	}
	return fmt.Sprintf("; write %d", n)
}

// checkURL validates an http(s) URL: the only links content may carry.
func checkURL(s string) error {
	if len(s) > maxURLLen {
		return fmt.Errorf("is %d bytes long; the limit is %d", len(s), maxURLLen)
	}
	if strings.ContainsAny(s, " \t\n\r\"<>\\^`{|}") {
		return fmt.Errorf("%q contains a space or a character URLs cannot hold; percent-encode it", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an http or https URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host name", s)
	}
	if u.User != nil {
		return fmt.Errorf("%q carries a user name or password before its host; remove it", s)
	}
	return nil
}

func (d *decoder) url(v *node, name string) (string, bool) {
	s, ok := d.text(v, name, maxURLLen+1)
	if !ok {
		return "", false
	}
	if err := checkURL(s); err != nil {
		fixed := withScheme(s)
		switch {
		case strings.HasPrefix(strings.ToLower(s), "mailto:"):
		case fixed != "":
			d.errorf(v.pos, CodeURL, "%s %q is not an http or https URL; did you mean %q?", name, s, fixed)
			return "", false
		case !strings.Contains(s, "://") && strings.Contains(s, " "):
			// "Police drones, Example News, 2026-03-14": a citation.
			hint := "give the web address of the document, https://…"
			if strings.HasPrefix(name, "sources[") {
				hint = "a source is the web address of a document, written `- url: https://…`, with its title optional below it (`title: …`)"
			}
			d.errorf(v.pos, CodeURL, "%s %q is not a URL: %s", name, s, hint)
			return "", false
		}
		d.errorf(v.pos, CodeURL, "%s %v", name, err)
		return "", false
	}
	return s, true
}

// withScheme returns the URL that s, no http(s) URL, most likely is: s
// with the scheme it lacks ("www.dji.com/a", "//www.dji.com/a") or
// misspells ("http//", "https:/", "htps://"), and the "/" of the path
// after a host name alone. It returns "" when s reads as no such URL.
func withScheme(s string) string {
	scheme, rest := "https", s
	// A run of letters, then the colon and slashes of a scheme.
	low := strings.ToLower(s)
	i := strings.IndexFunc(low, func(r rune) bool { return r < 'a' || r > 'z' })
	if i < 0 {
		i = len(low)
	}
	j := i
	for j < len(low) && (low[j] == ':' || low[j] == '/') {
		j++
	}
	if word, sep := low[:i], low[i:j]; sep != "" {
		toHTTP, toHTTPS := editDistance(word, "http"), editDistance(word, "https")
		switch {
		case word == "" && sep == "//":
		case min(toHTTP, toHTTPS) > 1 || sep == "://" && (word == "http" || word == "https"):
			// Another scheme, or no fault in this one.
			return ""
		case toHTTP < toHTTPS:
			scheme = "http"
		}
		rest = s[j:]
	}
	if !looksLikeHost(rest) {
		return ""
	}
	if end := strings.IndexAny(rest, "/?#"); end < 0 {
		rest += "/"
	} else if rest[end] != '/' {
		rest = rest[:end] + "/" + rest[end:]
	}
	return scheme + "://" + rest
}

// looksLikeHost reports whether s starts with a host name, and maybe a
// port, as a URL written without its scheme does: "www.dji.com",
// "example.org/a", "example.org:8080?q=1".
func looksLikeHost(s string) bool {
	host := s
	if end := strings.IndexAny(s, "/?#"); end >= 0 {
		host = s[:end]
	}
	host, port, hasPort := strings.Cut(host, ":")
	if hasPort && (port == "" || strings.Trim(port, "0123456789") != "") {
		return false
	}
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || strings.Contains(host, "..") {
		return false
	}
	for _, r := range host {
		if !(r == '.' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return checkURL("https://"+s) == nil
}

func (d *decoder) country(v *node, name string) (string, bool) {
	// Long enough for a country's name, so that it can be suggested a code.
	s, ok := d.text(v, name, 100)
	if !ok {
		return "", false
	}
	if _, ok := iso3166.Country(s); !ok {
		// No edit-distance guesses: most two-letter typos are another real
		// country ("CH" is Switzerland, one letter from CN), and a wrong
		// country of origin silently changes what a law restricts. Only
		// another way of naming a country is suggested its code: a code in
		// lower case, an alpha-3 code, the country's name ("USA", "U.S.",
		// "United States" → US).
		hint := ""
		if strings.EqualFold(s, "UK") {
			hint = `; the ISO code of the United Kingdom is "GB"`
		} else if code, ok := iso3166.CountryCode(s); ok {
			hint = "; did you mean " + quote(code) + "?"
		} else if r, ok := iso3166.Region(strings.ToUpper(s)); ok {
			// country: US-NY, the region's code for its country's.
			c, _, _ := strings.Cut(r.Code, "-")
			hint = fmt.Sprintf("; %s is the code of a region (%s): its country's is %q", r.Code, r.Name, c)
		} else {
			hint = "; write the country's two-letter code, such as US, FR or CN"
		}
		d.errorf(v.pos, CodeCountry, "%s %q is not an ISO 3166-1 alpha-2 country code%s", name, s, hint)
		return "", false
	}
	return s, true
}

func (d *decoder) region(v *node, name, country string) (string, bool) {
	// Long enough for a region's name, so that it can be suggested a code.
	s, ok := d.text(v, name, 100)
	if !ok {
		return "", false
	}
	if _, ok := iso3166.Region(s); !ok {
		hint := ""
		if _, ok := iso3166.Region(strings.ToUpper(s)); ok {
			hint = "; did you mean " + quote(strings.ToUpper(s)) + "?"
		} else if country != "" {
			hint = regionHint(s, country)
		}
		d.errorf(v.pos, CodeRegion, "%s %q is not an ISO 3166-2 region code such as US-NY or FR-75%s", name, s, hint)
		return "", false
	}
	if country != "" && !strings.HasPrefix(s, country+"-") {
		d.errorf(v.pos, CodeRegion, "%s %q is not in country %s; a region code starts with its country (%s-…)", name, s, country, country)
		return "", false
	}
	return s, true
}

// regionHint suggests the codes of country's regions that s, not a region
// code, most likely means: the region it names ("Bayern" is DE-BY), the
// code without its country ("NY" is US-NY), or a code one letter from it
// ("DE-BYY") or with two letters swapped ("US-YN"). Two-letter codes one
// letter apart are not alike: DE-XX is not DE-BB, nor US-XX US-TX.
func regionHint(s, country string) string {
	codes := iso3166.RegionsOf(country)
	var found []string
	if want := slugify(s); want != "" {
		// The region of that name, or of the names one or two letters
		// from it ("Thueringen").
		best := 3
		for _, c := range codes {
			r, _ := iso3166.Region(c)
			for _, n := range regionNames(r.Name) {
				d := editDistance(want, n)
				if d > 0 && len(want) < 6 {
					continue
				}
				switch {
				case d < best:
					best, found = d, append(found[:0], c)
				case d == best && !slices.Contains(found, c):
					found = append(found, c)
				}
			}
		}
	}
	if len(found) == 0 {
		if c := country + "-" + strings.ToUpper(s); slices.Contains(codes, c) {
			found = append(found, c)
		}
	}
	if rest, ok := strings.CutPrefix(strings.ToUpper(s), country+"-"); ok && len(found) == 0 && rest != "" {
		for _, c := range codes {
			// One letter more, less or other, or two swapped; of two
			// letters, only swapped: one in common is no likeness.
			code := strings.TrimPrefix(c, country+"-")
			swapped := len(rest) == 2 && len(code) == 2 && rest[0] == code[1] && rest[1] == code[0]
			if editDistance(rest, code) == 1 && (len(rest) > 2 || swapped) {
				found = append(found, c)
			}
		}
	}
	if len(found) == 0 || len(found) > 5 {
		return ""
	}
	named := make([]string, len(found))
	for i, c := range found {
		r, _ := iso3166.Region(c)
		named[i] = fmt.Sprintf("%q (%s)", c, r.Name)
		for _, o := range found {
			// Two of one name: "ES-IB" (Illes Balears, autonomous community).
			if or, _ := iso3166.Region(o); o != c && or.Name == r.Name {
				named[i] = fmt.Sprintf("%q (%s, %s)", c, r.Name, strings.ToLower(r.Type))
			}
		}
	}
	return "; did you mean " + orList(named) + "?"
}

// regionNames returns the ways a region's name from iso3166 may be
// written, as slugs: "Illes Balears [Islas Baleares]" is illes-balears
// and islas-baleares, "Guyane (française)" guyane-francaise and guyane.
func regionNames(name string) []string {
	var out []string
	add := func(s string) {
		if s = slugify(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	main, alt, _ := strings.Cut(name, " [")
	add(main)
	if before, _, ok := strings.Cut(main, " ("); ok {
		add(before)
	}
	if alt = strings.TrimSuffix(alt, "]"); alt != "" {
		// "Sir Ynys Môn GB-YNM": the name without its code.
		if i := strings.LastIndexByte(alt, ' '); i > 0 && strings.Contains(alt[i:], "-") && strings.ToUpper(alt[i:]) == alt[i:] {
			alt = alt[:i]
		}
		add(alt)
	}
	return out
}

// ValidSlug reports whether s is a valid slug: a-z, 0-9 and '-', 1 to 80 long.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ref reads a typed reference: a bare slug of the given type's section.
// ref reads a reference to an entry of type want; name is the reference
// in messages ("fleet[2].vendor"), field the field it is written in
// ("fleet.vendor").
func (d *decoder) ref(v *node, name, field string, want Type) (Ref, bool) {
	s, ok := d.text(v, name, 200)
	if !ok {
		return Ref{}, false
	}
	sec := SectionFor(want)
	if strings.HasPrefix(s, sec.Dir+"/") {
		d.warnf(v.pos, CodeSlugInvalid, "%s takes a bare slug: write %q, not %q", name, strings.TrimPrefix(s, sec.Dir+"/"), s)
		s = strings.TrimPrefix(s, sec.Dir+"/")
	}
	written := ""
	// Named only when typing it plainly makes a slug: "Skydio – X2" is
	// better told what slug to write (found in review).
	if la, plain := lookAlike(s); la != "" && ValidSlug(plain) {
		d.errorf(v.pos, CodeSlugInvalid, "%s %q holds %s; %s: %s", name, s, la, typePlainly(la), plain)
		return Ref{}, false
	}
	if !ValidSlug(s) {
		if slug := slugify(s); slug == "" || !ValidSlug(slug) {
			d.errorf(v.pos, CodeSlugInvalid, "%s %q is not a slug (lower-case a-z, 0-9 and -, at most 80 characters)", name, s)
			return Ref{}, false
		} else {
			// "DJI": whether "dji" is meant is known once every entry is
			// read (KB.link reports it).
			written, s = s, slug
		}
	}
	r := Ref{ID: d.pool.id(sec.Dir, s), Pos: v.pos}
	u := useOf(r.ID, r.Pos, fieldNamed(field), written != "")
	if name != field && len(d.e.refNames) < math.MaxUint16 {
		d.e.refNames = append(d.e.refNames, d.pool.same(name))
		u.name = uint16(len(d.e.refNames))
	}
	d.e.refs = append(d.e.refs, u)
	if written != "" {
		d.e.miswritten = append(d.e.miswritten, written)
	}
	return r, true
}

// validEntryID says whether s is an entry's ID: a section's folder and
// a slug ("vendors/dji").
func validEntryID(s string) bool {
	sec, slug, found := strings.Cut(s, "/")
	_, known := SectionOf(sec)
	return found && known && ValidSlug(slug)
}

// lookAlikes name the characters that look like a space or a hyphen, or
// like nothing at all, with what to type instead ("" to delete them): a
// value holding one looks right and is not (found in review).
var lookAlikes = map[rune]struct{ name, plain string }{
	'\u00a0': {"an invisible no-break space (U+00A0)", " "},
	'\u2007': {"an invisible figure space (U+2007)", " "},
	'\u202f': {"an invisible narrow no-break space (U+202F)", " "},
	'\u200b': {"an invisible zero-width space (U+200B)", ""},
	'\u200c': {"an invisible zero-width non-joiner (U+200C)", ""},
	'\u200d': {"an invisible zero-width joiner (U+200D)", ""},
	'\u2060': {"an invisible word joiner (U+2060)", ""},
	'\ufeff': {"an invisible zero-width no-break space (U+FEFF)", ""},
	'\u00ad': {"an invisible soft hyphen (U+00AD)", ""},
	'\u2010': {"a hyphen (U+2010), which looks like - but is not", "-"},
	'\u2011': {"a non-breaking hyphen (U+2011), which looks like - but is not", "-"},
	'\u2012': {"a figure dash (U+2012), which looks like - but is not", "-"},
	'\u2013': {"an en dash (U+2013), which looks like - but is not", "-"},
	'\u2212': {"a minus sign (U+2212), which looks like - but is not", "-"},
}

// lookAlike returns the name of the first character of s that
// lookAlikes has, and s with each of them typed plainly; "" if none.
func lookAlike(s string) (name, plain string) {
	// Every reference of the knowledge base passes here, and the
	// look-alikes are all past ASCII: a plain value costs a scan of its
	// bytes, not a copy.
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii || !strings.ContainsFunc(s, func(r rune) bool { _, ok := lookAlikes[r]; return ok }) {
		return "", s
	}
	var b strings.Builder
	for _, r := range s {
		if la, ok := lookAlikes[r]; ok {
			if name == "" {
				name = la.name
			}
			b.WriteString(la.plain)
			continue
		}
		b.WriteRune(r)
	}
	if name == "" {
		return "", s
	}
	return name, b.String()
}

// typePlainly says how to mend a value holding the look-alike name.
func typePlainly(name string) string {
	switch {
	case strings.Contains(name, "space (U+00A0)"), strings.Contains(name, "figure space"), strings.Contains(name, "narrow"):
		return "type a plain space"
	case strings.Contains(name, "looks like -"):
		return "type a plain hyphen"
	}
	return "delete the character"
}

// entryID reads the full ID of an entry of any type: related's items.
func (d *decoder) entryID(v *node, name string) (Ref, bool) {
	s, ok := d.text(v, name, 200)
	if !ok {
		return Ref{}, false
	}
	s = strings.TrimSuffix(s, ".md")
	if la, plain := lookAlike(s); la != "" && validEntryID(plain) {
		d.errorf(v.pos, CodeSlugInvalid, "%s %q holds %s; %s: %s", name, s, la, typePlainly(la), plain)
		return Ref{}, false
	}
	sec, slug, found := strings.Cut(s, "/")
	if _, known := SectionOf(sec); !found || !known || !ValidSlug(slug) {
		if !found && ValidSlug(s) {
			// A slug alone: the section it is in is what is missing (the
			// example named a vendor whatever the slug was; found in
			// review). Which sections have it is known once every
			// entry is read: KB.resolve reports it.
			d.e.slugsAlone = append(d.e.slugsAlone, slugAlone{name: name, Ref: Ref{ID: s, Pos: v.pos}})
			return Ref{}, false
		}
		if id := asEntryID(s); id != "" {
			d.errorf(v.pos, CodeSlugInvalid, "%s %q is not an entry ID; did you mean %q?", name, s, id)
			return Ref{}, false
		}
		d.errorf(v.pos, CodeSlugInvalid, "%s %q is not an entry ID; write section/slug, e.g. vendors/dji", name, s)
		return Ref{}, false
	}
	return Ref{ID: s, Pos: v.pos}, true
}

// asEntryID returns the entry ID that s, which is none, most likely
// means, or "": s written as a path or a URL of the site
// ("/incidents/x", "../incidents/x", "content/incidents/x",
// "/incidents/x/"), or with its section named by its type or in capitals
// ("incident/x", "Incidents/x").
func asEntryID(s string) string {
	s = strings.TrimLeft(s, "./")
	s = strings.TrimSuffix(strings.TrimPrefix(s, "content/"), "/")
	s = strings.TrimSuffix(s, ".md")
	sec, slug, found := strings.Cut(s, "/")
	if !found || !ValidSlug(slug) {
		return ""
	}
	for _, c := range Sections {
		if strings.EqualFold(sec, c.Dir) || strings.EqualFold(sec, string(c.Type)) {
			return c.Dir + "/" + slug
		}
	}
	return ""
}

// tag reads a tag: a slug.
func (d *decoder) tag(v *node, name string, limit int) (string, bool) {
	if v.kind == scalarNode && v.stype != strScalar {
		// tags: 5 would pass as the slug "5"; a number, date or
		// true/false is a mistake.
		d.errorf(v.pos, CodeFieldType, "%s must be text, not %s; write a word such as \"drones\"", name, v.describe())
		return "", false
	}
	t, ok := d.text(v, name, limit)
	if !ok {
		return "", false
	}
	if !ValidSlug(t) {
		d.errorf(v.pos, CodeSlugInvalid, "tag %q must be a slug (lower-case a-z, 0-9 and -)%s", t, SlugAdvice(t, "write", ""))
		return "", false
	}
	if ReservedOnWindows(t) {
		d.errorf(v.pos, CodeSlugInvalid, "tag %q is a device name Windows reserves: the site's tags/%s/ could not be written or checked out there; choose another word", t, t)
		return "", false
	}
	return t, true
}

func refs(items []val) []Ref {
	out := make([]Ref, 0, len(items))
	for _, x := range items {
		out = append(out, x.ref)
	}
	return out
}

func texts(items []val) []string {
	out := make([]string, 0, len(items))
	for _, x := range items {
		out = append(out, x.s)
	}
	return out
}

// commonSetters are the setters of the fields every type has.
func (d *decoder) commonSetters() setters {
	e := d.e
	return setters{
		"title": func(x val) { e.Title = x.s },
		"summary": func(x val) {
			e.Summary = x.s
			if strings.Contains(e.Summary, "\n") {
				d.warnf(x.n.pos, CodeSummaryMultiline, "summary spans several lines; it should be one sentence")
				e.Summary = strings.Join(strings.Fields(e.Summary), " ")
			}
		},
		"lang":       func(x val) { e.Lang = x.s },
		"title_lang": func(x val) { e.TitleLang = x.s },
		"tags":       func(x val) { e.Tags = texts(x.items) },
		"updated":    func(x val) { e.Updated = x.date },
		"related": func(x val) {
			for _, y := range x.items {
				e.Related = append(e.Related, y.ref)
				e.refs = append(e.refs, useOf(y.ref.ID, y.ref.Pos, fieldRelated, false))
			}
		},
		"sources": func(x val) {
			d.sourcesWritten = len(x.items)
			for i, y := range x.items {
				src := d.source(y.n, i)
				d.sourceURLs = append(d.sourceURLs, src.URL)
				if runTogether(y.n) {
					// Two sources run together, the "- url:" line of
					// the second deleted: it has a number, and its URL
					// is not known, so the text's citations of the ones
					// after it are not out of range as well, nor the
					// fleet's of its URL unlisted (a source refused).
					d.sourcesWritten++
					d.sourceURLs = append(d.sourceURLs, "")
					d.refused = append(d.refused, "")
				}
				if src.URL == "" {
					d.refused = append(d.refused, writtenURL(y.n))
					continue
				}
				d.duplicateSource(src.URL, i, len(x.items), urlNode(y.n).pos)
				e.Sources = append(e.Sources, src)
			}
		},
	}
}

// duplicateSource reports the source URL u, the i-th of n written, when an
// earlier one is the same URL or likely the same document (compareURLs),
// and records it to compare the later ones and the cited URLs with.
func (d *decoder) duplicateSource(u string, i, n int, at Pos) {
	if d.listed == nil {
		d.listed, d.documents = map[string]int{}, map[string]listedSource{}
	}
	// The citations of the one to remove go to the one kept, and
	// those of the sources after it move up one.
	recite := func(j int) string {
		if i == n-1 {
			return fmt.Sprintf("remove it, and cite [%d] where the text cites [%d]", j+1, i+1)
		}
		return fmt.Sprintf("remove it, and in the text cite [%d] for [%d] and renumber the citations after it", j+1, i+1)
	}
	key := documentKey(u)
	if j, ok := d.listed[u]; ok {
		d.warnf(at, CodeSourceDuplicate, "sources[%d] %s is listed already, as sources[%d]; %s", i+1, u, j+1, recite(j))
		return
	}
	d.listed[u] = i
	doc, ok := d.documents[key]
	if !ok {
		d.documents[key] = listedSource{i, u}
		return
	}
	j, first := doc.i, doc.url
	diff, ok := compareURLs(first, u)
	switch {
	case !ok || diff&urlOtherFragment != 0:
		// Two places in one document, each cited on its own.
	case diff == urlWrittenOtherwise:
		d.warnf(at, CodeSourceDuplicate, "sources[%d] %s is sources[%d], %s, written otherwise (the case of a scheme or host name, a default port and a \"/\" after the host name alone change no URL); %s",
			i+1, u, j+1, first, recite(j))
	case diff&urlFragment != 0:
		d.warnf(at, CodeSourceDuplicate, "sources[%d] %s differs from sources[%d], %s, %s, so they are most likely one document listed twice: unless the text needs that place, keep one, and cite its number where the text cites the other's",
			i+1, u, j+1, first, diff.only())
	default:
		d.warnf(at, CodeSourceDuplicate, "sources[%d] %s differs from sources[%d], %s, %s, so they are most likely one page listed twice: if so, keep one, and cite its number where the text cites the other's",
			i+1, u, j+1, first, diff.only())
	}
}

// listedSource is a source's URL and its index in the list as written.
type listedSource struct {
	i   int
	url string
}

// urlNode returns the node of a source's URL: its url, or itself when it
// is a bare value.
func urlNode(n *node) *node {
	if n.kind == mapNode {
		if u := n.get("url"); u != nil {
			return u
		}
	}
	return n
}

func (d *decoder) source(v *node, i int) Source {
	src := Source{Pos: v.pos}
	what := fmt.Sprintf("sources[%d]", i+1)
	d.table(v, sourceObject, scope{path: what, noun: "a source", who: "a source"}, setters{
		"url":       func(x val) { src.URL = x.s },
		"title":     func(x val) { src.Title = x.s },
		"publisher": func(x val) { src.Publisher = x.s },
		"date":      func(x val) { src.Date, src.DatePos = x.date, x.n.pos },
		"archive":   func(x val) { src.Archive = x.s },
		"lang":      func(x val) { src.Lang = x.s },
	}, v.pos)
	return src
}

// decodeEntry decodes the front matter of an entry of type e.Type against
// its declaration (fields.go).
func (d *decoder) decodeEntry(root *node, start Pos) {
	e := d.e
	d.root = root
	d.entryCountry = countryOf(root)
	if root.kind == mapNode {
		if r := root.get("region"); r != nil && r.kind == scalarNode {
			d.entryRegion = strings.TrimSpace(r.text)
		}
	}
	set := d.commonSetters()
	add := func(more setters) {
		for k, v := range more {
			set[k] = v
		}
	}
	switch e.Type {
	case TypeAgency:
		a := &Agency{}
		e.Agency = a
		add(setters{
			"short":   func(x val) { a.Short = x.s },
			"country": func(x val) { a.Country = x.s },
			"region":  func(x val) { a.Region = x.s },
			"level":   func(x val) { a.Level = x.s },
			"kind":    func(x val) { a.Kind = x.s },
			"parent":  func(x val) { a.Parent = &x.ref },
			"website": func(x val) { a.Website = x.s },
			"fleet": func(x val) {
				for i, y := range x.items {
					if f, ok := d.fleetItem(y.n, i); ok {
						a.Fleet = append(a.Fleet, f)
					}
				}
			},
		})
	case TypeVendor:
		vd := &Vendor{}
		e.Vendor = vd
		add(setters{
			"legal_name": func(x val) { vd.LegalName = x.s },
			"country":    func(x val) { vd.Country = x.s },
			"hq":         func(x val) { vd.HQ = x.s },
			"website":    func(x val) { vd.Website = x.s },
			"parent":     func(x val) { vd.Parent = &x.ref },
		})
	case TypeLaw:
		l := &Law{}
		e.Law = l
		add(setters{
			"short":      func(x val) { l.Short = x.s },
			"kind":       func(x val) { l.Kind = x.s },
			"country":    func(x val) { l.Country = x.s },
			"region":     func(x val) { l.Region = x.s },
			"status":     func(x val) { l.Status = x.s },
			"introduced": func(x val) { l.Introduced = x.date },
			"enacted":    func(x val) { l.Enacted = x.date },
			"effective":  func(x val) { l.Effective = x.date },
			"expires":    func(x val) { l.Expires = x.date },
			"measure":    func(x val) { l.Measure = x.s },
			"restricts":  func(x val) { l.Restricts = d.restriction(x.n, "restricts") },
			"binds":      func(x val) { l.Binds = d.binds(x.n, "binds") },
			"exempts":    func(x val) { l.Exempts = d.exemptions(x, "exempts") },
			"provisions": func(x val) {
				l.Listed = true
				if len(x.items) == 0 && x.n.kind == listNode {
					d.errorf(x.n.pos, CodeFieldEmpty, "provisions is empty; list at least one {measure, effective, …}, or remove it and give the law's own measure")
				}
				for i, y := range x.items {
					if p := d.provision(y.n, i); p != nil {
						l.Provisions = append(l.Provisions, p)
					}
				}
			},
		})
	case TypeIncident:
		in := &Incident{}
		e.Incident = in
		add(setters{
			"date":     func(x val) { in.Date = x.date },
			"place":    func(x val) { in.Place = x.s },
			"country":  func(x val) { in.Country = x.s },
			"region":   func(x val) { in.Region = x.s },
			"agencies": func(x val) { in.Agencies = refs(x.items) },
			"vendors":  func(x val) { in.Vendors = refs(x.items) },
			"laws":     func(x val) { in.Laws = refs(x.items) },
			"kind":     func(x val) { in.Kind = x.s },
		})
	}
	o := FrontMatter(e.Type)
	sc := scope{noun: "front matter", who: withArticle(string(e.Type)), top: true}
	given := d.table(root, o, sc, set, start)
	e.titleKey = titlesort.Of(e.Title)
	if e.Law != nil {
		d.checkLawDates(e.Law, given)
		d.resolveProvisions(e.Law, given, start)
		d.checkKeysAfterProvisions(root, given)
	}
	n := 1
	for _, sl := range given.slots {
		if sl.state == keyGiven {
			n++
		}
	}
	e.keys = make([]keyAt, 0, n)
	e.keys = append(e.keys, keyAtPos(0, start))
	for i, sl := range given.slots {
		if sl.state == keyGiven {
			k := keyAtPos(uint8(i+1), sl.pos)
			if v := root.get(o.Fields[i].Name); v != nil {
				k = keyValueAt(uint8(i+1), sl.pos, v.pos)
			}
			e.keys = append(e.keys, k)
		}
	}
	// A list of sources that are all refused has their errors; a
	// sources that is no list, its own.
	if f := o.Field("sources"); f.Min > 0 && len(e.Sources) < f.Min {
		if n := root.get("sources"); n == nil || n.kind == nullNode || n.kind == listNode && len(n.items) == 0 {
			at := start
			if p, ok := given.pos("sources"); ok {
				at = p
			}
			d.errorf(at, CodeSourceMissing, "%s needs at least one source: add a sources list with the url of a document that supports it", sc.who)
		}
	}
	d.checkNumberedSources()
	d.checkCitedSources()
	d.checkObservedAfterSource()
}

// statusOf returns n as a fleet status, or "…" when it is none.
func statusOf(n *node) string {
	if n != nil && n.kind == scalarNode && slices.Contains(fleetStatuses, strings.TrimSpace(n.text)) {
		return strings.TrimSpace(n.text)
	}
	return "…"
}

// sameAsBefore reports whether the k-th key of the table n repeats an
// earlier key with the same value: a line given twice, not another item.
func sameAsBefore(n *node, k int) bool {
	f := n.fields[k]
	for _, g := range n.fields[:k] {
		if g.key == f.key && g.val.kind == scalarNode && f.val.kind == scalarNode && g.val.text == f.val.text {
			return true
		}
	}
	return false
}

// runTogether reports whether the table n gives a key twice, with another
// value: two items run together, the line that starts the second deleted,
// rather than a line given twice. ("title: Old" above "title: New" reads
// the same as a source of a URL and a title whose "- url:" line was
// deleted, the more common slip where most sources have those two keys:
// both are a KEY_DUPLICATE error, and what the count of sources hides of
// the first, the next check shows.)
func runTogether(n *node) bool {
	if n.kind != mapNode {
		return false
	}
	for i, f := range n.fields {
		for _, g := range n.fields[:i] {
			if f.key == g.key && !sameAsBefore(n, i) {
				return true
			}
		}
	}
	return false
}

// datedKey reports whether n, a history observation, is a table of one key
// that is a date, "- 2023-01-05: grounded".
func datedKey(n *node) bool {
	return n.kind == mapNode && len(n.fields) == 1 && isDate(n.fields[0].key)
}

// isDate reports whether a key is a date, as a history written as a table
// of dates gives them.
func isDate(key string) bool {
	_, err := ParseDate(strings.TrimSpace(key))
	return err == nil
}

// numberedSource is a fleet item's, history observation's or exemption's
// source written as the number of one of the entry's sources.
type numberedSource struct {
	n    int
	pos  Pos
	what string // "fleet[1].source"
}

// sourceNumber reports whether v, a source, names one of the entry's
// sources by its number, as the text cites it: 2, [2], "[2]", "#2",
// "sources[2]".
func sourceNumber(v *node) (int, bool) {
	if v.kind == listNode && len(v.items) == 1 {
		v = v.items[0]
	}
	if v.kind != scalarNode {
		return 0, false
	}
	s := strings.ToLower(strings.TrimSpace(v.text))
	s = strings.TrimPrefix(s, "sources")
	s = strings.TrimSpace(strings.Trim(s, "[]#"))
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 999 || s != strconv.Itoa(n) {
		return 0, false
	}
	return n, true
}

// checkNumberedSources reports the sources written as a number: a source
// is cited by its URL, which each numbered one is told.
func (d *decoder) checkNumberedSources() {
	for _, c := range d.numbered {
		switch {
		case c.n >= 1 && c.n <= len(d.sourceURLs) && d.sourceURLs[c.n-1] != "":
			d.errorf(c.pos, CodeURL, "%s names a source by its number, as the text cites it; it takes the source's URL: write source: %s (sources[%d])",
				c.what, d.sourceURLs[c.n-1], c.n)
		case c.n >= 1 && c.n <= d.sourcesWritten:
			d.errorf(c.pos, CodeURL, "%s names a source by its number, as the text cites it; it takes the source's URL, that of sources[%d] once it has one: source: https://…",
				c.what, c.n)
		default:
			d.errorf(c.pos, CodeURL, "%s names source %d by its number, but the entry lists %s; it takes the URL of the document that shows it (source: https://…), listed in sources too",
				c.what, c.n, count(d.sourcesWritten, "source", "sources"))
		}
	}
}

// countryOf peeks at the country key, so a region can be checked against it
// whatever order the keys come in.
func countryOf(root *node) string {
	if root.kind != mapNode {
		return ""
	}
	if c := root.get("country"); c != nil && c.kind == scalarNode {
		if _, ok := iso3166.Country(strings.TrimSpace(c.text)); ok {
			return strings.TrimSpace(c.text)
		}
	}
	return ""
}

func (d *decoder) fleetItem(v *node, i int) (FleetItem, bool) {
	f := FleetItem{Pos: v.pos, Index: i}
	what := fmt.Sprintf("fleet[%d]", i+1)
	given := d.table(v, fleetObject, scope{path: what, noun: "a fleet item", who: what, owner: "fleet"}, setters{
		"vendor": func(x val) {
			if x.s == UnknownVendor {
				f.UnknownMake = true
				return
			}
			f.Vendor = x.ref
		},
		"model":    func(x val) { f.Model = x.s },
		"count":    func(x val) { f.Count = x.num },
		"acquired": func(x val) { f.Acquired, f.AcquiredPos = x.date, x.n.pos },
		"status":   func(x val) { f.Status = x.s },
		"as_of":    func(x val) { f.AsOf, f.AsOfPos = x.date, x.n.pos },
		"source": func(x val) {
			f.Source = x.s
			d.cites = append(d.cites, citedSource{url: f.Source, pos: x.n.pos, what: what})
		},
		"note": func(x val) { f.Note = x.s },
		"history": func(x val) {
			for j, y := range x.items {
				h := y.n
				obs := Observation{Pos: h.pos}
				hw := fmt.Sprintf("%s.history[%d]", what, j+1)
				if datedKey(h) {
					// - 2023-01-05: grounded, a date as the key of its
					// status: one error that shows the observation to
					// write, where each field was told missing and the
					// date unknown.
					k := h.fields[0]
					d.errorf(k.pos, CodeFieldType, "%s gives its date as a key; a history observation is a table of its date, status and source: write - {date: %s, status: %s, source: https://…}",
						hw, strings.TrimSpace(k.key), statusOf(k.val))
					continue
				}
				hgiven := d.table(h, observationObject, scope{path: hw, noun: "a history observation", who: hw, owner: "history"}, setters{
					"date":   func(x val) { obs.Date, obs.DatePos = x.date, x.n.pos },
					"status": func(x val) { obs.Status = x.s },
					"source": func(x val) {
						obs.Source = x.s
						d.cites = append(d.cites, citedSource{url: obs.Source, pos: x.n.pos, what: hw})
					},
				}, h.pos)
				// An earlier observation is evidence the tracker uses
				// on earlier dates: it needs its source as the item's
				// own status does.
				if !hgiven.has("source") && h.kind == mapNode {
					d.warnf(h.pos, CodeSourceMissing, "%s names no source for its status; add source: with a URL from the entry's sources", hw)
				}
				if !obs.Date.IsZero() && obs.Source != "" {
					d.observed = append(d.observed, observedCite{url: obs.Source, date: obs.Date, pos: obs.DatePos, what: hw + ".date"})
				}
				if !obs.Date.IsZero() && obs.Status != "" {
					f.History = append(f.History, obs)
				}
			}
		},
	}, v.pos)
	if !f.AsOf.IsZero() && f.Source != "" {
		d.observed = append(d.observed, observedCite{url: f.Source, date: f.AsOf, pos: f.AsOfPos, what: what + ".as_of"})
	}
	if !given.has("status") && v.kind == mapNode {
		d.warnf(v.pos, CodeFieldRequired, "%s has no status; it counts as unknown (write active, grounded, retired or unknown)", what)
		f.Status = StatusUnknown
	}
	if !given.has("source") && v.kind == mapNode {
		d.warnf(v.pos, CodeSourceMissing, "%s names no source for its status; add source: with a URL from the entry's sources", what)
	}
	if f.AsOf.IsZero() || (f.Vendor.ID == "" && !f.UnknownMake) || f.Status == "" {
		return f, false
	}
	if !f.Acquired.IsZero() && f.Acquired.After(f.AsOf) {
		d.errorf(f.AcquiredPos, CodeDateOrder, "%s.acquired %s is after its as_of %s; as_of is the latest observation", what, f.Acquired, f.AsOf)
	}
	own := Observation{Date: f.AsOf, Status: f.Status}
	for j, h := range f.History {
		switch {
		case !h.order().After(own.order()):
		case h.Date.After(f.AsOf.LastDay()):
			d.errorf(h.DatePos, CodeDateOrder, "%s.history[%d] is dated %s, after the item's as_of %s; the item's own status and as_of must be its latest observation — swap them", what, j+1, h.Date, f.AsOf)
		default:
			// Dates within one month or year, a grounding "in 2023-06"
			// and a sighting on 2023-06-20: the tracker takes the report
			// that says less against the agency as the later
			// (Observation.order).
			d.errorf(h.DatePos, CodeDateOrder, "%s.history[%d] (%s, %s) may be later than the item's as_of %s, and the tracker takes it as the later, since it says less against the agency; the item's own status and as_of must be its latest observation — swap them, or give the day", what, j+1, h.Status, h.Date, f.AsOf)
		}
	}
	return f, true
}

// observedCite is a dated observation and the source it cites.
type observedCite struct {
	url  string
	date Date
	pos  Pos    // of the date
	what string // "fleet[2].as_of", "fleet[2].history[1].date"
}

// checkObservedAfterSource warns of an observation dated after the source
// it cites was published: no document describes drones on a day after it
// was written, so one of the two dates is a slip (the day the article was
// read, a year mistyped), and an as_of too late makes old evidence look
// current to the tracker. A date at a month's or a year's precision
// covers all its days: 2024-05 is after no source of May 2024.
func (d *decoder) checkObservedAfterSource() {
	for _, o := range d.observed {
		// The number is the source's place in the list as written
		// (d.listed): e.Sources leaves out those refused.
		n, ok := d.listed[o.url]
		i := slices.IndexFunc(d.e.Sources, func(s Source) bool { return s.URL == o.url })
		if !ok || i < 0 {
			continue
		}
		src := d.e.Sources[i]
		if src.Date.IsZero() || o.date.first() <= src.Date.last() {
			continue
		}
		d.warnf(o.pos, CodeDateOrder, "%s %s is after the date of the source it cites, sources[%d] (%s): a document describes drones only up to the day it was published; give the day the source describes them on, or correct the source's date",
			o.what, o.date, n+1, src.Date)
	}
}

type citedSource struct {
	url  string
	pos  Pos    // of the URL
	what string // "fleet[2]", "fleet[2].history[1]"
}

// checkCitedSources reports fleet, history and exemption sources that the
// entry's sources do not list. A cited URL that a listed one likely is
// (compareURLs: the same but for a final "/" or a #fragment, or written
// otherwise) is reported with that one, to cite as listed. A cited URL
// that a refused source was most likely meant to be is not reported, its
// source's error is: one written without https://, or, when no more URLs
// are missing than sources were refused, any.
func (d *decoder) checkCitedSources() {
	var missing []string // the cited URLs not listed, each once
	seen := map[string]bool{}
	for _, c := range d.cites {
		if _, ok := d.listed[c.url]; c.url != "" && !ok && !seen[c.url] {
			seen[c.url] = true
			missing = append(missing, c.url)
		}
	}
	if len(missing) == 0 {
		return
	}
	meant := map[string]bool{}
	free := 0 // refused sources with no URL to match
	for _, r := range d.refused {
		i := slices.IndexFunc(missing, func(u string) bool { return !meant[u] && sameURL(u, r) })
		if i >= 0 {
			meant[missing[i]] = true
		} else {
			free++
		}
	}
	near := map[string]listedSource{}
	unexplained := 0
	for _, u := range missing {
		if meant[u] {
			continue
		}
		if doc, ok := d.documents[documentKey(u)]; ok {
			near[u] = doc
			continue
		}
		unexplained++
	}
	for _, c := range d.cites {
		if !seen[c.url] || meant[c.url] {
			continue
		}
		if la, plain := lookAlike(c.url); la != "" {
			if i, listed := d.listed[plain]; listed {
				d.errorf(c.pos, CodeSourceNotListed, "%s source %s holds %s, so it is not sources[%d], %s, though it looks the same; %s (source: %s)",
					c.what, c.url, la, i+1, plain, typePlainly(la), plain)
				continue
			}
		}
		doc, ok := near[c.url]
		if !ok {
			if unexplained > free {
				d.errorf(c.pos, CodeSourceNotListed, "%s source %s is not in the entry's sources; add it there", c.what, c.url)
			}
			continue
		}
		switch diff, _ := compareURLs(doc.url, c.url); {
		case diff == urlWrittenOtherwise:
			d.errorf(c.pos, CodeSourceNotListed, "%s source %s is not in the entry's sources as written: sources[%d] is %s, the same URL written otherwise; cite it as listed (source: %s)",
				c.what, c.url, doc.i+1, doc.url, doc.url)
		case diff&(urlFragment|urlOtherFragment) != 0:
			d.errorf(c.pos, CodeSourceNotListed, "%s source %s is not in the entry's sources; sources[%d], %s, differs from it %s: cite it as listed (source: %s), or, to cite that place, add this URL to sources",
				c.what, c.url, doc.i+1, doc.url, diff.only(), doc.url)
		default:
			d.errorf(c.pos, CodeSourceNotListed, "%s source %s is not in the entry's sources; sources[%d], %s, differs from it %s: if it is that page, cite it as listed (source: %s); if not, add this URL to sources",
				c.what, c.url, doc.i+1, doc.url, diff.only(), doc.url)
		}
	}
}

// sameURL reports whether written, a URL as a refused source gives it,
// is most likely u: the same but for its scheme, a "www." or a final /.
// It guesses which URL a source that is no URL was meant to be, so it is
// looser than compareURLs, which compares URLs.
func sameURL(u, written string) bool {
	trim := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		for _, p := range []string{"https://", "http://", "//", "www."} {
			s = strings.TrimPrefix(s, p)
		}
		return strings.TrimSuffix(s, "/")
	}
	return written != "" && trim(u) == trim(written)
}

// writtenURL returns the URL a source gives, as written: its url, or
// itself when it is a bare value.
func writtenURL(n *node) string {
	if n.kind == mapNode {
		n = n.get("url")
	}
	if n == nil || n.kind != scalarNode {
		return ""
	}
	return n.text
}

// checkLawDates checks that a law's dates come in order. (The dates a
// status requires are declared as the law's Conditions.)
func (d *decoder) checkLawDates(l *Law, given keysGiven) {
	if !l.Expires.IsZero() {
		start := l.Effective
		if start.IsZero() {
			start = l.Enacted
		}
		if !start.IsZero() && !l.Expires.After(start.LastDay()) {
			d.errorf(given.at("expires"), CodeDateOrder, "expires %s is not after the date the law takes effect, %s%s: check both dates against the law's text (expires is the first day it no longer applies)", l.Expires, start, countsFrom(start))
		}
	}
	if !l.Effective.IsZero() && !l.Enacted.IsZero() && l.Effective.LastDay().AddMonths(12).Before(l.Enacted.FirstDay()) {
		// A law may apply from some months before it was enacted (the
		// checks allow it); more than a year before is more often a
		// slipped year (2024 for 2026), which went unnoticed and moved a
		// ban two years earlier, and an agency's verdict with it (found in
		// review). A warning: it may be true.
		d.warnf(given.at("effective"), CodeDateOrder, "effective %s is more than a year before enacted %s: if the law applies from so long before it was passed, keep it and say so in the text; if not, check the date, as the tracker counts the law from %s", l.Effective, l.Enacted, l.Effective)
	}
	if !l.Introduced.IsZero() && !l.Enacted.IsZero() && l.Enacted.Before(l.Introduced) {
		d.errorf(given.at("enacted"), CodeDateOrder, "enacted %s is before introduced %s: a law is enacted after it is introduced; check both dates against the record", l.Enacted, l.Introduced)
	}
	if l.Status == "proposed" && !l.Enacted.IsZero() {
		d.warnf(given.at("enacted"), CodeDateOrder, "a proposed law has an enacted date; is its status enacted?")
	}
	if l.Measure == "" && !given.has("measure") && !l.Restricts.IsZero() && !l.Listed {
		if p, ok := given.pos("restricts"); ok {
			// Without a measure the law restricts nothing, so an agency
			// flying the very hardware it names would show as clear
			// (found in review): an error for a law that is or was in
			// force, a warning for a bill, which the tracker never
			// counts until its status says it was enacted.
			if lawApplies(l.Status) {
				d.errorf(p, CodeFieldRequired, "restricts is given without a measure, so the tracker would count this law as restricting nothing; say what it does to that hardware (measure: %s), or list its provisions", strings.Join(lawMeasures, ", "))
			} else {
				d.warnf(p, CodeFieldRequired, "restricts is given without a measure; say what the bill would do to that hardware (measure: %s): once its status is enacted, the tracker would count it as restricting nothing without one", strings.Join(lawMeasures, ", "))
			}
		}
	}
}

// slugify suggests a slug for free text: "Facial Recognition" → "facial-recognition".
//
// Accents and compatibility forms are folded first (é is e, ＤＪＩ is dji),
// and a slug longer than a slug may be is cut at its last dash within 80
// characters: the result is a valid slug (SlugAdvice steers it off the
// names Windows reserves), or "" when nothing of s can be one.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldTitle(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > 80 {
		out = out[:80]
		if i := strings.LastIndexByte(out, '-'); i > 0 {
			out = out[:i]
		}
	}
	return out
}

// renameSlug is the slug a name that is none (NYPD, Délair, con,
// nypd.md of a file nypd.md.md) is to be renamed to: slugify's of its
// entryStem, steered off the names Windows reserves (con-1), or "" when
// nothing of s can be a slug.
func renameSlug(s string) string {
	slug := slugify(entryStem(s))
	if slug != "" && ReservedOnWindows(slug) {
		slug += "-1"
	}
	return slug
}

// SlugAdvice is what a message about an invalid slug suggests: "; rename it
// to \"x.md\"" when slugify finds one, else how a slug is made.
func SlugAdvice(s, verb, ext string) string {
	if slugify(s) != s {
		if slug := renameSlug(s); slug != "" {
			return fmt.Sprintf("; %s %q", verb, slug+ext)
		}
	}
	return "; use lower-case letters a-z, digits and dashes"
}

// restriction decodes a restricts table: vendors by slug, countries of
// origin. what is its path in messages: "restricts", "provisions[1].restricts".
func (d *decoder) restriction(v *node, what string) Restriction {
	var r Restriction
	d.table(v, restrictionObject, scope{path: what, noun: what, who: what, owner: "restricts"}, setters{
		"vendors":   func(x val) { r.Vendors = refs(x.items) },
		"countries": func(x val) { r.Countries = texts(x.items) },
	}, v.pos)
	return r
}

// scalars returns the texts of items when each is one: a list of names
// where a list of tables was due.
func scalars(items []val) []string {
	var names []string
	for _, y := range items {
		if y.n.kind != scalarNode {
			return nil
		}
		names = append(names, strings.TrimSpace(y.n.text))
	}
	return names
}

// matchFix writes names as the keys of binds or of an exemption that
// would hold them: levels and kinds by their values, others as agencies
// ("agencies: [fbi], levels: [local]").
func matchFix(names []string) string {
	var agencies, levels, kinds []string
	// exempts: fbi, local is one text.
	for _, n := range strings.Split(strings.Join(names, ","), ",") {
		n = strings.TrimSpace(n)
		switch low := strings.ToLower(n); {
		case slices.Contains(agencyLevels, low):
			levels = append(levels, low)
		case slices.Contains(agencyKinds, low):
			kinds = append(kinds, low)
		default:
			agencies = append(agencies, n)
		}
	}
	var keys []string
	for _, k := range []struct {
		key  string
		vals []string
	}{{"agencies", agencies}, {"levels", levels}, {"kinds", kinds}} {
		if len(k.vals) > 0 {
			keys = append(keys, k.key+": ["+strings.Join(k.vals, ", ")+"]")
		}
	}
	return strings.Join(keys, ", ")
}

// matchSetters fill in b from the keys that say whom a law binds or exempts.
func matchSetters(b *Binds) setters {
	return setters{
		"levels":   func(x val) { b.Levels, b.HasLevels = texts(x.items), true },
		"kinds":    func(x val) { b.Kinds, b.HasKinds = texts(x.items), true },
		"agencies": func(x val) { b.Agencies, b.HasAgencies = refs(x.items), true },
	}
}

// binds decodes a binds table: the levels, kinds and agencies that the
// agencies a law binds must match.
func (d *decoder) binds(v *node, what string) *Binds {
	b := &Binds{}
	if v.kind == listNode {
		// "An empty list binds none" is a list inside binds.
		fix := "to bind no agency, write binds: {agencies: []}; to bind every agency in the law's jurisdiction, leave binds out"
		if what != "binds" {
			fix = "to bind no agency, write binds: {agencies: []}; to bind those the law binds, leave binds out"
		}
		if len(v.items) > 0 {
			var names []string
			for _, it := range v.items {
				if it.kind == scalarNode {
					names = append(names, it.text)
				}
			}
			if len(names) == 0 {
				names = []string{"…"}
			}
			fix = "name whom it binds by agencies, levels or kinds, as binds: {" + matchFix(names) + "}"
		}
		d.errorf(v.pos, CodeFieldType, "%s must be a table of keys, not a list: %s", what, fix)
		return b
	}
	d.table(v, bindsObject, scope{path: what, noun: what, who: what, owner: "binds"}, matchSetters(b), v.pos)
	return b
}

// exemptions decodes an exempts list: the agencies a law or provision lets
// off, what for, and the source that says so.
func (d *decoder) exemptions(x val, what string) []Exemption {
	out := []Exemption{}
	if names := scalars(x.items); len(names) > 0 {
		// exempts: [fbi], as incidents list agencies: one error for the
		// list, with the exemption to write, where each name was told
		// "an exemption must be a table of keys, not text".
		d.errorf(x.items[0].n.pos, CodeFieldType, "%s is a list of exemptions, each a table naming whom it lets off, what for and the source that says so, not a list of names: write exempts: [{%s, uses: …, source: https://…}]",
			what, matchFix(names))
		return out
	}
	for i, y := range x.items {
		item := y.n
		ex := Exemption{Pos: item.pos}
		ew := fmt.Sprintf("%s[%d]", what, i+1)
		set := matchSetters(&ex.Match)
		set["uses"] = func(x val) { ex.Uses = x.s }
		set["source"] = func(x val) {
			ex.Source = x.s
			d.cites = append(d.cites, citedSource{url: ex.Source, pos: x.n.pos, what: ew})
		}
		given := d.table(item, exemptionObject, scope{path: ew, noun: "an exemption", who: ew, owner: "exempts"}, set, item.pos)
		if item.kind != mapNode || (!ex.Match.HasLevels && !ex.Match.HasKinds && !ex.Match.HasAgencies) {
			continue
		}
		if !given.has("source") {
			d.warnf(item.pos, CodeSourceMissing, "%s names no source; add source: with the URL (listed in sources) of the text that grants it", ew)
		}
		out = append(out, ex)
	}
	return out
}

// rawProvision is a provision as written, before the law's defaults fill
// it in (the law's keys may come after its provisions).
type rawProvision struct {
	p                                                          Provision
	hasRestricts, hasBinds, hasExempts, hasEffective, hasEnded bool
	effectivePos, expiresPos                                   Pos
	// effectiveKey is the key that gave the start: "effective", or
	// "in_force_by" when no source gives the day it took effect.
	effectiveKey string
}

func (d *decoder) provision(v *node, i int) *Provision {
	rp := &rawProvision{p: Provision{Index: i, Pos: v.pos, Law: d.e}}
	p := &rp.p
	what := fmt.Sprintf("provisions[%d]", i+1)
	d.table(v, provisionObject, scope{path: what, noun: "a provision", who: what, owner: "provisions"}, setters{
		"measure": func(x val) { p.Measure = x.s },
		// One or the other (provisionObject.Exclusive).
		"effective": func(x val) {
			p.Effective, rp.hasEffective, rp.effectivePos, rp.effectiveKey = x.date, true, x.n.pos, "effective"
		},
		"in_force_by": func(x val) {
			p.Effective, rp.hasEffective, rp.effectivePos, rp.effectiveKey = x.date, true, x.n.pos, "in_force_by"
			p.InForceBy = true
		},
		"expires":   func(x val) { p.Expires, rp.hasEnded, rp.expiresPos = x.date, true, x.n.pos },
		"restricts": func(x val) { p.Restricts, rp.hasRestricts = d.restriction(x.n, what+".restricts"), true },
		"binds":     func(x val) { p.Binds, rp.hasBinds = d.binds(x.n, what+".binds"), true },
		"exempts":   func(x val) { p.Exempts, rp.hasExempts = d.exemptions(x, what+".exempts"), true },
		"note":      func(x val) { p.Note = x.s },
	}, v.pos)
	if v.kind != mapNode || p.Measure == "" {
		return nil
	}
	d.provs = append(d.provs, rp)
	return p
}

// resolveProvisions fills each provision's defaults from its law (or makes
// the law's single provision) and checks their dates and fields.
func (d *decoder) resolveProvisions(l *Law, given keysGiven, start Pos) {
	lawStart := l.Effective
	if lawStart.IsZero() {
		lawStart = l.Enacted
	}
	if !l.Listed {
		l.Provisions = []*Provision{{Law: d.e, Measure: l.Measure, Start: lawStart, End: l.Expires,
			Restricts: l.Restricts, Binds: l.Binds, Exempts: l.Exempts, Pos: given.at("measure")}}
		if !given.has("measure") {
			l.Provisions[0].Pos = start
		}
		return
	}
	if given.has("measure") {
		d.warnf(given.at("measure"), CodeFieldUnknown, "measure is ignored when the law lists provisions: each provision gives its own; remove it")
	}
	for _, rp := range d.provs {
		p := &rp.p
		what := fmt.Sprintf("provisions[%d]", p.Index+1)
		p.Start, p.End = lawStart, l.Expires
		if rp.hasEffective {
			p.Start = p.Effective
		}
		if rp.hasEnded {
			p.End = p.Expires
		}
		if !rp.hasRestricts {
			p.Restricts = l.Restricts
		}
		if !rp.hasBinds {
			p.Binds = l.Binds
		}
		if !rp.hasExempts {
			p.Exempts = l.Exempts
		}
		// A provision cannot apply before its law was enacted, unless the
		// law applies from an earlier day (its effective date says so),
		// and then not before that day. It may apply before the law's own
		// effective date when that is later (sections in force on
		// enactment, the rest a year on), and a law that gives only its
		// effective date says nothing of when its provisions may start.
		floor := l.Enacted
		if !floor.IsZero() && !l.Effective.IsZero() && l.Effective.Before(floor) {
			floor = l.Effective
		}
		if rp.hasEffective && !floor.IsZero() && p.Effective.Before(floor) {
			if floor == l.Enacted {
				d.errorf(rp.effectivePos, CodeDateOrder, "%s.%s %s is before the law was enacted (%s); a provision cannot apply before its law: check both dates, or give the law the earlier effective date it applies from", what, rp.effectiveKey, p.Effective, l.Enacted)
			} else {
				d.errorf(rp.effectivePos, CodeDateOrder, "%s.%s %s is before the law applies (effective %s); a provision cannot apply before its law: check both dates", what, rp.effectiveKey, p.Effective, l.Effective)
			}
		}
		// A start given as a month or a year counts from its last day
		// (Provision.InForce): an end within that period leaves no day.
		if !p.End.IsZero() && !p.Start.IsZero() && !p.End.After(p.Start.LastDay()) {
			lawOutOfOrder := !lawStart.IsZero() && !l.Expires.IsZero() && !l.Expires.After(lawStart.LastDay())
			switch {
			case !rp.hasEnded && (lawOutOfOrder || !rp.hasEffective):
				// The law's own dates are out of order, and its expires
				// says so once, not again for each provision.
			case !rp.hasEnded:
				d.errorf(rp.effectivePos, CodeDateOrder, "%s.%s %s%s is not before the law expires (%s), so the provision would never apply: check both dates against the law's text", what, rp.effectiveKey, p.Start, countsFrom(p.Start), p.End)
			default:
				d.errorf(rp.expiresPos, CodeDateOrder, "%s ends (%s) before it takes effect (%s%s): check both dates against the law's text", what, p.End, p.Start, countsFrom(p.Start))
			}
		}
		if Restricting(p.Measure) && p.Restricts.IsZero() {
			d.warnf(p.Pos, CodeFieldRequired, "%s is %s measure but restricts no hardware: give restricts: {vendors: […]} or {countries: […]} on it or on the law", what, withArticle(p.Measure))
		}
	}
}

// afterProvisions are the law's keys that a provision takes too: written
// at the start of a line below a law's provisions, each is the law's own,
// and what was meant may well be a key of the last provision moved out of
// it, which YAML reads without a word.
var afterProvisions = []string{"effective", "expires", "restricts", "binds", "exempts"}

// checkKeysAfterProvisions warns of each key of afterProvisions that a
// law's YAML front matter gives at the start of a line below its list of
// provisions written as "- " items: the tracker would apply it to every
// provision that leaves it out. Before the provisions, such a key is the
// law's on purpose; in brackets, TOML or JSON no indentation can slip.
func (d *decoder) checkKeysAfterProvisions(root *node, given keysGiven) {
	at, ok := given.pos("provisions")
	pv := root.get("provisions")
	if !ok || pv == nil || pv.kind != listNode || len(pv.items) == 0 {
		return
	}
	rest, ok := strings.CutPrefix(d.line(at.Line), "provisions:")
	if rest = strings.TrimSpace(rest); !ok || rest != "" && !strings.HasPrefix(rest, "#") {
		return
	}
	last := pv.items[len(pv.items)-1]
	indent := ""
	if last.kind == mapNode && len(last.fields) > 0 {
		indent = fmt.Sprintf(", %d spaces in as its other keys", last.fields[0].pos.Col-1)
	}
	for _, name := range afterProvisions {
		p, ok := given.pos(name)
		if !ok || p.Line <= at.Line || p.Col != 1 {
			continue
		}
		value := ""
		if v := root.get(name); v != nil && v.kind != scalarNode && v.pos.Line > p.Line {
			value = ", and the lines of its value with it"
		}
		d.warnf(p, CodeAfterProvisions, "%s, written after the provisions at the start of the line, is the law's own: it applies to the whole law, to each provision that gives no %s of its own; if it belongs to provisions[%d] (the last), indent it under it%s%s",
			name, name, len(pv.items), indent, value)
	}
}

// misplaced reports whether the entry's front matter is that of another
// type: at least two of its keys are unknown to its own type and all of
// them are fields of the other, which has every required field it needs.
// It returns the other type and the keys. A page is one of them too: an
// agency saved in pages/ was an error for each of its fields.
func (d *decoder) misplaced(root *node) (Type, []field, bool) {
	if len(d.unknown) < 2 {
		return "", nil, false
	}
	for _, s := range Sections {
		o := FrontMatter(s.Type)
		if s.Type == d.e.Type {
			continue
		}
		fits := true
		for _, f := range d.unknown {
			fits = fits && o.Field(f.key) != nil
		}
		for _, name := range o.requiredNames() {
			if name != "sources" {
				fits = fits && root.get(name) != nil
			}
		}
		if fits {
			return s.Type, d.unknown, true
		}
	}
	return "", nil, false
}

func fieldNames(fs []field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.key
	}
	return out
}

// andList joins names as "a, b and c".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// withArticle puts "a" or "an" before a word: "an enacted", "a repealed".
func withArticle(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}

// countsFrom says, for a message, from which day a start given as a month
// or a year counts: ", which counts from its last day, 2023-12-31"; ""
// for a full date.
func countsFrom(start Date) string {
	if start.Day != 0 {
		return ""
	}
	return ", which counts from its last day, " + start.LastDay().String()
}
