package kb

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"weak"

	"github.com/dronekb/dronekb/internal/markdown"
)

// MaxFileSize is the largest entry file dronekb reads. Real entries are a few
// kilobytes; the limit keeps a hostile file from exhausting memory.
const MaxFileSize = 256 << 10

// Limits on the shape of a body. They bound the markdown parser's work:
// goldmark, like other CommonMark parsers, has inputs on which its time grows
// with the square of a paragraph's length (a run of unclosed "[a](", say), so
// no paragraph may be long; its block parser slows with nesting, so block
// quotes and lists may not nest deeply; and a table costs a cell for every
// column of every row, so tables are bounded in cells. Each is measured as
// the parser sees the body (markdown.Measure). Real entries are far inside
// them.
const (
	MaxBlockSize  = 16 << 10  // bytes in one line, and in the text of one paragraph, heading or table cell
	MaxNesting    = 16        // block quotes and lists inside one another
	MaxTableCells = 128 << 10 // cells in all the body's tables, short rows padded: a file of full rows has fewer
)

// Options says how to load a knowledge base.
type Options struct {
	// Dir is the content directory as the user named it ("content"); it
	// prefixes the file names in diagnostics.
	Dir string
	// AsOf is the date stale evidence is judged against. Zero skips the
	// STALE_EVIDENCE warnings.
	AsOf Date
	// Today is the real date (SOURCE_DATE_EPOCH, else the clock's) when
	// AsOf is another (dronekb check --as-of): an observation or a date
	// after today is a slip (OBSERVED_AFTER_AS_OF, DATE_AFTER_AS_OF),
	// whatever day the tracker answers for. Zero means AsOf is today.
	Today Date
	// Workers is how many files are parsed at once (default GOMAXPROCS).
	Workers int
	// Cache, if set, keeps each file's result for the next Load, which
	// then decodes only the files that changed (see Cache).
	Cache *Cache
	// NoNearDuplicates skips the knowledge-base-wide search for near
	// duplicates, which only ever warns: serve --watch, which shows
	// errors alone, saves its time on every save.
	NoNearDuplicates bool
	// Prev, if set, is the knowledge base the last Load with the same
	// Cache returned: references are then resolved again only for the
	// entries whose files changed (serve --watch).
	Prev *KB
	// Touched, with Prev and Cache, lists the files (slash-separated
	// paths under the content directory) that may have changed since
	// Prev was loaded: serve --watch's file watcher names them. Only those
	// are looked at; every other file stands as Prev found it, without
	// even a stat, which at 100,000 entries is most of a reload. Nil
	// looks at every file. A touched path that is not a plain entry file
	// (a folder, a symbolic link, a file outside a section) makes Load
	// walk every folder as without it.
	Touched []string
	// KeepBodies makes the entries keep their bodies in memory, where
	// Body otherwise reads each file again: serve --watch keeps them, so
	// that a save while it writes the pages of the save before does not
	// fail the step (a ChangedError) but waits for the next one.
	KeepBodies bool
	// BodyMemory is how many bytes of bodies the entries keep in memory
	// without KeepBodies, first come first kept (a body that does not fit
	// is passed over, and a smaller one loaded later may fit, so which
	// are kept varies from load to load); Body reads the others again
	// from their files. Zero keeps none. A body read again
	// costs an open and a read of its file for each use (the page, the
	// downloads, both search indexes): at 10,000 entries those reads were
	// 4% of a build's CPU time, and the bodies 21 MB. At 100,000 entries
	// the bodies are 210 MB, which a build keeps under 2 GB only by not
	// keeping them all. It counts the files this Load reads: those it
	// takes from a Cache keep what they kept.
	BodyMemory int64
}

var md = markdown.New()

// ReservedIDs are element ids the default layouts and pictures use; body
// headings never take them (a heading "Sources" gets the id "sources-2").
// Ids that start with "source-", "st-", "f-", "map-", "chart-" or
// "provision-" are the layouts' too: see markdown.newIDs.
// TestHeadingsNeverTakeLayoutIDs gives every id the shipped site uses to
// body headings and finds any this list misses.
var ReservedIDs = []string{
	"main", "content", "nav", "top", "body", "status", "search", "search-form", "search-status", "q", "results", "facets",
	"filters", "facts", "tracker", "tracker-h", "tracker-table", "table-h", "table-status", "as-of", "reason",
	"fleet", "fleet-h", "timeline", "timeline-h", "overview", "overview-h", "over-time", "over-time-h",
	"sources", "sources-h", "referenced-by", "referenced-by-h", "laws", "laws-h", "restricted", "restricted-h", "restricts-h",
	"binds", "binds-h", "exempts-h", "affects-h", "provisions", "provisions-h", "components-h", "regions-h",
	"flown-h", "counts-h", "latest-h", "how-h", "rules-h", "cli-h", "cite", "cite-h", "credits", "credits-h", "licence-h",
	"timeline-agency-title", "timeline-law-title", "timeline-agency-hatch", "timeline-law-hatch",
}

// Load reads every entry under the sections of fsys and checks the whole
// knowledge base: each file's format and fields, then every reference
// between entries. It always returns a KB with the entries that could be
// read; kb.Diagnostics lists every problem, sorted by file and line.
func Load(fsys fs.FS, opts Options) *KB {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	l := &loader{fsys: fsys, opts: opts}
	files, removed := l.touched()
	if files == nil {
		files = l.walk()
	}

	results := make([]fileResult, len(files))
	var look []int // the files to load; the others stand as in Prev
	for i, f := range files {
		if f.same && opts.Prev != nil && opts.Prev.results != nil {
			results[i] = opts.Prev.results[f.from]
		} else {
			look = append(look, i)
		}
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(opts.Workers, len(look)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool := &stringPool{}
			for i := range next {
				results[i] = l.loadFile(files[i], pool)
			}
		}()
	}
	for _, i := range look {
		next <- i
	}
	close(next)
	wg.Wait()

	kb := &KB{broken: map[string]bool{}, files: files, walkDiags: l.diags}
	for _, sec := range l.unread {
		// Its own error says why; every reference into it would only
		// bury that error.
		kb.broken[sec+"/"] = true
	}
	for _, id := range l.misnamed {
		kb.broken[id] = true
	}
	if opts.Cache != nil {
		kb.results = results // for the next Load told what changed
	}
	// An edit that kept every entry's ID: the entries and their index are
	// Prev's with the edited ones in their places, without sorting or
	// indexing 100,000 entries again.
	mended := removed != nil && len(removed) == 0 && len(files) == len(opts.Prev.files) && kb.mend(opts.Prev, files, results, look)
	if !mended {
		kb.byID = make(map[string]*Entry, len(files))
	}
	kb.Diagnostics = append(kb.Diagnostics, l.diags...)
	digest := sha256.New()
	var line []byte
	for i, r := range results {
		line = append(append(line[:0], files[i].path...), 0)
		line = append(hex.AppendEncode(line, r.sum[:]), '\n')
		digest.Write(line)
		switch {
		case r.moveTo != "":
			kb.Diagnostics = append(kb.Diagnostics, l.moveAdvice(r, files)...)
		case r.renameTo != "":
			kb.Diagnostics = append(kb.Diagnostics, l.renameAdvice(r, files)...)
		default:
			kb.Diagnostics = append(kb.Diagnostics, r.diags...)
		}
		for _, id := range []string{r.broken, r.alsoBroken} {
			if id != "" {
				kb.broken[id] = true
			}
		}
		if r.entry == nil || mended {
			continue
		}
		if prev, dup := kb.byID[r.entry.ID]; dup {
			// No content folder reaches this. An ID is the file's section
			// folder and its name (agencies/nypd.md is agencies/nypd,
			// byte for byte), so two files of one ID are one path listed
			// twice, and no directory lists a name twice: not on disk
			// (where a case-insensitive filesystem cannot hold NYPD.md
			// beside nypd.md, and a case-sensitive one makes it
			// agencies/NYPD, another ID, refused as SLUG_INVALID), nor in
			// the map of paths diff reads a git revision into. Kept for
			// an fs.FS that would.
			kb.Diagnostics = append(kb.Diagnostics, Diagnostic{File: r.entry.File, Line: 1, Col: 1, Severity: SevError,
				Code: CodeIDDuplicate, Message: fmt.Sprintf("entry %s is also defined by %s; rename one file", r.entry.ID, prev.File)})
			continue
		}
		kb.byID[r.entry.ID] = r.entry
		if r.entry.Type == TypePage {
			kb.Pages = append(kb.Pages, r.entry)
			continue
		}
		kb.Entries = append(kb.Entries, r.entry)
	}
	kb.digest = hex.EncodeToString(digest.Sum(nil))
	if opts.Cache != nil && removed != nil {
		opts.Cache.forget(opts.Dir, removed)
	} else if opts.Cache != nil {
		seen := make(map[string]bool, len(files))
		for _, f := range files {
			seen[f.path] = true
		}
		opts.Cache.keep(opts.Dir, seen)
	}
	if !mended {
		sort.Slice(kb.Entries, func(i, j int) bool { return kb.Entries[i].ID < kb.Entries[j].ID })
		sort.Slice(kb.Pages, func(i, j int) bool { return kb.Pages[i].ID < kb.Pages[j].ID })
	}
	// The search for near duplicates reads only the entries, which link
	// does not change: it runs beside link, on a core link leaves idle
	// (at 100,000 entries each takes 1-3 s alone).
	var near Diagnostics
	var nearby sync.WaitGroup
	if !opts.NoNearDuplicates {
		nearby.Go(func() { near = kb.nearDuplicateWarnings() })
	}
	kb.link(opts.Prev)
	nearby.Wait()
	kb.Diagnostics = append(kb.Diagnostics, near...)
	if !opts.AsOf.IsZero() {
		kb.Diagnostics = append(kb.Diagnostics, kb.staleWarnings(opts.AsOf)...)
		kb.Diagnostics = append(kb.Diagnostics, kb.unboundWarnings(opts.AsOf)...)
	}
	if today := cmp.Or(opts.Today, opts.AsOf); !today.IsZero() {
		kb.Diagnostics = append(kb.Diagnostics, kb.laterWarnings(today)...)
	}
	kb.Diagnostics.sort()
	return kb
}

