package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/dronekb/dronekb/internal/kb"
)

// runSchema writes the JSON Schema of each entry type's front matter, made
// from the same declarations check uses, for editors that validate YAML;
// or, with --format markdown, the field reference of README.md.
func runSchema(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("schema", "[--out DIR] [--base-url URL] [--format json|markdown] [TYPE]\n\n"+
		"Prints the JSON Schema of TYPE's front matter (agency, vendor, law, incident or page),\n"+
		"or writes one per type into --out as <type>.json. dronekb build publishes them in public/schema/.", stderr)
	out := fs.String("out", "", "write every type's schema into this `directory`")
	base := fs.String("base-url", "", "the `URL` the site lives at, which gives each schema its $id (URL/schema/<type>.json)")
	format := fs.String("format", "json", "json (a JSON Schema) or markdown (the field reference of README.md)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *format == "markdown" {
		if len(pos) > 0 || *out != "" {
			return usagef("--format markdown prints the reference of every type; it takes no TYPE or --out")
		}
		_, err := io.WriteString(stdout, kb.FieldReference())
		return err
	}
	if *format != "json" {
		return usagef("--format must be json or markdown, not %q", *format)
	}
	abs := ""
	if *base != "" {
		if _, abs, err = parseBase(*base); err != nil {
			return usagef("%v", err)
		}
	}
	id := func(t kb.Type) string {
		if abs == "" {
			return ""
		}
		return abs + "schema/" + kb.SchemaFile(t)
	}
	types := kb.Types()
	switch {
	case len(pos) > 1:
		return usagef("takes at most one TYPE, got %d", len(pos))
	case len(pos) == 1:
		t := kb.Type(pos[0])
		if kb.FrontMatter(t) == nil {
			return usagef("unknown type %q; use agency, vendor, law, incident or page", pos[0])
		}
		types = []kb.Type{t}
	case *out == "":
		return usagef("name a TYPE to print its schema (dronekb schema agency), or pass --out DIR to write them all")
	}
	for _, t := range types {
		data, err := kb.JSONSchema(t, id(t))
		if err != nil {
			return err
		}
		if *out == "" {
			_, err := stdout.Write(data)
			return err
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		p := filepath.Join(*out, kb.SchemaFile(t))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(stdout, p)
	}
	return nil
}
