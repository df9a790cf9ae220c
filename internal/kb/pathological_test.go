package kb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// pathologicalCase is an input on which a markdown parser can be slow: as
// its source writes it (whole), and as the largest body of the same pattern
// the checker accepts (accepted: paragraphs and lines under MaxBlockSize,
// as many as fit in a file). whole must be refused with the message want;
// accepted must get past the shape check to the parser, and is what
// BenchmarkPathological times.
type pathologicalCase struct {
	name     string
	whole    string
	accepted string
	want     string // the diagnostic for whole, without the file name
}

// fill repeats unit as often as it fits in n bytes.
func fill(unit string, n int) string {
	return strings.Repeat(unit, max(n/len(unit), 1))
}

// paragraphs repeats a paragraph, separated by blank lines, as often as
// it fits in a file after the front matter.
func paragraphs(p string) string {
	n := (MaxFileSize - len(okVendor) - 64) / (len(p) + 2)
	return strings.Repeat(p+"\n\n", max(n, 1))
}

// linesOf cuts text into lines of about n bytes at unit boundaries.
func linesOf(unit string, lineLen, total int) string {
	line := fill(unit, lineLen)
	var b strings.Builder
	for b.Len()+len(line)+1 <= total {
		b.WriteString(line + "\n")
	}
	return b.String()
}

// blockLimit is the size the accepted bodies aim at, just under the limit.
const blockLimit = MaxBlockSize - 64

