package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/dronekb/dronekb/internal/kb"
)

// TestMain makes the test binary double as the dronekb command, so that
// scripts run it as a real process: its exit status and output are what a
// user or CI sees.
func TestMain(m *testing.M) {
	if os.Getenv("DRONEKB_TEST_STUCK") != "" {
		stuck()
	}
	testscript.Main(m, map[string]func(){
		"dronekb": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/script/*.txtar. Each starts in a fresh
// directory holding the archive's files, with SOURCE_DATE_EPOCH set to
// 2024-06-01 so that "today" is the same on every run.
//
// Besides testscript's own commands, a script may use
//
//	status N command [args...]
//
// which runs the command like exec and fails unless its exit status is N.
// go test -run TestScripts -update rewrites the files that cmp compares
// stdout with, from what the command printed; read the diff before keeping it.
var update = flag.Bool("update", false, "rewrite the expected outputs of the scripts")

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("SOURCE_DATE_EPOCH", "1717200000") // 2024-06-01T00:00:00Z
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: status N command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("status: %q is not a number", args[0])
				}
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("status: %v", err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("%s exited with status %d; want %d", args[1], got, want)
				}
			},
		},
	})
}

// TestUsageNamesEveryFlag: each command's -h starts with a synopsis that
// names every flag its list below gives. Search's left out --format,
// --sort, --tag, --status, --from and --content; serve's --as-of, --repo,
// --theme, --page-size and --trusted-proxies; build's --as-of, --quiet,
// -v and the profiles.
func TestUsageNamesEveryFlag(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			var stderr strings.Builder
			if code := run(context.Background(), []string{c.name, "-h"}, io.Discard, &stderr); code != 0 {
				t.Fatalf("dronekb %s -h exited %d: %s", c.name, code, stderr.String())
			}
			help := stderr.String()
			synopsis, _, _ := strings.Cut(help, "\n\n")
			if !strings.HasPrefix(synopsis, "Usage: dronekb "+c.name) {
				t.Fatalf("-h does not start with the usage line:\n%s", help)
			}
			_, flags, _ := strings.Cut(help, "\nFlags:\n")
			for _, line := range strings.Split(flags, "\n") {
				name, ok := strings.CutPrefix(line, "  -")
				if !ok {
					continue // a flag's description
				}
				name = strings.Fields(name)[0] // "-v\tdoes…" for a one-letter one
				named := regexp.MustCompile(`(^|[\s\[|])--?` + regexp.QuoteMeta(name) + `([\s\]|=]|$)`)
				if !named.MatchString(synopsis) {
					t.Errorf("the usage line does not name -%s:\n%s", name, synopsis)
				}
			}
		})
	}
}

func TestGithubAnnotationEscapes(t *testing.T) {
	// A message or file name from untrusted content must not end the
	// annotation early or start a new workflow command on a new line.
	got := githubAnnotation(kb.Diagnostic{File: "content/a,b:c.md", Line: 3, Severity: kb.SevError,
		Code: kb.CodeRefNotFound, Message: "100% wrong\n::error::injected"}, "error")
	want := "::error file=content/a%2Cb%3Ac.md,line=3,col=1,title=REF_NOT_FOUND::100%25 wrong%0A::error::injected"
	if got != want {
		t.Errorf("annotation\n%s\nwant\n%s", got, want)
	}
}

// stuck is a command that never returns on its own, as a build stuck in a
// step that does not look at the interruption would: TestInterruptEnds
// runs the test binary as one, with main's handling of signals.
func stuck() {
	grace, _ := time.ParseDuration(os.Getenv("DRONEKB_TEST_STUCK"))
	interruptible(grace)
	fmt.Println("ready")
	select {}
}

// TestInterruptEnds interrupts a command that does not stop: SIGTERM (what
// a CI job's timeout sends) ends it once the grace has passed, and a second
// Ctrl-C at once, with status 130 and a message saying so.
func TestInterruptEnds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		grace  string
		signal os.Signal
		again  bool // send it again until the command ends
	}{
		{"SIGTERM, then the grace", "300ms", syscall.SIGTERM, false},
		{"Ctrl-C twice", "1h", os.Interrupt, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "DRONEKB_TEST_STUCK="+tc.grace)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			if err := cmd.Process.Signal(tc.signal); err != nil {
				t.Fatal(err)
			}
			// A second signal sent before the first is handled is lost
			// with it, so the second Ctrl-C is sent until one lands.
			var again <-chan time.Time
			if tc.again {
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				again = tick.C
			}
			timeout := time.After(time.Minute)
		wait:
			for {
				select {
				case err = <-done:
					break wait
				case <-again:
					cmd.Process.Signal(tc.signal)
				case <-timeout:
					cmd.Process.Kill()
					t.Fatal("the command was still running a minute after it was interrupted")
				}
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("exited with %v; want status 130", err)
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr %q does not say it was interrupted", stderr.String())
			}
		})
	}
}
