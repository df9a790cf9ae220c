package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/gitrepo"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/kbdiff"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", "[--format markdown|json] [--as-of DATE] [--content DIR] [A [B]]\n\n"+
		"Tells what changes from A to B: agencies whose tracker status changes, and why; entries\n"+
		"added, removed or renamed; fields, sources and text that changed. A and B are git\n"+
		"revisions (main, origin/main, a commit) or content folders. B defaults to the content\n"+
		"folder as it is on disk, uncommitted changes included. A defaults to main as this\n"+
		"branch left it (where HEAD and main meet), so that what main gained since does not\n"+
		"show as undone; A...B compares B with where it left A, as a pull request of B into A\n"+
		"is reviewed. A revision that a shallow checkout lacks is fetched from origin.", stderr)
	format := fs.String("format", "markdown", "markdown (for a pull request comment) or json")
	content := fs.String("content", "content", "content `directory`: the working tree's side, and the folder read at each revision")
	asOfFlag := fs.String("as-of", "", "compute both trackers as of this `date` (default SOURCE_DATE_EPOCH, else today)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *format != "markdown" && *format != "json" {
		return usagef("--format must be markdown or json, not %q", *format)
	}
	if len(pos) > 2 {
		return usagef("takes at most two revisions or folders, got %d", len(pos))
	}
	asOf, err := asOfDate(*asOfFlag)
	if err != nil {
		return err
	}
	noteFuture(stderr, *asOfFlag, asOf)
	// Both sides are checked as dronekb check checks them on the day, so
	// that the problems a change brings include the evidence it adds that
	// is already stale.
	today, err := asOfDate("")
	if err != nil {
		return err
	}
	opts := kb.Options{Dir: *content, AsOf: asOf, Today: today}
	sides, err := readSides(ctx, pos, opts, stderr)
	if err != nil {
		return err
	}
	d := kbdiff.Compare(sides[0], sides[1], asOf)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	return d.Markdown(stdout)
}

// readSides loads the two sides of a diff from its arguments: none (main
// as this branch left it, and the working tree), A (and the working
// tree), A B, or A...B (B, and A where B left it).
//
// The base is where the histories meet, not main's tip, because a review
// compares a change with what it started from: against the tip, a commit
// that reached main after the branch left it showed as undone by the
// branch (found in review), where the pull request's own comment, which
// compares with the merge base, did not show it.
func readSides(ctx context.Context, pos []string, opts kb.Options, stderr io.Writer) ([2]kbdiff.Side, error) {
	var sides [2]kbdiff.Side
	for _, p := range pos {
		if len(pos) > 1 && isRange(p) {
			return sides, usagef("%q compares two revisions by itself; give it alone", p)
		}
	}
	var err error
	switch {
	case len(pos) == 0:
		if sides[0], err = readBase(ctx, "main", "HEAD", opts, stderr); err != nil {
			return sides, err
		}
		sides[1], err = readSide(ctx, "", opts)
	case len(pos) == 1 && isRange(pos[0]):
		a, b, _ := strings.Cut(pos[0], "...")
		if a == "" {
			return sides, usagef("%q names no revision before the ...: write main...HEAD", pos[0])
		}
		if b == "" {
			b = "HEAD"
		}
		if sides[0], err = readBase(ctx, a, b, opts, nil); err != nil {
			return sides, err
		}
		sides[1], err = readSide(ctx, b, opts)
	case len(pos) == 1:
		if sides[0], err = readSide(ctx, pos[0], opts); err != nil {
			return sides, err
		}
		sides[1], err = readSide(ctx, "", opts)
	default:
		if sides[0], err = readSide(ctx, pos[0], opts); err != nil {
			return sides, err
		}
		sides[1], err = readSide(ctx, pos[1], opts)
	}
	return sides, err
}

// isRange says whether an argument is A...B rather than a folder.
func isRange(spec string) bool {
	if !strings.Contains(spec, "...") {
		return false
	}
	st, err := os.Stat(spec)
	return err != nil || !st.IsDir()
}

