package kb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// The JSON Schemas are derived from the same declaration the loader checks
// with, and these tests hold them to it: every entry the loader accepts
// validates against its type's schema, and every entry it refuses for a
// reason a schema can express (an unknown field, a missing one, a value of
// the wrong kind or not among the allowed ones) does not. They run on the
// shipped knowledge base, on every fixture of the kb tests (loadArchive
// and runRules call schemaAgrees) and of the command's scripts, and on a
// generated corpus.

var compiled struct {
	once    sync.Once
	schemas map[Type]*jsonschema.Schema
	err     error
}

func schemas(t testing.TB) map[Type]*jsonschema.Schema {
	t.Helper()
	compiled.once.Do(func() {
		c := jsonschema.NewCompiler()
		compiled.schemas = map[Type]*jsonschema.Schema{}
		for _, typ := range Types() {
			data, err := JSONSchema(typ, "https://example.org/schema/"+SchemaFile(typ))
			if err != nil {
				compiled.err = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				compiled.err = fmt.Errorf("%s: %w", typ, err)
				return
			}
			url := "https://example.org/schema/" + SchemaFile(typ)
			if err := c.AddResource(url, doc); err != nil {
				compiled.err = err
				return
			}
			if compiled.schemas[typ], compiled.err = c.Compile(url); compiled.err != nil {
				return
			}
		}
	})
	if compiled.err != nil {
		t.Fatalf("the JSON Schemas do not compile: %v", compiled.err)
	}
	return compiled.schemas
}

// frontMatterValue turns a front-matter tree into the JSON value an editor
// validates: YAML's unquoted dates are strings, its numbers numbers.
func frontMatterValue(n *node) any {
	switch n.kind {
	case nullNode:
		return nil
	case mapNode:
		m := make(map[string]any, len(n.fields))
		for _, f := range n.fields {
			m[f.key] = frontMatterValue(f.val)
		}
		return m
	case listNode:
		l := make([]any, 0, len(n.items))
		for _, it := range n.items {
			l = append(l, frontMatterValue(it))
		}
		return l
	}
	switch n.stype {
	case intScalar:
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.text, "_", ""), 0, 64); err == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
	case floatScalar:
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.text, "_", ""), 64); err == nil {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	case boolScalar:
		if b, err := strconv.ParseBool(strings.ToLower(n.text)); err == nil {
			return b
		}
	}
	return n.text
}

// parseFrontMatter parses an entry file's front matter as the loader does;
// ok is false when it cannot (the loader then reports a syntax error, and
// there is nothing for a schema to validate).
func parseFrontMatter(data []byte) (*node, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	fm, _, err := splitFrontMatter(data)
	if err != nil {
		return nil, false
	}
	root, err := fm.parse()
	return root, err == nil
}

// Codes of the loader's errors that a schema can express: the schema must
// refuse a file the loader reports one of these in.
var schemaExpressible = []Code{CodeFieldUnknown, CodeFieldRequired, CodeFieldEnum, CodeFieldType,
	CodeFieldEmpty, CodeFieldTooLong, CodeSourceMissing, CodeCountry}

// Codes of the errors that decoding front matter reports: a file the schema
// refuses must have one of these.
var frontMatterCodes = append([]Code{CodeURL, CodeRegion, CodeDate, CodeSlugInvalid, CodeKeyDuplicate, CodeFileMisplaced}, schemaExpressible...)

