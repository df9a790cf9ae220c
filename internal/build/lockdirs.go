package build

import (
	"os"
	"path/filepath"
	"slices"
)

// lockParents takes the build lock in each folder that holds one of targets,
// once per folder, and returns those folders. Two spellings may name one
// folder ("index" and "/srv/site/public" when the working directory is
// /srv/site), and flock refuses a second lock on a file even to the process
// that holds the first, so folders are told apart by identity, not by name.
func lockParents(targets ...string) (parents []string, unlock func(), err error) {
	var unlocks []func()
	unlock = func() {
		for _, u := range unlocks {
			u()
		}
		unlocks = nil
	}
	var seen []os.FileInfo
	for _, t := range targets {
		parent := filepath.Dir(filepath.Clean(t))
		if err := os.MkdirAll(parent, 0o755); err != nil {
			unlock()
			return nil, nil, err
		}
		st, err := os.Stat(parent)
		if err != nil {
			unlock()
			return nil, nil, err
		}
		if slices.ContainsFunc(seen, func(s os.FileInfo) bool { return os.SameFile(s, st) }) {
			continue
		}
		seen = append(seen, st)
		u, err := lock(filepath.Join(parent, ".dronekb-build.lock"))
		if err != nil {
			unlock()
			return nil, nil, err
		}
		unlocks = append(unlocks, u)
		parents = append(parents, parent)
	}
	return parents, unlock, nil
}
