package kb

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

// Content arrives from strangers' pull requests (README, "Content is untrusted"): each
// hostile file must give one clear diagnostic, never a crash, a hang, or a
// read outside the content directory.

// loadWithin loads fsys, failing the test if it takes longer than a few
// seconds: a hang must fail the test, not time out the whole run.
func loadWithin(t *testing.T, load func() *KB) *KB {
	t.Helper()
	done := make(chan *KB, 1)
	go func() { done <- load() }()
	select {
	case k := <-done:
		return k
	case <-time.After(20 * time.Second):
		t.Fatal("loading did not finish in 20 s")
		return nil
	}
}

// hostileCase is a content tree and the exact diagnostics it must give.
type hostileCase struct {
	name  string
	files fstest.MapFS
	want  []string // Diagnostic.String(), in order
	// entries is how many entries must still load.
	entries int
}

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }

const okVendor = "---\ntitle: DJI\ncountry: CN\n---\n"

func TestHostileContent(t *testing.T) {
	nested := func(open, close string, n int) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	blockYAML := func(n int) string {
		var b strings.Builder
		b.WriteString("---\ntitle: X\ncountry: CN\nsummary:\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "%s- \n", strings.Repeat("  ", i))
		}
		b.WriteString("---\n")
		return b.String()
	}
	exactly := func(n int) string {
		// Paragraphs of 100 bytes, so only the file's size matters.
		var b strings.Builder
		b.WriteString(okVendor + "Body.\n")
		for b.Len()+101 < n {
			b.WriteString(strings.Repeat("x", 99) + "\n\n")
		}
		b.WriteString(strings.Repeat("y", n-b.Len()-1) + "\n")
		return b.String()
	}
	cases := []hostileCase{
		{name: "file over MaxFileSize", files: fstest.MapFS{
			"vendors/dji.md":  file(okVendor),
			"vendors/big.md":  file(exactly(MaxFileSize + 1)),
			"vendors/full.md": file(exactly(MaxFileSize)),
		}, entries: 2, want: []string{
			"vendors/big.md: FILE_TOO_LARGE is larger than 256 KiB (257 KiB), the most an entry may be; an entry summarises its sources in your own words: shorten it, or split it into entries that link each other",
		}},
		// Bodies on which a CommonMark parser's time grows with the square
		// of a paragraph's length are refused before they reach it; the
		// same runs split into short paragraphs are fine.
		{name: "body too complex for the markdown parser", files: fstest.MapFS{
			"vendors/dji.md":      file(okVendor + "Fine.\n"),
			"vendors/links.md":    file(okVendor + "Intro.\n\n" + strings.Repeat("[a](", 5000) + "\n"),
			"vendors/para.md":     file(okVendor + strings.Repeat("word word word\n", 1200)),
			"vendors/quotes.md":   file(okVendor + "Intro.\n" + strings.Repeat(">", 17) + " deep\n"),
			"vendors/split.md":    file(okVendor + strings.Repeat(strings.Repeat("[a](", 1000)+"\n\n", 20)),
			"vendors/table.md":    file(okVendor + "| a | b |\n|---|---|\n" + strings.Repeat("| one two three four | five six seven |\n", 600)),
			"vendors/quotes16.md": file(okVendor + strings.Repeat("> ", 16) + "sixteen levels\n"),
		}, entries: 7, want: []string{
			"vendors/links.md:7:1: BODY_TOO_COMPLEX a line of 19 KiB; keep lines under 16 KiB: break it where a sentence ends (the lines of a paragraph join up on the page), or into paragraphs with blank lines",
			"vendors/para.md:5:1: BODY_TOO_COMPLEX a paragraph of more than 16 KiB; split it with blank lines",
			"vendors/quotes.md:6:1: BODY_TOO_COMPLEX block quotes and lists nested 17 deep; at most 16 are allowed",
		}},
		{name: "names Windows reserves", entries: 7, files: fstest.MapFS{
			"vendors/con.md":     file(okVendor),
			"vendors/aux.md":     file(okVendor),
			"vendors/nul.md":     file(okVendor),
			"vendors/com1.md":    file(okVendor),
			"vendors/lpt9.md":    file(okVendor),
			"vendors/com0.md":    file(okVendor),
			"vendors/console.md": file(okVendor),
		}, want: []string{
			`vendors/aux.md: SLUG_INVALID file name "aux.md" cannot be checked out on Windows, which reserves CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 with any extension; rename it, for example to "aux-1.md"`,
			`vendors/com1.md: SLUG_INVALID file name "com1.md" cannot be checked out on Windows, which reserves CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 with any extension; rename it, for example to "com1-1.md"`,
			`vendors/con.md: SLUG_INVALID file name "con.md" cannot be checked out on Windows, which reserves CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 with any extension; rename it, for example to "con-1.md"`,
			`vendors/lpt9.md: SLUG_INVALID file name "lpt9.md" cannot be checked out on Windows, which reserves CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 with any extension; rename it, for example to "lpt9-1.md"`,
			`vendors/nul.md: SLUG_INVALID file name "nul.md" cannot be checked out on Windows, which reserves CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 with any extension; rename it, for example to "nul-1.md"`,
		}},
		{name: "non-markdown file in a section", files: fstest.MapFS{
			"vendors/dji.md":     file(okVendor),
			"vendors/notes.txt":  file("notes"),
			"vendors/dji.md.bak": file(okVendor),
			"vendors/logo.png":   file("\x89PNG\r\n\x1a\n"),
		}, entries: 1, want: []string{
			"vendors/dji.md.bak: FILE_NOT_MARKDOWN is a backup copy, not an entry; delete it, and keep such files out of the repository (in .gitignore: *.bak)",
			"vendors/logo.png: FILE_NOT_MARKDOWN is not a markdown file; entries are <slug>.md files",
			"vendors/notes.txt: FILE_NOT_MARKDOWN is not a markdown file; entries are <slug>.md files",
		}},
		// What a merge, a patch or a backup leaves beside an entry: what
		// it is and the .gitignore line that keeps it out, not only that
		// it is no markdown file.
		{name: "merge and patch leftovers", files: fstest.MapFS{
			"vendors/dji.md":      file(okVendor),
			"vendors/dji.md.orig": file(okVendor),
			"vendors/dji.md.rej":  file("@@ -1,3 +1,3 @@"),
			"vendors/dji.md.OLD":  file(okVendor),
		}, entries: 1, want: []string{
			"vendors/dji.md.OLD: FILE_NOT_MARKDOWN is a backup copy, not an entry; delete it, and keep such files out of the repository (in .gitignore: *.OLD)",
			"vendors/dji.md.orig: FILE_NOT_MARKDOWN is the copy a merge or a patch leaves of the file it changed, not an entry; delete it, and keep such files out of the repository (in .gitignore: *.orig)",
			"vendors/dji.md.rej: FILE_NOT_MARKDOWN is what a patch could not apply, not an entry: make any change it holds that is still wanted by hand; delete it, and keep such files out of the repository (in .gitignore: *.rej)",
		}},
		// An editor's scratch file: a .gitignore line that matches it.
		{name: "scratch files", files: fstest.MapFS{
			"vendors/dji.md":   file(okVendor),
			"vendors/#dji.md#": file(okVendor),
			"vendors/dji.md~":  file(okVendor),
			"vendors/dji.swp":  file(""),
			"vendors/4913":     file(""),
		}, entries: 1, want: []string{
			`vendors/#dji.md#: warning: FILE_SCRATCH is an editor's backup or scratch file, not an entry, and is left out; delete it, or keep such files out of the repository (in .gitignore: \#*#)`,
			"vendors/4913: warning: FILE_SCRATCH is an editor's backup or scratch file, not an entry, and is left out; delete it, or keep such files out of the repository (in .gitignore: 4913)",
			"vendors/dji.md~: warning: FILE_SCRATCH is an editor's backup or scratch file, not an entry, and is left out; delete it, or keep such files out of the repository (in .gitignore: *~)",
			"vendors/dji.swp: warning: FILE_SCRATCH is an editor's backup or scratch file, not an entry, and is left out; delete it, or keep such files out of the repository (in .gitignore: *.swp)",
		}},
		{name: "subdirectory in a section", files: fstest.MapFS{
			"vendors/dji.md":      file(okVendor),
			"vendors/china/x.md":  file(okVendor),
			"vendors/china/y.txt": file("y"),
		}, entries: 1, want: []string{
			"vendors/china/x.md: FILE_UNEXPECTED is in a folder inside vendors/, so it is no entry: entries are files directly inside their section; move it up (git mv vendors/china/x.md vendors/x.md)",
		}},
		{name: "subdirectory in a section, with no markdown file", files: fstest.MapFS{
			"vendors/dji.md":      file(okVendor),
			"vendors/china/y.txt": file("y"),
		}, entries: 1, want: []string{
			"vendors/china: FILE_UNEXPECTED is a directory; entries are files directly inside vendors/",
		}},
		{name: "directory that is not a section", files: fstest.MapFS{
			"vendor/dji.md": file(okVendor),
		}, want: []string{
			`vendor: FILE_UNEXPECTED is not a section; the sections are agencies, vendors, laws and incidents, and pages for the site's own pages; did you mean "vendors/"? rename the folder`,
		}},
		{name: "READMEs, dotfiles and stray files", files: fstest.MapFS{
			"README.md":         file("# Content\n"),
			"vendors/README.md": file("# Vendors\n"),
			"vendors/.dji.md":   file("not an entry"),
			".git/config":       file("x"),
			"notes.md":          file("x"),
			"vendors/dji.md":    file(okVendor),
		}, entries: 1, want: []string{
			"notes.md: FILE_UNEXPECTED is not in a section, so it is no entry; move it into agencies/, vendors/, laws/ or incidents/ (the site's own pages go in pages/)",
		}},
		{name: "invalid UTF-8 names the bad byte's place", files: fstest.MapFS{
			"vendors/dji.md": file("---\ntitle: DJI\ncountry: CN\n---\nMakes drones in Shenzh\xe9n.\n"),
		}, want: []string{
			"vendors/dji.md:5:23: FILE_ENCODING is not valid UTF-8 (byte 0xe9); save the file as UTF-8",
		}},
		{name: "invalid UTF-8 in front matter", files: fstest.MapFS{
			"vendors/dji.md": file("---\ntitle: D\xffJI\ncountry: CN\n---\n"),
		}, want: []string{
			"vendors/dji.md:2:9: FILE_ENCODING is not valid UTF-8 (byte 0xff); save the file as UTF-8",
		}},
		// "not valid UTF-8 (byte 0xff)" left a file saved from Notepad
		// as "Unicode" with no clue what it was saved as.
		{name: "UTF-16", files: fstest.MapFS{
			"vendors/dji.md": file("\xff\xfe-\x00-\x00-\x00\n\x00"),
			"vendors/be.md":  file("\xfe\xff\x00-\x00-\x00-\x00\n"),
		}, want: []string{
			`vendors/be.md:1:1: FILE_ENCODING is saved as UTF-16 (what Windows Notepad calls "Unicode"); save it as UTF-8`,
			`vendors/dji.md:1:1: FILE_ENCODING is saved as UTF-16 (what Windows Notepad calls "Unicode"); save it as UTF-8`,
		}},
		{name: "UTF-32", files: fstest.MapFS{
			"vendors/dji.md": file("\xff\xfe\x00\x00-\x00\x00\x00"),
		}, want: []string{
			`vendors/dji.md:1:1: FILE_ENCODING is saved as UTF-32; save it as UTF-8`,
		}},
		{name: "NUL byte", files: fstest.MapFS{
			"vendors/dji.md": file("---\ntitle: DJI\ncountry: CN\n---\nMakes\x00 drones.\n"),
		}, want: []string{
			"vendors/dji.md:5:6: FILE_ENCODING contains a NUL byte; it is not a text file",
		}},
		// A rebase left its markers: in the body both sides were
		// published, the first as a heading; in the front matter YAML
		// named no conflict.
		{name: "merge conflict", files: fstest.MapFS{
			"vendors/dji.md":   file("---\ntitle: DJI\ncountry: CN\n---\n<<<<<<< HEAD\nMakes drones.\n=======\nMakes many drones.\n>>>>>>> fix-count\n"),
			"vendors/autel.md": file("---\ntitle: Autel\n<<<<<<< HEAD\ncountry: CN\n=======\ncountry: US\n>>>>>>>\n---\n"),
		}, want: []string{
			"vendors/autel.md:3:1: MERGE_CONFLICT holds a merge conflict, from the <<<<<<< line here to the >>>>>>> line 7: keep the text you mean, and delete the <<<<<<<, ======= and >>>>>>> lines",
			"vendors/dji.md:5:1: MERGE_CONFLICT holds a merge conflict, from the <<<<<<< line here to the >>>>>>> line 9: keep the text you mean, and delete the <<<<<<<, ======= and >>>>>>> lines",
		}},
		// A heading underlined with =======, and a line of <<<<<<<s in a
		// text, are no conflict.
		{name: "markers that are no conflict", files: fstest.MapFS{
			"vendors/dji.md": file("---\ntitle: DJI\ncountry: CN\n---\nMakes drones\n=======\n\n<<<<<<<< eight\n"),
		}, entries: 1},
		{name: "byte-order mark is accepted", files: fstest.MapFS{
			"vendors/dji.md": file("\xef\xbb\xbf" + okVendor + "Body [1].\n"),
		}, entries: 1, want: []string{
			"vendors/dji.md:5:6: CITATION_NOT_FOUND [1] cites source 1, but the entry lists 0 sources: add the source to sources, then cite it as [1]",
		}},
		{name: "YAML alias bomb", files: fstest.MapFS{
			"vendors/dji.md": file(`---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
`),
		}, want: []string{
			"vendors/dji.md:3:8: YAML_ALIAS YAML alias *a is not allowed in front matter; write the value out",
		}},
		{name: "YAML anchor and alias of a value", files: fstest.MapFS{
			"vendors/dji.md": file("---\ntitle: &t DJI\nsummary: *t\ncountry: CN\n---\n"),
		}, want: []string{
			"vendors/dji.md:3:10: YAML_ALIAS YAML alias *t is not allowed in front matter; write the value out",
		}},
		{name: "YAML merge key", files: fstest.MapFS{
			"agencies/x.md": file(`---
title: X
country: US
sources: [https://example.org/a]
fleet:
  - &item {vendor: dji, status: active, as_of: 2020, source: "https://example.org/a"}
  - <<: *item
    model: Mavic
---
`),
		}, want: []string{
			"agencies/x.md:7:5: YAML_ALIAS YAML merge keys (<<) are not allowed in front matter; write the keys out",
		}},
		{name: "deeply nested YAML flow", files: fstest.MapFS{
			"vendors/a.md": file("---\ntitle: " + nested("[", "]", 17) + "\ncountry: CN\n---\n"),
			"vendors/b.md": file("---\ntitle: " + nested("[", "]", 100_000) + "\n---\n"),
		}, want: []string{
			"vendors/a.md:2:24: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
			"vendors/b.md:2:1: SYNTAX YAML: exceeded max depth of 10000",
		}},
		{name: "deeply nested YAML blocks", files: fstest.MapFS{
			"vendors/a.md": file(blockYAML(40)),
		}, want: []string{
			"vendors/a.md:21:35: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
		}},
		{name: "deeply nested TOML", files: fstest.MapFS{
			"vendors/a.md": file("+++\ntitle = " + nested("[", "]", 17) + "\n+++\n"),
			"vendors/b.md": file("+++\ntitle = " + strings.Repeat("{a = ", 17) + "1" + strings.Repeat("}", 17) + "\n+++\n"),
			"vendors/c.md": file("+++\ntitle = " + nested("[", "]", 100_000) + "\n+++\n"),
			"vendors/d.md": file("+++\ntitle = \"X\"\ncountry = \"CN\"\n[" + strings.Repeat("a.", 30) + "b]\n+++\n"),
		}, want: []string{
			"vendors/a.md:2:1: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
			"vendors/b.md:2:89: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
			"vendors/c.md:2:10009: SYNTAX TOML: arrays and inline tables are nested more than the maximum of 10000 levels deep",
			"vendors/d.md:4:2: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
		}},
		{name: "deeply nested JSON", files: fstest.MapFS{
			"vendors/a.md": file(";;;\n{\"title\": " + nested("[", "]", 17) + "}\n;;;\n"),
			"vendors/b.md": file(";;;\n{\"title\": " + nested("[", "]", 100_000) + "}\n;;;\n"),
		}, want: []string{
			"vendors/a.md:2:27: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
			"vendors/b.md:2:27: NESTING_TOO_DEEP front matter nests more than 16 levels deep; entries need at most 6",
		}},
		{name: "unclosed front matter", files: fstest.MapFS{
			"vendors/a.md": file("---\ntitle: X\ncountry: CN\n\nBody.\n"),
			"vendors/b.md": file("\n\n+++\ntitle = \"X\"\n"),
			"vendors/c.md": file(";;;\n{\"title\": \"X\"}\n"),
			"vendors/d.md": file("{\n  \"title\": \"X\"\n}\nBody right after the brace.\n"),
		}, want: []string{
			`vendors/a.md:5:1: FRONT_MATTER_MISSING the front matter opened by "---" on line 1 is never closed; line 5 reads as the text, not a field: put a line "---" before it`,
			`vendors/b.md:3:1: FRONT_MATTER_MISSING the front matter opened by "+++" on line 3 is never closed; end it with a line "+++"`,
			`vendors/c.md:1:1: FRONT_MATTER_MISSING the front matter opened by ";;;" on line 1 is never closed; end it with a line ";;;"`,
			`vendors/d.md:1:1: FRONT_MATTER_MISSING the front matter opened by "{" on line 1 is never closed; end it with a line "}" followed by an empty line`,
		}},
		{name: "no front matter", files: fstest.MapFS{
			"vendors/a.md": file("# DJI\n\nMakes drones.\n"),
			"vendors/b.md": file(""),
			"vendors/c.md": file("\n\ntitle: X\n"),
			"vendors/d.md": file("\n \n\t\n"),
		}, want: []string{
			"vendors/a.md:1:1: FRONT_MATTER_MISSING has no front matter; an entry starts with a line ---, then YAML fields such as title:, then a closing ---",
			"vendors/b.md:1:1: FRONT_MATTER_MISSING has no front matter; an entry starts with a line ---, then YAML fields such as title:, then a closing ---",
			"vendors/c.md:3:1: FRONT_MATTER_MISSING has no front matter: line 3 starts its fields without the line --- that opens them; add a line --- above line 3, and another after line 3, where they end",
			"vendors/d.md:1:1: FRONT_MATTER_MISSING has no front matter; an entry starts with a line ---, then YAML fields such as title:, then a closing ---",
		}},
		// A first line that tells what was meant: how to open the front
		// matter, not only that there is none.
		{name: "front matter opened otherwise", files: fstest.MapFS{
			"vendors/a.md": file("----\ntitle: A\ncountry: CN\n---\n"),
			"vendors/b.md": file("--\ntitle: B\ncountry: CN\n--\n"),
			"vendors/c.md": file("\u2014\ntitle: C\ncountry: CN\n\u2014\n"),
			"vendors/d.md": file("```yaml\ntitle: D\ncountry: CN\n```\n"),
			"vendors/e.md": file("\ntitle: E\ncountry: CN\nsources:\n  - https://example.org/e\n\nBody.\n"),
			"vendors/f.md": file("title: F\ncountry: CN\n---\n\nBody.\n"),
			"vendors/g.md": file("++++\ntitle = \"G\"\n+++\n"),
		}, want: []string{
			`vendors/a.md:1:1: FRONT_MATTER_MISSING has no front matter: line 1, "----", does not open one; the front matter opens with a line of exactly three dashes, ---`,
			`vendors/b.md:1:1: FRONT_MATTER_MISSING has no front matter: line 1, "--", does not open one; the front matter opens with a line of exactly three dashes, ---`,
			`vendors/c.md:1:1: FRONT_MATTER_MISSING has no front matter: line 1, "—", does not open one; the front matter opens with a line of exactly three dashes, ---`,
			"vendors/d.md:1:1: FRONT_MATTER_MISSING has no front matter: line 1, \"```yaml\", opens a code block; the front matter opens with a line ---, and closes with another: write them instead of the block's ``` lines",
			`vendors/e.md:2:1: FRONT_MATTER_MISSING has no front matter: line 2 starts its fields without the line --- that opens them; add a line --- above line 2, and another after line 5, where they end`,
			`vendors/f.md:1:1: FRONT_MATTER_MISSING has no front matter: line 1 starts its fields without the line --- that opens them; add a line --- above line 1`,
			`vendors/g.md:1:1: FRONT_MATTER_MISSING has no front matter: line 1, "++++", does not open one; the front matter opens with a line of exactly three plus signs, +++`,
		}},
		// Blank lines before the front matter shift every position: the
		// positions must still be those of the file, however many there are.
		{name: "front matter after many blank lines", entries: 1, files: fstest.MapFS{
			"vendors/a.md": file(strings.Repeat("\n", 5000) + "---\ntitle: X\ncountry: cn\n---\nBody [1].\n"),
		}, want: []string{
			`vendors/a.md:5003:10: COUNTRY_INVALID country "cn" is not an ISO 3166-1 alpha-2 country code; did you mean "CN"?`,
			"vendors/a.md:5005:6: CITATION_NOT_FOUND [1] cites source 1, but the entry lists 0 sources: add the source to sources, then cite it as [1]",
		}},
		{name: "front matter that is not a table", entries: 1, files: fstest.MapFS{
			"vendors/a.md": file("---\njust text\n---\n"),
			"vendors/b.md": file(";;;\n[1, 2]\n;;;\n"),
		}, want: []string{
			`vendors/a.md:1:1: FIELD_REQUIRED a vendor needs "country" (its country of origin, an ISO 3166-1 code such as CN)`,
			`vendors/a.md:1:1: FIELD_REQUIRED a vendor needs "title" (the name readers will see)`,
			"vendors/a.md:2:1: FIELD_TYPE front matter must be a table of keys, not text",
			"vendors/b.md:2:1: SYNTAX JSON front matter must be an object",
		}},
		{name: "several YAML documents", files: fstest.MapFS{
			"vendors/a.md": file("---yaml\ntitle: X\ncountry: CN\n---\n---\nBody\n"),
		}, entries: 1},
		// A tag is a word: an unquoted number, date or true/false is a
		// mistake, even where its text would pass as a slug.
		{name: "tags that are not text", entries: 2, files: fstest.MapFS{
			"vendors/a.md": file("---\ntitle: X\ncountry: CN\ntags: 5\n---\n"),
			"vendors/b.md": file("---\ntitle: X\ncountry: CN\ntags: [drones, 2024-01-01, true, 1.5, \"5\"]\n---\n"),
		}, want: []string{
			`vendors/a.md:4:7: FIELD_TYPE tag must be text, not a number; write a word such as "drones"`,
			`vendors/b.md:4:16: FIELD_TYPE tag must be text, not a date; write a word such as "drones"`,
			`vendors/b.md:4:28: FIELD_TYPE tag must be text, not true/false; write a word such as "drones"`,
			`vendors/b.md:4:34: FIELD_TYPE tag must be text, not a decimal number; write a word such as "drones"`,
		}},
		{name: "too many items", files: fstest.MapFS{
			"vendors/dji.md": file(okVendor),
			"vendors/a.md":   file("---\ntitle: X\ncountry: CN\nrelated: [" + strings.TrimSuffix(strings.Repeat("vendors/dji, ", 1001), ", ") + "]\n---\n"),
		}, entries: 2, want: []string{
			"vendors/a.md:4:10: FIELD_TOO_LONG related has 1001 items; at most 1000 are allowed",
			// The first thousand are still read, and checked.
			`vendors/a.md:4:24: warning: REF_DUPLICATE related lists "vendors/dji" twice`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := loadWithin(t, func() *KB { return Load(c.files, Options{}) })
			// Many cases repeat one title; near duplicates are not their point.
			got := diagLines(without(k.Diagnostics, CodeNearDuplicate))
			want := ""
			for _, w := range c.want {
				want += w + "\n"
			}
			if c.name == "too many items" {
				// 999 duplicate warnings follow the first; keep the first two lines.
				got = strings.Join(strings.SplitAfterN(got, "\n", 3)[:2], "")
			}
			if got != want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
			}
			if len(k.Entries) != c.entries {
				t.Errorf("%d entries loaded; want %d", len(k.Entries), c.entries)
			}
		})
	}
}

