package kb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	toml "github.com/pelletier/go-toml/v2/unstable"
	"gopkg.in/yaml.v3"
)

// Front matter is decoded in two steps. First, YAML, TOML or JSON becomes a
// tree of nodes that remember where each key and value sits in the file, so
// that every later problem can be reported at its line and column. Then the
// tree is decoded against the schema of the entry's type (decode.go).

// maxDepth bounds how deeply front matter may nest. The deepest legitimate
// path is fleet → item → history → observation → field, about 6 levels.
const maxDepth = 16

// Pos is a 1-based line and column in a content file. A column counts
// characters (code points), as editors and yaml.v3 do, not bytes: in
// French text a byte count put a column one place further right for each
// accented letter before it (found in review).
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

type nodeKind uint8

const (
	nullNode nodeKind = iota
	scalarNode
	mapNode
	listNode
)

type scalarType uint8

const (
	strScalar scalarType = iota
	intScalar
	floatScalar
	boolScalar
	dateScalar     // an unquoted date: YAML timestamp, TOML local date
	dateTimeScalar // TOML date-time or time: not a date
)

type node struct {
	kind nodeKind
	pos  Pos
	text string // scalar text, as written (after unquoting)
	// cut is the comment YAML took from the end of an unquoted value on
	// its line: `note: Drone #2 of the unit` reads "Drone", "#2 of the
	// unit" being a comment.
	cut    string
	stype  scalarType
	fields []field // map, in document order
	items  []*node // list
}

type field struct {
	key string
	pos Pos
	val *node
}

func (n *node) describe() string {
	switch n.kind {
	case nullNode:
		return "nothing (null)"
	case mapNode:
		return "a table of keys"
	case listNode:
		return "a list"
	}
	switch n.stype {
	case intScalar:
		return "a number"
	case floatScalar:
		return "a decimal number"
	case boolScalar:
		return "true/false"
	case dateScalar:
		return "a date"
	case dateTimeScalar:
		return "a date-time"
	}
	return "text"
}

// syntaxError is a front-matter parse failure at a position in the file.
type syntaxError struct {
	pos  Pos
	code Code
	msg  string
}

func (e *syntaxError) Error() string { return e.msg }

// lineIndex turns byte offsets of a buffer into file positions.
type lineIndex struct {
	data     []byte
	starts   []int // byte offset of each line's start
	baseLine int   // file line of the buffer's first line
	baseCol  int   // file column of the buffer's first byte (1 unless it starts mid-line)
}

func newLineIndex(b []byte, baseLine int) *lineIndex {
	li := &lineIndex{data: b, starts: []int{0}, baseLine: baseLine, baseCol: 1}
	for i, c := range b {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) pos(off int) Pos {
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	// Characters, not bytes, before off on its line (Pos).
	col := off - li.starts[i] + 1
	if off <= len(li.data) && off > li.starts[i] {
		col = utf8.RuneCount(li.data[li.starts[i]:off]) + 1
	}
	if i == 0 {
		col += li.baseCol - 1
	}
	return Pos{Line: li.baseLine + i, Col: col}
}

// mayHoldSeveralDocuments reports whether YAML text has a line that starts a
// document ("---") or ends one ("..."): only then can there be anything after
// the first document, which must be reported rather than dropped.
func mayHoldSeveralDocuments(data []byte) bool {
	for len(data) > 0 {
		if bytes.HasPrefix(data, []byte("---")) || bytes.HasPrefix(data, []byte("...")) {
			return true
		}
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break
		}
		data = data[i+1:]
	}
	return false
}

// parseYAML decodes YAML front matter that starts on file line baseLine:
// the plain YAML most entries are written in itself (parseSimpleYAML),
// the rest with yaml.v3.
func parseYAML(data []byte, baseLine int) (n *node, err error) {
	if n, ok := parseSimpleYAML(data, baseLine); ok {
		return n, nil
	}
	return parseYAMLv3(data, baseLine)
}

// parseYAMLv3 decodes YAML front matter with yaml.v3.
func parseYAMLv3(data []byte, baseLine int) (n *node, err error) {
	var doc yaml.Node
	if !mayHoldSeveralDocuments(data) {
		// The common case: parse straight from the bytes, which is cheaper
		// than yaml.v3's reader-based Decoder.
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, yamlError(err, data, baseLine)
		}
		if doc.Kind == 0 {
			return &node{kind: mapNode, pos: Pos{baseLine, 1}}, nil
		}
		root := &doc
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if err := indentedRoot(root, data, baseLine); err != nil {
			return nil, err
		}
		return convertYAML(root, baseLine)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &node{kind: mapNode, pos: Pos{baseLine, 1}}, nil
		}
		return nil, yamlError(err, data, baseLine)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &syntaxError{pos: Pos{baseLine + extra.Line - 1, extra.Column}, code: CodeSyntax,
			msg: "front matter holds more than one YAML document; remove the extra `---`"}
	case !errors.Is(err, io.EOF):
		// Whatever follows a document end marker (...) must not be
		// silently dropped.
		return nil, yamlError(err, data, baseLine)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if err := indentedRoot(root, data, baseLine); err != nil {
		return nil, err
	}
	return convertYAML(root, baseLine)
}

// indentedRoot reports front matter whose first key is indented and whose
// later lines are less so: yaml.v3 reads the table of the first key's
// column and drops, without an error, every line after the first one
// that starts left of it (" title: X" above "country: US" was an entry
// with a title alone, told it needs a country and sources it had).
func indentedRoot(root *yaml.Node, data []byte, baseLine int) error {
	if root.Kind != yaml.MappingNode || root.Column <= 1 || len(root.Content) == 0 {
		return nil
	}
	for n, l := range strings.Split(string(data), "\n") {
		t := strings.TrimLeft(l, " ")
		if n+1 <= root.Line || t == "" || t[0] == '#' || len(l)-len(t) >= root.Column-1 {
			continue
		}
		key := root.Content[0].Value
		return &syntaxError{pos: Pos{baseLine + root.Line - 1, root.Column}, code: CodeSyntax,
			msg: fmt.Sprintf("YAML: %s is indented %s, and line %d below it is not, so YAML reads no field after it; start %s at the beginning of the line",
				key, count(root.Column-1, "space", "spaces"), baseLine+n, key)}
	}
	return nil
}

// yamlErrorAt returns the line of the YAML text (from 1) and the message
// of yaml.v3's error err.
func yamlErrorAt(err error) (line int, msg string) {
	msg = err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	// yaml.v3 reports "line N: message".
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				line = n
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	if yamlParserErrors[msg] {
		// yaml.v3 prints a parser error's line 0-based (scanner errors it
		// corrects, parser errors not), and leaves the line out when it is 0.
		line++
	}
	return max(line, 1), msg
}

