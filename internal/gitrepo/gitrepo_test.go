package gitrepo

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitRun runs git in dir with a fixed identity and commit time.
func gitRun(t *testing.T, dir string, when string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.org", "GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when, "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newRepo makes a repository with two commits on main: the first adds
// content/vendors/dji.md and content/agencies/nypd.md, the second changes
// nypd.md and adds lapd.md. It returns the folder and the first commit.
func newRepo(t *testing.T) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	gitRun(t, dir, "2024-01-01T00:00:00Z", "init", "-q", "-b", "main")
	write(t, dir, "content/vendors/dji.md", "---\ntitle: DJI\ncountry: CN\n---\n")
	write(t, dir, "content/agencies/nypd.md", "---\ntitle: NYPD\n---\nfirst\n")
	write(t, dir, "README.md", "repo\n")
	gitRun(t, dir, "2024-01-01T00:00:00Z", "add", "-A")
	gitRun(t, dir, "2024-01-01T00:00:00Z", "commit", "-q", "-m", "first")
	first := strings.TrimSpace(gitRun(t, dir, "2024-01-01T00:00:00Z", "rev-parse", "HEAD"))
	write(t, dir, "content/agencies/nypd.md", "---\ntitle: NYPD\n---\nsecond\n")
	write(t, dir, "content/agencies/lapd.md", "---\ntitle: LAPD\n---\n")
	gitRun(t, dir, "2024-03-05T12:00:00Z", "add", "-A")
	gitRun(t, dir, "2024-03-05T12:00:00Z", "commit", "-q", "-m", "second")
	return dir, first
}

func TestReadDirAndResolve(t *testing.T) {
	ctx := context.Background()
	dir, first := newRepo(t)
	r, err := Open(ctx, filepath.Join(dir, "content"))
	if err != nil {
		t.Fatal(err)
	}
	rel, err := r.Rel(filepath.Join(dir, "content"))
	if err != nil || rel != "content" {
		t.Fatalf("Rel = %q, %v", rel, err)
	}
	for rev, want := range map[string]string{"main~1": first, first: first, first[:10]: first} {
		got, err := r.Resolve(ctx, rev)
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", rev, got, err, want)
		}
	}
	if _, err := r.Resolve(ctx, "--upload-pack=evil"); err == nil {
		t.Error("an option was taken for a revision")
	}
	fsys, err := r.ReadDir(ctx, first, "content", 0)
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fsys, "agencies/nypd.md")
	if err != nil || !strings.HasSuffix(string(data), "first\n") {
		t.Errorf("nypd.md at the first commit: %q, %v", data, err)
	}
	if _, err := fs.Stat(fsys, "agencies/lapd.md"); err == nil {
		t.Error("lapd.md exists at the first commit")
	}
	// With a limit below its size, the file stands as limit+1 bytes that
	// begin with its blob's ID, and is not read.
	capped, err := r.ReadDir(ctx, first, "content", 10)
	if err != nil {
		t.Fatal(err)
	}
	if stand, err := fs.ReadFile(capped, "agencies/nypd.md"); err != nil || len(stand) != 11 || strings.Contains(string(stand), "first") {
		t.Errorf("nypd.md past a limit of 10 bytes: %q, %v; want 11 bytes of its ID", stand, err)
	}
	if _, err := fs.Stat(fsys, "README.md"); err == nil {
		t.Error("a file outside content/ was read")
	}
	// A folder that did not exist at the commit is empty, not an error.
	empty, err := r.ReadDir(ctx, first, "site/content", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ents, _ := fs.ReadDir(empty, "."); len(ents) != 0 {
		t.Errorf("a missing folder has %d files", len(ents))
	}
	if _, err := r.ReadDir(ctx, strings.Repeat("0", 40), "content", 0); err == nil {
		t.Error("no error for a commit that does not exist")
	}
	if _, err := Open(ctx, t.TempDir()); err == nil {
		t.Error("a folder outside any repository opened as one")
	}
}

func TestLastChanged(t *testing.T) {
	dir, _ := newRepo(t)
	r, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.LastChanged(context.Background(), "content")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"vendors/dji.md":   "2024-01-01",
		"agencies/nypd.md": "2024-03-05",
		"agencies/lapd.md": "2024-03-05",
	}
	if len(got) != len(want) {
		t.Errorf("LastChanged = %v", got)
	}
	for name, day := range want {
		if d := got[name].Format(time.DateOnly); d != day {
			t.Errorf("%s last changed %s; want %s", name, d, day)
		}
	}
}

// TestShallowCheckout is what CI does for a pull request: a clone of one
// commit, with the base branch fetched on demand.
func TestShallowCheckout(t *testing.T) {
	ctx := context.Background()
	origin, first := newRepo(t)
	gitRun(t, origin, "2024-04-01T00:00:00Z", "checkout", "-q", "-b", "feature")
	write(t, origin, "content/agencies/nypd.md", "---\ntitle: NYPD\n---\nthird\n")
	gitRun(t, origin, "2024-04-01T00:00:00Z", "commit", "-q", "-am", "third")
	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, origin, "2024-04-01T00:00:00Z", "clone", "-q", "--depth=1", "--branch", "feature", "file://"+origin, clone)
	r, err := Open(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	main, err := r.Resolve(ctx, "main")
	if err != nil {
		t.Fatalf("main was not fetched: %v", err)
	}
	fsys, err := r.ReadDir(ctx, main, "content", 0)
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := fs.ReadFile(fsys, "agencies/nypd.md"); !strings.HasSuffix(string(data), "second\n") {
		t.Errorf("nypd.md on main: %q", data)
	}
	// The clone stays shallow, and a commit that is nowhere fails.
	if out := gitRun(t, clone, "2024-04-01T00:00:00Z", "rev-parse", "--is-shallow-repository"); strings.TrimSpace(out) != "true" {
		t.Error("the clone is no longer shallow")
	}
	if _, err := r.Resolve(ctx, "no-such-branch"); err == nil {
		t.Error("no error for a revision that is nowhere")
	}
	_ = first
}

// TestLastChangedShallow: a shallow clone's oldest commit seems to add
// every file, so every file that no later commit changed was dated the day
// of the commit the clone was cut at (dji.md, last changed on 1 January,
// showed 5 March; found in review). Those files now have no date; the
// files the clone's later commits changed keep theirs.
func TestLastChangedShallow(t *testing.T) {
	origin, _ := newRepo(t)
	write(t, origin, "content/agencies/lapd.md", "---\ntitle: LAPD\n---\nthird\n")
	gitRun(t, origin, "2024-06-01T00:00:00Z", "commit", "-q", "-am", "third")
	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, origin, "2024-06-01T00:00:00Z", "clone", "-q", "--depth=2", "file://"+origin, clone)
	ctx := context.Background()
	whole, err := Open(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	if whole.Shallow(ctx) || !r.Shallow(ctx) {
		t.Errorf("Shallow: whole clone %v, shallow clone %v", whole.Shallow(ctx), r.Shallow(ctx))
	}
	got, err := r.LastChanged(ctx, "content")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["agencies/lapd.md"].Format(time.DateOnly) != "2024-06-01" {
		t.Errorf("LastChanged in the shallow clone = %v; want only agencies/lapd.md on 2024-06-01", got)
	}
	if all, err := whole.LastChanged(ctx, "content"); err != nil || all["vendors/dji.md"].Format(time.DateOnly) != "2024-01-01" {
		t.Errorf("LastChanged in the whole repository = %v, %v", all, err)
	}
}
