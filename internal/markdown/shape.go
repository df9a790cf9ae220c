package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Shape is the block structure of a body as the parser sees it, measured
// without parsing any inline text. It is what bounds the parser's work:
// the inline parser's time can grow with the square of the text it parses
// as one unit (a paragraph, a heading, a table cell), the block parser's
// with how deep block quotes and lists nest, and a table costs a cell for
// every column of every row, however short the row (the parser pads it).
type Shape struct {
	// Largest is the length in bytes of the longest text parsed inline as
	// one unit, LargestKind what it is ("paragraph", "heading" or "table
	// cell") and LargestAt where it starts.
	Largest, LargestAt int
	LargestKind        string
	// Depth is how deep block quotes and lists nest at the deepest, and
	// DepthAt a place there. When Exact is false the body was not parsed:
	// a line's markers could open more than four times maxDepth of them,
	// and Depth is that bound.
	Depth, DepthAt int
	Exact          bool
	// Cells is how many table cells the body has, padding included, and
	// CellsAt where the table that takes the count past maxCells starts
	// (the start of the first table otherwise). Tables beyond maxCells are
	// not built, and count by their bound.
	Cells, CellsAt int
}

// blockParser finds the blocks of a body as the body parser does (same
// block parsers, same paragraph transformers, GitHub's tables) but parses
// no inline text.
var blockParser = parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithParagraphTransformers(append(parser.DefaultParagraphTransformers(),
		util.Prioritized(tableGuard{}, 150), // after link reference definitions, before tables
		util.Prioritized(extension.NewTableParagraphTransformer(), 200))...),
)

// Measure returns the shape of a body. It is cheap on any input: linear in
// the body's length once lines are bounded, because it refuses to go on
// where the block parser or the table extension would not be. See Shape.
func Measure(src []byte, maxDepth, maxCells int) Shape {
	if bound, at := nestingBound(src, 4*maxDepth); bound > 4*maxDepth {
		return Shape{Depth: bound, DepthAt: at}
	}
	ctx := parser.NewContext()
	budget := &cellBudget{max: maxCells, at: -1}
	ctx.Set(cellBudgetKey, budget)
	root := blockParser.Parse(text.NewReader(src), parser.WithContext(ctx))
	sh, firstTable := measureTree(root, maxCells)
	if budget.at >= 0 {
		// Tables were left unbuilt: they count by their bound.
		sh.Cells = max(sh.Cells+budget.skipped, maxCells+1)
		if sh.CellsAt < 0 {
			sh.CellsAt = budget.at
		}
	}
	if sh.CellsAt < 0 {
		sh.CellsAt = max(firstTable, 0)
	}
	return sh
}

// Within reports, without parsing src, whether its shape is certain to be
// within bounds: no text parsed as one unit longer than maxBlock bytes,
// block quotes and lists nested at most maxDepth deep, and at most
// maxCells table cells. It is true for ordinary bodies, which then need no
// Measure. A table has at most a row a line, and every row is padded to
// the header's columns, at most one more than the header line's pipes.
func Within(src []byte, maxBlock, maxDepth, maxCells int) bool {
	if len(src) > maxBlock {
		return false
	}
	if bound, _ := nestingBound(src, maxDepth); bound > maxDepth {
		return false
	}
	lines := bytes.Count(src, []byte{'\n'}) + 1
	pipes := 0
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src) - off
		}
		pipes = max(pipes, bytes.Count(src[off:off+end], []byte{'|'}))
		off += end + 1
	}
	return lines*(pipes+1) <= maxCells
}

// measureTree measures a parsed body; CellsAt is -1 where the cells stay
// within maxCells, firstTable the start of the first table (or -1).
func measureTree(root ast.Node, maxCells int) (sh Shape, firstTable int) {
	sh = Shape{Exact: true, CellsAt: -1}
	firstTable = -1
	depth := 0
	pendingDepth := false
	last := 0
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		container := n.Kind() == ast.KindBlockquote || n.Kind() == ast.KindList
		if !entering {
			if container {
				depth--
			}
			return ast.WalkContinue, nil
		}
		if container {
			depth++
			if depth > sh.Depth {
				sh.Depth, sh.DepthAt, pendingDepth = depth, last, true
			}
		}
		if n.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		lines := n.Lines()
		if lines.Len() > 0 {
			last = lines.At(0).Start
			if pendingDepth {
				sh.DepthAt, pendingDepth = last, false
			}
		}
		if n.Kind() == extast.KindTableCell {
			sh.Cells++
			if firstTable < 0 {
				firstTable = last
			}
			if sh.Cells > maxCells && sh.CellsAt < 0 {
				sh.CellsAt = tableStart(n, last)
			}
		}
		var kind string
		switch n.Kind() {
		case ast.KindParagraph, ast.KindTextBlock:
			kind = "paragraph"
		case ast.KindHeading:
			kind = "heading"
		case extast.KindTableCell:
			kind = "table cell"
		default:
			return ast.WalkContinue, nil
		}
		size := 0
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			size += seg.Stop - seg.Start
		}
		if size > sh.Largest && lines.Len() > 0 {
			sh.Largest, sh.LargestAt, sh.LargestKind = size, lines.At(0).Start, kind
		}
		return ast.WalkContinue, nil
	})
	return sh, firstTable
}