func yamlError(err error, data []byte, baseLine int) error {
	// Moved into the file's coordinates below.
	line, msg := yamlErrorAt(err)
	// A no-break space copied from a web page or a word processor looks
	// like a space in the indentation and is none to YAML: the line was
	// told it was indented otherwise, or "mapping values are not allowed
	// in this context". Point at it, as at a tab, when it is the cause.
	if il, ic, name, ok := indentLookAlike(data); ok && lookAlikeCaused(data, line) {
		return &syntaxError{pos: Pos{baseLine + il - 1, ic}, code: CodeSyntax,
			msg: fmt.Sprintf("YAML: %s indents this line, which YAML does not read as a space; indent it with ordinary spaces", name)}
	}
	// yaml.v3 reports a tab in the indentation on another line, or as a
	// character that "cannot start any token": point at the tab itself.
	if strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token") {
		if tl, tc, more, ok := indentTab(data); ok {
			msg := "YAML: a tab indents this line; indent with spaces"
			switch {
			case len(more) == 1:
				msg = fmt.Sprintf("YAML: a tab indents this line, and line %d; indent them with spaces", baseLine+more[0]-1)
			case len(more) > 1:
				msg = fmt.Sprintf("YAML: a tab indents this line, and %d more below it (%s); indent them with spaces (an editor's \"convert indentation to spaces\" does them all)",
					len(more), tabLines(more, baseLine))
			}
			return &syntaxError{pos: Pos{baseLine + tl - 1, tc}, code: CodeSyntax, msg: msg}
		}
	}
	// A quoted value left open swallows the lines after it, and yaml.v3
	// notices only where the quote happens to close, or at the end: point
	// at the line that opened it.
	if ql, qcol, key, quote, ok := unclosedQuote(data, line); ok {
		return &syntaxError{pos: Pos{baseLine + ql - 1, qcol}, code: CodeSyntax,
			msg: fmt.Sprintf("YAML: the value of %s opens a %c quote that this line does not close; end the value with %c", key, quote, quote)}
	}
	// A list or table written on one line, left open: yaml.v3 says what it
	// did not find. Say which bracket is open, and where.
	if strings.HasPrefix(msg, "did not find expected ',' or ") {
		if fl, fcol, key, open, ok := unclosedFlow(data, line); ok {
			closing, what := byte(']'), "list"
			if open == '{' {
				closing, what = '}', "table"
			}
			return &syntaxError{pos: Pos{baseLine + fl - 1, fcol}, code: CodeSyntax,
				msg: fmt.Sprintf("YAML: the %c here, in the value of %s, opens a %s that is not closed; end it with %c, or, if the %c is part of the text, put the whole value in quotes",
					open, key, what, closing, open)}
		}
	}
	// A value written as prose that YAML reads otherwise: an apostrophe
	// inside single quotes, text after a quoted part, a leading *, @ or
	// "- ". yaml.v3 says what it did not find, often at no line.
	if sl, scol, hint, ok := valueSlip(data, msg); ok {
		return &syntaxError{pos: Pos{baseLine + sl - 1, scol}, code: CodeSyntax, msg: "YAML: " + hint}
	}
	// A key indented less than the keys beside it: yaml.v3 names the
	// line where the list or table around it starts.
	if msg == "did not find expected '-' indicator" || msg == "did not find expected key" {
		if m, ok := misindented(data, line, baseLine); ok {
			return &syntaxError{pos: Pos{baseLine + m.line - 1, m.col}, code: CodeSyntax, msg: "YAML: " + m.hint}
		}
	}
	col := 1
	if strings.HasPrefix(msg, "mapping values are not allowed") {
		if key, value, vcol, ok := keyValueLine(lineOf(data, line), ':'); ok && strings.Contains(value, ": ") {
			col = vcol
			msg += fmt.Sprintf(": the value of %s holds \": \"; put the %s in quotes: %s: %s", key, key, key, strconv.Quote(value))
			return &syntaxError{pos: Pos{baseLine + line - 1, col}, code: CodeSyntax, msg: "YAML: " + msg}
		}
	}
	// "count:12": without a space after its colon, a key is no key, and
	// YAML reads the line as text that runs on into the lines below.
	if msg == "could not find expected ':'" || strings.HasPrefix(msg, "mapping values are not allowed") {
		if cl, ccol, written, fixed, ok := colonWithoutSpace(data, line); ok {
			// A no-break space looks like the space it is not.
			key, rest, _ := strings.Cut(written, ":")
			if la, plain := lookAlike(rest); la != "" && strings.HasPrefix(plain, " ") && !strings.HasPrefix(rest, plain[:1]) {
				return &syntaxError{pos: Pos{baseLine + cl - 1, ccol}, code: CodeSyntax,
					msg: fmt.Sprintf("YAML: the colon in `%s:` is followed by %s, not a plain one, so the line is not read as a key and its value; type a plain space after the colon: `%s: %s`", key, la, key, strings.TrimLeft(plain, " "))}
			}
			return &syntaxError{pos: Pos{baseLine + cl - 1, ccol}, code: CodeSyntax,
				msg: fmt.Sprintf("YAML: the colon in `%s` has no space after it, so the line is not read as a key and its value; put a space after the colon: `%s`", written, fixed)}
		}
	}
	// A line indented under a field that already has a value: a stray
	// space, or a list item where a value is.
	if strings.HasPrefix(msg, "mapping values are not allowed") || msg == "did not find expected key" {
		if hint, hline, hcol, ok := indentedUnderValue(data, line, baseLine); ok {
			return &syntaxError{pos: Pos{baseLine + hline - 1, hcol}, code: CodeSyntax, msg: "YAML: " + hint}
		}
	}
	return &syntaxError{pos: Pos{baseLine + line - 1, col}, code: CodeSyntax, msg: "YAML: " + msg}
}