// TestSymlinksAreNotFollowed lays out real symbolic links: to an entry in
// the same section, to a file outside the content directory, and a section
// that is a link to a directory outside it. None is read.
func TestSymlinksAreNotFollowed(t *testing.T) {
	root := writeTree(t, `
-- content/vendors/dji.md --
---
title: DJI
country: CN
---
-- outside/secret.md --
---
title: A secret that must not be published
country: CN
---
-- outside/laws/x.md --
---
title: Secret law
---
`)
	content := filepath.Join(root, "content")
	links := map[string]string{
		filepath.Join(content, "vendors", "copy.md"):   "dji.md",
		filepath.Join(content, "vendors", "secret.md"): filepath.Join(root, "outside", "secret.md"),
		filepath.Join(content, "laws"):                 filepath.Join(root, "outside", "laws"),
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("cannot make symbolic links here (%v); the walk's symlink rule is untested on this system", err)
		}
	}
	k := loadWithin(t, func() *KB { return Load(os.DirFS(content), Options{Dir: "content"}) })
	want := `content/laws: FILE_SYMLINK is a symbolic link; content must be plain files and directories
content/vendors/copy.md: FILE_SYMLINK is a symbolic link; an entry must be a plain file in its section
content/vendors/secret.md: FILE_SYMLINK is a symbolic link; an entry must be a plain file in its section
`
	if got := diagLines(k.Diagnostics); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if len(k.Entries) != 1 || k.Entries[0].ID != "vendors/dji" {
		t.Errorf("entries %v; want only vendors/dji", entryIDs(k))
	}
	for _, e := range k.Entries {
		if strings.Contains(e.Title, "secret") || strings.Contains(e.Title, "Secret") {
			t.Errorf("an entry was read through a symbolic link: %q", e.Title)
		}
	}
}

