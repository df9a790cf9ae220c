package kb

import (
	"crypto/sha256"
	"io/fs"
	"sync"
	"time"
)

// Cache keeps what a Load made of each file, by path and content, so that
// the next Load of the same directory decodes only the files whose bytes
// changed, and reads only those whose size or modification time changed
// (or that were written just before the last Load): serve --watch reloads
// one edited entry, not the thousands beside it. The knowledge-base-wide checks (references, near duplicates, stale
// evidence) run again in full. A Cache serves one Load at a time.
type Cache struct {
	mu    sync.Mutex
	dir   string
	files map[string]cachedFile
}

type cachedFile struct {
	sum [sha256.Size]byte
	res fileResult
	// The file's size and modification time when it was read, and when
	// they were looked at (before reading).
	size   int64
	mtime  time.Time
	statAt time.Time
}

// racyWindow is how much older than the moment it was looked at a file's
// modification time must be for an unchanged size and time to stand for
// unchanged bytes: a file written again within the same clock tick as the
// first write keeps its time (what git calls a racy file). Such a
// recently written file is read again.
const racyWindow = 2 * time.Second

// unchanged returns what an earlier Load made of the file at path when its
// size and modification time are those it had then, without reading it.
func (c *Cache) unchanged(dir, path string, info fs.FileInfo) (fileResult, [sha256.Size]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.files[path]
	if c.dir != dir || !ok || f.statAt.IsZero() || !info.Mode().IsRegular() ||
		info.Size() != f.size || !info.ModTime().Equal(f.mtime) || !f.mtime.Before(f.statAt.Add(-racyWindow)) {
		return fileResult{}, [sha256.Size]byte{}, false
	}
	return f.res, f.sum, true
}

// last returns what the last Load made of the file at path, without
// looking at the file: Options.Touched says it did not change.
func (c *Cache) last(dir, path string) (fileResult, [sha256.Size]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.files[path]
	if c.dir != dir || !ok {
		return fileResult{}, [sha256.Size]byte{}, false
	}
	return f.res, f.sum, true
}

// holds reports whether the cache holds n files of dir, as it does after
// a Load of n files from it.
func (c *Cache) holds(dir string, n int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dir == dir && len(c.files) == n
}

// forget forgets the files at paths, which are gone.
func (c *Cache) forget(dir string, paths []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != dir {
		return
	}
	for _, p := range paths {
		delete(c.files, p)
	}
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{files: map[string]cachedFile{}} }

// get returns what an earlier Load made of the file at path when it had
// the same bytes.
func (c *Cache) get(dir, path string, sum [sha256.Size]byte) (fileResult, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != dir {
		return fileResult{}, false
	}
	f, ok := c.files[path]
	if !ok || f.sum != sum {
		return fileResult{}, false
	}
	return f.res, true
}

// put keeps what a Load made of the file at path, whose bytes have the
// digest sum; info, if not nil, is what the file looked like at statAt,
// before it was read.
func (c *Cache) put(dir, path string, sum [sha256.Size]byte, res fileResult, info fs.FileInfo, statAt time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != dir {
		c.dir, c.files = dir, map[string]cachedFile{}
	}
	f := cachedFile{sum: sum, res: res}
	if info != nil && info.Mode().IsRegular() {
		f.size, f.mtime, f.statAt = info.Size(), info.ModTime(), statAt
	}
	c.files[path] = f
}

// keep forgets the files a Load did not find.
func (c *Cache) keep(dir string, paths map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != dir {
		return
	}
	for p := range c.files {
		if !paths[p] {
			delete(c.files, p)
		}
	}
}
