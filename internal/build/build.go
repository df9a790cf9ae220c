// Package build turns a content directory into the site in public/ and the
// search index in index/, atomically: everything is written into fresh
// temporary directories beside the targets and swapped in only when all of
// it succeeded, so a failed, interrupted or killed build leaves the previous
// site and index exactly as they were.
package build

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dronekb/dronekb/internal/gitrepo"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/themes"
)

// Config says what to build and where.
type Config struct {
	Content string // content directory
	Theme   string // theme directory overlaid on the default; "" for the default alone
	Out     string // site output directory, e.g. "public"
	Index   string // search index directory, e.g. "index"; "" to skip the index
	BaseURL string
	AsOf    kb.Date
	// Today is the real date when AsOf is another (build --as-of), as
	// kb.Options.Today: the dates after it are warned of. Zero means
	// AsOf is today.
	Today   kb.Date
	Workers int
	// PageSize is how many entries a page of a long list shows
	// (site.Options.PageSize; 0 for site.DefaultPageSize).
	PageSize int
	// SkipUnchanged makes a build whose inputs (see inputs) are those of
	// the site and index in place write nothing at all: serve --watch sets
	// it, so that saving a file unchanged, or putting back what was there,
	// rewrites nothing and reloads no page.
	SkipUnchanged bool
	// LoadCache, if set, keeps the content's files from one build to the
	// next, so that a rebuild decodes only the files that changed (serve
	// --watch; see kb.Cache).
	LoadCache *kb.Cache
	// KeepBodies keeps the entries' bodies in memory (kb.Options):
	// serve --watch sets it, as a save while a step writes must not fail
	// the step.
	KeepBodies bool
	// BodyMemory is how many bytes of bodies the entries keep in memory
	// without KeepBodies (kb.Options): zero for DefaultBodyMemory, less
	// than zero for none.
	BodyMemory int64
	// Repo is the web address of the repository that holds the content
	// ("https://github.com/owner/name"): entry pages then link to editing
	// them, their history and reporting a correction. Branch is the
	// branch those links name (default main).
	Repo, Branch string
	// Exports are more downloads the site writes (site.Options.Exports).
	Exports []site.Export
	// TuneCollector lets the build tune the collector: room to collect
	// less often while the knowledge base loads (Load), and a
	// soft memory limit while the site and the indexes are written
	// (limitMemory); each puts the previous setting back after. dronekb
	// build and serve set it unless GOMEMLIMIT or GOGC is set.
	TuneCollector bool
	// LetGo says that the caller needs neither Result.KB nor Result.Site:
	// a build that writes its site and its search indexes apart
	// (Result.Apart) then lets go of the knowledge base, its tracker and
	// its site once the site is written and the search documents are
	// made, so that the collector no longer marks them again and again
	// while the indexes are written. dronekb build sets it; serve --watch,
	// which builds again from what a build leaves, does not.
	LetGo bool
}

// Result says what a build did.
type Result struct {
	KB   *kb.KB // nil after a build that let go of it (Config.LetGo)
	Site *site.Site
	// Entries is how many entries the knowledge base has, and
	// ContentWarnings how many warnings checking them gave (as dronekb
	// check gives for the same date): what a build says of its content
	// once it has let go of it.
	Entries, ContentWarnings int
	Stats                    site.Stats
	Index                    IndexStats
	Elapsed                  map[string]time.Duration // per phase: load, site, index, swap
	// Phases are the steps of the build in order, with how long each
	// took: every step, so that they add up to the whole (see Phase).
	Phases []Phase
	// Warnings are what went wrong but did not stop the build: a tree an
	// earlier build left that could not be deleted.
	Warnings []string
	// Unchanged says that the site and index in place were built from the
	// same inputs, and nothing was written (Config.SkipUnchanged).
	Unchanged bool
	// Apart says that the search indexes were written after the site
	// rather than beside it. A build does so when what is live once the
	// knowledge base is loaded makes writing's memory limit grow with it
	// (apartFor), from between 15,000 and 20,000 entries like the
	// generated ones. The collector, which marks what is live again each
	// time the heap reaches the limit, then has less to mark at any
	// moment: the site is not written while bleve's batch, the search
	// documents and the static index's postings are live, nor while
	// bleve's merge maps its segments and the limit is lowered to make
	// room for them (roomForMapped); and a build that lets go of the
	// knowledge base (Config.LetGo) writes its indexes with the search
	// documents alone live. At 100,000 entries, letting go took 12-18%
	// less CPU time and 9-16% less wall time than writing the indexes
	// first with the knowledge base kept (two pairs); at 30,000, 11% and
	// 7% (three pairs). A smaller knowledge base writes the two side by
	// side, which takes the least wall time: at 10,000 entries apart took
	// 10% longer.
	Apart bool
}

