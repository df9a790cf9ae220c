package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// serverKB is a small knowledge base for the server's tests: a restricted
// vendor, a law, two agencies and two incidents, one with hostile text.
// "drones" is in 5 entries.
const serverKB = `
-- vendors/skyeye.md --
---
title: SkyEye Robotics
summary: A Chinese maker of camera drones.
country: CN
---
SkyEye sells surveillance quadcopters.
-- laws/china-drone-ban.md --
---
title: Foreign Drone Procurement Ban
summary: Bars American agencies from flying drones made in China.
kind: statute
country: US
status: enacted
enacted: 2020-01-15
restricts:
  countries: [CN]
measure: procurement
sources:
  - url: https://congress.example.gov/fdpb
---
Congress passed the ban after hearings on data security.
-- agencies/metro-police.md --
---
title: Metro Police Department
summary: A city police force that flies SkyEye drones.
country: US
level: local
kind: police
fleet:
  - vendor: skyeye
    status: active
    as_of: 2024-10-01
    source: https://news.example.org/metro
sources:
  - url: https://news.example.org/metro
---
The department flies SkyEye drones over protests.
-- agencies/paris-fire.md --
---
title: Brigade de sapeurs-pompiers de Paris
title_lang: fr
summary: Firefighters.
country: FR
level: local
kind: emergency
sources:
  - url: https://pompiers.example.fr/flotte
---
The brigade fights fires.
-- incidents/paris-protest-2020.md --
---
title: Drones over a protest in Paris
summary: Camera drones watched a march.
date: 2020-05-16
country: FR
vendors: [skyeye]
kind: protest
sources:
  - url: https://presse.example.fr/manif
---
Reporters said police flew drones with facial recognition cameras.
-- incidents/hostile-2024.md --
---
title: 'A <script>alert(1)</script> title'
summary: 'Drones and <img src=x onerror=alert(1)>.'
date: 2024-07-04
country: US
kind: other
sources:
  - url: https://news.example.org/hostile
---
Someone pasted ` + "`<script>alert('zeppelin')</script>`" + ` about a zeppelin.
`

// builtSite lays out serverKB under root/content and runs the real build
// into root/public and root/index, for the site at baseURL.
func builtSite(t testing.TB, root, baseURL string) (content, out, index string) {
	t.Helper()
	content = filepath.Join(root, "content")
	out, index = filepath.Join(root, "public"), filepath.Join(root, "index")
	sitetest.WriteContent(t, content, sitetest.Content(t, serverKB))
	rebuild(t, content, out, index, baseURL)
	return content, out, index
}

func rebuild(t testing.TB, content, out, index, baseURL string) {
	t.Helper()
	cfg := build.Config{Content: content, Out: out, Index: index, BaseURL: baseURL, AsOf: sitetest.AsOf}
	if _, err := build.Run(context.Background(), cfg, build.SearchIndex); err != nil {
		t.Fatalf("build: %v", err)
	}
}

// startServer serves out and index as dronekb serve does: server.New, the
// index opened and set, behind the http.Server that HTTPServer configures
// (time and header limits included).
func startServer(t testing.TB, out, index, base string, watch bool) (*server.Server, *httptest.Server) {
	t.Helper()
	srv := server.New(server.Config{Out: out, BasePath: base, Watch: watch})
	idx, err := search.Open(index)
	if err != nil {
		t.Fatalf("search.Open: %v", err)
	}
	srv.SetIndex(idx)
	return srv, newTestServer(t, srv)
}

// newTestServer serves srv behind the http.Server that HTTPServer
// configures, on the listener that Listener wraps, until the test ends.
func newTestServer(t testing.TB, srv *server.Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(srv)
	ts.Config = srv.HTTPServer("127.0.0.1:0")
	ts.Listener = srv.Listener(ts.Listener)
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return ts
}

// dronekbBinary builds the dronekb command into dir for the tests that run
// it as a user does, or skips the test, saying why.
func dronekbBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "dronekb")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/dronekb")
	cmd.Dir = sitetest.RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build the dronekb binary, so cannot run dronekb serve: %v\n%s", err, out)
	}
	return bin
}

// liveReload listens to serve --watch's live-reload stream at base as the
// page's reload.js does, until the test ends; the stream must answer 200
// with text/event-stream.
func liveReload(t testing.TB, base string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_dronekb/events", nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		res.Body.Close()
	})
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: status %d, Content-Type %q", res.StatusCode, ct)
	}
	events := make(chan sseEvent, 64)
	go readEvents(res.Body, events)
	return events
}

// client is what every test request uses: no request may take long.
var client = &http.Client{
	Timeout:       5 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func get(t testing.TB, url string) (*http.Response, []byte) {
	t.Helper()
	return do(t, http.MethodGet, url, nil)
}

func do(t testing.TB, method, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %.80s: %v", method, url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %.80s: reading the body: %v", method, url, err)
	}
	return res, body
}

// searchResponse decodes /api/search's JSON.
func searchResponse(t testing.TB, body []byte) search.Response {
	t.Helper()
	var r search.Response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	return r
}
