package kb

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity says whether a diagnostic fails a check ("error") or only fails it
// under --strict ("warning").
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Code is a stable, greppable name for a kind of content problem.
type Code string

// The diagnostic codes. Each names one rule of the entry format; README.md
// lists them for contributors.
const (
	CodeFileUnreadable   Code = "FILE_UNREADABLE"
	CodeFileTooLarge     Code = "FILE_TOO_LARGE"
	CodeFileSymlink      Code = "FILE_SYMLINK"
	CodeFileNotMarkdown  Code = "FILE_NOT_MARKDOWN"
	CodeFileEncoding     Code = "FILE_ENCODING"
	CodeMergeConflict    Code = "MERGE_CONFLICT"
	CodeFileUnexpected   Code = "FILE_UNEXPECTED"
	CodeFileMisplaced    Code = "FILE_MISPLACED"
	CodeSlugInvalid      Code = "SLUG_INVALID"
	CodeIDDuplicate      Code = "ID_DUPLICATE"
	CodeFrontMatter      Code = "FRONT_MATTER_MISSING"
	CodeSyntax           Code = "SYNTAX"
	CodeYAMLAlias        Code = "YAML_ALIAS"
	CodeTooDeep          Code = "NESTING_TOO_DEEP"
	CodeKeyDuplicate     Code = "KEY_DUPLICATE"
	CodeFieldUnknown     Code = "FIELD_UNKNOWN"
	CodeFieldRequired    Code = "FIELD_REQUIRED"
	CodeFieldType        Code = "FIELD_TYPE"
	CodeFieldEnum        Code = "FIELD_ENUM"
	CodeFieldEmpty       Code = "FIELD_EMPTY"
	CodeFieldTooLong     Code = "FIELD_TOO_LONG"
	CodeAfterProvisions  Code = "FIELD_AFTER_PROVISIONS"
	CodeDate             Code = "DATE_INVALID"
	CodeDateOrder        Code = "DATE_ORDER"
	CodeCountry          Code = "COUNTRY_INVALID"
	CodeRegion           Code = "REGION_INVALID"
	CodeURL              Code = "URL_INVALID"
	CodeSourceMissing    Code = "SOURCE_MISSING"
	CodeSourceNotListed  Code = "SOURCE_NOT_LISTED"
	CodeSourceDuplicate  Code = "SOURCE_DUPLICATE"
	CodeCitationRange    Code = "CITATION_NOT_FOUND"
	CodeCitationInvalid  Code = "CITATION_INVALID"
	CodeRefNotFound      Code = "REF_NOT_FOUND"
	CodeRefWrongType     Code = "REF_WRONG_TYPE"
	CodeRefSelf          Code = "REF_SELF"
	CodeRefDuplicate     Code = "REF_DUPLICATE"
	CodeLinkNotFound     Code = "LINK_NOT_FOUND"
	CodeLinkUnsafe       Code = "LINK_UNSAFE"
	CodeLinkRelative     Code = "LINK_RELATIVE"
	CodeLinkBroken       Code = "LINK_BROKEN"
	CodeParentCycle      Code = "PARENT_CYCLE"
	CodeSomeComponents   Code = "SOME_COMPONENTS"
	CodeRefOutside       Code = "REF_OUTSIDE"
	CodeStaleEvidence    Code = "STALE_EVIDENCE"
	CodeObservedLater    Code = "OBSERVED_AFTER_AS_OF"
	CodeDateLater        Code = "DATE_AFTER_AS_OF"
	CodeValueCut         Code = "VALUE_CUT"
	CodeBodyTemplate     Code = "BODY_TEMPLATE"
	CodeLevelMissing     Code = "LEVEL_MISSING"
	CodeRegionMissing    Code = "REGION_MISSING"
	CodeNearDuplicate    Code = "NEAR_DUPLICATE"
	CodeContentMissing   Code = "CONTENT_MISSING"
	CodeFileScratch      Code = "FILE_SCRATCH"
	CodeSummaryMultiline Code = "SUMMARY_MULTILINE"
	CodeRawHTML          Code = "RAW_HTML"
	CodeIndentedCode     Code = "INDENTED_CODE"
	CodeBodyTooComplex   Code = "BODY_TOO_COMPLEX"
)

// Diagnostic is one content problem at a place in a file. File is the path a
// contributor would open ("content/agencies/nypd.md"); Line and Col are
// 1-based, 0 when the problem concerns the whole file.
type Diagnostic struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Severity Severity `json:"severity"`
	Code     Code     `json:"code"`
	Message  string   `json:"message"`
}

// String formats the diagnostic as "path:line:col: CODE message", the form
// editors and CI logs link to, on one line: a line break in the message (a
// value quoted from the file, "Mavic\n3") is written \n, so that each line
// of a report is one problem with its place.
//
// So are the file's name and the names a message gives of other files
// (a pull request can add "vendors/x\ny.md", or a name holding a
// terminal's escapes): a name in which a character does not print, or
// that is not UTF-8, is written quoted, as Go quotes a string, and such a
// character elsewhere in the message is written as Go would escape it.
// Written as they were, a line break began a line of its own that could
// pass for another problem, and the escapes reached the reader's terminal.
func (d Diagnostic) String() string {
	file := printableFile(d.File)
	loc := file
	if d.Line > 0 {
		loc = fmt.Sprintf("%s:%d:%d", file, d.Line, max(d.Col, 1))
	}
	sev := ""
	if d.Severity == SevWarning {
		sev = "warning: "
	}
	return fmt.Sprintf("%s: %s%s %s", loc, sev, d.Code, printableText(oneLine.Replace(d.Message)))
}

// printable says whether r prints as itself on one line of a terminal.
func printable(r rune) bool { return r == ' ' || r == '\t' || unicode.IsPrint(r) }

// printableFile returns a file's name as it is when every character of it
// prints, and quoted otherwise.
func printableFile(name string) string {
	if utf8.ValidString(name) && !strings.ContainsFunc(name, func(r rune) bool { return !printable(r) }) {
		return name
	}
	return strconv.Quote(name)
}

// printableText writes each character of s that does not print, and each
// byte that is not UTF-8, as Go escapes it in a quoted string.
func printableText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return !printable(r) }) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if printable(r) && (r != utf8.RuneError || n > 1) {
			b.WriteString(s[:n])
		} else {
			q := strconv.Quote(s[:n])
			b.WriteString(q[1 : len(q)-1])
		}
		s = s[n:]
	}
	return b.String()
}

var oneLine = strings.NewReplacer("\r\n", `\n`, "\n", `\n`, "\r", `\r`)

// Diagnostics is a list of content problems, sorted by place.
type Diagnostics []Diagnostic

// Errors returns how many diagnostics are errors, counting warnings too when
// strict is set.
func (ds Diagnostics) Errors(strict bool) int {
	n := 0
	for _, d := range ds {
		if d.Severity == SevError || strict {
			n++
		}
	}
	return n
}

// Error makes a non-empty Diagnostics usable as an error: it names the first
// problem and how many there are.
func (ds Diagnostics) Error() string {
	switch n := ds.Errors(false); n {
	case 0:
		return "no content errors"
	case 1:
		return ds.first().String()
	default:
		return fmt.Sprintf("%s (and %d more errors; run dronekb check)", ds.first(), n-1)
	}
}

func (ds Diagnostics) first() Diagnostic {
	for _, d := range ds {
		if d.Severity == SevError {
			return d
		}
	}
	return ds[0]
}

func (ds Diagnostics) sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}
