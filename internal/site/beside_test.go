package site

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// TestWorkersLeaveACoreBeside checks the site's share of the machine while
// the search index is built beside it (Options.Beside): one worker fewer
// until the index is done, then all of them, and never a wait on the index
// once the site has run out of work.
func TestWorkersLeaveACoreBeside(t *testing.T) {
	t.Run("held back while the work beside runs", func(t *testing.T) {
		beside := make(chan struct{}) // never closed: run must not wait for it
		s := &Site{opts: Options{Workers: 3, Beside: beside}}
		var running, most, ran atomic.Int64
		var l jobList
		for range 60 {
			l.add("entry pages", func(*writer) error {
				n := running.Add(1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(time.Millisecond)
				running.Add(-1)
				ran.Add(1)
				return nil
			})
		}
		var work []Work
		if err := s.run(context.Background(), &writer{}, l, &work); err != nil {
			t.Fatal(err)
		}
		if ran.Load() != 60 {
			t.Errorf("%d of 60 jobs ran", ran.Load())
		}
		if most.Load() > 2 {
			t.Errorf("%d jobs ran at once while the index was building; want at most 2 of 3 workers", most.Load())
		}
	})

	t.Run("the held worker joins when it ends", func(t *testing.T) {
		beside := make(chan struct{})
		s := &Site{opts: Options{Workers: 3, Beside: beside}}
		started := make(chan struct{}, 10)
		release := make(chan struct{})
		var l jobList
		for range 6 {
			l.add("entry pages", func(*writer) error {
				started <- struct{}{}
				<-release
				return nil
			})
		}
		done := make(chan error, 1)
		go func() {
			var work []Work
			done <- s.run(context.Background(), &writer{}, l, &work)
		}()
		waitStarted := func(what string) {
			t.Helper()
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatalf("%s never started", what)
			}
		}
		waitStarted("the first job")
		waitStarted("the second job")
		select {
		case <-started:
			t.Fatal("a third job started while the index was building")
		case <-time.After(50 * time.Millisecond):
		}
		close(beside)
		waitStarted("the held-back worker's job")
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})

	t.Run("one worker is never held back", func(t *testing.T) {
		s := &Site{opts: Options{Workers: 1, Beside: make(chan struct{})}}
		var l jobList
		ran := 0
		l.add("entry pages", func(*writer) error { ran++; return nil })
		var work []Work
		if err := s.run(context.Background(), &writer{}, l, &work); err != nil || ran != 1 {
			t.Fatalf("ran %d of 1 job; err %v", ran, err)
		}
	})

}
