package site

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
)

// This file is what serve --watch uses to bring a site already on disk up
// to date with an edit: Sync writes into the directory in place, and only
// the files whose bytes differ, each through a temporary file renamed over
// the old one (a reader sees the old page or the new, never half of one).
// Affected says which entry pages an edit can change, so that an edit to
// one entry of thousands renders tens of pages, not thousands.

// syncTemp starts the name of the temporary files Sync renames into place.
// serve never serves a dotfile, and a later Sync deletes any a killed one
// left behind.
const syncTemp = ".dronekb-new-"

// Changes says what a Sync did to the directory.
type Changes struct {
	Written []string // files written, relative to the site root, sorted
	Deleted []string // files deleted
	Files   int      // files rendered (written or found unchanged)
	// Work is the time each kind of file took (summed over the workers),
	// and the deletion of what the site no longer has.
	Work []Work
}

// syncState is what a writer keeps while it syncs a directory.
type syncState struct {
	mu      sync.Mutex
	seen    map[string]bool
	written []string
	gone    []string // files deleted as the jobs ran (removeListPages)
}

func (st *syncState) deleted(rels ...string) {
	if len(rels) == 0 {
		return
	}
	st.mu.Lock()
	st.gone = append(st.gone, rels...)
	st.mu.Unlock()
}

