package build

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
)

// Session is serve --watch's builder. It keeps what it built last between
// rebuilds — the loaded files (kb.Cache), the site with its tracker, the
// search documents, and the bleve index open for writing — so that an
// edit to one entry of thousands is on disk in a fraction of what a build
// takes, and always ends as a full build of the same content would have
// written it, byte for byte (site files; for the index, the same answers).
//
// A rebuild comes in two steps. Rebuild loads the content again (decoding
// only the files that changed), computes the tracker, writes the edited
// entries' pages — only those whose bytes differ — deletes the pages of
// removed entries and updates the changed documents of the search index in
// place: what the contributor is looking at is then up to date. Finish,
// run right after, brings the rest up to date: first the other entries'
// pages the edits can change (site.Affected: backlinks, an agency's
// vendor and laws), then the site-wide pages that show the edited entries
// (site.Showing: their lists, places and tags, home, the tracker's views
// of them), then the static search index and every site-wide file — the
// lists, tracker pages, taxonomies, home, timeline, feeds, sitemap and
// downloads — again writing only what differs, then the manifests with
// the new build ID. When every page can change (an entry added or
// removed changes the navigation's counts), Finish renders every page. A new edit cancels a Finish in progress; the
// next Finish does its work.
//
// What the incremental steps cannot do safely falls back to Run, the full
// build into fresh directories: the first build, a theme change, another
// date, an edit to many files at once, a site or index that another
// command (dronekb build) replaced since.
type Session struct {
	cfg Config
	// OnIndex, if set, is given each index the session opens for writing,
	// for the server to search (serve hands it to server.SetIndex, which
	// closes the one before). Release, if set, is called before the
	// session opens an index that the server may have open read-only.
	OnIndex func(*search.Index)
	Release func()
	// OnPages, if set, is told the site's files a Rebuild wrote and
	// deleted as soon as they are on disk, before the search index is
	// updated: serve reloads the open pages among them at once.
	OnPages func(written, deleted []string)
	// AsOf, if set, gives the tracker's date at each rebuild (serve
	// without --as-of: today): when the day changes, the next rebuild is
	// full.
	AsOf func() kb.Date

	mu  sync.Mutex // one step at a time
	fmu sync.Mutex // guards cancel, finished and touched
	// touched are the content files (slash-separated, under the content
	// directory) changed since the knowledge base of site was loaded, as
	// Touch was told; nil when that is not known and every file must be
	// looked at.
	touched map[string]bool
	watched bool       // Touch has been called: a watcher names what changes
	site    *site.Site // as the pages on disk show it (after Rebuild)
	docs    map[string]search.Doc
	idx     *search.Index
	inputs  string         // the inputs of site
	theme   string         // the digest of the theme's files
	buildID string         // the manifests' build ID as this session last wrote or found them
	dropped string         // why the session last forgot what it built: the next rebuild's reason to be full
	dirs    [2]os.FileInfo // the site's and the index's directories, as opened
	pending bool           // Finish has work to do
	all     bool           // … on every page
	// later are the entries whose pages an edit can change beside the
	// edited ones' (site.Affected): Finish writes them, first. A save
	// then never waits for the hundreds of pages a fleet edit can change
	// to be written for the save before it.
	later map[string]bool
	// showing are the site-wide pages that show the edited entries
	// (site.Showing: their lists, places, tags, the tracker's views of
	// them): Finish writes them next, before the rest.
	showing  map[string]bool
	cancel   context.CancelFunc
	finished chan struct{} // closed when the running Finish returns
}

// MaxIncremental is the most entries an edit may change and still be
// rebuilt incrementally; more (a branch switched, a folder copied in)
// rebuild in full.
const MaxIncremental = 200

// NewSession returns a session that builds cfg. It needs an index
// directory (cfg.Index).
func NewSession(cfg Config) *Session {
	if cfg.LoadCache == nil {
		cfg.LoadCache = kb.NewCache()
	}
	cfg.SkipUnchanged = true
	cfg.KeepBodies = true
	cfg.LetGo = false // the next edit builds on the knowledge base and site a build leaves
	return &Session{cfg: cfg}
}

