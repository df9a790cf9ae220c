// Package server serves a built site and its search API over HTTP: the
// files in public/, GET /api/search over the bleve index, and, for
// `serve --watch`, a live-reload channel that also shows a failed build's
// diagnostics in the page.
//
// It is meant to face the public internet: every connection has time
// limits, only GET and HEAD are answered, there are no directory listings,
// dotfiles and symlinks are never served, nothing outside the output
// directory is reachable, and search requests are bounded in size, cost
// and concurrency.
package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
)

// Limits of the HTTP service.
const (
	searchTimeout     = 2 * time.Second
	maxQueryString    = 4096
	maxHeaderBytes    = 16 << 10
	busyWait          = time.Second
	searchSlotsPerCPU = 2 // cheap searches at once
	costlyWaiting     = 4 // costly searches that may wait for a slot, per slot
	costlyPerAddress  = 2 // costly searches one address may have running or waiting
	cheapPerAddress   = 16
)

// Config says what to serve.
type Config struct {
	Out      string // the built site
	Index    string // its search index (see SyncIndex)
	BasePath string // the path the site was built for, "/" or "/dronekb/"
	Watch    bool   // inject the live-reload script into pages
	Logger   *log.Logger
	// SearchSlots bounds the cheap searches running at once (default 2
	// per CPU), CostlySlots the costly ones (default 1 per 2 CPUs, at
	// least 1); see admit.go.
	SearchSlots, CostlySlots int
	// CheapCost is the highest search.Cost of a cheap search (default
	// search.CheapCost).
	CheapCost int
	// CheapPerAddress and CostlyPerAddress bound the searches of each
	// kind that one client address may have running or waiting (default
	// 16 and 2).
	CheapPerAddress, CostlyPerAddress int
	// SearchTimeout is how long one search may run (default 2 s).
	SearchTimeout time.Duration
	// ReloadStreams bounds the live-reload streams open at once (default
	// 64); ReloadLifetime is how long one stays open before the page's
	// EventSource reconnects (default 10 minutes).
	ReloadStreams  int
	ReloadLifetime time.Duration
	// TrustedProxies are the proxies (a load balancer in front of
	// replicas) whose X-Forwarded-For names the client a request comes
	// from, for the per-address limits (clientAddr).
	TrustedProxies []netip.Prefix
	// WriteIdle is how long a response may take to write (default 30
	// s). A file's response gets that beside the time its bytes take at
	// 16 kB/s, and runs on while they keep flowing (flowing), as nginx's
	// send_timeout lets it: a reader on a slow line gets the whole of
	// kb.json.
	WriteIdle time.Duration
}

// Server is the http.Handler for a built site.
type Server struct {
	cfg      Config
	base     atomic.Pointer[string] // the path the site is served under (basePath)
	baseURL  atomic.Pointer[string] // the absolute address the site was built for, if any (its manifest's)
	index    atomic.Pointer[served]
	tags     fileTags
	buildErr atomic.Pointer[string]
	cheap    *pool
	costly   *pool
	low      *lowWorkers // run the costly searches
	clients  clients
	running  running
	refused  atomic.Int64 // searches refused without waiting
	follow   follower
	noIndex  atomic.Pointer[noIndexError]
	reload   *broker
	log      *log.Logger
	// beforeSearch, if set, runs where each search runs, before it (on
	// a costly search's worker): the tests make a search panic with it.
	beforeSearch func(search.Request)
}

// New returns a server for cfg. Give it an index with SetIndex, or let it
// open the one in Config.Index with SyncIndex and Follow.
func New(cfg Config) *Server {
	base := cfg.BasePath
	if !ValidBasePath(base) {
		base = "/"
	}
	if cfg.SearchSlots <= 0 {
		cfg.SearchSlots = searchSlotsPerCPU * max(1, numCPU())
	}
	if cfg.SearchTimeout <= 0 {
		cfg.SearchTimeout = searchTimeout
	}
	if cfg.CostlySlots <= 0 {
		cfg.CostlySlots = max(1, numCPU()/2)
	}
	if cfg.CheapCost <= 0 {
		cfg.CheapCost = search.CheapCost
	}
	if cfg.CheapPerAddress <= 0 {
		cfg.CheapPerAddress = cheapPerAddress
	}
	if cfg.CostlyPerAddress <= 0 {
		cfg.CostlyPerAddress = costlyPerAddress
	}
	lg := cfg.Logger
	if lg == nil {
		lg = log.New(io.Discard, "", 0)
	}
	if cfg.ReloadStreams <= 0 {
		cfg.ReloadStreams = 64
	}
	if cfg.ReloadLifetime <= 0 {
		cfg.ReloadLifetime = 10 * time.Minute
	}
	srv := &Server{cfg: cfg, log: lg,
		cheap:  newPool(cfg.SearchSlots, 0, cfg.CheapPerAddress),
		costly: newPool(cfg.CostlySlots, costlyWaiting*cfg.CostlySlots, cfg.CostlyPerAddress),
		low:    newLowWorkers(cfg.CostlySlots),
		reload: newBroker(cfg.ReloadStreams, cfg.ReloadLifetime)}
	srv.base.Store(&base)
	// The dronekb answering, for the search answers' ETags: read now, not
	// on the first search, and before anyone installs another over it.
	build.BinaryDigest()
	return srv
}

