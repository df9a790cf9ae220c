// Package kbdiff tells a reviewer what a change does to a knowledge base:
// first, which agencies' tracker statuses change and why; then which
// entries were added, removed or renamed; which fields changed, field by
// field (not lines of text); which sources were added or dropped; and how
// much of each body changed. It compares two knowledge bases that are
// already loaded, with the files they were read from; dronekb diff reads
// them from git revisions or folders.
package kbdiff

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/markdown"
)

// Side is one side of a comparison: a knowledge base, the files it was
// loaded from, and what to call it ("main", "the working tree").
type Side struct {
	Label string
	FS    fs.FS
	KB    *kb.KB
}

// Diff is what changed from a base knowledge base to a head one.
type Diff struct {
	Base  string `json:"base"`
	Head  string `json:"head"`
	AsOf  string `json:"as_of"`
	Files int    `json:"files"` // entry files compared
	// Errors counts the content errors of each side: a change with errors
	// cannot be built, and its tracker may be incomplete.
	Errors Errors `json:"errors"`
	// Problems are the errors and warnings of dronekb check that the head
	// has and the base had not: what the change brings, which a reviewer
	// sees here rather than in the check's log of the whole knowledge base.
	Problems []kb.Diagnostic `json:"problems"`
	Tracker  []StatusChange  `json:"tracker"`
	Added    []EntryRef      `json:"added"`
	Removed  []EntryRef      `json:"removed"`
	Renamed  []Rename        `json:"renamed"`
	Changed  []EntryChange   `json:"changed"`
}

// Errors counts content errors on each side.
type Errors struct {
	Base int `json:"base"`
	Head int `json:"head"`
}

// Empty reports whether nothing changed.
func (d *Diff) Empty() bool {
	return len(d.Tracker) == 0 && len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Renamed) == 0 && len(d.Changed) == 0
}

// StatusChange is an agency whose tracker status differs between the
// sides, on the same date. An agency that is new has no Before; one that
// was removed has no After.
type StatusChange struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Before      kb.Status `json:"before,omitempty"`
	After       kb.Status `json:"after,omitempty"`
	Reason      string    `json:"reason"` // why it has its status now (or had it, when removed)
	RenamedFrom string    `json:"renamed_from,omitempty"`
	// Unreadable says that an agency with no After is still there but
	// could not be read (its errors are among Problems), not removed.
	Unreadable bool `json:"unreadable,omitempty"`
}

// EntryRef names an entry.
type EntryRef struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title"`
}

// Rename is an entry whose file moved: the same entry under another slug.
type Rename struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Type  string `json:"type"`
	Title string `json:"title"`
}

// EntryChange is an entry whose file changed: its fields, sources and body.
type EntryChange struct {
	ID             string        `json:"id"`
	Type           string        `json:"type"`
	Title          string        `json:"title"`
	RenamedFrom    string        `json:"renamed_from,omitempty"`
	Fields         []FieldChange `json:"fields"`
	SourcesAdded   []string      `json:"sources_added"`
	SourcesDropped []string      `json:"sources_dropped"`
	// SourcesRenumbered are the sources kept whose number changed: the
	// text's [n] then cite another source unless the text changed with it.
	SourcesRenumbered []Renumbered `json:"sources_renumbered"`
	Body              *BodyChange  `json:"body,omitempty"`
}

// Renumbered is a source that moved in an entry's list: [From] is now [To].
// Cited says whether the new text still cites [From].
type Renumbered struct {
	URL   string `json:"url"`
	From  int    `json:"from"`
	To    int    `json:"to"`
	Cited bool   `json:"cited"`
}

// bodies parses entry bodies for their citations.
var bodies = markdown.New()

// cited returns the source numbers a body cites.
func cited(body []byte) map[int]bool {
	out := map[int]bool{}
	for _, c := range bodies.Parse(body).Citations() {
		out[c.N] = true
	}
	return out
}

// FieldChange is a field whose value changed; Before or After is empty
// when the field was added or removed.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// BodyChange counts the lines of a body that were added and removed.
type BodyChange struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
}

// entryFile is an entry file of one side.
type entryFile struct {
	id, typ, path string
	data          []byte
	fm            kb.Value // its front matter, once parsed
	body          []byte
	parsed, ok    bool
}

