package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dronekb/dronekb/internal/build"
)

// Validators. A file's ETag is a digest of its bytes, and a search's a
// digest of the build its index came from, the query and the dronekb that
// answers it. Neither depends on when or where a file was written, so
// replicas serving copies of one build give the same validators, and a
// rebuild that leaves a page's bytes as they were leaves its ETag too: a
// browser or CDN revalidating it gets a 304, not the page again. A file
// with an ETag has no Last-Modified: its mtime differs between copies and
// builds, and a date could validate a changed file at another replica.

// maxTaggedFile is the largest file given an ETag: the first request for a
// file reads it whole to digest it, and a download of hundreds of
// megabytes would keep its first reader waiting for that.
const maxTaggedFile = 256 << 20

// maxTags bounds the ETags remembered: a file's for every page of a
// 100,000-entry site (about 120,000 files) and room for a new build's.
const maxTags = 1 << 18

// fileTags remembers the ETag of each file served, under its path, for as
// long as the path names the same file unchanged (fileID). A build swaps
// in new files (new inodes), so a digest is never taken for bytes it was
// not made from.
type fileTags struct {
	mu   sync.Mutex
	tags map[string]fileTag
	// running are the digests being taken, by path: a request for a file
	// whose digest another request is taking waits for it rather than
	// read the file again, so that however many clients ask for a new
	// build's kb.sqlite at once, it is read once.
	running map[string]*digest
	taken   atomic.Int64 // digests taken, for tests
}

// digest is a digest being taken of the file id; tag is set before done
// is closed.
type digest struct {
	id   fileID
	tag  string
	done chan struct{}
}

type fileTag struct {
	id  fileID
	tag string
}

// fileID tells a file from another at the same path, and from itself
// before a change: its device, inode and ctime where the system has them
// (a build's files are new inodes), its size and mtime.
type fileID struct {
	dev, ino           uint64
	size, mtime, ctime int64 // ctime: a rewrite in place that keeps the size and sets the mtime back changes it
}

func idOf(st os.FileInfo) fileID {
	dev, ino, ctime := inode(st)
	return fileID{dev: dev, ino: ino, size: st.Size(), mtime: st.ModTime().UnixNano(), ctime: ctime}
}

// tag returns the strong ETag of the open file f, whose FileInfo is st,
// at path full, digesting it if it is not known yet, and leaves f at its
// start. It returns "" for a file too large to digest or one that cannot
// be read.
func (t *fileTags) tag(full string, f *os.File, st os.FileInfo) string {
	if st.Size() > maxTaggedFile {
		return ""
	}
	id := idOf(st)
	t.mu.Lock()
	if known, ok := t.tags[full]; ok && known.id == id {
		t.mu.Unlock()
		return known.tag
	}
	if d, ok := t.running[full]; ok && d.id == id {
		t.mu.Unlock()
		<-d.done
		return d.tag
	}
	d := &digest{id: id, done: make(chan struct{})}
	if t.running == nil {
		t.running = make(map[string]*digest)
	}
	t.running[full] = d
	t.mu.Unlock()

	t.taken.Add(1)
	h := sha256.New()
	n, err := io.Copy(h, f)
	if _, serr := f.Seek(0, io.SeekStart); err == nil && serr == nil && n == st.Size() {
		d.tag = `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
	}
	t.mu.Lock()
	if t.running[full] == d {
		delete(t.running, full)
	}
	if d.tag != "" {
		if t.tags == nil || len(t.tags) >= maxTags {
			t.tags = make(map[string]fileTag)
		}
		t.tags[full] = fileTag{id: id, tag: d.tag}
	}
	t.mu.Unlock()
	close(d.done)
	return d.tag
}

// weak is the weak form of a strong ETag, for a representation of the
// same bytes in another encoding (gzip).
func weak(tag string) string {
	if tag == "" || strings.HasPrefix(tag, "W/") {
		return tag
	}
	return "W/" + tag
}

// searchTag is the ETag of a search's answer: weak, since an answer's
// took_ms differs from run to run while its hits, totals and facets do
// not. buildID names the index (its manifest's build ID); it is "" when
// the index may change in place (serve --watch), and then so is the tag.
// address is the site's address (--base-url) that a CSV's urls start
// with: the same knowledge base built for a mirror has the same build ID.
func searchTag(buildID, address, rawQuery string) string {
	code := build.BinaryDigest()
	if buildID == "" || code == "" {
		return ""
	}
	h := sha256.New()
	io.WriteString(h, "dronekb search answer 2\n"+code+"\n"+buildID+"\n"+address+"\n"+rawQuery)
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// noneMatch says whether an If-None-Match header names tag, by the weak
// comparison RFC 9110 prescribes for it: "*" or the same opaque value.
func noneMatch(header, tag string) bool {
	if header == "" || tag == "" {
		return false
	}
	opaque := strings.TrimPrefix(tag, "W/")
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || strings.TrimPrefix(v, "W/") == opaque {
			return true
		}
	}
	return false
}
