package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Searches are admitted by their estimated cost (search.Cost), so that no
// number of costly queries can starve the cheap ones a visitor types:
//
//   - cheap and costly searches run in separate pools of slots; a costly
//     search never takes a cheap slot;
//   - the costly pool is small (one slot for every two CPUs), and a costly
//     slot rests after each search as long as the search ran, so costly
//     searches take at most a quarter of the CPUs and leave the rest to
//     cheap ones; they run on threads of low priority (on Linux), so that
//     when the machine is busy the kernel runs cheap searches first;
//   - one client address may have only a few costly searches running or
//     waiting at once, and only so many may wait for a costly slot at all:
//     past either limit a costly search is refused at once (503), which
//     costs the server nothing;
//   - a search waits at most busyWait for a slot, then gets 503 with
//     Retry-After; one refused at once is answered no sooner, so that a
//     client that retries in a loop costs the server one request a second.
//
// A search cut off by its deadline is the server's fault (503) when other
// searches ran beside it, and the query's (400, make it more specific)
// only when it ran alone.

// pool is a class of searches: its slots, and how many may wait for one.
type pool struct {
	slots      chan struct{}
	waiting    atomic.Int64
	maxWaiting int64 // 0: no limit beyond the clients'
	perAddress int   // searches of this class one address may have running or waiting
}

func newPool(slots, maxWaiting, perAddress int) *pool {
	return &pool{slots: make(chan struct{}, slots), maxWaiting: int64(maxWaiting), perAddress: perAddress}
}

// acquire waits up to wait for a slot. It reports whether it had to wait
// (the server is busy), and errBusy if no slot came.
func (p *pool) acquire(ctx context.Context, wait time.Duration) (waited bool, err error) {
	select {
	case p.slots <- struct{}{}:
		return false, nil
	default:
	}
	if n := p.waiting.Add(1); p.maxWaiting > 0 && n > p.maxWaiting {
		p.waiting.Add(-1)
		return true, errQueueFull
	}
	defer p.waiting.Add(-1)
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
		return true, nil
	case <-timer.C:
		return true, errBusy
	case <-ctx.Done():
		return true, ctx.Err()
	}
}

func (p *pool) release() { <-p.slots }

// clients counts the searches of each class that each client address has
// running or waiting.
type clients struct {
	mu sync.Mutex
	n  map[clientKey]int
}

type clientKey struct {
	addr string
	pool *pool
}

// enter counts a search of p for addr, unless addr has p.perAddress
// already.
func (c *clients) enter(addr string, p *pool) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := clientKey{addr, p}
	if p.perAddress > 0 && c.n[k] >= p.perAddress {
		return false
	}
	if c.n == nil {
		c.n = map[clientKey]int{}
	}
	c.n[k]++
	return true
}

func (c *clients) leave(addr string, p *pool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := clientKey{addr, p}
	if c.n[k]--; c.n[k] <= 0 {
		delete(c.n, k)
	}
}

// clientAddr is the address a request came from, without its port: the
// connection's, or, when that is a proxy trusted to say (trusted), the
// last address in X-Forwarded-For that is not such a proxy. Without
// trusted a proxy in front of serve makes every visitor one address, and
// the per-address limits apply to all of them together: two costly
// searches from anyone held everyone else's (found in review). An address
// in the header before the last untrusted one is what the client itself
// wrote, and is not believed.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(trusted) == 0 {
		return host
	}
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue // "a, b," as some proxies write it
		}
		a, ok := hopAddr(hop)
		if !ok {
			return host // a hop that is no address: believe none before it
		}
		if !isTrusted(a) {
			return a.Unmap().String()
		}
	}
	return host
}

// clientGroup is what the per-address limits count a client by: its IPv4
// address, or its IPv6 address's /64 network, the least a provider gives
// one subscriber, who could otherwise search from as many addresses as
// it liked (found in review).
func clientGroup(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Unmap().Is6() {
		return addr
	}
	p, err := a.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// hopAddr reads an address of X-Forwarded-For, which some proxies write
// with its port (203.0.113.5:4711, [2001:db8::1]:4711) or an IPv6 one in
// brackets.
func hopAddr(hop string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(hop); err == nil {
		return a, true
	}
	if ap, err := netip.ParseAddrPort(hop); err == nil {
		return ap.Addr(), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(hop, "["), "]")); err == nil {
		return a, true
	}
	return netip.Addr{}, false
}

// ParseTrustedProxies reads a comma-separated list of addresses and
// networks (10.0.0.0/8, 192.0.2.7, ::1) of proxies trusted to say in
// X-Forwarded-For whom they forward.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			// Addresses are compared unmapped: ::ffff:10.0.0.0/104 is
			// 10.0.0.0/8.
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or a network (such as 10.0.0.0/8 or 192.0.2.7)", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// running tracks the searches in progress, so that a search cut off by its
// deadline can tell whether it shared the server.
type running struct {
	mu  sync.Mutex
	set map[*run]struct{}
}

type run struct{ shared atomic.Bool }

// start records a search; it and every search already running are marked
// as sharing the server.
func (a *running) start() *run {
	r := &run{}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.set == nil {
		a.set = map[*run]struct{}{}
	}
	if len(a.set) > 0 {
		r.shared.Store(true)
		for o := range a.set {
			o.shared.Store(true)
		}
	}
	a.set[r] = struct{}{}
	return r
}

func (a *running) end(r *run) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.set, r)
}

// lowWorkers run functions on OS threads of low priority: costly
// searches. Each worker holds its thread for good, since a thread's
// priority, once lowered, cannot be raised again without privileges.
type lowWorkers struct {
	jobs chan func()
	quit chan struct{}
	once sync.Once
}

func newLowWorkers(n int) *lowWorkers {
	w := &lowWorkers{jobs: make(chan func()), quit: make(chan struct{})}
	for range n {
		go func() {
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			lowerThreadPriority()
			for {
				select {
				case job := <-w.jobs:
					job()
				case <-w.quit:
					return
				}
			}
		}()
	}
	return w
}

// do runs f on a worker and waits for it; after close it returns errBusy
// without running f. A panic in f is raised again in the caller, the
// request's goroutine, where net/http recovers it and drops that request:
// on the worker it would have ended the process, every other request with
// it.
func (w *lowWorkers) do(f func()) error {
	done := make(chan *workerPanic, 1)
	job := func() {
		defer func() {
			if p := recover(); p != nil {
				done <- &workerPanic{value: p, stack: debug.Stack()}
				return
			}
			done <- nil
		}()
		f()
	}
	select {
	case w.jobs <- job:
	case <-w.quit:
		return errBusy
	}
	if p := <-done; p != nil {
		panic(p)
	}
	return nil
}

// workerPanic is a panic on a search worker, with the worker's stack, as
// raised again in the request it served.
type workerPanic struct {
	value any
	stack []byte
}

func (p *workerPanic) String() string {
	return fmt.Sprintf("search worker: %v\n\n%s", p.value, p.stack)
}

func (w *lowWorkers) close() { w.once.Do(func() { close(w.quit) }) }
