package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[--addr 127.0.0.1:1313] [--out DIR] [--index DIR] [--watch]", stderr)
	var bf buildFlags
	bf.register(fs, false)
	addr := fs.String("addr", "127.0.0.1:1313", "`address` to listen on (host:port; port 0 picks a free one)")
	watch := fs.Bool("watch", false, "rebuild when content or theme change, and reload open pages")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	cfg, err := bf.config()
	if err != nil {
		return err
	}
	cfg.BaseURL = "/"
	// A rebuild whose inputs are those of the build in place writes
	// nothing, and a rebuild decodes only the files that changed.
	cfg.SkipUnchanged = true
	cfg.LoadCache = kb.NewCache()
	logger := log.New(stderr, "", log.LstdFlags)
	defer func() {
		// Let the last rebuild finish deleting the tree it replaced.
		if err := build.Wait(); err != nil {
			logger.Printf("warning: %v", err)
		}
	}()

	// unchanged is set when the last rebuild found nothing to do.
	var unchanged bool
	rebuild := func() string {
		start := time.Now()
		res, err := build.Run(ctx, cfg, build.SearchIndex)
		unchanged = err == nil && res.Unchanged
		if unchanged {
			logger.Printf("nothing changed (checked in %s); nothing written", time.Since(start).Round(time.Millisecond))
			return ""
		}
		if err == nil {
			logger.Printf("rebuilt in %s", time.Since(start).Round(time.Millisecond))
			return ""
		}
		var diags kb.Diagnostics
		var msg string
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
			msg = strings.Join(lines, "\n")
		} else {
			msg = err.Error()
		}
		logger.Printf("build failed; still serving the previous build:\n%s", msg)
		return msg
	}

	// Build first with --watch, when nothing was built yet, or when the
	// site and the index were not made by one build (an interrupted one).
	_, pairErr := build.Pair(cfg.Out, cfg.Index)
	_, indexErr := search.ReadMeta(cfg.Index)
	var failure string
	if *watch || pairErr != nil || indexErr != nil {
		if err := requireDir(cfg.Content); err != nil {
			return err
		}
		failure = rebuild()
		if failure != "" && !*watch {
			fmt.Fprintln(stderr, failure)
			return errProblems
		}
	}
	base := "/"
	if m, err := build.ReadManifest(cfg.Out); err == nil && m.BasePath != "" {
		base = m.BasePath
	}
	srv := server.New(server.Config{Out: cfg.Out, Index: cfg.Index, BasePath: base, Watch: *watch, Logger: logger})
	defer srv.Close()
	if err := srv.SyncIndex(); err != nil {
		logger.Printf("search is unavailable until the index builds: %v", err)
	}
	// Each new build's index is searched as soon as it is swapped in, by
	// this serve's rebuilds or by a dronekb build run beside it.
	go srv.Follow(ctx, time.Second)
	if failure != "" {
		srv.Rebuilt(failure)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("cannot listen on %s: %v", *addr, err)
	}
	hs := srv.HTTPServer(ln.Addr().String())
	fmt.Fprintf(stdout, "Serving %s on http://%s%s (Ctrl-C to stop)\n", cfg.Out, ln.Addr(), base)

	if *watch {
		dirs := []string{cfg.Content}
		if cfg.Theme != "" {
			dirs = append(dirs, cfg.Theme)
		}
		go func() {
			failed := failure != ""
			err := server.Watch(ctx, dirs, 80*time.Millisecond, func() {
				msg := rebuild()
				if unchanged && !failed {
					return // the pages shown are the pages there are
				}
				failed = msg != ""
				if msg == "" {
					if err := srv.SyncIndex(); err != nil {
						msg = err.Error()
					}
				}
				srv.Rebuilt(msg)
			})
			if err != nil {
				logger.Printf("watching stopped: %v", err)
			}
		}()
		fmt.Fprintf(stdout, "Watching %s for changes\n", strings.Join(dirs, ", "))
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
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
