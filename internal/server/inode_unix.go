//go:build unix

package server

import (
	"os"
	"syscall"
)

// inode is the device and inode number of the file st describes.
func inode(st os.FileInfo) (dev, ino uint64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Dev), uint64(s.Ino)
	}
	return 0, 0
}
