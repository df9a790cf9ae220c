package kb_test

import (
	"testing"
	"testing/fstest"

	"github.com/dronekb/dronekb/internal/kb"
)

// TestLanguage: an entry's lang field, else French for francophone
// countries and regions, else English.
func TestLanguage(t *testing.T) {
	src := func(front string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: X\n" + front + "sources: [https://example.org/a]\n---\nText.\n")}
	}
	fsys := fstest.MapFS{
		"agencies/paris.md":    src("country: FR\n"),
		"agencies/brussels.md": src("country: BE\n"),
		"agencies/montreal.md": src("country: CA\nregion: CA-QC\n"),
		"agencies/toronto.md":  src("country: CA\nregion: CA-ON\n"),
		"agencies/nypd.md":     src("country: US\n"),
		"agencies/english.md":  src("country: FR\nlang: en\n"),
		"agencies/french.md":   src("country: US\nlang: fr\n"),
	}
	k := kb.Load(fsys, kb.Options{AsOf: kb.MustDate("2025-01-01")})
	if err := k.Err(); err != nil {
		t.Fatalf("%v: %v", err, k.Diagnostics)
	}
	want := map[string]string{
		"agencies/paris": "fr", "agencies/brussels": "fr", "agencies/montreal": "fr", "agencies/toronto": "en",
		"agencies/nypd": "en", "agencies/english": "en", "agencies/french": "fr",
	}
	for _, e := range k.Entries {
		if got := e.Language(); got != want[e.ID] {
			t.Errorf("%s: language %q, want %q", e.ID, got, want[e.ID])
		}
	}
}

// TestCountryInSentence: a reason names the countries a law restricts as
// a sentence does; "based in Russian Federation" read as a slip.
func TestCountryInSentence(t *testing.T) {
	for name, want := range map[string]string{
		"China":                                 "China",
		"Russian Federation":                    "the Russian Federation",
		"United States":                         "the United States",
		"United Kingdom":                        "the United Kingdom",
		"Netherlands":                           "the Netherlands",
		"Solomon Islands":                       "the Solomon Islands",
		"Congo, The Democratic Republic of the": "the Democratic Republic of the Congo",
		"Micronesia, Federated States of":       "the Federated States of Micronesia",
		"Virgin Islands, British":               "the British Virgin Islands",
		"Iran":                                  "Iran",
		"France":                                "France",
	} {
		if got := kb.CountryInSentence(name); got != want {
			t.Errorf("CountryInSentence(%q) = %q, want %q", name, got, want)
		}
	}
}
