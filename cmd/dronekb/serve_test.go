package main

import (
	"io"
	"testing"
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
