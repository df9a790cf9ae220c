package server_test

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
)

// TestOverloadIsNotTheQuerysFault: a search cut off by its deadline is a
// 400 that says to make the query more specific only when it ran alone on
// the server; when other searches shared the server it is a 503 with
// Retry-After, the server's fault, not the visitor's.
func TestOverloadIsNotTheQuerysFault(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	// Every search is cut off at once.
	srv := server.New(server.Config{Out: out, BasePath: "/", SearchTimeout: time.Nanosecond})
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(idx)
	ts := newTestServer(t, srv)

	res, body := get(t, ts.URL+"/api/search?q=drones")
	checkJSONError(t, res, body, http.StatusBadRequest, "make it more specific")
	if ra := res.Header.Get("Retry-After"); ra != "" {
		t.Errorf("a query too costly on an idle server has Retry-After %q; waiting will not help it", ra)
	}

	end := srv.HoldSearch()
	res, body = get(t, ts.URL+"/api/search?q=drones")
	end()
	checkJSONError(t, res, body, http.StatusServiceUnavailable, "try again")
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	if strings.Contains(string(body), "specific") {
		t.Errorf("an overloaded server blames the query: %s", body)
	}
}

// TestCostlySearchesFromOneAddress: costly searches wait for a costly
// slot, never a cheap one, and one client address may have only two of
// them running or waiting: a third is a 503 with Retry-After at once,
// while the address's cheap searches still run.
func TestCostlySearchesFromOneAddress(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	srv := server.New(server.Config{Out: out, BasePath: "/", CostlySlots: 1})
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(idx)
	ts := newTestServer(t, srv)

	const costly = "/api/search?q=dron*+pol*" // prefixes
	release := srv.HoldCostlySlots()
	type answer struct {
		code int
		body string
	}
	answers := make(chan answer, 2)
	for range 2 {
		go func() {
			res, err := client.Get(ts.URL + costly)
			if err != nil {
				answers <- answer{0, err.Error()}
				return
			}
			defer res.Body.Close()
			answers <- answer{res.StatusCode, res.Status}
		}()
	}
	for i := 0; srv.CostlyWaiting() < 2; i++ {
		if i == 500 {
			t.Fatalf("%d costly searches wait for a slot; want 2", srv.CostlyWaiting())
		}
		time.Sleep(2 * time.Millisecond)
	}
	// The third is refused (after the time a wait would have taken).
	third := make(chan struct{})
	go func() {
		defer close(third)
		res, body := get(t, ts.URL+costly)
		checkJSONError(t, res, body, http.StatusServiceUnavailable, "too many searches from your address")
		if res.Header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
	}()
	for i := 0; srv.Refused() < 1; i++ {
		if i == 500 {
			t.Fatal("the third costly search was not refused")
		}
		time.Sleep(2 * time.Millisecond)
	}
	res, body := get(t, ts.URL+"/api/search?q=drones")
	if res.StatusCode != 200 {
		t.Errorf("a cheap search while the costly slots are taken: status %d, %s", res.StatusCode, body)
	}
	release()
	for range 2 {
		if a := <-answers; a.code != 200 {
			t.Errorf("a costly search that waited for its slot: %d %s", a.code, a.body)
		}
	}
	<-third
}