func (f *entryFile) parse() bool {
	if !f.parsed {
		f.parsed = true
		var err error
		f.fm, f.body, err = kb.ParseEntry(f.data)
		f.ok = err == nil
	}
	return f.ok
}

// title returns the entry's title as the knowledge base has it, else as
// written, else its ID.
func (f *entryFile) title(k *kb.KB) string {
	if e := k.Entry(f.id); e != nil && e.Title != "" {
		return e.Title
	}
	if f.parse() {
		if t, ok := f.fm.Get("title"); ok && t.Kind == kb.ValueScalar && t.Text != "" {
			return t.Text
		}
	}
	return f.id
}

// entryFiles lists the entry files of a side, by ID: the markdown files of
// its sections and of pages/, as the loader reads them.
func entryFiles(fsys fs.FS) map[string]*entryFile {
	out := map[string]*entryFile{}
	dirs := map[string]string{kb.PagesSection.Dir: string(kb.TypePage)}
	for _, s := range kb.Sections {
		dirs[s.Dir] = string(s.Type)
	}
	for dir, typ := range dirs {
		ents, err := fs.ReadDir(fsys, dir)
		if err != nil {
			continue
		}
		for _, de := range ents {
			name := de.Name()
			if !de.Type().IsRegular() || !strings.HasSuffix(name, ".md") || strings.EqualFold(name, "README.md") || strings.HasPrefix(name, ".") {
				continue
			}
			p := path.Join(dir, name)
			data, err := readLimited(fsys, p)
			if err != nil {
				continue
			}
			id := dir + "/" + strings.TrimSuffix(name, ".md")
			f := &entryFile{id: id, typ: typ, path: p, data: data}
			if len(data) > kb.MaxFileSize {
				// The loader refuses it (FILE_TOO_LARGE): it is listed as an
				// entry that cannot be read, compared by its first bytes.
				f.parsed = true
			}
			out[id] = f
		}
	}
	return out
}

// readLimited reads the file at p, but no more than one byte past
// kb.MaxFileSize: a pull request's 100 MB entry would otherwise be held
// whole, on both sides, by the job that compares it.
func readLimited(fsys fs.FS, p string) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, kb.MaxFileSize+1))
}

// Compare tells what changed from base to head, with the tracker of both
// computed on asOf.
func Compare(base, head Side, asOf kb.Date) *Diff {
	d := &Diff{Base: base.Label, Head: head.Label, AsOf: asOf.String(),
		Errors:   Errors{Base: base.KB.Diagnostics.Errors(false), Head: head.KB.Diagnostics.Errors(false)},
		Problems: []kb.Diagnostic{}, Tracker: []StatusChange{}, Added: []EntryRef{}, Removed: []EntryRef{}, Renamed: []Rename{}, Changed: []EntryChange{}}
	a, b := entryFiles(base.FS), entryFiles(head.FS)
	d.Files = len(b)
	var added, removed []*entryFile
	for _, id := range sortedKeys(b) {
		if _, ok := a[id]; !ok {
			added = append(added, b[id])
		}
	}
	for _, id := range sortedKeys(a) {
		if _, ok := b[id]; !ok {
			removed = append(removed, a[id])
		}
	}
	renamedFrom := d.renames(removed, added, base.KB, head.KB)
	renamedTo := map[string]string{}
	for to, from := range renamedFrom {
		renamedTo[from] = to
	}
	for _, f := range added {
		if _, ok := renamedFrom[f.id]; !ok {
			d.Added = append(d.Added, EntryRef{ID: f.id, Type: f.typ, Title: f.title(head.KB)})
		}
	}
	for _, f := range removed {
		if _, ok := renamedTo[f.id]; !ok {
			d.Removed = append(d.Removed, EntryRef{ID: f.id, Type: f.typ, Title: f.title(base.KB)})
		}
	}
	for _, id := range sortedKeys(b) {
		fb := b[id]
		fa, ok := a[id]
		from := ""
		if !ok {
			if from, ok = renamedFrom[id]; !ok {
				continue
			}
			fa = a[from]
		}
		if bytes.Equal(fa.data, fb.data) && from == "" {
			continue
		}
		if c := changeOf(fa, fb); from != "" || len(c.Fields)+len(c.SourcesAdded)+len(c.SourcesDropped)+len(c.SourcesRenumbered) > 0 || c.Body != nil {
			c.ID, c.Type, c.Title, c.RenamedFrom = id, fb.typ, fb.title(head.KB), from
			d.Changed = append(d.Changed, c)
		}
	}
	d.Tracker = trackerChanges(base.KB.Tracker(asOf), head.KB.Tracker(asOf), renamedTo)
	for i, c := range d.Tracker {
		if _, ok := b[c.ID]; ok && c.After == "" {
			d.Tracker[i].Unreadable = true
		}
	}
	d.Problems = newProblems(base.KB.Diagnostics, head.KB.Diagnostics, renamedTo)
	return d
}

