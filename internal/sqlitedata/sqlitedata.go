// Package sqlitedata writes the knowledge base and its tracker as an SQLite
// file, data/kb.sqlite, for researchers' SQL tools. It plugs into a build
// as a site.Export, so that only the command links the SQLite driver
// (modernc.org/sqlite: pure Go, no C toolchain, but a large package to
// compile), not every test of the site.
package sqlitedata

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // pure Go: the build needs no C toolchain

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
)

// sqliteSchema is data/kb.sqlite: one table per entry type, the fleet
// items and their observations, the laws' provisions and exemptions, and
// the tracker's rows on the site's date, joined by foreign keys. Lists a
// row cannot hold are tables of their own (incident_agencies, …); lists of
// codes are cells joined with ";", NULL when a law's binds does not narrow.
// tracker_laws names the laws that bind each agency and restrict its
// hardware, ban what it flies, or exempt it; the laws that restrict its
// hardware without binding it (in a large knowledge base, hundreds an
// agency) follow from provision_vendors and provision_countries.
// Researchers query it with any SQL tool (datasette data/kb.sqlite).
const sqliteSchema = `
CREATE TABLE entries (id TEXT PRIMARY KEY, type TEXT NOT NULL, slug TEXT NOT NULL, title TEXT NOT NULL, title_lang TEXT, lang TEXT NOT NULL, summary TEXT, tags TEXT, updated TEXT, changed TEXT, url TEXT NOT NULL, body TEXT);
CREATE TABLE sources (entry_id TEXT NOT NULL REFERENCES entries(id), n INTEGER NOT NULL, url TEXT NOT NULL, title TEXT, title_lang TEXT, publisher TEXT, date TEXT, archive TEXT, PRIMARY KEY (entry_id, n));
CREATE TABLE related (entry_id TEXT NOT NULL REFERENCES entries(id), related_id TEXT NOT NULL REFERENCES entries(id));
CREATE TABLE vendors (id TEXT PRIMARY KEY REFERENCES entries(id), legal_name TEXT, country TEXT NOT NULL, hq TEXT, website TEXT, parent_id TEXT REFERENCES vendors(id));
CREATE TABLE agencies (id TEXT PRIMARY KEY REFERENCES entries(id), short TEXT, country TEXT NOT NULL, region TEXT, level TEXT, kind TEXT, parent_id TEXT REFERENCES agencies(id), website TEXT);
CREATE TABLE laws (id TEXT PRIMARY KEY REFERENCES entries(id), short TEXT, kind TEXT, country TEXT NOT NULL, region TEXT, status TEXT NOT NULL, introduced TEXT, enacted TEXT, effective TEXT, expires TEXT, measure TEXT, in_force INTEGER NOT NULL);
CREATE TABLE incidents (id TEXT PRIMARY KEY REFERENCES entries(id), date TEXT NOT NULL, place TEXT, country TEXT, region TEXT, kind TEXT);
CREATE TABLE incident_agencies (incident_id TEXT NOT NULL REFERENCES incidents(id), agency_id TEXT NOT NULL REFERENCES agencies(id));
CREATE TABLE incident_vendors (incident_id TEXT NOT NULL REFERENCES incidents(id), vendor_id TEXT NOT NULL REFERENCES vendors(id));
CREATE TABLE incident_laws (incident_id TEXT NOT NULL REFERENCES incidents(id), law_id TEXT NOT NULL REFERENCES laws(id));
CREATE TABLE fleet_items (id INTEGER PRIMARY KEY, agency_id TEXT NOT NULL REFERENCES agencies(id), position INTEGER NOT NULL, vendor_id TEXT REFERENCES vendors(id), unknown_make INTEGER NOT NULL, model TEXT, count INTEGER, acquired TEXT, status TEXT NOT NULL, as_of TEXT NOT NULL, source TEXT, note TEXT);
CREATE TABLE observations (fleet_item_id INTEGER NOT NULL REFERENCES fleet_items(id), date TEXT NOT NULL, status TEXT NOT NULL, source TEXT, kind TEXT NOT NULL);
CREATE TABLE provisions (id INTEGER PRIMARY KEY, law_id TEXT NOT NULL REFERENCES laws(id), position INTEGER NOT NULL, measure TEXT NOT NULL, start TEXT, in_force_by TEXT, "end" TEXT, in_force INTEGER NOT NULL, binds_levels TEXT, binds_kinds TEXT, binds_agencies TEXT, note TEXT);
CREATE TABLE provision_vendors (provision_id INTEGER NOT NULL REFERENCES provisions(id), vendor_id TEXT NOT NULL REFERENCES vendors(id));
CREATE TABLE provision_countries (provision_id INTEGER NOT NULL REFERENCES provisions(id), country TEXT NOT NULL);
CREATE TABLE exemptions (id INTEGER PRIMARY KEY, provision_id INTEGER NOT NULL REFERENCES provisions(id), levels TEXT, kinds TEXT, agencies TEXT, uses TEXT, source TEXT);
CREATE TABLE tracker (agency_id TEXT PRIMARY KEY REFERENCES agencies(id), as_of TEXT NOT NULL, status TEXT NOT NULL, why TEXT, reason TEXT NOT NULL, stale INTEGER NOT NULL, last_seen TEXT, evidence TEXT);
CREATE TABLE tracker_items (agency_id TEXT NOT NULL REFERENCES tracker(agency_id), fleet_item_id INTEGER NOT NULL REFERENCES fleet_items(id), status TEXT NOT NULL, as_of TEXT NOT NULL, restricted INTEGER NOT NULL, current INTEGER NOT NULL, stale INTEGER NOT NULL, deciding INTEGER NOT NULL, before_ban TEXT REFERENCES laws(id), acquired INTEGER NOT NULL);
CREATE TABLE tracker_laws (agency_id TEXT NOT NULL REFERENCES tracker(agency_id), law_id TEXT NOT NULL REFERENCES laws(id), relation TEXT NOT NULL);
`

