package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/sqlitedata"
)

// buildFlags are the flags build and serve share.
type buildFlags struct {
	content, theme, out, index, baseURL, asOf, repo, branch string
	pageSize                                                int
}

func (b *buildFlags) register(fs interface {
	StringVar(p *string, name, value, usage string)
	IntVar(p *int, name string, value int, usage string)
}, withBase bool) {
	fs.StringVar(&b.content, "content", "content", "content `directory`")
	fs.StringVar(&b.theme, "theme", "", "theme `directory` overlaid on the default theme, file by file")
	fs.StringVar(&b.out, "out", "public", "site output `directory`")
	fs.StringVar(&b.index, "index", "index", "search index `directory`")
	if withBase {
		fs.StringVar(&b.baseURL, "base-url", "/", "the `URL` the site will live at, e.g. https://example.org/dronekb/")
	}
	fs.StringVar(&b.asOf, "as-of", "", "compute the tracker as of this `date` (default SOURCE_DATE_EPOCH, else today)")
	fs.StringVar(&b.repo, "repo", "", "the `URL` of the repository that holds the content, such as https://github.com/owner/name: entry pages link to editing them, their history and reporting a correction")
	fs.StringVar(&b.branch, "branch", "main", "the `branch` those links name")
	fs.IntVar(&b.pageSize, "page-size", site.DefaultPageSize, "how many entries a page of a long list shows, and agencies a page of a tracker view (`n`); the rest go on at page/2/ and on")
}

