package sitetest

import (
	"os"
	"sync"
	"testing"
)

// Shared is a fixture that the tests of a package read and none changes
// (the shipped knowledge base built, its index), made once for each key
// (a base URL, say) in a directory of its own, where each test made its
// own before: twenty of the site package's tests each built the shipped
// site. The package's TestMain calls Cleanup after m.Run.
type Shared[T any] struct {
	mu   sync.Mutex
	made map[string]T
	dirs []string
}

// Get returns the fixture for key, made by build in a fresh directory the
// first time it is asked for. A build that fails the test (t.Fatal) leaves
// it to the next test to try.
func (s *Shared[T]) Get(t testing.TB, key string, build func(dir string) T) T {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.made[key]; ok {
		return v
	}
	dir, err := os.MkdirTemp("", "dronekb-shared-")
	if err != nil {
		t.Fatal(err)
	}
	s.dirs = append(s.dirs, dir)
	v := build(dir)
	if s.made == nil {
		s.made = map[string]T{}
	}
	s.made[key] = v
	return v
}

// Cleanup lets go of every fixture made, with done if it is not nil (an
// index to close), and removes their directories.
func (s *Shared[T]) Cleanup(done func(T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if done != nil {
		for _, v := range s.made {
			done(v)
		}
	}
	for _, dir := range s.dirs {
		os.RemoveAll(dir)
	}
	s.made, s.dirs = nil, nil
}
