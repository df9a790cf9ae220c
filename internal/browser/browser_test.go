package browser_test

import (
	"bytes"
	"context"
	"errors"
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
