package site_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestSitemapSplits: the sitemaps protocol takes at most 50,000 URLs and
// 50 MB in a file, and a site of 100,000 entries has more; sitemap.xml
// listed them all in one <urlset>, which search engines reject. With the
// limits lowered, a site past them has a sitemap index at sitemap.xml
// naming sitemap-1.xml, sitemap-2.xml and on by their absolute URLs, each
// a <urlset> within the limits, together listing every URL of the one-file
// sitemap, in its order, and every page a reader can reach; robots.txt
// names the index. A site within the limits keeps its one file.
func TestSitemapSplits(t *testing.T) {
	dir := t.TempDir()
	if err := sitetest.GenerateSeed(dir, 40, 5); err != nil {
		t.Fatal(err)
	}
	k := sitetest.Load(t, os.DirFS(dir))
	opts := site.Options{BaseURL: "https://example.org/kb/"}
	one := sitetest.Build(t, k, opts)
	var set struct {
		XMLName xml.Name
		URLs    []string `xml:"url>loc"`
	}
	if err := xml.Unmarshal(readFile(t, filepath.Join(one.Dir, "sitemap.xml")), &set); err != nil || set.XMLName.Local != "urlset" {
		t.Fatalf("within the limits, sitemap.xml is a <%s> (%v), want one urlset", set.XMLName.Local, err)
	}
	all := set.URLs
	if _, err := os.Stat(filepath.Join(one.Dir, "sitemap-1.xml")); err == nil {
		t.Error("within the limits, the site has a sitemap-1.xml")
	}

	for _, c := range []struct {
		name       string
		urls, size int
	}{
		{"urls", 10, 50 << 20},
		{"bytes", 50_000, 2000},
	} {
		t.Run(c.name, func(t *testing.T) {
			restore := site.SetSitemapLimits(c.urls, c.size)
			s := sitetest.Build(t, k, opts)
			restore()
			var index struct {
				XMLName xml.Name
				Locs    []string `xml:"sitemap>loc"`
			}
			if err := xml.Unmarshal(readFile(t, filepath.Join(s.Dir, "sitemap.xml")), &index); err != nil || index.XMLName.Local != "sitemapindex" {
				t.Fatalf("past the limits, sitemap.xml is a <%s> (%v), want a sitemapindex", index.XMLName.Local, err)
			}
			if len(index.Locs) < 3 {
				t.Fatalf("the index names %d sitemaps: the test sees too little", len(index.Locs))
			}
			var got []string
			for i, loc := range index.Locs {
				name := "sitemap-" + strconv.Itoa(i+1) + ".xml"
				if want := "https://example.org/kb/" + name; loc != want {
					t.Errorf("the index's sitemap %d is %s, want %s", i+1, loc, want)
				}
				data := readFile(t, filepath.Join(s.Dir, name))
				var part struct {
					XMLName xml.Name
					URLs    []string `xml:"url>loc"`
				}
				if err := xml.Unmarshal(data, &part); err != nil || part.XMLName.Local != "urlset" {
					t.Fatalf("%s is a <%s> (%v), want a urlset", name, part.XMLName.Local, err)
				}
				if len(part.URLs) == 0 || len(part.URLs) > c.urls || len(data) > c.size {
					t.Errorf("%s lists %d URLs in %d bytes; the limits are %d, %d bytes", name, len(part.URLs), len(data), c.urls, c.size)
				}
				got = append(got, part.URLs...)
			}
			if _, err := os.Stat(filepath.Join(s.Dir, "sitemap-"+strconv.Itoa(len(index.Locs)+1)+".xml")); err == nil {
				t.Errorf("the site has a sitemap the index does not name")
			}
			if !slices.Equal(got, all) {
				t.Errorf("the sitemaps list %d URLs; the one-file sitemap %d", len(got), len(all))
			}
			if crawled, listed := sitetest.Crawl(t, s.Dir, s.Base, s.Abs).Pages, sitetest.Sitemap(t, s.Dir, s.Base, s.Abs); !slices.Equal(crawled, listed) {
				t.Errorf("the sitemaps list %d pages, the links reach %d", len(listed), len(crawled))
			}
			if robots := string(readFile(t, filepath.Join(s.Dir, "robots.txt"))); !regexp.MustCompile(`(?m)^Sitemap: https://example\.org/kb/sitemap\.xml$`).MatchString(robots) {
				t.Errorf("robots.txt does not name the sitemap index:\n%s", robots)
			}
		})
	}
}
