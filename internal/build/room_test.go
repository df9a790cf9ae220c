package build

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestRoomForMapped checks the room made beside Go's heap for the files
// bleve's merge maps: the soft limit comes down by what is mapped, never
// below the floor, goes back up when the merge ends, and is left alone
// when no build limit is in force or after the build put the user's back.
func TestRoomForMapped(t *testing.T) {
	user := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(user)
	set := func(limit, floor uint64) {
		writing.Lock()
		writing.limit, writing.floor = limit, floor
		writing.Unlock()
		if limit > 0 {
			debug.SetMemoryLimit(int64(limit))
		} else {
			debug.SetMemoryLimit(user)
		}
	}
	defer set(0, 0)
	now := func() uint64 { return uint64(debug.SetMemoryLimit(-1)) }
	const mb = 1 << 20

	set(0, 0)
	if lowered, done := roomForMapped(300 * mb); lowered != 0 || now() != uint64(user) {
		t.Errorf("with no build limit: lowered to %d, limit %d; want it left at %d", lowered, now(), user)
	} else {
		done()
	}

	set(1000*mb, 400*mb)
	lowered, done := roomForMapped(300 * mb)
	if lowered != 700*mb || now() != 700*mb {
		t.Errorf("300 MB mapped under a 1000 MB limit: lowered to %d MB, limit %d MB; want 700", lowered/mb, now()/mb)
	}
	done()
	if now() != 1000*mb {
		t.Errorf("after the merge the limit is %d MB, want 1000 back", now()/mb)
	}
	if lowered, done := roomForMapped(900 * mb); lowered != 400*mb || now() != 400*mb {
		t.Errorf("900 MB mapped: lowered to %d MB, limit %d MB; want the 400 MB floor", lowered/mb, now()/mb)
	} else {
		done()
	}
	if lowered, done := roomForMapped(0); lowered != 0 || now() != 1000*mb {
		t.Errorf("nothing mapped: lowered to %d MB, limit %d MB; want 1000 left alone", lowered/mb, now()/mb)
	} else {
		done()
	}

	// A merge that ends after the build gave the user's limit back
	// leaves the user's limit alone.
	_, done = roomForMapped(300 * mb)
	set(0, 0)
	done()
	if now() != uint64(user) {
		t.Errorf("a merge ending after the build: limit %d, want the user's %d", now(), user)
	}
}

// TestLimitThenRoom runs the two together as a build does: limitMemory
// sets the limit for writing from what is live (here 150 MB held on
// purpose, so that three times it is more than it plus workingMemory),
// room for mapped files lowers it no further than that plus
// workingMemory, and the limit's restore puts the user's back.
func TestLimitThenRoom(t *testing.T) {
	user := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(user)
	held := make([]byte, 150<<20)
	for i := range held {
		held[i] = byte(i)
	}
	limit, live, restore := limitMemory(0)
	now := func() int64 { return debug.SetMemoryLimit(-1) }
	writing.Lock()
	floor := writing.floor
	writing.Unlock()
	if limit < 3*uint64(len(held)) || floor >= limit || floor < uint64(len(held))+workingMemory {
		t.Fatalf("limit %d and floor %d for %d bytes held: want three times what is live, above a floor of it plus %d", limit, floor, len(held), workingMemory)
	}
	if !apartFor(live, 0) {
		t.Errorf("limit %d, three times the %d bytes held: a build would write its index beside its site", limit, len(held))
	}
	if apartFor(live, live-100<<20) {
		t.Errorf("%d bytes live of which all but 100 MB bodies: a build would write its index apart, as if the bodies grew while writing", live)
	}
	lowered, done := roomForMapped(int64(limit - floor + 1<<20))
	if lowered != floor || now() != int64(floor) {
		t.Errorf("more mapped than the room above the floor: lowered to %d, limit %d; want the floor %d", lowered, now(), floor)
	}
	done()
	if now() != int64(limit) {
		t.Errorf("after the merge: limit %d, want %d", now(), limit)
	}
	restore()
	if now() != user {
		t.Errorf("after the build: limit %d, want the user's %d", now(), user)
	}
	if lowered, _ := roomForMapped(1 << 20); lowered != 0 {
		t.Errorf("after the build, room for mapped files lowered the limit to %d", lowered)
	}
	runtime.KeepAlive(held)
}

// The bodies a build keeps under its budget count once in the limit for
// writing; the rest of what is live counts three times, and a small
// heap gets workingMemory above it.
func TestWritingLimitCountsKeptBodiesOnce(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct{ live, fixed, want uint64 }{
		{1000 * mb, 0, 3000 * mb},
		{1000 * mb, 32 * mb, 3*968*mb + 32*mb},
		{100 * mb, 32 * mb, 100*mb + workingMemory},
		{1000 * mb, 2000 * mb, 1000*mb + workingMemory}, // more kept than live: all of it fixed
	} {
		if got := writingLimit(c.live, c.fixed); got != c.want {
			t.Errorf("writingLimit(%d MiB, %d MiB) = %d MiB, want %d MiB", c.live/mb, c.fixed/mb, got/mb, c.want/mb)
		}
	}
}

// While a build writes under its limit, a small heap gets workingMemory
// of room of its own: garbage made with little live (as in bleve's merge
// at the end of a large build, with the knowledge base let go) takes far
// fewer collections than GOGC=100 would give it, and the limit's restore
// puts GOGC back.
func TestWritingGivesSmallHeapRoom(t *testing.T) {
	before := debug.SetGCPercent(100)
	debug.SetGCPercent(before)
	if before != 100 {
		t.Skipf("GOGC=%d: the test counts collections against GOGC=100", before)
	}
	user := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(user)
	churn := func() uint32 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		n := ms.NumGC
		for range 8192 {
			sink = make([]byte, 64<<10) // 512 MB of garbage in all
		}
		runtime.ReadMemStats(&ms)
		return ms.NumGC - n
	}
	plain := churn()
	_, _, restore := limitMemory(0)
	roomy := churn()
	restore()
	t.Logf("collections making 512 MB of garbage: %d with GOGC=100, %d under the limit for writing", plain, roomy)
	if 2*roomy >= plain {
		t.Errorf("under the limit for writing: %d collections, with GOGC=100 %d: want fewer than half", roomy, plain)
	}
	if p := debug.SetGCPercent(before); p != before {
		t.Errorf("GOGC is %d after the limit's restore, want %d put back", p, before)
	}
}

// sink keeps the compiler from leaving out TestWritingGivesSmallHeapRoom's
// garbage.
var sink []byte

// loadRoom gives a load loadingRoom while little is live, what is live
// (GOGC=100) above that, and once twice what is live is more than that
// plus loadingRoom, twice what is live less loadingRoom.
func TestLoadRoom(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct{ live, want uint64 }{
		{0, loadingRoom},
		{100 * mb, loadingRoom},
		{128 * mb, 128 * mb},
		{200 * mb, 272 * mb},
		{600 * mb, 1072 * mb},
	} {
		if got := loadRoom(c.live); got != c.want {
			t.Errorf("loadRoom(%d MiB) = %d MiB, want %d MiB", c.live/mb, got/mb, c.want/mb)
		}
	}
}
