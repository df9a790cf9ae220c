package search

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Bleve's builder does all its work on the goroutine that calls it: each
// Index call that fills a batch analyses the batch's documents, makes a
// segment of them and writes it. build gives it documents already read,
// mapped and their text fields analysed (analysedText), and with
// BuildOptions.MapAhead it makes them on a goroutine of its own, up to a
// batch ahead of the builder: at 100,000 entries about a quarter of the
// bleve index's CPU time (9 of 38 s), done on a core the builder leaves
// idle once the static index is written.

// mappedBatch is a batch of documents mapped for bleve's builder
// (mapper): as many as the builder's batch, or the rest.
type mappedBatch struct {
	ids  []string
	docs []*document.Document
	// done frees what the batch's text fields were analysed into, once
	// the builder has written its segment: the Index call of its last
	// document does, if the batch is full; a partial one is written when
	// the builder is closed.
	done func()
}

// mapper reads, maps and analyses the documents of an index in order, a
// batch at a time. A batch's text fields analyse into an arena, given
// back once the builder has written the batch's segment: with two
// arenas, a mapper on a goroutine of its own is at most a batch ahead of
// the builder.
type mapper struct {
	ctx   context.Context
	ids   []string
	docs  []Doc
	batch int // bleve's builder's batch size
	// m is the mapping as given; a builderMapping's text fields analyse
	// into the arena of their batch, from free.
	m      mapping.IndexMapping
	arenas bool
	free   chan *freqArena
	seen   map[string]bool
}

// newMapper returns a mapper of docs (IDs from ids) for a builder of
// batches of batch documents, with the arenas for mapping them on the
// builder's goroutine, or ahead on another.
func newMapper(ctx context.Context, ids []string, docs []Doc, m mapping.IndexMapping, batch int, ahead bool) *mapper {
	arenas := 1
	if ahead {
		arenas = 2
	}
	p := &mapper{ctx: ctx, ids: ids, docs: docs, batch: batch, m: m, free: make(chan *freqArena, arenas), seen: make(map[string]bool, len(ids))}
	if _, ok := m.(builderMapping); ok {
		p.arenas = true
		for range arenas {
			p.free <- &freqArena{}
		}
	}
	return p
}

// mapBatch maps the batch of documents that starts at the one numbered
// start. It returns nil if quit was closed while it waited for an arena.
func (p *mapper) mapBatch(start int, quit <-chan struct{}) (*mappedBatch, error) {
	end := min(start+p.batch, len(p.ids))
	mb := &mappedBatch{ids: p.ids[start:end], docs: make([]*document.Document, 0, end-start), done: func() {}}
	m := p.m
	if p.arenas {
		var arena *freqArena
		select {
		case arena = <-p.free:
		case <-quit:
			return nil, nil
		}
		m = builderMapping{m.(builderMapping).IndexMapping, arena}
		mb.done = func() {
			arena.reset()
			p.free <- arena
		}
	}
	for i := start; i < end; i++ {
		id := p.ids[i]
		if i%cancelEvery == 0 && p.ctx.Err() != nil {
			return nil, p.ctx.Err()
		}
		// The builder keeps one document of an ID, so one given twice
		// would end a batch earlier than counted here.
		if p.seen[id] {
			return nil, fmt.Errorf("search: document %s given twice", id)
		}
		p.seen[id] = true
		d := p.docs[i]
		if err := d.fill(); err != nil {
			return nil, fmt.Errorf("search: indexing %s: %w", id, err)
		}
		doc := document.NewDocument(id)
		if err := m.MapDocument(doc, &d); err != nil {
			return nil, fmt.Errorf("search: indexing %s: %w", id, err)
		}
		for _, f := range doc.Fields {
			if t, ok := f.(*analysedText); ok && t.Options().IsIndexed() {
				t.Analyze()
			}
		}
		mb.docs = append(mb.docs, doc)
	}
	return mb, nil
}

// batches returns what gives the batches in order, and nil after the
// last, mapped on the calling goroutine or, ahead, on one of its own;
// stop ends that goroutine, and returns once it has ended.
func (p *mapper) batches(ahead bool) (next func() (*mappedBatch, error), stop func()) {
	if !ahead {
		start := 0
		return func() (*mappedBatch, error) {
			if start >= len(p.ids) {
				return nil, nil
			}
			mb, err := p.mapBatch(start, nil)
			start += p.batch
			return mb, err
		}, func() {}
	}
	type result struct {
		mb  *mappedBatch
		err error
	}
	out := make(chan result, 1)
	quit := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		defer close(out)
		for start := 0; start < len(p.ids); start += p.batch {
			mb, err := p.mapBatch(start, quit)
			if mb == nil && err == nil {
				return
			}
			select {
			case out <- result{mb, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	next = func() (*mappedBatch, error) {
		r := <-out
		return r.mb, r.err
	}
	return next, sync.OnceFunc(func() {
		close(quit)
		<-ended
	})
}

// mappedAhead is the mapping bleve's builder gets from build: the index
// mapping, stored in the index as it is, whose documents come mapped
// (mapper).
type mappedAhead struct {
	mapping.IndexMapping
}

// MapDocument gives doc the fields of data, a document mapped before.
func (m mappedAhead) MapDocument(doc *document.Document, data any) error {
	pre, ok := data.(*document.Document)
	if !ok {
		return fmt.Errorf("search: the builder was given %T, not a mapped document", data)
	}
	doc.Fields, doc.CompositeFields, doc.NestedDocuments = pre.Fields, pre.CompositeFields, pre.NestedDocuments
	doc.StoredFieldsSize = pre.StoredFieldsSize
	if pre.Indexed() {
		doc.SetIndexed()
	}
	return nil
}

// MarshalJSON stores the mapping, not the wrapper.
func (m mappedAhead) MarshalJSON() ([]byte, error) {
	return json.Marshal(m.IndexMapping)
}
