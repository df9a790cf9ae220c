package kbdiff

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/dronekb/dronekb/internal/kb"
)

var update = flag.Bool("update", false, "rewrite the want/markdown of testdata/*.txtar from what Markdown writes")

// archiveSides lays out an archive's base/ and head/ files as two
// knowledge bases, and reads the date of its "as-of:" line.
func archiveSides(t *testing.T, a *txtar.Archive) (Side, Side, kb.Date) {
	t.Helper()
	fsys := map[string]fstest.MapFS{"base": {}, "head": {}}
	for _, f := range a.Files {
		side, name, _ := strings.Cut(f.Name, "/")
		if m, ok := fsys[side]; ok {
			m[name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
	}
	line, _, _ := strings.Cut(string(a.Comment), "\n")
	asOf, err := kb.ParseDate(strings.TrimSpace(strings.TrimPrefix(line, "as-of:")))
	if err != nil {
		t.Fatalf("the archive's first line must be as-of: DATE: %v", err)
	}
	side := func(label string) Side {
		return Side{Label: label, FS: fsys[label], KB: kb.Load(fsys[label], kb.Options{})}
	}
	return side("base"), side("head"), asOf
}

// TestArchives compares the base/ and head/ of each testdata/*.txtar and
// checks the report a reviewer reads against want/markdown.
func TestArchives(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			base, head, asOf := archiveSides(t, a)
			for _, s := range []Side{base, head} {
				if errs := s.KB.Diagnostics.Errors(false); errs > 0 {
					t.Fatalf("%s has content errors:\n%v", s.Label, s.KB.Diagnostics)
				}
			}
			var b bytes.Buffer
			if err := Compare(base, head, asOf).Markdown(&b); err != nil {
				t.Fatal(err)
			}
			for i, f := range a.Files {
				if f.Name != "want/markdown" {
					continue
				}
				if *update {
					a.Files[i].Data = b.Bytes()
					if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				if got := b.String(); got != string(f.Data) {
					t.Errorf("markdown:\n%s\nwant:\n%s", got, f.Data)
				}
				return
			}
			t.Fatal("no want/markdown")
		})
	}
}

func load(t *testing.T, file string) *Diff {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	base, head, asOf := archiveSides(t, a)
	return Compare(base, head, asOf)
}

func TestStatusChange(t *testing.T) {
	d := load(t, "status_change.txtar")
	want := []struct {
		id            string
		before, after kb.Status
	}{
		{"agencies/lapd", kb.NoRecord, kb.FlyingRestrictedUnbound},
		{"agencies/nypd", kb.FlyingRestrictedUnbound, kb.GroundedRestricted},
		{"agencies/fdle", kb.GroundedRestricted, kb.NoRecord},
	}
	if len(d.Tracker) != len(want) {
		t.Fatalf("tracker changes: %+v", d.Tracker)
	}
	for i, w := range want {
		c := d.Tracker[i]
		if c.ID != w.id || c.Before != w.before || c.After != w.after || c.Reason == "" {
			t.Errorf("change %d = %+v; want %s %s → %s with a reason", i, c, w.id, w.before, w.after)
		}
	}
	if !strings.Contains(d.Tracker[1].Reason, "grounded 2026-02-01") {
		t.Errorf("the reason does not say why: %q", d.Tracker[1].Reason)
	}
	nypd := changed(t, d, "agencies/nypd")
	fields := fieldMap(nypd)
	if fields["fleet[dji Mavic 3].status"] != [2]string{"active", "grounded"} ||
		fields["fleet[dji Mavic 3].as_of"] != [2]string{"2025-05-16", "2026-02-01"} {
		t.Errorf("nypd's fields: %v", fields)
	}
	if _, ok := fields["fleet[dji Mavic 3].history"]; !ok {
		t.Errorf("nypd's history is not reported: %v", fields)
	}
	if strings.Join(nypd.SourcesAdded, " ") != "https://example.org/nypd-2026" || len(nypd.SourcesDropped) != 0 {
		t.Errorf("nypd's sources: +%v -%v", nypd.SourcesAdded, nypd.SourcesDropped)
	}
}

