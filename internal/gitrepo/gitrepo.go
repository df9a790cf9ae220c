// Package gitrepo reads what dronekb needs from a git repository by
// running the git command: a content folder as it stood at a revision (for
// dronekb diff), and when each file last changed (for the "last changed"
// line of entry pages). It fetches a revision that a shallow CI checkout
// lacks. Every call runs git with a fixed set of arguments, never a shell.
package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing/fstest"
	"time"
)

// Repo is a git work tree.
type Repo struct {
	// Root is the top of the work tree.
	Root string
}

// ErrNotRepo means a folder is not inside a git work tree (or git is not
// installed).
var ErrNotRepo = errors.New("not in a git work tree")

// Open returns the repository whose work tree holds dir.
func Open(ctx context.Context, dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("%w: git is not installed", ErrNotRepo)
	}
	out, err := run(ctx, dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	return &Repo{Root: strings.TrimSpace(string(out))}, nil
}

// LogsDir returns the folder of the repository's reflogs, whose HEAD git
// appends to at each commit, checkout, merge or reset: what serve --watch
// watches to bring the entries' "last changed" dates up to date.
func (r *Repo) LogsDir(ctx context.Context) (string, error) {
	out, err := run(ctx, r.Root, nil, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return "", err
	}
	return filepath.Join(strings.TrimSpace(string(out)), "logs"), nil
}

// Rel returns dir relative to the top of the work tree, with slashes: the
// content folder "content" of a repository, or "site/content".
func (r *Repo) Rel(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	root := r.Root
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the repository at %s", dir, r.Root)
	}
	return filepath.ToSlash(rel), nil
}