// Step says what one step of a session did.
type Step struct {
	// Full is set when the step was a full build (Run).
	Full bool
	// Unchanged is set when nothing was to be done.
	Unchanged bool
	// Reason says why a full build ran.
	Reason string
	// Written and Deleted are the site's files the step wrote and deleted.
	Written, Deleted []string
	// Rendered counts the files rendered, written or not.
	Rendered int
	// Entries are the entries whose pages were rendered; Docs the search
	// documents updated or deleted.
	Entries, Docs int
	// Pending is set when Finish has work to do.
	Pending bool
	Phases  []Phase
	Took    time.Duration
}

// Touch tells the session which files under the content directory
// changed (paths relative to it): the next Rebuild looks at those alone,
// not at every file (kb.Options.Touched), which at 100,000 entries is most
// of a reload. serve --watch's file watcher calls it with what each save
// changed. Nil says that what changed is not known (the watcher has just
// started, or its events overflowed): the next Rebuild looks at every
// file. A session that is never touched looks at every file each time.
func (s *Session) Touch(paths []string) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	if paths == nil {
		s.touched, s.watched = nil, true
		return
	}
	if s.touched == nil {
		// Not watched, or unknown until a Rebuild has looked at every
		// file.
		return
	}
	for _, p := range paths {
		s.touched[filepath.ToSlash(p)] = true
	}
}

// takeTouched returns the paths touched since the site's knowledge base
// was loaded, for kb.Options.Touched (nil: look at every file), and what
// to call once the Rebuild is over: it starts counting from the new
// knowledge base if kept is true, else it keeps the paths for the next
// Rebuild.
func (s *Session) takeTouched() (paths []string, done func(kept bool)) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	was := s.touched
	if was != nil {
		paths = make([]string, 0, len(was))
		for p := range was {
			paths = append(paths, p)
		}
		slices.Sort(paths)
	}
	if s.watched {
		// Saves during this Rebuild are counted from now on.
		s.touched = map[string]bool{}
	}
	return paths, func(kept bool) {
		s.fmu.Lock()
		defer s.fmu.Unlock()
		switch {
		case kept || !s.watched:
		case was == nil:
			s.touched = nil
		case s.touched != nil:
			for p := range was {
				s.touched[p] = true
			}
		}
	}
}

