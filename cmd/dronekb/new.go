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

	"github.com/dronekb/dronekb/internal/kb"
)

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("new", "TYPE SLUG [--title \"…\"]\n\nTYPE is agency, vendor, law or incident; SLUG is lower-case a-z, 0-9 and -.", stderr)
	title := fs.String("title", "", "the entry's `title`")
	content := fs.String("content", "content", "content `directory`")
	force := fs.Bool("force", false, "overwrite an existing file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("needs TYPE and SLUG, e.g. dronekb new agency paris-police-prefecture --title \"Préfecture de police\"")
	}
	typ := strings.TrimSuffix(strings.ToLower(pos[0]), "s")
	if typ == "agencie" {
		typ = "agency"
	}
	sec := kb.SectionFor(kb.Type(typ))
	if sec.Dir == "" {
		return usagef("unknown type %q; use agency, vendor, law or incident", pos[0])
	}
	slug := pos[1]
	if !kb.ValidSlug(slug) {
		return usagef("%q is not a slug: use lower-case a-z, 0-9 and -, at most 80 characters", slug)
	}
	if kb.ReservedOnWindows(slug) {
		return usagef("%q is a name Windows reserves (CON, PRN, AUX, NUL, COM1 to COM9, LPT1 to LPT9): the file could not be checked out there; choose another slug", slug)
	}
	path := filepath.Join(*content, sec.Dir, slug+".md")
	if _, err := os.Lstat(path); err == nil && !*force {
		return fmt.Errorf("%s already exists; edit it, or pass --force to start over", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// Without --title the title is left empty, so that check points at it
	// until it is filled in.
	titleLine := "    # required: the name readers will see"
	if *title != "" {
		quoted, err := yaml.Marshal(*title)
		if err != nil {
			return err
		}
		titleLine = strings.TrimSpace(string(quoted))
	}
	text := strings.Replace(templates[sec.Type], "{{title}}", titleLine, 1)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", path)
	fmt.Fprintf(stderr, "Wrote %s. Fill in the fields marked required, then run: dronekb check\n", path)
	return nil
}

// templates are the starting files `dronekb new` writes: every field present
// or commented, with the allowed values. Required fields are left empty so
// that check points at each until it is filled in.
var templates = map[kb.Type]string{
	kb.TypeAgency: `---
title: {{title}}
summary:     # one sentence: who they are and what they fly
# short: NYPD                   # acronym
country:     # required: ISO 3166-1 code, e.g. US, FR
# region: US-NY                 # ISO 3166-2 code, starting with the country
# level: local                  # national | state | local
# kind: police                  # police | military | civil | emergency | intelligence | other
# parent: us-dhs                # slug of the agency it belongs to
# website: https://…
tags: []
updated:     # the date you last reviewed this entry, YYYY-MM-DD
fleet:
  - vendor:    # required: vendor slug, e.g. dji
    # model: Mavic 2 Enterprise
    # count: 2
    # acquired: 2019-03          # YYYY, YYYY-MM or YYYY-MM-DD; counts as an active observation
    status: unknown              # latest observed status: active | grounded | retired | unknown
    as_of:     # required: date of that latest observation
    source:    # URL of the document that shows it; must also be listed in sources
    # note: …
    # history:                   # earlier dated observations
    #   - date: 2020-01-29
    #     status: grounded
    #     source: https://…
related: []    # full IDs of related entries, e.g. laws/eo-13981
sources:       # required: at least one; cite them in the text as [1], [2], …
  - url:       # required: http(s) address
    title:
    publisher:
    date:
---
Write what this agency is, what it flies and since when, and what rules apply, in your own
words. End each claim with the number of its source, like this [1]. Link other entries by
their file: [DJI](../vendors/dji.md).
`,
	kb.TypeVendor: `---
title: {{title}}
summary:     # one sentence
# legal_name: …
country:     # required: country of origin, ISO 3166-1 code, e.g. CN
# hq: Shenzhen, Guangdong
# website: https://…
# parent: dji                   # slug of the parent vendor
tags: []
updated:     # YYYY-MM-DD
related: []
sources:
  - url:       # http(s) address
    title:
    publisher:
    date:
---
Write who makes what, where, and which rules name this vendor, citing sources as [1].
`,
	kb.TypeLaw: `---
title: {{title}}
summary:     # one sentence: what it does
# short: NDAA §848
kind:        # statute | regulation | executive-order | policy | bill
country:     # required: ISO 3166-1 code of its jurisdiction
# region: US-FL                 # ISO 3166-2 code, when it is a state or regional law
status:      # required: proposed | enacted | expired | repealed | failed
# introduced: 2019-09-18
# enacted: 2019-12-20           # an enacted law needs enacted or effective
# effective: 2020-01-01
# expires: 2028-12-22
# restricts:                    # the hardware it restricts, if any
#   vendors: [dji]
#   countries: [CN]             # countries of origin
# measure: procurement          # procurement | operation | funding | data | advisory
# binds:                        # whom it binds in its jurisdiction; leave out for everyone there
#   levels: [national]          # national | state | local
#   kinds: [military]           # police | military | civil | emergency | intelligence | other
#   agencies: [us-dod]          # agency slugs
tags: []
updated:     # YYYY-MM-DD
related: []
sources:       # required: at least one
  - url:       # required
    title:
    publisher:
    date:
---
Write what the law does, whom it binds and from when, citing sources as [1].
`,
	kb.TypeIncident: `---
title: {{title}}
summary:     # one sentence: what happened
date:        # required: YYYY, YYYY-MM or YYYY-MM-DD, at the precision the source gives
# place: Times Square, New York
# country: US
# region: US-NY
# kind: surveillance            # surveillance | protest | crash | data | policy | other
agencies: []   # agency slugs
vendors: []    # vendor slugs
laws: []       # law slugs
tags: []
updated:     # YYYY-MM-DD
related: []
sources:       # required: at least one
  - url:       # required
    title:
    publisher:
    date:
---
Write what happened, who was involved and why it matters, citing sources as [1].
`,
}
