package build

import (
	"bytes"
	"io/fs"
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"sync/atomic"

	"github.com/dronekb/dronekb/internal/kb"
)

// workingMemory is the room the heap gets above what is live once the
// pages are prepared, for what writing the site and the indexes holds at
// once and for the collector to work in. What they hold does not grow
// with the knowledge base: the pages being rendered, a batch of analysed
// documents in bleve's builder (search.Build), the static index's
// postings — 50 to 130 MB at 10,000 entries.
const workingMemory = 256 << 20

// DefaultBodyMemory is how many bytes of the entries' bodies a build
// keeps in memory (Config.BodyMemory, kb.Options.BodyMemory): every body
// of a knowledge base of about 15,000 entries like the generated one
// (sitetest.Generate), so that a site of that size reads each file once,
// and a sixth of those of 100,000 entries, which are read again for
// each use rather than held beside the 2 GB such a build may take.
const DefaultBodyMemory = 32 << 20

func bodyMemory(configured int64) int64 {
	switch {
	case configured == 0:
		return DefaultBodyMemory
	case configured < 0:
		return 0
	}
	return configured
}

// loadingRoom is the least room the heap gets above what is live while
// the knowledge base loads (roomWhileLoading). It is half of
// workingMemory so that a load stays under the limit writing gets
// (limitMemory: what is live after the load, plus workingMemory): what a
// load holds for a moment (each worker's YAML and markdown trees) is live
// when the collector looks, and is gone before the pages are written. At
// 10,000 entries 190 MB were live in the last collections of a load and
// 113 MB after it. A heap that had passed the limit before writing
// started kept the collector running without pause through the writing:
// in a trial whose load reached 616 MB at 10,000 entries (GOGC set without
// the floor below) the build took more than twice the CPU time.
const loadingRoom = workingMemory / 2

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
//
// While the limit is in force, a heap far below it still gets
// workingMemory of room between collections (writeRoom).
//
// fixed is what of the live heap writing does not add to (writingLimit).
// It returns the live heap it measured too (see apartFor).
func limitMemory(fixed uint64) (limit, live uint64, restore func()) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	live = sample[0].Value.Uint64()
	limit = writingLimit(live, fixed)
	if limit > math.MaxInt64 {
		return 0, live, func() {}
	}
	prev := debug.SetMemoryLimit(int64(limit))
	unroom := keepRoom(writeRoom)
	writing.Lock()
	writing.limit, writing.floor = limit, live+workingMemory
	writing.gen++
	gen := writing.gen
	writing.Unlock()
	return limit, live, func() {
		writing.Lock()
		defer writing.Unlock()
		if writing.gen == gen {
			writing.limit = 0
		}
		debug.SetMemoryLimit(prev)
		unroom()
	}
}

// writingLimit is the soft memory limit for writing when live bytes are
// live after the load, fixed of them bytes that writing does not add to:
// the bodies a build keeps under its budget (Config.BodyMemory). Those
// count once, not three times: at 100,000 entries DefaultBodyMemory's
// 32 MiB tripled put the peak at 1.94 GB, counted once at 1.84-1.88 GB.
func writingLimit(live, fixed uint64) uint64 {
	fixed = min(fixed, live)
	return max(3*(live-fixed)+fixed, live+workingMemory)
}

// apartFor says whether a build whose heap holds live bytes once its
// knowledge base is loaded, bodies of them the entries' bodies, writes
// its search indexes after its site (Result.Apart): when the limit for
// writing, counting the bodies once, is the one that grows with the
// knowledge base rather than what is live plus workingMemory. The bodies
// count once whether a build keeps them to its budget or, as serve
// --watch does, all of them, so that both decide alike for the same
// knowledge base: counted in full, serve --watch's full builds would
// write apart from fewer entries than dronekb build, where writing apart
// is the slower way.
func apartFor(live, bodies uint64) bool {
	return writingLimit(live, bodies) > live+workingMemory
}

// writing is the soft memory limit limitMemory set for writing the site
// and the indexes (0 when none is in force), and the least it may be
// lowered to.
var writing struct {
	sync.Mutex
	limit, floor uint64
	gen          uint64 // counts the limits set, so that what undoes one undoes it alone
}

