package kb

import (
	"fmt"
	"strings"
)

// FieldReference returns the field reference of README.md as markdown,
// made from the declarations of the entry types: a table per type, then
// one per kind of table inside them (fleet items, sources, provisions…).
func FieldReference() string {
	var b strings.Builder
	var nested []*Object
	seen := map[*Object]bool{}
	collect := func(o *Object) {
		var walk func(o *Object)
		walk = func(o *Object) {
			for _, f := range o.Fields {
				inner := f.Object
				if f.Kind == KindList && f.Elem.Kind == KindObject {
					inner = f.Elem.Object
				}
				if inner != nil && !seen[inner] {
					seen[inner] = true
					nested = append(nested, inner)
					walk(inner)
				}
			}
		}
		walk(o)
	}
	for _, t := range Types() {
		sec := SectionFor(t)
		fmt.Fprintf(&b, "**%s** (`content/%s/<slug>.md`)\n\n", t, sec.Dir)
		writeFieldTable(&b, FrontMatter(t))
		collect(FrontMatter(t))
	}
	for _, o := range nested {
		fmt.Fprintf(&b, "**%s**", strings.TrimPrefix(strings.TrimPrefix(o.Noun, "a "), "an "))
		switch {
		case o.Shorthand != "":
			fmt.Fprintf(&b, " (or just its `%s`)", o.Shorthand)
		case len(o.NeedOne) > 0:
			fmt.Fprintf(&b, " (at least one of %s)", orList(quoteAll(o.NeedOne)))
		}
		b.WriteString("\n\n")
		writeFieldTable(&b, o)
	}
	return b.String()
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "`" + n + "`"
	}
	return out
}

func writeFieldTable(b *strings.Builder, o *Object) {
	b.WriteString("| field | value | |\n|---|---|---|\n")
	for _, f := range o.Fields {
		req := ""
		if f.Required {
			req = "**required** "
		}
		fmt.Fprintf(b, "| `%s` | %s | %s%s |\n", f.Name, kindText(f), req, f.Doc)
	}
	for _, c := range o.Conditions {
		fmt.Fprintf(b, "\nWhen `%s` is %s, %s is required too.\n", c.Field, orList(quoteAll(c.Values)), orList(quoteAll(c.NeedOne)))
	}
	b.WriteString("\n")
}

// kindText says in words what kind of value a field takes.
func kindText(f *Field) string {
	switch f.Kind {
	case KindText:
		return fmt.Sprintf("text, up to %d characters", f.Max)
	case KindDate:
		return "date"
	case KindEnum:
		return "`" + strings.Join(f.Enum, "` \\| `") + "`"
	case KindURL:
		return "http(s) URL"
	case KindCountry:
		return "country code (ISO 3166-1)"
	case KindRegion:
		return "region code (ISO 3166-2)"
	case KindCount:
		return "whole number"
	case KindRef:
		s := string(f.Ref) + " slug"
		for _, a := range f.Also {
			s += " or `" + a + "`"
		}
		return s
	case KindID:
		return "entry ID"
	case KindTag:
		return "tag"
	case KindObject:
		return strings.TrimPrefix(strings.TrimPrefix(f.Object.Noun, "a "), "an ") + " (below)"
	case KindList:
		var inner string
		switch e := f.Elem; e.Kind {
		case KindObject:
			inner = strings.TrimPrefix(strings.TrimPrefix(e.Object.Noun, "a "), "an ") + "s (below)"
		case KindEnum:
			inner = "values among " + kindText(e)
		case KindCountry:
			inner = "country codes (ISO 3166-1)"
		default:
			inner = kindText(e) + "s"
		}
		s := "list of " + inner
		if f.Min > 0 {
			s += fmt.Sprintf(", at least %d", f.Min)
		}
		return s
	}
	return string(f.Kind)
}
