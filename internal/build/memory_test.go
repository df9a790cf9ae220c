package build_test

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
)

// gcPercent returns GOGC as the runtime has it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestLoadWithRoom loads a knowledge base with and without the room a
// build gives the collector while loading (build.Load): with it the load
// must take far fewer collections, load the same entries, and leave GOGC
// as it was.
func TestLoadWithRoom(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping a test that loads 1,000 generated entries twice")
	}
	before := gcPercent()
	if before <= 0 {
		t.Skip("GOGC=off: the collector does not run, so there is nothing to make room for")
	}
	content := corpus(t, 1000)
	defer debug.SetGCPercent(before)
	load := func(room bool) (gcs uint32, entries int) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		n := ms.NumGC
		k := build.Load(os.DirFS(content), kb.Options{Dir: content}, room)
		if err := k.Err(); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&ms)
		return ms.NumGC - n, len(k.Entries)
	}
	plain, want := load(false)
	roomy, got := load(true)
	t.Logf("collections while loading %d entries: %d with GOGC=%d, %d with room", want, plain, before, roomy)
	if got != want {
		t.Errorf("loaded %d entries with room, %d without", got, want)
	}
	if p := gcPercent(); p != before {
		t.Errorf("GOGC is %d after loading, want %d put back", p, before)
	}
	if 2*roomy >= plain {
		t.Errorf("loading with room took %d collections, without %d: want fewer than half", roomy, plain)
	}
}
