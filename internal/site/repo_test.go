package site

import (
	"os"
	"strings"
	"testing"
)

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

// TestCorrectionForm: "Report a correction" opens the repository's issue
// form correction.yml with the entry and page filled in, by the ids of its
// fields.
func TestCorrectionForm(t *testing.T) {
	data, err := os.ReadFile("../../.github/ISSUE_TEMPLATE/correction.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"entry", "page"} {
		if !strings.Contains(string(data), "\n    id: "+id+"\n") {
			t.Errorf("correction.yml has no field with id %q, which the link fills in", id)
		}
	}
}