// valueSlip finds, for a parse error yaml.v3 reports as msg, the first
// "key: value" line whose value YAML cannot read as the text it looks
// like, and returns its line, the 1-based column of the value and what to
// write instead: the line's key with its value rewritten in quotes.
func valueSlip(data []byte, msg string) (l, col int, hint string, ok bool) {
	var slip func(value string) (why, fixed string)
	switch {
	case strings.HasPrefix(msg, "unknown anchor "):
		// "unknown anchor 'Mavic' referenced": the value is *Mavic….
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "unknown anchor '"), "'")
		slip = func(value string) (string, string) {
			if !strings.HasPrefix(value, "*"+name) {
				return "", ""
			}
			return aliasSlip(value)
		}
	case msg == "did not find expected alphabetic or numeric character":
		slip = func(value string) (string, string) {
			if value[0] != '*' {
				return "", ""
			}
			return aliasSlip(value)
		}
	case msg == "did not find expected key":
		slip = runOnSlip
	case msg == "found character that cannot start any token":
		slip = func(value string) (string, string) {
			if c := value[0]; c == '@' || c == '`' || c == '%' {
				return fmt.Sprintf("starts with %c, which YAML reserves; put the value in quotes", c), quoteText(value)
			}
			return "", ""
		}
	case msg == "block sequence entries are not allowed in this context":
		slip = func(value string) (string, string) {
			if value == "-" || strings.HasPrefix(value, "- ") {
				return "starts with \"- \", which starts an item of a list; put the value in quotes", quoteText(value)
			}
			return "", ""
		}
	case msg == "found unknown escape character":
		slip = escapeSlip
	default:
		return 0, 0, "", false
	}
	for i, text := range strings.Split(string(data), "\n") {
		key, value, c, found := keyValueLine(strings.TrimRight(text, "\r"), ':')
		if !found {
			continue
		}
		if why, fixed := slip(value); why != "" {
			return i + 1, c, fmt.Sprintf("the value of %s %s: %s: %s", key, why, key, fixed), true
		}
	}
	return 0, 0, "", false
}

// aliasSlip says why a value starting with *, which YAML reads as an
// alias of an anchor ("*Mavic 3", "*Approximate* count"), is no text, and
// the value to write.
func aliasSlip(value string) (why, fixed string) {
	emphasis := ""
	if strings.Contains(value[1:], "*") {
		emphasis = " (markdown's emphasis shows as typed in front matter)"
	}
	return "starts with *, which YAML reads as the name of an anchor to repeat, not as text" + emphasis +
		"; a value starting with * must be quoted", quoteText(value)
}

// runOnSlip says why a value that YAML reads as a quoted text or a list
// in brackets with more text after it is no text, and the value to write:
// an apostrophe in single quotes ('Préfecture de l'Aisne'), "Operation
// Sky" drones, [Draft] drone policy.
func runOnSlip(value string) (why, fixed string) {
	switch q := value[0]; q {
	case '\'', '"':
		end := quoteEnd(value[1:], q)
		if end < 0 || end+2 == len(value) {
			return "", ""
		}
		if q == '\'' && value[len(value)-1] == '\'' {
			text := value[1 : len(value)-1]
			doubled := "'" + strings.ReplaceAll(text, "'", "''") + "'"
			if strings.ContainsAny(text, "\"\\") {
				return "is in single quotes, and the apostrophe in it ends them; double the apostrophe", doubled
			}
			return "is in single quotes, and the apostrophe in it ends them; double the apostrophe, " + doubled +
				", or put the value in double quotes", "\"" + text + "\""
		}
		text := value
		if value[len(value)-1] == q {
			text = value[1 : len(value)-1]
		}
		return "starts with a quoted text and goes on after its closing quote; put the whole value in quotes", quoteText(text)
	case '[', '{':
		depth := 0
		for i := 0; i < len(value); i++ {
			switch value[i] {
			case '[', '{':
				depth++
			case ']', '}':
				if depth--; depth == 0 {
					if i+1 == len(value) {
						return "", ""
					}
					what := "list"
					if q == '{' {
						what = "table"
					}
					return fmt.Sprintf("starts with %c, which opens a %s, and goes on after its %c; put the value in quotes", q, what, value[i]), quoteText(value)
				}
			}
		}
	}
	return "", ""
}

// escapeSlip says why a value in double quotes that holds a backslash
// YAML knows no escape for ("a \d b") is no text, and the value to write.
func escapeSlip(value string) (why, fixed string) {
	if value[0] != '"' || len(value) < 2 || value[len(value)-1] != '"' {
		return "", ""
	}
	text := value[1 : len(value)-1]
	for i := 0; i+1 < len(text); i++ {
		if text[i] != '\\' {
			continue
		}
		if strings.IndexByte("0abt\tnvfre \"/\\N_LPxuU", text[i+1]) >= 0 {
			i++
			continue
		}
		if !strings.Contains(text, "'") {
			return fmt.Sprintf("holds %s, which in double quotes is no escape; put the value in single quotes", text[i:i+2]), "'" + text + "'"
		}
		return fmt.Sprintf("holds %s, which in double quotes is no escape; double the backslash", text[i:i+2]), "\"" + text[:i] + "\\" + text[i:] + "\""
	}
	return "", ""
}

