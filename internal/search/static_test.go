package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// decoded is a static index read back.
type decoded struct {
	manifest search.StaticManifest
	terms    map[string]*dterm
	order    []string // terms in shard order
	facets   []dfacet
	tags     [][]int
	days     []int
	ranks    []int
	docs     []search.StaticDoc
}

// nFields is the number of text fields: title, short, summary, body,
// place, cites, fleet.
const nFields = 7

type dterm struct {
	shard    int
	df       [nFields]int
	postings []dposting
}

type dposting struct {
	Doc     int
	Mask    int
	Weights [nFields]int
	Pos     [nFields][]int // per text field; a name key has none
}

type dfacet struct {
	Type, Status, Country int
	Restricted, French    bool
	Vendors               []int
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	z, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type reader struct {
	t *testing.T
	b []byte
	i int
}

func (r *reader) uvarint() int {
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.t.Fatalf("bad varint at %d", r.i)
	}
	r.i += n
	return int(v)
}

// set reads a count, then that many deltas.
func (r *reader) set() []int {
	var out []int
	for n, v, j := r.uvarint(), 0, 0; j < n; j++ {
		v += r.uvarint()
		out = append(out, v)
	}
	return out
}

// decode reads every file of a static index, the way search.js does.
func decode(t *testing.T, files map[string][]byte) *decoded {
	t.Helper()
	d := &decoded{terms: map[string]*dterm{}}
	if err := json.Unmarshal(gunzip(t, files["search/manifest.bin"]), &d.manifest); err != nil {
		t.Fatal(err)
	}
	m := &d.manifest
	if len(m.Fields) != nFields {
		t.Fatalf("%d fields, want %d", len(m.Fields), nFields)
	}
	for i := range m.Shards {
		r := &reader{t: t, b: gunzip(t, files[fmt.Sprintf("search/t/%d.bin", i)])}
		pos := &reader{t: t, b: gunzip(t, files[fmt.Sprintf("search/p/%d.bin", i)])}
		n := r.uvarint()
		var prev []byte
		for k := 0; k < n; k++ {
			shared, size := r.uvarint(), r.uvarint()
			term := append(append([]byte{}, prev[:shared]...), r.b[r.i:r.i+size]...)
			r.i += size
			prev = term
			dt := &dterm{shard: i}
			for f := range dt.df {
				dt.df[f] = r.uvarint()
			}
			if off := r.uvarint(); off != pos.i {
				t.Fatalf("%q: positions at %d, want %d", term, off, pos.i)
			}
			count, length := r.uvarint(), r.uvarint()
			end := r.i + length
			doc := 0
			for j := 0; j < count; j++ {
				x := r.uvarint()
				doc += x >> nFields
				p := dposting{Doc: doc, Mask: x & (1<<nFields - 1)}
				for f := 0; f < nFields; f++ {
					if p.Mask&(1<<f) != 0 {
						p.Weights[f] = int(r.b[r.i])
						r.i++
					}
				}
				dt.postings = append(dt.postings, p)
			}
			if r.i != end {
				t.Fatalf("%q: postings end at %d, want %d", term, r.i, end)
			}
			for j := range dt.postings {
				p := &dt.postings[j]
				for _, f := range m.Phrase {
					if p.Mask&(1<<f) == 0 {
						continue
					}
					np, x := pos.uvarint(), 0
					for k := 0; k < np; k++ {
						x += pos.uvarint()
						p.Pos[f] = append(p.Pos[f], x)
					}
				}
			}
			if k == 0 && string(term) != m.Shards[i] {
				t.Fatalf("shard %d starts with %q, the manifest says %q", i, term, m.Shards[i])
			}
			if _, dup := d.terms[string(term)]; dup {
				t.Fatalf("%q twice", term)
			}
			d.terms[string(term)] = dt
			d.order = append(d.order, string(term))
		}
		if r.i != len(r.b) || pos.i != len(pos.b) {
			t.Fatalf("shard %d: %d of %d bytes read, positions %d of %d", i, r.i, len(r.b), pos.i, len(pos.b))
		}
	}
	r := &reader{t: t, b: gunzip(t, files["search/facets.bin"])}
	for k := 0; k < m.Docs; k++ {
		b := r.b[r.i]
		r.i++
		f := dfacet{Type: int(b & 3), Restricted: b&4 != 0, French: b&8 != 0, Status: r.uvarint() - 1, Country: r.uvarint() - 1, Vendors: r.set()}
		d.facets = append(d.facets, f)
	}
	tags := &reader{t: t, b: gunzip(t, files["search/tags.bin"])}
	keys := &reader{t: t, b: gunzip(t, files["search/sort.bin"])}
	for k := 0; k < m.Docs; k++ {
		d.tags = append(d.tags, tags.set())
		d.days = append(d.days, keys.uvarint())
		d.ranks = append(d.ranks, keys.uvarint())
	}
	for _, x := range []*reader{r, tags, keys} {
		if x.i != len(x.b) {
			t.Fatalf("%d of %d bytes read", x.i, len(x.b))
		}
	}
	for c := 0; c*m.DocChunk < m.Docs; c++ {
		var chunk []search.StaticDoc
		if err := json.Unmarshal(gunzip(t, files[fmt.Sprintf("search/d/%d.bin", c)]), &chunk); err != nil {
			t.Fatal(err)
		}
		d.docs = append(d.docs, chunk...)
	}
	return d
}

