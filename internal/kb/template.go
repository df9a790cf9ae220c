package kb

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// templateBodies are the bodies of the files `dronekb new` writes: what to
// write, in one's own words, citing sources.
var templateBodies = map[Type]string{
	TypeAgency: `Write what this agency is, what it flies and since when, and what rules apply, in your own
words. End each claim with the number of its source, like this [1]. Link other entries by
their file: [DJI](../vendors/dji.md).
`,
	TypeVendor:   "Write who makes what, where, and which rules name this vendor, citing sources as [1].\n",
	TypeLaw:      "Write what the law does, whom it binds and from when, citing sources as [1].\n",
	TypeIncident: "Write what happened, who was involved and why it matters, citing sources as [1].\n",
	TypePage:     "Write the page in markdown. Link entries by their file: [DJI](../vendors/dji.md).\n",
}

// templateFirstWords is the first sentence of the body `dronekb new`
// writes for an entry of type t, up to its first comma or full stop.
func templateFirstWords(t Type) string {
	first := templateBodies[t]
	if i := strings.IndexAny(first, ",."); i >= 0 {
		first = first[:i]
	}
	return first
}

// templateBodyAt returns where in body the example text `dronekb new`
// wrote for an entry of type t begins, or -1: a contributor who fills in
// the front matter and leaves the body would publish "Write what this
// agency is…" as the agency's description.
func templateBodyAt(t Type, body []byte) int {
	first := templateFirstWords(t)
	if first == "" {
		return -1
	}
	return bytes.Index(body, []byte(first))
}

// Template returns the file `dronekb new` writes for an entry of type t,
// made from the type's declaration: every field, with its doc line as a
// comment; required fields empty, so that check points at each until it
// is filled in; optional ones commented out with an example. title is
// written as given (already quoted for YAML), or left empty. schemaURL,
// if not empty, is written in the comment that tells YAML editors which
// JSON Schema to check the front matter with.
func Template(t Type, title, schemaURL string) string {
	var b strings.Builder
	b.WriteString("---\n")
	if schemaURL != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", schemaURL)
	}
	for _, f := range FrontMatter(t).Fields {
		if f.Name == "title" && title != "" {
			fmt.Fprintf(&b, "title: %s\n", title)
			continue
		}
		writeField(&b, f, "", false, f.Required || f.Open, false)
	}
	b.WriteString("---\n")
	b.WriteString(templateBodies[t])
	return b.String()
}

// commentColumn is where the comments of a template's lines start.
const commentColumn = 32

// templateComment is the comment a field's line carries.
func templateComment(f *Field) string {
	doc := f.Doc
	if f.Kind == KindEnum {
		doc = strings.Join(f.Enum, " | ")
		if f.Doc != "" {
			doc = f.Doc + ": " + doc
		}
	}
	if f.Required {
		return "required: " + doc
	}
	return doc
}

// writeField writes field f at indent, or commented out with its example
// unless open. dash starts a list item ("- vendor:"): indent is then that
// of the item's fields, two columns right of the dash. inComment says that
// indent is inside a commented-out table already: its lines carry the
// "# " of that table, not one more each.
func writeField(b *strings.Builder, f *Field, indent string, dash, open, inComment bool) {
	if !open && !inComment {
		// Commented out: written as it would be filled in, behind a "# ".
		indent += "# "
	}
	line := indent
	if dash {
		line = indent[:len(indent)-2] + "- "
	}
	line += f.Name + ":"
	table := f.Kind == KindObject || (f.Kind == KindList && f.Elem.Kind == KindObject)
	if !table && !f.Required && f.Example != "" {
		line += " " + f.Example
	}
	b.WriteString(pad(line, templateComment(f)) + "\n")
	if !table {
		return
	}
	// The fields of the table, or of the list's first item, one level in.
	sub, obj, item := indent+"  ", f.Object, false
	if f.Kind == KindList {
		sub, obj, item = indent+"    ", f.Elem.Object, true
	}
	first := true
	for _, g := range obj.Fields {
		gOpen := g.Required || g.Open
		if !gOpen && g.Example == "" && !(g.Kind == KindList && g.Elem.Kind == KindObject) {
			continue // a template shows a table's required fields, its lists of tables, and its others with examples
		}
		// Inside a commented-out table every line is commented already.
		writeField(b, g, sub, item && first, gOpen, inComment || !open)
		first = false
	}
}

// pad moves a line's comment to commentColumn. An already commented line
// ("# short: NYPD   # its acronym") keeps its comment where it is.
func pad(line, comment string) string {
	if comment == "" {
		return line
	}
	n := utf8.RuneCountInString(line)
	if n < commentColumn {
		line += strings.Repeat(" ", commentColumn-n)
	} else {
		line += " "
	}
	return line + "# " + comment
}
