package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"golang.org/x/tools/txtar"
)

// copiedText is Doc.Text as it was written before Words: one copy of the
// words, made by walking the tree. Words must give the same text.
func copiedText(d *Doc) string {
	var b bytes.Buffer
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && b.Len() > 0 {
				b.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(d.src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(d.src))
			}
		case *ast.AutoLink:
			b.Write(t.Label(d.src))
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *citeNode:
			for b.Len() > 0 && b.Bytes()[b.Len()-1] == ' ' {
				b.Truncate(b.Len() - 1)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// textCases are bodies whose words take each of Words' paths: parts of
// the body run together, separators, spaces taken back before a
// citation, tab-indented code (a segment with padding), autolinks,
// raw HTML left out.
var textCases = []string{
	"",
	"[1]",
	"   [1] x",
	"Drones fly [1]. More [2] [3].",
	"a  \n[1] b",
	"Police *drones* and **DJI** `code` ~~gone~~ [link](https://example.org) [e](../vendors/dji.md).",
	"line one\nline two  \nhard break\\\nend",
	"# Heading\n\npara\n\n- item [1]\n- item two\n\n> quote [2]\n",
	"\tcode with\ttabs\n\t\tmore\n\nafter",
	"```\nfenced\n  code\n```\n",
	"see https://example.org/x and <https://example.org/y> and <a@b.org>",
	"<div>raw</div>\n\ntext <b>bold</b> tail",
	"| a | b |\n|---|---|\n| 1 [1] | 2 |\n",
	"&amp; &copy; \\* escaped",
	"- [ ] task\n- [x] done [1]",
	"x [1] \n\n [2]\n\ny",
	"  \n\n[1]\n\n  z",
}

func TestWordsAsCopy(t *testing.T) {
	m := New()
	check := func(name string, src []byte) {
		t.Helper()
		d := m.Parse(src, "fleet")
		want := copiedText(d)
		got := d.Words().String(src)
		if got != want {
			t.Errorf("%s: Words gives\n%q\nthe copy\n%q", name, got, want)
		}
		if d.Text() != want {
			t.Errorf("%s: Text differs from the copy", name)
		}
		// A body too long for a part's offsets is copied instead.
		w := &textWriter{src: src, last: -1, copy: true}
		d.walkText(w)
		if got := (Text{ops: w.ops, extra: string(w.extra)}).String(src); got != want {
			t.Errorf("%s: copied, Words gives\n%q\nthe copy\n%q", name, got, want)
		}
	}
	for i, c := range textCases {
		check(strings.Repeat("#", i), []byte(c))
	}
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			check(file+"/"+f.Name, f.Data)
		}
	}
	n := 0
	err := filepath.WalkDir("../../content", func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// The body is what follows the front matter's closing line.
		if _, rest, ok := bytes.Cut(data, []byte("\n---\n")); ok {
			data = rest
		}
		check(p, data)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d shipped entries read", n)
	}
}

// TestWordsAreSmall checks what Words is for: the words of a body of
// prose take less than a copy of them.
func TestWordsAreSmall(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		b.WriteString("Police drones flew over the protest in the city centre, as [the report](https://example.org/r) said [1]. ")
		if i%5 == 4 {
			b.WriteString("\n\n")
		}
	}
	src := []byte(b.String())
	w := New().Parse(src).Words()
	size := 4*len(w.ops) + len(w.extra)
	text := len(w.String(src))
	if size*3 > text {
		t.Errorf("Words keeps %d bytes for %d bytes of words: more than a third", size, text)
	}
}

func FuzzWords(f *testing.F) {
	for _, c := range textCases {
		f.Add([]byte(c))
	}
	m := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		d := m.Parse(src, "fleet")
		if got, want := d.Words().String(src), copiedText(d); got != want {
			t.Fatalf("Words gives\n%q\nthe copy\n%q", got, want)
		}
	})
}