// basePath is the path the site is served under: Config.BasePath, then
// the base path of each build swapped in since (SyncIndex), so that a
// rebuild for another --base-url is served where its links point.
func (s *Server) basePath() string { return *s.base.Load() }

// pathBase is the base path as a request's decoded path (r.URL.Path)
// starts with it: "/drone kb/" where the site's links, and basePath, have
// "/drone%20kb/". A build writes the base path escaped; compared as it is
// with decoded paths, no page under such a base was found (found in
// review).
func (s *Server) pathBase() string {
	base := s.basePath()
	if p, err := url.PathUnescape(base); err == nil {
		return p
	}
	return base
}

// SetIndex swaps in a (re)built index and closes the previous one once its
// searches finish. Requests never see a closed index: a search that raced
// the swap is retried on the new one.
func (s *Server) SetIndex(idx *search.Index) {
	s.setIndex(idx, "")
}

// served is the index searched, and the build ID its manifest names ("" if
// the index may change in place, as serve --watch's does): the answers'
// ETags are made from it (searchTag).
type served struct {
	idx     *search.Index
	buildID string
}

// setIndex swaps in idx, made by the build buildID, as SetIndex does.
func (s *Server) setIndex(idx *search.Index, buildID string) {
	if old := s.index.Swap(&served{idx: idx, buildID: buildID}); old != nil {
		go old.idx.Close()
	}
}

// Close releases the index, ends the live-reload streams and the workers
// of costly searches.
func (s *Server) Close() {
	s.reload.close()
	s.low.close()
	if old := s.index.Swap(nil); old != nil {
		old.idx.Close()
	}
}

// Rebuilt tells open pages that a build finished: they reload, and a
// failed build (msg != "") shows its diagnostics instead.
func (s *Server) Rebuilt(msg string) {
	if msg == "" {
		s.buildErr.Store(nil)
		s.reload.send("reload", "ok")
		return
	}
	s.buildErr.Store(&msg)
	s.reload.send("failed", msg)
}

// maxChanged is the most changed files a reload event lists; past it,
// every open page reloads.
const maxChanged = 2000

// Changed tells open pages that files of the site changed (slash paths
// relative to the site root, as site.Changes gives them): the pages among
// them reload, and a page showing a failed build's diagnostics reloads
// whatever changed. Pages that did not change stay as they are.
func (s *Server) Changed(files []string) {
	s.buildErr.Store(nil)
	if len(files) > maxChanged {
		s.reload.send("reload", "ok")
		return
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		p := s.basePath() + f
		if dir, ok := strings.CutSuffix(p, "index.html"); ok {
			p = dir
		}
		paths = append(paths, p)
	}
	data, _ := json.Marshal(paths)
	s.reload.send("reload", string(data))
}

// ReleaseIndex stops searching the index and closes it, waiting for the
// searches in flight: serve --watch opens it for writing next.
func (s *Server) ReleaseIndex() {
	s.noIndex.Store(&noIndexError{"the search index is being rebuilt; try again in a moment"})
	if old := s.index.Swap(nil); old != nil {
		old.idx.Close()
	}
}

// HTTPServer returns an http.Server for addr with time limits on every
// phase of a connection. The live-reload stream lifts its own write limit.
func (s *Server) HTTPServer(addr string) *http.Server {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      s.writeIdle(),
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          s.log,
	}
	srv.RegisterOnShutdown(s.reload.close)
	return srv
}

