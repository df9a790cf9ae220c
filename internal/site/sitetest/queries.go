package sitetest

// QueryClass is a kind of search that benchmarks time on a generated
// knowledge base (Generate), with a few requests of its kind as
// /api/search query strings.
type QueryClass struct {
	Name    string
	Queries []string
}

// QueryClasses are the kinds of search the benchmarks measure on a
// generated knowledge base. Every request finds something there from 1,000
// entries up: a benchmark that measured empty answers would prove nothing.
var QueryClasses = []QueryClass{
	// Place names and numbers: a few hits each.
	{"words", []string{"q=paris", "q=texas+agency", "q=bayern+incident", "q=california+drones", "q=123"}},
	// Pairs of words that each appear in nearly every entry.
	{"phrase-common", []string{`q="police department"`, `q="drone fleet"`, `q="federal grant"`, `q="privacy warrant"`, `q="court ruling"`}},
	// A word in nearly every entry: facet counts over nearly every entry.
	{"facets-common-word", []string{"q=drone", "q=police", "q=surveillance", "q=data"}},
	// No words: filters only.
	{"filter-only", []string{"type=agency&country=FR", "vendor=vendor-0003", "type=agency&restricted=true", "status=in-force&country=US", "tag=law&country=GB&sort=date"}},
}
