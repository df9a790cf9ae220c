package kb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The knowledge base does not keep bodies: Body reads the file again and
// returns the body that was loaded and checked, or an error that names
// the file when the file no longer holds it.
func TestBodyIsReadAgain(t *testing.T) {
	const front = "---\ntitle: Police\ncountry: US\nsources:\n  - url: https://example.org/pd\n---\n"
	dir := t.TempDir()
	write := func(name, data string) { t.Helper(); writeFileIn(t, dir, name, data) }
	write("agencies/plain.md", front+"Flies *drones* over the city.\n")
	// A byte order mark and CRLF line ends: the body is read as loaded,
	// its line ends \n.
	write("agencies/crlf.md", "\xef\xbb\xbf"+strings.ReplaceAll(front+"Line one.\n\nLine two.\n", "\n", "\r\n"))
	write("agencies/empty.md", front)
	write("agencies/edited.md", front+"Flies drones.\n")
	write("agencies/grown.md", front+"Flies drones.\n")
	write("agencies/gone.md", front+"Flies drones.\n")
	k := Load(os.DirFS(dir), Options{Dir: "content"})
	if err := k.Err(); err != nil {
		t.Fatalf("load: %v\n%v", err, k.Diagnostics)
	}
	body := func(id string) (string, error) {
		t.Helper()
		e := k.Entry(id)
		if e == nil {
			t.Fatalf("no entry %s", id)
		}
		b, err := e.Body()
		return string(b), err
	}
	for id, want := range map[string]string{
		"agencies/plain": "Flies *drones* over the city.\n",
		"agencies/crlf":  "Line one.\n\nLine two.\n",
		"agencies/empty": "",
	} {
		if got, err := body(id); err != nil || got != want {
			t.Errorf("%s: body %q (%v), want %q", id, got, err, want)
		}
	}
	if text, err := k.Entry("agencies/plain").Text(); err != nil || text != "Flies drones over the city." {
		t.Errorf("plain: text %q (%v)", text, err)
	}
	// UseBody reads into a buffer it uses again: each call sees its own
	// entry's body, whatever the calls before it read.
	for range 3 {
		for id, want := range map[string]string{"agencies/crlf": "Line one.\n\nLine two.\n", "agencies/plain": "Flies *drones* over the city.\n", "agencies/empty": ""} {
			var got string
			if err := k.Entry(id).UseBody(func(b []byte) error { got = string(b); return nil }); err != nil || got != want {
				t.Errorf("%s: UseBody saw %q (%v), want %q", id, got, err, want)
			}
		}
	}

	// Edited to a body of the same length, grown, deleted; the empty
	// body is not read again, so its file may go.
	write("agencies/edited.md", front+"Flew! drones.\n")
	write("agencies/grown.md", front+"Flies drones.\nAnd more.\n")
	for _, name := range []string{"gone.md", "empty.md"} {
		if err := os.Remove(filepath.Join(dir, "agencies", name)); err != nil {
			t.Fatal(err)
		}
	}
	for id, want := range map[string]string{
		"agencies/edited": "content/agencies/edited.md changed while the site was being built; build again",
		"agencies/grown":  "content/agencies/grown.md changed while the site was being built; build again",
		"agencies/gone":   "content/agencies/gone.md cannot be read again (",
	} {
		got, err := body(id)
		var changed *ChangedError
		if !errors.As(err, &changed) || !strings.HasPrefix(err.Error(), want) || got != "" {
			t.Errorf("%s: body %q, error %v; want a ChangedError %q", id, got, err, want)
		}
		if _, terr := k.Entry(id).Text(); terr == nil {
			t.Errorf("%s: Text read a body that changed", id)
		}
	}
	if got, err := body("agencies/empty"); err != nil || got != "" {
		t.Errorf("empty: body %q (%v)", got, err)
	}
	if !k.Entry("agencies/edited").SameBody(k.Entry("agencies/gone")) {
		t.Error("two entries loaded with the same body: SameBody says they differ")
	}
	if k.Entry("agencies/edited").SameBody(k.Entry("agencies/plain")) {
		t.Error("SameBody: different bodies reported the same")
	}
}

// Options.BodyMemory keeps bodies in memory up to that many bytes: those
// entries show the body that was loaded whatever becomes of their files,
// and the others read theirs again.
func TestBodyMemoryKeepsBodiesUpToIt(t *testing.T) {
	const front = "---\ntitle: Police\ncountry: US\nsources:\n  - url: https://example.org/pd\n---\n"
	const body = "Flies drones over the city.\n" // 28 bytes
	for _, c := range []struct {
		memory int64
		kept   int
	}{{0, 0}, {27, 0}, {28, 1}, {3*28 + 27, 3}, {1 << 20, 8}} {
		dir := t.TempDir()
		for i := range 8 {
			writeFileIn(t, dir, fmt.Sprintf("agencies/pd-%d.md", i), front+body)
		}
		k := Load(os.DirFS(dir), Options{Dir: "content", BodyMemory: c.memory})
		if err := k.Err(); err != nil {
			t.Fatalf("load: %v\n%v", err, k.Diagnostics)
		}
		// Every file is gone: a kept body is still there, and the others
		// are ChangedErrors.
		if err := os.RemoveAll(filepath.Join(dir, "agencies")); err != nil {
			t.Fatal(err)
		}
		kept := 0
		for i := range 8 {
			e := k.Entry(fmt.Sprintf("agencies/pd-%d", i))
			got, err := e.Body()
			var changed *ChangedError
			switch {
			case err == nil && string(got) == body:
				kept++
				// No room past its end: goldmark appends a newline to a
				// code line that ends its source, which must not land in
				// a kept body's backing array.
				if cap(got) != len(got) {
					t.Errorf("BodyMemory %d: %s: a kept body of %d bytes has room for %d", c.memory, e.ID, len(got), cap(got))
				}
			case errors.As(err, &changed):
			default:
				t.Errorf("BodyMemory %d: %s: body %q, error %v", c.memory, e.ID, got, err)
			}
		}
		if kept != c.kept {
			t.Errorf("BodyMemory %d: %d bodies kept, want %d", c.memory, kept, c.kept)
		}
	}
}

// keyAt numbers a front matter key by its place in its type's fields, in
// a byte.
func TestFrontMatterFieldsFitKeyAt(t *testing.T) {
	for _, sec := range Sections {
		if n := len(FrontMatter(sec.Type).Fields); n >= 255 {
			t.Errorf("%s has %d front matter fields; keyAt numbers at most 254", sec.Type, n)
		}
	}
}
