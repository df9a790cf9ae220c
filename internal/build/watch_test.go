package build_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// TestIncrementalEqualsFull applies edits of every kind through a watch
// session and, after each, compares what is on disk with a full build of
// the same content into fresh directories: every site file byte for byte
// (the manifests included), and the answers of the search index. After the
// first step alone (what the contributor sees first), every entry page
// must already be the full build's, unless the edit changed what every
// page shows.
func TestIncrementalEqualsFull(t *testing.T) {
	// As serve --watch does, the session is told which files each edit
	// changed (Session.Touch) and looks at those alone; without a watcher
	// it looks at every file.
	t.Run("generated, told what changed", func(t *testing.T) {
		testIncremental(t, corpus(t, watchCorpus()), true, "/")
	})
	// Built to publish at an absolute address, pages name their
	// link-preview card at an address with the picture's hash, which an
	// edit moving the tracker's counts changes on every page.
	t.Run("shipped content, to publish", func(t *testing.T) {
		testIncremental(t, filepath.Join(sitetest.RepoRoot(t), "content"), false, "https://example.org/kb/")
	})
}

// watchCorpus is the size of the generated knowledge base the watch tests
// edit: 300 entries, or under the race detector, which makes every build
// several times slower, 40.
func watchCorpus() int {
	if raceOn {
		return 40
	}
	return 300
}

// edit is one change a contributor makes to the content (or the theme).
type edit struct {
	name string
	do   func(t *testing.T, content, theme string)
	// broken edits make the content invalid: the session must refuse them
	// and leave the site as it was.
	broken bool
	// everyPage edits change what every page shows (the navigation's
	// counts, the theme).
	everyPage bool
}

