//go:build linux

package server

import "golang.org/x/sys/unix"

// lowerThreadPriority gives the calling OS thread a low scheduling
// priority (nice 10: about a tenth of the CPU that a thread of normal
// priority wanting the same CPU gets), so that the kernel runs this
// server's cheap searches first, without starving the costly one on a
// machine busy with other work.
func lowerThreadPriority() {
	_ = unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), 10)
}
