package server

import "syscall"

// statCtime is when the inode of s last changed, in nanoseconds.
func statCtime(s *syscall.Stat_t) int64 { return s.Ctim.Nano() }
