package sitetest

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// BenchSizes returns the sizes of generated knowledge base a benchmark
// runs at: the entries counted in $DRONEKB_BENCH_N (such as
// "1000,10000,100000": 100,000 entries take minutes to generate and build,
// so they run only when asked for), or else defaults. A value that is not
// such a list stops the benchmark rather than run it at another size.
func BenchSizes(tb testing.TB, defaults ...int) []int {
	tb.Helper()
	v := os.Getenv("DRONEKB_BENCH_N")
	if v == "" {
		return defaults
	}
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			tb.Fatalf("DRONEKB_BENCH_N=%q: want sizes such as 1000,10000,100000", v)
		}
		out = append(out, n)
	}
	return out
}