// TestClientsBehindAProxy runs serve behind a proxy it trusts (here, the
// loopback the test's requests come from): each client the proxy names in
// X-Forwarded-For has its own two costly searches, so one client's
// searches do not hold another's; an address a client wrote before the
// proxy's own is not believed. Without --trusted-proxies every visitor is
// the proxy's address.
func TestClientsBehindAProxy(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	trusted, err := server.ParseTrustedProxies("127.0.0.0/8, ::1")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Out: out, BasePath: "/", CostlySlots: 1, TrustedProxies: trusted})
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetIndex(idx)
	ts := newTestServer(t, srv)
	const costly = "/api/search?q=dron*+pol*"
	release := srv.HoldCostlySlots()
	codes := make(chan int, 8)
	search := func(forwardedFor string) {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+costly, nil)
		req.Header.Set("X-Forwarded-For", forwardedFor)
		res, err := client.Do(req)
		if err != nil {
			codes <- 0
			return
		}
		res.Body.Close()
		codes <- res.StatusCode
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for i := 0; !cond(); i++ {
			if i == 1000 {
				t.Fatalf("%s: %d waiting, %d refused", what, srv.CostlyWaiting(), srv.Refused())
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	// Client A's two costly searches wait for the slot.
	go search("198.51.100.1")
	go search("198.51.100.1")
	waitFor("A's two searches wait", func() bool { return srv.CostlyWaiting() == 2 })
	// Client B's wait too: B is not A.
	go search("198.51.100.2")
	waitFor("B's search waits beside A's", func() bool { return srv.CostlyWaiting() == 3 })
	if srv.Refused() != 0 {
		t.Fatalf("%d searches refused: B was counted as A", srv.Refused())
	}
	// A third from A is refused, however A dresses it up.
	go search("203.0.113.9, 198.51.100.1")
	waitFor("A's third search is refused", func() bool { return srv.Refused() == 1 })
	release()
	got := map[int]int{}
	for range 4 {
		got[<-codes]++
	}
	if got[200] != 3 || got[http.StatusServiceUnavailable] != 1 {
		t.Errorf("answers by status: %v; want three 200 (A's two and B's) and A's third a 503", got)
	}
}

// TestClientAddr reads X-Forwarded-For as proxies write it: the last
// address that is not a trusted proxy is the client, with or without a
// port, an IPv6 one in brackets, a trailing comma; what a client wrote
// before its proxy's entry is not believed; without trusted proxies, or
// from a peer not trusted, the header is ignored.
func TestClientAddr(t *testing.T) {
	trusted, err := server.ParseTrustedProxies("10.0.0.0/8, ::ffff:192.0.2.0/120, 2001:db8:ffff::1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		peer, xff string
		trusted   bool
		want      string
	}{
		{"10.0.0.2:5000", "203.0.113.5", true, "203.0.113.5"},
		{"10.0.0.2:5000", "203.0.113.5:4711", true, "203.0.113.5"},
		{"10.0.0.2:5000", "[2001:db8::7]:4711", true, "2001:db8::7"},
		{"10.0.0.2:5000", "[2001:db8::7]", true, "2001:db8::7"},
		{"10.0.0.2:5000", "203.0.113.5,", true, "203.0.113.5"},
		{"10.0.0.2:5000", "198.51.100.9, 203.0.113.5, 10.0.0.3", true, "203.0.113.5"},
		{"192.0.2.7:5000", "203.0.113.5", true, "203.0.113.5"},          // trusted as ::ffff:192.0.2.0/120
		{"[2001:db8:ffff::1]:5000", "203.0.113.5", true, "203.0.113.5"}, // one IPv6 proxy
		{"10.0.0.2:5000", "unknown", true, "10.0.0.2"},
		{"203.0.113.8:5000", "198.51.100.1", true, "203.0.113.8"}, // not a trusted proxy
		{"10.0.0.2:5000", "203.0.113.5", false, "10.0.0.2"},       // no --trusted-proxies
	}
	for _, c := range cases {
		r, _ := http.NewRequest(http.MethodGet, "/api/search", nil)
		r.RemoteAddr = c.peer
		r.Header.Set("X-Forwarded-For", c.xff)
		var tp []netip.Prefix
		if c.trusted {
			tp = trusted
		}
		if got := server.ClientAddr(r, tp); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q (trusted %v): %s, want %s", c.peer, c.xff, c.trusted, got, c.want)
		}
	}
	if _, err := server.ParseTrustedProxies("10.0.0.0/8, load-balancer"); err == nil {
		t.Error("a name that is no address was taken as a trusted proxy")
	}
}

// TestClientGroup: the per-address limits count an IPv6 client by its /64
// network, which one subscriber holds whole, and an IPv4 client by its
// address.
func TestClientGroup(t *testing.T) {
	for addr, want := range map[string]string{
		"203.0.113.5":                "203.0.113.5",
		"2001:db8:1:2::1":            "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff:0:9": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":            "2001:db8:1:3::/64",
		"::ffff:203.0.113.5":         "::ffff:203.0.113.5",
		"not an address":             "not an address",
	} {
		if got := server.ClientGroup(addr); got != want {
			t.Errorf("ClientGroup(%q) = %q; want %q", addr, got, want)
		}
	}
}

// TestPanickingSearchFreesItsSlots: a search that panics, costly (on a
// worker) or cheap, fails only its own request, and gives back the
// client's slot and the server's: the same client searches again at once.
// The client's count was left behind, so two such searches shut an
// address (and with it an IPv6 /64) out of costly searches until a
// restart (found in review).
func TestPanickingSearchFreesItsSlots(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	srv, ts := startServer(t, out, index, "/", false)
	srv.PanicOn("boomtest")
	costly := "&size=100&sort=title&from=900"
	for i := range 4 {
		for _, q := range []string{"boomtest", "boomtest drones" + costly} {
			req, err := http.NewRequest(http.MethodGet, ts.URL+"/api/search?q="+strings.ReplaceAll(q, " ", "+"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if res, err := client.Do(req); err == nil {
				res.Body.Close()
				t.Fatalf("round %d: %q was answered %d; want the request dropped", i, q, res.StatusCode)
			}
		}
	}
	for _, q := range []string{"q=drones", "q=drones" + costly} {
		res, body := get(t, ts.URL+"/api/search?"+q)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s after panicking searches: %d %s; want 200", q, res.StatusCode, body)
		}
	}
}