func testIncremental(t *testing.T, src string, touch bool, baseURL string) {
	ctx := context.Background()
	root := t.TempDir()
	content := filepath.Join(root, "content")
	copyTree(t, src, content)
	theme := filepath.Join(root, "theme")
	if err := os.MkdirAll(filepath.Join(theme, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	asOf, err := kb.ParseDate("2026-06-01")
	if err != nil {
		t.Fatal(err)
	}
	cfg := build.Config{Content: content, Theme: theme, Out: filepath.Join(root, "w", "public"), Index: filepath.Join(root, "w", "index"),
		BaseURL: baseURL, AsOf: asOf, Workers: 2}
	sess := build.NewSession(cfg)
	var idx *search.Index
	sess.OnIndex = func(x *search.Index) {
		if idx != nil {
			idx.Close()
		}
		idx = x
	}
	defer func() {
		if idx != nil {
			idx.Close()
		}
	}()
	if touch {
		sess.Touch(nil) // what the watcher says when it starts
	}
	st, err := sess.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Full {
		t.Fatalf("the first rebuild was not a full build: %+v", st)
	}

	k := kb.Load(os.DirFS(content), kb.Options{Dir: content})
	pick := picker{t: t, k: k, content: content}
	agency := pick.agencyWithFleet()
	law := pick.lawWithDates()
	incident := pick.first(kb.TypeIncident)
	vendor := pick.first(kb.TypeVendor)
	target := pick.first(kb.TypeVendor, vendor)

	var beforeMove string // the incident before it moved
	var agencyBeforeMove string
	edits := []edit{
		{name: "body text", do: func(t *testing.T, c, _ string) {
			appendBody(t, c, agency, "\nA new paragraph about the agency's drones.\n")
		}},
		{name: "title", do: func(t *testing.T, c, _ string) {
			replaceLine(t, c, vendor, "title:", "title: Renamed Vendor Incorporated")
		}},
		// A source's title is searched with the body (Doc.Cites): an
		// edit to it alone changes what finds the entry.
		{name: "a source's title", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(agency)+".md")
			data := readFile(t, file)
			re := regexp.MustCompile(`(?m)^(    title: )(.*)$`)
			if !re.MatchString(data) {
				t.Fatalf("%s has no source with a title", agency)
			}
			done := false
			writeFile(t, file, re.ReplaceAllStringFunc(data, func(m string) string {
				if done {
					return m
				}
				done = true
				return "    title: The zeppelinwatch report on the agency's drones"
			}))
		}},
		{name: "reference added", do: func(t *testing.T, c, _ string) {
			appendBody(t, c, incident, fmt.Sprintf("\nSee also [the vendor](../%s.md).\n", target))
		}},
		{name: "reference removed", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(incident)+".md")
			data := readFile(t, file)
			data = strings.Replace(data, fmt.Sprintf("\nSee also [the vendor](../%s.md).\n", target), "", 1)
			writeFile(t, file, data)
		}},
		{name: "fleet status", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(agency)+".md")
			data := readFile(t, file)
			// Every active item is retired: the agency's verdict changes.
			changed := regexp.MustCompile(`(?m)^(\s+)status: active$`).ReplaceAllString(data, "${1}status: retired")
			if changed == data {
				t.Fatalf("%s has no active fleet item", agency)
			}
			writeFile(t, file, changed)
		}},
		{name: "law dates", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(law)+".md")
			data := readFile(t, file)
			re := regexp.MustCompile(`(?m)^(\s*(?:enacted|effective|start|introduced):\s*)(\d{4})(-\d\d-\d\d)`)
			if !re.MatchString(data) {
				t.Fatalf("%s has no dates", law)
			}
			data = re.ReplaceAllStringFunc(data, func(m string) string {
				sub := re.FindStringSubmatch(m)
				var y int
				fmt.Sscan(sub[2], &y)
				return fmt.Sprintf("%s%d%s", sub[1], y-3, sub[3])
			})
			writeFile(t, file, data)
		}},
		{name: "a new tag", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(incident)+".md")
			data := readFile(t, file)
			if !strings.Contains(data, "\ntags: [") {
				t.Fatalf("%s has no tags: [...] line", incident)
			}
			writeFile(t, file, strings.Replace(data, "\ntags: [", "\ntags: [a-tag-of-its-own, ", 1))
		}},
		// Its page goes, and the folder that held it.
		{name: "the tag removed", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(incident)+".md")
			writeFile(t, file, strings.Replace(readFile(t, file), "\ntags: [a-tag-of-its-own, ", "\ntags: [", 1))
		}},
		// It leaves its country's and region's lists, and its country
		// page goes if it was the last there; a country page is made.
		{name: "moved to another country", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(incident)+".md")
			data := readFile(t, file)
			moved := regexp.MustCompile(`(?m)^region: .*\n`).ReplaceAllString(data, "")
			moved = regexp.MustCompile(`(?m)^country: .*$`).ReplaceAllString(moved, "country: IS\nregion: IS-1")
			if moved == data || !strings.Contains(moved, "region: IS-1") {
				t.Fatalf("%s has no country line", incident)
			}
			beforeMove = data
			writeFile(t, file, moved)
		}},
		{name: "moved back", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(incident)+".md")
			writeFile(t, file, beforeMove)
		}},
		// It leaves one region's laws and comes under another's: the
		// pages of the laws of either that restrict what it flies list
		// it, or no longer, whether or not they bind it.
		{name: "agency moved to another region", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(agency)+".md")
			data := readFile(t, file)
			agencyBeforeMove = data
			writeFile(t, file, setRegion(t, data, pick.regionWithLaw(agency)))
		}},
		{name: "agency moved back", do: func(t *testing.T, c, _ string) {
			writeFile(t, filepath.Join(c, filepath.FromSlash(agency)+".md"), agencyBeforeMove)
		}},
		{name: "entry added", everyPage: true, do: func(t *testing.T, c, _ string) {
			data := readFile(t, filepath.Join(c, filepath.FromSlash(incident)+".md"))
			data = regexp.MustCompile(`(?m)^title:.*$`).ReplaceAllString(data, "title: A wholly new incident at the harbour")
			writeFile(t, filepath.Join(c, "incidents", "added-by-a-contributor.md"), data)
		}},
		{name: "entry deleted", everyPage: true, do: func(t *testing.T, c, _ string) {
			if err := os.Remove(filepath.Join(c, "incidents", "added-by-a-contributor.md")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "broken entry", broken: true, do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(agency)+".md")
			writeFile(t, file, strings.Replace(readFile(t, file), "title:", "title: [unclosed", 1))
		}},
		{name: "broken entry fixed", do: func(t *testing.T, c, _ string) {
			file := filepath.Join(c, filepath.FromSlash(agency)+".md")
			writeFile(t, file, strings.Replace(readFile(t, file), "title: [unclosed", "title:", 1))
		}},
		{name: "theme file", everyPage: true, do: func(t *testing.T, _, th string) {
			css, err := fs.ReadFile(themes.Default(), "static/style.css")
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(th, "static", "style.css"), string(css)+"\n/* a contributor's rule */\nbody { margin: 0 }\n")
		}},
		{name: "nothing changed", do: func(t *testing.T, _, _ string) {}},
	}

	for i, ed := range edits {
		before := snapshot(t, cfg.Out)
		was := snapshot(t, content)
		ed.do(t, content, theme)
		if touch {
			// What a file watcher names: the files added, removed or
			// written.
			changed := []string{}
			now := snapshot(t, content)
			for rel, data := range now {
				if old, ok := was[rel]; !ok || !bytes.Equal(old, data) {
					changed = append(changed, strings.TrimSuffix(rel, "/"))
				}
			}
			for rel := range was {
				if _, ok := now[rel]; !ok {
					changed = append(changed, strings.TrimSuffix(rel, "/"))
				}
			}
			sess.Touch(changed)
		}
		st, err := sess.Rebuild(ctx)
		if ed.broken {
			var diags kb.Diagnostics
			if !errors.As(err, &diags) {
				t.Fatalf("%s: rebuild gave %v, want the content's diagnostics", ed.name, err)
			}
			if diff := compareTrees(before, snapshot(t, cfg.Out), nil); diff != "" {
				t.Fatalf("%s: a failed rebuild changed the site:\n%s", ed.name, diff)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", ed.name, err)
		}
		if ed.name == "nothing changed" && (!st.Unchanged || len(st.Written) > 0) {
			t.Fatalf("%s: the rebuild wrote %v", ed.name, st.Written)
		}
		full := cfg
		full.Out = filepath.Join(root, fmt.Sprint("full", i), "public")
		full.Index = filepath.Join(root, fmt.Sprint("full", i), "index")
		full.LoadCache, full.SkipUnchanged = nil, false
		if _, err := build.Run(ctx, full, build.SearchIndex); err != nil {
			t.Fatalf("%s: full build: %v", ed.name, err)
		}
		want := snapshot(t, full.Out)
		// (Fixing the broken entry puts back the content the pages show.)
		if !st.Full && !ed.everyPage && ed.name != "nothing changed" && ed.name != "broken entry fixed" {
			// The first step alone: the edited entries' pages are out, and
			// right.
			wrote := map[string]bool{}
			for _, rel := range st.Written {
				wrote[rel] = true
			}
			if len(wrote) == 0 {
				t.Errorf("%s: the first step wrote no page", ed.name)
			}
			if diff := compareTrees(want, snapshot(t, cfg.Out), func(rel string) bool { return wrote[rel] }); diff != "" {
				t.Errorf("%s: after the first step, the pages it wrote differ from a full build's:\n%s", ed.name, diff)
			}
		}
		if _, err := sess.Finish(ctx); err != nil {
			t.Fatalf("%s: finish: %v", ed.name, err)
		}
		if diff := compareTrees(want, snapshot(t, cfg.Out), nil); diff != "" {
			t.Errorf("%s (full build: %v): the site differs from a full build's:\n%s", ed.name, st.Full, diff)
		}
		fresh, err := search.Open(full.Index)
		if err != nil {
			t.Fatal(err)
		}
		compareAnswers(t, ed.name, fresh, idx, pick.queries())
		fresh.Close()
		if !reflect.DeepEqual(fresh.Meta(), idx.Meta()) {
			t.Errorf("%s: index meta %+v, want %+v", ed.name, idx.Meta(), fresh.Meta())
		}
		os.RemoveAll(filepath.Dir(full.Out))
		t.Logf("%s: full %v (%s); first step wrote %d files for %d entry pages", ed.name, st.Full, st.Reason, len(st.Written), st.Entries)
	}
}

