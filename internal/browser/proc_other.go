//go:build !unix

package browser

import "os/exec"

func ownProcessGroup(cmd *exec.Cmd) {}

// killProcessGroup kills cmd; there are no process groups to stop its
// helpers with.
func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
