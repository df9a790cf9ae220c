package kb_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestSimpleYAMLOnGenerated holds the simple front-matter reader to
// yaml.v3 on a generated knowledge base, the kind every benchmark loads,
// and checks that it reads nearly all of it.
func TestSimpleYAMLOnGenerated(t *testing.T) {
	dir := t.TempDir()
	if err := sitetest.GenerateSeed(dir, 400, 7); err != nil {
		t.Fatal(err)
	}
	var read, all int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text, line, ok := kb.FrontMatterYAML(data)
		if !ok {
			t.Fatalf("%s: no YAML front matter", p)
		}
		all++
		simple, diff := kb.CompareYAMLParsers(text, line)
		if simple {
			read++
		}
		if diff != "" {
			t.Errorf("%s: %s", p, diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the simple reader read %d of %d entries' front matter", read, all)
	if all < 400 || read*10 < all*9 {
		t.Errorf("the simple reader read %d of %d entries' front matter; it should read nine in ten", read, all)
	}
}