// writeApart, when set, makes a build write its indexes after its site
// (true) or beside it (false) whatever the size of the knowledge base:
// the tests build the same content both ways and compare the bytes.
var writeApart *bool

// The groups of a build's phases: the site and the search indexes
// written side by side, or the search indexes alone (Result.Apart).
const (
	SiteAndSearch = "site and search"
	SearchIndexes = "search indexes"
)

// Phase is one step of a build. Steps that ran side by side have the same
// Group; Parts break a step down (the site's kinds of files, added up over
// its workers).
type Phase struct {
	Name  string
	Took  time.Duration
	Group string
	Parts []site.Work
	// WorkerTime says that the Parts' times are added up over workers
	// that ran at once, so they can add up to more than Took.
	WorkerTime bool
}

// IndexStats reports the search index a build wrote.
type IndexStats struct {
	Docs  int
	Bytes int64
	// Prepare is how long the documents took to make from the entries;
	// Bleve and Static how long the bleve index and the static search
	// index took, written side by side after that.
	Prepare, Bleve, Static time.Duration
	// BleveSteps splits Bleve into analysing the documents and merging
	// the segments (zero when the indexer does not tell).
	BleveSteps search.BuildTiming
	// MergeLimit is the soft memory limit while bleve's builder merged
	// its segments, lowered to make room for the MergeMapped bytes of
	// them it maps (roomForMapped); 0 if it was not lowered.
	MergeLimit  uint64
	MergeMapped int64
}

// An Indexer makes from a knowledge base and its site what their search
// indexes are made of (the search documents), and returns what writes
// them. The IndexWriter must hold neither k nor s nor their entries: a
// build that lets go of the knowledge base (Config.LetGo) writes its
// indexes without them.
type Indexer func(k *kb.KB, s *site.Site) IndexWriter

// An IndexWriter writes the search indexes into a fresh directory, and may
// add files to the site (the static search index). alone says that the
// site is written: the indexes have every core to themselves.
type IndexWriter func(ctx context.Context, indexDir, publicDir string, alone bool) (IndexStats, error)

// tempPrefix names the temporary directories a build makes beside its
// targets; a later build removes any that a killed build left behind.
const tempPrefix = ".dronekb-tmp-"

// Manifest is written to <out>/.dronekb.json so that serve knows how the
// site was built, and to <index>/.dronekb.json; in both it marks the
// directory as one a build may replace (CheckPaths). serve never serves dotfiles.
type Manifest struct {
	Generator string `json:"generator"`
	BasePath  string `json:"base_path"`
	// BaseURL is the absolute address the site was built for (an
	// absolute --base-url), or "" for a site built for a path alone: a
	// site with one is made for publishing, and serve --watch will not
	// replace it with a preview.
	BaseURL string `json:"base_url,omitempty"`
	AsOf    string `json:"as_of"`
	Entries int    `json:"entries"`
	// BuildID names what the index was made from: the content's files
	// (kb.KB.Digest), the tracker's date, the base path and the index
	// mapping. A site and an index belong together when their manifests
	// have the same BuildID (Pair); a build killed between swapping in the
	// one and the other leaves two that do not.
	BuildID string `json:"build_id"`
	// Inputs identifies everything the build was made from, the dronekb
	// binary included (see inputs): a build with the same inputs would
	// write the same bytes.
	Inputs string `json:"inputs,omitempty"`
}

// buildID is the BuildID of a knowledge base built for basePath on asOf.
func buildID(k *kb.KB, basePath string, asOf kb.Date) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("dronekb build\ncontent %s\nbase %s\nas of %s\nmapping %d\n", k.Digest(), basePath, asOf, search.MappingVersion)))
	return hex.EncodeToString(sum[:16])
}

// PairError says that a site and an index were not made by one build.
type PairError struct {
	Out, Index            string
	SiteBuild, IndexBuild string
}

func (e *PairError) Error() string {
	return fmt.Sprintf("the search index in %s (build %s) was not made by the build of the site in %s (build %s); an interrupted build leaves such a pair: run dronekb build",
		e.Index, orNone(e.IndexBuild), e.Out, orNone(e.SiteBuild))
}