// TestFileNamesPrintOnOneLine: a file whose name holds a line break, a
// terminal escape, a direction override or bytes that are not UTF-8 (git
// stores any of them, so a pull request can add one) is reported with its
// name quoted: written as it was, "vendors/x\ny.md" made a report line of
// its own that could pass for another problem, and the escapes reached
// the maintainer's terminal.
func TestFileNamesPrintOnOneLine(t *testing.T) {
	root := writeTree(t, "-- vendors/dji.md --\n"+okVendor)
	names := []string{"x\ndji.md:1:1: FIELD_REQUIRED y.md", "x\ry.md", "\x1b]0;owned\x07\x1b[2K.md", "a\u202emd.x", "\xff\xfe.md"}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(root, "vendors", n), []byte(okVendor), 0o644); err != nil {
			t.Skipf("cannot name a file %q here (%v)", n, err)
		}
	}
	k := loadWithin(t, func() *KB { return Load(os.DirFS(root), Options{Dir: "content"}) })
	seen := map[string]bool{}
	for _, d := range k.Diagnostics {
		s := d.String()
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == 0x202e }) || !utf8.ValidString(s) {
			t.Errorf("diagnostic with a control character or bytes that are not UTF-8: %q", s)
		}
		for _, n := range names {
			if d.File == "content/vendors/"+n {
				seen[n] = true
				if q := strconv.Quote(d.File); !strings.HasPrefix(s, q+":") {
					t.Errorf("diagnostic %q does not start with the name quoted, %s", s, q)
				}
			}
		}
	}
	for _, n := range names {
		if !seen[n] {
			t.Errorf("no diagnostic for the file %q: %v", n, k.Diagnostics)
		}
	}
	// A name that prints is written as it is, for editors to link.
	if got := (Diagnostic{File: "content/vendors/a b.md", Line: 2, Col: 3, Code: CodeFieldUnknown, Message: "m"}).String(); got != "content/vendors/a b.md:2:3: FIELD_UNKNOWN m" {
		t.Errorf("printable name: %q", got)
	}
}