// Rebuild brings the site and index up to date with the content: the
// first step (see Session). A content problem returns the kb.Diagnostics
// as the error, and leaves the site and index as they were.
func (s *Session) Rebuild(ctx context.Context) (*Step, error) {
	s.stopFinish()
	s.mu.Lock()
	defer s.mu.Unlock()
	start := time.Now()
	st := &Step{}
	step := start
	phase := func(name string) {
		now := time.Now()
		st.Phases = append(st.Phases, Phase{Name: name, Took: now.Sub(step)})
		step = now
	}
	defer func() { st.Took = time.Since(start) }()

	if s.AsOf != nil {
		s.cfg.AsOf = s.AsOf()
	}
	// The paths were checked by the full build the session started with
	// (Run checks them): checking again walks the whole site.
	theme, err := Theme(s.cfg.Theme)
	if err != nil {
		return st, err
	}
	// Near duplicates only warn, and serve shows errors only. The
	// references of the entries that did not change are resolved as in
	// the knowledge base the pages on disk show.
	var prev *kb.KB
	if s.site != nil {
		prev = s.site.KB()
	}
	touched, done := s.takeTouched()
	defer func() { done(s.site != nil && s.site.KB() != prev) }()
	k := kb.Load(os.DirFS(s.cfg.Content), kb.Options{Dir: s.cfg.Content, Workers: s.cfg.Workers, Cache: s.cfg.LoadCache, NoNearDuplicates: true,
		Prev: prev, Touched: touched, KeepBodies: s.cfg.KeepBodies})
	phase("load and check")
	if err := k.Err(); err != nil {
		return st, err
	}
	opts := site.Options{BaseURL: s.cfg.BaseURL, Theme: theme, AsOf: s.cfg.AsOf, Workers: s.cfg.Workers, PageSize: s.cfg.PageSize, Exports: s.cfg.Exports}
	if opts.Repo, opts.Changed, err = history(ctx, s.cfg); err != nil {
		return st, err
	}
	phase("file history (git)")
	in, err := inputs(s.cfg, k, theme, opts, true)
	if err != nil {
		return st, err
	}
	themeSum, err := themeDigest(theme)
	if err != nil {
		return st, err
	}
	phase("inputs")

	reason := s.fullReason(k, themeSum)
	if reason == "" && in == s.inputs {
		if !s.pending {
			st.Unchanged = true
		}
		st.Pending = s.pending
		return st, nil
	}
	if reason != "" {
		st.Full, st.Reason = true, reason
		err := s.full(ctx, k, opts, in, themeSum, st)
		return st, err
	}

	unlock, err := s.lock()
	if err != nil {
		return st, err
	}
	defer unlock()
	if s.replaced() {
		// Replaced while we waited: build in full.
		st.Full, st.Reason = true, "the site in place is not the one this serve built"
		unlock()
		return st, s.full(ctx, k, opts, in, themeSum, st)
	}
	if err := s.markUnfinished(); err != nil {
		s.drop("the last rebuild could not write the manifests")
		return st, err
	}
	// Only the agencies the edit changed are judged again.
	opts.Tracker = k.TrackerFrom(s.site.Tracker(), s.site.KB(), s.cfg.AsOf)
	phase("tracker")
	ns, err := site.NewAfter(s.site, k, opts)
	if err != nil {
		return st, err
	}
	phase("prepare pages")
	changed, removed := changedEntries(s.site.KB(), k)
	// The edited entries' pages, which the contributor is looking at;
	// Finish writes the other pages the edit can change.
	var first []*kb.Entry
	isChanged := make(map[string]bool, len(changed))
	for _, id := range changed {
		isChanged[id] = true
		if e := k.Entry(id); e != nil {
			first = append(first, e)
		}
	}
	sync := func(batch []*kb.Entry, gone []string) error {
		ch, err := ns.SyncEntries(ctx, s.cfg.Out, batch, gone)
		st.Written = append(st.Written, ch.Written...)
		st.Deleted = append(st.Deleted, ch.Deleted...)
		st.Rendered += ch.Files
		st.Entries += len(batch)
		if err != nil {
			// Pages may be half updated: Finish would not know which;
			// the next rebuild is full.
			s.drop("the last rebuild left pages half written")
			return err
		}
		if s.OnPages != nil && len(ch.Written)+len(ch.Deleted) > 0 {
			s.OnPages(ch.Written, ch.Deleted)
		}
		return nil
	}
	if err := sync(first, removed); err != nil {
		return st, err
	}
	phase("the edited entries' pages")
	entries, all := site.Affected(s.site, ns, changed)
	if !all {
		// When every page can change, Finish renders them all.
		if s.later == nil {
			s.later = map[string]bool{}
		}
		for _, e := range entries {
			if !isChanged[e.ID] {
				s.later[e.ID] = true
			}
		}
	}
	if s.showing == nil {
		s.showing = map[string]bool{}
	}
	for _, p := range site.Showing(s.site, ns, changed) {
		s.showing[p] = true
	}
	phase("pages an edit can change (written next)")
	n, err := s.updateIndex(k, ns)
	st.Docs = n
	phase("search documents (bleve)")
	if err != nil {
		s.drop("the last rebuild could not update the search index")
		return st, err
	}
	s.site, s.inputs = ns, in
	s.pending, s.all = true, s.all || all
	st.Pending = true
	ns.Prepare() // for the next edit's comparison, after the pages are out
	return st, nil
}

// fullReason says why the next rebuild must be full, or "".
func (s *Session) fullReason(k *kb.KB, themeSum string) string {
	switch {
	case s.site == nil || s.idx == nil:
		if s.dropped != "" {
			return s.dropped
		}
		return "first build"
	case themeSum != s.theme:
		return "the theme changed"
	case s.site.AsOf() != s.cfg.AsOf:
		return "the tracker's date changed"
	}
	if s.replaced() {
		return "the site in place is not the one this serve built"
	}
	if changed, _ := changedEntries(s.site.KB(), k); len(changed) > MaxIncremental {
		return fmt.Sprintf("%d entries changed", len(changed))
	}
	return ""
}

