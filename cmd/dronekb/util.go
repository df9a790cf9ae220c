package main

import (
	"os"
	"path/filepath"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
)

func parseBase(raw string) (string, string, error) { return site.ParseBaseURL(raw) }

func requireDir(dir string) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			return usagef("%q is a file, not the content directory; dronekb takes the folder that holds agencies/, vendors/, laws/ and incidents/ (%s), and checks every entry in it", dir, contentOf(dir))
		}
		return usagef("content directory %q not found; run dronekb in a folder that has content/, or pass --content DIR", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = filepath.Clean(dir)
	}
	if _, ok := kb.SectionOf(filepath.Base(abs)); ok && !holdsSections(dir) {
		return usagef("%q is a section of the content, not the content directory; give the folder that holds it (%s): each entry is checked against the others", dir, filepath.Join(dir, ".."))
	}
	return nil
}

// holdsSections says whether dir has a section's folder in it, as a
// content directory has.
func holdsSections(dir string) bool {
	for _, sec := range kb.Sections {
		if st, err := os.Stat(filepath.Join(dir, sec.Dir)); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// contentOf is the content directory a file given in its place is most
// likely in: the parent of its section's folder.
func contentOf(file string) string {
	dir := filepath.Dir(filepath.Clean(file))
	if abs, err := filepath.Abs(dir); err == nil {
		if _, ok := kb.SectionOf(filepath.Base(abs)); ok {
			return filepath.Join(dir, "..")
		}
	}
	return dir
}
