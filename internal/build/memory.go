package build

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// workingMemory is the room the heap gets above what is live once the
// pages are prepared, for what writing the site and the indexes holds at
// once and for the collector to work in. What they hold does not grow
// with the knowledge base: the pages being rendered, a batch of analysed
// documents in bleve's builder (search.Build), the static index's
// postings — 50 to 130 MB at 10,000 entries.
const workingMemory = 256 << 20

// limitMemory sets a soft memory limit (runtime/debug.SetMemoryLimit) for
// writing the site and the indexes, and returns what puts the previous
// limit back. It collects first: what is live then (the knowledge base,
// its tracker and the prepared pages) stays until the build ends.
//
// Go's collector lets the heap grow to twice what the last collection
// kept (GOGC=100). Most of what is live is the knowledge base, which is
// not garbage, so doubling it buys the collector little: at 10,000
// entries the process peaked at 610-670 MB for 200-300 MB live. The limit
// is at least the long-lived heap plus workingMemory, so a small knowledge
// base stops at what its work needs — at 10,000 entries a peak of about
// 440 MB, for about twice as many collections while the pages and indexes
// are written (gctrace: 85-95 in a build instead of 73-76). A large one
// gets three times its long-lived heap: what writing holds grows with the
// knowledge base (the tracker's tables, the search documents, the static
// index's postings), and a limit of twice the long-lived heap was overrun
// at 100,000 entries, where the collector then ran without pause (2.4
// times the CPU time of a build without the limit).
func limitMemory() (limit uint64, restore func()) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	live := sample[0].Value.Uint64()
	limit = max(3*live, live+workingMemory)
	if limit > math.MaxInt64 {
		return 0, func() {}
	}
	prev := debug.SetMemoryLimit(int64(limit))
	return limit, func() { debug.SetMemoryLimit(prev) }
}
