package kb

import "bytes"

// Value is front matter as written, whatever its format: a table, a list,
// a scalar (as its text) or nothing. It is what a tool that compares
// entries field by field reads (dronekb diff), before any check.
type Value struct {
	Kind   ValueKind
	Text   string   // a scalar's text, as written (after unquoting)
	Keys   []string // a table's keys, in order
	Fields []Value  // a table's values, in the order of Keys
	Items  []Value  // a list's items
	Line   int      // where it is written in the file
}

// ValueKind is what a Value is.
type ValueKind uint8

// The kinds of Value.
const (
	ValueNull ValueKind = iota
	ValueScalar
	ValueTable
	ValueList
)

// Get returns the value of a table's key, and whether it has it.
func (v Value) Get(key string) (Value, bool) {
	for i, k := range v.Keys {
		if k == key {
			return v.Fields[i], true
		}
	}
	return Value{}, false
}

// ParseEntry splits an entry file into its front matter, as a Value, and
// its body, as the loader does. It fails on a file the loader could not
// read either.
func ParseEntry(data []byte) (Value, []byte, error) {
	data = bytes.TrimPrefix(data, bom)
	fm, body, err := splitFrontMatter(data)
	if err != nil {
		return Value{}, nil, err
	}
	root, err := fm.parse()
	if err != nil {
		return Value{}, nil, err
	}
	return valueOf(root), body.data, nil
}

func valueOf(n *node) Value {
	v := Value{Line: n.pos.Line}
	switch n.kind {
	case scalarNode:
		v.Kind, v.Text = ValueScalar, n.text
	case mapNode:
		v.Kind = ValueTable
		for _, f := range n.fields {
			v.Keys = append(v.Keys, f.key)
			v.Fields = append(v.Fields, valueOf(f.val))
		}
	case listNode:
		v.Kind = ValueList
		for _, it := range n.items {
			v.Items = append(v.Items, valueOf(it))
		}
	}
	return v
}
