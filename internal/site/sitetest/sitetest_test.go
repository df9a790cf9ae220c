package sitetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The checks are only as good as what they catch: each case here is a page
// a check must reject, or accept.

const okPage = `<!DOCTYPE html><html lang="en"><head><title>T</title>
<link rel="stylesheet" href="/assets/style.css?v=1"><link rel="icon" href="/assets/favicon.svg">
<link rel="alternate" type="application/atom+xml" href="/feed.xml"><link rel="canonical" href="https://example.org/x/">
</head><body><header><nav aria-label="Main"><a href="/">Home</a></nav></header>
<main id="main"><h1>Title</h1><h2 id="a">A</h2><h3>A.1</h3><h2>B</h2>
<p><a href="https://example.org/">out</a> <a href="mailto:x@example.org">mail</a> <a href="#a">frag</a> <a href="../rel/">rel</a></p>
<form action="/search/" method="get"><label for="q">Search</label><input id="q" name="q"><label><input type="checkbox" name="c"> C</label>
<select name="s" aria-label="S"></select><button type="submit">Go</button><input type="hidden" name="h"></form>
<img src="/assets/x.png" alt=""></main>
<footer><p>f</p></footer><script src="/assets/search.js?v=1" defer></script></body></html>`

func parse(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestUnsafeCatches(t *testing.T) {
	if got := Unsafe(parse(t, strings.Replace(okPage, `<img src="/assets/x.png" alt="">`, "", 1)), "/"); len(got) != 0 {
		t.Fatalf("a safe page is reported: %q", got)
	}
	cases := map[string]string{
		"inline script":        `<script>alert(1)</script>`,
		"external script":      `<script src="https://evil.example/x.js"></script>`,
		"script outside base":  `<script src="/other/x.js"></script>`,
		"event handler":        `<p onclick="alert(1)">x</p>`,
		"upper-case handler":   `<p ONMOUSEOVER="alert(1)">x</p>`,
		"style attribute":      `<p style="display:none">x</p>`,
		"javascript href":      `<a href="javascript:alert(1)">x</a>`,
		"entity-encoded href":  `<a href="&#106;avascript:alert(1)">x</a>`,
		"tab in scheme":        `<a href="java&#x09;script:alert(1)">x</a>`,
		"leading space scheme": `<a href=" javascript:alert(1)">x</a>`,
		"data href":            `<a href="data:text/html,x">x</a>`,
		"vbscript href":        `<a href="vbscript:x">x</a>`,
		"formaction":           `<button formaction="javascript:alert(1)">x</button>`,
		"protocol-relative":    `<a href="//evil.example/">x</a>`,
		"iframe":               `<iframe src="/x/"></iframe>`,
		"object":               `<object data="/x"></object>`,
		"embed":                `<embed src="/x">`,
		"style element":        `<style>body{}</style>`,
		"base":                 `<base href="https://evil.example/">`,
		"svg":                  `<svg><a href="/">x</a></svg>`,
		"third-party image":    `<img src="https://evil.example/p.png" alt="">`,
		"meta refresh":         `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
		"foreign stylesheet":   `<link rel="stylesheet" href="https://evil.example/x.css">`,
		"preload":              `<link rel="preload" href="/x">`,
		"other form":           `<form action="https://evil.example/"></form>`,
		"srcset":               `<img srcset="javascript:alert(1) 1x" alt="">`,
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			page := strings.Replace(okPage, "<p>f</p>", "<p>f</p>"+bad, 1)
			if got := Unsafe(parse(t, page), "/"); len(got) == 0 {
				t.Errorf("not caught: %s", bad)
			}
		})
	}
}

func TestStructureCatches(t *testing.T) {
	if got := Structure(parse(t, okPage)); len(got) != 0 {
		t.Fatalf("a good page is reported: %q", got)
	}
	cases := map[string][2]string{
		"no lang":             {`<html lang="en">`, `<html>`},
		"empty title":         {`<title>T</title>`, `<title> </title>`},
		"two h1":              {`<h2 id="a">A</h2>`, `<h1 id="a">A</h1>`},
		"no h1":               {`<h1>Title</h1>`, `<h2>Title</h2>`},
		"skipped level":       {`<h3>A.1</h3>`, `<h4>A.1</h4>`},
		"empty heading":       {`<h3>A.1</h3>`, `<h3> </h3>`},
		"no main":             {`<main id="main">`, `<div id="main">`},
		"no nav":              {`<nav aria-label="Main"><a href="/">Home</a></nav>`, `<a href="/">Home</a>`},
		"no banner":           {`<header>`, `<div>`},
		"scoped footer only":  {`<footer><p>f</p></footer>`, ``},
		"img without alt":     {`alt=""`, ``},
		"unlabelled input":    {`<label for="q">Search</label>`, ``},
		"label names nothing": {`<label for="q">`, `<label for="nope">`},
		"unlabelled select":   {` aria-label="S"`, ``},
		"duplicate id":        {`<h3>A.1</h3>`, `<h3 id="a">A.1</h3>`},
		"dangling labelledby": {`<h3>A.1</h3>`, `<h3>A.1</h3><section aria-labelledby="nope"></section>`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			page := strings.Replace(okPage, c[0], c[1], 1)
			if page == okPage {
				t.Fatalf("the case changes nothing: %q", c[0])
			}
			if got := Structure(parse(t, page)); len(got) == 0 {
				t.Errorf("not caught: %q → %q", c[0], c[1])
			}
		})
	}
}

func TestScheme(t *testing.T) {
	for in, want := range map[string]string{
		"https://x/": "https", "JaVaScRiPt:x": "javascript", " javascript:x": "javascript", "java\tscript:x": "javascript",
		"java\nscript:x": "javascript", "\x01javascript:x": "javascript", "/a:b": "", "a/b:c": "", "#x:y": "", "?q=a:b": "",
		"mailto:x@y": "mailto", "x": "", "": "", "1a:b": "",
	} {
		if got := Scheme(in); got != want {
			t.Errorf("Scheme(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDiffTrees(t *testing.T) {
	a := map[string][]byte{"x": []byte("abc"), "d/": nil, "only-a": nil}
	b := map[string][]byte{"x": []byte("abd"), "d/": nil, "only-b": nil}
	got := DiffTrees(a, b)
	if len(got) != 3 || !strings.Contains(strings.Join(got, "\n"), "x differs at byte 2") {
		t.Errorf("DiffTrees = %q", got)
	}
	if got := DiffTrees(a, a); got != nil {
		t.Errorf("DiffTrees of a tree with itself = %q", got)
	}
}

func TestGenerateChecks(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 60); err != nil {
		t.Fatal(err)
	}
	k := Load(t, os.DirFS(dir))
	if len(k.Entries) < 60 {
		t.Errorf("generated %d entries, want at least 60", len(k.Entries))
	}
	again := t.TempDir()
	if err := Generate(again, 60); err != nil {
		t.Fatal(err)
	}
	if diffs := DiffTrees(ReadTree(t, dir), ReadTree(t, again)); len(diffs) > 0 {
		t.Errorf("Generate is not deterministic: %v", diffs[:min(3, len(diffs))])
	}
	if _, err := os.Stat(filepath.Join(dir, "agencies", "agency-00000.md")); err != nil {
		t.Error(err)
	}
}

// TestSharedMadeOnce: a shared fixture is made once for each key, made
// again by the next test after a make that failed, and its directories
// are gone after Cleanup.
func TestSharedMadeOnce(t *testing.T) {
	var s Shared[string]
	made := 0
	build := func(dir string) string { made++; return dir }
	a, b := s.Get(t, "x", build), s.Get(t, "x", build)
	if a != b || made != 1 {
		t.Errorf("made %d times, directories %q and %q", made, a, b)
	}
	if c := s.Get(t, "y", build); c == a || made != 2 {
		t.Errorf("another key: made %d times, directory %q", made, c)
	}
	t.Run("failing", func(t *testing.T) {
		ok := t.Run("make fails", func(t *testing.T) {
			s.Get(t, "z", func(string) string { t.SkipNow(); return "" })
		})
		if !ok || s.Get(t, "z", build) == "" || made != 3 {
			t.Errorf("after a make that stopped, the next Get made %d in all", made)
		}
	})
	closed := 0
	s.Cleanup(func(string) { closed++ })
	if closed != 3 {
		t.Errorf("Cleanup let go of %d fixtures, want 3", closed)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Errorf("%s is still there after Cleanup: %v", a, err)
	}
}
