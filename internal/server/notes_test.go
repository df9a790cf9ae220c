package server_test

import (
	"strings"
	"testing"
)

// TestAPINotesFilterValuesNoEntryHas: /api/search names in notes a filter
// value no entry has, with the value meant where one is near, and keeps
// its other keys; an answer whose values are all had has no notes. Found
// in review: country=UK and vendor=vendor-205 answered total 0 and no
// word why.
func TestAPINotesFilterValuesNoEntryHas(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)
	res, body := get(t, ts.URL+"/api/search?country=UK")
	r := searchResponse(t, body)
	want := `"UK" is not an ISO 3166-1 country code; the United Kingdom's is "GB"`
	if res.StatusCode != 200 || r.Total != 0 || len(r.Notes) != 1 || r.Notes[0] != want {
		t.Errorf("country=UK: status %d, total %d, notes %q; want 200, 0 and %q", res.StatusCode, r.Total, r.Notes, want)
	}
	_, body = get(t, ts.URL+"/api/search?vendor=skyey")
	if r := searchResponse(t, body); len(r.Notes) != 1 || !strings.Contains(r.Notes[0], `did you mean "skyeye"`) {
		t.Errorf("vendor=skyey: notes %q, want skyeye suggested", r.Notes)
	}
	_, body = get(t, ts.URL+"/api/search?q=drones")
	if strings.Contains(string(body), `"notes"`) {
		t.Errorf("q=drones has notes: %s", body)
	}
}
