//go:build linux

package server

import "golang.org/x/sys/unix"

// lowerThreadPriority gives the calling OS thread the lowest scheduling
// priority (nice 19), so that the kernel runs every other thread first:
// this server's cheap searches, and the machine's other work.
func lowerThreadPriority() {
	_ = unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), 19)
}