// quoteText returns s as a YAML value in quotes: double ones, or single
// ones when s holds a double quote or a backslash.
func quoteText(s string) string {
	if !strings.ContainsAny(s, "\"\\") {
		return "\"" + s + "\""
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// colonWithoutSpace finds, for a parse error yaml.v3 reports at line, the
// key written with no space after its colon ("count:12") that is to
// blame: on that line, or on a line above it that the text it starts runs
// on from. It returns the line, the 1-based column of the colon, and the
// key and value as written ("count:12") and as they should be ("count: 12").
func colonWithoutSpace(data []byte, line int) (l, col int, written, fixed string, ok bool) {
	lines := strings.Split(string(data), "\n")
	for n := min(line, len(lines)); n >= 1; n-- {
		text := strings.TrimRight(lines[n-1], "\r ")
		body := strings.TrimLeft(text, " ")
		if b, ok := strings.CutPrefix(body, "- "); ok {
			body = strings.TrimLeft(b, " ")
		}
		i := 0
		for i < len(body) && (body[i] == '_' || body[i] >= 'a' && body[i] <= 'z' || body[i] >= 'A' && body[i] <= 'Z' ||
			i > 0 && (body[i] == '-' || body[i] >= '0' && body[i] <= '9')) {
			i++
		}
		// "key:value", but not "https://…" nor a time of day.
		if i > 0 && i+1 < len(body) && body[i] == ':' && body[i+1] != ' ' && body[i+1] != '/' && body[i+1] != ':' {
			return n, len(text) - len(body) + i + 1, body, body[:i+1] + " " + body[i+1:], true
		}
		// A line above that holds a key ends the text the error is in.
		if n < line {
			if _, _, isKey := splitKey(body); isKey {
				break
			}
		}
	}
	return 0, 0, "", "", false
}

// unclosedFlow finds, for a parse error yaml.v3 reports at line, the list
// ([) or table ({) still open there: the nearest line at or above line
// whose value opens one is read through line (a list may go on over
// lines), and if a bracket is still open at the end, it returns the line,
// the 1-based column and the character of the innermost one, and the key.
func unclosedFlow(data []byte, line int) (l, col int, key string, open byte, ok bool) {
	lines := strings.Split(string(data), "\n")
	start, c := 0, 0
	for i := min(line, len(lines)); i >= 1; i-- {
		k, value, vc, found := keyValueLine(strings.TrimRight(lines[i-1], "\r"), ':')
		if found && (value[0] == '[' || value[0] == '{') {
			start, c, key = i, vc, k
			break
		}
	}
	if start == 0 {
		return 0, 0, "", 0, false
	}
	type bracket struct {
		line, col int
		ch        byte
	}
	var stack []bracket
	var quote byte
	for i := start; i <= line && i <= len(lines); i++ {
		text := strings.TrimRight(lines[i-1], "\r")
		j := 0
		if i == start {
			j = c - 1
		}
		if quote != 0 {
			// A quoted element going on from the line before.
			end := quoteEnd(text, quote)
			if end < 0 {
				continue
			}
			j, quote = end+1, 0
		}
		elem := i == start // a new element may start: after [ { , or ": "
		for ; j < len(text); j++ {
			ch := text[j]
			switch {
			case ch == ' ' || ch == '\t':
			case ch == '#' && j > 0 && (text[j-1] == ' ' || text[j-1] == '\t'):
				j = len(text)
			case elem && (ch == '"' || ch == '\''):
				end := quoteEnd(text[j+1:], ch)
				if end < 0 {
					quote, j = ch, len(text) // it goes on over the next line
					break
				}
				j += 1 + end
				elem = false
			case ch == '[' || ch == '{':
				stack = append(stack, bracket{i, j + 1, ch})
				elem = true
			case ch == ']' || ch == '}':
				if top := len(stack) - 1; top >= 0 && (stack[top].ch == '[') != (ch == ']') {
					// "[a, {b: c]": the ] meets the { still open.
					in := stack[top]
					return in.line, in.col, key, in.ch, true
				}
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
				if len(stack) == 0 {
					return 0, 0, "", 0, false // closed: the error is elsewhere
				}
				elem = false
			case ch == ',' || ch == ':' && (j+1 == len(text) || text[j+1] == ' '):
				elem = true
			default:
				elem = false
			}
		}
		elem = true // a line break inside a list or table
	}
	if len(stack) == 0 || quote != 0 {
		return 0, 0, "", 0, false
	}
	in := stack[len(stack)-1]
	return in.line, in.col, key, in.ch, true
}

// indentedUnderValue explains a line that is indented further than the
// field above it while that field already has a value on its line: in
// YAML it can be neither that field's value nor a field beside it. Lines
// of data are numbered from 1, the file's from baseLine; it returns the
// line and column to blame, which is the field above when that field is
// the slip: a key moved to the start of the line among the keys of a list
// item, which the lines below it go on with.
func indentedUnderValue(data []byte, line, baseLine int) (hint string, hline, col int, ok bool) {
	// Split once: the lines above are read one by one, and a front matter
	// may hold a hundred thousand of them (a test times one).
	lines := strings.Split(string(data), "\n")
	lineOf := func(n int) string {
		if n < 1 || n > len(lines) {
			return ""
		}
		return strings.TrimRight(lines[n-1], "\r")
	}
	cur := lineOf(line)
	body := strings.TrimLeft(cur, " ")
	indent := len(cur) - len(body)
	if body == "" {
		return "", 0, 0, false
	}
	// The line above that holds something: the field this one is read
	// against.
	if i, prev, pindent := contentAbove(lineOf, line-1); i > 0 {
		key, value, _, found := keyValueLine(prev, ':')
		if !found {
			return "", 0, 0, false
		}
		at := baseLine + i - 1
		item := strings.HasPrefix(body, "- ")
		switch {
		case item && indent > pindent:
			// Most likely the next item of the list the field is in.
			for j := i; j >= 1; j-- {
				l := lineOf(j)
				lb := strings.TrimLeft(l, " ")
				if li := len(l) - len(lb); strings.HasPrefix(lb, "- ") && li < indent {
					return fmt.Sprintf("this list item is indented further than the item on line %d; to start another item of that list, put its - in column %d, as there", baseLine+j-1, li+1), line, indent + 1, true
				}
			}
			hint := fmt.Sprintf("a list item where a field was expected: %s, on line %d, already has its value", key, at)
			if k, _, ok := splitKey(strings.TrimPrefix(body, "- ")); ok {
				if list := listWithItemKey(k); list != "" {
					// Its list's key line deleted: "sources:" above
					// "- url: …".
					hint += fmt.Sprintf("; if it is the first item of %s, write `%s:` on a line of its own above it, at the start of the line", list, list)
				}
			}
			return hint, line, indent + 1, true
		case item:
			if j, li, ok := deeperList(lineOf, i, indent); ok {
				// An item pasted at the start of the line after the
				// items of a list indented further: it belongs there
				// (found in review: the message said to make the field
				// above a list).
				return fmt.Sprintf("this list item is indented less than the item on line %d of the list above; to make it another item of that list, put its - in column %d, as there, and indent its fields to match", baseLine+j-1, li+1), line, indent + 1, true
			}
			return fmt.Sprintf("a list item where a field was expected: %s, on line %d, already has its value; a list goes under a field with nothing after its colon (%s:, then the items, indented)", key, at, key), line, indent + 1, true
		case indent > pindent && pindent == 0 && i > 1 && continues(lineOf, i, indent):
			// The field above, at the start of the line, cut a list item's
			// keys in two: it was dedented out of the item (found in
			// review: the message blamed this line, and following it made
			// things worse).
			return fmt.Sprintf("%s, at the start of the line, comes between keys indented %d spaces, which go on below it: if it belongs with them, indent it as they are; if it is the entry's own, move it below them", key, indent), i, 1, true
		case indent > pindent && strings.Contains(body, ": ") && value[0] != '"' && value[0] != '\'' && value[0] != '[' && value[0] != '{':
			return fmt.Sprintf("this line is indented further than %s on line %d, which already has its value: if it goes on with that value, put the whole value in quotes (YAML reads the \": \" in it as the start of a field); if it is a field of its own, start it in the same column as %s", key, at, key), line, indent + 1, true
		case indent > pindent:
			return fmt.Sprintf("this line is indented further than %s on line %d, which already has its value; start it in the same column as %s", key, at, key), line, indent + 1, true
		}
	}
	return "", 0, 0, false
}

// deeperList finds the list an item indented by indent was most likely
// meant to join: going up from line i, the nearest item ("- ") indented
// further than indent, under a field at indent or less that has nothing
// after its colon (fleet:, then its items). It returns that item's line
// and indent.
func deeperList(lineOf func(int) string, i, indent int) (line, li int, ok bool) {
	line = -1
	for j := i; j >= 1; j-- {
		l := lineOf(j)
		lb := strings.TrimLeft(l, " ")
		if lb == "" || lb[0] == '#' {
			continue
		}
		n := len(l) - len(lb)
		if n > indent {
			if line < 0 && strings.HasPrefix(lb, "- ") {
				line, li = j, n
			}
			continue
		}
		// The first line at the item's indent or less: the list's field,
		// with nothing after its colon?
		return line, li, line > 0 && strings.HasSuffix(strings.TrimSpace(lb), ":") && !strings.HasPrefix(lb, "- ")
	}
	return 0, 0, false
}

// continues reports whether the nearest line above line i that holds
// something is a key indented as the line below i is (indent): a block of
// keys that the line i, at the start of its line, cuts in two.
func continues(lineOf func(int) string, i, indent int) bool {
	j, l, li := contentAbove(lineOf, i-1)
	if j == 0 {
		return false
	}
	_, _, _, found := keyValueLine(l, ':')
	return found && li == indent
}

// contentAbove returns the nearest line at or above line i that holds
// something other than a comment: its number (0 if none), its text, and
// the column its keys start at, past a list item's "- ".
func contentAbove(lineOf func(int) string, i int) (n int, text string, indent int) {
	for ; i >= 1; i-- {
		l := lineOf(i)
		b := strings.TrimLeft(l, " ")
		if b == "" || b[0] == '#' {
			continue
		}
		indent = len(l) - len(b)
		if strings.HasPrefix(b, "- ") {
			indent += 2
		}
		return i, l, indent
	}
	return 0, "", 0
}

// unclosedQuote finds the quoted value (" or ') to blame for a parse error
// yaml.v3 reports at line: one whose quote never closes, or closes only on
// that line with more after it (the quote meant to end the value opened
// another, "A maker # of drones then tags: ["a"]). A quoted value that
// goes on over lines and closes before line is read past. It returns the
// line of the value, the 1-based column where it starts, its key and the
// quote.
func unclosedQuote(data []byte, line int) (l, col int, key string, quote byte, ok bool) {
	lines := strings.Split(string(data), "\n")
	for i := 0; i < line && i < len(lines); i++ {
		text := strings.TrimRight(lines[i], "\r")
		k, value, c, found := keyValueLine(text, ':')
		if !found || (value[0] != '"' && value[0] != '\'') {
			continue
		}
		q := value[0]
		// keyValueLine cut the value at " #": look at the whole rest.
		rest := text[c-1:]
		if closesQuote(rest) {
			continue
		}
		// Read on over the next lines to where the quote closes.
		closed := false
		for n := i + 1; n < len(lines); n++ {
			next := strings.TrimRight(lines[n], "\r")
			end := quoteEnd(next, q)
			if end < 0 {
				continue
			}
			if n+1 > line {
				closed = true // the error is inside it (a bad escape), not its quote
				break
			}
			// A quote closes a value where nothing but a comment
			// follows it on its line. One with text after it, on a line
			// before the error, is an apostrophe in a later value
			// ("the department's drones"): read on. Taken as the end, it
			// hid the unclosed quote behind YAML's own message at a
			// later line (found in review).
			if after := strings.TrimSpace(next[end+1:]); after == "" || after[0] == '#' {
				closed, i = true, n // closed at or before the error: read on after it
				break
			}
			if n+1 == line {
				break
			}
		}
		if !closed {
			return i + 1, c, k, q, true
		}
		if i+1 >= line {
			break
		}
	}
	return 0, 0, "", 0, false
}

// quoteEnd returns the index in s of the quote q that closes a quoted
// value begun on an earlier line, or -1.
func quoteEnd(s string, q byte) int {
	for i := 0; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

// closesQuote reports whether the quoted value s (starting with its
// quote) ends its quote on the same line: " ends at an unescaped ", ' at a
// ' that is not doubled.
func closesQuote(s string) bool {
	return quoteEnd(s[1:], s[0]) >= 0
}

// indentTab finds the first line whose indentation holds a tab, and the
// tab's 1-based line and column, and the other lines a tab indents (more),
// so that one check names them all.
func indentTab(data []byte) (line, col int, more []int, ok bool) {
	for i, l := range strings.Split(string(data), "\n") {
		for j := 0; j < len(l) && (l[j] == ' ' || l[j] == '\t'); j++ {
			if l[j] == '\t' && strings.TrimSpace(l) != "" {
				if !ok {
					line, col, ok = i+1, j+1, true
				} else {
					more = append(more, i+1)
				}
				break
			}
		}
	}
	return line, col, more, ok
}

// lookAlikeCaused says whether the characters that look like spaces in
// the indentation of data's lines (indentLookAlike) cause the error
// yaml.v3 reports on line: with ordinary spaces in their place, the YAML
// reads, or fails elsewhere. One in a block of text (summary: |) is text,
// and an error further down, an unclosed quote, is its own (found in
// review: the quote's error was told to mend the space).
func lookAlikeCaused(data []byte, line int) bool {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		t := strings.TrimLeftFunc(l, func(r rune) bool {
			la, found := lookAlikes[r]
			return r == ' ' || r == '\t' || found && la.plain == " "
		})
		lead := l[:len(l)-len(t)]
		lines[i] = strings.Map(func(r rune) rune {
			if r != '\t' {
				return ' '
			}
			return r
		}, lead) + t
	}
	var n yaml.Node
	err := yaml.Unmarshal([]byte(strings.Join(lines, "\n")), &n)
	if err == nil {
		return true
	}
	again, _ := yamlErrorAt(err)
	return again != line
}

// indentLookAlike finds the first line of data whose indentation holds a
// character that looks like a space and is none (lookAlikes: U+00A0), and
// returns its line (from 1), its column, in characters, and its name.
func indentLookAlike(data []byte) (line, col int, name string, ok bool) {
	for i, l := range strings.Split(string(data), "\n") {
		c := 1
		for _, r := range l {
			if la, found := lookAlikes[r]; found && la.plain == " " {
				if strings.TrimSpace(strings.Map(func(r rune) rune {
					if _, found := lookAlikes[r]; found {
						return ' '
					}
					return r
				}, l)) != "" {
					return i + 1, c, la.name, true
				}
				break
			}
			if r != ' ' && r != '\t' {
				break
			}
			c++
		}
	}
	return 0, 0, "", false
}

// tabLines names the lines of the front matter (counted from 1; the
// file's from baseLine) that a tab indents besides the first: "lines 12,
// 13 and 14", or the first three and how many more.
func tabLines(lines []int, baseLine int) string {
	const few = 3
	var names []string
	for _, l := range lines[:min(len(lines), few)] {
		names = append(names, strconv.Itoa(baseLine+l-1))
	}
	if len(lines) > few {
		return fmt.Sprintf("lines %s, …", strings.Join(names, ", "))
	}
	return "lines " + andList(names)
}

// lineOf returns the 1-based line n of data, or "".
func lineOf(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}

// keyValueLine splits a line "  key: value" (or "key = value", sep '=')
// into its key and value, without a trailing comment, and says at which
// column the value starts.
func keyValueLine(line string, sep byte) (key, value string, col int, ok bool) {
	body := strings.TrimLeft(line, " \t")
	indent := len(line) - len(body)
	if rest, found := strings.CutPrefix(body, "- "); found && sep == ':' {
		indent += 2
		body = rest
	}
	i := strings.IndexByte(body, sep)
	if i <= 0 {
		return "", "", 0, false
	}
	key = strings.TrimSpace(body[:i])
	rest := body[i+1:]
	value = strings.TrimLeft(rest, " \t")
	col = indent + i + 1 + (len(rest) - len(value)) + 1
	if j := strings.Index(value, " #"); j >= 0 {
		value = value[:j]
	}
	value = strings.TrimSpace(value)
	if key == "" || value == "" || strings.ContainsAny(key, " \"'") {
		return "", "", 0, false
	}
	return key, value, col, true
}

// yamlParserErrors are the problems yaml.v3's parser (as opposed to its
// scanner) reports, whose line numbers it gives 0-based.
var yamlParserErrors = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

func fromYAML(y *yaml.Node, baseLine, depth int, long *longText) (*node, error) {
	pos := Pos{baseLine + y.Line - 1, y.Column}
	if depth > maxDepth {
		return nil, &syntaxError{pos: pos, code: CodeTooDeep,
			msg: fmt.Sprintf("front matter nests more than %d levels deep; entries need at most 6", maxDepth)}
	}
	switch y.Kind {
	case yaml.AliasNode:
		return nil, &syntaxError{pos: pos, code: CodeYAMLAlias,
			msg: fmt.Sprintf("YAML alias *%s is not allowed in front matter; write the value out", y.Value)}
	case yaml.MappingNode:
		n := &node{kind: mapNode, pos: pos, fields: make([]field, 0, len(y.Content)/2)}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			kpos := Pos{baseLine + k.Line - 1, k.Column}
			if k.Kind != yaml.ScalarNode {
				return nil, &syntaxError{pos: kpos, code: CodeSyntax, msg: "a key must be plain text"}
			}
			if k.Tag == "!!merge" {
				return nil, &syntaxError{pos: kpos, code: CodeYAMLAlias,
					msg: "YAML merge keys (<<) are not allowed in front matter; write the keys out"}
			}
			val, err := fromYAML(v, baseLine, depth+1, long)
			if err != nil {
				return nil, err
			}
			n.fields = append(n.fields, field{key: k.Value, pos: kpos, val: val})
		}
		return n, nil
	case yaml.SequenceNode:
		n := &node{kind: listNode, pos: pos, items: make([]*node, 0, len(y.Content))}
		for _, c := range y.Content {
			val, err := fromYAML(c, baseLine, depth+1, long)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, val)
		}
		return n, nil
	case yaml.ScalarNode:
		n := &node{kind: scalarNode, pos: pos, text: y.Value}
		switch y.ShortTag() {
		case "!!null":
			n.kind = nullNode
		case "!!int":
			n.stype = intScalar
		case "!!float":
			n.stype = floatScalar
		case "!!bool":
			n.stype = boolScalar
		case "!!timestamp":
			n.stype = dateScalar
			if strings.ContainsAny(y.Value, "Tt :") {
				n.stype = dateTimeScalar
			}
		case "!!str":
			n.text = long.take(y.Value)
			// A comment that starts "#2", "# 2" or "#thermal" was most
			// likely part of the value; one that starts "# " and a word
			// (dronekb new's template puts one after every field) was
			// meant as one.
			if c := y.LineComment; y.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 &&
				len(c) > 1 && c[0] == '#' && c[1] != '#' && (c[1] != ' ' || len(c) > 2 && c[2] >= '0' && c[2] <= '9') {
				n.cut = c
			}
		default:
			return nil, &syntaxError{pos: pos, code: CodeFieldType,
				msg: fmt.Sprintf("YAML tag %s is not allowed in front matter", y.Tag)}
		}
		return n, nil
	case yaml.DocumentNode:
		return &node{kind: mapNode, pos: pos}, nil
	}
	return nil, &syntaxError{pos: pos, code: CodeSyntax, msg: "unsupported YAML construct"}
}