// changedEntries returns the IDs of the entries added, edited or removed
// from prev to k, and the page paths of the removed ones. An entry whose
// file did not change is the same *kb.Entry in both (kb.Cache).
func changedEntries(prev, k *kb.KB) (changed, removed []string) {
	if ch, ok := k.ChangedSince(prev); ok {
		// Load found them, and none was added or removed.
		for _, e := range ch {
			if e.Type != kb.TypePage {
				changed = append(changed, e.ID)
			}
		}
		return changed, nil
	}
	for _, e := range k.Entries {
		if prev.Entry(e.ID) != e {
			changed = append(changed, e.ID)
		}
	}
	for _, e := range prev.Entries {
		if k.Entry(e.ID) == nil {
			changed = append(changed, e.ID)
			removed = append(removed, site.EntryPath(e))
		}
	}
	return changed, removed
}

// full builds the site and index in full (Run) and keeps what the next
// edit needs.
func (s *Session) full(ctx context.Context, k *kb.KB, opts site.Options, in, themeSum string, st *Step) error {
	s.drop("the last full rebuild failed")
	res, err := Run(ctx, s.cfg, SearchIndex)
	if res != nil {
		st.Phases = append(st.Phases, res.Phases...)
	}
	if err != nil {
		return err
	}
	ns := res.Site
	if res.Unchanged {
		// The site in place was built from these inputs, by another
		// command or before: the session starts from it.
		st.Unchanged = true
		opts.Tracker = res.KB.Tracker(s.cfg.AsOf)
		if ns, err = site.New(res.KB, opts); err != nil {
			return err
		}
		if s.Release != nil {
			s.Release() // the server's read-only handle, if any
		}
	}
	m, err := Pair(s.cfg.Out, s.cfg.Index)
	if err != nil {
		return err
	}
	for i, dir := range []string{s.cfg.Out, s.cfg.Index} {
		if s.dirs[i], err = os.Stat(dir); err != nil {
			return err
		}
	}
	idx, err := search.OpenWritable(s.cfg.Index)
	if err != nil {
		return err
	}
	s.idx = idx
	if s.OnIndex != nil {
		s.OnIndex(idx)
	}
	s.docs = docsByID(ns.KB(), search.Docs(ns.KB(), ns.Tracker(), site.EntryPath))
	s.site, s.inputs, s.theme, s.buildID, s.dropped = ns, m.Inputs, themeSum, m.BuildID, ""
	if s.inputs != in {
		// Run judged another KB than the one loaded above (a save in
		// between): the next rebuild compares with what Run built.
		s.inputs = ""
	}
	s.pending, s.all = false, false
	clear(s.later)
	clear(s.showing)
	ns.Prepare()
	return nil
}

func docsByID(k *kb.KB, docs []search.Doc) map[string]search.Doc {
	m := make(map[string]search.Doc, len(docs))
	for i, e := range k.Entries {
		m[e.ID] = docs[i]
	}
	return m
}

// updateIndex puts in the index the documents that differ from those it
// holds, and deletes those of removed entries.
func (s *Session) updateIndex(k *kb.KB, ns *site.Site) (int, error) {
	if n, ok, err := s.updateChanged(k, ns); ok {
		return n, err
	}
	docs := s.docsAfter(k, ns)
	ids := make([]string, len(k.Entries))
	var upIDs []string
	var upDocs []search.Doc
	next := make(map[string]search.Doc, len(docs))
	for i, e := range k.Entries {
		ids[i] = e.ID
		next[e.ID] = docs[i]
		if old, ok := s.docs[e.ID]; !ok || !search.Same(&old, &docs[i]) {
			upIDs = append(upIDs, e.ID)
			upDocs = append(upDocs, docs[i])
		}
	}
	var removed []string
	for id := range s.docs {
		if _, ok := next[id]; !ok {
			removed = append(removed, id)
		}
	}
	meta := search.MetaOf(ids, docs, search.BuildOptions{AsOf: ns.Tracker().AsOf, BasePath: ns.BasePath()})
	if len(upIDs)+len(removed) == 0 && reflect.DeepEqual(meta, s.idx.Meta()) {
		s.docs = next
		return 0, nil
	}
	if err := s.idx.Update(upIDs, upDocs, removed, meta); err != nil {
		return 0, err
	}
	s.docs = next
	return len(upIDs) + len(removed), nil
}

