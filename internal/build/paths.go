package build

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// PathError is a refusal to build because an output directory would destroy
// something that is not ours: the content, the theme, the other output, or
// a folder dronekb did not write. Commands report it as bad usage.
type PathError struct{ msg string }

func (e *PathError) Error() string { return e.msg }

// indexMetaFile is the file search.Build writes into every index directory;
// its presence marks the directory as one of ours.
const indexMetaFile = "dronekb-index.json"

// manifestFile is the manifest Run writes into every site and index it
// builds (Manifest).
const manifestFile = ManifestFile

// ManifestFile is the name of the build manifest in a built site or index.
const ManifestFile = ".dronekb.json"

// CheckPaths refuses a configuration whose build would delete or overwrite
// something it must not. A build replaces the whole of --out and --index,
// so each output must not equal, contain or lie inside --content, --theme
// or the other output (compared after resolving "..", symbolic links and
// relative paths), and an output that already exists must be empty or a
// directory dronekb wrote (it holds our manifest). build, serve and serve
// --watch all call it before they touch the disk.
func CheckPaths(cfg Config) error {
	type place struct{ flag, path, abs string }
	resolve := func(flag, path string) (place, error) {
		abs, err := realPath(path)
		if err != nil {
			return place{}, &PathError{fmt.Sprintf("%s %q: %v", flag, path, err)}
		}
		return place{flag, path, abs}, nil
	}
	var inputs, outputs []place
	// clashes says whether the folder p is, holds or lies inside one of
	// places: for a folder a message suggests instead.
	clashes := func(p string, places []place) bool {
		abs, err := realPath(p)
		if err != nil {
			return true
		}
		for _, pl := range places {
			if abs == pl.abs || within(abs, pl.abs) || within(pl.abs, abs) {
				return true
			}
		}
		return false
	}
	for _, p := range []struct{ flag, path string }{{"--content", cfg.Content}, {"--theme", cfg.Theme}} {
		if p.path == "" {
			continue
		}
		pl, err := resolve(p.flag, p.path)
		if err != nil {
			return err
		}
		inputs = append(inputs, pl)
	}
	for _, p := range []struct{ flag, path string }{{"--out", cfg.Out}, {"--index", cfg.Index}} {
		if p.path == "" {
			if p.flag == "--out" {
				return &PathError{"--out is empty; name the directory the site is built into, such as public"}
			}
			continue
		}
		pl, err := resolve(p.flag, p.path)
		if err != nil {
			return err
		}
		outputs = append(outputs, pl)
	}
	for i, o := range outputs {
		if o.abs == filepath.Dir(o.abs) {
			return &PathError{fmt.Sprintf("%s %q is the root of the file system; a build replaces its output directory whole, so give a folder of its own, such as %s", o.flag, o.path, suggestOut(o.flag))}
		}
		others := append(append([]place(nil), inputs...), outputs[:i]...)
		for _, in := range others {
			what := ""
			switch {
			case o.abs == in.abs:
				what = "is the same directory as"
			case within(in.abs, o.abs):
				what = "contains"
			case within(o.abs, in.abs):
				what = "lies inside"
			default:
				continue
			}
			if in.flag == "--out" {
				// The two outputs clash; which of them was meant is not
				// known (--out index takes the default index's name), so
				// name a folder for each.
				site := freeOut("--out", func(p string) bool { return clashes(p, inputs) })
				index := freeOut("--index", func(p string) bool {
					return clashes(p, inputs) || filepath.Clean(p) == filepath.Clean(site)
				})
				return &PathError{fmt.Sprintf("%s %q %s %s %q; a build replaces each whole, so one would destroy the other: give each a directory of its own, such as --out %s --index %s",
					o.flag, o.path, what, in.flag, in.path, site, index)}
			}
			other := func(p string) bool {
				for _, out := range outputs {
					if out.flag != o.flag && clashes(p, []place{out}) {
						return true
					}
				}
				return clashes(p, inputs)
			}
			return &PathError{fmt.Sprintf("%s %q %s %s %q; a build replaces %s whole and would destroy it: choose an output directory of its own, such as %s",
				o.flag, o.path, what, in.flag, in.path, o.flag, freeOut(o.flag, other))}
		}
		if err := checkOurs(o.flag, o.path); err != nil {
			return err
		}
		if mountPoint(o.abs) {
			return &PathError{fmt.Sprintf("%s %q is a mount point; a build writes the new tree beside the old and swaps the two, which a mount point cannot be: give a folder inside it, such as %s", o.flag, o.path, filepath.Join(o.path, suggestOut(o.flag)))}
		}
		if err := checkReplaceable(o.flag, o.path); err != nil {
			return err
		}
	}
	return nil
}

