package site

import (
	"html/template"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// SetSpillAt makes pages larger than n bytes go to their files as they
// render, and returns what puts it back.
func SetSpillAt(n int) (restore func()) {
	old := spillAt
	spillAt = n
	return func() { spillAt = old }
}

// SetSitemapLimits makes sitemap files hold at most urls URLs and bytes
// bytes, and returns what puts the protocol's limits back.
func SetSitemapLimits(urls, bytes int) (restore func()) {
	old := sitemapLimits
	sitemapLimits.urls, sitemapLimits.bytes = urls, bytes
	return func() { sitemapLimits = old }
}

// legacyFleetRows is the template code fleetRows replaced.
const legacyFleetRows = `{{define "rows"}}{{$e := .E}}{{with .Rows}}
{{- range .}}
<tr>
  <th scope="row">{{if .Vendor}}{{with .Item.Count}}{{.}} × {{end}}{{link .Vendor}}{{with .Item.Model}} {{.}}{{end}}{{else}}{{.Label}}{{end}}{{with .Item.Note}}<br><span class="note">{{.}}</span>{{end}}</th>
  <td data-label="Acquired">{{if .Item.Acquired.IsZero}}—{{else}}{{timeTag .Item.Acquired}}{{end}}</td>
  <td data-label="Latest observation">{{if .Item.LatestIsAcquisition}}acquired{{else}}{{obsLabel .Item.Status}}{{end}}, {{timeTag .Item.AsOf}}{{cite (sourceNum $e .Item.Source)}}</td>
  <td data-label="On {{date $.Site.AsOf}}">{{with .Now}}{{if .Acquired}}acquired{{else}}{{obsLabel .Status}}{{end}}{{if and .Stale .Acquired}} <span class="stale">({{date .AsOf}}, over 24 months ago)</span>{{else if .Stale}} <span class="stale">(reported {{date .AsOf}}, over 24 months ago)</span>{{else if .BeforeBan}} <span class="stale">({{if not .Acquired}}seen {{end}}{{date .AsOf}}{{if .BeforeBan.InForceBy}}; the ban is first shown in force on {{date .BeforeBan.Start}}{{else if not .SurelyBeforeBan}}; the ban of {{date .BeforeBan.Start}} may have come first{{else}}, before the ban of {{date .BeforeBan.Start}}{{end}})</span>{{end}}{{else}}not yet in the fleet{{end}}</td>
  <td data-label="Restricted by">{{with .Now}}{{if .Restricted}}<a href="#tracker">{{plural (len .RestrictingLaws) "law" "laws"}}</a>{{if .BindingLaws}}, {{len .BindingLaws}} binding it{{else}}, none binding it{{end}}{{else if .Item.UnknownMake}}make unknown{{else}}not restricted{{end}}{{else}}—{{end}}</td>
</tr>
{{- end}}{{end}}{{end}}`

// FleetRows renders the fleet rows of the agency id with fleetRows and
// with the template code it replaced.
func FleetRows(s *Site, id string) (got, legacy string, err error) {
	e := s.kb.Entry(id)
	rows := s.agencyView(e).Fleet
	t, err := template.New("").Funcs(s.funcs()).Parse(legacyFleetRows)
	if err != nil {
		return "", "", err
	}
	var b strings.Builder
	data := struct {
		E    *kb.Entry
		Rows []FleetRow
		Site *siteInfo
	}{e, rows, s.info}
	if err := t.ExecuteTemplate(&b, "rows", data); err != nil {
		return "", "", err
	}
	return string(s.fleetRows(e, rows)), b.String(), nil
}

// ListLen returns the length of the list whose first page is at path.
func ListLen(s *Site, path string) int { return s.listLens()[path] }
