package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/yuin/goldmark/renderer/html"
)

var update = flag.Bool("update", false, "rewrite the out.html of testdata/*.txtar from the actual output")

func TestClassify(t *testing.T) {
	tests := []struct {
		dest string
		want LinkKind
	}{
		{"https://example.org/a", LinkExternal},
		{"http://example.org", LinkExternal},
		{"HTTPS://EXAMPLE.ORG", LinkExternal},
		{"mailto:press@example.org", LinkExternal},
		{" https://example.org", LinkExternal},
		{"#fleet", LinkFragment},
		{"../vendors/dji.md", LinkEntry},
		{"dji.md", LinkEntry},
		{"./dji.md#fleet", LinkEntry},
		{"../vendors/dji.md?x=1", LinkEntry},
		{"../vendors/DJI.MD", LinkEntry},
		{"/vendors/dji.md", LinkRelative}, // site-absolute: no entry file a contributor can preview
		{"report.pdf", LinkRelative},
		{"../img/a.png", LinkRelative},
		{"", LinkRelative},
		{"dji.md.html", LinkRelative},
		{"javascript:alert(1)", LinkUnsafe},
		{"JavaScript:alert(1)", LinkUnsafe},
		{" javascript:alert(1)", LinkUnsafe},
		{"java\tscript:alert(1)", LinkUnsafe},
		{"java\nscript:alert(1)", LinkUnsafe},
		{"java\x00script:alert(1)", LinkUnsafe},
		{"vbscript:msgbox(1)", LinkUnsafe},
		{"data:text/html,<script>alert(1)</script>", LinkUnsafe},
		{"file:///etc/passwd", LinkUnsafe},
		{"ftp://example.org/x", LinkUnsafe},
		{"tel:+15551234", LinkUnsafe},
		{"//evil.example/x", LinkUnsafe},
		{`\\evil.example\x`, LinkUnsafe},
		{`/\evil.example`, LinkUnsafe},
		{"x.md:javascript", LinkUnsafe}, // a scheme "x.md"; browsers agree
		// A control character left after the browser's own clean-up makes
		// a link nobody meant; "\x7f#0" is a path on the site, not a fragment.
		{"\x7f#0", LinkUnsafe},
		{"#a\x01b", LinkUnsafe},
		{"\x01 #fleet\t", LinkFragment},
		{"\t../vendors/dji.md", LinkEntry},
	}
	for _, tt := range tests {
		if got := Classify(tt.dest); got != tt.want {
			t.Errorf("Classify(%q) = %d; want %d", tt.dest, got, tt.want)
		}
	}
}

func TestResolveEntry(t *testing.T) {
	tests := []struct {
		from, dest       string
		target, fragment string
		ok               bool
	}{
		{"agencies/nypd.md", "../vendors/dji.md", "vendors/dji.md", "", true},
		{"agencies/nypd.md", "lapd.md", "agencies/lapd.md", "", true},
		{"agencies/nypd.md", "./lapd.md#fleet", "agencies/lapd.md", "fleet", true},
		{"agencies/nypd.md", "../vendors/dji.md?x=1#a", "vendors/dji.md", "a", true},
		{"agencies/nypd.md", "../vendors/dj%69.md", "vendors/dji.md", "", true},
		{"agencies/nypd.md", "../vendors/../laws/ban.md", "laws/ban.md", "", true},
		{"agencies/nypd.md", "../../secret.md", "", "", false},
		{"agencies/nypd.md", "../../../etc/passwd.md", "", "", false},
		{"agencies/nypd.md", "..%2f..%2fsecret.md", "", "", false},
		{"agencies/nypd.md", "../README.md", "README.md", "", true}, // resolves; no entry there
		{"agencies/nypd.md", "\t../vendors/dji.md ", "vendors/dji.md", "", true},
	}
	for _, tt := range tests {
		target, frag, ok := ResolveEntry(tt.from, tt.dest)
		if target != tt.target || frag != tt.fragment || ok != tt.ok {
			t.Errorf("ResolveEntry(%q, %q) = %q, %q, %v; want %q, %q, %v", tt.from, tt.dest, target, frag, ok, tt.target, tt.fragment, tt.ok)
		}
	}
}