func orNone(id string) string {
	if id == "" {
		return "unknown"
	}
	return id
}

// Pair reads the manifests of the site in out and the index in index, and
// returns the site's if one build made both: a *PairError if not, and the
// error of reading a manifest that cannot be read.
func Pair(out, index string) (Manifest, error) {
	site, err := ReadManifest(out)
	if err != nil {
		return site, err
	}
	idx, err := ReadManifest(index)
	if err != nil {
		return site, err
	}
	if site.BuildID == "" || site.BuildID != idx.BuildID {
		return site, &PairError{Out: out, Index: index, SiteBuild: site.BuildID, IndexBuild: idx.BuildID}
	}
	return site, nil
}

// cleanups tracks the deletion of replaced trees, which Run leaves running
// in the background so that the new site is in place (and serve can show it)
// without waiting for the old one to be deleted.
var (
	cleanups    sync.WaitGroup
	cleanupMu   sync.Mutex
	cleanupErrs []error
)

// Wait blocks until the trees that earlier builds replaced are deleted, and
// says which could not be. A command calls it before it exits; if it is
// killed first, the next build removes what is left.
func Wait() error {
	cleanups.Wait()
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	err := errors.Join(cleanupErrs...)
	cleanupErrs = nil
	return err
}

// removeTree deletes a tree a build made or replaced. A directory in it
// that is read-only is made writable first: the tree is ours to delete.
func removeTree(dir string) error {
	err := os.RemoveAll(dir)
	if err == nil {
		return nil
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if info, err := d.Info(); err == nil && info.Mode().Perm()&0o700 != 0o700 {
				_ = os.Chmod(p, info.Mode().Perm()|0o700)
			}
		}
		return nil
	})
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("could not delete %s, which a build left: %w", dir, err)
	}
	return nil
}

// Theme returns the theme for dir: dir overlaid on the embedded default.
func Theme(dir string) (fs.FS, error) {
	if dir == "" {
		return themes.Default(), nil
	}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("theme directory %q not found", dir)
	}
	return themes.Overlay(os.DirFS(dir), themes.Default()), nil
}

