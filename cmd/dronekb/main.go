// Command dronekb compiles a knowledge base of markdown entries about
// government drone use — agencies, vendors, laws and incidents — into a
// cross-linked static site and a search index, and tracks which agencies
// still fly hardware that a law restricts.
//
// Usage:
//
//	dronekb build   [--content DIR] [--theme DIR] [--out DIR] [--index DIR] [--base-url URL] [--as-of DATE]
//	                [--repo URL [--branch B]] [--page-size N] [--quiet] [-v]
//	                [--cpuprofile FILE] [--memprofile FILE] [--peakprofile FILE]
//	dronekb serve   [--addr 127.0.0.1:1313] [--watch] [--trusted-proxies ADDRS] [--out DIR] [--index DIR]
//	                [--content DIR] [--theme DIR] [--as-of DATE] [--repo URL [--branch B]] [--page-size N]
//	dronekb check   [--format text|json|github] [--strict] [--as-of DATE] [--content DIR | DIR]
//	dronekb tracker [--as-of DATE] [--format table|csv|json] [--status S] [--base-url URL] [--content DIR]
//	dronekb search  [--index DIR] [--content DIR] [--type T] [--country C] [--vendor V] [--status S] [--tag T] [--restricted]
//	                [--since DATE] [--until DATE] [--sort relevance|date|-date|title] [--limit N] [--from N] [--format table|csv|json | --json] [QUERY]
//	dronekb diff    [--format markdown|json] [--as-of DATE] [--content DIR] [A [B]]
//	dronekb new     TYPE SLUG [--title "…"] [--force] [--content DIR] [--base-url URL]
//	dronekb schema  [--out DIR] [--base-url URL] [--format json|markdown] [TYPE]
//	dronekb version
//
// Each command's -h names its flags and says what they do.
//
// Exit status: 0 success, 1 the content or the query has problems, 2 bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
)

