// Package sitetest holds what the site and build tests share: a whole-site
// test laid out from a txtar archive (in the manner of Hugo's hugolib.Test),
// byte-for-byte comparison of built trees, checks that parse every page
// (safety, structure), a crawler that follows every internal link, and a
// generator of large knowledge bases for benchmarks and kill tests.
//
// A test lays out its content inline:
//
//	s := sitetest.BuildArchive(t, `
//	-- vendors/acme.md --
//	---
//	title: Acme
//	country: CN
//	---
//	`, site.Options{})
//	sitetest.CheckSafe(t, s.Dir, s.Base)
//
// Only tests import it.
package sitetest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/themes"
)

// AsOf is the date every test site is judged on unless it says otherwise:
// fixed, so that tests do not depend on the day they run.
var AsOf = kb.MustDate("2025-06-01")

// Content lays out a txtar archive as a content tree: each file of the
// archive is named relative to the content root ("agencies/nypd.md").
func Content(t testing.TB, archive string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range txtar.Parse([]byte(archive)).Files {
		if _, dup := fsys[f.Name]; dup {
			t.Fatalf("archive names %s twice", f.Name)
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	if len(fsys) == 0 {
		t.Fatal("archive has no files")
	}
	return fsys
}

// WriteContent writes a content tree under dir, for tests that run the
// real build or the command.
func WriteContent(t testing.TB, dir string, fsys fstest.MapFS) {
	t.Helper()
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Load loads and checks a content tree and fails the test on any content
// error, printing them all.
func Load(t testing.TB, fsys fs.FS) *kb.KB {
	t.Helper()
	k := kb.Load(fsys, kb.Options{AsOf: AsOf})
	if err := k.Err(); err != nil {
		for _, d := range k.Diagnostics {
			if d.Severity == kb.SevError {
				t.Log(d)
			}
		}
		t.Fatalf("content has errors: %v", err)
	}
	return k
}

// Site is a site a test built.
type Site struct {
	Dir   string // the output directory
	Base  string // the path every internal URL starts with: "/" or "/dronekb/"
	Abs   string // the absolute base URL, or ""
	KB    *kb.KB
	Site  *site.Site
	Stats site.Stats
}

// Build renders k into a fresh directory. A zero opts.AsOf is AsOf, a nil
// opts.Theme the default theme.
func Build(t testing.TB, k *kb.KB, opts site.Options) *Site {
	t.Helper()
	return BuildInto(t, k, opts, filepath.Join(t.TempDir(), "public"))
}

// BuildInto renders k into dir, which must not exist yet.
func BuildInto(t testing.TB, k *kb.KB, opts site.Options, dir string) *Site {
	t.Helper()
	if opts.AsOf.IsZero() {
		opts.AsOf = AsOf
	}
	if opts.Theme == nil {
		opts.Theme = themes.Default()
	}
	s, err := site.New(k, opts)
	if err != nil {
		t.Fatalf("site.New: %v", err)
	}
	stats, err := s.Build(context.Background(), dir)
	if err != nil {
		t.Fatalf("building the site: %v", err)
	}
	base, abs, err := site.ParseBaseURL(opts.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	return &Site{Dir: dir, Base: base, Abs: abs, KB: k, Site: s, Stats: stats}
}

// BuildArchive loads the content laid out by archive, which must have no
// content errors, and renders it.
func BuildArchive(t testing.TB, archive string, opts site.Options) *Site {
	t.Helper()
	return Build(t, Load(t, Content(t, archive)), opts)
}

// RepoRoot returns the repository's root directory: the nearest parent of
// the working directory with a go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// ShippedContent returns the repository's content/ directory.
func ShippedContent(t testing.TB) string {
	t.Helper()
	return filepath.Join(RepoRoot(t), "content")
}

// ReadTree reads every file under dir, dotfiles included, keyed by its
// slash path relative to dir. Directories are listed with a trailing slash
// and nil data, so that an empty directory counts as a difference too.
func ReadTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	tree := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.IsDir():
			tree[rel+"/"] = nil
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			tree[rel] = data
		default:
			tree[rel] = []byte(fmt.Sprintf("<%v>", d.Type()))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return tree
}

// DiffTrees describes how two trees read by ReadTree differ: the files only
// one has, and for each file whose bytes differ, where the first difference
// is. It returns nil when they are identical.
func DiffTrees(a, b map[string][]byte) []string {
	var diffs []string
	for _, name := range slices.Sorted(maps.Keys(a)) {
		if _, ok := b[name]; !ok {
			diffs = append(diffs, "only in the first: "+name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(b)) {
		x, ok := a[name]
		if !ok {
			diffs = append(diffs, "only in the second: "+name)
			continue
		}
		y := b[name]
		if bytes.Equal(x, y) {
			continue
		}
		i := 0
		for i < len(x) && i < len(y) && x[i] == y[i] {
			i++
		}
		diffs = append(diffs, fmt.Sprintf("%s differs at byte %d (%d and %d bytes): %q vs %q", name, i, len(x), len(y), excerpt(x, i), excerpt(y, i)))
	}
	return diffs
}

func excerpt(b []byte, i int) string {
	lo, hi := max(i-30, 0), min(i+50, len(b))
	return string(b[lo:hi])
}

// SameTree fails the test unless the trees at a and b hold the same files
// with the same bytes.
func SameTree(t testing.TB, a, b string) {
	t.Helper()
	ta, tb := ReadTree(t, a), ReadTree(t, b)
	if diffs := DiffTrees(ta, tb); len(diffs) > 0 {
		if len(diffs) > 20 {
			diffs = append(diffs[:20], fmt.Sprintf("… and %d more", len(diffs)-20))
		}
		t.Fatalf("%s and %s differ:\n%s", a, b, strings.Join(diffs, "\n"))
	}
	if len(ta) == 0 {
		t.Fatalf("%s is empty", a)
	}
}

// TempDirs returns the build temporary directories (.dronekb-tmp-*) in dir.
func TempDirs(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".dronekb-tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}
