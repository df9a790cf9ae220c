//go:build !unix

package build

import "io/fs"

// writable reports whether this process may write in the directory dir;
// elsewhere than on Unix only the permission bits are looked at.
func writable(dir string) bool { return true }

// mountPoint reports whether dir is where a file system is mounted;
// elsewhere than on Unix it is not looked at, and a swap that fails says so.
func mountPoint(dir string) bool { return false }

// owner names the user who owns the file info describes; elsewhere than
// on Unix, nothing.
func owner(info fs.FileInfo) string { return "" }
