package server_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/server"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

const blimpEntry = `---
title: Blimp over the harbour
date: 2024-05-01
country: US
sources:
  - url: https://example.org/blimp
---
A surveillance blimp flew over the harbour.
`

// waitSearch asks q until its answer has the status and total wanted.
func waitSearch(t *testing.T, base, q string, status int, total uint64) {
	t.Helper()
	var last string
	for i := 0; i < 200; i++ {
		res, body := get(t, base+"/api/search?"+q)
		if res.StatusCode == status && (status != 200 || searchResponse(t, body).Total == total) {
			return
		}
		last = string(body)
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: still %.200s after 10 s; want status %d (total %d)", q, last, status, total)
}

// TestServeFollowsNewBuilds: serve, without --watch, searches each new
// build's index as soon as it is swapped in, and stops searching an index
// that was deleted, instead of answering from the old one.
func TestServeFollowsNewBuilds(t *testing.T) {
	content, out, index := builtSite(t, t.TempDir(), "/")
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/"})
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Follow(ctx, 20*time.Millisecond)
	ts := newTestServer(t, srv)

	waitSearch(t, ts.URL, "q=blimp", 200, 0)
	if err := os.WriteFile(filepath.Join(content, "incidents", "blimp.md"), []byte(blimpEntry), 0o644); err != nil {
		t.Fatal(err)
	}
	rebuild(t, content, out, index, "/")
	waitSearch(t, ts.URL, "q=blimp", 200, 1)

	if err := os.RemoveAll(index); err != nil {
		t.Fatal(err)
	}
	waitSearch(t, ts.URL, "q=blimp", http.StatusServiceUnavailable, 0)
	rebuild(t, content, out, index, "/")
	waitSearch(t, ts.URL, "q=blimp", 200, 1)
}

// TestMismatchedPairIsRefused: a build killed after swapping in its site
// and before swapping in its index leaves a new site beside the old
// index. serve does not answer from that index (503, saying to rebuild),
// and a rebuild mends the pair.
func TestMismatchedPairIsRefused(t *testing.T) {
	root := t.TempDir()
	content, out, index := builtSite(t, root, "/")
	// The next build, made beside, of which only the site is swapped in.
	if err := os.WriteFile(filepath.Join(content, "incidents", "blimp.md"), []byte(blimpEntry), 0o644); err != nil {
		t.Fatal(err)
	}
	out2, index2 := filepath.Join(root, "public2"), filepath.Join(root, "index2")
	rebuild(t, content, out2, index2, "/")
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(out2, out); err != nil {
		t.Fatal(err)
	}
	if _, err := build.Pair(out, index); err == nil {
		t.Fatal("build.Pair accepts the new site with the old index")
	}

	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/"})
	srv.SyncIndex()
	if err := srv.SyncIndex(); err == nil || !strings.Contains(err.Error(), "dronekb build") {
		t.Fatalf("SyncIndex on a mismatched pair: %v; want an error that says to run dronekb build", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go srv.Follow(ctx, 20*time.Millisecond)
	ts := newTestServer(t, srv)
	res, body := get(t, ts.URL+"/api/search?q=drones")
	checkJSONError(t, res, body, http.StatusServiceUnavailable, "not the one of the site being served")
	if strings.Contains(string(body), root) {
		t.Errorf("the error names the server's directories: %s", body)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	// Pages are still served.
	if res, _ := get(t, ts.URL+"/incidents/blimp/"); res.StatusCode != 200 {
		t.Errorf("the new site's page: status %d", res.StatusCode)
	}
	cfg := build.Config{Content: content, Out: out, Index: index, BaseURL: "/", AsOf: sitetest.AsOf}
	if _, err := build.Run(ctx, cfg, build.SearchIndex); err != nil {
		t.Fatal(err)
	}
	waitSearch(t, ts.URL, "q=blimp", 200, 1)
}

// TestUnreadableIndexManifest: an index whose manifest is there but is
// not JSON is "could not be opened" to visitors, not "missing", and the log
// names the file; a rebuild mends it.
func TestUnreadableIndexManifest(t *testing.T) {
	root := t.TempDir()
	content, out, index := builtSite(t, root, "/")
	manifest := filepath.Join(index, build.ManifestFile)
	if err := os.WriteFile(manifest, []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/", Logger: log.New(&logged, "", 0)})
	srv.SyncIndex()
	ts := newTestServer(t, srv)
	res, body := get(t, ts.URL+"/api/search?q=drones")
	checkJSONError(t, res, body, http.StatusServiceUnavailable, "the search index could not be opened")
	if !strings.Contains(logged.String(), manifest+" is not a manifest a dronekb build wrote") {
		t.Errorf("the log does not name the unreadable manifest: %q", logged.String())
	}
	rebuild(t, content, out, index, "/")
	srv.SyncIndex()
	waitSearch(t, ts.URL, "q=blimp", 200, 0)
}

// TestServeFollowsTheBasePath: a build for another --base-url swapped in
// under a running serve is served where its links point, without a
// restart. serve kept the path it read at start, so every link and
// stylesheet of the new pages pointed where nothing was served (found in
// review).
func TestServeFollowsTheBasePath(t *testing.T) {
	content, out, index := builtSite(t, t.TempDir(), "https://example.org/dronekb/")
	base := syncedServer(t, out, index)
	res, body := get(t, base+"/dronekb/agencies/metro-police/")
	if res.StatusCode != 200 || !strings.Contains(string(body), `href="/dronekb/assets/style.css`) {
		t.Fatalf("before: status %d", res.StatusCode)
	}
	rebuild(t, content, out, index, "https://example.org/other/")
	var last int
	for i := 0; i < 200; i++ {
		res, body = get(t, base+"/other/agencies/metro-police/")
		if last = res.StatusCode; last == 200 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if last != 200 || !strings.Contains(string(body), `href="/other/assets/style.css`) {
		t.Fatalf("the page under the new base path: status %d", last)
	}
	// What its links point to is served, search included.
	for _, p := range []string{"/other/assets/style.css", "/other/tracker/", "/other/api/search?q=drones"} {
		if res, _ := get(t, base+p); res.StatusCode != 200 {
			t.Errorf("%s: status %d", p, res.StatusCode)
		}
	}
	if res, _ := get(t, base+"/dronekb/api/search?q=drones"); res.StatusCode != 404 {
		t.Errorf("the old base path's API: status %d", res.StatusCode)
	}
	if res, _ := get(t, base+"/"); res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/other/" {
		t.Errorf("/: status %d, Location %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestBasePathIsChecked: the base path serve takes from a site's manifest
// is one a build writes. "//evil.example/" made / redirect to another host
// (found in the second read); it, and other paths no build writes, leave
// the site where it was served, with a line in the log.
func TestBasePathIsChecked(t *testing.T) {
	for p, ok := range map[string]bool{
		"/": true, "/dronekb/": true, "/a/b/": true, "/caf%C3%A9/": true,
		"": false, "dronekb/": false, "/dronekb": false, "//evil.example/": false, "/a//b/": false, "/a/../b/": false,
		"/./": false, "/a?x/": false, "/a#x/": false, "/a\\b/": false, "/a b/": false, "/a\nb/": false, "http://x/": false,
	} {
		if got := server.ValidBasePath(p); got != ok {
			t.Errorf("ValidBasePath(%q) = %v", p, got)
		}
	}
	_, out, index := builtSite(t, t.TempDir(), "https://example.org/dronekb/")
	var logged sitetest.Log
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/dronekb/", Logger: log.New(&logged, "", 0)})
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	go srv.Follow(t.Context(), 20*time.Millisecond)
	base := newTestServer(t, srv).URL
	man := filepath.Join(out, build.ManifestFile)
	data, err := os.ReadFile(man)
	if err != nil {
		t.Fatal(err)
	}
	hostile := strings.Replace(string(data), `"base_path": "/dronekb/"`, `"base_path": "//evil.example/"`, 1)
	if hostile == string(data) {
		t.Fatalf("the manifest names no base path: %s", data)
	}
	if err := os.WriteFile(man, []byte(hostile), 0o644); err != nil {
		t.Fatal(err)
	}
	// Wait for the follower to have read the manifest (a loaded machine
	// can take more than a few of its ticks), then let several more ticks
	// pass, each of which could log the refusal again.
	const refused = `names a base path that is not one ("//evil.example/")`
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(logged.String(), refused); {
		if time.Now().After(deadline) {
			t.Fatalf("the follower never refused the base path; it logged:\n%s", logged.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // several of the follower's ticks
	res, _ := get(t, base+"/")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusFound || loc != "/dronekb/" {
		t.Fatalf("/ with a manifest naming //evil.example/: status %d, Location %q", res.StatusCode, loc)
	}
	if res, _ := get(t, base+"/dronekb/agencies/metro-police/"); res.StatusCode != 200 {
		t.Fatalf("the site's pages: status %d", res.StatusCode)
	}
	// Said once, not at every tick of the follower.
	if n := strings.Count(logged.String(), refused); n != 1 {
		t.Errorf("the refused base path is logged %d times:\n%s", n, logged.String())
	}
}
