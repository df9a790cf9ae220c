package kb

import (
	"crypto/sha256"
	"sync"
)

// Cache keeps what a Load made of each file, by path and content, so that
// the next Load of the same directory decodes only the files whose bytes
// changed: serve --watch reloads one edited entry, not the thousands beside
// it. The knowledge-base-wide checks (references, near duplicates, stale
// evidence) run again in full. A Cache serves one Load at a time.
type Cache struct {
	mu    sync.Mutex
	dir   string
	files map[string]cachedFile
}

type cachedFile struct {
	sum [sha256.Size]byte
	res fileResult
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

func (c *Cache) put(dir, path string, sum [sha256.Size]byte, res fileResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir != dir {
		c.dir, c.files = dir, map[string]cachedFile{}
	}
	c.files[path] = cachedFile{sum: sum, res: res}
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
