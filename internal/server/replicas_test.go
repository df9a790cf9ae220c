package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// startServe runs `dronekb serve --addr 127.0.0.1:0` with more arguments,
// on 2025-06-01, and returns the address it listens on. The process is
// stopped (SIGINT) at the end of the test, and its log shown if the test
// failed.
func startServe(t *testing.T, bin string, args ...string) string {
	t.Helper()
	base, _ := startServeLogged(t, bin, args...)
	return base
}

// startServeLogged is startServe that also returns serve's log (its
// standard error), which the test may read while serve writes it.
func startServeLogged(t *testing.T, bin string, args ...string) (string, *sitetest.Log) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1748736000")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &sitetest.Log{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("serve's log:\n%s", stderr.String())
		}
	})
	// "Serving … on http://127.0.0.1:PORT/ (Ctrl-C to stop)", the site's
	// path after the port.
	lines := bufio.NewScanner(stdout)
	addrRE := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)/\S* `)
	for lines.Scan() {
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return m[1], stderr
		}
	}
	t.Fatalf("serve did not say where it listens; stderr:\n%s", stderr.String())
	return "", nil
}

// TestReplicasShareOneIndex runs two `dronekb serve` processes on the same
// public/ and index/ at once, as replicas behind a load balancer would:
// both open the bleve index read-only, both answer the same search the
// same way, and a build swapped in under them is what both serve next —
// its pages and its search results — with no restart.
func TestReplicasShareOneIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the replicas test (it builds and runs the dronekb binary twice)")
	}
	root := t.TempDir()
	bin := dronekbBinary(t, root)
	content, out, index := builtSite(t, root, "/")
	a := startServe(t, bin, "--out", out, "--index", index)
	b := startServe(t, bin, "--out", out, "--index", index)

	answer := func(base, q string) search.Response {
		t.Helper()
		res, body := get(t, base+"/api/search?"+q)
		if res.StatusCode != 200 {
			t.Fatalf("%s/api/search?%s: status %d: %s", base, q, res.StatusCode, body)
		}
		var r search.Response
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		r.TookMS = 0
		return r
	}
	same := func(q string) search.Response {
		t.Helper()
		ra, rb := answer(a, q), answer(b, q)
		ja, _ := json.Marshal(ra)
		jb, _ := json.Marshal(rb)
		if string(ja) != string(jb) {
			t.Fatalf("the replicas answer %s differently:\n%s\n%s", q, ja, jb)
		}
		return ra
	}
	if r := same("q=drones"); r.Total == 0 {
		t.Fatal("the replicas find nothing for drones")
	}
	if r := same("q=blimp"); r.Total != 0 {
		t.Fatalf("blimp found before it was written: %d hits", r.Total)
	}

	// A build under both: a new entry appears on both, page and search.
	if err := os.WriteFile(filepath.Join(content, "incidents", "blimp.md"), []byte(blimpEntry), 0o644); err != nil {
		t.Fatal(err)
	}
	rebuild(t, content, out, index, "/")
	for _, base := range []string{a, b} {
		waitSearch(t, base, "q=blimp", 200, 1)
		res, body := get(t, base+"/incidents/blimp/")
		if res.StatusCode != 200 || !strings.Contains(string(body), "Blimp over the harbour") {
			t.Fatalf("%s does not serve the new entry's page after the build: status %d", base, res.StatusCode)
		}
	}
	if r := same("q=blimp"); len(r.Hits) != 1 || r.Hits[0].ID != "incidents/blimp" {
		t.Fatalf("after the build the replicas answer blimp with %+v", r.Hits)
	}
	// Both hold their index open read-only: neither keeps the other, or
	// the next build, out. A second build renames the blimp a dirigible; both follow.
	if r := same("q=dirigible"); r.Total != 0 {
		t.Fatalf("dirigible found before it was written: %d hits", r.Total)
	}
	renamed := strings.Replace(blimpEntry, "Blimp over the harbour", "Dirigible over the harbour", 1)
	if err := os.WriteFile(filepath.Join(content, "incidents", "blimp.md"), []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	rebuild(t, content, out, index, "/")
	for _, base := range []string{a, b} {
		waitSearch(t, base, "q=dirigible", 200, 1)
	}
	if r := same("q=dirigible"); len(r.Hits) != 1 || !strings.Contains(r.Hits[0].Title, "Dirigible") {
		t.Fatalf("after the second build the replicas answer dirigible with %+v", r.Hits)
	}
}

// TestServeKeepsABuiltSite runs `dronekb serve` on a site built for
// https://example.org/dronekb/ whose index is gone (a build killed
// between its swaps, or deleted), from a folder with no content/, as a
// replica runs: it serves the site as it was built, pages under
// /dronekb/, search a 503 that says why, and rewrites nothing. It used
// to rebuild the site for "/" (the pages then 404 under /dronekb/, the
// sitemap's URLs relative) or, without content/, not start at all.
func TestServeKeepsABuiltSite(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping (it builds and runs the dronekb binary)")
	}
	root := t.TempDir()
	bin := dronekbBinary(t, root)
	_, out, index := builtSite(t, root, "https://example.org/dronekb/")
	sitemap, err := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(index); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, bin, "--out", out, "--index", index)
	if res, body := get(t, base+"/dronekb/"); res.StatusCode != 200 || !strings.Contains(string(body), `href="/dronekb/tracker/"`) {
		t.Errorf("GET /dronekb/: status %d, or not the site built for /dronekb/", res.StatusCode)
	}
	if res, body := get(t, base+"/dronekb/api/search?q=drones"); res.StatusCode != 503 {
		t.Errorf("search without its index: status %d: %s", res.StatusCode, body)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "sitemap.xml")); string(got) != string(sitemap) {
		t.Errorf("serve rewrote the site: its sitemap.xml is now\n%.300s", got)
	}
}
