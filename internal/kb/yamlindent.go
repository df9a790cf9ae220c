package kb

import (
	"fmt"
	"slices"
	"strings"
)

// yaml.v3 reports a key indented less than the keys beside it ("did not
// find expected '-' indicator", "did not find expected key") at the line
// where the list or table around it starts: a fleet item's as_of indented
// three spaces where the item's other keys have four is reported at the
// fleet's first item. misindented finds the line itself, by reading the
// blocks of the front matter as their indentation opens and closes them.

// indentBlock is a list or table of block YAML that is open at a line.
type indentBlock struct {
	col int  // the column (0-based) of its keys, or of a list's "- "
	seq bool // a list
	// key is the key whose value the block is ("fleet"); "" at the top
	// or for an item's table.
	key string
	// keys are a table's keys so far, and the file line of the last.
	keys    []string
	keyLine int
	// flow says the last key's value is in brackets ("vendors: [dji]").
	flow bool
	// first is the line (of the YAML text) a table opened by its key
	// starts on, and text what it holds after its indentation.
	first int
	text  string
}

// misindentedKey is a line whose indentation lines it up with no block
// above it.
type misindentedKey struct {
	line, col int    // 1-based; line in the YAML text
	hint      string // what is wrong and what to do
}

// misindented reads the block YAML data, which starts on file line
// baseLine, and returns the first line, at or after line from (of data,
// from 1), whose indentation does not line up with the keys of the blocks
// it could belong to. Block scalars, and quoted values and lists or
// tables in brackets that run over lines, are read past. It gives up (ok
// false) on what it does not follow: nested "- - ", and lines it cannot
// read as a key or an item.
func misindented(data []byte, from, baseLine int) (misindentedKey, bool) {
	lines := strings.Split(string(data), "\n")
	stack := []indentBlock{{col: 0}}
	// opened is the key of the line above when it has no value on its
	// line: the next line may start the block that is its value.
	opened, open := "", false
	skipDeeper := -1 // the indentation of a block scalar's key: its lines are deeper
	var quote byte   // the quote of a value that goes on over lines
	depth := 0       // the brackets still open of a value that goes on over lines
	for n := 1; n <= len(lines); n++ {
		raw := strings.TrimRight(lines[n-1], "\r ")
		if quote != 0 {
			if quoteEnd(raw, quote) >= 0 {
				quote = 0
			}
			continue
		}
		if depth > 0 {
			depth = flowDepth(raw, depth)
			continue
		}
		body := strings.TrimLeft(raw, " ")
		indent := len(raw) - len(body)
		if body == "" || body[0] == '#' {
			continue
		}
		if body[0] == '\t' || body == "---" || body == "..." {
			return misindentedKey{}, false
		}
		if skipDeeper >= 0 {
			if indent > skipDeeper {
				continue
			}
			skipDeeper = -1
		}
		item := body == "-" || strings.HasPrefix(body, "- ")
		top := &stack[len(stack)-1]
		switch {
		case open && (indent > top.col || item && indent == top.col && !top.seq):
			// The value of the key above: a list (also in the column of
			// its key) or a table.
			stack = append(stack, indentBlock{col: indent, seq: item, key: opened, first: n, text: body})
		case indent > top.col:
			if key, _, isKey := splitKey(body); isKey && !item && !open && !top.seq && len(top.keys) > 0 && n >= from {
				if len(stack) > 1 && stack[len(stack)-2].seq && top.col > stack[len(stack)-2].col {
					// A key of a list item indented further than the
					// key on its "- " line: the "- " moved left of the
					// items' keys, or the key right.
					return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
						"%s is indented %s, and %s, the first key of its item (line %d), %s: line up the keys of the item, 2 spaces right of its \"- \"",
						key, spaces(indent), top.keys[0], baseLine+top.first-1, spaces(top.col))}, true
				}
				if top.flow {
					// A key indented further than the key above it,
					// whose value is in brackets ("vendors: [dji]"):
					// yaml.v3 names the key above. (Under a plain value
					// it is indentedUnderValue's.)
					last := top.keys[len(top.keys)-1]
					return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
						"this line is indented further than %s on line %d, which already has its value; start it in the same column as %s",
						last, top.keyLine, last)}, true
				}
			}
			// A value going on over lines, or a line yaml.v3 reports
			// otherwise: the key above is no longer the line above.
			open = false
			top.flow = false
			continue
		default:
			var popped []indentBlock
			for len(stack) > 1 && stack[len(stack)-1].col > indent {
				popped = append(popped, stack[len(stack)-1])
				stack = stack[:len(stack)-1]
			}
			top = &stack[len(stack)-1]
			if top.seq && top.col == indent && !item && len(stack) > 1 && stack[len(stack)-2].col == indent {
				// A key after a list written in its key's column.
				stack = stack[:len(stack)-1]
				top = &stack[len(stack)-1]
			}
			switch {
			case n < from && (top.col < indent || top.seq != item):
				return misindentedKey{}, false
			case top.col < indent && item && len(popped) > 0 && !popped[len(popped)-1].seq && popped[len(popped)-1].key != "":
				// An item after the keys of a first item without its "- ".
				return firstItemHint(n, indent, &popped[len(popped)-1], baseLine)
			case top.col < indent:
				if item {
					if list := nearestList(indent, body, stack, popped); list != nil {
						return itemHint(n, indent, list, baseLine)
					}
				}
				return misalignedHint(n, indent, body, stack, popped, nextIndent(lines[n:]))
			case top.seq && !item:
				return atDashHint(n, indent, body, top, popped)
			case !top.seq && item && top.key != "":
				return firstItemHint(n, indent, top, baseLine)
			case !top.seq && item && len(popped) == 0 && len(stack) > 1 && stack[len(stack)-2].seq && top.col == indent:
				// An item in the column of the keys of the item above:
				// its "- " indented 2 spaces further than theirs.
				return itemHint(n, indent, &stack[len(stack)-2], baseLine)
			case !top.seq && item && len(popped) > 0 && popped[0].seq && popped[0].col > indent:
				// An item left of the list of values it closed:
				// "- incidents/b" at the start of the line among
				// related's items. (One left of a list of tables is
				// indentedUnderValue's.)
				return itemHint(n, indent, &popped[0], baseLine)
			case !top.seq && item:
				return misindentedKey{}, false // a list where a key is expected: not ours
			}
		}
		open = false
		top = &stack[len(stack)-1]
		text, col := body, indent
		if item {
			if body == "-" {
				open, opened = true, ""
				continue
			}
			text = strings.TrimLeft(body[2:], " ")
			col = indent + len(body) - len(text)
			if strings.HasPrefix(text, "- ") || text == "-" {
				return misindentedKey{}, false
			}
		}
		key, value, isKey := splitKey(text)
		if !isKey {
			if !item {
				return misindentedKey{}, false
			}
			quote, depth = runsOn(value)
			continue // a list item that is a value
		}
		if item {
			stack = append(stack, indentBlock{col: col, first: n})
			top = &stack[len(stack)-1]
		}
		top.keys = append(top.keys, key)
		top.keyLine = baseLine + n - 1
		top.flow = value != "" && (value[0] == '[' || value[0] == '{')
		switch {
		case value == "":
			open, opened = true, key
		case value[0] == '|' || value[0] == '>':
			skipDeeper = col
		default:
			quote, depth = runsOn(value)
		}
	}
	return misindentedKey{}, false
}

