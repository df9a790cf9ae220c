package search

import "context"

// BuildInSegments is Build with perSegment documents a segment, fanIn
// segments a merge and up to workers goroutines, so that a test can make
// a small knowledge base take every path a large one takes.
func BuildInSegments(ctx context.Context, dir string, ids []string, docs []Doc, opts BuildOptions, perSegment, fanIn, workers int) (int64, error) {
	return build(ctx, dir, ids, docs, opts, layout{perSegment: perSegment, fanIn: fanIn, workers: workers})
}

// SegmentIDs returns the IDs of the documents of the index in dir, in the
// order its one segment numbers them.
var SegmentIDs = segmentIDs
