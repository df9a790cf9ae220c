package searchweb_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// words returns every distinct whitespace-separated word of the files
// under dir.
func words(t *testing.T, dir string, into map[string]bool) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, w := range strings.Fields(string(data)) {
			into[w] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tricky are inputs where the analysis has corners: apostrophes,
// possessives, hyphens, digits, accents, scripts without spaces, case
// mappings that change length, and Porter's special cases.
var tricky = []string{
	"État", "l'Île-de-France", "Agency's", "AGENCY'S", "agencies'", "DJI’s", "it's", "don't", "won’t", "o'clock", "rock'n'roll",
	"covid-19", "U.S.", "U.S", "e.g.", "3.5", "1,000.25", "a1.5", "a1.b", "10th", "2nd", "FY2020", "H.R.4", "sec. 848", "$1.5m", "€30",
	"foo_bar", "__init__", "_", "x-ray", "e-mail", "re-entry", "state-of-the-art", "naïve", "café", "résumé", "Ærøskøbing", "straße",
	"ﬁnance", "ǅemal", "İstanbul", "İİ", "KELVIN K", "Å", "Ω", "ẞ", "Σ", "ΣΑΣ", "ὈΔΥΣΣΕΎΣ", "Ⱥⱥ", "ȺB", "aȺ", "AȺB", "İȺ",
	"中国无人机", "カタカナ", "ひらがな", "한국어abc", "〮〮 〮", "עברית", "א\"ב", "א'", "Москва", "ΑΘΗΝΑ", "ไทย", "🇫🇷🇩🇪", "👍🏽", "e\u0301",
	"soft\u00adhyphen", "zero\u200bwidth", "tab\there", "line\nbreak", "crlf\r\nx", "nbsp\u00a0x",
	"caresses", "ponies", "ties", "caress", "cats", "feed", "agreed", "plastered", "bled", "motoring", "sing", "conflated", "troubled",
	"sized", "hopping", "tanned", "falling", "hissing", "fizzed", "failing", "filing", "happy", "sky", "relational", "conditional",
	"rational", "valenci", "hesitanci", "digitizer", "conformabli", "radicalli", "differentli", "vileli", "analogousli",
	"vietnamization", "predication", "operator", "feudalism", "decisiveness", "hopefulness", "callousness", "formaliti",
	"sensitiviti", "sensibiliti", "triplicate", "formative", "formalize", "electriciti", "electrical", "hopeful", "goodness",
	"revival", "allowance", "inference", "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement",
	"adjustment", "dependent", "adoption", "homologou", "communism", "activate", "angulariti", "homologous", "effective",
	"bowdlerize", "probate", "rate", "cease", "controll", "roll", "generalizations", "oscillators", "yyy", "y", "ys", "yes", "Y",
	"SYZYGY", "protests", "protest", "protesting", "grounded", "grounding", "drones", "droning", "police", "policing",
	"surveillance", "surveilled", "agencies", "agency", "procurement", "restricted", "restrictions",
}

// TestAnalysisMatchesBleve runs search.js's analysis (with the manifest the
// build wrote) over every distinct word of the shipped content and of a
// generated knowledge base, and over tricky inputs, in Chromium, and
// compares it term by term with search.Analyze, the analysis bleve indexes
// with.
func TestAnalysisMatchesBleve(t *testing.T) {
	sharedBrowser(t)
	set := map[string]bool{}
	words(t, sitetest.ShippedContent(t), set)
	gen := filepath.Join(t.TempDir(), "gen")
	if err := sitetest.Generate(gen, 400); err != nil {
		t.Fatal(err)
	}
	words(t, gen, set)
	for _, w := range tricky {
		set[w] = true
	}
	// Every letter and mark of Latin, Greek and Cyrillic, upper and lower
	// case, on its own and in a word.
	for r := rune(0xC0); r < 0x530; r++ {
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			set[string(r)] = true
			set["x"+string(r)+"s"] = true
			set[string(r)+"ING"] = true
		}
	}
	inputs := make([]string, 0, len(set)+1)
	for w := range set {
		inputs = append(inputs, w)
	}
	sort.Strings(inputs)
	// And whole texts: every shipped file.
	_ = filepath.WalkDir(sitetest.ShippedContent(t), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			data, _ := os.ReadFile(p)
			inputs = append(inputs, string(data))
		}
		return nil
	})

	b := buildArchive(t, tinyKB, "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	in, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	eval(t, p, "dronekbSearch.analyze("+string(in)+")", &got)
	if len(got) != len(inputs) {
		t.Fatalf("got %d results for %d inputs", len(got), len(inputs))
	}
	bad := 0
	for i, text := range inputs {
		want := search.Analyze(text)
		if len(want) == 0 {
			want = nil
		}
		g := got[i]
		if len(g) == 0 {
			g = nil
		}
		if !slices.Equal(want, g) {
			if bad++; bad <= 25 {
				t.Errorf("%q: bleve %q, search.js %q", text, want, g)
			}
		}
	}
	t.Logf("compared the analysis of %d inputs (%d distinct words and texts)", len(inputs), len(set))
	if bad > 25 {
		t.Errorf("… %d differences in all", bad)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