// convertYAML converts a front matter's YAML tree into nodes (fromYAML),
// with the text of its values in one string.
func convertYAML(root *yaml.Node, baseLine int) (*node, error) {
	var b strings.Builder
	b.Grow(textValues(root, nil, 0))
	textValues(root, &b, 0)
	return fromYAML(root, baseLine, 0, &longText{s: b.String()})
}

// longText is one string that holds, one after the other, a front
// matter's text values (titles, summaries, URLs, notes, models), in the
// order fromYAML meets them. An entry keeps those for as long as the
// knowledge base lives, and the collector marks every object that is live
// in each of its cycles: at 10,000 entries, one string instead of one for
// each value longer than pooledLen took the objects the knowledge base and
// its tracker keep from 421,000 to 312,000, and the shorter values too
// from 282,000 to 251,000 (BenchmarkStages' kept-by-kb-and-tracker). The
// values the decoder's pool already holds (tags, statuses, countries)
// are taken from the pool, and their bytes here are unused.
type longText struct {
	s  string
	at int
}

// take returns v from the long text if it is the next value there, else
// v itself.
func (t *longText) take(v string) string {
	if t.at+len(v) > len(t.s) || t.s[t.at:t.at+len(v)] != v {
		return v
	}
	t.at += len(v)
	return t.s[t.at-len(v) : t.at]
}

