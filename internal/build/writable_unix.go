//go:build unix

package build

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// writable reports whether this process may create and delete entries in
// the directory dir.
func writable(dir string) bool {
	return unix.Access(dir, unix.W_OK|unix.X_OK) == nil
}

// mountPoint reports whether the directory dir is where a file system is
// mounted (a Docker volume, a tmpfs): it is on another device than its
// parent. Such a directory cannot be renamed, so a build cannot swap it.
func mountPoint(dir string) bool {
	var st, parent unix.Stat_t
	if unix.Lstat(dir, &st) != nil || unix.Stat(filepath.Join(dir, ".."), &parent) != nil {
		return false
	}
	return st.Dev != parent.Dev
}

// owner names the user who owns the file info describes, as ", owned by
// uid N" ("" when not known).
func owner(info fs.FileInfo) string {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf(", owned by uid %d", st.Uid)
	}
	return ""
}
