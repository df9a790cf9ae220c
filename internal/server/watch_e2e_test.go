package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	name, data string
	at         time.Time
}

// readEvents parses a text/event-stream into events until it ends.
func readEvents(r io.Reader, events chan<- sseEvent) {
	defer close(events)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var name string
	var data []string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if name != "" || len(data) > 0 {
				events <- sseEvent{name: name, data: strings.Join(data, "\n"), at: time.Now()}
			}
			name, data = "", nil
		case strings.HasPrefix(line, "event:"):
			name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
}

// searchFinds reports whether /api/search?q=q finds the entry id within a
// few seconds: the edited pages reload as soon as they are on disk, and
// the index is updated a moment later.
func searchFinds(t *testing.T, base, q, id string) bool {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, body := get(t, base+"/api/search?q="+q)
		if res.StatusCode == 200 && strings.Contains(string(body), id) {
			return true
		}
		if time.Now().After(deadline) {
			t.Logf("search %q: %d %s", q, res.StatusCode, body)
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitReloadOf waits for the reload event that reloads the page at path:
// one that lists it, or reloads every page ("ok").
func waitReloadOf(t *testing.T, events <-chan sseEvent, path string, limit time.Duration) sseEvent {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ev := waitEvent(t, events, time.Until(deadline))
		if ev.name != "reload" {
			t.Fatalf("event %q %q, want reload", ev.name, ev.data)
		}
		var paths []string
		if ev.data == "ok" || (json.Unmarshal([]byte(ev.data), &paths) == nil && slices.Contains(paths, path)) {
			return ev
		}
	}
}

// waitEvent waits for the next event other than hello, up to a limit.
func waitEvent(t *testing.T, events <-chan sseEvent, limit time.Duration) sseEvent {
	t.Helper()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if ev.name == "hello" || ev.name == "" {
				continue
			}
			return ev
		case <-timer.C:
			t.Fatalf("no event within %v", limit)
		}
	}
}

