package build_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/dronekb/dronekb/internal/build"
)

// TestMountPointOutputIsRefused: an output that is a mount point (a Docker
// volume at public/) cannot be swapped, and every build of it used to fail
// at the swap, after the whole build, with "device or resource busy". It
// is refused before anything is built, with the folder to give instead.
func TestMountPointOutputIsRefused(t *testing.T) {
	cfg := project(t, content)
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		t.Fatal(err)
	}
	mnt := cfg.Out
	if err := unix.Mount("tmpfs", mnt, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("skipping: mounting a tmpfs needs root (%v)", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(mnt, 0); err != nil {
			t.Errorf("unmounting the test's tmpfs: %v", err)
		}
	})
	_, err := build.Run(context.Background(), cfg, fakeIndex)
	var pe *build.PathError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "is a mount point") {
		t.Fatalf("build into a mount point: %v; want a *PathError that says it is a mount point", err)
	}
	cfg.Out = filepath.Join(cfg.Out, "public")
	if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
		t.Fatalf("build into a folder inside the mount point: %v", err)
	}
}
