//go:build !linux

package server

// lowerThreadPriority does nothing here: only Linux sets priorities by
// thread.
func lowerThreadPriority() {}
