package kb

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Most front matter is written in a small part of YAML: keys at the start
// of their lines, values of plain text, quoted text, dates and whole
// numbers, indented lists of text or of tables, and lists of words in
// brackets. parseSimpleYAML reads that part itself, without the tree of
// its own that yaml.v3 builds and parseYAML then converts: at 100,000
// entries yaml.v3 took 46% of what loading a knowledge base cost, and 6%
// of a whole build (dronekb build --cpuprofile). On the front matter under
// content/ it takes 0.17-0.18 × yaml.v3's time, for a third of the bytes
// and a sixth of the allocations (BenchmarkYAMLReaders). Anything else, and anything it is unsure of, it leaves
// to yaml.v3 (ok is false): comments, anchors, tags, block scalars,
// braces, a value that runs on over several lines, an empty value, a tab,
// a carriage return, a value that starts with a sign or a dot. Where it
// answers, it answers as yaml.v3 and fromYAML would, position for position
// (TestSimpleYAML, TestSimpleYAMLOnContent, FuzzSimpleYAML), so every
// error a contributor sees is yaml.v3's.

// yamlLine is a line of front matter that holds something.
type yamlLine struct {
	no     int    // 1-based, in the YAML text
	indent int    // spaces before text
	text   string // the line without its indentation and trailing spaces
}

type simpleYAML struct {
	lines []yamlLine
	i     int
}

// parseSimpleYAML parses YAML front matter that starts on file line
// baseLine, if it is written in the part of YAML described above.
func parseSimpleYAML(data []byte, baseLine int) (*node, bool) {
	if !simpleBytes(data) {
		return nil, false
	}
	src := string(data)
	p := &simpleYAML{lines: make([]yamlLine, 0, bytes.Count(data, []byte{'\n'})+1)}
	for no := 1; src != ""; no++ {
		line, rest, _ := strings.Cut(src, "\n")
		src = rest
		trimmed := strings.TrimLeft(line, " ")
		text := strings.TrimRight(trimmed, " ")
		if text == "" {
			continue
		}
		if text[0] == '#' || text == "---" || text == "..." {
			return nil, false
		}
		p.lines = append(p.lines, yamlLine{no: no, indent: len(line) - len(trimmed), text: text})
	}
	if len(p.lines) == 0 || p.lines[0].indent != 0 {
		return nil, false
	}
	root, ok := p.mapping(0, 0)
	if !ok || p.i != len(p.lines) {
		return nil, false
	}
	root.place(baseLine)
	// The values are pieces of the front matter so far. Give them one
	// string of their own, so that what the entry keeps does not hold
	// the rest of the front matter: the texts first and in order, as
	// convertYAML makes it, then the other values (numbers, dates), which
	// yaml.v3 would have made strings of their own. The keys, which the
	// decoder does not keep, stay pieces of the front matter.
	var texts, others []*node
	size := 0
	root.eachScalar(func(n *node) {
		if n.kind == scalarNode && n.stype == strScalar {
			texts = append(texts, n)
		} else {
			others = append(others, n)
		}
		size += len(n.text)
	})
	var b strings.Builder
	b.Grow(size)
	for _, list := range [][]*node{texts, others} {
		for _, n := range list {
			b.WriteString(n.text)
		}
	}
	long, at := b.String(), 0
	for _, list := range [][]*node{texts, others} {
		for _, n := range list {
			n.text = long[at : at+len(n.text)]
			at += len(n.text)
		}
	}
	return root, true
}

// simpleBytes reports whether data holds none of what parseSimpleYAML
// leaves to yaml.v3 wherever it stands: control characters but the line
// feed (tabs and carriage returns among them, and U+0080-U+009F), invalid
// UTF-8, U+FFFE and U+FFFF, the characters YAML takes for line breaks
// (U+0085, U+2028, U+2029), a byte order mark, and comments after a value
// (" #").
func simpleBytes(data []byte) bool {
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
		case c < 0x20 || c == 0x7f:
			return false
		case c == '#' && i > 0 && data[i-1] == ' ':
			return false
		case c == 0xc2 && i+1 < len(data) && data[i+1] <= 0x9f, // U+0080-U+009F
			c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9),
			c == 0xef && i+2 < len(data) && data[i+1] == 0xbb && data[i+2] == 0xbf,
			c == 0xef && i+2 < len(data) && data[i+1] == 0xbf && data[i+2] >= 0xbe: // U+FFFE, U+FFFF
			return false
		}
	}
	return utf8.Valid(data)
}