// TestStaticKnownAnswer writes the static index of three documents and
// reads every byte of it back.
func TestStaticKnownAnswer(t *testing.T) {
	ids := []string{"vendors/acme", "agencies/pd", "laws/ban"}
	docs := []search.Doc{
		{Type: "vendor", Title: "Acme", Summary: "Acme's drones.", Country: "CN", Place: "China", Vendor: []string{"acme"}, Restricted: true, Path: "vendors/acme/",
			Tags: []string{"china"}},
		{Type: "agency", Title: "Drone Police", Short: "PD", Body: "Police drones fly. Drones!", Fleet: "Acme\nX9", Country: "US", Vendor: []string{"zeta", "acme"},
			Status: "flying-restricted", Restricted: true, Path: "agencies/pd/"},
		{Type: "law", Title: "The Ban", Summary: "Made in China", Country: "US", Vendor: []string{"acme"}, Status: "in-force", When: "2020-01", Path: "laws/ban/",
			Tags: []string{"china", "ban"}, Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Lang: "fr"},
	}
	files, err := search.StaticFiles(context.Background(), ids, docs, "/")
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, files)
	m := d.manifest
	if m.Docs != 3 || m.Format != 5 || m.Mapping != search.MappingVersion || len(m.Version) != 16 {
		t.Errorf("manifest: %+v", m)
	}
	if !slices.Equal(m.Fields, []string{"title", "short", "summary", "body", "place", "cites", "fleet"}) || !slices.Equal(m.Boosts, []float64{4, 4, 2, 1, 0.05, 0.1, 2}) ||
		!slices.Equal(m.Phrase, []int{0, 1, 2, 3, 4, 5, 6}) {
		t.Errorf("fields %v boosts %v", m.Fields, m.Boosts)
	}
	// Documents are numbered by ID: agencies/pd, laws/ban, vendors/acme.
	w := func(tf, n int) int { return int(math.Round(255 * math.Sqrt(float64(tf)/float64(n)))) }
	want := map[string]*dterm{
		// The agency flies Acme's X9: its fleet field, with positions.
		"acm": {df: [nFields]int{1, 0, 1, 0, 0, 0, 1}, postings: []dposting{
			{Doc: 0, Mask: 64, Weights: [nFields]int{6: w(1, 2)}, Pos: [nFields][]int{6: {1}}},
			{Doc: 2, Mask: 1 | 4, Weights: [nFields]int{255, 0, w(1, 2), 0}, Pos: [nFields][]int{{1}, nil, {1}, nil}}}},
		"x9": {df: [nFields]int{6: 1}, postings: []dposting{{Doc: 0, Mask: 64, Weights: [nFields]int{6: w(1, 2)}, Pos: [nFields][]int{6: {2}}}}},
		"drone": {df: [nFields]int{1, 0, 1, 1}, postings: []dposting{
			{Doc: 0, Mask: 1 | 8, Weights: [nFields]int{w(1, 2), 0, 0, w(2, 4)}, Pos: [nFields][]int{{1}, nil, nil, {2, 4}}},
			{Doc: 2, Mask: 4, Weights: [nFields]int{0, 0, w(1, 2), 0}, Pos: [nFields][]int{nil, nil, {2}, nil}}}},
		"polic": {df: [nFields]int{1, 0, 0, 1}, postings: []dposting{
			{Doc: 0, Mask: 1 | 8, Weights: [nFields]int{w(1, 2), 0, 0, w(1, 4)}, Pos: [nFields][]int{{2}, nil, nil, {1}}}}},
		// "fly" is "fli", as "flies" and "flying" are (flyFilter).
		"fli": {df: [nFields]int{0, 0, 0, 1}, postings: []dposting{{Doc: 0, Mask: 8, Weights: [nFields]int{0, 0, 0, w(1, 4)}, Pos: [nFields][]int{nil, nil, nil, {3}}}}},
		"pd":  {df: [nFields]int{0, 1, 0, 0}, postings: []dposting{{Doc: 0, Mask: 2, Weights: [nFields]int{0, 255, 0, 0}, Pos: [nFields][]int{1: {1}}}}},
		"ban": {df: [nFields]int{1, 0, 0, 0}, postings: []dposting{{Doc: 1, Mask: 1, Weights: [nFields]int{255, 0, 0, 0}, Pos: [nFields][]int{{2}, nil, nil, nil}}}},
		// "Made in China": "in" is a stop word but keeps its position.
		"made": {df: [nFields]int{0, 0, 1, 0}, postings: []dposting{{Doc: 1, Mask: 4, Weights: [nFields]int{0, 0, w(1, 2), 0}, Pos: [nFields][]int{nil, nil, {1}, nil}}}},
		// China is in the law's summary, and is the vendor's place, a
		// field of its own, with positions.
		"china": {df: [nFields]int{0, 0, 1, 0, 1}, postings: []dposting{
			{Doc: 1, Mask: 4, Weights: [nFields]int{0, 0, w(1, 2), 0}, Pos: [nFields][]int{nil, nil, {3}, nil}},
			{Doc: 2, Mask: 16, Weights: [nFields]int{0, 0, 0, 0, 255}, Pos: [nFields][]int{4: {1}}}}},
		// Names, whole, in the short field's place: the title's, and the
		// short name's; weighted as that many words.
		"\x01drone polic": {df: [nFields]int{0, 1, 0, 0}, postings: []dposting{{Doc: 0, Mask: 2, Weights: [nFields]int{0, w(1, 2), 0, 0}}}},
		"\x01pd":          {df: [nFields]int{0, 1, 0, 0}, postings: []dposting{{Doc: 0, Mask: 2, Weights: [nFields]int{0, w(1, 2), 0, 0}}}},
		"\x01acm":         {df: [nFields]int{0, 1, 0, 0}, postings: []dposting{{Doc: 2, Mask: 2, Weights: [nFields]int{0, 255, 0, 0}}}},
	}
	if got := strings.Join(d.order, " "); got != "\x01acm \x01ban \x01drone polic \x01pd acm ban china drone fli made pd polic x9" {
		t.Errorf("terms in order: %s", got)
	}
	for term, wt := range want {
		got := d.terms[term]
		if got == nil {
			t.Errorf("no term %q", term)
			continue
		}
		if got.df != wt.df || !reflect.DeepEqual(got.postings, wt.postings) {
			t.Errorf("%q:\n got  df %v %+v\n want df %v %+v", term, got.df, got.postings, wt.df, wt.postings)
		}
	}
	// Facets: type, country, vendors and status by index into the
	// manifest's values.
	values := map[string][]string{}
	for _, f := range m.Facets {
		values[f.Name] = f.Values
	}
	if !slices.Equal(values["country"], []string{"CN", "US"}) || !slices.Equal(values["vendor"], []string{"acme", "zeta"}) ||
		values["type"][0] != "agency" || values["status"][0] != "flying-banned" {
		t.Errorf("facet values %v", values)
	}
	inForce := slices.Index(values["status"], "in-force")
	restricted := slices.Index(values["status"], "flying-restricted")
	wantFacets := []dfacet{
		{Type: 0, Status: restricted, Country: 1, Restricted: true, Vendors: []int{0, 1}},
		{Type: 2, Status: inForce, Country: 1, French: true, Vendors: []int{0}},
		{Type: 1, Status: -1, Country: 0, Restricted: true, Vendors: []int{0}},
	}
	if !reflect.DeepEqual(d.facets, wantFacets) {
		t.Errorf("facets\n got  %+v\n want %+v", d.facets, wantFacets)
	}
	// Tags by index into the manifest's; dates as days since 0001-01-01
	// plus one; ranks in title order (Acme, Drone Police, The Ban).
	if !slices.Equal(m.Tags, []string{"ban", "china"}) || !reflect.DeepEqual(d.tags, [][]int{nil, {0, 1}, {1}}) {
		t.Errorf("tags %q, by document %v", m.Tags, d.tags)
	}
	if day := 737424 + 1; !slices.Equal(d.days, []int{0, day, 0}) || !slices.Equal(d.ranks, []int{1, 2, 0}) {
		t.Errorf("days %v (want 2020-01-01 as %d), title ranks %v", d.days, day, d.ranks)
	}
	wantDocs := []search.StaticDoc{
		{ID: "agencies/pd", Type: "agency", Title: "Drone Police", Path: "agencies/pd/", Country: "US", Status: "flying-restricted", Text: "Police drones fly. Drones!"},
		{ID: "laws/ban", Type: "law", Title: "The Ban", Path: "laws/ban/", Country: "US", Status: "in-force", Date: "2020-01", Summary: "Made in China", Lang: "fr"},
		{ID: "vendors/acme", Type: "vendor", Title: "Acme", Path: "vendors/acme/", Country: "CN", Summary: "Acme's drones."},
	}
	if !reflect.DeepEqual(d.docs, wantDocs) {
		t.Errorf("display data\n got  %+v\n want %+v", d.docs, wantDocs)
	}
	if !strings.Contains(string(files["api/search"]), "static_index") {
		t.Errorf("api/search marker: %q", files["api/search"])
	}
}