// TestFIFO puts a named pipe where an entry would be: opening it for reading
// would block until a writer comes, so it must be refused unopened.
func TestFIFO(t *testing.T) {
	root := writeTree(t, "-- vendors/dji.md --\n"+okVendor)
	if err := mkfifo(filepath.Join(root, "vendors", "x.md")); err != nil {
		t.Skipf("cannot make a named pipe on %s (%v); the non-regular-file rule is untested here", runtime.GOOS, err)
	}
	k := loadWithin(t, func() *KB { return Load(os.DirFS(root), Options{}) })
	want := "vendors/x.md: FILE_UNEXPECTED is not a regular file\n"
	if got := diagLines(k.Diagnostics); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if len(k.Entries) != 1 {
		t.Errorf("entries %v; want only vendors/dji", entryIDs(k))
	}
}

func TestMissingContentDirectory(t *testing.T) {
	k := Load(os.DirFS(filepath.Join(t.TempDir(), "nope")), Options{Dir: "nope"})
	if len(k.Diagnostics) != 1 || k.Diagnostics[0].Code != CodeContentMissing || k.Diagnostics[0].File != "nope" {
		t.Fatalf("diagnostics:\n%s\nwant one CONTENT_MISSING for nope", diagLines(k.Diagnostics))
	}
	if k.Err() == nil {
		t.Error("Err() = nil for a missing content directory")
	}
}

