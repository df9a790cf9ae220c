//go:build !unix

package search_test

import "time"

// cpuTime is not measured here: the benchmarks report 0 cpu-s.
func cpuTime() time.Duration { return 0 }
