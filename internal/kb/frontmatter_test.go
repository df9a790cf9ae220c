package kb

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/frontmatter"
)

// adrgCut is what adrg/frontmatter makes of data with the formats the
// loader accepts: the format's name, the front matter and the rest.
// cutFrontMatter must give the same answer for every file.
func adrgCut(data []byte) (format string, fm, rest []byte, ok bool) {
	var formats []*frontmatter.Format
	for _, f := range frontMatterFormats {
		ff := frontmatter.NewFormat(f.start, f.end, func(b []byte, _ any) error {
			format, fm = f.format, b
			return nil
		})
		ff.UnmarshalDelims, ff.RequiresNewLine = f.withDelims, f.blankAfter
		formats = append(formats, ff)
	}
	rest, err := frontmatter.MustParse(bytes.NewReader(data), nil, formats...)
	if errors.Is(err, frontmatter.ErrNotFound) {
		return "", nil, nil, false
	}
	if err != nil {
		panic(err) // reading from memory cannot fail
	}
	return format, fm, rest, true
}

// frontMatterCases are files whose front matter is found, not found, or
// found somewhere a careless splitter would not look.
var frontMatterCases = []string{
	"",
	"\n",
	"---",
	"---\n",
	"---\n---",
	"---\n---\n",
	"---\ntitle: A\n---\nBody\n",
	"---\r\ntitle: A\r\n---\r\nBody\r\n",
	"\n\n  ---  \ntitle: A\n\t---\nBody",
	"---\ntitle: A\n--- \n\nBody\n---\nMore\n",
	"---\ntitle: A\nno close\n",
	"---\ntitle: A\n----\n---",
	"title: A\n---\n",
	"---yaml\ntitle: A\n---\nBody",
	"---toml\ntitle = 'A'\n---\nBody",
	"---json\n{\"title\": \"A\"}\n---\nBody",
	"+++\ntitle = 'A'\n+++\nBody",
	"+++\ntitle = 'A'\n---\n",
	";;;\n\"title\": \"A\"\n;;;\n",
	"{\n\"title\": \"A\"\n}\n\nBody",
	"{\n\"title\": \"A\"\n}\nnot blank\n}\n\nBody",
	"{\n\"a\": {\n}\n\"b\": 1\n}\n",
	"{\n\"title\": \"A\"\n}",
	"{\n\"title\": \"A\"\n}\n}\n\n",
	"{\n\"title\": \"A\"\n}\nx",
	"\u00a0---\u00a0\ntitle: A\n---\n",
	"---\n\n---\n",
	"--- \n---\n",
	"---x\n---\n",
}

func checkCutAsAdrg(t *testing.T, data []byte) {
	t.Helper()
	wantFormat, wantFM, wantRest, wantOK := adrgCut(data)
	_, f, fm, rest, ok := cutFrontMatter(data)
	if ok != wantOK {
		t.Fatalf("%q: found %v, adrg/frontmatter %v", data, ok, wantOK)
	}
	if !ok {
		return
	}
	if f.format != wantFormat || !bytes.Equal(fm, wantFM) || !bytes.Equal(rest, wantRest) {
		t.Fatalf("%q:\n got %s %q, rest %q\nwant %s %q, rest %q", data, f.format, fm, rest, wantFormat, wantFM, wantRest)
	}
}

// TestCutFrontMatterAsAdrg holds the loader's front matter splitter to
// adrg/frontmatter's answers, on the cases above and on every shipped
// entry.
func TestCutFrontMatterAsAdrg(t *testing.T) {
	for _, c := range frontMatterCases {
		checkCutAsAdrg(t, []byte(c))
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "content", "*", "*.md"))
	if len(files) == 0 {
		t.Fatal("no entries under ../../content")
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checkCutAsAdrg(t, data)
	}
}

// FuzzCutFrontMatter compares the splitter with adrg/frontmatter on any
// file.
func FuzzCutFrontMatter(f *testing.F) {
	for _, c := range frontMatterCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCutAsAdrg(t, data)
	})
}

// TestFrontMatterNeverClosed checks what a contributor is told about
// front matter that opens and never closes, for each way it can open.
func TestFrontMatterNeverClosed(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"\n---\ntitle: A\n", `the front matter opened by "---" on line 2 is never closed; end it with a line "---"`},
		{"{\n\"title\": \"A\"\n}\nBody\n", `the front matter opened by "{" on line 1 is never closed; end it with a line "}" followed by an empty line`},
		{"title: A\n", "has no front matter: line 1 starts its fields without the line --- that opens them; add a line --- above line 1, and another after line 1, where they end"},
		{"\n\n---", `the front matter opened by "---" on line 3 is never closed`},
		// Where it was meant to close: a closing line misspelt, or the
		// first line of the text.
		{"---\ntitle: A\n...\nText.\n", `the front matter opened by "---" on line 1 is never closed; line 3, "...", is not its closing line: write a line "---" instead`},
		{"---\ntitle: A\n----\nText.\n", `line 3, "----", is not its closing line: write a line "---" instead`},
		{"---\ntitle: A\n— \nText.\n", `line 3, "—", is not its closing line`},
		{"+++\ntitle = \"A\"\n++++\n", `line 3, "++++", is not its closing line: write a line "+++" instead`},
		// A lone "-" is an empty list item: the text after it is
		// where the front matter was meant to end.
		{"---\ntitle: X\ntags:\n-\n\nBody text.\n", `line 6 reads as the text, not a field: put a line "---" before it`},
		{"---\ntitle: A\nsummary: >\n  Folded\nnot indented\n# a comment\n\nThe text [1].\n", `line 5 reads as the text, not a field: put a line "---" before it`},
		{"---\ntitle: A\ntags:\n- police\n\"quoted\": key\n\n# Heading\n", `is never closed; end it with a line "---"`},
		{"---\ntitle: A\nNote: the drones\n", `line 3 reads as the text, not a field`},
	} {
		_, _, err := splitFrontMatter([]byte(c.file))
		var se *syntaxError
		if !errors.As(err, &se) || se.code != CodeFrontMatter || !bytes.Contains([]byte(se.msg), []byte(c.want)) {
			t.Errorf("%q: got %v, want %s", c.file, err, c.want)
		}
	}
}