// TestDiagnosticsNameTheContentDirectory: with Options.Dir, every file is
// named as the user would open it.
func TestDiagnosticsNameTheContentDirectory(t *testing.T) {
	k := Load(fstest.MapFS{"vendors/x.md": file("---\ntitle: X\n---\n"), "stray": file("")}, Options{Dir: "my/content"})
	want := `my/content/stray: FILE_UNEXPECTED is not in a section, so it is no entry; move it into agencies/, vendors/, laws/ or incidents/ (the site's own pages go in pages/)
my/content/vendors/x.md:1:1: FIELD_REQUIRED a vendor needs "country" (its country of origin, an ISO 3166-1 code such as CN)
`
	if got := diagLines(k.Diagnostics); got != want {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
	}
	if e := k.Entry("vendors/x"); e == nil || e.File != "my/content/vendors/x.md" || e.Path != "vendors/x.md" {
		t.Errorf("entry file names: %+v", e)
	}
}

func entryIDs(k *KB) []string {
	var ids []string
	for _, e := range k.Entries {
		ids = append(ids, e.ID)
	}
	return ids
}

// A CRLF file (saved on Windows) loads like the LF one, at the same places.
func TestCRLF(t *testing.T) {
	lf := "---\ntitle: X\ncountry: US\nlevel: loca\nsources: [https://example.org/a]\n---\nBody [2].\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	a := Load(fstest.MapFS{"agencies/x.md": file(lf)}, Options{})
	b := Load(fstest.MapFS{"agencies/x.md": file(crlf)}, Options{})
	if diagLines(a.Diagnostics) != diagLines(b.Diagnostics) {
		t.Errorf("LF:\n%s\nCRLF:\n%s", diagLines(a.Diagnostics), diagLines(b.Diagnostics))
	}
	if len(a.Diagnostics) != 2 {
		t.Errorf("want the enum and the citation problem, got:\n%s", diagLines(a.Diagnostics))
	}
	ea, eb := a.Entry("agencies/x"), b.Entry("agencies/x")
	if ea == nil || eb == nil {
		t.Fatalf("entries missing: %v / %v", ea, eb)
	}
	ba, erra := ea.Body()
	bb, errb := eb.Body()
	if ea.Title != eb.Title || erra != nil || errb != nil || len(ba) == 0 || !bytes.Equal(bb, ba) {
		t.Errorf("entries differ: %+v %q (%v) / %+v %q (%v)", ea, ba, erra, eb, bb, errb)
	}
}