// newProblems returns the diagnostics of head that base did not have. A
// problem is the same one on both sides if it is in the same file (the
// renamed file's, for an entry renamed), of the same code and message:
// not at the same line, since an edit above it moves it. Numbers of lines
// within a message are left out of the comparison for the same reason.
func newProblems(base, head kb.Diagnostics, renamedTo map[string]string) []kb.Diagnostic {
	// moved names a base file as the head has it: an entry file is
	// <section>/<slug>.md under the content folder, whatever that is
	// called ("content", ".", "site/content").
	moved := func(file string) string {
		dir, name := path.Split(file)
		parent, section := path.Split(strings.TrimSuffix(dir, "/"))
		if to, ok := renamedTo[section+"/"+strings.TrimSuffix(name, ".md")]; ok && section != "" {
			return parent + to + ".md"
		}
		return file
	}
	key := func(d kb.Diagnostic, file string) string {
		return file + "\x00" + string(d.Code) + "\x00" + lineNumbers.ReplaceAllString(d.Message, "line")
	}
	had := map[string]int{}
	for _, d := range base {
		had[key(d, moved(d.File))]++
	}
	out := []kb.Diagnostic{}
	for _, d := range head {
		if k := key(d, d.File); had[k] > 0 {
			had[k]--
			continue
		}
		out = append(out, d)
	}
	return out
}