type loader struct {
	fsys  fs.FS
	opts  Options
	diags Diagnostics
	kept  atomic.Int64 // bytes of bodies kept, against opts.BodyMemory
	// unread are the sections whose folder could not be read.
	unread []string
	// misnamed are the IDs of the entries in markdown files not named
	// <slug>.md (agencies/nypd.markdown): not read, and not reported
	// again in each reference to them.
	misnamed []string
}

// keepBody reports whether an entry keeps its body of n bytes in memory
// (Options.KeepBodies, Options.BodyMemory), and counts it if it does.
func (l *loader) keepBody(n int) bool {
	if l.opts.KeepBodies {
		return true
	}
	for {
		kept := l.kept.Load()
		if kept+int64(n) > l.opts.BodyMemory {
			return false
		}
		if l.kept.CompareAndSwap(kept, kept+int64(n)) {
			return true
		}
	}
}

// stringPool hands out one string for each value while a load runs: the
// entries' IDs and the short values of their fields. Links and references
// name the same entries again and again (24 body links an entry in a
// generated knowledge base), and short values repeat (countries, levels,
// statuses, tags, publishers). Made each time, such strings were most of
// the objects a loaded knowledge base kept, each one more for the
// collector to mark whenever it ran: at 10,000 entries the knowledge base
// and its tracker kept 942,000 objects (113.5 MB), and keep 486,000
// (105.4 MB) with the pool, the declarations' field names as an entry's
// keys (decoder.table) and shared one-field backlink lists (KB.link)
// (BenchmarkStages' kept-by-kb-and-tracker).
// Each of Load's workers has its own, unlocked: the workers then make a
// string each, at most, not one for each use.
type stringPool struct {
	strings map[string]string
}

// same returns s, or a string equal to it that it returned before.
func (p *stringPool) same(s string) string {
	if t, ok := p.strings[s]; ok {
		return t
	}
	if p.strings == nil {
		p.strings = map[string]string{}
	}
	p.strings[s] = s
	return s
}

// id returns the ID dir + "/" + slug, the same string each time, making
// none to look it up.
func (p *stringPool) id(dir, slug string) string {
	var buf [128]byte
	key := append(append(append(buf[:0], dir...), '/'), slug...)
	if id, ok := p.strings[string(key)]; ok {
		return id
	}
	return p.same(string(key))
}

type fileRef struct {
	path    string // relative to the content root
	section Section
	from    int // its index in Prev's files, when same
	// same is set when the file is known not to have changed since the
	// last Load (Options.Touched): the cache's result stands unlooked-at.
	same bool
}

// touched returns the files to load when Options.Touched says which may
// have changed: Prev's, with the touched ones looked at again, and the
// paths of those gone. It returns nil files when every folder must be
// walked instead.
func (l *loader) touched() (files []fileRef, removed []string) {
	o := l.opts
	if o.Touched == nil || o.Prev == nil || o.Cache == nil || o.Prev.files == nil || len(o.Prev.walkDiags) > 0 ||
		!o.Cache.holds(o.Dir, len(o.Prev.files)) {
		return nil, nil
	}
	look := make(map[string]bool, len(o.Touched))
	for _, p := range o.Touched {
		p = path.Clean(p)
		if p == "." || strings.HasPrefix(p, "../") || p == ".." || path.IsAbs(p) {
			return nil, nil // the content folder itself, or not under it
		}
		dir, name, ok := strings.Cut(p, "/")
		if !ok || strings.Contains(name, "/") || strings.HasPrefix(dir, ".") {
			// A file or folder at the top, or deeper than a section's
			// files: the walk reports or ignores it.
			if strings.HasPrefix(dir, ".") {
				continue
			}
			return nil, nil
		}
		if _, isSection := folderSection(dir); !isSection {
			return nil, nil
		}
		if strings.HasPrefix(name, ".") {
			continue
		}
		look[p] = true
	}
	files = make([]fileRef, 0, len(o.Prev.files)+len(look))
	for i, f := range o.Prev.files {
		if look[f.path] {
			continue // looked at below
		}
		f.same, f.from = true, i
		files = append(files, f)
	}
	for p := range look {
		fi, err := fs.Lstat(l.fsys, p)
		if errors.Is(err, fs.ErrNotExist) {
			removed = append(removed, p)
			continue
		}
		name := path.Base(p)
		switch {
		case err != nil || !fi.Mode().IsRegular():
			return nil, nil // reported by the walk
		case strings.EqualFold(name, "README.md"):
			continue
		case !strings.HasSuffix(name, ".md"):
			return nil, nil // reported by the walk
		}
		dir := path.Dir(p)
		sec, _ := folderSection(dir)
		files = append(files, fileRef{path: p, section: sec})
	}
	// In the walk's order: by folder, then by name.
	slices.SortFunc(files, func(a, b fileRef) int {
		ad, an, _ := strings.Cut(a.path, "/")
		bd, bn, _ := strings.Cut(b.path, "/")
		if c := strings.Compare(ad, bd); c != 0 {
			return c
		}
		return strings.Compare(an, bn)
	})
	if removed == nil {
		removed = []string{}
	}
	return files, removed
}

