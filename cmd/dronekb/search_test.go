package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// manyVendors writes a content folder of n vendors, every one a maker of
// drones, and returns it with the index beside it (not built yet: the
// first search builds it).
func manyVendors(t *testing.T, n int) (content, index string) {
	t.Helper()
	dir := t.TempDir()
	content, index = filepath.Join(dir, "content"), filepath.Join(dir, "index")
	if err := os.MkdirAll(filepath.Join(content, "vendors"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		body := fmt.Sprintf("---\ntitle: Vendor %04d\nsummary: A maker of drones.\ncountry: CN\n---\nIt makes drones.\n", i)
		if err := os.WriteFile(filepath.Join(content, "vendors", fmt.Sprintf("v%04d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return content, index
}

// searchCLI runs dronekb search with args, returning its exit status,
// stdout and stderr.
func searchCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"search"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestSearchAll: dronekb search --all writes every hit, past the 1,000
// that --from and --limit reach, as CSV, JSON or a table, in the order
// asked for; CSV or JSON cut by --limit says so on stderr; and the table's
// last page that --from reaches says how to see the rest, not to page on.
// Found in review at 10,000 entries: --format csv wrote the first 20 of
// 9,669 hits with exit 0 and nothing on stderr, and no interface listed
// more than 1,000.
func TestSearchAll(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1748736000") // 2025-06-01
	const n = 1050
	content, index := manyVendors(t, n)
	// The last vendor by title has the longest title, so that a table
	// whose columns lined up page by page would set its last page's
	// apart from the rest.
	long := "---\ntitle: Vendor 1049, whose name is longer than any other's\nsummary: A maker of drones.\ncountry: CN\n---\nIt makes drones.\n"
	if err := os.WriteFile(filepath.Join(content, "vendors", "v1049.md"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--content", content, "--index", index, "--sort", "title"}

	// A page of CSV says it is one.
	code, out, errOut := searchCLI(t, append(base, "--format", "csv", "drones")...)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 21 {
		t.Fatalf("--format csv: exit %d, %d rows (%v); want 0 and a header and 20 hits\n%s", code, len(rows), err, errOut)
	}
	if !strings.Contains(errOut, "note: 20 of 1050 hits; --all writes every one\n") {
		t.Errorf("--format csv of 20 of 1050 hits says on stderr:\n%s\nwant that it wrote 20 of 1050 and that --all writes every one", errOut)
	}
	_, _, errOut = searchCLI(t, append(base, "--format", "json", "--from", "40", "drones")...)
	if !strings.Contains(errOut, "note: hits 41–60 of 1050; --all writes every one\n") {
		t.Errorf("--format json --from 40 says on stderr:\n%s", errOut)
	}

	// --all: every hit, in order.
	code, out, errOut = searchCLI(t, append(base, "--format", "csv", "--all", "drones")...)
	rows, err = csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != n+1 {
		t.Fatalf("--format csv --all: exit %d, %d rows (%v); want 0 and a header and %d hits\n%s", code, len(rows), err, n, errOut)
	}
	for i, row := range rows[1:] {
		if want := fmt.Sprintf("vendors/v%04d", i); row[0] != want {
			t.Fatalf("--all --sort title: row %d is %s, want %s", i+1, row[0], want)
		}
	}
	if strings.Contains(errOut, "note: ") && strings.Contains(errOut, "--all writes") {
		t.Errorf("--all says it cut the list:\n%s", errOut)
	}
	code, out, _ = searchCLI(t, append(base, "--format", "json", "--all", "--type", "vendor")...)
	var answer struct {
		Total      int
		From, Size int
		Hits       []struct{ ID string }
		Facets     map[string][]struct {
			Value string
			Count int
		}
	}
	if err := json.Unmarshal([]byte(out), &answer); code != 0 || err != nil {
		t.Fatalf("--format json --all: exit %d, %v\n%.300s", code, err, out)
	}
	if answer.Total != n || answer.From != 0 || answer.Size != n || len(answer.Hits) != n || answer.Facets["type"][0].Count != n {
		t.Errorf("--format json --all: total %d, from %d, size %d, %d hits, facets %v; want %d of each", answer.Total, answer.From, answer.Size, len(answer.Hits), answer.Facets["type"], n)
	}
	// The table of every hit lines its columns up from the first row to
	// the last, across the pages --all reads.
	code, out, _ = searchCLI(t, append(base, "--all", "drones")...)
	column := map[int]int{} // where the page column starts: rows
	lines := 0
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "/vendors/v"); i >= 0 {
			column[i]++
			lines++
		}
	}
	if code != 0 || lines != n || len(column) != 1 {
		t.Errorf("--all (table): exit %d, %d rows; the page column starts at (offset: rows) %v; want %d rows, all at one offset", code, lines, column, n)
	}
	code, out, _ = searchCLI(t, append(base, "--all", "--from", "1040", "drones")...)
	if code != 0 || strings.Count(out, "/vendors/v") != 10 || !strings.Contains(out, "\n1050 matches (showing 1041–1050)\n") {
		t.Errorf("--all --from 1040 (table): exit %d\n%s", code, out)
	}
	if code, _, errOut := searchCLI(t, append(base, "--all", "--limit", "5", "drones")...); code != 2 || !strings.Contains(errOut, "give one of them") {
		t.Errorf("--all --limit 5: exit %d, %s; want 2 and which to give", code, errOut)
	}

	// The table: the last page --from reaches does not offer the next.
	_, out, _ = searchCLI(t, append(base, "drones")...)
	if !strings.Contains(out, "1050 matches (showing 1–20; --from and --limit page through them, --all lists every one)") {
		t.Errorf("the first page's table says:\n%s", out)
	}
	// Its vendor facet lists 60 of 1050 vendors, and says so.
	if !regexp.MustCompile(`\nvendor: .* · and 990 more \(990\)\n`).MatchString(out) {
		t.Errorf("the vendor facet does not say it leaves 990 vendors out:\n%.2000s", out[strings.Index(out, "\nvendor:"):])
	}
	_, out, _ = searchCLI(t, append(base, "--from", "980", "drones")...)
	if !regexp.MustCompile(`\n1050 matches \(showing 981–1000; --from and --limit reach the first 1000: --all lists every one, or narrow the search\)\n`).MatchString(out) {
		t.Errorf("the last page --from reaches says:\n%s", out)
	}
}
