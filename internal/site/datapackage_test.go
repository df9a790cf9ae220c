package site_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestDataPackage validates data/datapackage.json against the Frictionless
// Data Package profile, then checks it against the files it describes:
// every download is a resource with its true size, and every CSV's header
// is the schema's fields, in order, with every value of its declared type.
func TestDataPackage(t *testing.T) {
	for _, base := range []string{"https://example.org/kb/", ""} {
		t.Run("base "+base, func(t *testing.T) { testDataPackage(t, base) })
	}
}

func testDataPackage(t *testing.T, base string) {
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{BaseURL: base})
	data, err := os.ReadFile(filepath.Join(s.Dir, "data", "datapackage.json"))
	if err != nil {
		t.Fatal(err)
	}
	sch := compileSchema(t, jsonschema.NewCompiler(), filepath.Join("testdata", "frictionless", "data-package.json"))
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("datapackage.json is not a valid Data Package: %v", err)
	}

	var dp site.DataPackage
	if err := json.Unmarshal(data, &dp); err != nil {
		t.Fatal(err)
	}
	// The shipped About page publishes the data under CC BY 4.0: the
	// package names it. A licence's path is a URL or a path inside the
	// package (the profile's pattern: not /…, ./… or ~…), which the site's
	// own /about/ was not, without a base URL.
	if len(dp.Licenses) != 1 || dp.Licenses[0].Name != "CC-BY-4.0" {
		t.Errorf("licences %+v; want CC-BY-4.0, as the About page says", dp.Licenses)
	}
	for _, l := range dp.Licenses {
		if l.Path != "" && !strings.HasPrefix(l.Path, "https://") && !strings.HasPrefix(l.Path, "http://") && strings.IndexAny(l.Path[:1], "/.~") == 0 {
			t.Errorf("licence path %q is neither a URL nor a path inside the package", l.Path)
		}
	}
	var paths []string
	for _, r := range dp.Resources {
		paths = append(paths, r.Path)
		st, err := os.Stat(filepath.Join(s.Dir, "data", r.Path))
		if err != nil {
			t.Errorf("resource %s: %v", r.Name, err)
			continue
		}
		if st.Size() != r.Bytes || r.Bytes == 0 {
			t.Errorf("resource %s says %d bytes; the file has %d", r.Name, r.Bytes, st.Size())
		}
		if r.Format != "csv" {
			continue
		}
		if r.Schema == nil {
			t.Errorf("CSV %s has no schema", r.Path)
			continue
		}
		// The dialect says how the file is written: lines end in a
		// line feed alone.
		raw, err := os.ReadFile(filepath.Join(s.Dir, "data", r.Path))
		if err != nil {
			t.Fatal(err)
		}
		if d := r.Dialect; d == nil || d.LineTerminator != "\n" || d.Delimiter != "," || !d.Header || bytes.Contains(raw, []byte("\r\n")) || bytes.HasPrefix(raw, []byte("\ufeff")) {
			t.Errorf("%s: dialect %+v does not say how it is written", r.Path, d)
		}
		records, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", r.Path, err)
		}
		var names []string
		for _, fd := range r.Schema.Fields {
			names = append(names, fd.Name)
			if fd.Description == "" {
				t.Errorf("%s: column %s has no description", r.Path, fd.Name)
			}
		}
		if !slices.Equal(records[0], names) {
			t.Errorf("%s: header %v; the schema says %v", r.Path, records[0], names)
		}
		if len(records) < 2 {
			t.Errorf("%s has no rows", r.Path)
		}
		for _, rec := range records[1:] {
			for i, fd := range r.Schema.Fields {
				v := rec[i]
				if v == "" {
					continue
				}
				ok := true
				switch fd.Type {
				case "integer":
					_, err := strconv.Atoi(v)
					ok = err == nil
				case "boolean":
					ok = v == "true" || v == "false"
				case "date":
					ok = len(v) == 10 && v[4] == '-' && v[7] == '-'
				}
				if !ok {
					t.Errorf("%s: %s is %q, not a %s", r.Path, fd.Name, v, fd.Type)
				}
			}
		}
	}
	// The keys hold: each primary key names one row, and each foreign key's
	// values are among those it refers to, so a tool that reads the
	// package can join the tables.
	column := func(r site.DataResource, name string) []string {
		raw, err := os.ReadFile(filepath.Join(s.Dir, "data", r.Path))
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		i := slices.Index(records[0], name)
		if i < 0 {
			t.Fatalf("%s has no column %s", r.Path, name)
		}
		var out []string
		for _, rec := range records[1:] {
			out = append(out, rec[i])
		}
		return out
	}
	byName := map[string]site.DataResource{}
	for _, r := range dp.Resources {
		byName[r.Name] = r
	}
	keys := 0
	for _, r := range dp.Resources {
		if r.Schema == nil {
			continue
		}
		if pk := r.Schema.PrimaryKey; len(pk) == 1 {
			seen := map[string]bool{}
			for _, v := range column(r, pk[0]) {
				if seen[v] || v == "" {
					t.Errorf("%s: primary key %s %q is empty or not unique", r.Path, pk[0], v)
				}
				seen[v] = true
			}
			keys++
		}
		for _, fk := range r.Schema.ForeignKeys {
			ref := r
			if fk.Reference.Resource != "" {
				ref = byName[fk.Reference.Resource]
			}
			if ref.Path == "" || len(fk.Fields) != 1 || len(fk.Reference.Fields) != 1 {
				t.Errorf("%s: foreign key %+v refers to no table of the package", r.Path, fk)
				continue
			}
			targets := column(ref, fk.Reference.Fields[0])
			for _, v := range column(r, fk.Fields[0]) {
				if v != "" && !slices.Contains(targets, v) {
					t.Errorf("%s: %s %q is no %s of %s", r.Path, fk.Fields[0], v, fk.Reference.Fields[0], ref.Path)
				}
			}
			keys++
		}
	}
	if keys < 5 {
		t.Errorf("datapackage.json declares %d keys; the section CSVs have ids and the tracker's rows refer to agencies", keys)
	}
	for _, want := range []string{"tracker.csv", "tracker.json", "kb.json", "agencies.csv", "vendors.csv", "laws.csv", "incidents.csv"} {
		if !slices.Contains(paths, want) {
			t.Errorf("datapackage.json does not describe %s", want)
		}
	}
	// How to read the apostrophe a formula gets, in the package and on
	// the data page.
	if !strings.Contains(dp.Description, "take one leading apostrophe off") {
		t.Errorf("datapackage.json's description does not say how to read a defused cell: %q", dp.Description)
	}
	page, err := os.ReadFile(filepath.Join(s.Dir, "data", "index.html"))
	if err != nil || !strings.Contains(string(page), "take one leading apostrophe off to get the text as written") {
		t.Errorf("/data/ does not say how the CSV files are written (%v)", err)
	}
}

