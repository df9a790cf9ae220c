package search

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/segment"
)

// segmentWords is what segment's own scanner makes of text: the byte
// offsets of each segment of a type other than None, which bleve's unicode
// tokenizer keeps as tokens.
func segmentWords(text []byte) [][2]int {
	var out [][2]int
	seg := segment.NewWordSegmenterDirect(text)
	at := 0
	for seg.Segment() {
		n := len(seg.Bytes())
		if seg.Type() != segment.None {
			out = append(out, [2]int{at, at + n})
		}
		at += n
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
	want, got := segmentWords(text), scannedWords(text)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		return fmt.Errorf("%q: segment %v, scanner %v", text, want, got)
	}
	return nil
}

// TestWordsEveryCodePoint holds the index's word scanner to segment's,
// offsets and all, for every code point of the Basic Multilingual Plane,
// the edges of every class range and a sample beyond, in each context
// where a code point's class decides where words end. (Under -short, a
// third of the BMP.)
func TestWordsEveryCodePoint(t *testing.T) {
	bad, n := 0, 0
	check := func(c rune) {
		if !utf8.ValidRune(c) {
			return
		}
		n++
		s := string(c)
		// After characters that segment's scanner drops with the marks
		// after them, or without them.
		after := []string{"\r" + s, "\n" + s, "\v" + s, "\f" + s, " " + s + s, "\u00a0" + s, "\u2028" + s, "🇫🇷" + s}
		for _, p := range append(probes(c), after...) {
			if err := sameWords([]byte(p)); err != nil {
				if bad++; bad <= 20 {
					t.Errorf("U+%04X: %v", c, err)
				}
			}
		}
	}
	for c := rune(0); c <= 0xFFFF; c++ {
		if !testing.Short() || c%3 == 0 || c < 0x3000 {
			check(c)
		}
	}
	for c := rune(0x10000); c <= unicode.MaxRune; c += 97 {
		check(c)
	}
	for _, r := range wbRanges {
		for _, c := range []rune{r.lo - 1, r.lo, r.lo + 1, r.hi, r.hi + 1} {
			check(c)
		}
	}
	if bad > 20 {
		t.Errorf("… %d mismatches in all", bad)
	}
	t.Logf("%d code points, each in %d contexts", n, len(probes('a'))+8)
}

// TestWordsShippedContent compares the two scanners on every file of the
// shipped knowledge base, front matter and all, and on texts that are not
// UTF-8 (which go through segment's scanner).
func TestWordsShippedContent(t *testing.T) {
	files := 0
	err := filepath.WalkDir("../../content", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		if err := sameWords(data); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("found %d content files; is ../../content the shipped knowledge base?", files)
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
	_ = filepath.WalkDir("../../content", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			data, _ := os.ReadFile(path)
			texts = append(texts, data)
			size += len(data)
		}
		return nil
	})
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