// at says where in src each offset points: "line:col: text".
func at(src []byte, off int) string {
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(src[:off], '\n')
	end := min(off+12, len(src))
	if i := bytes.IndexByte(src[off:end], '\n'); i >= 0 {
		end = off + i
	}
	return fmt.Sprintf("%d:%d %s", line, col, src[off:end])
}

func TestLinksCitationsAndRawHTML(t *testing.T) {
	src := []byte(`# Title

Flies [DJI](../vendors/dji.md) and [*Autel*](https://autel.example) [1][2].
See ![a map](map.png "Map") and <javascript:alert(1)>, www.example.org, x@example.org.

| Law | Since |
|---|---|
| [Ban](../laws/ban.md) | 2020 [3] |

- [ ] [task](#fleet)

` + "`[4]` in code, [5](https://x.example) as a link, [12345] too long, [x] text.\n\n```\n[6] [y](z.md)\n```\n" + `
<div>raw</div>

Inline <b>bold</b> <!-- comment --> [7]
[ref link][r]

[r]: ../incidents/launch.md
`)
	d := New().Parse(src)

	var links []string
	for _, l := range d.Links() {
		kind := "link"
		if l.Image {
			kind = "image"
		}
		links = append(links, fmt.Sprintf("%s %s -> %s", at(src, l.Offset), kind, l.Dest))
	}
	wantLinks := []string{
		"3:7 [DJI](../ven link -> ../vendors/dji.md",
		"3:36 [*Autel*](ht link -> https://autel.example",
		"4:5 ![a map](map image -> map.png",
		"4:33 <javascript: link -> javascript:alert(1)",
		"4:56 www.example. link -> http://www.example.org",
		"8:3 [Ban](../law link -> ../laws/ban.md",
		"10:7 [task](#flee link -> #fleet",
		"12:16 [5](https:// link -> https://x.example",
		"21:1 [ref link][r link -> ../incidents/launch.md",
	}
	if strings.Join(links, "\n") != strings.Join(wantLinks, "\n") {
		t.Errorf("Links:\n%s\nwant:\n%s", strings.Join(links, "\n"), strings.Join(wantLinks, "\n"))
	}

	var cites []string
	for _, c := range d.Citations() {
		cites = append(cites, fmt.Sprintf("[%d] at %s", c.N, at(src, c.Offset)))
	}
	wantCites := []string{
		"[1] at 3:69 [1][2].",
		"[2] at 3:72 [2].",
		"[3] at 8:32 [3] |",
		"[7] at 20:37 [7]",
	}
	if strings.Join(cites, "\n") != strings.Join(wantCites, "\n") {
		t.Errorf("Citations:\n%s\nwant:\n%s", strings.Join(cites, "\n"), strings.Join(wantCites, "\n"))
	}

	var raw []string
	for _, off := range d.RawHTML() {
		raw = append(raw, at(src, off))
	}
	wantRaw := []string{"18:1 <div>raw</di", "20:8 <b>bold</b> "}
	if strings.Join(raw, "\n") != strings.Join(wantRaw, "\n") {
		t.Errorf("RawHTML:\n%s\nwant:\n%s", strings.Join(raw, "\n"), strings.Join(wantRaw, "\n"))
	}

	text := d.Text()
	for _, want := range []string{"Title", "Flies DJI and Autel", "a map", "www.example.org", "[4] in code", "[6] [y](z.md)", "bold"} {
		if !strings.Contains(text, want) {
			t.Errorf("Text() lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"../vendors", "https://autel", "raw</div>", "<b>", "comment"} {
		if strings.Contains(text, not) {
			t.Errorf("Text() holds %q, which is markup, not words:\n%s", not, text)
		}
	}
}

// renderContext is the page the golden tests render for: the body of
// agencies/x.md, with two sources, in a site with three entries.
func renderContext() RenderContext {
	entries := map[string]string{
		"vendors/dji.md":       "/vendors/dji/",
		"agencies/nypd.md":     "/agencies/nypd/",
		"incidents/launch.md":  "/incidents/launch/",
		"laws/ban-on-drone.md": "/laws/ban-on-drone/",
	}
	return RenderContext{
		Entry:    func(p string) (string, bool) { u, ok := entries[p]; return u, ok },
		From:     "agencies/x.md",
		Sources:  2,
		SourceID: func(n int) string { return fmt.Sprintf("source-%d", n) },
	}
}

// TestRender renders testdata/*.txtar: each holds in.md and the expected
// out.html. go test -run TestRender -update rewrites out.html; read the
// diff before keeping it.
func TestRender(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.txtar: %v", err)
	}
	m := New()
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var in, want []byte
			outIndex := -1
			for i, f := range a.Files {
				switch f.Name {
				case "in.md":
					in = f.Data
				case "out.html":
					want, outIndex = f.Data, i
				}
			}
			if in == nil || outIndex < 0 {
				t.Fatalf("%s needs in.md and out.html", file)
			}
			var buf bytes.Buffer
			if err := m.Render(&buf, m.Parse(in, "fleet", "sources"), renderContext()); err != nil {
				t.Fatal(err)
			}
			if *update {
				a.Files[outIndex].Data = buf.Bytes()
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("render of in.md:\n%s\nwant:\n%s", got, want)
			}
			assertSafe(t, buf.String())
		})
	}
}

