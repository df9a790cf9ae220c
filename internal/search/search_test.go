package search

import "testing"

// TestWordStart: a snippet starts at a word, never in the middle of one.
func TestWordStart(t *testing.T) {
	field := "The police drones flew over the march on Saturday while officers watched."
	cases := []struct{ frag, want string }{
		{"The police <mark>drones</mark> flew", "The police <mark>drones</mark> flew"}, // the field's start
		{"lice <mark>drones</mark> flew over", "…<mark>drones</mark> flew over"},       // mid-word: dropped
		{"…ew over the <mark>march</mark>", "…over the <mark>march</mark>"},            // after the separator too
		{"<mark>drones</mark> flew over", "<mark>drones</mark> flew over"},             // starts with the match
		{"ones<mark>x</mark> flew", "ones<mark>x</mark> flew"},                         // a mark before the first space
		{" over the <mark>march</mark>", " over the <mark>march</mark>"},               // already at a space
	}
	for _, c := range cases {
		if got := wordStart(c.frag, field); got != c.want {
			t.Errorf("wordStart(%q) = %q, want %q", c.frag, got, c.want)
		}
	}
}