// Run builds the site (and the index, with an Indexer) and swaps them in.
// A content problem returns the kb.Diagnostics as the error.
func Run(ctx context.Context, cfg Config, index Indexer) (*Result, error) {
	res := &Result{Elapsed: map[string]time.Duration{}}
	start := time.Now()
	if err := CheckPaths(cfg); err != nil {
		return nil, err
	}
	theme, err := Theme(cfg.Theme)
	if err != nil {
		return nil, err
	}
	step := time.Now()
	phase := func(name string) {
		now := time.Now()
		res.Phases = append(res.Phases, Phase{Name: name, Took: now.Sub(step)})
		step = now
	}
	// Loaded as check loads it for the same date, so that the build's
	// count of warnings is check's (stale evidence, dates after today).
	k := Load(os.DirFS(cfg.Content), kb.Options{Dir: cfg.Content, AsOf: cfg.AsOf, Today: cfg.Today, Workers: cfg.Workers, Cache: cfg.LoadCache, KeepBodies: cfg.KeepBodies, BodyMemory: bodyMemory(cfg.BodyMemory)}, cfg.TuneCollector)
	res.KB = k
	res.Entries, res.ContentWarnings = len(k.Entries), k.Diagnostics.Errors(true)
	res.Elapsed["load"] = time.Since(start)
	phase("load and check")
	if err := k.Err(); err != nil {
		return res, err
	}
	opts := site.Options{BaseURL: cfg.BaseURL, Theme: theme, AsOf: cfg.AsOf, Workers: cfg.Workers, PageSize: cfg.PageSize, Exports: cfg.Exports}
	var shallow bool
	if opts.Repo, opts.Changed, shallow, err = historyOf(ctx, cfg); err != nil {
		return res, err
	}
	if shallow {
		res.Warnings = append(res.Warnings, shallowWarning)
	}
	phase("file history (git)")
	withIndex := cfg.Index != "" && index != nil
	in, err := inputs(cfg, k, theme, opts, withIndex)
	if err != nil {
		return res, err
	}
	if cfg.SkipUnchanged && builtFrom(cfg, in, withIndex) {
		res.Unchanged = true
		phase("compare with the build in place: unchanged")
		res.Elapsed["total"] = time.Since(start)
		return res, nil
	}
	phase("inputs")
	opts.Tracker = k.Tracker(cfg.AsOf)
	phase("tracker")
	// The site leaves the index a core until it is done (site.Options);
	// a build that fails before the index starts ends that too.
	beside := make(chan struct{})
	indexDone := sync.OnceFunc(func() { close(beside) })
	defer indexDone()
	if withIndex {
		opts.Beside = beside
	}
	s, err := site.New(k, opts)
	if err != nil {
		return res, err
	}
	res.Site = s
	phase("prepare pages (relations, charts, tables)")
	if cfg.TuneCollector {
		// The bodies kept under the build's budget count once in the
		// limit; serve --watch, which keeps every body, counts them as
		// the rest of what is live, as its memory was measured.
		var fixed uint64
		if !cfg.KeepBodies {
			fixed = uint64(k.KeptBodies())
		}
		limit, live, restore := limitMemory(fixed)
		defer restore()
		phase(fmt.Sprintf("collect garbage; soft memory limit %d MB", limit/1e6))
		res.Apart = withIndex && apartFor(live, uint64(k.KeptBodies()))
	}
	if writeApart != nil && withIndex {
		res.Apart = *writeApart
	}

	targets := []string{cfg.Out}
	if cfg.Index != "" && index != nil {
		targets = append(targets, cfg.Index)
	}
	parents, unlock, err := lockParents(targets...)
	if err != nil {
		return res, err
	}
	defer unlock()
	for _, parent := range parents {
		cleanups.Wait() // a previous build of this process may still be deleting its old trees
		res.Warnings = append(res.Warnings, removeStale(parent)...)
	}
	// Fail before the work, not after it, if a target cannot be swapped.
	for _, t := range targets {
		if st, err := os.Lstat(t); err == nil && !st.IsDir() {
			return res, fmt.Errorf("%s exists and is not a directory; move it away", t)
		}
	}

	phase("lock and clean up")
	tmpOut, err := tempDir(cfg.Out)
	if err != nil {
		return res, err
	}
	temps := []string{tmpOut}
	swapped := false
	defer func() {
		// After a failure the temporary trees are removed now. After a
		// swap they hold the previous site and index, which can take
		// seconds to delete: that happens in the background (see Wait).
		if !swapped {
			for _, t := range temps {
				_ = removeTree(t)
			}
			return
		}
		for _, t := range temps {
			cleanups.Add(1)
			go func(t string) {
				defer cleanups.Done()
				if err := removeTree(t); err != nil {
					cleanupMu.Lock()
					cleanupErrs = append(cleanupErrs, err)
					cleanupMu.Unlock()
				}
			}(t)
		}
	}()
	var tmpIndex string
	if len(targets) > 1 {
		if tmpIndex, err = tempDir(cfg.Index); err != nil {
			return res, err
		}
		temps = append(temps, tmpIndex)
	}

	// The site and the indexes are written at the same time, or the site
	// first and then the indexes when the knowledge base is large
	// (Result.Apart). Each goroutine writes only its own variables; the
	// Elapsed map is filled in after both finish.
	var siteErr, indexErr error
	var siteTime, indexTime time.Duration
	writeSite := func(ctx context.Context) {
		t := time.Now()
		res.Stats, siteErr = s.Build(ctx, tmpOut)
		siteTime = time.Since(t)
	}
	// The indexes' time counts from before the Indexer makes the
	// documents.
	writeIndex := func(start time.Time, w IndexWriter) {
		res.Index, indexErr = w(ctx, tmpIndex, tmpOut, res.Apart)
		indexTime = time.Since(start)
	}
	// What the manifests say of the knowledge base is taken now: a build
	// that lets go of it does so before its indexes.
	man := Manifest{Generator: "dronekb", BasePath: s.BasePath(), BaseURL: s.AbsBase(), AsOf: cfg.AsOf.String(),
		Entries: len(k.Entries), BuildID: buildID(k, s.BasePath(), s.Tracker().AsOf), Inputs: in}
	switch {
	case tmpIndex == "":
		writeSite(ctx)
	case res.Apart:
		// Alone, the site has every core (site.Options.Beside).
		indexDone()
		writeSite(ctx)
		if siteErr != nil {
			break
		}
		start := time.Now()
		w := index(k, s)
		if cfg.LetGo {
			// From here on nothing the build holds refers to the
			// knowledge base, its tracker or its site (the writer holds
			// the search documents): the collector frees them.
			k, s = nil, nil
			res.KB, res.Site = nil, nil
		}
		writeIndex(start, w)
	default:
		// A site written beside an index that failed is thrown away: the
		// index's failure stops it.
		siteCtx, stopSite := context.WithCancel(ctx)
		defer stopSite()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			writeIndex(time.Now(), index(k, s))
			if indexErr != nil {
				stopSite()
			}
			indexDone()
		}()
		writeSite(siteCtx)
		wg.Wait()
		if indexErr != nil && ctx.Err() == nil && errors.Is(siteErr, context.Canceled) {
			siteErr = nil // stopped by the index's failure, which is the one to report
		}
	}
	res.Elapsed["site"] = siteTime
	// Side by side, the site and the index's steps are one group; apart,
	// the site comes first and the index's steps are a group after it
	// (bleve's index and the static one are still written side by side).
	group := SiteAndSearch
	if res.Apart {
		group = SearchIndexes
	}
	sitePhase := Phase{Name: "site", Took: siteTime, Parts: res.Stats.Work, WorkerTime: true}
	if !res.Apart {
		sitePhase.Group = group
	}
	res.Phases = append(res.Phases, sitePhase)
	if tmpIndex != "" {
		res.Elapsed["index"] = indexTime
		var steps []site.Work
		if st := res.Index.BleveSteps; st != (search.BuildTiming{}) {
			merge := "closing: last segment, merge"
			if x := res.Index; x.MergeLimit > 0 {
				merge += fmt.Sprintf(" (%d MB of segments mapped; soft memory limit %d MB)", x.MergeMapped/1e6, x.MergeLimit/1e6)
			}
			steps = []site.Work{{Kind: "analysing documents", Took: st.Analyse}, {Kind: merge, Took: st.Merge}}
		}
		res.Phases = append(res.Phases,
			Phase{Name: "search documents", Took: res.Index.Prepare, Group: group},
			Phase{Name: "search index (bleve)", Took: res.Index.Bleve, Group: group, Parts: steps},
			Phase{Name: "static search index", Took: res.Index.Static, Group: group})
	}
	step = time.Now()
	if err := errors.Join(siteErr, indexErr); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := writeExtras(tmpOut, tmpIndex, man); err != nil {
		return res, err
	}
	phase("manifests")

	t := time.Now()
	if err := swapAll(temps, targets); err != nil {
		return res, err
	}
	swapped = true
	res.Elapsed["swap"] = time.Since(t)
	phase("swap")
	res.Elapsed["total"] = time.Since(start)
	return res, nil
}

