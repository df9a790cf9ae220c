package server_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestWriteLoadCorpus writes the generated knowledge base that
// scripts/loadtest.sh serves: $DRONEKB_LOADTEST_ENTRIES entries (default
// 10,000) into $DRONEKB_LOADTEST_CORPUS.
func TestWriteLoadCorpus(t *testing.T) {
	dir := os.Getenv("DRONEKB_LOADTEST_CORPUS")
	if dir == "" {
		t.Skip("set DRONEKB_LOADTEST_CORPUS=DIR to write the load test's knowledge base there (scripts/loadtest.sh does)")
	}
	n := 10000
	if s := os.Getenv("DRONEKB_LOADTEST_ENTRIES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 16 {
			t.Fatalf("DRONEKB_LOADTEST_ENTRIES=%q: want a number of at least 16", s)
		}
	}
	if err := sitetest.Generate(dir, n); err != nil {
		t.Fatal(err)
	}
}