func isEntryPage(rel string) bool {
	parts := strings.Split(rel, "/")
	if len(parts) != 3 || parts[2] != "index.html" {
		return false
	}
	for _, s := range kb.Sections {
		if s.Dir == parts[0] {
			return true
		}
	}
	return false
}

// snapshot reads every file under dir, by slash path, and names every
// directory (with a trailing slash and no bytes): a directory left behind
// empty differs from a full build too.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if rel != "." {
				files[filepath.ToSlash(rel)+"/"] = nil
			}
			return nil
		}
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareTrees says how got differs from want, for the files keep selects
// (all if nil).
func compareTrees(want, got map[string][]byte, keep func(string) bool) string {
	var out []string
	for _, rel := range slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
		for k := range got {
			if _, ok := want[k]; !ok && !yield(k) {
				return
			}
		}
	}) {
		if keep != nil && !keep(rel) {
			continue
		}
		w, inWant := want[rel]
		g, inGot := got[rel]
		switch {
		case !inGot:
			out = append(out, "missing "+rel)
		case !inWant:
			out = append(out, "extra "+rel)
		case !bytes.Equal(w, g):
			out = append(out, "differs "+rel+": "+firstDiff(w, g))
		}
		if len(out) > 20 {
			out = append(out, "…")
			break
		}
	}
	return strings.Join(out, "\n")
}