var (
	tag       = regexp.MustCompile(`<[^>]*>`)
	hrefAttr  = regexp.MustCompile(`(?i)\b(href|src)\s*=\s*"([^"]*)"`)
	badTag    = regexp.MustCompile(`(?i)^<\s*(script|iframe|object|embed|img|style|form|link|meta|base)\b`)
	eventAttr = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
)

// assertSafe checks what the README promises about a rendered body: no raw
// HTML, no script, nothing fetched from elsewhere, and every link http(s),
// mailto, a fragment or a site path ("http:host" is an http link too:
// browsers read it as http://host).
func assertSafe(t testing.TB, html string) {
	t.Helper()
	// Text is escaped, so every '<' left starts a tag the renderer wrote.
	for _, tg := range tag.FindAllString(html, -1) {
		if badTag.MatchString(tg) || eventAttr.MatchString(tg) {
			t.Errorf("rendered body holds %q:\n%s", tg, html)
		}
	}
	for _, m := range hrefAttr.FindAllStringSubmatch(strings.Join(tag.FindAllString(html, -1), ""), -1) {
		attr, url := strings.ToLower(m[1]), m[2]
		if attr == "src" {
			t.Errorf("rendered body fetches %q", url)
			continue
		}
		u := strings.ToLower(url)
		if !(strings.HasPrefix(u, "https:") || strings.HasPrefix(u, "http:") || strings.HasPrefix(u, "mailto:") ||
			strings.HasPrefix(u, "#") || strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")) {
			t.Errorf("rendered body links to %q", url)
		}
	}
}

