package kb

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestStretchesAgreeWithTracker holds Stretches to the tracker day by
// day, on the shipped knowledge base and every kb test archive: on each
// day from 2015 to 2028, each fleet item the tracker judges lies in
// exactly one stretch, of the observation the tracker takes, counted as
// current, stale or kept from being current by an operating ban as the
// tracker counts it; an item not in the fleet lies in none; and a
// stretch ended by a later observation is followed by that observation.
// Timelines draw these stretches as the days the tracker counts an
// observation, so they must never say more than the tracker does.
func TestStretchesAgreeWithTracker(t *testing.T) {
	kbs := map[string]*KB{"shipped": Load(os.DirFS("../../content"), Options{})}
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		a, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		kbs[filepath.Base(file)] = loadArchive(t, a, Options{}).KB
	}
	if len(kbs) < 2 {
		t.Fatal("no archives")
	}
	from, end := MustDate("2015-01-01"), MustDate("2028-12-31")
	for name, k := range kbs {
		t.Run(name, func(t *testing.T) {
			var provs []*Provision
			for _, l := range k.Section("laws") {
				provs = append(provs, l.Law.Provisions...)
			}
			agencies := k.Section("agencies")
			stretches := map[*FleetItem][]Stretch{}
			banned, cut := 0, 0
			for _, a := range agencies {
				for i := range a.Agency.Fleet {
					f := &a.Agency.Fleet[i]
					var v *Entry
					if !f.UnknownMake {
						v = k.Entry(f.Vendor.ID)
					}
					var bans []*Provision
					for _, p := range provs {
						if p.Bans(a, v) {
							bans = append(bans, p)
						}
					}
					stretches[f] = f.Stretches(bans, end)
					for j, s := range stretches[f] {
						if s.From.After(s.To) || j > 0 && stretches[f][j-1].To.addDays(1) != s.From {
							t.Errorf("%s: stretches out of order or overlapping: %+v", a.ID, stretches[f])
						}
						if s.Ban != nil {
							banned++
						}
						if s.Next != nil {
							cut++
						}
					}
				}
			}
			judged := 0
			for day := from; !day.After(end); day = day.addDays(1) {
				for _, as := range k.JudgeOn(day)(agencies) {
					in := map[*FleetItem]bool{}
					for _, it := range as.Items {
						in[it.Item] = true
						var s *Stretch
						for j := range stretches[it.Item] {
							if st := &stretches[it.Item][j]; !day.Before(st.From) && !day.After(st.To) {
								s = st
							}
						}
						if s == nil {
							t.Fatalf("%s on %s: the tracker has %s %s, in no stretch", as.Agency.ID, day, it.Status, it.AsOf)
						}
						if s.Obs.Date != it.AsOf || s.Obs.Status != it.Status || s.Obs.Acquisition != it.Acquired {
							t.Fatalf("%s on %s: the tracker has %s %s, the stretch %+v", as.Agency.ID, day, it.Status, it.AsOf, s)
						}
						if it.Status == StatusActive && (s.Current != it.Current || s.Stale != it.Stale || (s.Ban != nil) != (it.BeforeBan != nil)) {
							t.Fatalf("%s on %s: the tracker counts %s %s current %t stale %t before a ban %t; the stretch %+v", as.Agency.ID, day, it.Status, it.AsOf, it.Current, it.Stale, it.BeforeBan != nil, s)
						}
						if it.Status != StatusActive && (s.Current || s.Stale || s.Ban != nil) {
							t.Fatalf("%s on %s: a %s observation counted as active: %+v", as.Agency.ID, day, it.Status, s)
						}
						if s.Next != nil && day == s.To {
							if o, _ := it.Item.StatusOn(day.addDays(1)); o != *s.Next {
								t.Fatalf("%s on %s: the stretch says %+v counts next, the item has %+v", as.Agency.ID, day, s.Next, o)
							}
						}
						judged++
					}
					for i := range as.Agency.Agency.Fleet {
						f := &as.Agency.Agency.Fleet[i]
						if in[f] {
							continue
						}
						for _, s := range stretches[f] {
							if !day.Before(s.From) && !day.After(s.To) {
								t.Fatalf("%s on %s: an item not in the fleet lies in %+v", as.Agency.ID, day, s)
							}
						}
					}
				}
			}
			if name == "shipped" && (judged == 0 || banned == 0 || cut == 0) {
				t.Errorf("items judged: %d, stretches before a ban: %d, ended by a later observation: %d; the test needs all", judged, banned, cut)
			}
		})
	}
}
