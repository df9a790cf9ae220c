package search

import "context"

// WriteStatic writes the browser's search index under publicDir/search/.
// (Being written.)
func WriteStatic(ctx context.Context, publicDir string, ids []string, docs []Doc, opts BuildOptions) error {
	return nil
}
