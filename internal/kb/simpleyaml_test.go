package kb

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CompareYAMLParsers parses front matter with parseSimpleYAML and with
// yaml.v3 (parseYAMLv3), and says whether the first read it and, if it
// did, how the two trees differ ("" if they do not).
func CompareYAMLParsers(data []byte, baseLine int) (simple bool, diff string) {
	fast, ok := parseSimpleYAML(data, baseLine)
	if !ok {
		return false, ""
	}
	slow, err := parseYAMLv3(data, baseLine)
	if err != nil {
		return true, fmt.Sprintf("yaml.v3 fails (%v), the simple reader gives\n%s", err, dumpNode(fast))
	}
	if a, b := dumpNode(fast), dumpNode(slow); a != b {
		return true, fmt.Sprintf("the simple reader gives\n%s\nyaml.v3 gives\n%s", a, b)
	}
	return true, ""
}

// dumpNode writes out everything a node holds, one node a line.
func dumpNode(n *node) string {
	var b strings.Builder
	var walk func(n *node, indent string)
	walk = func(n *node, indent string) {
		switch n.kind {
		case nullNode:
			fmt.Fprintf(&b, "%snull %d:%d %q\n", indent, n.pos.Line, n.pos.Col, n.text)
		case scalarNode:
			fmt.Fprintf(&b, "%sscalar(%d) %d:%d %q\n", indent, n.stype, n.pos.Line, n.pos.Col, n.text)
		case mapNode:
			fmt.Fprintf(&b, "%smap %d:%d (%d)\n", indent, n.pos.Line, n.pos.Col, len(n.fields))
			for _, f := range n.fields {
				fmt.Fprintf(&b, "%s  key %q %d:%d\n", indent, f.key, f.pos.Line, f.pos.Col)
				walk(f.val, indent+"    ")
			}
		case listNode:
			fmt.Fprintf(&b, "%slist %d:%d (%d, nil %v)\n", indent, n.pos.Line, n.pos.Col, len(n.items), n.items == nil)
			for _, it := range n.items {
				walk(it, indent+"  ")
			}
		}
	}
	walk(n, "")
	return b.String()
}

// simpleYAMLCases are front matter the simple reader must read as yaml.v3
// does (simple), or leave to yaml.v3.
var simpleYAMLCases = []struct {
	name   string
	src    string
	simple bool
}{
	{"entry", `title: Paris Police Prefecture
summary: The police of Paris, with a summary that runs on.
tags: [police, france, drones]
updated: 2026-04-17
country: FR
website: https://www.prefecturedepolice.interieur.gouv.fr/#drones
related:
  - vendors/dji
  - laws/fr-2023-22
sources:
  - url: https://example.org/a
    title: "Drones: what the prefecture flies"
    publisher: Le Monde
    date: 2023-05-01
  - url: https://example.org/b
    title: 'It''s a ban'
    date: 2024-1-5
fleet:
  - vendor: dji
    model: Mavic 3 "Enterprise"
    count: 12
    flying: true
    history:
      - date: 2019-06-27
        status: active

      - date: 2020-09-05
        status: grounded
  - vendor: unknown
    count: 0
`, true},
	{"compact list", "related:\n- vendors/dji\n- laws/x\ntitle: T\n", true},
	{"compact list in an item", "fleet:\n  - vendor: dji\n    history:\n    - date: 2020-01-02\n      status: active\n    note: n\n", true},
	{"more spaces after the dash", "fleet:\n  -   vendor: dji\n      count: 3\n", true},
	{"quotes and escapes", "a: \"say \\\"no\\\" \\\\ twice\"\nb: 'x'\nc: \"\"\nd: ''\n", true},
	{"non-ASCII before a column", "tags: [préfecture, sécurité, ×3]\ntitle: Préfecture « de » police\n", true},
	{"words YAML types", "a: true\nb: False\nc: null\nd: ~\ne: no\nf: yes\ng: on\nh: 0\ni: 42\nj: 123456789012345678\nk: NULL\n", true},
	{"text that starts like a number", "a: 1234x\nb: 54 ordered in 2018\nc: 2020-04\n", true},
	{"a date yaml.v3 does not know", "a: 2024-13-01\n", true},
	{"times", "a: 2024-01-02T10:00:00Z\nb: 2024-01-02 10:00:00\nc: 2024-1-2t1:2:3+01:00\n", true},
	{"a year", "a: 2024\n", true},
	{"empty list", "tags: []\n", true},
	{"list of numbers and dates", "a: [1, 2024-01-01, x y]\n", true},
	{"keys that look typed", "true: 1\n2024: 2\nnull: 3\n", true},
	{"colon in a URL", "a: https://x.org:8080/p?q=1\n", true},
	{"commas and brackets inside text", "a: one, two [three] {four}\n", true},
	{"blank lines and trailing spaces", "\n\na: x   \n\n\nb:   y\n", true},
	{"comment line", "# a comment\na: x\n", false},
	{"comment after a value", "a: x # note\n", false},
	{"hash inside a value", "a: x#y\n", true},
	{"anchor", "a: &x y\nb: *x\n", false},
	{"merge key", "a: {b: 1}\n<<: *a\n", false},
	{"tag", "a: !!str 12\n", false},
	{"block scalar", "a: |\n  line\n", false},
	{"folded plain text", "a: one\n  two\n", false},
	{"folded list item", "a:\n  - one\n    two\n", false},
	{"flow table", "restricts: {countries: [CN]}\n", false},
	{"empty value", "a:\nb: x\n", false},
	{"empty value at the end", "a: x\nb:\n", false},
	{"tab", "a:\tx\n", false},
	{"carriage return", "a: x\r\nb: y\r\n", false},
	{"byte order mark", "\xef\xbb\xbfa: x\n", false},
	{"line separator", "a: x\u2028y\n", false},
	{"invalid UTF-8", "a: \xff\n", false},
	{"C1 control", "a: x\u0090y\n", false},
	{"not a character", "a: x\uffffy\n", false},
	{"a long key", strings.Repeat("k", 1100) + ": 0\n", false},
	{"emoji", "a: drones 🚁 [x]\ntags: [🚁, b]\n", true},
	{"mapping value in text", "a: b: c\n", false},
	{"text ending in a colon", "a: b:\n", false},
	{"key with a space", "a b: c\n", false},
	{"quoted key", "\"a\": c\n", false},
	{"document marker", "---\na: x\n", false},
	{"indented first line", "  a: x\n", false},
	{"badly indented key", "a:\n    b: x\n  c: y\n", false},
	{"unclosed quote", "a: \"x\nb: y\"\n", false},
	{"other escape", "a: \"x\\ty\"\n", false},
	{"quote closed early", "a: \"x\" y\"\n", false},
	{"list in a list", "a:\n  - - x\n", false},
	{"dash alone", "a:\n  -\n    x: 1\n", false},
	{"numbers yaml.v3 reads", "a: 1.5\nb: 1e3\nc: 0x1F\nd: 0o17\ne: 0b101\nf: 1_000\ng: 18446744073709551615\nh: 1e999\ni: 3.\nj: 0b102\n", true},
	{"octal-looking", "a: 0755\nb: 08\n", true},
	{"signed", "a: -3\n", false},
	{"dot", "a: .inf\n", false},
	{"trailing comma", "a: [x, y,]\n", false},
	{"question mark in a list", "tags: [why?]\n", false},
	{"question mark after a word in a list", "a: [x ?, y]\n", false},
	{"question mark in text", "a: x? y\nb: see [why?]\nc: x ? y\n", true},
	{"empty list as deep as may be", "a:\n" + nest(14, "v: []"), true},
	{"list as deep as may be", "a:\n" + nest(14, "v: [x]"), false},
	{"empty list too deep", "a:\n" + nest(15, "v: []"), false},
	{"key:value", "a:b\n", false},
	{"scalar document", "just text\n", false},
	{"empty", "", false},
	{"duplicate keys", "title: a\ntitle: b\n", true},
	{"deep", "a:\n" + nest(20, "v: x"), false},
}

