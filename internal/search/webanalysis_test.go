package search

import (
	"encoding/json"
	"slices"
	"testing"
	"unicode"
)

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
