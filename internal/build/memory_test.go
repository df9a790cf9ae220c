package build_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

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

// peakHeld is what holdAtPeak keeps live, for the profile to find.
var peakHeld []byte

//go:noinline
func holdAtPeak() { peakHeld = make([]byte, 64<<20) }

// TestPeakHeapProfile: the profile `build --peakprofile` writes is the one
// taken when the live heap peaked. 64 MB held for a while and then let go
// must be in use in it, under the function that allocated them, although
// nothing holds them when the profile is asked for.
func TestPeakHeapProfile(t *testing.T) {
	if gcPercent() <= 0 {
		t.Skip("GOGC=off: no collection runs to take the profile after")
	}
	runtime.GC()
	stop, peak := build.PeakHeapProfile(1)
	holdAtPeak()
	// The profile is taken after a collection, on the goroutine that runs
	// cleanups; a collection publishes what was allocated before the one
	// before it.
	for deadline := time.Now().Add(20 * time.Second); ; {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if prof, live := peak(); live >= 64<<20 && inUse(prof, "holdAtPeak") > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no profile of the 64 MB held in 20 s")
		}
	}
	peakHeld = nil
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	time.Sleep(50 * time.Millisecond)
	prof, _ := stop()
	if got := inUse(prof, "holdAtPeak"); got < 64<<20 {
		t.Errorf("the profile taken at the peak has %d bytes in use under holdAtPeak, which held 64 MB then", got)
	}
	// A profile of now, for contrast: nothing is in use there.
	var now bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&now, 1); err != nil {
		t.Fatal(err)
	}
	if got := inUse(now.Bytes(), "holdAtPeak"); got != 0 {
		t.Errorf("a profile of now has %d bytes in use under holdAtPeak; the test's contrast is gone", got)
	}
}

// inUse sums the bytes in use in a heap profile in the text format
// (debug=1) whose stacks name fn.
func inUse(prof []byte, fn string) int64 {
	var total, bytesInUse int64
	for _, line := range strings.Split(string(prof), "\n") {
		var objs, allocObjs, allocBytes int64
		if n, _ := fmt.Sscanf(line, "%d: %d [%d: %d] @", &objs, &bytesInUse, &allocObjs, &allocBytes); n == 4 {
			continue
		}
		if strings.HasPrefix(line, "#\t") && strings.Contains(line, "."+fn+"+") {
			total += bytesInUse
			bytesInUse = 0 // a stack counts once
		}
	}
	return total
}
