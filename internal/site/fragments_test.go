package site

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestEscapesAsTemplates checks that the fragments rendered in Go escape
// text and links exactly as html/template escapes them in the layouts they
// replace, for hostile and malformed input alike.
func TestEscapesAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<a href="{{.}}" title="{{.}}">{{.}}</a>`))
	inputs := []string{
		"", "plain", "Tom & Jerry's <b>\"drones\"</b>", "C++ 1+1", "nul\x00byte", "bad \xff\xfe utf-8", "\uFDD0 \uFFFE",
		"https://example.org/a b?q=1&r=2#frag", "https://example.org/%41%zz%4", "100%", "%", "%4", "%41",
		"javascript:alert(1)", "JavaScript:x", "mailto:a@b.c", "HTTPS://X.Y/", "data:text/html,x", "/a:b", "a/b:c", "vbscript:x",
		"https://example.org/ünïcödé/路径", "https://e.org/'()\"<>`{}|\\^ \t\n", "http://e.org/!$&*+,;=@[]-._~",
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "aZ09:/?#%&+<>\"' \x00\xffü!$*,;=@[]-._~()`{}|\\^hHtTpPsS"
	for range 2000 {
		n := r.IntN(16)
		var b strings.Builder
		for range n {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		inputs = append(inputs, b.String(), "https://"+b.String())
	}
	for _, in := range inputs {
		var want strings.Builder
		if err := tmpl.Execute(&want, in); err != nil {
			t.Fatal(err)
		}
		got := `<a href="` + escURL(in) + `" title="` + escText(in) + `">` + escText(in) + `</a>`
		if got != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", in, got, want.String())
		}
	}
}

// TestAgeText checks the tracker's words for how old the evidence is, in
// the singular and the plural.
func TestAgeText(t *testing.T) {
	for months, want := range map[int]string{
		-1: "no evidence", 0: "seen this month", 1: "seen 1 month ago", 2: "seen 2 months ago", 23: "seen 23 months ago",
		24: "seen 2 years ago", 25: "seen 2 years 1 month ago", 26: "seen 2 years 2 months ago", 61: "seen 5 years 1 month ago",
		120: "seen 10 years ago", 131: "seen 10 years 11 months ago",
	} {
		if got := ageText("seen", months); got != want {
			t.Errorf("ageText(%q, %d) = %q, want %q", "seen", months, got, want)
		}
	}
	if got, want := ageText("reported", 25), "reported 2 years 1 month ago"; got != want {
		t.Errorf("ageText(%q, 25) = %q, want %q", "reported", got, want)
	}
}