func firstDiff(a, b []byte) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	from := max(0, n-60)
	return fmt.Sprintf("at byte %d: want %q, got %q", n, a[from:min(len(a), n+60)], b[from:min(len(b), n+60)])
}

func compareAnswers(t *testing.T, name string, want, got *search.Index, queries []search.Request) {
	t.Helper()
	for _, q := range queries {
		w, werr := want.Search(context.Background(), q)
		g, gerr := got.Search(context.Background(), q)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("%s: %+v: error %v, want %v", name, q, gerr, werr)
			continue
		}
		if werr != nil {
			continue
		}
		w.TookMS, g.TookMS = 0, 0
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s: search %+v answers\n%+v\nwant\n%+v", name, q, g, w)
		}
	}
}

type picker struct {
	t       *testing.T
	k       *kb.KB
	content string
}

func (p picker) agencyWithFleet() string {
	for _, e := range p.k.Section("agencies") {
		for _, f := range e.Agency.Fleet {
			if f.Status == "active" && !f.UnknownMake {
				return e.ID
			}
		}
	}
	p.t.Fatal("no agency flies anything")
	return ""
}

// regionWithLaw returns a region of the agency's country, other than its
// own, where a law that restricts hardware applies, or failing that any
// other region of its country named in the knowledge base.
func (p picker) regionWithLaw(agency string) string {
	a := p.k.Entry(agency)
	var other string
	for _, e := range p.k.Entries {
		var region, country string
		switch {
		case e.Law != nil:
			region, country = e.Law.Region, e.Law.Country
		case e.Agency != nil:
			region, country = e.Agency.Region, e.Agency.Country
		}
		if region == "" || country != a.Agency.Country || region == a.Agency.Region {
			continue
		}
		if e.Law != nil && (len(e.Law.Restricts.Countries) > 0 || len(e.Law.Restricts.Vendors) > 0) {
			return region
		}
		if other == "" {
			other = region
		}
	}
	if other == "" {
		p.t.Fatalf("no other region of %s's country", agency)
	}
	return other
}

// setRegion gives the front matter data the region given, in place of its
// own or after its country.
func setRegion(t *testing.T, data, region string) string {
	t.Helper()
	if re := regexp.MustCompile(`(?m)^region: .*$`); re.MatchString(data) {
		return re.ReplaceAllString(data, "region: "+region)
	}
	re := regexp.MustCompile(`(?m)^country: .*$`)
	if !re.MatchString(data) {
		t.Fatal("no country line")
	}
	return re.ReplaceAllStringFunc(data, func(m string) string { return m + "\nregion: " + region })
}

func (p picker) lawWithDates() string {
	for _, e := range p.k.Section("laws") {
		if len(p.k.ReferencedBy(e.ID)) > 0 && e.Law.Status == "enacted" {
			return e.ID
		}
	}
	p.t.Fatal("no enacted law")
	return ""
}

func (p picker) first(t kb.Type, not ...string) string {
	for _, e := range p.k.Entries {
		if e.Type == t && !slices.Contains(not, e.ID) {
			return e.ID
		}
	}
	p.t.Fatalf("no %s", t)
	return ""
}

