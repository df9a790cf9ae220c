package browser_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/browser"
)

func start(t *testing.T) *browser.Browser {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := browser.Start(ctx)
	if errors.Is(err, browser.ErrNoBrowser) {
		t.Skipf("skipping the browser test: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

const page = `<!DOCTYPE html><html><head><title>t</title></head><body>
<input id="in"><button id="b" type="button">go</button><p id="out"></p>
<script>
document.getElementById("in").addEventListener("input", (e) => { document.getElementById("out").textContent = e.target.value; });
document.getElementById("b").addEventListener("click", () => { document.getElementById("out").textContent = "clicked"; });
console.error("boom", 42);
fetch("/data").then((r) => r.text()).then((t) => { window.data = t; });
</script></body></html>`

func TestPage(t *testing.T) {
	b := start(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/data" {
			io.WriteString(w, strings.Repeat("x", 5000))
			return
		}
		io.WriteString(w, page)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	var sum int
	if err := p.Eval(ctx, `Promise.resolve(20 + 22)`, &sum); err != nil || sum != 42 {
		t.Fatalf("eval: %d, %v", sum, err)
	}
	var eerr *browser.EvalError
	if err := p.Eval(ctx, `(() => { throw new Error("nope") })()`, nil); !errors.As(err, &eerr) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("a throwing script: %v", err)
	}
	if err := p.Type(ctx, "#in", "héllo"); err != nil {
		t.Fatal(err)
	}
	var out string
	if err := p.Eval(ctx, `document.getElementById("out").textContent`, &out); err != nil || out != "héllo" {
		t.Errorf("typed %q, %v", out, err)
	}
	if err := p.Click(ctx, "#b"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.getElementById("out").textContent === "clicked"`); err != nil {
		t.Error(err)
	}
	if err := p.WaitFor(ctx, `window.data`); err != nil {
		t.Fatal(err)
	}
	if errs := p.Errors(); len(errs) != 1 || errs[0] != "boom 42" {
		t.Errorf("console errors %q, want [boom 42]", errs)
	}
	var got *browser.Request
	for _, r := range p.Requests() {
		if strings.HasSuffix(r.URL, "/data") {
			got = &r
		}
	}
	if got == nil || got.Status != 200 || got.Body != 5000 || got.Bytes < 5000 {
		t.Errorf("request for /data: %+v", got)
	}
	png, err := p.Screenshot(ctx)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot: %d bytes, %v", len(png), err)
	}
	if err := p.Close(ctx); err != nil {
		t.Error(err)
	}
}

// serve serves pages by path; any other path is not found.
func serve(t *testing.T, pages map[string]string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestErrors loads a page that logs an error, fails an assertion, throws,
// and links a stylesheet that is not there, and expects each to be
// reported; then a page that is not there.
func TestErrors(t *testing.T) {
	b := start(t)
	url := serve(t, map[string]string{"/": `<!DOCTYPE html><html lang="en"><head><title>x</title><link rel="stylesheet" href="/missing.css"></head>
<body><h1>x</h1><script>console.error("logged-error"); console.assert(false, "failed-assert"); throw new Error("thrown-error");</script></body></html>`})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, url+"/"); err != nil {
		t.Fatal(err)
	}
	if err := p.Settle(ctx); err != nil { // the failed load's log entry comes after the load event
		t.Fatal(err)
	}
	errs := strings.Join(p.Errors(), "\n")
	for _, want := range []string{"logged-error", "failed-assert", "thrown-error", "404"} {
		if !strings.Contains(errs, want) {
			t.Errorf("not reported: %s; got:\n%s", want, errs)
		}
	}
	p.ResetConsole()
	if errs := p.Errors(); len(errs) != 0 {
		t.Errorf("errors after ResetConsole: %q", errs)
	}
	if err := p.Navigate(ctx, url+"/missing/"); err != nil {
		t.Fatal(err)
	}
	if err := p.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if len(p.Errors()) == 0 {
		t.Error("a page that is not there loaded without an error")
	}
}

// TestEmulation emulates a phone and a dark colour scheme, measures a page
// too wide for the phone, and takes a screenshot of a whole page.
func TestEmulation(t *testing.T) {
	b := start(t)
	const head = `<!DOCTYPE html><html lang="en"><head><title>x</title><meta name="viewport" content="width=device-width, initial-scale=1">`
	url := serve(t, map[string]string{
		"/narrow": head + `</head><body><h1>x</h1><div style="width:300px">narrow</div></body></html>`,
		"/wide":   head + `</head><body><h1>x</h1><div class="too-wide" style="width:600px">wide</div></body></html>`,
		"/scroll": head + `</head><body><h1>x</h1><div style="overflow-x:auto"><div style="width:600px">scrolls in its box</div></div></body></html>`,
		"/tall":   head + `<style>body{margin:0}</style></head><body><div style="height:3000px">tall</div></body></html>`,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}

	if err := p.SetViewport(ctx, 390, 844, 2, true); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, url+"/narrow"); err != nil {
		t.Fatal(err)
	}
	var screen struct{ Width, Ratio float64 }
	if err := p.Eval(ctx, `({width: window.innerWidth, ratio: window.devicePixelRatio})`, &screen); err != nil || screen.Width != 390 || screen.Ratio != 2 {
		t.Errorf("a 390px phone at 2x: the page sees %+v, %v", screen, err)
	}
	for path, wide := range map[string]bool{"/narrow": false, "/scroll": false, "/wide": true} {
		if err := p.Navigate(ctx, url+path); err != nil {
			t.Fatal(err)
		}
		w, err := p.Overflow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if wide && (!w.Overflows() || len(w.Wide) == 0 || !strings.Contains(w.Wide[0], "too-wide")) {
			t.Errorf("%s: a 600px box in a 390px viewport is not reported: %+v", path, w)
		}
		if !wide && (w.Overflows() || len(w.Wide) > 0) {
			t.Errorf("%s: reported as too wide: %+v", path, w)
		}
	}

	dark := `matchMedia("(prefers-color-scheme: dark)").matches`
	for _, scheme := range []string{"dark", "light"} {
		if err := p.SetColorScheme(ctx, scheme); err != nil {
			t.Fatal(err)
		}
		var got bool
		if err := p.Eval(ctx, dark, &got); err != nil || got != (scheme == "dark") {
			t.Errorf("prefers-color-scheme: %s: %s is %v, %v", scheme, dark, got, err)
		}
	}

	if err := p.SetViewport(ctx, 400, 300, 1, false); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, url+"/tall"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ max, want int }{{1000, 1000}, {0, 3000}} {
		shot, err := p.FullScreenshot(ctx, c.max)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.DecodeConfig(bytes.NewReader(shot))
		if err != nil {
			t.Fatal(err)
		}
		if img.Width != 400 || img.Height != c.want {
			t.Errorf("a full screenshot of a 3000px page up to %dpx is %dx%d, want 400x%d", c.max, img.Width, img.Height, c.want)
		}
	}
}