// mapping reads the table whose keys start in column indent+1 from the
// current line on.
func (p *simpleYAML) mapping(indent, depth int) (*node, bool) {
	if depth > maxDepth {
		return nil, false
	}
	first := p.lines[p.i]
	n := &node{kind: mapNode, pos: Pos{first.no, indent + 1}}
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, false
		}
		key, ok := simpleKey(l.text)
		if !ok {
			return nil, false
		}
		f := field{key: key, pos: Pos{l.no, indent + 1}}
		rest := l.text[len(key)+1:]
		value := strings.TrimLeft(rest, " ")
		p.i++
		if value == "" {
			// A table or list on the lines below; an empty value is
			// left to yaml.v3.
			if p.i == len(p.lines) {
				return nil, false
			}
			next := p.lines[p.i]
			var val *node
			switch {
			case next.indent > indent && isItem(next.text):
				val, ok = p.sequence(next.indent, depth+1)
			case next.indent > indent:
				val, ok = p.mapping(next.indent, depth+1)
			case next.indent == indent && isItem(next.text):
				val, ok = p.sequence(indent, depth+1)
			default:
				ok = false
			}
			if !ok {
				return nil, false
			}
			f.val = val
		} else {
			// The key, its colon and the spaces are ASCII: the value's
			// column counts bytes as yaml.v3 counts characters.
			col := l.indent + 1 + len(l.text) - len(value)
			val, ok := simpleValue(value, l.no, col, depth+1)
			if !ok {
				return nil, false
			}
			// A line indented under a value would carry it on.
			if p.i < len(p.lines) && p.lines[p.i].indent > indent {
				return nil, false
			}
			f.val = val
		}
		n.fields = append(n.fields, f)
	}
	return n, true
}

// sequence reads the list whose dashes stand in column indent+1 from the
// current line on.
func (p *simpleYAML) sequence(indent, depth int) (*node, bool) {
	if depth > maxDepth {
		return nil, false
	}
	first := p.lines[p.i]
	n := &node{kind: listNode, pos: Pos{first.no, indent + 1}}
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent || (l.indent == indent && !isItem(l.text)) {
			break // the end of the list
		}
		if l.indent > indent {
			return nil, false
		}
		content := strings.TrimLeft(l.text[2:], " ")
		at := l.indent + len(l.text) - len(content) // the dash and spaces are ASCII
		if isItem(content) || content == "-" {
			return nil, false
		}
		if _, ok := simpleKey(content); ok {
			// A table whose first key is on the dash's line: read it as
			// if that key began its own line.
			p.lines[p.i] = yamlLine{no: l.no, indent: at, text: content}
			item, ok := p.mapping(at, depth+1)
			if !ok {
				return nil, false
			}
			n.items = append(n.items, item)
			continue
		}
		val, ok := simpleValue(content, l.no, at+1, depth+1)
		if !ok {
			return nil, false
		}
		p.i++
		if p.i < len(p.lines) && p.lines[p.i].indent > indent {
			return nil, false
		}
		n.items = append(n.items, val)
	}
	return n, true
}

// isItem reports whether a line's text starts a list item.
func isItem(text string) bool {
	return strings.HasPrefix(text, "- ")
}

// simpleKey returns the key of a line "key: value" or "key:", whose key is
// made of ASCII letters, digits, '_' and '-', does not start with '-', and
// is at most 128 characters long.
func simpleKey(text string) (string, bool) {
	i := 0
	for ; i < len(text); i++ {
		c := text[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' && i > 0) {
			break
		}
	}
	// yaml.v3 takes no key of more than 1,024 characters without a "? ".
	if i == 0 || i > 128 || i == len(text) || text[i] != ':' || (i+1 < len(text) && text[i+1] != ' ') {
		return "", false
	}
	return text[:i], true
}

// simpleValue reads a value that starts and ends on its line, at column
// col of line no.
func simpleValue(v string, no, col, depth int) (*node, bool) {
	if depth > maxDepth {
		return nil, false
	}
	pos := Pos{no, col}
	switch v[0] {
	case '"':
		return quoted(v, pos, '"')
	case '\'':
		return quoted(v, pos, '\'')
	case '[':
		return flowList(v, pos, depth)
	case '-', '?', ':', ',', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', '<', '.', '+':
		return nil, false
	}
	if strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
		return nil, false
	}
	return plain(v, pos), true
}

// quoted reads a value in quotes that closes at the end of its line. Of
// the escapes, it reads only \" and \\ in double quotes, and a doubled
// quote in single quotes.
func quoted(v string, pos Pos, q byte) (*node, bool) {
	if len(v) < 2 || v[len(v)-1] != q {
		return nil, false
	}
	inner := v[1 : len(v)-1]
	if strings.IndexByte(inner, q) < 0 && (q == '\'' || strings.IndexByte(inner, '\\') < 0) {
		return &node{kind: scalarNode, pos: pos, text: inner}, true
	}
	var b strings.Builder
	b.Grow(len(inner))
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		switch {
		case q == '"' && c == '\\':
			if i+1 == len(inner) || (inner[i+1] != '"' && inner[i+1] != '\\') {
				return nil, false
			}
			i++
			c = inner[i]
		case c == q && q == '"':
			return nil, false // closed before the end of the line
		case c == q:
			if i+1 == len(inner) || inner[i+1] != q {
				return nil, false
			}
			i++
		}
		b.WriteByte(c)
	}
	return &node{kind: scalarNode, pos: pos, text: b.String()}, true
}