// lineNumbers matches the line numbers a message names ("on line 12").
var lineNumbers = regexp.MustCompile(`\blines? [0-9]+`)

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// renames pairs removed entries with added ones of the same type that are
// the same entry under a new slug: the same file, or the same title, body
// or most of the same sources. It returns new ID → old ID.
func (d *Diff) renames(removed, added []*entryFile, ka, kbh *kb.KB) map[string]string {
	type pair struct {
		from, to *entryFile
		score    float64
	}
	var pairs []pair
	for _, r := range removed {
		for _, n := range added {
			if r.typ != n.typ {
				continue
			}
			if s := renameScore(r, n, ka, kbh); s > 0 {
				pairs = append(pairs, pair{r, n, s})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool {
		if pairs[i].score != pairs[j].score {
			return pairs[i].score > pairs[j].score
		}
		if pairs[i].to.id != pairs[j].to.id {
			return pairs[i].to.id < pairs[j].to.id
		}
		return pairs[i].from.id < pairs[j].from.id
	})
	out := map[string]string{}
	used := map[string]bool{}
	for _, p := range pairs {
		if used[p.from.id] || out[p.to.id] != "" {
			continue
		}
		used[p.from.id] = true
		out[p.to.id] = p.from.id
		d.Renamed = append(d.Renamed, Rename{From: p.from.id, To: p.to.id, Type: p.to.typ, Title: p.to.title(kbh)})
	}
	sort.Slice(d.Renamed, func(i, j int) bool { return d.Renamed[i].To < d.Renamed[j].To })
	return out
}

// renameScore says how surely n is r renamed: 0 if it is not.
func renameScore(r, n *entryFile, ka, kbh *kb.KB) float64 {
	if bytes.Equal(r.data, n.data) {
		return 4
	}
	if !r.parse() || !n.parse() {
		return 0
	}
	score := 0.0
	if tr, tn := r.title(ka), n.title(kbh); tr != r.id && strings.EqualFold(strings.TrimSpace(tr), strings.TrimSpace(tn)) {
		score += 2
	}
	if len(bytes.TrimSpace(r.body)) > 0 && bytes.Equal(bytes.TrimSpace(r.body), bytes.TrimSpace(n.body)) {
		score += 2
	}
	sr, sn := sourceURLs(r.fm), sourceURLs(n.fm)
	if len(sr) > 0 && len(sn) > 0 {
		common := 0
		for u := range sr {
			if sn[u] {
				common++
			}
		}
		if j := float64(common) / float64(len(sr)+len(sn)-common); j >= 0.5 {
			score += j
		}
	}
	if score < 1 {
		return 0
	}
	return score
}

// sourceURLs returns the URLs of an entry's sources, as written.
func sourceURLs(fm kb.Value) map[string]bool {
	out := map[string]bool{}
	for _, s := range sourceList(fm) {
		out[s.url] = true
	}
	return out
}

type source struct {
	url string
	v   kb.Value
}

func sourceList(fm kb.Value) []source {
	v, ok := fm.Get("sources")
	if !ok {
		return nil
	}
	items := v.Items
	if v.Kind == kb.ValueScalar {
		items = []kb.Value{v}
	}
	var out []source
	for _, it := range items {
		switch it.Kind {
		case kb.ValueScalar:
			out = append(out, source{url: strings.TrimSpace(it.Text), v: it})
		case kb.ValueTable:
			if u, ok := it.Get("url"); ok && u.Kind == kb.ValueScalar {
				out = append(out, source{url: strings.TrimSpace(u.Text), v: it})
			}
		}
	}
	return out
}

// changeOf compares an entry's two files field by field.
func changeOf(a, b *entryFile) EntryChange {
	c := EntryChange{Fields: []FieldChange{}, SourcesAdded: []string{}, SourcesDropped: []string{}, SourcesRenumbered: []Renumbered{}}
	if !a.parse() || !b.parse() {
		// One side cannot be read: say so, rather than compare text.
		c.Fields = append(c.Fields, FieldChange{Field: "front matter", Before: readable(a), After: readable(b)})
		return c
	}
	diffTables("", a.fm, b.fm, &c.Fields, true)
	sa, sb := sourceList(a.fm), sourceList(b.fm)
	inA, inB := map[string]kb.Value{}, map[string]kb.Value{}
	for _, s := range sa {
		inA[s.url] = s.v
	}
	for _, s := range sb {
		inB[s.url] = s.v
		if _, ok := inA[s.url]; !ok {
			c.SourcesAdded = append(c.SourcesAdded, s.url)
		}
	}
	for _, s := range sa {
		if _, ok := inB[s.url]; !ok {
			c.SourcesDropped = append(c.SourcesDropped, s.url)
		}
	}
	// A source kept with other details: its title, publisher, date.
	for _, s := range sb {
		if va, ok := inA[s.url]; ok {
			diffValues("sources["+s.url+"]", asTable(va, "url"), asTable(s.v, "url"), &c.Fields)
		}
	}
	// A source kept at another number: the citations that named it. A
	// URL listed twice (a warning) counts at its first place on each side.
	first := func(list []source) map[string]int {
		at := make(map[string]int, len(list))
		for i, s := range list {
			if _, seen := at[s.url]; !seen {
				at[s.url] = i + 1
			}
		}
		return at
	}
	was, is := first(sa), first(sb)
	var cites map[int]bool // the new text's, read at the first renumbering
	for i, s := range sb {
		if from, ok := was[s.url]; ok && is[s.url] == i+1 && from != i+1 {
			if cites == nil {
				cites = cited(b.body)
			}
			c.SourcesRenumbered = append(c.SourcesRenumbered, Renumbered{URL: s.url, From: from, To: i + 1, Cited: cites[from]})
		}
	}
	if !bytes.Equal(a.body, b.body) {
		c.Body = bodyChange(a.body, b.body)
	}
	return c
}

func readable(f *entryFile) string {
	if f.parse() {
		return "(readable)"
	}
	return "(cannot be read: run dronekb check)"
}

// asTable returns a source written as its URL alone as a table.
func asTable(v kb.Value, key string) kb.Value {
	if v.Kind == kb.ValueScalar {
		return kb.Value{Kind: kb.ValueTable, Keys: []string{key}, Fields: []kb.Value{v}}
	}
	return v
}

// diffTables compares two tables key by key, in the order base wrote them
// and then the keys head added. At the top, sources are left out: they
// are compared by URL.
func diffTables(prefix string, a, b kb.Value, out *[]FieldChange, top bool) {
	name := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	for i, k := range a.Keys {
		if top && k == "sources" {
			continue
		}
		vb, ok := b.Get(k)
		if !ok {
			vb = kb.Value{}
		}
		diffValues(name(k), a.Fields[i], vb, out)
	}
	for i, k := range b.Keys {
		if top && k == "sources" {
			continue
		}
		if _, ok := a.Get(k); !ok {
			diffValues(name(k), kb.Value{}, b.Fields[i], out)
		}
	}
}

// diffValues compares two values of a field.
func diffValues(field string, a, b kb.Value, out *[]FieldChange) {
	switch {
	case a.Kind == kb.ValueTable && b.Kind == kb.ValueTable:
		diffTables(field, a, b, out, false)
	case a.Kind == kb.ValueList && b.Kind == kb.ValueList && hasTables(a, b):
		diffLists(field, a, b, out)
	case a.Kind == kb.ValueList && b.Kind == kb.ValueList:
		// Tags, related entries, slugs: what was taken out and put in.
		gone, added := setDiff(a.Items, b.Items), setDiff(b.Items, a.Items)
		if len(gone)+len(added) > 0 {
			*out = append(*out, FieldChange{Field: field, Before: listed("removed", gone), After: listed("added", added)})
		}
	default:
		ra, rb := render(a), render(b)
		if ra != rb {
			*out = append(*out, FieldChange{Field: field, Before: ra, After: rb})
		}
	}
}

// setDiff returns the rendered items of a that b does not have.
func setDiff(a, b []kb.Value) []string {
	in := map[string]bool{}
	for _, v := range b {
		in[render(v)] = true
	}
	var out []string
	for _, v := range a {
		if r := render(v); !in[r] {
			out = append(out, r)
			in[r] = true
		}
	}
	return out
}

func listed(what string, items []string) string {
	if len(items) == 0 {
		return ""
	}
	return what + ": " + strings.Join(items, ", ")
}

func hasTables(a, b kb.Value) bool {
	for _, v := range append(slices.Clone(a.Items), b.Items...) {
		if v.Kind == kb.ValueTable {
			return true
		}
	}
	return false
}

// itemKeys say what identifies an item of a list of tables, by the list's
// name: a fleet item is its vendor and model wherever it sits in the list.
var itemKeys = map[string][]string{
	"fleet":   {"vendor", "model"},
	"history": {"date"},
}

// diffLists compares lists of tables: items that identify themselves
// (fleet items by vendor and model) are matched wherever they sit, others
// by position. A matched item's fields are compared one by one.
//
// Several items may share what identifies them (two DJI drones of no
// model given): an item unchanged on both sides is matched with its twin
// first, then each changed one with the twin it differs from least, and
// each is named with its place among those sharing its name ("fleet[dji
// #2]"): a changed or removed item its place before the change, an added
// one its place after. Matched in order alone, the removal of the first
// of two read as the first changed into the second and the second
// removed (found in review).
func diffLists(field string, a, b kb.Value, out *[]FieldChange) {
	base := field
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		base = base[i+1:]
	}
	keys := itemKeys[base]
	name := func(v kb.Value, i int) string {
		if len(keys) > 0 && v.Kind == kb.ValueTable {
			var parts []string
			for _, k := range keys {
				if x, ok := v.Get(k); ok && x.Kind == kb.ValueScalar && x.Text != "" {
					parts = append(parts, x.Text)
				}
			}
			if len(parts) > 0 {
				return strings.Join(parts, " ")
			}
		}
		return strconv.Itoa(i + 1)
	}
	names := func(items []kb.Value) []string {
		out := make([]string, len(items))
		for i, v := range items {
			out[i] = name(v, i)
		}
		return out
	}
	na, nb := names(a.Items), names(b.Items)
	shared := map[string]bool{} // names more than one item has, on either side
	for _, side := range [][]string{na, nb} {
		seen := map[string]bool{}
		for _, n := range side {
			shared[n] = shared[n] || seen[n]
			seen[n] = true
		}
	}
	labels := func(side []string) []string {
		out := make([]string, len(side))
		count := map[string]int{}
		for i, n := range side {
			count[n]++
			if shared[n] {
				out[i] = field + "[" + n + " #" + strconv.Itoa(count[n]) + "]"
			} else {
				out[i] = field + "[" + n + "]"
			}
		}
		return out
	}
	la, lb := labels(na), labels(nb)
	match := make([]int, len(b.Items)) // b's item → a's, or -1
	used := make([]bool, len(a.Items))
	for j := range match {
		match[j] = -1
	}
	pass := func(same func(i, j int) bool) {
		for j := range b.Items {
			if match[j] >= 0 {
				continue
			}
			for i := range a.Items {
				if !used[i] && na[i] == nb[j] && same(i, j) {
					match[j], used[i] = i, true
					break
				}
			}
		}
	}
	if len(keys) > 0 {
		pass(func(i, j int) bool { return shared[na[i]] && render(a.Items[i]) == render(b.Items[j]) })
		// Then each changed item with the twin it differs from least.
		for j := range b.Items {
			if match[j] >= 0 || !shared[nb[j]] {
				continue
			}
			best, fewest := -1, 0
			for i := range a.Items {
				if used[i] || na[i] != nb[j] {
					continue
				}
				if d := differing(a.Items[i], b.Items[j]); best < 0 || d < fewest {
					best, fewest = i, d
				}
			}
			if best >= 0 {
				match[j], used[best] = best, true
			}
		}
	}
	pass(func(i, j int) bool { return true })
	for j, vb := range b.Items {
		if i := match[j]; i >= 0 {
			diffValues(la[i], a.Items[i], vb, out)
		} else {
			*out = append(*out, FieldChange{Field: lb[j], After: render(vb)})
		}
	}
	for i, va := range a.Items {
		if !used[i] {
			*out = append(*out, FieldChange{Field: la[i], Before: render(va)})
		}
	}
}

// differing counts the fields two tables do not share the same value of.
func differing(a, b kb.Value) int {
	n := 0
	for i, k := range a.Keys {
		if v, ok := b.Get(k); !ok || render(v) != render(a.Fields[i]) {
			n++
		}
	}
	for _, k := range b.Keys {
		if _, ok := a.Get(k); !ok {
			n++
		}
	}
	return n
}

// render writes a value compactly, as YAML's flow style would: scalars as
// written, lists as [a, b], tables as {key: value}; nothing is "".
func render(v kb.Value) string {
	switch v.Kind {
	case kb.ValueScalar:
		return v.Text
	case kb.ValueList:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = render(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case kb.ValueTable:
		parts := make([]string, len(v.Keys))
		for i, k := range v.Keys {
			parts[i] = k + ": " + render(v.Fields[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// bodyChange counts the lines of b not in a and of a not in b, each line
// as many times as it occurs.
func bodyChange(a, b []byte) *BodyChange {
	count := map[string]int{}
	for _, l := range strings.Split(string(a), "\n") {
		count[l]++
	}
	c := &BodyChange{}
	for _, l := range strings.Split(string(b), "\n") {
		if count[l] > 0 {
			count[l]--
		} else if strings.TrimSpace(l) != "" {
			c.Added++
		}
	}
	for l, n := range count {
		if strings.TrimSpace(l) != "" {
			c.Removed += n
		}
	}
	return c
}

// trackerChanges lists the agencies whose status differs, the most
// serious status (after the change) first. An agency renamed keeps its
// standing under its new ID.
func trackerChanges(ta, tb *kb.Tracker, renamedTo map[string]string) []StatusChange {
	out := []StatusChange{}
	seen := map[string]bool{}
	for _, asb := range tb.Agencies {
		id := asb.Agency.ID
		from := ""
		asa := ta.Agency(id)
		for old, to := range renamedTo {
			if to == id {
				from, asa = old, ta.Agency(old)
			}
		}
		if asa != nil {
			seen[asa.Agency.ID] = true
		}
		if asa != nil && asa.Status == asb.Status {
			continue
		}
		c := StatusChange{ID: id, Title: asb.Agency.Title, After: asb.Status, Reason: asb.ReasonText(), RenamedFrom: from}
		if asa != nil {
			c.Before = asa.Status
		}
		out = append(out, c)
	}
	for _, asa := range ta.Agencies {
		if !seen[asa.Agency.ID] && tb.Agency(asa.Agency.ID) == nil {
			out = append(out, StatusChange{ID: asa.Agency.ID, Title: asa.Agency.Title, Before: asa.Status, Reason: asa.ReasonText()})
		}
	}
	rank := map[kb.Status]int{}
	for i, s := range kb.Statuses {
		rank[s] = i
	}
	severity := func(c StatusChange) int {
		if c.After == "" {
			return rank[c.Before]
		}
		return rank[c.After]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if si, sj := severity(out[i]), severity(out[j]); si != sj {
			return si < sj
		}
		return out[i].ID < out[j].ID
	})
	return out
}
