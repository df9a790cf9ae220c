package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/search"
)

// follower remembers which build's index the server has open, so that
// SyncIndex opens an index only when a new build has been swapped in.
type follower struct {
	mu       sync.Mutex
	site     []byte      // the site's manifest, as last seen
	index    []byte      // the index's manifest
	dir      os.FileInfo // the index directory
	mismatch bool        // the last look found a mismatched pair
}

// errUnreadableIndex is what visitors are told of an index that is there
// but cannot be read; the log says why.
const errUnreadableIndex = "the search index could not be opened; search comes back after the next dronekb build"

// noIndexError is why the server has no index to search: 503.
type noIndexError struct{ reason string }

func (e *noIndexError) Error() string { return e.reason }
func (e *noIndexError) Unwrap() error { return errNoIndex }

// SyncIndex makes the server search the index that belongs to the site it
// serves. It reads the build manifests of Config.Out and Config.Index and,
// when they changed since it last looked (a build swapped in a new site or
// index, or deleted one), opens the index if one build made both (see
// build.Pair). Otherwise it stops searching and /api/search answers 503
// saying why: no index, or an index of another build than the site's,
// which a build killed between its two swaps leaves. A mismatch is believed
// on the second look in a row, since a build that is running swaps the
// site a moment before the index. It returns why there is no index (nil if
// there is one).
func (s *Server) SyncIndex() error {
	f := &s.follow
	f.mu.Lock()
	defer f.mu.Unlock()
	site, _ := os.ReadFile(filepath.Join(s.cfg.Out, build.ManifestFile))
	if !bytes.Equal(site, f.site) {
		s.followBase(site) // once a manifest, not every tick: a refused path is logged once
	}
	index, _ := os.ReadFile(filepath.Join(s.cfg.Index, build.ManifestFile))
	dir, _ := os.Stat(s.cfg.Index)
	if f.dir != nil && bytes.Equal(site, f.site) && bytes.Equal(index, f.index) && dir != nil && os.SameFile(dir, f.dir) {
		return s.unavailable()
	}
	_, err := build.Pair(s.cfg.Out, s.cfg.Index)
	var pe *build.PairError
	if errors.As(err, &pe) && !f.mismatch {
		f.mismatch = true
		return s.unavailable() // look again before believing it
	}
	f.mismatch = false
	f.site, f.index, f.dir = site, index, dir
	switch {
	case pe != nil:
		// Visitors are not told the server's paths.
		s.dropIndex("the search index is not the one of the site being served (a build was interrupted); search is back after the next dronekb build")
		s.log.Printf("search is unavailable: %v", pe)
	case errors.Is(err, fs.ErrNotExist):
		s.dropIndex(errNoIndex.Error())
	case err != nil:
		// A manifest that is there but unreadable was called missing,
		// to visitors, with nothing in the log (found in review).
		s.dropIndex(errUnreadableIndex)
		s.log.Printf("search is unavailable: %v", err)
	default:
		idx, err := search.Open(s.cfg.Index)
		if err != nil {
			s.dropIndex(errUnreadableIndex)
			s.log.Printf("search is unavailable: %v", err)
			break
		}
		// A build that swapped in another index since the manifest was
		// read would have its answers tagged with the build before's
		// ETag: look again at the next tick.
		again, _ := os.ReadFile(filepath.Join(s.cfg.Index, build.ManifestFile))
		if now, err := os.Stat(s.cfg.Index); err != nil || !os.SameFile(now, dir) || !bytes.Equal(again, index) {
			idx.Close()
			f.site, f.index, f.dir = nil, nil, nil
			break
		}
		s.setIndex(idx, s.answersFrom(index))
	}
	return s.unavailable()
}

// Follow calls SyncIndex every interval until ctx ends, so that serve
// searches each new build's index without being told, and stops searching
// one that was deleted.
func (s *Server) Follow(ctx context.Context, every time.Duration) {
	Every(ctx, every, func() { s.SyncIndex() })
}

// Every calls f every interval until ctx ends.
func Every(ctx context.Context, every time.Duration, f func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}

// dropIndex stops searching, for reason.
func (s *Server) dropIndex(reason string) {
	s.noIndex.Store(&noIndexError{reason})
	if old := s.index.Swap(nil); old != nil {
		go old.idx.Close()
	}
}

// unavailable is why there is no index to search, or nil.
func (s *Server) unavailable() error {
	if s.index.Load() != nil {
		return nil
	}
	return s.whyNoIndex()
}

// whyNoIndex says why the server has no index: errNoIndex, or wrapped.
func (s *Server) whyNoIndex() error {
	if e := s.noIndex.Load(); e != nil {
		return e
	}
	return errNoIndex
}

// answersFrom is the build ID in the index manifest man, which names the
// answers of an index that no one changes in place; serve --watch changes
// its own, and gets "".
func (s *Server) answersFrom(man []byte) string {
	var m build.Manifest
	if s.cfg.Watch || json.Unmarshal(man, &m) != nil {
		return ""
	}
	return m.BuildID
}

// followBase serves the site under the base path its manifest man names,
// when that changed: a build for another --base-url swapped in under a
// running serve would otherwise be served where none of its links point.
func (s *Server) followBase(man []byte) {
	var m build.Manifest
	if json.Unmarshal(man, &m) != nil || m.BasePath == "" {
		return
	}
	if !ValidBasePath(m.BasePath) {
		s.log.Printf("the site in %s names a base path that is not one (%q): serving it at %s still", s.cfg.Out, m.BasePath, s.basePath())
		return
	}
	s.baseURL.Store(&m.BaseURL)
	if old := s.basePath(); old != m.BasePath {
		s.base.Store(&m.BasePath)
		s.log.Printf("the site in %s is now built for %s: serving it there (it was at %s)", s.cfg.Out, m.BasePath, old)
	}
}

// builtFor is the absolute address the site served was built for
// (--base-url), as its manifest names it; "" for a site built for a path.
func (s *Server) builtFor() string {
	if u := s.baseURL.Load(); u != nil {
		return *u
	}
	return ""
}

// ValidBasePath says whether p is a base path a build writes: "/", or a
// clean path of escaped segments between slashes ("/dronekb/"), which a
// redirect to it cannot take to another host ("//evil.example/").
func ValidBasePath(p string) bool {
	if p == "/" {
		return true
	}
	if len(p) < 3 || p[0] != '/' || p[len(p)-1] != '/' || path.Clean(p)+"/" != p {
		return false
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.RawQuery == "" && u.Fragment == "" &&
		!strings.ContainsAny(p, "\\\x00\r\n\t ")
}
