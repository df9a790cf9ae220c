package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestServeNamesTheFlagsItIgnores: serve on a built site serves it as it
// was built, so the build's flags given to it do nothing. It said nothing
// of them, and a publisher who passed --repo or --as-of saw pages without
// them and no reason why (found in review).
func TestServeNamesTheFlagsItIgnores(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "127.0.0.1:0", "--out", "site", "--index", "idx", "--trusted-proxies", "10.0.0.2"}, ""},
		{[]string{"--repo", "https://github.com/o/r"}, "warning: site holds a built site, which serve serves as it was built: --repo does nothing here; run dronekb build with it to rebuild it, and serve follows the new build"},
		{[]string{"--as-of", "2020-01-01", "--page-size", "10", "--content", "c"}, "warning: site holds a built site, which serve serves as it was built: --as-of, --content, --page-size do nothing here; run dronekb build with them to rebuild it, and serve follows the new build"},
	} {
		sf := newServeFlags(io.Discard)
		if err := sf.fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if got := ignoredFlags(sf.fs, "site"); got != c.want {
			t.Errorf("%v:\n got  %q\n want %q", c.args, got, c.want)
		}
	}
}

// TestWatchKeepsAPublishedBuild: serve --watch on a site built for
// publishing (an absolute --base-url, or a path other than /) refuses to
// replace it with a preview for / and leaves it as it was. It warned and
// replaced it, and a publisher who previewed before uploading published
// a site broken at its address (found in review).
func TestWatchKeepsAPublishedBuild(t *testing.T) {
	for _, base := range []string{"https://org.github.io/dronekb/", "https://kb.example.org/", "/dronekb/"} {
		t.Run(base, func(t *testing.T) {
			content, out, index := knowledgeBase(t, `
-- agencies/metro.md --
---
title: Metro Police
summary: A city police force.
country: US
kind: police
sources: [https://example.org/metro]
---
Metro [1].
`)
			if _, err := build.Run(context.Background(), build.Config{Content: content, Out: out, Index: index, BaseURL: base, AsOf: sitetest.AsOf}, build.SearchIndex); err != nil {
				t.Fatal(err)
			}
			before, err := os.ReadFile(filepath.Join(out, "agencies", "metro", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			// Without the refusal serve would run until the context ends.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stderr bytes.Buffer
			err = runServe(ctx, []string{"--watch", "--addr", "127.0.0.1:0", "--content", content, "--out", out, "--index", index}, io.Discard, &stderr)
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(ue.msg, "holds a site built for "+base) || !strings.Contains(ue.msg, "--out preview") {
				t.Fatalf("serve --watch on a site built for %s: %v (%s); want a refusal that names it and says how to preview", base, err, stderr.String())
			}
			after, err := os.ReadFile(filepath.Join(out, "agencies", "metro", "index.html"))
			if err != nil || !bytes.Equal(before, after) {
				t.Errorf("the site built for %s changed (%v)", base, err)
			}
		})
	}
}

// TestWatchLogsARenamedPage: serve --watch says what it removed when an
// entry is renamed, whose old page goes in the first step: the log said
// "23 files written, 0 deleted" while the old page was gone (found in
// review).
func TestWatchLogsARenamedPage(t *testing.T) {
	content, out, index := knowledgeBase(t, `
-- incidents/launch.md --
---
title: A launch
date: 2024-05-01
sources: [https://example.org/launch]
---
A launch [1].
`)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stderr sitetest.Log
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--watch", "--addr", "127.0.0.1:0", "--content", content, "--out", out, "--index", index}, io.Discard, &stderr)
	}()
	wait := func(what string, ok func(string) bool) {
		t.Helper()
		for !ok(stderr.String()) {
			select {
			case err := <-done:
				t.Fatalf("serve stopped before %s: %v\n%s", what, err, stderr.String())
			case <-ctx.Done():
				t.Fatalf("no %s in 60 s:\n%s", what, stderr.String())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	wait("first build", func(s string) bool { return strings.Contains(s, "built in") })
	if _, err := os.Stat(filepath.Join(out, "incidents", "launch", "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(content, "incidents", "launch.md"), filepath.Join(content, "incidents", "first-launch.md")); err != nil {
		t.Fatal(err)
	}
	wait("rebuild", func(s string) bool { return strings.Contains(s, "up to date in") })
	if _, err := os.Stat(filepath.Join(out, "incidents", "launch", "index.html")); !os.IsNotExist(err) {
		t.Errorf("the renamed entry's old page is still there (%v)", err)
	}
	log := stderr.String()
	if !strings.Contains(log, "edited entries, removed 1 and") && !regexp.MustCompile(`files written, [1-9]\d* deleted`).MatchString(log) {
		t.Errorf("the log does not say a page was removed:\n%s", log)
	}
	cancel()
	<-done
}

// knowledgeBase writes the txtar archive as a content folder in a new
// temporary directory, and returns it with the public/ and index/ beside it.
func knowledgeBase(t *testing.T, archive string) (content, out, index string) {
	t.Helper()
	dir := t.TempDir()
	content, out, index = filepath.Join(dir, "content"), filepath.Join(dir, "public"), filepath.Join(dir, "index")
	sitetest.WriteContent(t, content, sitetest.Content(t, archive))
	return content, out, index
}
