package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/server"
)

// syncedServer serves out and index as a plain `dronekb serve` does: the
// index found and paired through the manifests (SyncIndex), not handed
// over, and followed from build to build.
func syncedServer(t *testing.T, out, index string) string {
	t.Helper()
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/"})
	if err := srv.SyncIndex(); err != nil {
		t.Fatalf("SyncIndex: %v", err)
	}
	go srv.Follow(t.Context(), 20*time.Millisecond)
	return newTestServer(t, srv).URL
}

// TestValidatorsAcrossReplicasAndBuilds: two replicas serving their own
// builds of the same content, written at different times, give a page and
// a search answer the same ETag, so a browser or CDN that got it from one
// revalidates it at the other with a 304. A rebuild changes the ETag of
// what it changed, and only of that.
func TestValidatorsAcrossReplicasAndBuilds(t *testing.T) {
	rootA, rootB := t.TempDir(), t.TempDir()
	contentA, outA, indexA := builtSite(t, rootA, "/")
	_, outB, indexB := builtSite(t, rootB, "/")
	// The copies' files differ in when they were written, as copies on
	// two machines do.
	old := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	err := filepath.Walk(outB, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		return os.Chtimes(p, old, old)
	})
	if err != nil {
		t.Fatal(err)
	}
	a, b := syncedServer(t, outA, indexA), syncedServer(t, outB, indexB)

	header := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	page := "/agencies/metro-police/"
	for _, enc := range []string{"identity", "gzip"} {
		ra, bodyA := do(t, "GET", a+page, header("Accept-Encoding", enc))
		rb, _ := do(t, "GET", b+page, header("Accept-Encoding", enc))
		tag := ra.Header.Get("ETag")
		if ra.StatusCode != 200 || tag == "" {
			t.Fatalf("%s (%s): status %d, ETag %q", page, enc, ra.StatusCode, tag)
		}
		if got := rb.Header.Get("ETag"); got != tag {
			t.Fatalf("%s (%s): the replicas give ETags %q and %q for the same page", page, enc, tag, got)
		}
		// The copies were written at different times: a date would not
		// say whether they hold the same bytes, so none is given, and a
		// cache that revalidates by a date alone (one it made up, or a
		// replica's from before this test) gets the page whole. With
		// Last-Modified from the mtime, replica B answered 304 to a date
		// after its copy's, whatever that copy held.
		if lm := ra.Header.Get("Last-Modified") + rb.Header.Get("Last-Modified"); lm != "" {
			t.Errorf("%s (%s): Last-Modified %q beside a content ETag", page, enc, lm)
		}
		if res, body := do(t, "GET", b+page, header("Accept-Encoding", enc, "If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))); res.StatusCode != 200 || len(body) == 0 {
			t.Errorf("%s (%s) at the other replica with only If-Modified-Since: status %d, %d bytes; want 200 and the page", page, enc, res.StatusCode, len(body))
		}
		// gzip's bytes are not the file's: a weak tag; the file's own a strong one.
		if weak := strings.HasPrefix(tag, "W/"); weak != (enc == "gzip") {
			t.Errorf("%s (%s): ETag %s", page, enc, tag)
		}
		if enc == "identity" && !strings.Contains(string(bodyA), "Metro Police Department") {
			t.Fatalf("%s is not the agency's page", page)
		}
		// Revalidated at the other replica, by ETag alone and beside an
		// If-Modified-Since older than that replica's copy.
		for _, h := range []http.Header{
			header("Accept-Encoding", enc, "If-None-Match", tag),
			header("Accept-Encoding", enc, "If-None-Match", tag, "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"),
		} {
			res, body := do(t, "GET", b+page, h)
			if res.StatusCode != http.StatusNotModified || len(body) != 0 {
				t.Fatalf("%s at the other replica with If-None-Match %s: status %d, %d bytes", page, tag, res.StatusCode, len(body))
			}
		}
	}
	// The compressed copy's weak tag revalidates an uncompressed request,
	// and the other way: they stand for the same bytes.
	ri, _ := do(t, "GET", a+page, header("Accept-Encoding", "identity"))
	res, _ := do(t, "GET", b+page, header("Accept-Encoding", "gzip", "If-None-Match", ri.Header.Get("ETag")))
	if res.StatusCode != http.StatusNotModified {
		t.Fatalf("the file's strong ETag does not revalidate its compressed copy: status %d", res.StatusCode)
	}
	// A range may be resumed with If-Range at the other replica.
	res, body := do(t, "GET", b+page, header("Range", "bytes=0-9", "If-Range", ri.Header.Get("ETag")))
	if res.StatusCode != http.StatusPartialContent || string(body) != "<!DOCTYPE " {
		t.Fatalf("Range with If-Range at the other replica: status %d, %q", res.StatusCode, body)
	}

	// A search's answer: one weak tag at both replicas, a 304 without the
	// answer when it is presented, a fresh answer for another query.
	q := "/api/search?q=drones"
	sa, bodyA := do(t, "GET", a+q, nil)
	sb, _ := do(t, "GET", b+q, nil)
	stag := sa.Header.Get("ETag")
	if sa.StatusCode != 200 || !strings.HasPrefix(stag, `W/"`) || searchResponse(t, bodyA).Total == 0 {
		t.Fatalf("%s: status %d, ETag %q, %s", q, sa.StatusCode, stag, bodyA)
	}
	if sb.Header.Get("ETag") != stag {
		t.Fatalf("%s: the replicas give ETags %q and %q", q, stag, sb.Header.Get("ETag"))
	}
	// The answer names its build, the same at both replicas, so that a
	// page of more hits from another build is not added to this list.
	build := searchResponse(t, bodyA).Build
	if _, bodyB := do(t, "GET", b+q, nil); build == "" || searchResponse(t, bodyB).Build != build {
		t.Fatalf("%s: the replicas name the builds %q and %q", q, build, searchResponse(t, bodyB).Build)
	}
	if cc := sa.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("%s: Cache-Control %q, want no-cache (stored, revalidated every time)", q, cc)
	}
	res, body = do(t, "GET", b+q, header("If-None-Match", stag))
	if res.StatusCode != http.StatusNotModified || len(body) != 0 || res.Header.Get("ETag") != stag {
		t.Fatalf("%s with If-None-Match %s: status %d, ETag %q, %d bytes", q, stag, res.StatusCode, res.Header.Get("ETag"), len(body))
	}
	res, body = do(t, "GET", b+"/api/search?q=protest", header("If-None-Match", stag))
	if res.StatusCode != 200 || res.Header.Get("ETag") == stag || searchResponse(t, body).Total == 0 {
		t.Fatalf("another query with the first one's ETag: status %d, ETag %q", res.StatusCode, res.Header.Get("ETag"))
	}
	// Refused queries and errors carry no validator and are not stored.
	res, _ = do(t, "GET", a+"/api/search?q=drones&size=oops", nil)
	if res.StatusCode != 400 || res.Header.Get("ETag") != "" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("a refused query: status %d, ETag %q, Cache-Control %q", res.StatusCode, res.Header.Get("ETag"), res.Header.Get("Cache-Control"))
	}

	// A build that changes one entry's body: its page and the search's
	// answers get new tags; a page whose bytes did not change keeps its
	// own, and its copy at the client is still good.
	unchanged := "/incidents/paris-protest-2020/"
	before, _ := do(t, "GET", a+unchanged, header("Accept-Encoding", "identity"))
	edited := filepath.Join(contentA, "agencies", "metro-police.md")
	src, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	src = []byte(strings.Replace(string(src), "over protests.", "over protests and parades.", 1))
	if err := os.WriteFile(edited, src, 0o644); err != nil {
		t.Fatal(err)
	}
	rebuild(t, contentA, outA, indexA, "/")
	res, body = do(t, "GET", a+page, header("Accept-Encoding", "identity", "If-None-Match", ri.Header.Get("ETag")))
	if res.StatusCode != 200 || !strings.Contains(string(body), "parades") || res.Header.Get("ETag") == ri.Header.Get("ETag") {
		t.Fatalf("the edited page with its old ETag after the build: status %d, ETag %q", res.StatusCode, res.Header.Get("ETag"))
	}
	res, _ = do(t, "GET", a+unchanged, header("Accept-Encoding", "identity", "If-None-Match", before.Header.Get("ETag")))
	if res.StatusCode != http.StatusNotModified {
		t.Fatalf("%s, whose bytes the build did not change, with its ETag: status %d (ETag then %q, now %q)",
			unchanged, res.StatusCode, before.Header.Get("ETag"), res.Header.Get("ETag"))
	}
	waitSearch(t, a, "q=parades", 200, 1)
	res, body = do(t, "GET", a+q, header("If-None-Match", stag))
	if res.StatusCode != 200 || res.Header.Get("ETag") == stag || searchResponse(t, body).Total == 0 {
		t.Fatalf("%s with the previous build's ETag: status %d, ETag %q", q, res.StatusCode, res.Header.Get("ETag"))
	}
	if got := searchResponse(t, body).Build; got == "" || got == build {
		t.Fatalf("%s after a build names the build %q (before it: %q)", q, got, build)
	}
}