// readBase loads the content folder at the commit where head's history
// left rev's. When they share no commit here (a shallow clone) and
// stderr is given, it says so and loads rev itself; without stderr (an
// explicit A...B) that is an error.
func readBase(ctx context.Context, rev, head string, opts kb.Options, stderr io.Writer) (kbdiff.Side, error) {
	repo, dir, err := openRepo(ctx, rev, opts.Dir)
	if err != nil {
		return kbdiff.Side{}, err
	}
	tip, err := repo.Resolve(ctx, rev)
	if err != nil {
		return kbdiff.Side{}, usagef("%q is neither a folder nor a git revision: %v", rev, err)
	}
	if stderr != nil {
		// The default base: a local main behind origin's, as when a
		// branch was made from origin/main after a fetch, would count
		// what origin's gained since as the branch's (found in review).
		if remote, ok := repo.Has(ctx, "origin/"+rev); ok && remote != tip {
			if mb, err := repo.MergeBase(ctx, tip, remote); err == nil && mb == tip {
				rev, tip = "origin/"+rev, remote
			}
		}
	}
	at, err := repo.Resolve(ctx, head)
	if err != nil {
		return kbdiff.Side{}, usagef("%q is not a git revision: %v", head, err)
	}
	base, err := repo.MergeBase(ctx, tip, at)
	label := fmt.Sprintf("%s (%s)", rev, tip[:12])
	switch {
	case err != nil && stderr == nil:
		return kbdiff.Side{}, usagef("%v; compare the two tips with: dronekb diff %s %s", err, rev, head)
	case err != nil:
		fmt.Fprintf(stderr, "dronekb diff: note: %s and %s share no commit in this clone (a shallow one?), so this compares with %s as it is now: what %s gained since this branch left it shows as undone here. git fetch --unshallow gives the history to compare with where the branch started.\n", rev, head, rev, rev)
		base = tip
	case base != tip:
		who := head
		if head == "HEAD" {
			who = "this branch"
		}
		label = fmt.Sprintf("%s where %s left it (%s)", rev, who, base[:12])
	}
	return readCommit(ctx, repo, base, dir, opts, label)
}

// openRepo opens the git repository that holds the content folder, and
// returns the folder's path in it; spec is what is being read, for the
// message when there is no repository.
func openRepo(ctx context.Context, spec, content string) (*gitrepo.Repo, string, error) {
	repo, err := gitrepo.Open(ctx, existingParent(content))
	if err != nil {
		if errors.Is(err, gitrepo.ErrNotRepo) {
			return nil, "", usagef("%q is not a folder, and %s is not in a git repository to read it as a revision from", spec, content)
		}
		return nil, "", err
	}
	dir, err := repo.Rel(content)
	if err != nil {
		return nil, "", usagef("%v", err)
	}
	return repo, dir, nil
}

// readCommit loads the content folder at commit: dir is its path in the
// repository.
func readCommit(ctx context.Context, repo *gitrepo.Repo, commit, dir string, opts kb.Options, label string) (kbdiff.Side, error) {
	fsys, err := repo.ReadDir(ctx, commit, dir, kb.MaxFileSize)
	if err != nil {
		return kbdiff.Side{}, err
	}
	return loadSide(fsys, opts, label), nil
}

// readSide loads one side of a diff: the content folder on disk (""), a
// folder, or the content folder at a git revision.
func readSide(ctx context.Context, spec string, opts kb.Options) (kbdiff.Side, error) {
	content := opts.Dir
	var fsys fs.FS
	label := spec
	switch st, err := os.Stat(spec); {
	case spec == "":
		if st, err := os.Stat(content); err != nil || !st.IsDir() {
			return kbdiff.Side{}, usagef("content directory %q not found; run dronekb in a folder that has content/, or pass --content DIR", content)
		}
		fsys, label = os.DirFS(content), "the working tree"
	case err == nil && st.IsDir():
		fsys, label = os.DirFS(spec), filepath.ToSlash(filepath.Clean(spec))+"/"
	default:
		repo, dir, err := openRepo(ctx, spec, content)
		if err != nil {
			return kbdiff.Side{}, err
		}
		commit, err := repo.Resolve(ctx, spec)
		if err != nil {
			return kbdiff.Side{}, usagef("%q is neither a folder nor a git revision: %v", spec, err)
		}
		if commit[:min(len(spec), len(commit))] != spec {
			label = fmt.Sprintf("%s (%s)", spec, commit[:12])
		}
		return readCommit(ctx, repo, commit, dir, opts, label)
	}
	return loadSide(fsys, opts, label), nil
}

// loadSide loads a side's knowledge base from its files.
func loadSide(fsys fs.FS, opts kb.Options, label string) kbdiff.Side {
	k := build.Load(fsys, opts, tuneGC())
	return kbdiff.Side{Label: label, FS: fsys, KB: k}
}

// existingParent returns dir, or the nearest folder above it that exists:
// the content folder may not exist in the working tree.
func existingParent(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		if d == filepath.Dir(d) || d == "." {
			return "."
		}
	}
}