func (b *buildFlags) config() (build.Config, error) {
	asOf, err := asOfDate(b.asOf)
	if err != nil {
		return build.Config{}, err
	}
	if b.theme != "" {
		if st, err := os.Stat(b.theme); err != nil || !st.IsDir() {
			return build.Config{}, usagef("theme directory %q not found", b.theme)
		}
	}
	if b.repo != "" {
		if _, err := site.ParseRepository(b.repo, b.branch, b.content); err != nil {
			return build.Config{}, usagef("%v", err)
		}
	}
	if b.pageSize < 1 {
		return build.Config{}, usagef("--page-size %d: a page shows at least one entry", b.pageSize)
	}
	today, err := asOfDate("")
	if err != nil {
		return build.Config{}, err
	}
	cfg := build.Config{Content: b.content, Theme: b.theme, Out: b.out, Index: b.index, BaseURL: b.baseURL, AsOf: asOf, Today: today, Repo: b.repo, Branch: b.branch,
		PageSize: b.pageSize, Exports: []site.Export{sqlitedata.Export()}}
	if err := build.CheckPaths(cfg); err != nil {
		return build.Config{}, usagef("%v", err)
	}
	return cfg, nil
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", "[--content DIR] [--theme DIR] [--out DIR] [--index DIR] [--base-url URL] [--as-of DATE]\n"+
		"[--repo URL [--branch B]] [--page-size N] [--quiet] [-v]\n"+
		"[--cpuprofile FILE] [--memprofile FILE] [--peakprofile FILE]", stderr)
	var bf buildFlags
	bf.register(fs, true)
	quiet := fs.Bool("quiet", false, "print only errors")
	verbose := fs.Bool("v", false, "also print how long each phase took")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the build to `file` (for go tool pprof)")
	memprofile := fs.String("memprofile", "", "write a memory profile of the build to `file` when it ends (go tool pprof -sample_index=alloc_space)")
	peakprofile := fs.String("peakprofile", "", "write the heap profile taken when the live heap peaked to `file` (go tool pprof -sample_index=inuse_space)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := bf.config()
	if err != nil {
		return err
	}
	noteFuture(stderr, bf.asOf, cfg.AsOf)
	basePath, absBase, err := parseBase(cfg.BaseURL)
	if err != nil {
		return usagef("%v", err)
	}
	if err := requireDir(cfg.Content); err != nil {
		return err
	}
	for _, p := range []struct{ flag, path string }{{"--cpuprofile", *cpuprofile}, {"--memprofile", *memprofile}, {"--peakprofile", *peakprofile}} {
		if p.path != "" {
			if err := build.CheckFile(cfg, p.flag, p.path); err != nil {
				return usagef("%v", err)
			}
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// The build tunes the collector (room while loading, a soft memory
	// limit while writing) unless the user tuned it (see
	// build.Config.TuneCollector).
	cfg.TuneCollector = tuneGC()
	cfg.LetGo = true // what is said below needs only Result's counts
	var stopPeak func() ([]byte, uint64)
	if *peakprofile != "" {
		stopPeak, _ = build.PeakHeapProfile(0)
	}
	res, err := build.Run(ctx, cfg, build.SearchIndex)
	if stopPeak != nil {
		prof, _ := stopPeak()
		if werr := os.WriteFile(*peakprofile, prof, 0o644); werr != nil {
			return werr
		}
	}
	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			return err
		}
	}
	defer func() {
		// The replaced site is deleted while we report.
		if err := build.Wait(); err != nil {
			fmt.Fprintf(stderr, "warning: %v\n", err)
		}
	}()
	if res != nil {
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w)
		}
	}
	unchanged := cfg.Out + "/ is unchanged"
	if cfg.Index != "" {
		unchanged = cfg.Out + "/ and " + cfg.Index + "/ are unchanged"
	}
	var diags kb.Diagnostics
	if errors.As(err, &diags) {
		for _, d := range diags {
			if d.Severity == kb.SevError {
				fmt.Fprintln(stderr, d)
			}
		}
		n := diags.Errors(false)
		fmt.Fprintf(stderr, "build failed: %d content error%s; %s\n", n, plural(n), unchanged)
		return errProblems
	}
	if err != nil && ctx.Err() != nil {
		// Ctrl-C or SIGTERM: each part of the build stopped with the same
		// context error, which says nothing to the user.
		return fmt.Errorf("interrupted; %s", unchanged)
	}
	if err != nil {
		return fmt.Errorf("%w; %s", err, unchanged)
	}
	if !*quiet {
		index := "no search index"
		if cfg.Index != "" {
			index = fmt.Sprintf("%d documents in %s/", res.Index.Docs, cfg.Index)
		}
		fmt.Fprintf(stderr, "built %d entries: %d pages, %d files (%.1f MB) in %s/; %s; tracker as of %s; %s\n",
			res.Entries, res.Stats.Pages, res.Stats.Files, float64(res.Stats.Bytes)/1e6, cfg.Out,
			index, cfg.AsOf, res.Elapsed["total"].Round(time.Millisecond))
		if *verbose {
			printPhases(stderr, res)
		}
		if w := res.ContentWarnings; w > 0 {
			// check gives the same warnings for the same date.
			var flags []string
			if bf.asOf != "" {
				flags = []string{"--as-of", cfg.AsOf.String()}
			}
			fmt.Fprintf(stderr, "%d warning%s: run %s to see them\n", w, plural(w), checkCommand(cfg.Content, flags...))
		}
		if absBase == "" {
			// The sitemap protocol takes only absolute addresses, and
			// feed readers resolve the feed's paths against wherever
			// they fetched it from, if at all. A reader citing a page, or
			// a researcher joining a CSV's url column, gets a path too
			// (found in review).
			// Built for the root, every link starts at "/": uploaded to
			// a folder (a GitHub project page), the site shows its home
			// page unstyled and every link leaves it.
			root := ""
			if basePath == "/" {
				root = ", and its links start at the host's root, so it works only there"
			}
			fmt.Fprintf(stderr, "note: built without an absolute --base-url: sitemap.xml, feed.xml, each page's citation and the downloads' url columns give paths, not addresses%s; to publish, build with --base-url https://your.host/ (https://your.host/folder/ for a site in a folder)\n", root)
		}
	}
	return nil
}

// printPhases says how long each step of a build took, in order: the steps
// add up to the whole, those that ran side by side are indented under the
// time they took together, and the site's are broken down by kind of file
// (time added up over its workers, so it can exceed the site's own).
func printPhases(w io.Writer, res *build.Result) {
	fmt.Fprintln(w, "phases (wall time):")
	line := func(indent int, name string, d time.Duration) {
		fmt.Fprintf(w, "%*s%-*s %9s\n", indent, "", 50-indent, name, d.Round(time.Millisecond))
	}
	for i, p := range res.Phases {
		indent := 2
		if p.Group != "" {
			if i == 0 || res.Phases[i-1].Group != p.Group {
				took := res.Elapsed["index"]
				if p.Group == build.SiteAndSearch {
					took = max(res.Elapsed["site"], took)
				}
				line(2, p.Group+", side by side", took)
			}
			indent = 4
		}
		line(indent, p.Name, p.Took)
		for _, part := range p.Parts {
			if p.WorkerTime {
				part.Kind += " (worker time)"
			}
			line(indent+2, part.Kind, part.Took)
		}
	}
	line(2, "total", res.Elapsed["total"])
}

// writeHeapProfile writes the allocations of the process so far: what was
// allocated where (alloc_space) and what the last collection kept.
func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
