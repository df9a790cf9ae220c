package kb

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCacheMisplacedFileMoves: a file in the wrong section, read from the
// cache, is told where to move by what its new place holds now: an entry
// that came there since is not moved onto, though this file is unchanged.
func TestCacheMisplacedFileMoves(t *testing.T) {
	dir := t.TempDir()
	const hearing = "---\ntitle: A hearing\ndate: 2024-05-16\nagencies: [nypd]\nkind: policy\nsources: [https://example.org/a]\n---\n"
	writeFileIn(t, dir, "agencies/hearing.md", hearing)
	cache := NewCache()
	load := func() string { return diagLines(Load(os.DirFS(dir), Options{Cache: cache}).Diagnostics) }
	if got := load(); !strings.Contains(got, "move it to incidents/ (git mv agencies/hearing.md incidents/hearing.md)") {
		t.Errorf("with incidents/ empty:\n%s", got)
	}
	writeFileIn(t, dir, "incidents/hearing.md", hearing)
	if got := load(); !strings.Contains(got, "incidents/hearing.md is there already") || strings.Contains(got, "git mv agencies/hearing.md incidents/hearing.md") {
		t.Errorf("with incidents/hearing.md there:\n%s", got)
	}
}

// TestCacheDecodesOnlyChangedFiles: a Load with a Cache after one file
// changed reuses every other entry as it was, decodes the changed one, and
// gives exactly the knowledge base a Load from scratch gives: entries,
// backlinks and diagnostics, a new error included; a file removed is gone.
func TestCacheDecodesOnlyChangedFiles(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	asOf := MustDate("2024-06-01")
	cache := NewCache()
	load := func(c *Cache) *KB { return Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf, Cache: c}) }
	first := load(cache)
	if len(first.Entries) != 53 || first.Err() != nil {
		t.Fatalf("%d entries; %v", len(first.Entries), first.Err())
	}

	edited := filepath.Join(dir, "agencies", "a3.md")
	data, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	// A new title and an unknown vendor: the entry changes and the
	// knowledge base gets an error the cache must not hide.
	data = []byte(strings.Replace(strings.Replace(string(data), "title: Agency 3 Police Department", "title: Agency Three", 1), "vendor: v3", "vendor: v333", 1))
	if err := os.WriteFile(edited, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "incidents", "i7.md")); err != nil {
		t.Fatal(err)
	}

	cached, fresh := load(cache), load(nil)
	if cached.Digest() != fresh.Digest() {
		t.Errorf("digests differ: %s and %s", cached.Digest(), fresh.Digest())
	}
	if !reflect.DeepEqual(cached.Diagnostics, fresh.Diagnostics) {
		t.Errorf("diagnostics differ:\ncached %v\nfresh  %v", cached.Diagnostics, fresh.Diagnostics)
	}
	if cached.Diagnostics.Errors(false) == 0 {
		t.Error("the unknown vendor is not reported")
	}
	if len(cached.Entries) != len(fresh.Entries) || len(cached.Entries) != 52 {
		t.Fatalf("%d entries cached, %d fresh; want 52", len(cached.Entries), len(fresh.Entries))
	}
	reused := 0
	for i, e := range cached.Entries {
		f := fresh.Entries[i]
		if e.ID != f.ID || !reflect.DeepEqual(e, f) {
			t.Errorf("entry %d: cached %s differs from fresh %s", i, e.ID, f.ID)
		}
		if !reflect.DeepEqual(cached.ReferencedBy(e.ID), fresh.ReferencedBy(f.ID)) {
			t.Errorf("%s: backlinks differ", e.ID)
		}
		if old, ok := first.byID[e.ID]; ok && old == e {
			reused++
		}
		if e.ID == "agencies/a3" && (e.Title != "Agency Three" || first.byID[e.ID] == e) {
			t.Errorf("the edited entry was not decoded again: %q", e.Title)
		}
	}
	if reused != 51 {
		t.Errorf("%d entries reused from the cache, want the 51 unchanged ones", reused)
	}
}

// openCounter is a content directory that counts the files opened in it.
type openCounter struct {
	fsys  fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func (o *openCounter) Open(name string) (fs.File, error) {
	o.mu.Lock()
	o.opens[name]++
	o.mu.Unlock()
	return o.fsys.Open(name)
}

func (o *openCounter) Stat(name string) (fs.FileInfo, error) { return fs.Stat(o.fsys, name) }

func (o *openCounter) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(o.fsys, name) }

// TestCacheSkipsUnchangedFiles: with a Cache, a file whose size and time
// are those of the last Load is not read again, unless it was written so
// shortly before that Load that a same-size edit in the same clock tick
// could hide behind its time; a file edited since is read.
func TestCacheSkipsUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	old := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			err = os.Chtimes(p, old, old)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cache := NewCache()
	fsys := &openCounter{fsys: os.DirFS(dir), opens: map[string]int{}}
	load := func() *KB {
		fsys.opens = map[string]int{}
		return Load(fsys, Options{Dir: "content", Cache: cache})
	}
	if k := load(); k.Err() != nil {
		t.Fatal(k.Err())
	}

	// An old file edited now, to the same size: it is read again.
	edited := filepath.Join(dir, "agencies", "a1.md")
	data, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "title: Agency 1 Police Department", "title: Agency 1 Police Departmenx", 1))
	if err := os.WriteFile(edited, data, 0o644); err != nil {
		t.Fatal(err)
	}
	k := load()
	if got := k.Entry("agencies/a1").Title; got != "Agency 1 Police Departmenx" {
		t.Errorf("after an edit the title is %q", got)
	}
	if fsys.opens["agencies/a1.md"] == 0 {
		t.Error("the edited file was not read")
	}
	if n := fsys.opens["agencies/a2.md"]; n != 0 {
		t.Errorf("an unchanged file was read %d times", n)
	}

	// Edited again at once, same size, and its time put back to what the
	// last Load saw: it was written within the racy window of that Load,
	// so it is read again and the edit is seen.
	st, err := os.Stat(edited)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "Departmenx", "Departmeny", 1))
	if err := os.WriteFile(edited, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(edited, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	k = load()
	if got := k.Entry("agencies/a1").Title; got != "Agency 1 Police Departmeny" {
		t.Errorf("a same-size edit in the same clock tick was missed: the title is %q", got)
	}
	fresh := Load(os.DirFS(dir), Options{Dir: "content"})
	if k.Digest() != fresh.Digest() {
		t.Errorf("the cached load's digest %s is not a fresh load's %s", k.Digest(), fresh.Digest())
	}
}
