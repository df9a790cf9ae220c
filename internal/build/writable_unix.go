//go:build unix

package build

import (
	"path/filepath"

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
