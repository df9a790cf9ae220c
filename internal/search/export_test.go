package search

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

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
	if err := (builderMapping{IndexMapping: newMapping()}).MapDocument(fast, &d); err != nil {
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
	built, _ = util.MarshalJSON(mappedAhead{builderMapping{IndexMapping: newMapping()}})
	return plain, built
}

// Postings describes every posting of every field of the index x: for
// each field and term, each document's external id, frequency, norm and
// term vectors, the documents in the order of their ids (the merge of
// the builder's segments numbers them in an order of its own).
func Postings(x *Index) (map[string]string, error) {
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	fields, err := r.Fields()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, field := range fields {
		dict, err := r.FieldDict(field)
		if err != nil {
			return nil, err
		}
		for {
			entry, err := dict.Next()
			if err != nil {
				dict.Close()
				return nil, err
			}
			if entry == nil {
				break
			}
			tfr, err := r.TermFieldReader(context.Background(), []byte(entry.Term), field, true, true, true)
			if err != nil {
				dict.Close()
				return nil, err
			}
			var docs []string
			for {
				d, err := tfr.Next(nil)
				if err != nil {
					tfr.Close()
					dict.Close()
					return nil, err
				}
				if d == nil {
					break
				}
				id, err := r.ExternalID(d.ID)
				if err != nil {
					tfr.Close()
					dict.Close()
					return nil, err
				}
				var b strings.Builder
				fmt.Fprintf(&b, "%s×%d/%g[", id, d.Freq, d.Norm)
				for _, v := range d.Vectors {
					fmt.Fprintf(&b, "%s%v@%d:%d-%d ", v.Field, v.ArrayPositions, v.Pos, v.Start, v.End)
				}
				b.WriteString("]")
				docs = append(docs, b.String())
			}
			tfr.Close()
			slices.Sort(docs)
			out[field+"\x00"+entry.Term] = strings.Join(docs, " ")
		}
		dict.Close()
	}
	return out, nil
}

// KnownStatuses are the statuses a status filter accepts.
var KnownStatuses = knownStatuses