// textValues writes the values of y's text scalars to b in the order
// fromYAML meets them, and returns their length; with b nil it only
// counts. Keys are not written: the decoder keeps none.
func textValues(y *yaml.Node, b *strings.Builder, depth int) int {
	if depth > maxDepth {
		return 0
	}
	switch y.Kind {
	case yaml.ScalarNode:
		if y.ShortTag() != "!!str" {
			return 0
		}
		if b != nil {
			b.WriteString(y.Value)
		}
		return len(y.Value)
	case yaml.MappingNode:
		n := 0
		for i := 1; i < len(y.Content); i += 2 {
			n += textValues(y.Content[i], b, depth+1)
		}
		return n
	case yaml.SequenceNode:
		n := 0
		for _, c := range y.Content {
			n += textValues(c, b, depth+1)
		}
		return n
	}
	return 0
}

// parseTOML decodes TOML front matter that starts on file line baseLine.
func parseTOML(data []byte, baseLine int) (root *node, err error) {
	li := newLineIndex(data, baseLine)
	var p toml.Parser
	p.Reset(data)
	root = &node{kind: mapNode, pos: Pos{baseLine, 1}}
	// explicit records tables opened by a [header], to refuse opening one twice.
	explicit := map[*node]bool{}
	cur := root
	at := func(r toml.Range) Pos { return li.pos(int(r.Offset)) }
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case toml.KeyValue:
			if err := tomlKeyValue(cur, e, at, 0); err != nil {
				return nil, err
			}
		case toml.Table, toml.ArrayTable:
			keys := collectKeys(e.Key())
			if len(keys) > maxDepth {
				return nil, &syntaxError{pos: at(keys[0].Raw), code: CodeTooDeep,
					msg: fmt.Sprintf("front matter nests more than %d levels deep; entries need at most 6", maxDepth)}
			}
			t := root
			for i, k := range keys {
				last := i == len(keys)-1
				f := t.get(string(k.Data))
				kp := at(k.Raw)
				switch {
				case f == nil && last && e.Kind == toml.ArrayTable:
					list := &node{kind: listNode, pos: kp}
					t.fields = append(t.fields, field{key: string(k.Data), pos: kp, val: list})
					f = list
				case f == nil:
					m := &node{kind: mapNode, pos: kp}
					t.fields = append(t.fields, field{key: string(k.Data), pos: kp, val: m})
					f = m
				}
				switch {
				case last && e.Kind == toml.ArrayTable:
					if f.kind != listNode {
						return nil, &syntaxError{pos: kp, code: CodeKeyDuplicate,
							msg: fmt.Sprintf("%q is already defined and is not a list of tables", k.Data)}
					}
					m := &node{kind: mapNode, pos: kp}
					f.items = append(f.items, m)
					t = m
				case f.kind == listNode && len(f.items) > 0 && f.items[len(f.items)-1].kind == mapNode:
					t = f.items[len(f.items)-1]
				case f.kind == mapNode:
					t = f
				default:
					return nil, &syntaxError{pos: kp, code: CodeKeyDuplicate,
						msg: fmt.Sprintf("%q is already defined as a value, not a table", k.Data)}
				}
				if last && e.Kind == toml.Table {
					if explicit[t] {
						return nil, &syntaxError{pos: kp, code: CodeKeyDuplicate,
							msg: fmt.Sprintf("table [%s] is defined twice", k.Data)}
					}
					explicit[t] = true
				}
			}
			cur = t
		}
	}
	if err := p.Error(); err != nil {
		var perr *toml.ParserError
		pos := Pos{baseLine, 1}
		msg := err.Error()
		if errors.As(err, &perr) {
			pos = li.pos(int(p.Range(perr.Highlight).Offset))
			msg = perr.Message
			// An unquoted text value: say how to write it.
			if strings.HasPrefix(msg, "unexpected character") && strings.HasSuffix(msg, "at start of value") {
				if key, value, _, ok := keyValueLine(lineOf(data, pos.Line-baseLine+1), '='); ok {
					msg += fmt.Sprintf(": text must be quoted; put the %s in quotes: %s = %s", key, key, strconv.Quote(value))
				}
			}
		}
		return nil, &syntaxError{pos: pos, code: CodeSyntax, msg: "TOML: " + msg}
	}
	return root, nil
}

