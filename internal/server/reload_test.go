package server_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
)

// TestReloadStreamLimits: under serve --watch, live-reload streams are
// bounded in number (one more is a 503 with Retry-After, not a descriptor
// held open) and in time (a stream ends after its lifetime; the page's
// EventSource reconnects), and the slot of an ended stream is free again.
func TestReloadStreamLimits(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	srv := server.New(server.Config{Out: out, BasePath: "/", Watch: true, ReloadStreams: 3, ReloadLifetime: 2 * time.Second})
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(idx)
	ts := newTestServer(t, srv)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := func() (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/_dronekb/events", nil)
		return http.DefaultClient.Do(req)
	}
	var open []*http.Response
	for i := 0; i < 3; i++ {
		res, err := stream()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 {
			t.Fatalf("stream %d: status %d", i+1, res.StatusCode)
		}
		open = append(open, res)
	}
	events := make(chan sseEvent, 4)
	go readEvents(open[0].Body, events)
	if ev := <-events; ev.name != "hello" {
		t.Fatalf("first event %q; want hello", ev.name)
	}
	res, err := stream()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Errorf("a fourth stream: status %d, Retry-After %q, %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	// Every stream ends after its lifetime.
	deadline := time.After(20 * time.Second)
	for ended := false; !ended; {
		select {
		case _, ok := <-events:
			ended = !ok
		case <-deadline:
			t.Fatal("the stream was still open 20 s into a lifetime of 2 s")
		}
	}
	for _, r := range open {
		r.Body.Close()
	}
	// The slots are free again.
	for i := 0; ; i++ {
		res, err := stream()
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode == 200 {
			break
		}
		if i == 100 {
			t.Fatalf("after the streams ended, a new one still gets status %d", res.StatusCode)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