// updateChanged is updateIndex after an edit that kept every entry's ID
// and changed no law or vendor: only the edited entries' documents, and
// those of the agencies whose status changed, are made again, and the
// session's documents are mended in place; at 100,000 entries copying
// them all was most of a save's time after its page was written. It
// reports false when the edit was another.
func (s *Session) updateChanged(k *kb.KB, ns *site.Site) (int, bool, error) {
	prev := s.site
	if prev == nil {
		return 0, false, nil
	}
	changed, ok := k.ChangedSince(prev.KB())
	meta := s.idx.Meta()
	pt, nt := prev.Tracker(), ns.Tracker()
	if !ok || !k.SameRules(prev.KB()) || len(pt.Agencies) != len(nt.Agencies) || meta.Docs != len(k.Entries) ||
		meta.AsOf != nt.AsOf.String() || meta.BasePath != ns.BasePath() {
		return 0, false, nil
	}
	var need []*kb.Entry
	redo := map[string]bool{}
	for _, e := range changed {
		if _, known := s.docs[e.ID]; !known && e.Type != kb.TypePage {
			return 0, false, nil
		}
		if e.Type != kb.TypePage {
			need, redo[e.ID] = append(need, e), true
		}
	}
	// Both trackers list the same agencies, by ID.
	for i, a := range nt.Agencies {
		if a.Status != pt.Agencies[i].Status && !redo[a.Agency.ID] {
			need, redo[a.Agency.ID] = append(need, a.Agency), true
		}
	}
	var upIDs []string
	var upDocs []search.Doc
	for i, d := range search.DocsOf(k, nt, site.EntryPath, need) {
		id := need[i].ID
		if old := s.docs[id]; !search.Same(&old, &d) {
			upIDs, upDocs = append(upIDs, id), append(upDocs, d)
		}
		s.docs[id] = d
	}
	if len(upIDs) == 0 {
		return 0, true, nil
	}
	if err := s.idx.Update(upIDs, upDocs, nil, meta); err != nil {
		return 0, true, err // the caller drops the session: the next save builds in full
	}
	return len(upIDs), true, nil
}

// docsAfter returns the search documents of ns's entries, making again
// only those an edit can change when no law or vendor changed (an entry's
// document depends on nothing else but, for an agency, its status): the
// changed entries' and those of the agencies whose status changed. The
// others are the session's, made before.
func (s *Session) docsAfter(k *kb.KB, ns *site.Site) []search.Doc {
	prev := s.site
	if prev == nil || !k.SameRules(prev.KB()) {
		return search.Docs(k, ns.Tracker(), site.EntryPath)
	}
	pk, pt, nt := prev.KB(), prev.Tracker(), ns.Tracker()
	var need []*kb.Entry
	for _, e := range k.Entries {
		_, known := s.docs[e.ID]
		redo := !known || pk.Entry(e.ID) != e
		if !redo && e.Type == kb.TypeAgency {
			a, b := pt.Agency(e.ID), nt.Agency(e.ID)
			redo = a == nil || b == nil || a.Status != b.Status
		}
		if redo {
			need = append(need, e)
		}
	}
	made := search.DocsOf(k, nt, site.EntryPath, need)
	docs := make([]search.Doc, len(k.Entries))
	for i, e := range k.Entries {
		if len(need) > 0 && need[0] == e {
			docs[i], need, made = made[0], need[1:], made[1:]
		} else {
			docs[i] = s.docs[e.ID]
		}
	}
	return docs
}

// Pending reports whether Finish has work to do.
func (s *Session) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}

