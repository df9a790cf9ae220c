package search

import (
	"context"
	"fmt"
	"reflect"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
)

// BuildPlain is Build with bleve's own analysis of the text fields, as
// the mapping alone gives it.
func BuildPlain(ctx context.Context, dir string, ids []string, docs []Doc, opts BuildOptions) (int64, error) {
	return build(ctx, dir, ids, docs, opts, newMapping())
}

// AnalyseBothWays maps d as Build does, analyses each field with bleve's
// own analysis and with Build's (analysedText), and describes every
// difference between the two. quick counts the fields Build's analysis
// took.
func AnalyseBothWays(id string, d Doc) (fields, quick int, diffs []string) {
	d.fill()
	plain, fast := document.NewDocument(id), document.NewDocument(id)
	if err := newMapping().MapDocument(plain, &d); err != nil {
		return 0, 0, []string{err.Error()}
	}
	if err := (builderMapping{newMapping()}).MapDocument(fast, &d); err != nil {
		return 0, 0, []string{err.Error()}
	}
	if len(plain.Fields) != len(fast.Fields) {
		return 0, 0, []string{fmt.Sprintf("%d fields, not %d", len(fast.Fields), len(plain.Fields))}
	}
	for i := range plain.Fields {
		a, b := plain.Fields[i], fast.Fields[i]
		if _, ok := b.(*analysedText); ok {
			quick++
		}
		a.Analyze()
		b.Analyze()
		fields++
		if a.Name() != b.Name() {
			diffs = append(diffs, fmt.Sprintf("field %d: %s, not %s", i, b.Name(), a.Name()))
			continue
		}
		if a.AnalyzedLength() != b.AnalyzedLength() {
			diffs = append(diffs, fmt.Sprintf("%s: length %d, not %d", a.Name(), b.AnalyzedLength(), a.AnalyzedLength()))
		}
		if !reflect.DeepEqual(a.AnalyzedTokenFrequencies(), b.AnalyzedTokenFrequencies()) {
			diffs = append(diffs, fmt.Sprintf("%s: frequencies\n got  %s\n want %s", a.Name(), showFreqs(b.AnalyzedTokenFrequencies()), showFreqs(a.AnalyzedTokenFrequencies())))
		}
	}
	return fields, quick, diffs
}

func showFreqs(tf index.TokenFrequencies) string {
	s := ""
	for k, v := range tf {
		s += fmt.Sprintf("%q×%d[", k, v.Frequency())
		for _, l := range v.Locations {
			s += fmt.Sprintf("%d:%d-%d ", l.Position, l.Start, l.End)
		}
		s += "] "
	}
	return s
}

// MappingJSON returns the mapping as bleve stores it in an index, and
// as it stores the mapping Build gives its builder.
func MappingJSON() (plain, built []byte) {
	plain, _ = util.MarshalJSON(newMapping())
	built, _ = util.MarshalJSON(builderMapping{newMapping()})
	return plain, built
}
