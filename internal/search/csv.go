package search

import (
	"fmt"
	"strconv"

	"github.com/dronekb/dronekb/internal/kb"
)

// CSVHeader names the columns of hits written as CSV, by dronekb search
// --format csv, /api/search?format=csv and the search page's download.
var CSVHeader = []string{"id", "type", "title", "country", "status", "date", "url", "score"}

// CSVRecord is the hit as a row under CSVHeader, its score to four
// places. A cell a spreadsheet would take for a formula (a title that
// starts with "=") is written as text (kb.SafeCells): the titles are
// contributors' words.
func (h *Hit) CSVRecord() []string {
	return kb.SafeCells([]string{h.ID, h.Type, h.Title, h.Country, h.Status, h.Date, h.URL, strconv.FormatFloat(h.Score, 'f', 4, 64)})
}

// DownloadText is the words of the search page's link to its hits as
// CSV, for total hits: every hit up to MaxFrom, the deepest a search
// pages to. search.js writes the same (downloadText).
func DownloadText(total uint64) string {
	switch {
	case total == 1:
		return "Download the match as CSV"
	case total <= MaxFrom:
		return fmt.Sprintf("Download the %d matches as CSV", total)
	}
	return fmt.Sprintf("Download the first %d of the %d matches as CSV", MaxFrom, total)
}
