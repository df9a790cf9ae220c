package kb_test

import (
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
	read, all := kb.CompareYAMLParsersIn(t, dir)
	if all < 400 || read*10 < all*9 {
		t.Errorf("the simple reader read %d of %d entries' front matter; it should read nine in ten", read, all)
	}
}
