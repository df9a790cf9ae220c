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
			t.Cleanup(func() {
				if err := unix.Unmount(mnt, 0); err != nil {
					t.Errorf("unmounting the test's mount: %v", err)
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
		})
	}
}