// mend makes kb's entries, pages and index from prev's when the files
// loaded again (look: indexes into files and results) each gave an entry
// of the ID and type its file gave in prev, or none in both, and
// reports whether it could. Every file that stands as in prev gives the
// entry it gave in prev (Options.Touched), so only those loaded again can
// move an entry.
func (kb *KB) mend(prev *KB, files []fileRef, results []fileResult, look []int) bool {
	if prev.results == nil || prev.byID == nil {
		return false
	}
	made := 0
	for _, r := range prev.results {
		if r.entry != nil {
			made++
		}
	}
	if made != len(prev.Entries)+len(prev.Pages) {
		return false // two files of one ID: reported by the loop in Load
	}
	at := make(map[string]int, len(prev.files)) // only the files looked at
	for _, i := range look {
		at[files[i].path] = -1
	}
	for j, f := range prev.files {
		if _, ok := at[f.path]; ok {
			at[f.path] = j
		}
	}
	type swap struct{ old, new *Entry }
	var swaps []swap
	for _, i := range look {
		j := at[files[i].path]
		if j < 0 {
			return false // a new file
		}
		old, r := prev.results[j], results[i]
		if old.broken != r.broken || old.alsoBroken != r.alsoBroken || (old.entry == nil) != (r.entry == nil) {
			return false
		}
		if r.entry == nil {
			continue
		}
		if old.entry.ID != r.entry.ID || old.entry.Type != r.entry.Type || prev.byID[old.entry.ID] != old.entry {
			return false // another ID, or a duplicate ID's second file
		}
		swaps = append(swaps, swap{old.entry, r.entry})
	}
	kb.byID = maps.Clone(prev.byID)
	kb.Entries, kb.Pages = slices.Clone(prev.Entries), slices.Clone(prev.Pages)
	for _, s := range swaps {
		list := kb.Entries
		if s.new.Type == TypePage {
			list = kb.Pages
		}
		i, found := slices.BinarySearchFunc(list, s.old.ID, func(e *Entry, id string) int { return strings.Compare(e.ID, id) })
		if !found || list[i] != s.old {
			panic("kb: an entry of the knowledge base before is not in its list")
		}
		list[i] = s.new
		kb.byID[s.new.ID] = s.new
		if s.new != s.old {
			kb.changed = append(kb.changed, s.new)
		}
	}
	// What link would find changed: the same IDs, these entries, then
	// pages, each by ID.
	slices.SortFunc(kb.changed, func(a, b *Entry) int {
		if (a.Type == TypePage) != (b.Type == TypePage) {
			if a.Type == TypePage {
				return 1
			}
			return -1
		}
		return strings.Compare(a.ID, b.ID)
	})
	kb.since = weak.Make(prev)
	return true
}

type fileResult struct {
	entry *Entry
	diags Diagnostics
	// broken is the ID of an entry that could not be read: references to it
	// are not reported too, only the problem with the file itself.
	broken string
	// alsoBroken is the ID it was meant to have, when it is in the wrong section.
	alsoBroken string
	// moveTo is where a file in the wrong section is to go (the path
	// under the content root, incidents/hearing.md); its FILE_MISPLACED
	// error, its one diagnostic, leaves saying so to moveAdvice.
	moveTo string
	// renameTo is the path a file whose name is no slug is to be renamed
	// to (agencies/nypd.md); renameAdvice completes its SLUG_INVALID
	// error, which does not say it yet.
	renameTo string
	sum      [sha256.Size]byte // of the file's bytes, as read
}

func (l *loader) display(p string) string {
	if l.opts.Dir == "" {
		return p
	}
	return path.Join(l.opts.Dir, p)
}

func (l *loader) fileDiag(p string, code Code, sev Severity, format string, args ...any) {
	l.diags = append(l.diags, Diagnostic{File: l.display(p), Severity: sev, Code: code, Message: fmt.Sprintf(format, args...)})
}

// walk lists the entry files. Only regular .md files directly inside a
// section are entries; symlinks, other files and directories are reported,
// never followed or read.
func (l *loader) walk() []fileRef {
	root, err := fs.ReadDir(l.fsys, ".")
	if err != nil {
		l.fileDiag(".", CodeContentMissing, SevError, "cannot read the content directory: %v", unwrapPathErr(err))
		return nil
	}
	var files []fileRef
	for _, de := range root {
		name := de.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if EditorScratch(name) {
			l.scratch(name)
			continue
		}
		sec, isSection := folderSection(name)
		if isSection && (de.Type()&fs.ModeSymlink != 0 || !de.IsDir()) {
			// A section that is a link or a file is not read: its own
			// error says why, not every reference into it.
			l.unread = append(l.unread, name)
		}
		switch {
		case de.Type()&fs.ModeSymlink != 0:
			l.fileDiag(name, CodeFileSymlink, SevError, "is a symbolic link; content must be plain files and directories")
			continue
		case !de.IsDir() && strings.EqualFold(name, "README.md"):
			continue
		case !de.IsDir():
			// An error, not a warning: CI would pass and the entry never appear.
			l.fileDiag(name, CodeFileUnexpected, SevError, "is not in a section, so it is no entry; %s", l.sectionAdvice(name))
			continue
		case !isSection:
			l.fileDiag(name, CodeFileUnexpected, SevError, "is not a section; the sections are agencies, vendors, laws and incidents, and pages for the site's own pages%s",
				sectionHint(name))
			l.meantEntries(name)
			continue
		}
		ents, err := fs.ReadDir(l.fsys, name)
		if err != nil {
			l.fileDiag(name, CodeFileUnreadable, SevError, "cannot read the section: %v", unwrapPathErr(err))
			l.unread = append(l.unread, name)
			continue
		}
		for _, fe := range ents {
			p := name + "/" + fe.Name()
			switch {
			case strings.HasPrefix(fe.Name(), "."):
				continue
			case EditorScratch(fe.Name()):
				l.scratch(p)
			case fe.Type()&fs.ModeSymlink != 0:
				l.fileDiag(p, CodeFileSymlink, SevError, "is a symbolic link; an entry must be a plain file in its section")
			case fe.IsDir():
				if !l.nestedEntries(name, p, ents) {
					l.fileDiag(p, CodeFileUnexpected, SevError, "is a directory; entries are files directly inside %s/", name)
				}
			case !fe.Type().IsRegular():
				l.fileDiag(p, CodeFileUnexpected, SevError, "is not a regular file")
			case strings.EqualFold(fe.Name(), "README.md"):
				continue
			case !strings.HasSuffix(fe.Name(), ".md") && (markdownName(fe.Name()) || l.savedAsText(p)):
				l.fileDiag(p, CodeFileNotMarkdown, SevError, "is not read: entries are named <slug>.md%s", l.renameHint(name, fe.Name(), ents))
			case leftover(fe.Name()) != "":
				l.fileDiag(p, CodeFileNotMarkdown, SevError, "%s", leftover(fe.Name()))
			case !strings.HasSuffix(fe.Name(), ".md"):
				l.fileDiag(p, CodeFileNotMarkdown, SevError, "is not a markdown file; entries are <slug>.md files")
			default:
				files = append(files, fileRef{path: p, section: sec})
			}
		}
	}
	return files
}

// sectionAdvice says where to move the file name, at the top of the
// content: to the one section whose entries have every field its front
// matter gives and the fields they require ("move it to agencies/ (git mv
// …)"), among those that fit, or to any. The entry it would be there is
// noted in misnamed: a reference to it is not reported as well.
func (l *loader) sectionAdvice(name string) string {
	const anywhere = "move it into agencies/, vendors/, laws/ or incidents/ (the site's own pages go in pages/)"
	if !strings.HasSuffix(name, ".md") {
		return anywhere
	}
	data, err := readLimited(l.fsys, name)
	if err != nil {
		return anywhere
	}
	fm, _, err := splitFrontMatter(normalizeLineEnds(bytes.TrimPrefix(data, bom)))
	if err != nil {
		return anywhere
	}
	root, err := fm.parse()
	if err != nil || root == nil || root.kind != mapNode {
		return anywhere
	}
	var fit []Section
	for _, sec := range Sections {
		o := FrontMatter(sec.Type)
		ok := true
		for _, f := range root.fields {
			ok = ok && o.Field(f.key) != nil
		}
		for _, req := range o.requiredNames() {
			ok = ok && (req == "sources" || root.get(req) != nil)
		}
		if ok {
			fit = append(fit, sec)
		}
	}
	slug := strings.TrimSuffix(name, ".md")
	switch len(fit) {
	case 0:
		return anywhere
	case 1:
		to := fit[0].Dir + "/" + name
		if _, err := fs.Stat(l.fsys, to); err == nil {
			return fmt.Sprintf("its fields are those of %s, and %s is one already: move what this file adds into it, and delete this one", fit[0].Plural, l.display(to))
		}
		l.misnamed = append(l.misnamed, fit[0].Dir+"/"+slug)
		return fmt.Sprintf("its fields are those of %s: move it to %s/ (git mv %s %s)", fit[0].Plural, fit[0].Dir, l.display(name), l.display(to))
	}
	var dirs []string
	for _, sec := range fit {
		dirs = append(dirs, sec.Dir+"/")
	}
	return fmt.Sprintf("its fields fit %s: move it into the one it belongs to (the site's own pages go in pages/)", orList(dirs))
}