// roomForMapped makes room beside Go's heap for mapped bytes of files the
// process maps into memory (bleve's builder merging its segments, which
// it reads whole), and returns the lowered limit (0 if it left the limit
// as it was) and what gives the room back. The soft limit
// counts Go's own memory only: the mapped files come on top of it. It
// lowers the limit limitMemory set by mapped bytes while they are mapped,
// but not below what is live after the load plus workingMemory, the limit
// a small knowledge base writes under anyway. At 100,000 entries the
// merge maps about 450 MB of segments for the last 10 to 15 seconds of
// the index; when the site was still being written then, the process's
// peak was the limit plus those 450 MB.
func roomForMapped(mapped int64) (lowered uint64, done func()) {
	writing.Lock()
	defer writing.Unlock()
	if writing.limit == 0 || mapped <= 0 {
		return 0, func() {}
	}
	limit := writing.limit
	lowered = max(writing.floor, limit-min(uint64(mapped), limit))
	if lowered >= limit {
		return 0, func() {}
	}
	debug.SetMemoryLimit(int64(lowered))
	gen := writing.gen
	return lowered, func() {
		writing.Lock()
		defer writing.Unlock()
		if writing.gen == gen && writing.limit == limit {
			debug.SetMemoryLimit(int64(limit))
		}
	}
}

// Load loads a knowledge base (kb.Load); with room, it gives the collector
// room while it does (roomWhileLoading). Run loads with room when
// Config.TuneCollector is set, and dronekb check, tracker, diff and new
// load with room unless the user set GOGC or GOMEMLIMIT.
func Load(fsys fs.FS, opts kb.Options, room bool) *kb.KB {
	if room {
		defer roomWhileLoading()()
	}
	return kb.Load(fsys, opts)
}

// roomWhileLoading gives the collector room while a knowledge base loads
// (keepRoom, loadRoom), and returns what puts its setting back. While
// this or writing's room (limitMemory) is in force, it does nothing.
//
// Loading makes garbage fast (YAML nodes, markdown trees, file buffers)
// while what it keeps grows from nothing to the whole knowledge base. With
// GOGC=100 the collector runs each time the heap grows by what the last
// collection kept, which starts small. Loading 1,000 entries takes 2
// collections instead of 27 (TestLoadWithRoom), 10,000 entries 0.79-0.85
// times the CPU time (BenchmarkStages' load-and-check and
// load-and-check-with-room), and a whole 10,000-entry build 41-43
// collections instead of 74-77 (GODEBUG=gctrace=1).
func roomWhileLoading() (restore func()) { return keepRoom(loadRoom) }

// loadRoom is how much the heap may grow between collections while a
// knowledge base loads with live bytes live: loadingRoom while what is
// live is less; then what is live (GOGC=100); and once what is live is
// large, twice that less loadingRoom, which keeps the heap under the
// limit writing will get (writingLimit: three times what is live after
// the load) by about what the load's passing trees hold when the
// collector looks. Each collection of a load marks the whole knowledge
// base loaded so far, so that with GOGC=100 a large one marks about as
// much as it allocates: loading 100,000 entries took 28 collections and
// 4.2 of its 23 CPU-seconds (GODEBUG=gctrace=1; 0.12 s at 10,000
// entries, which never pass loadingRoom by much). With this room,
// `dronekb check` of 100,000 entries took 21.0-22.1 CPU-seconds instead
// of 22.2-23.4, its peak 1.54-1.59 million KiB instead of 1.25-1.30,
// under the build's, which writing sets; three times what is live took
// its peak to 2.00-2.02 million KiB.
func loadRoom(live uint64) uint64 {
	room := max(live, loadingRoom)
	if 2*live > loadingRoom+room {
		room = 2*live - loadingRoom
	}
	return room
}

// writeRoom is how much the heap may grow between collections while a
// build writes under the soft limit limitMemory sets: what is live, or
// workingMemory if that is more. The limit is what holds a large heap
// back; this holds a small one back less. At 100,000 entries bleve's
// merge, the last 6 seconds of a build, runs with the knowledge base let
// go and 15-30 MB live: with GOGC=100 it took 148 collections (0.76
// CPU-s), with workingMemory of room 13 (0.18 CPU-s; GODEBUG=gctrace=1).
func writeRoom(live uint64) uint64 { return max(live, workingMemory) }

