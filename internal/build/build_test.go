package build_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// content is a small, valid knowledge base.
const content = `
-- vendors/acme.md --
---
title: Acme
country: CN
---
-- laws/ban.md --
---
title: Ban
country: US
status: enacted
enacted: 2020-01-01
restricts:
  vendors: [acme]
measure: operation
sources:
  - url: https://example.org/ban
---
-- agencies/pd.md --
---
title: Police Department
country: US
fleet:
  - vendor: acme
    status: active
    as_of: 2024-01-01
    source: https://example.org/pd
sources:
  - url: https://example.org/pd
---
Flies [Acme](../vendors/acme.md) drones [1].
`

// fakeIndex is an Indexer that writes a small index and a file into the
// site, so tests can see both targets swapped in, or not.
func fakeIndex(k *kb.KB, s *site.Site) build.IndexWriter {
	n := len(k.Entries)
	return func(ctx context.Context, indexDir, publicDir string, alone bool) (build.IndexStats, error) {
		if err := os.WriteFile(filepath.Join(indexDir, "docs.txt"), []byte(fmt.Sprint(n)), 0o644); err != nil {
			return build.IndexStats{}, err
		}
		if err := os.MkdirAll(filepath.Join(publicDir, "search"), 0o755); err != nil {
			return build.IndexStats{}, err
		}
		return build.IndexStats{Docs: n}, os.WriteFile(filepath.Join(publicDir, "search", "index.json"), []byte("{}"), 0o644)
	}
}

func always(f build.Indexer) func(build.Config) build.Indexer {
	return func(build.Config) build.Indexer { return f }
}

// project lays out a content directory and returns the config that builds
// it into public/ and index/ beside it.
func project(t *testing.T, archive string) build.Config {
	t.Helper()
	root := t.TempDir()
	sitetest.WriteContent(t, filepath.Join(root, "content"), sitetest.Content(t, archive))
	return build.Config{Content: filepath.Join(root, "content"), Out: filepath.Join(root, "public"),
		Index: filepath.Join(root, "index"), AsOf: sitetest.AsOf}
}

// TestRunDeterministic builds the same content twice through build.Run, in
// two different places, and compares the trees byte for byte, dotfiles and
// the index included.
func TestRunDeterministic(t *testing.T) {
	for _, c := range []struct{ name, content string }{{"fixture", ""}, {"shipped-content", sitetest.ShippedContent(t)}} {
		t.Run(c.name, func(t *testing.T) {
			var cfgs [2]build.Config
			for i := range cfgs {
				cfgs[i] = project(t, content)
				if c.content != "" {
					cfgs[i].Content = c.content
				}
				cfgs[i].Workers = 1 + 3*i
				if _, err := build.Run(context.Background(), cfgs[i], fakeIndex); err != nil {
					t.Fatal(err)
				}
			}
			sitetest.SameTree(t, cfgs[0].Out, cfgs[1].Out)
			sitetest.SameTree(t, cfgs[0].Index, cfgs[1].Index)
		})
	}
}