// nestedEntries reports the markdown files in dir, a folder inside the
// section sec (whose files are ents), each an entry that is none for
// being one folder too deep, with where to move it: into sec, under its
// own name. It reports false, and nothing, when dir holds none.
func (l *loader) nestedEntries(sec, dir string, ents []fs.DirEntry) bool {
	inner, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		return false
	}
	found := false
	for _, fe := range inner {
		if !fe.Type().IsRegular() || !strings.HasSuffix(fe.Name(), ".md") || strings.HasPrefix(fe.Name(), ".") || strings.EqualFold(fe.Name(), "README.md") {
			continue
		}
		found = true
		p, to := dir+"/"+fe.Name(), sec+"/"+fe.Name()
		if slices.ContainsFunc(ents, func(e fs.DirEntry) bool { return e.Name() == fe.Name() }) {
			l.fileDiag(p, CodeFileUnexpected, SevError, "is in a folder inside %s/, so it is no entry; %s is there already: move what this file adds into it, and delete this one", sec, l.display(to))
			continue
		}
		if slug := strings.TrimSuffix(fe.Name(), ".md"); ValidSlug(slug) {
			l.misnamed = append(l.misnamed, sec+"/"+slug)
		}
		l.fileDiag(p, CodeFileUnexpected, SevError, "is in a folder inside %s/, so it is no entry: entries are files directly inside their section; move it up (git mv %s %s)", sec, l.display(p), l.display(to))
	}
	return found
}

// markdownExts are the other extensions markdown files are given.
var markdownExts = []string{".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"}

// textExts are the extensions of plain text an entry's file is saved with
// by mistake: an editor's "Save as text" (nypd.md.txt), or a name for its
// front matter (nypd.yaml).
var textExts = []string{".txt", ".text", ".yaml", ".yml", ".toml", ".json"}

// entryStem is a file name without the extensions an entry's file is
// given by mistake, one or more: nypd.md.md, nypd.md.txt, nypd.markdown
// and nypd.txt are all nypd.
func entryStem(name string) string {
	for {
		ext := strings.ToLower(path.Ext(name))
		if len(ext) == len(name) || !slices.Contains(markdownExts, ext) && !slices.Contains(textExts, ext) {
			return name
		}
		name = name[:len(name)-len(ext)]
	}
}

// savedAsText reports whether the file p, not named .md, is an entry
// saved under another name (nypd.txt, nypd.yaml, nypd): plain text whose
// first line opens a front matter. A file of notes or a picture is not.
func (l *loader) savedAsText(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	if ext != "" && !slices.Contains(textExts, ext) {
		return false
	}
	f, err := l.fsys.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, _ := io.ReadFull(f, buf)
	_, format, _, _, _ := cutFrontMatter(normalizeLineEnds(bytes.TrimPrefix(buf[:n], bom)))
	return format != nil
}

// markdownName reports whether a file's name ends in an extension of
// markdown files, in any case ("nypd.markdown", "nypd.MD").
func markdownName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return len(ext) < len(name) && slices.Contains(markdownExts, ext)
}

// renameHint says what the markdown file name in the section dir, which
// holds ents, is to be renamed to: "; rename it to "nypd.md" (git mv …)",
// or that a file of that name is there already. The entry it would be is
// noted in misnamed.
func (l *loader) renameHint(dir, name string, ents []fs.DirEntry) string {
	slug := entryStem(name)
	if !ValidSlug(slug) {
		slug = slugify(slug)
		if slug == "" {
			return "; rename it, with lower-case letters a-z, digits and dashes"
		}
	}
	if ReservedOnWindows(slug) {
		slug += "-1"
	}
	to := slug + ".md"
	if slices.ContainsFunc(ents, func(e fs.DirEntry) bool { return e.Name() == to }) {
		return fmt.Sprintf(", and %s is one already: move what this file adds into it, and delete this one", l.display(dir+"/"+to))
	}
	l.misnamed = append(l.misnamed, dir+"/"+slug)
	return fmt.Sprintf("; rename it to %q (git mv %s %s)", to, l.display(dir+"/"+name), l.display(dir+"/"+to))
}

// scratch warns of an editor's file among the entries: left out, but one
// committed by mistake would go unseen in review.
func (l *loader) scratch(name string) {
	l.fileDiag(name, CodeFileScratch, SevWarning, "is an editor's backup or scratch file, not an entry, and is left out; delete it, or keep such files out of the repository (in .gitignore: %s)", scratchIgnore(path.Base(name)))
}

// scratchIgnore is the .gitignore line that leaves out the editor's file
// name and its like: *~ does not match #nypd.md#, and a line starting
// with # is a comment unless the # is escaped.
func scratchIgnore(name string) string {
	switch {
	case strings.HasPrefix(name, "#"):
		return `\#*#`
	case strings.HasSuffix(name, "~"):
		return "*~"
	case path.Ext(name) != "":
		return "*" + path.Ext(name)
	}
	return name
}

// leftover says what to do with a file that a merge, a patch or a backup
// left beside the entry it copies (nypd.md.orig, nypd.md.rej, nypd.md.bak),
// or "" for another name: such a file is no entry, and not one to rename
// to .md as other files not named .md may be.
func leftover(name string) string {
	ext := path.Ext(name)
	if len(ext) == len(name) {
		return ""
	}
	ignore := "; delete it, and keep such files out of the repository (in .gitignore: *" + ext + ")"
	switch strings.ToLower(ext) {
	case ".orig":
		return "is the copy a merge or a patch leaves of the file it changed, not an entry" + ignore
	case ".rej":
		return "is what a patch could not apply, not an entry: make any change it holds that is still wanted by hand" + ignore
	case ".bak", ".old":
		return "is a backup copy, not an entry" + ignore
	}
	return ""
}

// EditorScratch reports whether a file name is one an editor keeps beside
// the file being edited: a backup (nypd.md~), an autosave (#nypd.md#),
// Vim's swap files and the file it writes to test a folder (4913). Hidden
// names (.#nypd.md, .nypd.md.swp) are left out anyway. They are no entries
// (check warns of them, FILE_SCRATCH), and serve --watch does not rebuild
// for them; a knowledge base edited in Emacs must not fail its check.
func EditorScratch(name string) bool {
	return strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") || name == "4913"
}

// folderSection returns the section a folder at the top of the content
// holds: an entry section, or the site's own pages.
func folderSection(dir string) (Section, bool) {
	if dir == PagesSection.Dir {
		return PagesSection, true
	}
	return SectionOf(dir)
}

// sectionHint suggests the section a misnamed directory meant
// (sectionMeant), if any.
func sectionHint(name string) string {
	if m := sectionMeant(name); m != "" {
		return "; did you mean " + quote(m+"/") + "? rename the folder"
	}
	return ""
}

// sectionMeant returns the folder of the section a misnamed directory
// meant: its type's name ("agency" → agencies), another case, or a typo;
// or "".
func sectionMeant(name string) string {
	dirs := []string{PagesSection.Dir}
	for _, s := range Sections {
		dirs = append(dirs, s.Dir)
		if strings.EqualFold(name, string(s.Type)) || strings.EqualFold(name, s.Dir) {
			return s.Dir
		}
	}
	if strings.EqualFold(name, "page") || strings.EqualFold(name, PagesSection.Dir) {
		return PagesSection.Dir
	}
	return suggest(strings.ToLower(name), dirs)
}

