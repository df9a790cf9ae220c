package main

import (
	"net"
	"strconv"
	"testing"
)

// TestLoopback: serve --watch warns unless it listens on this machine alone.
func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:1313": true, "localhost:1313": true, "[::1]:1313": true, "127.0.0.2:0": true,
		":1313": false, "0.0.0.0:1313": false, "10.0.0.5:1313": false, "[::]:1313": false, "example.org:80": false, "nonsense": false,
	} {
		if got := loopback(addr); got != want {
			t.Errorf("loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestBrowseAddr: serve names an address a browser opens. Listening on
// every address of the machine, Go writes the listener's address
// "[::]:1313", which no browser opens; serve names localhost and says it
// listens on every address.
func TestBrowseAddr(t *testing.T) {
	for _, c := range []struct {
		listen         string
		want           string
		everyAddresses bool
	}{
		{"127.0.0.1:0", "127.0.0.1:", false},
		{"[::1]:0", "[::1]:", false},
		{":0", "localhost:", true},
		{"0.0.0.0:0", "localhost:", true},
	} {
		ln, err := net.Listen("tcp", c.listen)
		if err != nil {
			t.Logf("%s: %v (this machine cannot listen there)", c.listen, err)
			continue
		}
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		got, every := browseAddr(ln.Addr())
		ln.Close()
		if got != c.want+port || (every != "") != c.everyAddresses {
			t.Errorf("listening on %s (%s): browse %q, %q; want %q, a note of every address %v", c.listen, ln.Addr(), got, every, c.want+port, c.everyAddresses)
		}
	}
}
