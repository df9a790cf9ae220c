package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// layout is how an index is built: perSegment documents analysed into a
// segment at a time, fanIn segments merged into one at a time, by up to
// workers goroutines.
type layout struct {
	perSegment, fanIn, workers int
}

// defaultLayout: 500 documents a segment take about 65 MB less at their
// peak than 2,000 did, for the same CPU time (BenchmarkIndexBuild10k); a
// worker for each core, up to 4, each holding its batch.
func defaultLayout() layout {
	return layout{perSegment: 500, fanIn: 20, workers: min(runtime.GOMAXPROCS(0), 4)}
}

// zapPlugin writes and merges segments in the format bleve v2.6.1's scorch
// writes by default (zap v17), the format the index's root.bolt names.
var zapPlugin zap.ZapPlugin

// segmentBuild builds the segments of an index on several goroutines.
//
// bleve's offline builder (bleve.NewBuilder) does the same work on the
// goroutine that feeds it, and merges every segment when it is closed. The
// site is written beside the index, and bleve was the last to finish at
// every size: at 100,000 entries it ran alone for 53 s after the site was
// done, on one core of two. Here each worker analyses a batch of documents
// into a segment, and the worker that completes a run of fanIn
// consecutive segments merges them while the others go on; what is left at
// the end is one merge of the runs' segments (none at all up to
// perSegment × fanIn documents, where the one run's merge is the last).
// Runs are consecutive and merged in order, so the index holds the
// documents in the order given, whatever the order the workers finish in.
type segmentBuild struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	scratch string
	m       mapping.IndexMapping
	ids     []string
	docs    []Doc
	layout

	mu      sync.Mutex
	left    []int    // segments of each run not yet written
	batches []string // the path of each batch's segment
	runs    []string // the path of each run's merged segment
}

