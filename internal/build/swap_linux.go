//go:build linux

package build

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange atomically swaps two directory entries with renameat2's
// RENAME_EXCHANGE, so readers of dst see either the old tree or the new one,
// never neither. It reports false when the file system cannot do it.
func exchange(a, b string) (bool, error) {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EXDEV) {
		return false, nil
	}
	return false, err
}
