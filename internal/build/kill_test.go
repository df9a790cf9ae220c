//go:build unix

package build_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// run runs the dronekb binary and returns its combined output and how it
// ended.
func run(t *testing.T, cmd *exec.Cmd) (string, *os.ProcessState) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s: %v", cmd, err)
	}
	return out.String(), cmd.ProcessState
}

func buildCmd(bin, content, out, asOf string) *exec.Cmd {
	return exec.Command(bin, "build", "--quiet", "--content", content, "--out", out,
		"--index", filepath.Join(filepath.Dir(out), "index"), "--as-of", asOf)
}

func sameAs(a, b map[string][]byte) bool { return len(sitetest.DiffTrees(a, b)) == 0 }

// TestKilledBuild kills real builds with SIGKILL at points spread over the
// time a build takes. After each kill public/ must be exactly the previous
// site or exactly the new one (a build killed after its swap), never a mix;
// the next build must remove the temporary directories the killed ones
// left, and succeed.
func TestKilledBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the kill test (it runs several builds of a generated 600-entry knowledge base)")
	}
	bin := binary(t)
	content := corpus(t, 600)
	root := t.TempDir()
	out := filepath.Join(root, "public")

	// The previous site, on one date; how long a build takes.
	start := time.Now()
	if msg, st := run(t, buildCmd(bin, content, out, "2024-01-01")); !st.Success() {
		t.Fatalf("first build: %s\n%s", st, msg)
	}
	took := time.Since(start)
	old := sitetest.ReadTree(t, out)
	// The new site, on another date, built elsewhere for reference.
	ref := filepath.Join(t.TempDir(), "public")
	if msg, st := run(t, buildCmd(bin, content, ref, "2025-06-01")); !st.Success() {
		t.Fatalf("reference build: %s\n%s", st, msg)
	}
	want := sitetest.ReadTree(t, ref)
	if sameAs(old, want) {
		t.Fatal("the two dates give the same site; the test could not tell them apart")
	}
	t.Logf("a build of %d files takes %s", len(old), took.Round(time.Millisecond))

	midway := 0
	// Several moments, so that on a busy machine, where a build's phases
	// stretch unevenly, at least one kill lands while it writes.
	for _, frac := range []float64{0.05, 0.3, 0.45, 0.6, 0.75, 0.9} {
		cmd := buildCmd(bin, content, out, "2025-06-01")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(frac * float64(took)))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		killed := cmd.ProcessState.Sys().(syscall.WaitStatus).Signaled()
		temps := sitetest.TempDirs(t, root)
		now := sitetest.ReadTree(t, out)
		switch {
		case sameAs(now, old):
			t.Logf("killed at %3.0f%% (killed=%v): public/ is the previous site; %d temporary directories left", frac*100, killed, len(temps))
		case sameAs(now, want):
			t.Logf("killed at %3.0f%% (killed=%v): public/ is the new site, swapped in before the kill", frac*100, killed)
			old = want
		default:
			diffs := sitetest.DiffTrees(old, now)
			t.Fatalf("killed at %.0f%%: public/ is neither the previous site nor the new one:\n%s", frac*100, strings.Join(diffs[:min(10, len(diffs))], "\n"))
		}
		if killed && len(temps) > 0 {
			midway++
		}
	}
	if midway == 0 {
		t.Error("no kill landed in the middle of a build (none left a temporary directory): the test proved nothing")
	}

	if msg, st := run(t, buildCmd(bin, content, out, "2025-06-01")); !st.Success() {
		t.Fatalf("the build after the kills failed: %s\n%s", st, msg)
	}
	if temps := sitetest.TempDirs(t, root); len(temps) > 0 {
		t.Errorf("the build after the kills left temporary directories: %v", temps)
	}
	if !sameAs(sitetest.ReadTree(t, out), want) {
		t.Error("the build after the kills did not produce the new site")
	}
}

// TestFullDisk runs a build under a file-size limit (RLIMIT_FSIZE), so that
// writing the larger files fails with EFBIG as it would on a full disk. The
// build must fail with an error that says what happened, and leave the
// previous site intact and no temporary directories. The Go runtime catches
// SIGXFSZ, which the kernel sends with EFBIG, so the process is not killed
// and its own clean-up runs; should that ever change, the previous site must
// still be intact and the next build must clean up.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the full-disk test (it runs the command under a file-size limit)")
	}
	bin := binary(t)
	content := sitetest.ShippedContent(t)
	root := t.TempDir()
	out := filepath.Join(root, "public")
	if msg, st := run(t, buildCmd(bin, content, out, "2024-01-01")); !st.Success() {
		t.Fatalf("first build: %s\n%s", st, msg)
	}
	old := sitetest.ReadTree(t, out)

	const limit = 16 << 10 // bytes: the home page and the downloads are larger
	args := buildCmd(bin, content, out, "2025-06-01").Args
	var cmd *exec.Cmd
	if prlimit, err := exec.LookPath("prlimit"); err == nil {
		cmd = exec.Command(prlimit, append([]string{"--fsize=16384", "--"}, args...)...)
	} else {
		// POSIX sh counts ulimit -f in 512-byte blocks.
		cmd = exec.Command("sh", append([]string{"-c", `ulimit -f 32 && exec "$@"`, "sh"}, args...)...)
		t.Log("prlimit not found; using sh -c 'ulimit -f 32'")
	}
	msg, st := run(t, cmd)
	ws := st.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled():
		t.Logf("the build was killed by %v", ws.Signal())
	case st.Success():
		t.Fatalf("the build succeeded under a %d-byte file size limit:\n%s", limit, msg)
	default:
		t.Logf("the build failed with exit status %d (SIGXFSZ did not kill it):\n%s", st.ExitCode(), msg)
		if st.ExitCode() != 1 {
			t.Errorf("exit status %d, want 1", st.ExitCode())
		}
		if !strings.Contains(msg, "file too large") || !strings.Contains(msg, "unchanged") {
			t.Errorf("the error does not say that a file was too large and the site is unchanged:\n%s", msg)
		}
		if temps := sitetest.TempDirs(t, root); len(temps) > 0 {
			t.Errorf("the failed build left temporary directories: %v", temps)
		}
	}
	if diffs := sitetest.DiffTrees(old, sitetest.ReadTree(t, out)); len(diffs) > 0 {
		t.Fatalf("public/ changed:\n%s", strings.Join(diffs[:min(10, len(diffs))], "\n"))
	}

	// With room again, the next build succeeds and leaves no temporary
	// directories, whatever the failed one left.
	if msg, st := run(t, buildCmd(bin, content, out, "2025-06-01")); !st.Success() {
		t.Fatalf("the build after the full disk failed: %s\n%s", st, msg)
	}
	if temps := sitetest.TempDirs(t, root); len(temps) > 0 {
		t.Errorf("temporary directories remain: %v", temps)
	}
}
