package pictures

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/geo"
	"github.com/dronekb/dronekb/internal/kb"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed; if that is intended, run go test ./internal/pictures -update and look at the result.\ngot:\n%s", name, got)
	}
}

// element is an SVG element as the checks see it.
type element struct {
	Name   string
	Attr   map[string]string
	Title  string // the text of its <title> child
	Parent *element
}

// parseSVG checks that s is well-formed XML and returns its elements.
func parseSVG(t *testing.T, s string) []*element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var out, stack []*element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not valid XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				e.Parent = stack[len(stack)-1]
			}
			stack = append(stack, e)
			out = append(out, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if n := len(stack); n > 1 && stack[n-1].Name == "title" {
				stack[n-2].Title += string(tok)
			}
		}
	}
	if len(stack) != 0 {
		t.Fatal("unclosed elements")
	}
	if len(out) == 0 || out[0].Name != "svg" || out[0].Title == "" {
		t.Fatal("not an <svg> with a <title>")
	}
	return out
}

// checkShapes checks every shape that stands for a status: it has a title
// and the status's colour.
func checkShapes(t *testing.T, els []*element) int {
	t.Helper()
	n := 0
	for _, e := range els {
		st, ok := e.Attr["data-status"]
		if !ok {
			continue
		}
		n++
		if e.Parent != nil && e.Parent.Name == "a" && e.Title == "" {
			e.Title = e.Parent.Title
		}
		if strings.TrimSpace(e.Title) == "" {
			t.Errorf("<%s data-status=%q data-code=%q> has no title", e.Name, st, e.Attr["data-code"])
		}
		want := NoAgencyFill
		if st != "none" {
			want = Fill(kb.Status(st))
		}
		if e.Attr["fill"] != want {
			t.Errorf("<%s data-status=%q> is %s, not that status's %s", e.Name, st, e.Attr["fill"], want)
		}
	}
	return n
}

var tiny = &geo.Map{ID: "tiny", Title: "Three squares", Width: 30, Height: 10, Areas: []geo.Area{
	{Code: "AA", Name: "Ay", D: "M0 0l10 0 0 10-10 0z"},
	{Code: "BB", Name: "Bee & co", D: "M10 0l10 0 0 10-10 0z"},
	{Code: "CC", Name: "Sea", D: "M20 0l10 0 0 10-10 0z"},
}}

func TestMapGolden(t *testing.T) {
	areas := map[string]Area{
		"AA": {Counts: map[kb.Status]int{kb.FlyingBanned: 1, kb.Clear: 2}, URL: "/countries/aa/"},
		"BB": {Counts: map[kb.Status]int{kb.NoRecord: 1}},
	}
	for code, a := range areas {
		a.Status = Worst(a.Counts)
		areas[code] = a
	}
	svg := Map(tiny, areas, "t")
	golden(t, "map.svg", svg)
	els := parseSVG(t, svg)
	if n := checkShapes(t, els); n != 3 {
		t.Errorf("%d areas drawn; want 3", n)
	}
	for _, e := range els {
		if e.Name == "a" && (e.Attr["href"] != "/countries/aa/" || !strings.HasPrefix(e.Title, "Ay: 3 agencies; most serious status: "+kb.FlyingBanned.Label())) {
			t.Errorf("link %v", e.Attr)
		}
	}
}

// TestRealMaps draws each shipped map with every area in a status of its
// own and checks it is valid, labelled, coloured and small.
func TestRealMaps(t *testing.T) {
	limits := map[string]int{"world": 60_000, "us": 35_000, "fr": 70_000}
	for _, m := range geo.Maps() {
		areas := map[string]Area{}
		for i, a := range m.Areas {
			st := kb.Statuses[i%len(kb.Statuses)]
			areas[a.Code] = Area{Counts: map[kb.Status]int{st: 1}, Status: st, URL: "/x/"}
		}
		svg := Map(m, areas, m.ID)
		els := parseSVG(t, svg)
		if n := checkShapes(t, els); n != len(m.Areas) {
			t.Errorf("%s: %d areas drawn of %d", m.ID, n, len(m.Areas))
		}
		if len(svg) > limits[m.ID] {
			t.Errorf("%s: the map is %d bytes; keep it under %d", m.ID, len(svg), limits[m.ID])
		}
		if m.Source == "" || m.Licence == "" || m.SourceURL == "" {
			t.Errorf("%s: the map does not say its source and licence", m.ID)
		}
		for _, a := range m.Areas {
			if a.Name == "" || !strings.HasPrefix(a.D, "M") {
				t.Errorf("%s: area %q has no name or no outline", m.ID, a.Code)
			}
		}
	}
}

func series() ([]kb.SeriesPoint, []kb.Milestone) {
	pts := []kb.SeriesPoint{
		{Date: kb.MustDate("2023-01-01"), Counts: map[kb.Status]int{kb.NoRecord: 3}},
		{Date: kb.MustDate("2023-04-01"), Counts: map[kb.Status]int{kb.FlyingRestrictedUnbound: 1, kb.NoRecord: 2}},
		{Date: kb.MustDate("2023-07-01"), Counts: map[kb.Status]int{kb.FlyingBanned: 1, kb.Clear: 1, kb.NoRecord: 1}},
		{Date: kb.MustDate("2023-08-15"), Counts: map[kb.Status]int{kb.StatusUnknownHardware: 1, kb.Clear: 2}},
	}
	law := &kb.Entry{ID: "laws/ban", Title: "The <Ban> Act", Law: &kb.Law{Short: "Ban"}}
	p := &kb.Provision{Law: law, Measure: kb.MeasureOperation, Start: kb.MustDate("2023-05-16")}
	law.Law.Provisions = []*kb.Provision{p}
	return pts, []kb.Milestone{{Date: p.Start, At: p.Start.LastDay(), Provisions: []*kb.Provision{p}}}
}

