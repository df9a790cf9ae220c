package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "[--format text|json|github] [--strict] [--as-of DATE] [--content DIR | DIR]", stderr)
	format := fs.String("format", "text", "output `format`: text, json or github (Actions annotations)")
	strict := fs.Bool("strict", false, "treat warnings (such as stale evidence) as errors")
	content := fs.String("content", "content", "content `directory` (or give it as the argument)")
	asOfFlag := fs.String("as-of", "", "judge stale evidence as of this `date` (default SOURCE_DATE_EPOCH, else today)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
	case 1:
		*content = pos[0]
	default:
		return usagef("takes at most one content directory, got %d arguments", len(pos))
	}
	if *format != "text" && *format != "json" && *format != "github" {
		return usagef("--format must be text, json or github, not %q", *format)
	}
	asOf, err := asOfDate(*asOfFlag)
	if err != nil {
		return err
	}
	noteFuture(stderr, *asOfFlag, asOf)
	if err := requireDir(*content); err != nil {
		return err
	}
	// A date after today is a slip whatever day --as-of names: it is
	// judged against today, and a date after a past --as-of is none.
	today, err := asOfDate("")
	if err != nil {
		return err
	}
	k := build.Load(os.DirFS(*content), kb.Options{Dir: *content, AsOf: asOf, Today: today}, tuneGC())
	// Severities are reported as they are; --strict only decides that
	// warnings fail the check too (and shows them as errors on GitHub).
	diags := k.Diagnostics
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if diags == nil {
			diags = kb.Diagnostics{}
		}
		if err := enc.Encode(diags); err != nil {
			return err
		}
	case "github":
		// GitHub shows ten annotations of each level a step: errors come
		// first, then warnings, and the warnings that the passing of
		// time raises in files a pull request need not touch (stale
		// evidence, dozens on the shipped content) are notices, so that
		// a contributor's own warnings are not crowded out of the pull
		// request (found in review).
		ordered := slices.Clone(diags)
		rank := func(d kb.Diagnostic) int {
			switch {
			case *strict || d.Severity == kb.SevError:
				return 0
			case d.Code == kb.CodeStaleEvidence:
				return 2
			}
			return 1
		}
		slices.SortStableFunc(ordered, func(a, b kb.Diagnostic) int { return rank(a) - rank(b) })
		for _, d := range ordered {
			level := []string{"error", "warning", "notice"}[rank(d)]
			fmt.Fprintln(stdout, githubAnnotation(d, level))
		}
	default:
		for _, d := range diags {
			fmt.Fprintln(stderr, d)
		}
	}
	errs := diags.Errors(false)
	warns := len(diags) - errs
	if *format == "text" || diags.Errors(*strict) > 0 {
		strictNote := ""
		if *strict && warns > 0 {
			strictNote = " (failing under --strict)"
		}
		fmt.Fprintf(stderr, "%s: %d entr%s, %d error%s, %d warning%s%s\n", *content,
			len(k.Entries), map[bool]string{true: "y", false: "ies"}[len(k.Entries) == 1], errs, plural(errs), warns, plural(warns), strictNote)
	}
	if diags.Errors(*strict) > 0 {
		return errProblems
	}
	return nil
}

// githubAnnotation formats a diagnostic as a GitHub Actions workflow command
// of the level given (error, warning or notice), which shows it on the
// pull request's line.
func githubAnnotation(d kb.Diagnostic, level string) string {
	props := []string{"file=" + escapeProperty(d.File)}
	if d.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", d.Line), fmt.Sprintf("col=%d", max(d.Col, 1)))
	}
	props = append(props, "title="+escapeProperty(string(d.Code)))
	return fmt.Sprintf("::%s %s::%s", level, strings.Join(props, ","), escapeData(d.Message))
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