// splitKey reads a line's text (after its indentation and "- ") as "key:
// value" or "key:", returning the value without a comment. A text that is
// no key (a quoted or bracketed value, "https://…") returns isKey false,
// and itself as the value.
func splitKey(text string) (key, value string, isKey bool) {
	if text == "" || strings.ContainsRune("\"'[{&*!|>%@`?", rune(text[0])) {
		return "", text, false
	}
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '#' && i > 0 && text[i-1] == ' ':
			return "", text, false
		case text[i] == ':' && (i+1 == len(text) || text[i+1] == ' '):
			value = strings.TrimSpace(text[i+1:])
			switch j := strings.Index(value, " #"); {
			case strings.HasPrefix(value, "#"):
				value = ""
			case j >= 0 && value[0] != '"' && value[0] != '\'':
				value = strings.TrimSpace(value[:j])
			}
			return strings.TrimSpace(text[:i]), value, true
		}
	}
	return "", text, false
}

// runsOn says whether a value goes on over the lines after its own: the
// quote it opens and does not close, or how many brackets of a list or
// table in brackets are still open at its end.
func runsOn(value string) (quote byte, depth int) {
	switch {
	case value == "":
	case value[0] == '"' || value[0] == '\'':
		if !closesQuote(value) {
			return value[0], 0
		}
	case value[0] == '[' || value[0] == '{':
		return 0, flowDepth(value, 0)
	}
	return 0, 0
}

