package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestWatchLatency measures serve --watch on a large knowledge base: for
// edits of three kinds, the time from the save to the entry's page on disk
// and to the reload event, and the watch process's peak memory against a
// plain dronekb build's; with HUGO set, Hugo's server on the same markdown
// in the same run. It is a measurement, not a check, and runs only when
// DRONEKB_WATCH_BENCH names a generated content folder (it copies it);
// scripts/bench-watch.sh runs it.
//
//	DRONEKB_WATCH_BENCH=/tmp/c10k DRONEKB_BIN=./dronekb HUGO=~/go/bin/hugo \
//	  go test ./internal/server -run TestWatchLatency -v -timeout 30m
func TestWatchLatency(t *testing.T) {
	src := os.Getenv("DRONEKB_WATCH_BENCH")
	if src == "" {
		t.Skip("set DRONEKB_WATCH_BENCH to a generated content folder to measure serve --watch (scripts/bench-watch.sh)")
	}
	bin := os.Getenv("DRONEKB_BIN")
	if bin == "" {
		t.Fatal("set DRONEKB_BIN to the dronekb binary")
	}
	rounds := 3
	if v, err := strconv.Atoi(os.Getenv("ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	root := t.TempDir()
	content := filepath.Join(root, "content")
	if out, err := exec.Command("cp", "-r", src, content).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	env := append(os.Environ(), "SOURCE_DATE_EPOCH=1748736000")

	// A plain build's peak memory.
	b := exec.Command(bin, "build", "--quiet", "--content", content, "--out", filepath.Join(root, "plain", "public"), "--index", filepath.Join(root, "plain", "index"))
	b.Env = env
	start := time.Now()
	if out, err := b.CombinedOutput(); err != nil {
		t.Fatalf("dronekb build: %v\n%s", err, out)
	}
	buildWall := time.Since(start)
	buildRSS := b.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB
	os.RemoveAll(filepath.Join(root, "plain"))

	edits := watchEdits(t, content)
	out := filepath.Join(root, "public")
	cmd := exec.Command(bin, "serve", "--watch", "--addr", "127.0.0.1:0", "--content", content, "--out", out, "--index", filepath.Join(root, "index"))
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A cleanup, not a defer: it runs after the live-reload stream's
	// (cleanups run last first), so serve stops with no stream open.
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
		t.Logf("serve's log:\n%s", stderr.String())
	})
	sc := bufio.NewScanner(stdout)
	var base string
	for sc.Scan() {
		if m := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)/ `).FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()
	events := liveReload(t, base)
	quiet := func() {
		for {
			select {
			case <-events:
			case <-time.After(3 * time.Second):
				if !strings.Contains(lastLine(stderr.String()), "updated") {
					return // the second step is done too
				}
			}
		}
	}
	quiet()

	type result struct{ disk, reload []time.Duration }
	results := map[string]*result{}
	for r := 0; r < rounds; r++ {
		for _, e := range edits {
			page := filepath.Join(out, filepath.FromSlash(e.page), "index.html")
			before, _ := os.Stat(page)
			t0 := time.Now()
			e.apply(r)
			disk := waitChanged(t, page, before, 120*time.Second)
			var reload time.Duration
			for reload == 0 {
				select {
				case ev := <-events:
					var paths []string
					if ev.name == "reload" && (ev.data == "ok" || json.Unmarshal([]byte(ev.data), &paths) == nil && slices.Contains(paths, "/"+e.page)) {
						reload = ev.at.Sub(t0)
					}
				case <-time.After(120 * time.Second):
					t.Fatalf("%s: no reload event", e.name)
				}
			}
			if results[e.name] == nil {
				results[e.name] = &result{}
			}
			results[e.name].disk = append(results[e.name].disk, disk.Sub(t0))
			results[e.name].reload = append(results[e.name].reload, reload)
			quiet()
		}
	}
	watchRSS := vmHWM(t, cmd.Process.Pid)
	fmt.Printf("dronekb build: %v, peak RSS %d MiB\n", buildWall.Round(time.Millisecond), buildRSS>>10)
	fmt.Printf("dronekb serve --watch: peak RSS %d MiB (%.2f× the build's)\n", watchRSS>>10, float64(watchRSS)/float64(buildRSS))
	medians := map[string]time.Duration{}
	for _, e := range edits {
		r := results[e.name]
		medians[e.name] = median(r.reload)
		fmt.Printf("dronekb %-14s save → page on disk %v (median %v), → reload event %v (median %v)\n", e.name, r.disk, median(r.disk), r.reload, median(r.reload))
	}

	hugo := os.Getenv("HUGO")
	if hugo == "" {
		return
	}
	hugoLatency(t, hugo, src, root, rounds, medians)
}

type watchEdit struct {
	name  string
	page  string // the entry's page, relative to the site root: "agencies/x/"
	apply func(round int)
}

// watchEdits picks an incident, an agency and an agency with an active
// fleet item in content, and returns an edit of each kind.
func watchEdits(t *testing.T, content string) []watchEdit {
	t.Helper()
	first := func(dir string, want func(string) bool) string {
		entries, err := os.ReadDir(filepath.Join(content, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(content, dir, e.Name()))
			if err == nil && want(string(data)) {
				return dir + "/" + strings.TrimSuffix(e.Name(), ".md")
			}
		}
		t.Fatalf("no suitable entry in %s", dir)
		return ""
	}
	each := func(string) bool { return true }
	active := regexp.MustCompile(`(?m)^(\s+)status: active$`)
	incident := first("incidents", each)
	fleet := first("agencies", active.MatchString)
	// The title edit's agency: the first that is not the fleet edit's.
	agency := first("agencies", each)
	if agency == fleet {
		entries, _ := os.ReadDir(filepath.Join(content, "agencies"))
		agency = "agencies/" + strings.TrimSuffix(entries[1].Name(), ".md")
	}
	rewrite := func(id string, f func(string) string) {
		file := filepath.Join(content, filepath.FromSlash(id)+".md")
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(f(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	title := regexp.MustCompile(`(?m)^title:.*$`)
	status := regexp.MustCompile(`(?m)^(\s+)status: (active|retired)$`)
	return []watchEdit{
		{"incident body", incident + "/", func(r int) {
			rewrite(incident, func(s string) string { return s + fmt.Sprintf("\nA sentence added in round %d.\n", r) })
		}},
		{"agency title", agency + "/", func(r int) {
			rewrite(agency, func(s string) string {
				return title.ReplaceAllString(s, fmt.Sprintf("title: Renamed Agency Round %d", r))
			})
		}},
		{"fleet status", fleet + "/", func(r int) {
			to := "retired"
			if r%2 == 1 {
				to = "active"
			}
			rewrite(fleet, func(s string) string { return status.ReplaceAllString(s, "${1}status: "+to) })
		}},
	}
}

// waitChanged waits until the file at path is not the one before (another
// file renamed over it, or rewritten), and returns when it saw it.
func waitChanged(t *testing.T, path string, before os.FileInfo, limit time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if st, err := os.Stat(path); err == nil && (before == nil || !os.SameFile(st, before) || !st.ModTime().Equal(before.ModTime()) || st.Size() != before.Size()) {
			return time.Now()
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%s did not change within %v", path, limit)
	return time.Time{}
}

func vmHWM(t *testing.T, pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(data)
	if m == nil {
		t.Fatal("no VmHWM")
	}
	n, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return n
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}

// hugoLatency runs Hugo's server (which renders to disk) on a copy of the same
// markdown with the minimal layouts of scripts/bench-vs-hugo.sh, makes the
// same edits, and prints its times and the ratios.
func hugoLatency(t *testing.T, hugo, src, root string, rounds int, dronekb map[string]time.Duration) {
	site := filepath.Join(root, "hugo")
	content := filepath.Join(site, "content")
	if err := os.MkdirAll(filepath.Join(site, "layouts", "_default"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", src, content).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	files := map[string]string{
		"hugo.toml": "baseURL = \"http://127.0.0.1/\"\ntitle = \"bench\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\"]\n[markup.goldmark.renderer]\nunsafe = false\n",
		"layouts/_default/baseof.html": `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">bench</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Summary }}</p>{{ .Content }}</article>{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(site, filepath.FromSlash(name)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	out := filepath.Join(root, "hugo-public")
	cmd := exec.Command(hugo, "server", "--source", site, "--destination", out, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--disableFastRender")
	log := &sitetest.Log{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		cmd.Process.Signal(syscall.SIGINT)
		<-exited
	}()
	deadline := time.Now().Add(10 * time.Minute)
	for !strings.Contains(log.String(), "Web Server is available") {
		select {
		case <-exited:
			t.Fatalf("hugo server exited:\n%s", log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("hugo server did not start:\n%s", log.String())
		}
	}
	edits := watchEdits(t, content)
	results := map[string][]time.Duration{}
	for r := 0; r < rounds; r++ {
		for _, e := range edits {
			time.Sleep(3 * time.Second)
			page := filepath.Join(out, filepath.FromSlash(e.page), "index.html")
			before, _ := os.Stat(page)
			t0 := time.Now()
			e.apply(r)
			results[e.name] = append(results[e.name], waitChanged(t, page, before, 120*time.Second).Sub(t0))
		}
	}
	fmt.Printf("hugo server: peak RSS %d MiB\n", vmHWM(t, cmd.Process.Pid)>>10)
	for _, e := range edits {
		m := median(results[e.name])
		fmt.Printf("hugo   %-14s save → page on disk %v (median %v); dronekb's reload / hugo's page on disk: %.2f\n", e.name, results[e.name], m, float64(dronekb[e.name])/float64(m))
	}
}
