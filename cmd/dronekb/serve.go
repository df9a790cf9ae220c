package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/gitrepo"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
)

// serveFlags are serve's flags.
type serveFlags struct {
	fs            *flag.FlagSet
	build         buildFlags
	addr, proxies *string
	watch         *bool
}

func newServeFlags(stderr io.Writer) *serveFlags {
	f := &serveFlags{fs: newFlags("serve", "[--addr 127.0.0.1:1313] [--watch] [--trusted-proxies ADDRS] [--out DIR] [--index DIR]\n"+
		"[--content DIR] [--theme DIR] [--as-of DATE] [--repo URL [--branch B]] [--page-size N]", stderr)}
	f.build.register(f.fs, false)
	f.addr = f.fs.String("addr", "127.0.0.1:1313", "`address` to listen on (host:port; port 0 picks a free one)")
	f.watch = f.fs.Bool("watch", false, "rebuild when content or theme change, and reload open pages")
	f.proxies = f.fs.String("trusted-proxies", "", "comma-separated `addresses` or networks of proxies (a load balancer) whose X-Forwarded-For names the client, for the per-client search limits")
	return f
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sf := newServeFlags(stderr)
	fs, bf, addr, watch, proxies := sf.fs, &sf.build, sf.addr, sf.watch, sf.proxies
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	trusted, err := server.ParseTrustedProxies(*proxies)
	if err != nil {
		return usagef("--trusted-proxies: %v", err)
	}
	cfg, err := bf.config()
	if err != nil {
		return err
	}
	cfg.BaseURL = "/"
	logger := log.New(stderr, "", log.LstdFlags)
	defer func() {
		// Let the last rebuild finish deleting the tree it replaced.
		if err := build.Wait(); err != nil {
			logger.Printf("warning: %v", err)
		}
	}()
	if *watch {
		return serveWatch(ctx, cfg, bf.asOf == "", *addr, trusted, stdout, stderr, logger)
	}
	// A rebuild whose inputs are those of the build in place writes
	// nothing.
	cfg.SkipUnchanged = true

	// Build first when nothing was built yet. A site that is there is
	// served as it is, even when its index is missing or not its own (a
	// build interrupted between its two swaps, or one without an index):
	// rebuilt here it would lose what it was built with (--base-url,
	// --repo, --as-of), and a replica has no content to build from.
	// Search then answers 503 until the next dronekb build.
	told := false // why search is unavailable
	_, noSite := build.ReadManifest(cfg.Out)
	if msg := ignoredFlags(fs, cfg.Out); noSite == nil && msg != "" {
		logger.Print(msg)
	}
	if noSite != nil {
		if _, err := os.Stat(cfg.Content); errors.Is(err, os.ErrNotExist) && similarContentDir(cfg.Content) == "" {
			// A replica has no content: a mistyped --out was told only
			// that content/ was not found, as if serve had to build.
			return usagef("--out %q holds no site that dronekb build wrote, and content directory %q, to build one from, is not found: give --out the folder a build wrote, or run serve where content/ is (or pass --content DIR)", cfg.Out, cfg.Content)
		}
		if err := requireDir(cfg.Content); err != nil {
			return err
		}
		start := time.Now()
		if _, err := build.Run(ctx, cfg, build.SearchIndex); err != nil {
			fmt.Fprintln(stderr, failureText(err))
			return errProblems
		}
		logger.Printf("built in %s", time.Since(start).Round(time.Millisecond))
	} else if _, pairErr := build.Pair(cfg.Out, cfg.Index); pairErr != nil {
		logger.Printf("serving the site in %s as it was built; search is unavailable until dronekb build, run with the options the site was built with, makes its index again: %v", cfg.Out, pairErr)
		told = true
	} else if _, indexErr := search.ReadMeta(cfg.Index); indexErr != nil {
		logger.Printf("serving the site in %s as it was built; search is unavailable until dronekb build makes its index again: %v", cfg.Out, indexErr)
		told = true
	}
	srv := server.New(server.Config{Out: cfg.Out, Index: cfg.Index, BasePath: basePath(cfg.Out), Logger: logger, TrustedProxies: trusted})
	defer srv.Close()
	if err := srv.SyncIndex(); err != nil && !told {
		logger.Printf("search is unavailable until the index builds: %v", err)
	}
	// Each new build's index is searched as soon as it is swapped in, by
	// a dronekb build run beside this serve.
	go srv.Follow(ctx, time.Second)
	return listenAndServe(ctx, srv, cfg.Out, *addr, stdout)
}