// flowDepth returns how many brackets ([ and {) are open after the line
// s of a list or table in brackets, depth of them open before it. Quoted
// text is read past; a comment ends the line.
func flowDepth(s string, depth int) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			end := quoteEnd(s[i+1:], c)
			if end < 0 {
				return depth
			}
			i += end + 1
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return depth
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth = max(0, depth-1)
		}
	}
	return depth
}

// nextIndent is the indentation of the first line of lines with a key or
// an item on it (not blank, not a comment), or -1 if there is none.
func nextIndent(lines []string) int {
	for _, l := range lines {
		body := strings.TrimLeft(strings.TrimRight(l, "\r "), " ")
		if body == "" || body[0] == '#' {
			continue
		}
		if body == "---" || body == "..." {
			return -1
		}
		return len(strings.TrimRight(l, "\r ")) - len(body)
	}
	return -1
}

// spaces says how far a column is indented: "4 spaces".
func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return fmt.Sprintf("%d spaces", n)
}

// keyOf names the line's key for a message, or "this line".
func keyOf(body string) string {
	if key, _, ok := splitKey(strings.TrimPrefix(body, "- ")); ok {
		return key
	}
	return "this line"
}

// misalignedHint explains line n, indented between the block it falls back
// into (the top of stack) and the blocks it closed (popped, innermost
// first): it most likely belongs to the nearer table, and to the table
// above it when they are as near, but to the table it closed when that
// table's keys go on on the next line (indented next).
func misalignedHint(n, indent int, body string, stack, popped []indentBlock, next int) (misindentedKey, bool) {
	key := keyOf(body)
	top := stack[len(stack)-1]
	// The table it closed whose keys are nearest in column: that of a
	// list item, when it closed the list too.
	var inner *indentBlock
	for i := range popped {
		if !popped[i].seq && (inner == nil || popped[i].col < inner.col) {
			inner = &popped[i]
		}
	}
	outer := inner == nil || !top.seq && indent-top.col < inner.col-indent
	if outer && len(stack) == 1 && inner != nil && fieldOwners[key] == nil {
		outer = false // no field of the front matter: it belongs to the item
	}
	if outer && inner != nil && (next == inner.col || slices.Contains(top.keys, key)) {
		// The table's keys go on below it, or the table it would
		// move to has the key already: moved out, it would cut them
		// off or give the key twice (a fleet item's status, a
		// source's title told to start the line; found in review).
		outer = false
	}
	what := fmt.Sprintf("%s is indented %s, which lines it up with no key above it", key, spaces(indent))
	switch {
	case !outer:
		return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
			"%s; indent it as the keys above it (%s)", what, spaces(inner.col))}, true
	case top.seq || len(top.keys) == 0:
		return misindentedKey{}, false
	case top.col == 0:
		return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
			"%s; start it at the beginning of the line, as %s on line %d", what, top.keys[len(top.keys)-1], top.keyLine)}, true
	}
	return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
		"%s; indent it as %s on line %d (%s)", what, top.keys[len(top.keys)-1], top.keyLine, spaces(top.col))}, true
}

