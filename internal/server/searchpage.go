package server

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/search"
)

// The places in the search page the build writes (the default theme's
// search.html) where the answer goes. A theme that changes them gets the
// page as it is, which search.js fills in.
const (
	statusMarker  = `<div id="search-status" role="status" aria-live="polite" class="search-status"></div>`
	resultsMarker = `<section id="results" aria-label="Results" class="results"></section>`
)

// serveSearchPage answers the search page asked with a query string, as
// the search form sends it without JavaScript: the page the build wrote,
// with the answer in it — how many entries match, a page of hits and a
// link to the next — and the form showing what was asked. Pages are
// complete without JavaScript; search.js, where it runs,
// searches again and shows its own answer in place of this one. It reports
// false when it did not answer: no query, or a page without the places
// for the answer. Without an index it answers why, with a 503.
func (s *Server) serveSearchPage(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.RawQuery == "" {
		return false
	}
	page, ok := s.readPage("search/index.html")
	if !ok || !bytes.Contains(page, []byte(statusMarker)) || !bytes.Contains(page, []byte(resultsMarker)) {
		return false
	}
	raw, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return false
	}
	values := pageParams(raw)
	if !asked(values) {
		return false
	}
	code := http.StatusOK
	var status, results string
	req, err := search.ParseParams(values)
	if err != nil {
		err = withCountryCode(err, values)
	} else {
		err = queryTooLong(len(r.URL.RawQuery))
	}
	var res *search.Response
	if err == nil {
		// Without an index the page says why, as the API does (a 503):
		// sent as it was built, it showed a reader without script a
		// search that found nothing (found in review).
		err = s.unavailable()
	}
	if err == nil {
		res, _, err = s.admitAndSearch(r, req)
	}
	if err != nil {
		code = statusFor(err)
		msg := err.Error()
		if code == http.StatusInternalServerError {
			s.log.Printf("search page %q: %v", r.URL.RawQuery, err)
			msg = "The search failed."
		}
		status = html.EscapeString(msg)
		// The form shows the words, but no value the search refused.
		req = search.Request{Q: values.Get("q")}
	} else {
		status, results = s.answer(values, req, res)
	}
	page = bytes.Replace(page, []byte(statusMarker), []byte(strings.Replace(statusMarker, "></div>", ">"+status+"</div>", 1)), 1)
	page = bytes.Replace(page, []byte(resultsMarker), []byte(strings.Replace(resultsMarker, "></section>", ">"+results+"</section>", 1)), 1)
	page = fillForm(page, req)
	if s.cfg.Watch {
		page = s.inject(page)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if code == http.StatusServiceUnavailable {
		h.Set("Retry-After", "1")
	}
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(page)
	}
	return true
}

// pageParams reads the page's query string as search.js does on the page
// (readParams, not strict): a link shared with a parameter of its own
// (fbclid, utm_source) or a value given twice is still the search, not a
// refusal. It keeps the parameters a search takes, the first of each that
// takes one value, and from and size only when they are whole numbers,
// restricted only when it is true or false.
func pageParams(raw url.Values) url.Values {
	v := url.Values{}
	for _, key := range []string{"type", "country", "vendor", "status", "tag"} {
		if vals := raw[key]; len(vals) > 0 {
			v[key] = vals
		}
	}
	for _, key := range []string{"q", "restricted", "since", "until", "sort", "from", "size"} {
		val := raw.Get(key)
		if val == "" {
			continue
		}
		switch key {
		case "from", "size":
			if _, err := strconv.Atoi(val); err != nil {
				continue
			}
		case "since", "until":
			if _, err := search.ParseDateParam(key, val); err != nil {
				continue
			}
		case "restricted":
			if _, ok := search.ParseBool(val); !ok {
				continue
			}
		}
		v.Set(key, val)
	}
	return v
}

// asked reports whether the parameters ask a search, as search.js's
// active does: words, restricted=true, or a filter value; an order or a
// page alone is no search.
func asked(values url.Values) bool {
	if strings.TrimSpace(values.Get("q")) != "" {
		return true
	}
	if b, _ := search.ParseBool(values.Get("restricted")); b {
		return true
	}
	if strings.TrimSpace(values.Get("since")) != "" || strings.TrimSpace(values.Get("until")) != "" {
		return true
	}
	for _, key := range []string{"type", "country", "vendor", "status", "tag"} {
		for _, val := range values[key] {
			if strings.Trim(val, ", \t\n\r") != "" {
				return true
			}
		}
	}
	return false
}

