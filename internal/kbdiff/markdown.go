package kbdiff

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/kb"
)

// MaxMarkdown is about the most a Markdown report holds: GitHub refuses a
// comment over 65,536 characters. Past it, changed entries are counted
// rather than shown.
const MaxMarkdown = 60000

// Markdown writes the diff for a pull request comment: tracker changes
// first, then entries added, removed and renamed, then each changed entry
// field by field. Everything that comes from content is escaped, so an
// entry cannot format the comment, mention people or link issues.
func (d *Diff) Markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### What this change does to the knowledge base\n\n")
	fmt.Fprintf(&b, "From %s to %s; the tracker as of %s.", code(d.Base), code(d.Head), d.AsOf)
	if d.Errors.Head > 0 {
		fmt.Fprintf(&b, " **%s has %d content error%s**: `dronekb check` lists them, and the tracker below leaves out what could not be read.", esc(d.Head), d.Errors.Head, plural(d.Errors.Head))
	}
	b.WriteString("\n\n")
	d.problems(&b)
	if d.Empty() {
		b.WriteString("No entry changes.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}

	if len(d.Tracker) == 0 {
		b.WriteString("**Tracker:** no agency changes status.\n\n")
	} else {
		fmt.Fprintf(&b, "**Tracker: %d agenc%s change%s status**\n\n", len(d.Tracker), map[bool]string{true: "y", false: "ies"}[len(d.Tracker) == 1], map[bool]string{true: "s", false: ""}[len(d.Tracker) == 1])
		for i, c := range d.Tracker {
			if b.Len() > trackerBudget {
				fmt.Fprintf(&b, "- …and %d more: run `dronekb diff --format json` for all of them.\n", len(d.Tracker)-i)
				break
			}
			before, after := "(new)", "(removed)"
			if c.Unreadable {
				after = "(cannot be read: `dronekb check` says why)"
			}
			if c.Before != "" {
				before = code(string(c.Before))
			}
			if c.After != "" {
				after = code(string(c.After))
			}
			fmt.Fprintf(&b, "- %s %s: %s → %s: %s", code(c.ID), esc(c.Title), before, after, escReason(c.Reason))
			if c.RenamedFrom != "" {
				fmt.Fprintf(&b, " (was %s)", code(c.RenamedFrom))
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "**Entries:** %d added, %d removed, %d renamed, %d changed\n\n", len(d.Added), len(d.Removed), len(d.Renamed), len(d.Changed))
	list := func(title string, refs []EntryRef) {
		if len(refs) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s:\n\n", title)
		for _, r := range refs {
			fmt.Fprintf(&b, "- %s %s\n", code(r.ID), esc(r.Title))
		}
		b.WriteString("\n")
	}
	list("Added", d.Added)
	list("Removed", d.Removed)
	if len(d.Renamed) > 0 {
		b.WriteString("Renamed:\n\n")
		for _, r := range d.Renamed {
			fmt.Fprintf(&b, "- %s → %s %s\n", code(r.From), code(r.To), esc(r.Title))
		}
		b.WriteString("\n")
	}
	for i, c := range d.Changed {
		var e strings.Builder
		fmt.Fprintf(&e, "#### %s\n\n", named(c.ID, c.Title))
		if c.RenamedFrom != "" {
			fmt.Fprintf(&e, "Renamed from %s.\n\n", code(c.RenamedFrom))
		}
		if len(c.Fields) > 0 {
			e.WriteString("| field | before | after |\n|---|---|---|\n")
			for _, f := range c.Fields {
				before, after := around(f.Before, f.After)
				fmt.Fprintf(&e, "| %s | %s | %s |\n", cell(f.Field), cell(before), cell(after))
			}
			e.WriteString("\n")
		}
		for _, s := range c.SourcesAdded {
			fmt.Fprintf(&e, "- source added: %s\n", code(s))
		}
		for _, s := range c.SourcesDropped {
			fmt.Fprintf(&e, "- source dropped: %s\n", code(s))
		}
		for _, r := range c.SourcesRenumbered {
			fmt.Fprintf(&e, "- source renumbered: %s was [%d], is now [%d]", code(r.URL), r.From, r.To)
			switch {
			case r.Cited && c.Body == nil:
				fmt.Fprintf(&e, "; the text did not change, so its [%d] no longer cite it: check that each citation still names the source it meant\n", r.From)
			case r.Cited:
				fmt.Fprintf(&e, "; the text cites [%d]: check that each citation still names the source it meant\n", r.From)
			default:
				e.WriteString("\n")
			}
		}
		if c.Body != nil {
			fmt.Fprintf(&e, "- text: %d line%s added, %d removed\n", c.Body.Added, plural(c.Body.Added), c.Body.Removed)
		}
		if len(c.SourcesAdded)+len(c.SourcesDropped)+len(c.SourcesRenumbered) > 0 || c.Body != nil {
			e.WriteString("\n")
		}
		if b.Len()+e.Len() > MaxMarkdown {
			fmt.Fprintf(&b, "…and %d more changed entries: run `dronekb diff --format json` for all of them.\n", len(d.Changed)-i)
			break
		}
		b.WriteString(e.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxProblems is how many of the problems a change brings the report
// lists; dronekb check lists them all.
const maxProblems = 30

// The report's sections stop listing when it has reached these many
// bytes, so that the whole stays under MaxMarkdown: the problems a
// quarter of it, the tracker's changes half (a law given a past expiry
// changed 135 agencies at 100,000 generated entries: 50,356 characters
// of reasons), the changed entries the rest.
const (
	problemsBudget = MaxMarkdown / 4
	trackerBudget  = MaxMarkdown * 3 / 4
)

// problems writes the errors and warnings the change brings, if any.
func (d *Diff) problems(b *strings.Builder) {
	if len(d.Problems) == 0 {
		return
	}
	errs := 0
	for _, p := range d.Problems {
		if p.Severity != kb.SevWarning {
			errs++
		}
	}
	warns := len(d.Problems) - errs
	fmt.Fprintf(b, "**Problems this change brings: %d error%s, %d warning%s** (`dronekb check` says how to fix each)\n\n", errs, plural(errs), warns, plural(warns))
	for i, p := range d.Problems {
		if i == maxProblems || b.Len() > problemsBudget {
			fmt.Fprintf(b, "- …and %d more\n", len(d.Problems)-i)
			break
		}
		loc := p.File
		if p.Line > 0 {
			loc = fmt.Sprintf("%s:%d", p.File, p.Line)
		}
		sev := "error"
		if p.Severity == kb.SevWarning {
			sev = "warning"
		}
		fmt.Fprintf(b, "- %s %s %s: %s\n", code(loc), sev, code(string(p.Code)), escReason(p.Message))
	}
	b.WriteString("\n")
}

// named writes an entry's ID, and its title when it has one of its own.
func named(id, title string) string {
	if title == "" || title == id {
		return code(id)
	}
	return code(id) + " " + esc(title)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// maxValue is the most characters of a value a report shows.
const maxValue = 200

// maxReason is the most characters of a tracker's reason or a check's
// message a report shows: a reason names the evidence a reviewer checks
// (the NYPD's ran to 557 characters, and cut at maxValue it lost the
// date it was last seen flying).
const maxReason = 2000

func clip(s string) string { return clipTo(s, maxValue) }

func clipTo(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// around shortens two long values to where they differ, with some words
// of context, so that a change at the end of a long summary shows.
func around(a, b string) (string, string) {
	ra, rb := []rune(strings.Join(strings.Fields(a), " ")), []rune(strings.Join(strings.Fields(b), " "))
	if len(ra) <= maxValue && len(rb) <= maxValue || len(ra) == 0 || len(rb) == 0 {
		return a, b
	}
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	q := 0
	for q < len(ra)-p && q < len(rb)-p && ra[len(ra)-1-q] == rb[len(rb)-1-q] {
		q++
	}
	const context = 40
	cut := func(r []rune) string {
		from, to := max(0, p-context), min(len(r), len(r)-q+context)
		s := string(r[from:to])
		if from > 0 {
			s = "…" + s
		}
		if to < len(r) {
			s += "…"
		}
		return s
	}
	return cut(ra), cut(rb)
}

// code writes text as a code span, which GitHub shows as written: no
// formatting, mention, issue link or HTML.
func code(s string) string {
	s = clip(s)
	if s == "" {
		return "—"
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// cell is a code span fit for a table cell, whose pipes must be escaped
// even inside code.
func cell(s string) string {
	return strings.ReplaceAll(code(s), "|", `\|`)
}

// esc writes text as plain text: every character markdown could read as
// syntax is escaped, and @ and # cannot mention people or link issues.
func esc(s string) string { return escape(clip(s)) }

// escReason is esc for a tracker's reason or a check's message, which
// are shown whole up to maxReason.
func escReason(s string) string { return escape(clipTo(s, maxReason)) }

func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '@' || r == '#':
			// A backslash escape does not stop GitHub's mentions; a
			// zero-width joiner after the sign does.
			b.WriteRune(r)
			b.WriteRune('\u2060')
		case r < 128 && strings.ContainsRune("\\`*_{}[]()<>!|~&", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
