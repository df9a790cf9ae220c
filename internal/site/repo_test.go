package site

import "testing"

func TestParseRepository(t *testing.T) {
	for _, c := range []struct {
		raw, branch, content string
		want                 Repository
		ok                   bool
	}{
		{"https://github.com/owner/name", "main", "content", Repository{"https://github.com/owner/name", "main", "content"}, true},
		{"https://github.com/owner/name.git", "gh-pages", "./site/content/", Repository{"https://github.com/owner/name", "gh-pages", "site/content"}, true},
		{"https://github.com/owner/name/", "main", "content", Repository{"https://github.com/owner/name", "main", "content"}, true},
		{"github.com/owner/name", "main", "content", Repository{}, false},
		{"https://github.com/owner", "main", "content", Repository{}, false},
		{"https://github.com/owner/name/tree/main", "main", "content", Repository{}, false},
		{"https://user:pw@github.com/owner/name", "main", "content", Repository{}, false},
		{"javascript:alert(1)//github.com/a/b", "main", "content", Repository{}, false},
		{"https://github.com/owner/name", "-x", "content", Repository{}, false},
		{"https://github.com/owner/name", "", "content", Repository{}, false},
	} {
		got, err := ParseRepository(c.raw, c.branch, c.content)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseRepository(%q, %q, %q) = %+v, %v", c.raw, c.branch, c.content, got, err)
		}
	}
}
