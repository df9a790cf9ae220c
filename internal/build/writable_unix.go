//go:build unix

package build

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// canWrite says why this process may not create and delete entries in the
// directory dir (nil when it may): fs.ErrPermission, or a read-only file
// system (isReadOnlyFS).
func canWrite(dir string) error {
	return unix.Access(dir, unix.W_OK|unix.X_OK)
}

// isReadOnlyFS reports whether err says the file system is read-only.
func isReadOnlyFS(err error) bool { return errors.Is(err, syscall.EROFS) }

// owner returns the user ID that owns the file info describes, and
// whether it is this process's.
func owner(info fs.FileInfo) (uid string, mine bool) {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return strconv.FormatUint(uint64(st.Uid), 10), int(st.Uid) == os.Geteuid()
	}
	return "?", false
}

// mountPoint reports whether the directory dir is where a file system is
// mounted (a Docker volume, a tmpfs, a bind mount): such a directory
// cannot be renamed, so a build cannot swap it.
func mountPoint(dir string) bool {
	if root, known := mountRoot(dir); known {
		return root // a bind mount is on its parent's device too
	}
	var st, parent unix.Stat_t
	if unix.Lstat(dir, &st) != nil || unix.Stat(filepath.Join(dir, ".."), &parent) != nil {
		return false
	}
	return st.Dev != parent.Dev
}