// readPage reads a page of the site, refusing what serveFile refuses: a
// symbolic link on the way to it.
func (s *Server) readPage(rel string) ([]byte, bool) {
	full := s.cfg.Out
	for _, seg := range strings.Split(rel, "/") {
		full = filepath.Join(full, seg)
		st, err := os.Lstat(full)
		if err != nil || st.Mode()&os.ModeSymlink != 0 {
			return nil, false
		}
	}
	data, err := os.ReadFile(full)
	return data, err == nil
}

// answer writes the status line and the results of a search as the page
// shows them, each text escaped.
func (s *Server) answer(values url.Values, req search.Request, res *search.Response) (status, results string) {
	what := fmt.Sprintf("%d entries match", res.Total)
	switch res.Total {
	case 0:
		what = "No entries match"
	case 1:
		what = "1 entry matches"
	}
	if q := strings.TrimSpace(req.Q); q != "" {
		what += " “" + q + "”"
	}
	if res.Total > 0 && len(res.Hits) > 0 && (res.From > 0 || uint64(len(res.Hits)) < res.Total) {
		what += fmt.Sprintf("; showing %d to %d", res.From+1, res.From+len(res.Hits))
	}
	what += "."
	// The notes say why a filter finds nothing, as search.js says them:
	// "UK" is no country code, a tag is mistyped (found in review: the
	// API said so, the page did not).
	for _, n := range res.Notes {
		if r, size := utf8.DecodeRuneInString(n); size > 0 {
			what += " " + string(unicode.ToUpper(r)) + n[size:] + endNote(n)
		}
	}
	status = html.EscapeString(what)
	if len(res.Hits) == 0 {
		return status, ""
	}
	var b strings.Builder
	b.WriteString(`<h2 class="visually-hidden">Results</h2><ol class="hits" start="` + strconv.Itoa(res.From+1) + `">`)
	for _, h := range res.Hits {
		meta := []string{typeLabel(h.Type)}
		if h.Country != "" {
			name, ok := iso3166.Country(h.Country)
			if !ok {
				name = h.Country
			}
			meta = append(meta, name)
		}
		if l := search.StatusLabel(h.Status); l != "" {
			meta = append(meta, l)
		}
		if h.Date != "" {
			meta = append(meta, h.Date)
		}
		lang := ""
		if h.TitleLang != "" {
			lang = ` lang="` + html.EscapeString(h.TitleLang) + `"`
		}
		b.WriteString(`<li class="hit"><h3><a href="` + html.EscapeString(h.URL) + `"` + lang + `>` + html.EscapeString(h.Title) + `</a></h3>`)
		b.WriteString(`<p class="hit-meta">` + html.EscapeString(strings.Join(meta, " · ")) + `</p>`)
		lang = ""
		if h.Lang != "" {
			lang = ` lang="` + html.EscapeString(h.Lang) + `"`
		}
		b.WriteString(`<p class="snippet"` + lang + `>` + snippetHTML(h.Snippet) + `</p></li>`)
	}
	b.WriteString(`</ol>`)
	next := res.From + len(res.Hits)
	switch {
	case uint64(next) >= res.Total:
	case next < search.MaxFrom:
		v := url.Values{}
		for key, vals := range values {
			if key != "from" {
				v[key] = vals
			}
		}
		v.Set("from", strconv.Itoa(next))
		if next+req.Size > search.MaxFrom {
			// The last page a search reaches is a short one, not none.
			v.Set("size", strconv.Itoa(search.MaxFrom-next))
		}
		b.WriteString(`<p><a class="more" href="?` + html.EscapeString(v.Encode()) + `">More results (` + strconv.Itoa(next) + ` of ` + strconv.FormatUint(res.Total, 10) + `)</a></p>`)
	default:
		// The list stopped at the 1000th hit without a word of the others
		// (found in review).
		b.WriteString(capNote(res.Total, s.basePath()))
	}
	b.WriteString(downloadLink(values, res.Total, s.basePath()))
	return status, b.String()
}

// downloadLink offers the search's hits as CSV from the API (format=csv,
// without from and size: every hit the search pages to), as search.js
// offers them: a researcher's table of what was found, to cite and sort.
func downloadLink(values url.Values, total uint64, base string) string {
	v := url.Values{}
	for key, vals := range values {
		if key != "from" && key != "size" {
			v[key] = vals
		}
	}
	v.Set("format", "csv")
	return `<p class="search-download"><a href="` + html.EscapeString(base+"api/search?"+v.Encode()) + `" download="dronekb-search.csv">` +
		html.EscapeString(search.DownloadText(total)) + `</a></p>`
}

