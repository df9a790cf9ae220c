package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
)

func parseBase(raw string) (string, string, error) { return site.ParseBaseURL(raw) }

func requireDir(dir string) error {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			return usagef("%q is a file, not the content directory; dronekb takes the folder that holds agencies/, vendors/, laws/ and incidents/ (%s), and checks every entry in it", dir, contentOf(dir))
		}
		if similar := similarContentDir(dir); similar != "" {
			return usagef("content directory %q not found; did you mean %q?", dir, similar)
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

// requireContentForNew is requireDir for dronekb new, which writes into
// the content directory: one that does not exist is refused as check and
// build refuse it, rather than created (a typo would otherwise start a
// knowledge base of one entry beside the real one). The message names a
// folder beside it that holds sections under a similar name, and how to
// start a new knowledge base there on purpose.
func requireContentForNew(dir string) error {
	if _, err := os.Stat(dir); err == nil || !errors.Is(err, os.ErrNotExist) {
		return requireDir(dir)
	}
	hint := ""
	if similar := similarContentDir(dir); similar != "" {
		hint = fmt.Sprintf("; did you mean %q?", similar)
	} else if filepath.Clean(dir) == "content" {
		hint = "; run dronekb in a folder that has content/, or pass --content DIR"
	}
	mkdir := "mkdir "
	if _, err := os.Stat(filepath.Dir(filepath.Clean(dir))); err != nil {
		mkdir = "mkdir -p "
	}
	word := dir
	if strings.HasPrefix(word, "-") {
		word = "./" + word
	}
	start, there := "; to start", "there"
	if strings.HasSuffix(hint, "?") {
		start = " To start"
	}
	if filepath.Clean(dir) == "content" {
		there = "here"
	}
	return usagef("content directory %q not found%s%s a new knowledge base %s, create the folder first: %s%s", dir, hint, start, there, mkdir, shellQuote(word))
}

// similarContentDir is the folder beside dir, named like it, that holds
// sections as a content directory does ("content" for "contnet"), or "".
func similarContentDir(dir string) string {
	clean := filepath.Clean(dir)
	parent, base := filepath.Dir(clean), filepath.Base(clean)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if name := e.Name(); name != base && !strings.HasPrefix(name, ".") && holdsSections(filepath.Join(parent, name)) {
			names = append(names, name)
		}
	}
	name := kb.Suggest(base, names)
	if name == "" {
		return ""
	}
	return filepath.Join(parent, name)
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
