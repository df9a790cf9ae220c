package build_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// shared holds what several tests and benchmarks make once per run: the
// dronekb binary and generated knowledge bases. TestMain removes it.
var shared struct {
	once sync.Once
	dir  string
	err  error

	binOnce sync.Once
	bin     string
	binErr  error

	mu      sync.Mutex
	corpora map[int]string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

func sharedDir(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() { shared.dir, shared.err = os.MkdirTemp("", "dronekb-build-test-") })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.dir
}

// binary builds the dronekb command once per test run.
func binary(t testing.TB) string {
	t.Helper()
	dir := sharedDir(t)
	shared.binOnce.Do(func() {
		shared.bin = filepath.Join(dir, "dronekb")
		cmd := exec.Command("go", "build", "-o", shared.bin, "./cmd/dronekb")
		cmd.Dir = sitetest.RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			shared.binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if shared.binErr != nil {
		t.Fatal(shared.binErr)
	}
	return shared.bin
}

// corpus generates a knowledge base of n entries once per test run.
func corpus(t testing.TB, n int) string {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if dir, ok := shared.corpora[n]; ok {
		return dir
	}
	dir := filepath.Join(sharedDir(t), fmt.Sprintf("content-%d", n))
	if err := sitetest.Generate(dir, n); err != nil {
		t.Fatal(err)
	}
	if shared.corpora == nil {
		shared.corpora = map[int]string{}
	}
	shared.corpora[n] = dir
	return dir
}

// TestWriteCorpus writes a generated knowledge base of $DRONEKB_CORPUS_N
// entries (default 10,000, the size of BenchmarkBuild10k) to
// $DRONEKB_CORPUS, to measure a real build of it:
//
//	DRONEKB_CORPUS=/tmp/kb10k go test -run WriteCorpus ./internal/build/
//	/usr/bin/time -v dronekb build --content /tmp/kb10k --out /tmp/out/public
func TestWriteCorpus(t *testing.T) {
	dir := os.Getenv("DRONEKB_CORPUS")
	if dir == "" {
		t.Skip("set DRONEKB_CORPUS=DIR to write a generated benchmark knowledge base there (DRONEKB_CORPUS_N entries, default 10000)")
	}
	n := 10000
	if v := os.Getenv("DRONEKB_CORPUS_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("DRONEKB_CORPUS_N=%q is not a positive number", v)
		}
	}
	if err := sitetest.Generate(dir, n); err != nil {
		t.Fatal(err)
	}
}