// CheckFile refuses a file a command is to write besides the build (a
// profile, named by flag) at path when it would overwrite the knowledge
// base or the theme, or be swapped away with an output: when it lies
// inside --content, --theme, --out or --index.
func CheckFile(cfg Config, flag, path string) error {
	abs, err := realPath(path)
	if err != nil {
		return &PathError{fmt.Sprintf("%s %q: %v", flag, path, err)}
	}
	for _, d := range []struct{ flag, path string }{{"--content", cfg.Content}, {"--theme", cfg.Theme}, {"--out", cfg.Out}, {"--index", cfg.Index}} {
		if d.path == "" {
			continue
		}
		dir, err := realPath(d.path)
		if err != nil {
			continue
		}
		if abs == dir || within(abs, dir) {
			return &PathError{fmt.Sprintf("%s %q lies inside %s %q, which a build reads or replaces whole: write it elsewhere, such as %s", flag, path, d.flag, d.path, filepath.Base(path))}
		}
	}
	return nil
}

// freeOut is the first folder a message can suggest for the output flag
// names that clash does not refuse: the default, else another name, else
// one beside the current folder (which --content . holds).
func freeOut(flag string, clash func(string) bool) string {
	names := []string{"public", "site", "dronekb-site"}
	if flag == "--index" {
		names = []string{"index", "search-index", "dronekb-index"}
	}
	for _, dir := range []string{"", ".."} {
		for _, name := range names {
			if p := filepath.Join(dir, name); !clash(p) {
				return p
			}
		}
	}
	return suggestOut(flag)
}

func suggestOut(flag string) string {
	if flag == "--index" {
		return "index"
	}
	return "public"
}

// within reports whether path lies strictly inside dir (both absolute and clean).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// realPath returns path made absolute with every symbolic link resolved.
// The part of the path that does not exist yet is kept as written (after
// cleaning), under its nearest existing ancestor's real path.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	var rest []string
	cur := abs
	for {
		real, err := filepath.EvalSymlinks(cur)
		if err == nil {
			for i := len(rest) - 1; i >= 0; i-- {
				real = filepath.Join(real, rest[i])
			}
			return real, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = append(rest, filepath.Base(cur))
		cur = parent
	}
}