// FuzzRender: no body, however hostile, makes the renderer panic or emit
// script, a fetch, or a link other than http(s), mailto, a fragment or a
// site path.
func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		if a, err := txtar.ParseFile(file); err == nil {
			for _, fl := range a.Files {
				if fl.Name == "in.md" {
					f.Add(fl.Data)
				}
			}
		}
	}
	for _, s := range []string{
		"[x](javascript:alert(1))", "<script>alert(1)</script>", "![x](https://tracker.example/p.gif)",
		"<javascript:alert(1)>", "[x](<java\tscript:1>)", "[x]: javascript:1\n\n[x]", "<img src=x onerror=alert(1)>",
		"[a](../vendors/dji.md#\"><script>)", "[1] [2] [999]", "# fleet\n# sources\n# fleet",
	} {
		f.Add([]byte(s))
	}
	m := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		d := m.Parse(src, "fleet")
		for _, l := range d.Links() {
			if l.Offset < 0 || l.Offset > len(src) {
				t.Fatalf("link offset %d outside a %d-byte body", l.Offset, len(src))
			}
		}
		for _, c := range d.Citations() {
			// A citation's offset is its bracket, or its number in a list
			// ("[1, 2]"); either way its digits follow.
			if c.Offset < 0 || c.Offset >= len(src) {
				t.Fatalf("citation offset %d outside a %d-byte body", c.Offset, len(src))
			}
			i := c.Offset
			if src[i] == '[' {
				i++
			}
			j := i
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			if n, err := strconv.Atoi(string(src[i:j])); err != nil || n != c.N {
				t.Fatalf("citation [%d] at offset %d points at %q", c.N, c.Offset, src[c.Offset:j])
			}
		}
		var buf bytes.Buffer
		if err := m.Render(&buf, d, renderContext()); err != nil {
			t.Fatal(err)
		}
		assertSafe(t, buf.String())
	})
}

// TestDangerousURLAsGoldmark checks the link renderer's check of a
// destination against goldmark's own.
func TestDangerousURLAsGoldmark(t *testing.T) {
	for _, u := range []string{"", "http://x", "JavaScript:alert(1)", "javascript:", "javascript", "VBScript:x", "FILE:/etc", "data:", "Data:text/html,x",
		"data:image/png;base64,x", "DATA:IMAGE/PNG;x", "data:image/svg+xml;x", "data:image/", "data:image/jpeg;", "data:image/webp;x", "data:image/gif;",
		"#frag", "/agencies/x/", "mailto:a@b", "\u212Aavascript:", "javaſcript:", "ſcript:"} {
		if got, want := dangerousURL([]byte(u)), html.IsDangerousURL([]byte(u)); got != want {
			t.Errorf("%q: dangerous %v, goldmark says %v", u, got, want)
		}
	}
}