// shippedDocs returns the documents of the shipped content.
func shippedDocs(t *testing.T) ([]string, []search.Doc) {
	t.Helper()
	k := sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t)))
	docs := search.Docs(k, k.Tracker(sitetest.AsOf), site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	return ids, docs
}

// TestStaticHoldsTheAnalysis reads back the static index of the shipped
// content and checks it against an inverted index built here from
// search.AnalyzeTokens: every term of every field of every document, with
// its positions, and nothing else.
func TestStaticHoldsTheAnalysis(t *testing.T) {
	ids, docs := shippedDocs(t)
	files, err := search.StaticFiles(context.Background(), ids, docs, "/")
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, files)
	byID := map[string]int{}
	for i, sd := range d.docs {
		byID[sd.ID] = i
	}
	type key struct {
		term     string
		doc, fld int
	}
	want := map[key][]int{}
	for i := range docs {
		n, ok := byID[ids[i]]
		if !ok {
			t.Fatalf("no display data for %s", ids[i])
		}
		for f, text := range []string{docs[i].Title, docs[i].Short, docs[i].Summary, bodyText(t, &docs[i]), docs[i].Place, docs[i].Cites, docs[i].Fleet} {
			for _, tok := range search.AnalyzeTokens(docs[i].Lang, text) {
				k := key{string(tok.Term), n, f}
				want[k] = append(want[k], tok.Position)
			}
		}
		// The names, whole, in the short field's place.
		for _, text := range []string{docs[i].Title, docs[i].Short} {
			if k := search.NameKey(docs[i].Lang, text); k != "" {
				want[key{search.NameTermPrefix + k, n, 1}] = nil
			}
		}
	}
	got := map[key][]int{}
	for term, dt := range d.terms {
		for _, p := range dt.postings {
			for f := 0; f < nFields; f++ {
				if p.Mask&(1<<f) == 0 {
					continue
				}
				if f == 1 { // short: no positions, count from the weight
					got[key{term, p.Doc, f}] = nil
					continue
				}
				got[key{term, p.Doc, f}] = p.Pos[f]
			}
		}
	}
	for k, pos := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%q in field %d of document %d is missing", k.term, k.fld, k.doc)
			continue
		}
		if k.fld != 1 && !slices.Equal(g, pos) {
			t.Errorf("%q in field %d of document %d: positions %v, want %v", k.term, k.fld, k.doc, g, pos)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%q in field %d of document %d should not be there", k.term, k.fld, k.doc)
		}
	}
	if !sort.StringsAreSorted(d.order) {
		t.Error("terms are not in byte order")
	}
	t.Logf("%d documents, %d terms in %d shards", len(d.docs), len(d.order), len(d.manifest.Shards))
}