// buildSegment writes the documents of ids and docs into one zap segment
// at dest, working in scratch (which must exist).
func buildSegment(ctx context.Context, scratch, dest string, m mapping.IndexMapping, ids []string, docs []Doc, l layout) error {
	if l.perSegment < 1 || l.fanIn < 2 {
		return fmt.Errorf("search: %d documents a segment, merged %d at a time: need at least 1 and 2", l.perSegment, l.fanIn)
	}
	nb := (len(docs) + l.perSegment - 1) / l.perSegment
	nr := (nb + l.fanIn - 1) / l.fanIn
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	b := &segmentBuild{ctx: ctx, cancel: cancel, scratch: scratch, m: m, ids: ids, docs: docs, layout: l,
		left: make([]int, nr), batches: make([]string, nb), runs: make([]string, nr)}
	for r := range b.left {
		b.left[r] = min(l.fanIn, nb-r*l.fanIn)
	}
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range nb {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range max(1, min(l.workers, nb)) {
		wg.Go(func() {
			for i := range next {
				if err := b.batch(i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	// The runs' segments, merged fanIn at a time until one is left.
	segs := b.runs
	for level := 0; len(segs) > 1; level++ {
		out := make([]string, (len(segs)+l.fanIn-1)/l.fanIn)
		errs := make([]error, len(out))
		var wg sync.WaitGroup
		sem := make(chan struct{}, max(1, l.workers))
		for j := range out {
			group := segs[j*l.fanIn : min(len(segs), (j+1)*l.fanIn)]
			out[j] = group[0]
			if len(group) == 1 {
				continue
			}
			out[j] = filepath.Join(scratch, fmt.Sprintf("merge-%d-%d.zap", level, j))
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				if errs[j] = b.merge(group, out[j]); errs[j] != nil {
					b.cancel(errs[j]) // the merges beside it stop too
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		segs = out
	}
	return os.Rename(segs[0], dest)
}

// batch analyses batch i of the documents into a segment, and merges its
// run when it is the run's last to be written.
func (b *segmentBuild) batch(i int) error {
	lo, hi := i*b.perSegment, min(len(b.docs), (i+1)*b.perSegment)
	analysed := make([]index.Document, 0, hi-lo)
	for j := lo; j < hi; j++ {
		if (j-lo)%128 == 0 && b.ctx.Err() != nil {
			return context.Cause(b.ctx)
		}
		if b.ids[j] == "" {
			return fmt.Errorf("search: document %d has no ID", j)
		}
		d := b.docs[j]
		d.fill()
		doc := document.NewDocument(b.ids[j])
		if err := b.m.MapDocument(doc, &d); err != nil {
			return fmt.Errorf("search: indexing %s: %w", b.ids[j], err)
		}
		analyse(doc)
		analysed = append(analysed, doc)
	}
	seg, _, err := zapPlugin.New(analysed)
	if err != nil {
		return fmt.Errorf("search: building a segment: %w", err)
	}
	path := filepath.Join(b.scratch, fmt.Sprintf("batch-%d.zap", i))
	unpersisted, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("search: a new segment cannot be written to disk (%T)", seg)
	}
	if err := unpersisted.Persist(path); err != nil {
		return fmt.Errorf("search: writing a segment: %w", err)
	}
	r := i / b.fanIn
	b.mu.Lock()
	b.batches[i] = path
	b.left[r]--
	done := b.left[r] == 0
	b.mu.Unlock()
	if !done {
		return nil
	}
	run := b.batches[r*b.fanIn : min(len(b.batches), (r+1)*b.fanIn)]
	if len(run) == 1 {
		b.runs[r] = run[0]
		return nil
	}
	out := filepath.Join(b.scratch, fmt.Sprintf("run-%d.zap", r))
	if err := b.merge(run, out); err != nil {
		return err
	}
	b.runs[r] = out
	return nil
}

// merge merges the segments at paths, in order, into one at out, and
// removes them.
func (b *segmentBuild) merge(paths []string, out string) (err error) {
	segs := make([]segment.Segment, 0, len(paths))
	defer func() {
		for _, s := range segs {
			if cerr := s.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("search: closing a segment: %w", cerr)
			}
		}
		if err == nil {
			for _, p := range paths {
				if rerr := os.Remove(p); rerr != nil && err == nil {
					err = rerr
				}
			}
		}
	}()
	for _, p := range paths {
		s, err := zapPlugin.Open(p)
		if err != nil {
			return fmt.Errorf("search: opening a segment to merge: %w", err)
		}
		segs = append(segs, s)
	}
	// A build that is cancelled stops its merges too.
	closing := make(chan struct{})
	stop := context.AfterFunc(b.ctx, func() { close(closing) })
	defer stop()
	if _, _, err := zapPlugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), out, closing, nil); err != nil {
		if b.ctx.Err() != nil {
			return context.Cause(b.ctx)
		}
		return fmt.Errorf("search: merging segments: %w", err)
	}
	return nil
}

// analyse analyses a document's indexed fields, as scorch does before it
// writes a segment (scorch.analyze): each field's tokens, and the
// composite fields (_all) that take them when the mapping has any.
// scorch.analyze also composes geoshape fields and analyses nested
// documents; the mapping (newMapping) has neither, and
// TestBuildInSegments compares every answer with bleve's own builder's.
func analyse(doc *document.Document) {
	doc.AddIDField()
	doc.VisitFields(func(f index.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if doc.HasComposite() && f.Name() != "_id" {
			doc.VisitComposite(func(cf index.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}

// writeIndex builds the bleve index of ids and docs at store: its segment
// by buildSegment, and around it the files bleve opens an index by
// (index_meta.json, store/root.bolt), which bleve writes only through its
// builder. The builder is given the first document alone, and the segment
// it writes (store/000000000002.zap, the one its root.bolt names) is then
// replaced by the segment of every document. root.bolt records the
// segment's file name and format, and the mapping; nothing of what the
// segment holds.
func writeIndex(ctx context.Context, dir, store string, m mapping.IndexMapping, ids []string, docs []Doc, l layout) error {
	if len(docs) == 0 {
		return errors.New("search: no documents to index")
	}
	scratch, err := os.MkdirTemp(dir, "segments")
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer os.RemoveAll(scratch)
	whole := filepath.Join(scratch, "whole.zap")
	if err := buildSegment(ctx, scratch, whole, m, ids, docs, l); err != nil {
		return err
	}
	// root.bolt names the segment's format: the one zapPlugin writes,
	// whatever scorch's default.
	b, err := bleve.NewBuilder(store, m, map[string]any{"batchSize": 1, "buildPathPrefix": scratch,
		"forceSegmentType": zapPlugin.Type(), "forceSegmentVersion": int(zapPlugin.Version())})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	first := docs[0]
	first.fill()
	if err := b.Index(ids[0], &first); err != nil {
		// Not b.Close: after a failed batch it has no segment to move
		// and panics. The scratch directory holds what it wrote.
		return fmt.Errorf("search: indexing %s: %w", ids[0], err)
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	names, err := filepath.Glob(filepath.Join(store, "store", "*.zap"))
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if len(names) != 1 {
		return fmt.Errorf("search: bleve's builder wrote %d segments, not one", len(names))
	}
	if err := os.Rename(whole, names[0]); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// segmentIDs returns the IDs of the documents of the bleve index in dir,
// in the order its one segment numbers them.
func segmentIDs(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "bleve", "store", "*.zap"))
	if err != nil || len(names) != 1 {
		return nil, fmt.Errorf("search: %d segments in %s, not one", len(names), dir)
	}
	seg, err := zapPlugin.Open(names[0])
	if err != nil {
		return nil, err
	}
	defer seg.Close()
	ids := make([]string, seg.Count())
	for i := range ids {
		id, err := seg.(interface{ DocID(uint64) ([]byte, error) }).DocID(uint64(i))
		if err != nil {
			return nil, err
		}
		ids[i] = string(id)
	}
	return ids, nil
}
