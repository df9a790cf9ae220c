//go:build unix

package build

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// lock takes an exclusive lock on path, so two builds into the same place
// never interleave; it fails at once if another build holds it.
func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another dronekb build is writing here (%s is locked)", path)
	}
	return func() {
		_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}