// pathologicalCases are cmark's and cmark-gfm's pathological tests
// (test/pathological_tests.py), each at cmark's size (cut to a file) and cut
// to fit our limits, and the inputs that got past earlier versions of
// them: lines starting with "|" that no table follows, tables padded to
// thousands of columns, and lists and quotes nested on one line.
func pathologicalCases() []pathologicalCase {
	const file = MaxFileSize - 512 // room for the front matter
	cut := func(s string) string { return s[:min(len(s), file)] }
	half := blockLimit / 2
	var backticks strings.Builder
	for i := 1; backticks.Len() < 10000*5000/2 && backticks.Len() < file; i++ {
		backticks.WriteString("e" + strings.Repeat("`", i))
	}
	var ticks16 strings.Builder
	for i := 1; ticks16.Len()+i+1 < blockLimit; i++ {
		ticks16.WriteString("e" + strings.Repeat("`", i))
	}
	nestedList := func(n int) string {
		var b strings.Builder
		for i := 0; i < n && b.Len()+2*i+4 <= file; i++ {
			b.WriteString(strings.Repeat("  ", i) + "* a\n")
		}
		return b.String()
	}
	var refs, refs16 strings.Builder
	for i := 1; refs.Len() < file/2; i++ {
		fmt.Fprintf(&refs, "[%d]: u\n", i)
	}
	for i := 1; refs16.Len() < file/2; i++ {
		fmt.Fprintf(&refs16, "[%d]: u\n", i)
	}
	line := "a line of text\n"
	table := func(cols, rows int, row string) string {
		return strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat(row+"\n", rows)
	}
	return []pathologicalCase{
		// cmark's set.
		{"nested strong emph", cut(fill("*a **a ", file/2) + "b" + fill(" a** a*", file/2)),
			paragraphs(fill("*a **a ", half) + "b" + fill(" a** a*", half)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"many emph closers with no openers", cut(fill("a_ ", file)), paragraphs(fill("a_ ", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"many emph openers with no closers", cut(fill("_a ", file)), paragraphs(fill("_a ", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"many link closers with no openers", cut(fill("a]", file)), paragraphs(fill("a]", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"many link openers with no closers", cut(fill("[a", file)), paragraphs(fill("[a", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"mismatched openers and closers", cut(fill("*a_ ", file)), paragraphs(fill("*a_ ", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"openers and closers multiple of 3", cut("a**b" + fill("c* ", file)), paragraphs("a**b" + fill("c* ", blockLimit-4)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"link openers and emph closers", cut(fill("[ a_", file)), paragraphs(fill("[ a_", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"pattern [ (]( repeated", cut(fill("[ (](", file)), paragraphs(fill("[ (](", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"pattern ![[]() repeated", cut(fill("![[]()", file)), paragraphs(fill("![[]()", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"hard link/emph case", "**x [a*b**c*](d)\n", paragraphs(fill("**x [a*b**c*](d) ", blockLimit)), ""},
		{"nested brackets", cut(fill("[", file/2) + "a" + fill("]", file/2)), paragraphs(fill("[", half) + "a" + fill("]", half)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"nested block quotes", cut(fill("> ", file) + "a"), paragraphs(fill("> ", 2*MaxNesting) + "a"), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"deeply nested lists", nestedList(1000), nestedList(MaxNesting), "block quotes and lists nested more than 16 deep; at most 16 are allowed"},
		{"backticks", cut(backticks.String()), paragraphs(ticks16.String()), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"unclosed links A", cut(fill("[a](<b", file)), paragraphs(fill("[a](<b", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"unclosed links B", cut(fill("[a](b", file)), paragraphs(fill("[a](b", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"unclosed <!--", cut("</" + fill("<!--", file)), paragraphs("</" + fill("<!--", blockLimit)), "a line of 255 KiB; keep lines under 16 KiB" + longLineFix},
		{"tables", cut(fill("aaa\rbbb\n-\v\n", file)), paragraphs(fill("aaa\rbbb\n-\v\n", blockLimit)), "a paragraph of more than 16 KiB; split it with blank lines"},
		{"many references", refs.String() + cut(fill("[0] ", file/2)), refs16.String() + paragraphs(fill("[0] ", blockLimit))[:file/2], "a line of 127 KiB; keep lines under 16 KiB" + longLineFix},
		// Ours: what earlier limits let through.
		{"lines starting with | and no table", strings.ReplaceAll("\n"+linesOf("[", 20, file*10/22)+linesOf("]", 20, file*10/22), "\n", "\n|")[1:],
			paragraphs(linesOf("[", 20, half) + linesOf("]", 20, half)), "a paragraph of more than 16 KiB; split it with blank lines"},
		{"short rows padded to a wide table", table(2000, 20000, "|"), table(512, MaxTableCells/512-1, "|"), "tables of 40002000 cells (rows times columns, short rows padded); at most 131072 are allowed: split the table or drop empty columns"},
		{"a table as long as a file", "", table(4, 8000, "| one | two | three | four |"), ""},
		{"lists nested on one line", fill("* ", 8000) + "a\n", paragraphs(fill("* ", 2*MaxNesting) + "a"), "block quotes and lists nested more than 16 deep; at most 16 are allowed"},
		{"quotes and lists nested on one line", fill("> - ", 8000) + "a\n", paragraphs(fill("> - ", 2*MaxNesting/2) + "a"), "block quotes and lists nested more than 16 deep; at most 16 are allowed"},
		{"lists nested 17 deep", nestedList(MaxNesting + 1), paragraphs(strings.Repeat(line, 3)), "block quotes and lists nested 17 deep; at most 16 are allowed"},
		{"a long setext heading", linesOf("heading ", 100, 20<<10) + "===\n", paragraphs(linesOf("heading ", 100, blockLimit) + "==="), "a heading of more than 16 KiB; split it with blank lines"},
	}
}

func TestPathologicalMarkdown(t *testing.T) {
	for _, c := range pathologicalCases() {
		t.Run(c.name, func(t *testing.T) {
			whole := okVendor + c.whole
			if len(whole) > MaxFileSize {
				t.Fatalf("the whole case is %d bytes, over a file's limit", len(whole))
			}
			k := loadWithin(t, func() *KB { return Load(fstest.MapFS{"vendors/x.md": file(whole)}, Options{}) })
			var got []string
			for _, d := range k.Diagnostics {
				if d.Code == CodeBodyTooComplex || d.Code == CodeFileTooLarge {
					got = append(got, strings.SplitN(d.String(), ": ", 2)[1])
				}
			}
			want := []string{}
			if c.want != "" {
				want = []string{"BODY_TOO_COMPLEX " + c.want}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("as cmark writes it (%d bytes): errors\n%s\nwant\n%s", len(whole), strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			accepted := okVendor + c.accepted
			if len(accepted) > MaxFileSize {
				t.Fatalf("the accepted case is %d bytes, over a file's limit", len(accepted))
			}
			// Parsing it is BenchmarkPathological's to time; here it must
			// get past the shape check to the parser.
			if off, msg := bodyShape([]byte(c.accepted)); msg != "" {
				t.Errorf("cut to the limits (%d bytes), it is refused at byte %d: %s", len(accepted), off, msg)
			}
		})
	}
}

// BenchmarkPathological times checking the largest file of each
// pathological pattern that the checker accepts: the worst a contributor
// can make `dronekb check` work.
func BenchmarkPathological(b *testing.B) {
	for _, c := range pathologicalCases() {
		fsys := fstest.MapFS{"vendors/x.md": file(okVendor + c.accepted)}
		b.Run(strings.NewReplacer(" ", "-", "/", "-").Replace(c.name), func(b *testing.B) {
			for b.Loop() {
				if k := Load(fsys, Options{}); len(k.Entries) != 1 {
					b.Fatal(diagLines(k.Diagnostics))
				}
			}
		})
	}
}

// TestWritePathological writes each accepted pathological file into its
// own content directory under $DRONEKB_PATHOLOGICAL, for scripts/abuse.sh to
// time `dronekb check` and `dronekb build` on.
func TestWritePathological(t *testing.T) {
	dir := os.Getenv("DRONEKB_PATHOLOGICAL")
	if dir == "" {
		t.Skip("set DRONEKB_PATHOLOGICAL=DIR to write the pathological content trees")
	}
	for _, c := range pathologicalCases() {
		name := strings.NewReplacer(" ", "-", "/", "-", "|", "pipe", "(", "", ")", "", "[", "", "]", "", "!", "", "<", "", ">", "").Replace(c.name)
		for kind, body := range map[string]string{"accepted": c.accepted, "whole": c.whole} {
			p := filepath.Join(dir, kind, name, "vendors", "x.md")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(okVendor+body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
