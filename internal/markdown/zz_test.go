package markdown

import (
	"testing"
)

func TestScratchLinks(t *testing.T) {
	for _, s := range []string{"a [9][ref] b\n\n[ref]: https://example.org/ref\n"} {
		src := []byte(s)
		m := New()
		d := m.Parse(src)
		d.root.Dump(src, 0)
	}
}