func main() {
	ctx, stop := interruptible(stopGrace)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// interruptible returns the context a command runs in, cancelled at Ctrl-C
// or SIGTERM; a command that has not returned grace after that is ended
// (exitIfStuck).
func interruptible(grace time.Duration) (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go exitIfStuck(ctx, grace)
	return ctx, stop
}

// stopGrace is how long a command has, once interrupted (Ctrl-C, or
// SIGTERM from a CI job's timeout), to stop on its own: serve finishes the
// requests it is answering, a build stops between its phases. Not every
// step looks at the interruption (loading and checking the entries does
// not), and a command that has not stopped by then is ended.
const stopGrace = 10 * time.Second

// exitIfStuck ends the process, with status 130, grace after the first
// interruption or at once on a second, unless the command returned first.
// A build ended so leaves the previous site and index as they were
// (build.Exit).
func exitIfStuck(ctx context.Context, grace time.Duration) {
	<-ctx.Done()
	again := make(chan os.Signal, 1)
	signal.Notify(again, os.Interrupt, syscall.SIGTERM)
	select {
	case <-again:
	case <-time.After(grace):
	}
	fmt.Fprintln(os.Stderr, "dronekb: interrupted, and ended before it could stop on its own")
	build.Exit(130)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = []command{
	{"build", "build the site into public/ and the search index into index/", runBuild},
	{"serve", "serve the built site and the search API; --watch rebuilds on change", runServe},
	{"check", "check every entry and reference; report problems as file:line:col", runCheck},
	{"tracker", "show which agencies fly restricted hardware on a date", runTracker},
	{"search", "query the search index from the terminal", runSearch},
	{"diff", "tell what a change does to the knowledge base: tracker statuses, entries, fields, sources", runDiff},
	{"new", "start a new entry from a template", runNew},
	{"schema", "print the JSON Schema of an entry type's front matter, for editors", runSchema},
	{"version", "print the version", runVersion},
}

// usageError is bad usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// problemError means the content or the query has problems: exit status 1,
// already reported.
var errProblems = errors.New("problems reported")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 2 && args[0] == "help" {
		fmt.Fprintf(stderr, "dronekb help: takes at most one command, got %d arguments\n", len(args)-1)
		printUsage(stderr)
		return 2
	}
	if len(args) == 2 && args[0] == "help" {
		// "dronekb help build" is "dronekb build -h".
		args = []string{args[1], "-h"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		var ue *usageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "dronekb %s: %s\nRun 'dronekb %s -h' for usage.\n", c.name, ue.msg, c.name)
			return 2
		case errors.Is(err, errProblems):
			return 1
		default:
			fmt.Fprintf(stderr, "dronekb %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "dronekb: unknown command %q\n", args[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "dronekb: a sourced knowledge base of government drone use, and who still flies restricted hardware")
	fmt.Fprintln(w, "\nUsage: dronekb <command> [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'dronekb <command> -h' for a command's flags.")
}

// newFlags returns a flag set that reports errors instead of exiting.
// usage is what follows "dronekb name" in -h: a synopsis that names
// every flag, its lines broken with \n (each is indented under the
// first), then, after a blank line, any more to say.
func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		head := "Usage: dronekb " + name
		synopsis, more, _ := strings.Cut(usage, "\n\n")
		if synopsis != "" {
			synopsis = " " + strings.ReplaceAll(synopsis, "\n", "\n"+strings.Repeat(" ", len(head)+1))
		}
		if more != "" {
			more = "\n\n" + more
		}
		fmt.Fprintf(stderr, "%s%s%s\n", head, synopsis, more)
		flags := 0
		fs.VisitAll(func(*flag.Flag) { flags++ })
		if flags > 0 {
			fmt.Fprintf(stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args, allowing flags after positional arguments
// ("dronekb search drones --country FR").
func parseFlags(fs *flag.FlagSet, args []string) (pos []string, err error) {
	defer func() {
		if err == nil {
			err = refuseEmpty(fs)
		}
	}()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			// The flag package stopped at a "--" and dropped it: the rest
			// are arguments, however they look.
			return append(pos, rest...), nil
		}
		args = rest
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// refuseEmpty refuses a date or a status given as nothing (--as-of ""):
// left out, the flag means today or every status, and a script passing an
// empty variable got those without a word (found in review).
func refuseEmpty(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		if err == nil && f.Value.String() == "" {
			switch f.Name {
			case "as-of":
				err = usagef("--as-of is empty: give a day (2025-06-01), a month or a year, or leave the flag out for today")
			case "status":
				err = usagef("--status is empty: give one or more statuses, or leave the flag out for all of them")
			}
		}
	})
	return err
}

// parseNoArgs parses the flags of a command that takes no arguments.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("takes no arguments, got %q", pos[0])
	}
	return nil
}

// asOfDate resolves the tracker's date: the flag, else SOURCE_DATE_EPOCH,
// else today (UTC).
func asOfDate(flagValue string) (kb.Date, error) {
	if flagValue != "" {
		d, err := kb.ParseDate(flagValue)
		if err != nil {
			return kb.Date{}, usagef("--as-of: %v", err)
		}
		// A partial date is judged on its first day (as every partial
		// date compares), and said so: "2025-12" in a download's as_of
		// column, typed a date, read as December and was the 1st.
		d.Month, d.Day = max(d.Month, 1), max(d.Day, 1)
		return d, nil
	}
	if t, ok, err := sourceDateEpoch(); err != nil {
		return kb.Date{}, err
	} else if ok {
		return kb.DateOf(t), nil
	}
	return kb.DateOf(time.Now()), nil
}

// noteFuture says on stderr when --as-of names a day after today: the
// tracker on that day counts only what the sources say up to today, so
// evidence ages as if nothing newer were to come, and a slip of the year
// (2062 for 2026) would otherwise pass unnoticed (found in review).
func noteFuture(stderr io.Writer, flagValue string, asOf kb.Date) {
	if flagValue == "" {
		return
	}
	today, err := asOfDate("")
	if err != nil || !today.Before(asOf) {
		return
	}
	fmt.Fprintf(stderr, "note: --as-of %s is after today (%s): statuses on that day are judged from the sources up to today, as if no newer source were to come\n", asOf, today)
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH (reproducible-builds.org): the
// time a build should pretend it is, in seconds since 1970.
func sourceDateEpoch() (time.Time, bool, error) {
	v := strings.TrimSpace(os.Getenv("SOURCE_DATE_EPOCH"))
	if v == "" {
		return time.Time{}, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 253402300799 {
		return time.Time{}, false, usagef("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970", v)
	}
	return time.Unix(n, 0).UTC(), true, nil
}

// tuneGC says whether dronekb may tune the collector: unless the user
// did, with GOGC or GOMEMLIMIT.
func tuneGC() bool {
	return os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == ""
}

// loadContent loads and checks the knowledge base in dir; with content
// errors it prints them and returns errProblems.
func loadContent(dir string, asOf kb.Date, stderr io.Writer) (*kb.KB, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usagef("content directory %q not found; run dronekb in a folder that has content/, or pass --content DIR", dir)
	}
	k := build.Load(os.DirFS(dir), kb.Options{Dir: dir, AsOf: asOf}, tuneGC())
	if n := k.Diagnostics.Errors(false); n > 0 {
		for _, d := range k.Diagnostics {
			if d.Severity == kb.SevError {
				fmt.Fprintln(stderr, d)
			}
		}
		fmt.Fprintf(stderr, "%d content error%s; run '%s' for details and warnings\n", n, plural(n), checkCommand(dir))
		return nil, errProblems
	}
	return k, nil
}

// checkCommand is the command that checks the content in dir, for a
// message to name: dronekb check, or, for another folder than content,
// dronekb check DIR (quoted for a shell when it needs to be), with the
// flags given before the folder.
func checkCommand(dir string, flags ...string) string {
	words := append([]string{"dronekb check"}, flags...)
	if filepath.Clean(dir) != "content" {
		words = append(words, shellQuote(dir))
	}
	return strings.Join(words, " ")
}

// shellQuote is s as a shell word, quoted when it needs to be.
func shellQuote(s string) string {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool {
		return !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+,", r)
	}) {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