// queries are searches whose answers must not depend on how the index
// was made.
func (p picker) queries() []search.Request {
	var out []search.Request
	for _, q := range []string{"drone", "police", "renamed vendor", "harbour", "paragraph", "agency drones", "law", "zeppelinwatch"} {
		out = append(out, search.Request{Q: q, Size: 20})
		out = append(out, search.Request{Q: q, Size: 20, Sort: "title"})
	}
	out = append(out, search.Request{Q: "drone", Size: 50, Types: []string{"agency"}})
	return out
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func appendBody(t *testing.T, content, id, text string) {
	t.Helper()
	file := filepath.Join(content, filepath.FromSlash(id)+".md")
	writeFile(t, file, readFile(t, file)+text)
}

func replaceLine(t *testing.T, content, id, prefix, line string) {
	t.Helper()
	file := filepath.Join(content, filepath.FromSlash(id)+".md")
	data := readFile(t, file)
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(prefix) + `.*$`)
	loc := re.FindStringIndex(data)
	if loc == nil {
		t.Fatalf("%s has no %q line", id, prefix)
	}
	writeFile(t, file, data[:loc[0]]+line+data[loc[1]:])
}

// TestSessionSupersedes: a save while the second step of the previous one
// runs cancels that step, and the next second step does its work: the
// site ends as a full build of the last content writes it.
func TestSessionSupersedes(t *testing.T) {
	ctx := context.Background()
	sess, cfg, k := startSession(t)
	content, root := cfg.Content, filepath.Dir(cfg.Content)
	a, b := k.Section("agencies")[0].ID, k.Section("vendors")[0].ID
	canceled := 0
	rounds := 3
	if raceOn {
		rounds = 1
	}
	for i := 0; i < rounds; i++ {
		appendBody(t, content, a, fmt.Sprintf("\nSave %d of the agency.\n", i))
		if _, err := sess.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { _, err := sess.Finish(ctx); done <- err }()
		replaceLine(t, content, b, "title:", fmt.Sprintf("title: Vendor Renamed %d", i))
		if _, err := sess.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		if err := <-done; errors.Is(err, context.Canceled) {
			canceled++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sess.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	full := cfg
	full.Out, full.Index = filepath.Join(root, "full", "public"), filepath.Join(root, "full", "index")
	full.LoadCache = nil
	if _, err := build.Run(ctx, full, build.SearchIndex); err != nil {
		t.Fatal(err)
	}
	if diff := compareTrees(snapshot(t, full.Out), snapshot(t, cfg.Out), nil); diff != "" {
		t.Errorf("after superseded second steps the site differs from a full build's:\n%s", diff)
	}
	t.Logf("%d of %d second steps were cancelled by the next save", canceled, rounds)
}

// A save while a step writes the pages of the save before does not fail
// the step: serve --watch keeps the bodies it loaded (kb.Options.KeepBodies),
// and the next step, incremental, brings in the new save.
func TestSaveDuringStep(t *testing.T) {
	ctx := context.Background()
	sess, cfg, k := startSession(t)
	content := cfg.Content
	a := k.Section("agencies")[0].ID
	saved := false
	sess.OnPages = func(written, deleted []string) {
		if !saved {
			saved = true
			appendBody(t, content, a, "\nThe second save, while the first is written.\n")
		}
	}
	appendBody(t, content, a, "\nThe first save.\n")
	sess.Touch([]string{a + ".md"})
	if st, err := sess.Rebuild(ctx); err != nil {
		t.Fatalf("the step of the first save failed: %v", err)
	} else if st.Full {
		t.Fatalf("the first save's step was a full build: %s", st.Reason)
	}
	if !saved {
		t.Fatal("the step wrote no page")
	}
	sess.Touch([]string{a + ".md"})
	st, err := sess.Rebuild(ctx)
	if err != nil {
		t.Fatalf("the step of the second save failed: %v", err)
	}
	if st.Full {
		t.Errorf("the second save's step was a full build: %s", st.Reason)
	}
	if _, err := sess.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(cfg.Out, filepath.FromSlash(a), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "The second save, while the first is written.") {
		t.Error("the entry's page does not show the second save")
	}
}

// startSession copies the watch corpus into a fresh folder and builds it
// with a session, as serve --watch's first build; it returns the session,
// its configuration and the knowledge base it started from. The session's
// index is closed when the test ends.
func startSession(t *testing.T) (*build.Session, build.Config, *kb.KB) {
	t.Helper()
	return startSessionOn(t, func(content string) { copyTree(t, corpus(t, watchCorpus()), content) })
}

// startSessionOn is startSession on the content lay writes into the
// folder it is given.
func startSessionOn(t *testing.T, lay func(content string)) (*build.Session, build.Config, *kb.KB) {
	t.Helper()
	root := t.TempDir()
	content := filepath.Join(root, "content")
	lay(content)
	asOf, _ := kb.ParseDate("2026-06-01")
	cfg := build.Config{Content: content, Out: filepath.Join(root, "w", "public"), Index: filepath.Join(root, "w", "index"), BaseURL: "/", AsOf: asOf, Workers: 2}
	sess := build.NewSession(cfg)
	var idx *search.Index
	sess.OnIndex = func(x *search.Index) { idx = x }
	t.Cleanup(func() {
		if idx != nil {
			idx.Close()
		}
	})
	if _, err := sess.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sess, cfg, kb.Load(os.DirFS(content), kb.Options{Dir: content})
}

// TestIncrementalLawPages makes edits that change what a law's page shows
// while neither the law nor any agency's verdict changes, and compares the
// site after each with a full build (a randomized comparison of watch
// sessions with full builds found both):
//   - an agency's drones get an older observation: the timeline of each law
//     restricting them draws every observation, not only the latest;
//   - a law names a country no entry is in, and an incident moves there
//     and back: the law links to the country's page while it exists.
func TestIncrementalLawPages(t *testing.T) {
	sess, cfg, k := startSession(t)
	tr := k.Tracker(cfg.AsOf)
	step := func(name string, touched ...string) {
		t.Helper()
		ctx := context.Background()
		sess.Touch(touched)
		if _, err := sess.Rebuild(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := sess.Finish(ctx); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		full := cfg
		full.Out, full.Index = filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index")
		full.LoadCache, full.SkipUnchanged = nil, false
		if _, err := build.Run(ctx, full, build.SearchIndex); err != nil {
			t.Fatalf("%s, full build: %v", name, err)
		}
		if diff := compareTrees(snapshot(t, full.Out), snapshot(t, cfg.Out), nil); diff != "" {
			t.Errorf("%s: the site differs from a full build:\n%s", name, diff)
		}
	}

	// An agency holding hardware a law restricts, whose first item was
	// acquired: it is acquired a year earlier.
	var agency string
	for _, l := range k.Section("laws") {
		for _, af := range tr.Affected(l.ID) {
			if f := af.Items[0].Item; agency == "" && !f.Acquired.IsZero() && f == &af.Status.Agency.Agency.Fleet[0] {
				agency = af.Status.Agency.ID
			}
		}
	}
	if agency == "" {
		t.Fatal("no agency holds restricted hardware it acquired")
	}
	file := filepath.Join(cfg.Content, filepath.FromSlash(agency)+".md")
	data := readFile(t, file)
	acquired := regexp.MustCompile(`(?m)^    acquired: (\d{4})`)
	m := acquired.FindStringSubmatchIndex(data)
	if m == nil {
		t.Fatalf("%s has no acquired date", agency)
	}
	year, _ := strconv.Atoi(data[m[2]:m[3]])
	writeFile(t, file, data[:m[2]]+strconv.Itoa(year-1)+data[m[3]:])
	step("an older acquisition", agency+".md")

	// A law restricting hardware made in China names a country no entry
	// is in too; then an incident that neither names the law nor is named
	// by it moves there, and back.
	var law, lawData string
	for _, l := range k.Section("laws") {
		if law == "" && slices.Contains(l.Law.Restricts.Countries, "CN") {
			if d := readFile(t, filepath.Join(cfg.Content, filepath.FromSlash(l.ID)+".md")); strings.Contains(d, "countries: [CN]") {
				law, lawData = l.ID, d
			}
		}
	}
	if law == "" {
		t.Fatal("no law says countries: [CN]")
	}
	empty := ""
	for _, c := range []string{"IS", "LI", "MT", "LU", "MC"} {
		in := false
		for _, e := range k.Entries {
			in = in || e.Country() == c
		}
		if !in && empty == "" {
			empty = c
		}
	}
	if empty == "" {
		t.Fatal("every candidate country has entries")
	}
	lawFile := filepath.Join(cfg.Content, filepath.FromSlash(law)+".md")
	writeFile(t, lawFile, strings.Replace(lawData, "countries: [CN]", "countries: [CN, "+empty+"]", 1))
	step("a law names a country no entry is in", law+".md")
	var incident string
	for _, e := range k.Section("incidents") {
		linked := false
		for _, r := range e.Refs() {
			linked = linked || r.Ref.ID == law
		}
		for _, r := range k.Entry(law).Refs() {
			linked = linked || r.Ref.ID == e.ID
		}
		if !linked && incident == "" {
			incident = e.ID
		}
	}
	if incident == "" {
		t.Fatalf("every incident names %s or is named by it", law)
	}
	incFile := filepath.Join(cfg.Content, filepath.FromSlash(incident)+".md")
	before := readFile(t, incFile)
	moved := regexp.MustCompile(`(?m)^region: .*\n`).ReplaceAllString(before, "")
	moved = regexp.MustCompile(`(?m)^country: .*$`).ReplaceAllString(moved, "country: "+empty)
	if moved == before {
		t.Fatalf("%s has no country to move", incident)
	}
	writeFile(t, incFile, moved)
	step("an incident moves there, and the country gets a page", incident+".md")
	countryURL := `href="/countries/` + strings.ToLower(empty) + `/"`
	if page := readFile(t, filepath.Join(cfg.Out, filepath.FromSlash(law), "index.html")); !strings.Contains(page, countryURL) {
		t.Errorf("%s's page does not link to the country's: no %s", law, countryURL)
	}
	writeFile(t, incFile, before)
	step("the incident moves back, and the country's page goes", incident+".md")
}

// TestRebuildSaysWhyItIsFull: when the site a session built is deleted
// under it, serve --watch follows, and the next rebuild, full, gives that
// as its reason rather than calling itself the first build.
func TestRebuildSaysWhyItIsFull(t *testing.T) {
	ctx := context.Background()
	sess, cfg, k := startSession(t)
	if err := os.RemoveAll(cfg.Out); err != nil {
		t.Fatal(err)
	}
	synced := false
	sess.Follow(func() { synced = true })
	if !synced {
		t.Fatal("Follow did not notice that the site was deleted")
	}
	appendBody(t, cfg.Content, k.Section("agencies")[0].ID, "\nAn edit after the site was deleted.\n")
	st, err := sess.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Full || st.Reason != "the site or index was replaced or deleted" {
		t.Errorf("the rebuild after the site was deleted: full %v, reason %q; want a full one, for the site or index replaced or deleted", st.Full, st.Reason)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "index.html")); err != nil {
		t.Errorf("the full rebuild did not write the site again: %v", err)
	}
}

// TestStoppedBetweenSteps: serve --watch stopped after a step wrote pages
// in place and before Finish named the new build in the manifests (Ctrl-C
// right after a save). The next build must not take the half-written site
// for the build the manifests name: with the edit undone, it used to say
// nothing changed and keep serving the edited pages.
func TestStoppedBetweenSteps(t *testing.T) {
	ctx := context.Background()
	sess, cfg, k := startSession(t)
	a := k.Section("agencies")[0].ID
	file := filepath.Join(cfg.Content, filepath.FromSlash(a)+".md")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	appendBody(t, cfg.Content, a, "\nAn edit the contributor undoes.\n")
	sess.Touch([]string{a + ".md"})
	if st, err := sess.Rebuild(ctx); err != nil || st.Full {
		t.Fatalf("the edit's step: full %v, %v", st != nil && st.Full, err)
	}
	page := filepath.Join(cfg.Out, filepath.FromSlash(a), "index.html")
	if b, _ := os.ReadFile(page); !strings.Contains(string(b), "An edit the contributor undoes.") {
		t.Fatal("the step did not write the edited page")
	}
	sess.Stop() // serve exits; Finish never runs
	writeFile(t, file, string(orig))

	// As serve --watch and dronekb build start: a site built from the same
	// inputs is kept as it is.
	cfg.LoadCache, cfg.SkipUnchanged = nil, true
	res, err := build.Run(ctx, cfg, build.SearchIndex)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unchanged {
		t.Error("the next build took the half-written site for the one its manifests named")
	}
	if b, _ := os.ReadFile(page); strings.Contains(string(b), "An edit the contributor undoes.") {
		t.Error("after the next build the page still shows the undone edit")
	}
}