// checkOurs refuses an existing output directory that dronekb did not
// write: one that is not empty and holds neither our manifest nor our
// index's metadata. The README.md placeholder the repository tracks in
// public/ and index/ (which a build writes too) does not count.
func checkOurs(flag, dir string) error {
	// Cleaned: "public/" names the link public itself, which Lstat of
	// "public/" would follow.
	st, err := os.Lstat(filepath.Clean(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &PathError{fmt.Sprintf("%s %q: %v", flag, dir, err)}
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return &PathError{fmt.Sprintf("%s %q is a symbolic link; a build replaces its output directory, not the folder a link points to: give the real path", flag, dir)}
	}
	if !st.IsDir() {
		return &PathError{fmt.Sprintf("%s %q exists and is not a directory; move it away or choose another output", flag, dir)}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &PathError{fmt.Sprintf("%s %q cannot be read: %v", flag, dir, err)}
	}
	for _, mark := range []string{manifestFile, indexMetaFile} {
		if _, err := os.Lstat(filepath.Join(dir, mark)); err == nil {
			return checkAdded(flag, dir, entries)
		}
	}
	for _, e := range entries {
		if e.Name() == "README.md" && e.Type().IsRegular() {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err == nil && (bytes.Equal(data, []byte(publicReadme)) || bytes.Equal(data, []byte(indexReadme))) {
				continue
			}
		}
		return &PathError{fmt.Sprintf("%s %q is not empty and was not written by dronekb (it has %s and no manifest of a dronekb build); a build replaces the whole directory, so it refuses: choose a new or empty directory, or remove this one yourself",
			flag, dir, quoteName(e.Name()))}
	}
	return nil
}

// checkAdded refuses an output a build wrote when someone has added a
// hidden file or folder at its top since: a build writes none but its own
// (.dronekb…), and it replaces the directory whole, so a public/.git made
// to deploy the site from, with its history and remote, would be lost.
// The files a desktop leaves in any folder it shows (macOS's .DS_Store and
// ._ files) are not worth keeping, and do not count.
func checkAdded(flag, dir string, entries []fs.DirEntry) error {
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, ".") || strings.HasPrefix(name, ".dronekb") || name == ".DS_Store" || strings.HasPrefix(name, "._") {
			continue
		}
		fix := "move it out, or build into another directory"
		if flag == "--out" {
			fix = fmt.Sprintf("move it out (to deploy from git, copy the built site into a clone of its own, such as with rsync -a --delete --exclude .git %s/ site/), or build into another directory", filepath.Clean(dir))
		}
		return &PathError{fmt.Sprintf("%s %q holds %s, which no dronekb build wrote; a build replaces %q whole and would delete it: %s",
			flag, dir, quoteName(name), dir, fix)}
	}
	return nil
}

func quoteName(name string) string { return fmt.Sprintf("%q", name) }

// checkReplaceable refuses an existing output that a build could swap out
// but not delete afterwards, which would leave the old tree behind as a
// temporary directory: one with a directory, itself included, that is
// read-only (its owner may not write it) or that this process may not
// write. A read-only output is also one its owner meant to keep as it is.
func checkReplaceable(flag, dir string) error {
	if _, err := os.Lstat(dir); err != nil {
		return nil // nothing to replace, or checkOurs said why
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &PathError{fmt.Sprintf("%s %q cannot be replaced: %v; a build replaces the whole directory", flag, dir, unwrapPath(err))}
		}
		if !d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return &PathError{fmt.Sprintf("%s %q cannot be replaced: %v", flag, dir, unwrapPath(err))}
		}
		if info.Mode().Perm()&0o200 == 0 {
			what := "it is read-only"
			if p != dir {
				what = fmt.Sprintf("%s in it is read-only", p)
			}
			return &PathError{fmt.Sprintf("%s %q cannot be replaced: %s (%s); a build replaces the whole directory and deletes the old one, so make it writable (chmod -R u+w %s) or choose another output",
				flag, dir, what, info.Mode(), dir)}
		}
		if err := canWrite(p); err != nil {
			where := "it"
			if p != dir {
				where = p
			}
			uid, mine := owner(info)
			var what, fix string
			switch {
			case isReadOnlyFS(err):
				what = fmt.Sprintf("%s is on a read-only file system", where)
				fix = "choose an output on a writable one"
			case mine:
				what = fmt.Sprintf("%s lacks its owner's write or search permission (%s)", where, info.Mode())
				fix = fmt.Sprintf("make it writable (chmod -R u+rwx %s) or choose another output", dir)
			default:
				// Writable by its owner, who is someone else: a chmod is
				// not this user's to run.
				what = fmt.Sprintf("this user may not write in %s (%s, owned by uid %s)", where, info.Mode(), uid)
				fix = "build as the user who owns it, or choose another output"
			}
			return &PathError{fmt.Sprintf("%s %q cannot be replaced: %s; a build replaces the whole directory and deletes the old one, so %s", flag, dir, what, fix)}
		}
		return nil
	})
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
