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

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/gitrepo"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/kbdiff"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", "[--format markdown|json] [--as-of DATE] [--content DIR] [A [B]]\n\n"+
		"Tells what changes from A to B: agencies whose tracker status changes, and why; entries\n"+
		"added, removed or renamed; fields, sources and text that changed. A and B are git\n"+
		"revisions (main, origin/main, a commit) or content folders. A defaults to main, B to\n"+
		"the content folder as it is on disk, uncommitted changes included. A revision that a\n"+
		"shallow checkout lacks is fetched from origin.", stderr)
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
	specs := append(pos, "main", "")[:2]
	if len(pos) == 1 {
		specs = []string{pos[0], ""}
	}
	var sides [2]kbdiff.Side
	for i, spec := range specs {
		if sides[i], err = readSide(ctx, spec, *content); err != nil {
			return err
		}
	}
	d := kbdiff.Compare(sides[0], sides[1], asOf)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	return d.Markdown(stdout)
}

// readSide loads one side of a diff: the content folder on disk (""), a
// folder, or the content folder at a git revision.
func readSide(ctx context.Context, spec, content string) (kbdiff.Side, error) {
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
		repo, err := gitrepo.Open(ctx, existingParent(content))
		if err != nil {
			if errors.Is(err, gitrepo.ErrNotRepo) {
				return kbdiff.Side{}, usagef("%q is not a folder, and %s is not in a git repository to read it as a revision from", spec, content)
			}
			return kbdiff.Side{}, err
		}
		dir, err := repo.Rel(content)
		if err != nil {
			return kbdiff.Side{}, usagef("%v", err)
		}
		commit, err := repo.Resolve(ctx, spec)
		if err != nil {
			return kbdiff.Side{}, usagef("%q is neither a folder nor a git revision: %v", spec, err)
		}
		if fsys, err = repo.ReadDir(ctx, commit, dir, kb.MaxFileSize); err != nil {
			return kbdiff.Side{}, err
		}
		if commit[:min(len(spec), len(commit))] != spec {
			label = fmt.Sprintf("%s (%s)", spec, commit[:12])
		}
	}
	k := build.Load(fsys, kb.Options{Dir: content}, tuneGC())
	return kbdiff.Side{Label: label, FS: fsys, KB: k}, nil
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