// TestLineEndings: a file saved with \n, \r\n or lone \r line ends (old Mac
// editors, or a stray \r pasted into one line) gives its diagnostics at the
// line and column an editor shows, which counts each of the three as one
// line end, in the front matter and in the body alike.
func TestLineEndings(t *testing.T) {
	lf := "---\ntitle: X\ncountry: US\nlevel: loca\nsources: [https://example.org/a]\n---\nBody [2].\n"
	want := `agencies/x.md:4:8: FIELD_ENUM level "loca" is not one of national, state, local; did you mean "local"?
agencies/x.md:7:6: CITATION_NOT_FOUND [2] cites source 2, but the entry lists 1 source: cite [1], or add the source to sources
`
	for _, c := range []struct{ name, eol string }{{"LF", "\n"}, {"CRLF", "\r\n"}, {"CR", "\r"}} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.ReplaceAll(lf, "\n", c.eol)
			k := Load(fstest.MapFS{"agencies/x.md": file(src)}, Options{})
			if got := diagLines(k.Diagnostics); got != want {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, want)
			}
		})
	}
	// One stray \r on line 2 of an LF file: an editor shows it as a line
	// break, so every later line is one further down.
	mixed := "---\ntitle: X\rsummary: Y\ncountry: US\nlevel: loca\nsources: [https://example.org/a]\n---\nBody [2].\n"
	k := Load(fstest.MapFS{"agencies/x.md": file(mixed)}, Options{})
	wantMixed := `agencies/x.md:5:8: FIELD_ENUM level "loca" is not one of national, state, local; did you mean "local"?
agencies/x.md:8:6: CITATION_NOT_FOUND [2] cites source 2, but the entry lists 1 source: cite [1], or add the source to sources
`
	if got := diagLines(k.Diagnostics); got != wantMixed {
		t.Errorf("with a stray \\r, diagnostics:\n%s\nwant:\n%s", got, wantMixed)
	}
	if e := k.Entry("agencies/x"); e == nil || e.Title != "X" || e.Summary != "Y" {
		t.Errorf("with a stray \\r the entry reads %+v; want title X and summary Y", e)
	}
}
