package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
)

// inputs identifies everything a build's output is made from: the
// content's files (kb.KB.Digest), every file of the theme, the options
// that show in the output (base URL, date, repository, page size, whether
// there is an index), when each file last changed by git, and the dronekb binary
// itself. Two builds with the same inputs write the same bytes
// (deterministic builds), so the second need not write anything
// (Config.SkipUnchanged).
func inputs(cfg Config, k *kb.KB, theme fs.FS, opts site.Options, withIndex bool) (string, error) {
	// The base URL as the site uses it: "" and "/" build the same site.
	base, abs, err := site.ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "dronekb inputs 1\nbinary %s\ncontent %s\nbase %q %q\nas of %s\nindex %v\nrepository %+v\n",
		binaryDigest(), k.Digest(), base, abs, cfg.AsOf, withIndex, opts.Repo)
	if size := opts.PageSize; size > 0 && size != site.DefaultPageSize {
		fmt.Fprintf(h, "page size %d\n", size)
	}
	paths := make([]string, 0, len(opts.Changed))
	for p := range opts.Changed {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		fmt.Fprintf(h, "changed %q %s\n", p, opts.Changed[p])
	}
	err = themeFiles(theme, func(p string) error {
		f, err := theme.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "theme %q\n", p)
		_, err = io.Copy(h, f)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("reading the theme: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// BinaryDigest identifies the running dronekb by a digest of its
// executable, or is "" when the executable cannot be read.
func BinaryDigest() string {
	if d := binaryDigest(); d != "unknown" {
		return d
	}
	return ""
}

// binaryDigest identifies the running dronekb: a SHA-256 of its
// executable, so that a rebuilt dronekb, whose output may differ, never
// takes an earlier build for its own.
var binaryDigest = sync.OnceValue(func() string {
	// On Linux /proc/self/exe is the running executable even once a new
	// one was installed at its path (os.Executable would name the new
	// one's path).
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, err := os.Executable()
		if err != nil {
			return "unknown"
		}
		if f, err = os.Open(exe); err != nil {
			return "unknown"
		}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))
})

// themeDigest identifies the theme's files: serve --watch rebuilds in full
// when they change.
func themeDigest(theme fs.FS) (string, error) {
	h := sha256.New()
	err := themeFiles(theme, func(p string) error {
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "theme %q %d\n", p, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("reading the theme: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// themeFiles calls fn with each file of the theme, in lexical order, but
// for hidden files and folders (.git, .well-known, .#parts.html): the site
// leaves them out (Site.loadAssets), and serve --watch does not watch them.
func themeFiles(theme fs.FS, fn func(p string) error) error {
	return fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p != "." && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		case d.IsDir():
			return nil
		}
		return fn(p)
	})
}
