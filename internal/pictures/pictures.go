// Package pictures draws the site's pictures as static SVG: the map of
// agencies' tracker statuses, the tracker over time, and timelines. Each
// function takes plain data and returns markup to put inline in a page, so
// the pictures need no script, no font and no other server, and the same
// data always gives the same bytes.
//
// Colours are presentation attributes (fill="#…"), which a
// Content-Security-Policy without 'unsafe-inline' allows and a stylesheet
// may still override; every shape a reader can point at has a <title>.
package pictures

import (
	"html"
	"strconv"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// statusFill is each status's colour: reds for the agencies flying
// restricted drones, darkest for a ban, then amber, greys and blue, and a
// pale grey for no record. They keep their order in lightness, so a reader
// who cannot tell hues apart still sees which is worse.
var statusFill = map[kb.Status]string{
	kb.FlyingBanned:            "#7f0000",
	kb.FlyingRestricted:        "#c62828",
	kb.FlyingRestrictedUnbound: "#ef6c4a",
	kb.StatusUnknownHardware:   "#e0a526",
	kb.GroundedRestricted:      "#78909c",
	kb.Clear:                   "#2e6fb7",
	kb.NoRecord:                "#c9d1d9",
}

// NoAgencyFill is the colour of an area with no agency on record.
const NoAgencyFill = "#eef1f4"

// Fill returns the colour of a status; NoAgencyFill for "".
func Fill(s kb.Status) string {
	if c, ok := statusFill[s]; ok {
		return c
	}
	return NoAgencyFill
}

// Swatch returns a small square of the status's colour, for legends. It
// carries the status as the map's areas do (data-status, "none" for no
// agency), so that a stylesheet that recolours them recolours it too.
func Swatch(s kb.Status) string {
	status := string(s)
	if status == "" {
		status = "none"
	}
	return `<svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><rect width="14" height="14" rx="2" fill="` + Fill(s) + `" data-status="` + status + `"/></svg>`
}

// Worst returns the most serious status among counts (the first of
// kb.Statuses with a count), or "" when all are zero.
func Worst(counts map[kb.Status]int) kb.Status {
	for _, s := range kb.Statuses {
		if counts[s] > 0 {
			return s
		}
	}
	return ""
}

func esc(s string) string { return html.EscapeString(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// num formats a coordinate with at most one decimal.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}
