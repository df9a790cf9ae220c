package kb

import (
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want/ sections of testdata/*.txtar from the actual output")

// kbTest is a whole-knowledge-base test laid out from a txtar archive, in
// the manner of Hugo's hugolib.Test: every file of the archive is a content
// file, named relative to the content root ("agencies/nypd.md"), except the
// files under want/, which hold what the test expects:
//
//	want/diagnostics             every diagnostic, one Diagnostic.String() a line
//	want/diagnostics@2022-06-01  the same, with stale evidence judged on that date
//	want/tracker@2019-06-01      the tracker on that date, as trackerText prints it
//
// Whatever is not given is not checked.
type kbTest struct {
	t       testing.TB
	Archive *txtar.Archive
	Content fstest.MapFS
	Want    map[string]string // "diagnostics", "tracker@2019-06-01", …
	KB      *KB
}

// loadKB lays out the archive as a content tree in memory, loads it, and
// returns the test with the loaded knowledge base. opts.Dir is left empty,
// so diagnostics name files relative to the content root.
func loadKB(t testing.TB, archive string, opts Options) *kbTest {
	t.Helper()
	return loadArchive(t, txtar.Parse([]byte(archive)), opts)
}

func loadArchive(t testing.TB, a *txtar.Archive, opts Options) *kbTest {
	t.Helper()
	kt := &kbTest{t: t, Archive: a, Content: fstest.MapFS{}, Want: map[string]string{}}
	for _, f := range a.Files {
		if name, ok := strings.CutPrefix(f.Name, "want/"); ok {
			kt.Want[name] = string(f.Data)
			continue
		}
		if _, dup := kt.Content[f.Name]; dup {
			t.Fatalf("archive names %s twice", f.Name)
		}
		kt.Content[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	kt.KB = Load(kt.Content, opts)
	schemaAgrees(t, kt.Content, kt.KB.Diagnostics, func(p string) string { return path.Join(opts.Dir, p) })
	return kt
}

// writeTree lays out the archive's content files in a fresh directory on
// disk, for the tests that need what fstest.MapFS cannot hold (symbolic
// links, FIFOs, real permissions), and returns the directory.
func writeTree(t testing.TB, archive string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		writeFileIn(t, dir, f.Name, string(f.Data))
	}
	return dir
}

// writeFileIn writes data to the file name (slash-separated) under dir,
// making its folders.
func writeFileIn(t testing.TB, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// diagLines renders diagnostics one a line, as `dronekb check` prints them.
func diagLines(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// errorsOnly keeps the diagnostics that are errors.
func errorsOnly(ds Diagnostics) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == SevError {
			out = append(out, d)
		}
	}
	return out
}

// without returns the diagnostics that do not have the given code.
func without(ds Diagnostics, code Code) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Code != code {
			out = append(out, d)
		}
	}
	return out
}

// noErrors fails the test if the knowledge base has content errors.
func (kt *kbTest) noErrors() {
	kt.t.Helper()
	if errs := errorsOnly(kt.KB.Diagnostics); len(errs) > 0 {
		kt.t.Fatalf("unexpected content errors:\n%s", diagLines(errs))
	}
}

// trackerText renders the tracker on a date compactly, so a test can state
// the whole answer: one line per agency with its status and laws, its
// reason sentence, then one indented line per fleet item counted on the
// date.
//
//	agencies/nypd flying-restricted last=2019-06 restricting=laws/ban binding=laws/ban
//	  reason: Flies DJI Mavic (seen flying 2019-06)[…]; …
//	  dji/mavic active 2019-06 current restricted=laws/ban binding=laws/ban
func trackerText(t *Tracker) string {
	var b strings.Builder
	list := func(es []*Entry) string {
		if len(es) == 0 {
			return "-"
		}
		return strings.Join(ids(es), ",")
	}
	for _, as := range t.Agencies {
		fmt.Fprintf(&b, "%s %s", as.Agency.ID, as.Status)
		if as.Why != "" {
			fmt.Fprintf(&b, " why=%s", as.Why)
		}
		if as.Stale {
			b.WriteString(" stale")
		}
		if !as.LastSeen.IsZero() {
			fmt.Fprintf(&b, " last=%s %s", as.EvidenceVerb(), as.LastSeen)
		}
		fmt.Fprintf(&b, " restricting=%s binding=%s", list(as.RestrictingLaws), list(as.BindingLaws))
		if len(as.BanningLaws) > 0 {
			fmt.Fprintf(&b, " banning=%s", list(as.BanningLaws))
		}
		if len(as.ExemptingLaws) > 0 {
			fmt.Fprintf(&b, " exempting=%s", list(as.ExemptingLaws))
		}
		if as.Parent != nil {
			fmt.Fprintf(&b, " parent=%s", as.Parent.Agency.ID)
		}
		for i, c := range as.Components {
			if i == 0 {
				b.WriteString(" components=")
			} else {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%s:%s", c.Agency.ID, c.Status)
		}
		b.WriteByte('\n')
		var reason strings.Builder
		for _, p := range as.Reason {
			if p.Source != "" {
				reason.WriteString("[" + p.Source + "]")
			}
			reason.WriteString(dropMarks.Replace(p.Text))
		}
		fmt.Fprintf(&b, "  reason: %s\n", reason.String())
		for _, it := range as.Items {
			label := it.Item.Vendor.Slug()
			if it.Item.UnknownMake {
				label = UnknownVendor
			}
			if it.Item.Model != "" {
				label += "/" + strings.ReplaceAll(it.Item.Model, " ", "-")
			}
			fmt.Fprintf(&b, "  %s %s %s", label, it.Status, it.AsOf)
			if it.Stale {
				b.WriteString(" stale")
			}
			if it.Current {
				b.WriteString(" current")
			}
			if it.BeforeBan != nil {
				fmt.Fprintf(&b, " before-ban=%s", it.BeforeBan.Law.ID)
			}
			if it.Restricted {
				fmt.Fprintf(&b, " restricted=%s binding=%s", list(it.RestrictingLaws), list(it.BindingLaws))
			}
			if len(it.Banning) > 0 {
				fmt.Fprintf(&b, " banning=%s", list(lawsOf(it.Banning)))
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestKnowledgeBases runs every testdata/*.txtar: each loads its content
// tree and compares the diagnostics and the tracker on each date named by a
// want/tracker@DATE file. go test -run TestKnowledgeBases -update rewrites
// the want/ files from what the code does; read the diff before keeping it.
func TestKnowledgeBases(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.txtar files")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			kt := loadArchive(t, a, Options{})
			got := map[string]string{}
			var keys []string
			for k := range kt.Want {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if len(keys) == 0 {
				t.Fatalf("%s has no want/ file: it would check nothing", file)
			}
			for _, k := range keys {
				switch {
				case k == "diagnostics":
					got[k] = diagLines(kt.KB.Diagnostics)
				case strings.HasPrefix(k, "diagnostics@"):
					d, err := ParseDate(strings.TrimPrefix(k, "diagnostics@"))
					if err != nil {
						t.Fatalf("want/%s: %v", k, err)
					}
					got[k] = diagLines(loadArchive(t, a, Options{AsOf: d}).KB.Diagnostics)
				case strings.HasPrefix(k, "tracker@"):
					d, err := ParseDate(strings.TrimPrefix(k, "tracker@"))
					if err != nil {
						t.Fatalf("want/%s: %v", k, err)
					}
					got[k] = trackerText(kt.KB.Tracker(d))
				default:
					t.Fatalf("unknown expectation want/%s", k)
				}
			}
			// A tracker expectation is only meaningful on content that loads.
			if _, ok := kt.Want["diagnostics"]; !ok {
				kt.noErrors()
			}
			if *update {
				for i, f := range a.Files {
					if k, ok := strings.CutPrefix(f.Name, "want/"); ok {
						a.Files[i].Data = []byte(got[k])
					}
				}
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, k := range keys {
				if got[k] != kt.Want[k] {
					t.Errorf("want/%s differs\n--- got\n%s--- want\n%s", k, got[k], kt.Want[k])
				}
			}
		})
	}
}