func collectKeys(it toml.Iterator) []*toml.Node {
	var keys []*toml.Node
	for it.Next() {
		keys = append(keys, it.Node())
	}
	return keys
}

func (n *node) get(key string) *node {
	for i := range n.fields {
		if n.fields[i].key == key {
			return n.fields[i].val
		}
	}
	return nil
}

func tomlKeyValue(t *node, e *toml.Node, at func(toml.Range) Pos, depth int) error {
	keys := collectKeys(e.Key())
	for i, k := range keys {
		kp := at(k.Raw)
		name := string(k.Data)
		existing := t.get(name)
		if i == len(keys)-1 {
			if existing != nil {
				return &syntaxError{pos: kp, code: CodeKeyDuplicate,
					msg: fmt.Sprintf("key %q is defined twice", name)}
			}
			v, err := fromTOMLValue(e.Value(), at, kp, depth+i+1)
			if err != nil {
				return err
			}
			t.fields = append(t.fields, field{key: name, pos: kp, val: v})
			return nil
		}
		switch {
		case existing == nil:
			m := &node{kind: mapNode, pos: kp}
			t.fields = append(t.fields, field{key: name, pos: kp, val: m})
			t = m
		case existing.kind == mapNode:
			t = existing
		default:
			return &syntaxError{pos: kp, code: CodeKeyDuplicate,
				msg: fmt.Sprintf("key %q is already defined as a value", name)}
		}
	}
	return nil
}

func fromTOMLValue(v *toml.Node, at func(toml.Range) Pos, keyPos Pos, depth int) (*node, error) {
	pos := keyPos
	if v.Raw.Length > 0 {
		pos = at(v.Raw)
	}
	if depth > maxDepth {
		return nil, &syntaxError{pos: pos, code: CodeTooDeep,
			msg: fmt.Sprintf("front matter nests more than %d levels deep; entries need at most 6", maxDepth)}
	}
	n := &node{kind: scalarNode, pos: pos, text: string(v.Data)}
	switch v.Kind {
	case toml.String:
	case toml.Integer:
		n.stype = intScalar
	case toml.Float:
		n.stype = floatScalar
	case toml.Bool:
		n.stype = boolScalar
	case toml.LocalDate:
		n.stype = dateScalar
	case toml.LocalDateTime, toml.DateTime, toml.LocalTime:
		n.stype = dateTimeScalar
	case toml.Array:
		n = &node{kind: listNode, pos: pos}
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == toml.Comment {
				continue
			}
			item, err := fromTOMLValue(c, at, pos, depth+1)
			if err != nil {
				return nil, err
			}
			if n.pos == keyPos && item.pos != keyPos && len(n.items) == 0 {
				n.pos = item.pos
			}
			n.items = append(n.items, item)
		}
	case toml.InlineTable:
		n = &node{kind: mapNode, pos: pos}
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind != toml.KeyValue {
				continue
			}
			if err := tomlKeyValue(n, c, at, depth); err != nil {
				return nil, err
			}
		}
	default:
		return nil, &syntaxError{pos: pos, code: CodeSyntax, msg: "unsupported TOML value"}
	}
	return n, nil
}

