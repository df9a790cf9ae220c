// Package geo holds the boundaries the site's maps are drawn from: the
// countries of the world, the states of the United States and the
// départements of metropolitan France, each an SVG path in the map's own
// coordinates, keyed by ISO 3166 code. gen.go made maps.json once from
// openly licensed sources (Natural Earth, the US Census Bureau, MapSVG),
// simplified; each Map says its source and licence, which the site shows
// beside the map.
package geo

//go:generate go run gen.go

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed maps.json
var mapsJSON []byte

// Map is one map: its areas, its size in its own units, and where its
// boundaries come from.
type Map struct {
	ID         string `json:"id"` // "world", "us", "fr"
	Title      string `json:"title"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	Source     string `json:"source"`
	SourceURL  string `json:"source_url"`
	Licence    string `json:"licence"`
	LicenceURL string `json:"licence_url,omitempty"`
	Areas      []Area `json:"areas"`
}

// Area is a country, state or département: its ISO 3166 code ("FR",
// "US-NY", "FR-75"; empty for the few countries ISO 3166 does not list),
// its name, its parent région for a département ("FR-IDF"), and its outline.
type Area struct {
	Code   string `json:"code,omitempty"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
	D      string `json:"d"`
}

var (
	once sync.Once
	maps []*Map
)

// Maps returns every map, in a fixed order: the world, the United States,
// France.
func Maps() []*Map {
	once.Do(func() {
		var f struct{ Maps []*Map }
		if err := json.Unmarshal(mapsJSON, &f); err != nil {
			panic("geo: maps.json: " + err.Error())
		}
		maps = f.Maps
	})
	return maps
}

// Get returns the map with the given ID, or nil.
func Get(id string) *Map {
	for _, m := range Maps() {
		if m.ID == id {
			return m
		}
	}
	return nil
}
