// Package themes embeds dronekb's default theme, so that an installed
// dronekb binary builds a site in any folder that has a content/ directory.
//
// A theme is a directory with layouts/ (html/template files) and static/
// (files copied to the site's assets/). `dronekb build --theme DIR` overlays
// DIR on the default theme file by file: a file in DIR replaces the file of
// the same path in the default, everything else comes from the default.
package themes

import (
	"embed"
	"errors"
	"io/fs"
	"sort"
)

//go:embed default
var embedded embed.FS

// Default returns the default theme as a file system rooted at the theme
// directory (layouts/, static/).
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory exists
	}
	return sub
}

// Overlay returns a file system where files in upper replace the files of
// the same name in lower, and directories list the union of both.
func Overlay(upper, lower fs.FS) fs.FS {
	return overlay{upper: upper, lower: lower}
}

type overlay struct{ upper, lower fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.upper.Open(name)
	if err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.lower.Open(name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	lower, lerr := fs.ReadDir(o.lower, name)
	for _, e := range lower {
		seen[e.Name()] = e
	}
	upper, uerr := fs.ReadDir(o.upper, name)
	for _, e := range upper {
		seen[e.Name()] = e
	}
	if lerr != nil && uerr != nil {
		return nil, lerr
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