// ignoredFlags says which of the flags given to serve (without --watch)
// do nothing because out holds a built site, which serve serves as it was
// built: --content, --theme, --as-of, --repo, --branch and --page-size
// shape a build, and serve builds only when there is no site. It returns
// "" when none was given.
func ignoredFlags(fs *flag.FlagSet, out string) string {
	var given []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "content", "theme", "as-of", "repo", "branch", "page-size":
			given = append(given, "--"+f.Name)
		}
	})
	if len(given) == 0 {
		return ""
	}
	do, them := "do", "them"
	if len(given) == 1 {
		do, them = "does", "it"
	}
	return fmt.Sprintf("warning: %s holds a built site, which serve serves as it was built: %s %s nothing here; run dronekb build with %s to rebuild it, and serve follows the new build",
		out, strings.Join(given, ", "), do, them)
}

// loopback says whether addr (host:port) listens on this machine alone.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// basePath is the path the site in out was built for.
func basePath(out string) string {
	if m, err := build.ReadManifest(out); err == nil && server.ValidBasePath(m.BasePath) {
		return m.BasePath
	}
	return "/"
}

// failureText is what a failed build says: the content's errors, at most
// 50 of them, or the error.
func failureText(err error) string {
	var diags kb.Diagnostics
	if errors.As(err, &diags) {
		var lines []string
		for _, d := range diags {
			if d.Severity == kb.SevError {
				lines = append(lines, d.String())
			}
		}
		if len(lines) > 50 {
			lines = append(lines[:50], fmt.Sprintf("… and %d more", len(lines)-50))
		}
		return strings.Join(lines, "\n")
	}
	return err.Error()
}