// capNote says, under the last hit a search pages to (search.MaxFrom),
// that the others are not listed, and how to get them: the search page's
// script says the same (search.js). A reader of the site has the
// downloads, not the command, so they come first (found in review).
func capNote(total uint64, base string) string {
	return fmt.Sprintf(`<p class="search-cap">Only the first %d of the %d matches are listed here. Narrow the search with words or filters to see the others. `+
		`Every entry is in the <a href="%s">downloads</a>, and <code>dronekb search --all</code> lists every match from a built index.</p>`,
		search.MaxFrom, total, html.EscapeString(base+"data/"))
}

// endNote is the full stop after a note in the status line, none after a
// note that asks (`did you mean "dji" (DJI)?`), which read "?." (found
// in a researcher's audit). search.js ends them the same way.
func endNote(n string) string {
	if strings.HasSuffix(n, "?") {
		return ""
	}
	return "."
}

func typeLabel(t string) string {
	if t == "" {
		return ""
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

var markRE = regexp.MustCompile(`(?s)<mark>(.*?)</mark>`)

// snippetHTML writes a hit's snippet (escaped text with <mark> around
// matches) again from its text: whatever it holds, only the marks are
// markup.
func snippetHTML(snippet string) string {
	var b strings.Builder
	at := 0
	for _, m := range markRE.FindAllStringSubmatchIndex(snippet, -1) {
		b.WriteString(html.EscapeString(html.UnescapeString(snippet[at:m[0]])))
		b.WriteString("<mark>" + html.EscapeString(html.UnescapeString(snippet[m[2]:m[3]])) + "</mark>")
		at = m[1]
	}
	b.WriteString(html.EscapeString(html.UnescapeString(snippet[at:])))
	return b.String()
}

// formText is words as the form shows them again: a byte that is no UTF-8
// and a control character (the query refused for one) become U+FFFD, the
// mark a browser shows for them, rather than go into the page as they
// came (a NUL, or 0xff in a page declared UTF-8; found in a researcher's
// audit).
func formText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
}

// fillForm shows in the page's search form what was asked: the words, the
// types, the countries and vendors, the check box and the order. Each is
// found by the default theme's markup, and left as it is when a theme
// changed it.
func fillForm(page []byte, req search.Request) []byte {
	set := func(find, with string) {
		page = bytes.Replace(page, []byte(find), []byte(with), 1)
	}
	if req.Q != "" {
		q := formText(req.Q)
		set(`id="q" name="q"`, `id="q" name="q" value="`+html.EscapeString(q)+`"`)
		// The tab, the history and a bookmark name the words searched
		// for, as search.js names them (titleFor).
		if q := strings.TrimSpace(q); q != "" {
			if r := []rune(q); len(r) > 60 {
				q = string(r[:60]) + "…"
			}
			set(`<title>`, `<title>`+html.EscapeString(q)+` — `)
		}
	}
	for _, t := range req.Types {
		set(`name="type" value="`+t+`">`, `name="type" value="`+t+`" checked>`)
	}
	if len(req.Countries) > 0 {
		set(`id="f-country" name="country"`, `id="f-country" name="country" value="`+html.EscapeString(strings.Join(req.Countries, ", "))+`"`)
	}
	if len(req.Vendors) > 0 {
		set(`id="f-vendor" name="vendor"`, `id="f-vendor" name="vendor" value="`+html.EscapeString(strings.Join(req.Vendors, ", "))+`"`)
	}
	if req.Restricted {
		set(`name="restricted" value="true">`, `name="restricted" value="true" checked>`)
	}
	if !req.Since.IsZero() {
		set(`id="f-since" name="since"`, `id="f-since" name="since" value="`+req.Since.String()+`"`)
	}
	if !req.Until.IsZero() {
		set(`id="f-until" name="until"`, `id="f-until" name="until" value="`+req.Until.String()+`"`)
	}
	// The filters the form has no field for ride along hidden, so that
	// searching again keeps them.
	if len(req.Statuses) > 0 || len(req.Tags) > 0 {
		hidden := `<input type="hidden" name="status" value="` + html.EscapeString(strings.Join(req.Statuses, ",")) + `">`
		if len(req.Tags) > 0 {
			hidden += `<input type="hidden" name="tag" value="` + html.EscapeString(strings.Join(req.Tags, ",")) + `">`
		}
		set(`<input type="hidden" name="status">`, hidden)
	}
	if req.Sort != "" && req.Sort != "relevance" {
		set(`<option value="`+req.Sort+`">`, `<option value="`+req.Sort+`" selected>`)
	}
	return page
}
