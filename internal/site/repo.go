package site

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/dronekb/dronekb/internal/kb"
)

// Repository is where the knowledge base's files are kept, so that each
// entry page can link to editing it, to its history and to reporting a
// correction. Only GitHub's URL layout is known.
type Repository struct {
	URL     string // "https://github.com/owner/name"
	Branch  string // the branch the site is built from: "main"
	Content string // the content folder inside the repository: "content"
}

// ParseRepository checks a repository's URL ("https://github.com/owner/name",
// with or without .git or a trailing slash) and returns it with branch and
// content folder.
func ParseRepository(raw, branch, content string) (Repository, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Repository{}, fmt.Errorf("--repo %q must be the repository's web address, such as https://github.com/owner/name", raw)
	}
	p := strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), ".git")
	if parts := strings.Split(strings.Trim(p, "/"), "/"); len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return Repository{}, fmt.Errorf("--repo %q must name a repository as host/owner/name, such as https://github.com/owner/name", raw)
	}
	if branch == "" || strings.ContainsAny(branch, " \t\n?#") || strings.HasPrefix(branch, "-") {
		return Repository{}, fmt.Errorf("--branch %q is not a branch name", branch)
	}
	content = strings.Trim(path.Clean("/"+strings.ReplaceAll(content, "\\", "/")), "/")
	return Repository{URL: u.Scheme + "://" + u.Host + p, Branch: branch, Content: content}, nil
}

// file returns the path of an entry's file in the repository, escaped for a URL.
func (r Repository) file(e *kb.Entry) string {
	p := path.Join(r.Content, e.Path)
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// repoFuncs are the layouts' functions for an entry's history: when it
// last changed, and the links to edit it, see its history and report a
// correction ("" when no repository is configured).
func (s *Site) repoFuncs() map[string]any {
	r := s.opts.Repo
	return map[string]any{
		"changed": func(e *kb.Entry) kb.Date { return s.opts.Changed[e.Path] },
		"editURL": func(e *kb.Entry) string {
			if r.URL == "" {
				return ""
			}
			return r.URL + "/edit/" + url.PathEscape(r.Branch) + "/" + r.file(e)
		},
		"historyURL": func(e *kb.Entry) string {
			if r.URL == "" {
				return ""
			}
			return r.URL + "/commits/" + url.PathEscape(r.Branch) + "/" + r.file(e)
		},
		// correctionURL opens the repository's "report a correction" issue
		// form with the entry filled in.
		"correctionURL": func(e *kb.Entry) string {
			if r.URL == "" {
				return ""
			}
			q := url.Values{}
			q.Set("template", "correction.yml")
			q.Set("title", "Correction: "+e.Title)
			q.Set("entry", e.ID)
			q.Set("page", s.AbsURL(s.pagePath(e)))
			// Spaces as %20: a "+" would be escaped again in the page.
			return r.URL + "/issues/new?" + strings.ReplaceAll(q.Encode(), "+", "%20")
		},
	}
}

// pagePath returns the page of an entry or of one of the site's own pages.
func (s *Site) pagePath(e *kb.Entry) string {
	if e.Type == kb.TypePage {
		if e.Slug == kb.PageHome {
			return ""
		}
		return PagePath(e)
	}
	return EntryPath(e)
}