// meantEntries notes in misnamed the entries that the folder dir, which
// is no section but a misnamed one (law/ for laws/), holds: a reference
// to one of them is not reported as well, with the advice to create it.
func (l *loader) meantEntries(dir string) {
	sec, ok := SectionOf(sectionMeant(dir))
	if !ok {
		return
	}
	ents, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		return
	}
	for _, fe := range ents {
		if slug, ok := strings.CutSuffix(fe.Name(), ".md"); ok && fe.Type().IsRegular() && ValidSlug(slug) {
			l.misnamed = append(l.misnamed, sec.Dir+"/"+slug)
		}
	}
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadFile reads and decodes one entry, sharing strings through pool (each
// of Load's workers has its own). It never panics: a parser failure on
// hostile input becomes a diagnostic.
func (l *loader) loadFile(f fileRef, pool *stringPool) (res fileResult) {
	// With a cache, a file whose size and modification time are those it
	// had at the last Load (and were not written just before it) is not
	// read again, and nothing is made for it: serve --watch looks at every
	// file after a save, and reading thousands of them is most of a
	// reload. What the cache keeps includes the reports on the file's name.
	var info fs.FileInfo
	var statAt time.Time
	if c := l.opts.Cache; c != nil && f.same {
		if r, sum, ok := c.last(l.opts.Dir, f.path); ok {
			r.sum = sum
			return r
		}
	}
	if c := l.opts.Cache; c != nil {
		statAt = time.Now()
		if fi, err := fs.Stat(l.fsys, f.path); err == nil {
			info = fi
			if r, sum, ok := c.unchanged(l.opts.Dir, f.path, fi); ok {
				r.sum = sum
				return r
			}
		}
	}
	display := l.display(f.path)
	slug := strings.TrimSuffix(path.Base(f.path), ".md")
	e := &Entry{
		ID: pool.id(f.section.Dir, slug), Type: f.section.Type, Section: f.section.Dir, Slug: slug,
		Path: f.path, File: display,
	}
	d := &decoder{e: e, pool: pool}
	defer func() {
		if r := recover(); r != nil {
			res = fileResult{broken: e.ID, diags: append(d.diags, Diagnostic{File: display, Severity: SevError, Code: CodeSyntax,
				Message: fmt.Sprintf("could not be parsed (%v); simplify the front matter", r)})}
		}
	}()
	// meant is the ID a file whose name is no slug was most likely meant
	// to have (vendors/DJI.md, vendors/dji): the references to it are
	// not reported as well, one error for each, which told contributors
	// to change 179 right references to the wrong name.
	meant, renameTo := "", ""
	fail := func(code Code, pos Pos, format string, args ...any) fileResult {
		d.errorf(pos, code, format, args...)
		return fileResult{diags: d.diags, broken: e.ID, alsoBroken: meant, renameTo: renameTo}
	}
	if !ValidSlug(slug) {
		if s := slugify(entryStem(slug)); s != "" && s != slug {
			// What to rename it to Load says (renameAdvice): a file of
			// that name may be there already.
			d.errorf(Pos{}, CodeSlugInvalid, "file name %q is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters)", path.Base(f.path))
			meant = f.section.Dir + "/" + s
			renameTo = f.section.Dir + "/" + renameSlug(slug) + ".md"
		} else {
			d.errorf(Pos{}, CodeSlugInvalid, "file name %q is not a valid slug (lower-case a-z, 0-9 and -, at most 80 characters)%s",
				path.Base(f.path), SlugAdvice(slug, "rename it to", ".md"))
		}
	} else if ReservedOnWindows(slug) {
		d.errorf(Pos{}, CodeSlugInvalid, "file name %q cannot be checked out on Windows, which reserves CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 with any extension; rename it, for example to %q",
			path.Base(f.path), slug+"-1.md")
	} else if ReservedSlug(f.section.Type, slug) {
		switch {
		case f.section.Type == TypePage:
			d.errorf(Pos{}, CodeSlugInvalid, "a page cannot be called %q: /%s/ is the site's own; rename the file", path.Base(f.path), slug)
		case slug == ListPageSlug:
			d.errorf(Pos{}, CodeSlugInvalid, "an entry cannot be called %q: /%s/page/2/ is the second page of the list of %s; rename the file", path.Base(f.path), f.section.Dir, f.section.Dir)
		default:
			d.errorf(Pos{}, CodeSlugInvalid, "%q is reserved: a fleet item's vendor: unknown means the make is not established; name the vendor's file after the vendor", path.Base(f.path))
		}
	}

	data, err := readLimited(l.fsys, f.path)
	sum := sha256.Sum256(data)
	defer func() { res.sum = sum }()
	if c := l.opts.Cache; c != nil && err == nil {
		if r, ok := c.get(l.opts.Dir, f.path, sum); ok {
			c.put(l.opts.Dir, f.path, sum, r, info, statAt)
			return r
		}
		defer func() {
			// A file whose decoding panicked has no result yet: it is
			// decoded again next time.
			if res.entry != nil || len(res.diags) > 0 || res.broken != "" {
				c.put(l.opts.Dir, f.path, sum, res, info, statAt)
			}
		}()
	}
	if err != nil {
		if errors.Is(err, errTooLarge) {
			size := ""
			if fi, err := fs.Stat(l.fsys, f.path); err == nil && fi.Size() > MaxFileSize {
				size = fmt.Sprintf(" (%d KiB)", (fi.Size()+1023)>>10)
			}
			return fail(CodeFileTooLarge, Pos{}, "is larger than %d KiB%s, the most an entry may be; an entry summarises its sources in your own words: shorten it, or split it into entries that link each other", MaxFileSize>>10, size)
		}
		return fail(CodeFileUnreadable, Pos{}, "cannot be read: %v", unwrapPathErr(err))
	}
	if bytes.HasPrefix(data, []byte{0xff, 0xfe, 0, 0}) || bytes.HasPrefix(data, []byte{0, 0, 0xfe, 0xff}) {
		return fail(CodeFileEncoding, Pos{1, 1}, "is saved as UTF-32; save it as UTF-8")
	}
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return fail(CodeFileEncoding, Pos{1, 1}, "is saved as UTF-16 (what Windows Notepad calls \"Unicode\"); save it as UTF-8")
	}
	data = normalizeLineEnds(bytes.TrimPrefix(data, bom))
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return fail(CodeFileEncoding, newLineIndex(data, 1).pos(off), "is not valid UTF-8 (byte 0x%02x); save the file as UTF-8", data[off])
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fail(CodeFileEncoding, newLineIndex(data, 1).pos(i), "contains a NUL byte; it is not a text file")
	}
	if open, close, ok := conflictMarkers(data); ok {
		// Left by a merge or a rebase: read as YAML it is a syntax error
		// that names no conflict, and in the body both sides were
		// published, the first as a heading (found in review).
		return fail(CodeMergeConflict, Pos{open, 1}, "holds a merge conflict, from the <<<<<<< line here to the >>>>>>> line %d: keep the text you mean, and delete the <<<<<<<, ======= and >>>>>>> lines", close)
	}

	d.src = data
	fm, body, err := splitFrontMatter(data)
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			return fail(se.code, se.pos, "%s", se.msg)
		}
		return fail(CodeSyntax, Pos{1, 1}, "%v", err)
	}
	e.Format = fm.format
	e.BodyLine = body.line
	if len(body.data) > 0 {
		e.body = bodyAt{fsys: l.fsys, off: int32(len(data) - len(body.data)), len: int32(len(body.data)),
			sum: maphash.Bytes(bodySeed, body.data)}
		if l.keepBody(len(body.data)) {
			// Clipped: goldmark writes a newline just past a code line
			// that ends the source, which would land in the spare
			// capacity bytes.Clone rounds up to.
			e.body.kept = slices.Clip(bytes.Clone(body.data))
		}
	}

	root, err := fm.parse()
	if err != nil {
		var se *syntaxError
		if errors.As(err, &se) {
			return fail(se.code, se.pos, "%s", se.msg)
		}
		return fail(CodeSyntax, Pos{fm.line, 1}, "%v", err)
	}
	d.decodeEntry(root, Pos{Line: max(fm.line-1, 1), Col: 1})
	if t, keys, ok := d.misplaced(root); ok {
		// An incident saved in agencies/: one error that says where it
		// goes, rather than one for each of its fields an agency lacks.
		// Where to move it Load says (moveAdvice).
		sec := SectionFor(t)
		d.diags = Diagnostics{{File: display, Line: keys[0].pos.Line, Col: keys[0].pos.Col, Severity: SevError, Code: CodeFileMisplaced,
			Message: fmt.Sprintf("this is %s, not %s: %s %s fields of %s",
				withArticle(string(t)), withArticle(string(e.Type)), andList(fieldNames(keys)), map[bool]string{true: "is a", false: "are"}[len(keys) == 1],
				sec.Plural)}}
		return fileResult{diags: d.diags, broken: e.ID, alsoBroken: sec.Dir + "/" + e.Slug, moveTo: sec.Dir + "/" + path.Base(f.path)}
	}
	l.checkBody(d, body.data)
	// The lists grew by appending; the knowledge base keeps them, so at
	// their own size.
	e.refs = slices.Clone(e.refs)
	e.refNames = slices.Clip(e.refNames)
	return fileResult{entry: e, diags: d.diags, alsoBroken: meant, renameTo: renameTo}
}