// TestStaticDeterministic: the same documents, in any order, give the same
// bytes.
func TestStaticDeterministic(t *testing.T) {
	ids, docs := shippedDocs(t)
	a, err := search.StaticFiles(context.Background(), ids, docs, "/")
	if err != nil {
		t.Fatal(err)
	}
	perm := rand.New(rand.NewPCG(1, 2)).Perm(len(ids))
	ids2, docs2 := make([]string, len(ids)), make([]search.Doc, len(docs))
	for i, j := range perm {
		ids2[i], docs2[i] = ids[j], docs[j]
	}
	b, err := search.StaticFiles(context.Background(), ids2, docs2, "/")
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs", name)
		}
	}
}

// TestStaticVersion: the manifest's version, which search.js puts in the
// URL of every file it fetches, changes when any file changes, so that a
// browser never mixes files of two builds; and WriteStatic writes the
// files StaticFiles returns (serve --watch uses the one, build the other).
func TestStaticVersion(t *testing.T) {
	ctx := context.Background()
	ids, docs := shippedDocs(t)
	version := func(docs []search.Doc) (string, map[string][]byte) {
		t.Helper()
		files, err := search.StaticFiles(ctx, ids, docs, "/")
		if err != nil {
			t.Fatal(err)
		}
		return decode(t, files).manifest.Version, files
	}
	base, files := version(docs)
	changed := func(name string, edit func(d *search.Doc)) {
		t.Helper()
		docs2 := slices.Clone(docs)
		edit(&docs2[len(docs2)/2])
		v, files2 := version(docs2)
		if v == base {
			var differ []string
			for name, data := range files2 {
				if !bytes.Equal(data, files[name]) {
					differ = append(differ, name)
				}
			}
			sort.Strings(differ)
			t.Errorf("%s: the version stayed %s while %s changed", name, v, strings.Join(differ, ", "))
		}
	}
	changed("a new word in a body (a term shard)", func(d *search.Doc) { d.Body = bodyText(t, d) + " zyxwvut" })
	changed("a summary (display data)", func(d *search.Doc) { d.Summary += " More." })
	changed("a tag (tags.bin)", func(d *search.Doc) { d.Tags = append(slices.Clone(d.Tags), "zz-new-tag") })
	changed("a date (sort.bin)", func(d *search.Doc) { d.Date = d.Date.AddDate(0, 0, 1) })

	dir := t.TempDir()
	if err := search.WriteStatic(ctx, dir, ids, docs, search.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if want, ok := files[filepath.ToSlash(rel)]; !ok {
			t.Errorf("WriteStatic wrote %s, which StaticFiles does not return", rel)
		} else if !bytes.Equal(data, want) {
			t.Errorf("WriteStatic wrote %s unlike StaticFiles", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(files) {
		t.Errorf("WriteStatic wrote %d files, StaticFiles returns %d", n, len(files))
	}
}

func TestStaticRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	if _, err := search.StaticFiles(ctx, []string{"a"}, nil, "/"); err == nil {
		t.Error("no error for 1 id and 0 documents")
	}
	two := []search.Doc{{Type: "agency", Title: "A"}, {Type: "agency", Title: "B"}}
	if _, err := search.StaticFiles(ctx, []string{"agencies/a", "agencies/a"}, two, "/"); err == nil {
		t.Error("no error for a duplicate ID")
	}
	if _, err := search.StaticFiles(ctx, []string{"x/a"}, []search.Doc{{Type: "plane", Title: "A"}}, "/"); err == nil {
		t.Error("no error for an unknown type")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := search.StaticFiles(cancelled, []string{"agencies/a"}, two[:1], "/"); err == nil {
		t.Error("no error for a cancelled context")
	}
	// A file that cannot be written stops the index with its error.
	// (A file where the term shards go: the manifest could be written.)
	public := t.TempDir()
	if err := os.MkdirAll(filepath.Join(public, "search"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(public, "search", "t"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ids, docs := shippedDocs(t)
	if err := search.WriteStatic(ctx, public, ids, docs, search.BuildOptions{}); err == nil || !strings.Contains(err.Error(), filepath.Join("search", "t")) {
		t.Errorf("WriteStatic with a file at search/t: got %v, want an error naming it", err)
	}
	// An empty knowledge base still has a manifest.
	files, err := search.StaticFiles(ctx, nil, nil, "/")
	if err != nil {
		t.Fatal(err)
	}
	if d := decode(t, files); d.manifest.Docs != 0 || len(d.manifest.Shards) != 0 {
		t.Errorf("empty: %+v", d.manifest)
	}
}

// BenchmarkStaticFiles10k measures writing the static index of the
// generated 10,000-entry knowledge base (in memory: analysis, inversion,
// encoding, compression) and reports its size.
func BenchmarkStaticFiles10k(b *testing.B) {
	ids, docs := corpus10k(b)
	var files map[string][]byte
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var err error
		if files, err = search.StaticFiles(context.Background(), ids, docs, "/"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var size int
	for _, f := range files {
		size += len(f)
	}
	b.ReportMetric(float64(size)/1e6, "MB")
	b.ReportMetric(float64(len(files)), "files")
}

// TestStaticMarkerNamesTheManifest: on a static host, api/search says
// where the static index's manifest is, from the host's root with the
// site's base path, and the file is there.
func TestStaticMarkerNamesTheManifest(t *testing.T) {
	ids, docs := shippedDocs(t)
	public := t.TempDir()
	if err := search.WriteStatic(context.Background(), public, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/drone%20kb/"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(public, "api", "search"))
	if err != nil {
		t.Fatal(err)
	}
	var marker struct {
		StaticIndex string `json:"static_index"`
	}
	if err := json.Unmarshal(data, &marker); err != nil {
		t.Fatalf("api/search: %v: %s", err, data)
	}
	rel, ok := strings.CutPrefix(marker.StaticIndex, "/drone%20kb/")
	if !ok {
		t.Fatalf("api/search names the manifest %q, not under the base path /drone%%20kb/", marker.StaticIndex)
	}
	if _, err := os.Stat(filepath.Join(public, filepath.FromSlash(rel))); err != nil {
		t.Errorf("api/search names %q, which the site does not have: %v", marker.StaticIndex, err)
	}
}