// schemaAgrees validates each entry file of fsys against its type's schema
// and compares the verdict with the loader's diagnostics ds, whose file
// names are display(path).
func schemaAgrees(t testing.TB, fsys fs.FS, ds Diagnostics, display func(string) string) {
	t.Helper()
	sch := schemas(t)
	byFile := map[string][]Diagnostic{}
	for _, d := range ds {
		if d.Severity == SevError {
			byFile[d.File] = append(byFile[d.File], d)
		}
	}
	dirs := map[string]Type{PagesSection.Dir: TypePage}
	for _, s := range Sections {
		dirs[s.Dir] = s.Type
	}
	for dir, typ := range dirs {
		ents, err := fs.ReadDir(fsys, dir)
		if err != nil {
			continue
		}
		for _, de := range ents {
			name := de.Name()
			if !de.Type().IsRegular() || !strings.HasSuffix(name, ".md") || strings.EqualFold(name, "README.md") {
				continue
			}
			p := path.Join(dir, name)
			data, err := fs.ReadFile(fsys, p)
			if err != nil || len(data) > MaxFileSize {
				continue
			}
			root, ok := parseFrontMatter(data)
			if !ok {
				continue
			}
			verr := sch[typ].Validate(frontMatterValue(root))
			var expressible, decoding []string
			for _, d := range byFile[display(p)] {
				if d.Line == 0 {
					continue // the file's name or the file as a whole
				}
				if slices.Contains(schemaExpressible, d.Code) {
					expressible = append(expressible, d.String())
				}
				if slices.Contains(frontMatterCodes, d.Code) {
					decoding = append(decoding, d.String())
				}
			}
			switch {
			case verr != nil && len(decoding) == 0:
				t.Errorf("%s: the %s schema refuses a front matter the loader accepts:\n%v\n%s", display(p), typ, verr, data)
			case verr == nil && len(expressible) > 0:
				t.Errorf("%s: the %s schema accepts a front matter the loader refuses:\n%s\n%s", display(p), typ, strings.Join(expressible, "\n"), data)
			}
		}
	}
}

func TestSchemasCompile(t *testing.T) {
	sch := schemas(t)
	if len(sch) != len(Sections)+1 {
		t.Fatalf("%d schemas; want one per type", len(sch))
	}
	data, err := JSONSchema(TypeLaw, "")
	if err != nil {
		t.Fatal(err)
	}
	// The law's schema describes provisions, with their exemptions, and a
	// fleet item's history is in the agency's.
	for _, want := range []string{`"provisions"`, `"exempts"`, `"uses"`, `"measure"`, `"operation"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("law schema lacks %s", want)
		}
	}
	data, _ = JSONSchema(TypeAgency, "")
	for _, want := range []string{`"history"`, `"as_of"`, `"grounded"`, `"FR"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("agency schema lacks %s", want)
		}
	}
	if _, err := JSONSchema("person", ""); err == nil {
		t.Error("a schema for an unknown type")
	}
}

