package search

import (
	"context"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// BuildInSegments is Build with perSegment documents a segment, fanIn
// segments a merge and up to workers goroutines, so that a test can make
// a small knowledge base take every path a large one takes.
func BuildInSegments(ctx context.Context, dir string, ids []string, docs []Doc, opts BuildOptions, perSegment, fanIn, workers int) (int64, error) {
	return build(ctx, dir, ids, docs, opts, layout{perSegment: perSegment, fanIn: fanIn, workers: workers})
}

// BuildWithBleve builds the index as bleve's own offline builder does,
// analysing and writing on one goroutine, so that a test can compare
// Build's index with bleve's.
func BuildWithBleve(dir string, ids []string, docs []Doc, opts BuildOptions) error {
	b, err := bleve.NewBuilder(filepath.Join(dir, "bleve"), newMapping(), map[string]any{"batchSize": 100, "buildPathPrefix": dir})
	if err != nil {
		return err
	}
	for i := range docs {
		d := docs[i]
		d.fill()
		if err := b.Index(ids[i], &d); err != nil {
			return err
		}
	}
	if err := b.Close(); err != nil {
		return err
	}
	return writeMeta(dir, MetaOf(ids, docs, opts))
}

// SegmentIDs returns the IDs of the documents of the index in dir, in the
// order its one segment numbers them.
var SegmentIDs = segmentIDs