// Finish brings the rest of the site up to date after Rebuild (see
// Session), and writes the manifests. A Rebuild started meanwhile cancels
// it: it returns ctx's error, or context.Canceled.
func (s *Session) Finish(ctx context.Context) (*Step, error) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	s.fmu.Lock()
	s.cancel, s.finished = cancel, done
	s.fmu.Unlock()
	defer func() {
		cancel()
		s.fmu.Lock()
		if s.finished == done {
			s.cancel, s.finished = nil, nil
		}
		s.fmu.Unlock()
		close(done)
	}()
	// Hold the session while finishing: a Rebuild waits in stopFinish,
	// having cancelled this.
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pending {
		return &Step{Unchanged: true}, nil
	}
	if err := ctx.Err(); err != nil {
		return &Step{}, err
	}
	start := time.Now()
	st := &Step{}
	defer func() { st.Took = time.Since(start) }()
	unlock, err := s.lock()
	if err != nil {
		return st, err
	}
	defer unlock()
	if s.replaced() {
		s.drop("another build replaced the site or index")
		return st, errors.New("the site or index was replaced by another build; the next change rebuilds in full")
	}
	if s.cfg.TuneCollector {
		// Rendering every site-wide page again is when a watching
		// process would grow most: the same limit as its first build's
		// (Run), which counts the bodies it keeps as the rest of what is
		// live.
		limit, _, restore := limitMemory(0)
		defer restore()
		st.Phases = append(st.Phases, Phase{Name: fmt.Sprintf("collect garbage; soft memory limit %d MB", limit/1e6), Took: time.Since(start)})
	}
	ns := s.site
	k := ns.KB()
	if len(s.later) > 0 && !s.all {
		// The pages the last edits can change beside the edited ones'.
		t := time.Now()
		var later []*kb.Entry
		for _, e := range k.Entries {
			if s.later[e.ID] {
				later = append(later, e)
			}
		}
		ch, err := ns.SyncEntries(ctx, s.cfg.Out, later, nil)
		st.Written, st.Rendered = append(st.Written, ch.Written...), st.Rendered+ch.Files
		st.Phases = append(st.Phases, Phase{Name: fmt.Sprintf("pages the edits can change (%d)", len(later)), Took: time.Since(t)})
		if err != nil {
			if ctx.Err() == nil {
				s.drop("the last rebuild left pages half written")
			}
			// Cancelled by a new edit: what was written is right, and
			// the next Finish writes what was not.
			return st, err
		}
		if s.OnPages != nil && len(ch.Written) > 0 {
			s.OnPages(ch.Written, nil)
		}
		clear(s.later)
	}
	var written []string // the site-wide pages brought up to date for ns below
	if len(s.showing) > 0 {
		// The site-wide pages that show the edited entries, before the
		// search index and the rest of the site: the lists, places, tags
		// and home first, then the tracker's views, whose full tables
		// take longest.
		var lists, tracker []string
		for _, p := range slices.Sorted(maps.Keys(s.showing)) {
			if strings.HasPrefix(p, "tracker/") {
				tracker = append(tracker, p)
			} else {
				lists = append(lists, p)
			}
		}
		for _, part := range []struct {
			name  string
			paths []string
		}{{"site-wide pages that show the edits", lists}, {"tracker views that show the edits", tracker}} {
			if len(part.paths) == 0 {
				continue
			}
			t := time.Now()
			ch, err := ns.SyncPages(ctx, s.cfg.Out, part.paths)
			st.Written, st.Deleted, st.Rendered = append(st.Written, ch.Written...), append(st.Deleted, ch.Deleted...), st.Rendered+ch.Files
			st.Phases = append(st.Phases, Phase{Name: fmt.Sprintf("%s (%d)", part.name, ch.Files), Took: time.Since(t)})
			if err != nil {
				if ctx.Err() == nil {
					s.drop("the last rebuild left pages half written")
				}
				return st, err
			}
			if s.OnPages != nil && len(ch.Written)+len(ch.Deleted) > 0 {
				s.OnPages(ch.Written, ch.Deleted)
			}
			written = append(written, part.paths...)
		}
		clear(s.showing)
	}
	ids := make([]string, len(k.Entries))
	docs := make([]search.Doc, len(k.Entries))
	for i, e := range k.Entries {
		ids[i], docs[i] = e.ID, s.docs[e.ID]
	}
	t := time.Now()
	extra, err := search.StaticFiles(ctx, ids, docs, ns.BasePath())
	if err != nil {
		return st, err
	}
	st.Phases = append(st.Phases, Phase{Name: "static search index", Took: time.Since(t)})
	t = time.Now()
	// The rest of the site: the pages written just above are not rendered
	// again (a fleet edit at 100,000 entries changes thousands of tracker
	// views, which show the tracker's counts).
	ch, err := ns.Sync(ctx, s.cfg.Out, s.all, extra, func(rel string) bool { return rel == manifestFile }, written)
	st.Written, st.Deleted, st.Rendered = append(st.Written, ch.Written...), append(st.Deleted, ch.Deleted...), st.Rendered+ch.Files
	st.Phases = append(st.Phases, Phase{Name: "site", Took: time.Since(t)})
	for _, w := range ch.Work {
		st.Phases = append(st.Phases, Phase{Name: "site, " + w.Kind + " (workers' time)", Took: w.Took})
	}
	if err != nil {
		if ctx.Err() == nil {
			s.drop("the last rebuild left pages half written") // for a reason other than a new edit
		}
		return st, err
	}
	id := buildID(k, ns.BasePath(), ns.Tracker().AsOf)
	man := Manifest{Generator: "dronekb", BasePath: ns.BasePath(), BaseURL: ns.AbsBase(), AsOf: s.cfg.AsOf.String(), Entries: len(k.Entries), BuildID: id, Inputs: s.inputs}
	// The index's manifest first: a site whose manifest names a build is
	// complete, and so is its index.
	for _, dir := range []string{s.cfg.Index, s.cfg.Out} {
		wrote, err := syncManifest(dir, man)
		if err != nil {
			s.drop("the last rebuild could not write the manifests")
			return st, err
		}
		if wrote && dir == s.cfg.Out {
			st.Written = append(st.Written, manifestFile)
		}
	}
	s.buildID = id
	s.pending, s.all = false, false
	clear(s.later) // written above, or with every page
	clear(s.showing)
	return st, nil
}