// TestCitationFile checks the repository's CITATION.cff has what the
// Citation File Format 1.2.0 requires, so GitHub's "Cite this repository"
// and reference managers can read it.
func TestCitationFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "CITATION.cff"))
	if err != nil {
		t.Fatal(err)
	}
	var cff map[string]any
	if err := yaml.Unmarshal(data, &cff); err != nil {
		t.Fatalf("CITATION.cff is not YAML: %v", err)
	}
	if cff["cff-version"] != "1.2.0" {
		t.Errorf("cff-version is %v, not 1.2.0", cff["cff-version"])
	}
	for _, key := range []string{"message", "title", "authors"} {
		if cff[key] == nil || cff[key] == "" {
			t.Errorf("CITATION.cff has no %s", key)
		}
	}
	authors, _ := cff["authors"].([]any)
	for i, a := range authors {
		m, _ := a.(map[string]any)
		if m["name"] == nil && m["family-names"] == nil {
			t.Errorf("author %d has neither name nor family-names", i+1)
		}
	}
}

// TestLicenceNamedOnlyWhenOne: the package and the data page name the
// licence the About page's licence section names, and none when it names
// two (the database under one, the text under another): they used to take
// the first they knew and publish it as the data's.
func TestLicenceNamedOnlyWhenOne(t *testing.T) {
	for _, c := range []struct{ section, name, page string }{
		{"All of it is dedicated to the public domain (CC0).", "CC0-1.0", "The data is published under the"},
		{"The database is under the Open Database License (ODbL); its text under CC BY-SA 4.0.", "", "The publisher says under which licence"},
	} {
		s := sitetest.BuildArchive(t, `
-- pages/about.md --
---
title: About
---
## Licence

`+c.section+`
`, site.Options{})
		data, err := os.ReadFile(filepath.Join(s.Dir, "data", "datapackage.json"))
		if err != nil {
			t.Fatal(err)
		}
		var dp site.DataPackage
		if err := json.Unmarshal(data, &dp); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, l := range dp.Licenses {
			names = append(names, l.Name)
		}
		if want := []string{c.name}; c.name == "" && len(names) != 0 || c.name != "" && !slices.Equal(names, want) {
			t.Errorf("%q: datapackage.json names %q; want %q", c.section, names, c.name)
		}
		page, err := os.ReadFile(filepath.Join(s.Dir, "data", "index.html"))
		if err != nil || !strings.Contains(string(page), c.page) {
			t.Errorf("%q: /data/ does not say %q (%v)", c.section, c.page, err)
		}
	}
}