// serveWatch serves the site and rebuilds it as the content and theme
// change, through a build.Session: an edit rewrites the pages it can
// change and updates the search index in place, and the open pages among
// those changed reload; the site-wide pages (lists, tracker, feeds,
// downloads, static search) follow a moment later.
func serveWatch(ctx context.Context, cfg build.Config, today bool, addr string, trusted []netip.Prefix, stdout, stderr io.Writer, logger *log.Logger) error {
	if err := requireDir(cfg.Content); err != nil {
		return err
	}
	if !loopback(addr) {
		logger.Printf("warning: serve --watch on %s, which other machines can reach: it shows every visitor the build's errors, with the content's file paths, and keeps only 64 pages connected for reloading; it is for writing on your own machine (publish with dronekb build, and serve without --watch)", addr)
	}
	// A site built for publishing (--base-url) is not replaced by a
	// preview for /: uploaded after it, it would be broken at its address.
	if m, err := build.ReadManifest(cfg.Out); err == nil && (m.BaseURL != "" || (m.BasePath != "" && m.BasePath != "/")) {
		built := m.BaseURL
		if built == "" {
			built = m.BasePath
		}
		return usagef("%s holds a site built for %s, to publish; serve --watch would replace it with a preview for /. Preview into another folder (dronekb serve --watch --out preview --index preview-index), or serve it as built (dronekb serve, without --watch)", cfg.Out, built)
	}
	// As dronekb build: the collector tuned while a full build loads and
	// writes, and while the site-wide step writes, unless the user tuned
	// it.
	cfg.TuneCollector = tuneGC()
	sess := build.NewSession(cfg)
	if today {
		// Without --as-of the tracker is today's: the first save after
		// midnight rebuilds in full for the new day.
		sess.AsOf = func() kb.Date {
			if d, err := asOfDate(""); err == nil {
				return d
			}
			return cfg.AsOf
		}
	}
	var srv *server.Server
	var firstIndex *search.Index
	sess.OnIndex = func(idx *search.Index) {
		if srv == nil {
			firstIndex = idx
			return
		}
		srv.SetIndex(idx)
	}
	sess.Release = func() {
		if srv != nil {
			srv.ReleaseIndex()
		}
	}

	// mu orders what the pages are told: a finished second step never
	// clears the diagnostics of a rebuild that started after it.
	var mu sync.Mutex
	var generation int
	failed, lastMsg := false, ""
	notified := false // the pages were told of this rebuild's files
	tell := func(files []string) {
		if srv == nil || (!failed && len(files) == 0) {
			return
		}
		if failed {
			srv.Rebuilt("") // every page drops the diagnostics
		} else {
			srv.Changed(files)
		}
		failed, notified = false, true
	}
	// The edited pages reload as soon as they are on disk, before the
	// search index is updated; so do, during the second step, the pages
	// the edit can change and the site-wide pages that show it, which
	// then do not reload again when the step ends.
	var early *struct{ told map[string]bool } // of the second step in progress
	sess.OnPages = func(written, deleted []string) {
		mu.Lock()
		defer mu.Unlock()
		files := append(append([]string(nil), written...), deleted...)
		if srv != nil {
			tell(files)
		}
		if early != nil {
			for _, f := range files {
				early.told[f] = true
			}
		}
	}
	var finish func(gen int)
	rebuild := func(changed []string) {
		if changed == nil {
			sess.Touch(nil)
		} else {
			// The content files among them; the theme's are read again
			// on every rebuild.
			files := []string{}
			for _, p := range changed {
				if rel, err := filepath.Rel(cfg.Content, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
					files = append(files, rel)
				}
			}
			sess.Touch(files)
		}
		mu.Lock()
		generation++
		gen := generation
		notified = false
		mu.Unlock()
		start := time.Now()
		st, err := sess.Rebuild(ctx)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			msg := failureText(err)
			if _, merr := build.ReadManifest(cfg.Out); merr == nil {
				logger.Printf("build failed; still serving the previous build:\n%s", msg)
			} else {
				logger.Printf("build failed, and there is no previous build to serve; the pages show why:\n%s", msg)
			}
			failed, lastMsg = true, msg
			if srv != nil {
				srv.Rebuilt(msg)
			}
			return
		}
		fixed := "" // said of a build that succeeds after one that failed
		if failed {
			fixed = "fixed: "
		}
		switch {
		case st.Full && !st.Unchanged:
			logger.Printf("%srebuilt in full in %s (%s)", fixed, time.Since(start).Round(time.Millisecond), st.Reason)
		case st.Unchanged && failed:
			// A fix that brings the content back to the build being
			// served: say the errors are gone, which "nothing changed"
			// did not (found by the contributor's audit).
			logger.Printf("fixed: the build succeeds again, and the site served is already this content's (checked in %s); nothing written", time.Since(start).Round(time.Millisecond))
		case st.Unchanged:
			logger.Printf("nothing changed (checked in %s); nothing written", time.Since(start).Round(time.Millisecond))
		default:
			// A renamed or deleted entry's page goes now: say so, as the
			// site-wide step says what it deleted.
			removed := ""
			if n := len(st.Deleted); n > 0 {
				removed = fmt.Sprintf(", removed %d", n)
			}
			logger.Printf("%supdated %d pages of %d edited entries%s and %d search documents in %s (%s)",
				fixed, len(st.Written), st.Entries, removed, st.Docs, time.Since(start).Round(time.Millisecond), phaseList(st.Phases))
		}
		if srv != nil && !notified {
			switch {
			case failed || (st.Full && !st.Unchanged):
				srv.Rebuilt("")
			case len(st.Written)+len(st.Deleted) > 0:
				srv.Changed(append(st.Written, st.Deleted...))
			}
		}
		failed = false
		if st.Pending {
			go finish(gen)
		}
	}
	finish = func(gen int) {
		start := time.Now()
		mine := &struct{ told map[string]bool }{map[string]bool{}}
		mu.Lock()
		early = mine
		mu.Unlock()
		st, err := sess.Finish(ctx)
		mu.Lock()
		defer mu.Unlock()
		if early == mine {
			early = nil
		}
		told := mine.told
		if errors.Is(err, context.Canceled) {
			return // a newer edit's rebuild does this work
		}
		if err != nil {
			logger.Printf("bringing the site-wide pages up to date failed: %v", err)
			return
		}
		if st.Unchanged {
			return
		}
		logger.Printf("site-wide pages, downloads and static search up to date in %s: %d files written, %d deleted",
			time.Since(start).Round(time.Millisecond), len(st.Written), len(st.Deleted))
		var files []string
		for _, f := range append(st.Written, st.Deleted...) {
			if !told[f] {
				files = append(files, f)
			}
		}
		if gen == generation && srv != nil && len(files) > 0 {
			srv.Changed(files)
		}
	}

	// Watch first, then build: an edit saved while the first build runs
	// is rebuilt for once it is done, not lost until the next one.
	dirs := []string{cfg.Content}
	if cfg.Theme != "" {
		dirs = append(dirs, cfg.Theme)
	}
	watched := strings.Join(dirs, ", ")
	// A commit changes the entries' "last changed" dates without touching
	// a content file: the repository's reflogs say when one happened.
	if repo, err := gitrepo.Open(ctx, cfg.Content); err == nil {
		if logs, err := repo.LogsDir(ctx); err == nil {
			if st, err := os.Stat(logs); err == nil && st.IsDir() {
				dirs = append(dirs, logs)
				watched += " and the git history"
			}
		}
	}
	watching, built := make(chan struct{}), make(chan struct{})
	watchErr := make(chan error, 1)
	go func() {
		watchErr <- server.Watch(ctx, dirs, 80*time.Millisecond, rebuild, func() {
			close(watching)
			select {
			case <-built:
			case <-ctx.Done():
			}
		})
	}()
	select {
	case <-watching:
	case err := <-watchErr:
		return fmt.Errorf("cannot watch %s: %v", watched, err)
	}
	go func() {
		if err := <-watchErr; err != nil {
			logger.Printf("watching stopped: %v", err)
		}
	}()
	rebuild(nil)
	mu.Lock()
	srv = server.New(server.Config{Out: cfg.Out, Index: cfg.Index, BasePath: basePath(cfg.Out), Watch: true, Logger: logger, TrustedProxies: trusted})
	if firstIndex != nil {
		srv.SetIndex(firstIndex)
	} else if err := srv.SyncIndex(); err != nil {
		logger.Printf("search is unavailable until the index builds: %v", err)
	}
	if failed {
		srv.Rebuilt(lastMsg) // the first build failed: pages show why
	}
	mu.Unlock()
	close(built)
	defer srv.Close()
	// A dronekb build run beside this serve replaces the site and index:
	// the server then searches the new index, and the next edit rebuilds
	// in full.
	go server.Every(ctx, time.Second, func() { sess.Follow(func() { srv.SyncIndex() }) })
	defer sess.Stop()
	return listenAndServe(ctx, srv, cfg.Out, addr, stdout, "Watching "+watched+" for changes")
}