// TestSchemaVerdicts pins the schema's verdict on small front matters.
func TestSchemaVerdicts(t *testing.T) {
	sch := schemas(t)
	cases := []struct {
		typ  Type
		src  string
		want bool
	}{
		{TypeVendor, "title: DJI\ncountry: CN\n", true},
		{TypeVendor, "title: DJI\n", false},                           // country is required
		{TypeVendor, "title: DJI\ncountry: China\n", false},           // not a code
		{TypeVendor, "title: DJI\ncountry: CN\ncolour: red\n", false}, // unknown field
		{TypeVendor, "title: DJI\ncountry: CN\nsummary:\n", true},     // an empty optional field
		{TypeVendor, "title:\ncountry: CN\n", false},                  // an empty required one
		{TypeVendor, "title: \"  \"\ncountry: CN\n", false},           // blank
		{TypeVendor, "title: 1984\ncountry: CN\ntags: [2020, drones]\n", true},
		{TypeAgency, "title: X\ncountry: US\nsources: https://example.org/a\n", true},
		{TypeAgency, "title: X\ncountry: US\nsources: []\n", false},
		{TypeAgency, "title: X\ncountry: US\nsources: [{title: no url}]\n", false},
		{TypeAgency, "title: X\ncountry: US\nlevel: federal\nsources: [https://example.org/a]\n", false},
		{TypeAgency, "title: X\ncountry: US\nfleet: [{vendor: unknown, as_of: 2024, count: 2, history: [{date: 2023-05, status: active}]}]\nsources: [https://example.org/a]\n", true},
		{TypeAgency, "title: X\ncountry: US\nfleet: [{vendor: dji, as_of: 2024-13}]\nsources: [https://example.org/a]\n", false},
		{TypeAgency, "title: X\ncountry: US\nfleet: [{vendor: dji, as_of: 2024, count: 0}]\nsources: [https://example.org/a]\n", false},
		{TypeAgency, "title: X\ncountry: US\nwebsite: www.example.org\nsources: [https://example.org/a]\n", false},
		{TypeLaw, "title: X\ncountry: US\nstatus: enacted\nsources: [https://example.org/a]\n", false}, // needs a date
		{TypeLaw, "title: X\ncountry: US\nstatus: enacted\neffective: 2020\nsources: [https://example.org/a]\n", true},
		{TypeLaw, "title: X\ncountry: US\nstatus: repealed\nenacted: 2020\nsources: [https://example.org/a]\n", false}, // needs expires
		{TypeLaw, "title: X\ncountry: US\nstatus: proposed\nprovisions: [{measure: operation, exempts: [{agencies: [fbi], uses: x}]}]\nsources: [https://example.org/a]\n", true},
		{TypeLaw, "title: X\ncountry: US\nstatus: proposed\nprovisions: [{measure: operation, exempts: [{uses: x}]}]\nsources: [https://example.org/a]\n", false}, // exempts no one
		{TypeLaw, "title: X\ncountry: US\nstatus: proposed\nprovisions: []\nsources: [https://example.org/a]\n", false},
		// A law in force that restricts hardware says what it does to it,
		// unless its provisions do; a bill is only warned.
		{TypeLaw, "title: X\ncountry: US\nstatus: enacted\nenacted: 2020\nrestricts: {vendors: [dji]}\nsources: [https://example.org/a]\n", false},
		{TypeLaw, "title: X\ncountry: US\nstatus: repealed\nenacted: 2020\nexpires: 2021\nrestricts: {countries: [CN]}\nmeasure:\nsources: [https://example.org/a]\n", false},
		{TypeLaw, "title: X\ncountry: US\nstatus: enacted\nenacted: 2020\nrestricts: {vendors: [dji]}\nmeasure: operation\nsources: [https://example.org/a]\n", true},
		{TypeLaw, "title: X\ncountry: US\nstatus: enacted\nenacted: 2020\nrestricts: {vendors: [dji]}\nprovisions: [{measure: procurement}]\nsources: [https://example.org/a]\n", true},
		{TypeLaw, "title: X\ncountry: US\nstatus: enacted\nenacted: 2020\nrestricts: {vendors: []}\nsources: [https://example.org/a]\n", true},
		{TypeLaw, "title: X\ncountry: US\nstatus: proposed\nrestricts: {vendors: [dji]}\nsources: [https://example.org/a]\n", true},
		{TypeIncident, "title: X\ndate: 2024-05-16\nsources: [https://example.org/a]\n", true},
		{TypeIncident, "title: X\ndate: 2024-05-16T10:00:00Z\nsources: [https://example.org/a]\n", false},
		{TypeVendor, "title: DJI\ncountry: CN\nupdated: 2026-03-14\n", true},
		{TypeVendor, "title: DJI\ncountry: CN\nupdated: 2026\n", false}, // updated is a day
		{TypeVendor, "title: DJI\ncountry: CN\nupdated: \"2026-03\"\n", false},
		{TypePage, "title: About\n", true},
	}
	for _, c := range cases {
		root, err := parseYAML([]byte(c.src), 1)
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		err = sch[c.typ].Validate(frontMatterValue(root))
		if (err == nil) != c.want {
			t.Errorf("%s %q: valid=%v, want %v (%v)", c.typ, c.src, err == nil, c.want, err)
		}
	}
}