// flowList reads a list of words in brackets, "[police, us, drones]".
func flowList(v string, pos Pos, depth int) (*node, bool) {
	if v[len(v)-1] != ']' {
		return nil, false
	}
	n := &node{kind: listNode, pos: pos}
	inner := v[1 : len(v)-1]
	if inner == "" {
		n.items = []*node{}
		return n, true
	}
	if depth+1 > maxDepth {
		return nil, false // its words would be nested too deeply
	}
	col := pos.Col + 1
	for inner != "" {
		item, rest, more := strings.Cut(inner, ",")
		word := strings.TrimLeft(item, " ")
		lead := len(item) - len(word)
		word = strings.TrimRight(word, " ")
		// In brackets yaml.v3 ends a word at any of ,?[]{} and at a
		// colon; words with those, '#' or quotes are left to it.
		if word == "" || (more && rest == "") || strings.ContainsAny(word, "[]{}:#?\"'") {
			return nil, false
		}
		switch word[0] {
		case '-', '?', '&', '*', '!', '|', '>', '%', '@', '`', '<', '.', '+':
			return nil, false
		}
		wcol := col + utf8.RuneCountInString(item[:lead])
		n.items = append(n.items, plain(word, Pos{pos.Line, wcol}))
		col += utf8.RuneCountInString(item) + 1
		inner = rest
	}
	return n, true
}

// plain reads an unquoted value, typed as yaml.v3 types it: null, true
// and false, and for a value that starts with a digit, as yaml.v3 tries
// it (digitLed); other text is text.
func plain(v string, pos Pos) *node {
	n := &node{kind: scalarNode, pos: pos, text: v}
	switch v {
	case "~", "null", "Null", "NULL":
		n.kind = nullNode
	case "true", "True", "TRUE", "false", "False", "FALSE":
		n.stype = boolScalar
	default:
		if '0' <= v[0] && v[0] <= '9' {
			n.stype = digitLed(v)
		}
	}
	return n
}

// yamlTimestamps and yamlFloat are yaml.v3's.
var (
	yamlTimestamps = []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"}
	yamlFloat      = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)
)

// digitLed types an unquoted value that starts with a digit the way
// yaml.v3 does (its resolve): a date or a time if it parses as one of the
// forms it allows, else a whole number (decimal, 0x, 0o, 0b or a leading
// 0 for octal, with any '_' left out), else a decimal number, else text.
// A date fromYAML tells from a time by its 'T', space or colon.
func digitLed(v string) scalarType {
	if len(v) > 4 && isDigits(v[:4]) && v[4] == '-' {
		formats := yamlTimestamps
		if !strings.ContainsAny(v, "Tt ") {
			// The forms with a time need its 'T', 't' or space: of
			// them, a date can only be the last (and trying the
			// others makes an error each).
			formats = formats[len(formats)-1:]
		}
		for _, f := range formats {
			if _, err := time.Parse(f, v); err == nil {
				if strings.ContainsAny(v, "Tt :") {
					return dateTimeScalar
				}
				return dateScalar
			}
		}
	}
	p := strings.ReplaceAll(v, "_", "")
	if _, err := strconv.ParseInt(p, 0, 64); err == nil {
		return intScalar
	}
	if _, err := strconv.ParseUint(p, 0, 64); err == nil {
		return intScalar
	}
	if yamlFloat.MatchString(p) {
		if _, err := strconv.ParseFloat(p, 64); err == nil {
			return floatScalar
		}
	}
	for _, b := range []struct {
		prefix string
		base   int
	}{{"0b", 2}, {"0o", 8}} {
		if rest, ok := strings.CutPrefix(p, b.prefix); ok {
			if _, err := strconv.ParseInt(rest, b.base, 64); err == nil {
				return intScalar
			}
			if _, err := strconv.ParseUint(rest, b.base, 64); err == nil {
				return intScalar
			}
		}
	}
	return strScalar
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// place moves positions from the YAML text's lines to the file's.
func (n *node) place(baseLine int) {
	n.pos.Line += baseLine - 1
	for i := range n.fields {
		n.fields[i].pos.Line += baseLine - 1
		n.fields[i].val.place(baseLine)
	}
	for _, it := range n.items {
		it.place(baseLine)
	}
}

// eachScalar calls visit with each scalar and null in n, in the order
// they are written.
func (n *node) eachScalar(visit func(*node)) {
	switch n.kind {
	case scalarNode, nullNode:
		visit(n)
	}
	for _, f := range n.fields {
		f.val.eachScalar(visit)
	}
	for _, it := range n.items {
		it.eachScalar(visit)
	}
}
