//go:build unix

package build_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// waitForLock waits until another process holds the lock on name.
func waitForLock(t *testing.T, name string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
		}
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing took the lock on %s", name)
}

// TestConcurrentBuildIsRefused holds the build lock as another build would
// and checks that a build refuses to start rather than interleave with it.
func TestConcurrentBuildIsRefused(t *testing.T) {
	cfg := project(t, content)
	if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
		t.Fatal(err)
	}
	before := sitetest.ReadTree(t, cfg.Out)
	bin := binary(t)
	// flock(1) holds the lock while a shell sleeps; the build must fail.
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("flock(1) not found: cannot hold the build lock from another process")
	}
	lockFile := filepath.Join(filepath.Dir(cfg.Out), ".dronekb-build.lock")
	holder := exec.Command("flock", lockFile, "sleep", "30")
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Process.Kill(); _ = holder.Wait() }()
	waitForLock(t, lockFile)
	out, err := exec.Command(bin, "build", "--content", cfg.Content, "--out", cfg.Out, "--index", cfg.Index).CombinedOutput()
	if err == nil {
		t.Fatalf("the build ran while another held the lock:\n%s", out)
	}
	if !strings.Contains(string(out), "another dronekb build") {
		t.Errorf("the error does not say why:\n%s", out)
	}
	if diffs := sitetest.DiffTrees(before, sitetest.ReadTree(t, cfg.Out)); len(diffs) > 0 {
		t.Errorf("public/ changed: %v", diffs)
	}
}

// TestOneFolderTwoSpellings builds with the site named by its absolute path
// and the index by a path relative to the working directory, both in one
// folder: the build must take that folder's lock once, not refuse itself.
func TestOneFolderTwoSpellings(t *testing.T) {
	cfg := project(t, content)
	t.Chdir(filepath.Dir(cfg.Index))
	cfg.Index = filepath.Base(cfg.Index)
	if _, err := build.Run(context.Background(), cfg, fakeIndex); err != nil {
		t.Fatalf("a build whose site and index share a folder named two ways: %v", err)
	}
	page, err := os.ReadFile(filepath.Join(cfg.Out, "agencies", "pd", "index.html"))
	if err != nil || !strings.Contains(string(page), "Police Department") {
		t.Errorf("the agency's page after the build: %v, %.200q", err, page)
	}
	// fakeIndex writes the number of entries it indexed.
	if docs, err := os.ReadFile(filepath.Join(cfg.Index, "docs.txt")); err != nil || string(docs) != "3" {
		t.Errorf("the index after the build: %v, %q documents, want 3", err, docs)
	}
}
