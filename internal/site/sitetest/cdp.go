package sitetest

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// Browser is headless Chromium driven over the Chrome DevTools Protocol: a
// small client for what the tests need — open a page, navigate, evaluate
// JavaScript, emulate a phone or a dark colour scheme, take a screenshot —
// and a record of every console error, uncaught exception and failed load.
type Browser struct {
	t       testing.TB
	cmd     *exec.Cmd
	conn    *websocket.Conn
	session string

	mu       sync.Mutex
	next     int64
	calls    map[int64]chan cdpMessage
	loaded   chan struct{}
	problems []string
	closed   bool
}

type cdpMessage struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// ChromiumFlags are the flags headless Chromium needs here: no sandbox (we
// run as root in a container), no GPU, and nothing that talks to the
// network by itself.
var ChromiumFlags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
	"--hide-scrollbars", "--mute-audio", "--remote-debugging-port=0", "--remote-allow-origins=*"}

// StartBrowser starts the chromium at path with a fresh profile, connects to
// it and opens a page. The browser is closed when the test ends.
func StartBrowser(t testing.TB, path string) *Browser {
	t.Helper()
	args := append(append([]string(nil), ChromiumFlags...), "--user-data-dir="+t.TempDir(), "about:blank")
	cmd := exec.Command(path, args...)
	ownProcessGroup(cmd) // to stop its helper processes with it
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	b := &Browser{t: t, cmd: cmd, calls: map[int64]chan cdpMessage{}, loaded: make(chan struct{}, 16)}
	t.Cleanup(b.close)

	// Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
	found := make(chan string, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, "ws://"); i >= 0 && strings.Contains(line, "DevTools listening") {
				found <- strings.TrimSpace(line[i:])
			}
			if log.Len() < 8<<10 {
				log.WriteString(line + "\n")
			}
		}
		close(found)
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-time.After(30 * time.Second):
	}
	if wsURL == "" {
		t.Fatalf("chromium did not print its DevTools address:\n%s", log.String())
	}
	cfg, err := websocket.NewConfig(wsURL, "http://127.0.0.1/")
	if err != nil {
		t.Fatal(err)
	}
	if b.conn, err = websocket.DialConfig(cfg); err != nil {
		t.Fatalf("connecting to %s: %v", wsURL, err)
	}
	b.conn.MaxPayloadBytes = 128 << 20
	go b.read()

	var target struct{ TargetID string }
	b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct{ SessionID string }
	b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	for _, domain := range []string{"Page", "Runtime", "Log"} {
		b.Call(domain+".enable", nil, nil)
	}
	return b
}

func (b *Browser) read() {
	for {
		var data []byte
		if err := websocket.Message.Receive(b.conn, &data); err != nil {
			b.mu.Lock()
			for _, ch := range b.calls {
				close(ch)
			}
			b.calls = map[int64]chan cdpMessage{}
			b.closed = true
			b.mu.Unlock()
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.calls[m.ID]
			delete(b.calls, m.ID)
			b.mu.Unlock()
			if ch != nil {
				ch <- m
			}
			continue
		}
		b.event(m)
	}
}

// event records what a page reports as going wrong.
func (b *Browser) event(m cdpMessage) {
	problem := ""
	switch m.Method {
	case "Page.loadEventFired":
		select {
		case b.loaded <- struct{}{}:
		default:
		}
	case "Runtime.consoleAPICalled":
		var p struct {
			Type string
			Args []struct {
				Value       any
				Description string
			}
		}
		_ = json.Unmarshal(m.Params, &p)
		if p.Type == "error" || p.Type == "assert" {
			var parts []string
			for _, a := range p.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, fmt.Sprint(a.Value))
				}
			}
			problem = "console." + p.Type + ": " + strings.Join(parts, " ")
		}
	case "Runtime.exceptionThrown":
		var p struct {
			ExceptionDetails struct {
				Text      string
				URL       string
				Exception struct{ Description string }
			}
		}
		_ = json.Unmarshal(m.Params, &p)
		d := p.ExceptionDetails
		problem = fmt.Sprintf("uncaught exception: %s %s (%s)", d.Text, d.Exception.Description, d.URL)
	case "Log.entryAdded":
		var p struct {
			Entry struct{ Level, Text, URL, Source string }
		}
		_ = json.Unmarshal(m.Params, &p)
		if p.Entry.Level == "error" {
			problem = fmt.Sprintf("%s error: %s %s", p.Entry.Source, p.Entry.Text, p.Entry.URL)
		}
	}
	if problem != "" {
		b.mu.Lock()
		b.problems = append(b.problems, problem)
		b.mu.Unlock()
	}
}

// call sends a command (to the page's session, or to the browser when
// session is "") and decodes its result into result, failing the test on
// an error.
func (b *Browser) call(session, method string, params, result any) {
	b.t.Helper()
	if err := b.try(session, method, params, result); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
}

