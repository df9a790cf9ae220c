package kb

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestTmpTimeLoad(t *testing.T) {
	dir := "/tmp/c10k-w"
	cache := NewCache()
	prev := Load(os.DirFS(dir), Options{Dir: dir, Cache: cache, NoNearDuplicates: true})
	ents := prev.Section("incidents")
	p := filepath.Join(dir, ents[0].Path)
	for i := 0; i < 30; i++ {
		data, _ := os.ReadFile(p)
		os.WriteFile(p, append(data, []byte("\nMore.\n")...), 0o644)
		time.Sleep(10 * time.Millisecond)
		start := time.Now()
		k := Load(os.DirFS(dir), Options{Dir: dir, Cache: cache, NoNearDuplicates: true, Prev: prev})
		t1 := time.Since(start)
		start = time.Now()
		var tr any
		_ = tr
		t.Logf("load %v trackerFrom(+prev full) %v", t1, time.Since(start))
		prev = k
	}
}
