package markdown

import (
	"strings"
	"testing"
)

// TestMeasure: the shape is the one the parser builds, not one guessed
// from the lines.
func TestMeasure(t *testing.T) {
	cases := []struct {
		name, src string
		want      Shape
	}{
		{"one paragraph", "one\ntwo\n", Shape{Largest: 7, LargestKind: "paragraph", Exact: true}},
		{"two paragraphs", "one\n\ntwo three\n", Shape{Largest: 9, LargestAt: 5, LargestKind: "paragraph", Exact: true}},
		// Lines that start with | are one paragraph when no delimiter row follows.
		{"pipes without a table", "|a\n|b\n|c\n", Shape{Largest: 8, LargestKind: "paragraph", Exact: true}},
		// A table: each cell on its own; a short row is padded to the header's columns.
		{"table", "| a | b | c |\n|---|---|---|\n| xx |\n", Shape{Largest: 2, LargestAt: 30, LargestKind: "table cell", Exact: true, Cells: 6, CellsAt: 2}},
		{"text before a table", "intro text\n| a |\n|---|\n| x |\n", Shape{Largest: 10, LargestKind: "paragraph", Exact: true, Cells: 2, CellsAt: 13}},
		{"setext heading", "a\nb\n===\n", Shape{Largest: 3, LargestKind: "heading", Exact: true}},
		{"tight list", "- one\n- two three\n", Shape{Largest: 9, LargestAt: 8, LargestKind: "paragraph", Exact: true, Depth: 1, DepthAt: 2}},
		{"quotes and lists", "> - > - a\n", Shape{Largest: 1, LargestAt: 8, LargestKind: "paragraph", Exact: true, Depth: 4, DepthAt: 8}},
		{"a thematic break is no list", strings.Repeat("- ", 200) + "\n", Shape{Exact: true}},
		{"nesting beyond the bound is not parsed", strings.Repeat("- ", 100) + "a\n", Shape{Depth: 100}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Measure([]byte(c.src), 16, 100); got != c.want {
				t.Errorf("Measure(%q)\n got %+v\nwant %+v", c.src, got, c.want)
			}
		})
	}
	// Tables past the budget are not built, and count by their columns
	// times their rows.
	wide := strings.Repeat("|a", 1000) + "|\n" + strings.Repeat("|-", 1000) + "|\n" + strings.Repeat("|\n", 1000)
	if got := Measure([]byte(wide), 16, 100); got.Cells != 1001*1000 || got.CellsAt != 0 {
		t.Errorf("a padded table of 1000 columns and 1001 rows: %+v", got)
	}
}