// publicReadme is the placeholder the repository used to track in public/.
// The site no longer carries a README (a static host would publish it), and
// the repository ignores public/ whole; an old checkout's public/ holding
// only this file still counts as ours (CheckPaths).
const publicReadme = `# public/

The built site. ` + "`dronekb build`" + ` writes it here, replacing the whole folder at once;
do not edit it by hand. Upload this folder to any static host.
`

const indexReadme = `# index/

The search index that ` + "`dronekb build`" + ` writes (bleve). ` + "`dronekb search`" + ` and
` + "`dronekb serve`" + ` read it. It is rebuilt from content/ on every build.
`

func writeExtras(out, index string, man Manifest) error {
	if err := writeManifest(out, man); err != nil {
		return err
	}
	if index != "" {
		// The same manifest marks the index directory as ours (CheckPaths)
		// and pairs it with the site (Pair).
		if err := writeManifest(index, man); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(index, "README.md"), []byte(indexReadme), 0o644)
	}
	return nil
}

// history reads when each entry last changed, from git when the content
// is in a repository, and where the repository is when cfg names it.
func history(ctx context.Context, cfg Config) (site.Repository, map[string]kb.Date, error) {
	r, changed, _, err := historyOf(ctx, cfg)
	return r, changed, err
}

// shallowWarning is what a build says when its content is in a shallow
// clone.
const shallowWarning = "the content's git history is shallow (a CI checkout of the last commit or few): entries whose last change the clone does not hold (in a clone of the last commit, all of them) show their updated date, not when their file last changed; fetch the whole history (git fetch --unshallow, or fetch-depth: 0 in GitHub Actions)"