// TestServeWatch runs the real dronekb serve --watch on a copy of a small
// content tree, listens to the live-reload stream as the page does, and
// edits the content: a good edit reloads the pages with the new text, a
// broken one shows its diagnostic while the previous build stays served,
// and fixing it reloads again.
func TestServeWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end serve --watch test (it builds and runs the dronekb binary)")
	}
	root := t.TempDir()
	bin := dronekbBinary(t, root)
	content := filepath.Join(root, "content")
	sitetest.WriteContent(t, content, sitetest.Content(t, serverKB))
	page := filepath.Join(content, "agencies", "metro-police.md")
	original, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}

	base, log := startServeLogged(t, bin, "--watch", "--content", content,
		"--out", filepath.Join(root, "public"), "--index", filepath.Join(root, "index"))
	events := liveReload(t, base)
	select {
	case ev := <-events:
		if ev.name != "hello" {
			t.Fatalf("first event %q %q, want hello", ev.name, ev.data)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no hello event")
	}

	fetch := func(path string) string {
		t.Helper()
		res, body := get(t, base+path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		return string(body)
	}
	if p := fetch("/agencies/metro-police/"); !strings.Contains(p, "Metro Police Department") || !strings.Contains(p, "/_dronekb/reload.js") {
		t.Fatalf("the served page lacks its title or the reload script")
	}

	// settle lets the events of the last edit arrive: after the edited
	// pages' reload come those of the site-wide pages.
	settle := func() {
		for {
			select {
			case <-events:
			case <-time.After(500 * time.Millisecond):
				return
			}
		}
	}

	// Good edits: each one's time from the write to the reload event.
	var latencies []time.Duration
	for i := 1; i <= 5; i++ {
		title := fmt.Sprintf("Metro Police Department, edit %d", i)
		settle()
		start := time.Now()
		writeFile(t, page, strings.Replace(string(original), "title: Metro Police Department", "title: "+title, 1))
		// The edited page's reload: the events of the site-wide pages
		// that follow each edit list other pages.
		ev := waitReloadOf(t, events, "/agencies/metro-police/", 15*time.Second)
		latencies = append(latencies, ev.at.Sub(start))
		if p := fetch("/agencies/metro-police/"); !strings.Contains(p, title) {
			t.Fatalf("edit %d: after reload the page does not show %q", i, title)
		}
		if !searchFinds(t, base, "edit+"+fmt.Sprint(i), "agencies/metro-police") {
			t.Errorf("edit %d: the index does not find the new title", i)
		}
	}
	sorted := append([]time.Duration{}, latencies...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	t.Logf("edit → reload event: %v (median %v)", latencies, sorted[len(sorted)/2])
	lastTitle := "Metro Police Department, edit 5"

	// A broken edit: an unknown vendor.
	settle()
	broken := strings.Replace(string(original), "vendor: skyeye", "vendor: skyeyes", 1)
	broken = strings.Replace(broken, "title: Metro Police Department", "title: Broken Title", 1)
	writeFile(t, page, broken)
	ev := waitEvent(t, events, 15*time.Second)
	if ev.name != "failed" {
		t.Fatalf("broken edit: event %q %q, want failed", ev.name, ev.data)
	}
	diag := regexp.MustCompile(`agencies/metro-police\.md:\d+:\d+: REF_NOT_FOUND unknown vendor "skyeyes"`)
	if !diag.MatchString(ev.data) {
		t.Errorf("the failed event does not carry the diagnostic file:line:col and REF_NOT_FOUND:\n%s", ev.data)
	}
	p := fetch("/agencies/metro-police/")
	if !strings.Contains(p, lastTitle) || strings.Contains(p, "Broken Title") {
		t.Errorf("after a failed build the page is not the previous build's")
	}
	if !strings.Contains(p, `<script src="/_dronekb/reload.js" defer></script>`) {
		t.Errorf("the page lacks the injected reload script")
	}
	if js := fetch("/_dronekb/reload.js"); !strings.Contains(js, "EventSource") || !strings.Contains(js, "textContent") {
		t.Errorf("reload.js does not listen for events or show the failure as text")
	}
	if !strings.Contains(fetch("/api/search?q=edit+5"), "agencies/metro-police") {
		t.Errorf("after a failed build search does not answer from the previous index")
	}
	// A page that connects now is told about the failure at once.
	if ev := waitEvent(t, liveReload(t, base), 5*time.Second); ev.name != "failed" || !diag.MatchString(ev.data) {
		t.Errorf("a page connecting after the failure got %q %q, want the failure", ev.name, ev.data)
	}

	// Fixed: reload again, with the fixed page.
	time.Sleep(150 * time.Millisecond)
	writeFile(t, page, strings.Replace(string(original), "title: Metro Police Department", "title: Fixed Title", 1))
	if ev := waitEvent(t, events, 15*time.Second); ev.name != "reload" {
		t.Fatalf("fixed edit: event %q %q, want reload", ev.name, ev.data)
	}
	if p := fetch("/agencies/metro-police/"); !strings.Contains(p, "Fixed Title") {
		t.Errorf("after the fix the page does not show the fixed title")
	}

	// Saved again with the same bytes: nothing is rebuilt, written or
	// reloaded; public/ is the very directory it was.
	fixed := strings.Replace(string(original), "title: Metro Police Department", "title: Fixed Title", 1)
	public := filepath.Join(root, "public")
	before, err := os.Stat(filepath.Join(public, "agencies", "metro-police", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	settle()
	writeFile(t, page, fixed)
	select {
	case ev := <-events:
		t.Errorf("saving the file unchanged sent %q %q; want nothing", ev.name, ev.data)
	case <-time.After(2 * time.Second):
	}
	after, err := os.Stat(filepath.Join(public, "agencies", "metro-police", "index.html"))
	if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("saving the file unchanged rewrote the page (%v)", err)
	}

	// Broken, then put back as it was: the build in place is the one
	// wanted, so nothing is rebuilt, but the pages drop the failure.
	writeFile(t, page, broken)
	if ev := waitEvent(t, events, 15*time.Second); ev.name != "failed" {
		t.Fatalf("broken again: event %q, want failed", ev.name)
	}
	time.Sleep(150 * time.Millisecond)
	writeFile(t, page, fixed)
	if ev := waitEvent(t, events, 15*time.Second); ev.name != "reload" {
		t.Fatalf("put back as it was: event %q %q, want reload", ev.name, ev.data)
	}
	// The log says the error is gone, not only that nothing changed
	// (found by the contributor's audit).
	// The event may come before the line reaches the log's pipe.
	fixedLine := regexp.MustCompile(`(?m)fixed: the build succeeds again, and the site served is already this content's \(checked in [0-9.]+m?s\); nothing written$`)
	for deadline := time.Now().Add(5 * time.Second); !fixedLine.MatchString(log.String()); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("putting the file back does not log that the build is fixed:\n%s", log.String())
			break
		}
	}
	after, err = os.Stat(filepath.Join(public, "agencies", "metro-police", "index.html"))
	if err != nil || !os.SameFile(before, after) {
		t.Errorf("putting the file back as built rewrote the page (%v)", err)
	}
}

// writeFile replaces a file's content the way an editor saving it does.
func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeWatchIncremental edits one entry of a generated knowledge base
// through the real dronekb serve --watch: the served page and the search
// answer change, then a dronekb build run beside serve replaces the site
// and index, serve searches the new index, and the next edit is served too.
func TestServeWatchIncremental(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end serve --watch test (it builds and runs the dronekb binary)")
	}
	root := t.TempDir()
	bin := dronekbBinary(t, root)
	content := filepath.Join(root, "content")
	if err := sitetest.Generate(content, 300); err != nil {
		t.Fatal(err)
	}
	out, index := filepath.Join(root, "public"), filepath.Join(root, "index")
	base := startServe(t, bin, "--watch", "--content", content, "--out", out, "--index", index)
	events := liveReload(t, base)
	settle := func() {
		for {
			select {
			case <-events:
			case <-time.After(time.Second):
				return
			}
		}
	}
	fetch := func(path string) string {
		t.Helper()
		res, body := get(t, base+path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		return string(body)
	}
	file := filepath.Join(content, "agencies", "agency-00001.md")
	edit := func(word string) {
		t.Helper()
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, file, string(data)+"\nThe council heard about "+word+" today.\n")
		waitReloadOf(t, events, "/agencies/agency-00001/", 60*time.Second)
		if p := fetch("/agencies/agency-00001/"); !strings.Contains(p, word) {
			t.Fatalf("after the reload the page does not show %q", word)
		}
		if !searchFinds(t, base, word, "agencies/agency-00001") {
			t.Fatalf("search for %q does not find the edited entry", word)
		}
	}
	settle()
	edit("zanzibarian")
	settle()

	// A dronekb build beside serve: serve follows it.
	b := exec.Command(bin, "build", "--content", content, "--out", out, "--index", index)
	b.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1748736000")
	if msg, err := b.CombinedOutput(); err != nil {
		t.Fatalf("dronekb build beside serve: %v\n%s", err, msg)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, body := get(t, base+"/api/search?q=zanzibarian")
		if res.StatusCode == 200 && strings.Contains(string(body), "agencies/agency-00001") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a dronekb build beside serve, search answers %d %s", res.StatusCode, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The next edit rebuilds what the build left.
	edit("quokkaesque")
	if a := fetch("/api/search?q=zanzibarian"); !strings.Contains(a, "agencies/agency-00001") {
		t.Errorf("the earlier edit is no longer found: %s", a)
	}
}

// TestServeWatchSeesCommits: an entry page says when its file last changed
// in git. A commit changes that without touching a content file; serve
// --watch watches the repository's reflogs and brings the page up to date
// (found in review: it waited for the next save).
func TestServeWatchSeesCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end serve --watch test (it builds and runs the dronekb binary)")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipping: git is not installed")
	}
	root := t.TempDir()
	bin := dronekbBinary(t, root)
	repo := filepath.Join(root, "repo")
	content := filepath.Join(repo, "content")
	sitetest.WriteContent(t, content, sitetest.Content(t, serverKB))
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=Contributor", "-c", "user.email=c@example.org", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("2025-01-02T00:00:00Z", "init", "-q")
	git("2025-01-02T00:00:00Z", "add", "-A")
	git("2025-01-02T00:00:00Z", "commit", "-qm", "The knowledge base")

	base := startServe(t, bin, "--watch", "--content", content,
		"--out", filepath.Join(root, "public"), "--index", filepath.Join(root, "index"))
	page := "/agencies/metro-police/"
	shows := func(want string, within time.Duration) bool {
		for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if _, body := get(t, base+page); strings.Contains(string(body), want) {
				return true
			}
		}
		return false
	}
	if !shows(`<time datetime="2025-01-02"`, 10*time.Second) {
		t.Fatal("the page does not say the entry last changed on 2025-01-02, its commit")
	}
	file := filepath.Join(content, "agencies", "metro-police.md")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, file, string(data)+"\nA sentence the council added.\n")
	if !shows("A sentence the council added.", 30*time.Second) {
		t.Fatal("the edit never reached the page")
	}
	git("2025-03-04T00:00:00Z", "commit", "-qam", "An edit")
	if !shows(`<time datetime="2025-03-04"`, 30*time.Second) {
		t.Fatal("after the commit of 2025-03-04 the page still gives the entry's previous date")
	}
}
