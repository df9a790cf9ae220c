package kb

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// FuzzLoadEntry loads one file of any content as an entry of each section,
// together with a vendor it can reference, and checks what a contributor
// relies on: no panic (a recovered one is still a bug), the same answer
// twice, and every diagnostic at a place that exists in the file. It also
// runs the tracker and its exports on what loaded.
//
// The corpus is every file of ../../content, and hostile inputs.
func FuzzLoadEntry(f *testing.F) {
	seeds := 0
	for _, s := range Sections {
		dir := filepath.Join("..", "..", "content", s.Dir)
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, de := range ents {
			if !strings.HasSuffix(de.Name(), ".md") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, de.Name()))
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data, sectionIndex(s.Dir))
			seeds++
		}
	}
	if seeds == 0 {
		f.Log("no entries in ../../content: the corpus is the built-in inputs only")
	}
	for _, src := range sameAgency {
		f.Add([]byte(src), uint8(0))
	}
	hostile := []string{
		"",
		"---",
		"---\n---\n",
		"+++\n+++\n",
		";;;\n;;;\n",
		"{\n}\n\n",
		"---\n- a\n---\n",
		"---\ntitle: &a x\nsummary: *a\n---\n",
		"---\n<<: {title: x}\n---\n",
		"---\ntitle: " + strings.Repeat("[", 50) + "\n---\n",
		"+++\ntitle = " + strings.Repeat("{a = ", 20) + "1" + strings.Repeat("}", 20) + "\n+++\n",
		";;;\n{\"title\": " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "}\n;;;\n",
		"---\ntitle: x\n...\ncountry: CN\n---\n",
		"---\ntitle: \"\\u0000\"\n---\n",
		"---\ntitle: x\ncountry: US\n---\n[a](javascript:alert(1)) <javascript:x> ![i](data:x) [b](../../x.md) [c](../vendors/dji.md#x) [99] [0]\n",
		"---\ntitle: x\r\ncountry: US\r\n---\r\nbody [1]\r\n",
		// A lone \r is a line end to YAML and to editors: positions after it
		// once fell past the end of the file.
		"---\ntitle: x\rcountry: us\rkind: x\rlevel: loca\rshort: 1\n---\nbody [1]\r",
		"---\r---\r[1]\r",
		"\xef\xbb\xbf---\ntitle: x\n---\n",
		"---\ntitle: x\xff\n---\n",
		"---\nfleet: [{vendor: dji, status: active, as_of: 2020, history: [{date: 2019, status: grounded, source: x}]}]\n---\n",
		"---\nrelated: [vendors/dji, vendors/dji.md, ../x, /]\nsources: [{url: 'http://[::1]:namedport'}]\n---\n",
		"---\nbinds: {levels: [], kinds: [], agencies: []}\nrestricts: {vendors: [], countries: []}\n---\n",
		"+++\n[[fleet]]\n[[fleet.history]]\n[fleet.x]\n+++\n",
		"+++\na.b.c = 1\na.b = 2\n+++\n",
		"---\n" + strings.Repeat("\n", 100) + "title: x\n---\n",
		"<script>alert(1)</script>",
		// URLs compared for duplicates and citations, and given a scheme.
		"---\nwebsite: htps//Ex.org:1?#\nupdated: 2026\nlang: de_CH\nfleet: [{vendor: '', as_of: 2999, source: 'https://EX.org:443'}]\nsources: ['https://ex.org/', 'https://ex.org#a', 'https://ex.org/#b', '//ex.org', '']\n---\n",
	}
	for _, h := range hostile {
		for i := range Sections {
			f.Add([]byte(h), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, section uint8) {
		sec := Sections[int(section)%len(Sections)]
		name := sec.Dir + "/x.md"
		fsys := fstest.MapFS{
			name:             &fstest.MapFile{Data: data},
			"vendors/dji.md": &fstest.MapFile{Data: []byte(okVendor)},
		}
		// A hang is a failure too: the fuzzer then keeps the input.
		done := make(chan *KB, 1)
		go func() { done <- Load(fsys, Options{AsOf: MustDate("2024-06-01")}) }()
		var k *KB
		select {
		case k = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Load took more than 10 s on a %d-byte file", len(data))
		}
		again := Load(fsys, Options{AsOf: MustDate("2024-06-01")})
		if a, b := diagLines(k.Diagnostics), diagLines(again.Diagnostics); a != b {
			t.Fatalf("two loads disagree:\n%s\n---\n%s", a, b)
		}
		// Lines as an editor shows them: \n, \r\n and a lone \r each end
		// one. The same file saved with \n line ends must give the same
		// diagnostics at the same places.
		lf := bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		if !bytes.Equal(lf, data) {
			fsys[name] = &fstest.MapFile{Data: lf}
			if a, b := diagLines(k.Diagnostics), diagLines(Load(fsys, Options{AsOf: MustDate("2024-06-01")}).Diagnostics); a != b {
				t.Fatalf("the file with \\r line ends and with \\n line ends give different diagnostics:\n%s\n---\n%s", a, b)
			}
		}
		lines := bytes.Split(lf, []byte("\n"))
		for _, d := range k.Diagnostics {
			if strings.Contains(d.Message, "could not be parsed (") {
				t.Errorf("a parser panicked: %s", d)
			}
			if d.File != name && d.File != "vendors/dji.md" {
				t.Errorf("diagnostic names a file that was not loaded: %s", d)
			}
			if d.File != name {
				continue
			}
			if d.Line < 0 || d.Col < 0 || d.Line == 0 && d.Col != 0 {
				t.Errorf("position out of range: %s", d)
				continue
			}
			if d.Line == 0 {
				continue
			}
			if d.Line > len(lines) {
				t.Errorf("line %d of a file of %d lines: %s", d.Line, len(lines), d)
				continue
			}
			// A column may point just past a line's last byte (at its end).
			if d.Col < 1 || d.Col > len(lines[d.Line-1])+1 {
				t.Errorf("column %d of a line of %d bytes: %s", d.Col, len(lines[d.Line-1]), d)
			}
		}
		for _, date := range []string{"2000", "2020-02-29", "2024-06-01"} {
			r := k.Tracker(MustDate(date)).Report(nil)
			if err := r.WriteCSV(io.Discard); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func sectionIndex(dir string) uint8 {
	for i, s := range Sections {
		if s.Dir == dir {
			return uint8(i)
		}
	}
	return 0
}
