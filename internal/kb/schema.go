package kb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dronekb/dronekb/internal/iso3166"
)

// SchemaDraft is the JSON Schema dialect of the schemas JSONSchema writes.
const SchemaDraft = "https://json-schema.org/draft/2020-12/schema"

// SchemaFile names the schema of entries of type t, as the build
// publishes it under public/schema/: "agency.json".
func SchemaFile(t Type) string { return string(t) + ".json" }

// JSONSchema returns the JSON Schema of the front matter of entries of type
// t, derived from its declaration (FrontMatter), so that an editor can
// check an entry as it is typed. id, if not empty, is the URL the schema
// is published at. A front matter the loader accepts always validates; one
// with an unknown field, a value of the wrong kind or shape, a value not
// among an enumeration's or a missing required field does not. What needs
// the rest of the knowledge base (references, cited sources) or the
// calendar (2023-02-29) is left to `dronekb check`.
func JSONSchema(t Type, id string) ([]byte, error) {
	o := FrontMatter(t)
	if o == nil {
		return nil, fmt.Errorf("no entry type %q", t)
	}
	s := objectSchema(o, t)
	if t == TypeLaw {
		// A law in force (or once in force) that restricts hardware
		// without listing provisions says what it does to it: without
		// a measure it would restrict nothing (the loader's
		// FIELD_REQUIRED; for a bill, a warning).
		restricting := schema{"anyOf": []any{
			schema{"required": []string{"vendors"}, "properties": schema{"vendors": schema{"type": "array", "minItems": 1}}},
			schema{"required": []string{"countries"}, "properties": schema{"countries": schema{"type": "array", "minItems": 1}}},
		}}
		rule := schema{
			"if": schema{
				"required":   []string{"restricts", "status"},
				"properties": schema{"restricts": restricting, "status": schema{"enum": []string{"enacted", "expired", "repealed"}}},
				"not":        given("provisions"),
			},
			"then": given("measure"),
		}
		all, _ := s["allOf"].([]any)
		s["allOf"] = append(all, rule)
	}
	s["$schema"] = SchemaDraft
	if id != "" {
		s["$id"] = id
	}
	sec := SectionFor(t)
	s["title"] = fmt.Sprintf("dronekb %s", t)
	s["description"] = fmt.Sprintf("The front matter of a dronekb %s: a file content/%s/<slug>.md.", t, sec.Dir)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type schema = map[string]any

func objectSchema(o *Object, t Type) schema {
	props := schema{}
	var req []string
	for _, f := range o.Fields {
		fs := fieldSchema(f)
		if !f.Required {
			fs = nullable(fs)
		}
		props[f.Name] = fs
		if f.Required {
			req = append(req, f.Name)
		}
	}
	s := schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(req) > 0 {
		s["required"] = req
	}
	var all []any
	if len(o.NeedOne) > 0 {
		var alts []any
		for _, name := range o.NeedOne {
			alts = append(alts, given(name))
		}
		all = append(all, schema{"anyOf": alts})
	}
	for _, c := range o.Conditions {
		var alts []any
		for _, name := range c.NeedOne {
			alts = append(alts, given(name))
		}
		all = append(all, schema{
			"if":   schema{"properties": schema{c.Field: schema{"enum": c.Values}}, "required": []string{c.Field}},
			"then": schema{"anyOf": alts},
		})
	}
	for _, group := range o.Exclusive {
		var both []any
		for _, name := range group {
			both = append(both, given(name))
		}
		// At most one: no two of them given together.
		for i := range both {
			for j := i + 1; j < len(both); j++ {
				all = append(all, schema{"not": schema{"allOf": []any{both[i], both[j]}}})
			}
		}
	}
	if len(all) > 0 {
		s["allOf"] = all
	}
	if o.Shorthand != "" {
		// A bare value stands for the shorthand field: a source given as its URL.
		return schema{"anyOf": []any{s, fieldSchema(o.Field(o.Shorthand))}}
	}
	return s
}

// given matches a table in which the named key has a value (not null).
func given(name string) schema {
	return schema{"required": []string{name}, "properties": schema{name: schema{"not": schema{"type": "null"}}}}
}

// nullable lets an optional field be written without a value, which
// counts as leaving it out.
func nullable(s schema) schema {
	return schema{"anyOf": []any{schema{"type": "null"}, s}}
}

// The shapes of scalar values, as JSON Schema (ECMA-262) patterns.
var (
	datePattern   = `^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`
	urlPattern    = "^[hH][tT][tT][pP][sS]?://[^/?#@\\s\"<>\\\\^`{|}" + notText + "]+([/?#][^\\s\"<>\\\\^`{|}" + notText + "]*)?$"
	regionPattern = `^[A-Z]{2}-[A-Z0-9]{1,3}$`
	// A record's date (Field.Since): from 1900 on.
	recordDatePattern = `^(19[0-9]{2}|[2-9][0-9]{3})(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`
	// A text value has something besides spaces, and no control
	// character but tabs and line breaks, nor a character that embeds,
	// overrides or isolates a direction (bidiControl; written as
	// themselves, which both ECMA-262 and Go read in a class).
	textPattern = "^[^" + notText + "]*[^ \\x09\\x0A" + notText + "][^" + notText + "]*$"
	notText     = "\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F\u202a-\u202e\u2066-\u2069"
)

func fieldSchema(f *Field) schema {
	s := scalarSchema(f)
	switch f.Kind {
	case KindList:
		arr := schema{"type": "array", "items": fieldSchema(f.Elem)}
		if f.Max > 0 {
			arr["maxItems"] = f.Max
		}
		if f.Min > 0 {
			arr["minItems"] = f.Min
		}
		s = arr
		// One scalar counts as a list of one.
		var single schema
		switch {
		case f.Elem.Kind != KindObject:
			single = fieldSchema(f.Elem)
		case f.Elem.Object.Shorthand != "":
			single = fieldSchema(f.Elem.Object.Field(f.Elem.Object.Shorthand))
		}
		if single != nil && f.Min <= 1 {
			s = schema{"anyOf": []any{arr, single}}
		}
	case KindObject:
		s = objectSchema(f.Object, "")
	}
	if f.Doc != "" {
		s["description"] = f.Doc
	}
	return s
}

// wholeDate turns a date pattern, whose month and day are optional, into
// that of a date with both.
func wholeDate(pattern string) string {
	const optional = `(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`
	if !strings.HasSuffix(pattern, optional) {
		panic("kb: a date pattern does not end in an optional month and day")
	}
	return strings.TrimSuffix(pattern, optional) + `-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
}

// scalarSchema is the schema of a value of one of the scalar kinds.
func scalarSchema(f *Field) schema {
	switch f.Kind {
	case KindText:
		// Numbers and true/false are taken as written.
		s := schema{"type": []string{"string", "number", "boolean"}, "pattern": textPattern}
		if f.Max > 0 {
			s["maxLength"] = f.Max
		}
		return s
	case KindDate:
		pattern, least := datePattern, 1000
		if f.Since == firstRecordYear {
			pattern, least = recordDatePattern, firstRecordYear
		} else if f.Since != 0 {
			panic("kb: a date field's Since is 0 or firstRecordYear, which the schema's pattern spells out")
		}
		if f.Day {
			// A whole date, which no number is.
			return schema{"type": "string", "pattern": wholeDate(pattern)}
		}
		return schema{"anyOf": []any{
			schema{"type": "string", "pattern": pattern},
			schema{"type": "integer", "minimum": least, "maximum": 9999}, // a year, unquoted
		}}
	case KindEnum:
		return schema{"enum": f.Enum}
	case KindURL:
		return schema{"type": "string", "pattern": urlPattern, "maxLength": maxURLLen}
	case KindCountry:
		return schema{"enum": iso3166.Countries()}
	case KindRegion:
		return schema{"type": "string", "pattern": regionPattern}
	case KindCount:
		return schema{"type": "integer", "minimum": 1, "maximum": 1_000_000}
	case KindRef:
		// A reference may carry its section ("vendors/dji"); check warns.
		dir := SectionFor(f.Ref).Dir
		return schema{"type": "string", "pattern": `^(` + dir + `/)?[a-z0-9-]{1,80}$`}
	case KindID:
		var dirs []string
		for _, s := range Sections {
			dirs = append(dirs, s.Dir)
		}
		return schema{"type": "string", "pattern": `^(` + strings.Join(dirs, "|") + `)/[a-z0-9-]{1,80}(\.md)?$`}
	case KindTag:
		// An unquoted number is a tag too (2020).
		return schema{"type": []string{"string", "integer"}, "pattern": fmt.Sprintf(`^[a-z0-9-]{1,%d}$`, f.Max), "minimum": 0,
			"not": schema{"enum": windowsDevices}}
	}
	return schema{}
}
