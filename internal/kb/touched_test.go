package kb

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"weak"
)

// TestLoadTouchedEqualsFull: a Load told which files changed
// (Options.Touched, from serve --watch's file watcher) looks at those
// alone and must load, report and link exactly as a Load from scratch
// that reads every file: the entries, the digest, every diagnostic and
// every backlink. Each step is what a contributor does and the paths the
// watcher names for it.
func TestLoadTouchedEqualsFull(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	cache := NewCache()
	asOf := MustDate("2024-06-01")
	prev := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf, Cache: cache})
	if err := prev.Err(); err != nil {
		t.Fatal(err)
	}
	file := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	write := func(rel, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(file(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file(rel), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(rel string) string {
		t.Helper()
		data, err := os.ReadFile(file(rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	retitle := func(rel, title string) func() {
		return func() { write(rel, strings.Replace(read(rel), "title: ", "title: "+title+" ", 1)) }
	}
	remove := func(rel string) func() {
		return func() {
			if err := os.RemoveAll(file(rel)); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := []struct {
		name    string
		apply   func()
		touched []string
		// stale is set when the step changes a file the watcher does not
		// name: the Load must not look at it (that is the point), so it
		// differs from a full Load until the file is named.
		stale bool
	}{
		{"nothing named (a theme file changed)", func() {}, []string{}, false},
		{"a title", retitle("incidents/i3.md", "AAA"), []string{"incidents/i3.md"}, false},
		{"an entry added", func() { write("incidents/new.md", read("incidents/i1.md")) }, []string{"incidents/new.md"}, false},
		{"an entry renamed", func() {
			if err := os.Rename(file("incidents/new.md"), file("incidents/newer.md")); err != nil {
				t.Fatal(err)
			}
		}, []string{"incidents/new.md", "incidents/newer.md"}, false},
		{"an entry others reference removed", remove("vendors/v2.md"), []string{"vendors/v2.md"}, false},
		{"it comes back", func() { write("vendors/v2.md", read("vendors/v1.md")) }, []string{"vendors/v2.md"}, false},
		{"an error", func() {
			write("agencies/a4.md", strings.Replace(read("agencies/a4.md"), "vendor: v4", "vendor: v44", 1))
		},
			[]string{"agencies/a4.md"}, false},
		{"a change the watcher did not name", retitle("laws/l3.md", "Unnamed"), []string{"incidents/i3.md"}, true},
		{"named at last", func() {}, []string{"laws/l3.md"}, false},
		{"a README and a dotfile", func() {
			write("agencies/README.md", "# Agencies\n")
			write("agencies/.draft.md", "not an entry")
		}, []string{"agencies/README.md", "agencies/.draft.md"}, false},
		{"a file that is no markdown (the walk reports it)", func() { write("laws/notes.txt", "notes") }, []string{"laws/notes.txt"}, false},
		{"it is removed", remove("laws/notes.txt"), []string{"laws/notes.txt"}, false},
		{"a folder in a section (the walk reports it)", func() { write("agencies/more/a.md", read("agencies/a1.md")) }, []string{"agencies/more"}, false},
		{"the folder removed", remove("agencies/more"), []string{"agencies/more"}, false},
		{"a file outside the sections", func() { write("stray.md", "x") }, []string{"stray.md"}, false},
		{"it is removed, with an edit", func() {
			remove("stray.md")()
			retitle("agencies/a6.md", "Zed")()
		}, []string{"stray.md", "agencies/a6.md"}, false},
		{"the error fixed, an entry added and one removed", func() {
			write("agencies/a4.md", strings.Replace(read("agencies/a4.md"), "vendor: v44", "vendor: v4", 1))
			write("incidents/z.md", read("incidents/i2.md"))
			remove("incidents/i5.md")()
		}, []string{"agencies/a4.md", "incidents/z.md", "incidents/i5.md"}, false},
	}
	for _, st := range steps {
		st.apply()
		got := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf, Cache: cache, Prev: prev, Touched: st.touched})
		want := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf})
		same := got.Digest() == want.Digest() && reflect.DeepEqual(entryStrings(got), entryStrings(want)) &&
			reflect.DeepEqual(diagStrings(got.Diagnostics), diagStrings(want.Diagnostics))
		if st.stale {
			if same {
				t.Errorf("%s: the Load looked at a file it was not told of", st.name)
			}
			prev = got
			continue
		}
		if got.Digest() != want.Digest() {
			t.Errorf("%s: digest %s, a full Load's %s", st.name, got.Digest(), want.Digest())
		}
		if g, w := entryStrings(got), entryStrings(want); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: entries differ:\ntouched %v\nfull    %v", st.name, g, w)
		}
		if !reflect.DeepEqual(diagStrings(got.Diagnostics), diagStrings(want.Diagnostics)) {
			t.Errorf("%s: diagnostics differ:\ntouched %v\nfull    %v", st.name, got.Diagnostics, want.Diagnostics)
		}
		for _, e := range want.Entries {
			if g, w := backlinkStrings(got.ReferencedBy(e.ID)), backlinkStrings(want.ReferencedBy(e.ID)); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: backlinks of %s:\ntouched %v\nfull    %v", st.name, e.ID, g, w)
			}
		}
		prev = got
	}
}

// entryStrings names each entry and page by ID, file and title.
func entryStrings(k *KB) []string {
	var out []string
	for _, es := range [][]*Entry{k.Entries, k.Pages} {
		for _, e := range es {
			out = append(out, e.ID+" "+e.File+" "+e.Title)
		}
	}
	return out
}

// TestLoadLetsGoOfPrev: a knowledge base loaded from the one before it
// (serve --watch, save after save) must not keep that one alive, or a
// watching serve would hold every knowledge base it ever loaded.
func TestLoadLetsGoOfPrev(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	cache := NewCache()
	first := Load(os.DirFS(dir), Options{Dir: "content", Cache: cache})
	if err := first.Err(); err != nil {
		t.Fatal(err)
	}
	gone := weak.Make(first)
	rel := first.Section("incidents")[0].Path
	k := first
	for i := range 3 {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(data), "title: ", fmt.Sprintf("title: Edit %d ", i), 1)
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		prev := k
		k = Load(os.DirFS(dir), Options{Dir: "content", Cache: cache, Prev: prev, Touched: []string{rel}})
		if err := k.Err(); err != nil {
			t.Fatal(err)
		}
		if ch, ok := k.ChangedSince(prev); !ok || len(ch) != 1 || ch[0].Path != rel {
			t.Fatalf("edit %d: ChangedSince(the one before) = %v, %v; want the edited entry", i, ch, ok)
		}
		if _, ok := k.ChangedSince(k); ok {
			t.Fatal("ChangedSince answers for a knowledge base that is not the one before")
		}
	}
	first = nil
	for range 3 {
		runtime.GC()
	}
	if gone.Value() != nil {
		t.Error("the first knowledge base is still alive three loads later: each keeps the one before it")
	}
	runtime.KeepAlive(k)
}
