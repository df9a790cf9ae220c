package server

import (
	"strings"
	"testing"
)

// TestWorkerPanicReachesTheRequest: a search that panics on a low-priority
// worker is raised again in the goroutine that asked for it (a request's,
// where net/http recovers it and drops that request), and the worker goes
// on serving. On the worker, a panic ended the whole process: one request
// with a huge from took serve down (found in review).
func TestWorkerPanicReachesTheRequest(t *testing.T) {
	w := newLowWorkers(1)
	defer w.close()
	got := func() (p any) {
		defer func() { p = recover() }()
		_ = w.do(func() { panic("index out of range") })
		return nil
	}()
	wp, ok := got.(*workerPanic)
	if !ok {
		t.Fatalf("the caller recovered %#v; want the worker's panic", got)
	}
	if s := wp.String(); !strings.Contains(s, "index out of range") || !strings.Contains(s, "TestWorkerPanicReachesTheRequest") {
		t.Errorf("the panic raised again says %q; want the value and the worker's stack", s)
	}
	ran := false
	if err := w.do(func() { ran = true }); err != nil || !ran {
		t.Fatalf("after a panic the worker ran the next job: %v, err %v", ran, err)
	}
}