func TestRename(t *testing.T) {
	d := load(t, "rename.txtar")
	if len(d.Renamed) != 2 || d.Renamed[0].From != "agencies/nypd" || d.Renamed[0].To != "agencies/new-york-police" ||
		d.Renamed[1].From != "vendors/dji" || d.Renamed[1].To != "vendors/dji-technology" {
		t.Fatalf("renamed: %+v", d.Renamed)
	}
	if len(d.Added) != 0 || len(d.Removed) != 0 {
		t.Errorf("a rename is reported as added %v and removed %v", d.Added, d.Removed)
	}
	if len(d.Tracker) != 0 {
		t.Errorf("the renamed agency's status changed: %+v", d.Tracker)
	}
	nypd := changed(t, d, "agencies/new-york-police")
	if nypd.RenamedFrom != "agencies/nypd" || fieldMap(nypd)["tags"] != [2]string{"", "[police]"} {
		t.Errorf("the renamed agency: %+v", nypd)
	}
	if law := changed(t, d, "laws/ban"); fieldMap(law)["restricts.vendors"] != [2]string{"removed: dji", "added: dji-technology"} {
		t.Errorf("the law's reference: %+v", law.Fields)
	}
	// The vendor's file moved unchanged: it is listed as renamed, with nothing else to say.
	if v := changed(t, d, "vendors/dji-technology"); len(v.Fields) != 0 || v.Body != nil {
		t.Errorf("the vendor: %+v", v)
	}
}

func TestRemovedSource(t *testing.T) {
	d := load(t, "removed_source.txtar")
	c := changed(t, d, "incidents/hearing")
	if strings.Join(c.SourcesDropped, " ") != "https://example.org/blog-post" || strings.Join(c.SourcesAdded, " ") != "https://example.org/transcript" {
		t.Errorf("sources: +%v -%v", c.SourcesAdded, c.SourcesDropped)
	}
	if fieldMap(c)["sources[https://example.org/hearing].publisher"] != [2]string{"", "House of Representatives"} {
		t.Errorf("fields: %+v", c.Fields)
	}
	if c.Body == nil || c.Body.Added != 1 || c.Body.Removed != 1 {
		t.Errorf("body: %+v", c.Body)
	}
	if len(d.Tracker) != 0 {
		t.Errorf("tracker: %+v", d.Tracker)
	}
}

// TestRenumberedSource: sources put in another order are a change, even
// with nothing else changed, since the text's citations then name other
// sources.
func TestRenumberedSource(t *testing.T) {
	d := load(t, "renumbered_source.txtar")
	c := changed(t, d, "agencies/pd")
	want := []Renumbered{{"https://example.org/grounding", 2, 1, true}, {"https://example.org/purchase", 1, 2, true}}
	if !slices.Equal(c.SourcesRenumbered, want) {
		t.Errorf("renumbered: %+v, want %+v", c.SourcesRenumbered, want)
	}
	if c.Body != nil || len(c.Fields)+len(c.SourcesAdded)+len(c.SourcesDropped) != 0 {
		t.Errorf("only the order changed, got %+v", c)
	}
	// A source listed twice, the list unchanged: nothing moved.
	if c := changed(t, d, "agencies/ems"); len(c.SourcesRenumbered) != 0 {
		t.Errorf("ems: renumbered %+v", c.SourcesRenumbered)
	}
	// A text that cites nothing is not said to cite the moved sources.
	if c := changed(t, d, "agencies/sheriff"); len(c.SourcesRenumbered) != 2 || c.SourcesRenumbered[0].Cited {
		t.Errorf("sheriff: renumbered %+v", c.SourcesRenumbered)
	}
}

func TestNewProvisionChangesFiveAgencies(t *testing.T) {
	d := load(t, "provision.txtar")
	var ids []string
	for _, c := range d.Tracker {
		if c.Before != kb.FlyingRestricted || c.After != kb.FlyingBanned {
			t.Errorf("%s: %s → %s", c.ID, c.Before, c.After)
		}
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, " "); got != "agencies/cbp agencies/us-army agencies/us-dhs agencies/us-navy agencies/usss" {
		t.Errorf("agencies that change: %s", got)
	}
	law := changed(t, d, "laws/asda")
	f := fieldMap(law)
	if f["measure"] != [2]string{"procurement", ""} {
		t.Errorf("law fields: %+v", law.Fields)
	}
	if _, ok := f["provisions"]; !ok {
		t.Errorf("the provisions are not reported: %+v", law.Fields)
	}
}

