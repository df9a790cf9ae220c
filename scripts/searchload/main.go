// Command searchload measures whether costly searches can starve plain
// ones on dronekb serve: it times plain one-word searches from a visitor,
// first alone (the baseline), then while many clients send costly searches
// (long sets of phrases, excluded phrases, deep pages sorted by title,
// prefixes, typos, many words) as fast as they are answered, never backing
// off. It prints, for each phase, the plain searches' latency percentiles
// and answers by status, the costly clients' answers by status, and the
// ratio of the plain p99 under load to the baseline p99.
//
// It is for the generated knowledge base of scripts/loadtest.sh (its
// words and place names); scripts/costlyload.sh builds one, serves it and
// runs this. On loopback the costly clients connect from 127.0.0.2 and the
// visitor from 127.0.0.3, as different machines would; -spread=false keeps
// them all on the default address.
//
// It exits 1 if under load a plain search got anything but 200, if the
// plain p99 under load reached -p99, or if any 503 came without
// Retry-After.
//
//	go run ./scripts/searchload -url http://127.0.0.1:1313 [-costly 200] [-plain 2] [-baseline 10s] [-duration 30s] [-p99 100ms]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var plainQueries = []string{
	"q=houston", "q=seattle", "q=lyon", "q=marseille", "q=berlin", "q=drones", "q=surveillance",
	"q=warrant", "q=protest", "q=inspector", "q=paris", "q=miami", "q=footage", "q=lawsuit",
}

func costlyQueries() []string {
	common := strings.Fields("department thermal crowd procurement court security journalists search statute footage ruling audit data budget inspector privacy city flight firefighters decree waiver drone report contract ban pilots prefecture")
	phrases := func(n int, sep string) string {
		var b []string
		for i := 0; i < n; i++ {
			b = append(b, sep+`"`+common[i%len(common)]+" "+common[(i*7+3)%len(common)]+`"`)
		}
		return strings.Join(b, " ")
	}
	q := func(s string) string { return "q=" + url.QueryEscape(s) }
	return []string{
		q(phrases(12, "")),
		q(phrases(14, "-") + " drone"),
		"q=drones&sort=title&from=900&size=100",
		"q=drones&sort=date&from=990&size=10",
		q("de* th* cr* pr* co* se* jo* st*"),
		q("dpartment~1 thermel~1 crowed~1 procurment~1 cuort~1 securty~1 journalist~1 serch~1"),
		q(strings.Join(common[:24], " ")),
		"sort=title&from=900&size=100",
		q(`-"police department" -"drone fleet" -"city council"`) + "&sort=-date&from=500&size=100",
	}
}

type tally struct {
	mu        sync.Mutex
	latencies []time.Duration
	statuses  map[string]int
}

func (t *tally) add(d time.Duration, status string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.statuses == nil {
		t.statuses = map[string]int{}
	}
	t.latencies = append(t.latencies, d)
	t.statuses[status]++
}

func (t *tally) percentile(p float64) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.latencies) == 0 {
		return 0
	}
	l := slices.Clone(t.latencies)
	slices.Sort(l)
	i := int(p/100*float64(len(l))+0.5) - 1
	return l[min(max(i, 0), len(l)-1)]
}

func (t *tally) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := make([]string, 0, len(t.statuses))
	for k := range t.statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, t.statuses[k]))
	}
	return strings.Join(parts, ", ")
}

func (t *tally) count(status string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for k, v := range t.statuses {
		if k != status {
			n += v
		}
	}
	return n
}

// client returns an HTTP client whose connections come from local (nil:
// the default address).
func client(local net.IP, conns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if local != nil {
		d.LocalAddr = &net.TCPAddr{IP: local}
	}
	return &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
	}
}

// get fetches u and says how long it took and its status: "200", "503",
// "503 without Retry-After" (which the server must never send), "error".
func get(c *http.Client, u string) (time.Duration, string) {
	start := time.Now()
	res, err := c.Get(u)
	if err != nil {
		return time.Since(start), "error"
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	d := time.Since(start)
	if err != nil {
		return d, "error"
	}
	if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
		return d, "503 without Retry-After"
	}
	return d, fmt.Sprint(res.StatusCode)
}

// plain runs n visitors, each searching for a word, then pausing pause,
// until ctx ends.
func plain(ctx context.Context, c *http.Client, base string, n int, pause time.Duration, t *tally) *sync.WaitGroup {
	var wg sync.WaitGroup
	for v := 0; v < n; v++ {
		wg.Add(1)
		go func(v int) {
			defer wg.Done()
			for i := v * 5; ctx.Err() == nil; i++ {
				d, status := get(c, base+"/api/search?"+plainQueries[i%len(plainQueries)])
				if ctx.Err() != nil {
					return
				}
				t.add(d, status)
				select {
				case <-time.After(pause):
				case <-ctx.Done():
				}
			}
		}(v)
	}
	return &wg
}