// TestApartSameBytes builds the same content with the search indexes
// written beside the site and after it, the knowledge base let go of
// (Result.Apart: what a build does from about 15,000 entries): the site
// is the same byte for byte, index/ outside bleve's own files too, the
// answers are the same, and build -v's phases say which way it went.
func TestApartSameBytes(t *testing.T) {
	for _, c := range []struct{ name, content string }{{"shipped-content", sitetest.ShippedContent(t)}, {"generated-400", corpus(t, 400)}} {
		t.Run(c.name, func(t *testing.T) {
			var cfgs [2]build.Config
			var counts [2]int // entries and warnings, as the build beside counts them
			for i, apart := range []bool{false, true} {
				cfgs[i] = project(t, content)
				cfgs[i].Content = c.content
				// Apart, the build lets go of the knowledge base before
				// its indexes, as dronekb build's does.
				cfgs[i].LetGo = true
				restore := build.WriteApart(apart)
				res, err := build.Run(context.Background(), cfgs[i], build.SearchIndex)
				restore()
				if err != nil {
					t.Fatal(err)
				}
				if res.Apart != apart {
					t.Errorf("asked to write the index apart: %v; the result says %v", apart, res.Apart)
				}
				if apart && (res.KB != nil || res.Site != nil) {
					t.Error("the build let go of the knowledge base, yet the result holds it")
				}
				// What dronekb build says of the content comes from the
				// counts, which must be the knowledge base's either way.
				got := [2]int{res.Entries, res.ContentWarnings}
				if !apart {
					if want := [2]int{len(res.KB.Entries), res.KB.Diagnostics.Errors(true)}; got != want || got[0] == 0 {
						t.Errorf("the result counts %d entries and %d warnings; the knowledge base has %d and %d", got[0], got[1], want[0], want[1])
					}
					counts = got
				} else if got != counts {
					t.Errorf("apart, the result counts %d entries and %d warnings; beside, %d and %d", got[0], got[1], counts[0], counts[1])
				}
				var order []string
				for _, p := range res.Phases {
					if p.Group != "" || p.Name == "site" {
						order = append(order, p.Group+": "+p.Name)
					}
				}
				want := []string{"site and search: site", "site and search: search documents", "site and search: search index (bleve)", "site and search: static search index"}
				if apart {
					want = []string{": site", "search indexes: search documents", "search indexes: search index (bleve)", "search indexes: static search index"}
				}
				if !slices.Equal(order, want) {
					t.Errorf("apart %v: phases %q, want %q", apart, order, want)
				}
			}
			sitetest.SameTree(t, cfgs[0].Out, cfgs[1].Out)
			// bleve's own files differ from build to build either way
			// (TestIndexReproducible): the rest of index/ is the same,
			// and so is every answer.
			var trees [2]map[string][]byte
			var idxs [2]*search.Index
			for i, cfg := range cfgs {
				trees[i] = sitetest.ReadTree(t, cfg.Index)
				maps.DeleteFunc(trees[i], func(name string, _ []byte) bool { return strings.HasPrefix(name, "bleve/") })
				idx, err := search.Open(cfg.Index)
				if err != nil {
					t.Fatal(err)
				}
				defer idx.Close()
				idxs[i] = idx
			}
			if diffs := sitetest.DiffTrees(trees[0], trees[1]); len(diffs) > 0 {
				t.Errorf("index/ outside bleve/ differs:\n%s", strings.Join(diffs, "\n"))
			}
			hits := 0
			for _, q := range []string{"drones", "police drones", `"police department"`, "dji", "préfecture"} {
				var answers [2][]byte
				for i, idx := range idxs {
					res, err := idx.Search(context.Background(), search.Request{Q: q, Size: 50})
					if err != nil {
						t.Fatal(err)
					}
					hits += len(res.Hits)
					res.TookMS = 0
					answers[i], _ = json.Marshal(res)
				}
				if !bytes.Equal(answers[0], answers[1]) {
					t.Errorf("%s: the index written beside the site and the one written after it answer differently:\n%s\n%s", q, answers[0], answers[1])
				}
			}
			if hits == 0 {
				t.Error("no search found anything: the comparison shows nothing")
			}
		})
	}
}

