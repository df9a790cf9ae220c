package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("new", "TYPE SLUG [--title \"…\"] [--force] [--content DIR] [--base-url URL]\n\nTYPE is agency, vendor, law, incident or page; SLUG is lower-case a-z, 0-9 and -.", stderr)
	title := fs.String("title", "", "the entry's `title`")
	content := fs.String("content", "content", "content `directory`")
	force := fs.Bool("force", false, "write the file even if it exists, or if an entry of that type has a matching title")
	baseURL := fs.String("base-url", "", "the `URL` the site is published at: the template then names its JSON Schema there, rather than in public/schema/")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		what := "needs TYPE and SLUG"
		if len(pos) > 2 {
			what = fmt.Sprintf("takes TYPE and SLUG, not %d arguments (put a title with spaces in quotes after --title)", len(pos))
		}
		return usagef("%s, e.g. dronekb new incident 2024-05-16-house-hearing --title \"House hearing on NYPD drones\"", what)
	}
	typ := strings.TrimSuffix(strings.ToLower(pos[0]), "s")
	if typ == "agencie" {
		typ = "agency"
	}
	sec := kb.SectionFor(kb.Type(typ))
	if sec.Dir == "" {
		return usagef("unknown type %q; use agency, vendor, law, incident or page", pos[0])
	}
	slug := pos[1]
	if !kb.ValidSlug(slug) {
		return usagef("%q is not a slug (lower-case a-z, 0-9 and -, at most 80 characters)%s", slug, kb.SlugAdvice(slug, "try", ""))
	}
	if kb.ReservedOnWindows(slug) {
		return usagef("%q is a name Windows reserves (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9): the file could not be checked out there; choose another slug", slug)
	}
	if kb.ReservedSlug(sec.Type, slug) {
		if sec.Type == kb.TypePage {
			return usagef("a page cannot be called %q: /%s/ is the site's own; choose another slug", slug, slug)
		}
		if slug == kb.ListPageSlug {
			return usagef("an entry cannot be called %q: /%s/page/2/ is the second page of the list of %s; choose another slug", slug, sec.Dir, sec.Dir)
		}
		return usagef("a vendor cannot be called %q: a fleet item's vendor: unknown means the make is not established; name the vendor's file after the vendor", slug)
	}
	schemaURL, err := schemaRef(*baseURL, *content, sec)
	if err != nil {
		return usagef("%v", err)
	}
	if err := requireContentForNew(*content); err != nil {
		return err
	}
	// A built site is no knowledge base: the next build would delete the
	// entry with the rest of it.
	if _, err := os.Lstat(filepath.Join(*content, build.ManifestFile)); err == nil {
		return usagef("--content %q is a site dronekb built, which the next build replaces whole; give the knowledge base's folder, such as content", *content)
	}
	path := filepath.Join(*content, sec.Dir, slug+".md")
	if st, err := os.Lstat(path); err == nil && st.Mode()&os.ModeSymlink != 0 {
		// check refuses a linked entry (FILE_SYMLINK); --force would write
		// over whatever the link points to, outside the knowledge base.
		return fmt.Errorf("%s is a symbolic link, which check refuses as an entry; remove it first", path)
	} else if err == nil && !*force {
		return fmt.Errorf("%s already exists; edit it, or pass --force to start over", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// A second entry for the same agency would be listed twice by the
	// tracker: refuse a title (or, without one, a slug) that matches an
	// existing entry's, as check would warn.
	if !*force && sec.Type != kb.TypePage {
		probe := *title
		if probe == "" {
			probe = strings.ReplaceAll(slug, "-", " ")
		}
		k := build.Load(os.DirFS(*content), kb.Options{Dir: *content}, tuneGC())
		if similar := k.Similar(sec.Type, probe); len(similar) > 0 {
			var names []string
			for _, e := range similar {
				names = append(names, fmt.Sprintf("%s (%q)", e.File, e.Title))
			}
			return fmt.Errorf("%q matches an existing %s: %s; edit that entry instead, or pass --force if this is another %s",
				probe, sec.Type, strings.Join(names, ", "), sec.Type)
		}
	}
	// Without --title the title is left empty, so that check points at it
	// until it is filled in.
	titleYAML := ""
	if *title != "" {
		quoted, err := yaml.Marshal(*title)
		if err != nil {
			return err
		}
		titleYAML = strings.TrimSpace(string(quoted))
	}
	text := kb.Template(sec.Type, titleYAML, schemaURL)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", path)
	fmt.Fprintf(stderr, "Wrote %s. Fill in the fields marked required, then run: %s\n", path, checkCommand(*content))
	return nil
}

// schemaRef is where the template says its JSON Schema is: at the site's
// address when it is given, else where dronekb build writes it beside the
// content (public/schema/), relative to the new file.
func schemaRef(baseURL, content string, sec kb.Section) (string, error) {
	file := kb.SchemaFile(sec.Type)
	if baseURL != "" {
		_, abs, err := parseBase(baseURL)
		if err != nil {
			return "", err
		}
		if abs == "" {
			return "", fmt.Errorf("--base-url %q: give the site's full address, https://…", baseURL)
		}
		return abs + "schema/" + file, nil
	}
	from, err := filepath.Abs(filepath.Join(content, sec.Dir))
	if err != nil {
		return "", err
	}
	to, err := filepath.Abs(filepath.Join(filepath.Dir(filepath.Clean(content)), "public", "schema", file))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(from, to)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}