// listed reports whether files has one at p, a path under the content root.
func listed(files []fileRef, p string) bool {
	return slices.ContainsFunc(files, func(f fileRef) bool { return f.path == p })
}

// renameAdvice returns the diagnostics of r, a file whose name is no
// slug, with its SLUG_INVALID error completed by the name to give it, or,
// when one of files has that name already, by what to do instead. It is
// said here, not as the file is read, for the reason moveAdvice gives.
func (l *loader) renameAdvice(r fileResult, files []fileRef) Diagnostics {
	diags := slices.Clone(r.diags)
	i := slices.IndexFunc(diags, func(d Diagnostic) bool { return d.Code == CodeSlugInvalid })
	if i < 0 {
		return diags
	}
	d := &diags[i]
	if !listed(files, r.renameTo) {
		d.Message += fmt.Sprintf("; rename it to %q", path.Base(r.renameTo))
		return diags
	}
	d.Message += fmt.Sprintf("; %s is there already: if it is the same entry, move what this file adds into it and delete this one; if not, rename this one to another slug", l.display(r.renameTo))
	return diags
}

// moveAdvice returns the diagnostics of r, a file in the wrong section,
// with its FILE_MISPLACED error completed by where to move it: to
// r.moveTo, or, when one of files is there already, not onto it. It is
// said here, not as the file is read: a cached reading of the file stands
// while another file comes or goes at r.moveTo.
func (l *loader) moveAdvice(r fileResult, files []fileRef) Diagnostics {
	diags := slices.Clone(r.diags)
	d := &diags[0]
	dir, to := path.Dir(r.moveTo), l.display(r.moveTo)
	if !listed(files, r.moveTo) {
		d.Message += fmt.Sprintf("; move it to %s/ (git mv %s %s)", dir, d.File, to)
		return diags
	}
	sec, _ := folderSection(dir)
	d.Message += fmt.Sprintf("; %s is there already: if it is the same %s, move what this file adds into it and delete this one; if not, move this one to %s/ under another slug (git mv %s %s)",
		to, sec.Type, dir, d.File, path.Join(path.Dir(to), "SLUG.md"))
	return diags
}

var errTooLarge = errors.New("file too large")

// bom is the UTF-8 byte order mark, which the loader drops.
var bom = []byte("\xef\xbb\xbf")

// ReservedSlug reports whether an entry of type t may not take slug: a
// page the site's own paths (ReservedPageSlugs), a vendor "unknown",
// which a fleet item's vendor field uses for a make not established, and
// an entry "page", whose page would hold its section list's numbered
// pages (/agencies/page/2/).
func ReservedSlug(t Type, slug string) bool {
	switch t {
	case TypePage:
		return slices.Contains(ReservedPageSlugs, slug)
	case TypeVendor:
		if slug == UnknownVendor {
			return true
		}
	}
	return slug == ListPageSlug
}

// ListPageSlug is the folder of a list's numbered pages (/agencies/page/2/),
// which no entry may take as its slug.
const ListPageSlug = "page"

// ReservedOnWindows reports whether a slug is a device name that Windows
// reserves whatever the extension ("con.md", "lpt1.md"): a repository
// holding such a file cannot be checked out there.
func ReservedOnWindows(slug string) bool { return slices.Contains(windowsDevices, slug) }

// windowsDevices are the device names Windows reserves (the JSON Schema
// refuses them as tags).
var windowsDevices = []string{"con", "prn", "aux", "nul",
	"com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
	"lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"}

// normalizeLineEnds turns every \r\n and every lone \r into \n, so that
// each parser (YAML, which reads a lone \r as a line end; the markdown
// parser; our own line index, which counts \n) sees the lines an editor
// shows, and every position in a diagnostic is one the contributor can find.
// Columns do not move: the \r of a \r\n ends its line.
func normalizeLineEnds(b []byte) []byte {
	i := bytes.IndexByte(b, '\r')
	if i < 0 {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b[:i])
	for ; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			if i+1 < len(b) && b[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	return readLimitedInto(fsys, name, nil)
}

// readLimitedInto is readLimited reading into buf's room, which it grows
// if the file needs more, and returns what it read even on an error, so
// that the buffer can be used again.
func readLimitedInto(fsys fs.FS, name string, buf []byte) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	size := 0
	if st, err := f.Stat(); err == nil {
		if !st.Mode().IsRegular() {
			return buf, fmt.Errorf("not a regular file")
		}
		if st.Size() > MaxFileSize {
			return buf, errTooLarge
		}
		size = int(st.Size())
	}
	// Read into a buffer of the size the file says it has, with room to
	// see that it ends there (or that it grew past the limit meanwhile).
	b := bytes.NewBuffer(slices.Grow(buf[:0], size+bytes.MinRead))
	_, err = b.ReadFrom(io.LimitReader(f, MaxFileSize+1))
	data := b.Bytes()
	if err != nil {
		return data[:0], err
	}
	if len(data) > MaxFileSize {
		return data[:0], errTooLarge
	}
	return data, nil
}

type chunk struct {
	format string
	data   []byte
	line   int // file line of data's first line
}

// parse parses front matter in its format into a tree of nodes.
func (fm chunk) parse() (*node, error) {
	switch fm.format {
	case "yaml":
		return parseYAML(fm.data, fm.line)
	case "toml":
		return parseTOML(fm.data, fm.line)
	case "json":
		return parseJSON(fm.data, fm.line)
	}
	return nil, fmt.Errorf("unknown front matter format %q", fm.format)
}

// splitFrontMatter separates the front matter from the body, and says on
// which file line each starts.
func splitFrontMatter(data []byte) (fm chunk, body chunk, err error) {
	open, f, fmData, rest, ok := cutFrontMatter(data)
	startLine := 1 // of the first non-blank line; 1 in a blank file
	if open >= 0 {
		startLine += bytes.Count(data[:open], []byte{'\n'})
	}
	switch {
	case f == nil:
		msg := "has no front matter; an entry starts with a line ---, then YAML fields such as title:, then a closing ---"
		if open >= 0 {
			if fix := noOpening(string(data[open:]), startLine); fix != "" {
				msg = "has no front matter: " + fix
			}
		}
		return fm, body, &syntaxError{pos: Pos{startLine, 1}, code: CodeFrontMatter, msg: msg}
	case !ok:
		end := fmt.Sprintf("a line %q", f.end)
		if f.blankAfter {
			end += " followed by an empty line"
		}
		msg := fmt.Sprintf("the front matter opened by %q on line %d is never closed", f.start, startLine)
		if line, text, isBody := unclosedAt(data[open:], f); line > 0 {
			line += startLine - 1
			if isBody {
				msg += fmt.Sprintf("; line %d reads as the text, not a field: put %s before it", line, end)
			} else {
				msg += fmt.Sprintf("; line %d, %q, is not its closing line: write %s instead", line, text, end)
			}
			return fm, body, &syntaxError{pos: Pos{line, 1}, code: CodeFrontMatter, msg: msg}
		}
		return fm, body, &syntaxError{pos: Pos{startLine, 1}, code: CodeFrontMatter, msg: msg + "; end it with " + end}
	}
	fm = chunk{format: f.format, data: fmData, line: startLine + 1}
	if f.withDelims {
		fm.line = startLine
	}
	consumed := len(data) - len(rest)
	body = chunk{data: rest, line: 1 + bytes.Count(data[:consumed], []byte{'\n'})}
	return fm, body, nil
}

// embedTags are the HTML elements that run or load something (a script,
// a video, a post embedded from a social network's script): markdown has
// no way to write them, but a link to what they show.
var embedTags = []string{"script", "iframe", "embed", "object", "video", "audio", "style", "link"}