// TestLetGo checks, while a build written apart writes its search
// indexes, that the collector has freed the knowledge base, its entries,
// its site and its tracker when the build lets go of them (Config.LetGo),
// and has not when it keeps them for its caller: what the indexes are
// written from (the search documents) must not hold them.
func TestLetGo(t *testing.T) {
	restore := build.WriteApart(true)
	defer restore()
	for _, letGo := range []bool{true, false} {
		t.Run(fmt.Sprintf("let-go=%v", letGo), func(t *testing.T) {
			cfg := project(t, content)
			cfg.LetGo = letGo
			var kbFreed, entryFreed, siteFreed, trackerFreed atomic.Bool
			freed := func() bool {
				return kbFreed.Load() && entryFreed.Load() && siteFreed.Load() && trackerFreed.Load()
			}
			anyFreed := func() bool {
				return kbFreed.Load() || entryFreed.Load() || siteFreed.Load() || trackerFreed.Load()
			}
			index := func(k *kb.KB, s *site.Site) build.IndexWriter {
				set := func(b *atomic.Bool) { b.Store(true) }
				runtime.AddCleanup(k, set, &kbFreed)
				runtime.AddCleanup(k.Entries[0], set, &entryFreed)
				runtime.AddCleanup(s, set, &siteFreed)
				runtime.AddCleanup(s.Tracker(), set, &trackerFreed)
				write := build.SearchIndex(k, s)
				return func(ctx context.Context, indexDir, publicDir string, alone bool) (build.IndexStats, error) {
					// Cleanups run after a collection, on a goroutine of
					// their own.
					for i := 0; i < 50 && !freed(); i++ {
						runtime.GC()
						time.Sleep(10 * time.Millisecond)
					}
					if letGo && !freed() || !letGo && anyFreed() {
						t.Errorf("let go %v, yet while the indexes are written these are freed: the knowledge base %v, its first entry %v, the site %v, its tracker %v",
							letGo, kbFreed.Load(), entryFreed.Load(), siteFreed.Load(), trackerFreed.Load())
					}
					return write(ctx, indexDir, publicDir, alone)
				}
			}
			res, err := build.Run(context.Background(), cfg, index)
			if err != nil {
				t.Fatal(err)
			}
			if res.Index.Docs != res.Entries || res.Entries == 0 {
				t.Errorf("%d documents indexed for %d entries", res.Index.Docs, res.Entries)
			}
			if (res.KB == nil) != letGo {
				t.Errorf("let go %v, yet the result's knowledge base is %p", letGo, res.KB)
			}
		})
	}
}

// TestLimitMemory builds with and without the soft memory limit the
// command sets: the trees are the same, build -v names the limit, and the
// process's previous limit is back afterwards.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	var cfgs [2]build.Config
	var phases []build.Phase
	for i := range cfgs {
		cfgs[i] = project(t, content)
		cfgs[i].TuneCollector = i == 1
		res, err := build.Run(context.Background(), cfgs[i], fakeIndex)
		if err != nil {
			t.Fatal(err)
		}
		phases = res.Phases
	}
	sitetest.SameTree(t, cfgs[0].Out, cfgs[1].Out)
	var limit int
	for _, p := range phases {
		if _, err := fmt.Sscanf(p.Name, "collect garbage; soft memory limit %d MB", &limit); err == nil {
			break
		}
	}
	// At least what is live plus 256 MiB of room.
	if limit < 268 {
		t.Errorf("build -v does not name a soft memory limit of at least 268 MB; phases: %+v", phases)
	}
	if after := debug.SetMemoryLimit(-1); after != before {
		t.Errorf("memory limit %d after the build, %d before", after, before)
	}
}

// TestCLIDeterministic runs the real command twice on the shipped content
// with the same SOURCE_DATE_EPOCH and no --as-of, as a reproducible-builds
// check would, and compares the trees.
func TestCLIDeterministic(t *testing.T) {
	bin := binary(t)
	var outs [2]string
	for i := range outs {
		root := t.TempDir()
		outs[i] = filepath.Join(root, "public")
		cmd := exec.Command(bin, "build", "--content", sitetest.ShippedContent(t), "--out", outs[i], "--index", filepath.Join(root, "index"))
		cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1748736000") // 2025-06-01
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("dronekb build: %v\n%s", err, out)
		}
	}
	sitetest.SameTree(t, outs[0], outs[1])
	m, err := build.ReadManifest(outs[0])
	if err != nil || m.AsOf != "2025-06-01" {
		t.Errorf("manifest %+v, %v: SOURCE_DATE_EPOCH did not set the date", m, err)
	}
	// Of index/, what the README says is byte-reproducible: every file but
	// bleve's own (search.TestIndexReproducible checks that those answer
	// every search the same).
	for _, name := range []string{".dronekb.json", "README.md", "dronekb-index.json"} {
		a, errA := os.ReadFile(filepath.Join(filepath.Dir(outs[0]), "index", name))
		b, errB := os.ReadFile(filepath.Join(filepath.Dir(outs[1]), "index", name))
		if errA != nil || errB != nil || string(a) != string(b) {
			t.Errorf("index/%s differs between two builds (%v, %v)", name, errA, errB)
		}
	}
}