// tableStart returns where the table holding a cell starts (or def).
func tableStart(cell ast.Node, def int) int {
	for n := cell; n != nil; n = n.Parent() {
		if n.Kind() == extast.KindTable {
			for c := n.FirstChild(); c != nil; c = c.FirstChild() {
				if c.Kind() == extast.KindTableCell && c.Lines().Len() > 0 {
					return c.Lines().At(0).Start
				}
			}
		}
	}
	return def
}

// cellBudget counts the table cells a body could have, paragraph by
// paragraph, so that the table extension, which makes a cell for every
// column of every row, is never asked for more than max in all.
type cellBudget struct {
	max, cells, skipped int
	at                  int // the first paragraph left unbuilt (-1: none)
}

var cellBudgetKey = parser.NewContextKey()

// tableGuard runs before the table extension on every paragraph. It bounds
// the cells the extension could make of it (the columns of any line below
// the first that looks like a delimiter row, times the lines from the one
// above it to the end but for itself: the exact count where the extension
// makes a table) and, once the body's total would pass the budget, leaves
// the extension nothing to build.
type tableGuard struct{}

func (tableGuard) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	b, _ := pc.Get(cellBudgetKey).(*cellBudget)
	if b == nil {
		return
	}
	lines := node.Lines()
	src := reader.Source()
	bound := 0
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		if !mayBeDelimiterRow(line) {
			continue
		}
		bound = max(bound, delimiterColumns(line)*(lines.Len()-i))
	}
	if bound == 0 {
		return
	}
	if b.cells+bound > b.max {
		if b.at < 0 {
			b.at = lines.At(0).Start
		}
		b.skipped += bound
		lines.SetSliced(0, 1) // no table can be made of one line
		return
	}
	b.cells += bound
}

// delimiterColumns counts the columns of a delimiter row as the table
// extension does: the fields between |, less a blank first and last.
func delimiterColumns(line []byte) int {
	cols := bytes.Split(line, []byte{'|'})
	if len(cols) > 0 && util.IsBlank(cols[0]) {
		cols = cols[1:]
	}
	if len(cols) > 0 && util.IsBlank(cols[len(cols)-1]) {
		cols = cols[:len(cols)-1]
	}
	return len(cols)
}

// mayBeDelimiterRow reports whether a line could be a table's delimiter
// row ("|---|:--:|"): it has a - and nothing but -, :, | and spaces. Every
// line the table extension takes for one passes.
func mayBeDelimiterRow(line []byte) bool {
	dash := false
	for _, c := range line {
		switch c {
		case '-':
			dash = true
		case ':', '|', ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			return false
		}
	}
	return dash
}

// nestingBound returns an upper bound of how deep block quotes and lists
// nest in src, without parsing it, and the start of the line where the
// bound first passes limit (or of the deepest line). A line can continue
// at most the containers open before it, and only through its '>' markers
// and indentation (a nested list item is indented by at least two columns
// a level); it can open at most one container a marker ('>', '-', '*',
// '+', "1." or "1)"). It reads every line, also past the one that passes
// limit: the bound is of the whole body, which a later line can nest
// deeper still (FuzzMeasure found 16 quotes and a list item, then 17 and
// one, reported as 17 deep where the parser nests 18).
func nestingBound(src []byte, limit int) (bound, at int) {
	open, passed := 0, false
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src) - off
		}
		markers, columns := containerPrefix(src[off : off+end])
		if markers > 0 {
			d := markers + min(open, markers+columns/2)
			if d > open {
				open = d
				if !passed {
					at = off
				}
			}
			passed = passed || open > limit
		}
		off += end + 1
	}
	return open, at
}

// containerPrefix counts the block quote and list markers that start line,
// and the columns of white space between and before them (a tab counts
// four). It stops at a thematic break ("- - -"), which opens nothing.
func containerPrefix(line []byte) (markers, columns int) {
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ':
			columns++
			i++
		case c == '\t':
			columns += 4
			i++
		case c == '>':
			markers++
			i++
		case c == '-' || c == '*' || c == '+':
			if isThematicBreak(line[i:]) || !endsMarker(line, i+1) {
				return markers, columns
			}
			markers++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j-i > 9 || j >= len(line) || line[j] != '.' && line[j] != ')' || !endsMarker(line, j+1) {
				return markers, columns
			}
			markers++
			i = j + 1
		default:
			return markers, columns
		}
	}
	return markers, columns
}

func endsMarker(line []byte, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t'
}

// isThematicBreak reports whether s is three or more of one of -, * and _,
// with only spaces and tabs between.
func isThematicBreak(s []byte) bool {
	var mark byte
	n := 0
	for _, c := range s {
		switch c {
		case ' ', '\t', '\r':
		case '-', '*', '_':
			if mark != 0 && c != mark {
				return false
			}
			mark = c
			n++
		default:
			return false
		}
	}
	return n >= 3
}