// TestRepeatedHeadings gives every one of many identical headings its own
// id, numbered in order, past the numbers other headings took (the ids are
// those counting up from 2 again for each repeat gave; that it no longer
// does is TestRepeatedHeadingsLinear's).
func TestRepeatedHeadings(t *testing.T) {
	const n = 3000
	var body strings.Builder
	body.WriteString("## Update 5\n\n")
	for range n {
		body.WriteString("## Update\n\n")
	}
	m := New()
	var buf bytes.Buffer
	if err := m.Render(&buf, m.Parse([]byte(body.String()), "update-7"), renderContext()); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, line := range strings.Split(buf.String(), "\n") {
		if i := strings.Index(line, `id="`); i >= 0 {
			got = append(got, line[i+4:i+4+strings.IndexByte(line[i+4:], '"')])
		}
	}
	want := []string{"update-5", "update"}
	for k := 2; len(want) < n+1; k++ {
		if k != 5 && k != 7 { // taken by "Update 5", reserved by the layout
			want = append(want, "update-"+strconv.Itoa(k))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%d ids; the first that differs: %v", len(got), firstDiff(got, want))
	}
}

// TestRepeatedHeadingsLinear: the work a repeated heading costs does not
// grow with the headings before it. Counted in allocations, which do not
// drift with the machine: counting up from 2 again for each repeat made
// 1,006 a heading at 2,000 repeats and 257 at 500; now 8 at both.
func TestRepeatedHeadingsLinear(t *testing.T) {
	m := New()
	perHeading := func(n int) float64 {
		body := []byte(strings.Repeat("## a\n\n", n))
		return testing.AllocsPerRun(2, func() { m.Parse(body) }) / float64(n)
	}
	small, large := perHeading(500), perHeading(2000)
	if large > 2*small {
		t.Errorf("a repeated heading costs %.1f allocations among 2,000 and %.1f among 500: the cost grows with the headings before it", large, small)
	}
}

func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("#%d is %q, want %q", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("%d ids, want %d", len(got), len(want))
}

func BenchmarkRepeatedHeadings(b *testing.B) {
	body := []byte(strings.Repeat("# a\n", 20000))
	m := New()
	for b.Loop() {
		m.Parse(body)
	}
}

// TestMiscitations finds the bracketed numbers that look like citations but
// are not read as any, and so show as plain text: a range, spaces inside
// the bracket. Citations as they are written, code and links are not.
func TestMiscitations(t *testing.T) {
	src := []byte("Flew [1-2], [1–3] and [ 1 ]; [2 ,3] and [4 5].\n" +
		"Cited [1][2], [1,2], [1, 2]; `[1-2]` in code, [1-2](https://x.example) a link, [2024] a year, \\[1-2] escaped.\n" +
		"A range [1-30] is left as written.\n")
	d := New().Parse(src)
	var got []string
	for _, m := range d.Miscitations() {
		got = append(got, fmt.Sprintf("%s %q %v", at(src, m.Offset)[:4], m.Written, m.Meant))
	}
	want := []string{
		`1:6  "[1-2]" [1 2]`,
		`1:13 "[1–3]" [1 2 3]`,
		`1:25 "[ 1 ]" [1]`,
		`1:32 "[2 ,3]" [2 3]`,
		`1:43 "[4 5]" [4 5]`,
		`3:9  "[1-30]" []`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Miscitations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLinkSlips finds links the parser reads as text, which showed as
// typed and were checked by nothing: a ")" missing, a space before "(".
func TestLinkSlips(t *testing.T) {
	src := []byte("Flies [DJI](../vendors/dji.md drones and [Skydio] (../vendors/skydio.md) ones.\n" +
		"Read [the report](https://example.org/a and [the law] (https://example.org/b).\n" +
		"Fine: [DJI](../vendors/dji.md), [a](https://example.org/x \"t\"), `[DJI](../vendors/dji.md` in code, [1] (see below), \\[DJI](../x.md escaped.\n" +
		"Prose: the filing [PDF] (https://example.org/f.pdf), a quote [sic] (https://example.org), a footnote [^1] (https://example.org/r).\n")
	d := New().Parse(src)
	var got []string
	for _, sl := range d.LinkSlips() {
		got = append(got, fmt.Sprintf("%s %q %v", at(src, sl.Offset)[:4], sl.Written, sl.Space))
	}
	want := []string{
		`1:7  "[DJI](../vendors/dji.md" false`,
		`1:42 "[Skydio] (../vendors/skydio.md)" true`,
		`2:6  "[the report](https://example.org/a" false`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("LinkSlips:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFootnotesAreMiscitations finds GitHub's footnotes, which the site
// does not read: a reference "[^5]" showed as typed, and a definition
// "[^1]: text" as a paragraph, or not at all when its text is one word
// (a link reference definition).
func TestFootnotesAreMiscitations(t *testing.T) {
	src := []byte("Drones [^5] flew[^note].\n\n[^1]: The first source.\n\n[^2]: word\n\n`[^3]` in code.\n\nSeen [^7] and [linked](https://example.org/y).\n\n[^7]: https://example.org/x\n")
	d := New().Parse(src)
	var got []string
	for _, m := range d.Miscitations() {
		got = append(got, fmt.Sprintf("%s %q %v footnote=%v definition=%v", at(src, m.Offset)[:4], m.Written, m.Meant, m.Footnote, m.Definition))
	}
	want := []string{
		`1:8  "[^5]" [5] footnote=true definition=false`,
		`1:17 "[^note]" [] footnote=true definition=false`,
		`3:1  "[^1]:" [1] footnote=true definition=true`,
		`5:1  "[^2]:" [2] footnote=true definition=true`,
		// Defined by an address, it is a link, reported with its definition.
		`9:6  "[^7]" [7] footnote=true definition=false`,
		`11:1 "[^7]:" [7] footnote=true definition=true`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Miscitations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