// TestWatchHasNoSearchValidator: serve --watch changes its index in place,
// so its answers carry no ETag a client could revalidate after an edit.
func TestWatchHasNoSearchValidator(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/", Watch: true})
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	base := newTestServer(t, srv).URL
	res, body := get(t, base+"/api/search?q=drones")
	if res.StatusCode != 200 || searchResponse(t, body).Total == 0 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if tag := res.Header.Get("ETag"); tag != "" {
		t.Fatalf("serve --watch's answer has ETag %q", tag)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("serve --watch's answer has Cache-Control %q", cc)
	}
}

// TestOneDigestPerFile: however many clients ask at once for a file whose
// ETag is not known yet (a new build's kb.sqlite), it is read once to make
// it. Each request read the whole file before: eight one-byte ranges of a
// 200 MB file read 1.6 GB (found in review).
func TestOneDigestPerFile(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	big := make([]byte, 48<<20)
	for i := range big {
		big[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(out, "data", "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/"})
	base := newTestServer(t, srv).URL
	const clients = 8
	tags := make(chan string, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", base+"/data/big.bin", nil)
			req.Header.Set("Range", "bytes=0-0")
			res, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			tags <- res.Header.Get("ETag")
		}()
	}
	wg.Wait()
	close(tags)
	var first string
	for tag := range tags {
		if first == "" {
			first = tag
		}
		if tag == "" || tag != first {
			t.Errorf("ETags %q and %q for one file", first, tag)
		}
	}
	if n := srv.DigestsTaken(); n != 1 {
		t.Errorf("%d clients asking at once read the file %d times to make its ETag; want once", clients, n)
	}
	// Known now: asked again, it is not read again.
	if res, _ := get(t, base+"/data/big.bin"); res.Header.Get("ETag") != first || srv.DigestsTaken() != 1 {
		t.Errorf("asked again: ETag %q, %d digests", res.Header.Get("ETag"), srv.DigestsTaken())
	}
}