func main() {
	base := flag.String("url", "", "dronekb serve's address, http://HOST:PORT (required)")
	costly := flag.Int("costly", 200, "costly clients")
	plains := flag.Int("plain", 2, "visitors sending plain one-word searches")
	pause := flag.Duration("pause", 50*time.Millisecond, "a visitor's pause between searches")
	baseline := flag.Duration("baseline", 10*time.Second, "how long to time plain searches alone")
	duration := flag.Duration("duration", 30*time.Second, "how long to time them under costly load")
	warmup := flag.Duration("warmup", 3*time.Second, "costly load before timing starts")
	limit := flag.Duration("p99", 100*time.Millisecond, "the plain p99 under load must stay under this")
	spread := flag.Bool("spread", true, "on loopback, connect the costly clients from 127.0.0.2 and the visitors from 127.0.0.3")
	flag.Parse()
	if *base == "" {
		flag.Usage()
		os.Exit(2)
	}
	u, err := url.Parse(*base)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var costlyFrom, plainFrom net.IP
	if ip := net.ParseIP(u.Hostname()); *spread && ip != nil && ip.IsLoopback() && ip.To4() != nil {
		costlyFrom, plainFrom = net.IPv4(127, 0, 0, 2), net.IPv4(127, 0, 0, 3)
	}
	plainClient := client(plainFrom, *plains)
	if _, status := get(plainClient, *base+"/api/search?q=drones"); status != "200" {
		fmt.Fprintf(os.Stderr, "searchload: %s/api/search answers %s\n", *base, status)
		os.Exit(1)
	}

	fmt.Printf("== baseline: %d visitors, plain one-word searches, %v\n", *plains, *baseline)
	var alone tally
	ctx, cancel := context.WithTimeout(context.Background(), *baseline)
	plain(ctx, plainClient, *base, *plains, *pause, &alone).Wait()
	cancel()
	report("plain, alone", &alone)

	fmt.Printf("== under load: %d costly clients (no back-off) and %d visitors, %v after %v of warm-up\n", *costly, *plains, *duration, *warmup)
	var loaded, costlyTally tally
	var costlySent atomic.Int64
	stop, stopCostly := context.WithCancel(context.Background())
	costlyClient := client(costlyFrom, *costly)
	qs := costlyQueries()
	var cwg sync.WaitGroup
	var measuring atomic.Bool
	for i := 0; i < *costly; i++ {
		cwg.Add(1)
		go func(i int) {
			defer cwg.Done()
			for j := i; stop.Err() == nil; j++ {
				d, status := get(costlyClient, *base+"/api/search?"+qs[j%len(qs)])
				if measuring.Load() && stop.Err() == nil {
					costlyTally.add(d, status)
					costlySent.Add(1)
				}
			}
		}(i)
	}
	time.Sleep(*warmup)
	measuring.Store(true)
	ctx, cancel = context.WithTimeout(context.Background(), *duration)
	plain(ctx, plainClient, *base, *plains, *pause, &loaded).Wait()
	cancel()
	measuring.Store(false)
	stopCostly()
	cwg.Wait()
	report("plain, under load", &loaded)
	fmt.Printf("%-18s %d answers (%.0f a second): %s\n", "costly", costlySent.Load(), float64(costlySent.Load())/duration.Seconds(), costlyTally.String())
	fmt.Printf("%-18s p50 %s, p99 %s\n", "", ms(costlyTally.percentile(50)), ms(costlyTally.percentile(99)))
	if b := alone.percentile(99); b > 0 {
		fmt.Printf("plain p99 under load / alone: %.2f\n", float64(loaded.percentile(99))/float64(b))
	}

	ok := true
	if n := costlyTally.statuses["503 without Retry-After"]; n > 0 {
		fmt.Printf("FAIL: %d answers to costly clients were 503 without Retry-After\n", n)
		ok = false
	}
	if n := loaded.count("200"); n > 0 {
		fmt.Printf("FAIL: %d plain searches under load got an answer other than 200 (%s)\n", n, loaded.String())
		ok = false
	}
	if p := loaded.percentile(99); p >= *limit {
		fmt.Printf("FAIL: plain p99 under load is %s, not under %s\n", ms(p), ms(*limit))
		ok = false
	}
	if !ok {
		os.Exit(1)
	}
	fmt.Printf("PASS: every plain search under load got 200, p99 %s < %s\n", ms(loaded.percentile(99)), ms(*limit))
}

func report(name string, t *tally) {
	t.mu.Lock()
	n := len(t.latencies)
	t.mu.Unlock()
	fmt.Printf("%-18s %d searches: p50 %s, p90 %s, p99 %s, max %s; %s\n", name, n,
		ms(t.percentile(50)), ms(t.percentile(90)), ms(t.percentile(99)), ms(t.percentile(100)), t.String())
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