// TestKBJSONMatchesSchemas: kb.json gives each entry's fields as its file
// writes them, plus what the build works out (README.md lists the
// additions); without those, every entry is valid under the JSON Schema
// the site publishes for its type (/schema/). A provision's in_force_by
// was written as true rather than the date its file gives (found in
// review).
func TestKBJSONMatchesSchemas(t *testing.T) {
	s := shippedSite(t)
	c := jsonschema.NewCompiler()
	schemas := map[string]*jsonschema.Schema{}
	for _, typ := range []string{"agency", "vendor", "law", "incident"} {
		schemas[typ] = compileSchema(t, c, filepath.Join(s.Dir, "schema", typ+".json"))
	}
	raw, err := os.ReadFile(filepath.Join(s.Dir, "data", "kb.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entries []map[string]any `json:"entries"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	checked := map[string]int{}
	inForceBy := 0
	for _, e := range doc.Entries {
		id, typ := e["id"].(string), e["type"].(string)
		for _, k := range []string{"id", "type", "url", "lang", "changed", "body", "tracker", "in_force"} {
			delete(e, k)
		}
		if ps, ok := e["provisions"].([]any); ok {
			for _, p := range ps {
				p := p.(map[string]any)
				if _, ok := p["in_force_by"]; ok {
					inForceBy++
				}
				for _, k := range []string{"start", "end", "in_force"} {
					delete(p, k)
				}
			}
		}
		sch := schemas[typ]
		if sch == nil {
			t.Fatalf("%s: type %q has no schema", id, typ)
		}
		// Round-trip through JSON so the validator sees json.Number-free,
		// plain values as it does for a file.
		b, _ := json.Marshal(e)
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("kb.json's %s, without the build's additions, is not valid under /schema/%s.json: %v", id, typ, err)
		}
		checked[typ]++
	}
	if len(checked) != 4 || inForceBy == 0 {
		t.Errorf("entries checked by type: %v; provisions with in_force_by: %d; the test needs every type and one", checked, inForceBy)
	}
}

// compileSchema reads the JSON Schema in the file and compiles it with c,
// named by the file's base name.
func compileSchema(t *testing.T, c *jsonschema.Compiler, file string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(file)
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}
