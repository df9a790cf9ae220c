package server

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/fsnotify/fsnotify"
)

// Watch calls rebuild whenever something under dirs changes, once the
// changes have settled for the debounce interval, with the paths that
// changed (each joined to the dir it is under, as given), sorted; nil
// when they are not known (the watcher's queue overflowed). New
// subdirectories are watched too; hidden ones are not. Once it watches,
// it calls begin, if not nil, and waits for it to return before it reads
// what changed: what changed while begin ran (the first build) is then
// rebuilt for, not lost. It returns when ctx is done.
func Watch(ctx context.Context, dirs []string, debounce time.Duration, rebuild func(changed []string), begin func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	add := func(root string) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				if strings.HasPrefix(d.Name(), ".") && p != root {
					return filepath.SkipDir
				}
				_ = w.Add(p)
			}
			return nil
		})
	}
	for _, d := range dirs {
		if d != "" {
			add(d)
		}
	}
	if begin != nil {
		begin()
	}
	var timer *time.Timer
	var fire <-chan time.Time
	// changed is what changed since the last rebuild, unless unknown
	// after an overflow.
	changed, unknown := map[string]bool{}, false
	wait := func() {
		if timer == nil {
			timer = time.NewTimer(debounce)
		} else {
			timer.Reset(debounce)
		}
		fire = timer.C
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return errors.New("file watcher stopped")
			}
			if ignorable(ev.Name) {
				continue
			}
			if ev.Op&fsnotify.Create != 0 {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					add(ev.Name)
				}
			}
			changed[ev.Name] = true
			wait()
		case err, ok := <-w.Errors:
			if !ok {
				return errors.New("file watcher stopped")
			}
			_ = err // an overflow: what changed is not known
			unknown = true
			wait()
		case <-fire:
			fire = nil
			var paths []string
			if !unknown {
				paths = slices.Sorted(maps.Keys(changed))
			}
			changed, unknown = map[string]bool{}, false
			rebuild(paths)
		}
	}
}

// ignorable names editor scratch files, whose churn must not trigger builds.
func ignorable(name string) bool {
	base := filepath.Base(name)
	// Hidden files are no entries, nor theme files (the site leaves them
	// out): .DS_Store, .#nypd.md, .dronekb-build.lock.
	return kb.EditorScratch(base) || strings.HasPrefix(base, ".")
}
