// Package browser drives a headless Chromium over the DevTools protocol,
// for tests that need a real browser: open a page, run script in it, type
// and click, emulate a phone or a dark colour scheme, collect console errors
// and network requests, measure sideways overflow, take a screenshot. It
// speaks the protocol over its own small WebSocket client and has no
// dependencies.
//
//	b, err := browser.Start(ctx)
//	if errors.Is(err, browser.ErrNoBrowser) {
//		t.Skip(err)
//	}
//	defer b.Close()
//	p, err := b.NewPage(ctx)
//	err = p.Navigate(ctx, srv.URL+"/search/")
//	var n int
//	err = p.Eval(ctx, `document.querySelectorAll("li").length`, &n)
package browser

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNoBrowser means no Chromium was found. Tests skip on it.
var ErrNoBrowser = errors.New("no Chromium or Chrome found (set DRONEKB_CHROMIUM to its path)")

// Path returns the browser executable: $DRONEKB_CHROMIUM, or the first of
// chromium, chromium-browser, google-chrome found on $PATH or in /usr/bin.
func Path() (string, error) {
	if p := os.Getenv("DRONEKB_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
		if p := filepath.Join("/usr/bin", name); isExec(p) {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

func isExec(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// Browser is a running headless Chromium.
type Browser struct {
	cmd     *exec.Cmd
	dir     string
	ws      *wsConn
	nextID  atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan reply
	pages   map[string]*Page // by session ID
	done    chan struct{}
	err     error // why the connection ended
	stderr  *tail
}

type reply struct {
	Result json.RawMessage
	Err    error
}

type message struct {
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

// Start launches a headless Chromium with a fresh profile and connects to
// it. It returns ErrNoBrowser when there is none.
func Start(ctx context.Context) (*Browser, error) {
	path, err := Path()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "dronekb-chromium-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars", "--window-size=1200,900",
		"--user-data-dir="+dir, "--remote-debugging-port=0", "about:blank")
	ownProcessGroup(cmd) // to stop its helper processes with it
	stderr, err := cmd.StderrPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("browser: starting %s: %w", path, err)
	}
	b := &Browser{cmd: cmd, dir: dir, pending: map[int64]chan reply{}, pages: map[string]*Page{}, done: make(chan struct{}), stderr: &tail{}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			b.stderr.add(line)
			if i := strings.Index(line, "ws://"); !sent && strings.Contains(line, "DevTools listening on") && i >= 0 {
				found <- strings.TrimSpace(line[i:])
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var wsURL string
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case wsURL = <-found:
	case <-timer.C:
		b.kill()
		return nil, fmt.Errorf("browser: %s did not start in 30s:\n%s", path, b.stderr)
	case <-ctx.Done():
		b.kill()
		return nil, ctx.Err()
	}
	if b.ws, err = dialWS(wsURL); err != nil {
		b.kill()
		return nil, err
	}
	go b.read()
	return b, nil
}

func (b *Browser) kill() {
	if b.cmd.Process != nil {
		killProcessGroup(b.cmd)
		_ = b.cmd.Wait()
	}
	_ = os.RemoveAll(b.dir)
}

// Close ends the browser, and any helper process of it that is left, and
// removes its profile.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = b.call(ctx, "", "Browser.close", nil)
	if b.ws != nil {
		b.ws.Close()
	}
	exited := make(chan struct{})
	go func() {
		_ = b.cmd.Wait()
		close(exited)
	}()
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		killProcessGroup(b.cmd)
		<-exited
	}
	// Helpers of the browser that outlived it are in its process group.
	killProcessGroup(b.cmd)
	return os.RemoveAll(b.dir)
}

// read dispatches replies and events until the connection ends.
func (b *Browser) read() {
	var err error
	defer func() {
		b.mu.Lock()
		b.err = err
		for id, ch := range b.pending {
			ch <- reply{Err: fmt.Errorf("browser: connection closed: %v", err)}
			delete(b.pending, id)
		}
		b.mu.Unlock()
		close(b.done)
	}()
	for {
		var data []byte
		data, err = b.ws.ReadMessage()
		if err != nil {
			return
		}
		var m message
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.pending[m.ID]
			delete(b.pending, m.ID)
			b.mu.Unlock()
			if ch != nil {
				r := reply{Result: m.Result}
				if m.Error != nil {
					r.Err = fmt.Errorf("%s (%d)", m.Error.Message, m.Error.Code)
				}
				ch <- r
			}
			continue
		}
		b.mu.Lock()
		p := b.pages[m.SessionID]
		b.mu.Unlock()
		if p != nil {
			p.event(m.Method, m.Params)
		}
	}
}

// call sends a command and waits for its result.
func (b *Browser) call(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	id := b.nextID.Add(1)
	m := map[string]any{"id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	if session != "" {
		m["sessionId"] = session
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	ch := make(chan reply, 1)
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return nil, fmt.Errorf("browser: connection closed: %v", b.err)
	}
	b.pending[id] = ch
	b.mu.Unlock()
	if err := b.ws.WriteText(data); err != nil {
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return nil, err
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, fmt.Errorf("%s: %w", method, r.Err)
		}
		return r.Result, nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
		return nil, fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// NewPage opens a new tab.
func (b *Browser) NewPage(ctx context.Context) (*Page, error) {
	res, err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err != nil {
		return nil, err
	}
	var t struct {
		TargetID string `json:"targetId"`
	}
	if err := json.Unmarshal(res, &t); err != nil {
		return nil, err
	}
	res, err = b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": t.TargetID, "flatten": true})
	if err != nil {
		return nil, err
	}
	var s struct {
		SessionID string `json:"sessionId"`
	}
	if err := json.Unmarshal(res, &s); err != nil {
		return nil, err
	}
	p := &Page{b: b, target: t.TargetID, session: s.SessionID, requests: map[string]*Request{}}
	b.mu.Lock()
	b.pages[s.SessionID] = p
	b.mu.Unlock()
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable", "Network.enable"} {
		if _, err := p.call(ctx, m, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Page is a browser tab.
type Page struct {
	b               *Browser
	target, session string

	mu       sync.Mutex
	console  []Console
	requests map[string]*Request
	order    []string
	loaded   chan struct{}
}

// Console is a console message, an uncaught exception or a browser log
// entry (such as a failed request).
type Console struct {
	Level string // "error", "assert" (a failed console.assert), "warning", "info", "log", "debug"
	Text  string
}

// Request is a network request the page made.
type Request struct {
	URL     string
	Method  string
	Status  int
	Bytes   int64 // bytes received over the network (encoded, with headers)
	Body    int64 // bytes of the decoded body
	Done    bool
	Failed  string
	FromDoc bool // the page itself
}

func (p *Page) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	return p.b.call(ctx, p.session, method, params)
}

func (p *Page) event(method string, params json.RawMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch method {
	case "Page.loadEventFired":
		if p.loaded != nil {
			close(p.loaded)
			p.loaded = nil
		}
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		if json.Unmarshal(params, &e) == nil {
			var parts []string
			for _, a := range e.Args {
				if a.Value != nil {
					parts = append(parts, fmt.Sprint(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			level := e.Type
			if level == "warn" {
				level = "warning"
			}
			p.console = append(p.console, Console{Level: level, Text: strings.Join(parts, " ")})
		}
	case "Runtime.exceptionThrown":
		var e struct {
			Details struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		if json.Unmarshal(params, &e) == nil {
			p.console = append(p.console, Console{Level: "error", Text: strings.TrimSpace(e.Details.Text + " " + e.Details.Exception.Description)})
		}
	case "Log.entryAdded":
		var e struct {
			Entry struct {
				Level string `json:"level"`
				Text  string `json:"text"`
				URL   string `json:"url"`
			} `json:"entry"`
		}
		if json.Unmarshal(params, &e) == nil {
			p.console = append(p.console, Console{Level: e.Entry.Level, Text: strings.TrimSpace(e.Entry.Text + " " + e.Entry.URL)})
		}
	case "Network.requestWillBeSent":
		var e struct {
			RequestID string `json:"requestId"`
			Type      string `json:"type"`
			Request   struct {
				URL    string `json:"url"`
				Method string `json:"method"`
			} `json:"request"`
		}
		if json.Unmarshal(params, &e) == nil {
			if _, ok := p.requests[e.RequestID]; !ok {
				p.order = append(p.order, e.RequestID)
			}
			p.requests[e.RequestID] = &Request{URL: e.Request.URL, Method: e.Request.Method, FromDoc: e.Type == "Document"}
		}
	case "Network.responseReceived":
		var e struct {
			RequestID string `json:"requestId"`
			Response  struct {
				Status int `json:"status"`
			} `json:"response"`
		}
		if json.Unmarshal(params, &e) == nil {
			if r := p.requests[e.RequestID]; r != nil {
				r.Status = e.Response.Status
			}
		}
	case "Network.dataReceived":
		var e struct {
			RequestID string `json:"requestId"`
			DataLen   int64  `json:"dataLength"`
		}
		if json.Unmarshal(params, &e) == nil {
			if r := p.requests[e.RequestID]; r != nil {
				r.Body += e.DataLen
			}
		}
	case "Network.loadingFinished":
		var e struct {
			RequestID string  `json:"requestId"`
			Encoded   float64 `json:"encodedDataLength"`
		}
		if json.Unmarshal(params, &e) == nil {
			if r := p.requests[e.RequestID]; r != nil {
				r.Bytes, r.Done = int64(e.Encoded), true
			}
		}
	case "Network.loadingFailed":
		var e struct {
			RequestID string `json:"requestId"`
			ErrorText string `json:"errorText"`
		}
		if json.Unmarshal(params, &e) == nil {
			if r := p.requests[e.RequestID]; r != nil {
				r.Failed, r.Done = e.ErrorText, true
			}
		}
	}
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	loaded := make(chan struct{})
	p.mu.Lock()
	p.loaded = loaded
	p.mu.Unlock()
	res, err := p.call(ctx, "Page.navigate", map[string]any{"url": url})
	if err != nil {
		return err
	}
	var r struct {
		ErrorText string `json:"errorText"`
	}
	if json.Unmarshal(res, &r) == nil && r.ErrorText != "" {
		return fmt.Errorf("browser: navigating to %s: %s", url, r.ErrorText)
	}
	select {
	case <-loaded:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("browser: waiting for %s to load: %w", url, ctx.Err())
	}
}

// Settle waits for the page's next frame and 100ms more, for what comes
// after the load event to arrive: deferred scripts' work, late console
// messages, and the log entries of failed loads.
func (p *Page) Settle(ctx context.Context) error {
	return p.Eval(ctx, `new Promise(r => requestAnimationFrame(() => setTimeout(r, 100)))`, nil)
}

// EvalError is a script that threw.
type EvalError struct{ Text string }

func (e *EvalError) Error() string { return "browser: script threw: " + e.Text }

// Eval evaluates a JavaScript expression in the page, awaits it if it is a
// promise, and decodes its JSON value into out (which may be nil).
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	res, err := p.call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return &EvalError{Text: strings.TrimSpace(r.Exception.Text + " " + r.Exception.Exception.Description)}
	}
	if out == nil || r.Result.Type == "undefined" || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// WaitFor evaluates expr every 25ms until it is truthy.
func (p *Page) WaitFor(ctx context.Context, expr string) error {
	for {
		var ok bool
		if err := p.Eval(ctx, "!!("+expr+")", &ok); err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("browser: waiting for %s: %w", expr, ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// Type focuses the element that selector finds and types text into it, as
// a keyboard would: the page sees input events.
func (p *Page) Type(ctx context.Context, selector, text string) error {
	if err := p.Eval(ctx, fmt.Sprintf(`document.querySelector(%q).focus()`, selector), nil); err != nil {
		return err
	}
	for _, r := range text {
		if _, err := p.call(ctx, "Input.insertText", map[string]any{"text": string(r)}); err != nil {
			return err
		}
	}
	return nil
}

// Click clicks the element that selector finds, with the mouse, in the
// middle of its box.
func (p *Page) Click(ctx context.Context, selector string) error {
	var box struct{ X, Y float64 }
	err := p.Eval(ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (!e) throw new Error("no element " + %q);
		e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return {X: r.x + r.width / 2, Y: r.y + r.height / 2}; })()`, selector, selector), &box)
	if err != nil {
		return err
	}
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		if _, err := p.call(ctx, "Input.dispatchMouseEvent", map[string]any{"type": typ, "x": box.X, "y": box.Y, "button": "left", "clickCount": 1}); err != nil {
			return err
		}
	}
	return nil
}

// Press sends a key (such as "Enter", "Tab" or " ") to the focused element.
func (p *Page) Press(ctx context.Context, key string) error {
	codes := map[string]struct {
		code string
		vk   int
		text string
	}{"Enter": {"Enter", 13, "\r"}, "Tab": {"Tab", 9, ""}, " ": {"Space", 32, " "}, "Escape": {"Escape", 27, ""}}
	k, ok := codes[key]
	if !ok {
		return fmt.Errorf("browser: unknown key %q", key)
	}
	for _, typ := range []string{"keyDown", "keyUp"} {
		params := map[string]any{"type": typ, "key": key, "code": k.code, "windowsVirtualKeyCode": k.vk}
		if typ == "keyDown" && k.text != "" {
			params["text"] = k.text
		}
		if _, err := p.call(ctx, "Input.dispatchKeyEvent", params); err != nil {
			return err
		}
	}
	return nil
}

// DisableCache makes every request of the page go to the network, to
// measure what a first visit fetches.
func (p *Page) DisableCache(ctx context.Context) error {
	_, err := p.call(ctx, "Network.setCacheDisabled", map[string]any{"cacheDisabled": true})
	return err
}

// SetViewport emulates a screen width by height CSS pixels with scale
// device pixels to a CSS pixel. mobile emulates a phone: the page's meta
// viewport is honoured and scrollbars overlay the page.
func (p *Page) SetViewport(ctx context.Context, width, height int, scale float64, mobile bool) error {
	_, err := p.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
	return err
}

// SetColorScheme emulates the user's preferred colour scheme, as CSS's
// prefers-color-scheme sees it: "light" or "dark" ("" for the default).
func (p *Page) SetColorScheme(ctx context.Context, scheme string) error {
	_, err := p.call(ctx, "Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme}}})
	return err
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

// Overflows reports whether the page scrolls sideways.
func (w Width) Overflows() bool { return w.ScrollWidth > w.InnerWidth }

// Overflow measures how wide the page is against its viewport, to see
// whether it scrolls sideways (as it must not on a phone) and what makes
// it.
func (p *Page) Overflow(ctx context.Context) (Width, error) {
	var w Width
	err := p.Eval(ctx, overflowJS, &w)
	return w, err
}

const overflowJS = `(() => {
  // where names an element by its tag, id and classes, after those of its
  // parents up to the nearest with an id (three at most), with the start
  // of its text: "section#cite.cite-entry > p.citation > a “https://…”".
  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.getAttribute("class") || "").split(/\s+/).filter(Boolean).map(c => "." + c).join("");
  const where = el => {
    const path = [name(el)];
    for (let p = el.parentElement; p && p !== document.body && path.length < 3 && !/#/.test(path[0]); p = p.parentElement) path.unshift(name(p));
    const text = el.textContent.trim().replace(/\s+/g, " ");
    return path.join(" > ") + (text ? " “" + (text.length > 40 ? text.slice(0, 40) + "…" : text) + "”" : "");
  };
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
    if (!contained) wide.push(where(el) + " (right edge " + Math.round(r.right) + "px)");
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide};
})()`

// Screenshot returns a PNG of the page.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	return p.capture(ctx, nil)
}

// FullScreenshot returns a PNG of the whole page, not just what the
// viewport shows, cut off at maxHeight CSS pixels from the top (no limit
// when maxHeight is 0).
func (p *Page) FullScreenshot(ctx context.Context, maxHeight int) ([]byte, error) {
	res, err := p.call(ctx, "Page.getLayoutMetrics", nil)
	if err != nil {
		return nil, err
	}
	var m struct {
		Content struct{ Width, Height float64 } `json:"cssContentSize"`
	}
	if err := json.Unmarshal(res, &m); err != nil {
		return nil, err
	}
	h := m.Content.Height
	if maxHeight > 0 {
		h = min(h, float64(maxHeight))
	}
	return p.capture(ctx, map[string]any{"x": 0, "y": 0, "width": m.Content.Width, "height": h, "scale": 1})
}

// ElementScreenshot returns a PNG of the first element matching a CSS
// selector, as laid out on the page.
func (p *Page) ElementScreenshot(ctx context.Context, selector string) ([]byte, error) {
	var r struct{ X, Y, Width, Height float64 }
	sel, _ := json.Marshal(selector)
	expr := `(() => { const e = document.querySelector(` + string(sel) + `); if (!e) return null;
	  const r = e.getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()`
	if err := p.Eval(ctx, expr, &r); err != nil {
		return nil, err
	}
	if r.Width == 0 || r.Height == 0 {
		return nil, fmt.Errorf("no visible element matches %s", selector)
	}
	return p.capture(ctx, map[string]any{"x": r.X, "y": r.Y, "width": r.Width, "height": r.Height, "scale": 1})
}

// SetScripts turns the page's JavaScript on or off, to see what a reader
// without it gets. DevTools' own Eval still runs.
func (p *Page) SetScripts(ctx context.Context, enabled bool) error {
	_, err := p.call(ctx, "Emulation.setScriptExecutionDisabled", map[string]any{"value": !enabled})
	return err
}

// capture takes a screenshot of the page, of the clip area when there is
// one.
func (p *Page) capture(ctx context.Context, clip map[string]any) ([]byte, error) {
	params := map[string]any{"format": "png", "captureBeyondViewport": true}
	if clip != nil {
		params["clip"] = clip
	}
	res, err := p.call(ctx, "Page.captureScreenshot", params)
	if err != nil {
		return nil, err
	}
	var r struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}

// Console returns the console messages, exceptions and log entries so far.
func (p *Page) Console() []Console {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Console(nil), p.console...)
}

// Errors returns the console errors, failed assertions, uncaught
// exceptions and error log entries (such as failed loads) so far.
func (p *Page) Errors() []string {
	var out []string
	for _, c := range p.Console() {
		if c.Level == "error" || c.Level == "assert" {
			out = append(out, c.Text)
		}
	}
	return out
}

// ResetConsole forgets the console messages so far, to see those of one
// step.
func (p *Page) ResetConsole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.console = nil
}

// Requests returns the requests the page made so far, in order.
func (p *Page) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Request, 0, len(p.order))
	for _, id := range p.order {
		out = append(out, *p.requests[id])
	}
	return out
}

// ResetRequests forgets the requests so far, to count those of one step.
func (p *Page) ResetRequests() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests, p.order = map[string]*Request{}, nil
}

// Close closes the tab.
func (p *Page) Close(ctx context.Context) error {
	_, err := p.b.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": p.target})
	p.b.mu.Lock()
	delete(p.b.pages, p.session)
	p.b.mu.Unlock()
	return err
}

// tail keeps the last lines of the browser's stderr, for error messages.
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) add(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lines = append(t.lines, line)
	if len(t.lines) > 40 {
		t.lines = t.lines[len(t.lines)-40:]
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