// sqliteIndexes index the columns the tables are joined on. They are made
// once the rows are in, from each table at once, rather than kept up row
// by row: BenchmarkWrite at 10,000 entries took 438–455 ms a file, 456–477
// with the indexes made first.
const sqliteIndexes = `
CREATE INDEX fleet_items_agency ON fleet_items(agency_id);
CREATE INDEX observations_item ON observations(fleet_item_id);
CREATE INDEX provisions_law ON provisions(law_id);
CREATE INDEX tracker_items_agency ON tracker_items(agency_id);
CREATE INDEX tracker_laws_agency ON tracker_laws(agency_id);
`

// Export is data/kb.sqlite as a download of the site.
func Export() site.Export {
	return site.Export{Path: "data/kb.sqlite", Format: "SQLite", MediaType: "application/vnd.sqlite3",
		Description: "Every entry, fleet item, observation, provision, exemption and tracker row as tables joined by foreign keys, for SQL tools (datasette kb.sqlite).",
		Write:       Write}
}

// Write writes the site's knowledge base and tracker as SQLite to path.
func Write(s *site.Site, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := write(s, path); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func write(s *site.Site, path string) error {
	_ = os.Remove(path)
	// Pages of 16 KiB rather than SQLite's 4: an entry's row, its body
	// with it, is about 4 KiB in a knowledge base like the generated one,
	// and at 4 KiB a page most rows took a page of their own and many an
	// overflow page besides. The file is a fifth smaller (53.0 → 42.7 MB
	// at 10,000 generated entries, 530 → 421 MB at 100,000) and quicker to
	// write (BenchmarkWrite: 485–487 → 456–477 ms); any reader takes any
	// page size.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=page_size(16384)&_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, sqliteSchema); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := map[string]*sql.Stmt{}
	exec := func(query string, args ...any) (sql.Result, error) {
		st := stmts[query]
		if st == nil {
			var err error
			if st, err = tx.PrepareContext(ctx, query); err != nil {
				return nil, err
			}
			stmts[query] = st
		}
		return st.ExecContext(ctx, args...)
	}
	var firstErr error
	do := func(query string, args ...any) int64 {
		if firstErr != nil {
			return 0
		}
		r, err := exec(query, args...)
		if err != nil {
			firstErr = fmt.Errorf("%s: %w", query, err)
			return 0
		}
		id, _ := r.LastInsertId()
		return id
	}
	join := func(xs []string) any {
		return nullable(strings.Join(xs, ";"))
	}
	bindsCells := func(b *kb.Binds) (any, any, any) {
		if b == nil {
			return nil, nil, nil
		}
		var l, k, a any
		if b.HasLevels {
			l = strings.Join(b.Levels, ";")
		}
		if b.HasKinds {
			k = strings.Join(b.Kinds, ";")
		}
		if b.HasAgencies {
			a = strings.Join(kb.RefIDs(b.Agencies), ";")
		}
		return l, k, a
	}
	k, tracker, asOf := s.KB(), s.Tracker(), s.AsOf()
	fleetIDs := map[*kb.FleetItem]int64{}
	for _, e := range k.Entries {
		body, err := e.BodyString()
		if err != nil {
			return err
		}
		do(`INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, e.ID, string(e.Type), e.Slug, e.Title, nullable(e.TitleLang), e.TextLanguage(), nullable(e.Summary), join(e.Tags), nullable(e.Updated.String()), nullable(s.Cited(e).String()), s.AbsEntryURL(e), body)
		for i, src := range e.Sources {
			do(`INSERT INTO sources VALUES (?,?,?,?,?,?,?,?)`, e.ID, i+1, src.URL, nullable(src.Title), nullable(src.Lang), nullable(src.Publisher), nullable(src.Date.String()), nullable(src.Archive))
		}
		for _, r := range e.Related {
			do(`INSERT INTO related VALUES (?,?)`, e.ID, r.ID)
		}
		switch {
		case e.Vendor != nil:
			v := e.Vendor
			var parent any
			if v.Parent != nil {
				parent = v.Parent.ID
			}
			do(`INSERT INTO vendors VALUES (?,?,?,?,?,?)`, e.ID, nullable(v.LegalName), v.Country, nullable(v.HQ), nullable(v.Website), parent)
		case e.Agency != nil:
			a := e.Agency
			var parent any
			if a.Parent != nil {
				parent = a.Parent.ID
			}
			do(`INSERT INTO agencies VALUES (?,?,?,?,?,?,?,?)`, e.ID, nullable(a.Short), a.Country, nullable(a.Region), nullable(a.Level), nullable(a.Kind), parent, nullable(a.Website))
			for i := range a.Fleet {
				f := &a.Fleet[i]
				var vendor any
				if !f.UnknownMake {
					vendor = f.Vendor.ID
				}
				var count any
				if f.Count > 0 {
					count = f.Count
				}
				id := do(`INSERT INTO fleet_items (agency_id, position, vendor_id, unknown_make, model, count, acquired, status, as_of, source, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
					e.ID, f.Index+1, vendor, boolInt(f.UnknownMake), nullable(f.Model), count, nullable(f.Acquired.String()), f.Status, f.AsOf.String(), nullable(f.Source), nullable(f.Note))
				fleetIDs[f] = id
				for _, o := range f.Observations() {
					kind := "history"
					switch {
					case o.Acquisition:
						kind = "acquired"
					case o.Pos == f.Pos:
						kind = "latest"
					}
					do(`INSERT INTO observations VALUES (?,?,?,?,?)`, id, o.Date.String(), o.Status, nullable(o.Source), kind)
				}
			}
		case e.Law != nil:
			l := e.Law
			do(`INSERT INTO laws VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, e.ID, nullable(l.Short), nullable(l.Kind), l.Country, nullable(l.Region), l.Status,
				nullable(l.Introduced.String()), nullable(l.Enacted.String()), nullable(l.Effective.String()), nullable(l.Expires.String()), nullable(l.Measure), boolInt(l.InForce(asOf)))
			for _, p := range l.Provisions {
				bl, bk, ba := bindsCells(p.Binds)
				pid := do(`INSERT INTO provisions (law_id, position, measure, start, in_force_by, "end", in_force, binds_levels, binds_kinds, binds_agencies, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
					e.ID, p.Index+1, p.Measure, nullable(p.Start.String()), nullable(p.InForceByDate()), nullable(p.End.String()), boolInt(p.InForce(asOf)), bl, bk, ba, nullable(p.Note))
				for _, v := range p.Restricts.Vendors {
					do(`INSERT INTO provision_vendors VALUES (?,?)`, pid, v.ID)
				}
				for _, c := range p.Restricts.Countries {
					do(`INSERT INTO provision_countries VALUES (?,?)`, pid, c)
				}
				for i := range p.Exempts {
					ex := &p.Exempts[i]
					el, ek, ea := bindsCells(&ex.Match)
					do(`INSERT INTO exemptions (provision_id, levels, kinds, agencies, uses, source) VALUES (?,?,?,?,?,?)`, pid, el, ek, ea, nullable(ex.Uses), nullable(ex.Source))
				}
			}
		case e.Incident != nil:
			in := e.Incident
			do(`INSERT INTO incidents VALUES (?,?,?,?,?,?)`, e.ID, in.Date.String(), nullable(in.Place), nullable(in.Country), nullable(in.Region), nullable(in.Kind))
			for _, r := range in.Agencies {
				do(`INSERT INTO incident_agencies VALUES (?,?)`, e.ID, r.ID)
			}
			for _, r := range in.Vendors {
				do(`INSERT INTO incident_vendors VALUES (?,?)`, e.ID, r.ID)
			}
			for _, r := range in.Laws {
				do(`INSERT INTO incident_laws VALUES (?,?)`, e.ID, r.ID)
			}
		}
	}
	for _, as := range tracker.Agencies {
		id := as.Agency.ID
		// evidence and tracker_items.acquired say, as tracker.json does,
		// whether the evidence dated last_seen is a sighting or a purchase.
		var evidence any
		if !as.LastSeen.IsZero() {
			evidence = as.EvidenceVerb()
		}
		do(`INSERT INTO tracker VALUES (?,?,?,?,?,?,?,?)`, id, asOf.String(), string(as.Status), nullable(as.Why), as.ReasonText(), boolInt(as.Stale), nullable(as.LastSeen.String()), evidence)
		deciding := map[*kb.ItemStatus]bool{}
		for _, it := range as.Deciding {
			deciding[it] = true
		}
		for _, it := range as.Items {
			// before_ban: the operating ban that began after the item was
			// last seen flying, or may have (kb.ItemStatus.SurelyBeforeBan),
			// which keeps that sighting from counting.
			var beforeBan any
			if it.BeforeBan != nil {
				beforeBan = it.BeforeBan.Law.ID
			}
			do(`INSERT INTO tracker_items VALUES (?,?,?,?,?,?,?,?,?,?)`, id, fleetIDs[it.Item], it.Status, it.AsOf.String(), boolInt(it.Restricted), boolInt(it.Current), boolInt(it.Stale), boolInt(deciding[it]), beforeBan, boolInt(it.Acquired))
		}
		for _, rel := range []struct {
			name string
			laws []*kb.Entry
		}{{"binding", as.BindingLaws}, {"banning", as.BanningLaws}, {"exempting", as.ExemptingLaws}} {
			for _, l := range rel.laws {
				do(`INSERT INTO tracker_laws VALUES (?,?,?)`, id, l.ID, rel.name)
			}
		}
	}
	if firstErr != nil {
		return firstErr
	}
	for _, st := range stmts {
		st.Close()
	}
	if _, err := tx.ExecContext(ctx, sqliteIndexes); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return db.Close()
}