// historyOf is history, and whether the repository is a shallow clone.
func historyOf(ctx context.Context, cfg Config) (site.Repository, map[string]kb.Date, bool, error) {
	var changed map[string]kb.Date
	var shallow bool
	content := filepath.ToSlash(filepath.Clean(cfg.Content))
	if repo, err := gitrepo.Open(ctx, cfg.Content); err == nil {
		if rel, err := repo.Rel(cfg.Content); err == nil {
			content = rel
			shallow = repo.Shallow(ctx)
			if times, err := repo.LastChanged(ctx, rel); err == nil {
				changed = make(map[string]kb.Date, len(times))
				for p, t := range times {
					changed[p] = kb.DateOf(t)
				}
			}
		}
	}
	if cfg.Repo == "" {
		return site.Repository{}, changed, shallow, nil
	}
	branch := cfg.Branch
	if branch == "" {
		branch = "main"
	}
	r, err := site.ParseRepository(cfg.Repo, branch, content)
	return r, changed, shallow, err
}

func writeManifest(dir string, man Manifest) error {
	return writeManifestAs(filepath.Join(dir, manifestFile), man)
}

// writeManifestAs writes man to the file at path.
func writeManifestAs(path string, man Manifest) error {
	m, err := json.MarshalIndent(man, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(m, '\n'), 0o644)
}

// builtFrom reports whether the site (and index) in place were made by one
// build from these inputs.
func builtFrom(cfg Config, in string, withIndex bool) bool {
	m, err := ReadManifest(cfg.Out)
	if err != nil || m.Inputs != in {
		return false
	}
	if !withIndex {
		return true
	}
	_, err = Pair(cfg.Out, cfg.Index)
	return err == nil
}

// ReadManifest reads the manifest of a built site.
func ReadManifest(out string) (Manifest, error) {
	var m Manifest
	name := filepath.Join(out, manifestFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(data, &m); err != nil {
		// The decoder's words alone ("invalid character 'g' …") named
		// neither the file nor what it should be.
		return m, fmt.Errorf("%s is not a manifest a dronekb build wrote: %w", name, err)
	}
	return m, nil
}

func tempDir(target string) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	clean := filepath.Clean(target)
	dir := filepath.Join(filepath.Dir(clean), tempPrefix+filepath.Base(clean)+"-"+hex.EncodeToString(b[:]))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// removeStale deletes temporary directories that a killed build left in
// parent, and says which it could not. The caller holds the build lock, so
// none of them is in use.
func removeStale(parent string) []string {
	var warnings []string
	matches, _ := filepath.Glob(filepath.Join(parent, tempPrefix+"*"))
	for _, m := range matches {
		if err := removeTree(m); err != nil {
			warnings = append(warnings, err.Error())
		}
	}
	return warnings
}

// swapAll swaps each finished tree tmps[i] in for dsts[i]. If one swap
// fails, the ones already made are swapped back, so that the site and the
// index change together or not at all. Afterwards each tmps[i] holds the
// old tree, if there was one, for the caller to remove.
func swapAll(tmps, dsts []string) error {
	swapping.RLock()
	defer swapping.RUnlock()
	existed := make([]bool, len(dsts))
	for i := range tmps {
		_, err := os.Lstat(dsts[i])
		existed[i] = err == nil
		if err := swapIn(tmps[i], dsts[i]); err != nil {
			errs := []error{err}
			for j := i - 1; j >= 0; j-- {
				var undo error
				if existed[j] {
					undo = swapIn(tmps[j], dsts[j])
				} else {
					undo = os.Rename(dsts[j], tmps[j])
				}
				if undo != nil {
					errs = append(errs, fmt.Errorf("putting the previous %s back: %w", dsts[j], undo))
				}
			}
			return errors.Join(errs...)
		}
	}
	return nil
}

// swapIn replaces dst with the finished tree at tmp. On Linux the two
// directories are exchanged in one step; elsewhere dst is moved aside first.
// Either way the old tree ends up at tmp, which the caller removes.
func swapIn(tmp, dst string) error {
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dst)
	}
	if st, err := os.Lstat(dst); err == nil && !st.IsDir() {
		return fmt.Errorf("%s exists and is not a directory; move it away", dst)
	}
	ok, err := exchange(tmp, dst)
	if err != nil {
		return fmt.Errorf("swapping in %s: %w", dst, err)
	}
	if ok {
		return nil
	}
	aside := tmp + "-old"
	if err := os.Rename(dst, aside); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.Rename(aside, dst)
		return err
	}
	return os.Rename(aside, tmp)
}

// IsTemp reports whether a path is one of a build's temporary directories.
func IsTemp(path string) bool { return strings.HasPrefix(filepath.Base(path), tempPrefix) }