func TestJSON(t *testing.T) {
	d := load(t, "status_change.txtar")
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Base, Head     string
		AsOf           string `json:"as_of"`
		Tracker        []map[string]any
		Changed        []map[string]any
		Added, Removed []any
		Renamed        []any
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.AsOf != "2026-06-01" || len(back.Tracker) != 3 || back.Tracker[1]["before"] != "flying-restricted-unbound" ||
		back.Tracker[1]["after"] != "grounded" || back.Added == nil || back.Renamed == nil {
		t.Errorf("json: %s", data)
	}
	// An empty diff still has its lists, for tools.
	empty, _ := json.Marshal(Compare(Side{Label: "a", FS: fstest.MapFS{}, KB: kb.Load(fstest.MapFS{}, kb.Options{})},
		Side{Label: "b", FS: fstest.MapFS{}, KB: kb.Load(fstest.MapFS{}, kb.Options{})}, kb.MustDate("2026-01-01")))
	if !bytes.Contains(empty, []byte(`"tracker":[]`)) || !bytes.Contains(empty, []byte(`"changed":[]`)) {
		t.Errorf("empty diff: %s", empty)
	}
}

// TestHostileTitles: a pull request's content is untrusted, and its diff
// is posted as a comment. Nothing in it may format the comment, mention
// someone, link an issue or break out of a code span or a table.
func TestHostileTitles(t *testing.T) {
	base := fstest.MapFS{}
	head := fstest.MapFS{
		"vendors/x.md": {Data: []byte("---\ntitle: \"@octocat #1 <img src=x onerror=alert(1)> **bold** [link](https://evil.example) | pipe\"\ncountry: CN\n---\n")},
		"vendors/y.md": {Data: []byte("---\ntitle: Y\ncountry: CN\nhq: \"``` | `tick` |\"\n---\n")},
	}
	base["vendors/y.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Y\ncountry: CN\n---\n")}
	d := Compare(Side{Label: "main", FS: base, KB: kb.Load(base, kb.Options{})},
		Side{Label: "head", FS: head, KB: kb.Load(head, kb.Options{})}, kb.MustDate("2026-01-01"))
	var b bytes.Buffer
	if err := d.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, bad := range []string{"@octocat", "#1", " <img", " **bold**", " [link](", " | pipe"} {
		if strings.Contains(md, bad) {
			t.Errorf("the report holds %q as written:\n%s", bad, md)
		}
	}
	for _, want := range []string{"@\u2060octocat", "\\<img", "\\*\\*bold\\*\\*", "\\| pipe"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	// The hq cell: a code span fenced past the backticks, its pipes escaped.
	if !strings.Contains(md, "| `hq` | — | ```` ``` \\| `tick` \\| ```` |") {
		t.Errorf("the hq row:\n%s", md)
	}
}

