package kb

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestLoadSharesStrings: a load keeps one string for each entry ID and
// each short value it reads, not one for each use. With one worker every
// reference to an entry is that entry's own ID, every agency of a country
// holds the same country string, and backlinks made by one field share
// one list of it.
func TestLoadSharesStrings(t *testing.T) {
	dir := t.TempDir()
	writeCorpus(t, dir, 5, 8, 20, 20)
	k := Load(os.DirFS(dir), Options{Workers: 1, AsOf: MustDate("2024-06-01")})
	if err := k.Err(); err != nil {
		t.Fatal(err)
	}
	refs, body := 0, 0
	for _, e := range k.Entries {
		for _, u := range e.refs {
			target := k.byID[u.ref.ID]
			if target == nil {
				continue
			}
			refs++
			if u.field == "body" {
				body++
			}
			if unsafe.StringData(u.ref.ID) != unsafe.StringData(target.ID) {
				t.Errorf("%s: %s's reference to %s is a string of its own, not the entry's ID", e.ID, u.field, u.ref.ID)
			}
		}
	}
	if refs == 0 || body == 0 {
		t.Fatalf("the corpus has %d references, %d of them body links: nothing to test", refs, body)
	}
	countries := map[string]*byte{}
	agencies := 0
	for _, e := range k.Entries {
		if e.Agency == nil {
			continue
		}
		agencies++
		c := e.Agency.Country
		if p, ok := countries[c]; ok && p != unsafe.StringData(c) {
			t.Errorf("%s: country %q is a string of its own", e.ID, c)
		}
		countries[c] = unsafe.StringData(c)
	}
	if len(countries) >= agencies {
		t.Fatalf("%d agencies in %d countries: no country repeats", agencies, len(countries))
	}
	lists := map[string]*string{}
	for _, links := range k.backlinks {
		for _, b := range links {
			if len(b.Fields) != 1 {
				continue
			}
			f := b.Fields[0]
			if p, ok := lists[f]; ok && p != &b.Fields[0] {
				t.Errorf("a backlink from %s by %s has a list of its own", b.From.ID, f)
			}
			lists[f] = &b.Fields[0]
		}
	}
	if lists["body"] == nil {
		t.Fatal("no backlink by a body link")
	}
}

// TestLoadKeepsLongValuesTogether checks that an entry's long values (its
// title, summary, source URLs and publishers) are kept as they are
// written, in one string for the entry rather than one each: every one
// the collector must mark costs it in each cycle of a build.
func TestLoadKeepsLongValuesTogether(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "vendors"), 0o755); err != nil {
		t.Fatal(err)
	}
	const file = `---
title: "Acme Unmanned Aerial Systems Company"
summary: A maker of drones whose summary runs longer than any pooled value.
country: US
tags: [acme]
sources:
  - url: https://example.org/reports/acme-unmanned-aerial-systems
    publisher: The Example Review of Aerial Systems
  - url: https://example.org/short
    publisher: Short
---
Acme makes drones [1][2].
`
	if err := os.WriteFile(filepath.Join(dir, "vendors", "acme.md"), []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	k := Load(os.DirFS(dir), Options{Workers: 1, AsOf: MustDate("2024-06-01")})
	if err := k.Err(); err != nil {
		t.Fatal(err)
	}
	e := k.Entry("vendors/acme")
	long := []string{e.Title, e.Summary, e.Sources[0].URL, e.Sources[0].Publisher}
	want := []string{"Acme Unmanned Aerial Systems Company", "A maker of drones whose summary runs longer than any pooled value.",
		"https://example.org/reports/acme-unmanned-aerial-systems", "The Example Review of Aerial Systems"}
	for i := range want {
		if long[i] != want[i] {
			t.Fatalf("value %d is %q, want %q", i, long[i], want[i])
		}
	}
	// Packed one after the other, the values span exactly their lengths.
	lo, hi, n := ^uintptr(0), uintptr(0), 0
	for _, s := range long {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		lo, hi, n = min(lo, p), max(hi, p+uintptr(len(s))), n+len(s)
	}
	if hi-lo != uintptr(n) {
		t.Errorf("the entry's %d long values (%d bytes) span %d bytes of memory: they are not one string", len(long), n, hi-lo)
	}
	if e.Sources[1].URL != "https://example.org/short" || e.Sources[1].Publisher != "Short" {
		t.Errorf("short values: %q %q", e.Sources[1].URL, e.Sources[1].Publisher)
	}
}