// TestSchemaAgreesWithLoader validates the shipped knowledge base, the
// command's script fixtures, the diff tests' knowledge bases, the kb test
// archives and a generated corpus.
func TestSchemaAgreesWithLoader(t *testing.T) {
	t.Run("shipped", func(t *testing.T) {
		k := Load(os.DirFS("../../content"), Options{Dir: "content"})
		if len(k.Entries) == 0 {
			t.Fatal("no shipped entries")
		}
		schemaAgrees(t, os.DirFS("../../content"), k.Diagnostics, func(p string) string { return "content/" + p })
	})
	t.Run("corpus", func(t *testing.T) {
		dir := t.TempDir()
		writeCorpus(t, dir, 5, 8, 20, 20)
		k := Load(os.DirFS(dir), Options{})
		schemaAgrees(t, os.DirFS(dir), k.Diagnostics, func(p string) string { return p })
	})
	archives, _ := filepath.Glob("../../cmd/dronekb/testdata/script/*.txtar")
	diffArchives, _ := filepath.Glob("../kbdiff/testdata/*.txtar")
	archives = append(archives, diffArchives...)
	kbArchives, _ := filepath.Glob("testdata/*.txtar")
	if len(archives) == 0 || len(kbArchives) == 0 {
		t.Fatal("no fixtures found")
	}
	for _, file := range append(archives, kbArchives...) {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// A script may hold several content folders, and files outside them.
		roots := map[string]fstest.MapFS{}
		for _, f := range a.Files {
			root, rest := "", f.Name
			if strings.HasPrefix(file, "../") {
				i := strings.Index(f.Name, "/")
				if i < 0 {
					continue
				}
				root, rest = f.Name[:i], f.Name[i+1:]
				// content/agencies/x.md or a/agencies/x.md; not other files.
				if j := strings.Index(rest, "/"); j < 0 {
					continue
				} else if _, ok := dirsOf()[rest[:j]]; !ok {
					continue
				}
			}
			if roots[root] == nil {
				roots[root] = fstest.MapFS{}
			}
			roots[root][rest] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
		for root, fsys := range roots {
			t.Run(filepath.Base(file)+"/"+root, func(t *testing.T) {
				k := Load(fsys, Options{})
				schemaAgrees(t, fsys, k.Diagnostics, func(p string) string { return p })
			})
		}
	}
}

func dirsOf() map[string]bool {
	m := map[string]bool{PagesSection.Dir: true}
	for _, s := range Sections {
		m[s.Dir] = true
	}
	return m
}

// TestREADMEFieldReference keeps README.md's field reference what
// FieldReference makes of the declarations; -update rewrites it.
func TestREADMEFieldReference(t *testing.T) {
	const (
		begin = "go test ./internal/kb -run TestREADMEFieldReference -update -->\n"
		end   = "<!-- end of the field reference -->"
	)
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no field reference between %q and %q", begin, end)
	}
	want := "\n" + FieldReference()
	got := s[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile("../../README.md", []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's field reference is not what internal/kb/fields.go declares; run go test ./internal/kb -run TestREADMEFieldReference -update")
}

// TestIssueFormMatchesFields keeps the "add an agency" issue form's
// choices those of the entry format.
func TestIssueFormMatchesFields(t *testing.T) {
	data, err := os.ReadFile("../../.github/ISSUE_TEMPLATE/add-agency.yml")
	if err != nil {
		t.Fatal(err)
	}
	var form struct {
		Body []struct {
			Type       string
			ID         string
			Attributes struct{ Options []string }
		}
	}
	if err := yaml.Unmarshal(data, &form); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"level": agencyObject.Field("level").Enum, "kind": agencyObject.Field("kind").Enum}
	for _, b := range form.Body {
		if w, ok := want[b.ID]; ok {
			if b.Type != "dropdown" || !slices.Equal(b.Attributes.Options, w) {
				t.Errorf("the form's %s offers %v; the entry format allows %v", b.ID, b.Attributes.Options, w)
			}
			delete(want, b.ID)
		}
	}
	if len(want) > 0 {
		t.Errorf("the form lacks %v", want)
	}
}

// TestREADMECountsShippedContent keeps README.md's description of the
// starter knowledge base true: it said 37 agencies and 8 vendors when
// content/ held 38 and 10 (found in review).
func TestREADMECountsShippedContent(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(data)), " ")
	said := regexp.MustCompile(`(\d+) agencies, (\d+) vendors, (\d+) laws and policies [^.]*?, and (\d+) incidents`).FindStringSubmatch(text)
	if said == nil {
		t.Fatal("README.md no longer says how many agencies, vendors, laws and policies, and incidents content/ holds")
	}
	k := Load(os.DirFS("../../content"), Options{Dir: "content", NoNearDuplicates: true})
	for i, sec := range []string{"agencies", "vendors", "laws", "incidents"} {
		if n := len(k.Section(sec)); strconv.Itoa(n) != said[i+1] {
			t.Errorf("README.md says content/ holds %s %s; it holds %d", said[i+1], sec, n)
		}
	}
}
