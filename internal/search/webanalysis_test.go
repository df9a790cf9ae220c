package search

import (
	"encoding/json"
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"

	bleveunicode "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// bleveTokens is what bleve's unicode tokenizer keeps of text.
func bleveTokens(text string) []string {
	var out []string
	for _, t := range bleveunicode.NewUnicodeTokenizer().Tokenize([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// probes puts a code point in the contexts where word segmentation
// depends on its class: between letters, digits, Hebrew letters,
// Katakana, underscores, before a combining mark, doubled, alone.
func probes(c rune) []string {
	s := string(c)
	return []string{"a" + s + "b", "1" + s + "2", s + s + " " + s, "א" + s + "ב", "א" + s, "カ" + s + "カ", "_" + s + "_",
		s + "\u0301x", "x" + s + "\u200dy", "a" + s + "'" + s + "b", "3" + s + "," + s + "4", "한" + s + "국", s + "a1"}
}

// TestWebTokenizerEveryCodePoint holds the tokenizer the browser runs (the
// class table and DFA written into the manifest, run by webTokenize exactly
// as search.js runs them) to bleve's unicode tokenizer, for every code
// point of the Basic Multilingual Plane and for the edges of every class
// range and a sample of the rest beyond it, in every context where its
// class matters. (Under -short, a third of the BMP.)
func TestWebTokenizerEveryCodePoint(t *testing.T) {
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
			want, got := bleveTokens(p), webTokenize(p)
			if !slices.Equal(want, got) {
				if bad++; bad <= 20 {
					t.Errorf("U+%04X in %q: bleve %q, web %q", c, p, want, got)
				}
			}
		}
	}
	if bad > 20 {
		t.Errorf("… %d mismatches in all", bad)
	}
	t.Logf("%d code points, each in %d contexts", n, len(probes('a')))
}

func TestWebTokenizerExamples(t *testing.T) {
	for _, text := range []string{
		"État de l'Île", "Agency's drones", "covid-19 U.S. 3.5 1,000.25 a1.5 a1.b", "foo_bar __init__ _ x",
		"中国无人机 カタカナ ひらがな 한국어abc", "hello\u00ADworld", "a\u0301b", "x'y 'quoted' \"dq\"", "א\"ב א'",
		"🇫🇷🇩🇪 drones 👍🏽 e\u0301e", "line\r\nbreak\u2028here",
	} {
		want, got := bleveTokens(text), webTokenize(text)
		if !slices.Equal(want, got) {
			t.Errorf("%q: bleve %q, web %q", text, want, got)
		}
	}
}

func TestWebAnalysisData(t *testing.T) {
	d := analysisData()
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("analysis data: %d bytes JSON; %d class ranges, %d symbols, %d DFA states, %d lower runs, %d stop words",
		len(data), len(d.Classes)/3, d.Symbols, len(d.Next)/d.Symbols, len(d.Lower)/4, len(d.Stop))
	// Lower decodes back to unicode.ToLower.
	lower := map[rune]rune{}
	start := 0
	for i := 0; i < len(d.Lower); i += 4 {
		start += d.Lower[i]
		for k := 0; k < d.Lower[i+1]; k++ {
			r := start + k*d.Lower[i+2]
			lower[rune(r)] = rune(r + d.Lower[i+3])
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.ToLower(r)
		got, ok := lower[r]
		if !ok {
			got = r
		}
		if got != want {
			t.Fatalf("lower(U+%04X) = U+%04X, want U+%04X", r, got, want)
		}
	}
	if !slices.Contains(d.Stop, "the") || !slices.Contains(d.Stop, "won't") {
		t.Errorf("stop words %v lack the or won't", d.Stop[:10])
	}
}
