package kb

import (
	"io/fs"
	"testing"
	"testing/fstest"
)

// unreadableDir is a file system in which one folder cannot be listed, as
// a section without read permission.
type unreadableDir struct {
	fstest.MapFS
	dir string
}

func (u unreadableDir) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == u.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return u.MapFS.ReadDir(name)
}

// TestUnreadableSectionIsTheOneError: a section that cannot be read is
// reported once, and the references into it are not: every agency naming
// a law used to get a REF_NOT_FOUND, 218 of them burying the one error
// that says what is wrong (serve --watch shows the first 50).
func TestUnreadableSectionIsTheOneError(t *testing.T) {
	content := fstest.MapFS{
		"laws/ban.md":    {Data: []byte("---\ntitle: Ban\ncountry: US\nstatus: enacted\nenacted: 2020-01-01\nrestricts: {countries: [CN]}\nmeasure: procurement\nsources: [https://example.org/ban]\n---\n")},
		"agencies/pd.md": {Data: []byte("---\ntitle: PD\ncountry: US\nlevel: local\nrelated: [laws/ban]\nsources: [https://example.org/pd]\n---\nUnder [the ban](../laws/ban.md) [1].\n")},
	}
	k := Load(unreadableDir{content, "laws"}, Options{Dir: "content"})
	errs := errorsOf(k)
	if len(errs) != 1 || errs[0].Code != CodeFileUnreadable || errs[0].File != "content/laws" {
		t.Fatalf("errors: %v; want the one FILE_UNREADABLE of content/laws", errs)
	}
	if k.Entry("agencies/pd") == nil {
		t.Error("the readable entry was not loaded")
	}
}

// TestLinkedSectionIsTheOneError: a section that is a symbolic link is not
// read either, and is the one error too (it gave 219, 112 of them
// references to laws).
func TestLinkedSectionIsTheOneError(t *testing.T) {
	content := fstest.MapFS{
		"laws":           {Data: []byte("/elsewhere/laws"), Mode: fs.ModeSymlink},
		"agencies/pd.md": {Data: []byte("---\ntitle: PD\ncountry: US\nlevel: local\nrelated: [laws/ban]\nsources: [https://example.org/pd]\n---\nUnder [the ban](../laws/ban.md) [1].\n")},
	}
	k := Load(content, Options{Dir: "content"})
	errs := errorsOf(k)
	if len(errs) != 1 || errs[0].Code != CodeFileSymlink || errs[0].File != "content/laws" {
		t.Fatalf("errors: %v; want the one FILE_SYMLINK of content/laws", errs)
	}
}

// errorsOf returns the knowledge base's errors, warnings left out.
func errorsOf(k *KB) []Diagnostic {
	var errs []Diagnostic
	for _, d := range k.Diagnostics {
		if d.Severity == SevError {
			errs = append(errs, d)
		}
	}
	return errs
}