func changed(t *testing.T, d *Diff, id string) EntryChange {
	t.Helper()
	for _, c := range d.Changed {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("%s is not among the changed entries: %+v", id, d.Changed)
	return EntryChange{}
}

func fieldMap(c EntryChange) map[string][2]string {
	m := map[string][2]string{}
	for _, f := range c.Fields {
		m[f.Field] = [2]string{f.Before, f.After}
	}
	return m
}

// TestOversizedEntry: an entry file past kb.MaxFileSize in a pull request
// is reported as an entry that cannot be read, and no more of it is held
// than the loader would read (a 38 MB one took 2 GB).
func TestOversizedEntry(t *testing.T) {
	small := "---\ntitle: DJI\ncountry: CN\n---\n"
	huge := small + strings.Repeat("Drones. ", 5<<20/8)
	base := fstest.MapFS{"vendors/dji.md": {Data: []byte(small)}}
	head := fstest.MapFS{"vendors/dji.md": {Data: []byte(huge)}}
	files := entryFiles(head)
	if f := files["vendors/dji"]; f == nil || len(f.data) > kb.MaxFileSize+1 {
		t.Fatalf("the 5 MB entry is held as %d bytes; at most %d", len(f.data), kb.MaxFileSize+1)
	}
	d := Compare(Side{Label: "base", FS: base, KB: kb.Load(base, kb.Options{})},
		Side{Label: "head", FS: head, KB: kb.Load(head, kb.Options{})}, kb.MustDate("2026-01-01"))
	c := changed(t, d, "vendors/dji")
	if got := fieldMap(c)["front matter"]; got[1] != "(cannot be read: run dronekb check)" {
		t.Errorf("front matter after: %q", got[1])
	}
	if d.Errors.Head != 1 {
		t.Errorf("the head has %d errors; want 1, the file too large", d.Errors.Head)
	}
}

// TestProblemsTheChangeBrings: the report lists the warnings and errors
// the head has and the base had not, and only those; an agency whose file
// is still there but cannot be read is said to be so, not removed; and a
// tracker reason is shown whole (found in review: a warning a pull request
// brought was in no report, a broken file read as a removed agency, and
// the NYPD's reason was cut before its evidence).
func TestProblemsTheChangeBrings(t *testing.T) {
	vendor := "---\ntitle: DJI\ncountry: CN\n---\n"
	law := "---\ntitle: Federal ban\ncountry: US\nstatus: enacted\nenacted: 2023-12-22\nrestricts: {countries: [CN]}\nmeasure: procurement\nbinds: {levels: [national]}\nsources: [https://example.org/ban]\n---\n"
	agency := func(title, item string) string {
		return "---\ntitle: " + title + "\ncountry: US\nlevel: local\nfleet:\n" + item + "sources: [https://example.org/a]\n---\n"
	}
	sourced := "  - vendor: dji\n    model: Mavic 3\n    status: active\n    as_of: 2025-05-16\n    source: https://example.org/a\n"
	unsourced := "  - vendor: dji\n    model: Mavic 3\n    status: active\n    as_of: 2025-05-16\n"
	// Six models flying make a reason of more than 200 characters.
	var many, grounded string
	for _, m := range []string{"Mavic 3 Enterprise", "Matrice 30T", "Matrice 300 RTK", "Avata 2", "Mini 4 Pro", "Inspire 3"} {
		many += "  - vendor: dji\n    model: " + m + "\n    status: active\n    as_of: 2025-05-16\n    source: https://example.org/a\n"
		grounded += "  - vendor: dji\n    model: " + m + "\n    status: grounded\n    as_of: 2025-05-16\n    source: https://example.org/a\n"
	}
	base := fstest.MapFS{
		"vendors/dji.md":   {Data: []byte(vendor)},
		"laws/ban.md":      {Data: []byte(law)},
		"agencies/old.md":  {Data: []byte(agency("Old Police Department", unsourced))}, // its warning stays
		"agencies/edit.md": {Data: []byte(agency("Edited Police Department", sourced))},
		"agencies/gone.md": {Data: []byte(agency("Broken Police Department", sourced))},
		"agencies/long.md": {Data: []byte(agency("Long Police Department", grounded))},
	}
	head := fstest.MapFS{}
	for name, f := range base {
		head[name] = f
	}
	head["agencies/edit.md"] = &fstest.MapFile{Data: []byte(agency("Edited Police Department", unsourced))}
	head["agencies/gone.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [Broken\n---\n")}
	head["agencies/long.md"] = &fstest.MapFile{Data: []byte(agency("Long Police Department", many))}
	asOf := kb.Date{Year: 2026, Month: 6, Day: 1}
	side := func(label string, fsys fstest.MapFS) Side {
		return Side{Label: label, FS: fsys, KB: kb.Load(fsys, kb.Options{Dir: "content", AsOf: asOf})}
	}
	d := Compare(side("base", base), side("head", head), asOf)

	var files []string
	for _, p := range d.Problems {
		files = append(files, p.File)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if want := []string{"content/agencies/edit.md", "content/agencies/gone.md"}; !slices.Equal(files, want) {
		t.Errorf("the problems the change brings are in %v; want %v (old.md's warning was there before):\n%v", files, want, d.Problems)
	}
	var gone *StatusChange
	for i := range d.Tracker {
		if d.Tracker[i].ID == "agencies/gone" {
			gone = &d.Tracker[i]
		}
	}
	if gone == nil || !gone.Unreadable || gone.After != "" {
		t.Errorf("the agency whose file cannot be read: %+v; want it unreadable", gone)
	}

	var b bytes.Buffer
	if err := d.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{
		"**Problems this change brings: 1 error, 1 warning**",
		"- `content/agencies/edit.md:6` warning `SOURCE_MISSING`: ",
		"`agencies/gone` Broken Police Department: `flying-restricted-unbound` → (cannot be read: `dronekb check` says why)",
		"Long Police Department: `grounded` → `flying-restricted-unbound`",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	for _, c := range d.Tracker {
		if c.ID == "agencies/long" && (len(c.Reason) <= maxValue || !strings.Contains(md, escReason(c.Reason))) {
			t.Errorf("the long agency's reason is cut:\n%s\nwant all of %q", md, c.Reason)
		}
	}
	if strings.Contains(md, "`agencies/gone` agencies/gone") {
		t.Errorf("an entry with no title of its own is named twice:\n%s", md)
	}
}

// TestRenamedEntrysProblemsAreNotNew: an entry renamed keeps its problems,
// which the report does not count as the change's, whatever the content
// folder is called: with --content . its files are named without a
// folder, and its warning read as new (found in review).
func TestRenamedEntrysProblemsAreNotNew(t *testing.T) {
	stale := []byte("---\ntitle: Old Police\ncountry: US\nlevel: local\nfleet:\n  - vendor: dji\n    status: active\n    as_of: 2020-01-05\n    source: https://example.org/a\nsources: [https://example.org/a]\n---\n")
	vendor := &fstest.MapFile{Data: []byte("---\ntitle: DJI\ncountry: CN\n---\n")}
	base := fstest.MapFS{"vendors/dji.md": vendor, "agencies/old.md": {Data: stale}}
	head := fstest.MapFS{"vendors/dji.md": vendor, "agencies/new.md": {Data: stale}}
	asOf := kb.Date{Year: 2026, Month: 6, Day: 1}
	for _, dir := range []string{"content", ".", "site/content", ""} {
		side := func(label string, fsys fstest.MapFS) Side {
			return Side{Label: label, FS: fsys, KB: kb.Load(fsys, kb.Options{Dir: dir, AsOf: asOf})}
		}
		b, h := side("base", base), side("head", head)
		if len(h.KB.Diagnostics) == 0 {
			t.Fatalf("--content %q: the stale item has no warning to compare", dir)
		}
		d := Compare(b, h, asOf)
		if len(d.Renamed) != 1 || len(d.Problems) != 0 {
			t.Errorf("--content %q: renamed %v, problems the change brings %v; want the rename and none", dir, d.Renamed, d.Problems)
		}
	}
}

// TestLongReportStaysUnderGitHubsLimit: a change that moves hundreds of
// agencies (a new law) gives a report under MaxMarkdown, its tracker list
// ending with how many more there are; it had no bound but the changed
// entries' (found in review: 50,356 characters for 135 agencies).
func TestLongReportStaysUnderGitHubsLimit(t *testing.T) {
	base := fstest.MapFS{"vendors/dji.md": {Data: []byte("---\ntitle: DJI\ncountry: CN\n---\n")}}
	for i := range 600 {
		name := fmt.Sprintf("agencies/pd-%03d.md", i)
		base[name] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: Police Department %03d\ncountry: US\nlevel: local\nfleet:\n  - vendor: dji\n    model: Mavic 3 Enterprise\n    status: active\n    as_of: 2025-05-16\n    source: https://example.org/%d\nsources: [https://example.org/%d]\n---\n", i, i, i))}
	}
	head := maps.Clone(base)
	head["laws/ban.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Federal ban\ncountry: US\nstatus: enacted\nenacted: 2023-12-22\nrestricts: {countries: [CN]}\nmeasure: procurement\nsources: [https://example.org/ban]\n---\n")}
	asOf := kb.Date{Year: 2026, Month: 6, Day: 1}
	d := Compare(Side{Label: "base", FS: base, KB: kb.Load(base, kb.Options{})}, Side{Label: "head", FS: head, KB: kb.Load(head, kb.Options{})}, asOf)
	if len(d.Tracker) != 600 {
		t.Fatalf("%d agencies change status, want 600", len(d.Tracker))
	}
	var b bytes.Buffer
	if err := d.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	if b.Len() > MaxMarkdown {
		t.Errorf("the report is %d bytes, over %d", b.Len(), MaxMarkdown)
	}
	if !regexp.MustCompile(`(?m)^- …and [0-9]+ more: run ` + "`dronekb diff --format json`" + ` for all of them\.$`).Match(b.Bytes()) {
		t.Errorf("the tracker's list does not say how many more there are:\n%s", b.String()[b.Len()-500:])
	}
	if !strings.Contains(b.String(), "`laws/ban` Federal ban") {
		t.Errorf("the added law is not listed after the tracker's changes")
	}
}
