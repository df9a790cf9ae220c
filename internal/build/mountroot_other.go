//go:build unix && !linux

package build

// mountRoot cannot say whether dir is the root of a mount elsewhere than on
// Linux: mountPoint compares devices.
func mountRoot(dir string) (root, known bool) { return false, false }