// htmlTagAt returns the name of the HTML tag at off in body ("script" for
// "<script src=…>"), in lower case, or "".
func htmlTagAt(body []byte, off int) string {
	if off < 0 || off >= len(body) || body[off] != '<' {
		return ""
	}
	end := off + 1
	for end < len(body) && end-off <= 10 && (body[end] >= 'a' && body[end] <= 'z' || body[end] >= 'A' && body[end] <= 'Z') {
		end++
	}
	return strings.ToLower(string(body[off+1 : end]))
}

// entryLinkMeant returns the link to an entry's file that dest, a link
// that points at no entry file, was most likely meant to be, as written
// from another entry's file: the entry's address on the site
// (/agencies/nypd/), its file without .md (../agencies/nypd) or without
// the ../ that leaves this file's section (agencies/nypd.md) are all
// ../agencies/nypd.md, and so is ../agency/nypd.md, its section's folder
// misnamed (misnamed reports it). It returns "" when dest names no
// section and slug.
func entryLinkMeant(dest string) (meant string, misnamed bool) {
	p := dest
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	for {
		q := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(p, "/"), "./"), "../")
		if q == p {
			break
		}
		p = q
	}
	p = strings.TrimSuffix(strings.TrimSuffix(p, "/index.html"), "/")
	sec, slug, _ := strings.Cut(strings.TrimSuffix(p, ".md"), "/")
	if _, ok := SectionOf(sec); !ok && ValidSlug(slug) {
		if s, ok := SectionOf(sectionMeant(sec)); ok {
			return "../" + s.Dir + "/" + slug + ".md", true
		}
	}
	if _, ok := SectionOf(sec); !ok || !ValidSlug(slug) {
		return "", false
	}
	return "../" + sec + "/" + slug + ".md", false
}

// unclosedAt finds where front matter that is never closed was meant to
// end, in data from its opening line on: the first line that is a closing
// line misspelt ("----", "...", "—"), or, in YAML, the first line that
// reads as the text rather than a field (a line at the margin that is no
// key, list item or comment: "The department flies…"). It returns the
// line's number counted from the opening line as 1, the line trimmed, and
// whether it is text; 0 when no line is either.
func unclosedAt(data []byte, f *frontMatterFormat) (line int, text string, isBody bool) {
	for n, l := range strings.Split(string(data), "\n") {
		if n == 0 {
			continue
		}
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if t != f.end && f.end != "}" && misspeltDelimiter(t, f.end) {
			return n + 1, t, false
		}
		if f.format == "yaml" && l[0] != ' ' && l[0] != '\t' && l[0] != '#' && l[0] != '-' && !yamlKeyLine(l) {
			return n + 1, t, true
		}
	}
	return 0, "", false
}

// noOpening says how to open the front matter of a file whose first
// line that is not blank, line n, the start of data, opens none, when
// what it is tells: a delimiter mistyped ("----", "—"), a code block
// ("```yaml"), or the fields themselves, their opening line left
// out. It returns "" for another line, such as a heading.
func noOpening(data string, n int) string {
	lines := strings.Split(data, "\n")
	first := strings.TrimSpace(lines[0])
	for _, d := range []struct{ delim, of string }{{"---", "dashes"}, {"+++", "plus signs"}, {";;;", "semicolons"}} {
		if misspeltDelimiter(first, d.delim) {
			return fmt.Sprintf("line %d, %q, does not open one; the front matter opens with a line of exactly three %s, %s", n, first, d.of, d.delim)
		}
	}
	if fence := first[:min(3, len(first))]; fence == "```" || fence == "~~~" {
		return fmt.Sprintf("line %d, %q, opens a code block; the front matter opens with a line ---, and closes with another: write them instead of the block's %s lines", n, first, fence)
	}
	if !yamlKeyLine(lines[0]) {
		return ""
	}
	// The fields run to the closing line, if one is there, or to the
	// last line before the text.
	last := 0
	for i, l := range lines[1:] {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			continue
		case t == "---":
			return fmt.Sprintf("line %d starts its fields without the line --- that opens them; add a line --- above line %d", n, n)
		case l[0] != ' ' && l[0] != '\t' && l[0] != '#' && l[0] != '-' && !yamlKeyLine(l):
			return fmt.Sprintf("line %d starts its fields without the line --- that opens them; add a line --- above line %d, and another after line %d, where they end", n, n, n+last)
		}
		last = i + 1
	}
	return fmt.Sprintf("line %d starts its fields without the line --- that opens them; add a line --- above line %d, and another after line %d, where they end", n, n, n+last)
}

// misspeltDelimiter reports whether the line t was most likely meant to be
// the delimiter end: the same characters, more or fewer of them, or
// spaced out ("----", "- - -", "+++++"); "..." (which ends a YAML document)
// or a dash typed as an en or em dash ("—", "–––") for "---".
func misspeltDelimiter(t, end string) bool {
	c := end[0]
	if strings.Trim(strings.ReplaceAll(t, " ", ""), string(c)) == "" && len(strings.ReplaceAll(t, " ", "")) >= 2 {
		return true
	}
	// A lone "-" is an empty list item, not a delimiter typed short.
	return end == "---" && (t == "..." || t == "…" || strings.ContainsAny(t, "–—") && strings.Trim(t, "–—- ") == "")
}

// yamlKeyLine reports whether l starts with a key and its colon, as the
// fields of an entry do: lower-case letters, digits and underscores
// ("as_of:", "title_lang:"), or a quoted key.
func yamlKeyLine(l string) bool {
	if l[0] == '"' || l[0] == '\'' || l[0] == '?' || l[0] == '{' || l[0] == '[' {
		return true
	}
	i := 0
	for i < len(l) && (l[i] >= 'a' && l[i] <= 'z' || l[i] >= '0' && l[i] <= '9' || l[i] == '_' || l[i] == '-') {
		i++
	}
	j := i
	for j < len(l) && l[j] == ' ' {
		j++
	}
	return i > 0 && j < len(l) && l[j] == ':' && (j+1 == len(l) || l[j+1] == ' ' || l[j+1] == '\t')
}