// nearestList is the list, of those open above an item line body
// indented indent (stack, outermost first) and those it closed (popped,
// innermost first), that the item most likely belongs to: of the lists
// whose items have the item's first key (a fleet item's vendor), the one
// whose "- " column is nearest to indent, else the nearest of all; the
// inner one of two as near. It is nil if no list is open. Nearness alone
// sent a fleet item written one space left of a history list's items into
// that list (found in review).
func nearestList(indent int, body string, stack, popped []indentBlock) *indentBlock {
	chain := slices.Clone(stack)
	for i := len(popped) - 1; i >= 0; i-- {
		chain = append(chain, popped[i])
	}
	key := keyOf(body)
	var near, nearSame *indentBlock
	dist := func(b *indentBlock) int { return max(b.col-indent, indent-b.col) }
	closer := func(b, than *indentBlock) bool { return than == nil || dist(b) <= dist(than) }
	for i := range chain {
		b := &chain[i]
		if !b.seq {
			continue
		}
		if closer(b, near) {
			near = b
		}
		// The list's items are the table just inside it.
		if i+1 < len(chain) && !chain[i+1].seq && slices.Contains(chain[i+1].keys, key) && closer(b, nearSame) {
			nearSame = b
		}
	}
	if nearSame != nil {
		return nearSame
	}
	return near
}

// itemHint explains an item at line n whose "- " is out of line with the
// items of list, the list it most likely belongs to: the "- " moves, not
// the key after it, which is where a key's indentation hint would send the
// contributor (a source's "   - url:" told to indent url 4 spaces).
func itemHint(n, indent int, list *indentBlock, baseLine int) (misindentedKey, bool) {
	of := ""
	if list.key != "" {
		of = " of " + list.key
	}
	return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
		"this item%s is indented %s, but the items above it are indented %s (line %d); start its \"- \" %s in, as theirs",
		of, spaces(indent), spaces(list.col), baseLine+list.first-1, spaces(list.col))}, true
}

// atDashHint explains a key in the column of a list's "- " (list), where
// it is neither an item nor a key of the item above (popped, innermost
// first): it starts another item without its "- ", if the item above has
// the key already, else it belongs to that item.
func atDashHint(n, indent int, body string, list *indentBlock, popped []indentBlock) (misindentedKey, bool) {
	var item *indentBlock
	for i := range popped {
		if !popped[i].seq {
			item = &popped[i]
		}
	}
	key, _, isKey := splitKey(body)
	if !isKey {
		return misindentedKey{}, false
	}
	of := ""
	if list.key != "" {
		of = " of " + list.key
	}
	if item == nil {
		// A list of values ("- https://…"), and a key in it: an item
		// that is a table, without its "- ".
		return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
			"%s starts another item%s, but without the \"- \" that starts each item; write `%s`",
			key, of, strings.Repeat(" ", indent)+"- "+body)}, true
	}
	for _, k := range item.keys {
		if k == key {
			return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
				"%s starts another item%s, but without the \"- \" that starts each item; write `%s`",
				key, of, strings.Repeat(" ", indent)+"- "+body)}, true
		}
	}
	return misindentedKey{line: n, col: indent + 1, hint: fmt.Sprintf(
		"%s is indented %s, in the column of the \"- \" that starts each item%s; indent it as the keys above it (%s)",
		key, spaces(indent), of, spaces(item.col))}, true
}

// firstItemHint explains an item of a list, at line n, that follows the
// keys of the table m, the value of the list's key too: the first item,
// written without its "- ".
//
//	sources:
//	    url: https://example.org/a   ← no "- "
//	  - url: https://example.org/b
func firstItemHint(n, indent int, m *indentBlock, baseLine int) (misindentedKey, bool) {
	key, _, ok := splitKey(m.text)
	if !ok {
		return misindentedKey{}, false
	}
	at := baseLine + n - 1
	hint := fmt.Sprintf("%s starts an item of %s without the \"- \" that starts each, as on line %d; write `%s`",
		key, m.key, at, strings.Repeat(" ", indent)+"- "+m.text)
	if m.col != indent+2 {
		hint += fmt.Sprintf(", and indent the keys below it %s, as those of the item on line %d", spaces(indent+2), at)
	}
	return misindentedKey{line: m.first, col: m.col + 1, hint: hint}, true
}
