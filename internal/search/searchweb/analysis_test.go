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
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"

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
	"SYZYGY", "fly", "flies", "flying", "Fly's", "FLY", "flew", "spy", "spies", "spying", "dry", "sky", "day", "buy", "by", "my", "ñy", "añy",
	"жжy", "éy", "xéy", "protests", "protest", "protesting", "grounded", "grounding", "drones", "droning", "police", "policing",
	"surveillance", "surveilled", "agencies", "agency", "procurement", "restricted", "restrictions",
	// French: elisions, accents, stop words, the light stemmer's suffixes.
	"d'État", "L'Intérieur", "l’Intérieur", "qu'il", "jusqu'à", "aujourd'hui", "s'est", "c'est", "n'a", "Conseil d'État",
	"Ministère", "ministere", "MINISTÈRE", "sécurité", "securite", "préfecture", "Préfecture", "intérieure", "libertés",
	"œuvre", "Œuvre", "cœur", "ÆGIS", "straße", "ﬁnance", "naïveté", "Noël", "garçon", "déjà", "là", "été", "même", "à",
	"de", "la", "le", "les", "des", "du", "un", "une", "et", "est", "sur", "ai", "eu", "au", "aux", "ce", "ces",
	"nationaux", "nationale", "nationales", "chevaux", "travaux", "animaux", "heureux", "heureuse", "vendeuse", "vendeur",
	"agrandissement", "agrandissant", "rapidement", "activement", "vérificatrice", "vérificateur", "communicatrice",
	"communicateur", "créatrice", "créateur", "actrice", "acteur", "sixième", "chanteuse", "chanteur", "fière", "sportive",
	"folle", "molle", "traditionnelle", "traditionnel", "complète", "électronique", "politesse", "jardinage",
	"organisation", "individualisation", "organisateur", "information", "position", "partie", "drones", "drône",
	"aéronefs", "traitements", "captation", "dispositifs", "manifestations", "gendarmerie", "arrêté", "décret", "loi",
	"Élysée", "ÉTAT", "Île-de-France", "rappel à l'ordre", "Ligue des droits de l'Homme", "Quadrature du Net",
	"xxxxxx", "aaaaaa", "éééééé", "ééxéé", "ssssss", "erreur", "errer", "aller", "leurre", "terre",
}

// TestAnalysisMatchesBleve runs search.js's analysis (with the manifest the
// build wrote), English and French, over every distinct word of the
// shipped content and of a generated knowledge base, every character that
// folds, the edges of the letter table and tricky inputs, in Chromium, and
// compares it term by term with search.AnalyzeIn, the analysis bleve
// indexes with.
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
	// Every character that folds, in a word; and doubled, on both sides
	// of every edge of the letter table, where the French stemmer asks
	// whether a character is a letter.
	for _, r := range search.Folded() {
		set["x"+string(r)+"es"] = true
		set[string(r)+string(r)+"ment"] = true
	}
	for _, r := range search.LetterEdges() {
		if utf8.ValidRune(r) {
			set["ab"+string(r)+string(r)+"cd"] = true
			set["abcd"+string(r)+string(r)] = true
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
	bad := 0
	for _, lang := range []string{search.LangEnglish, search.LangFrench} {
		var got [][]string
		eval(t, p, "dronekbSearch.analyze("+string(in)+", "+jsString(lang)+")", &got)
		if len(got) != len(inputs) {
			t.Fatalf("got %d results for %d inputs", len(got), len(inputs))
		}
		for i, text := range inputs {
			want := search.AnalyzeIn(lang, text)
			if len(want) == 0 {
				want = nil
			}
			g := got[i]
			if len(g) == 0 {
				g = nil
			}
			if !slices.Equal(want, g) {
				if bad++; bad <= 25 {
					t.Errorf("%s: %q: bleve %q, search.js %q", lang, text, want, g)
				}
			}
		}
	}
	t.Logf("compared the analysis of %d inputs (%d distinct words and texts), in English and in French", len(inputs), len(set))
	if bad > 25 {
		t.Errorf("… %d differences in all", bad)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}

// TestFrenchStemmerMatchesBleve holds search.js's port of the French light
// stemmer to bleve's, word for word, on every suffix it knows at every
// length around its thresholds, with accents and doubled letters, and on
// every word of the shipped content.
func TestFrenchStemmerMatchesBleve(t *testing.T) {
	sharedBrowser(t)
	suffixes := []string{"", "x", "aux", "eaux", "s", "issement", "issant", "ement", "ivement", "ficatrice", "ficateur",
		"catrice", "cateur", "atrice", "ateur", "trice", "ième", "teuse", "teur", "euse", "ère", "ive", "folle", "molle",
		"nnelle", "nnel", "ète", "ique", "esse", "inage", "isation", "ualisation", "isateur", "ation", "ition", "ie", "r",
		"e", "ee", "er", "ée", "àé", "ôù", "ç", "î", "tt", "éé", "ss", "x1", "ωω"}
	set := map[string]bool{}
	for _, suf := range suffixes {
		for k := 0; k <= 9; k++ {
			for _, stem := range []string{"abcdefghi", "aabbccdd", "ééèèàà", "ualual"} {
				if k <= len([]rune(stem)) {
					set[string([]rune(stem)[:k])+suf] = true
				}
			}
		}
	}
	words(t, sitetest.ShippedContent(t), set)
	for _, w := range tricky {
		set[w] = true
	}
	var in []string
	for w := range set {
		in = append(in, strings.ToLower(w))
	}
	sort.Strings(in)
	b := buildArchive(t, tinyKB, "")
	p := openSearch(t, b.staticHost(t)+"/search/")
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	eval(t, p, "dronekbSearch.frenchStem("+string(data)+")", &got)
	if len(got) != len(in) {
		t.Fatalf("%d results for %d words", len(got), len(in))
	}
	stemmer := fr.NewFrenchLightStemmerFilter()
	bad := 0
	for i, w := range in {
		ts := stemmer.Filter(analysis.TokenStream{&analysis.Token{Term: []byte(w)}})
		if want := string(ts[0].Term); got[i] != want {
			if bad++; bad <= 25 {
				t.Errorf("%q: bleve %q, search.js %q", w, want, got[i])
			}
		}
	}
	t.Logf("compared the French stems of %d words", len(in))
}
