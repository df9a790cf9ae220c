package kb

import "bytes"

// frontMatterFormat is one way an entry's front matter opens and closes:
// the delimiters Hugo and adrg/frontmatter recognise.
type frontMatterFormat struct {
	start, end string
	format     string // "yaml", "toml" or "json"
	// withDelims keeps the delimiter lines in the front matter: JSON's
	// braces are part of the object.
	withDelims bool
	// blankAfter asks for an empty line after the closing delimiter, so
	// that a "}" inside the object does not end it.
	blankAfter bool
}

var frontMatterFormats = []frontMatterFormat{
	{start: "---", end: "---", format: "yaml"},
	{start: "---yaml", end: "---", format: "yaml"},
	{start: "+++", end: "+++", format: "toml"},
	{start: "---toml", end: "---", format: "toml"},
	{start: ";;;", end: ";;;", format: "json"},
	{start: "---json", end: "---", format: "json"},
	{start: "{", end: "}", format: "json", withDelims: true, blankAfter: true},
}

// cutFrontMatter finds the front matter at the start of data as
// adrg/frontmatter (v0.2.0) does, line by line: the first line that is
// not blank, trimmed of spaces, must be one of frontMatterFormats' opening
// delimiters, and the front matter runs to the next line that is its
// closing one. It returns where that first non-blank line starts (-1 in a
// blank file), the format it opens (nil if none), and, if the front
// matter is closed (ok), the front matter and the rest of data after it,
// both slices of data. A file whose only line opens a front matter with
// no newline after it opens it and never closes it, as for
// adrg/frontmatter it holds none. TestCutFrontMatterAsAdrg holds it to
// adrg/frontmatter's answers.
//
// It reads data in place: adrg/frontmatter copies a file line by line
// into a buffer it grows as it goes, through a reader of its own, and
// makes a string of each line: loading 10,000 entries allocated 1,290 MB
// with it and 1,102 MB without (BenchmarkStages' load-and-check-with-room).
func cutFrontMatter(data []byte) (open int, f *frontMatterFormat, fm, rest []byte, ok bool) {
	read := 0
	// line returns the next line trimmed, and whether it was the last
	// (no newline after it).
	line := func() ([]byte, bool) {
		i := bytes.IndexByte(data[read:], '\n')
		if i < 0 {
			l := data[read:]
			read = len(data)
			return bytes.TrimSpace(l), true
		}
		l := data[read : read+i]
		read += i + 1
		return bytes.TrimSpace(l), false
	}
	open = -1
	for open < 0 {
		before := read
		l, last := line()
		if len(l) == 0 {
			if last {
				return -1, nil, nil, nil, false
			}
			continue
		}
		open = before
		for i := range frontMatterFormats {
			if string(l) == frontMatterFormats[i].start {
				f = &frontMatterFormats[i]
				break
			}
		}
		if f == nil || last {
			return open, f, nil, nil, false
		}
	}
	start := read
	if f.withDelims {
		start = open
	}
	for {
		before := read
		l, last := line()
		for string(l) == f.end {
			if !f.blankAfter {
				return open, f, data[start:before], data[read:], true
			}
			if l, last = line(); len(l) == 0 {
				return open, f, data[start:read], data[read:], true
			}
		}
		if last {
			return open, f, nil, nil, false
		}
	}
}