// keepRoom sets GOGC after each collection so that the heap may grow by
// room(live) before the next, and returns what puts the collector's
// setting back. room(0) is the least room it gives. While one is in force,
// another does nothing; with the collector off (GOGC=off), it does
// nothing.
func keepRoom(room func(live uint64) uint64) (restore func()) {
	// One at a time: a second, while the first runs, would take the
	// first's setting for the user's and put it back after.
	if !roomSet.CompareAndSwap(false, true) {
		return func() {}
	}
	prev := debug.SetGCPercent(100)
	debug.SetGCPercent(prev)
	if prev <= 0 {
		roomSet.Store(false)
		return func() {} // the collector is off
	}
	least := room(0)
	stop := afterEachCollection(func() {
		// GOGC counts the stacks and globals in with the live heap.
		// The runtime's least heap goal grows with GOGC (4 MB ×
		// GOGC/100), so a heap counted as at least least/16 keeps
		// GOGC at 1,600 or less while the room is least, and that
		// goal at 64 MB.
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
		metrics.Read(sample)
		live := sample[0].Value.Uint64()
		base := max(live+sample[1].Value.Uint64()+sample[2].Value.Uint64(), least/16)
		debug.SetGCPercent(int(max(uint64(prev), 100*room(live)/base)))
	})
	return sync.OnceFunc(func() {
		stop()
		debug.SetGCPercent(prev)
		roomSet.Store(false)
	})
}

// roomSet says that a keepRoom setting is in force.
var roomSet atomic.Bool

// afterEachCollection calls f after each garbage collection, on the
// goroutine that runs cleanups, until stop is called: once stop has
// returned, f does not run again. A cleanup runs once the collector has
// found its object unreachable: once a collection, for an object nothing
// keeps, which each call sets up for the next.
func afterEachCollection(f func()) (stop func()) {
	var mu sync.Mutex
	stopped := false
	var arm func()
	arm = func() {
		runtime.AddCleanup(&struct{ _ *byte }{}, func(struct{}) {
			mu.Lock()
			defer mu.Unlock()
			if !stopped {
				f()
				arm()
			}
		}, struct{}{})
	}
	arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
	}
}

// PeakHeapProfile starts watching the live heap after each collection,
// and returns what stops watching and gives the heap profile (pprof's
// "heap" in the format debug selects, as pprof.Profile.WriteTo has it;
// its inuse_space the sample to read) of the time the live heap peaked,
// with that live heap, and what gives them without stopping. A profile
// taken when a build ends shows what it allocated, not what it held at
// once: this one shows what a soft memory limit has to make room for.
//
// The runtime publishes a heap profile up to two collections late, so
// that an allocation counts once the collector could have freed it: the
// profile is taken two collections after the one that found a new peak
// (one that grew the live heap by a twentieth or more), so that it holds
// what was allocated up to the peak and was still held then. A peak in the
// last two collections is profiled when stop is called.
func PeakHeapProfile(debug int) (stop, peak func() (profile []byte, live uint64)) {
	var mu sync.Mutex
	var most uint64
	var profile bytes.Buffer
	pending := 0 // collections to wait before taking the profile of the peak
	take := func() {
		profile.Reset()
		_ = pprof.Lookup("heap").WriteTo(&profile, debug)
		pending = 0
	}
	watching := afterEachCollection(func() {
		mu.Lock()
		defer mu.Unlock()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if live := sample[0].Value.Uint64(); live > most+most/20 {
			most, pending = live, 2
		} else if pending > 0 {
			if pending--; pending == 0 {
				take()
			}
		}
	})
	peak = func() ([]byte, uint64) {
		mu.Lock()
		defer mu.Unlock()
		return bytes.Clone(profile.Bytes()), most
	}
	stop = func() ([]byte, uint64) {
		watching()
		mu.Lock()
		if pending > 0 {
			take()
		}
		mu.Unlock()
		return peak()
	}
	return stop, peak
}