// ServeHTTP routes a request under the base path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" && s.openToOtherSites(r.URL.Path) {
		preflight(w)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		s.fail(w, r, http.StatusMethodNotAllowed, "only GET and HEAD are supported")
		return
	}
	p, base := r.URL.Path, s.pathBase()
	if !strings.HasPrefix(p, base) {
		if p+"/" == base || p == "/" {
			http.Redirect(w, r, s.basePath(), http.StatusFound)
			return
		}
		if p == "/robots.txt" {
			// Crawlers ask a host's root for robots.txt, never a base
			// path's; serve answers for the whole host, so the site's
			// is the host's, with the address of its sitemap. It was a
			// 404 (found in review).
			s.serveFile(w, r, "robots.txt")
			return
		}
		s.notFound(w, r)
		return
	}
	rel := strings.TrimPrefix(p, base)
	switch {
	case rel == "api/search" || rel == "api/search/":
		// With its slash too: the other address of the API would
		// otherwise be the note the build leaves there for static hosts.
		s.serveSearch(w, r)
	case rel == "api" || strings.HasPrefix(rel, "api/"):
		// The API's other addresses answer as the API does, in JSON,
		// not with the site's 404 page.
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		s.jsonError(w, http.StatusNotFound, "no such address: the search API is at "+base+"api/search")
	case s.cfg.Watch && rel == "_dronekb/reload.js":
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, reloadJS)
	case s.cfg.Watch && rel == "_dronekb/events":
		s.reload.serve(w, r, s.buildErr.Load())
	case rel == "search/" && s.serveSearchPage(w, r):
		// answered with the search's results, for readers without
		// JavaScript
	default:
		s.serveFile(w, r, rel)
	}
}

// openToOtherSites reports whether pages of other sites may read what the
// request's path answers: the search API and the downloads, which are
// public data a notebook or another site's page may fetch.
// The path is read cleaned, as serveFile reads it; the data page itself
// (data/index.html) is a page, not data.
func (s *Server) openToOtherSites(p string) bool {
	clean := path.Clean(p)
	rel, ok := strings.CutPrefix(clean, s.pathBase())
	if !ok {
		return false
	}
	if rel == "api/search" {
		return true
	}
	return (strings.HasPrefix(rel, "data/") || strings.HasPrefix(rel, "schema/")) && path.Base(rel) != "index.html"
}

// allowOtherSites lets pages of other sites read the answer, and its
// validator, with which they can ask again conditionally.
func allowOtherSites(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Retry-After")
}

// preflight answers a browser asking whether a page of another site may
// send a request: a GET or HEAD, with a validator (If-None-Match and
// If-Modified-Since are not among the headers browsers send without
// asking). Nothing else is allowed.
func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, HEAD")
	h.Set("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD")
	w.WriteHeader(http.StatusNoContent)
}

