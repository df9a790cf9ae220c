//go:build !unix

package build

import "io/fs"

// canWrite says why this process may not write in the directory dir;
// elsewhere than on Unix only the permission bits are looked at.
func canWrite(dir string) error { return nil }

// isReadOnlyFS reports whether err says the file system is read-only.
func isReadOnlyFS(err error) bool { return false }

// owner returns the user who owns the file info describes; elsewhere than
// on Unix, not known.
func owner(info fs.FileInfo) (uid string, mine bool) { return "?", false }

// mountPoint reports whether dir is where a file system is mounted;
// elsewhere than on Unix it is not looked at, and a swap that fails says so.
func mountPoint(dir string) bool { return false }