// browseAddr is the host and port to open in a browser for a server
// listening on a, and, for one listening on every address of the machine
// (--addr :1313, 0.0.0.0:1313), a note saying so: that address, written
// "[::]:1313", is none a browser opens, so the machine's own name is
// (localhost:1313, which a browser tries over IPv6 and IPv4 both: a host
// with IPv6 alone has no 127.0.0.1).
func browseAddr(a net.Addr) (hostPort, every string) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String(), ""
	}
	return net.JoinHostPort("localhost", strconv.Itoa(tcp.Port)), "on every address of this machine; "
}

// listenAndServe serves srv on addr until ctx ends.
func listenAndServe(ctx context.Context, srv *server.Server, out, addr string, stdout io.Writer, notes ...string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usagef("cannot listen on %s: %v", addr, err)
	}
	hs := srv.HTTPServer(ln.Addr().String())
	at, every := browseAddr(ln.Addr())
	fmt.Fprintf(stdout, "Serving %s on http://%s%s (%sCtrl-C to stop)\n", out, at, basePath(out), every)
	for _, n := range notes {
		fmt.Fprintln(stdout, n)
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(srv.Listener(ln)) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = hs.Shutdown(shutdown)
	_ = os.Stdout.Sync()
	return nil
}

// phaseList says how long each phase took: "load and check 120ms, …".
func phaseList(phases []build.Phase) string {
	parts := make([]string, len(phases))
	for i, p := range phases {
		parts[i] = p.Name + " " + p.Took.Round(time.Millisecond).String()
	}
	return strings.Join(parts, ", ")
}