// statusFor maps errors to HTTP statuses, in one place.
func statusFor(err error) int {
	var qe *search.QueryError
	switch {
	case errors.As(err, &qe):
		return http.StatusBadRequest
	case errors.Is(err, errBusy), errors.Is(err, errNoIndex), errors.Is(err, errOverloaded), errors.Is(err, errTooMany):
		return http.StatusServiceUnavailable
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

var (
	errSymlink    = errors.New("symbolic links are not served")
	errBusy       = errors.New("the search service is busy; try again in a moment")
	errOverloaded = errors.New("the search service was too busy to finish this search; try again in a moment")
	errTooMany    = errors.New("too many searches from your address are running; wait for them to finish")
	errQueueFull  = fmt.Errorf("%w (too many costly searches are waiting)", errBusy)
	errNoIndex    = errors.New("the search index is missing: not built yet, or removed; search comes back once dronekb build has made it")
)

func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	allowOtherSites(h)
	if err := queryTooLong(len(r.URL.RawQuery)); err != nil {
		s.jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		s.jsonError(w, http.StatusBadRequest, "the query string is malformed: "+err.Error())
		return
	}
	format, err := answerFormat(values)
	if err != nil {
		s.jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	req, err := search.ParseParams(values)
	if err != nil {
		s.jsonError(w, statusFor(err), withFormat(withCountryCode(err, values)).Error())
		return
	}
	// A client (or a CDN) holding this build's answer to this query
	// gets a 304 without a search.
	if cur := s.index.Load(); cur != nil {
		if tag := searchTag(cur.buildID, s.builtFor(), r.URL.RawQuery); noneMatch(r.Header.Get("If-None-Match"), tag) {
			h.Set("ETag", tag)
			h.Set("Cache-Control", "no-cache")
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	var res *search.Response
	var buildID string
	var buf bytes.Buffer
	if format == "csv" {
		// An empty size or from is no size or from, as ParseParams reads
		// it: size= was the first page alone.
		buildID, err = s.searchCSV(r, req, values.Get("size") == "" && values.Get("from") == "", &buf)
	} else {
		res, buildID, err = s.admitAndSearch(r, req)
	}
	if err != nil {
		code := statusFor(err)
		if code == http.StatusInternalServerError {
			s.log.Printf("search %q: %v", r.URL.RawQuery, err)
			s.jsonError(w, code, "the search failed")
			return
		}
		if code == http.StatusServiceUnavailable {
			h.Set("Retry-After", "1")
		}
		s.jsonError(w, code, err.Error())
		return
	}
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="dronekb-search.csv"`)
	} else {
		res.Build = buildID
		if err := json.NewEncoder(&buf).Encode(res); err != nil {
			s.jsonError(w, http.StatusInternalServerError, "the search failed")
			return
		}
	}
	if tag := searchTag(buildID, s.builtFor(), r.URL.RawQuery); tag != "" {
		// Stored, but asked again each time: a new build answers anew.
		h.Set("ETag", tag)
		h.Set("Cache-Control", "no-cache")
	}
	// Compressed like the JSON files: a page of 100 hits is about 50 kB,
	// and its ETag is weak already.
	if buf.Len() >= minGzipSize && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		gz := &gzipResponse{ResponseWriter: w}
		defer gz.close()
		w = gz
	}
	_, _ = w.Write(buf.Bytes())
}

// answerFormat takes the format parameter out of values: "json", the
// default, or "csv". An empty format is the default, as an empty value of
// every other parameter is (the README's format= was a 400).
func answerFormat(values url.Values) (string, error) {
	f := values["format"]
	values.Del("format")
	switch {
	case len(f) > 1:
		return "", errors.New("format is given more than once; give it once: json or csv")
	case len(f) == 0 || f[0] == "" || f[0] == "json":
		return "json", nil
	case f[0] == "csv":
		return "csv", nil
	}
	given := []rune(f[0])
	if len(given) > 30 {
		given = append(given[:30], '…')
	}
	return "", fmt.Errorf("format must be json or csv, not %q", string(given))
}

// withFormat names format among the parameters a request with an unknown
// one is told to use: the API takes it beside the search's own, which
// search.ParseParams lists ("fromat=csv" was told "from and size").
func withFormat(err error) error {
	var qe *search.QueryError
	if !errors.As(err, &qe) || qe.Param != "" || !strings.HasPrefix(qe.Msg, "unknown parameter ") {
		return err
	}
	if msg, ok := strings.CutSuffix(qe.Msg, " from and size"); ok {
		return &search.QueryError{Msg: msg + " from, size and format"}
	}
	return err
}

// searchCSV writes the hits of req as CSV into buf, under
// search.CSVHeader, and returns the build that answered. With every (no
// size or from asked for), the hits are those a search pages to, the
// first search.MaxFrom, collected once from one view of the index
// (search.Index.Top) as one costly search, admitted once: a download of
// what the search page lists, for what its deepest page costs. Otherwise
// it is the page asked for, admitted as the JSON one is.
func (s *Server) searchCSV(r *http.Request, req search.Request, every bool, buf *bytes.Buffer) (string, error) {
	// Each hit's url is the address a reader cites, as the site's
	// downloads and dronekb search --format csv give it: the CSV gave
	// the path alone where they gave https://…/agencies/nypd/ (found in
	// a researcher's audit).
	address := site.PageAddress(s.builtFor())
	write := func(hits []search.Hit, cw *csv.Writer) {
		for i := range hits {
			hits[i].URL = address(hits[i].URL)
			_ = cw.Write(hits[i].CSVRecord())
		}
	}
	if !every {
		res, buildID, err := s.admitAndSearch(r, req)
		if err != nil {
			return "", err
		}
		cw := csv.NewWriter(buf)
		_ = cw.Write(search.CSVHeader)
		write(res.Hits, cw)
		cw.Flush()
		return buildID, cw.Error()
	}
	var buildID string
	err := s.admit(r, s.costly, func() (err error) {
		buildID, err = s.searchWith(r.Context(), s.costly, func(ctx context.Context, idx *search.Index) error {
			buf.Reset() // a search that ran again on a new index starts again
			cw := csv.NewWriter(buf)
			_ = cw.Write(search.CSVHeader)
			if err := idx.Top(ctx, req, func(res *search.Response) error {
				write(res.Hits, cw)
				return nil
			}); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		})
		return err
	})
	return buildID, err
}

// withCountryCode adds to a refused country the code of the country it
// names, as dronekb search and check do ("France": did you mean "FR"?).
// The static search, which has no table of names, says no more than
// search.ParseParams; serve, which has one, says it.
func withCountryCode(err error, values url.Values) error {
	var qe *search.QueryError
	if !errors.As(err, &qe) || qe.Param != "country" {
		return err
	}
	var countries []string
	for _, v := range values["country"] {
		countries = append(countries, strings.Split(v, ",")...)
	}
	if code := search.CountryMeant(countries); code != "" {
		return &search.QueryError{Msg: fmt.Sprintf("%s; did you mean %q?", qe.Msg, code), Param: qe.Param}
	}
	return err
}

// queryTooLong refuses a query string of n bytes if it is over the
// bound a search takes.
func queryTooLong(n int) error {
	if n > maxQueryString {
		return &search.QueryError{Msg: fmt.Sprintf("the query string is %d bytes long; keep it under %d", n, maxQueryString)}
	}
	return nil
}

// admitAndSearch runs req for the client of r in the pool its cost
// calls for, if the client may have another search running or waiting.
func (s *Server) admitAndSearch(r *http.Request, req search.Request) (*search.Response, string, error) {
	p := s.cheap
	if search.Cost(req) > s.cfg.CheapCost {
		p = s.costly
	}
	var res *search.Response
	var buildID string
	err := s.admit(r, p, func() (err error) {
		res, buildID, err = s.search(r.Context(), req, p)
		return err
	})
	return res, buildID, err
}

// admit runs run, a search in pool p, for the client of r if the client
// may have another search running or waiting there.
func (s *Server) admit(r *http.Request, p *pool, run func() error) error {
	addr := clientGroup(clientAddr(r, s.cfg.TrustedProxies))
	var err error
	if s.clients.enter(addr, p) {
		// Deferred: a search that panics is raised again here, and a
		// count left behind would hold the client's slot for good.
		func() {
			defer s.clients.leave(addr, p)
			err = run()
		}()
	} else {
		err = errTooMany
	}
	if errors.Is(err, errTooMany) || errors.Is(err, errQueueFull) {
		s.refused.Add(1)
		// Refused without waiting: answer no sooner than a search that
		// waited for a slot would, so that a client retrying at once
		// (and in a loop) gets one answer a second, not thousands.
		t := time.NewTimer(busyWait)
		select {
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
	}
	return err
}

// search runs req in a slot of pool p, and says which build's index
// answered it ("" if that index may change in place). A search its deadline cuts off is
// the server's fault (errOverloaded) if it waited for its slot or ran
// beside another; alone on the server it is the query's (a QueryError).
func (s *Server) search(ctx context.Context, req search.Request, p *pool) (*search.Response, string, error) {
	var res *search.Response
	buildID, err := s.searchWith(ctx, p, func(ctx context.Context, idx *search.Index) (err error) {
		if s.beforeSearch != nil {
			s.beforeSearch(req)
		}
		res, err = idx.Search(ctx, req)
		return err
	})
	return res, buildID, err
}

// searchWith runs one search, fn, on the index of the moment, in a slot
// of p: a costly one at low priority, its slot resting as long as it ran.
// fn runs again on the new index if the one it searched was swapped out
// under it.
func (s *Server) searchWith(ctx context.Context, p *pool, fn func(context.Context, *search.Index) error) (string, error) {
	waited, err := p.acquire(ctx, busyWait)
	if err != nil {
		return "", err
	}
	start := time.Now()
	defer func() {
		if p != s.costly {
			p.release()
			return
		}
		// A costly slot rests as long as its search ran (up to a
		// second) before the next costly search may have it, so that
		// costly searches take at most half of the CPUs they are given.
		rest := min(time.Since(start), time.Second)
		time.AfterFunc(rest, p.release)
	}()
	run := s.running.start()
	defer s.running.end(run)
	if waited {
		run.shared.Store(true)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.SearchTimeout)
	defer cancel()
	for attempt := 0; attempt < 3; attempt++ {
		cur := s.index.Load()
		if cur == nil {
			return "", s.whyNoIndex()
		}
		var err error
		one := func() { err = fn(ctx, cur.idx) }
		if p == s.costly {
			if werr := s.low.do(one); werr != nil {
				return "", werr
			}
		} else {
			one()
		}
		switch {
		case errors.Is(err, search.ErrClosed):
			continue // swapped out under us: use the new one
		case errors.Is(err, search.ErrDeadline) && run.shared.Load():
			return "", errOverloaded
		case errors.Is(err, search.ErrDeadline):
			return "", &search.QueryError{Msg: fmt.Sprintf("this search takes more than %v even with the server to itself; make it more specific: fewer words, phrases, prefixes (*) and typos (~), or an earlier page", s.cfg.SearchTimeout)}
		}
		return cur.buildID, err
	}
	return "", errBusy
}

func (s *Server) jsonError(w http.ResponseWriter, code int, msg string) {
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, s.pathBase()+"api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		s.jsonError(w, code, msg)
		return
	}
	http.Error(w, msg, code)
}

// serveFile serves a file of the built site. rel is the URL path below the
// base path, still escaped as the client sent it (already decoded by net/http).
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rel string) {
	clean := path.Clean("/" + rel)
	if strings.ContainsAny(clean, "\\\x00") {
		s.notFound(w, r)
		return
	}
	for _, seg := range strings.Split(clean, "/") {
		if strings.HasPrefix(seg, ".") {
			s.notFound(w, r) // dotfiles and dot-directories are never served
			return
		}
	}
	// Every component below the output directory is checked, not only the
	// last: a symlinked directory would lead outside it as surely as a
	// symlinked file. (The output directory itself is the operator's choice
	// and may be a symlink.)
	full := s.cfg.Out
	st, err := os.Stat(full)
	for _, seg := range strings.Split(clean, "/") {
		if err != nil {
			break
		}
		if seg != "" {
			full = filepath.Join(full, seg)
			if st, err = os.Lstat(full); err == nil && st.Mode()&os.ModeSymlink != 0 {
				err = errSymlink
			}
		}
	}
	if err != nil {
		s.notFound(w, r)
		return
	}
	// Each file and folder has one address: a folder's ends in "/", a
	// file's does not (robots.txt/ answered 200, a second copy for a cache
	// to keep), and neither holds "//" or dot segments. Any other spelling
	// is sent to it.
	canonical := strings.TrimPrefix(clean, "/")
	if st.IsDir() && canonical != "" {
		canonical += "/"
	}
	if base := path.Base(canonical); base == "index.html" && !st.IsDir() {
		canonical = strings.TrimSuffix(canonical, base) // a folder's page is at the folder
	}
	if rel != canonical {
		// Built from the cleaned path: r.URL.Path may start with "//",
		// which a browser would read as another host.
		target := (&url.URL{Path: s.pathBase() + canonical, RawQuery: r.URL.RawQuery}).String()
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	if s.openToOtherSites(r.URL.Path) {
		allowOtherSites(w.Header())
	}
	if st.IsDir() {
		full = filepath.Join(full, "index.html")
		if st, err = os.Lstat(full); err != nil || !st.Mode().IsRegular() {
			s.notFound(w, r) // no directory listings
			return
		}
	}
	if !st.Mode().IsRegular() {
		s.notFound(w, r)
		return
	}
	s.sendFile(w, r, full, http.StatusOK)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	full := filepath.Join(s.cfg.Out, "404.html")
	if st, err := os.Lstat(full); err == nil && st.Mode().IsRegular() {
		s.sendFile(w, r, full, http.StatusNotFound)
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}

func contentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".xml":
		if strings.HasSuffix(name, "feed.xml") {
			return "application/atom+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".csv":
		return "text/csv; charset=utf-8"
	case ".sqlite":
		return "application/vnd.sqlite3" // as datapackage.json gives it
	case ".svg":
		return "image/svg+xml"
	case ".txt", ".md":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, full string, code int) {
	f, err := os.Open(full)
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	h := w.Header()
	ct := contentType(full)
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "no-cache")
	isHTML := strings.HasPrefix(ct, "text/html")
	if isHTML && s.cfg.Watch {
		data, err := io.ReadAll(io.LimitReader(f, 64<<20))
		if err != nil {
			http.Error(w, "read error", http.StatusInternalServerError)
			return
		}
		data = s.inject(data)
		h.Set("Content-Length", fmt.Sprint(len(data)))
		w.WriteHeader(code)
		if r.Method != http.MethodHead {
			_, _ = w.Write(data)
		}
		return
	}
	if code != http.StatusOK {
		h.Set("Content-Length", fmt.Sprint(st.Size()))
		w.WriteHeader(code)
		if r.Method != http.MethodHead {
			_, _ = io.Copy(w, f)
		}
		return
	}
	if strings.Contains(r.Header.Get("Range"), ",") {
		// Several ranges would be answered in parts, each with its own
		// headers: a short request could make a long answer. One range is
		// served; several get the whole file, as if none were asked for.
		r.Header.Del("Range")
	}
	tag := s.tags.tag(full, f, st)
	if code == http.StatusOK && s.versioned(r, tag) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	fl := &flowing{f: f, rc: http.NewResponseController(w), idle: s.writeIdle()}
	if compressible(ct) && st.Size() >= minGzipSize {
		h.Add("Vary", "Accept-Encoding")
		// A range is of the file's own bytes: it is served as they are.
		if r.Header.Get("Range") == "" && acceptsGzip(r.Header.Get("Accept-Encoding")) {
			// The compressed bytes are not the file's: their ETag is
			// weak, which If-None-Match matches and If-Range does not.
			tag = weak(tag)
			gz := &gzipResponse{ResponseWriter: w}
			defer gz.close()
			w = gz
		}
	}
	// A file with an ETag is validated by it alone: its mtime is when
	// this copy was written, which differs between replicas and between
	// builds that leave its bytes alone, so a cache revalidating by date
	// at another replica could be told that a changed file had not
	// changed. A zero time sends no Last-Modified and makes
	// If-Modified-Since and a dated If-Range ask for the file whole.
	mod := st.ModTime()
	if tag != "" {
		h.Set("ETag", tag)
		mod = time.Time{}
	}
	http.ServeContent(w, r, "", mod, fl)
}

// versioned reports whether a request is for an asset at the version the
// site's pages name it by (?v=, the start of its ETag), which may be kept
// for a year: the asset at another version is not, nor is a page or a
// download asked with ?v= (found in review: any v made any file under a
// folder named assets, --out's own included, immutable, and a replica not
// yet updated could have a year's cache keep its old bytes under the new
// version's address).
func (s *Server) versioned(r *http.Request, tag string) bool {
	v := r.URL.Query().Get("v")
	rel, ok := strings.CutPrefix(path.Clean(r.URL.Path), s.pathBase())
	if len(v) < 8 || !ok || !strings.HasPrefix(rel, "assets/") {
		return false
	}
	return strings.HasPrefix(strings.Trim(tag, `"`), v)
}

// minGzipSize is the smallest file sent compressed: below it the
// compressed stream saves less than its own headers cost.
const minGzipSize = 1 << 10

// compressible says whether files of content type ct shrink when
// compressed: text, JSON, XML and SVG. The static search's shards are
// compressed already, and kb.sqlite is large enough that compressing it
// for each request would take the server's CPU from the searches.
func compressible(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	switch mt {
	case "text/html", "text/css", "text/javascript", "text/csv", "text/plain",
		"application/json", "application/xml", "application/atom+xml", "image/svg+xml":
		return true
	}
	return false
}

// acceptsGzip says whether an Accept-Encoding header accepts gzip: named,
// or by *, and not with q=0.
func acceptsGzip(header string) bool {
	ok := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for param := range strings.SplitSeq(params, ";") {
			if k, v, found := strings.Cut(strings.TrimSpace(param), "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if coding == "gzip" {
			return q > 0 // gzip's own q decides over *'s
		}
		ok = q > 0
	}
	return ok
}

// gzipResponse compresses a 200 response with gzip at its fastest level
// (a 5 MB /tracker/ page takes about 9 times fewer bytes, for tens of
// milliseconds); any other status (304, 404) goes out as it is. Pages
// went out whole before: /tracker/ 1.1 MB where 97 kB would do (found in
// review).
type gzipResponse struct {
	http.ResponseWriter
	zw      *gzip.Writer
	on, set bool
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

func (g *gzipResponse) WriteHeader(code int) {
	if !g.set {
		g.set = true
		if code == http.StatusOK {
			h := g.Header()
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			g.on = true
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipResponse) Write(p []byte) (int, error) {
	if !g.set {
		g.WriteHeader(http.StatusOK)
	}
	if !g.on {
		return g.ResponseWriter.Write(p)
	}
	if g.zw == nil {
		g.zw = gzipWriters.Get().(*gzip.Writer)
		g.zw.Reset(g.ResponseWriter)
	}
	return g.zw.Write(p)
}

// close ends the compressed stream, if one was started (a HEAD request
// or a 304 writes no body, and so no stream).
func (g *gzipResponse) close() {
	if g.zw != nil {
		_ = g.zw.Close()
		gzipWriters.Put(g.zw)
		g.zw = nil
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// minFileRate is the slowest reader, in bytes a second, that a file's
// response waits for, and socketBuffer the most the kernel holds of what
// was written and not yet taken: it wakes a blocked writer only once the
// client has taken a good part of its buffer, megabytes, so a steady slow
// reader can leave a write waiting far longer than WriteIdle. A client
// that takes nothing is cut once what it was sent could have been taken
// at minFileRate: within five minutes, however large the file.
const (
	minFileRate  = 16 << 10
	socketBuffer = 4 << 20
)

// writeIdle is Config.WriteIdle or its default.
func (s *Server) writeIdle() time.Duration {
	if s.cfg.WriteIdle > 0 {
		return s.cfg.WriteIdle
	}
	return 30 * time.Second
}

// flowing is a file sent to a client with a write deadline that follows
// the bytes: the server's WriteTimeout is one deadline for the whole
// response, which cut kb.json short for a client reading at 100 kB/s
// (found in review). Each read, before its piece is written, sets the
// deadline to WriteIdle from then, plus the time what may still wait in
// the socket's buffer takes at minFileRate. What it costs is the kernel's
// sendfile: the file is copied through a buffer. It has no WriteTo, as
// *os.File has, through which a copy would go around Read.
type flowing struct {
	f    *os.File
	rc   *http.ResponseController
	idle time.Duration
	sent int64 // bytes read so far, and so handed to the connection
}

func (f *flowing) Read(p []byte) (int, error) {
	queued := min(f.sent, socketBuffer)
	_ = f.rc.SetWriteDeadline(time.Now().Add(f.idle + time.Duration(queued)*time.Second/minFileRate))
	n, err := f.f.Read(p)
	f.sent += int64(n)
	return n, err
}

func (f *flowing) Seek(offset int64, whence int) (int64, error) { return f.f.Seek(offset, whence) }

// inject adds the live-reload script to a page served by serve --watch.
func (s *Server) inject(page []byte) []byte {
	tag := []byte(`<script src="` + s.basePath() + `_dronekb/reload.js" defer></script>`)
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(page, tag...)
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:i]...)
	out = append(out, tag...)
	return append(out, page[i:]...)
}

// broker fans build events out to the pages' event streams. It holds at
// most max of them, each for at most lifetime (the page reconnects), and
// drops one whose reader stops reading.
type broker struct {
	mu       sync.Mutex
	clients  map[chan [2]string]bool
	closed   bool
	done     chan struct{}
	max      int
	lifetime time.Duration
}

// reloadWriteTimeout is how long one event may take to reach a page.
const reloadWriteTimeout = 10 * time.Second

func newBroker(max int, lifetime time.Duration) *broker {
	return &broker{clients: map[chan [2]string]bool{}, done: make(chan struct{}), max: max, lifetime: lifetime}
}

func (b *broker) send(event, data string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		select {
		case c <- [2]string{event, data}:
		default: // a slow client misses an event; it reconnects and resyncs
		}
	}
}

func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
}

func (b *broker) serve(w http.ResponseWriter, r *http.Request, lastErr *string) {
	rc := http.NewResponseController(w)
	h := w.Header()
	c := make(chan [2]string, 4)
	b.mu.Lock()
	if b.closed || len(b.clients) >= b.max {
		full := !b.closed
		b.mu.Unlock()
		h.Set("Retry-After", "10")
		if full {
			http.Error(w, "too many live-reload streams are open; close some pages", http.StatusServiceUnavailable)
		} else {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
		}
		return
	}
	b.clients[c] = true
	b.mu.Unlock()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	// Every write has its own deadline, so a page that stops reading is
	// dropped rather than held open.
	write := func(s string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(reloadWriteTimeout))
		if _, err := io.WriteString(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	writeEvent := func(event, data string) bool {
		var buf strings.Builder
		fmt.Fprintf(&buf, "event: %s\n", event)
		for _, line := range strings.Split(data, "\n") {
			fmt.Fprintf(&buf, "data: %s\n", line)
		}
		buf.WriteString("\n")
		return write(buf.String())
	}
	if !write("retry: 500\n\n") {
		return
	}
	if lastErr != nil {
		writeEvent("failed", *lastErr)
	} else {
		writeEvent("hello", "ok")
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	end := time.NewTimer(b.lifetime)
	defer end.Stop()
	for {
		select {
		case ev := <-c:
			if !writeEvent(ev[0], ev[1]) {
				return
			}
		case <-ping.C:
			if !write(": ping\n\n") {
				return
			}
		case <-end.C:
			return // the page reconnects (retry) and gets a fresh stream
		case <-r.Context().Done():
			return
		case <-b.done:
			return
		}
	}
}

// reloadJS reloads the page after a rebuild and shows a failed build's
// diagnostics over it. It writes text only (textContent), never HTML.
const reloadJS = `(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/_dronekb\/reload\.js.*$/, "") : "/";
  var box = null, failed = false;
  function show(msg) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#82071e;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;white-space:pre-wrap;" +
        "box-shadow:0 -2px 12px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "dronekb: the last build failed; this page shows the previous build.\n\n" + msg;
  }
  function connect() {
    var es = new EventSource(base + "_dronekb/events");
    // "ok" reloads every page; a list of paths, the pages among them.
    es.addEventListener("reload", function (e) {
      var paths = null;
      try { paths = JSON.parse(e.data); } catch (err) { paths = null; }
      if (failed || !Array.isArray(paths) || paths.indexOf(location.pathname) >= 0 ||
          paths.indexOf(location.pathname.replace(/index\.html$/, "")) >= 0) {
        location.reload();
      }
    });
    es.addEventListener("failed", function (e) {
      if (e.data !== undefined) { failed = true; show(e.data); }
    });
    es.addEventListener("hello", function () { if (failed) { location.reload(); } });
  }
  connect();
})();
`