// Resolve returns the commit a revision names ("main", "origin/main", a
// commit ID, "HEAD~2"). A branch that exists only on origin is found
// there; one that is not here at all, as in a shallow CI checkout of a
// pull request, is fetched from origin.
func (r *Repo) Resolve(ctx context.Context, rev string) (string, error) {
	if strings.HasPrefix(rev, "-") || rev == "" {
		return "", fmt.Errorf("%q is not a revision", rev)
	}
	for _, name := range []string{rev, "origin/" + rev} {
		if commit, ok := r.Has(ctx, name); ok {
			return commit, nil
		}
	}
	// Not here: fetch it. A shallow clone stays shallow, with just that
	// commit; a full one gets its history.
	args := []string{"fetch", "--quiet", "--no-tags"}
	if r.Shallow(ctx) {
		args = append(args, "--depth=1")
	}
	args = append(args, "origin", "--end-of-options", rev)
	if _, err := r.git(ctx, nil, args...); err != nil {
		return "", fmt.Errorf("revision %q is neither here nor on origin: %w", rev, err)
	}
	out, err := r.git(ctx, nil, "rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}")
	if err != nil {
		return "", fmt.Errorf("fetched %q but cannot read it: %w", rev, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Has returns the commit rev names here, without fetching: whether a
// branch ("origin/main") is known to this clone.
func (r *Repo) Has(ctx context.Context, rev string) (string, bool) {
	if strings.HasPrefix(rev, "-") || rev == "" {
		return "", false
	}
	out, err := r.git(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(out)), true
}

// MergeBase returns the commit where two commits' histories meet: the
// base a branch started from, which a pull request is compared with. It
// fails when they share no commit here, as in a shallow clone.
func (r *Repo) MergeBase(ctx context.Context, a, b string) (string, error) {
	out, err := r.git(ctx, nil, "merge-base", "--end-of-options", a, b)
	if err != nil {
		return "", fmt.Errorf("%s and %s share no commit here: %w", short(a), short(b), err)
	}
	return strings.TrimSpace(string(out)), nil
}

// ReadDir returns the folder dir (relative to the top of the work tree) as
// it stood at commit, as a file system: what `dronekb check` would have
// read there. Symbolic links keep their mode, so that the loader refuses
// them as it would on disk. A file larger than limit bytes (when limit is
// positive) is not read: it stands as limit+1 bytes that begin with its
// blob's ID, so that a reader that refuses files past limit refuses it,
// two versions of it still differ, and a pull request's 100 MB file is not
// held in memory.
func (r *Repo) ReadDir(ctx context.Context, commit, dir string, limit int) (fs.FS, error) {
	dir = strings.Trim(path.Clean("/"+dir), "/")
	spec := commit
	if dir != "" {
		spec += ":" + dir
	}
	ls, err := r.git(ctx, nil, "ls-tree", "-r", "-z", "-l", "--end-of-options", spec)
	if err != nil {
		if _, cerr := r.git(ctx, nil, "cat-file", "-e", "--end-of-options", commit+"^{commit}"); cerr == nil {
			// The folder did not exist yet: everything in it is new.
			return fstest.MapFS{}, nil
		}
		return nil, fmt.Errorf("reading %s at %s: %w", displayDir(dir), short(commit), err)
	}
	type blob struct {
		mode fs.FileMode
		id   string
		name string
	}
	var blobs []blob
	fsys := fstest.MapFS{}
	for _, rec := range bytes.Split(ls, []byte{0}) {
		// "100644 blob 3b18e512dba79e4c8300dd08aeb37f8e728b8dad    1234\tagencies/nypd.md"
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		f := strings.Fields(string(meta))
		if !ok || len(f) != 4 || f[1] != "blob" {
			continue // a submodule, or the empty last record
		}
		mode := fs.FileMode(0o644)
		switch f[0] {
		case "120000":
			mode = fs.ModeSymlink | 0o777
		case "100755":
			mode = 0o755
		}
		if size, err := strconv.Atoi(f[3]); err == nil && limit > 0 && size > limit {
			stand := make([]byte, limit+1)
			copy(stand, f[2])
			fsys[string(name)] = &fstest.MapFile{Data: stand, Mode: mode}
			continue
		}
		blobs = append(blobs, blob{mode: mode, id: f[2], name: string(name)})
	}
	if len(blobs) == 0 {
		return fsys, nil
	}
	// One git process reads every file: cat-file --batch answers
	// "<id> blob <size>\n<content>\n" for each ID written to it.
	var in bytes.Buffer
	for _, b := range blobs {
		in.WriteString(b.id + "\n")
	}
	out, err := r.git(ctx, &in, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	rd := bufio.NewReader(bytes.NewReader(out))
	for _, b := range blobs {
		header, err := rd.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", b.name, err)
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[0] != b.id {
			return nil, fmt.Errorf("reading %s: unexpected %q", b.name, header)
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", b.name, err)
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(rd, data); err != nil {
			return nil, fmt.Errorf("reading %s: %w", b.name, err)
		}
		fsys[b.name] = &fstest.MapFile{Data: data[:size], Mode: b.mode}
	}
	return fsys, nil
}

// LastChanged returns, for each file under dir (relative to the top of
// the work tree) that has a commit, the date of the last commit that
// changed it, keyed by its path relative to dir ("agencies/nypd.md").
// Uncommitted changes do not count. In a shallow clone a file that no
// commit it has changed since its oldest (the commit the clone was cut at,
// which seems to add every file) has no date: when it last changed is not
// in the clone.
func (r *Repo) LastChanged(ctx context.Context, dir string) (map[string]time.Time, error) {
	dir = strings.Trim(path.Clean("/"+dir), "/")
	cut, err := r.shallowCommits(ctx)
	if err != nil {
		return nil, err
	}
	args := []string{"log", "--format=%x00%ct %H", "--name-only", "--no-renames", "--"}
	if dir != "" {
		args = append(args, dir)
	}
	out, err := r.git(ctx, nil, args...)
	if err != nil {
		return nil, err
	}
	changed := map[string]time.Time{}
	unknown := map[string]bool{} // last changed at the cut of a shallow clone
	// Each commit is "\x00<unix time> <hash>\n\n<file>\n<file>\n…", newest
	// first. (Names that git must quote are not entries' names, which are
	// slugs.)
	for _, commit := range strings.Split(string(out), "\x00") {
		lines := strings.Split(commit, "\n")
		stamp, hash, _ := strings.Cut(strings.TrimSpace(lines[0]), " ")
		secs, err := strconv.ParseInt(stamp, 10, 64)
		if err != nil {
			continue
		}
		if cut[hash] {
			for _, name := range lines[1:] {
				unknown[name] = true
			}
			continue
		}
		when := time.Unix(secs, 0).UTC()
		for _, name := range lines[1:] {
			if name == "" {
				continue
			}
			rel := name
			if dir != "" {
				var ok bool
				if rel, ok = strings.CutPrefix(name, dir+"/"); !ok {
					continue
				}
			}
			if _, seen := changed[rel]; !seen && !unknown[name] {
				changed[rel] = when
			}
		}
	}
	return changed, nil
}

// shallowCommits are the commits a shallow clone was cut at (its
// .git/shallow), none in a whole clone.
func (r *Repo) shallowCommits(ctx context.Context) (map[string]bool, error) {
	out, err := r.git(ctx, nil, "rev-parse", "--git-path", "shallow")
	if err != nil {
		return nil, err
	}
	file := strings.TrimSpace(string(out))
	if !filepath.IsAbs(file) {
		file = filepath.Join(r.Root, file) // git answers from the top of the work tree
	}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cut := map[string]bool{}
	for _, h := range strings.Fields(string(data)) {
		cut[h] = true
	}
	return cut, nil
}

// Shallow says whether the repository is a shallow clone, whose history
// stops short of the first commit.
func (r *Repo) Shallow(ctx context.Context) bool {
	cut, err := r.shallowCommits(ctx)
	return err == nil && len(cut) > 0
}

func (r *Repo) git(ctx context.Context, stdin io.Reader, args ...string) ([]byte, error) {
	return run(ctx, r.Root, stdin, args...)
}

func run(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "core.quotepath=off"}, args...)...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	// Never ask for credentials on a terminal: a fetch fails instead.
	cmd.Env = append(cmd.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return nil, fmt.Errorf("git %s: %w", args[0], err)
		}
		return nil, fmt.Errorf("git %s: %s", args[0], firstLine(msg))
	}
	return out, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

func displayDir(dir string) string {
	if dir == "" {
		return "the repository"
	}
	return dir + "/"
}