func TestChartGolden(t *testing.T) {
	pts, ms := series()
	svg := Chart(pts, ms, "t")
	golden(t, "chart.svg", svg)
	els := parseSVG(t, svg)
	// Every count is a column segment of its status, and the segments of a
	// date add up to its agencies.
	bars := 0
	for _, e := range els {
		if e.Name == "rect" {
			bars++
		}
	}
	want := 0
	for _, p := range pts {
		want += len(p.Counts)
	}
	if n := checkShapes(t, els); n != want || bars != want {
		t.Errorf("%d segments (%d rects); want one per status and date, %d", n, bars, want)
	}
	if !strings.Contains(svg, "Took effect — 16 May 2023: Ban") {
		t.Error("the milestone is not marked")
	}
	if Chart(nil, nil, "t") != "" {
		t.Error("an empty series should draw nothing")
	}
}

func TestTimelineGolden(t *testing.T) {
	rows := []Row{{Label: "2 × Acme X", Segments: []Segment{
		{From: kb.MustDate("2020-03-31"), To: kb.MustDate("2022-01-09"), Kind: Counted, Label: "counted"},
		{From: kb.MustDate("2022-01-10"), Kind: "grounded", Label: "grounded"}},
		Marks: []Mark{{Date: kb.MustDate("2020-03"), Kind: "flying", Label: "seen flying"}, {Date: kb.MustDate("2022-01-10"), Kind: "grounded", Label: "reported grounded"}}}}
	lines := []Line{{Date: kb.MustDate("2021-06-01"), Label: "Ban takes effect", Kind: "law"}, {Date: kb.MustDate("2023-01-01"), Label: "today", Kind: "as-of"}}
	svg := Timeline(rows, lines, kb.MustDate("2020-03"), kb.MustDate("2023-01-01"), "A fleet", "t")
	golden(t, "timeline.svg", svg)
	// An image to a screen reader holds nothing a keyboard stops on.
	if !strings.Contains(svg, `role="img"`) || strings.Contains(svg, "<a ") || strings.Contains(svg, "tabindex") {
		t.Error("the timeline is an image with links or stops in it")
	}
	// Each stretch is titled and filled after its kind, the counted one
	// hatched; a dot is drawn for each report, titled, and for nothing else.
	dots := 0
	for _, e := range parseSVG(t, svg) {
		switch e.Name {
		case "rect":
			if e.Parent.Name == "pattern" {
				continue
			}
			fill := SegmentFill(e.Attr["data-kind"])
			if e.Attr["data-kind"] == Counted {
				fill = "url(#timeline-t-hatch)"
			}
			if e.Title == "" || e.Attr["fill"] != fill {
				t.Errorf("stretch %v titled %q", e.Attr, e.Title)
			}
		case "circle":
			dots++
			if e.Title == "" || e.Attr["fill"] != SegmentFill(e.Attr["data-kind"]) {
				t.Errorf("dot %v titled %q", e.Attr, e.Title)
			}
		}
	}
	if dots != 2 {
		t.Errorf("%d dots; want one for each of the 2 reports", dots)
	}
	if !strings.Contains(svg, `<pattern id="timeline-t-hatch"`) {
		t.Error("the counted stretch's hatching is not defined")
	}
	if strings.Contains(Timeline([]Row{{Label: "x", Segments: rows[0].Segments[1:]}}, lines, kb.MustDate("2020-03"), kb.MustDate("2023-01-01"), "", "t"), "<pattern") {
		t.Error("a timeline without a counted stretch defines the hatching")
	}
	if Timeline(nil, nil, kb.Date{}, kb.Date{}, "", "") != "" {
		t.Error("no rows should draw nothing")
	}
}

// TestTimelineLegend: each key is its swatch and its words, a report's a
// dot, the counted stretch's hatched, so that neither is told by colour
// alone.
func TestTimelineLegend(t *testing.T) {
	got := TimelineLegend(Key{Kind: "flying", Text: "seen flying", Dot: true}, Key{Kind: Counted, Text: "counted as in service"}, Key{Kind: "grounded", Text: "reported grounded"})
	for _, want := range []string{
		`<circle cx="7" cy="7" r="5" fill="#ef6c4a" stroke="currentColor" stroke-width="1.5"/></svg> seen flying</li>`,
		`<path d="M0 6L6 0M0 13L13 0M7 14L14 7" stroke="#ef6c4a" stroke-width="2.5"/></svg> counted as in service</li>`,
		`<rect width="14" height="14" rx="2" fill="#78909c"/></svg> reported grounded</li>`,
		`a law or provision takes effect`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the legend lacks %q:\n%s", want, got)
		}
	}
}

// TestCard draws a card twice: the same PNG both times, of the size link
// previews expect.
func TestCard(t *testing.T) {
	a, err := Card("Site", "Flies drones a ban binding it forbids", "Tracker status on 1 June 2025.", kb.FlyingBanned)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Card("Site", "Flies drones a ban binding it forbids", "Tracker status on 1 June 2025.", kb.FlyingBanned)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the same card drawn twice differs")
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != 1200 || r.Dy() != 630 {
		t.Errorf("card is %v; want 1200×630", r)
	}
	// The band is the status's colour.
	r, g, bl, _ := img.At(10, 300).RGBA()
	if want := hexColor(Fill(kb.FlyingBanned)); uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(bl>>8) != want.B {
		t.Errorf("the band is %d,%d,%d; want %v", r>>8, g>>8, bl>>8, want)
	}
}