// A body the knowledge base keeps (Config.BodyMemory, by default room for
// every body of a small knowledge base) is the one that was checked, to
// the end of the build: an edit to its file during the build waits for
// the next one, where a body read again fails the build
// (TestFailedBuildLeavesPreviousOutput's body-edited-during-build).
func TestKeptBodyOutlivesAnEdit(t *testing.T) {
	cfg := project(t, content)
	if _, err := build.Run(context.Background(), cfg, editPDThenIndex(cfg)); err != nil {
		t.Fatalf("the build failed: %v", err)
	}
	for _, f := range []string{"agencies/pd/index.html", "data/kb.json"} {
		data, err := os.ReadFile(filepath.Join(cfg.Out, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("Flies")) || bytes.Contains(data, []byte("Flew!")) {
			t.Errorf("%s does not show the body that was checked", f)
		}
	}
	idx, err := search.Open(cfg.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for q, want := range map[string]bool{"flies": true, "flew": false} {
		res, err := idx.Search(context.Background(), search.Request{Q: q, Types: []string{"agency"}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			found = found || h.ID == "agencies/pd"
		}
		if found != want {
			t.Errorf("the index finds agencies/pd for %q: %v, want %v", q, found, want)
		}
	}
}

// editPDThenIndex is an indexer that edits agencies/pd.md's body ("Flies"
// becomes "Flew!") while the site is being built, then builds the search
// indexes.
func editPDThenIndex(cfg build.Config) build.Indexer {
	return func(k *kb.KB, s *site.Site) build.IndexWriter {
		write := build.SearchIndex(k, s)
		return func(ctx context.Context, indexDir, publicDir string, alone bool) (build.IndexStats, error) {
			file := filepath.Join(cfg.Content, "agencies", "pd.md")
			data, err := os.ReadFile(file)
			if err != nil {
				return build.IndexStats{}, err
			}
			if err := os.WriteFile(file, bytes.Replace(data, []byte("Flies"), []byte("Flew!"), 1), 0o644); err != nil {
				return build.IndexStats{}, err
			}
			return write(ctx, indexDir, publicDir, alone)
		}
	}
}

// TestFailedBuildLeavesPreviousOutput makes a good build, then builds that
// fail in different ways, and checks after each that public/ and index/ are
// byte for byte as the good build left them and that no temporary directory
// is left beside them.
func TestFailedBuildLeavesPreviousOutput(t *testing.T) {
	failingIndex := func(k *kb.KB, s *site.Site) build.IndexWriter {
		write := fakeIndex(k, s)
		return func(ctx context.Context, indexDir, publicDir string, alone bool) (build.IndexStats, error) {
			if _, err := write(ctx, indexDir, publicDir, alone); err != nil {
				return build.IndexStats{}, err
			}
			return build.IndexStats{}, errors.New("the index is broken")
		}
	}
	cases := []struct {
		name    string
		change  func(t *testing.T, cfg *build.Config)
		index   func(cfg build.Config) build.Indexer
		wantErr string
	}{
		{"bad-content", func(t *testing.T, cfg *build.Config) {
			writeFile(t, filepath.Join(cfg.Content, "agencies", "pd.md"), strings.Replace(content[strings.Index(content, "---\ntitle: Police"):], "vendor: acme", "vendor: acmee", 1))
		}, always(fakeIndex), `unknown vendor "acmee"`},
		{"broken-front-matter", func(t *testing.T, cfg *build.Config) {
			writeFile(t, filepath.Join(cfg.Content, "vendors", "new.md"), "---\ntitle: [unclosed\n---\n")
		}, always(fakeIndex), "new.md"},
		{"index-fails", nil, always(failingIndex), "the index is broken"},
		{"theme-fails-mid-build", func(t *testing.T, cfg *build.Config) {
			theme := filepath.Join(filepath.Dir(cfg.Content), "theme", "layouts")
			writeFile(t, filepath.Join(theme, "incident.html"), `{{define "main"}}{{.NoSuchField}}{{end}}`)
			writeFile(t, filepath.Join(theme, "agency.html"), `{{define "main"}}{{.Data.E.NoSuchField}}{{end}}`)
			cfg.Theme = filepath.Dir(theme)
		}, always(fakeIndex), "NoSuchField"},
		// Without room for them (Config.BodyMemory), the knowledge base
		// does not keep the bodies: each use reads its file again. A
		// body edited after the load fails the build, which names the
		// file, rather than publishing a page checked as one text and
		// shown as another.
		{"body-edited-during-build", func(t *testing.T, cfg *build.Config) {
			cfg.BodyMemory = -1 // none kept: each use reads the file
		}, editPDThenIndex, "agencies/pd.md changed while the site was being built; build again"},
		{"cancelled", nil, always(func(k *kb.KB, s *site.Site) build.IndexWriter {
			return func(ctx context.Context, indexDir, publicDir string, alone bool) (build.IndexStats, error) {
				return build.IndexStats{}, context.Canceled
			}
		}), "context canceled"},
		{"index-target-is-a-file", func(t *testing.T, cfg *build.Config) {
			cfg.Index = filepath.Join(filepath.Dir(cfg.Out), "index-file")
			writeFile(t, cfg.Index, "not a directory")
		}, always(fakeIndex), "is not a directory"},
		// The site is swapped in first; when the index then cannot be, the
		// site must be swapped back. The indexer makes the index's target
		// a file after the build has checked it.
		{"second-swap-fails", nil, func(cfg build.Config) build.Indexer {
			return func(k *kb.KB, s *site.Site) build.IndexWriter {
				write := fakeIndex(k, s)
				return func(ctx context.Context, indexDir, publicDir string, alone bool) (build.IndexStats, error) {
					if err := os.Rename(cfg.Index, cfg.Index+"-moved"); err != nil {
						return build.IndexStats{}, err
					}
					if err := os.WriteFile(cfg.Index, []byte("now a file"), 0o644); err != nil {
						return build.IndexStats{}, err
					}
					return write(ctx, indexDir, publicDir, alone)
				}
			}
		}, "is not a directory"},
	}
	for _, apart := range []bool{false, true} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/apart=%v", c.name, apart), func(t *testing.T) {
				restore := build.WriteApart(apart)
				defer restore()
				cfg := project(t, content)
				cfg.LetGo = true // as dronekb build does
				if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
					t.Fatal(err)
				}
				before := map[string]map[string][]byte{}
				for _, dir := range []string{cfg.Out, cfg.Index} {
					before[dir] = sitetest.ReadTree(t, dir)
				}
				parent := filepath.Dir(cfg.Out)
				// Build for another date, so that a swap would change the files.
				cfg.AsOf = kb.MustDate("2019-06-01")
				var extra map[string][]byte
				if c.change != nil {
					c.change(t, &cfg)
					if cfg.Index != filepath.Join(parent, "index") {
						extra = sitetest.ReadTree(t, parent)
					}
				}
				res, err := build.Run(context.Background(), cfg, c.index(cfg))
				if c.name == "second-swap-fails" {
					// Put the index back where the indexer moved it from.
					_ = os.Remove(cfg.Index)
					_ = os.Rename(cfg.Index+"-moved", cfg.Index)
				}
				if err == nil {
					t.Fatal("the build succeeded")
				}
				if !strings.Contains(err.Error(), c.wantErr) {
					t.Errorf("error %q does not say %q", err, c.wantErr)
				}
				if c.name == "index-fails" && strings.Contains(err.Error(), "context canceled") {
					// Beside, the index's failure stops the site, which
					// says nothing of it.
					t.Errorf("error %q: the site stopped by the index's failure is reported as cancelled", err)
				}
				if c.name == "theme-fails-mid-build" && apart && (res.Index.Docs > 0 || res.Elapsed["index"] > 0) {
					// Apart, the indexes follow a site that was written.
					t.Errorf("the site failed first, yet the indexes were begun (%d documents, %v)", res.Index.Docs, res.Elapsed["index"])
				}
				for dir, tree := range before {
					if diffs := sitetest.DiffTrees(tree, sitetest.ReadTree(t, dir)); len(diffs) > 0 {
						t.Errorf("%s changed:\n%s", dir, strings.Join(diffs, "\n"))
					}
				}
				if tmp := sitetest.TempDirs(t, parent); len(tmp) > 0 {
					t.Errorf("left temporary directories: %v", tmp)
				}
				if extra != nil {
					if diffs := sitetest.DiffTrees(extra, sitetest.ReadTree(t, parent)); len(diffs) > 0 {
						t.Errorf("the project changed:\n%s", strings.Join(diffs, "\n"))
					}
				}
			})
		}
	}
}