// checkBody finds the body's links and citations and checks the ones that
// need no other entry; entry links are checked with the other references.
func (l *loader) checkBody(d *decoder, body []byte) {
	e := d.e
	if len(bytes.TrimSpace(body)) == 0 {
		return
	}
	li := newLineIndex(body, e.BodyLine)
	if off := templateBodyAt(e.Type, body); off >= 0 {
		d.errorf(li.pos(off), CodeBodyTemplate, "the body still holds the example text dronekb new wrote (%q); replace it with what the sources say, in your own words, citing them as [1]", truncate(templateFirstWords(e.Type), 60))
	}
	if off, msg := bodyShape(body); msg != "" {
		d.errorf(li.pos(off), CodeBodyTooComplex, "%s", msg)
		return
	}
	doc := md.Parse(body, ReservedIDs...)
	for _, lk := range doc.Links() {
		pos := li.pos(max(lk.Offset, 0))
		what := "link"
		if lk.Image {
			what = "image"
		}
		switch markdown.Classify(lk.Dest) {
		case markdown.LinkUnsafe:
			d.errorf(pos, CodeLinkUnsafe, "%s to %q is not allowed: only http, https and mailto URLs and links to other entries' .md files", what, truncate(lk.Dest, 60))
		case markdown.LinkRelative:
			if meant, _ := entryLinkMeant(lk.Dest); meant != "" {
				d.errorf(pos, CodeLinkRelative, "%s to %q points at no entry: an entry is linked by its file, relative to this one; did you mean %s?", what, truncate(lk.Dest, 60), meant)
				continue
			}
			d.errorf(pos, CodeLinkRelative, "%s to %q points at no entry: link to another entry's file (../vendors/dji.md) or use a full https:// URL", what, truncate(lk.Dest, 60))
		case markdown.LinkEntry:
			target, _, ok := markdown.ResolveEntry(e.Path, lk.Dest)
			sec, slug, _ := strings.Cut(strings.TrimSuffix(target, ".md"), "/")
			_, known := SectionOf(sec)
			if !ok || !known || strings.Contains(slug, "/") {
				hint := ""
				if meant, misnamed := entryLinkMeant(lk.Dest); misnamed {
					hint = fmt.Sprintf("; did you mean %s?", meant)
				} else if meant != "" {
					hint = fmt.Sprintf(" (links are relative to this file, in %s/); did you mean %s?", e.Section, meant)
				}
				d.errorf(pos, CodeLinkNotFound, "link to %q does not point at an entry file in agencies/, vendors/, laws/ or incidents/%s", truncate(lk.Dest, 60), hint)
				continue
			}
			e.refs = append(e.refs, useOf(d.pool.id(sec, slug), pos, fieldBody, false))
		}
	}
	// A link written with its ")" missing, or a space before its "(",
	// is text, and would show as typed: an error, as a miscitation is.
	for _, sl := range doc.LinkSlips() {
		if sl.Space {
			d.errorf(li.pos(sl.Offset), CodeLinkBroken, "%q is no link: the space between ] and ( makes it text, shown as typed; remove the space", truncate(sl.Written, 80))
		} else {
			d.errorf(li.pos(sl.Offset), CodeLinkBroken, "%q is no link: its ( is never closed, so it is text, shown as typed; end the address with )", truncate(sl.Written, 80))
		}
	}
	listed := max(len(e.Sources), d.sourcesWritten)
	cites := doc.Citations()
	if listed == 0 && len(cites) > 1 {
		// No sources at all: one error for the entry, at its first
		// citation, not one for each (an incident had 19, each telling
		// to cite [1]).
		lo, hi := cites[0].N, cites[0].N
		for _, c := range cites {
			lo, hi = min(lo, c.N), max(hi, c.N)
		}
		which, fix := fmt.Sprintf("sources %d to %d", max(lo, 1), hi), "list them in sources, in the order of their numbers"
		if max(lo, 1) >= hi {
			which, fix = fmt.Sprintf("source %d", hi), citationFix(hi, 0)
		}
		d.errorf(li.pos(cites[0].Offset), CodeCitationRange, "[%d] cites source %d, but the entry lists 0 sources; its %d citations cite %s: %s",
			cites[0].N, cites[0].N, len(cites), which, fix)
		cites = nil
	}
	for _, c := range cites {
		if c.N < 1 || c.N > listed {
			d.errorf(li.pos(c.Offset), CodeCitationRange, "[%d] cites source %d, but the entry lists %d source%s: %s", c.N, c.N, listed, plural(listed), citationFix(c.N, listed))
		}
	}
	// A range or a bracket with spaces is read as text, and would show
	// unlinked: an error, as a citation of a source not listed is.
	for _, m := range doc.Miscitations() {
		// GitHub's footnotes, which contributors bring along.
		switch {
		case m.Definition:
			d.errorf(li.pos(m.Offset), CodeCitationInvalid, "%q starts a footnote, which the site does not read; sources go in the front matter's sources list (- url: https://…), cited in the text by number, as [1]: move this one there and delete the line", m.Written)
			continue
		case m.Footnote && len(m.Meant) == 1:
			d.errorf(li.pos(m.Offset), CodeCitationInvalid, "%q is a footnote, which the site does not read as a citation of the entry's sources; write [%d]", m.Written, m.Meant[0])
			continue
		case m.Footnote:
			d.errorf(li.pos(m.Offset), CodeCitationInvalid, "%q is a footnote, which the site does not read as a citation of the entry's sources; cite the source by its number in the front matter's sources list, as [1]", m.Written)
			continue
		}
		apart, list := "", ""
		for i, n := range m.Meant {
			apart += "[" + strconv.Itoa(n) + "]"
			if i > 0 {
				list += ","
			}
			list += strconv.Itoa(n)
		}
		fix := apart
		switch {
		case len(m.Meant) == 0:
			fix = "each source it cites in brackets of its own, [1][2], or list them in one, [1,2]"
		case len(m.Meant) > 1:
			fix += " or [" + list + "]"
		}
		d.errorf(li.pos(m.Offset), CodeCitationInvalid, "%q is not a citation, and shows as plain text linked to no source: write %s", m.Written, fix)
	}
	for _, off := range doc.RawHTML() {
		if tag := htmlTagAt(body, off); slices.Contains(embedTags, tag) {
			article, _, _ := strings.Cut(withArticle(tag), " ")
			d.warnf(li.pos(off), CodeRawHTML, "raw HTML is never shown on the site, and %s <%s> never runs or loads there; remove it, and link to what it shows instead: [its title](https://…)", article, tag)
			continue
		}
		d.warnf(li.pos(off), CodeRawHTML, "raw HTML is never shown on the site; write it in markdown")
	}
	for _, off := range doc.IndentedCode() {
		// A tab or four spaces before a paragraph make it code: its links
		// and citations showed as raw text, unchecked (found in review).
		d.warnf(li.pos(off), CodeIndentedCode, "this text is indented by a tab or four spaces, which makes it a block of code: it shows as typed, and its links and citations are neither linked nor checked; remove the indentation, or fence code between ``` lines")
	}
	e.words = doc.Words()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// longLineFix is how to mend a line of the body over MaxBlockSize: most
// often a paragraph pasted as one line, which the message did not say
// how to break.
const longLineFix = ": break it where a sentence ends (the lines of a paragraph join up on the page), or into paragraphs with blank lines"

// bodyShape checks a body against MaxBlockSize, MaxNesting and
// MaxTableCells, measured as the markdown parser sees the body (a line
// starting with "|" is a table row only where the parser makes a table of
// it), and returns where and how it breaks them ("" if it does not).
func bodyShape(body []byte) (int, string) {
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		if end > MaxBlockSize {
			return off, fmt.Sprintf("a line of %d KiB; keep lines under %d KiB%s", end>>10, MaxBlockSize>>10, longLineFix)
		}
		off += end + 1
	}
	if markdown.Within(body, MaxBlockSize, MaxNesting, MaxTableCells) {
		return 0, ""
	}
	sh := markdown.Measure(body, MaxNesting, MaxTableCells)
	// A nesting problem is reported at the start of its line.
	sh.DepthAt = bytes.LastIndexByte(body[:min(sh.DepthAt, len(body))], '\n') + 1
	switch {
	case !sh.Exact:
		return sh.DepthAt, fmt.Sprintf("block quotes and lists nested more than %d deep; at most %d are allowed", MaxNesting, MaxNesting)
	case sh.Depth > MaxNesting:
		return sh.DepthAt, fmt.Sprintf("block quotes and lists nested %d deep; at most %d are allowed", sh.Depth, MaxNesting)
	case sh.Largest > MaxBlockSize:
		return sh.LargestAt, fmt.Sprintf("a %s of more than %d KiB; split it with blank lines", sh.LargestKind, MaxBlockSize>>10)
	case sh.Cells > MaxTableCells:
		return sh.CellsAt, fmt.Sprintf("tables of %d cells (rows times columns, short rows padded); at most %d are allowed: split the table or drop empty columns", sh.Cells, MaxTableCells)
	}
	return 0, ""
}

// citationFix says how to mend a citation of a source the entry does not
// list: which numbers it may cite, or to list the source (found in review:
// the message said what was wrong, not what to write).
func citationFix(n, listed int) string {
	switch {
	case listed == 0 && n == 1:
		return "add the source to sources, then cite it as [1]"
	case listed == 0:
		return "add the source to sources, and cite it by its place there ([1] if it is the only one)"
	case n < 1:
		return fmt.Sprintf("sources are numbered from 1: cite [1] to [%d]", listed)
	case listed == 1:
		return "cite [1], or add the source to sources"
	}
	return fmt.Sprintf("cite one of [1] to [%d], or add the source to sources", listed)
}

// conflictMarkers finds the first merge conflict git left in a file: a
// line starting "<<<<<<<" and a later one starting ">>>>>>>", each the
// marker alone or followed by a space and the side's name. It returns
// their lines. A line of "=======" alone is no conflict: markdown
// underlines a heading with it.
func conflictMarkers(data []byte) (open, close int, ok bool) {
	if !bytes.Contains(data, []byte("<<<<<<<")) {
		return 0, 0, false
	}
	marker := func(line []byte, m string) bool {
		rest, found := bytes.CutPrefix(line, []byte(m))
		return found && (len(rest) == 0 || rest[0] == ' ')
	}
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\n")
		switch {
		case open == 0 && marker(line, "<<<<<<<"):
			open = n
		case open > 0 && marker(line, ">>>>>>>"):
			return open, n, true
		}
	}
	return 0, 0, false
}
