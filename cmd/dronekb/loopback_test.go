package main

import "testing"

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
