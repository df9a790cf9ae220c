package build_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/dronekb/dronekb/internal/build"
)

// TestMountPointOutputIsRefused: an output that is a mount point (a Docker
// volume at public/, a bind mount) cannot be swapped, and every build of it
// used to fail at the swap, after the whole build, with "device or resource
// busy". It is refused before anything is built, with the folder to give
// instead.
func TestMountPointOutputIsRefused(t *testing.T) {
	for _, c := range []struct {
		name  string
		mount func(dir string) error
	}{
		{"tmpfs", func(dir string) error { return unix.Mount("tmpfs", dir, "tmpfs", 0, "size=16m") }},
		// On the same device as its parent: only the kernel's word that
		// it is a mount's root tells it apart.
		{"bind mount", func(dir string) error {
			src := filepath.Join(filepath.Dir(dir), "elsewhere")
			if err := os.MkdirAll(src, 0o755); err != nil {
				return err
			}
			return unix.Mount(src, dir, "", unix.MS_BIND, "")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := project(t, content)
			if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
				t.Fatal(err)
			}
			mnt := cfg.Out
			if err := c.mount(mnt); err != nil {
				t.Skipf("skipping: mounting needs root (%v)", err)
			}
			t.Cleanup(func() { unmount(t, mnt) })
			_, err := build.Run(context.Background(), cfg, fakeIndex)
			var pe *build.PathError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "is a mount point") {
				t.Fatalf("build into a mount point: %v; want a *PathError that says it is a mount point", err)
			}
			cfg.Out = filepath.Join(cfg.Out, "public")
			if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
				t.Fatalf("build into a folder inside the mount point: %v", err)
			}
		})
	}
}

// unmount takes the test's mount away once the builds' deletions of the
// trees they replaced are done. The kernel may still call it busy for a
// moment after the last file in it is closed (the race detector's runs
// met that in CI): it is asked again, then detached, so that no test
// leaves a mount behind.
func unmount(t *testing.T, mnt string) {
	t.Helper()
	if err := build.Wait(); err != nil {
		t.Errorf("deleting the replaced trees: %v", err)
	}
	var err error
	for range 50 {
		if err = unix.Unmount(mnt, 0); !errors.Is(err, unix.EBUSY) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if errors.Is(err, unix.EBUSY) {
		err = unix.Unmount(mnt, unix.MNT_DETACH)
	}
	if err != nil {
		t.Errorf("unmounting the test's mount: %v", err)
	}
}
