//go:build unix

package build

import "golang.org/x/sys/unix"

// writable reports whether this process may create and delete entries in
// the directory dir.
func writable(dir string) bool {
	return unix.Access(dir, unix.W_OK|unix.X_OK) == nil
}
