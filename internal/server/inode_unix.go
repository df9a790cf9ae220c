//go:build unix

package server

import (
	"os"
	"syscall"
)

// inode is the device and inode number of the file st describes, and when
// its inode last changed (ctime, in nanoseconds), which no one can set.
func inode(st os.FileInfo) (dev, ino uint64, ctime int64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Dev), uint64(s.Ino), statCtime(s)
	}
	return 0, 0, 0
}