// markUnfinished clears the inputs the manifests name before a step writes
// pages and index documents in place. Until Finish names the new inputs,
// the site on disk is neither the build the manifests describe nor the
// next one: a serve --watch or build started after this process stops
// between the steps (Ctrl-C, a crash) must build in full rather than trust
// it. The build ID stays, so that the site and index still pair and serve
// keeps searching them meanwhile.
func (s *Session) markUnfinished() error {
	for _, dir := range []string{s.cfg.Out, s.cfg.Index} {
		m, err := ReadManifest(dir)
		if err != nil {
			return err
		}
		if m.Inputs == "" {
			continue
		}
		m.Inputs = ""
		if _, err := syncManifest(dir, m); err != nil {
			return err
		}
	}
	return nil
}

// syncManifest writes man into dir unless it is there already.
func syncManifest(dir string, man Manifest) (bool, error) {
	if old, err := ReadManifest(dir); err == nil && old == man {
		return false, nil
	}
	tmp := filepath.Join(dir, ".dronekb-new-manifest")
	if err := writeManifestAs(tmp, man); err != nil {
		return false, err
	}
	return true, os.Rename(tmp, filepath.Join(dir, manifestFile))
}

// Stop cancels a Finish in progress and waits for it to return: serve
// calls it as it exits.
func (s *Session) Stop() { s.stopFinish() }

// stopFinish cancels a Finish in progress and waits for it to return.
func (s *Session) stopFinish() {
	s.fmu.Lock()
	cancel, done := s.cancel, s.finished
	s.fmu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// drop forgets what the session built, so that the next rebuild is full,
// for the reason why. The index stays open for the server until the next
// is handed over.
func (s *Session) drop(why string) {
	s.dropped = why
	s.site, s.docs, s.idx, s.later, s.showing = nil, nil, nil, nil, nil
	s.dirs = [2]os.FileInfo{}
	s.inputs, s.buildID = "", ""
	s.pending, s.all = false, false
}

// Owns reports whether the session holds the index open for writing.
func (s *Session) Owns() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idx != nil
}

// Follow checks whether another build (dronekb build) replaced the site
// and index since the session last wrote them. If so, the session lets go
// of the index it holds and calls sync, for the server to search the new
// one; the next change rebuilds in full. While the session holds no index,
// Follow just calls sync. It waits for a step in progress to finish.
func (s *Session) Follow(sync func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idx != nil {
		if !s.replaced() {
			return
		}
		s.drop("the site or index was replaced or deleted")
	}
	sync()
}

// replaced reports whether the site or the index in place is not the one
// the session holds: another build swapped in its own, or deleted it.
func (s *Session) replaced() bool {
	for i, dir := range []string{s.cfg.Out, s.cfg.Index} {
		st, err := os.Stat(dir)
		if err != nil || s.dirs[i] == nil || !os.SameFile(st, s.dirs[i]) {
			return true
		}
	}
	m, err := Pair(s.cfg.Out, s.cfg.Index)
	return err != nil || m.BuildID != s.buildID
}

// lock takes the build lock of the site's and the index's folders, as Run
// does, so that a dronekb build beside serve fails at once rather than
// interleave with it.
func (s *Session) lock() (func(), error) {
	_, unlock, err := lockParents(s.cfg.Out, s.cfg.Index)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(unlock) }, nil
}
