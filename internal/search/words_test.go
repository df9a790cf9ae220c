package search

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/segment"
)

// tokenizerWords is what bleve's unicode tokenizer makes of text: the
// byte offsets of its tokens (segment's segments of a type other than
// None).
func tokenizerWords(text []byte) [][2]int {
	var out [][2]int
	for _, t := range bleveunicode.NewUnicodeTokenizer().Tokenize(text) {
		out = append(out, [2]int{t.Start, t.End})
	}
	return out
}

// scannedWords is what wordScanner makes of text.
func scannedWords(text []byte) [][2]int {
	var out [][2]int
	s := newWordScanner(text)
	for s.next() {
		if string(s.word()) != string(text[s.start:s.end]) {
			panic("word() is not text[start:end]")
		}
		out = append(out, [2]int{s.start, s.end})
	}
	return out
}

func sameWords(text []byte) error {
	want, got := tokenizerWords(text), scannedWords(text)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		return fmt.Errorf("%q: bleve's tokenizer %v, scanner %v", text, want, got)
	}
	return nil
}

// probes puts a code point in the contexts where word segmentation
// depends on its class: between letters, digits, Hebrew letters,
// Katakana, underscores, before a combining mark, doubled, alone; and
// after characters that segment's scanner drops with the marks after
// them, or without them.
func probes(c rune) []string {
	s := string(c)
	return []string{"a" + s + "b", "1" + s + "2", s + s + " " + s, "א" + s + "ב", "א" + s, "カ" + s + "カ", "_" + s + "_",
		s + "\u0301x", "x" + s + "\u200dy", "a" + s + "'" + s + "b", "3" + s + "," + s + "4", "한" + s + "국", s + "a1",
		"\r" + s, "\n" + s, "\v" + s, "\f" + s, " " + s + s, "\u00a0" + s, "\u2028" + s, "🇫🇷" + s}
}

// TestWordsEveryCodePoint holds the word scanner, and with it the data the
// static index's manifest gives the browser, to bleve's unicode tokenizer,
// offsets and all, for every code point of the Basic Multilingual Plane,
// the edges of every class range and a sample beyond, in each context
// where a code point's class decides where words end. (Under -short, a
// third of the BMP.)
func TestWordsEveryCodePoint(t *testing.T) {
	test := map[rune]bool{}
	for c := rune(0); c <= 0xFFFF; c++ {
		if !testing.Short() || c%3 == 0 || c < 0x3000 {
			test[c] = true
		}
	}
	for c := rune(0x10000); c <= unicode.MaxRune; c += 97 {
		test[c] = true
	}
	for _, r := range wbRanges {
		for _, c := range []rune{r.lo - 1, r.lo, r.lo + 1, (r.lo + r.hi) / 2, r.hi - 1, r.hi, r.hi + 1} {
			test[c] = true
		}
	}
	bad, n := 0, 0
	for c := range test {
		if !utf8.ValidRune(c) {
			continue
		}
		n++
		for _, p := range probes(c) {
			if err := sameWords([]byte(p)); err != nil {
				if bad++; bad <= 20 {
					t.Errorf("U+%04X: %v", c, err)
				}
			}
		}
	}
	if bad > 20 {
		t.Errorf("… %d mismatches in all", bad)
	}
	t.Logf("%d code points, each in %d contexts", n, len(probes('a')))
}

func TestWordsExamples(t *testing.T) {
	for _, text := range []string{
		"État de l'Île", "Agency's drones", "covid-19 U.S. 3.5 1,000.25 a1.5 a1.b", "foo_bar __init__ _ x",
		"中国无人机 カタカナ ひらがな 한국어abc", "hello\u00ADworld", "a\u0301b", "x'y 'quoted' \"dq\"", "א\"ב א'",
		"🇫🇷🇩🇪 drones 👍🏽 e\u0301e", "line\r\nbreak\u2028here", "a\r\u302e 〮〮",
	} {
		if err := sameWords([]byte(text)); err != nil {
			t.Error(err)
		}
	}
	// What a reader's query meets: the words themselves.
	s := newWordScanner([]byte("L'État's drones, 1,000.25 U.S."))
	var got []string
	for s.next() {
		got = append(got, string(s.word()))
	}
	if want := []string{"L'État's", "drones", "1,000.25", "U.S"}; !slices.Equal(got, want) {
		t.Errorf("words %q, want %q", got, want)
	}
}

// shippedFiles returns the shipped knowledge base's markdown files.
func shippedFiles(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	err := filepath.WalkDir("../../content", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found %d content files; is ../../content the shipped knowledge base?", len(files))
	}
	return files
}

// TestWordsShippedContent compares the two scanners on every file of the
// shipped knowledge base, front matter and all, and on texts that are not
// UTF-8 (which go through segment's scanner).
func TestWordsShippedContent(t *testing.T) {
	for path, data := range shippedFiles(t) {
		if err := sameWords(data); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
	for _, text := range []string{"caf\xe9 drone", "\xff\xfe a'b", "ok \xc3"} {
		if err := sameWords([]byte(text)); err != nil {
			t.Error(err)
		}
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "The NYPD's drones, 1,000.5 of them", "L'État d'urgence", "a\u0301b ̈x", "🇫🇷🇩🇪🇫 x", "無人機 カタカナ ひらがな 한국어",
		"א\"ב א'ג", "foo_bar __init__", "x\r\ny\u2028z", "a\r\u302e 〮〮", "3.a.4", "a'\u0301\u0301b", "\u200d\u200da"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if err := sameWords([]byte(text)); err != nil {
			t.Error(err)
		}
	})
}

// BenchmarkWords scans the shipped content's files with each scanner.
func BenchmarkWords(b *testing.B) {
	var texts [][]byte
	size := 0
	for _, data := range shippedFiles(b) {
		texts = append(texts, data)
		size += len(data)
	}
	b.Run("scanner=dronekb", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, text := range texts {
				s := newWordScanner(text)
				for s.next() {
				}
			}
		}
	})
	b.Run("scanner=segment", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, text := range texts {
				seg := segment.NewWordSegmenterDirect(text)
				for seg.Segment() {
					_ = seg.Type()
				}
			}
		}
	})
}
