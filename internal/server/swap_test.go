package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestConcurrentSwap: many readers search and fetch pages while the site
// and index are rebuilt into the same directories and the index is swapped
// in again and again, as serve --watch does. Every request succeeds with
// the right answer — a search never reaches a closed or half-built index —
// and go test -race finds no race.
func TestConcurrentSwap(t *testing.T) {
	content, out, index := builtSite(t, t.TempDir(), "/")
	srv, ts := startSwapServer(t, out, index)
	load(t, ts.URL, func() error {
		cfg := build.Config{Content: content, Out: out, Index: index, BaseURL: "/", AsOf: sitetest.AsOf}
		if _, err := build.Run(context.Background(), cfg, build.SearchIndex); err != nil {
			return fmt.Errorf("rebuilding: %w", err)
		}
		idx, err := search.Open(index)
		if err != nil {
			return fmt.Errorf("opening the rebuilt index: %w", err)
		}
		srv.SetIndex(idx)
		return nil
	})
}

// TestFastSwap swaps as fast as the index opens, without rebuilding, so
// that searches often start on an index that is being closed: the server
// must retry them on the new one, never answer from (or fail on) a closed
// index.
func TestFastSwap(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	srv, ts := startSwapServer(t, out, index)
	load(t, ts.URL, func() error {
		idx, err := search.Open(index)
		if err != nil {
			return err
		}
		srv.SetIndex(idx)
		return nil
	})
}

// startSwapServer serves out and index to the readers of load, which all
// come from one address, 32 at a time, some with a prefix: the server
// counts every search as cheap and admits them all, so that every request
// must succeed (TestCostlySearchesFromOneAddress tests the limits). Its
// searches get a minute each: under the race detector, on a machine busy
// with other work, 32 readers made a search share the CPU past the default
// deadline, and the server rightly shed it as overloaded (a 503), which is
// not what this test is about.
func startSwapServer(t *testing.T, out, index string) (*server.Server, *httptest.Server) {
	srv := server.New(server.Config{Out: out, BasePath: "/", CheapCost: 1 << 20, SearchSlots: 32, CheapPerAddress: 64, SearchTimeout: time.Minute})
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(idx)
	return srv, newTestServer(t, srv)
}

// load runs readers against base while swap runs again and again, and fails
// the test if any request fails or gets a wrong answer.
func load(t *testing.T, base string, swap func() error) {
	readers, perReader := 32, 200
	if testing.Short() {
		readers, perReader = 8, 50
	}
	tr := &http.Transport{MaxIdleConnsPerHost: readers}
	defer tr.CloseIdleConnections()
	c := &http.Client{Timeout: 10 * time.Second, Transport: tr}

	// Each request and the answer every complete index gives it.
	type probe struct {
		path  string
		check func(body []byte) error
	}
	total := func(want uint64) func([]byte) error {
		return func(body []byte) error {
			var r search.Response
			if err := json.Unmarshal(body, &r); err != nil {
				return err
			}
			if r.Total != want {
				return fmt.Errorf("total %d, want %d", r.Total, want)
			}
			return nil
		}
	}
	contains := func(s string) func([]byte) error {
		return func(body []byte) error {
			if !strings.Contains(string(body), s) {
				return fmt.Errorf("no %q in %.100s", s, body)
			}
			return nil
		}
	}
	probes := []probe{
		{"/api/search?q=drones", total(5)},
		{"/api/search?q=%22facial+recognition%22", total(1)},
		{"/api/search?type=agency,law&sort=title", total(3)},
		{"/api/search?vendor=skyeye&restricted=true", total(2)},
		{"/api/search?q=dron*&country=FR", total(1)},
		{"/agencies/metro-police/", contains("Metro Police Department")},
		{"/data/kb.json", contains("metro-police")},
	}

	var (
		done     = make(chan struct{})
		swaps    atomic.Int64
		requests atomic.Int64
		failures atomic.Int64
		mu       sync.Mutex
		firstErr []string
	)
	fail := func(msg string) {
		if failures.Add(1) <= 5 {
			mu.Lock()
			firstErr = append(firstErr, msg)
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			if err := swap(); err != nil {
				fail(err.Error())
				return
			}
			swaps.Add(1)
		}
	}()
	var rw sync.WaitGroup
	for r := 0; r < readers; r++ {
		rw.Add(1)
		go func(r int) {
			defer rw.Done()
			for i := 0; i < perReader; i++ {
				p := probes[(r+i)%len(probes)]
				res, err := c.Get(base + p.path)
				if err != nil {
					fail(fmt.Sprintf("GET %s: %v", p.path, err))
					continue
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				requests.Add(1)
				switch {
				case err != nil:
					fail(fmt.Sprintf("GET %s: reading: %v", p.path, err))
				case res.StatusCode != 200:
					fail(fmt.Sprintf("GET %s: status %d: %.200s", p.path, res.StatusCode, body))
				default:
					if err := p.check(body); err != nil {
						fail(fmt.Sprintf("GET %s: %v", p.path, err))
					}
				}
			}
		}(r)
	}
	rw.Wait()
	close(done)
	wg.Wait()
	t.Logf("%d requests from %d readers during %d index swaps", requests.Load(), readers, swaps.Load())
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d of %d requests failed; the first:\n%s", n, requests.Load(), strings.Join(firstErr, "\n"))
	}
	if swaps.Load() < 2 {
		t.Fatalf("only %d swaps happened while the readers ran; the test proved nothing", swaps.Load())
	}
}