// nest returns n tables, each the value of a key in the one before, the
// first indented by two spaces, the last holding the line leaf.
func nest(n int, leaf string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat("  ", i), i)
	}
	fmt.Fprintf(&b, "%s%s\n", strings.Repeat("  ", n+1), leaf)
	return b.String()
}

func TestSimpleYAML(t *testing.T) {
	for _, c := range simpleYAMLCases {
		t.Run(c.name, func(t *testing.T) {
			simple, diff := CompareYAMLParsers([]byte(c.src), 3)
			if simple != c.simple {
				t.Errorf("read by the simple reader: %v, want %v", simple, c.simple)
			}
			if diff != "" {
				t.Error(diff)
			}
		})
	}
}

// yamlFrontMatter returns the YAML front matter of every entry under dir
// (README.md aside), with the paths of their files.
func yamlFrontMatter(dir string) (fms []chunk, paths []string, err error) {
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") || strings.EqualFold(d.Name(), "README.md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if fm, _, err := splitFrontMatter(data); err == nil && fm.format == "yaml" {
			fms, paths = append(fms, fm), append(paths, p)
		}
		return nil
	})
	return fms, paths, err
}

// CompareYAMLParsersIn compares the two readers (CompareYAMLParsers) on
// the YAML front matter of every entry under dir, reports each
// disagreement as an error, and returns how many of all it compared the
// simple reader read.
func CompareYAMLParsersIn(t *testing.T, dir string) (read, all int) {
	t.Helper()
	fms, paths, err := yamlFrontMatter(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, fm := range fms {
		simple, diff := CompareYAMLParsers(fm.data, fm.line)
		if simple {
			read++
		}
		if diff != "" {
			t.Errorf("%s: %s", paths[i], diff)
		}
	}
	t.Logf("the simple reader read %d of %d entries' front matter", read, len(fms))
	return read, len(fms)
}

// TestSimpleYAMLOnContent holds the simple reader to yaml.v3 on the
// knowledge base the repository ships, and checks that it reads most of
// it: a reader that left everything to yaml.v3 would agree with it and
// gain nothing.
func TestSimpleYAMLOnContent(t *testing.T) {
	read, all := CompareYAMLParsersIn(t, "../../content")
	if all < 50 {
		t.Fatalf("only %d entries under content/", all)
	}
	if read*2 < all {
		t.Errorf("the simple reader read %d of %d entries' front matter; it should read most", read, all)
	}
}

func FuzzSimpleYAML(f *testing.F) {
	for _, c := range simpleYAMLCases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if _, diff := CompareYAMLParsers([]byte(src), 1); diff != "" {
			t.Errorf("%q: %s", src, diff)
		}
	})
}

// BenchmarkYAMLReaders reads the front matter of every entry under
// content/ with the simple reader (as parseYAML does) and with yaml.v3
// alone.
func BenchmarkYAMLReaders(b *testing.B) {
	all, _, err := yamlFrontMatter("../../content")
	if err != nil || len(all) == 0 {
		b.Fatalf("no front matter under content/ (%v)", err)
	}
	for _, r := range []struct {
		name  string
		parse func([]byte, int) (*node, error)
	}{{"simple", parseYAML}, {"yaml.v3", parseYAMLv3}} {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				for _, f := range all {
					if _, err := r.parse(f.data, f.line); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
