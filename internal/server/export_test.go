package server

import (
	"context"
	"net/http"
	"net/netip"
	"strings"

	"github.com/dronekb/dronekb/internal/search"
)

// HoldSearch counts a search as running until end is called, as if a
// visitor's search were in progress: the server is then not idle.
func (s *Server) HoldSearch() (end func()) {
	r := s.running.start()
	return func() { s.running.end(r) }
}

// HoldCostlySlots takes every costly slot until release is called.
func (s *Server) HoldCostlySlots() (release func()) {
	for range cap(s.costly.slots) {
		if _, err := s.costly.acquire(context.Background(), 0); err != nil {
			panic(err)
		}
	}
	return func() {
		for range cap(s.costly.slots) {
			s.costly.release()
		}
	}
}

// CostlyWaiting is how many costly searches wait for a slot.
func (s *Server) CostlyWaiting() int { return int(s.costly.waiting.Load()) }

// Refused is how many searches were refused without waiting.
func (s *Server) Refused() int { return int(s.refused.Load()) }

// ClientAddr is the address the per-client limits count a request as.
func ClientAddr(r *http.Request, trusted []netip.Prefix) string { return clientAddr(r, trusted) }

// ClientGroup is what the per-address limits count a client by.
func ClientGroup(addr string) string { return clientGroup(addr) }

// DigestsTaken is how many files the server has read to make their ETags.
func (s *Server) DigestsTaken() int64 { return s.tags.taken.Load() }

// PanicOn makes every search whose query starts with prefix panic where
// it runs, as a bug in the search would.
func (s *Server) PanicOn(prefix string) {
	s.beforeSearch = func(req search.Request) {
		if strings.HasPrefix(req.Q, prefix) {
			panic("a search that panics: " + req.Q)
		}
	}
}