func (b *Browser) try(session, method string, params, result any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return err
	}
	if params == nil {
		raw = nil
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return errors.New("the browser connection is closed")
	}
	b.next++
	id := b.next
	ch := make(chan cdpMessage, 1)
	b.calls[id] = ch
	b.mu.Unlock()
	msg, _ := json.Marshal(cdpMessage{ID: id, Method: method, Params: raw, SessionID: session})
	if err := websocket.Message.Send(b.conn, string(msg)); err != nil {
		return err
	}
	select {
	case reply, ok := <-ch:
		switch {
		case !ok:
			return errors.New("the browser went away")
		case reply.Error != nil:
			return fmt.Errorf("%s (%d)", reply.Error.Message, reply.Error.Code)
		case result != nil:
			return json.Unmarshal(reply.Result, result)
		}
		return nil
	case <-time.After(60 * time.Second):
		return errors.New("no answer in 60s")
	}
}

// Call sends a command to the page.
func (b *Browser) Call(method string, params, result any) {
	b.t.Helper()
	b.call(b.session, method, params, result)
}

// Navigate loads url and waits for its load event. It returns what went
// wrong on the page while it loaded: console errors, exceptions, failed
// loads.
func (b *Browser) Navigate(url string) []string {
	b.t.Helper()
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
	for len(b.loaded) > 0 {
		<-b.loaded
	}
	var nav struct{ ErrorText string }
	b.Call("Page.navigate", map[string]any{"url": url}, &nav)
	if nav.ErrorText != "" {
		b.t.Fatalf("navigating to %s: %s", url, nav.ErrorText)
	}
	select {
	case <-b.loaded:
	case <-time.After(30 * time.Second):
		b.t.Fatalf("%s did not finish loading in 30s", url)
	}
	// Let deferred scripts and late console messages arrive.
	b.Eval(`new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))`, nil)
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}

// Eval evaluates a JavaScript expression in the page, awaiting a promise,
// and decodes its value into result.
func (b *Browser) Eval(expr string, result any) {
	b.t.Helper()
	var r struct {
		Result struct {
			Value json.RawMessage
		}
		ExceptionDetails *struct {
			Text      string
			Exception struct{ Description string }
		}
	}
	b.Call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &r)
	if r.ExceptionDetails != nil {
		b.t.Fatalf("evaluating %q: %s %s", expr, r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if result != nil && len(r.Result.Value) > 0 {
		if err := json.Unmarshal(r.Result.Value, result); err != nil {
			b.t.Fatalf("evaluating %q: %v", expr, err)
		}
	}
}

// Width is how wide a page is, against its viewport.
type Width struct {
	// ScrollWidth is document.documentElement.scrollWidth. InnerWidth is
	// the viewport's width: the narrowest of innerWidth, the root's
	// clientWidth and the screen, because a phone browser (and Chromium's
	// mobile emulation) zooms out to fit content wider than the device,
	// which widens innerWidth to the content and would hide the overflow.
	ScrollWidth, InnerWidth int
	// Wide names the first elements that stick out of the viewport, other
	// than inside a box that scrolls or clips on its own.
	Wide []string
}

// Overflow measures whether the page scrolls sideways.
func (b *Browser) Overflow() Width {
	b.t.Helper()
	var w Width
	b.Eval(overflowJS, &w)
	return w
}

const overflowJS = `(() => {
  const w = Math.min(window.innerWidth, document.documentElement.clientWidth, screen.width), wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (wide.length >= 6) break;
    const r = el.getBoundingClientRect();
    if (r.right <= w + 0.5) continue;
    let p = el.parentElement, contained = false;
    while (p && p !== document.body) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") { contained = true; break; }
      p = p.parentElement;
    }
    if (!contained) wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " (right edge " + Math.round(r.right) + "px)");
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide};
})()`

// Viewport sets the page's size in CSS pixels; mobile emulates a phone
// (its meta viewport is honoured, scrollbars overlay).
func (b *Browser) Viewport(width, height int, scale float64, mobile bool) {
	b.t.Helper()
	b.Call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile}, nil)
}

// ColorScheme emulates prefers-color-scheme: "light" or "dark".
func (b *Browser) ColorScheme(scheme string) {
	b.t.Helper()
	b.Call("Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme}}}, nil)
}

// Screenshot writes a PNG of the whole page, up to maxHeight CSS pixels
// tall, to name.
func (b *Browser) Screenshot(name string, maxHeight int) {
	b.t.Helper()
	var m struct {
		CSSContentSize struct{ Width, Height float64 }
	}
	b.Call("Page.getLayoutMetrics", nil, &m)
	clip := map[string]any{"x": 0, "y": 0, "width": m.CSSContentSize.Width, "height": min(m.CSSContentSize.Height, float64(maxHeight)), "scale": 1}
	var shot struct{ Data string }
	b.Call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true, "clip": clip}, &shot)
	data, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *Browser) close() {
	if b.conn != nil {
		_ = b.try("", "Browser.close", nil, nil)
		b.conn.Close()
	}
	done := make(chan struct{})
	go func() { _ = b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		killProcessGroup(b.cmd)
		<-done
	}
	// Helpers of the browser that outlived it are in its process group.
	killProcessGroup(b.cmd)
}