// removeListPages deletes from dir the pages of the list at rel from page
// from on, which a longer list left: "rel/page/N/index.html" for each N
// until one is missing, with its folder, and the first page's alias,
// "rel/page/1/", if from is 2 or less (the list has one page or none),
// then "rel/page/" if that is empty. It returns the files it deleted,
// relative to dir.
func removeListPages(dir, rel string, from int) ([]string, error) {
	var deleted []string
	if from <= 2 {
		alias := rel + "page/1/index.html"
		err := os.Remove(filepath.Join(dir, filepath.FromSlash(alias)))
		if err == nil {
			deleted = append(deleted, alias)
			_ = os.Remove(filepath.Join(dir, filepath.FromSlash(rel+"page/1")))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	for n := max(from, 2); ; n++ {
		p := listPagePath(rel, n)
		err := os.Remove(filepath.Join(dir, filepath.FromSlash(p+"index.html")))
		if errors.Is(err, fs.ErrNotExist) {
			break
		}
		if err != nil {
			return deleted, err
		}
		deleted = append(deleted, p+"index.html")
		_ = os.Remove(filepath.Join(dir, filepath.FromSlash(p))) // fails, as it should, unless empty
	}
	_ = os.Remove(filepath.Join(dir, filepath.FromSlash(rel+"page")))
	return deleted, nil
}

func (st *syncState) saw(rel string, wrote bool) {
	st.mu.Lock()
	st.seen[rel] = true
	if wrote {
		st.written = append(st.written, rel)
	}
	st.mu.Unlock()
}

// syncWrite puts data at rel unless the file there holds those bytes.
func (w *writer) syncWrite(rel, full string, data []byte) error {
	if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, data) {
		w.sync.saw(rel, false)
		return nil
	}
	f, err := os.CreateTemp(filepath.Dir(full), syncTemp+"*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = w.commit(rel, f.Name(), full)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// commit puts the finished temporary file tmp at full, or removes it when
// full already holds the same bytes.
func (w *writer) commit(rel, tmp, full string) error {
	same, err := sameBytes(tmp, full)
	if err != nil {
		return err
	}
	if same {
		w.sync.saw(rel, false)
		return os.Remove(tmp)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if st, err := os.Lstat(full); err == nil && st.IsDir() {
		// A page that was a directory of pages: its old files go first.
		if err := os.RemoveAll(full); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, full); err != nil {
		return err
	}
	w.sync.saw(rel, true)
	return nil
}

// sameBytes reports whether two files hold the same bytes; a missing b is
// not the same.
func sameBytes(a, b string) (bool, error) {
	fb, err := os.Open(b)
	if err != nil {
		return false, nil
	}
	defer fb.Close()
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	sa, err := fa.Stat()
	if err != nil {
		return false, err
	}
	if sb, err := fb.Stat(); err != nil || !sb.Mode().IsRegular() || sb.Size() != sa.Size() {
		return false, nil
	}
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, errA := io.ReadFull(fa, bufA)
		nb, _ := io.ReadFull(fb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			return true, nil
		}
		if errA != nil {
			return false, errA
		}
	}
}

// newSyncWriter returns a writer that syncs dir.
func newSyncWriter(dir string) *writer {
	return &writer{dir: dir, dirs: map[string]bool{}, sizes: map[string]int64{}, sync: &syncState{seen: map[string]bool{}}}
}

func (w *writer) changes() Changes {
	w.sync.mu.Lock()
	defer w.sync.mu.Unlock()
	written := slices.Clone(w.sync.written)
	sort.Strings(written)
	return Changes{Written: written, Deleted: slices.Clone(w.sync.gone), Files: len(w.sync.seen)}
}

// SyncEntries brings the pages of entries up to date in dir, which holds
// the site as built before an edit, and deletes the pages of the entries
// that were removed (removed holds their page paths, EntryPath).
func (s *Site) SyncEntries(ctx context.Context, dir string, entries []*kb.Entry, removed []string) (Changes, error) {
	if dir == "" {
		return Changes{}, errors.New("site: no output directory")
	}
	w := newSyncWriter(dir)
	var l jobList
	for _, e := range entries {
		e := e
		l.add("entry pages", func(w *writer) error { return s.renderEntry(w, e) })
	}
	var work []Work
	if err := s.run(ctx, w, l, &work); err != nil {
		return w.changes(), err
	}
	ch := w.changes()
	for _, p := range removed {
		if s.kb.Entry(strings.TrimSuffix(p, "/")) != nil {
			continue // an entry of that ID is back
		}
		rel := p + "index.html"
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err == nil {
			ch.Deleted = append(ch.Deleted, rel)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ch, err
		}
		// The entry's directory, if nothing else is left in it.
		_ = os.Remove(filepath.Join(dir, filepath.FromSlash(p)))
	}
	return ch, nil
}

// Sync brings the whole site in dir up to date, as Build would write it
// into an empty directory, writing only the files whose bytes differ and
// deleting the files the site no longer has. With entries false it skips
// rendering the entry pages, which the caller brought up to date with
// SyncEntries: their files are kept. extra are more files to put in the
// site (the static search index), by slash path; keep says which other
// files, found in dir, belong there (a manifest). done are site-wide pages
// (as Showing gives their paths) that SyncPages already brought up to date
// for this site: they are kept as they are, not rendered again.
func (s *Site) Sync(ctx context.Context, dir string, entries bool, extra map[string][]byte, keep func(rel string) bool, done []string) (Changes, error) {
	if dir == "" {
		return Changes{}, errors.New("site: no output directory")
	}
	w := newSyncWriter(dir)
	var work []Work
	skip := make(map[string]bool, len(done))
	for _, p := range done {
		skip[p] = true
	}
	l := s.jobs(entries, func(path string) bool { return !skip[path] })
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range extra {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		n := n
		l.add("search", func(w *writer) error { return w.write(n, extra[n]) })
	}
	err := s.run(ctx, w, l, &work)
	if err == nil {
		var late jobList
		late.add("downloads", s.lateJobs()...)
		err = s.run(ctx, w, late, &work)
	}
	ch := w.changes()
	ch.Work = work
	if err != nil {
		return ch, err
	}
	deleting := time.Now()
	pages := map[string]bool{}
	lens := s.listLens()
	for p := range skip {
		// A list's pages, all of them rendered with its first, and
		// the first's alias.
		count := s.listPageCount(lens[p])
		for n := range count {
			pages[listPagePath(p, n+1)+"index.html"] = true
		}
		if count > 1 {
			pages[p+"page/1/index.html"] = true
		}
	}
	if !entries {
		for _, e := range s.kb.Entries {
			pages[EntryPath(e)+"index.html"] = true
		}
	}
	// Delete what the site no longer has: files, then the directories
	// left empty, deepest first. A directory holding a file the site
	// keeps is not empty: only the others are tried (an rmdir on each of
	// thousands of page directories is most of this step's time).
	var dirs []string
	kept := map[string]bool{} // directories, by path, that hold a kept file
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, rerr := filepath.Rel(dir, p)
		if rerr != nil || rel == "." {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			dirs = append(dirs, p)
			return nil
		}
		if w.sync.seen[rel] || pages[rel] || (keep != nil && keep(rel) && !strings.HasPrefix(path.Base(rel), syncTemp)) {
			kept[filepath.Dir(p)] = true
			return nil
		}
		if err := os.Remove(p); err != nil {
			return err
		}
		ch.Deleted = append(ch.Deleted, rel)
		return nil
	})
	if err != nil {
		return ch, err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if kept[dirs[i]] {
			kept[filepath.Dir(dirs[i])] = true
			continue
		}
		if os.Remove(dirs[i]) != nil { // fails, as it should, unless empty
			kept[filepath.Dir(dirs[i])] = true
		}
	}
	sort.Strings(ch.Deleted)
	ch.Work = append(ch.Work, Work{Kind: "deletions", Took: time.Since(deleting)})
	return ch, nil
}

// Affected returns the entries of s whose pages can differ from those of
// prev, the site before an edit, when the entries with the IDs in changed
// were added, edited or removed. all is set when every page can differ:
// what every page shows (the navigation's counts, the date the knowledge
// base last changed, the theme, the date of the tracker) changed, or there
// is no prev.
//
// An entry's page shows the entry, the entries it references and that
// reference it (titles, links), and for agencies, vendors and laws the
// tracker's verdicts that involve it. So the pages that can change are
// those of the changed entries, of every entry that references them or
// that they reference, before and after the edit; of every agency whose
// verdict changed (its tracker row, reason, items or laws), with its
// parent, its components, its laws and its vendors; of the laws that name
// a changed vendor's country; of the vendors a changed law names by
// country; and of the agencies of a changed law's jurisdiction flying what
// it restricts (their timelines draw it), and when it has an operating ban
// of the laws restricting their hardware (theirs count their sightings up
// to it); of the laws restricting a changed agency's hardware (theirs draw
// it); and of the laws naming the hardware of a country whose page came or
// went. TestIncrementalEqualsFull checks this against full builds.
func Affected(prev, s *Site, changed []string) (entries []*kb.Entry, all bool) {
	if prev == nil || prev.base != s.base || prev.absBase != s.absBase || prev.opts.AsOf != s.opts.AsOf ||
		!reflect.DeepEqual(prev.opts.Repo, s.opts.Repo) || !reflect.DeepEqual(*prev.info, *s.info) {
		return s.kb.Entries, true
	}
	ids := map[string]bool{}
	add := func(id string) { ids[id] = true }
	addAll := func(list []*kb.Entry) {
		for _, e := range list {
			add(e.ID)
		}
	}
	for p, d := range s.opts.Changed {
		if prev.opts.Changed[p] != d {
			add(strings.TrimSuffix(p, ".md"))
		}
	}
	for p := range prev.opts.Changed {
		if _, ok := s.opts.Changed[p]; !ok {
			add(strings.TrimSuffix(p, ".md"))
		}
	}
	for _, id := range changed {
		add(id)
		// The timelines of the laws restricting an agency's hardware draw
		// every observation of it, whether or not its verdict changes:
		// when what they draw of it changed, they are written again (an
		// agency has tens of such laws, hundreds in a large knowledge
		// base, which an edit of its text leaves alone).
		if a, b := prev.kb.Entry(id), s.kb.Entry(id); a != nil && a.Agency != nil && (b == nil || b.Agency == nil || timelinePrint(a) != timelinePrint(b)) {
			for _, site := range []*Site{prev, s} {
				if as := site.tracker.Agency(id); as != nil {
					addAll(as.RestrictingLaws)
				}
			}
		}
		for _, site := range []*Site{prev, s} {
			e := site.kb.Entry(id)
			for _, bl := range site.kb.ReferencedBy(id) {
				add(bl.From.ID)
			}
			if e == nil {
				continue
			}
			for _, r := range e.Refs() {
				add(r.Ref.ID)
			}
			for _, r := range e.Related {
				add(r.ID)
			}
			switch {
			case e.Vendor != nil:
				addAll(site.namesOrigin[e.Vendor.Country])
			case e.Law != nil:
				site.lawNeighbours(e, add)
			}
		}
	}
	// A country's page comes with its first entry and goes with its last:
	// the laws that name hardware made there link to it, or no longer.
	for _, pair := range [][2]*Site{{prev, s}, {s, prev}} {
		for c := range pair[0].country {
			if len(pair[1].country[c]) == 0 {
				addAll(prev.namesOrigin[c])
				addAll(s.namesOrigin[c])
			}
		}
	}
	// The tracker's verdicts.
	verdict := func(site *Site, as *kb.AgencyStatus) {
		add(as.Agency.ID)
		if as.Parent != nil {
			add(as.Parent.Agency.ID)
		}
		for _, c := range as.Components {
			add(c.Agency.ID)
		}
		for _, list := range [][]*kb.Entry{as.RestrictingLaws, as.BindingLaws, as.BanningLaws, as.ExemptingLaws, as.GoverningLaws} {
			addAll(list)
		}
		for _, it := range as.Items {
			if it.Vendor != nil {
				add(it.Vendor.ID)
			}
		}
	}
	changedVerdicts(prev, s, verdict)
	for id := range ids {
		if e := s.kb.Entry(id); e != nil {
			entries = append(entries, e)
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return entries, false
}

// timelinePrint is what the pages of the laws restricting an agency's
// hardware show of it: its title, its country and region (whether the law
// reaches it, and so lists and draws it), and each fleet item's label and
// observations.
func timelinePrint(e *kb.Entry) string {
	var b strings.Builder
	b.WriteString(e.Title)
	fmt.Fprintf(&b, "\n%s %s", e.Agency.Country, e.Agency.Region)
	for i := range e.Agency.Fleet {
		f := &e.Agency.Fleet[i]
		fmt.Fprintf(&b, "\n%s %s %d %t", f.Vendor.ID, f.Model, f.Count, f.UnknownMake)
		for _, o := range f.Observations() {
			fmt.Fprintf(&b, " %s/%s/%t", o.Date, o.Status, o.Acquisition)
		}
	}
	return b.String()
}

// changedVerdicts calls f with each agency whose verdict or tracker row
// differs between prev and s (its print, see prints): with its status in
// s, and in prev if it had one; or with its status in prev alone if s no
// longer has it.
func changedVerdicts(prev, s *Site, f func(site *Site, as *kb.AgencyStatus)) {
	before, after := prev.prints(), s.prints()
	for id, p := range after {
		if before[id] != p {
			f(s, s.tracker.Agency(id))
			if as := prev.tracker.Agency(id); as != nil {
				f(prev, as)
			}
		}
	}
	for id := range before {
		if _, ok := after[id]; !ok {
			f(prev, prev.tracker.Agency(id))
		}
	}
}

// lawNeighbours adds the entries whose pages show a law without
// referencing it: the vendors it names by their country, the agencies
// whose verdicts involve it, and the agencies of its jurisdiction flying
// hardware it restricts, whose timelines draw its provisions; for a law
// with an operating ban, the laws restricting those agencies' hardware
// too, whose timelines count their sightings as in service up to the ban
// (kb.FleetItem.Stretches) whether or not a verdict changes.
func (s *Site) lawNeighbours(l *kb.Entry, add func(string)) {
	bans := slices.ContainsFunc(l.Law.Provisions, func(p *kb.Provision) bool { return p.Measure == kb.MeasureOperation })
	restrictions := []kb.Restriction{l.Law.Restricts}
	for _, p := range l.Law.Provisions {
		restrictions = append(restrictions, p.Restricts)
	}
	for _, r := range restrictions {
		for _, c := range r.Countries {
			for _, v := range s.vendorsFrom[c] {
				add(v.ID)
			}
		}
	}
	for _, as := range s.tracker.Agencies {
		for _, list := range [][]*kb.Entry{as.RestrictingLaws, as.BindingLaws, as.BanningLaws, as.ExemptingLaws, as.GoverningLaws} {
			if slices.Contains(list, l) {
				add(as.Agency.ID)
				break
			}
		}
	}
	jur := l.Law.Country
	if l.Law.Region != "" {
		jur = l.Law.Region
	}
	for _, as := range s.statusesIn()[jur] {
		a := as.Agency.Agency
		for i := range a.Fleet {
			f := &a.Fleet[i]
			if f.UnknownMake {
				continue
			}
			v := s.kb.Entry(f.Vendor.ID)
			if v == nil || v.Vendor == nil {
				continue
			}
			restricts := false
			for _, p := range l.Law.Provisions {
				if p.RestrictsVendor(v) {
					restricts = true
					break
				}
			}
			if restricts {
				add(as.Agency.ID)
				if bans {
					for _, r := range as.RestrictingLaws {
						add(r.ID)
					}
				}
				break
			}
		}
	}
}

// prints returns, by agency ID, what the tracker says of each agency, as
// its pages and rows show it: two equal prints render alike.
func (s *Site) prints() map[string]string {
	s.printOnce.Do(func() {
		agencies := s.tracker.Agencies
		table, _ := s.trackerTable()
		prints := make([]string, len(agencies))
		if b := s.before; b != nil {
			// An agency whose status is the same object shows the same.
			b.prints()
			for i, as := range agencies {
				if b.tracker.Agency(as.Agency.ID) == as {
					prints[i] = b.printed[as.Agency.ID]
				}
			}
		}
		var wg sync.WaitGroup
		workers := max(1, s.opts.Workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				for i := w; i < len(agencies); i += workers {
					as := agencies[i]
					if prints[i] != "" {
						continue
					}
					buf.Reset()
					_ = enc.Encode(as.Row(nil))
					buf.WriteString(string(table.rows[as]))
					buf.WriteString(string(s.reasonHTML(as.Agency, as)))
					for _, l := range as.GoverningLaws {
						buf.WriteString("\ngoverning " + l.ID)
					}
					for _, p := range as.Governing {
						buf.WriteString("\nprovision " + p.Label())
					}
					for _, it := range as.Items {
						for _, p := range it.Binding {
							buf.WriteString("\nbinding " + p.Law.ID + " " + p.Label())
						}
					}
					prints[i] = buf.String()
				}
			}(w)
		}
		wg.Wait()
		s.printed = make(map[string]string, len(agencies))
		for i, as := range agencies {
			s.printed[as.Agency.ID] = prints[i]
		}
		s.before = nil // the chain of sites before ends here
	})
	return s.printed
}

// Prepare computes ahead what Affected needs of a site, so that the next
// edit compares with it at once.
func (s *Site) Prepare() { s.prints() }

// Showing returns the site-wide pages of s that show the entries with the
// IDs in changed as they are after an edit, or showed them in prev, the
// site before it: the lists of their sections; their countries', regions'
// and tags' pages, before and after; the country and tag indexes; home;
// the timeline, for an incident or a law; and when an agency's verdict or
// row, a vendor or a law changed, the tracker's full table and its
// orders, its snapshots on earlier dates and the views that list the
// agencies whose rows changed (their status, country, level, kind,
// vendors and evidence age, before and after), or every view when the
// tracker's counts changed, which every view shows. Paths are as
// EntryPath gives them ("countries/fr/", "" for home). serve --watch
// writes these first after an edit (SyncPages), then the rest (Sync).
func Showing(prev, s *Site, changed []string) []string {
	if prev == nil {
		return nil
	}
	paths := map[string]bool{"": true, "countries/": true, "tags/": true}
	tracker := false
	place := func(e *kb.Entry) {
		entryCountry(e, func(c string) { paths[CountryPath(c)] = true })
		entryRegion(e, func(r string) { paths[RegionPath(r)] = true })
	}
	for _, id := range changed {
		for _, site := range []*Site{prev, s} {
			e := site.kb.Entry(id)
			if e == nil {
				continue
			}
			for _, sec := range kb.Sections {
				if sec.Type == e.Type {
					paths[sec.Dir+"/"] = true
				}
			}
			place(e)
			entryTags(e, func(t string) { paths[TagPath(t)] = true })
			switch e.Type {
			case kb.TypeIncident:
				paths["timeline/"] = true
			case kb.TypeLaw:
				paths["timeline/"], tracker = true, true
			case kb.TypeAgency:
				tracker = true
			case kb.TypeVendor:
				// Its view's title and the vendor facet's labels.
				paths[filterPath("vendor", e.Slug)], tracker = true, true
			}
		}
	}
	// The agencies whose rows or verdicts changed: the views that list
	// them, and their places' pages, which sample the tracker.
	listed := func(site *Site, as *kb.AgencyStatus) {
		tracker = true
		place(as.Agency)
		t, _ := site.trackerTable()
		for _, f := range []string{"status", "country", "level", "kind", "vendor", "evidence"} {
			for _, v := range facetValues(t, f, as) {
				paths[filterPath(f, v)] = true
			}
		}
	}
	changedVerdicts(prev, s, listed)
	if tracker {
		paths["tracker/"] = true
		for _, k := range sortKeys[1:] {
			paths["tracker/sort/"+k.Key+"/"] = true
		}
		for _, i := range s.snapshotDates() {
			paths["tracker/on/"+s.quarters()[i].String()+"/"] = true
		}
		if len(prev.tracker.Agencies) != len(s.tracker.Agencies) || !maps.Equal(prev.tracker.Counts, s.tracker.Counts) ||
			!reflect.DeepEqual(prev.tracker.Summary(), s.tracker.Summary()) {
			for _, p := range s.trackerPaths() {
				paths[p] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(paths))
}

// SyncPages brings the site-wide pages at paths (Showing) up to date in
// dir, writing only those whose bytes differ, as Sync would write them,
// and deletes those the site no longer has (a country whose last entry
// moved away), with their folders when nothing else is left in them.
func (s *Site) SyncPages(ctx context.Context, dir string, paths []string) (Changes, error) {
	if dir == "" {
		return Changes{}, errors.New("site: no output directory")
	}
	want := make(map[string]bool, len(paths))
	for _, p := range paths {
		want[p] = true
	}
	w := newSyncWriter(dir)
	var l jobList
	for _, p := range s.sitePages(func(path string) bool { return want[path] }) {
		l.add(p.kind, p.render)
		delete(want, p.path)
	}
	var work []Work
	err := s.run(ctx, w, l, &work)
	ch := w.changes()
	ch.Work = work
	if err != nil {
		return ch, err
	}
	// What is left in want has no page now: the deepest first, so that
	// a country's folder can go after its regions'.
	gone := slices.Collect(maps.Keys(want))
	sort.Slice(gone, func(i, j int) bool {
		if a, b := strings.Count(gone[i], "/"), strings.Count(gone[j], "/"); a != b {
			return a > b
		}
		return gone[i] < gone[j]
	})
	for _, p := range gone {
		if p == "" || !strings.HasSuffix(p, "/") {
			continue
		}
		// A list that is gone: its later pages, then its first.
		deleted, err := removeListPages(dir, p, 2)
		ch.Deleted = append(ch.Deleted, deleted...)
		if err != nil {
			return ch, err
		}
		rel := p + "index.html"
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err == nil {
			ch.Deleted = append(ch.Deleted, rel)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ch, err
		}
		_ = os.Remove(filepath.Join(dir, filepath.FromSlash(p))) // fails, as it should, unless empty
	}
	sort.Strings(ch.Deleted)
	return ch, nil
}