// TestBuildReplacesOutput checks the other half of atomicity: a good build
// replaces the whole of public/ and index/ — nothing of the old trees stays —
// and removes temporary directories that a killed build left.
func TestBuildReplacesOutput(t *testing.T) {
	cfg := project(t, content)
	if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(cfg.Out, "stale.html"), "old")
	writeFile(t, filepath.Join(cfg.Index, "stale"), "old")
	parent := filepath.Dir(cfg.Out)
	for _, name := range []string{".dronekb-tmp-public-0123456789ab", ".dronekb-tmp-index-ba9876543210", ".dronekb-tmp-public-0123456789ab-old"} {
		writeFile(t, filepath.Join(parent, name, "agencies", "x", "index.html"), "left by a killed build")
	}
	cfg.AsOf = kb.MustDate("2019-06-01")
	if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(cfg.Out, "stale.html"), filepath.Join(cfg.Index, "stale")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s survived the build", p)
		}
	}
	if m, err := build.ReadManifest(cfg.Out); err != nil || m.AsOf != "2019-06-01" {
		t.Errorf("manifest %+v, %v: the new build was not swapped in", m, err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "search", "index.json")); err != nil {
		t.Errorf("the indexer's file in public/ is missing: %v", err)
	}
	build.Wait() // the replaced trees are deleted in the background
	if tmp := sitetest.TempDirs(t, parent); len(tmp) > 0 {
		t.Errorf("stale temporary directories survived: %v", tmp)
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBuildIDPairsSiteAndIndex: one build writes the same BuildID into the
// site's manifest and the index's, and build.Pair accepts them; the same
// content gives the same BuildID (builds stay byte-reproducible), other
// content or another date another, and Pair refuses a site of one build
// with the index of another.
func TestBuildIDPairsSiteAndIndex(t *testing.T) {
	ids := func(cfg build.Config) (string, string) {
		t.Helper()
		if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
			t.Fatal(err)
		}
		site, err := build.Pair(cfg.Out, cfg.Index)
		if err != nil {
			t.Fatalf("Pair after a build: %v", err)
		}
		idx, err := build.ReadManifest(cfg.Index)
		if err != nil {
			t.Fatal(err)
		}
		return site.BuildID, idx.BuildID
	}
	a := project(t, content)
	siteA, indexA := ids(a)
	if siteA == "" || siteA != indexA {
		t.Fatalf("build IDs %q (site) and %q (index)", siteA, indexA)
	}
	b := project(t, content)
	if again, _ := ids(b); again != siteA {
		t.Errorf("the same content built elsewhere has build ID %q, not %q", again, siteA)
	}
	b.AsOf = kb.MustDate("2019-06-01")
	if other, _ := ids(b); other == siteA {
		t.Error("another date gives the same build ID")
	}
	if err := os.WriteFile(filepath.Join(a.Content, "vendors", "acme.md"), []byte("---\ntitle: Acme Corp\ncountry: CN\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	aOut2 := a
	aOut2.Out, aOut2.Index = a.Out+"2", a.Index+"2"
	if other, _ := ids(aOut2); other == siteA {
		t.Error("other content gives the same build ID")
	}
	var pe *build.PairError
	if _, err := build.Pair(aOut2.Out, a.Index); !errors.As(err, &pe) {
		t.Errorf("Pair of one build's site and another's index: %v; want a *PairError", err)
	}
}

// TestUnchangedBuildWritesNothing: with SkipUnchanged, as serve --watch
// builds, a build whose inputs are those of the site and index in place
// writes nothing — not a file, not a directory — and says so; any change to
// the content or the theme builds again, and the result is what a build
// from scratch gives.
func TestUnchangedBuildWritesNothing(t *testing.T) {
	cfg := project(t, content)
	cfg.SkipUnchanged = true
	res, err := build.Run(context.Background(), cfg, fakeIndex)
	if err != nil || res.Unchanged {
		t.Fatalf("first build: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}
	parent := filepath.Dir(cfg.Out)
	type seen struct {
		info  os.FileInfo
		stamp string
	}
	snapshot := func() map[string]seen {
		out := map[string]seen{}
		for _, dir := range []string{cfg.Out, cfg.Index} {
			err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				out[p] = seen{info, fmt.Sprint(info.ModTime().UnixNano(), info.Size())}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		entries, _ := os.ReadDir(parent)
		for _, e := range entries {
			out["parent:"+e.Name()] = seen{}
		}
		return out
	}
	if err := build.Wait(); err != nil {
		t.Fatal(err)
	}
	before := snapshot()
	res, err = build.Run(context.Background(), cfg, fakeIndex)
	if err != nil || !res.Unchanged {
		t.Fatalf("second build of the same content: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}
	if err := build.Wait(); err != nil {
		t.Fatal(err)
	}
	after := snapshot()
	for p, v := range before {
		a, ok := after[p]
		if !ok || a.stamp != v.stamp || (v.info != nil && (a.info == nil || !os.SameFile(a.info, v.info))) {
			t.Errorf("the unchanged build touched %s", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("the unchanged build wrote %s", p)
		}
	}
	// serve builds with the base URL "/", which is the default's site;
	// and the default page size said out loud is the default.
	slash := cfg
	slash.BaseURL, slash.PageSize = "/", site.DefaultPageSize
	if res, err = build.Run(context.Background(), slash, fakeIndex); err != nil || !res.Unchanged {
		t.Fatalf("the same build with --base-url / --page-size %d: unchanged=%v, %v", site.DefaultPageSize, res != nil && res.Unchanged, err)
	}
	// Another page size is another site.
	small := cfg
	small.PageSize = 1
	if res, err = build.Run(context.Background(), small, fakeIndex); err != nil || res.Unchanged {
		t.Fatalf("the build with --page-size 1: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Out, "countries", "us", "page", "2", "index.html")); err != nil {
		t.Fatalf("with --page-size 1, the second page of the United States' two entries: %v", err)
	}
	if res, err = build.Run(context.Background(), cfg, fakeIndex); err != nil || res.Unchanged {
		t.Fatalf("the build back at the default page size: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}

	// Saving a file with other bytes builds again.
	agency := filepath.Join(cfg.Content, "agencies", "pd.md")
	data, err := os.ReadFile(agency)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(agency, []byte(strings.Replace(string(data), "Police Department", "Police Department of Springfield", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err = build.Run(context.Background(), cfg, fakeIndex); err != nil || res.Unchanged {
		t.Fatalf("build after an edit: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}
	page, err := os.ReadFile(filepath.Join(cfg.Out, "agencies", "pd", "index.html"))
	if err != nil || !strings.Contains(string(page), "Police Department of Springfield") {
		t.Fatalf("the edit is not on the page: %v", err)
	}
	// The same build from scratch gives the same bytes.
	fresh := cfg
	fresh.SkipUnchanged = false
	fresh.Out, fresh.Index = filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index")
	if _, err := build.Run(context.Background(), fresh, fakeIndex); err != nil {
		t.Fatal(err)
	}
	sitetest.SameTree(t, cfg.Out, fresh.Out)

	// A theme of its own is an input too.
	theme := filepath.Join(t.TempDir(), "theme")
	if err := os.MkdirAll(filepath.Join(theme, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(theme, "static", "extra.css"), []byte("p{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.Theme = theme
	if res, err = build.Run(context.Background(), cfg, fakeIndex); err != nil || res.Unchanged {
		t.Fatalf("build with another theme: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}
	if res, err = build.Run(context.Background(), cfg, fakeIndex); err != nil || !res.Unchanged {
		t.Fatalf("the same theme again: unchanged=%v, %v", res != nil && res.Unchanged, err)
	}
}
