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

// FuzzMeasure checks Measure against the body parser, and Within against
// Measure: where Measure parsed
// the body, the parser builds blocks of the same sizes, the same nesting
// and the same table cells; where it did not, the parser nests no deeper
// than Measure's bound.
func FuzzMeasure(f *testing.F) {
	for _, s := range []string{
		"one\ntwo\n", "|a\n|b\n", "| a | b |\n|---|---|\n| x |\n", "> - > - a\n", "- a\n  - b\n    - c\n",
		"a\n===\n", "[x]: /u\n| a |\n|---|\n", "1. > 2) - a\n", "\t- a\n\t\t- b\n", "- - -\n", "> a\nb\n> > c\n",
		"* a\n\n      b\n", "|-|\n|-|\n|\n", "a | b\n- | -\n",
	} {
		f.Add([]byte(s))
	}
	m := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		const maxDepth, maxCells = 4, 64
		sh := Measure(src, maxDepth, maxCells)
		const maxBlock = 512
		if Within(src, maxBlock, maxDepth, maxCells) && (!sh.Exact || sh.Depth > maxDepth || sh.Largest > maxBlock || sh.Cells > maxCells) {
			t.Fatalf("Within says the body is within bounds; Measure says %+v", sh)
		}
		full, _ := measureTree(m.Parse(src).root, maxCells)
		if !sh.Exact {
			if full.Depth > sh.Depth {
				t.Fatalf("Measure bounds the nesting at %d; the parser nests %d deep", sh.Depth, full.Depth)
			}
			return
		}
		if bound, _ := nestingBound(src, 1<<30); bound < full.Depth {
			t.Fatalf("nestingBound is %d; the parser nests %d deep", bound, full.Depth)
		}
		if sh.Depth != full.Depth || sh.Largest != full.Largest {
			t.Fatalf("Measure: depth %d, largest block %d; the parser: depth %d, largest block %d", sh.Depth, sh.Largest, full.Depth, full.Largest)
		}
		if sh.Cells <= maxCells && sh.Cells != full.Cells {
			t.Fatalf("Measure counts %d table cells; the parser makes %d", sh.Cells, full.Cells)
		}
		if sh.Cells > maxCells && full.Cells > sh.Cells {
			t.Fatalf("Measure bounds the table cells at %d; the parser makes %d", sh.Cells, full.Cells)
		}
	})
}
