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
			target := k.byID[u.id]
			if target == nil {
				continue
			}
			refs++
			if u.field == fieldBody {
				body++
			}
			if unsafe.StringData(u.id) != unsafe.StringData(target.ID) {
				t.Errorf("%s: %s's reference to %s is a string of its own, not the entry's ID", e.ID, u.field, u.id)
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

// TestLoadKeepsTextValuesTogether checks that an entry's text values (its
// title, summary, source URLs and publishers) are kept as they are
// written, in one string for the entry rather than one each: every
// object the collector must mark costs it in each cycle of a build.
func TestLoadKeepsTextValuesTogether(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "vendors"), 0o755); err != nil {
		t.Fatal(err)
	}
	const file = `---
title: Acme
summary: "A maker of drones, with a summary that is one sentence long."
country: US
tags: [acme]
sources:
  - url: https://example.org/reports/acme-unmanned-aerial-systems
    publisher: The Example Review of Aerial Systems
    date: 2024-01-02
  - url: https://example.org/short
    publisher: Short Publisher
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
	got := [][2]string{{e.Title, e.Summary}, {e.Sources[0].URL, e.Sources[0].Publisher}, {e.Sources[1].URL, e.Sources[1].Publisher}}
	want := [][2]string{{"Acme", "A maker of drones, with a summary that is one sentence long."},
		{"https://example.org/reports/acme-unmanned-aerial-systems", "The Example Review of Aerial Systems"},
		{"https://example.org/short", "Short Publisher"}}
	for i, pair := range got {
		if pair != want[i] {
			t.Fatalf("values %q, want %q", pair, want[i])
		}
		// Values written one after the other in the file lie one
		// after the other in memory.
		if unsafe.StringData(pair[1]) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(pair[0])), len(pair[0]))) {
			t.Errorf("%q and %q, written one after the other, are strings of their own", pair[0], pair[1])
		}
	}
}