// parseJSON decodes JSON front matter that starts on file line baseLine.
func parseJSON(data []byte, baseLine int) (*node, error) {
	j := &jsonParser{data: data, li: newLineIndex(data, baseLine), dec: json.NewDecoder(bytes.NewReader(data))}
	j.dec.UseNumber()
	n, err := j.value(0)
	if err != nil {
		return nil, err
	}
	if n.kind != mapNode {
		return nil, &syntaxError{pos: n.pos, code: CodeSyntax, msg: "JSON front matter must be an object"}
	}
	if tok, err := j.dec.Token(); err != io.EOF {
		pos := j.li.pos(int(j.dec.InputOffset()))
		if err == nil {
			pos = j.start(tok)
		}
		return nil, &syntaxError{pos: pos, code: CodeSyntax,
			msg: "JSON: unexpected data after the front matter object"}
	}
	return n, nil
}

type jsonParser struct {
	data []byte
	li   *lineIndex
	dec  *json.Decoder
}

func (j *jsonParser) err(err error) error {
	off := int(j.dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// The streaming decoder's offsets are not absolute: inside a value
		// they count from the value's start, between tokens they point at
		// the bad byte. Validating the whole buffer gives the offset just
		// past the bad byte.
		var raw json.RawMessage
		if err := json.Unmarshal(j.data, &raw); errors.As(err, &se) {
			off = int(se.Offset) - 1
		}
	}
	off = max(0, min(off, len(j.data)))
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of the front matter"
	}
	// What went before the bad byte: a value with no comma after it, or
	// a comma before the closing bracket.
	before := bytes.TrimRight(j.data[:off], " \t\r\n")
	switch {
	case strings.HasSuffix(msg, "after object key:value pair") || strings.HasSuffix(msg, "after array element"):
		return &syntaxError{pos: j.li.pos(len(before)), code: CodeSyntax,
			msg: "JSON: a comma is missing here, after the value and before the next " + map[bool]string{true: "field", false: "item"}[strings.HasSuffix(msg, "pair")] + "; add ,"}
	case off < len(j.data) && (j.data[off] == '}' || j.data[off] == ']') && bytes.HasSuffix(before, []byte(",")):
		return &syntaxError{pos: j.li.pos(len(before) - 1), code: CodeSyntax,
			msg: fmt.Sprintf("JSON: this comma comes after the last %s, before the %c that closes it, which JSON does not allow; remove it", map[byte]string{'}': "field", ']': "item"}[j.data[off]], j.data[off])}
	case off < len(j.data) && j.data[off] == '\'':
		return &syntaxError{pos: j.li.pos(off), code: CodeSyntax, msg: "JSON: a text is written in double quotes, \"like this\", not single ones"}
	}
	return &syntaxError{pos: j.li.pos(off), code: CodeSyntax, msg: "JSON: " + msg}
}

// start finds where the token just read begins; the decoder's InputOffset is
// just past it.
func (j *jsonParser) start(tok json.Token) Pos {
	end := int(j.dec.InputOffset())
	data := j.data
	i := end
	switch tok.(type) {
	case json.Delim:
		i = end - 1
	case string:
		// Walk back to the opening quote: the first '"' not preceded by an odd
		// number of backslashes, scanning backwards from the closing quote.
		for i = end - 2; i > 0; i-- {
			if data[i] != '"' {
				continue
			}
			bs := 0
			for k := i - 1; k >= 0 && data[k] == '\\'; k-- {
				bs++
			}
			if bs%2 == 0 {
				break
			}
		}
	default:
		for i > 0 && !strings.ContainsRune(" \t\r\n,:[{", rune(data[i-1])) {
			i--
		}
	}
	return j.li.pos(max(0, i))
}

func (j *jsonParser) value(depth int) (*node, error) {
	tok, err := j.dec.Token()
	if err != nil {
		return nil, j.err(err)
	}
	pos := j.start(tok)
	if depth > maxDepth {
		return nil, &syntaxError{pos: pos, code: CodeTooDeep,
			msg: fmt.Sprintf("front matter nests more than %d levels deep; entries need at most 6", maxDepth)}
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: mapNode, pos: pos}
			seen := map[string]bool{}
			for j.dec.More() {
				kt, err := j.dec.Token()
				if err != nil {
					return nil, j.err(err)
				}
				key, _ := kt.(string)
				kpos := j.start(kt)
				if seen[key] {
					return nil, &syntaxError{pos: kpos, code: CodeKeyDuplicate,
						msg: fmt.Sprintf("key %q is defined twice", key)}
				}
				seen[key] = true
				val, err := j.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.fields = append(n.fields, field{key: key, pos: kpos, val: val})
			}
			if _, err := j.dec.Token(); err != nil {
				return nil, j.err(err)
			}
			return n, nil
		case '[':
			n := &node{kind: listNode, pos: pos}
			for j.dec.More() {
				val, err := j.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, val)
			}
			if _, err := j.dec.Token(); err != nil {
				return nil, j.err(err)
			}
			return n, nil
		}
	case string:
		return &node{kind: scalarNode, pos: pos, text: t}, nil
	case json.Number:
		st := intScalar
		if strings.ContainsAny(string(t), ".eE") {
			st = floatScalar
		}
		return &node{kind: scalarNode, pos: pos, text: string(t), stype: st}, nil
	case bool:
		return &node{kind: scalarNode, pos: pos, text: strconv.FormatBool(t), stype: boolScalar}, nil
	case nil:
		return &node{kind: nullNode, pos: pos}, nil
	}
	return nil, &syntaxError{pos: pos, code: CodeSyntax, msg: "JSON: unexpected token"}
}

// listWithItemKey returns the front-matter list, of any entry type, whose
// items are tables with key as their first field ("url": sources,
// "vendor": fleet), or "" if none or several are.
func listWithItemKey(key string) string {
	found := ""
	for _, t := range []Type{TypeAgency, TypeVendor, TypeLaw, TypeIncident, TypePage} {
		for _, f := range FrontMatter(t).Fields {
			if f.Kind != KindList || f.Elem == nil || f.Elem.Object == nil || len(f.Elem.Object.Fields) == 0 || f.Elem.Object.Fields[0].Name != key {
				continue
			}
			if found != "" && found != f.Name {
				return ""
			}
			found = f.Name
		}
	}
	return found
}
