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

	"github.com/dronekb/dronekb/internal/iso3166"
	"github.com/dronekb/dronekb/internal/kb"
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
// complete without JavaScript (DESIGN.md); search.js, where it runs,
// searches again and shows its own answer in place of this one. It reports
// false when it did not answer: no index, no query, or a page without the
// places for the answer.
func (s *Server) serveSearchPage(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.RawQuery == "" || s.index.Load() == nil {
		return false
	}
	page, ok := s.readPage("search/index.html")
	if !ok || !bytes.Contains(page, []byte(statusMarker)) || !bytes.Contains(page, []byte(resultsMarker)) {
		return false
	}
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil || !asked(values) {
		return false
	}
	code := http.StatusOK
	var status, results string
	req, err := search.ParseParams(values)
	if err == nil && len(r.URL.RawQuery) > maxQueryString {
		err = &search.QueryError{Msg: fmt.Sprintf("the query string is %d bytes long; keep it under %d", len(r.URL.RawQuery), maxQueryString)}
	}
	var res *search.Response
	if err == nil {
		res, err = s.admitAndSearch(r, req)
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
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		_, _ = w.Write(page)
	}
	return true
}

// asked reports whether the query string asks a search: a word or a
// filter, not only the form's empty fields and its order.
func asked(values url.Values) bool {
	for key, vals := range values {
		if key == "sort" {
			continue
		}
		for _, v := range vals {
			if strings.TrimSpace(v) != "" {
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
	status = html.EscapeString(what + ".")
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
		if h.Status != "" {
			meta = append(meta, kb.Status(h.Status).Label())
		}
		if h.Date != "" {
			meta = append(meta, h.Date)
		}
		b.WriteString(`<li class="hit"><h3><a href="` + html.EscapeString(h.URL) + `">` + html.EscapeString(h.Title) + `</a></h3>`)
		b.WriteString(`<p class="hit-meta">` + html.EscapeString(strings.Join(meta, " · ")) + `</p>`)
		b.WriteString(`<p class="snippet">` + snippetHTML(h.Snippet) + `</p></li>`)
	}
	b.WriteString(`</ol>`)
	if next := res.From + len(res.Hits); uint64(next) < res.Total && next+req.Size <= search.MaxFrom {
		v := url.Values{}
		for key, vals := range values {
			if key != "from" {
				v[key] = vals
			}
		}
		v.Set("from", strconv.Itoa(next))
		b.WriteString(`<p><a class="more" href="?` + html.EscapeString(v.Encode()) + `">More results (` + strconv.Itoa(next) + ` of ` + strconv.FormatUint(res.Total, 10) + `)</a></p>`)
	}
	return status, b.String()
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

// fillForm shows in the page's search form what was asked: the words, the
// types, the countries and vendors, the check box and the order. Each is
// found by the default theme's markup, and left as it is when a theme
// changed it.
func fillForm(page []byte, req search.Request) []byte {
	set := func(find, with string) {
		page = bytes.Replace(page, []byte(find), []byte(with), 1)
	}
	if req.Q != "" {
		set(`id="q" name="q"`, `id="q" name="q" value="`+html.EscapeString(req.Q)+`"`)
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
	if req.Sort != "" && req.Sort != "relevance" {
		set(`<option value="`+req.Sort+`">`, `<option value="`+req.Sort+`" selected>`)
	}
	return page
}
